//! `gh-revoke alerts` end to end against a loopback stand-in of the secret-scanning API.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use serde_json::Value;

const TOKEN: &str = "ghp_CallerTokenNotALeakCallerToken0000000";

/// Two never-issued classic tokens (checksummed).
const T1: &str = "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";
const T2: &str = "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";

fn gh_revoke() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gh-revoke"));
    for var in [
        "GH_TOKEN",
        "GITHUB_TOKEN",
        "GH_HOST",
        "GITHUB_API_URL",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").stdin(Stdio::null());
    cmd
}

fn run(server: &AlertsServer, args: &[&str]) -> Output {
    gh_revoke()
        .env("GH_TOKEN", TOKEN)
        .arg("alerts")
        .args(["--api-url", &server.url()])
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn tokens_are_valid() {
    for t in [T1, T2] {
        assert!(
            gh_revoke_is_valid(t),
            "{t} must be a well-formed token for these tests"
        );
    }
}

fn gh_revoke_is_valid(token: &str) -> bool {
    let out = gh_revoke()
        .args(["credentials", "--dry-run", "--json", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(token.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["invalid"] == 0
}

#[test]
fn without_a_token_it_says_which_scopes_work_and_sends_nothing() {
    let server = AlertsServer::start(vec![]);
    let out = gh_revoke()
        .args(["alerts", "--repo", "octo/app", "--api-url", &server.url()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("security_events") && stderr.contains("Secret scanning alerts"),
        "{stderr}"
    );
    assert!(stderr.contains("classic tokens only"), "{stderr}");
    assert!(server.requests().is_empty());
}

#[test]
fn an_organization_run_revokes_once_resolves_a_second_apart_and_reports() {
    tokens_are_valid();
    let mut delegated = StandInAlert::open("octo/c", 1, T2);
    delegated.delegated = true;
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/a", 1, T1),
        StandInAlert::open("octo/b", 1, T1),
        StandInAlert::open("octo/c", 2, T1),
        delegated,
        StandInAlert::open("octo/a", 2, "ghp_notAToken"),
    ]);
    server.inject(
        Route::Revoke,
        Answer::new(429, r#"{"message":"rate limit"}"#).header("retry-after", "1"),
    );
    let out = run(&server, &["--org", "octo", "--json"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "needs review → 1\n{stderr}");
    assert_eq!(server.violations(), Vec::<String>::new());
    let mut revoked = server.revoked();
    revoked.sort();
    assert_eq!(revoked, [T1, T2], "each credential once (after the 429)");
    for seen in server.requests() {
        let auth = seen.header("authorization");
        if seen.path == "/credentials/revoke" {
            assert_eq!(auth, None, "the revocation is anonymous");
        } else {
            assert_eq!(auth, Some(&*format!("Bearer {TOKEN}")));
        }
    }
    // PATCHes one at a time, at least a second apart.
    let patches: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|s| s.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 4);
    for pair in patches.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(990), "{gap:?}");
    }
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let counts = &report["alerts"]["counts"];
    assert_eq!(counts["listed"], 5);
    assert_eq!(counts["revocable"], 4);
    assert_eq!(counts["unsupported"], 1);
    assert_eq!(counts["resolved"], 3);
    assert_eq!(counts["needs_review"], 1);
    assert_eq!(
        report["accepted"], 2,
        "the credentials fields are there too"
    );
    let items = report["alerts"]["items"].as_array().unwrap();
    let review = items
        .iter()
        .find(|i| i["outcome"] == "needs_review")
        .unwrap();
    assert_eq!(review["repository"], "octo/c");
    assert!(
        review["html_url"]
            .as_str()
            .unwrap()
            .contains("/security/secret-scanning/1")
    );
    assert!(
        stderr.contains("needs_review") && stderr.contains("https://github.com/octo/c/security"),
        "{stderr}"
    );
    for secret in [T1, T2, TOKEN] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret));
    }
    // The report fits `gh-revoke schema`'s `alerts` schema.
    let schema = gh_revoke().arg("schema").output().unwrap();
    let schemas: Value = serde_json::from_slice(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schemas["alerts"]).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_dry_run_lists_and_plans_only() {
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, T1),
        StandInAlert::open("octo/app", 2, T1),
        StandInAlert::open("octo/app", 3, T2),
    ]);
    let out = run(&server, &["--repo", "octo/app", "--dry-run", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(server.requests().iter().all(|s| s.method == "GET"));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["pending"], 2);
    assert_eq!(report["alerts"]["counts"]["pending"], 3);
}

#[test]
fn a_404_and_a_refused_token_exit_2() {
    let server = AlertsServer::start(vec![StandInAlert::open("octo/app", 1, T1)]);
    let out = run(&server, &["--repo", "octo/public"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Secret scanning is disabled"),
        "{}",
        text(&out.stderr)
    );
    server.inject(
        Route::List,
        Answer::new(401, r#"{"message":"Bad credentials"}"#),
    );
    let out = run(&server, &["--repo", "octo/app"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Bad credentials"));
    assert!(server.revoked().is_empty());
}

#[test]
fn a_killed_run_resumes_from_its_journal() {
    tokens_are_valid();
    let alerts: Vec<_> = (1..=4)
        .map(|n| StandInAlert::open("octo/app", n, if n % 2 == 0 { T1 } else { T2 }))
        .collect();
    let server = AlertsServer::start(alerts);
    server.stale_listing();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("alerts.journal");
    let journal = journal.to_str().unwrap();
    let mut child = gh_revoke()
        .env("GH_TOKEN", TOKEN)
        .args(["alerts", "--repo", "octo/app", "--journal", journal, "-q"])
        .args(["--api-url", &server.url()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while server.resolved().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    assert!(server.resolved().len() < 4, "killed before the end");

    let out = run(
        &server,
        &["--repo", "octo/app", "--journal", journal, "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(server.violations(), Vec::<String>::new());
    assert_eq!(server.revoked().len(), 2, "no batch resent");
    assert!(
        server.patches().values().all(|n| *n == 1),
        "{:?}",
        server.patches()
    );
    assert_eq!(server.resolved().len(), 4);
}
