//! Waiting between and after authenticated calls: a spent window, a rate-limit answer, a
//! transient failure (the rules are in [`super::call`]).

use std::future::Future;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use super::call::{self, Failed, Pacer};
use super::client::AlertsClient;
use super::error::AlertsError;
use super::event::{AlertsEvent, Observer};
use super::signal::Signal;
use crate::http::retry::{Retries, too_long};
use crate::revoke::{Stop, WaitReason};

impl AlertsClient {
    /// One authenticated read (a listing page, one alert) with the client's pacing and
    /// retries: `send` is called again after a rate limit or a transient failure. A 401, 403
    /// or 404 ends it as [`AlertsError::Unauthorized`], [`AlertsError::Forbidden`] or
    /// [`AlertsError::NotFound`] (naming `what`); an interruption or an over-long wait as
    /// [`AlertsError::Stopped`].
    pub(super) async fn read_with_retry<T, F, Fut>(
        &self,
        what: &str,
        pacer: &mut Pacer,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
        mut send: F,
    ) -> Result<T, AlertsError>
    where
        F: FnMut() -> Fut,
        Fut: Future<
            Output = Result<(HeaderMap, T), gh_revoke_api::Error<gh_revoke_api::ByteStream>>,
        >,
    {
        let mut retry = Retries::default();
        loop {
            self.pace(pacer, Duration::ZERO, signal, observer)
                .await
                .map_err(AlertsError::Stopped)?;
            let Some(result) = signal.or_interrupt(send()).await else {
                return Err(AlertsError::Stopped(Stop::Interrupted {
                    abandoned_batch: None,
                }));
            };
            let error = match result {
                Ok((headers, value)) => {
                    pacer.answered_ok(&headers);
                    return Ok(value);
                }
                Err(error) => error,
            };
            let now = SystemTime::now();
            let (failed, rate) = call::classify(error, now).await;
            pacer.answered(rate, now);
            match failed {
                Failed::Status {
                    status,
                    message,
                    accepted_scopes,
                    token_scopes,
                } => {
                    return Err(match status {
                        401 => AlertsError::Unauthorized { message },
                        403 => AlertsError::Forbidden {
                            message,
                            accepted_scopes,
                            token_scopes,
                        },
                        404 => AlertsError::NotFound {
                            target: what.to_owned(),
                            message,
                        },
                        _ => AlertsError::Failed {
                            message: format!("{status}: {message}"),
                        },
                    });
                }
                Failed::Other { message } => return Err(AlertsError::Failed { message }),
                other => {
                    if let Err(end) = self
                        .after_failure(other, &mut retry, pacer, signal, observer)
                        .await
                    {
                        return Err(match end {
                            RetryEnd::Stop(stop) => AlertsError::Stopped(stop),
                            RetryEnd::GiveUp(message) => AlertsError::Failed { message },
                        });
                    }
                }
            }
        }
    }

    /// Wait before the next call: a spent window's reset, or what is left of `interval`.
    pub(super) async fn pace(
        &self,
        pacer: &mut Pacer,
        interval: Duration,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(), Stop> {
        if let Some((wait, spent)) = pacer.wait_before(&self.policy, interval) {
            if spent {
                self.wait(wait, WaitReason::WindowSpent, signal, observer)
                    .await?;
                pacer.waited();
            } else if signal.sleep(wait).await.is_err() {
                return Err(Stop::Interrupted {
                    abandoned_batch: None,
                });
            }
        }
        Ok(())
    }

    /// Wait `wait` unless it is longer than the maximum.
    async fn wait(
        &self,
        wait: Duration,
        reason: WaitReason,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(), Stop> {
        if let Some(stop) = too_long(wait, self.max_wait) {
            return Err(stop);
        }
        observer(&AlertsEvent::Waiting { wait, reason });
        signal.sleep(wait).await.map_err(|()| Stop::Interrupted {
            abandoned_batch: None,
        })
    }

    /// After a rate-limit or transient failure: wait and let the caller retry, or end.
    pub(super) async fn after_failure(
        &self,
        failed: Failed,
        retry: &mut Retries,
        pacer: &mut Pacer,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(), RetryEnd> {
        match failed {
            Failed::RateLimited { wait, message } => {
                let wait = retry
                    .after_rate_limit(&self.policy, wait, &message)
                    .map_err(RetryEnd::GiveUp)?;
                self.wait(wait, WaitReason::RateLimited, signal, observer)
                    .await
                    .map_err(RetryEnd::Stop)?;
                pacer.waited();
                Ok(())
            }
            Failed::Transient { message } => {
                let Some(after) = retry.after_transient(&self.policy) else {
                    return Err(RetryEnd::GiveUp(format!(
                        "gave up after {} attempts: {message}",
                        retry.transient()
                    )));
                };
                signal.sleep(after).await.map_err(|()| {
                    RetryEnd::Stop(Stop::Interrupted {
                        abandoned_batch: None,
                    })
                })
            }
            Failed::Status { message, .. } | Failed::Other { message } => {
                Err(RetryEnd::GiveUp(message))
            }
        }
    }
}

pub(super) enum RetryEnd {
    Stop(Stop),
    GiveUp(String),
}
