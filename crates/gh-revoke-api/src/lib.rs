//! Typed client for GitHub's two credential revocation endpoints.
//!
//! The client in [`generated`] is produced by progenitor from `openapi/github-credentials.json`
//! (run `cargo xtask codegen`; never edit it by hand). What must sit beside it is hand-written:
//! - [`hooks`]: the `ClientHooks` impl that sets GitHub's headers on every request
//!   (`Accept`, `User-Agent`, a per-operation `X-GitHub-Api-Version`) and never lets an
//!   `Authorization` header reach `POST /credentials/revoke`;
//! - [`transport`]: a `reqwest::ClientBuilder` with rustls (ring) ready, and no redirects.
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

pub mod hooks;
pub mod transport;

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
