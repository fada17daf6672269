//! What GitHub answered to a revocation: [`RevocationReport`], and [`RevokeAllReport`] for
//! [`super::EnterpriseClient::revoke_all`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::target::CredentialType;

/// What GitHub answered to one revocation (any 2xx: it was queued).
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
    /// The HTTP status (202 as documented; any 2xx is success).
    pub status: u16,
    /// GitHub's `message`.
    pub message: Option<String>,
    /// GitHub's `warning` (present when the calling token may itself be revoked).
    pub warning: Option<String>,
    /// Set when the success answer's body could not be read: the revocation is still queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
