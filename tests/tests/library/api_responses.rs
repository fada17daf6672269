//! Every documented response decodes; undocumented statuses and malformed bodies are errors,
//! never panics.

use gh_revoke_api::{Error, types};
use gh_revoke_tests::api_client;
use httpmock::prelude::*;
use serde_json::json;

fn revoke_body() -> types::CredentialsRevokeBody {
    types::CredentialsRevokeBody {
        credentials: vec!["ghp_x".into()],
    }
}

async fn revoke_answered(
    status: u16,
    body: Option<&str>,
) -> Result<(), Error<types::CredentialsRevokeError>> {
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
) -> Result<types::EnterpriseAdminRevokeAllCredentialAuthorizationsResponse, Error<types::BasicError>>
{
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
async fn revoke_422_decodes_message_and_errors() {
    let body = json!({
        "message": "Validation Failed",
        "documentation_url": "https://docs.github.com/rest/credentials/revoke",
        "errors": ["credentials is too long (maximum is 1000)"]
    })
    .to_string();
    match revoke_answered(422, Some(&body)).await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 422);
            assert_eq!(response.message.as_deref(), Some("Validation Failed"));
            assert_eq!(response.errors.len(), 1);
        }
        other => panic!("expected a typed 422, got {other:?}"),
    }
}

#[tokio::test]
async fn revoke_500_decodes_basic_error() {
    let body = json!({"message": "Internal Error", "documentation_url": "https://docs.github.com"})
        .to_string();
    match revoke_answered(500, Some(&body)).await {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 500);
            assert_eq!(response.message.as_deref(), Some("Internal Error"));
        }
        other => panic!("expected a typed 500, got {other:?}"),
    }
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
async fn revoke_malformed_error_body_is_an_error_not_a_panic() {
    match revoke_answered(422, Some("<html>oops</html>")).await {
        Err(Error::InvalidResponsePayload(_, _)) => {}
        other => panic!("expected InvalidResponsePayload, got {other:?}"),
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
async fn revoke_all_documented_errors_decode() {
    for (status, message) in [
        (403, "Must have admin rights to Repository."),
        (404, "Not Found"),
        (
            422,
            "The `revoke_credentials` option is only available for Enterprise Managed User (EMU) enterprises",
        ),
    ] {
        let body = json!({"message": message, "documentation_url": "https://docs.github.com"});
        match revoke_all_answered(status, &body.to_string()).await {
            Err(Error::ErrorResponse(response)) => {
                assert_eq!(response.status().as_u16(), status);
                assert_eq!(response.message.as_deref(), Some(message));
            }
            other => panic!("{status}: expected a typed error, got {other:?}"),
        }
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
