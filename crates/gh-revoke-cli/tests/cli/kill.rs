//! `credentials --revoke-installation-tokens` and `--verify`, driven as a responder would,
//! against loopback fakes.

use std::process::{Command, Output};

use gh_revoke::Kind;
use gh_revoke::fixtures::{assert_no_leak, classic, new_installation};
use httpmock::prelude::*;
use serde_json::{Value, json};

/// The caller's own token, set in the environment: it must never be sent.
const CALLER: &str = "ghp_CallerTokenThatMustNeverBeSent000000";

fn gh_revoke(server: &MockServer, input: &std::path::Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gh-revoke"));
    cmd.args(["credentials", "--json", "--api-url", &server.base_url()])
        .arg(input)
        .args(extra)
        .env("GH_TOKEN", CALLER)
        .env("GITHUB_TOKEN", CALLER)
        .env_remove("GITHUB_API_URL")
        .env_remove("GH_HOST")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    cmd
}

async fn run(mut cmd: Command) -> (i32, Value, String) {
    let output: Output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), report, stderr + &stdout)
}

fn input(dir: &tempfile::TempDir, lines: &[&str]) -> std::path::PathBuf {
    let path = dir.path().join("leak.txt");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

/// A mock that counts any request carrying the caller's token.
async fn caller_token_trap(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.header("authorization", format!("Bearer {CALLER}"));
            then.status(500);
        })
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn installation_tokens_are_revoked_by_themselves_never_by_gh_token() {
    let server = MockServer::start_async().await;
    let trap = caller_token_trap(&server).await;
    let legacy = classic(Kind::Installation, 1);
    let jwt = new_installation(2);
    let revoke = |token: String| {
        let server = &server;
        async move {
            server
                .mock_async(|when, then| {
                    when.method(DELETE)
                        .path("/installation/token")
                        .header("authorization", format!("Bearer {token}"));
                    then.status(204);
                })
                .await
        }
    };
    let (m1, m2) = (revoke(legacy.clone()).await, revoke(jwt.clone()).await);
    let dir = tempfile::tempdir().unwrap();
    let file = input(&dir, &[&legacy, &jwt]);
    let (code, report, out) =
        run(gh_revoke(&server, &file, &["--revoke-installation-tokens"])).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(report["installation_tokens"]["revoked"], 2, "{report}");
    assert_eq!(
        report["installation_tokens"]["tokens"][1]["status"],
        "revoked"
    );
    assert_eq!(
        report["unsupported"], 2,
        "the revoke path's counts are unchanged"
    );
    assert_eq!(
        report["skipped"],
        json!([]),
        "listed under installation_tokens instead"
    );
    assert!(report.get("verified").is_none());
    assert!(out.contains("installation tokens: 2 revoked"), "{out}");
    assert_eq!((m1.calls_async().await, m2.calls_async().await), (1, 1));
    assert_eq!(trap.calls_async().await, 0, "the caller's token was sent");
    assert_no_leak(&out, &legacy);
    assert_no_leak(&out, &jwt);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_flag_they_stay_unsupported_and_the_message_names_it() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(204);
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let token = new_installation(3);
    let file = input(&dir, &[&token]);
    let (code, report, out) = run(gh_revoke(&server, &file, &[])).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(report["unsupported"], 1);
    let reason = report["skipped"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("--revoke-installation-tokens"), "{reason}");
    assert!(report.get("installation_tokens").is_none());
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_exit_1_with_githubs_message() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/installation/token");
            then.status(403)
                .json_body(json!({"message": "Resource not accessible by integration"}));
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let token = new_installation(4);
    let file = input(&dir, &[&token]);
    let (code, report, out) =
        run(gh_revoke(&server, &file, &["--revoke-installation-tokens"])).await;
    assert_eq!(code, 1, "{out}");
    assert_eq!(report["installation_tokens"]["failed"], 1);
    assert!(
        out.contains("Resource not accessible by integration"),
        "{out}"
    );
    assert!(out.contains("leak.txt:1:1"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(204);
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let token = new_installation(5);
    let pat = classic(Kind::ClassicPat, 6);
    let file = input(&dir, &[&token, &pat]);
    let (code, report, out) = run(gh_revoke(
        &server,
        &file,
        &["--dry-run", "--revoke-installation-tokens", "--verify"],
    ))
    .await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(report["installation_tokens"]["pending"], 1, "{report}");
    assert_eq!(
        report["installation_tokens"]["tokens"][0]["status"],
        "pending"
    );
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_exits_1_and_lists_a_credential_still_live() {
    let server = MockServer::start_async().await;
    let trap = caller_token_trap(&server).await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(POST).path("/credentials/revoke");
            then.status(202).json_body(json!({}));
        })
        .await;
    let live = classic(Kind::ClassicPat, 7);
    let dead = classic(Kind::UserToServer, 8);
    let refresh = classic(Kind::Refresh, 9);
    let token = new_installation(10);
    for (secret, status) in [(&live, 200), (&dead, 401), (&token, 401)] {
        let bearer = format!("Bearer {secret}");
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/rate_limit")
                    .header("authorization", bearer);
                then.status(status).json_body(json!({"resources": {}}));
            })
            .await;
    }
    server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/installation/token")
                .header("authorization", format!("Bearer {token}"));
            then.status(204);
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = input(&dir, &[&dead, &live, &refresh, &token]);
    let (code, report, out) = run(gh_revoke(
        &server,
        &file,
        &[
            "--revoke-installation-tokens",
            "--verify",
            "--verify-timeout",
            "1s",
        ],
    ))
    .await;
    assert_eq!(code, 1, "{out}");
    let verified = &report["verified"];
    assert_eq!(
        [
            &verified["dead"],
            &verified["live"],
            &verified["not_checkable"],
            &verified["unknown"]
        ],
        [&json!(2), &json!(1), &json!(1), &json!(0)],
        "{report}"
    );
    assert_eq!(verified["credentials"][0]["status"], "live");
    assert_eq!(verified["credentials"][0]["location"]["line"], 2);
    assert!(out.contains("leak.txt:2:1"), "{out}");
    assert!(out.contains("STILL LIVE"), "{out}");
    assert!(
        out.contains("verified: 2 dead, 1 live, 1 not checkable, 0 unknown"),
        "{out}"
    );
    assert_eq!(accepted.calls_async().await, 1);
    assert_eq!(trap.calls_async().await, 0);
    for secret in [&live, &dead, &refresh, &token] {
        assert_no_leak(&out, secret);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_about_a_checked_credential_is_logged_even_at_trace() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/credentials/revoke");
            then.status(202).json_body(json!({}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/installation/token");
            then.status(204);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/rate_limit");
            then.status(401)
                .json_body(json!({"message": "Bad credentials"}));
        })
        .await;
    let canary = classic(Kind::ClassicPat, 11);
    let token = new_installation(12);
    let dir = tempfile::tempdir().unwrap();
    let file = input(&dir, &[&canary, &token]);
    for extra in [&["-vvv"][..], &[]] {
        let mut cmd = gh_revoke(
            &server,
            &file,
            &["--revoke-installation-tokens", "--verify"],
        );
        cmd.args(extra);
        if extra.is_empty() {
            cmd.env("RUST_LOG", "trace");
        }
        let (code, report, out) = run(cmd).await;
        assert_eq!(code, 0, "{out}");
        assert_eq!(report["verified"]["dead"], 2, "{report}");
        assert!(out.lines().count() > 10, "logs were written");
        assert_no_leak(&out, &canary);
        assert_no_leak(&out, &token);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_keeps_a_rerun_from_revoking_a_token_again() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/installation/token");
            then.status(204);
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let token = new_installation(13);
    let file = input(&dir, &[&token]);
    let journal = dir.path().join("j");
    let journal = journal.to_str().unwrap();
    let args = ["--revoke-installation-tokens", "--journal", journal];
    let (code, first, out) = run(gh_revoke(&server, &file, &args)).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(first["installation_tokens"]["revoked"], 1);
    let (code, second, out) = run(gh_revoke(&server, &file, &args)).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(second["installation_tokens"]["already_done"], 1, "{second}");
    assert_eq!(second["installation_tokens"]["tokens"], json!([]));
    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn the_schema_covers_the_new_report_fields() {
    let output = Command::new(env!("CARGO_BIN_EXE_gh-revoke"))
        .arg("schema")
        .output()
        .unwrap();
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    let properties = &schema["credentials"]["properties"];
    for field in ["installation_tokens", "verified", "accepted", "skipped"] {
        assert!(
            properties.get(field).is_some(),
            "{field} missing: {properties}"
        );
    }
    let text = schema.to_string();
    for word in [
        "already_dead",
        "not_checkable",
        "InstallationStatus",
        "Liveness",
    ] {
        assert!(text.contains(word), "{word} missing");
    }
}
