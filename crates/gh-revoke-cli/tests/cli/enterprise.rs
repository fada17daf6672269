//! `gh-revoke enterprise revoke-all`, driven as an owner would.

use crate::support::{gh_revoke, run};
use httpmock::prelude::*;
use serde_json::{Value, json};

const TOKEN: &str = "ghp_OwnerTokenUsedOnlyInTheseTests0000000";

async fn answering(server: &MockServer, status: u16, body: Value) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/enterprises/acme/credential-authorizations/revoke-all")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(status).json_body(body);
        })
        .await
}

fn revoke_all(server: &MockServer, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = gh_revoke();
    cmd.args([
        "enterprise",
        "revoke-all",
        "acme",
        "--api-url",
        &server.base_url(),
    ])
    .args(extra)
    .env("GH_TOKEN", TOKEN);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn yes_sends_and_prints_message_and_warning() {
    let server = MockServer::start_async().await;
    let mock = answering(
        &server,
        202,
        json!({"message": "Credential authorization revocation has been queued",
               "warning": "The token used for this request may also be revoked"}),
    )
    .await;
    let (code, stdout, stderr) = run(revoke_all(&server, &["--yes"])).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("has been queued"), "{stderr}");
    assert!(stderr.contains("warning: The token used"), "{stderr}");
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn json_prints_an_object_with_message_and_warning() {
    let server = MockServer::start_async().await;
    let _mock = answering(&server, 202, json!({"message": "queued"})).await;
    let (code, stdout, stderr) = run(revoke_all(
        &server,
        &["--yes", "--json", "--revoke-credentials"],
    ))
    .await;
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["message"], "queued");
    assert_eq!(report["warning"], Value::Null);
    assert_eq!(report["enterprise"], "acme");
    assert_eq!(report["revoke_credentials"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_or_yes_it_refuses_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let mock = answering(&server, 202, json!({})).await;
    let mut cmd = revoke_all(&server, &[]);
    cmd.write_stdin("acme\n");
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 2);
    assert!(stderr.contains("--yes"), "{stderr}");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_it_says_so_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let mock = answering(&server, 202, json!({})).await;
    let mut cmd = revoke_all(&server, &["--yes"]);
    cmd.env_remove("GH_TOKEN");
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 2);
    assert!(stderr.contains("GH_TOKEN"), "{stderr}");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn github_token_is_the_fallback() {
    let server = MockServer::start_async().await;
    let mock = answering(&server, 202, json!({})).await;
    let mut cmd = revoke_all(&server, &["--yes"]);
    cmd.env_remove("GH_TOKEN").env("GITHUB_TOKEN", TOKEN);
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_explained_and_exit_1() {
    for (status, expected) in [
        (403, "admin:enterprise"),
        (404, "no enterprise \"acme\""),
        (422, "Enterprise Managed User"),
    ] {
        let server = MockServer::start_async().await;
        let _mock = answering(&server, status, json!({"message": "nope"})).await;
        let (code, stdout, stderr) = run(revoke_all(&server, &["--yes", "--json"])).await;
        assert_eq!(code, 1, "{status}: {stderr}");
        assert!(stderr.contains(expected), "{status}: {stderr}");
        // With --json the error is a report too (issue 20, item 10).
        let report: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(report["error"]["status"], status, "{status}: {stdout}");
        assert_eq!(report["error"]["message"], "nope", "{status}: {stdout}");
        assert!(!stdout.contains(&TOKEN[4..20]), "{stdout}");
        assert!(!stderr.contains(&TOKEN[4..20]), "{stderr}");
    }
}

/// Run revoke-all on a pseudo-terminal (util-linux `script`), typing `typed` at the prompt.
async fn on_a_terminal(server: &MockServer, extra: &str, typed: &str) -> (i32, String) {
    let bin = crate::support::bin();
    let line = format!(
        "'{}' enterprise revoke-all acme --api-url '{}' {extra}",
        bin.display(),
        server.base_url()
    );
    let mut script = crate::support::on_a_terminal(&line);
    script
        .env("GH_TOKEN", TOKEN)
        .write_stdin(format!("{typed}\n"));
    let (code, stdout, stderr) = run(script).await;
    (code, format!("{stdout}{stderr}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_it_explains_and_asks_for_the_slug() {
    let server = MockServer::start_async().await;
    let mock = answering(&server, 202, json!({"message": "queued"})).await;
    let (code, screen) = on_a_terminal(&server, "--revoke-credentials", "acme").await;
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("EVERY credential authorization"),
        "{screen}"
    );
    assert!(
        screen.contains("DESTROYS members' personal access tokens"),
        "{screen}"
    );
    assert!(screen.contains("may itself be revoked"), "{screen}");
    assert!(
        screen.contains("Type the enterprise slug (acme)"),
        "{screen}"
    );
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_a_wrong_slug_sends_nothing() {
    let server = MockServer::start_async().await;
    let mock = answering(&server, 202, json!({})).await;
    let (code, screen) = on_a_terminal(&server, "", "acme-typo").await;
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("did not match"), "{screen}");
    // Without --revoke-credentials the warning does not speak of destroying keys.
    assert!(
        screen.contains("EVERY credential authorization"),
        "{screen}"
    );
    assert!(!screen.contains("DESTROYS"), "{screen}");
    assert_eq!(mock.calls_async().await, 0);
}
