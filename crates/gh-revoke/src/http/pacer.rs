//! [`Pacer`]: one host's rate-limit budget for `POST /credentials/revoke`, kept between calls
//! and shareable between concurrent callers.
//!
//! Tell it each answer's headers ([`Pacer::record`]); ask it how long to wait before the next
//! request ([`Pacer::wait`]). A [`crate::RevokeClient`] holds one, so a long-lived client (a
//! webhook receiver revoking batch after batch) remembers a spent window between
//! `revoke()` calls instead of discovering it again with an over-limit request. Clones share
//! one budget (an `Arc` inside): give the same pacer to every client that sends to the same
//! host ([`crate::RevokeClientBuilder::pacer`]).
//!
//! The waiting rule is GitHub's (see [`RateLimit`]): a window that says `x-ratelimit-remaining:
//! 0` is waited out until its reset, computed on the server's clock (`reset - Date`); a spent
//! window with no usable reset waits at least a minute, doubling. Requests are also kept at
//! least [`RetryPolicy::min_interval`] apart.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use super::RateLimit;
use crate::revoke::RetryPolicy;

/// A shareable rate-limit budget (see the module docs). `Clone` shares it.
#[derive(Debug, Clone, Default)]
pub struct Pacer {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    last_request: Option<Instant>,
    /// The last answer's headers, and when (local monotonic clock, and wall clock) it arrived.
    window: Option<(RateLimit, Instant, SystemTime)>,
    /// Spent windows whose reset was unknown, in a row (GitHub's fallback rule doubles).
    unknown_resets: u32,
}

impl Pacer {
    /// A fresh budget: nothing known yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent whatever a panicking holder did: every field is
        // written whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Record an answer that arrived now with these rate-limit headers (headers that say
    /// nothing leave the window as it was).
    pub fn record(&self, rate: RateLimit) {
        let (received, received_at) = (Instant::now(), SystemTime::now());
        let mut state = self.lock();
        state.last_request = Some(received);
        if rate != RateLimit::default() {
            state.window = Some((rate, received, received_at));
        }
    }

    /// An answer was accepted: the unknown-reset backoff starts again from a minute.
    pub fn accepted(&self) {
        self.lock().unknown_resets = 0;
    }

    /// Forget the window (after waiting it out, or after a rate-limit answer was waited out).
    pub fn window_passed(&self) {
        self.lock().window = None;
    }

    /// How long to wait before the next request because the window is spent: until its reset
    /// (on the server's clock) plus the margin, less the time since the answer. `None`: the
    /// window has room (or nothing is known). A spent window with an unknown reset counts one
    /// more unknown reset each time it is asked (GitHub's fallback rule doubles).
    pub fn window_wait(&self, policy: &RetryPolicy) -> Option<Duration> {
        let mut state = self.lock();
        let (window, received, received_at) = state.window.clone()?;
        if !window.is_exhausted() {
            return None;
        }
        let wait = match window.reset_wait(received_at) {
            Some(wait) => wait.saturating_add(policy.reset_margin),
            None => {
                state.unknown_resets += 1;
                policy.rate_limit_backoff(state.unknown_resets)
            }
        };
        wait.checked_sub(received.elapsed())
            .filter(|wait| !wait.is_zero())
    }

    /// How long to wait before the next request to keep requests `policy.min_interval` apart.
    pub fn interval_wait(&self, policy: &RetryPolicy) -> Option<Duration> {
        self.interval_wait_of(policy.min_interval)
    }

    /// How long to wait before the next request to keep requests `interval` apart.
    pub(crate) fn interval_wait_of(&self, interval: Duration) -> Option<Duration> {
        let last = self.lock().last_request?;
        interval
            .checked_sub(last.elapsed())
            .filter(|wait| !wait.is_zero())
    }

    /// How long before a request may be sent at all: the longer of the window's wait and the
    /// interval's, without counting an unknown reset (a question, not a decision). `None`:
    /// now.
    pub fn ready_in(&self, policy: &RetryPolicy) -> Option<Duration> {
        let window = {
            let state = self.lock();
            state.window.clone().and_then(|(window, received, at)| {
                if !window.is_exhausted() {
                    return None;
                }
                let wait = match window.reset_wait(at) {
                    Some(wait) => wait.saturating_add(policy.reset_margin),
                    None => policy.rate_limit_backoff(state.unknown_resets.max(1)),
                };
                wait.checked_sub(received.elapsed())
            })
        };
        let interval = self.interval_wait(policy);
        window.max(interval).filter(|wait| !wait.is_zero())
    }

    /// The last answer's rate-limit headers, if any said something.
    pub fn last_window(&self) -> Option<RateLimit> {
        self.lock()
            .window
            .as_ref()
            .map(|(window, ..)| window.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn spent(reset_in_secs: u64) -> RateLimit {
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        let reset = now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + reset_in_secs;
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("60"));
        headers.insert(
            "x-ratelimit-reset",
            HeaderValue::from_str(&reset.to_string()).unwrap(),
        );
        RateLimit::from_headers(&headers, now)
    }

    #[test]
    fn a_spent_window_is_remembered_and_shared_by_clones() {
        let policy = RetryPolicy::default();
        let pacer = Pacer::new();
        assert_eq!(pacer.window_wait(&policy), None);
        let other = pacer.clone();
        other.record(spent(120));
        let wait = pacer
            .window_wait(&policy)
            .expect("the clone's answer is seen");
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(122));
        assert!(pacer.ready_in(&policy).is_some());
        pacer.window_passed();
        assert_eq!(other.window_wait(&policy), None);
    }

    #[test]
    fn requests_are_kept_apart() {
        let policy = RetryPolicy::default();
        let pacer = Pacer::new();
        assert_eq!(pacer.interval_wait(&policy), None);
        pacer.record(RateLimit::default());
        assert!(pacer.interval_wait(&policy).is_some());
        assert_eq!(pacer.last_window(), None);
    }
}
