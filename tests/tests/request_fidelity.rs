//! Every request body the library and the CLI send is valid against the request-body schema in
//! the vendored `openapi/github-credentials.json`, for both operations: drift between the
//! description and the hand-written layer fails here.

use std::time::Duration;

use gh_revoke::{ApiBase, EnterpriseClient, Event, MAX_BATCH_SIZE};
use gh_revoke_tests::cli::{gh_revoke, run};
use gh_revoke_tests::examples::{classic, fine_grained};
use gh_revoke_tests::fake_github::{FakeGitHub, Recorded, Scripted};
use gh_revoke_tests::{plan_of, revoke_builder, tokens};
use secrecy::SecretString;
use serde_json::Value;

const REVOKE: &str = "/credentials/revoke";
const REVOKE_ALL: &str = "/enterprises/{enterprise}/credential-authorizations/revoke-all";
const OWNER_TOKEN: &str = "ghp_RequestFidelityOwnerToken000000000000";

fn openapi() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("openapi/github-credentials.json");
    let text = std::fs::read_to_string(&path).expect("the vendored fragment");
    serde_json::from_str(&text).expect("the fragment is JSON")
}

/// The request-body schema of `POST path` (OpenAPI 3.0 schema objects are JSON Schema draft 4
/// for what these bodies use: type, properties, required, items, minItems, maxItems).
fn body_schema(path: &str) -> Value {
    let schema =
        openapi()["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
            .clone();
    assert!(schema.is_object(), "no request-body schema for {path}");
    schema
}

fn validator(path: &str) -> jsonschema::Validator {
    jsonschema::draft4::new(&body_schema(path))
        .unwrap_or_else(|e| panic!("schema for {path} does not compile: {e}"))
}

/// Assert `request`'s body is JSON, sent as JSON, and valid against `validator`.
fn assert_valid(validator: &jsonschema::Validator, request: &Recorded) {
    let content_type = request.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{}: content-type {content_type:?}",
        request.path
    );
    let body: Value = serde_json::from_slice(&request.body)
        .unwrap_or_else(|e| panic!("{}: body is not JSON: {e}", request.path));
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{}: body violates the OpenAPI schema: {errors:?}",
        request.path
    );
}

#[test]
fn the_validators_can_fail() {
    // Guard against a schema that accepts anything (a lookup that found nothing, a draft
    // mismatch): bodies the description forbids must be refused.
    let revoke = validator(REVOKE);
    let too_many: Vec<String> = tokens(MAX_BATCH_SIZE + 1);
    for bad in [
        serde_json::json!({}),
        serde_json::json!({"credentials": []}),
        serde_json::json!({"credentials": [1]}),
        serde_json::json!({"credentials": too_many}),
        serde_json::json!({"credentials": "ghp_x"}),
    ] {
        assert!(!revoke.is_valid(&bad), "accepted {bad}");
    }
    let revoke_all = validator(REVOKE_ALL);
    assert!(!revoke_all.is_valid(&serde_json::json!({"revoke_credentials": "yes"})));
    assert!(!revoke_all.is_valid(&serde_json::json!([])));
}

#[test]
fn the_batch_limit_matches_the_description() {
    let schema = body_schema(REVOKE);
    assert_eq!(
        schema["properties"]["credentials"]["maxItems"].as_u64(),
        Some(MAX_BATCH_SIZE as u64),
        "MAX_BATCH_SIZE differs from the description's maxItems"
    );
}

#[tokio::test]
async fn revoke_bodies_of_every_size_and_kind_match_the_schema() {
    let fake = FakeGitHub::start(1000, Duration::from_secs(3600), vec![]).await;
    // Every sendable kind, then enough classic tokens for a full batch and a short one.
    let mut input: Vec<String> = [
        gh_revoke::Kind::ClassicPat,
        gh_revoke::Kind::OAuth,
        gh_revoke::Kind::UserToServer,
        gh_revoke::Kind::Refresh,
    ]
    .into_iter()
    .map(|kind| classic(kind, "fidelity").unwrap())
    .collect();
    input.push(fine_grained("fidelity"));
    input.extend(tokens(MAX_BATCH_SIZE + 7));
    for batch_size in [1, MAX_BATCH_SIZE] {
        let plan = plan_of(
            &input[..if batch_size == 1 { 6 } else { input.len() }],
            batch_size,
        );
        let client = revoke_builder(&fake.base_url()).build().unwrap();
        let mut observer = |_: &Event<'_>| -> Result<(), String> { Ok(()) };
        let report = client.revoke(&plan).observer(&mut observer).await;
        assert!(report.is_complete(), "{report:?}");
    }
    let requests = fake.requests();
    assert_eq!(requests.len(), 6 + 2);
    let revoke = validator(REVOKE);
    for request in &requests {
        assert_eq!(request.path, REVOKE);
        assert_valid(&revoke, request);
    }
    assert_eq!(requests[6].credentials().len(), MAX_BATCH_SIZE);
    assert_eq!(requests[7].credentials().len(), 12);
}

#[tokio::test]
async fn revoke_all_bodies_match_the_schema() {
    let fake = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![Scripted::status(202, r#"{"message":"queued"}"#); 2],
    )
    .await;
    let base = ApiBase::parse(&fake.base_url()).unwrap();
    let client = EnterpriseClient::new(base.clone(), SecretString::from(OWNER_TOKEN)).unwrap();
    for revoke_credentials in [false, true] {
        client.revoke_all("acme", revoke_credentials).await.unwrap();
    }
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    let revoke_all = validator(REVOKE_ALL);
    for (request, expected) in requests.iter().zip([false, true]) {
        assert_eq!(
            request.path,
            "/enterprises/acme/credential-authorizations/revoke-all"
        );
        assert_valid(&revoke_all, request);
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["revoke_credentials"], expected);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_sends_schema_valid_bodies_for_both_operations() {
    let fake = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![Scripted::status(202, "{}")],
    )
    .await;
    let mut cmd = gh_revoke();
    cmd.args([
        "enterprise",
        "revoke-all",
        "acme",
        "--yes",
        "--revoke-credentials",
    ])
    .args(["--api-url", &fake.base_url()])
    .env("GH_TOKEN", OWNER_TOKEN);
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");

    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--scan", "--batch-size", "3"])
        .args(["--api-url", &fake.base_url()])
        .arg(gh_revoke_tests::cli::example("leaked.log"));
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");

    let requests = fake.requests();
    assert_eq!(requests.len(), 1 + 2, "{requests:?}");
    assert_valid(&validator(REVOKE_ALL), &requests[0]);
    let revoke = validator(REVOKE);
    for request in &requests[1..] {
        assert_eq!(request.path, REVOKE);
        assert_valid(&revoke, request);
    }
}
