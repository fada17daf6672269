//! Reading an error answer: which [`EnterpriseError`] a status, its headers and GitHub's message
//! mean, and where to look when the outcome is unknown.

use gh_revoke_api::hooks::Operation;

use super::error::{EnterpriseError, detail};
use super::target::{Scope, Target};
use crate::http::answer::{Connection, Failure};
use crate::input::scrub;

/// Where an owner checks whether a revocation whose answer was lost was queued.
pub(super) fn audit_log(target: &Target) -> String {
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

/// What `failure` means for `target` (an answer that is not a success, or no answer).
pub(super) fn by_status(target: &Target, failure: Failure) -> EnterpriseError {
    let (answer, message) = match failure {
        Failure::RateLimited { status, wait, said } => {
            return EnterpriseError::RateLimited {
                status,
                message: said,
                retry_after: wait,
            };
        }
        Failure::Redirect { status, location } => {
            return EnterpriseError::Redirect { status, location };
        }
        // A change sent and answered 5xx may or may not have been queued.
        Failure::ServerError { status, said } => {
            return EnterpriseError::OutcomeUnknown {
                reason: format!("GitHub answered {status}{}", detail(&said)),
                audit_log: audit_log(target),
            };
        }
        // Never connected, or never built: nothing was sent.
        Failure::Connection {
            kind: Connection::Connect,
            message,
        }
        | Failure::Unsent { message } => return EnterpriseError::Network(message),
        // Sent, and no answer came: it may have been queued.
        Failure::Connection { kind, message } => {
            return EnterpriseError::OutcomeUnknown {
                reason: if kind == Connection::Timeout {
                    "no answer before the timeout".to_owned()
                } else {
                    message
                },
                audit_log: audit_log(target),
            };
        }
        // The client answers every 2xx as queued before it asks (`client.rs`).
        Failure::UnreadableSuccess { message, .. } => {
            return EnterpriseError::Status {
                status: 200,
                message,
            };
        }
        Failure::UndocumentedSuccess { answer, said } | Failure::Status { answer, said } => {
            (answer, said)
        }
    };
    let status = answer.status().as_u16();
    let headers = answer.headers();
    let lower = message.to_ascii_lowercase();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| scrub(v.trim()))
    };
    match status {
        401 => EnterpriseError::Unauthorized { message },
        // `X-GitHub-SSO: required; url=https://github.com/orgs/ORG/sso?authorization_request=...`
        // (GitHub docs, "Authenticating to the REST API": SAML SSO and the X-GitHub-SSO header).
        403 if headers.contains_key("x-github-sso") => {
            EnterpriseError::SsoRequired {
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
            }
        }
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
