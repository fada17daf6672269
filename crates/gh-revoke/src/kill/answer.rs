//! What an answer to a call authenticated by a leaked credential means.
//!
//! Both calls ([`gh_revoke_api::LeakedTokenClient`]) ask GitHub one thing about the credential
//! that authenticates them: the documented success means it worked (revoked, or alive), 401
//! that the credential does not authenticate (dead). The engine (`http/engine.rs`) has read the
//! answer; this only names it.

use std::time::Duration;

use crate::http::answer::{Failure, with};

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

/// What a call's reading means: `Ok` is the documented success.
pub(crate) fn answer<T>(reading: Result<T, Failure>) -> Answer {
    let failure = match reading {
        Ok(_) => return Answer::Success,
        Err(failure) => failure,
    };
    let message = failure.message("204 (DELETE /installation/token) or 200 (GET /rate_limit)");
    match failure {
        Failure::RateLimited { wait, .. } => Answer::RateLimited { wait, message },
        failure if failure.is_transient() => Answer::Transient { message },
        // A 2xx whose body did not decode still answered 2xx.
        Failure::UnreadableSuccess { message, .. } => {
            tracing::debug!(error = %message, "2xx with an unreadable body");
            Answer::Success
        }
        Failure::Status { answer, said } => {
            let status = answer.status().as_u16();
            match status {
                401 => Answer::Unauthorized,
                403 => Answer::Refused {
                    message: with(status, "forbidden", &said),
                },
                404 => Answer::Refused {
                    message: with(status, "not found: check the API URL", &said),
                },
                _ => Answer::Refused {
                    message: with(status, "unexpected answer", &said),
                },
            }
        }
        // Only the documented success reaches `Ok` (the generated client: 204 for
        // `apps/revoke-installation-access-token`, 200 for `rate-limit/get`, as
        // openapi/github-credentials.json says); another 2xx is not GitHub's answer (a proxy,
        // a wrong API URL): refused, never counted revoked or alive. A redirect is never
        // followed by a credential.
        _ => Answer::Refused { message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::answer::failure_of;

    fn of(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> Answer {
        answer::<()>(Err(failure_of(status, headers, body)))
    }

    #[test]
    fn statuses_mean_what_github_says() {
        assert_eq!(
            of(401, &[], r#"{"message":"Bad credentials"}"#),
            Answer::Unauthorized
        );
        assert!(matches!(
            of(429, &[("retry-after", "3")], ""),
            Answer::RateLimited { wait: Some(w), .. } if w == Duration::from_secs(3)
        ));
        assert!(matches!(
            of(
                403,
                &[],
                r#"{"message":"You have exceeded a secondary rate limit"}"#
            ),
            Answer::RateLimited { wait: None, .. }
        ));
        assert!(matches!(
            of(403, &[], r#"{"message":"Resource not accessible by integration"}"#),
            Answer::Refused { message } if message.contains("Resource not accessible")
        ));
        assert!(matches!(of(502, &[], "<html>"), Answer::Transient { .. }));
        assert!(matches!(
            of(307, &[("location", "https://elsewhere.example/x")], ""),
            Answer::Refused { message } if message.contains("elsewhere.example") && message.contains("refused")
        ));
        assert!(matches!(
            of(422, &[], r#"{"message":"Unprocessable","errors":[{"code":"odd"}]}"#),
            Answer::Refused { message } if message.contains("Unprocessable (odd)")
        ));
        assert_eq!(answer(Ok(())), Answer::Success);
    }

    #[test]
    fn an_undocumented_success_is_refused() {
        for status in [200, 202] {
            assert!(matches!(
                of(status, &[("content-type", "text/html")], "<html>"),
                Answer::Refused { message } if message.starts_with(&format!("unexpected answer: {status} text/html"))
            ));
        }
    }

    #[test]
    fn messages_are_scrubbed() {
        let token = crate::fixtures::classic(crate::Kind::ClassicPat, 7);
        let body = format!(r#"{{"message":"token {token} is odd"}}"#);
        let Answer::Refused { message } = of(422, &[], &body) else {
            panic!("refused")
        };
        assert!(!message.contains(&token[8..]), "{message}");
    }
}
