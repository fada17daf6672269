//! GitHub's rate-limit headers, and what they say about waiting.
//!
//! GitHub's documented rule, which [`crate::RevokeClient`] follows:
//! 1. if `retry-after` is present, wait that many seconds;
//! 2. else if `x-ratelimit-remaining` is `0`, wait until `x-ratelimit-reset` (UTC epoch seconds);
//! 3. else wait at least a minute, backing off exponentially, and give up after a bound.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// What one response's rate-limit headers said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `x-ratelimit-limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `x-ratelimit-reset`: when the window resets.
    pub reset: Option<SystemTime>,
    /// `retry-after`: how long to wait before trying again (seconds or an HTTP date).
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Read the headers of a response received at `now`.
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let number = |name: &str| text(name).and_then(|v| v.parse::<u64>().ok());
        let retry_after = text("retry-after").and_then(|value| {
            value
                .parse::<u64>()
                .ok()
                .map(Duration::from_secs)
                .or_else(|| {
                    httpdate::parse_http_date(value)
                        .ok()
                        .map(|at| at.duration_since(now).unwrap_or_default())
                })
        });
        Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset")
                .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs))),
            retry_after,
        }
    }

    /// Whether the headers say the window is spent.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0)
    }

    /// How long until the window resets, seen from `now` (zero when it is past).
    pub fn until_reset(&self, now: SystemTime) -> Option<Duration> {
        self.reset
            .map(|reset| reset.duration_since(now).unwrap_or_default())
    }
}

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
        assert_eq!(rl.until_reset(now), Some(Duration::from_secs(30)));
        assert_eq!(rl.retry_after, None);
        assert_eq!(
            rl.until_reset(now + Duration::from_secs(40)),
            Some(Duration::ZERO)
        );
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
