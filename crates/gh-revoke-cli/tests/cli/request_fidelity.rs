//! The binary's request bodies match the vendored OpenAPI description.

use std::time::Duration;

use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::schema::{OWNER_TOKEN, REVOKE, REVOKE_ALL, assert_valid, validator};

use crate::support::{example, gh_revoke, run};

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
        .arg(example("leaked.log"));
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
