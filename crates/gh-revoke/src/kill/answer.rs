//! What one answer to a call authenticated by a leaked credential means.
//!
//! Both calls ([`gh_revoke_api::LeakedTokenClient`]) ask GitHub one thing about the credential
//! that authenticates them: 2xx means it worked (revoked, or alive), 401 that the credential
//! does not authenticate (dead). Rate-limit answers are recognised by the rule every client
//! shares ([`RateLimit::is_rate_limit_answer`]); redirects are never followed.

use std::time::{Duration, SystemTime};

use gh_revoke_api::{Error, ErrorAnswer, ErrorBody, ResponseValue};

use crate::http::RateLimit;
use crate::http::answer::{Verdict, unexpected_success, verdict};
use crate::input::scrub;

/// The meaning of one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The documented success (the generated client's `Ok`).
    Success,
    /// 401: the credential does not authenticate.
    Unauthorized,
    /// A rate-limit answer; `wait` is what it named, if anything.
    RateLimited {
        wait: Option<Duration>,
        message: String,
    },
    /// Worth trying again: 5xx, a connection reset, a timeout.
    Transient { message: String },
    /// Anything else (403, 404, 422, a redirect, …): would repeat, so not retried.
    Refused { message: String },
}

/// Classify a result of the generated client, for an answer that arrived at `now`; also
/// returns the rate-limit headers seen.
pub(crate) async fn classify<T, E: ErrorBody>(
    result: Result<ResponseValue<T>, Error<E>>,
    now: SystemTime,
) -> (Answer, RateLimit) {
    match result {
        Ok(response) => (
            Answer::Success,
            RateLimit::from_headers(response.headers(), now),
        ),
        Err(error @ (Error::ErrorResponse(_) | Error::UnexpectedResponse(_))) => {
            match ErrorAnswer::read(error).await {
                Ok(answer) => {
                    let rate = RateLimit::from_headers(answer.headers(), now);
                    (by_status(&answer, &rate, now), rate)
                }
                Err(other) => (
                    Answer::Transient {
                        message: scrub(&gh_revoke_api::describe(&other)),
                    },
                    RateLimit::default(),
                ),
            }
        }
        // A 2xx whose body did not decode still answered 2xx; say so without the body.
        Err(error @ Error::InvalidResponsePayload(..)) => {
            tracing::debug!(error = %gh_revoke_api::describe(&error), "2xx with an unreadable body");
            (Answer::Success, RateLimit::default())
        }
        Err(other) => {
            let transient = matches!(
                other,
                Error::CommunicationError(_) | Error::ResponseBodyError(_)
            );
            let message = scrub(&gh_revoke_api::describe(&other));
            let answer = if transient {
                Answer::Transient { message }
            } else {
                Answer::Refused { message }
            };
            (answer, RateLimit::default())
        }
    }
}

/// GitHub's words for an error answer, scrubbed: `message` (and `errors`), else the start of
/// the body; empty when there is nothing.
fn said(answer: &ErrorAnswer) -> String {
    let text = match answer.message() {
        Some(message) => {
            let errors = answer.errors();
            if errors.is_empty() {
                message
            } else {
                format!("{message} ({})", errors.join("; "))
            }
        }
        None => answer.text_snippet(160),
    };
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    scrub(flat.trim())
}

fn by_status(answer: &ErrorAnswer, rate: &RateLimit, now: SystemTime) -> Answer {
    let status = answer.status();
    let message = said(answer);
    let with = |what: &str| {
        if message.is_empty() {
            format!("{} {what}", status.as_u16())
        } else {
            format!("{} {what}: {message}", status.as_u16())
        }
    };
    match verdict(status, answer.headers(), rate, &message, now) {
        // Only the documented success reaches `Ok` (the generated client: 204 for
        // `apps/revoke-installation-access-token`, 200 for `rate-limit/get`, as
        // openapi/github-credentials.json says); another 2xx here is not GitHub's answer
        // (a proxy, a wrong API URL): refused, never counted revoked or alive.
        Verdict::UndocumentedSuccess => Answer::Refused {
            message: unexpected_success(
                status,
                answer.headers(),
                &message,
                "204 (DELETE /installation/token) or 200 (GET /rate_limit)",
            ),
        },
        Verdict::RateLimited { wait } => Answer::RateLimited {
            wait,
            message: with("rate limited"),
        },
        Verdict::Status(401) => Answer::Unauthorized,
        Verdict::Redirect { location } => Answer::Refused {
            message: format!(
                "{} redirect to {location} refused (a credential never follows a redirect): \
                 check the API URL",
                status.as_u16(),
            ),
        },
        Verdict::ServerError => Answer::Transient {
            message: with("server error"),
        },
        Verdict::Status(403) => Answer::Refused {
            message: with("forbidden"),
        },
        Verdict::Status(404) => Answer::Refused {
            message: with("not found: check the API URL"),
        },
        Verdict::Status(_) => Answer::Refused {
            message: with("unexpected answer"),
        },
    }
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    fn answer(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> Answer {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, HeaderValue::from_static(v));
        }
        let now = SystemTime::now();
        let rate = RateLimit::from_headers(&h, now);
        let answer = ErrorAnswer::new(
            StatusCode::from_u16(status).unwrap(),
            h,
            body.to_owned(),
            true,
        );
        by_status(&answer, &rate, now)
    }

    #[test]
    fn statuses_mean_what_github_says() {
        assert_eq!(
            answer(401, &[], r#"{"message":"Bad credentials"}"#),
            Answer::Unauthorized
        );
        assert!(matches!(
            answer(429, &[("retry-after", "3")], ""),
            Answer::RateLimited { wait: Some(w), .. } if w == Duration::from_secs(3)
        ));
        assert!(matches!(
            answer(
                403,
                &[],
                r#"{"message":"You have exceeded a secondary rate limit"}"#
            ),
            Answer::RateLimited { wait: None, .. }
        ));
        assert!(matches!(
            answer(403, &[], r#"{"message":"Resource not accessible by integration"}"#),
            Answer::Refused { message } if message.contains("Resource not accessible")
        ));
        assert!(matches!(
            answer(502, &[], "<html>"),
            Answer::Transient { .. }
        ));
        assert!(matches!(
            answer(307, &[("location", "https://elsewhere.example/x")], ""),
            Answer::Refused { message } if message.contains("elsewhere.example") && message.contains("refused")
        ));
        assert!(matches!(
            answer(422, &[], r#"{"message":"Unprocessable","errors":[{"code":"odd"}]}"#),
            Answer::Refused { message } if message.contains("Unprocessable (odd)")
        ));
    }

    #[test]
    fn an_undocumented_success_is_refused() {
        for status in [200, 202] {
            assert!(matches!(
                answer(status, &[("content-type", "text/html")], "<html>"),
                Answer::Refused { message } if message.starts_with(&format!("unexpected answer: {status} text/html"))
            ));
        }
    }

    #[test]
    fn messages_are_scrubbed() {
        let token = crate::fixtures::classic(crate::Kind::ClassicPat, 7);
        let body = format!(r#"{{"message":"token {token} is odd"}}"#);
        let Answer::Refused { message } = answer(422, &[], &body) else {
            panic!("refused")
        };
        assert!(!message.contains(&token[8..]), "{message}");
    }
}
