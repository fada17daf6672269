//! Where the worker's alerts token comes from ([`AlertsSource`]): one fixed token (`GH_TOKEN`),
//! or, in app mode, the installation token of each alert's installation, taken from the shared
//! [`InstallationTokens`](crate::app::InstallationTokens) cache.
//!
//! In app mode an [`AlertsClient`] is built per installation token and reused while the cache
//! hands out the same token; a token the cache renews gets a new client, on the same
//! rate-limit budget ([`gh_revoke::Pacer`]) as the installation's earlier ones. Every client
//! calls the app's configured API base only.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use gh_revoke::AlertsClient;
use secrecy::{ExposeSecret, SecretString};

use crate::app::{AppClient, AppError};

/// Where the worker's alerts client (the one that reads and resolves alerts) comes from.
#[derive(Debug)]
pub enum AlertsSource {
    /// One token for every alert (`GH_TOKEN`/`GITHUB_TOKEN`).
    Token(Arc<AlertsClient>),
    /// A GitHub App: each alert is read and resolved with its installation's token.
    App(AppAlerts),
}

/// App mode's alerts clients, one per installation, over the app's token cache.
#[derive(Debug)]
pub struct AppAlerts {
    app: AppClient,
    timeout: Duration,
    clients: tokio::sync::Mutex<HashMap<u64, Cached>>,
}

struct Cached {
    token: SecretString,
    client: Arc<AlertsClient>,
}

impl std::fmt::Debug for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cached(redacted)")
    }
}

impl AppAlerts {
    /// Alerts clients for `app`'s installations, each with `timeout` per request.
    pub fn new(app: AppClient, timeout: Duration) -> Self {
        Self {
            app,
            timeout,
            clients: tokio::sync::Mutex::default(),
        }
    }

    /// The app this reads alerts as.
    pub fn app(&self) -> &AppClient {
        &self.app
    }

    /// An alerts client with `installation`'s current token (created by the cache only when it
    /// has none fit to use), and that token, to hand back to [`AppAlerts::refused`] on a 401.
    pub async fn client(
        &self,
        installation: u64,
    ) -> Result<(Arc<AlertsClient>, SecretString), AppError> {
        let token = self.app.installation_token(installation).await?;
        let mut clients = self.clients.lock().await;
        if let Some(cached) = clients.get(&installation)
            && cached.token.expose_secret() == token.expose_secret()
        {
            return Ok((Arc::clone(&cached.client), token));
        }
        // The installation's rate-limit budget outlives its tokens: a renewed token's client
        // spends the one its predecessor did (GitHub counts an installation's requests, not a
        // token's: "Rate limits for the REST API", GitHub App installations; "Rate limits for
        // GitHub Apps": installation access tokens "use the installation's minimum rate limit").
        let pacer = clients
            .get(&installation)
            .map(|cached| cached.client.pacer().clone())
            .unwrap_or_default();
        let client = AlertsClient::builder(self.app.api_base().clone(), token.clone())
            .timeout(self.timeout)
            .pacer(pacer)
            .build()
            .map_err(|err| AppError::Transport {
                operation: "building the alerts client",
                reason: gh_revoke::scrub(&err.to_string()),
            })?;
        let client = Arc::new(client);
        clients.insert(
            installation,
            Cached {
                token: token.clone(),
                client: Arc::clone(&client),
            },
        );
        Ok((client, token))
    }

    /// `token` was refused (401): drop it from the cache, so the next
    /// [`AppAlerts::client`] creates a new one (once, however many callers were refused).
    pub async fn refused(&self, installation: u64, token: &SecretString) {
        self.app.tokens().invalidate(installation, token).await;
    }
}
