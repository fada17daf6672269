//! [`AlertsError`]: why listing the alerts failed.

use super::ALERTS_TOKEN_SCOPES;
use crate::revoke::Stop;

/// Why listing the alerts failed (nothing was revoked or resolved). Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AlertsError {
    /// The repository, organization or enterprise name cannot be one.
    #[error("{0}")]
    InvalidTarget(String),
    /// 401.
    #[error("GitHub did not accept the token (401: {message}); {ALERTS_TOKEN_SCOPES}")]
    Unauthorized {
        /// GitHub's message.
        message: String,
    },
    /// 403, not a rate limit.
    #[error(
        "forbidden (403: {message}){}; {ALERTS_TOKEN_SCOPES}",
        scopes(.accepted_scopes, .token_scopes)
    )]
    Forbidden {
        /// GitHub's message.
        message: String,
        /// `x-accepted-oauth-scopes`.
        accepted_scopes: Option<String>,
        /// `x-oauth-scopes`.
        token_scopes: Option<String>,
    },
    /// 404: GitHub says secret scanning is disabled, the repository is public, or there is no
    /// such target the token can see.
    #[error(
        "{target}: not found (404: {message}): secret scanning may be disabled, the repository \
         public, or the name wrong or invisible to the token"
    )]
    NotFound {
        /// What was listed.
        target: String,
        /// GitHub's message.
        message: String,
    },
    /// Listing failed another way (after retries for 5xx and connection failures).
    #[error("listing the alerts failed: {message}")]
    Failed {
        /// What happened (scrubbed).
        message: String,
    },
    /// Listing stopped: a rate-limit wait longer than the maximum, or an interruption.
    #[error("listing the alerts stopped: {0:?}")]
    Stopped(Stop),
}

impl AlertsError {
    /// Whether the error is the caller's to fix (target, token, 404): nothing was sent but the
    /// listing.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Self::InvalidTarget(_)
                | Self::Unauthorized { .. }
                | Self::Forbidden { .. }
                | Self::NotFound { .. }
        )
    }
}

fn scopes(accepted: &Option<String>, token: &Option<String>) -> String {
    match (accepted, token) {
        (None, None) => String::new(),
        (accepted, token) => format!(
            " (the endpoint accepts scopes: {}; the token has: {})",
            accepted
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or("not said"),
            token.as_deref().filter(|s| !s.is_empty()).unwrap_or("none")
        ),
    }
}
