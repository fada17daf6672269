//! What a run did: serializable, with a JSON Schema, and never a raw credential.

use std::time::SystemTime;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::plan::{Plan, PlanCounts, PlanTally, Skipped};

/// The state of one batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// Not sent (a dry run, or the run stopped before it).
    Planned,
    /// GitHub answered 202: accepted for revocation.
    Accepted,
    /// Given up: see `error`.
    Failed,
}

/// One credential of a failed batch: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct FailedCredential {
    /// The credential, redacted.
    pub credential: String,
    /// Its SHA-256 fingerprint (hex).
    pub fingerprint: String,
    /// Where it was first seen (`source:line:column`).
    pub location: String,
}

/// One batch of at most 1000 credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct BatchReport {
    /// Its index in the plan (from 0).
    pub index: usize,
    /// How many credentials it holds.
    pub size: usize,
    /// It holds unverified strings (`--allow-unverified`), never mixed with valid ones: a
    /// validation failure (422) is bisected to isolate the strings GitHub refuses.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// Where it ended: `accepted` when all its credentials were, `failed` when any failed
    /// (an unverified batch may be partly accepted, see `accepted`), else `planned`.
    pub status: BatchStatus,
    /// How many of its credentials GitHub accepted (202).
    #[serde(default)]
    pub accepted: usize,
    /// How many of its credentials failed (listed in `credentials`).
    #[serde(default)]
    pub failed: usize,
    /// Requests sent for it (0 when planned).
    pub attempts: u32,
    /// Why it failed, when it did (server messages are scrubbed of anything credential-like).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The credentials that failed (redacted, with fingerprints and where they were first
    /// seen), to find them in the input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<FailedCredential>,
}

/// Why a run ended before every batch was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stop {
    /// The next wait was longer than the caller's maximum.
    MaxWait {
        /// Seconds the client would have had to wait.
        wait_secs: u64,
        /// The maximum the caller allowed.
        max_wait_secs: u64,
        /// When sending could resume (UTC epoch seconds).
        resume_at: u64,
    },
    /// GitHub refused in a way that would repeat for every batch (e.g. 403 for an
    /// authenticated call, 404 for a wrong API URL), or kept rate-limiting past the bound.
    Fatal {
        /// What GitHub said, scrubbed.
        message: String,
    },
    /// The caller's observer stopped the run, or the journal could not be written.
    Halted {
        /// The reason.
        message: String,
    },
    /// The caller interrupted the run (Ctrl-C, SIGTERM): no new request was started.
    Interrupted {
        /// The batch whose request was in flight and abandoned: GitHub may or may not have
        /// received it; it is counted as not sent and not journaled, so a rerun sends it again
        /// (revoking is idempotent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        abandoned_batch: Option<usize>,
    },
}

impl std::fmt::Display for Stop {
    /// In plain words, as the summaries print it (`stopped: ...`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::MaxWait {
                wait_secs,
                max_wait_secs,
                ..
            } => write!(
                f,
                "the next wait ({wait_secs} s) is longer than --max-wait ({max_wait_secs} s); \
                 run again later"
            ),
            Stop::Fatal { message } | Stop::Halted { message } => f.write_str(message),
            Stop::Interrupted {
                abandoned_batch: Some(batch),
            } => write!(
                f,
                "interrupted (batch {} was in flight and is counted as not sent)",
                batch + 1
            ),
            Stop::Interrupted {
                abandoned_batch: None,
            } => f.write_str("interrupted"),
        }
    }
}

impl Stop {
    /// This stop as a report object ([`crate::ErrorReport`]): nothing was done by the step it
    /// stopped (what was done before is in the report's counts).
    pub fn report(&self) -> crate::http::ErrorReport {
        use crate::http::{Done, ErrorKind, ErrorReport};
        let kind = match self {
            Stop::MaxWait { .. } => ErrorKind::MaxWait,
            Stop::Interrupted { .. } => ErrorKind::Interrupted,
            Stop::Fatal { .. } | Stop::Halted { .. } => ErrorKind::Failed,
        };
        ErrorReport::new(kind, Done::Nothing, self.to_string())
    }
}

/// The version of the JSON report's shape (`schema_version`); `gh-revoke schema` prints it.
/// 2 added `schema_version`, `api_url`, `started_at`, `finished_at`, `stopped.interrupted`
/// and the credentials of failed batches; 3 added each batch's `unverified`, `accepted` and
/// `failed`, and each failed credential's `location`; 4 added `installation_tokens` and
/// `verified` (credentials and alerts reports), and the alerts' `still_live` outcome and count;
/// 5 made the alerts report's top-level `stopped` say whatever phase stopped the run (listing,
/// revoking, installation tokens, resolving), added its `error` object (a listing that failed
/// or stopped prints a report too) and `alerts.requests`, and narrowed `requests` to the
/// `POST /credentials/revoke` requests it always counted; it also added the alerts'
/// `unresolvable` outcome and count and `caller_token_leaked`.
pub const REPORT_SCHEMA_VERSION: u32 = 5;

/// `time` as RFC 3339 UTC, to the second.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// The report of a revocation run (or a dry run).
///
/// The counts add up:
/// `read = duplicates + invalid + unsupported + already_done + accepted + failed + pending`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RevokeReport {
    /// The version of this shape ([`REPORT_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The API base URL used (or, for a dry run, that would be used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// When it finished (RFC 3339, UTC).
    pub finished_at: String,
    /// Nothing was sent.
    pub dry_run: bool,
    /// Items read from the input (every credential-like string, valid or not).
    pub read: u64,
    /// Repeats of a credential already seen.
    pub duplicates: u64,
    /// Set aside: not a well-formed credential (wrong shape or checksum).
    pub invalid: u64,
    /// Set aside: a credential type `/credentials/revoke` does not take (`ghs_`).
    pub unsupported: u64,
    /// Skipped: accepted in an earlier run (journal).
    pub already_done: u64,
    /// Credentials GitHub accepted for revocation (202).
    pub accepted: u64,
    /// Credentials in batches that failed.
    pub failed: u64,
    /// Credentials in batches not sent (dry run, or the run stopped early).
    pub pending: u64,
    /// `POST /credentials/revoke` requests made (retries included). The other calls are
    /// counted where they are reported: `installation_tokens.requests`, `verified.requests`,
    /// and, in the alerts report, `alerts.requests`.
    pub requests: u64,
    /// Every batch, in order.
    pub batches: Vec<BatchReport>,
    /// What was set aside and why (redacted), up to the plan's limit.
    pub skipped: Vec<Skipped>,
    /// Set-aside items not listed in `skipped` (beyond the plan's limit).
    pub skipped_not_listed: u64,
    /// Why the run stopped early, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stop>,
}

impl RevokeReport {
    /// The report of a plan before anything is sent: every batch planned, stamped with the
    /// current time (see [`RevokeReport::planned_at`]).
    pub fn planned(plan: &Plan, dry_run: bool) -> Self {
        Self::planned_at(plan, dry_run, SystemTime::now())
    }

    /// [`RevokeReport::planned`], with `started_at` and `finished_at` stamped `at` rather
    /// than read from the clock, so that two reports of the same input are equal however
    /// long building them took.
    pub fn planned_at(plan: &Plan, dry_run: bool, at: SystemTime) -> Self {
        Self::unsent(
            dry_run,
            plan.counts(),
            plan.batches()
                .map(|batch| (batch.len(), batch.is_unverified())),
            plan.skipped().to_vec(),
            plan.skipped_not_kept(),
            at,
        )
    }

    /// The report of a dry run from a [`PlanTally`], stamped with the current time: see
    /// [`RevokeReport::dry_run_at`].
    pub fn dry_run(tally: &PlanTally) -> Self {
        Self::dry_run_at(tally, SystemTime::now())
    }

    /// The report of a dry run from a [`PlanTally`], stamped `at`: equal to
    /// `RevokeReport::planned_at(&plan, true, at)` for a [`Plan`] fed the same input, without
    /// having held the secrets. (Two reports each stamped with the current time, by
    /// [`RevokeReport::dry_run`] and [`RevokeReport::planned`], differ in `started_at` and
    /// `finished_at` when a second boundary falls between them.)
    pub fn dry_run_at(tally: &PlanTally, at: SystemTime) -> Self {
        Self::unsent(
            true,
            tally.counts(),
            tally
                .batch_sizes()
                .enumerate()
                .map(|(index, size)| (size, tally.batch_is_unverified(index).unwrap_or(false))),
            tally.skipped().to_vec(),
            tally.skipped_not_kept(),
            at,
        )
    }

    fn unsent(
        dry_run: bool,
        counts: PlanCounts,
        sizes: impl Iterator<Item = (usize, bool)>,
        skipped: Vec<Skipped>,
        skipped_not_listed: u64,
        at: SystemTime,
    ) -> Self {
        let batches: Vec<BatchReport> = sizes
            .enumerate()
            .map(|(index, (size, unverified))| BatchReport {
                index,
                size,
                unverified,
                status: BatchStatus::Planned,
                accepted: 0,
                failed: 0,
                attempts: 0,
                error: None,
                credentials: Vec::new(),
            })
            .collect();
        let pending = batches.iter().map(|b| b.size as u64).sum();
        let now = rfc3339(at);
        Self {
            schema_version: REPORT_SCHEMA_VERSION,
            api_url: None,
            started_at: now.clone(),
            finished_at: now,
            dry_run,
            read: counts.read,
            duplicates: counts.duplicates,
            invalid: counts.invalid,
            unsupported: counts.unsupported,
            already_done: counts.already_done,
            accepted: 0,
            failed: 0,
            pending,
            requests: 0,
            batches,
            skipped,
            skipped_not_listed,
            stopped: None,
        }
    }

    /// Name the API base URL used.
    pub fn with_api_url(mut self, api_url: impl Into<String>) -> Self {
        self.api_url = Some(api_url.into());
        self
    }

    /// Recompute the counts from the batches and stamp `finished_at`.
    pub(crate) fn finish(&mut self) {
        self.tally();
        self.finished_at = rfc3339(SystemTime::now());
    }

    /// Recompute `accepted`, `failed` and `pending` from the batches.
    fn tally(&mut self) {
        let sum = |count: fn(&BatchReport) -> usize| {
            self.batches.iter().map(|b| count(b) as u64).sum::<u64>()
        };
        self.accepted = sum(|b| b.accepted);
        self.failed = sum(|b| b.failed);
        self.pending = sum(|b| b.size.saturating_sub(b.accepted + b.failed));
    }

    /// Whether the counts add up (see the type's docs).
    pub fn is_balanced(&self) -> bool {
        self.read
            == self.duplicates
                + self.invalid
                + self.unsupported
                + self.already_done
                + self.accepted
                + self.failed
                + self.pending
    }

    /// Nothing failed and nothing was left unsent (a dry run counts as complete).
    pub fn is_complete(&self) -> bool {
        self.failed == 0 && self.stopped.is_none() && (self.dry_run || self.pending == 0)
    }
}

#[cfg(test)]
mod stop_words {
    use super::Stop;

    #[test]
    fn a_stop_is_said_in_plain_words() {
        let said = [
            Stop::MaxWait {
                wait_secs: 600,
                max_wait_secs: 5,
                resume_at: 0,
            }
            .to_string(),
            Stop::Fatal {
                message: "GitHub answered 404".into(),
            }
            .to_string(),
            Stop::Interrupted {
                abandoned_batch: Some(1),
            }
            .to_string(),
            Stop::Interrupted {
                abandoned_batch: None,
            }
            .to_string(),
        ];
        assert_eq!(
            said[0],
            "the next wait (600 s) is longer than --max-wait (5 s); run again later"
        );
        assert_eq!(said[1], "GitHub answered 404");
        assert!(said[2].starts_with("interrupted (batch 2 was in flight"));
        assert_eq!(said[3], "interrupted");
        for text in said {
            assert!(!text.contains('{'), "{text}");
        }
    }
}
