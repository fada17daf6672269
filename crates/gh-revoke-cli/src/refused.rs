//! What `enterprise revoke-all`, `enterprise revoke` and `org revoke` print with `--json` when
//! the call did not succeed: the target and the error as an object ([`gh_revoke::ErrorReport`]).

use gh_revoke::{EnterpriseError, ErrorReport, Target};
use schemars::JsonSchema;
use serde::Serialize;

/// A `--json` report of these commands: GitHub's success answer, or the error.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Answered<T> {
    /// GitHub accepted the revocation.
    Accepted(T),
    /// It did not happen, or its outcome is unknown (see `error.done`).
    NotAccepted(Refused),
}

/// A revocation that did not succeed: what it was for, and why.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Refused {
    /// The API base URL the call went to.
    pub api_url: String,
    /// `enterprise` or `organization`.
    pub scope: String,
    /// The enterprise slug or organization login.
    pub name: String,
    /// The user whose authorizations were to be revoked, if only one user's.
    pub user: Option<String>,
    /// What was to be revoked, in words.
    pub description: String,
    /// Whether the credentials themselves were also to be destroyed.
    pub revoke_credentials: bool,
    /// The error: its kind, GitHub's status and message, what was done.
    pub error: ErrorReport,
}

impl Refused {
    /// The report of `target`'s revocation at `api_url` ending in `error`.
    pub fn new(api_url: &gh_revoke::ApiBase, target: &Target, error: &EnterpriseError) -> Self {
        Self {
            api_url: api_url.to_string(),
            scope: target.scope().kind().to_owned(),
            name: gh_revoke::scrub(target.scope().name()),
            user: target.login().map(gh_revoke::scrub),
            description: gh_revoke::scrub(&target.describe()),
            revoke_credentials: target.destroys_credentials(),
            error: error.report(),
        }
    }
}
