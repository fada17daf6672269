//! Cross-cutting request handling for the generated client: GitHub's headers, which token goes
//! where, and tracing.
//!
//! progenitor sets `Accept: application/json` and `api-version: <info.version>` on every request;
//! [`Client`]'s `ClientHooks::pre` replaces them with what GitHub documents:
//! - `Accept: application/vnd.github+json`;
//! - `User-Agent` (GitHub rejects requests without one), unless the request already has one;
//! - `X-GitHub-Api-Version`, chosen per operation ([`Operation::default_api_version`],
//!   [`Settings::with_api_version`]);
//! - `Authorization: Bearer …`, only where the token's [`TokenRole`] is one the operation takes
//!   ([`Operation::accepts`]); on every other request the hook removes any `Authorization`.
//!
//! Two kinds of token go through this crate, and they must never be swapped:
//! - the **caller's** token ([`Settings::with_bearer_token`], e.g. `GH_TOKEN`): lists and
//!   resolves secret-scanning alerts, administers enterprises and organizations;
//! - a **leaked** credential, used once on itself ([`crate::LeakedTokenClient`]): an
//!   installation token revoking itself (`DELETE /installation/token`), any token proving it is
//!   alive or dead (`GET /rate_limit`).
//!
//! A caller's token never reaches `DELETE /installation/token` (in GitHub Actions, `GITHUB_TOKEN`
//! is an installation token, so the call would revoke the workflow's own token: "The
//! GITHUB_TOKEN secret is a GitHub App installation access token",
//! docs.github.com/actions/concepts/security/github_token; the operation's own description:
//! "Revokes the installation token you're using to authenticate"), and a leaked credential never
//! reaches anything but its two operations. `POST /credentials/revoke` never
//! carries any token: it answers an authenticated request with 403.
//!
//! Give a token through [`Settings`], never as a default header of the `reqwest::Client`:
//! reqwest adds its default headers after the hooks have run, so the hooks could not take them off.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};

use crate::Client;

/// `Accept` value GitHub recommends.
pub const GITHUB_MEDIA_TYPE: &str = "application/vnd.github+json";
/// GitHub's API version header.
pub const API_VERSION_HEADER: &str = "x-github-api-version";
/// The `User-Agent` sent when the caller sets none.
pub const DEFAULT_USER_AGENT: &str = concat!("gh-revoke/", env!("CARGO_PKG_VERSION"));

/// API version `2022-11-28`: the version GitHub uses when a request names none, supported for at
/// least 24 months after 2026-03-10, and the only dated version GitHub Enterprise Server releases
/// before 3.20 know.
///
/// Sources: docs.github.com/rest/about-the-rest-api/api-versions ("Requests without the
/// X-GitHub-Api-Version header will default to use the 2022-11-28 version"; an unsupported
/// version answers 400) and github.blog/changelog/2026-03-12-rest-api-version-2026-03-10-is-now-available
/// ("2022-11-28 will continue to be fully supported for at least 24 months").
pub const API_VERSION_2022_11_28: &str = "2022-11-28";

/// API version `2026-03-10`: the newest, with no end of support announced. Same sources as
/// [`API_VERSION_2022_11_28`]; new operations and other additive changes exist in every supported
/// version, so both versions serve every operation here.
pub const API_VERSION_2026_03_10: &str = "2026-03-10";

/// The operations of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `credentials/revoke`: `POST /credentials/revoke` (anonymous only).
    CredentialsRevoke,
    /// `enterprise-admin/revoke-all-credential-authorizations`:
    /// `POST /enterprises/{enterprise}/credential-authorizations/revoke-all`.
    EnterpriseRevokeAll,
    /// `secret-scanning/list-alerts-for-repo`: `GET /repos/{owner}/{repo}/secret-scanning/alerts`.
    ListRepoAlerts,
    /// `secret-scanning/list-alerts-for-org`: `GET /orgs/{org}/secret-scanning/alerts`.
    ListOrgAlerts,
    /// `secret-scanning/list-alerts-for-enterprise`:
    /// `GET /enterprises/{enterprise}/secret-scanning/alerts`.
    ListEnterpriseAlerts,
    /// `secret-scanning/get-alert`:
    /// `GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}` (with the secret).
    GetAlert,
    /// `secret-scanning/update-alert`:
    /// `PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}`.
    UpdateAlert,
    /// `apps/revoke-installation-access-token`: `DELETE /installation/token` (the leaked
    /// installation token only).
    RevokeInstallationToken,
    /// `rate-limit/get`: `GET /rate_limit`.
    RateLimit,
    /// `enterprise-admin/revoke-credential-type-for-enterprise`:
    /// `POST /enterprises/{enterprise}/credential-authorizations/revoke-credential-type`.
    EnterpriseRevokeCredentialType,
    /// `enterprise-admin/revoke-credential-authorizations-for-user`:
    /// `POST /enterprises/{enterprise}/credential-authorizations/{username}/revoke`.
    EnterpriseRevokeUser,
    /// `enterprise-admin/revoke-credential-type-for-user`:
    /// `POST /enterprises/{enterprise}/credential-authorizations/{username}/revoke-credential-type`.
    EnterpriseRevokeUserCredentialType,
    /// `orgs/revoke-all-credential-authorizations`:
    /// `POST /orgs/{org}/credential-authorizations/revoke-all`.
    OrgRevokeAll,
    /// `orgs/revoke-credential-type`:
    /// `POST /orgs/{org}/credential-authorizations/revoke-credential-type`.
    OrgRevokeCredentialType,
    /// `orgs/revoke-credential-authorizations-for-user`:
    /// `POST /orgs/{org}/credential-authorizations/{username}/revoke`.
    OrgRevokeUser,
    /// `orgs/revoke-credential-type-for-user`:
    /// `POST /orgs/{org}/credential-authorizations/{username}/revoke-credential-type`.
    OrgRevokeUserCredentialType,
    /// `apps/create-installation-access-token`:
    /// `POST /app/installations/{installation_id}/access_tokens` (the app's JWT only).
    CreateInstallationToken,
    /// `apps/list-installations`: `GET /app/installations` (the app's JWT only).
    ListInstallations,
    /// `apps/list-repos-accessible-to-installation`: `GET /installation/repositories` (an
    /// installation token, the caller's own).
    ListInstallationRepos,
    /// `apps/create-from-manifest`: `POST /app-manifests/{code}/conversions` (no token: the
    /// one-time code is the credential).
    CreateAppFromManifest,
}

/// Whose token a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenRole {
    /// The caller's own token ([`Settings::with_bearer_token`]).
    Caller,
    /// A leaked credential, used on itself ([`crate::LeakedTokenClient`]).
    Leaked,
    /// A GitHub App's JWT ([`Settings::with_app_jwt`]): only the app's own endpoints take it.
    App,
}

impl Operation {
    /// Every operation, in the order of the vendored fragment.
    pub const ALL: [Operation; 20] = [
        Operation::CredentialsRevoke,
        Operation::EnterpriseRevokeAll,
        Operation::ListRepoAlerts,
        Operation::ListOrgAlerts,
        Operation::ListEnterpriseAlerts,
        Operation::GetAlert,
        Operation::UpdateAlert,
        Operation::RevokeInstallationToken,
        Operation::RateLimit,
        Operation::EnterpriseRevokeCredentialType,
        Operation::EnterpriseRevokeUser,
        Operation::EnterpriseRevokeUserCredentialType,
        Operation::OrgRevokeAll,
        Operation::OrgRevokeCredentialType,
        Operation::OrgRevokeUser,
        Operation::OrgRevokeUserCredentialType,
        Operation::CreateInstallationToken,
        Operation::ListInstallations,
        Operation::ListInstallationRepos,
        Operation::CreateAppFromManifest,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The identifier progenitor passes to the hooks (`OperationInfo::operation_id`), which is
    /// also the name of the generated method.
    pub fn generated_id(self) -> &'static str {
        match self {
            Operation::CredentialsRevoke => "credentials_revoke",
            Operation::EnterpriseRevokeAll => {
                "enterprise_admin_revoke_all_credential_authorizations"
            }
            Operation::ListRepoAlerts => "secret_scanning_list_alerts_for_repo",
            Operation::ListOrgAlerts => "secret_scanning_list_alerts_for_org",
            Operation::ListEnterpriseAlerts => "secret_scanning_list_alerts_for_enterprise",
            Operation::UpdateAlert => "secret_scanning_update_alert",
            Operation::RevokeInstallationToken => "apps_revoke_installation_access_token",
            Operation::RateLimit => "rate_limit_get",
            Operation::EnterpriseRevokeCredentialType => {
                "enterprise_admin_revoke_credential_type_for_enterprise"
            }
            Operation::EnterpriseRevokeUser => {
                "enterprise_admin_revoke_credential_authorizations_for_user"
            }
            Operation::EnterpriseRevokeUserCredentialType => {
                "enterprise_admin_revoke_credential_type_for_user"
            }
            Operation::OrgRevokeAll => "orgs_revoke_all_credential_authorizations",
            Operation::OrgRevokeCredentialType => "orgs_revoke_credential_type",
            Operation::OrgRevokeUser => "orgs_revoke_credential_authorizations_for_user",
            Operation::OrgRevokeUserCredentialType => "orgs_revoke_credential_type_for_user",
            Operation::GetAlert => "secret_scanning_get_alert",
            Operation::CreateInstallationToken => "apps_create_installation_access_token",
            Operation::ListInstallations => "apps_list_installations",
            Operation::ListInstallationRepos => "apps_list_repos_accessible_to_installation",
            Operation::CreateAppFromManifest => "apps_create_from_manifest",
        }
    }

    /// The operation's `operationId` in GitHub's description.
    pub fn operation_id(self) -> &'static str {
        match self {
            Operation::CredentialsRevoke => "credentials/revoke",
            Operation::EnterpriseRevokeAll => {
                "enterprise-admin/revoke-all-credential-authorizations"
            }
            Operation::ListRepoAlerts => "secret-scanning/list-alerts-for-repo",
            Operation::ListOrgAlerts => "secret-scanning/list-alerts-for-org",
            Operation::ListEnterpriseAlerts => "secret-scanning/list-alerts-for-enterprise",
            Operation::UpdateAlert => "secret-scanning/update-alert",
            Operation::RevokeInstallationToken => "apps/revoke-installation-access-token",
            Operation::RateLimit => "rate-limit/get",
            Operation::EnterpriseRevokeCredentialType => {
                "enterprise-admin/revoke-credential-type-for-enterprise"
            }
            Operation::EnterpriseRevokeUser => {
                "enterprise-admin/revoke-credential-authorizations-for-user"
            }
            Operation::EnterpriseRevokeUserCredentialType => {
                "enterprise-admin/revoke-credential-type-for-user"
            }
            Operation::OrgRevokeAll => "orgs/revoke-all-credential-authorizations",
            Operation::OrgRevokeCredentialType => "orgs/revoke-credential-type",
            Operation::OrgRevokeUser => "orgs/revoke-credential-authorizations-for-user",
            Operation::OrgRevokeUserCredentialType => "orgs/revoke-credential-type-for-user",
            Operation::GetAlert => "secret-scanning/get-alert",
            Operation::CreateInstallationToken => "apps/create-installation-access-token",
            Operation::ListInstallations => "apps/list-installations",
            Operation::ListInstallationRepos => "apps/list-repos-accessible-to-installation",
            Operation::CreateAppFromManifest => "apps/create-from-manifest",
        }
    }

    /// Whether GitHub's description marks the operation as Enterprise Cloud only
    /// (`x-github.githubCloudOnly`).
    pub fn cloud_only(self) -> bool {
        !matches!(
            self,
            Operation::CredentialsRevoke
                | Operation::ListRepoAlerts
                | Operation::ListOrgAlerts
                | Operation::UpdateAlert
                | Operation::RevokeInstallationToken
                | Operation::RateLimit
                | Operation::GetAlert
                | Operation::CreateInstallationToken
                | Operation::ListInstallations
                | Operation::ListInstallationRepos
                | Operation::CreateAppFromManifest
        )
    }

    /// The `X-GitHub-Api-Version` sent unless [`Settings::with_api_version`] says otherwise.
    ///
    /// One version is pinned per operation, so that an answer never changes shape because
    /// GitHub moved its default. The rule: an operation that GitHub Enterprise Server also
    /// serves gets [`API_VERSION_2022_11_28`], which every GitHub product accepts (a Server
    /// release that does not know `2026-03-10` answers 400 to it); an Enterprise Cloud only
    /// operation gets [`API_VERSION_2026_03_10`], the newest version, with no end of support
    /// announced, as revoke-all always has. No operation here changes between the two
    /// versions, except that `2026-03-10` drops `rate` from `GET /rate_limit`'s body (a field
    /// the generated type no longer requires).
    pub fn default_api_version(self) -> &'static str {
        if self.cloud_only() {
            API_VERSION_2026_03_10
        } else {
            API_VERSION_2022_11_28
        }
    }

    /// Whether a token of `role` may authenticate this operation.
    pub fn accepts(self, role: TokenRole) -> bool {
        match self {
            // 403 to any authenticated request; the manifest's one-time code is its own
            // credential.
            Operation::CredentialsRevoke | Operation::CreateAppFromManifest => false,
            // "You must use a JWT to access this endpoint": the app's own JWT, nothing else.
            Operation::CreateInstallationToken | Operation::ListInstallations => {
                role == TokenRole::App
            }
            // Revokes the token that authenticates it: only ever the leaked one.
            Operation::RevokeInstallationToken => role == TokenRole::Leaked,
            // The caller may check its own limits and scopes; a leaked token proves liveness.
            Operation::RateLimit => role != TokenRole::App,
            _ => role == TokenRole::Caller,
        }
    }

    /// The operation whose generated method name (and hook identifier) is `id`.
    pub fn from_generated_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.generated_id() == id)
    }
}

/// An API version or User-Agent that cannot be sent as an HTTP header value.
#[derive(Debug, thiserror::Error)]
#[error("{what} {value:?} is not a valid HTTP header value")]
pub struct InvalidHeader {
    what: &'static str,
    value: String,
}

/// A token and the role it was given.
#[derive(Clone)]
struct Token {
    role: TokenRole,
    header: HeaderValue,
}

/// The hand-written state of the generated client (its `inner`): header values and the token.
///
/// `Debug` never shows the token: only its role.
#[derive(Clone)]
pub struct Settings {
    user_agent: HeaderValue,
    token: Option<Token>,
    versions: [HeaderValue; Operation::ALL.len()],
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let versions: Vec<(&str, &HeaderValue)> = Operation::ALL
            .iter()
            .map(|op| (op.operation_id(), &self.versions[op.index()]))
            .collect();
        f.debug_struct("Settings")
            .field("user_agent", &self.user_agent)
            .field("token", &self.token.as_ref().map(|t| t.role))
            .field("versions", &versions)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
            token: None,
            versions: Operation::ALL.map(|op| HeaderValue::from_static(op.default_api_version())),
        }
    }
}

impl Settings {
    /// Send `user_agent` as `User-Agent` (GitHub asks for the application's name).
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, InvalidHeader> {
        self.user_agent = header_value("User-Agent", user_agent)?;
        Ok(self)
    }

    /// Authenticate with the caller's own `token` every operation that takes one
    /// ([`Operation::accepts`] with [`TokenRole::Caller`]): never `credentials/revoke`, never
    /// `DELETE /installation/token`. Replaces any token set before.
    ///
    /// The error never contains the token.
    pub fn with_bearer_token(self, token: &str) -> Result<Self, InvalidHeader> {
        self.with_token(TokenRole::Caller, token)
    }

    /// Authenticate with a GitHub App's JWT (RS256, signed with the app's private key) the
    /// operations that take one ([`Operation::accepts`] with [`TokenRole::App`]): creating an
    /// installation token and listing the app's installations. Replaces any token set before.
    ///
    /// The error never contains the JWT.
    pub fn with_app_jwt(self, jwt: &str) -> Result<Self, InvalidHeader> {
        self.with_token(TokenRole::App, jwt)
    }

    /// The role is not public: only [`crate::LeakedTokenClient`] gives a token
    /// [`TokenRole::Leaked`], so that a leaked credential cannot end up on a general client.
    pub(crate) fn with_token(
        mut self,
        role: TokenRole,
        token: &str,
    ) -> Result<Self, InvalidHeader> {
        let mut header =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| InvalidHeader {
                what: "token",
                value: "(redacted)".to_owned(),
            })?;
        header.set_sensitive(true);
        self.token = Some(Token { role, header });
        Ok(self)
    }

    /// These settings without a token.
    pub fn without_token(mut self) -> Self {
        self.token = None;
        self
    }

    /// Whether a token is set.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// The role of the token, if one is set.
    pub fn token_role(&self) -> Option<TokenRole> {
        self.token.as_ref().map(|t| t.role)
    }

    /// Send `version` as `X-GitHub-Api-Version` for `operation`.
    pub fn with_api_version(
        mut self,
        operation: Operation,
        version: &str,
    ) -> Result<Self, InvalidHeader> {
        self.versions[operation.index()] = header_value("API version", version)?;
        Ok(self)
    }

    /// The `X-GitHub-Api-Version` sent for `operation`.
    pub fn api_version(&self, operation: Operation) -> &HeaderValue {
        &self.versions[operation.index()]
    }

    /// The `User-Agent` sent when a request has none.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    /// Whether a request for `operation` carries the token (false without one).
    pub fn authenticates(&self, operation: Operation) -> bool {
        self.token
            .as_ref()
            .is_some_and(|token| operation.accepts(token.role))
    }

    /// Rewrite `request`'s headers for `operation` (what the hook does). `None` is an operation
    /// this module does not know: it gets GitHub's headers but never a token.
    pub fn apply(&self, request: &mut reqwest::Request, operation: Option<Operation>) {
        let headers = request.headers_mut();
        headers.remove(HeaderName::from_static("api-version"));
        headers.insert(ACCEPT, HeaderValue::from_static(GITHUB_MEDIA_TYPE));
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.user_agent.clone());
        }
        // Whatever was on the request before, only the policy decides.
        headers.remove(AUTHORIZATION);
        let Some(operation) = operation else {
            return;
        };
        headers.insert(
            HeaderName::from_static(API_VERSION_HEADER),
            self.api_version(operation).clone(),
        );
        if let Some(token) = &self.token
            && operation.accepts(token.role)
        {
            headers.insert(AUTHORIZATION, token.header.clone());
        }
    }
}

/// `url` as logged: the manifest flow's one-time code, a credential in the path of
/// `POST /app-manifests/{code}/conversions`, is replaced by `(redacted)`.
fn logged_url(url: &reqwest::Url, operation: Option<Operation>) -> String {
    if operation != Some(Operation::CreateAppFromManifest) {
        return url.to_string();
    }
    let mut shown = url.clone();
    let path: Vec<&str> = url.path().split('/').collect();
    let redacted: Vec<&str> = path
        .iter()
        .enumerate()
        .map(|(i, segment)| {
            if i > 0 && path[i - 1] == "app-manifests" {
                "(redacted)"
            } else {
                segment
            }
        })
        .collect();
    shown.set_path(&redacted.join("/"));
    shown.to_string()
}

fn header_value(what: &'static str, value: &str) -> Result<HeaderValue, InvalidHeader> {
    HeaderValue::from_str(value).map_err(|_| InvalidHeader {
        what,
        value: value.to_owned(),
    })
}

impl ClientHooks<Settings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let operation = Operation::from_generated_id(info.operation_id);
        self.inner().apply(request, operation);
        tracing::debug!(
            operation = info.operation_id,
            method = %request.method(),
            url = %logged_url(request.url(), operation),
            authenticated = request.headers().contains_key(AUTHORIZATION),
            "sending request"
        );
        Ok(())
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        match result {
            Ok(response) => tracing::debug!(
                operation = info.operation_id,
                status = response.status().as_u16(),
                "response"
            ),
            Err(err) => {
                // reqwest's message names the URL: shown as `logged_url` shows it.
                let operation = Operation::from_generated_id(info.operation_id);
                let mut error = err.to_string();
                if let Some(url) = err.url() {
                    error = error.replace(url.as_str(), &logged_url(url, operation));
                }
                tracing::debug!(operation = info.operation_id, error = %error, "request failed")
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
