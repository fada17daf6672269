//! The eight generated calls: [`EnterpriseClient::send`] makes the one a [`Target`] names, and
//! every success answer comes back as one shape, [`Queued`].

use gh_revoke_api::types;
use gh_revoke_api::{ByteStream, Error, ResponseValue};

use super::client::EnterpriseClient;
use super::target::{Scope, Target};

impl EnterpriseClient {
    /// Make the one generated call `target` names; a success is GitHub's `(message, warning)`.
    pub(super) async fn send(&self, target: &Target) -> Result<Queued, Error<ByteStream>> {
        let api = &self.api;
        let revoke_credentials = target.destroys_credentials();
        match (target.scope(), target.login(), target.kind()) {
            (Scope::Enterprise { slug }, None, None) => queued(
                api.enterprise_admin_revoke_all_credential_authorizations(
                    slug,
                    &types::EnterpriseAdminRevokeAllCredentialAuthorizationsBody {
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Enterprise { slug }, None, Some(kind)) => queued(
                api.enterprise_admin_revoke_credential_type_for_enterprise(
                    slug,
                    &types::EnterpriseAdminRevokeCredentialTypeForEnterpriseBody {
                        credential_type: kind.api(),
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Enterprise { slug }, Some(user), None) => queued(
                api.enterprise_admin_revoke_credential_authorizations_for_user(
                    slug,
                    user,
                    &types::EnterpriseAdminRevokeCredentialAuthorizationsForUserBody {
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Enterprise { slug }, Some(user), Some(kind)) => queued(
                api.enterprise_admin_revoke_credential_type_for_user(
                    slug,
                    user,
                    &types::EnterpriseAdminRevokeCredentialTypeForUserBody {
                        credential_type: kind.api(),
                        revoke_credentials,
                    },
                )
                .await,
            ),
            (Scope::Org { org }, None, None) => {
                queued(api.orgs_revoke_all_credential_authorizations(org).await)
            }
            (Scope::Org { org }, None, Some(kind)) => queued(
                api.orgs_revoke_credential_type(
                    org,
                    &types::OrgsRevokeCredentialTypeBody {
                        credential_type: kind.api(),
                    },
                )
                .await,
            ),
            (Scope::Org { org }, Some(user), None) => queued(
                api.orgs_revoke_credential_authorizations_for_user(org, user)
                    .await,
            ),
            (Scope::Org { org }, Some(user), Some(kind)) => queued(
                api.orgs_revoke_credential_type_for_user(
                    org,
                    user,
                    &types::OrgsRevokeCredentialTypeForUserBody {
                        credential_type: kind.api(),
                    },
                )
                .await,
            ),
        }
    }
}

/// A success answer: GitHub's `message` and `warning`.
pub(super) type Queued = ResponseValue<(Option<String>, Option<String>)>;

/// The `{message, warning}` every revocation answers with (eight generated types, one shape).
trait QueuedAnswer {
    fn into_parts(self) -> (Option<String>, Option<String>);
}

macro_rules! queued_answer {
    ($($name:ident),* $(,)?) => {$(
        impl QueuedAnswer for types::$name {
            fn into_parts(self) -> (Option<String>, Option<String>) {
                (self.message, self.warning)
            }
        }
    )*};
}

queued_answer!(
    EnterpriseAdminRevokeAllCredentialAuthorizationsResponse,
    EnterpriseAdminRevokeCredentialTypeForEnterpriseResponse,
    EnterpriseAdminRevokeCredentialAuthorizationsForUserResponse,
    EnterpriseAdminRevokeCredentialTypeForUserResponse,
    OrgsRevokeAllCredentialAuthorizationsResponse,
    OrgsRevokeCredentialTypeResponse,
    OrgsRevokeCredentialAuthorizationsForUserResponse,
    OrgsRevokeCredentialTypeForUserResponse,
);

// The generated client's own error type, passed straight on to `revoke`.
#[allow(clippy::result_large_err)]
fn queued<T: QueuedAnswer>(
    result: Result<ResponseValue<T>, Error<ByteStream>>,
) -> Result<Queued, Error<ByteStream>> {
    result.map(|response| {
        let (status, headers) = (response.status(), response.headers().clone());
        ResponseValue::new(response.into_inner().into_parts(), status, headers)
    })
}
