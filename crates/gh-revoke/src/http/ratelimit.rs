//! GitHub's rate-limit headers, and what they say about waiting.
//!
//! GitHub's documented rule, which [`crate::RevokeClient`] follows:
//! 1. if `retry-after` is present, wait that many seconds;
//! 2. else if `x-ratelimit-remaining` is `0`, wait until `x-ratelimit-reset` (UTC epoch seconds);
//! 3. else wait at least a minute, backing off exponentially, and give up after a bound.
//!
//! `x-ratelimit-reset` is on GitHub's clock, so every wait is computed against the answer's own
//! `Date` header (`reset - Date`), never against the local clock, which may be minutes off.
//! A reset at or before the server's "now" says nothing: the unknown case (rule 3). Sources:
//! GitHub's REST docs, "Rate limits for the REST API" (headers; reset in UTC epoch seconds) and
//! "Best practices for using the REST API" (the waiting rule); RFC 9110 §6.6.1 (`Date` is the
//! origin's clock) and §10.2.3 (`retry-after`: seconds or an HTTP date).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// What one response's rate-limit headers said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `x-ratelimit-limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `x-ratelimit-reset`: when the window resets.
    pub reset: Option<SystemTime>,
    /// `retry-after`: how long to wait before trying again (seconds or an HTTP date, read
    /// against the answer's `Date`).
    pub retry_after: Option<Duration>,
    /// `date`: the server's clock when it answered.
    pub date: Option<SystemTime>,
}

/// The longest wait a reset time can ask for: GitHub's windows last an hour.
pub(crate) const MAX_RESET_WAIT: Duration = Duration::from_secs(3600);

impl RateLimit {
    /// Read the headers of a response received at `now` (the local clock; used only when the
    /// answer has no readable `Date`). Never panics, whatever the values.
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let number = |name: &str| text(name).and_then(|v| v.parse::<u64>().ok());
        let date = text("date").and_then(|v| httpdate::parse_http_date(v).ok());
        let server_now = date.unwrap_or(now);
        let retry_after = text("retry-after").and_then(|value| {
            value
                .parse::<u64>()
                .ok()
                .map(Duration::from_secs)
                .or_else(|| {
                    httpdate::parse_http_date(value)
                        .ok()
                        .map(|at| at.duration_since(server_now).unwrap_or_default())
                })
        });
        Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset")
                .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs))),
            retry_after,
            date,
        }
    }

    /// How long until the window resets, on the server's clock (`reset - Date`), capped at
    /// an hour. `None` when there is no reset, or it is at or before the server's "now"
    /// (unknown: use GitHub's fallback rule). `now` is the local time the answer arrived,
    /// used only when the answer had no `Date`.
    pub fn reset_wait(&self, now: SystemTime) -> Option<Duration> {
        let reset = self.reset?;
        let server_now = self.date.unwrap_or(now);
        reset
            .duration_since(server_now)
            .ok()
            .filter(|wait| !wait.is_zero())
            .map(|wait| wait.min(MAX_RESET_WAIT))
    }

    /// Whether the headers say the window is spent.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0)
    }

    /// Whether an answer with `status`, these headers and `message` (GitHub's text, any case)
    /// is a rate-limit answer: any 429; a 403 or 422 with `retry-after`, a spent window, or a
    /// message that says so ("rate limit", "secondary rate limit", the older "abuse
    /// detection", `/credentials/revoke`'s 422 "spammed"). Shared by every client, so that all
    /// of them slow down on the same answers.
    pub fn is_rate_limit_answer(&self, status: reqwest::StatusCode, message: &str) -> bool {
        let lower = message.to_ascii_lowercase();
        match status.as_u16() {
            429 => true,
            403 | 422 => {
                self.retry_after.is_some()
                    || self.is_exhausted()
                    || RATE_LIMIT_WORDS.iter().any(|word| lower.contains(word))
            }
            _ => false,
        }
    }

    /// The wait a rate-limit answer named: `retry-after`, else the reset of a spent window
    /// (see [`RateLimit::reset_wait`]); `None` when it named nothing (GitHub's fallback rule:
    /// at least a minute, doubling, [`crate::RetryPolicy::rate_limit_backoff`]).
    pub fn named_wait(&self, now: SystemTime) -> Option<Duration> {
        self.retry_after
            .or_else(|| self.is_exhausted().then(|| self.reset_wait(now)).flatten())
    }
}

/// Words in a message that mean "slow down" (GitHub's primary and secondary limits, the older
/// "abuse detection" wording, and `/credentials/revoke`'s 422 "spammed").
const RATE_LIMIT_WORDS: [&str; 4] = ["rate limit", "secondary rate limit", "abuse", "spammed"];

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn reads_github_headers() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from_static("60"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("1030"));
        let rl = RateLimit::from_headers(&h, now);
        assert_eq!(rl.limit, Some(60));
        assert!(rl.is_exhausted());
        assert_eq!(rl.reset_wait(now), Some(Duration::from_secs(30)));
        assert_eq!(rl.retry_after, None);
        // A reset at or before "now" is unknown, not "go now".
        assert_eq!(rl.reset_wait(now + Duration::from_secs(40)), None);
    }

    #[test]
    fn waits_are_on_the_server_clock() {
        let server = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("1700000030"));
        let date = httpdate::fmt_http_date(server);
        h.insert("date", HeaderValue::from_str(&date).unwrap());
        h.insert(
            "retry-after",
            HeaderValue::from_str(&httpdate::fmt_http_date(server + Duration::from_secs(20)))
                .unwrap(),
        );
        for skew in [-600i64, 0, 600] {
            let local = if skew < 0 {
                server - Duration::from_secs(600)
            } else {
                server + Duration::from_secs(skew as u64)
            };
            let rl = RateLimit::from_headers(&h, local);
            assert_eq!(
                rl.reset_wait(local),
                Some(Duration::from_secs(30)),
                "skew {skew}"
            );
            assert_eq!(rl.retry_after, Some(Duration::from_secs(20)), "skew {skew}");
        }
    }

    #[test]
    fn absurd_values_never_panic_and_resets_are_capped() {
        let now = SystemTime::now();
        for value in [
            "18446744073709551615",
            "-5",
            "99999999999999999999999",
            "1e9",
            "",
        ] {
            let mut h = HeaderMap::new();
            h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
            h.insert("x-ratelimit-reset", HeaderValue::from_str(value).unwrap());
            h.insert("retry-after", HeaderValue::from_str(value).unwrap());
            h.insert("date", HeaderValue::from_str(value).unwrap());
            let rl = RateLimit::from_headers(&h, now);
            assert!(
                rl.reset_wait(now).is_none_or(|w| w <= MAX_RESET_WAIT),
                "{value}"
            );
        }
    }

    #[test]
    fn retry_after_in_seconds_or_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(
            RateLimit::from_headers(&h, now).retry_after,
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        h.insert("retry-after", HeaderValue::from_str(&later).unwrap());
        assert_eq!(
            RateLimit::from_headers(&h, now).retry_after,
            Some(Duration::from_secs(90))
        );
    }

    #[test]
    fn garbage_headers_are_ignored() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("lots"));
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(
            RateLimit::from_headers(&h, SystemTime::now()),
            RateLimit::default()
        );
    }
}
