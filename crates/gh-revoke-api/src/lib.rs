//! Typed client for the GitHub REST operations gh-revoke uses: credential revocation, the
//! enterprise and organization credential-authorization levers, secret-scanning alerts,
//! installation-token revocation and the rate-limit check.
//!
//! The client in [`generated`] is produced by progenitor from `openapi/github-credentials.json`
//! (run `cargo xtask codegen`; never edit it by hand). What must sit beside it is hand-written:
//! - [`hooks`]: the `ClientHooks` impl that sets GitHub's headers on every request
//!   (`Accept`, `User-Agent`, a per-operation `X-GitHub-Api-Version`) and decides which token,
//!   if any, a request carries: never one on `POST /credentials/revoke`;
//! - [`LeakedTokenClient`]: the only client that authenticates with a *leaked* credential, for
//!   the two operations that use one on itself;
//! - [`ErrorAnswer`]: status, headers and leniently read body of any failed call;
//! - [`AlertSecret`]: an alert's `secret`, redacted in `Debug` and when serialized;
//! - [`AlertsQuery`] and `Client::list_{repo,org,enterprise}_alerts`: the alert listings with
//!   named parameters instead of 20 positional ones;
//! - [`transport`]: a `reqwest::ClientBuilder` with rustls (ring) ready, no redirects, and
//!   proxies from the environment except for plain-http loopback traffic.
//!
//! ```no_run
//! use gh_revoke_api::{Client, hooks::Settings, transport, types};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let http = transport::client_builder().build()?;
//! let client = Client::new_with_client("https://api.github.com", http, Settings::default());
//! let body = types::CredentialsRevokeBody { credentials: vec!["ghp_...".into()] };
//! client.credentials_revoke(&body).await?;
//! # Ok(()) }
//! ```
//!
//! Every generated method fails with `Error<ByteStream>` (or `Error<()>` for
//! `DELETE /installation/token`, which declares no error): read it with [`ErrorAnswer::read`],
//! describe the rest with [`describe`], never with `Error`'s own `Display` (it prints bodies).

pub mod hooks;
pub mod transport;

mod alerts;
mod answer;
mod leaked;
mod secret;

pub use alerts::AlertsQuery;
pub use answer::{ErrorAnswer, ErrorBody, MAX_ERROR_BODY, describe};
pub use leaked::LeakedTokenClient;
pub use secret::{AlertSecret, REDACTED};

/// The progenitor output, re-exported at the crate root.
#[rustfmt::skip]
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    missing_debug_implementations,
    unused_qualifications,
    rustdoc::bare_urls
)]
pub mod generated;

pub use generated::*;
