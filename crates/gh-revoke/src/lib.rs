//! gh-revoke: the hand-written layer over the generated `gh-revoke-api` client.
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
