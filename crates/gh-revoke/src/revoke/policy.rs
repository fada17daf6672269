//! How long to wait, and how often to try again.

use std::time::Duration;

/// Bounds for retries and rate-limit waits. The defaults follow GitHub's guidance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per batch for transient failures (5xx, resets, timeouts), the first included.
    pub max_attempts: u32,
    /// First backoff after a transient failure; doubles each time, with jitter.
    pub initial_backoff: Duration,
    /// Largest backoff after a transient failure.
    pub max_backoff: Duration,
    /// Rate-limit answers tolerated per batch before it is given up.
    pub max_rate_limit_retries: u32,
    /// Wait after a rate-limit answer that names no time (GitHub: at least a minute);
    /// doubles with each further such answer.
    pub rate_limit_min_wait: Duration,
    /// Largest wait after a rate-limit answer that names no time.
    pub rate_limit_max_wait: Duration,
    /// Least time between two requests (GitHub: write requests at least a second apart).
    pub min_interval: Duration,
    /// Extra time added after `x-ratelimit-reset`, whose resolution is one second.
    pub reset_margin: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            max_rate_limit_retries: 5,
            rate_limit_min_wait: Duration::from_secs(60),
            rate_limit_max_wait: Duration::from_secs(30 * 60),
            min_interval: Duration::from_secs(1),
            reset_margin: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// Backoff before attempt `failures + 1` after `failures` transient failures:
    /// exponential, capped, with "equal jitter" (between half and all of the step).
    pub fn transient_backoff(&self, failures: u32) -> Duration {
        let step = exponential(self.initial_backoff, failures, self.max_backoff);
        let half = step / 2;
        half + half.mul_f64(rand::random::<f64>())
    }

    /// Wait after the `answers`-th rate-limit answer that named no time.
    pub fn rate_limit_backoff(&self, answers: u32) -> Duration {
        exponential(self.rate_limit_min_wait, answers, self.rate_limit_max_wait)
    }
}

/// `base * 2^(n-1)` for n ≥ 1, never above `cap`.
fn exponential(base: Duration, n: u32, cap: Duration) -> Duration {
    let factor = 2u32.saturating_pow(n.saturating_sub(1).min(20));
    base.saturating_mul(factor).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_backoff_grows_is_jittered_and_capped() {
        let p = RetryPolicy::default();
        for failures in 1..=10 {
            let step = exponential(p.initial_backoff, failures, p.max_backoff);
            for _ in 0..20 {
                let d = p.transient_backoff(failures);
                assert!(d >= step / 2 && d <= step, "{failures}: {d:?} vs {step:?}");
            }
        }
        assert_eq!(
            exponential(p.initial_backoff, 30, p.max_backoff),
            p.max_backoff
        );
    }

    #[test]
    fn rate_limit_backoff_starts_at_a_minute_and_doubles() {
        let p = RetryPolicy::default();
        assert_eq!(p.rate_limit_backoff(1), Duration::from_secs(60));
        assert_eq!(p.rate_limit_backoff(2), Duration::from_secs(120));
        assert_eq!(p.rate_limit_backoff(3), Duration::from_secs(240));
        assert_eq!(p.rate_limit_backoff(50), p.rate_limit_max_wait);
    }
}
