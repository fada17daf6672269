//! [`EnterpriseClient`] and its builder, and the one answer path of all eight revocations
//! ([`EnterpriseClient::revoke`]).

use gh_revoke_api::hooks::Operation;
use secrecy::SecretString;

use super::answer::by_status;
use super::error::EnterpriseError;
use super::report::{RevocationReport, RevokeAllReport};
use super::target::{CredentialType, Target};
use crate::http::answer::Failure;
use crate::http::engine::Engine;
use crate::http::{ApiBase, ClientError, ClientSettings};
use crate::input::scrub;

/// Calls revoke-all and its siblings with an enterprise or organization owner's token
/// ([`OrgClient`] is the same client).
///
/// The token is held as a [`SecretString`] (redacted `Debug`, zeroized on drop) and sent only to
/// the configured base URL: the transport follows no redirects, so it can never be replayed to
/// another host.
#[derive(Debug)]
pub struct EnterpriseClient {
    pub(super) api: gh_revoke_api::Client,
    base: ApiBase,
}

/// Builds an [`EnterpriseClient`] (the same settings as [`crate::RevokeClientBuilder`] but for
/// retries: a revocation is sent once, never retried, so a timeout after sending leaves the
/// outcome unknown ([`EnterpriseError::OutcomeUnknown`]); a connect timeout sent nothing).
#[derive(Debug)]
pub struct EnterpriseClientBuilder {
    base: ApiBase,
    token: SecretString,
    settings: ClientSettings,
}

crate::client_settings_setters!(EnterpriseClientBuilder:
    user_agent, api_version, timeout, connect_timeout);

impl EnterpriseClientBuilder {
    /// Build the client. Never panics (the TLS provider is installed on the way).
    pub fn build(self) -> Result<EnterpriseClient, ClientError> {
        let headers = self.settings.headers(Some(&self.token), &REVOCATIONS)?;
        let http = self.settings.http()?;
        Ok(EnterpriseClient {
            api: gh_revoke_api::Client::new_with_client(self.base.as_str(), http, headers),
            base: self.base,
        })
    }
}

/// The same client, for organization owners: [`EnterpriseClient::revoke`] with a
/// [`Target::org`].
pub type OrgClient = EnterpriseClient;

/// Builds an [`OrgClient`].
pub type OrgClientBuilder = EnterpriseClientBuilder;

/// The eight credential-authorization operations this client calls.
const REVOCATIONS: [Operation; 8] = [
    Operation::EnterpriseRevokeAll,
    Operation::EnterpriseRevokeCredentialType,
    Operation::EnterpriseRevokeUser,
    Operation::EnterpriseRevokeUserCredentialType,
    Operation::OrgRevokeAll,
    Operation::OrgRevokeCredentialType,
    Operation::OrgRevokeUser,
    Operation::OrgRevokeUserCredentialType,
];

impl EnterpriseClient {
    /// A builder for a client for `base` authenticating with `token`.
    pub fn builder(base: ApiBase, token: SecretString) -> EnterpriseClientBuilder {
        EnterpriseClientBuilder {
            base,
            token,
            settings: ClientSettings::default(),
        }
    }

    /// A client with default settings for `base` authenticating with `token`.
    pub fn new(base: ApiBase, token: SecretString) -> Result<Self, ClientError> {
        Self::builder(base, token).build()
    }

    /// The API base URL this client sends to.
    pub fn api_base(&self) -> &ApiBase {
        &self.base
    }

    /// Revoke every credential authorization in `enterprise`; with `revoke_credentials`
    /// (EMU enterprises only), also destroy members' PATs and SSH keys.
    ///
    /// Sent once, never retried: the operation is queued by GitHub and there is no status to
    /// poll. Any 2xx is success (an unreadable body is a [`RevokeAllReport::note`]).
    pub async fn revoke_all(
        &self,
        enterprise: &str,
        revoke_credentials: bool,
    ) -> Result<RevokeAllReport, EnterpriseError> {
        let target = Target::enterprise(enterprise).revoke_credentials(revoke_credentials);
        let report = self.revoke(&target).await?;
        Ok(RevokeAllReport {
            api_url: report.api_url,
            enterprise: report.name,
            status: report.status,
            revoke_credentials,
            message: report.message,
            warning: report.warning,
            note: report.note,
            error: None,
        })
    }

    /// Revoke what `target` names: every credential authorization, one credential type's, one
    /// user's, or one user's of one type, in an enterprise or an organization (with
    /// [`Target::revoke_credentials`], enterprise EMU only, the credentials are destroyed too).
    ///
    /// The one answer path of all eight operations. Sent once, never retried: GitHub queues the
    /// work and there is no status to poll. Any 2xx is success (an unreadable body is a
    /// [`RevocationReport::note`]); a timeout or 5xx after sending is
    /// [`EnterpriseError::OutcomeUnknown`]. Nothing is sent when [`Target::validate`] fails.
    pub async fn revoke(&self, target: &Target) -> Result<RevocationReport, EnterpriseError> {
        target.validate()?;
        let operation = target.operation();
        tracing::info!(
            scope = target.scope().kind(),
            name = target.scope().name(),
            user = target.login(),
            credential_type = target.kind().map(CredentialType::as_str),
            revoke_credentials = target.destroys_credentials(),
            operation = operation.operation_id(),
            "revoking credential authorizations"
        );
        let success =
            |status: u16, message: Option<String>, warning: Option<String>| RevocationReport {
                api_url: self.base.to_string(),
                operation: operation.operation_id().to_owned(),
                scope: target.scope().kind().to_owned(),
                name: target.scope().name().to_owned(),
                user: target.login().map(str::to_owned),
                credential_type: target.kind(),
                revoke_credentials: target.destroys_credentials(),
                description: target.describe(),
                status,
                message: message.map(|m| scrub(&m)),
                warning: warning.map(|w| scrub(&w)),
                note: None,
                error: None,
            };
        match Engine::once(self.send(target)).await {
            Ok(answer) => {
                let status = answer.status().as_u16();
                let (message, warning) = answer.into_inner();
                Ok(success(status, message, warning))
            }
            // A 2xx whose body was not what the description says: still queued.
            // Its body is `{message, warning}`, never a secret.
            Err(Failure::UnreadableSuccess { body, .. }) => {
                let mut report = success(202, None, None);
                report.note = Some(format!(
                    "GitHub accepted the request, but its answer could not be read: {}",
                    body.0
                ));
                Ok(report)
            }
            // Any other 2xx: queued too.
            Err(Failure::UndocumentedSuccess { answer, .. }) => {
                let value = answer.json();
                let field = |name: &str| {
                    value
                        .as_ref()
                        .and_then(|v| v.get(name))
                        .and_then(|m| m.as_str())
                        .map(str::to_owned)
                };
                let mut report =
                    success(answer.status().as_u16(), field("message"), field("warning"));
                if value.is_none() && !answer.body().is_empty() {
                    report.note = Some(
                        "GitHub accepted the request, but its answer could not be read".to_owned(),
                    );
                }
                Ok(report)
            }
            Err(failure) => Err(by_status(target, failure)),
        }
    }
}
