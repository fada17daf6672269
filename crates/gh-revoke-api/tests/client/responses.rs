//! Every documented response decodes; error answers keep their status, headers and body
//! whatever the body is; undecodable success bodies are errors, never panics.

use gh_revoke_api::hooks::{Operation, Settings};
use gh_revoke_api::{ByteStream, Error, ErrorAnswer, LeakedTokenClient, describe, types};
use httpmock::prelude::*;
use serde_json::json;

use crate::calls::call;
use crate::support::{Canned, Recorder, api_client, http};

fn revoke_body() -> types::CredentialsRevokeBody {
    types::CredentialsRevokeBody {
        credentials: vec!["ghp_x".into()],
    }
}

async fn revoke_answered(status: u16, body: Option<&str>) -> Result<(), Error<ByteStream>> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/credentials/revoke");
            let then = then
                .status(status)
                .header("content-type", "application/json");
            if let Some(body) = body {
                then.body(body);
            }
        })
        .await;
    api_client(&server.base_url())
        .credentials_revoke(&revoke_body())
        .await
        .map(|_| ())
}

async fn revoke_all_answered(
    status: u16,
    body: &str,
) -> Result<types::EnterpriseAdminRevokeAllCredentialAuthorizationsResponse, Error<ByteStream>> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/enterprises/acme/credential-authorizations/revoke-all");
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    api_client(&server.base_url())
        .enterprise_admin_revoke_all_credential_authorizations("acme", &Default::default())
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn revoke_202_with_no_body_null_or_empty_object_is_success() {
    for body in [None, Some("null"), Some("{}"), Some("")] {
        revoke_answered(202, body)
            .await
            .unwrap_or_else(|e| panic!("202 with body {body:?} failed: {e}"));
    }
}

#[tokio::test]
async fn revoke_422_keeps_message_and_errors() {
    let body = json!({
        "message": "Validation Failed",
        "documentation_url": "https://docs.github.com/rest/credentials/revoke",
        "errors": ["credentials is too long (maximum is 1000)"]
    })
    .to_string();
    let error = revoke_answered(422, Some(&body)).await.unwrap_err();
    assert!(matches!(error, Error::ErrorResponse(_)), "{error:?}");
    let answer = ErrorAnswer::read(error).await.unwrap();
    assert_eq!(answer.status().as_u16(), 422);
    assert_eq!(answer.message().as_deref(), Some("Validation Failed"));
    assert_eq!(
        answer.errors(),
        ["credentials is too long (maximum is 1000)"]
    );
}

#[tokio::test]
async fn revoke_500_keeps_basic_error() {
    let body = json!({"message": "Internal Error", "documentation_url": "https://docs.github.com"})
        .to_string();
    let answer = ErrorAnswer::read(revoke_answered(500, Some(&body)).await.unwrap_err())
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 500);
    assert_eq!(answer.message().as_deref(), Some("Internal Error"));
}

#[tokio::test]
async fn revoke_undocumented_403_keeps_status_and_headers() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/credentials/revoke");
            then.status(403)
                .header("x-ratelimit-remaining", "0")
                .body(r#"{"message":"Must not be authenticated"}"#);
        })
        .await;
    match api_client(&server.base_url())
        .credentials_revoke(&revoke_body())
        .await
    {
        Err(Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status().as_u16(), 403);
            assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn revoke_error_bodies_of_any_shape_keep_the_status() {
    // Before the `raw_error_bodies` transform, each of these became InvalidResponsePayload: no
    // status, no headers (so no rate-limit headers either).
    for body in [
        Some("<html>oops</html>"),
        Some(""),
        None,
        Some(r#"{"message":"Validation Failed","errors":[{"code":"invalid"}],"status":422}"#),
    ] {
        let error = revoke_answered(422, body).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{body:?}");
        let answer = ErrorAnswer::read(error).await.unwrap();
        assert_eq!(answer.body(), body.unwrap_or_default().as_bytes());
    }
}

#[tokio::test]
async fn revoke_all_202_decodes_message_and_warning() {
    let ok = revoke_all_answered(
        202,
        r#"{"message":"Credential authorization revocation has been queued","warning":"The token used for this request may also be revoked"}"#,
    )
    .await
    .unwrap();
    assert_eq!(
        ok.message.as_deref(),
        Some("Credential authorization revocation has been queued")
    );
    assert!(ok.warning.unwrap().contains("may also be revoked"));

    let bare = revoke_all_answered(202, "{}").await.unwrap();
    assert!(bare.message.is_none() && bare.warning.is_none());
}

#[tokio::test]
async fn revoke_all_documented_errors_keep_their_message() {
    for (status, message) in [
        (403, "Must have admin rights to Repository."),
        (404, "Not Found"),
        (
            422,
            "The `revoke_credentials` option is only available for Enterprise Managed User (EMU) enterprises",
        ),
    ] {
        let body = json!({"message": message, "documentation_url": "https://docs.github.com"});
        let error = revoke_all_answered(status, &body.to_string())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::ErrorResponse(_)), "{status}");
        let answer = ErrorAnswer::read(error).await.unwrap();
        assert_eq!(answer.status().as_u16(), status);
        assert_eq!(answer.message().as_deref(), Some(message));
    }
}

#[tokio::test]
async fn revoke_all_undocumented_status_and_malformed_body_are_errors() {
    match revoke_all_answered(418, "{}").await {
        Err(Error::UnexpectedResponse(response)) => assert_eq!(response.status().as_u16(), 418),
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
    match revoke_all_answered(202, "not json").await {
        Err(Error::InvalidResponsePayload(_, _)) => {}
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
    }
}

#[tokio::test]
async fn revoke_all_undecodable_success_is_described_without_the_body() {
    let error = revoke_all_answered(202, r#"{"message": ["ghp_TOPSECRET"]}"#)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidResponsePayload(..)));
    let described = describe(&error);
    assert!(!described.contains("TOPSECRET"), "{described}");
    assert!(described.contains("could not be decoded"), "{described}");
    // ErrorAnswer::read gives such an error back untouched.
    assert!(matches!(
        ErrorAnswer::read(error).await,
        Err(Error::InvalidResponsePayload(..))
    ));
}

#[tokio::test]
async fn every_documented_error_of_every_operation_keeps_status_and_headers() {
    let root = crate::support::fragment();
    for described in crate::support::described_operations(&root) {
        let op = Operation::ALL
            .into_iter()
            .find(|op| op.operation_id() == described.operation_id)
            .unwrap();
        let statuses: Vec<u16> = described.operation["responses"]
            .as_object()
            .unwrap()
            .keys()
            .filter_map(|s| s.parse().ok())
            .filter(|s| *s >= 400)
            .collect();
        // 401 and 429 are never documented, yet GitHub sends them to every operation.
        for status in statuses.iter().copied().chain([401, 429]) {
            let server = Recorder::start(vec![
                Canned::new(status, "<html>not json</html>")
                    .header("retry-after", "7")
                    .header("x-ratelimit-remaining", "0"),
            ]);
            let client = api_client(&server.url());
            let answer = match op {
                // Declares no error, so its error type is `()`.
                Operation::RevokeInstallationToken => {
                    let error = client
                        .apps_revoke_installation_access_token()
                        .await
                        .unwrap_err();
                    ErrorAnswer::read(error).await.unwrap()
                }
                // Declares only 403, with no body, so its error type is `()` too.
                Operation::ListInstallations => {
                    let error = client
                        .apps_list_installations(None, None, None, None)
                        .await
                        .unwrap_err();
                    ErrorAnswer::read(error).await.unwrap()
                }
                _ => {
                    let error = error_of(&client, op).await;
                    let documented = statuses.contains(&status);
                    assert_eq!(
                        matches!(error, Error::ErrorResponse(_)),
                        documented,
                        "{op:?} {status}"
                    );
                    ErrorAnswer::read(error).await.unwrap()
                }
            };
            assert_eq!(answer.status().as_u16(), status, "{op:?}");
            assert_eq!(answer.headers()["retry-after"], "7", "{op:?}");
            assert_eq!(answer.text_snippet(100), "<html>not json</html>");
        }
    }
}

/// The error of `op` against a server that answers with an error status.
async fn error_of(client: &gh_revoke_api::Client, op: Operation) -> Error<ByteStream> {
    use crate::calls::*;
    match op {
        Operation::CredentialsRevoke => client.credentials_revoke(&revoke_body()).await.err(),
        Operation::EnterpriseRevokeAll => client
            .enterprise_admin_revoke_all_credential_authorizations(ENTERPRISE, &Default::default())
            .await
            .err(),
        Operation::ListRepoAlerts => client
            .secret_scanning_list_alerts_for_repo(
                OWNER, REPO, None, None, None, None, None, None, None, None, None, None, None,
                None, None, None, None, None, None, None, None, None,
            )
            .await
            .err(),
        Operation::ListOrgAlerts => client
            .secret_scanning_list_alerts_for_org(
                ORG, None, None, None, None, None, None, None, None, None, None, None, None, None,
                None, None, None, None, None, None, None,
            )
            .await
            .err(),
        Operation::ListEnterpriseAlerts => client
            .secret_scanning_list_alerts_for_enterprise(
                ENTERPRISE, None, None, None, None, None, None, None, None, None, None, None, None,
                None, None, None, None, None, None, None,
            )
            .await
            .err(),
        Operation::UpdateAlert => client
            .secret_scanning_update_alert(OWNER, REPO, ALERT_NUMBER, &resolve_revoked())
            .await
            .err(),
        Operation::RateLimit => client.rate_limit_get().await.err(),
        Operation::EnterpriseRevokeCredentialType => client
            .enterprise_admin_revoke_credential_type_for_enterprise(
                ENTERPRISE,
                &types::EnterpriseAdminRevokeCredentialTypeForEnterpriseBody {
                    credential_type: types::CredentialType::ClassicPat,
                    revoke_credentials: false,
                },
            )
            .await
            .err(),
        Operation::EnterpriseRevokeUser => client
            .enterprise_admin_revoke_credential_authorizations_for_user(
                ENTERPRISE,
                USERNAME,
                &Default::default(),
            )
            .await
            .err(),
        Operation::EnterpriseRevokeUserCredentialType => client
            .enterprise_admin_revoke_credential_type_for_user(
                ENTERPRISE,
                USERNAME,
                &types::EnterpriseAdminRevokeCredentialTypeForUserBody {
                    credential_type: types::CredentialType::ClassicPat,
                    revoke_credentials: false,
                },
            )
            .await
            .err(),
        Operation::OrgRevokeAll => client
            .orgs_revoke_all_credential_authorizations(ORG)
            .await
            .err(),
        Operation::OrgRevokeCredentialType => client
            .orgs_revoke_credential_type(
                ORG,
                &types::OrgsRevokeCredentialTypeBody {
                    credential_type: types::CredentialType::ClassicPat,
                },
            )
            .await
            .err(),
        Operation::OrgRevokeUser => client
            .orgs_revoke_credential_authorizations_for_user(ORG, USERNAME)
            .await
            .err(),
        Operation::OrgRevokeUserCredentialType => client
            .orgs_revoke_credential_type_for_user(
                ORG,
                USERNAME,
                &types::OrgsRevokeCredentialTypeForUserBody {
                    credential_type: types::CredentialType::ClassicPat,
                },
            )
            .await
            .err(),
        Operation::GetAlert => client
            .secret_scanning_get_alert(OWNER, REPO, ALERT_NUMBER, None)
            .await
            .err(),
        Operation::CreateInstallationToken => client
            .apps_create_installation_access_token(INSTALLATION_ID, &installation_token_body())
            .await
            .err(),
        Operation::ListInstallationRepos => client
            .apps_list_repos_accessible_to_installation(None, None)
            .await
            .err(),
        Operation::CreateAppFromManifest => {
            client.apps_create_from_manifest(MANIFEST_CODE).await.err()
        }
        other => panic!("no error call written for {other:?}"),
    }
    .unwrap_or_else(|| panic!("{op:?} succeeded on an error status"))
}

#[tokio::test]
async fn the_credential_authorization_siblings_decode_their_202() {
    let server = Recorder::start(vec![Canned::new(
        202,
        r#"{"message":"queued","warning":"The token used for this request may also be revoked"}"#,
    )]);
    let client = api_client(&server.url());
    for op in [
        Operation::EnterpriseRevokeCredentialType,
        Operation::EnterpriseRevokeUser,
        Operation::EnterpriseRevokeUserCredentialType,
        Operation::OrgRevokeAll,
        Operation::OrgRevokeCredentialType,
        Operation::OrgRevokeUser,
        Operation::OrgRevokeUserCredentialType,
    ] {
        call(&client, op).await;
    }
    let org = client
        .orgs_revoke_credential_authorizations_for_user("octo-org", "octocat")
        .await
        .unwrap();
    assert_eq!(org.status().as_u16(), 202);
    assert_eq!(org.message.as_deref(), Some("queued"));
    assert!(
        org.warning
            .as_deref()
            .unwrap()
            .contains("may also be revoked")
    );
    let empty = Recorder::start(vec![Canned::new(202, "{}")]);
    let bare = api_client(&empty.url())
        .orgs_revoke_all_credential_authorizations("octo-org")
        .await
        .unwrap();
    assert!(bare.message.is_none() && bare.warning.is_none());
}

#[tokio::test]
async fn rate_limit_decodes_both_api_versions() {
    let limit = json!({"limit": 5000, "remaining": 4999, "reset": 1700000000, "used": 1});
    // 2022-11-28 has `rate`; 2026-03-10 drops it (x-github-breaking-changes in the description).
    for body in [
        json!({"resources": {"core": limit, "search": limit}, "rate": limit}),
        json!({"resources": {"core": limit, "search": limit, "a_resource_added_later": limit}}),
    ] {
        let server = Recorder::start(vec![Canned::new(200, &body.to_string())]);
        let overview = api_client(&server.url())
            .rate_limit_get()
            .await
            .unwrap()
            .into_inner();
        let core = overview.resources.unwrap().core.unwrap();
        assert_eq!(core.remaining, Some(4999));
    }
}

#[tokio::test]
async fn installation_token_revocation_answers() {
    let server = Recorder::start(vec![
        Canned::new(204, ""),
        Canned::new(401, r#"{"message":"Bad credentials","status":"401"}"#),
    ]);
    let client = LeakedTokenClient::new(
        &server.url(),
        http(),
        Settings::default(),
        "ghs_InstallationToken0000000000000000000",
    )
    .unwrap();
    let revoked = client.revoke_installation_token().await.unwrap();
    assert_eq!(revoked.status().as_u16(), 204);
    let dead = client.revoke_installation_token().await.unwrap_err();
    assert!(matches!(dead, Error::UnexpectedResponse(_)));
    let answer = ErrorAnswer::read(dead).await.unwrap();
    assert_eq!(answer.status().as_u16(), 401);
    assert_eq!(answer.message().as_deref(), Some("Bad credentials"));
}

#[tokio::test]
async fn long_error_bodies_are_cut_not_buffered_whole() {
    let big = "x".repeat(gh_revoke_api::MAX_ERROR_BODY * 3);
    let server = Recorder::start(vec![Canned::new(502, &big)]);
    let error = api_client(&server.url())
        .rate_limit_get()
        .await
        .unwrap_err();
    let answer = ErrorAnswer::read(error).await.unwrap();
    assert_eq!(answer.status().as_u16(), 502);
    assert_eq!(answer.body().len(), gh_revoke_api::MAX_ERROR_BODY);
    assert!(!answer.is_complete());
}
