//! What an alerts run did: the credentials report plus one entry per alert. Never a secret.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::http::{ApiBase, ErrorReport};
use crate::kill::{InstallationReport, VerifyReport};
use crate::plan::{Plan, PlanOptions};
use crate::revoke::{RevokeReport, Stop};

/// What became of one alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AlertOutcome {
    /// Its credential was accepted for revocation (or, an installation token, revoked itself)
    /// and the alert is now resolved as `revoked`.
    Resolved,
    /// Already resolved: listed as resolved, resolved when GitHub refused the `PATCH` with a
    /// 400 (the alert, fetched again, said so), or an earlier run (journal) resolved it.
    AlreadyResolved,
    /// GitHub answered 403 "Delegated alert dismissal is enabled and the authenticated user is
    /// not a valid reviewer": a reviewer must close it at `html_url`.
    NeedsReview,
    /// Revoking its installation token failed (GitHub's answer in `message`), or resolving
    /// failed (see `message`: a 400 while the alert stays open, a 403 for a token that may not
    /// resolve alerts, which also stops resolving): the alert is left open.
    Failed,
    /// Its secret cannot be revoked by this run (an installation token without
    /// installation-token revocation, a malformed string, or no secret in the answer):
    /// reported, not sent.
    Unsupported,
    /// Its credential was not accepted (its batch failed or was not sent): never resolved.
    NotRevoked,
    /// Not resolved by this run: a dry run, `--no-resolve`, or the run stopped first.
    Pending,
    /// Its credential was revoked (accepted, or the installation token revoked itself) but
    /// still authenticated when verification gave up: the alert is left open (see `html_url`).
    StillLive,
    /// Its credential was revoked (accepted), but GitHub named no repository and number this
    /// run can send a `PATCH` to: the alert cannot be resolved by it (see `html_url`).
    Unresolvable,
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
    /// Open alerts whose secret this run can revoke: a credential `POST /credentials/revoke`
    /// takes, or (with installation-token revocation) an installation token.
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
    /// Credential still live after revocation (verification): not resolved.
    #[serde(default)]
    pub still_live: u64,
    /// Credential revoked, but the alert names no repository and number to resolve.
    #[serde(default)]
    pub unresolvable: u64,
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
    /// Secret-scanning API requests made with the caller's token (listing pages, getting and
    /// resolving alerts; retries included). The revocation's requests are the top-level
    /// `requests`.
    #[serde(default)]
    pub requests: u64,
    /// The caller's own token (the one listing and resolving the alerts) was one of the
    /// leaked secrets: every other alert was resolved first, then its alerts, and it was
    /// revoked last (its batch is the last one in `batches`, or its entry the last in
    /// `installation_tokens`). Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub caller_token_leaked: bool,
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
        self.counts.still_live = count(AlertOutcome::StillLive);
        self.counts.unresolvable = count(AlertOutcome::Unresolvable);
    }
}

/// The report of `gh-revoke alerts`: every field of the credentials report (including
/// `installation_tokens` and `verified` when those ran), plus `alerts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct AlertsRunReport {
    /// What was revoked (the same fields as `gh-revoke credentials --json`).
    #[serde(flatten)]
    pub credentials: RevokeReport,
    /// Installation tokens (`ghs_`) of open alerts, each revoked with
    /// `DELETE /installation/token` authenticated by itself (only when the run was given an
    /// [`crate::InstallationClient`]: [`crate::AlertsRun::revoke_installation_tokens`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation_tokens: Option<InstallationReport>,
    /// What `GET /rate_limit`, authenticated by each credential revoked by this run, said
    /// before the alerts were resolved (only with [`crate::AlertsRun::verify`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<VerifyReport>,
    /// What became of each alert.
    pub alerts: AlertsReport,
    /// The error that ended the run, as an object (a listing that failed or stopped: then
    /// nothing was revoked or resolved, and the top-level `stopped` is set too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
}

impl AlertsRunReport {
    /// The report of a run whose listing failed (or was stopped) with `error`: nothing
    /// listed, revoked or resolved; `error` set, and the top-level `stopped` (the stop itself,
    /// or the error's words as [`Stop::Fatal`]).
    pub fn not_listed(
        api: &ApiBase,
        dry_run: bool,
        started_at: std::time::SystemTime,
        error: &super::AlertsError,
    ) -> Self {
        let mut credentials = RevokeReport::planned(&Plan::new(PlanOptions::default()), dry_run)
            .with_api_url(api.as_str());
        credentials.started_at = humantime::format_rfc3339_seconds(started_at).to_string();
        credentials.stopped = Some(match error {
            super::AlertsError::Stopped(stop) => stop.clone(),
            other => Stop::Fatal {
                message: other.to_string(),
            },
        });
        Self {
            credentials,
            installation_tokens: None,
            verified: None,
            alerts: AlertsReport::default(),
            error: Some(error.report()),
        }
    }

    /// The first reason any phase stopped early: revoking, revoking installation tokens,
    /// or resolving.
    pub fn stop(&self) -> Option<&Stop> {
        self.credentials
            .stopped
            .as_ref()
            .or(self
                .installation_tokens
                .as_ref()
                .and_then(|r| r.stopped.as_ref()))
            .or(self.alerts.stopped.as_ref())
    }

    /// Set the top-level `stopped` (the revocation's) to [`AlertsRunReport::stop`] when
    /// revoking itself did not stop, so that a run that stopped early says so at the top
    /// whatever phase stopped it. An alerts run calls this before returning its report.
    pub fn raise_stop(&mut self) {
        if self.credentials.stopped.is_none() {
            self.credentials.stopped = self.stop().cloned();
        }
    }

    /// Every revocable credential was accepted (every installation token dead) and each of
    /// its alerts resolved (or already was), verification found none still live, and the run
    /// was not stopped. A dry run or `--no-resolve` run is complete when the revocation part
    /// is.
    pub fn is_complete(&self) -> bool {
        let c = &self.alerts.counts;
        let dry_run = self.credentials.dry_run;
        self.credentials.is_complete()
            && (dry_run
                || self
                    .installation_tokens
                    .as_ref()
                    .is_none_or(InstallationReport::is_complete))
            && self.verified.as_ref().is_none_or(VerifyReport::none_live)
            && c.failed == 0
            && c.needs_review == 0
            && c.not_revoked == 0
            && c.still_live == 0
            && c.unresolvable == 0
            && self.alerts.stopped.is_none()
    }
}
