//! One authenticated secret-scanning call, through the engine (`http/engine.rs`), and what its
//! failure means here.
//!
//! The engine applies [`crate::RevokeClient`]'s rules to the caller's own token: wait out a
//! spent window (`x-ratelimit-remaining: 0`) until its reset on the server's clock; on a
//! rate-limit answer wait `retry-after`, else the reset, else at least a minute, doubling;
//! retry 5xx and connection failures with backoff. Sources: GitHub REST docs, "Rate limits for
//! the REST API" and "Best practices for using the REST API" (serial requests; mutating
//! requests at least a second apart).

use std::future::Future;
use std::time::Duration;

use gh_revoke_api::{ByteStream, Error, ResponseValue};

use super::client::AlertsClient;
use super::event::{AlertsEvent, Observer};
use crate::http::Pacer;
use crate::http::answer::Failure;
use crate::http::engine::{CallEvent, End, Engine};
use crate::http::interrupt::Interrupt;

/// A run's calls: the rate-limit budget they spend (the client's), and how many were sent
/// (the report's `alerts.requests`).
#[derive(Debug)]
pub(super) struct Calls {
    pacer: Pacer,
    requests: u64,
}

impl Calls {
    /// No call yet, on `client`'s budget.
    pub(super) fn of(client: &AlertsClient) -> Self {
        Self {
            pacer: client.pacer.clone(),
            requests: 0,
        }
    }

    /// Requests sent so far.
    pub(super) fn requests(&self) -> u64 {
        self.requests
    }
}

/// What a call that did not succeed means here, after the engine's waits and retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failed {
    /// An answer with this status (not a rate limit, not 5xx), and GitHub's words.
    Status {
        status: u16,
        message: String,
        accepted_scopes: Option<String>,
        token_scopes: Option<String>,
    },
    /// Nothing to retry: a redirect, a request that could not be built, an answer that could
    /// not be read, retries given up (`message` says which).
    Other { message: String },
}

impl From<Failure> for Failed {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Status { answer, said } => {
                let header = |name: &str| {
                    answer
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(|v| v.trim().to_owned())
                };
                Failed::Status {
                    status: answer.status().as_u16(),
                    accepted_scopes: header("x-accepted-oauth-scopes"),
                    token_scopes: header("x-oauth-scopes"),
                    message: said,
                }
            }
            // Every call here documents 200 as its success.
            other => Failed::Other {
                message: other.message("200"),
            },
        }
    }
}

/// How one call ended.
pub(super) enum Called<T> {
    Success(ResponseValue<T>),
    Failed(Failed),
    /// The run must stop (an interruption, a wait longer than the maximum).
    Stopped(crate::revoke::Stop),
}

impl AlertsClient {
    /// Send `send()` through the engine, requests `interval` apart, telling `observer` of each
    /// wait. An interruption with the request in flight is a stop like any other.
    pub(super) async fn call<T, F, Fut>(
        &self,
        interval: Duration,
        calls: &mut Calls,
        signal: &mut Interrupt<'_>,
        observer: &mut Observer<'_>,
        send: F,
    ) -> Called<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, Error<ByteStream>>>,
    {
        let engine = Engine {
            policy: &self.policy,
            max_wait: self.max_wait,
            pacer: &calls.pacer,
            interval,
            shared_window: true,
        };
        let mut attempts = 0;
        let mut listener = |event: &CallEvent<'_>| {
            if let CallEvent::Waiting { wait, reason, .. } = *event {
                observer(&AlertsEvent::Waiting { wait, reason });
            }
            Ok(())
        };
        let end = engine
            .call(signal, &mut listener, &mut attempts, send)
            .await;
        calls.requests += u64::from(attempts);
        match end {
            End::Success(value) => Called::Success(value),
            End::Failed(failure) => Called::Failed(failure.into()),
            End::GaveUp { message, .. } => Called::Failed(Failed::Other { message }),
            End::Abandoned => Called::Stopped(crate::revoke::Stop::Interrupted {
                abandoned_batch: None,
            }),
            End::Stopped(stop) => Called::Stopped(stop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::answer::failure_of;

    #[test]
    fn a_403_keeps_its_scopes_and_a_redirect_is_named() {
        let refused = failure_of(
            403,
            &[
                ("x-accepted-oauth-scopes", "repo, security_events"),
                ("x-oauth-scopes", "gist"),
            ],
            "Resource not accessible",
        );
        assert_eq!(
            Failed::from(refused),
            Failed::Status {
                status: 403,
                message: "Resource not accessible".into(),
                accepted_scopes: Some("repo, security_events".into()),
                token_scopes: Some("gist".into()),
            }
        );
        let redirect = failure_of(302, &[("location", "https://elsewhere.example/")], "");
        assert!(matches!(
            Failed::from(redirect),
            Failed::Other { message } if message.starts_with("302 redirect to https://elsewhere.example/ refused")
        ));
    }
}
