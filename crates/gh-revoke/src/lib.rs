//! gh-revoke: revoke leaked GitHub credentials safely. The hand-written layer over the
//! generated `gh-revoke-api` client: all HTTP goes through it, and nothing here prints.
//!
//! The pipeline: input → [`feed`] ([`Lines`] or [`Scanner`]) → [`Plan`] → [`RevokeClient`]
//! → [`RevokeReport`]. The enterprise emergency call is [`EnterpriseClient`].
//!
//! # Revoking leaked tokens (anonymous, paced, resumable)
//!
//! ```no_run
//! use gh_revoke::{ApiBase, Event, InputMode, Journal, Plan, PlanOptions, RevokeClient};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mut journal = Journal::open("revoke.journal")?;
//! let mut plan = Plan::new(PlanOptions::default());
//! plan.skip_fingerprints(journal.done().iter().copied());
//! let log = std::fs::File::open("build.log")?;
//! gh_revoke::feed(&mut plan, InputMode::Scan, log, "build.log")?;
//!
//! let client = RevokeClient::new(ApiBase::github_com())?;
//! let report = client
//!     .revoke(&plan, &mut |event: &Event<'_>| {
//!         if let Event::Accepted { fingerprints, .. } = event {
//!             journal
//!                 .record(fingerprints)
//!                 .map_err(|e| gh_revoke::Halt::new(e.to_string()))?;
//!         }
//!         Ok(())
//!     })
//!     .await;
//! println!("accepted {} of {}", report.accepted, report.read);
//! # Ok(()) }
//! ```
//!
//! # An enterprise's emergency revoke-all
//!
//! ```no_run
//! use gh_revoke::{ApiBase, EnterpriseClient};
//! use secrecy::SecretString;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let token = SecretString::from(std::env::var("GH_TOKEN")?);
//! let client = EnterpriseClient::new(&ApiBase::github_com(), token)?;
//! let answer = client.revoke_all("acme-corp", false).await?;
//! if let Some(warning) = answer.warning {
//!     eprintln!("warning: {warning}");
//! }
//! # Ok(()) }
//! ```
//!
//! # The credential core (pure, no network)
//! * [`classify`] checks one string: prefix, shape, classic CRC32 checksum.
//! * [`Credential`] / [`Candidate`] own secrets, zeroize them on drop and redact them in
//!   `Debug`/`Display`; [`Fingerprint`] is their SHA-256.
//! * [`Lines`] reads one credential per line; [`Scanner`] finds credentials anywhere in
//!   arbitrary bytes. Both stream in bounded memory and report [`Found`] items with a
//!   [`Location`].
//! * [`Plan`] dedupes, sets aside what cannot be sent, and splits the rest into batches
//!   for `POST /credentials/revoke`. [`PlanTally`] counts the same without keeping the
//!   secrets, for a dry run ([`RevokeReport::dry_run`]).
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Tests may panic: that is how they fail.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

// The pipeline, one folder a stage; modules are private and every public name has one path.
// what a credential is (pure)
pub use credential::{
    Candidate, Classified, Credential, Fingerprint, FingerprintError, InvalidReason, Kind,
    MAX_TOKEN_LEN, NEAR_MISS_MIN_RUN, REDACTED_CHARS, UnsupportedReason, classify, redact,
};
// where credentials are
pub use input::{
    DEFAULT_BUFFER_SIZE, DEFAULT_MAX_LINE_LEN, Encoding, Found, InputError, InputMode, LineError,
    Lines, Location, MIN_BUFFER_SIZE, ScanError, ScanStats, Scanner, feed, scrub,
    scrub_credentials,
};
// what to send
pub use plan::{
    Batch, Batches, DEFAULT_MAX_SKIPPED_KEPT, MAX_BATCH_SIZE, Plan, PlanCounts, PlanError,
    PlanOptions, PlanTally, Planned, Skipped,
};
// sending it, and what came of it
pub use revoke::{
    BatchReport, BatchStatus, Event, Halt, JOURNAL_HEADER, Journal, JournalError, RetryPolicy,
    RevokeClient, RevokeClientBuilder, RevokeReport, Stop, WaitReason,
};
// the enterprise emergency call
pub use enterprise::{EnterpriseClient, EnterpriseError, RevokeAllReport};
// what both clients share
pub use http::{ApiBase, ClientError, EndpointError, GITHUB_API, RateLimit};

mod credential;
mod enterprise;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
mod http;
mod input;
mod plan;
mod revoke;
