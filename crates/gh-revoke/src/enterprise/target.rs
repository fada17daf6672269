//! [`Target`]: what one credential-authorization revocation reaches: an enterprise or an
//! organization, optionally one user in it, optionally one credential type. Each combination is
//! one GitHub operation ([`Target::operation`]); all eight answer `202 {message, warning}` and go
//! through the same answer handling ([`super::EnterpriseClient::revoke`]).
//!
//! GitHub facts (the vendored fragment's operation descriptions, and docs.github.com
//! "REST API endpoints for enterprise credential authorizations" and "organizations" pages,
//! enterprise-cloud@latest): enterprise calls need an enterprise owner (or
//! `write_enterprise_credentials`), classic PATs `admin:enterprise`; organization calls need an
//! organization owner, classic PATs `admin:org`; `revoke_credentials` exists for enterprise calls
//! only (Enterprise Managed Users enterprises), and "`oauth_app_token` credentials cannot be
//! destroyed; for that type only the credential authorizations are revoked".

use std::fmt;

use gh_revoke_api::hooks::Operation;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::EnterpriseError;
use crate::input::scrub;

/// Where a revocation applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// An enterprise (GitHub Enterprise Cloud), by slug.
    Enterprise {
        /// The enterprise slug (as in github.com/enterprises/SLUG).
        slug: String,
    },
    /// An organization, by login.
    Org {
        /// The organization login (as in github.com/ORG).
        org: String,
    },
}

impl Scope {
    /// The slug or login.
    pub fn name(&self) -> &str {
        match self {
            Scope::Enterprise { slug } => slug,
            Scope::Org { org } => org,
        }
    }

    /// `"enterprise"` or `"organization"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Enterprise { .. } => "enterprise",
            Scope::Org { .. } => "organization",
        }
    }
}

/// A kind of credential GitHub can revoke authorizations of (the `credential_type` field).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CredentialType {
    /// Personal access tokens (classic).
    ClassicPat,
    /// Fine-grained personal access tokens.
    FineGrainedPat,
    /// SSH keys.
    SshKey,
    /// OAuth app tokens (can be de-authorized, never destroyed).
    OauthAppToken,
}

impl CredentialType {
    /// Every type, in GitHub's order.
    pub const ALL: [CredentialType; 4] = [
        CredentialType::ClassicPat,
        CredentialType::FineGrainedPat,
        CredentialType::SshKey,
        CredentialType::OauthAppToken,
    ];

    /// GitHub's name (`classic_pat`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialType::ClassicPat => "classic_pat",
            CredentialType::FineGrainedPat => "fine_grained_pat",
            CredentialType::SshKey => "ssh_key",
            CredentialType::OauthAppToken => "oauth_app_token",
        }
    }

    /// In words, for prompts: "classic PAT", "SSH key", ...
    pub fn noun(self) -> &'static str {
        match self {
            CredentialType::ClassicPat => "classic PAT",
            CredentialType::FineGrainedPat => "fine-grained PAT",
            CredentialType::SshKey => "SSH key",
            CredentialType::OauthAppToken => "OAuth app token",
        }
    }

    pub(super) fn api(self) -> gh_revoke_api::types::CredentialType {
        use gh_revoke_api::types::CredentialType as Api;
        match self {
            CredentialType::ClassicPat => Api::ClassicPat,
            CredentialType::FineGrainedPat => Api::FineGrainedPat,
            CredentialType::SshKey => Api::SshKey,
            CredentialType::OauthAppToken => Api::OauthAppToken,
        }
    }
}

impl fmt::Display for CredentialType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to revoke: built with [`Target::enterprise`] or [`Target::org`], then narrowed with
/// [`Target::user`] and [`Target::credential_type`].
///
/// ```
/// use gh_revoke::{CredentialType, Target};
///
/// let target = Target::enterprise("acme")
///     .user("octocat")
///     .credential_type(CredentialType::ClassicPat);
/// assert_eq!(
///     target.describe(),
///     "every classic PAT authorization of user octocat in enterprise acme"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    scope: Scope,
    user: Option<String>,
    credential_type: Option<CredentialType>,
    revoke_credentials: bool,
}

impl Target {
    /// Every credential authorization in enterprise `slug`.
    pub fn enterprise(slug: impl Into<String>) -> Self {
        Self::of(Scope::Enterprise { slug: slug.into() })
    }

    /// Every credential authorization in organization `org`.
    pub fn org(org: impl Into<String>) -> Self {
        Self::of(Scope::Org { org: org.into() })
    }

    /// Every credential authorization in `scope`.
    pub fn of(scope: Scope) -> Self {
        Self {
            scope,
            user: None,
            credential_type: None,
            revoke_credentials: false,
        }
    }

    /// Only user `login`'s authorizations.
    pub fn user(mut self, login: impl Into<String>) -> Self {
        self.user = Some(login.into());
        self
    }

    /// Only authorizations of credentials of this type.
    pub fn credential_type(mut self, credential_type: CredentialType) -> Self {
        self.credential_type = Some(credential_type);
        self
    }

    /// Also destroy the credentials themselves (enterprise scope, Enterprise Managed Users
    /// enterprises only; never for [`CredentialType::OauthAppToken`]).
    pub fn revoke_credentials(mut self, destroy: bool) -> Self {
        self.revoke_credentials = destroy;
        self
    }

    /// The enterprise or organization.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The user, if one.
    pub fn login(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The credential type, if one.
    pub fn kind(&self) -> Option<CredentialType> {
        self.credential_type
    }

    /// Whether the credentials themselves are to be destroyed.
    pub fn destroys_credentials(&self) -> bool {
        self.revoke_credentials
    }

    /// The GitHub operation this target is.
    pub fn operation(&self) -> Operation {
        match (
            &self.scope,
            self.user.is_some(),
            self.credential_type.is_some(),
        ) {
            (Scope::Enterprise { .. }, false, false) => Operation::EnterpriseRevokeAll,
            (Scope::Enterprise { .. }, false, true) => Operation::EnterpriseRevokeCredentialType,
            (Scope::Enterprise { .. }, true, false) => Operation::EnterpriseRevokeUser,
            (Scope::Enterprise { .. }, true, true) => Operation::EnterpriseRevokeUserCredentialType,
            (Scope::Org { .. }, false, false) => Operation::OrgRevokeAll,
            (Scope::Org { .. }, false, true) => Operation::OrgRevokeCredentialType,
            (Scope::Org { .. }, true, false) => Operation::OrgRevokeUser,
            (Scope::Org { .. }, true, true) => Operation::OrgRevokeUserCredentialType,
        }
    }

    /// What goes, in words: "every classic PAT authorization of user octocat in enterprise
    /// acme", "every credential authorization in organization acme".
    pub fn describe(&self) -> String {
        let what = match self.credential_type {
            Some(kind) => format!("every {} authorization", kind.noun()),
            None => "every credential authorization".to_owned(),
        };
        let whose = match &self.user {
            Some(login) => format!(" of user {login}"),
            None => String::new(),
        };
        format!(
            "{what}{whose} in {} {}",
            self.scope.kind(),
            self.scope.name()
        )
    }

    /// Check the names and the combination; nothing is sent when this fails.
    pub fn validate(&self) -> Result<(), EnterpriseError> {
        match &self.scope {
            Scope::Enterprise { slug } => {
                if !is_name(slug) {
                    return Err(EnterpriseError::InvalidSlug(scrub(slug)));
                }
            }
            Scope::Org { org } => {
                if !is_name(org) {
                    return Err(EnterpriseError::InvalidName {
                        what: "organization",
                        name: scrub(org),
                    });
                }
                if self.revoke_credentials {
                    return Err(EnterpriseError::CannotDestroy {
                        reason: "credentials can only be destroyed by an enterprise call \
                                 (Enterprise Managed Users enterprises); organization calls \
                                 revoke authorizations only",
                    });
                }
            }
        }
        if let Some(login) = &self.user
            && !is_name(login)
        {
            return Err(EnterpriseError::InvalidName {
                what: "user login",
                name: scrub(login),
            });
        }
        if self.revoke_credentials && self.credential_type == Some(CredentialType::OauthAppToken) {
            return Err(EnterpriseError::CannotDestroy {
                reason: "oauth_app_token credentials cannot be destroyed, only de-authorized \
                         (GitHub revokes their authorizations and ignores revoke_credentials): \
                         drop --revoke-credentials to revoke the authorizations, and revoke the \
                         tokens themselves with `gh-revoke credentials` or from the OAuth app",
            });
        }
        Ok(())
    }
}

/// Slugs, organization and user logins: letters, digits, '-' and '_' (Enterprise Managed Users
/// logins end in `_SHORTCODE`), at most 100 bytes. Anything else could change the request path.
pub(super) fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_combination_is_its_own_operation() {
        let mut seen = std::collections::HashSet::new();
        for scope in [Target::enterprise("acme"), Target::org("acme")] {
            for user in [None, Some("octocat")] {
                for kind in [None, Some(CredentialType::SshKey)] {
                    let mut target = scope.clone();
                    if let Some(user) = user {
                        target = target.user(user);
                    }
                    if let Some(kind) = kind {
                        target = target.credential_type(kind);
                    }
                    assert!(seen.insert(target.operation()), "{target:?}");
                }
            }
        }
        assert_eq!(seen.len(), 8);
    }

    #[test]
    fn descriptions_say_exactly_what_goes() {
        assert_eq!(
            Target::org("acme").describe(),
            "every credential authorization in organization acme"
        );
        assert_eq!(
            Target::enterprise("acme")
                .credential_type(CredentialType::FineGrainedPat)
                .describe(),
            "every fine-grained PAT authorization in enterprise acme"
        );
        assert_eq!(
            Target::org("acme").user("octocat").describe(),
            "every credential authorization of user octocat in organization acme"
        );
    }

    #[test]
    fn bad_names_and_impossible_combinations_are_refused() {
        assert!(Target::enterprise("acme").validate().is_ok());
        assert!(Target::enterprise("a/b").validate().is_err());
        assert!(Target::org("").validate().is_err());
        assert!(Target::org("acme").user("../x").validate().is_err());
        assert!(Target::org("acme").user("octo_emu").validate().is_ok());
        let err = Target::enterprise("acme")
            .credential_type(CredentialType::OauthAppToken)
            .revoke_credentials(true)
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("cannot be destroyed"), "{err}");
        assert!(
            Target::org("acme")
                .revoke_credentials(true)
                .validate()
                .is_err()
        );
    }

    #[test]
    fn types_serialize_as_github_names() {
        for kind in CredentialType::ALL {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::String(kind.as_str().to_owned())
            );
            assert_eq!(
                serde_json::to_value(kind.api()).unwrap(),
                serde_json::Value::String(kind.as_str().to_owned())
            );
        }
    }
}
