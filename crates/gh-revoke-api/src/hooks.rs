//! Cross-cutting request handling for the generated client: GitHub's headers and tracing.
//!
//! progenitor sets `Accept: application/json` and `api-version: <info.version>` on every request;
//! [`Client`]'s `ClientHooks::pre` replaces them with what GitHub documents:
//! - `Accept: application/vnd.github+json`;
//! - `User-Agent` (GitHub rejects requests without one), unless the request already has one;
//! - `X-GitHub-Api-Version`, chosen per operation ([`Settings::with_api_version`]);
//! - `Authorization: Bearer …` from [`Settings::with_bearer_token`], for every operation but
//!   [`Operation::CredentialsRevoke`]; that endpoint answers any authenticated request with 403,
//!   so for it the hook also removes an `Authorization` header set on the request.
//!
//! Give a token through [`Settings`], never as a default header of the `reqwest::Client`:
//! reqwest adds its default headers after the hooks have run, so the hooks cannot take them off
//! `credentials/revoke`. (The `gh-revoke` crate's anonymous client builds its own transport and
//! has no way to hold a token at all.)

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};

use crate::Client;

/// `Accept` value GitHub recommends.
pub const GITHUB_MEDIA_TYPE: &str = "application/vnd.github+json";
/// GitHub's API version header.
pub const API_VERSION_HEADER: &str = "x-github-api-version";
/// The `User-Agent` sent when the caller sets none.
pub const DEFAULT_USER_AGENT: &str = concat!("gh-revoke/", env!("CARGO_PKG_VERSION"));

/// The operations of the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `POST /credentials/revoke` (anonymous only).
    CredentialsRevoke,
    /// `POST /enterprises/{enterprise}/credential-authorizations/revoke-all`.
    EnterpriseRevokeAll,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 2] = [Operation::CredentialsRevoke, Operation::EnterpriseRevokeAll];

    /// The identifier progenitor passes to the hooks (`OperationInfo::operation_id`).
    pub fn generated_id(self) -> &'static str {
        match self {
            Operation::CredentialsRevoke => "credentials_revoke",
            Operation::EnterpriseRevokeAll => {
                "enterprise_admin_revoke_all_credential_authorizations"
            }
        }
    }

    /// The operation's `operationId` in GitHub's description.
    pub fn operation_id(self) -> &'static str {
        match self {
            Operation::CredentialsRevoke => "credentials/revoke",
            Operation::EnterpriseRevokeAll => {
                "enterprise-admin/revoke-all-credential-authorizations"
            }
        }
    }

    /// The `X-GitHub-Api-Version` GitHub's docs use for this operation.
    pub fn default_api_version(self) -> &'static str {
        match self {
            Operation::CredentialsRevoke => "2022-11-28",
            Operation::EnterpriseRevokeAll => "2026-03-10",
        }
    }

    fn from_generated_id(id: &str) -> Option<Self> {
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

/// The hand-written state of the generated client (its `inner`): header values.
///
/// `Debug` never shows the token (its header value is marked sensitive).
#[derive(Debug, Clone)]
pub struct Settings {
    user_agent: HeaderValue,
    authorization: Option<HeaderValue>,
    revoke_version: HeaderValue,
    revoke_all_version: HeaderValue,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
            authorization: None,
            revoke_version: HeaderValue::from_static(
                Operation::CredentialsRevoke.default_api_version(),
            ),
            revoke_all_version: HeaderValue::from_static(
                Operation::EnterpriseRevokeAll.default_api_version(),
            ),
        }
    }
}

impl Settings {
    /// Send `user_agent` as `User-Agent` (GitHub asks for the application's name).
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, InvalidHeader> {
        self.user_agent = header_value("User-Agent", user_agent)?;
        Ok(self)
    }

    /// Authenticate every operation except [`Operation::CredentialsRevoke`] with `token`.
    ///
    /// The error never contains the token.
    pub fn with_bearer_token(mut self, token: &str) -> Result<Self, InvalidHeader> {
        let mut value =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| InvalidHeader {
                what: "token",
                value: "(redacted)".to_owned(),
            })?;
        value.set_sensitive(true);
        self.authorization = Some(value);
        Ok(self)
    }

    /// Whether a token is set.
    pub fn has_token(&self) -> bool {
        self.authorization.is_some()
    }

    /// Send `version` as `X-GitHub-Api-Version` for `operation`.
    pub fn with_api_version(
        mut self,
        operation: Operation,
        version: &str,
    ) -> Result<Self, InvalidHeader> {
        let value = header_value("API version", version)?;
        match operation {
            Operation::CredentialsRevoke => self.revoke_version = value,
            Operation::EnterpriseRevokeAll => self.revoke_all_version = value,
        }
        Ok(self)
    }

    /// The `X-GitHub-Api-Version` sent for `operation`.
    pub fn api_version(&self, operation: Operation) -> &HeaderValue {
        match operation {
            Operation::CredentialsRevoke => &self.revoke_version,
            Operation::EnterpriseRevokeAll => &self.revoke_all_version,
        }
    }

    /// The `User-Agent` sent when a request has none.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    /// Rewrite `request`'s headers for `operation` (what the hook does).
    pub fn apply(&self, request: &mut reqwest::Request, operation: Option<Operation>) {
        let headers = request.headers_mut();
        headers.remove(HeaderName::from_static("api-version"));
        headers.insert(ACCEPT, HeaderValue::from_static(GITHUB_MEDIA_TYPE));
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.user_agent.clone());
        }
        if let Some(operation) = operation {
            headers.insert(
                HeaderName::from_static(API_VERSION_HEADER),
                self.api_version(operation).clone(),
            );
            match (&self.authorization, operation) {
                (_, Operation::CredentialsRevoke) => {
                    headers.remove(AUTHORIZATION);
                }
                (Some(token), _) => {
                    headers.insert(AUTHORIZATION, token.clone());
                }
                (None, _) => {}
            }
        } else {
            // An operation this module does not know: never guess, never authenticate it.
            headers.remove(AUTHORIZATION);
        }
    }
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
            url = %request.url(),
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
                tracing::debug!(operation = info.operation_id, error = %err, "request failed")
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> reqwest::Request {
        let mut request = reqwest::Request::new(
            reqwest::Method::POST,
            "http://127.0.0.1/credentials/revoke".parse().unwrap(),
        );
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert("api-version", HeaderValue::from_static("23.0.2"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer secret"));
        request
    }

    #[test]
    fn revoke_gets_github_headers_and_loses_authorization() {
        let mut req = request();
        Settings::default().apply(&mut req, Some(Operation::CredentialsRevoke));
        let h = req.headers();
        assert_eq!(h[ACCEPT], GITHUB_MEDIA_TYPE);
        assert_eq!(h[API_VERSION_HEADER], "2022-11-28");
        assert_eq!(h[USER_AGENT], DEFAULT_USER_AGENT);
        assert!(h.get("api-version").is_none());
        assert!(h.get(AUTHORIZATION).is_none());
    }

    #[test]
    fn revoke_all_keeps_authorization_and_uses_its_version() {
        let mut req = request();
        let settings = Settings::default()
            .with_api_version(Operation::EnterpriseRevokeAll, "2022-11-28")
            .unwrap();
        settings.apply(&mut req, Some(Operation::EnterpriseRevokeAll));
        assert_eq!(req.headers()[API_VERSION_HEADER], "2022-11-28");
        assert!(req.headers().get(AUTHORIZATION).is_some());
    }

    #[test]
    fn generated_ids_match_the_generated_client() {
        let generated = include_str!("generated.rs");
        for op in Operation::ALL {
            assert!(
                generated.contains(&format!("operation_id: \"{}\"", op.generated_id())),
                "{op:?}"
            );
        }
    }

    #[test]
    fn token_goes_to_revoke_all_only_and_never_shows_in_debug() {
        let settings = Settings::default()
            .with_bearer_token("ghp_TOPSECRETTOPSECRET")
            .unwrap();
        let mut revoke = request();
        settings.apply(&mut revoke, Some(Operation::CredentialsRevoke));
        assert!(revoke.headers().get(AUTHORIZATION).is_none());
        let mut all = request();
        settings.apply(&mut all, Some(Operation::EnterpriseRevokeAll));
        assert_eq!(
            all.headers()[AUTHORIZATION],
            "Bearer ghp_TOPSECRETTOPSECRET"
        );
        assert!(!format!("{settings:?}").contains("TOPSECRET"));
        let err = Settings::default()
            .with_bearer_token("ghp_TOPSECRET\n")
            .unwrap_err();
        assert!(!err.to_string().contains("TOPSECRET"));
    }

    #[test]
    fn bad_header_values_are_errors() {
        let err = Settings::default()
            .with_user_agent("bad\nagent")
            .unwrap_err();
        assert!(err.to_string().contains("User-Agent"));
        assert!(
            Settings::default()
                .with_api_version(Operation::CredentialsRevoke, "x\r")
                .is_err()
        );
    }
}
