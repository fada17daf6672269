//! Shared test support for gh-revoke-serve's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod github_app;
pub mod new_app;
pub mod stand_in;
