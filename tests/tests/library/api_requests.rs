//! The generated client sends what GitHub documents: method, path, headers and JSON body.

use gh_revoke_api::hooks::{DEFAULT_USER_AGENT, GITHUB_MEDIA_TYPE, Operation, Settings};
use gh_revoke_api::{transport, types};
use gh_revoke_tests::{api_client, api_client_with};
use httpmock::prelude::*;
use serde_json::json;

fn revoke_body() -> types::CredentialsRevokeBody {
    types::CredentialsRevokeBody {
        credentials: vec!["ghp_one".into(), "github_pat_two".into()],
    }
}

#[tokio::test]
async fn credentials_revoke_request_is_what_github_documents() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/credentials/revoke")
                .header("accept", GITHUB_MEDIA_TYPE)
                .header("x-github-api-version", "2022-11-28")
                .header("user-agent", DEFAULT_USER_AGENT)
                .header("content-type", "application/json")
                .header_missing("authorization")
                .header_missing("api-version")
                .json_body(json!({"credentials": ["ghp_one", "github_pat_two"]}));
            then.status(202);
        })
        .await;

    api_client(&server.base_url())
        .credentials_revoke(&revoke_body())
        .await
        .expect("202 is success");
    mock.assert_async().await;
}

#[tokio::test]
async fn credentials_revoke_never_carries_authorization() {
    // A client that holds a token for revoke-all still calls revoke anonymously.
    let server = MockServer::start_async().await;
    let authed = server
        .mock_async(|when, then| {
            when.path("/credentials/revoke")
                .header_exists("authorization");
            then.status(403);
        })
        .await;
    let anonymous = server
        .mock_async(|when, then| {
            when.path("/credentials/revoke")
                .header_missing("authorization");
            then.status(202);
        })
        .await;
    let settings = Settings::default().with_bearer_token("ghp_secret").unwrap();
    let client = api_client_with(&server.base_url(), settings, transport::client_builder());
    client.credentials_revoke(&revoke_body()).await.unwrap();
    assert_eq!(authed.calls_async().await, 0);
    assert_eq!(anonymous.calls_async().await, 1);
}

#[tokio::test]
async fn revoke_all_request_is_what_github_documents() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/enterprises/acme-corp/credential-authorizations/revoke-all")
                .header("accept", GITHUB_MEDIA_TYPE)
                .header("x-github-api-version", "2026-03-10")
                .header("authorization", "Bearer ghp_enterprise")
                .header_exists("user-agent")
                .json_body(json!({"revoke_credentials": true}));
            then.status(202).json_body(
                json!({"message": "Credential authorization revocation has been queued"}),
            );
        })
        .await;
    let settings = Settings::default()
        .with_bearer_token("ghp_enterprise")
        .unwrap();
    let client = api_client_with(&server.base_url(), settings, transport::client_builder());
    let body = types::EnterpriseAdminRevokeAllCredentialAuthorizationsBody {
        revoke_credentials: true,
    };
    let response = client
        .enterprise_admin_revoke_all_credential_authorizations("acme-corp", &body)
        .await
        .unwrap();
    assert_eq!(
        response.message.as_deref(),
        Some("Credential authorization revocation has been queued")
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn enterprise_slug_is_path_encoded() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/enterprises/a%2Fb%20c/credential-authorizations/revoke-all");
            then.status(202).json_body(json!({}));
        })
        .await;
    api_client(&server.base_url())
        .enterprise_admin_revoke_all_credential_authorizations("a/b c", &Default::default())
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn api_version_and_user_agent_are_overridable() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/credentials/revoke")
                .header("x-github-api-version", "2026-03-10")
                .header("user-agent", "scanner-bot/2.0");
            then.status(202);
        })
        .await;
    let settings = Settings::default()
        .with_api_version(Operation::CredentialsRevoke, "2026-03-10")
        .unwrap()
        .with_user_agent("scanner-bot/2.0")
        .unwrap();
    let client = api_client_with(&server.base_url(), settings, transport::client_builder());
    client.credentials_revoke(&revoke_body()).await.unwrap();
    mock.assert_async().await;
}
