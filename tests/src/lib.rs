//! Shared helpers for the workspace integration tests (loopback HTTP only).

use gh_revoke_api::{Client, hooks::Settings, transport};

/// A generated client pointed at `base_url` with default settings.
pub fn api_client(base_url: &str) -> Client {
    api_client_with(base_url, Settings::default(), transport::client_builder())
}

/// A generated client with explicit settings and transport.
pub fn api_client_with(
    base_url: &str,
    settings: Settings,
    builder: reqwest::ClientBuilder,
) -> Client {
    let http = builder.build().expect("a reqwest client builds");
    Client::new_with_client(base_url, http, settings)
}
