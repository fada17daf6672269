//! What GitHub's answer to one call is, read once for every client.
//!
//! [`read`] turns the generated client's result into the documented success or a [`Failure`],
//! GitHub's words scrubbed ([`said`]); [`verdict`] says what an error status and its headers mean:
//! the documented success reached the generated client's `Ok` and never comes here, so a 2xx
//! here is an undocumented success (a proxy, a wrong API URL); a rate-limit answer is told by
//! the one shared rule ([`RateLimit::is_rate_limit_answer`]: any 429, a 403 or 422 with
//! `retry-after`, a spent window or rate-limit words) and waits what it named on GitHub's clock
//! ([`RateLimit::named_wait`]); a redirect is refused (a credential never follows one); a 5xx
//! is worth retrying; any other status is the client's to name. Sources: GitHub REST docs,
//! "Rate limits for the REST API" (429, 403 with `retry-after` or `x-ratelimit-remaining: 0`)
//! and openapi/github-credentials.json (each operation's one documented success).

use std::time::{Duration, SystemTime};

use gh_revoke_api::{Error, ErrorAnswer, ErrorBody, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::RateLimit;
use crate::input::scrub;

/// What an answer that did not reach the generated client's `Ok` is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
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
fn verdict(
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

/// Why a call did not end in its documented success. Carries no secret: GitHub's words are
/// scrubbed, and an [`ErrorAnswer`]'s `Debug` shows only its status and length.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A rate-limit answer; `wait` is what it named on the server's clock, if anything.
    RateLimited {
        status: u16,
        wait: Option<Duration>,
        said: String,
    },
    /// A 5xx: worth trying again (or, for a change, of unknown outcome).
    ServerError { status: u16, said: String },
    /// No answer: the connection failed, broke off or timed out.
    Connection { kind: Connection, message: String },
    /// A 3xx, never followed; `location` is where it pointed (scrubbed).
    Redirect { status: u16, location: String },
    /// A 2xx that is not the operation's documented success: not GitHub's answer.
    UndocumentedSuccess { answer: ErrorAnswer, said: String },
    /// Any other status (401, 403, 404, 410, 422, …): the client names what it means.
    Status { answer: ErrorAnswer, said: String },
    /// The documented success, whose body did not decode (`message` never quotes it).
    UnreadableSuccess { message: String, body: BodyStart },
    /// The request was never sent (it could not be built), or nothing can be said of it.
    Unsent { message: String },
}

/// The start of a success body that did not decode, scrubbed. A success body can hold secrets
/// (an alert's), and scrubbing only knows credential shapes: `Debug` shows its length alone,
/// and only a client whose success bodies hold none (the enterprise revocations) shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BodyStart(pub(crate) String);

impl std::fmt::Debug for BodyStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BodyStart({} chars)", self.0.chars().count())
    }
}

/// How a call got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Connection {
    /// Never connected: the request was not sent.
    Connect,
    /// No answer before the timeout: the request may have been acted on.
    Timeout,
    /// The connection broke (before or during the answer).
    Broken,
}

impl Failure {
    /// Worth sending again: a 5xx or no answer.
    pub(crate) fn is_transient(&self) -> bool {
        matches!(self, Self::ServerError { .. } | Self::Connection { .. })
    }

    /// In words: `429 rate limited: GitHub's message`, `502 server error: …`, `timed out: …`,
    /// `307 redirect to … refused …`, `404: Not Found`. `expected` names the documented
    /// success, for an undocumented one.
    pub(crate) fn message(&self, expected: &str) -> String {
        match self {
            Self::RateLimited { status, said, .. } => with(*status, "rate limited", said),
            Self::ServerError { status, said } => with(*status, "server error", said),
            Self::Connection { message, .. }
            | Self::UnreadableSuccess { message, .. }
            | Self::Unsent { message } => message.clone(),
            Self::Redirect { status, location } => format!(
                "{status} redirect to {location} refused (a credential never follows a \
                 redirect): check the API URL"
            ),
            Self::UndocumentedSuccess { answer, said } => {
                unexpected_success(answer.status(), answer.headers(), said, expected)
            }
            Self::Status { answer, said } if said.is_empty() => {
                answer.status().as_u16().to_string()
            }
            Self::Status { answer, said } => format!("{}: {said}", answer.status().as_u16()),
        }
    }
}

/// `STATUS WHAT: SAID`, or `STATUS WHAT` when GitHub said nothing.
pub(crate) fn with(status: u16, what: &str, said: &str) -> String {
    if said.is_empty() {
        format!("{status} {what}")
    } else {
        format!("{status} {what}: {said}")
    }
}

/// Read the generated client's `result` for an answer that arrived at `now` (the local clock,
/// used only without a `Date`): the documented success, or what else it was; and the answer's
/// rate-limit headers (nothing, without an answer).
pub(crate) async fn read<T, E: ErrorBody>(
    result: Result<ResponseValue<T>, Error<E>>,
    now: SystemTime,
) -> (Result<ResponseValue<T>, Failure>, RateLimit) {
    let error = match result {
        Ok(value) => {
            let rate = RateLimit::from_headers(value.headers(), now);
            return (Ok(value), rate);
        }
        Err(error) => error,
    };
    let failure = match error {
        // A documented error status (any body) or any other status: both are answers.
        error @ (Error::ErrorResponse(_) | Error::UnexpectedResponse(_)) => {
            match ErrorAnswer::read(error).await {
                Ok(answer) => {
                    let rate = RateLimit::from_headers(answer.headers(), now);
                    let failure = by_verdict(answer, &rate, now);
                    return (Err(failure), rate);
                }
                Err(other) => Failure::Unsent {
                    message: scrub(&gh_revoke_api::describe(&other)),
                },
            }
        }
        Error::CommunicationError(ref err) | Error::ResponseBodyError(ref err) => {
            Failure::Connection {
                kind: if err.is_timeout() {
                    Connection::Timeout
                } else if err.is_connect() {
                    Connection::Connect
                } else {
                    Connection::Broken
                },
                message: scrub(&gh_revoke_api::describe(&error)),
            }
        }
        Error::InvalidResponsePayload(ref bytes, _) => Failure::UnreadableSuccess {
            body: BodyStart(scrub(&snippet(&String::from_utf8_lossy(bytes), 160))),
            message: scrub(&gh_revoke_api::describe(&error)),
        },
        other => Failure::Unsent {
            message: scrub(&gh_revoke_api::describe(&other)),
        },
    };
    (Err(failure), RateLimit::default())
}

fn by_verdict(answer: ErrorAnswer, rate: &RateLimit, now: SystemTime) -> Failure {
    let status = answer.status();
    let said = said(&answer);
    match verdict(status, answer.headers(), rate, &said, now) {
        Verdict::UndocumentedSuccess => Failure::UndocumentedSuccess { answer, said },
        Verdict::RateLimited { wait } => Failure::RateLimited {
            status: status.as_u16(),
            wait,
            said,
        },
        Verdict::Redirect { location } => Failure::Redirect {
            status: status.as_u16(),
            location,
        },
        Verdict::ServerError => Failure::ServerError {
            status: status.as_u16(),
            said,
        },
        Verdict::Status(_) => Failure::Status { answer, said },
    }
}

/// GitHub's words in an answer, scrubbed: its `message` (and `errors`, whatever their shape),
/// else the start of the body; control characters flattened, at most 200 characters; empty
/// when there is nothing.
pub(crate) fn said(answer: &ErrorAnswer) -> String {
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
    scrub(&snippet(&text, 200))
}

/// `text` with control characters flattened, at most `max` characters, trimmed.
fn snippet(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    flat.trim().to_owned()
}

/// ` (the endpoint accepts scopes: …; the token has: …)` from a 403's
/// `x-accepted-oauth-scopes` and `x-oauth-scopes`, or nothing when neither was sent (GitHub
/// sends them for classic PATs and OAuth tokens: "Scopes for OAuth apps", GitHub docs).
pub(crate) fn scopes(accepted: Option<&str>, token: Option<&str>) -> String {
    match (accepted, token) {
        (None, None) => String::new(),
        (accepted, token) => format!(
            " (the endpoint accepts scopes: {}; the token has: {})",
            accepted.filter(|s| !s.is_empty()).unwrap_or("not said"),
            token.filter(|s| !s.is_empty()).unwrap_or("none")
        ),
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

/// The [`Failure`] an answer with `status`, headers `pairs` and `body` is (for the clients'
/// tests of what they make of one).
#[cfg(test)]
pub(crate) fn failure_of(
    status: u16,
    pairs: &[(&'static str, &'static str)],
    body: &str,
) -> Failure {
    let mut headers = HeaderMap::new();
    for (k, v) in pairs {
        headers.insert(*k, reqwest::header::HeaderValue::from_static(v));
    }
    failure_from(status, headers, body)
}

/// [`failure_of`] with a header map.
#[cfg(test)]
pub(crate) fn failure_from(status: u16, headers: HeaderMap, body: &str) -> Failure {
    let now = SystemTime::now();
    let rate = RateLimit::from_headers(&headers, now);
    let status = StatusCode::from_u16(status).expect("a status");
    by_verdict(
        ErrorAnswer::new(status, headers, body.to_owned(), true),
        &rate,
        now,
    )
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn said_in(body: &str) -> String {
        said(&ErrorAnswer::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            HeaderMap::new(),
            body.to_owned(),
            true,
        ))
    }

    #[test]
    fn bodies_are_read_leniently() {
        assert_eq!(
            said_in(
                r#"{"message":"Validation Failed","errors":[{"code":"invalid"}],"status":422}"#
            ),
            "Validation Failed (invalid)"
        );
        assert_eq!(said_in(r#"{"message":42,"errors":"bad"}"#), "42 (bad)");
        assert_eq!(said_in(r#"{"errors":["x"]}"#), r#"{"errors":["x"]}"#);
        assert_eq!(said_in(r#"{"message":"Nope"}"#), "Nope");
        assert_eq!(
            said_in("<html>\n<b>Bad gateway</b>"),
            "<html> <b>Bad gateway</b>"
        );
        assert_eq!(said_in(""), "");
    }

    #[test]
    fn what_is_said_is_scrubbed() {
        let token = crate::fixtures::classic(crate::Kind::ClassicPat, 7);
        let said = said_in(&format!(r#"{{"message":"token {token} is odd"}}"#));
        assert!(
            said.starts_with("token ") && !said.contains(&token[8..]),
            "{said}"
        );
    }

    #[test]
    fn rate_limit_answers_are_told_by_status_headers_and_words() {
        for (status, pairs, body) in [
            (429, &[("retry-after", "3")][..], ""),
            (
                403,
                &[("x-ratelimit-remaining", "0")][..],
                "API rate limit exceeded",
            ),
            (403, &[][..], "You have exceeded a secondary rate limit"),
            (
                422,
                &[][..],
                "Validation failed, or the endpoint has been spammed.",
            ),
        ] {
            assert!(
                matches!(failure_of(status, pairs, body), Failure::RateLimited { .. }),
                "{status} {body}"
            );
        }
        assert!(matches!(
            failure_of(429, &[("retry-after", "3")], ""),
            Failure::RateLimited { wait: Some(w), .. } if w == Duration::from_secs(3)
        ));
        for status in [403, 422, 429] {
            assert!(matches!(
                failure_of(status, &[("retry-after", "7")], "whatever"),
                Failure::RateLimited { wait: Some(w), .. } if w == Duration::from_secs(7)
            ));
            for message in [
                "You have triggered an abuse detection mechanism",
                "the endpoint has been spammed",
                "You have exceeded a secondary rate limit",
            ] {
                assert!(
                    matches!(
                        failure_of(status, &[], message),
                        Failure::RateLimited { .. }
                    ),
                    "{status} {message}"
                );
            }
        }
        // A validation failure with room left in the window is not one.
        assert!(matches!(
            failure_of(422, &[("x-ratelimit-remaining", "12")], "Validation Failed"),
            Failure::Status { .. }
        ));
    }

    /// A success body that did not decode (an alert's holds its secret) is never in `Debug`
    /// or the message, whatever its shape; only the scrubbed start is kept, for a client whose
    /// bodies hold no secret.
    #[tokio::test]
    async fn an_unreadable_success_body_stays_out_of_debug_and_words() {
        let token = crate::fixtures::classic(crate::Kind::ClassicPat, 3);
        let odd = "not-a-token-shape-but-secret-0123456789";
        let body = format!(r#"[{{"secret":"{token}","other":"{odd}""#);
        let error = serde_json::from_slice::<serde_json::Value>(body.as_bytes()).unwrap_err();
        let sent: Result<ResponseValue<()>, Error<()>> = Err(Error::InvalidResponsePayload(
            body.clone().into_bytes().into(),
            error,
        ));
        let (read, _) = read(sent, SystemTime::now()).await;
        let failure = read.unwrap_err();
        let shown = format!("{failure:?} {}", failure.message(""));
        assert!(
            !shown.contains(&token[8..]) && !shown.contains(odd),
            "{shown}"
        );
        let Failure::UnreadableSuccess { body: start, .. } = failure else {
            panic!("unreadable success")
        };
        assert!(
            start.0.contains(odd) && !start.0.contains(&token[8..]),
            "{}",
            start.0
        );
    }

    #[test]
    fn failures_say_status_and_words() {
        let failure = failure_of(502, &[], "<html>");
        assert!(failure.is_transient());
        assert_eq!(failure.message(""), "502 server error: <html>");
        assert_eq!(failure_of(429, &[], "").message(""), "429 rate limited");
        let failure = failure_of(404, &[], r#"{"message":"Not Found"}"#);
        assert!(!failure.is_transient());
        assert_eq!(failure.message(""), "404: Not Found");
        let redirect = failure_of(307, &[("location", "https://elsewhere.example/x")], "");
        let message = redirect.message("");
        assert!(message.starts_with("307 redirect to https://elsewhere.example/x refused"));
        let html = failure_of(
            200,
            &[("content-type", "text/html; charset=utf-8")],
            "<html>",
        );
        assert!(
            html.message("202")
                .starts_with("unexpected answer: 200 text/html <html>; GitHub answers 202")
        );
    }

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
