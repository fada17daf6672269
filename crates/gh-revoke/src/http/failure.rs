//! [`ErrorReport`]: an error as a report object scripts can read (`--json` prints it when a run
//! ends in an error instead of, or before, its usual counts).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What kind of error ended a call or a run: a stable word to match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A name, slug or option that cannot be right (nothing was sent).
    InvalidInput,
    /// 401: GitHub did not accept the token.
    Unauthorized,
    /// 403 (not a rate limit): the token lacks a permission, a scope or ownership.
    Forbidden,
    /// 403 with `x-github-sso`: the token is not authorized for SAML single sign-on.
    SsoRequired,
    /// 404: no such target the token can see (or, for alerts, secret scanning disabled).
    NotFound,
    /// 422: GitHub refused the request as it was.
    Unprocessable,
    /// A rate-limit answer (429, or a 403 that says so), or still rate limited after retries.
    RateLimited,
    /// A redirect, never followed with the token.
    Redirect,
    /// Another status.
    Status,
    /// GitHub could not be reached: nothing was sent.
    Network,
    /// The request was sent, but no answer (a timeout) or a 5xx came back: it may or may not
    /// have taken effect.
    OutcomeUnknown,
    /// The next rate-limit wait was longer than `--max-wait`.
    MaxWait,
    /// Interrupted (Ctrl-C, SIGTERM).
    Interrupted,
    /// Anything else (an answer that could not be read, a journal that could not be written).
    Failed,
}

/// What had been done at GitHub when the error ended the call or run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Done {
    /// Nothing was changed at GitHub (refused, never sent, or only read).
    Nothing,
    /// The request was sent and its outcome is unknown: check the audit log before running
    /// again.
    Unknown,
}

/// An error as an object: its kind, GitHub's status and message, what was done, and the
/// whole error in words. Never a secret (messages are scrubbed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ErrorReport {
    /// What kind of error.
    pub kind: ErrorKind,
    /// The HTTP status GitHub answered, when the error is an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// GitHub's `message` (scrubbed), when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What had been done.
    pub done: Done,
    /// The error in words, with what to do (what `gh-revoke` prints on stderr).
    pub description: String,
}

impl ErrorReport {
    /// An error of `kind`, described by `description`.
    pub fn new(kind: ErrorKind, done: Done, description: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            message: None,
            done,
            description: description.into(),
        }
    }

    /// With GitHub's status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// With GitHub's message (empty messages are left out).
    pub fn with_message(mut self, message: &str) -> Self {
        self.message = (!message.is_empty()).then(|| message.to_owned());
        self
    }
}
