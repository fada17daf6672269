//! [`EnterpriseClient`]: `POST /enterprises/{enterprise}/credential-authorizations/revoke-all`,
//! and its seven siblings ([`EnterpriseClient::revoke`] with a [`Target`]): one credential type,
//! one user, or both, in an enterprise or an organization.
//!
//! High impact: revoke-all revokes every credential authorization in the enterprise and, with
//! `revoke_credentials` on an Enterprise Managed Users (EMU) enterprise, destroys members'
//! personal access tokens and SSH keys. The token making the call may be revoked too.
//!
//! All eight calls share one answer path ([`EnterpriseClient::revoke`]): any 2xx is success, an
//! unreadable success body is a note, a timeout or 5xx after sending is an unknown outcome.

use std::time::{Duration, SystemTime};

use gh_revoke_api::hooks::{Operation, Settings};
use gh_revoke_api::types;
use gh_revoke_api::{ByteStream, Error, ErrorAnswer, ResponseValue};
use reqwest::header::HeaderMap;
use schemars::JsonSchema;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::http::{ApiBase, ClientError, RateLimit};
use crate::input::scrub;

mod target;
pub use target::{CredentialType, RevocationReport, Scope, Target};

/// Calls revoke-all and its siblings with an enterprise or organization owner's token
/// ([`OrgClient`] is the same client).
///
/// The token is held as a [`SecretString`] (redacted `Debug`, zeroized on drop) and sent only to
/// the configured base URL: the transport follows no redirects, so it can never be replayed to
/// another host.
#[derive(Debug)]
pub struct EnterpriseClient {
    api: gh_revoke_api::Client,
    base: ApiBase,
}

/// Builds an [`EnterpriseClient`] (the same shape as [`crate::RevokeClientBuilder`]).
#[derive(Debug)]
pub struct EnterpriseClientBuilder {
    base: ApiBase,
    token: SecretString,
    user_agent: Option<String>,
    api_version: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
}

impl EnterpriseClientBuilder {
    /// Send `User-Agent: user_agent` (default `gh-revoke/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Send this `X-GitHub-Api-Version` (default `2022-11-28`).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Give up waiting for the answer after this long (default 30 s). The request is never
    /// retried: a timeout after sending leaves the outcome unknown
    /// ([`EnterpriseError::OutcomeUnknown`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Give up connecting after this long (default 10 s); nothing was sent then.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Build the client. Never panics (the TLS provider is installed on the way).
    pub fn build(self) -> Result<EnterpriseClient, ClientError> {
        let mut settings = Settings::default()
            .with_bearer_token(self.token.expose_secret())
            .map_err(ClientError::header("the token"))?;
        if let Some(agent) = &self.user_agent {
            settings = settings
                .with_user_agent(agent)
                .map_err(ClientError::header("the User-Agent"))?;
        }
        if let Some(version) = &self.api_version {
            for operation in REVOCATIONS {
                settings = settings
                    .with_api_version(operation, version)
                    .map_err(ClientError::header("the API version"))?;
            }
        }
        let http = gh_revoke_api::transport::client_builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(ClientError::transport)?;
        Ok(EnterpriseClient {
            api: gh_revoke_api::Client::new_with_client(self.base.as_str(), http, settings),
            base: self.base,
        })
    }
}

/// What GitHub answered (any 2xx: the revocation was queued).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RevokeAllReport {
    /// The API base URL the call went to.
    pub api_url: String,
    /// The enterprise slug.
    pub enterprise: String,
    /// The HTTP status (202 as documented; any 2xx is success).
    pub status: u16,
    /// Whether members' PATs and SSH keys were also to be destroyed (EMU only).
    pub revoke_credentials: bool,
    /// GitHub's `message`.
    pub message: Option<String>,
    /// GitHub's `warning` (present when the calling token may itself be revoked).
    pub warning: Option<String>,
    /// Set when the success answer's body could not be read: the revocation is still queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The same client, for organization owners: [`EnterpriseClient::revoke`] with a
/// [`Target::org`].
pub type OrgClient = EnterpriseClient;

/// Builds an [`OrgClient`].
pub type OrgClientBuilder = EnterpriseClientBuilder;

/// The eight credential-authorization operations this client calls.
const REVOCATIONS: [Operation; 8] = [
    Operation::EnterpriseRevokeAll,
    Operation::EnterpriseRevokeCredentialType,
    Operation::EnterpriseRevokeUser,
    Operation::EnterpriseRevokeUserCredentialType,
    Operation::OrgRevokeAll,
    Operation::OrgRevokeCredentialType,
    Operation::OrgRevokeUser,
    Operation::OrgRevokeUserCredentialType,
];

/// Why a revocation (revoke-all or a sibling) did not happen. Messages say what to do and never contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnterpriseError {
    /// The slug cannot be an enterprise slug.
    #[error(
        "{0:?} is not an enterprise slug (letters, digits and '-', as in github.com/enterprises/SLUG)"
    )]
    InvalidSlug(String),
    /// An organization or user login that cannot be one.
    #[error("{name:?} is not a valid {what} (letters, digits, '-' and '_'); nothing was sent")]
    InvalidName {
        /// What the name was for (`organization`, `user login`).
        what: &'static str,
        /// The name given (scrubbed).
        name: String,
    },
    /// Destroying credentials was asked where it cannot happen (refused before sending).
    #[error("refused (nothing was sent): {reason}")]
    CannotDestroy {
        /// Why, and what to do instead.
        reason: &'static str,
    },
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
         admin:enterprise scope{}",
        detail(.message),
        scopes(.accepted_scopes, .token_scopes)
    )]
    Forbidden {
        /// GitHub's message.
        message: String,
        /// `x-accepted-oauth-scopes`: the scopes the endpoint accepts.
        accepted_scopes: Option<String>,
        /// `x-oauth-scopes`: the scopes the token has.
        token_scopes: Option<String>,
    },
    /// 403 on an organization call, not caused by a rate limit.
    #[error(
        "forbidden (403{}): the token must belong to an owner of organization {org:?}, and \
         classic PATs and OAuth tokens need the admin:org scope{}",
        detail(.message),
        scopes(.accepted_scopes, .token_scopes)
    )]
    OrgForbidden {
        /// The organization.
        org: String,
        /// GitHub's message.
        message: String,
        /// `x-accepted-oauth-scopes`: the scopes the endpoint accepts.
        accepted_scopes: Option<String>,
        /// `x-oauth-scopes`: the scopes the token has.
        token_scopes: Option<String>,
    },
    /// 403 with `x-github-sso`: the token is not authorized for the organization's SAML SSO.
    #[error(
        "forbidden (403{}): the token is not authorized for SAML single sign-on; authorize it \
         at {} and run again",
        detail(.message),
        .url.as_deref().unwrap_or("GitHub's token settings (Configure SSO)")
    )]
    SsoRequired {
        /// GitHub's message.
        message: String,
        /// Where to authorize the token, as `x-github-sso` gave it.
        url: Option<String>,
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
    /// 404 on a call other than enterprise revoke-all.
    #[error(
        "not found (404{}): no {target}, or the token's owner cannot see it: check the names",
        detail(.message)
    )]
    TargetNotFound {
        /// What was asked for, e.g. `user "octocat" in organization "acme"`.
        target: String,
        /// GitHub's message.
        message: String,
    },
    /// 422 `first_emu_owner`: GitHub never revokes the first EMU owner's credentials.
    #[error(
        "refused (422{}): the first owner of an Enterprise Managed Users enterprise cannot be \
         targeted for credential revocation; revoke this user's credentials by hand, or \
         target another user",
        detail(.message)
    )]
    FirstEmuOwner {
        /// GitHub's message.
        message: String,
    },
    /// 422 `invalid_credential_type`.
    #[error(
        "refused (422{}): GitHub did not accept the credential type; use one of classic_pat, \
         fine_grained_pat, ssh_key, oauth_app_token",
        detail(.message)
    )]
    InvalidCredentialType {
        /// GitHub's message.
        message: String,
    },
    /// Any other 422.
    #[error("refused (422{}): GitHub could not process the request", detail(.message))]
    Unprocessable {
        /// GitHub's message.
        message: String,
    },
    /// 422 `non_emu_enterprise` (GitHub documents this for `revoke_credentials` on a non-EMU
    /// enterprise).
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
    /// The request was not sent (could not connect): nothing happened.
    #[error("could not reach GitHub (nothing was sent): {0}")]
    Network(String),
    /// The request was sent but no answer came in time, or GitHub answered 5xx: the
    /// revocation may or may not have been queued.
    #[error(
        "the outcome is unknown ({reason}): the request was sent, and GitHub may have queued \
         the revocation; check {audit_log} before running again"
    )]
    OutcomeUnknown {
        /// What happened (scrubbed).
        reason: String,
        /// Where to look, e.g. `the enterprise audit log (action
        /// credential_authorization.revoke_all)`.
        audit_log: String,
    },
}

fn scopes(accepted: &Option<String>, token: &Option<String>) -> String {
    match (accepted, token) {
        (None, None) => String::new(),
        (accepted, token) => format!(
            " (the endpoint accepts scopes: {}; the token has: {})",
            accepted.as_deref().unwrap_or("not said"),
            token.as_deref().filter(|s| !s.is_empty()).unwrap_or("none")
        ),
    }
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
    /// A builder for a client for `base` authenticating with `token`.
    pub fn builder(base: ApiBase, token: SecretString) -> EnterpriseClientBuilder {
        EnterpriseClientBuilder {
            base,
            token,
            user_agent: None,
            api_version: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        }
    }

    /// A client with default settings for `base` authenticating with `token`.
    pub fn new(base: ApiBase, token: SecretString) -> Result<Self, ClientError> {
        Self::builder(base, token).build()
    }

    /// The API base URL this client sends to.
    pub fn api_base(&self) -> &ApiBase {
        &self.base
    }

    /// Revoke every credential authorization in `enterprise`; with `revoke_credentials`
    /// (EMU enterprises only), also destroy members' PATs and SSH keys.
    ///
    /// Sent once, never retried: the operation is queued by GitHub and there is no status to
    /// poll. Any 2xx is success (an unreadable body is a [`RevokeAllReport::note`]).
    pub async fn revoke_all(
        &self,
        enterprise: &str,
        revoke_credentials: bool,
    ) -> Result<RevokeAllReport, EnterpriseError> {
        let target = Target::enterprise(enterprise).revoke_credentials(revoke_credentials);
        let report = self.revoke(&target).await?;
        Ok(RevokeAllReport {
            api_url: report.api_url,
            enterprise: report.name,
            status: report.status,
            revoke_credentials,
            message: report.message,
            warning: report.warning,
            note: report.note,
        })
    }

    /// Revoke what `target` names: every credential authorization, one credential type's, one
    /// user's, or one user's of one type, in an enterprise or an organization (with
    /// [`Target::revoke_credentials`], enterprise EMU only, the credentials are destroyed too).
    ///
    /// The one answer path of all eight operations. Sent once, never retried: GitHub queues the
    /// work and there is no status to poll. Any 2xx is success (an unreadable body is a
    /// [`RevocationReport::note`]); a timeout or 5xx after sending is
    /// [`EnterpriseError::OutcomeUnknown`]. Nothing is sent when [`Target::validate`] fails.
    pub async fn revoke(&self, target: &Target) -> Result<RevocationReport, EnterpriseError> {
        target.validate()?;
        let operation = target.operation();
        tracing::info!(
            scope = target.scope().kind(),
            name = target.scope().name(),
            user = target.login(),
            credential_type = target.kind().map(CredentialType::as_str),
            revoke_credentials = target.destroys_credentials(),
            operation = operation.operation_id(),
            "revoking credential authorizations"
        );
        let success =
            |status: u16, message: Option<String>, warning: Option<String>| RevocationReport {
                api_url: self.base.to_string(),
                operation: operation.operation_id().to_owned(),
                scope: target.scope().kind().to_owned(),
                name: target.scope().name().to_owned(),
                user: target.login().map(str::to_owned),
                credential_type: target.kind(),
                revoke_credentials: target.destroys_credentials(),
                description: target.describe(),
                status,
                message: message.map(|m| scrub(&m)),
                warning: warning.map(|w| scrub(&w)),
                note: None,
            };
        match self.send(target).await {
            Ok((status, message, warning)) => Ok(success(status, message, warning)),
            // Only a success status is decoded (every error status comes back raw), so this is
            // a 2xx whose body was not what the description says: still queued.
            Err(Error::InvalidResponsePayload(bytes, _)) => {
                let mut report = success(202, None, None);
                report.note = Some(format!(
                    "GitHub accepted the request, but its answer could not be read: {}",
                    scrub(
                        &String::from_utf8_lossy(&bytes)
                            .chars()
                            .take(160)
                            .collect::<String>()
                    )
                ));
                Ok(report)
            }
            // An error status (any body) or any other status: both are answers.
            Err(error @ (Error::ErrorResponse(_) | Error::UnexpectedResponse(_))) => {
                let answer = match ErrorAnswer::read(error).await {
                    Ok(answer) => answer,
                    Err(other) => {
                        return Err(EnterpriseError::Network(scrub(&gh_revoke_api::describe(
                            &other,
                        ))));
                    }
                };
                let status = answer.status().as_u16();
                if (200..300).contains(&status) {
                    let value = serde_json::from_slice::<serde_json::Value>(answer.body()).ok();
                    let field = |name: &str| {
                        value
                            .as_ref()
                            .and_then(|v| v.get(name))
                            .and_then(|m| m.as_str())
                            .map(str::to_owned)
                    };
                    let mut report = success(status, field("message"), field("warning"));
                    if value.is_none() && !answer.body().is_empty() {
                        report.note = Some(
                            "GitHub accepted the request, but its answer could not be read"
                                .to_owned(),
                        );
                    }
                    return Ok(report);
                }
                let message = answer.message().unwrap_or_else(|| {
                    String::from_utf8_lossy(answer.body())
                        .chars()
                        .take(160)
                        .collect::<String>()
                });
                Err(by_status(
                    target,
                    status,
                    answer.headers(),
                    scrub(message.trim()),
                ))
            }
            Err(Error::CommunicationError(err)) | Err(Error::ResponseBodyError(err))
                if !err.is_connect() =>
            {
                Err(EnterpriseError::OutcomeUnknown {
                    reason: scrub(&if err.is_timeout() {
                        "no answer before the timeout".to_owned()
                    } else {
                        err.to_string()
                    }),
                    audit_log: audit_log(target),
                })
            }
            Err(Error::CommunicationError(err)) | Err(Error::ResponseBodyError(err)) => {
                Err(EnterpriseError::Network(scrub(&err.to_string())))
            }
            Err(other) => Err(EnterpriseError::Network(scrub(&other.to_string()))),
        }
    }

    /// Make the one generated call `target` names; a success is `(status, message, warning)`.
    async fn send(&self, target: &Target) -> Result<Queued, Error<ByteStream>> {
        let api = &self.api;
        let revoke_credentials = target.destroys_credentials();
        match (target.scope(), target.login(), target.kind()) {
            (Scope::Enterprise { slug }, None, None) => queued(
                api.enterprise_admin_revoke_all_credential_authorizations(
                    slug,
                    &types::EnterpriseAdminRevokeAllCredentialAuthorizationsBody {
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Enterprise { slug }, None, Some(kind)) => queued(
                api.enterprise_admin_revoke_credential_type_for_enterprise(
                    slug,
                    &types::EnterpriseAdminRevokeCredentialTypeForEnterpriseBody {
                        credential_type: kind.api(),
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Enterprise { slug }, Some(user), None) => queued(
                api.enterprise_admin_revoke_credential_authorizations_for_user(
                    slug,
                    user,
                    &types::EnterpriseAdminRevokeCredentialAuthorizationsForUserBody {
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Enterprise { slug }, Some(user), Some(kind)) => queued(
                api.enterprise_admin_revoke_credential_type_for_user(
                    slug,
                    user,
                    &types::EnterpriseAdminRevokeCredentialTypeForUserBody {
                        credential_type: kind.api(),
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Org { org }, None, None) => {
                queued(api.orgs_revoke_all_credential_authorizations(org).await)
            }
            (Scope::Org { org }, None, Some(kind)) => queued(
                api.orgs_revoke_credential_type(
                    org,
                    &types::OrgsRevokeCredentialTypeBody {
                        credential_type: kind.api(),
                    },
                )
                .await,
            ),
            (Scope::Org { org }, Some(user), None) => queued(
                api.orgs_revoke_credential_authorizations_for_user(org, user)
                    .await,
            ),
            (Scope::Org { org }, Some(user), Some(kind)) => queued(
                api.orgs_revoke_credential_type_for_user(
                    org,
                    user,
                    &types::OrgsRevokeCredentialTypeForUserBody {
                        credential_type: kind.api(),
                    },
                )
                .await,
            ),
        }
    }
}

/// A success answer: status, GitHub's `message` and `warning`.
type Queued = (u16, Option<String>, Option<String>);

/// The `{message, warning}` every revocation answers with (eight generated types, one shape).
trait QueuedAnswer {
    fn into_parts(self) -> (Option<String>, Option<String>);
}

macro_rules! queued_answer {
    ($($name:ident),* $(,)?) => {$(
        impl QueuedAnswer for types::$name {
            fn into_parts(self) -> (Option<String>, Option<String>) {
                (self.message, self.warning)
            }
        }
    )*};
}

queued_answer!(
    EnterpriseAdminRevokeAllCredentialAuthorizationsResponse,
    EnterpriseAdminRevokeCredentialTypeForEnterpriseResponse,
    EnterpriseAdminRevokeCredentialAuthorizationsForUserResponse,
    EnterpriseAdminRevokeCredentialTypeForUserResponse,
    OrgsRevokeAllCredentialAuthorizationsResponse,
    OrgsRevokeCredentialTypeResponse,
    OrgsRevokeCredentialAuthorizationsForUserResponse,
    OrgsRevokeCredentialTypeForUserResponse,
);

// The generated client's own error type, passed straight on to `revoke`.
#[allow(clippy::result_large_err)]
fn queued<T: QueuedAnswer>(
    result: Result<ResponseValue<T>, Error<ByteStream>>,
) -> Result<Queued, Error<ByteStream>> {
    result.map(|response| {
        let status = response.status().as_u16();
        let (message, warning) = response.into_inner().into_parts();
        (status, message, warning)
    })
}

/// Where an owner checks whether a revocation whose answer was lost was queued.
fn audit_log(target: &Target) -> String {
    match (target.scope(), target.operation()) {
        (_, Operation::EnterpriseRevokeAll) => {
            "the enterprise audit log (action credential_authorization.revoke_all)".to_owned()
        }
        (Scope::Enterprise { .. }, _) => {
            "the enterprise audit log (credential_authorization actions)".to_owned()
        }
        (Scope::Org { .. }, _) => {
            "the organization audit log (credential_authorization actions)".to_owned()
        }
    }
}

#[cfg(test)]
fn validate_slug(slug: &str) -> Result<(), EnterpriseError> {
    Target::enterprise(slug).validate()
}

fn by_status(
    target: &Target,
    status: u16,
    headers: &HeaderMap,
    message: String,
) -> EnterpriseError {
    let now = SystemTime::now();
    let rate = RateLimit::from_headers(headers, now);
    let lower = message.to_ascii_lowercase();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| scrub(v.trim()))
    };
    let rate_limited = status == 429
        || (status == 403
            && (rate.retry_after.is_some()
                || rate.is_exhausted()
                || lower.contains("rate limit")
                || lower.contains("abuse")));
    if rate_limited {
        let retry_after = rate.retry_after.or_else(|| rate.reset_wait(now));
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
        // `X-GitHub-SSO: required; url=https://github.com/orgs/ORG/sso?authorization_request=...`
        // (GitHub docs, "Authenticating to the REST API": SAML SSO and the X-GitHub-SSO header).
        403 if headers.contains_key("x-github-sso") => EnterpriseError::SsoRequired {
            message,
            // The URL is GitHub's own; only credential-shaped text is redacted from it.
            url: headers
                .get("x-github-sso")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.split(';').find_map(|part| {
                        part.trim()
                            .strip_prefix("url=")
                            .map(crate::input::scrub_credentials)
                    })
                }),
        },
        403 => match target.scope() {
            Scope::Enterprise { .. } => EnterpriseError::Forbidden {
                message,
                accepted_scopes: header("x-accepted-oauth-scopes"),
                token_scopes: header("x-oauth-scopes"),
            },
            Scope::Org { org } => EnterpriseError::OrgForbidden {
                org: org.clone(),
                message,
                accepted_scopes: header("x-accepted-oauth-scopes"),
                token_scopes: header("x-oauth-scopes"),
            },
        },
        404 => match (target.scope(), target.login()) {
            (Scope::Enterprise { slug }, None) => EnterpriseError::NotFound {
                enterprise: slug.clone(),
                message,
            },
            (scope, login) => EnterpriseError::TargetNotFound {
                target: match login {
                    Some(login) => format!("user {login:?} in {} {:?}", scope.kind(), scope.name()),
                    None => format!("{} {:?}", scope.kind(), scope.name()),
                },
                message,
            },
        },
        422 => unprocessable(target, &lower, message),
        500..=599 => EnterpriseError::OutcomeUnknown {
            reason: format!("GitHub answered {status}{}", detail(&message)),
            audit_log: audit_log(target),
        },
        _ => EnterpriseError::Status { status, message },
    }
}

/// GitHub's 422 answers are a plain `{message}` with no code, so the case is told by the message
/// text of the examples the description names `first_emu_owner`, `invalid_credential_type` and
/// `non_emu_enterprise` (vendored fragment, 422 examples; the same texts on docs.github.com,
/// enterprise-cloud@latest/rest/enterprise-admin/credential-authorizations).
fn unprocessable(target: &Target, lower: &str, message: String) -> EnterpriseError {
    if lower.contains("first emu owner") {
        EnterpriseError::FirstEmuOwner { message }
    } else if lower.contains("credential_type") {
        EnterpriseError::InvalidCredentialType { message }
    } else if lower.contains("revoke_credentials")
        || lower.contains("enterprise managed user")
        || lower.contains("emu")
        // The only 422 revoke-all documents.
        || target.operation() == Operation::EnterpriseRevokeAll
    {
        EnterpriseError::NotEmu { message }
    } else {
        EnterpriseError::Unprocessable { message }
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
    fn sso_and_scopes_are_named() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-github-sso",
            "required; url=https://github.com/orgs/acme/sso?authorization_request=abc"
                .parse()
                .unwrap(),
        );
        let sso = by_status(
            &Target::enterprise("acme"),
            403,
            &h,
            "Resource protected by SAML".into(),
        )
        .to_string();
        assert!(
            sso.contains("https://github.com/orgs/acme/sso?authorization_request=abc"),
            "{sso}"
        );
        let mut h = HeaderMap::new();
        h.insert(
            "x-accepted-oauth-scopes",
            "admin:enterprise".parse().unwrap(),
        );
        h.insert("x-oauth-scopes", "repo, read:org".parse().unwrap());
        let scopes = by_status(&Target::enterprise("acme"), 403, &h, String::new()).to_string();
        assert!(
            scopes.contains("accepts scopes: admin:enterprise; the token has: repo, read:org"),
            "{scopes}"
        );
    }

    #[test]
    fn each_documented_422_is_told_apart_by_its_text() {
        let user = Target::enterprise("acme")
            .user("octocat")
            .credential_type(CredentialType::ClassicPat);
        let h = HeaderMap::new();
        // The fragment's example messages.
        let first = by_status(
            &user,
            422,
            &h,
            "The first EMU owner cannot be targeted for credential revocation.".into(),
        );
        assert!(
            matches!(first, EnterpriseError::FirstEmuOwner { .. }),
            "{first:?}"
        );
        let kind = by_status(
            &user,
            422,
            &h,
            "The `credential_type` parameter is required and must be one of: classic_pat, \
             fine_grained_pat, ssh_key, oauth_app_token"
                .into(),
        );
        assert!(
            matches!(kind, EnterpriseError::InvalidCredentialType { .. }),
            "{kind:?}"
        );
        let emu = by_status(
            &user,
            422,
            &h,
            "The `revoke_credentials` option is only available for Enterprise Managed User \
             (EMU) enterprises"
                .into(),
        );
        assert!(matches!(emu, EnterpriseError::NotEmu { .. }), "{emu:?}");
        let other = by_status(&Target::org("acme"), 422, &h, "Something else".into());
        assert!(
            matches!(other, EnterpriseError::Unprocessable { .. }),
            "{other:?}"
        );
    }

    #[test]
    fn organization_answers_name_org_ownership_and_admin_org() {
        let h = HeaderMap::new();
        let forbidden = by_status(&Target::org("acme"), 403, &h, "Must be an owner".into());
        let text = forbidden.to_string();
        assert!(
            text.contains("admin:org") && text.contains("owner of organization \"acme\""),
            "{text}"
        );
        let missing = by_status(&Target::org("acme").user("octocat"), 404, &h, String::new());
        assert!(
            missing
                .to_string()
                .contains("user \"octocat\" in organization \"acme\""),
            "{missing}"
        );
        let unknown = by_status(&Target::org("acme"), 503, &h, String::new());
        assert!(
            unknown.to_string().contains("organization audit log"),
            "{unknown}"
        );
    }

    #[test]
    fn messages_name_the_fix() {
        let forbidden = by_status(
            &Target::enterprise("acme"),
            403,
            &HeaderMap::new(),
            "Must be an owner".into(),
        );
        assert!(forbidden.to_string().contains("admin:enterprise"));
        let not_emu = by_status(
            &Target::enterprise("acme"),
            422,
            &HeaderMap::new(),
            String::new(),
        );
        assert!(not_emu.to_string().contains("EMU"));
        let missing = by_status(
            &Target::enterprise("acme"),
            404,
            &HeaderMap::new(),
            "Not Found".into(),
        );
        assert!(missing.to_string().contains("\"acme\""));
    }
}
