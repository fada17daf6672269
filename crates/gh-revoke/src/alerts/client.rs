//! [`AlertsClient`] and its builder: the caller's token, the transport, the pacing bounds.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::DEFAULT_RESOLVE_INTERVAL;
use crate::credential::Fingerprint;
use crate::http::{ApiBase, ClientError, ClientSettings, Pacer};
use crate::revoke::RetryPolicy;

/// Builds an [`AlertsClient`]. Its retry policy's `min_interval` is not used: see
/// [`AlertsClientBuilder::resolve_interval`].
#[derive(Debug)]
pub struct AlertsClientBuilder {
    base: ApiBase,
    token: SecretString,
    settings: ClientSettings,
    resolve_interval: Duration,
    pacer: Option<Pacer>,
}

crate::client_settings_setters!(AlertsClientBuilder:
    user_agent, timeout, connect_timeout, retry_policy, max_wait);

impl AlertsClientBuilder {
    /// The least time between two `PATCH`es ([`DEFAULT_RESOLVE_INTERVAL`]; tests shorten it).
    pub fn resolve_interval(mut self, interval: Duration) -> Self {
        self.resolve_interval = interval;
        self
    }

    /// Share this rate-limit budget (default: a budget of the client's own). The caller's
    /// token has one budget per host: give clones of one [`Pacer`] to every client that
    /// sends with the same token (or installation), so that none sends over the limit a
    /// spent window named to another.
    pub fn pacer(mut self, pacer: Pacer) -> Self {
        self.pacer = Some(pacer);
        self
    }

    /// Build the client. Never panics.
    pub fn build(self) -> Result<AlertsClient, ClientError> {
        let headers = self.settings.headers(Some(&self.token), &[])?;
        let http = self.settings.http()?;
        Ok(AlertsClient {
            own: Fingerprint::of(self.token.expose_secret().as_bytes()),
            api: gh_revoke_api::Client::new_with_client(self.base.as_str(), http, headers),
            base: self.base,
            policy: self.settings.retry_policy,
            max_wait: self.settings.max_wait,
            resolve_interval: self.resolve_interval,
            pacer: self.pacer.unwrap_or_default(),
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
    /// The token's rate-limit budget, kept between calls and runs (and shared by its clones).
    pub(super) pacer: Pacer,
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
            settings: ClientSettings::default(),
            resolve_interval: DEFAULT_RESOLVE_INTERVAL,
            pacer: None,
        }
    }

    /// The API base URL.
    pub fn api_base(&self) -> &ApiBase {
        &self.base
    }

    /// The token's rate-limit budget this client spends (kept between calls and runs; clone
    /// it to share).
    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }
}
