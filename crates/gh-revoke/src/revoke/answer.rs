//! What one answer to `POST /credentials/revoke` means for the batch.
//!
//! Decided on the status and headers first; the body is read leniently and only for its text
//! (`message` if there is one; `errors` and `status` of any type; HTML), so a body that does not
//! decode never hides a rate limit.

use std::time::{Duration, SystemTime};

use gh_revoke_api::{ByteStream, Error, ErrorAnswer, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::http::RateLimit;
use crate::http::answer::{Verdict, unexpected_success, verdict};
use crate::input::scrub;

/// The meaning of one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// 202, the one answer GitHub documents for an accepted batch.
    Accepted,
    /// A rate-limit answer; `wait` is what the headers named (on the server's clock), if anything.
    RateLimited {
        wait: Option<Duration>,
        message: String,
    },
    /// This batch was refused (422 validation failure, other 4xx); others may pass.
    /// `validation`: a 422 that is not a rate limit (some string in the batch was refused).
    Rejected { message: String, validation: bool },
    /// A refusal every batch would get (401, 403 not rate-limited, 404, 410, redirects).
    Fatal { message: String },
    /// Worth retrying: 5xx, connection reset, timeout, an undecodable answer.
    Transient { message: String },
}

/// Classify the generated client's result, for an answer that arrived at `now` (local clock);
/// also returns the rate-limit headers seen.
pub(crate) async fn classify(
    result: Result<ResponseValue<()>, Error<ByteStream>>,
    now: SystemTime,
) -> (Answer, RateLimit) {
    match result {
        Ok(response) => (
            Answer::Accepted,
            RateLimit::from_headers(response.headers(), now),
        ),
        // A documented error status (any body) or any other status: both are answers.
        Err(error @ (Error::ErrorResponse(_) | Error::UnexpectedResponse(_))) => {
            match ErrorAnswer::read(error).await {
                Ok(answer) => {
                    let status = answer.status();
                    let rate = RateLimit::from_headers(answer.headers(), now);
                    let mut message = body_message(&String::from_utf8_lossy(answer.body()));
                    let errors = answer.errors();
                    if !errors.is_empty() {
                        message = format!("{message} ({})", errors.join("; "));
                    }
                    (
                        by_status(status, answer.headers(), &rate, &message, now),
                        rate,
                    )
                }
                Err(other) => (
                    Answer::Fatal {
                        message: scrub(&gh_revoke_api::describe(&other)),
                    },
                    RateLimit::default(),
                ),
            }
        }
        Err(Error::CommunicationError(err)) | Err(Error::ResponseBodyError(err)) => {
            let kind = if err.is_timeout() {
                "timed out"
            } else if err.is_connect() {
                "could not connect"
            } else {
                "connection failed"
            };
            (
                Answer::Transient {
                    message: scrub(&format!("{kind}: {}", error_chain(&err))),
                },
                RateLimit::default(),
            )
        }
        Err(Error::InvalidResponsePayload(bytes, err)) => (
            Answer::Transient {
                message: scrub(&format!(
                    "GitHub's answer could not be read ({err}): {}",
                    snippet(&String::from_utf8_lossy(&bytes))
                )),
            },
            RateLimit::default(),
        ),
        Err(other) => (
            Answer::Fatal {
                message: scrub(&other.to_string()),
            },
            RateLimit::default(),
        ),
    }
}

fn by_status(
    status: StatusCode,
    headers: &HeaderMap,
    rate: &RateLimit,
    message: &str,
    now: SystemTime,
) -> Answer {
    let message = scrub(message);
    let said = |what: &str| {
        if message.is_empty() {
            format!("{} {what}", status.as_u16())
        } else {
            format!("{} {what}: {message}", status.as_u16())
        }
    };
    match verdict(status, headers, rate, &message, now) {
        // GitHub documents 202 as the only success of `credentials/revoke`
        // (openapi/github-credentials.json: its responses are 202 `accepted`, 422 and 500; the
        // generated client answers `Ok` for 202 alone). Any other 2xx reaching here (`200
        // text/html` from a TLS-intercepting proxy, a wrong `--api-url`) is not GitHub accepting
        // the batch, and would repeat for every batch: stop, credentials not counted accepted.
        Verdict::UndocumentedSuccess => Answer::Fatal {
            message: unexpected_success(status, headers, &message, "202"),
        },
        Verdict::RateLimited { wait } => Answer::RateLimited {
            wait,
            message: said("rate limited"),
        },
        Verdict::Redirect { location } => Answer::Fatal {
            message: format!(
                "{} redirect to {location} refused: check the API URL",
                status.as_u16(),
            ),
        },
        Verdict::ServerError => Answer::Transient {
            message: said("server error"),
        },
        Verdict::Status(401) => Answer::Fatal {
            message: said(
                "unauthorized: this server wants authentication, but /credentials/revoke on \
                 github.com and GHE.com takes only unauthenticated requests; check the API URL \
                 (GitHub Enterprise Server is not supported) and that no proxy intercepts",
            ),
        },
        Verdict::Status(403) => Answer::Fatal {
            message: said(
                "forbidden: /credentials/revoke takes only unauthenticated requests; \
                 check that no proxy adds credentials",
            ),
        },
        Verdict::Status(404) => Answer::Fatal {
            message: said("not found: this API URL has no /credentials/revoke; check the API URL"),
        },
        Verdict::Status(410) => Answer::Fatal {
            message: said("gone: the X-GitHub-Api-Version sent is no longer supported"),
        },
        Verdict::Status(422) => Answer::Rejected {
            message: said("validation failed"),
            validation: true,
        },
        Verdict::Status(_) => Answer::Rejected {
            message: said("unexpected answer"),
            validation: false,
        },
    }
}

/// GitHub's `message` from a JSON error body, or the start of whatever the body was.
/// `errors` (any type) follows the message when there is one.
pub(crate) fn body_message(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return snippet(body);
    };
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let Some(message) = value.get("message").filter(|m| !m.is_null()) else {
        return snippet(body);
    };
    let mut out = text(message);
    match value.get("errors") {
        Some(serde_json::Value::Array(errors)) if !errors.is_empty() => {
            let list: Vec<String> = errors.iter().map(text).collect();
            out = format!("{out} ({})", list.join("; "));
        }
        Some(serde_json::Value::Null | serde_json::Value::Array(_)) | None => {}
        Some(other) => out = format!("{out} ({})", text(other)),
    }
    snippet(&out)
}

fn snippet(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    flat.trim().to_owned()
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn answer(status: u16, pairs: &[(&'static str, &'static str)], message: &str) -> Answer {
        let h = headers(pairs);
        let now = SystemTime::now();
        let rate = RateLimit::from_headers(&h, now);
        by_status(
            StatusCode::from_u16(status).unwrap(),
            &h,
            &rate,
            message,
            now,
        )
    }

    #[test]
    fn rate_limit_forms() {
        assert!(matches!(
            answer(429, &[("retry-after", "3")], ""),
            Answer::RateLimited { wait: Some(w), .. } if w == Duration::from_secs(3)
        ));
        assert!(matches!(
            answer(
                403,
                &[("x-ratelimit-remaining", "0")],
                "API rate limit exceeded"
            ),
            Answer::RateLimited { .. }
        ));
        assert!(matches!(
            answer(403, &[], "You have exceeded a secondary rate limit"),
            Answer::RateLimited { wait: None, .. }
        ));
        assert!(matches!(
            answer(
                422,
                &[],
                "Validation failed, or the endpoint has been spammed."
            ),
            Answer::RateLimited { .. }
        ));
    }

    #[test]
    fn validation_422_is_not_a_rate_limit() {
        assert!(matches!(
            answer(422, &[("x-ratelimit-remaining", "12")], "Validation Failed"),
            Answer::Rejected {
                validation: true,
                ..
            }
        ));
    }

    #[test]
    fn retry_after_abuse_and_spammed_are_rate_limits_on_403_422_429() {
        for status in [403, 422, 429] {
            assert!(matches!(
                answer(status, &[("retry-after", "7")], "whatever"),
                Answer::RateLimited { wait: Some(w), .. } if w == Duration::from_secs(7)
            ));
            for message in [
                "You have triggered an abuse detection mechanism",
                "the endpoint has been spammed",
                "You have exceeded a secondary rate limit",
            ] {
                assert!(
                    matches!(answer(status, &[], message), Answer::RateLimited { .. }),
                    "{status} {message}"
                );
            }
        }
    }

    #[test]
    fn only_202_is_accepted() {
        for status in [200, 201, 204] {
            match answer(
                status,
                &[("content-type", "text/html; charset=utf-8")],
                "<html>",
            ) {
                Answer::Fatal { message } => assert!(
                    message.starts_with(&format!("unexpected answer: {status} text/html <html>")),
                    "{message}"
                ),
                other => panic!("{status}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_401_has_its_own_message() {
        assert!(matches!(
            answer(401, &[], "Requires authentication"),
            Answer::Fatal { message } if message.contains("wants authentication")
        ));
    }

    #[test]
    fn bodies_are_read_leniently() {
        assert_eq!(
            body_message(
                r#"{"message":"Validation Failed","errors":[{"code":"invalid"}],"status":422}"#
            ),
            r#"Validation Failed ({"code":"invalid"})"#
        );
        assert_eq!(body_message(r#"{"message":42,"errors":"bad"}"#), "42 (bad)");
        assert_eq!(body_message(r#"{"errors":["x"]}"#), r#"{"errors":["x"]}"#);
    }

    #[test]
    fn authenticated_403_is_fatal_and_5xx_transient() {
        assert!(matches!(
            answer(
                403,
                &[("x-ratelimit-remaining", "59")],
                "Must not be authenticated"
            ),
            Answer::Fatal { .. }
        ));
        assert!(matches!(answer(404, &[], ""), Answer::Fatal { .. }));
        assert!(matches!(
            answer(502, &[], "<html>"),
            Answer::Transient { .. }
        ));
        assert!(matches!(
            answer(301, &[("location", "https://evil.example")], ""),
            Answer::Fatal { message } if message.contains("evil.example")
        ));
    }

    #[test]
    fn body_message_prefers_json_message() {
        assert_eq!(body_message(r#"{"message":"Nope"}"#), "Nope");
        assert_eq!(
            body_message("<html>\n<b>Bad gateway</b>"),
            "<html> <b>Bad gateway</b>"
        );
    }
}
