//! Named-argument forms of the secret-scanning calls.
//!
//! The generated listing methods take every query parameter positionally, in alphabetical order
//! (20 `Option`s, several `Option<&str>` side by side: `after`, `assignee`, `before`). These
//! forwarders take an [`AlertsQuery`] instead, so an `after` cursor cannot end up in `before`.

use progenitor_client::{ByteStream, Error, ResponseValue};

use crate::Client;
use crate::types::{
    Direction, OrganizationSecretScanningAlert, SecretScanningAlert, SecretScanningAlertResolution,
    SecretScanningAlertResolutionInner, SecretScanningAlertState, SecretScanningUpdateAlertBody,
    Sort,
};

/// The query parameters of an alerts listing that gh-revoke uses; `None` leaves a parameter
/// out (GitHub's default applies). Parameters not here (`assignee`, `providers`,
/// `is_publicly_leaked`, …) stay unset; call the generated method for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlertsQuery<'a> {
    /// `state`: `open` or `resolved`.
    pub state: Option<SecretScanningAlertState>,
    /// `secret_type`: a comma-separated list of secret types.
    pub secret_type: Option<&'a str>,
    /// `validity`: a comma-separated list (`active`, `inactive`, `unknown`).
    pub validity: Option<&'a str>,
    /// `hide_secret`: `true` leaves the `secret` out of every alert.
    pub hide_secret: Option<bool>,
    /// `per_page`: at most 100.
    pub per_page: Option<i64>,
    /// `page`: page-number paging (repository and organization listings only).
    pub page: Option<i64>,
    /// `before`: cursor paging, the page before this cursor.
    pub before: Option<&'a str>,
    /// `after`: cursor paging, the page after this cursor.
    pub after: Option<&'a str>,
    /// `sort`: `created` or `updated`.
    pub sort: Option<Sort>,
    /// `direction`: `asc` or `desc`.
    pub direction: Option<Direction>,
}

impl Client {
    /// `GET /repos/{owner}/{repo}/secret-scanning/alerts` with `query`
    /// ([`Client::secret_scanning_list_alerts_for_repo`]).
    pub async fn list_repo_alerts(
        &self,
        owner: &str,
        repo: &str,
        query: &AlertsQuery<'_>,
    ) -> Result<ResponseValue<Vec<SecretScanningAlert>>, Error<ByteStream>> {
        let q = query;
        self.secret_scanning_list_alerts_for_repo(
            owner,
            repo,
            q.after,
            None,
            q.before,
            q.direction,
            None,
            None,
            q.hide_secret,
            None,
            None,
            None,
            None,
            None,
            q.page,
            q.per_page,
            None,
            None,
            q.secret_type,
            q.sort,
            q.state,
            q.validity,
        )
        .await
    }

    /// `GET /orgs/{org}/secret-scanning/alerts` with `query`
    /// ([`Client::secret_scanning_list_alerts_for_org`]).
    pub async fn list_org_alerts(
        &self,
        org: &str,
        query: &AlertsQuery<'_>,
    ) -> Result<ResponseValue<Vec<OrganizationSecretScanningAlert>>, Error<ByteStream>> {
        let q = query;
        self.secret_scanning_list_alerts_for_org(
            org,
            q.after,
            None,
            q.before,
            q.direction,
            None,
            None,
            q.hide_secret,
            None,
            None,
            None,
            None,
            None,
            q.page,
            q.per_page,
            None,
            None,
            q.secret_type,
            q.sort,
            q.state,
            q.validity,
        )
        .await
    }

    /// `GET /enterprises/{enterprise}/secret-scanning/alerts` with `query`
    /// ([`Client::secret_scanning_list_alerts_for_enterprise`]). This listing pages by cursor
    /// only: a `page` in `query` is `Error::InvalidRequest`, and nothing is sent.
    pub async fn list_enterprise_alerts(
        &self,
        enterprise: &str,
        query: &AlertsQuery<'_>,
    ) -> Result<ResponseValue<Vec<OrganizationSecretScanningAlert>>, Error<ByteStream>> {
        let q = query;
        if q.page.is_some() {
            return Err(Error::InvalidRequest(
                "the enterprise alerts listing pages by cursor (before/after), not by page"
                    .to_owned(),
            ));
        }
        self.secret_scanning_list_alerts_for_enterprise(
            enterprise,
            q.after,
            None,
            q.before,
            q.direction,
            None,
            None,
            q.hide_secret,
            None,
            None,
            None,
            None,
            None,
            q.per_page,
            None,
            None,
            q.secret_type,
            q.sort,
            q.state,
            q.validity,
        )
        .await
    }
}

impl SecretScanningUpdateAlertBody {
    /// The body that closes an alert: `state: resolved`, `resolution`, and a comment (GitHub
    /// keeps it; it cannot be edited later).
    pub fn resolved(
        resolution: SecretScanningAlertResolutionInner,
        comment: Option<String>,
    ) -> Self {
        Self {
            state: Some(SecretScanningAlertState::Resolved),
            resolution: Some(SecretScanningAlertResolution(Some(resolution))),
            resolution_comment: comment,
            ..Self::default()
        }
    }
}
