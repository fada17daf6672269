//! What a [`Failure`] of `POST /credentials/revoke` means for the batch: the engine
//! (`http/engine.rs`) has read the answer, waited out the rate limits and retried the transient
//! failures; what is left is refused, for this batch or for every batch.

use crate::http::answer::Failure;

/// A refused batch: its error (scrubbed), whether every batch would get it (`fatal`: the run
/// stops), and whether it is a 422 validation failure (some string in the batch was refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) message: String,
    pub(crate) fatal: bool,
    pub(crate) validation: bool,
}

/// What `failure` means for the batch.
pub(crate) fn refused(failure: &Failure) -> Refused {
    let fatal = |message: String| Refused {
        message,
        fatal: true,
        validation: false,
    };
    let (answer, said) = match failure {
        Failure::Status { answer, said } => (answer, said.as_str()),
        // GitHub documents 202 as the only success of `credentials/revoke`
        // (openapi/github-credentials.json: its responses are 202 `accepted`, 422 and 500; the
        // generated client answers `Ok` for 202 alone). Any other 2xx (`200 text/html` from a
        // TLS-intercepting proxy, a wrong `--api-url`) is not GitHub accepting the batch, and
        // would repeat for every batch: stop, credentials not counted accepted. A redirect,
        // a request that cannot be built, a rate limit or a failure given up on the same.
        other => return fatal(other.message("202")),
    };
    let status = answer.status().as_u16();
    let said = |what: &str| crate::http::answer::with(status, what, said);
    match status {
        401 => fatal(said(
            "unauthorized: this server wants authentication, but /credentials/revoke on \
             github.com and GHE.com takes only unauthenticated requests; check the API URL \
             (GitHub Enterprise Server is not supported) and that no proxy intercepts",
        )),
        403 => fatal(said(
            "forbidden: /credentials/revoke takes only unauthenticated requests; check that no \
             proxy adds credentials",
        )),
        404 => fatal(said(
            "not found: this API URL has no /credentials/revoke; check the API URL",
        )),
        410 => fatal(said(
            "gone: the X-GitHub-Api-Version sent is no longer supported",
        )),
        422 => Refused {
            message: said("validation failed"),
            fatal: false,
            validation: true,
        },
        _ => Refused {
            message: said("unexpected answer"),
            fatal: false,
            validation: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::answer::failure_of;

    fn answer(status: u16, pairs: &[(&'static str, &'static str)], body: &str) -> Refused {
        refused(&failure_of(status, pairs, body))
    }

    #[test]
    fn validation_422_is_not_a_rate_limit() {
        assert!(matches!(
            answer(422, &[("x-ratelimit-remaining", "12")], "Validation Failed"),
            Refused {
                validation: true,
                fatal: false,
                ..
            }
        ));
    }

    #[test]
    fn only_202_is_accepted() {
        for status in [200, 201, 204] {
            let Refused { message, fatal, .. } = answer(
                status,
                &[("content-type", "text/html; charset=utf-8")],
                "<html>",
            );
            assert!(fatal, "{status}");
            assert!(
                message.starts_with(&format!("unexpected answer: {status} text/html <html>")),
                "{message}"
            );
        }
    }

    #[test]
    fn a_401_has_its_own_message() {
        assert!(matches!(
            answer(401, &[], "Requires authentication"),
            Refused { message, fatal: true, .. } if message.contains("wants authentication")
        ));
    }

    #[test]
    fn authenticated_403_is_fatal_and_5xx_transient() {
        assert!(
            answer(
                403,
                &[("x-ratelimit-remaining", "59")],
                "Must not be authenticated"
            )
            .fatal
        );
        assert!(answer(404, &[], "").fatal);
        assert!(failure_of(502, &[], "<html>").is_transient());
        assert!(matches!(
            answer(301, &[("location", "https://evil.example")], ""),
            Refused { message, fatal: true, .. } if message.contains("evil.example")
        ));
        assert!(matches!(
            answer(418, &[], "teapot"),
            Refused { message, fatal: false, validation: false } if message == "418 unexpected answer: teapot"
        ));
    }
}
