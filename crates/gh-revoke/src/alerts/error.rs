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
    #[error("listing the alerts stopped: {0}")]
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

/// The status in a retry's last words, e.g. `gave up after 5 attempts: 502 server error: ...`
/// (`what` = `" server error"`) or `(429 rate limited: ...)`.
fn said_status(message: &str, what: &str) -> Option<u16> {
    message.match_indices(what).find_map(|(at, _)| {
        let digits = message.get(at.checked_sub(3)?..at)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())
            .flatten()
    })
}

fn scopes(accepted: &Option<String>, token: &Option<String>) -> String {
    crate::http::answer::scopes(accepted.as_deref(), token.as_deref())
}

impl AlertsError {
    /// This error as a report object (`alerts --json` prints it in `error`): its kind,
    /// GitHub's status and message; nothing was revoked or resolved.
    pub fn report(&self) -> crate::http::ErrorReport {
        use crate::http::{Done, ErrorKind, ErrorReport};
        let (kind, status, message): (_, _, Option<&str>) = match self {
            Self::InvalidTarget(_) => (ErrorKind::InvalidInput, None, None),
            Self::Unauthorized { message } => {
                (ErrorKind::Unauthorized, Some(401), Some(message.as_str()))
            }
            Self::Forbidden { message, .. } => {
                (ErrorKind::Forbidden, Some(403), Some(message.as_str()))
            }
            Self::NotFound { message, .. } => {
                (ErrorKind::NotFound, Some(404), Some(message.as_str()))
            }
            Self::Failed { message } => {
                // "422: ..." from a status the listing does not expect.
                let status = message
                    .get(..3)
                    .filter(|_| message.get(3..5) == Some(": "))
                    .and_then(|s| s.parse::<u16>().ok());
                if let Some(status) = status {
                    let kind = if status == 422 {
                        ErrorKind::Unprocessable
                    } else {
                        ErrorKind::Status
                    };
                    (kind, Some(status), message.get(5..))
                } else if let Some(status) = said_status(message, " rate limited") {
                    (ErrorKind::RateLimited, Some(status), None)
                } else if let Some(status) = said_status(message, " server error") {
                    // A read: retried, then given up; nothing was changed.
                    (ErrorKind::Status, Some(status), None)
                } else if message.contains("rate limited") {
                    (ErrorKind::RateLimited, None, None)
                } else {
                    (ErrorKind::Failed, None, None)
                }
            }
            Self::Stopped(stop) => return Stop::report(stop),
        };
        let mut report = ErrorReport::new(kind, Done::Nothing, self.to_string());
        report.status = status;
        if let Some(message) = message {
            report = report.with_message(message);
        }
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Done, ErrorKind};

    #[test]
    fn a_listing_error_is_a_report_with_its_status() {
        let report = AlertsError::Failed {
            message: "gave up after 5 attempts: 502 server error: Bad gateway".into(),
        }
        .report();
        assert_eq!(
            (report.kind, report.status, report.done),
            (ErrorKind::Status, Some(502), Done::Nothing)
        );
        let report = AlertsError::Failed {
            message: "still rate limited after 9 answers (429 rate limited: slow); run again"
                .into(),
        }
        .report();
        assert_eq!(
            (report.kind, report.status),
            (ErrorKind::RateLimited, Some(429))
        );
        let report = AlertsError::Failed {
            message: "422: Validation Failed".into(),
        }
        .report();
        assert_eq!(
            (report.kind, report.status, report.message.as_deref()),
            (
                ErrorKind::Unprocessable,
                Some(422),
                Some("Validation Failed")
            )
        );
        let report = AlertsError::Failed {
            message: "a Link header that cannot be followed".into(),
        }
        .report();
        assert_eq!((report.kind, report.status), (ErrorKind::Failed, None));
        let report = AlertsError::Stopped(Stop::Interrupted {
            abandoned_batch: None,
        })
        .report();
        assert_eq!(report.kind, ErrorKind::Interrupted);
        assert!(!report.description.contains('{'), "{}", report.description);
    }
}
