//! Every request body the library and the CLI send is valid against the request-body schema in
//! the vendored `openapi/github-credentials.json`, for both operations: drift between the
//! description and the hand-written layer fails here.

use std::time::Duration;

use gh_revoke::{ApiBase, EnterpriseClient, Event, MAX_BATCH_SIZE};
use gh_revoke_tests::examples::{classic, fine_grained};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::schema::{
    OWNER_TOKEN, REVOKE, REVOKE_ALL, assert_valid, body_schema, validator,
};
use gh_revoke_tests::{plan_of, revoke_builder, tokens};
use secrecy::SecretString;
use serde_json::Value;

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
