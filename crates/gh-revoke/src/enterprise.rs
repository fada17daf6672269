//! [`EnterpriseClient`]: `POST /enterprises/{enterprise}/credential-authorizations/revoke-all`.
//!
//! High impact: it revokes every credential authorization in the enterprise and, with
//! `revoke_credentials` on an Enterprise Managed Users (EMU) enterprise, destroys members'
//! personal access tokens and SSH keys. The token making the call may be revoked too.

use std::time::{Duration, SystemTime};

use gh_revoke_api::hooks::{Operation, Settings};
use gh_revoke_api::types::EnterpriseAdminRevokeAllCredentialAuthorizationsBody as Body;
use gh_revoke_api::{Error, ErrorAnswer};
use reqwest::header::HeaderMap;
use schemars::JsonSchema;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::http::{ApiBase, ClientError, RateLimit};
use crate::input::scrub;

/// Calls revoke-all with an enterprise owner's token.
///
/// The token is held as a [`SecretString`] (redacted `Debug`, zeroized on drop) and sent only to
/// the configured base URL: the transport follows no redirects, so it can never be replayed to
/// another host.
#[derive(Debug)]
pub struct EnterpriseClient {
    api: gh_revoke_api::Client,
}

/// What GitHub answered (202: the revocation was queued).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RevokeAllReport {
    /// The enterprise slug.
    pub enterprise: String,
    /// Whether members' PATs and SSH keys were also to be destroyed (EMU only).
    pub revoke_credentials: bool,
    /// GitHub's `message`.
    pub message: Option<String>,
    /// GitHub's `warning` (present when the calling token may itself be revoked).
    pub warning: Option<String>,
}

/// Why revoke-all did not happen. Messages say what to do and never contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnterpriseError {
    /// The slug cannot be an enterprise slug.
    #[error(
        "{0:?} is not an enterprise slug (letters, digits and '-', as in github.com/enterprises/SLUG)"
    )]
    InvalidSlug(String),
    /// 401.
    #[error("GitHub did not accept the token (401{}): check GH_TOKEN/GITHUB_TOKEN", detail(.message))]
    Unauthorized {
        /// GitHub's message.
        message: String,
    },
    /// 403 not caused by a rate limit.
    #[error(
        "forbidden (403{}): the token must belong to an enterprise owner (or hold \
         write_enterprise_credentials), and classic PATs and OAuth tokens need the \
         admin:enterprise scope",
        detail(.message)
    )]
    Forbidden {
        /// GitHub's message.
        message: String,
    },
    /// 404.
    #[error(
        "no enterprise {enterprise:?} (404{}): check the slug, and that the token's owner can see it",
        detail(.message)
    )]
    NotFound {
        /// The slug asked for.
        enterprise: String,
        /// GitHub's message.
        message: String,
    },
    /// 422 (GitHub documents this for `revoke_credentials` on a non-EMU enterprise).
    #[error(
        "refused (422{}): revoking credentials (--revoke-credentials) is only available for \
         Enterprise Managed User (EMU) enterprises",
        detail(.message)
    )]
    NotEmu {
        /// GitHub's message.
        message: String,
    },
    /// A rate-limit answer.
    #[error("rate limited ({status}{}){}", detail(.message), retry(.retry_after))]
    RateLimited {
        /// The HTTP status.
        status: u16,
        /// GitHub's message.
        message: String,
        /// When to try again, if GitHub said.
        retry_after: Option<Duration>,
    },
    /// A redirect, which is never followed with the token.
    #[error(
        "GitHub answered {status} redirecting to {location}; not followed with the token: check the API URL"
    )]
    Redirect {
        /// The HTTP status.
        status: u16,
        /// Where it pointed (scrubbed).
        location: String,
    },
    /// Any other status.
    #[error("GitHub answered {status}{}", detail(.message))]
    Status {
        /// The HTTP status.
        status: u16,
        /// GitHub's message.
        message: String,
    },
    /// The request did not complete.
    #[error("could not reach GitHub: {0}")]
    Network(String),
    /// A 202 whose body was not what the description says.
    #[error("GitHub's answer could not be read: {0}")]
    InvalidResponse(String),
}

fn detail(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

fn retry(after: &Option<Duration>) -> String {
    after
        .map(|d| format!("; try again in {} s", d.as_secs()))
        .unwrap_or_else(|| "; try again later".to_owned())
}

impl EnterpriseClient {
    /// A client for `base` authenticating with `token`.
    pub fn new(base: &ApiBase, token: SecretString) -> Result<Self, ClientError> {
        Self::with_settings(base, token, Settings::default(), Duration::from_secs(30))
    }

    /// A client with explicit header settings (User-Agent, API version) and request timeout.
    pub fn with_settings(
        base: &ApiBase,
        token: SecretString,
        settings: Settings,
        timeout: Duration,
    ) -> Result<Self, ClientError> {
        let settings = settings.with_bearer_token(token.expose_secret())?;
        let http = gh_revoke_api::transport::client_builder()
            .timeout(timeout)
            .build()
            .map_err(|err| ClientError::Transport(err.to_string()))?;
        Ok(Self {
            api: gh_revoke_api::Client::new_with_client(base.as_str(), http, settings),
        })
    }

    /// Revoke every credential authorization in `enterprise`; with `revoke_credentials`
    /// (EMU enterprises only), also destroy members' PATs and SSH keys.
    ///
    /// Sent once, never retried: the operation is queued by GitHub and there is no status to poll.
    pub async fn revoke_all(
        &self,
        enterprise: &str,
        revoke_credentials: bool,
    ) -> Result<RevokeAllReport, EnterpriseError> {
        validate_slug(enterprise)?;
        let body = Body { revoke_credentials };
        tracing::info!(
            enterprise,
            revoke_credentials,
            operation = Operation::EnterpriseRevokeAll.operation_id(),
            "revoking all credential authorizations"
        );
        match self
            .api
            .enterprise_admin_revoke_all_credential_authorizations(enterprise, &body)
            .await
        {
            Ok(response) => {
                let response = response.into_inner();
                Ok(RevokeAllReport {
                    enterprise: enterprise.to_owned(),
                    revoke_credentials,
                    message: response.message.map(|m| scrub(&m)),
                    warning: response.warning.map(|w| scrub(&w)),
                })
            }
            // A documented error status (any body) or any other status: both are answers.
            Err(error @ (Error::ErrorResponse(_) | Error::UnexpectedResponse(_))) => {
                match ErrorAnswer::read(error).await {
                    Ok(answer) => Err(by_status(
                        enterprise,
                        answer.status().as_u16(),
                        answer.headers(),
                        scrub(&answer.message().unwrap_or_default()),
                    )),
                    Err(other) => Err(EnterpriseError::Network(scrub(&gh_revoke_api::describe(
                        &other,
                    )))),
                }
            }
            // serde's message quotes the unexpected value, which may echo the token.
            Err(Error::InvalidResponsePayload(_, err)) => {
                Err(EnterpriseError::InvalidResponse(scrub(&err.to_string())))
            }
            Err(Error::CommunicationError(err)) | Err(Error::ResponseBodyError(err)) => {
                Err(EnterpriseError::Network(scrub(&err.to_string())))
            }
            Err(other) => Err(EnterpriseError::Network(scrub(&other.to_string()))),
        }
    }
}

fn validate_slug(slug: &str) -> Result<(), EnterpriseError> {
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(EnterpriseError::InvalidSlug(scrub(slug)))
    }
}

fn by_status(
    enterprise: &str,
    status: u16,
    headers: &HeaderMap,
    message: String,
) -> EnterpriseError {
    let rate = RateLimit::from_headers(headers, SystemTime::now());
    let lower = message.to_ascii_lowercase();
    let rate_limited =
        status == 429 || (status == 403 && (rate.is_exhausted() || lower.contains("rate limit")));
    if rate_limited {
        let retry_after = rate
            .retry_after
            .or_else(|| rate.until_reset(SystemTime::now()));
        return EnterpriseError::RateLimited {
            status,
            message,
            retry_after,
        };
    }
    match status {
        300..=399 => EnterpriseError::Redirect {
            status,
            location: scrub(
                headers
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("(no location)"),
            ),
        },
        401 => EnterpriseError::Unauthorized { message },
        403 => EnterpriseError::Forbidden { message },
        404 => EnterpriseError::NotFound {
            enterprise: enterprise.to_owned(),
            message,
        },
        422 => EnterpriseError::NotEmu { message },
        _ => EnterpriseError::Status { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(validate_slug("acme-corp").is_ok());
        assert!(validate_slug("").is_err());
        assert!(validate_slug("a/b").is_err());
        assert!(validate_slug("a b").is_err());
    }

    #[test]
    fn messages_name_the_fix() {
        let forbidden = by_status("acme", 403, &HeaderMap::new(), "Must be an owner".into());
        assert!(forbidden.to_string().contains("admin:enterprise"));
        let not_emu = by_status("acme", 422, &HeaderMap::new(), String::new());
        assert!(not_emu.to_string().contains("EMU"));
        let missing = by_status("acme", 404, &HeaderMap::new(), "Not Found".into());
        assert!(missing.to_string().contains("\"acme\""));
    }
}
