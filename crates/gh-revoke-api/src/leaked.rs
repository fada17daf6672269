//! [`LeakedTokenClient`]: the only way to authenticate with a leaked credential.

use progenitor_client::{ByteStream, Error, ResponseValue};

use crate::hooks::{InvalidHeader, Settings, TokenRole};
use crate::{Client, types};

/// A client authenticated by a **leaked** credential, for the two calls that use a credential
/// on itself and nothing else:
/// - [`revoke_installation_token`](Self::revoke_installation_token): an installation token
///   (`ghs_`) revokes itself (`DELETE /installation/token`: 204 revoked, 401 already dead);
/// - [`rate_limit`](Self::rate_limit): `GET /rate_limit`, which does not count against the rate
///   limit, proves the credential alive (200) or dead (401).
///
/// It has no other method, and its token is sent with these two operations only
/// ([`crate::hooks::Operation::accepts`] with [`TokenRole::Leaked`]): a leaked credential cannot
/// be used to list alerts or administer anything, and the caller's own token (given to a
/// general [`Client`] with [`Settings::with_bearer_token`]) is never sent to
/// `DELETE /installation/token`.
///
/// `Debug` never shows the credential.
#[derive(Debug, Clone)]
pub struct LeakedTokenClient {
    api: Client,
}

impl LeakedTokenClient {
    /// A client for `base_url` (e.g. `https://api.github.com`) over `http` (build it with
    /// [`crate::transport::client_builder`]) that authenticates with `leaked_token`.
    /// `settings` gives the User-Agent and API versions; a token in it is replaced.
    ///
    /// The error never contains the token.
    pub fn new(
        base_url: &str,
        http: reqwest::Client,
        settings: Settings,
        leaked_token: &str,
    ) -> Result<Self, InvalidHeader> {
        let settings = settings.with_token(TokenRole::Leaked, leaked_token)?;
        Ok(Self {
            api: Client::new_with_client(base_url, http, settings),
        })
    }

    /// `DELETE /installation/token`: revoke the installation token this client holds.
    ///
    /// The description declares only 204; every other status (401 for a token already dead or
    /// not an installation token, 403, 429 …) is `Error::UnexpectedResponse`, which
    /// [`crate::ErrorAnswer::read`] turns into status, headers and body.
    pub async fn revoke_installation_token(&self) -> Result<ResponseValue<()>, Error<()>> {
        self.api.apps_revoke_installation_access_token().await
    }

    /// `GET /rate_limit` with the credential this client holds: 200 means it authenticates
    /// (it is alive), 401 that it does not.
    pub async fn rate_limit(
        &self,
    ) -> Result<ResponseValue<types::RateLimitOverview>, Error<ByteStream>> {
        self.api.rate_limit_get().await
    }
}
