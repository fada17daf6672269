//! `EnterpriseClient` against httpmock: the answers an owner can act on.

use gh_revoke::{ApiBase, EnterpriseClient, EnterpriseError};
use httpmock::prelude::*;
use secrecy::SecretString;
use serde_json::json;

const TOKEN: &str = "ghp_EnterpriseOwnerTokenForTests0000000";

fn client(server: &MockServer) -> EnterpriseClient {
    let base = ApiBase::parse(&server.base_url()).unwrap();
    EnterpriseClient::new(base.clone(), SecretString::from(TOKEN)).unwrap()
}

async fn answered(
    status: u16,
    body: serde_json::Value,
) -> Result<gh_revoke::RevokeAllReport, EnterpriseError> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/enterprises/acme/credential-authorizations/revoke-all")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("x-github-api-version", "2026-03-10");
            then.status(status).json_body(body);
        })
        .await;
    client(&server).revoke_all("acme", true).await
}

#[tokio::test]
async fn accepted_returns_message_and_warning() {
    let report = answered(
        202,
        json!({"message": "Credential authorization revocation has been queued",
               "warning": "The token used for this request may also be revoked or destroyed as part of this operation"}),
    )
    .await
    .unwrap();
    assert_eq!(report.enterprise, "acme");
    assert!(report.revoke_credentials);
    assert_eq!(
        report.message.as_deref(),
        Some("Credential authorization revocation has been queued")
    );
    assert!(report.warning.unwrap().contains("may also be revoked"));
}

#[tokio::test]
async fn body_says_revoke_credentials() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.json_body(json!({"revoke_credentials": false}));
            then.status(202).json_body(json!({}));
        })
        .await;
    client(&server).revoke_all("acme", false).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn forbidden_explains_scope_and_ownership() {
    let err = answered(403, json!({"message": "Must be an enterprise owner"}))
        .await
        .unwrap_err();
    assert!(matches!(err, EnterpriseError::Forbidden { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("admin:enterprise") && text.contains("owner"),
        "{text}"
    );
}

#[tokio::test]
async fn not_found_names_the_enterprise() {
    let err = answered(404, json!({"message": "Not Found"}))
        .await
        .unwrap_err();
    assert!(matches!(err, EnterpriseError::NotFound { .. }));
    assert!(err.to_string().contains("\"acme\""));
}

#[tokio::test]
async fn unprocessable_explains_emu_only() {
    let err = answered(
        422,
        json!({"message": "The `revoke_credentials` option is only available for Enterprise Managed User (EMU) enterprises"}),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, EnterpriseError::NotEmu { .. }));
    assert!(err.to_string().contains("--revoke-credentials"));
}

#[tokio::test]
async fn rate_limit_and_unexpected_statuses() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(429)
                .header("retry-after", "30")
                .json_body(json!({"message": "slow down"}));
        })
        .await;
    let err = client(&server).revoke_all("acme", false).await.unwrap_err();
    assert!(
        matches!(err, EnterpriseError::RateLimited { status: 429, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("30 s"));
}

#[tokio::test]
async fn errors_and_debug_never_show_the_token() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(401)
                .json_body(json!({"message": format!("Bad credentials {TOKEN}")}));
        })
        .await;
    let client = client(&server);
    let err = client.revoke_all("acme", false).await.unwrap_err();
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains(&TOKEN[4..20]), "{text}");
    }
}

#[tokio::test]
async fn a_bad_slug_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(202);
        })
        .await;
    let err = client(&server)
        .revoke_all("acme/../x", false)
        .await
        .unwrap_err();
    assert!(matches!(err, EnterpriseError::InvalidSlug(_)));
    assert_eq!(any.calls_async().await, 0);
}

/// Compile-time proof that both futures are `Send` (they can be `tokio::spawn`ed on a
/// multi-thread runtime or awaited in a web handler), then exercised that way on loopback.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_enterprise_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let server = MockServer::start_async().await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(202).json_body(json!({"message": "queued"}));
        })
        .await;
    let client = std::sync::Arc::new(client(&server));
    let target = gh_revoke::Target::org("acme").user("octocat");
    assert_send(&client.revoke_all("acme", false));
    assert_send(&client.revoke(&target));

    let all = tokio::spawn({
        let client = client.clone();
        async move { client.revoke_all("acme", false).await }
    });
    let one = tokio::spawn(async move { client.revoke(&target).await });
    assert_eq!(all.await.unwrap().unwrap().status, 202);
    assert_eq!(one.await.unwrap().unwrap().status, 202);
    assert_eq!(accepted.calls_async().await, 2);
}
