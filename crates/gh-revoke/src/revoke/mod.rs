//! [`RevokeClient`]: the anonymous, paced client for `POST /credentials/revoke`.

mod answer;
mod event;
mod journal;
mod policy;
mod report;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gh_revoke_api::hooks::{Operation, Settings};
use gh_revoke_api::types::CredentialsRevokeBody;
use zeroize::Zeroize;

pub use event::{Event, Halt, WaitReason};
pub use journal::{JOURNAL_HEADER, Journal, JournalError};
pub use policy::RetryPolicy;
pub use report::{BatchReport, BatchStatus, RevokeReport, Stop};

use crate::credential::Fingerprint;
use crate::http::{ApiBase, ClientError, RateLimit};
use crate::plan::{Batch, Plan};
use answer::Answer;

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
    policy: RetryPolicy,
    max_wait: Option<Duration>,
}

/// Builds a [`RevokeClient`].
#[derive(Debug, Clone)]
pub struct RevokeClientBuilder {
    base: ApiBase,
    user_agent: Option<String>,
    api_version: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    policy: RetryPolicy,
    max_wait: Option<Duration>,
}

impl RevokeClientBuilder {
    /// Send `User-Agent: user_agent` (default `gh-revoke/VERSION`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Send this `X-GitHub-Api-Version` (default `2022-11-28`).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Give up on one request after this long (default 30 s); retried as transient.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Give up connecting after this long (default 10 s); retried as transient.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retry and pacing bounds.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Stop instead of waiting longer than `max_wait` at once; `None` waits as long as needed.
    pub fn max_wait(mut self, max_wait: Option<Duration>) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<RevokeClient, ClientError> {
        let mut settings = Settings::default();
        if let Some(agent) = &self.user_agent {
            settings = settings.with_user_agent(agent)?;
        }
        if let Some(version) = &self.api_version {
            settings = settings.with_api_version(Operation::CredentialsRevoke, version)?;
        }
        let http = gh_revoke_api::transport::client_builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(|err| ClientError::Transport(err.to_string()))?;
        Ok(RevokeClient {
            api: gh_revoke_api::Client::new_with_client(self.base.as_str(), http, settings),
            policy: self.policy,
            max_wait: self.max_wait,
        })
    }
}

/// How a batch ended.
enum BatchEnd {
    Accepted,
    Failed { error: String, fatal: bool },
    Stopped(Stop),
}

/// What the client knows about the rate-limit window between requests.
#[derive(Default)]
struct Pacer {
    last_request: Option<Instant>,
    window: Option<RateLimit>,
}

impl RevokeClient {
    /// A builder for a client that talks to `base`.
    pub fn builder(base: ApiBase) -> RevokeClientBuilder {
        RevokeClientBuilder {
            base,
            user_agent: None,
            api_version: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            policy: RetryPolicy::default(),
            max_wait: None,
        }
    }

    /// A client with default settings for `base`.
    pub fn new(base: ApiBase) -> Result<Self, ClientError> {
        Self::builder(base).build()
    }

    /// Send every batch of `plan`, in order, telling `observer` what happens.
    ///
    /// The observer sees each [`Event`] as it happens; returning [`Halt`] stops the run
    /// (the batch just accepted stays accepted). Never panics; every outcome is in the report.
    pub async fn revoke(
        &self,
        plan: &Plan,
        observer: &mut dyn FnMut(&Event<'_>) -> Result<(), Halt>,
    ) -> RevokeReport {
        let mut report = RevokeReport::planned(plan, false);
        let mut pacer = Pacer::default();
        for batch in plan.batches() {
            let index = batch.index();
            let (end, attempts) = self.send_batch(&batch, &mut pacer, observer).await;
            report.requests += u64::from(attempts);
            let entry = &mut report.batches[index];
            entry.attempts = attempts;
            let stop = match end {
                BatchEnd::Accepted => {
                    entry.status = BatchStatus::Accepted;
                    let fingerprints: Vec<Fingerprint> = batch.fingerprints().collect();
                    observer(&Event::Accepted {
                        index,
                        fingerprints: &fingerprints,
                    })
                    .err()
                    .map(|halt| Stop::Halted {
                        message: halt.reason,
                    })
                }
                BatchEnd::Failed { error, fatal } => {
                    entry.status = BatchStatus::Failed;
                    let event = Event::Failed {
                        index,
                        size: batch.len(),
                        error: &error,
                    };
                    let halted = observer(&event).err();
                    entry.error = Some(error.clone());
                    match (fatal, halted) {
                        (true, _) => Some(Stop::Fatal { message: error }),
                        (false, Some(halt)) => Some(Stop::Halted {
                            message: halt.reason,
                        }),
                        (false, None) => None,
                    }
                }
                BatchEnd::Stopped(stop) => Some(stop),
            };
            if let Some(stop) = stop {
                report.stopped = Some(stop);
                break;
            }
        }
        report.tally();
        report
    }

    /// Send one batch until it is accepted, given up, or the run must stop.
    /// Returns how it ended and how many requests it took.
    async fn send_batch(
        &self,
        batch: &Batch<'_>,
        pacer: &mut Pacer,
        observer: &mut dyn FnMut(&Event<'_>) -> Result<(), Halt>,
    ) -> (BatchEnd, u32) {
        let index = batch.index();
        let mut body = CredentialsRevokeBody {
            credentials: batch.expose_secrets().map(str::to_owned).collect(),
        };
        let mut attempts = 0;
        let mut transient_failures = 0;
        let mut rate_answers = 0;
        let mut unnamed_rate_answers = 0;
        let end = loop {
            // Pace: wait out a spent window, and keep requests apart.
            if let Some(wait) = pacer.window_wait(&self.policy) {
                if let Err(stop) = self.wait(wait, WaitReason::WindowSpent, observer).await {
                    break stop;
                }
                pacer.window = None;
            }
            if let Some(last) = pacer.last_request {
                let since = last.elapsed();
                if since < self.policy.min_interval {
                    tokio::time::sleep(self.policy.min_interval - since).await;
                }
            }

            attempts += 1;
            if let Err(halt) = observer(&Event::Sending {
                index,
                size: batch.len(),
                attempt: attempts,
            }) {
                attempts -= 1;
                break BatchEnd::Stopped(Stop::Halted {
                    message: halt.reason,
                });
            }
            let result = self.api.credentials_revoke(&body).await;
            pacer.last_request = Some(Instant::now());
            let (answer, rate) = answer::classify(result, SystemTime::now()).await;
            if rate != RateLimit::default() {
                pacer.window = Some(rate);
            }
            tracing::debug!(batch = index, attempt = attempts, answer = ?answer, "answer");

            match answer {
                Answer::Accepted => break BatchEnd::Accepted,
                Answer::Rejected { message } => {
                    break BatchEnd::Failed {
                        error: message,
                        fatal: false,
                    };
                }
                Answer::Fatal { message } => {
                    break BatchEnd::Failed {
                        error: message,
                        fatal: true,
                    };
                }
                Answer::RateLimited { wait, message } => {
                    rate_answers += 1;
                    if rate_answers > self.policy.max_rate_limit_retries {
                        break BatchEnd::Failed {
                            error: format!(
                                "still rate limited after {rate_answers} answers ({message}); \
                                 run again later"
                            ),
                            fatal: true,
                        };
                    }
                    let wait = match wait {
                        Some(named) => named + self.policy.reset_margin,
                        None => {
                            unnamed_rate_answers += 1;
                            self.policy.rate_limit_backoff(unnamed_rate_answers)
                        }
                    };
                    if let Err(stop) = self.wait(wait, WaitReason::RateLimited, observer).await {
                        break stop;
                    }
                    pacer.window = None;
                }
                Answer::Transient { message } => {
                    transient_failures += 1;
                    if transient_failures >= self.policy.max_attempts {
                        break BatchEnd::Failed {
                            error: format!("gave up after {attempts} attempts: {message}"),
                            fatal: false,
                        };
                    }
                    let after = self.policy.transient_backoff(transient_failures);
                    if let Err(halt) = observer(&Event::Retrying {
                        index,
                        attempt: attempts,
                        after,
                        reason: &message,
                    }) {
                        break BatchEnd::Stopped(Stop::Halted {
                            message: halt.reason,
                        });
                    }
                    tokio::time::sleep(after).await;
                }
            }
        };
        // The copies made for the request body are wiped as soon as the batch is done.
        body.credentials.iter_mut().for_each(Zeroize::zeroize);
        (end, attempts)
    }

    /// Wait `wait`, unless it is longer than the maximum: then the run stops.
    async fn wait(
        &self,
        wait: Duration,
        reason: WaitReason,
        observer: &mut dyn FnMut(&Event<'_>) -> Result<(), Halt>,
    ) -> Result<(), BatchEnd> {
        let until = SystemTime::now() + wait;
        if let Some(max) = self.max_wait
            && wait > max
        {
            return Err(BatchEnd::Stopped(Stop::MaxWait {
                wait_secs: wait.as_secs_f64().ceil() as u64,
                max_wait_secs: max.as_secs(),
                resume_at: until
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs_f64().ceil() as u64)
                    .unwrap_or_default(),
            }));
        }
        observer(&Event::Waiting {
            until,
            wait,
            reason,
        })
        .map_err(|halt| {
            BatchEnd::Stopped(Stop::Halted {
                message: halt.reason,
            })
        })?;
        tracing::info!(
            wait_secs = wait.as_secs_f64(),
            ?reason,
            "waiting for GitHub's rate limit"
        );
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

impl Pacer {
    /// How long to wait before the next request because the window is spent: until its
    /// reset plus the margin, and not at all if that moment has already passed (the time
    /// spent since the last answer counts towards the wait).
    fn window_wait(&self, policy: &RetryPolicy) -> Option<Duration> {
        let window = self.window.as_ref()?;
        if !window.is_exhausted() {
            return None;
        }
        let reset = window.reset?;
        (reset + policy.reset_margin)
            .duration_since(SystemTime::now())
            .ok()
            .filter(|wait| !wait.is_zero())
    }
}
