//! [`AlertTarget`]: whose alerts to list, and which names can go in a URL path.

use super::error::AlertsError;
use crate::input::scrub;

/// Whose alerts to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertTarget {
    /// One repository.
    Repo {
        /// The owner.
        owner: String,
        /// The repository name.
        repo: String,
    },
    /// Every repository of an organization.
    Org(String),
    /// Every repository of an enterprise (classic tokens only).
    Enterprise(String),
}

impl AlertTarget {
    /// `OWNER/REPO`.
    pub fn repo(full_name: &str) -> Result<Self, AlertsError> {
        match full_name.split_once('/') {
            Some((owner, repo)) if valid_name(owner) && valid_name(repo) => Ok(Self::Repo {
                owner: owner.to_owned(),
                repo: repo.to_owned(),
            }),
            _ => Err(AlertsError::InvalidTarget(format!(
                "{:?} is not OWNER/REPO (letters, digits, '.', '-' and '_')",
                scrub(full_name)
            ))),
        }
    }

    /// An organization login.
    pub fn org(org: &str) -> Result<Self, AlertsError> {
        if valid_name(org) {
            Ok(Self::Org(org.to_owned()))
        } else {
            Err(AlertsError::InvalidTarget(format!(
                "{:?} is not an organization login",
                scrub(org)
            )))
        }
    }

    /// An enterprise slug.
    pub fn enterprise(slug: &str) -> Result<Self, AlertsError> {
        if valid_name(slug) {
            Ok(Self::Enterprise(slug.to_owned()))
        } else {
            Err(AlertsError::InvalidTarget(format!(
                "{:?} is not an enterprise slug",
                scrub(slug)
            )))
        }
    }
}

impl std::fmt::Display for AlertTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Repo { owner, repo } => write!(f, "repository {owner}/{repo}"),
            Self::Org(org) => write!(f, "organization {org}"),
            Self::Enterprise(slug) => write!(f, "enterprise {slug}"),
        }
    }
}

/// A repository, owner, organization or enterprise name: what can go in a URL path and a
/// journal line unchanged.
pub(super) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name != "."
        && name != ".."
}
