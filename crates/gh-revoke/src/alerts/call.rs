//! One authenticated secret-scanning call: what its answer means, and the pacing between calls.
//!
//! The rules are [`crate::RevokeClient`]'s, applied to the caller's own token: wait out a spent
//! window (`x-ratelimit-remaining: 0`) until its reset on the server's clock; on a rate-limit
//! answer (told by the one rule every client shares, `http/answer.rs`: 429, or a 403 or 422 with
//! `retry-after`, a spent window or a rate-limit message) wait `retry-after`, else the reset, else at least a minute, doubling; retry 5xx and connection
//! failures with backoff. Sources: GitHub REST docs, "Rate limits for the REST API" and "Best
//! practices for using the REST API" (serial requests; mutating requests at least a second apart).

use std::time::{Duration, Instant, SystemTime};

use gh_revoke_api::{Error, ErrorAnswer};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::http::RateLimit;
use crate::http::answer::{Verdict, verdict};
use crate::input::scrub;
use crate::revoke::RetryPolicy;

/// What a failed call means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failed {
    /// Slow down; `wait` is what the headers named, if anything.
    RateLimited {
        wait: Option<Duration>,
        message: String,
    },
    /// Worth retrying: 5xx, connection failure, timeout.
    Transient { message: String },
    /// An answer with this status (not a rate limit, not 5xx).
    Status {
        status: u16,
        message: String,
        accepted_scopes: Option<String>,
        token_scopes: Option<String>,
    },
    /// Nothing to retry: a request that could not be built, an answer that could not be read.
    Other { message: String },
}

/// Read a failed call into a [`Failed`] and the rate-limit headers seen.
pub(super) async fn classify(
    error: Error<gh_revoke_api::ByteStream>,
    now: SystemTime,
) -> (Failed, RateLimit) {
    match error {
        error @ (Error::ErrorResponse(_) | Error::UnexpectedResponse(_)) => {
            match ErrorAnswer::read(error).await {
                Ok(answer) => {
                    let rate = RateLimit::from_headers(answer.headers(), now);
                    let mut message = answer.message().unwrap_or_else(|| answer.text_snippet(200));
                    let errors = answer.errors();
                    if !errors.is_empty() {
                        message = format!("{message} ({})", errors.join("; "));
                    }
                    let failed = by_status(
                        answer.status().as_u16(),
                        answer.headers(),
                        &rate,
                        &scrub(&message),
                        now,
                    );
                    (failed, rate)
                }
                Err(other) => (
                    Failed::Other {
                        message: scrub(&gh_revoke_api::describe(&other)),
                    },
                    RateLimit::default(),
                ),
            }
        }
        error @ (Error::CommunicationError(_) | Error::ResponseBodyError(_)) => (
            Failed::Transient {
                message: scrub(&gh_revoke_api::describe(&error)),
            },
            RateLimit::default(),
        ),
        other => (
            Failed::Other {
                message: scrub(&gh_revoke_api::describe(&other)),
            },
            RateLimit::default(),
        ),
    }
}

fn by_status(
    status: u16,
    headers: &HeaderMap,
    rate: &RateLimit,
    message: &str,
    now: SystemTime,
) -> Failed {
    let said = |what: &str| {
        if message.is_empty() {
            format!("{status} {what}")
        } else {
            format!("{status} {what}: {message}")
        }
    };
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match verdict(code, headers, rate, message, now) {
        Verdict::RateLimited { wait } => Failed::RateLimited {
            wait,
            message: said("rate limited"),
        },
        Verdict::ServerError => Failed::Transient {
            message: said("server error"),
        },
        // The callers name a redirect, an undocumented 2xx and every other status by its
        // number (`alerts/error.rs`).
        Verdict::UndocumentedSuccess | Verdict::Redirect { .. } | Verdict::Status(_) => {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.trim().to_owned())
            };
            Failed::Status {
                status,
                message: message.to_owned(),
                accepted_scopes: header("x-accepted-oauth-scopes"),
                token_scopes: header("x-oauth-scopes"),
            }
        }
    }
}

/// What the client knows about the rate-limit window between its authenticated calls.
#[derive(Debug, Default)]
pub(super) struct Pacer {
    /// Calls answered (any status) or failed on the way: the report's `alerts.requests`.
    requests: u64,
    last_request: Option<Instant>,
    window: Option<(RateLimit, Instant, SystemTime)>,
    unknown_resets: u32,
}

impl Pacer {
    /// Note an answer's headers (any status).
    pub(super) fn answered(&mut self, rate: RateLimit, at: SystemTime) {
        self.requests += 1;
        let now = Instant::now();
        self.last_request = Some(now);
        if rate != RateLimit::default() {
            self.window = Some((rate, now, at));
        }
    }

    /// Note the headers of a successful answer.
    pub(super) fn answered_ok(&mut self, headers: &HeaderMap) {
        let at = SystemTime::now();
        self.answered(RateLimit::from_headers(headers, at), at);
    }

    /// Requests made so far (each answer or failure noted).
    pub(super) fn requests(&self) -> u64 {
        self.requests
    }

    /// Forget the window (after waiting for it).
    pub(super) fn waited(&mut self) {
        self.window = None;
    }

    /// How long to wait before the next request: a spent window's reset (plus the margin),
    /// else whatever is left of `min_interval` since the last request.
    pub(super) fn wait_before(
        &mut self,
        policy: &RetryPolicy,
        min_interval: Duration,
    ) -> Option<(Duration, bool)> {
        if let Some((window, received, received_at)) = &self.window
            && window.is_exhausted()
        {
            let wait = match window.reset_wait(*received_at) {
                Some(wait) => wait.saturating_add(policy.reset_margin),
                None => {
                    self.unknown_resets += 1;
                    policy.rate_limit_backoff(self.unknown_resets)
                }
            };
            if let Some(left) = wait
                .checked_sub(received.elapsed())
                .filter(|w| !w.is_zero())
            {
                return Some((left, true));
            }
        }
        let since = self.last_request?.elapsed();
        min_interval
            .checked_sub(since)
            .filter(|w| !w.is_zero())
            .map(|w| (w, false))
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn failed(status: u16, pairs: &[(&'static str, &'static str)], message: &str) -> Failed {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(*k, HeaderValue::from_static(v));
        }
        let now = SystemTime::now();
        let rate = RateLimit::from_headers(&headers, now);
        by_status(status, &headers, &rate, message, now)
    }

    #[test]
    fn a_403_is_a_rate_limit_only_when_it_says_so() {
        assert!(matches!(
            failed(403, &[("retry-after", "3")], "x"),
            Failed::RateLimited {
                wait: Some(w),
                ..
            } if w == Duration::from_secs(3)
        ));
        assert!(matches!(
            failed(403, &[], "You have exceeded a secondary rate limit"),
            Failed::RateLimited { wait: None, .. }
        ));
        assert!(matches!(failed(429, &[], ""), Failed::RateLimited { .. }));
        let refused = failed(
            403,
            &[
                ("x-accepted-oauth-scopes", "repo, security_events"),
                ("x-oauth-scopes", "gist"),
            ],
            "Resource not accessible",
        );
        assert_eq!(
            refused,
            Failed::Status {
                status: 403,
                message: "Resource not accessible".into(),
                accepted_scopes: Some("repo, security_events".into()),
                token_scopes: Some("gist".into()),
            }
        );
        assert!(matches!(failed(502, &[], ""), Failed::Transient { .. }));
    }

    #[test]
    fn the_pacer_keeps_requests_apart_and_waits_out_a_spent_window() {
        let policy = RetryPolicy {
            reset_margin: Duration::ZERO,
            ..RetryPolicy::default()
        };
        let mut pacer = Pacer::default();
        assert_eq!(pacer.wait_before(&policy, Duration::from_secs(1)), None);
        pacer.answered(RateLimit::default(), SystemTime::now());
        let (wait, spent) = pacer.wait_before(&policy, Duration::from_secs(1)).unwrap();
        assert!(!spent && wait <= Duration::from_secs(1) && wait > Duration::from_millis(500));
        let mut headers = HeaderMap::new();
        let now = SystemTime::now();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        let reset = (now + Duration::from_secs(30))
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        headers.insert(
            "x-ratelimit-reset",
            HeaderValue::from_str(&reset.to_string()).unwrap(),
        );
        headers.insert(
            "date",
            HeaderValue::from_str(&httpdate::fmt_http_date(now)).unwrap(),
        );
        pacer.answered(RateLimit::from_headers(&headers, now), now);
        let (wait, spent) = pacer.wait_before(&policy, Duration::from_secs(1)).unwrap();
        assert!(spent && wait > Duration::from_secs(25), "{wait:?}");
    }
}
