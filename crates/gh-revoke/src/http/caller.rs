//! [`Caller`]: the call engine for a client written outside this crate (the receiver's GitHub
//! App client), so that it paces, reads GitHub's answers and retries exactly as this crate's
//! clients do, instead of with a copy of its own.

use std::future::Future;
use std::time::Duration;

use gh_revoke_api::{Error, ErrorBody, ResponseValue};

use super::answer::Failure;
use super::engine::{End, Engine};
use super::interrupt::Interrupt;
use super::{ClientSettings, Done, ErrorKind, ErrorReport, Pacer};
use crate::revoke::{RetryPolicy, Stop};

/// Sends generated calls (`gh_revoke_api::Client` methods) through the call engine: waits out
/// a window the [`Pacer`] knows is spent, keeps requests apart, retries 5xx answers and lost
/// connections with backoff, waits out rate-limit answers on GitHub's clock (never longer than
/// the maximum wait), and refuses redirects.
///
/// ```no_run
/// use gh_revoke::{ApiBase, Caller, ClientSettings, Pacer};
///
/// # async fn run(api: gh_revoke_api::Client) -> Result<(), gh_revoke::CallError> {
/// let caller = Caller::new(&ClientSettings::default(), Pacer::new());
/// let limits = caller.call(|| api.rate_limit_get()).await?;
/// println!("{}", limits.status());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Caller {
    policy: RetryPolicy,
    max_wait: Option<Duration>,
    pacer: Pacer,
    interval: Duration,
}

impl Caller {
    /// A caller with `settings`' retry policy and maximum wait, spending `pacer` (the budget
    /// of the token the calls carry: share it between every caller that sends that token),
    /// sending whenever the budget allows (see [`Caller::interval`]).
    pub fn new(settings: &ClientSettings, pacer: Pacer) -> Self {
        Self {
            policy: settings.retry_policy.clone(),
            max_wait: settings.max_wait,
            pacer,
            interval: Duration::ZERO,
        }
    }

    /// Keep requests at least `interval` apart (GitHub asks for a second between mutating
    /// requests: "Best practices for using the REST API").
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The budget this caller spends.
    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// Send `send()` until it succeeds or ends (see [`Caller`]); `send` is called again for
    /// each retry.
    pub async fn call<T, E, F, Fut>(&self, send: F) -> Result<ResponseValue<T>, CallError>
    where
        E: ErrorBody,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
    {
        let engine = Engine {
            policy: &self.policy,
            max_wait: self.max_wait,
            pacer: &self.pacer,
            interval: self.interval,
            shared_window: true,
        };
        let mut attempts = 0;
        let end = engine
            .call(
                &mut Interrupt::never(),
                &mut |_| Ok(()),
                &mut attempts,
                send,
            )
            .await;
        match end {
            End::Success(value) => Ok(value),
            End::Failed(failure) => Err(CallError::from(failure)),
            End::GaveUp {
                message,
                rate_limited,
            } => Err(CallError(if rate_limited {
                ErrorReport::new(ErrorKind::RateLimited, Done::Nothing, message)
            } else {
                ErrorReport::new(ErrorKind::OutcomeUnknown, Done::Unknown, message)
            })),
            End::Abandoned => Err(CallError(ErrorReport::new(
                ErrorKind::Interrupted,
                Done::Unknown,
                "interrupted",
            ))),
            End::Stopped(stop) => Err(CallError(stopped(stop))),
        }
    }

    /// Send `send` once, never retried (a change that must not be repeated, such as a
    /// single-use code's exchange), and read its answer the same way.
    pub async fn once<T, E: ErrorBody>(
        send: impl Future<Output = Result<ResponseValue<T>, Error<E>>>,
    ) -> Result<ResponseValue<T>, CallError> {
        Engine::once(send).await.map_err(CallError::from)
    }
}

fn stopped(stop: Stop) -> ErrorReport {
    let kind = match &stop {
        Stop::MaxWait { .. } => ErrorKind::MaxWait,
        Stop::Interrupted { .. } => ErrorKind::Interrupted,
        Stop::Fatal { .. } | Stop::Halted { .. } => ErrorKind::Failed,
    };
    ErrorReport::new(kind, Done::Nothing, stop.to_string())
}

/// Why a call through a [`Caller`] did not succeed: GitHub's status and message (scrubbed)
/// when it answered, and the error in words. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.description)]
pub struct CallError(ErrorReport);

impl CallError {
    /// The HTTP status GitHub answered, when it answered.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// GitHub's message (scrubbed), when it gave one.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    /// What kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The error as a report object.
    pub fn report(&self) -> &ErrorReport {
        &self.0
    }
}

impl From<Failure> for CallError {
    fn from(failure: Failure) -> Self {
        let description = failure.message("its documented success");
        let report = match &failure {
            Failure::Status { answer, said } | Failure::UndocumentedSuccess { answer, said } => {
                let status = answer.status().as_u16();
                let kind = match status {
                    401 => ErrorKind::Unauthorized,
                    403 if answer.headers().contains_key("x-github-sso") => ErrorKind::SsoRequired,
                    403 => ErrorKind::Forbidden,
                    404 => ErrorKind::NotFound,
                    422 => ErrorKind::Unprocessable,
                    _ => ErrorKind::Status,
                };
                ErrorReport::new(kind, Done::Nothing, description)
                    .with_status(status)
                    .with_message(said)
            }
            Failure::RateLimited { status, said, .. } => {
                ErrorReport::new(ErrorKind::RateLimited, Done::Nothing, description)
                    .with_status(*status)
                    .with_message(said)
            }
            Failure::ServerError { status, said } => {
                ErrorReport::new(ErrorKind::OutcomeUnknown, Done::Unknown, description)
                    .with_status(*status)
                    .with_message(said)
            }
            Failure::Redirect { status, .. } => {
                ErrorReport::new(ErrorKind::Redirect, Done::Nothing, description)
                    .with_status(*status)
            }
            Failure::Connection {
                kind: super::answer::Connection::Connect,
                ..
            } => ErrorReport::new(ErrorKind::Network, Done::Nothing, description),
            Failure::Connection { .. } => {
                ErrorReport::new(ErrorKind::OutcomeUnknown, Done::Unknown, description)
            }
            Failure::UnreadableSuccess { .. } | Failure::Unsent { .. } => {
                ErrorReport::new(ErrorKind::Failed, Done::Nothing, description)
            }
        };
        CallError(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::answer::failure_of;

    #[test]
    fn a_failure_keeps_its_status_words_and_kind() {
        let error = CallError::from(failure_of(404, &[], r#"{"message":"Not Found"}"#));
        assert_eq!(
            (error.status(), error.message(), error.kind()),
            (Some(404), Some("Not Found"), ErrorKind::NotFound)
        );
        assert_eq!(error.to_string(), "404: Not Found");
        let sso = CallError::from(failure_of(403, &[("x-github-sso", "required")], "SAML"));
        assert_eq!(sso.kind(), ErrorKind::SsoRequired);
        let unknown = CallError::from(failure_of(502, &[], "bad gateway"));
        assert_eq!(
            (unknown.kind(), unknown.report().done),
            (ErrorKind::OutcomeUnknown, Done::Unknown)
        );
    }
}
