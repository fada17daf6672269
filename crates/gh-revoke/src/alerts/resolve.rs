//! Resolving one alert as `revoked`: one `PATCH`, paced, with retries, and what its answer means.

use std::time::SystemTime;

use gh_revoke_api::types::SecretScanningUpdateAlertBody;

use super::call::{self, Failed, Pacer};
use super::client::AlertsClient;
use super::event::Observer;
use super::report::AlertOutcome;
use super::retry::{Retry, RetryEnd};
use super::signal::Signal;
use crate::revoke::Stop;

impl AlertsClient {
    /// Resolve one alert, with retries. `Err` stops the resolving (the alert stays pending).
    #[allow(clippy::too_many_arguments)] // private: the run's pacing state, passed through
    pub(super) async fn resolve_one(
        &self,
        owner: &str,
        repo: &str,
        number: i64,
        body: &SecretScanningUpdateAlertBody,
        pacer: &mut Pacer,
        signal: &mut Signal<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<(AlertOutcome, Option<String>), Stop> {
        let mut retry = Retry::default();
        loop {
            self.pace(pacer, self.resolve_interval, signal, observer)
                .await?;
            let call = self
                .api
                .secret_scanning_update_alert(owner, repo, number, body);
            let Some(result) = signal.or_interrupt(call).await else {
                return Err(Stop::Interrupted {
                    abandoned_batch: None,
                });
            };
            let error = match result {
                Ok(answer) => {
                    pacer.answered_ok(answer.headers());
                    return Ok((AlertOutcome::Resolved, None));
                }
                Err(error) => error,
            };
            let now = SystemTime::now();
            let (failed, rate) = call::classify(error, now).await;
            pacer.answered(rate, now);
            match failed {
                // GitHub: 400 "the resolution comment is invalid or the resolution was not
                // changed" (REST reference, "Update a secret scanning alert").
                Failed::Status {
                    status: 400,
                    message,
                    ..
                } if !message.to_ascii_lowercase().contains("comment") => {
                    return Ok((AlertOutcome::AlreadyResolved, Some(message)));
                }
                // GitHub: 403 "delegated alert dismissal is enabled and the authenticated user
                // is not a valid reviewer" (same page; the GitHub changelog of 2025-04-18,
                // "Manage secret scanning alert dismissal requests with the REST API", describes
                // the review that then closes it).
                Failed::Status {
                    status: 403,
                    message,
                    ..
                } => {
                    return Ok((
                        AlertOutcome::NeedsReview,
                        Some(format!(
                            "a reviewer must close it (delegated alert dismissal; 403: {message})"
                        )),
                    ));
                }
                Failed::Status {
                    status: 401,
                    message,
                    ..
                } => {
                    return Err(Stop::Fatal {
                        message: format!("401 resolving alerts: {message}"),
                    });
                }
                Failed::Status {
                    status, message, ..
                } => {
                    return Ok((AlertOutcome::Failed, Some(format!("{status}: {message}"))));
                }
                Failed::Other { message } => return Ok((AlertOutcome::Failed, Some(message))),
                other => match self
                    .after_failure(other, &mut retry, pacer, signal, observer)
                    .await
                {
                    Ok(()) => {}
                    Err(RetryEnd::Stop(stop)) => return Err(stop),
                    Err(RetryEnd::GiveUp(message)) => {
                        return Ok((AlertOutcome::Failed, Some(message)));
                    }
                },
            }
        }
    }
}
