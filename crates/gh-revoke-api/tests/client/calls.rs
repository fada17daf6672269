//! Every generated method, called once with representative arguments (every optional query
//! parameter set), so that the requests can be checked against the description.

use gh_revoke_api::Client;
use gh_revoke_api::hooks::Operation;
use gh_revoke_api::types::{
    self, CredentialType, Direction, SecretScanningAlertResolutionInner, SecretScanningAlertState,
    Sort,
};

/// The owner, repository, organization, enterprise and user the calls name.
pub const OWNER: &str = "octo-org";
pub const REPO: &str = "hello world";
pub const ORG: &str = "octo-org";
pub const ENTERPRISE: &str = "acme-corp";
pub const USERNAME: &str = "octocat";
pub const ALERT_NUMBER: i64 = 42;
pub const INSTALLATION_ID: i64 = 4242;
pub const MANIFEST_CODE: &str = "a1b2c3";

/// The body a receiver sends for an installation token: secret scanning alerts, write, only.
pub fn installation_token_body() -> types::AppsCreateInstallationAccessTokenBody {
    types::AppsCreateInstallationAccessTokenBody {
        permissions: Some(types::AppPermissions {
            secret_scanning_alerts: Some(types::AppPermissionsSecretScanningAlerts::Write),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A two-credential revoke body.
pub fn revoke_body() -> types::CredentialsRevokeBody {
    types::CredentialsRevokeBody {
        credentials: vec!["ghp_one".into(), "github_pat_two".into()],
    }
}

/// The body gh-revoke sends to resolve an alert it revoked.
pub fn resolve_revoked() -> types::SecretScanningUpdateAlertBody {
    types::SecretScanningUpdateAlertBody::resolved(
        SecretScanningAlertResolutionInner::Revoked,
        Some("Revoked with gh-revoke".into()),
    )
}

/// Call `operation` once; what came back is dropped (the point is the request).
pub async fn call(client: &Client, operation: Operation) {
    match operation {
        Operation::CredentialsRevoke => {
            let _ = client.credentials_revoke(&revoke_body()).await;
        }
        Operation::EnterpriseRevokeAll => {
            let body = types::EnterpriseAdminRevokeAllCredentialAuthorizationsBody {
                revoke_credentials: true,
            };
            let _ = client
                .enterprise_admin_revoke_all_credential_authorizations(ENTERPRISE, &body)
                .await;
        }
        Operation::ListRepoAlerts => {
            let _ = client
                .secret_scanning_list_alerts_for_repo(
                    OWNER,
                    REPO,
                    Some("cursor-after"),
                    Some("octocat"),
                    Some("cursor-before"),
                    Some(Direction::Asc),
                    Some("aws"),
                    Some("generic_secret"),
                    Some(false),
                    Some("secret_scanning_alert_metadata"),
                    Some(false),
                    Some(true),
                    Some(false),
                    Some("0123abcd"),
                    Some(2),
                    Some(100),
                    Some("github"),
                    Some("revoked,false_positive"),
                    Some("github_personal_access_token,github_oauth_access_token"),
                    Some(Sort::Updated),
                    Some(SecretScanningAlertState::Open),
                    Some("active,unknown"),
                )
                .await;
        }
        Operation::ListOrgAlerts => {
            let _ = client
                .secret_scanning_list_alerts_for_org(
                    ORG,
                    Some("cursor-after"),
                    Some("octocat"),
                    Some("cursor-before"),
                    Some(Direction::Desc),
                    Some("aws"),
                    Some("generic_secret"),
                    Some(true),
                    Some("secret_scanning_alert_metadata"),
                    Some(true),
                    Some(false),
                    Some(true),
                    Some("0123abcd"),
                    Some(3),
                    Some(100),
                    Some("github"),
                    Some("revoked"),
                    Some("github_refresh_token"),
                    Some(Sort::Created),
                    Some(SecretScanningAlertState::Resolved),
                    Some("inactive"),
                )
                .await;
        }
        Operation::ListEnterpriseAlerts => {
            let _ = client
                .secret_scanning_list_alerts_for_enterprise(
                    ENTERPRISE,
                    Some("cursor-after"),
                    Some("octocat"),
                    Some("cursor-before"),
                    Some(Direction::Asc),
                    Some("aws"),
                    Some("generic_secret"),
                    Some(false),
                    Some("secret_scanning_alert_metadata"),
                    Some(false),
                    Some(false),
                    Some(false),
                    Some("0123abcd"),
                    Some(100),
                    Some("github"),
                    Some("wont_fix"),
                    Some("github_app_installation_access_token"),
                    Some(Sort::Created),
                    Some(SecretScanningAlertState::Open),
                    Some("unknown"),
                )
                .await;
        }
        Operation::UpdateAlert => {
            let _ = client
                .secret_scanning_update_alert(OWNER, REPO, ALERT_NUMBER, &resolve_revoked())
                .await;
        }
        Operation::RevokeInstallationToken => {
            let _ = client.apps_revoke_installation_access_token().await;
        }
        Operation::RateLimit => {
            let _ = client.rate_limit_get().await;
        }
        Operation::EnterpriseRevokeCredentialType => {
            let body = types::EnterpriseAdminRevokeCredentialTypeForEnterpriseBody {
                credential_type: CredentialType::FineGrainedPat,
                revoke_credentials: true,
            };
            let _ = client
                .enterprise_admin_revoke_credential_type_for_enterprise(ENTERPRISE, &body)
                .await;
        }
        Operation::EnterpriseRevokeUser => {
            let body = types::EnterpriseAdminRevokeCredentialAuthorizationsForUserBody {
                revoke_credentials: false,
            };
            let _ = client
                .enterprise_admin_revoke_credential_authorizations_for_user(
                    ENTERPRISE, USERNAME, &body,
                )
                .await;
        }
        Operation::EnterpriseRevokeUserCredentialType => {
            let body = types::EnterpriseAdminRevokeCredentialTypeForUserBody {
                credential_type: CredentialType::SshKey,
                revoke_credentials: false,
            };
            let _ = client
                .enterprise_admin_revoke_credential_type_for_user(ENTERPRISE, USERNAME, &body)
                .await;
        }
        Operation::OrgRevokeAll => {
            let _ = client.orgs_revoke_all_credential_authorizations(ORG).await;
        }
        Operation::OrgRevokeCredentialType => {
            let body = types::OrgsRevokeCredentialTypeBody {
                credential_type: CredentialType::ClassicPat,
            };
            let _ = client.orgs_revoke_credential_type(ORG, &body).await;
        }
        Operation::OrgRevokeUser => {
            let _ = client
                .orgs_revoke_credential_authorizations_for_user(ORG, USERNAME)
                .await;
        }
        Operation::OrgRevokeUserCredentialType => {
            let body = types::OrgsRevokeCredentialTypeForUserBody {
                credential_type: CredentialType::OauthAppToken,
            };
            let _ = client
                .orgs_revoke_credential_type_for_user(ORG, USERNAME, &body)
                .await;
        }
        Operation::GetAlert => {
            let _ = client
                .secret_scanning_get_alert(OWNER, REPO, ALERT_NUMBER, Some(false))
                .await;
        }
        Operation::CreateInstallationToken => {
            let _ = client
                .apps_create_installation_access_token(INSTALLATION_ID, &installation_token_body())
                .await;
        }
        Operation::ListInstallations => {
            let _ = client
                .apps_list_installations(
                    Some("true"),
                    Some(2),
                    Some(100),
                    Some("2026-01-01T00:00:00Z"),
                )
                .await;
        }
        Operation::ListInstallationRepos => {
            let _ = client
                .apps_list_repos_accessible_to_installation(Some(2), Some(100))
                .await;
        }
        Operation::CreateAppFromManifest => {
            let _ = client.apps_create_from_manifest(MANIFEST_CODE).await;
        }
        other => panic!("no call written for {other:?}"),
    }
}
