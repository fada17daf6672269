//! [`EnterpriseError`]: why a revocation did not happen, in words that say what to do.

use std::time::Duration;

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
    crate::http::answer::scopes(accepted.as_deref(), token.as_deref())
}

pub(super) fn detail(message: &str) -> String {
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

impl EnterpriseError {
    /// This error as a report object (`--json` prints it): its kind, GitHub's status and
    /// message, and what was done (nothing, or unknown after a timeout or a 5xx).
    pub fn report(&self) -> crate::http::ErrorReport {
        use crate::http::{Done, ErrorKind, ErrorReport};
        let (kind, status, message) = match self {
            Self::InvalidSlug(_) | Self::InvalidName { .. } | Self::CannotDestroy { .. } => {
                (ErrorKind::InvalidInput, None, None)
            }
            Self::Unauthorized { message } => (ErrorKind::Unauthorized, Some(401), Some(message)),
            Self::Forbidden { message, .. } | Self::OrgForbidden { message, .. } => {
                (ErrorKind::Forbidden, Some(403), Some(message))
            }
            Self::SsoRequired { message, .. } => (ErrorKind::SsoRequired, Some(403), Some(message)),
            Self::NotFound { message, .. } | Self::TargetNotFound { message, .. } => {
                (ErrorKind::NotFound, Some(404), Some(message))
            }
            Self::FirstEmuOwner { message }
            | Self::InvalidCredentialType { message }
            | Self::Unprocessable { message }
            | Self::NotEmu { message } => (ErrorKind::Unprocessable, Some(422), Some(message)),
            Self::RateLimited {
                status, message, ..
            } => (ErrorKind::RateLimited, Some(*status), Some(message)),
            Self::Redirect { status, .. } => (ErrorKind::Redirect, Some(*status), None),
            Self::Status { status, message } => (ErrorKind::Status, Some(*status), Some(message)),
            Self::Network(_) => (ErrorKind::Network, None, None),
            Self::OutcomeUnknown { reason, .. } => {
                // A 5xx says so in its reason ("GitHub answered 502: ..."); a timeout has none.
                let status = reason
                    .split_once("answered ")
                    .and_then(|(_, rest)| rest.get(..3))
                    .and_then(|s| s.parse::<u16>().ok())
                    .filter(|s| (500..600).contains(s));
                (ErrorKind::OutcomeUnknown, status, None)
            }
        };
        let done = if kind == ErrorKind::OutcomeUnknown {
            Done::Unknown
        } else {
            Done::Nothing
        };
        let mut report = ErrorReport::new(kind, done, self.to_string());
        report.status = status;
        if let Some(message) = message {
            report = report.with_message(message);
        }
        report
    }
}
