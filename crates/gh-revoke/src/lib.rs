//! gh-revoke: revoke leaked GitHub credentials safely. The hand-written layer over the
//! generated `gh-revoke-api` client: all HTTP goes through it, and nothing here prints.
//!
//! The pipeline: input → [`feed`] ([`Lines`] or [`Scanner`]) → [`Plan`] → [`RevokeClient`]
//! → [`RevokeReport`]. The enterprise and organization emergency calls are [`EnterpriseClient`].
//!
//! # Revoking a list of strings
//!
//! ```no_run
//! use gh_revoke::{ApiBase, Plan, PlanOptions, RevokeClient};
//!
//! # async fn run(leaked: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
//! let mut plan = Plan::new(PlanOptions::default());
//! plan.extend_strs(&leaked);
//! let report = RevokeClient::new(ApiBase::github_com())?.revoke(&plan).await;
//! println!("accepted {} of {}", report.accepted, report.read);
//! # Ok(()) }
//! ```
//!
//! # Revoking what a scan of a file finds, with a journal (anonymous, paced, resumable)
//!
//! ```no_run
//! use gh_revoke::{ApiBase, Event, InputMode, Journal, Plan, PlanOptions, RevokeClient};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mut journal = Journal::open("revoke.journal")?; // locked: one run at a time
//! let mut plan = Plan::resuming(PlanOptions::default(), journal.done());
//! plan.read_file(&std::fs::File::open("build.log")?, InputMode::Scan, "build.log")?;
//! let report = RevokeClient::new(ApiBase::github_com())?
//!     .revoke(&plan)
//!     .journal(&mut journal) // each accepted batch, durably, before the next request
//!     .on_event(|event| if let Event::Waiting { wait, .. } = event { eprintln!("waiting {wait:?}") })
//!     .await;
//! println!("accepted {} of {}", report.accepted, report.read);
//! # Ok(()) }
//! ```
//!
//! The future is `Send` (spawn it on any tokio runtime). To stop on Ctrl-C, pass the signal
//! to [`Revoke::interrupt_on`]; to stop from your own code, implement [`Observer`], whose
//! error type is yours, and pass it to [`Revoke::observer`].
//!
//! # An enterprise's emergency revoke-all
//!
//! ```no_run
//! use gh_revoke::{ApiBase, EnterpriseClient};
//! use secrecy::SecretString;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let token = SecretString::from(std::env::var("GH_TOKEN")?);
//! let client = EnterpriseClient::builder(ApiBase::github_com(), token)
//!     .timeout(std::time::Duration::from_secs(30))
//!     .build()?;
//! let answer = client.revoke_all("acme-corp", false).await?;
//! if let Some(warning) = answer.warning {
//!     eprintln!("warning: {warning}");
//! }
//! # Ok(()) }
//! ```
//!
//! # One credential type, one user, or an organization: the siblings of revoke-all
//!
//! ```no_run
//! use gh_revoke::{ApiBase, CredentialType, EnterpriseClient, Target};
//! use secrecy::SecretString;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let token = SecretString::from(std::env::var("GH_TOKEN")?);
//! let client = EnterpriseClient::builder(ApiBase::github_com(), token).build()?;
//! let target = Target::org("acme").user("octocat").credential_type(CredentialType::ClassicPat);
//! let report = client.revoke(&target).await?; // orgs/revoke-credential-type-for-user
//! println!("{}: {:?}", report.description, report.message);
//! # Ok(()) }
//! ```
//!
//! Both clients install their TLS provider themselves: building one never panics (the
//! generated `gh_revoke_api::Client::new` does not, so use these builders).
//!
//! # The credential core (pure, no network)
//! * [`classify`] checks one string: prefix, shape, classic CRC32 checksum.
//! * [`Credential`] / [`Candidate`] own secrets, zeroize them on drop and redact them in
//!   `Debug`/`Display`; [`Fingerprint`] is their SHA-256.
//! * [`Lines`] reads one credential per line; [`Scanner`] finds credentials anywhere in
//!   arbitrary bytes. Both stream in bounded memory and report [`Found`] items with a
//!   [`Location`].
//! * [`Plan`] dedupes, sets aside what cannot be sent, and splits the rest into batches
//!   for `POST /credentials/revoke`. [`PlanTally`] (`Plan<CountOnly>`) counts the same
//!   without keeping the secrets, for a dry run ([`RevokeReport::dry_run`]).
//!
//! # Public API, in the order it is re-exported
//!
//! What a credential is (pure): [`Candidate`], [`Classified`], [`Credential`],
//! [`Fingerprint`], [`FingerprintError`], [`InvalidReason`], [`Kind`], [`MAX_TOKEN_LEN`],
//! [`UnsupportedReason`], [`classify`].
//!
//! Where credentials are: [`DEFAULT_MAX_LINE_LEN`], [`Encoding`], [`Found`], [`InputError`],
//! [`InputMode`], [`Lines`], [`Location`], [`ScanStats`], [`Scanner`], [`feed`],
//! [`feed_file`], [`scrub`], [`scrub_credentials`].
//!
//! What to send: [`Batch`], [`Batches`], [`CountOnly`], [`DEFAULT_MAX_SKIPPED_KEPT`],
//! [`MAX_BATCH_SIZE`], [`Plan`], [`PlanCounts`], [`PlanError`], [`PlanOptions`],
//! [`PlanTally`], [`Planned`], [`Secrets`], [`Skipped`].
//!
//! Sending it, the enterprise call and the HTTP pieces both clients share: see
//! [`RevokeClient`], [`EnterpriseClient`] and [`ApiBase`].
//!
//! Test-only helpers (never-issued tokens, internal sizes) are in `fixtures`, behind the
//! `fixtures` feature.
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Tests may panic: that is how they fail.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

// The pipeline, one folder a stage; modules are private and every public name has one path.
// what a credential is (pure)
pub use credential::{
    Candidate, Classified, Credential, Fingerprint, FingerprintError, InvalidReason, Kind,
    MAX_TOKEN_LEN, NEAR_MISS_MIN_RUN, UnsupportedReason, classify,
};
// where credentials are
pub use input::{
    DEFAULT_MAX_LINE_LEN, Encoding, Found, InputError, InputMode, Lines, Location, ScanStats,
    Scanner, feed, feed_file, scrub, scrub_credentials,
};
// what to send
pub use plan::{
    Batch, Batches, CountOnly, DEFAULT_MAX_SKIPPED_KEPT, MAX_BATCH_SIZE, Plan, PlanCounts,
    PlanError, PlanOptions, PlanTally, Planned, Secrets, Skipped,
};
// sending it, and what came of it
pub use revoke::{
    BatchReport, BatchStatus, Event, FailedCredential, JOURNAL_HEADER, Journal, JournalError,
    MAX_JOURNAL_LINE, NotAJournalWhy, Observer, OnEvent, REPORT_SCHEMA_VERSION, RetryPolicy,
    Revoke, RevokeClient, RevokeClientBuilder, RevokeReport, Stop, WaitReason,
};
// secret-scanning alerts: list, revoke, resolve
pub use alerts::{
    ALERT_SECRET_TYPES, ALERTS_TOKEN_SCOPES, Alert, AlertCounts, AlertItem, AlertOutcome,
    AlertTarget, AlertsClient, AlertsClientBuilder, AlertsError, AlertsEvent, AlertsOptions,
    AlertsReport, AlertsRun, AlertsRunReport, DEFAULT_RESOLVE_INTERVAL,
};
// the enterprise emergency call
pub use enterprise::{
    CredentialType, EnterpriseClient, EnterpriseClientBuilder, EnterpriseError, OrgClient,
    OrgClientBuilder, RevocationReport, RevokeAllReport, Scope, Target,
};
// killing what /credentials/revoke cannot (installation tokens), and proving what died
pub use kill::{
    CheckedCredential, DEFAULT_VERIFY_TIMEOUT, InstallationClient, InstallationClientBuilder,
    InstallationReport, InstallationStatus, InstallationToken, InstallationTokenReport, KillList,
    Liveness, MAX_CHECKS_IN_FLIGHT, RevokeInstallations, Tee, ToVerify, Verify, VerifyClient,
    VerifyClientBuilder, VerifyReport,
};
// what both clients share
pub use http::{
    ApiBase, CallError, Caller, ClientError, ClientSettings, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_WAIT, DEFAULT_TIMEOUT, Done, EndpointError, ErrorKind, ErrorReport, GITHUB_API,
    Pacer, RateLimit,
};

mod alerts;
mod credential;
mod enterprise;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
mod http;
mod input;
mod kill;
mod plan;
mod revoke;
