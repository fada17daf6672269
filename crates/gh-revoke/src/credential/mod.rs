//! What a credential is (pure: no I/O, no network).
//!
//! * [`Kind`]: the prefix table, stated once.
//! * One file per format owns both its exact check and its extent in a scan:
//!   [`classic`] (`ghp_`, `gho_`, `ghu_`, `ghr_`, legacy `ghs_`, with the CRC32 [`checksum`]),
//!   [`fine_grained`] (`github_pat_`), [`installation`] (new `ghs_APPID_JWT`).
//! * [`classify()`] and `extent` dispatch on the prefix to them ([`match_at`] is both, for
//!   scan mode); [`reason`] says why a string is not a credential.
//! * [`Credential`] / [`Candidate`] own the secret text, zeroize it on drop and redact it in
//!   `Debug`/`Display`; [`Fingerprint`] is its SHA-256.
//!
//! To add a format: a new file here with `check` and `extent`, a [`Kind`] variant, and one
//! arm in each dispatch of [`classify()`].

mod checksum;
pub(crate) mod classic;
mod classify;
pub(crate) mod fine_grained;
mod fingerprint;
pub(crate) mod installation;
mod kind;
mod reason;
mod secret;

pub(crate) use classify::match_at;
pub use classify::{Classified, classify};
pub use fingerprint::{Fingerprint, FingerprintError};
pub use kind::Kind;
pub use reason::{InvalidReason, NEAR_MISS_MIN_RUN, UnsupportedReason};
#[cfg(any(test, feature = "fixtures"))]
pub use secret::REDACTED_CHARS;
pub use secret::{Candidate, Credential, redact};

/// The longest credential this crate accepts, in bytes (new-format installation tokens
/// are variable-length, about 520 characters today; GitHub says to allow at least 520 with no
/// upper limit, so this leaves room to grow).
pub const MAX_TOKEN_LEN: usize = 1024;
