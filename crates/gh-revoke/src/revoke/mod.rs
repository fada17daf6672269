//! [`RevokeClient`]: the anonymous, paced client for `POST /credentials/revoke`.

mod answer;
mod call;
mod event;
mod journal;
mod policy;
mod report;

use std::time::Duration;

use gh_revoke_api::hooks::Operation;
use gh_revoke_api::types::CredentialsRevokeBody;
use zeroize::Zeroize;

pub use call::{OnEvent, Revoke};
pub use event::{Event, Observer, WaitReason};
pub use journal::{JOURNAL_HEADER, Journal, JournalError, MAX_JOURNAL_LINE, NotAJournalWhy};
pub use policy::RetryPolicy;
pub use report::{
    BatchReport, BatchStatus, FailedCredential, REPORT_SCHEMA_VERSION, RevokeReport, Stop,
};

use crate::credential::Fingerprint;
use crate::http::engine::{CallEvent, End, Engine};
use crate::http::{ApiBase, ClientError, ClientSettings, Pacer};
use crate::plan::{Batch, Plan, Planned};
use call::Sink;

/// Sends planned batches to `POST /credentials/revoke`, anonymously, one at a time, paced by
/// GitHub's rate-limit headers.
///
/// **Anonymous by construction**: the type has no field, constructor or builder method that takes
/// a token, it builds its own HTTP transport (so no default `Authorization` header can be slipped
/// in), and it never reads the environment. GitHub answers any authenticated call with 403.
///
/// For each batch it:
/// - waits for the window's reset when the last answer said the window is spent
///   (`x-ratelimit-remaining: 0`), instead of provoking an over-limit answer;
/// - on a rate-limit answer (403/429 with remaining 0 or a secondary-limit message, 422
///   "spammed") waits per GitHub's rule: `retry-after`, else the reset, else at least a minute,
///   doubling, bounded by [`RetryPolicy::max_rate_limit_retries`];
/// - retries 5xx, resets and timeouts with jittered exponential backoff, bounded by
///   [`RetryPolicy::max_attempts`] (revoking is idempotent, so resending is safe);
/// - stops, reporting what remains, rather than wait longer than the maximum wait.
#[derive(Debug)]
pub struct RevokeClient {
    api: gh_revoke_api::Client,
    base: ApiBase,
    policy: RetryPolicy,
    max_wait: Option<Duration>,
    /// The rate-limit budget, kept between `revoke()` calls (and shared by its clones).
    pacer: Pacer,
}

/// Builds a [`RevokeClient`].
#[derive(Debug, Clone)]
pub struct RevokeClientBuilder {
    base: ApiBase,
    settings: ClientSettings,
    pacer: Option<Pacer>,
}

crate::client_settings_setters!(RevokeClientBuilder:
    user_agent, api_version, timeout, connect_timeout, retry_policy, max_wait);

impl RevokeClientBuilder {
    /// Share this rate-limit budget (default: a budget of the client's own). Clients given
    /// clones of one [`Pacer`] never spend more than its window together.
    pub fn pacer(mut self, pacer: Pacer) -> Self {
        self.pacer = Some(pacer);
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<RevokeClient, ClientError> {
        // Anonymous by construction: this builder has no token to give.
        let headers = self
            .settings
            .headers(None, &[Operation::CredentialsRevoke])?;
        let http = self.settings.http()?;
        Ok(RevokeClient {
            api: gh_revoke_api::Client::new_with_client(self.base.as_str(), http, headers),
            base: self.base,
            policy: self.settings.retry_policy,
            max_wait: self.settings.max_wait,
            pacer: self.pacer.unwrap_or_default(),
        })
    }
}

/// How a batch ended.
enum BatchEnd {
    Accepted,
    /// `validation`: a 422 validation failure (bisected in an unverified batch).
    Failed {
        error: String,
        fatal: bool,
        validation: bool,
    },
    Stopped(Stop),
}

impl RevokeClient {
    /// A builder for a client that talks to `base`.
    pub fn builder(base: ApiBase) -> RevokeClientBuilder {
        RevokeClientBuilder {
            base,
            settings: ClientSettings::default(),
            pacer: None,
        }
    }

    /// A client with default settings for `base`.
    pub fn new(base: ApiBase) -> Result<Self, ClientError> {
        Self::builder(base).build()
    }

    /// The API base URL this client sends to.
    pub fn api_base(&self) -> &ApiBase {
        &self.base
    }

    /// The rate-limit budget this client spends (kept between calls; clone it to share).
    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// How long before this client may send its next request (a spent window, or the least
    /// interval between requests); `None`: now.
    pub fn ready_in(&self) -> Option<Duration> {
        self.pacer.ready_in(&self.policy)
    }

    /// Send every batch of `plan`, in order: a [`Revoke`] call to configure (journal,
    /// observer, interruption) and `.await`. Never panics; every outcome is in the report.
    pub fn revoke<'a>(&'a self, plan: &'a Plan) -> Revoke<'a, ()> {
        Revoke::new(self, plan)
    }

    /// The batch loop behind [`Revoke`].
    async fn run(&self, plan: &Plan, sink: &mut Sink<'_>) -> RevokeReport {
        let mut report = RevokeReport::planned(plan, false);
        report.api_url = Some(self.base.to_string());
        if let Err(message) = sink.bind_journal(&self.base) {
            report.stopped = Some(Stop::Halted { message });
            report.finish();
            return report;
        }
        for batch in plan.batches() {
            if let Some(stop) = self.send_batch(&batch, &mut report, sink).await {
                report.stopped = Some(stop);
                break;
            }
        }
        report.finish();
        report
    }

    /// Send one batch and record how it went in `report`; returns why the run must stop, if
    /// it must. A 422 validation failure fails a batch of valid credentials (not retried);
    /// in a batch of unverified strings it is bisected: each half is sent again (each a
    /// normal, paced request), recursively down to single strings, so that only the strings
    /// GitHub refuses fail and the others are revoked.
    async fn send_batch(
        &self,
        batch: &Batch<'_>,
        report: &mut RevokeReport,
        sink: &mut Sink<'_>,
    ) -> Option<Stop> {
        let index = batch.index();
        let all: Vec<Planned<'_>> = batch.credentials().collect();
        // Parts still to send, the next one last.
        let mut parts: Vec<&[Planned<'_>]> = vec![&all];
        let mut stop = None;
        while let Some(part) = parts.pop() {
            let (end, attempts) = self.send_part(index, part, sink).await;
            report.requests += u64::from(attempts);
            let Some(entry) = report.batches.get_mut(index) else {
                break;
            };
            entry.attempts += attempts;
            match end {
                BatchEnd::Accepted => {
                    entry.accepted += part.len();
                    let fingerprints: Vec<Fingerprint> =
                        part.iter().map(Planned::fingerprint).collect();
                    if let Err(message) = sink.accepted(index, &fingerprints).await {
                        stop = Some(Stop::Halted { message });
                    }
                }
                BatchEnd::Failed {
                    validation: true,
                    fatal: false,
                    ..
                } if batch.is_unverified() && part.len() > 1 => {
                    let (first, second) = part.split_at(part.len() / 2);
                    tracing::info!(
                        batch = index,
                        size = part.len(),
                        "validation failure in unverified strings: sending each half"
                    );
                    parts.push(second);
                    parts.push(first);
                }
                BatchEnd::Failed { error, fatal, .. } => {
                    entry.failed += part.len();
                    entry
                        .credentials
                        .extend(part.iter().map(|c| report::FailedCredential {
                            credential: c.redacted(),
                            fingerprint: c.fingerprint().to_string(),
                            location: c.location(),
                        }));
                    if entry.error.is_none() {
                        entry.error = Some(error.clone());
                    }
                    let event = Event::Failed {
                        index,
                        size: part.len(),
                        error: &error,
                    };
                    stop = match (fatal, sink.emit(&event)) {
                        (true, _) => Some(Stop::Fatal { message: error }),
                        (false, Err(message)) => Some(Stop::Halted { message }),
                        (false, Ok(())) => None,
                    };
                }
                BatchEnd::Stopped(why) => stop = Some(why),
            }
            if stop.is_some() {
                break;
            }
        }
        if let Some(entry) = report.batches.get_mut(index) {
            entry.status = if entry.failed > 0 {
                BatchStatus::Failed
            } else if entry.accepted == entry.size {
                BatchStatus::Accepted
            } else {
                BatchStatus::Planned
            };
        }
        stop
    }

    /// Send `part` of batch `index` through the engine until it is accepted, given up, or
    /// the run must stop. Returns how it ended and how many requests it took.
    async fn send_part(
        &self,
        index: usize,
        part: &[Planned<'_>],
        sink: &mut Sink<'_>,
    ) -> (BatchEnd, u32) {
        let mut body = CredentialsRevokeBody {
            credentials: part.iter().map(|c| c.expose_secret().to_owned()).collect(),
        };
        let engine = Engine {
            policy: &self.policy,
            max_wait: self.max_wait,
            pacer: &self.pacer,
            interval: self.policy.min_interval,
            shared_window: true,
        };
        let size = part.len();
        let mut attempts = 0;
        let end = {
            let (mut emit, interrupt) = sink.call_parts();
            let mut listener = |event: &CallEvent<'_>| {
                emit(&match *event {
                    CallEvent::Sending { attempt } => Event::Sending {
                        index,
                        size,
                        attempt,
                    },
                    CallEvent::Waiting {
                        until,
                        wait,
                        reason,
                    } => Event::Waiting {
                        until,
                        wait,
                        reason,
                    },
                    CallEvent::Retrying {
                        attempt,
                        after,
                        reason,
                    } => Event::Retrying {
                        index,
                        attempt,
                        after,
                        reason,
                    },
                })
            };
            engine
                .call(interrupt, &mut listener, &mut attempts, || {
                    self.api.credentials_revoke(&body)
                })
                .await
        };
        let end = match end {
            End::Success(_) => BatchEnd::Accepted,
            End::Failed(failure) => {
                let refused = answer::refused(&failure);
                BatchEnd::Failed {
                    error: refused.message,
                    fatal: refused.fatal,
                    validation: refused.validation,
                }
            }
            // Rate limited past the policy's bound: every batch would be; a transient failure
            // given up fails this batch only.
            End::GaveUp {
                message,
                rate_limited,
            } => BatchEnd::Failed {
                error: message,
                fatal: rate_limited,
                validation: false,
            },
            // An interruption abandons the request in flight: its answer is never seen, so
            // the batch is never journaled (a rerun sends it again; revoking is idempotent).
            End::Abandoned => BatchEnd::Stopped(Stop::Interrupted {
                abandoned_batch: Some(index),
            }),
            End::Stopped(stop) => BatchEnd::Stopped(stop),
        };
        // The copies made for the request body are wiped as soon as the batch is done.
        body.credentials.iter_mut().for_each(Zeroize::zeroize);
        (end, attempts)
    }
}
