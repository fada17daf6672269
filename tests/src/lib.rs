//! Test support shared by the workspace's integration tests (loopback HTTP only): the fake
//! GitHub, the never-issued example tokens, the OpenAPI schema checks. `publish = false`.
//! The cross-crate library tests are `tests/library.rs`; the binary's tests live in
//! `crates/gh-revoke-cli/tests/cli.rs`.

pub mod alerts_server;
pub mod endless;
pub mod examples;
pub mod fake_github;
pub mod fragment;
pub mod liveness;
pub mod pacing;
pub mod schema;

use std::time::Duration;

use gh_revoke::{
    AlertsClient, AlertsEvent, ApiBase, Found, InstallationClient, Plan, PlanOptions, RetryPolicy,
    RevokeClient, RevokeClientBuilder,
};
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

/// `n` distinct well-formed classic tokens that were never issued.
pub fn tokens(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            examples::classic(gh_revoke::Kind::ClassicPat, &format!("test-{i}"))
                .expect("classic format")
        })
        .collect()
}

/// A plan of `tokens` (one per line) with `batch_size`.
pub fn plan_of(tokens: &[String], batch_size: usize) -> Plan {
    let mut plan = Plan::new(PlanOptions::new(batch_size).expect("batch size"));
    let text = tokens.join("\n");
    gh_revoke::feed(
        &mut plan,
        gh_revoke::InputMode::Lines,
        text.as_bytes(),
        "test",
    )
    .expect("feed");
    plan
}

/// Feed already-classified items (for plan-level tests).
pub fn plan_from(found: Vec<Found>) -> Plan {
    Plan::from_found(PlanOptions::default(), found)
}

/// A retry policy with the same shape as the default but in milliseconds, for tests.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_rate_limit_retries: 4,
        rate_limit_min_wait: Duration::from_millis(50),
        rate_limit_max_wait: Duration::from_millis(200),
        min_interval: Duration::ZERO,
        reset_margin: Duration::from_millis(100),
    }
}

/// The caller's token of the alerts tests (never issued, never a leak).
pub const ALERTS_TOKEN: &str = "ghp_CallerTokenNotALeakCallerToken0000000";

/// An alerts client for the stand-in at `base_url` authenticating with `token`:
/// [`fast_policy`], `PATCH`es 20 ms apart, a 5 s timeout.
pub fn alerts_client(base_url: &str, token: &str) -> AlertsClient {
    AlertsClient::builder(
        ApiBase::parse(base_url).expect("loopback URL"),
        secrecy::SecretString::from(token.to_owned()),
    )
    .retry_policy(fast_policy())
    .resolve_interval(Duration::from_millis(20))
    .timeout(Duration::from_secs(5))
    .build()
    .expect("an alerts client builds")
}

/// What an alerts run against the stand-in at `base_url` takes: [`alerts_client`] with
/// `token`, and a [`revoke_builder`] client.
pub fn alerts_clients(base_url: &str, token: &str) -> (AlertsClient, RevokeClient) {
    let revoke = revoke_builder(base_url)
        .build()
        .expect("a revoke client builds");
    (alerts_client(base_url, token), revoke)
}

/// An alerts-run observer for which someone else resolves `repository#number` on `server`
/// just before the run's `PATCH` of it (GitHub then answers 400 "not changed").
pub fn resolved_meanwhile<'a>(
    server: &'a alerts_server::AlertsServer,
    repository: &'a str,
    number: i64,
) -> impl FnMut(&AlertsEvent<'_>) + Send + 'a {
    move |event| {
        if let AlertsEvent::Resolving { number: n, .. } = event
            && *n == number
        {
            server.resolve(repository, number);
        }
    }
}

/// An installation-token client for the stand-in at `base_url`: [`fast_policy`], a 5 s
/// timeout.
pub fn installation_client(base_url: &str) -> InstallationClient {
    InstallationClient::builder(ApiBase::parse(base_url).expect("loopback URL"))
        .retry_policy(fast_policy())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("an installation client builds")
}

/// A revoke client builder for `base_url` with [`fast_policy`].
pub fn revoke_builder(base_url: &str) -> RevokeClientBuilder {
    RevokeClient::builder(ApiBase::parse(base_url).expect("loopback URL"))
        .retry_policy(fast_policy())
        .timeout(Duration::from_secs(2))
}
