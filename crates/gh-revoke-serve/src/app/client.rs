//! [`AppClient`] and its builder: the app's identity, the API base, the transport.

use std::sync::Arc;
use std::time::Duration;

use gh_revoke::{ApiBase, Caller, ClientSettings, Pacer};
use gh_revoke_api::hooks::Settings;
use secrecy::{ExposeSecret, SecretString};

use super::error::AppError;
use super::id::{AppId, AppKey};
use super::jwt::{JWT_MAX_LIFETIME, JwtCache};
use super::tokens::InstallationTokens;

/// What every call as the app shares: where it goes, how, the JWT, and the call engine.
#[derive(Debug)]
pub(super) struct Api {
    pub(super) base: ApiBase,
    http: reqwest::Client,
    settings: Settings,
    pub(super) jwt: JwtCache,
    /// The library's call engine on the app's own rate-limit budget (the JWT's calls).
    pub(super) caller: Caller,
    /// The retry bounds, for a caller on another budget (an installation's).
    client_settings: ClientSettings,
}

impl Api {
    /// The call engine for calls made with an installation token: the installation's budget
    /// is not the app's, so each listing starts one of its own.
    pub(super) fn installation_caller(&self) -> Caller {
        Caller::new(&self.client_settings, Pacer::new())
    }

    /// A generated client authenticated with the app's JWT (which the hooks send only to the
    /// two operations that take one).
    pub(super) fn as_app(
        &self,
        operation: &'static str,
    ) -> Result<gh_revoke_api::Client, AppError> {
        let jwt = self.jwt.jwt()?;
        let settings = self
            .settings
            .clone()
            .with_app_jwt(jwt.expose_secret())
            .map_err(|_| AppError::Transport {
                operation,
                reason: "the app's JWT cannot be sent as a header".to_owned(),
            })?;
        Ok(self.client(settings))
    }

    /// A generated client authenticated with an installation token.
    pub(super) fn as_installation(
        &self,
        operation: &'static str,
        token: &SecretString,
    ) -> Result<gh_revoke_api::Client, AppError> {
        let settings = self
            .settings
            .clone()
            .with_bearer_token(token.expose_secret())
            .map_err(|_| AppError::Transport {
                operation,
                reason: "the installation token cannot be sent as a header".to_owned(),
            })?;
        Ok(self.client(settings))
    }

    fn client(&self, settings: Settings) -> gh_revoke_api::Client {
        // The configured base only: the transport follows no redirects, so a token never
        // leaves for another host.
        gh_revoke_api::Client::new_with_client(self.base.as_str(), self.http.clone(), settings)
    }
}

/// Builds an [`AppClient`].
#[derive(Debug)]
pub struct AppClientBuilder {
    base: ApiBase,
    id: AppId,
    key: AppKey,
    settings: ClientSettings,
    jwt_lifetime: Duration,
}

gh_revoke::client_settings_setters!(AppClientBuilder:
    user_agent, timeout, connect_timeout, retry_policy, max_wait);

impl AppClientBuilder {
    /// How long a JWT lives from its `iat` (default and most: 10 minutes, GitHub's limit;
    /// at least 2 minutes).
    pub fn jwt_lifetime(mut self, lifetime: Duration) -> Self {
        self.jwt_lifetime = lifetime;
        self
    }

    /// Build the client. Never panics.
    pub fn build(self) -> Result<AppClient, AppError> {
        // The app's JWT and installation tokens are added per call (`Api::as_app`,
        // `Api::as_installation`): the shared settings carry no token.
        let transport = |e: gh_revoke::ClientError| AppError::Transport {
            operation: "building the HTTP client",
            reason: gh_revoke::scrub(&e.to_string()),
        };
        let settings = self.settings.headers(None, &[]).map_err(transport)?;
        let http = self.settings.http().map_err(transport)?;
        let api = Arc::new(Api {
            base: self.base,
            http,
            settings,
            jwt: JwtCache::new(self.id, self.key, self.jwt_lifetime),
            caller: Caller::new(&self.settings, Pacer::new()),
            client_settings: self.settings,
        });
        Ok(AppClient {
            tokens: InstallationTokens::new(Arc::clone(&api)),
            api,
        })
    }
}

/// Calls GitHub as a GitHub App: the app's JWT for the app's own endpoints, an installation
/// token (cached in [`InstallationTokens`]) for what an installation may do. Every request
/// goes to the configured API base only; `Debug` shows no key, JWT or token.
#[derive(Debug, Clone)]
pub struct AppClient {
    pub(super) api: Arc<Api>,
    tokens: InstallationTokens,
}

impl AppClient {
    /// A builder for the app `id` signing with `key`, calling `base`.
    pub fn builder(base: ApiBase, id: AppId, key: AppKey) -> AppClientBuilder {
        AppClientBuilder {
            base,
            id,
            key,
            settings: ClientSettings::default(),
            jwt_lifetime: JWT_MAX_LIFETIME,
        }
    }

    /// The app's id.
    pub fn app_id(&self) -> &AppId {
        self.api.jwt.id()
    }

    /// The API base every request goes to.
    pub fn api_base(&self) -> &ApiBase {
        &self.api.base
    }

    /// The app's current JWT (cached; a new one when less than 60 s remain).
    pub fn jwt(&self) -> Result<SecretString, AppError> {
        self.api.jwt.jwt()
    }

    /// The installation-token cache (cheap to clone; clones share the cache).
    pub fn tokens(&self) -> &InstallationTokens {
        &self.tokens
    }

    /// A token for `installation`: [`InstallationTokens::token`].
    pub async fn installation_token(&self, installation: u64) -> Result<SecretString, AppError> {
        self.tokens.token(installation).await
    }
}
