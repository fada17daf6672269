//! The `gh-revoke` binary's tests: one integration binary (one link), one module per area.
//! Every test runs the binary of this very build (`CARGO_BIN_EXE_gh-revoke`), against
//! loopback fakes only (`gh-revoke-tests`).

mod support;

mod alerts;
mod alerts_outcomes;
mod app_create;
mod bad_input;
mod crash_safety;
mod credentials;
mod encodings;
mod enterprise;
mod gh_extension;
mod incident;
mod journal_bounds;
mod kill;
mod listing;
mod readme;
mod request_fidelity;
mod secret_hygiene;
mod serve;
mod serve_app;
mod siblings;
mod stops;
mod version;
