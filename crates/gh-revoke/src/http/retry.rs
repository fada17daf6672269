//! The one retry rule under every client's retry loop: how long to wait after a rate-limit
//! answer or a transient failure, when to give up, and when a wait is too long to take.
//!
//! GitHub's rule ("Best practices for using the REST API"; see [`super::RateLimit`]): wait what
//! a rate-limit answer named (plus [`RetryPolicy::reset_margin`]), else at least a minute,
//! doubling ([`RetryPolicy::rate_limit_backoff`]), up to
//! [`RetryPolicy::max_rate_limit_retries`] answers; retry 5xx and connection failures with
//! [`RetryPolicy::transient_backoff`] up to [`RetryPolicy::max_attempts`]. A wait longer than
//! the maximum (`--max-wait`, else [`super::DEFAULT_MAX_WAIT`], a week) stops the run.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::DEFAULT_MAX_WAIT;
use crate::revoke::{RetryPolicy, Stop};

/// What one call has met so far: rate-limit answers (all, and those that named no wait) and
/// transient failures.
#[derive(Debug, Default)]
pub(crate) struct Retries {
    rate_answers: u32,
    unnamed: u32,
    transient: u32,
}

impl Retries {
    /// After a rate-limit answer that named `wait` (if anything): the wait to take, or `Err`
    /// with the give-up message when the policy's rate-limit answers are spent.
    pub(crate) fn after_rate_limit(
        &mut self,
        policy: &RetryPolicy,
        wait: Option<Duration>,
        message: &str,
    ) -> Result<Duration, String> {
        self.rate_answers += 1;
        if self.rate_answers > policy.max_rate_limit_retries {
            return Err(format!(
                "still rate limited after {} answers ({message}); run again later",
                self.rate_answers
            ));
        }
        Ok(self.rate_limit_wait(policy, wait))
    }

    /// The wait after a rate-limit answer that named `wait` (if anything), with no bound on
    /// how many (for a caller bounded by a deadline instead).
    pub(crate) fn rate_limit_wait(
        &mut self,
        policy: &RetryPolicy,
        wait: Option<Duration>,
    ) -> Duration {
        match wait {
            Some(named) => named.saturating_add(policy.reset_margin),
            None => {
                self.unnamed += 1;
                policy.rate_limit_backoff(self.unnamed)
            }
        }
    }

    /// After a transient failure: the backoff before trying again, or `None` when the
    /// policy's attempts are spent.
    pub(crate) fn after_transient(&mut self, policy: &RetryPolicy) -> Option<Duration> {
        let wait = self.transient_wait(policy);
        (self.transient < policy.max_attempts).then_some(wait)
    }

    /// The backoff after a transient failure, with no bound on how many.
    pub(crate) fn transient_wait(&mut self, policy: &RetryPolicy) -> Duration {
        self.transient += 1;
        policy.transient_backoff(self.transient)
    }

    /// Transient failures met so far.
    #[cfg(test)]
    pub(crate) fn transient(&self) -> u32 {
        self.transient
    }
}

/// The stop for a `wait` longer than `max_wait` (else a week), or `None` when it may be taken.
/// `resume_at` is the Unix time (seconds, rounded up) the wait would end.
pub(crate) fn too_long(wait: Duration, max_wait: Option<Duration>) -> Option<Stop> {
    let max = max_wait.unwrap_or(DEFAULT_MAX_WAIT);
    if wait <= max {
        return None;
    }
    let round_up = |d: Duration| d.as_secs().saturating_add(u64::from(d.subsec_nanos() > 0));
    Some(Stop::MaxWait {
        wait_secs: round_up(wait),
        max_wait_secs: max.as_secs(),
        resume_at: SystemTime::now()
            .checked_add(wait)
            .and_then(|until| until.duration_since(UNIX_EPOCH).ok())
            .map(round_up)
            .unwrap_or(u64::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_waits_named_else_back_off_then_give_up() {
        let policy = RetryPolicy {
            max_rate_limit_retries: 2,
            reset_margin: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        let mut retries = Retries::default();
        assert_eq!(
            retries.after_rate_limit(&policy, Some(Duration::from_secs(5)), "x"),
            Ok(Duration::from_secs(6))
        );
        assert_eq!(
            retries.after_rate_limit(&policy, None, "x"),
            Ok(policy.rate_limit_backoff(1))
        );
        let end = retries.after_rate_limit(&policy, None, "429 rate limited");
        assert_eq!(
            end,
            Err("still rate limited after 3 answers (429 rate limited); run again later".into())
        );
    }

    #[test]
    fn transient_failures_back_off_until_the_attempts_are_spent() {
        let policy = RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            ..RetryPolicy::default()
        };
        let mut retries = Retries::default();
        // Equal jitter: between half and all of 2 s, then of 4 s.
        let first = retries.after_transient(&policy).unwrap();
        assert!(first >= Duration::from_secs(1) && first <= Duration::from_secs(2));
        let second = retries.after_transient(&policy).unwrap();
        assert!(second >= Duration::from_secs(2) && second <= Duration::from_secs(4));
        assert_eq!(retries.after_transient(&policy), None);
        assert_eq!(retries.transient(), 3);
    }

    #[test]
    fn a_wait_past_the_maximum_stops_with_when_to_resume() {
        assert!(too_long(Duration::from_secs(60), Some(Duration::from_secs(60))).is_none());
        assert!(too_long(crate::http::DEFAULT_MAX_WAIT, None).is_none());
        let before = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let Some(Stop::MaxWait {
            wait_secs,
            max_wait_secs,
            resume_at,
        }) = too_long(Duration::from_millis(90_500), Some(Duration::from_secs(60)))
        else {
            panic!("a stop")
        };
        assert_eq!((wait_secs, max_wait_secs), (91, 60));
        assert!(
            resume_at >= before + 90 && resume_at <= before + 92,
            "{resume_at}"
        );
        assert!(too_long(Duration::MAX, None).is_some());
    }
}
