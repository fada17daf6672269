//! Building a client's transport and headers: the one place every client's builder sets up
//! the generated client's [`Settings`] and its `reqwest::Client` (no redirects, timeouts).

use std::time::Duration;

use gh_revoke_api::hooks::{Operation, Settings};
use secrecy::{ExposeSecret, SecretString};

use super::ClientError;

/// Header settings: the caller's token (never for an anonymous client), a `User-Agent`, and
/// the `X-GitHub-Api-Version` for each of `operations`. Errors name the setting, never its
/// value.
pub(crate) fn settings(
    token: Option<&SecretString>,
    user_agent: Option<&str>,
    api_version: Option<&str>,
    operations: &[Operation],
) -> Result<Settings, ClientError> {
    let mut settings = Settings::default();
    if let Some(token) = token {
        settings = settings
            .with_bearer_token(token.expose_secret())
            .map_err(ClientError::header("the token"))?;
    }
    if let Some(agent) = user_agent {
        settings = settings
            .with_user_agent(agent)
            .map_err(ClientError::header("the User-Agent"))?;
    }
    if let Some(version) = api_version {
        for &operation in operations {
            settings = settings
                .with_api_version(operation, version)
                .map_err(ClientError::header("the API version"))?;
        }
    }
    Ok(settings)
}

/// The HTTP client every gh-revoke client runs on: the generated crate's transport (rustls, no
/// redirects, no default headers) with these timeouts.
pub(crate) fn http(
    timeout: Duration,
    connect_timeout: Duration,
) -> Result<reqwest::Client, ClientError> {
    gh_revoke_api::transport::client_builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .build()
        .map_err(ClientError::transport)
}
