//! gh-revoke-serve: the receiver for GitHub's `secret_scanning_alert` webhooks behind
//! `gh-revoke serve`, and the GitHub App around it.
//!
//! It lives in a crate of its own so that programs using the `gh-revoke` library (scanners,
//! bots) do not build a web server and SQLite.
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
pub mod app;
