//! What an alerts run did: the credentials report plus one entry per alert. Never a secret.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::revoke::{RevokeReport, Stop};

/// What became of one alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AlertOutcome {
    /// Its credential was accepted for revocation and the alert is now resolved as `revoked`.
    Resolved,
    /// Already resolved: listed as resolved, GitHub answered 400 "not changed", or an earlier
    /// run (journal) resolved it.
    AlreadyResolved,
    /// GitHub answered 403: delegated alert dismissal is on; a reviewer must close it at
    /// `html_url`.
    NeedsReview,
    /// Resolving failed (see `message`).
    Failed,
    /// Its secret cannot be revoked by `POST /credentials/revoke` (an installation token, a
    /// malformed string, or no secret in the answer): reported, not sent.
    Unsupported,
    /// Its credential was not accepted (its batch failed or was not sent): never resolved.
    NotRevoked,
    /// Not resolved by this run: a dry run, `--no-resolve`, or the run stopped first.
    Pending,
}

/// One alert: where it is and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct AlertItem {
    /// The alert number (per repository).
    pub number: i64,
    /// `OWNER/REPO`.
    pub repository: String,
    /// The alert's page on GitHub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
    /// GitHub's `secret_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_type: Option<String>,
    /// The credential, redacted (e.g. `ghp_M7H4…`).
    pub credential: String,
    /// What became of it.
    pub outcome: AlertOutcome,
    /// Why, for every outcome but `resolved` (scrubbed of anything credential-like).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The alert totals. `listed` = `unsupported` + `revocable` + listed-as-resolved alerts, and
/// every alert has exactly one outcome, counted below.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct AlertCounts {
    /// Alerts listed.
    pub listed: u64,
    /// Open alerts whose secret is a credential `POST /credentials/revoke` takes.
    pub revocable: u64,
    /// Alerts whose secret cannot be sent (see [`AlertOutcome::Unsupported`]).
    pub unsupported: u64,
    /// Resolved by this run.
    pub resolved: u64,
    /// Already resolved.
    pub already_resolved: u64,
    /// Left to a reviewer (delegated dismissal).
    pub needs_review: u64,
    /// Resolving failed.
    pub failed: u64,
    /// Credential not accepted: not resolved.
    pub not_revoked: u64,
    /// Not resolved by this run (dry run, `--no-resolve`, stopped).
    pub pending: u64,
}

/// The alerts part of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct AlertsReport {
    /// The totals.
    pub counts: AlertCounts,
    /// Every alert, in listing order.
    pub items: Vec<AlertItem>,
    /// Why resolving stopped before every alert was done, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stop>,
}

impl AlertsReport {
    /// Recompute the outcome counts from the items (`listed` and `revocable` are kept).
    pub(super) fn tally(&mut self) {
        let count = |outcome| self.items.iter().filter(|i| i.outcome == outcome).count() as u64;
        self.counts.unsupported = count(AlertOutcome::Unsupported);
        self.counts.resolved = count(AlertOutcome::Resolved);
        self.counts.already_resolved = count(AlertOutcome::AlreadyResolved);
        self.counts.needs_review = count(AlertOutcome::NeedsReview);
        self.counts.failed = count(AlertOutcome::Failed);
        self.counts.not_revoked = count(AlertOutcome::NotRevoked);
        self.counts.pending = count(AlertOutcome::Pending);
    }
}

/// The report of `gh-revoke alerts`: every field of the credentials report, plus `alerts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct AlertsRunReport {
    /// What was revoked (the same fields as `gh-revoke credentials --json`).
    #[serde(flatten)]
    pub credentials: RevokeReport,
    /// What became of each alert.
    pub alerts: AlertsReport,
}

impl AlertsRunReport {
    /// Every revocable credential was accepted and each of its alerts resolved (or already
    /// was), and the run was not stopped. A dry run or `--no-resolve` run is complete when the
    /// revocation part is.
    pub fn is_complete(&self) -> bool {
        let c = &self.alerts.counts;
        self.credentials.is_complete()
            && c.failed == 0
            && c.needs_review == 0
            && c.not_revoked == 0
            && self.alerts.stopped.is_none()
    }
}
