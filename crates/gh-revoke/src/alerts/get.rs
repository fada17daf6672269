//! [`AlertsClient::get_alert`]: one alert, with its secret, by repository and number
//! (`secret-scanning/get-alert`).
//!
//! What a webhook receiver needs for each delivery (a `secret_scanning_alert` payload never
//! carries the secret: GitHub's description of `secret-scanning-alert-webhook` has no `secret`
//! field, while `secret-scanning-alert-with-metadata`, the answer of
//! `GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}`, has it), and what tells
//! whether an alert is resolved after a `PATCH` was refused. The request is built by the typed
//! client on the configured base URL from the two coordinates alone: no URL from a payload is
//! ever followed.

use super::call::Calls;
use super::client::AlertsClient;
use super::error::AlertsError;
use super::event::{AlertsEvent, Observer};
use super::list::Alert;
use crate::http::interrupt::Interrupt;

impl AlertsClient {
    /// `GET /repos/{owner}/{repo}/secret-scanning/alerts/{number}` for `repository`
    /// (`OWNER/REPO`), with the secret, paced and retried like a listing page.
    ///
    /// A 404 is [`AlertsError::NotFound`] (no such alert the token can see, secret scanning
    /// disabled, or a public repository); a `repository` that is not `OWNER/REPO` or a number
    /// below 1 is [`AlertsError::InvalidTarget`], and nothing is sent.
    pub async fn get_alert(&self, repository: &str, number: i64) -> Result<Alert, AlertsError> {
        let mut calls = Calls::of(self);
        let mut signal = Interrupt::never();
        let mut observer: Observer<'_> = Box::new(|_: &AlertsEvent<'_>| {});
        self.get_alert_with(repository, number, &mut calls, &mut signal, &mut observer)
            .await
    }

    pub(super) async fn get_alert_with(
        &self,
        repository: &str,
        number: i64,
        calls: &mut Calls,
        signal: &mut Interrupt<'_>,
        observer: &mut Observer<'_>,
    ) -> Result<Alert, AlertsError> {
        let (owner, repo) = split_repository(repository)?;
        if number < 1 {
            return Err(AlertsError::InvalidTarget(format!(
                "alert number {number} of {repository}: alert numbers start at 1"
            )));
        }
        let what = format!("alert {number} of {repository}");
        let a = self
            .read_with_retry(&what, calls, signal, observer, || {
                self.api
                    .secret_scanning_get_alert(owner, repo, number, Some(false))
            })
            .await?
            .into_inner();
        Ok(Alert {
            number: a.number.unwrap_or(number),
            repository: repository.to_owned(),
            html_url: a.html_url,
            secret_type: a.secret_type,
            state: a.state,
            secret: a.secret,
        })
    }
}

/// `OWNER/REPO` into its two names; anything else (empty parts, more slashes) is refused.
fn split_repository(repository: &str) -> Result<(&str, &str), AlertsError> {
    match repository.split_once('/') {
        Some((owner, repo)) if !owner.is_empty() && !repo.is_empty() && !repo.contains('/') => {
            Ok((owner, repo))
        }
        _ => Err(AlertsError::InvalidTarget(format!(
            "repository {repository:?}: expected OWNER/REPO"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_split_into_owner_and_name_or_are_refused() {
        assert_eq!(
            split_repository("octo-org/hello").unwrap(),
            ("octo-org", "hello")
        );
        for bad in ["", "octo-org", "/hello", "octo-org/", "a/b/c"] {
            assert!(
                matches!(split_repository(bad), Err(AlertsError::InvalidTarget(_))),
                "{bad:?}"
            );
        }
    }
}
