//! [`AlertsClient`] and its builder: the caller's token, the transport, the pacing bounds.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::DEFAULT_RESOLVE_INTERVAL;
use crate::credential::Fingerprint;
use crate::http::setup;
use crate::http::{ApiBase, ClientError};
use crate::revoke::RetryPolicy;

/// Builds an [`AlertsClient`].
#[derive(Debug)]
pub struct AlertsClientBuilder {
    base: ApiBase,
    token: SecretString,
    user_agent: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    policy: RetryPolicy,
    max_wait: Option<Duration>,
    resolve_interval: Duration,
}

impl AlertsClientBuilder {
    /// Send `User-Agent: user_agent` (default `gh-revoke/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Give up on one request after this long (default 30 s); retried as transient.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Give up connecting after this long (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retry and rate-limit bounds (its `min_interval` is not used: see
    /// [`AlertsClientBuilder::resolve_interval`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Stop instead of waiting longer than this at once (default: up to a week).
    pub fn max_wait(mut self, max_wait: Option<Duration>) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The least time between two `PATCH`es ([`DEFAULT_RESOLVE_INTERVAL`]; tests shorten it).
    pub fn resolve_interval(mut self, interval: Duration) -> Self {
        self.resolve_interval = interval;
        self
    }

    /// Build the client. Never panics.
    pub fn build(self) -> Result<AlertsClient, ClientError> {
        let settings = setup::settings(Some(&self.token), self.user_agent.as_deref(), None, &[])?;
        let http = setup::http(self.timeout, self.connect_timeout)?;
        Ok(AlertsClient {
            own: Fingerprint::of(self.token.expose_secret().as_bytes()),
            api: gh_revoke_api::Client::new_with_client(self.base.as_str(), http, settings),
            base: self.base,
            policy: self.policy,
            max_wait: self.max_wait,
            resolve_interval: self.resolve_interval,
        })
    }
}

/// Lists and resolves secret-scanning alerts with the caller's token (held by the generated
/// client's settings as a sensitive header; sent only to the configured base URL, never
/// redirected).
#[derive(Debug)]
pub struct AlertsClient {
    pub(super) api: gh_revoke_api::Client,
    pub(super) base: ApiBase,
    pub(super) policy: RetryPolicy,
    pub(super) max_wait: Option<Duration>,
    pub(super) resolve_interval: Duration,
    /// The fingerprint of the caller's token: an alert that holds it is the caller's own
    /// token leaking, compared by fingerprint only.
    pub(super) own: Fingerprint,
}

impl AlertsClient {
    /// A builder for a client for `base` that authenticates with `token`.
    pub fn builder(base: ApiBase, token: SecretString) -> AlertsClientBuilder {
        AlertsClientBuilder {
            base,
            token,
            user_agent: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            policy: RetryPolicy::default(),
            max_wait: None,
            resolve_interval: DEFAULT_RESOLVE_INTERVAL,
        }
    }

    /// The API base URL.
    pub fn api_base(&self) -> &ApiBase {
        &self.base
    }
}
