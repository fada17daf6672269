//! Headers per operation, through the generated client: GitHub's `Accept`, a `User-Agent`, the
//! pinned `X-GitHub-Api-Version`, and a token only where its role belongs.

use gh_revoke_api::LeakedTokenClient;
use gh_revoke_api::hooks::{DEFAULT_USER_AGENT, GITHUB_MEDIA_TYPE, Operation, Settings};

use crate::calls::call;
use crate::support::{Canned, Recorder, api_client_with, http};

const CALLER: &str = "ghp_HeadersCallerToken000000000000000000";
const LEAKED: &str = "ghs_HeadersLeakedToken000000000000000000";

/// One request per operation, in [`Operation::ALL`] order.
async fn one_request_each(settings: Settings) -> Vec<crate::support::Recorded> {
    let server = Recorder::start(vec![Canned::new(200, "{}")]);
    let client = api_client_with(&server.url(), settings);
    for op in Operation::ALL {
        call(&client, op).await;
    }
    let requests = server.requests();
    assert_eq!(requests.len(), Operation::ALL.len());
    requests
}

#[tokio::test]
async fn every_operation_sends_githubs_headers_and_its_pinned_version() {
    for (op, request) in Operation::ALL
        .into_iter()
        .zip(one_request_each(Settings::default()).await)
    {
        assert_eq!(request.header("accept"), Some(GITHUB_MEDIA_TYPE), "{op:?}");
        assert_eq!(
            request.header("user-agent"),
            Some(DEFAULT_USER_AGENT),
            "{op:?}"
        );
        assert_eq!(
            request.header("x-github-api-version"),
            Some(op.default_api_version()),
            "{op:?}"
        );
        assert_eq!(request.header("api-version"), None, "{op:?}");
        assert_eq!(request.header("authorization"), None, "{op:?}");
    }
}

#[tokio::test]
async fn the_callers_token_goes_everywhere_but_revoke_and_the_installation_token() {
    let settings = Settings::default().with_bearer_token(CALLER).unwrap();
    for (op, request) in Operation::ALL
        .into_iter()
        .zip(one_request_each(settings).await)
    {
        let expected = match op {
            Operation::CredentialsRevoke | Operation::RevokeInstallationToken => None,
            // The app's endpoints take its JWT only; the manifest's code is its own credential.
            Operation::CreateInstallationToken
            | Operation::ListInstallations
            | Operation::CreateAppFromManifest => None,
            _ => Some(format!("Bearer {CALLER}")),
        };
        assert_eq!(
            request.header("authorization").map(str::to_owned),
            expected,
            "{op:?}"
        );
    }
}

#[tokio::test]
async fn the_apps_jwt_goes_to_its_two_endpoints_only() {
    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJJdjEifQ.c2lnbmF0dXJl";
    let settings = Settings::default().with_app_jwt(JWT).unwrap();
    for (op, request) in Operation::ALL
        .into_iter()
        .zip(one_request_each(settings).await)
    {
        let expected = matches!(
            op,
            Operation::CreateInstallationToken | Operation::ListInstallations
        )
        .then(|| format!("Bearer {JWT}"));
        assert_eq!(
            request.header("authorization").map(str::to_owned),
            expected,
            "{op:?}"
        );
    }
}

#[tokio::test]
async fn credentials_revoke_is_never_authenticated() {
    // The generated client with a caller's token, and a leaked token smuggled through the
    // general settings path: /credentials/revoke goes out bare either way.
    for settings in [
        Settings::default().with_bearer_token(CALLER).unwrap(),
        Settings::default().with_bearer_token(LEAKED).unwrap(),
    ] {
        let server = Recorder::start(vec![Canned::new(202, "")]);
        let client = api_client_with(&server.url(), settings);
        call(&client, Operation::CredentialsRevoke).await;
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].path, "/credentials/revoke");
        assert_eq!(requests[0].header("authorization"), None);
    }
}

#[tokio::test]
async fn a_leaked_token_authenticates_its_two_calls() {
    let server = Recorder::start(vec![
        Canned::new(204, ""),
        Canned::new(401, r#"{"message":"Bad credentials"}"#),
    ]);
    let client = LeakedTokenClient::new(
        &server.url(),
        http(),
        // A caller's token in the settings is replaced, never sent.
        Settings::default().with_bearer_token(CALLER).unwrap(),
        LEAKED,
    )
    .unwrap();
    client.revoke_installation_token().await.unwrap();
    let _ = client.rate_limit().await;
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("DELETE", "/installation/token")
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        ("GET", "/rate_limit")
    );
    let bearer = format!("Bearer {LEAKED}");
    for request in &requests {
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
        assert_eq!(request.header("x-github-api-version"), Some("2022-11-28"));
    }
    let debug = format!("{client:?}");
    assert!(!debug.contains("HeadersLeaked"), "{debug}");
    assert!(!debug.contains("HeadersCaller"), "{debug}");
}

#[test]
fn a_leaked_token_that_is_not_a_header_value_is_refused_without_echo() {
    let err = LeakedTokenClient::new(
        "http://127.0.0.1:9",
        http(),
        Settings::default(),
        "ghs_Broken\nTOPSECRET",
    )
    .unwrap_err();
    assert!(!err.to_string().contains("TOPSECRET"));
}
