//! What GitHub answered to a revocation: [`RevocationReport`], and [`RevokeAllReport`] for
//! [`super::EnterpriseClient::revoke_all`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::EnterpriseError;
use super::target::{CredentialType, Target};
use crate::http::{ApiBase, ErrorReport};
use crate::input::scrub;

/// What GitHub answered to one revocation (any 2xx: it was queued), or, with `error`, why it
/// did not succeed ([`RevocationReport::failed`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RevocationReport {
    /// The API base URL the call went to.
    pub api_url: String,
    /// GitHub's operation id, e.g. `orgs/revoke-credential-type-for-user`.
    pub operation: String,
    /// `enterprise` or `organization`.
    pub scope: String,
    /// The enterprise slug or organization login.
    pub name: String,
    /// The user whose authorizations were revoked, if only one user's.
    pub user: Option<String>,
    /// The credential type revoked, if only one type.
    pub credential_type: Option<CredentialType>,
    /// Whether the credentials themselves were also to be destroyed (enterprise, EMU only).
    pub revoke_credentials: bool,
    /// What was revoked, in words.
    pub description: String,
    /// The HTTP status (202 as documented; any 2xx is success). With `error`: the error's
    /// status, or 0 when no answer came.
    pub status: u16,
    /// GitHub's `message`.
    pub message: Option<String>,
    /// GitHub's `warning` (present when the calling token may itself be revoked).
    pub warning: Option<String>,
    /// Set when the success answer's body could not be read: the revocation is still queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why the revocation did not succeed: its kind, GitHub's status and message, and what was
    /// done (`nothing`, or `unknown` after a timeout or a 5xx). Absent on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
}

/// What GitHub answered (any 2xx: the revocation was queued), or, with `error`, why it did not
/// succeed ([`RevokeAllReport::failed`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RevokeAllReport {
    /// The API base URL the call went to.
    pub api_url: String,
    /// The enterprise slug.
    pub enterprise: String,
    /// The HTTP status (202 as documented; any 2xx is success). With `error`: the error's
    /// status, or 0 when no answer came.
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
    /// Why the revocation did not succeed: its kind, GitHub's status and message, and what was
    /// done (`nothing`, or `unknown` after a timeout or a 5xx). Absent on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
}

impl RevocationReport {
    /// The report of `target`'s revocation at `api` that ended in `error`: what was asked,
    /// with `error` set (and `status` and `message` from it).
    pub fn failed(api: &ApiBase, target: &Target, error: &EnterpriseError) -> Self {
        let error = error.report();
        Self {
            api_url: api.to_string(),
            operation: target.operation().operation_id().to_owned(),
            scope: target.scope().kind().to_owned(),
            name: scrub(target.scope().name()),
            user: target.login().map(scrub),
            credential_type: target.kind(),
            revoke_credentials: target.destroys_credentials(),
            description: scrub(&target.describe()),
            status: error.status.unwrap_or(0),
            message: error.message.clone(),
            warning: None,
            note: None,
            error: Some(error),
        }
    }
}

impl RevokeAllReport {
    /// The report of an enterprise revoke-all at `api` that ended in `error`: what was asked,
    /// with `error` set (and `status` and `message` from it).
    pub fn failed(
        api: &ApiBase,
        enterprise: &str,
        revoke_credentials: bool,
        error: &EnterpriseError,
    ) -> Self {
        let error = error.report();
        Self {
            api_url: api.to_string(),
            enterprise: scrub(enterprise),
            status: error.status.unwrap_or(0),
            revoke_credentials,
            message: error.message.clone(),
            warning: None,
            note: None,
            error: Some(error),
        }
    }
}
