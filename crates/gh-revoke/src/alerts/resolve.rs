//! Resolving one alert as `revoked`: one `PATCH`, paced, with retries, and what its answer means.

use gh_revoke_api::types::SecretScanningUpdateAlertBody;

use super::call::{Called, Calls, Failed};
use super::client::AlertsClient;
use super::error::AlertsError;
use super::event::Observer;
use super::report::AlertOutcome;
use crate::http::interrupt::Interrupt;
use crate::input::scrub;
use crate::revoke::Stop;

/// What one `PATCH` came to: the alert's outcome and why, and whether resolving must stop
/// after it (a refusal that would repeat for every alert).
#[derive(Debug)]
pub(super) struct Resolution {
    pub(super) outcome: AlertOutcome,
    pub(super) message: Option<String>,
    pub(super) stop: Option<Stop>,
}

impl Resolution {
    fn done(outcome: AlertOutcome, message: Option<String>) -> Self {
        Self {
            outcome,
            message,
            stop: None,
        }
    }
}

/// Words of GitHub's delegated-dismissal refusal, the one 403 that leaves an alert to a
/// reviewer: "Delegated alert dismissal is enabled and the authenticated user is not a valid
/// reviewer." (openapi/github-credentials.json, `secret-scanning/update-alert`, 403; the
/// REST reference, "Update a secret scanning alert", says the same).
const DELEGATED_WORDS: [&str; 3] = ["delegated", "dismissal", "reviewer"];

/// What a 403 that is neither a rate limit nor delegated dismissal means: the token may not
/// resolve alerts. GitHub words it "Resource not accessible by personal access token" (a
/// fine-grained token) or "… by integration" (a GitHub App), the answer of every REST call a
/// token's permissions do not cover (GitHub docs, "Troubleshooting the REST API" and
/// "Permissions required for fine-grained personal access tokens"; seen in
/// orgs/community discussion 200353 and dorny/paths-filter issue 270); a classic token
/// without the scope gets its own words. It repeats for every alert: resolving stops.
fn permission_refused(
    repository: &str,
    number: i64,
    message: &str,
    accepted_scopes: Option<&str>,
    token_scopes: Option<&str>,
) -> String {
    let scopes = crate::http::answer::scopes(accepted_scopes, token_scopes);
    format!(
        "403 resolving {repository}#{number}: {message}{scopes}: the token may not resolve \
         alerts: fine-grained tokens and GitHub Apps need the repository permission \
         \"Secret scanning alerts: write\", classic tokens the `repo` or `security_events` \
         scope; resolving stopped after this alert"
    )
}

impl AlertsClient {
    /// Resolve one alert, with retries. `Err` stops the resolving (the alert stays pending);
    /// a [`Resolution`] with `stop` set ends it after this alert.
    #[allow(clippy::too_many_arguments)] // private: the run's pacing state, passed through
    pub(super) async fn resolve_one(
        &self,
        owner: &str,
        repo: &str,
        number: i64,
        body: &SecretScanningUpdateAlertBody,
        calls: &mut Calls,
        signal: &mut Interrupt<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<Resolution, Stop> {
        let called = self
            .call(self.resolve_interval, calls, signal, observer, || {
                self.api
                    .secret_scanning_update_alert(owner, repo, number, body)
            })
            .await;
        let failed = match called {
            Called::Success(_) => return Ok(Resolution::done(AlertOutcome::Resolved, None)),
            Called::Stopped(stop) => return Err(stop),
            Called::Failed(failed) => failed,
        };
        match failed {
            // GitHub: 400 "Bad request, resolution comment is invalid or the resolution
            // was not changed" (openapi/github-credentials.json, `update-alert`; the REST
            // reference says the same). Its words do not tell which, and a proxy's or a
            // malformed request's 400 says something else again: ask GitHub for the
            // alert (`secret-scanning/get-alert`) and go by its state.
            Failed::Status {
                status: 400,
                message,
                ..
            } => {
                let repository = format!("{owner}/{repo}");
                return self
                    .after_400(&repository, number, &message, calls, signal, observer)
                    .await;
            }
            // GitHub: 403 "Delegated alert dismissal is enabled and the authenticated user
            // is not a valid reviewer" (openapi/github-credentials.json, `update-alert`;
            // the GitHub changelog of 2025-04-18, "Manage secret scanning alert dismissal
            // requests with the REST API", describes the review that then closes it).
            Failed::Status {
                status: 403,
                message,
                ..
            } if {
                let lower = message.to_ascii_lowercase();
                DELEGATED_WORDS.iter().any(|w| lower.contains(w))
            } =>
            {
                Ok(Resolution::done(
                    AlertOutcome::NeedsReview,
                    Some(format!(
                        "a reviewer must close it (delegated alert dismissal; 403: {message})"
                    )),
                ))
            }
            // Any other 403 (not a rate limit: the engine took those): a permission the
            // token lacks, the same for every alert.
            Failed::Status {
                status: 403,
                message,
                accepted_scopes,
                token_scopes,
            } => {
                let message = permission_refused(
                    &format!("{owner}/{repo}"),
                    number,
                    &message,
                    accepted_scopes.as_deref(),
                    token_scopes.as_deref(),
                );
                Ok(Resolution {
                    outcome: AlertOutcome::Failed,
                    message: Some(message.clone()),
                    stop: Some(Stop::Fatal { message }),
                })
            }
            Failed::Status {
                status: 401,
                message,
                ..
            } => Err(Stop::Fatal {
                message: format!("401 resolving alerts: {message}"),
            }),
            Failed::Status {
                status, message, ..
            } => Ok(Resolution::done(
                AlertOutcome::Failed,
                Some(format!("{status}: {message}")),
            )),
            // A redirect, a request not built, retries given up.
            Failed::Other { message } => Ok(Resolution::done(AlertOutcome::Failed, Some(message))),
        }
    }

    /// After a 400 on `PATCH`: the alert's state, from GitHub, decides. Resolved (by this
    /// token earlier, by someone else, by a journal-less rerun) is
    /// [`AlertOutcome::AlreadyResolved`]; open (or unknown) is [`AlertOutcome::Failed`] with
    /// GitHub's message.
    async fn after_400(
        &self,
        repository: &str,
        number: i64,
        message: &str,
        calls: &mut Calls,
        signal: &mut Interrupt<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<Resolution, Stop> {
        let said = if message.is_empty() {
            "400 (no message)".to_owned()
        } else {
            format!("400: {message}")
        };
        match self
            .get_alert_with(repository, number, calls, signal, observer)
            .await
        {
            Ok(alert) if alert.state.as_deref() == Some("resolved") => Ok(Resolution::done(
                AlertOutcome::AlreadyResolved,
                Some(format!(
                    "GitHub answered {said}; the alert is already resolved"
                )),
            )),
            Ok(alert) => Ok(Resolution::done(
                AlertOutcome::Failed,
                Some(format!(
                    "GitHub answered {said}; the alert is still {}",
                    scrub(alert.state.as_deref().unwrap_or("in an unknown state"))
                )),
            )),
            Err(AlertsError::Stopped(stop)) => Err(stop),
            Err(error) => Ok(Resolution::done(
                AlertOutcome::Failed,
                Some(format!(
                    "GitHub answered {said}; whether the alert is resolved could not be read: \
                     {error}"
                )),
            )),
        }
    }
}
