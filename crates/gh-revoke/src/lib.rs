//! gh-revoke: the hand-written layer over the generated `gh-revoke-api` client.
//!
//! The credential core is pure (no network):
//! * [`classify`] checks one string: prefix, shape, classic CRC32 checksum ([`checksum`]).
//! * [`Credential`] / [`Candidate`] own secrets, zeroize them on drop and redact them in
//!   `Debug`/`Display`; [`Fingerprint`] is their SHA-256.
//! * [`Lines`] reads one credential per line; [`Scanner`] finds credentials anywhere in
//!   arbitrary bytes. Both stream in bounded memory and report [`Found`] items with a
//!   [`Location`].
//! * [`Plan`] dedupes, sets aside what cannot be sent, and splits the rest into batches
//!   for `POST /credentials/revoke`.
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Tests may panic: that is how they fail.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod checksum;
mod classify;
pub mod credential;
pub mod fingerprint;
pub mod kind;
pub mod lines;
pub mod location;
pub mod plan;
pub mod scan;
#[cfg(test)]
mod test_support;

pub use checksum::{classic_checksum, make_classic, verify_classic};
pub use classify::{
    Classified, FINE_GRAINED_FIRST_LEN, FINE_GRAINED_LEN, FINE_GRAINED_SECOND_LEN, InvalidReason,
    MAX_TOKEN_LEN, UnsupportedReason, classify,
};
pub use credential::{Candidate, Credential, REDACTED_CHARS, redact};
pub use fingerprint::{Fingerprint, FingerprintError};
pub use kind::Kind;
pub use lines::{DEFAULT_MAX_LINE_LEN, LineError, Lines};
pub use location::{Found, Location};
pub use plan::{
    Batch, Batches, DEFAULT_MAX_SKIPPED_KEPT, MAX_BATCH_SIZE, Plan, PlanCounts, PlanError,
    PlanOptions, Planned, Skipped,
};
pub use scan::{DEFAULT_BUFFER_SIZE, MIN_BUFFER_SIZE, ScanError, ScanStats, Scanner};
