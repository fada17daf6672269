//! [`Engine`]: the one way every client calls GitHub.
//!
//! [`Engine::call`] sends one operation until it ends: it paces by the shared [`Pacer`]
//! (waits out a spent window until its reset on the server's clock, keeps requests apart),
//! reads the answer once ([`read`]), records its rate-limit headers, retries by the one rule
//! ([`Retries`]: a rate-limit answer waited out, a 5xx or a lost connection backed off), refuses
//! a wait longer than the maximum, stops on the caller's [`Interrupt`] or an observer's error,
//! and tells the client's run the same [`CallEvent`]s. What differs per client stays in the
//! client: which operation and token `send` makes, and what its success or [`Failure`] means.
//! [`Engine::once`] is the same reading for a change sent once and never retried (the
//! enterprise revocations: GitHub queues them, and there is nothing to poll).

use std::future::Future;
use std::time::{Duration, SystemTime};

use gh_revoke_api::{Error, ErrorBody, ResponseValue};

use super::answer::{Failure, read};
use super::interrupt::Interrupt;
use super::retry::{Retries, too_long};
use super::{Pacer, RateLimit};
use crate::revoke::{RetryPolicy, Stop, WaitReason};

/// What a call tells its run, in order; a listener's `Err` stops the run
/// ([`Stop::Halted`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallEvent<'a> {
    /// Attempt `attempt` (from 1) is about to be sent.
    Sending { attempt: u32 },
    /// The call waits for GitHub's rate limit until `until` (local clock).
    Waiting {
        until: SystemTime,
        wait: Duration,
        reason: WaitReason,
    },
    /// Attempt `attempt` failed for `reason` (a 5xx, a lost connection); the next one follows
    /// `after`.
    Retrying {
        attempt: u32,
        after: Duration,
        reason: &'a str,
    },
}

/// Where a call's events go.
pub(crate) type Listener<'l> = dyn FnMut(&CallEvent<'_>) -> Result<(), String> + Send + 'l;

/// How a call ended.
#[derive(Debug)]
pub(crate) enum End<T> {
    /// The documented success.
    Success(ResponseValue<T>),
    /// An answer that would repeat if sent again: the client names it.
    Failed(Failure),
    /// Retrying gave up: `rate_limited` after [`RetryPolicy::max_rate_limit_retries`]
    /// rate-limit answers, else after [`RetryPolicy::max_attempts`] transient failures.
    GaveUp { message: String, rate_limited: bool },
    /// Interrupted with the request in flight: its answer was never seen.
    Abandoned,
    /// The run must stop before sending again: an interruption, a wait longer than the
    /// maximum, a listener's error.
    Stopped(Stop),
}

/// How a client calls: its retry policy and maximum wait, the budget it spends, and how far
/// apart its requests are kept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Engine<'c> {
    pub(crate) policy: &'c RetryPolicy,
    pub(crate) max_wait: Option<Duration>,
    pub(crate) pacer: &'c Pacer,
    /// The least time between two requests through `pacer`.
    pub(crate) interval: Duration,
    /// Whether the answers' rate-limit windows are `pacer`'s. Not for the calls a leaked
    /// credential authenticates: each has a budget of its own, and one credential's spent
    /// window must not hold up the next.
    pub(crate) shared_window: bool,
}

fn interrupted() -> Stop {
    Stop::Interrupted {
        abandoned_batch: None,
    }
}

impl Engine<'_> {
    /// Send `send()` until it ends (see the module docs). `attempts` counts the requests sent.
    pub(crate) async fn call<T, E, F, Fut>(
        &self,
        interrupt: &mut Interrupt<'_>,
        listener: &mut Listener<'_>,
        attempts: &mut u32,
        mut send: F,
    ) -> End<T>
    where
        E: ErrorBody,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
    {
        let mut retries = Retries::default();
        loop {
            if interrupt.fired() {
                return End::Stopped(interrupted());
            }
            if let Err(stop) = self.pace(interrupt, listener).await {
                return End::Stopped(stop);
            }
            if let Err(message) = listener(&CallEvent::Sending {
                attempt: *attempts + 1,
            }) {
                return End::Stopped(Stop::Halted { message });
            }
            *attempts += 1;
            let Some(result) = interrupt.or(send()).await else {
                return End::Abandoned;
            };
            let (reading, rate) = read(result, SystemTime::now()).await;
            self.pacer.record(if self.shared_window {
                rate
            } else {
                RateLimit::default()
            });
            let failure = match reading {
                Ok(value) => {
                    self.pacer.accepted();
                    return End::Success(value);
                }
                Err(failure) => failure,
            };
            tracing::debug!(attempt = *attempts, answer = ?failure, "answer");
            if let Failure::RateLimited { wait, .. } = failure {
                let message = failure.message("");
                let wait = match retries.after_rate_limit(self.policy, wait, &message) {
                    Ok(wait) => wait,
                    Err(message) => {
                        return End::GaveUp {
                            message,
                            rate_limited: true,
                        };
                    }
                };
                if let Err(stop) = self
                    .wait(wait, WaitReason::RateLimited, interrupt, listener)
                    .await
                {
                    return End::Stopped(stop);
                }
                self.pacer.window_passed();
            } else if failure.is_transient() {
                let message = failure.message("");
                let Some(after) = retries.after_transient(self.policy) else {
                    return End::GaveUp {
                        message: format!("gave up after {attempts} attempts: {message}"),
                        rate_limited: false,
                    };
                };
                if let Err(message) = listener(&CallEvent::Retrying {
                    attempt: *attempts,
                    after,
                    reason: &message,
                }) {
                    return End::Stopped(Stop::Halted { message });
                }
                if interrupt.sleep(after).await.is_err() {
                    return End::Stopped(interrupted());
                }
            } else {
                return End::Failed(failure);
            }
        }
    }

    /// Send `send()` once, unpaced and never retried, and read its answer.
    pub(crate) async fn once<T, E: ErrorBody>(
        send: impl Future<Output = Result<ResponseValue<T>, Error<E>>>,
    ) -> Result<ResponseValue<T>, Failure> {
        read(send.await, SystemTime::now()).await.0
    }

    /// Before a request: wait out a spent window, then keep requests `interval` apart.
    async fn pace(
        &self,
        interrupt: &mut Interrupt<'_>,
        listener: &mut Listener<'_>,
    ) -> Result<(), Stop> {
        if self.shared_window
            && let Some(wait) = self.pacer.window_wait(self.policy)
        {
            self.wait(wait, WaitReason::WindowSpent, interrupt, listener)
                .await?;
            self.pacer.window_passed();
        }
        if let Some(wait) = self.pacer.interval_wait_of(self.interval)
            && interrupt.sleep(wait).await.is_err()
        {
            return Err(interrupted());
        }
        Ok(())
    }

    /// Wait `wait` for GitHub's rate limit, unless it is longer than the maximum
    /// (`--max-wait`, else a week): then the run stops. Never panics, whatever the length.
    async fn wait(
        &self,
        wait: Duration,
        reason: WaitReason,
        interrupt: &mut Interrupt<'_>,
        listener: &mut Listener<'_>,
    ) -> Result<(), Stop> {
        if let Some(stop) = too_long(wait, self.max_wait) {
            return Err(stop);
        }
        let now = SystemTime::now();
        let until = now.checked_add(wait).unwrap_or(now);
        listener(&CallEvent::Waiting {
            until,
            wait,
            reason,
        })
        .map_err(|message| Stop::Halted { message })?;
        tracing::info!(
            wait_secs = wait.as_secs_f64(),
            ?reason,
            "waiting for GitHub's rate limit"
        );
        interrupt.sleep(wait).await.map_err(|()| interrupted())
    }
}

#[cfg(test)]
mod tests;
