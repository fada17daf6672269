//! What an answer's status and headers mean, decided once for every client.
//!
//! Each client reads GitHub's answer to its own operation, then asks [`verdict`] what the
//! status means before saying what that means for its report: the documented success reached
//! the generated client's `Ok` and never comes here, so a 2xx here is an undocumented success
//! (a proxy, a wrong API URL); a rate-limit answer is told by the one shared rule
//! ([`RateLimit::is_rate_limit_answer`]: any 429, a 403 or 422 with `retry-after`, a spent
//! window or rate-limit words) and waits what it named on GitHub's clock
//! ([`RateLimit::named_wait`]); a redirect is refused (a credential never follows one); a 5xx
//! is worth retrying; any other status is the client's to name. Sources: GitHub REST docs,
//! "Rate limits for the REST API" (429, 403 with `retry-after` or `x-ratelimit-remaining: 0`)
//! and openapi/github-credentials.json (each operation's one documented success).

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::RateLimit;
use crate::input::scrub;

/// What an answer that did not reach the generated client's `Ok` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A 2xx that is not the operation's documented success: not GitHub's answer.
    UndocumentedSuccess,
    /// A rate-limit answer; `wait` is what it named on the server's clock, if anything.
    RateLimited { wait: Option<Duration> },
    /// A 3xx, never followed; `location` is where it pointed (scrubbed).
    Redirect { location: String },
    /// A 5xx: worth trying again (or, for a change, of unknown outcome).
    ServerError,
    /// Any other status (401, 403, 404, 410, 422, …): the client names what it means.
    Status(u16),
}

/// Decide what an answer with `status`, `headers` (read into `rate`) and GitHub's `message`
/// means, for an answer that arrived at `now` (the local clock, used only without a `Date`).
pub(crate) fn verdict(
    status: StatusCode,
    headers: &HeaderMap,
    rate: &RateLimit,
    message: &str,
    now: SystemTime,
) -> Verdict {
    if status.is_success() {
        return Verdict::UndocumentedSuccess;
    }
    if rate.is_rate_limit_answer(status, message) {
        return Verdict::RateLimited {
            wait: rate.named_wait(now),
        };
    }
    match status.as_u16() {
        300..=399 => Verdict::Redirect {
            location: scrub(
                headers
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("(no location)"),
            ),
        },
        500..=599 => Verdict::ServerError,
        other => Verdict::Status(other),
    }
}

/// "unexpected answer: 200 text/html …" for a 2xx that is not the documented `expected`
/// status: the status, the content type and the start of the body (scrubbed by the caller).
pub(crate) fn unexpected_success(
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
    expected: &str,
) -> String {
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim())
        .filter(|v| !v.is_empty())
        .unwrap_or("no content type");
    let body = if body.is_empty() {
        String::new()
    } else {
        format!(" {body}")
    };
    format!(
        "unexpected answer: {} {}{}; GitHub answers {expected}: check the API URL and that no \
         proxy intercepts",
        status.as_u16(),
        scrub(content_type),
        scrub(&body)
    )
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn verdict_of(status: u16, pairs: &[(&'static str, &'static str)], message: &str) -> Verdict {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(*k, HeaderValue::from_static(v));
        }
        let now = SystemTime::now();
        let rate = RateLimit::from_headers(&headers, now);
        verdict(
            StatusCode::from_u16(status).unwrap(),
            &headers,
            &rate,
            message,
            now,
        )
    }

    #[test]
    fn one_rule_for_every_client() {
        assert_eq!(verdict_of(200, &[], ""), Verdict::UndocumentedSuccess);
        assert_eq!(verdict_of(204, &[], ""), Verdict::UndocumentedSuccess);
        assert_eq!(
            verdict_of(429, &[("retry-after", "3")], ""),
            Verdict::RateLimited {
                wait: Some(Duration::from_secs(3))
            }
        );
        assert_eq!(
            verdict_of(403, &[], "You have exceeded a secondary rate limit"),
            Verdict::RateLimited { wait: None }
        );
        assert_eq!(
            verdict_of(422, &[], "spammed"),
            Verdict::RateLimited { wait: None }
        );
        assert_eq!(
            verdict_of(403, &[], "Resource not accessible by integration"),
            Verdict::Status(403)
        );
        assert_eq!(
            verdict_of(422, &[], "Validation failed"),
            Verdict::Status(422)
        );
        assert_eq!(verdict_of(503, &[], ""), Verdict::ServerError);
        assert_eq!(
            verdict_of(301, &[("location", "https://elsewhere.example/x")], ""),
            Verdict::Redirect {
                location: "https://elsewhere.example/x".into()
            }
        );
        assert_eq!(
            verdict_of(302, &[], ""),
            Verdict::Redirect {
                location: "(no location)".into()
            }
        );
    }

    #[test]
    fn a_redirect_location_is_scrubbed() {
        let token = crate::fixtures::classic(crate::Kind::ClassicPat, 9);
        let location: &'static str =
            Box::leak(format!("https://x.example/?t={token}").into_boxed_str());
        let Verdict::Redirect { location } = verdict_of(307, &[("location", location)], "") else {
            panic!("redirect")
        };
        assert!(!location.contains(&token[8..]), "{location}");
    }
}
