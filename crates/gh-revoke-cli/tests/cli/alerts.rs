//! `gh-revoke alerts` end to end against a loopback stand-in of the secret-scanning API.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use serde_json::{Value, json};

use crate::support::std_command;

/// The caller's token of these tests (never issued).
pub(crate) const TOKEN: &str = "ghp_CallerTokenNotALeakCallerToken0000000";

/// Two never-issued classic tokens (checksummed).
pub(crate) const T1: &str = "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";
pub(crate) const T2: &str = "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";

fn gh_revoke() -> Command {
    std_command()
}

fn run(server: &AlertsServer, args: &[&str]) -> Output {
    run_as(server, TOKEN, args)
}

/// `gh-revoke alerts --api-url SERVER ARGS` with `token` in `GH_TOKEN`.
pub(crate) fn run_as(server: &AlertsServer, token: &str, args: &[&str]) -> Output {
    gh_revoke()
        .env("GH_TOKEN", token)
        .arg("alerts")
        .args(["--api-url", &server.url()])
        .args(args)
        .output()
        .unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
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

// --- --revoke-installation-tokens and --verify ---------------------------------------------

use gh_revoke::Kind;
use gh_revoke::fixtures::{assert_no_leak, classic, new_installation};
use gh_revoke_tests::alerts_server::Seen;

fn report_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn item<'a>(report: &'a Value, repository: &str, number: i64) -> &'a Value {
    report["alerts"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["repository"] == repository && i["number"] == number)
        .unwrap_or_else(|| panic!("no item {repository}#{number} in {report}"))
}

/// The bearer token of a request, if any.
fn bearer(seen: &Seen) -> Option<&str> {
    seen.header("authorization")
        .map(|v| v.strip_prefix("Bearer ").unwrap_or(v))
}

/// Token hygiene: the calls that use a leaked credential carry one of `leaked` and nothing
/// else; the revocation is anonymous; every other call (the alerts API) carries the caller's
/// token only.
fn assert_token_hygiene(server: &AlertsServer, leaked: &[&str]) {
    for seen in server.requests() {
        let auth = bearer(&seen);
        match (seen.method.as_str(), seen.path.as_str()) {
            ("DELETE", "/installation/token") | ("GET", "/rate_limit") => {
                let token = auth.expect("a kill call without a token");
                assert_ne!(token, TOKEN, "GH_TOKEN sent to {}", seen.path);
                assert!(
                    leaked.contains(&token),
                    "{} carried a token that is not one of the leaked ones",
                    seen.path
                );
            }
            ("POST", "/credentials/revoke") => {
                assert_eq!(auth, None, "the revocation is anonymous")
            }
            _ => assert_eq!(auth, Some(TOKEN), "{} {}", seen.method, seen.path),
        }
    }
}

fn assert_fits_the_schema(report: &Value) {
    let schema = gh_revoke().arg("schema").output().unwrap();
    let schemas: Value = serde_json::from_slice(&schema.stdout).unwrap();
    let validator = jsonschema::validator_for(&schemas["alerts"]).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The new parts are described, not merely allowed.
    let properties = &schemas["alerts"]["properties"];
    for field in ["installation_tokens", "verified", "schema_version"] {
        assert!(
            properties.get(field).is_some(),
            "{field} not in the alerts schema"
        );
    }
    let text = schemas["alerts"].to_string();
    assert!(text.contains("still_live") && text.contains("already_dead"));
    assert_eq!(report["schema_version"], gh_revoke::REPORT_SCHEMA_VERSION);
}

#[test]
fn installation_tokens_revoke_themselves_and_their_alerts_are_resolved() {
    let live = classic(Kind::Installation, 21);
    let dead = new_installation(22);
    let pat = classic(Kind::ClassicPat, 23);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &live),
        StandInAlert::open("octo/app", 2, &live),
        StandInAlert::open("octo/app", 3, &dead),
        StandInAlert::open("octo/app", 4, &pat),
    ]);
    server.kill(&dead);
    let out = run(
        &server,
        &[
            "--repo",
            "octo/app",
            "--revoke-installation-tokens",
            "--json",
        ],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(server.violations(), Vec::<String>::new());
    // One DELETE per distinct token, each authenticated by itself.
    let deletes = server.calls("DELETE", "/installation/token");
    let sent: Vec<&str> = deletes.iter().filter_map(bearer).collect();
    assert_eq!(sent, [live.as_str(), dead.as_str()]);
    assert_token_hygiene(&server, &[&live, &dead]);
    assert_eq!(server.revoked(), [pat.as_str()]);
    let report = report_of(&out);
    let installation = &report["installation_tokens"];
    assert_eq!(installation["revoked"], 1, "{report}");
    assert_eq!(installation["already_dead"], 1, "{report}");
    assert_eq!(
        installation["tokens"][0]["location"]["source"],
        "https://github.com/octo/app/security/secret-scanning/1"
    );
    let counts = &report["alerts"]["counts"];
    assert_eq!(counts["revocable"], 4, "{report}");
    assert_eq!(counts["unsupported"], 0, "{report}");
    assert_eq!(counts["resolved"], 4, "{report}");
    assert_eq!(server.resolved().len(), 4);
    assert!(report.get("verified").is_none());
    // The comment says what killed an installation token.
    let comments: Vec<String> = server
        .requests()
        .iter()
        .filter(|s| s.method == "PATCH" && s.path.ends_with("/3"))
        .map(|s| {
            s.json()["resolution_comment"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(comments.len(), 1);
    assert!(comments[0].contains("answered 401"), "{comments:?}");
    let patch = server.calls("PATCH", "/repos/octo/app/secret-scanning/alerts/1");
    let comment = patch[0].json()["resolution_comment"].clone();
    assert!(
        comment
            .as_str()
            .unwrap()
            .contains("revoked itself (DELETE /installation/token answered 204) by 20"),
        "{comment}"
    );
    assert!(
        stderr.contains("installation tokens: 1 revoked, 1 already dead, 0 failed"),
        "{stderr}"
    );
    assert_fits_the_schema(&report);
    for secret in [&live, &dead, &pat] {
        assert_no_leak(&stdout, secret);
        assert_no_leak(&stderr, secret);
    }
}

#[test]
fn without_the_flag_installation_alerts_stay_unsupported_and_the_message_names_it() {
    let token = new_installation(24);
    let server = AlertsServer::start(vec![StandInAlert::open("octo/app", 1, &token)]);
    let out = run(&server, &["--repo", "octo/app", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = report_of(&out);
    let alert = item(&report, "octo/app", 1);
    assert_eq!(alert["outcome"], "unsupported");
    let message = alert["message"].as_str().unwrap();
    assert!(
        message.contains("--revoke-installation-tokens"),
        "{message}"
    );
    assert!(report.get("installation_tokens").is_none());
    assert!(server.calls("DELETE", "/installation/token").is_empty());
    assert!(server.resolved().is_empty());
}

#[test]
fn an_installation_token_github_refuses_leaves_its_alert_open_as_failed() {
    let refused = new_installation(25);
    let pat = classic(Kind::ClassicPat, 26);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &refused),
        StandInAlert::open("octo/app", 2, &pat),
    ]);
    server.inject(
        Route::Installation,
        Answer::new(
            403,
            r#"{"message":"Resource not accessible by integration"}"#,
        ),
    );
    let out = run(
        &server,
        &[
            "--repo",
            "octo/app",
            "--revoke-installation-tokens",
            "--json",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report = report_of(&out);
    assert_eq!(report["installation_tokens"]["failed"], 1, "{report}");
    let alert = item(&report, "octo/app", 1);
    assert_eq!(alert["outcome"], "failed");
    assert!(
        alert["message"]
            .as_str()
            .unwrap()
            .contains("Resource not accessible by integration"),
        "{alert}"
    );
    assert_eq!(item(&report, "octo/app", 2)["outcome"], "resolved");
    assert_eq!(
        server.resolved(),
        ["octo/app#2".to_owned()].into_iter().collect()
    );
    assert_eq!(server.patches().get("octo/app#1"), None, "never patched");
    assert!(
        stderr.contains("Resource not accessible by integration"),
        "{stderr}"
    );
    assert_eq!(report["alerts"]["counts"]["failed"], 1);
}

#[test]
fn verify_runs_before_resolving_and_a_live_credential_keeps_its_alert_open() {
    let dies = classic(Kind::ClassicPat, 27);
    let lingers = classic(Kind::UserToServer, 28);
    let token = new_installation(29);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &dies),
        StandInAlert::open("octo/app", 2, &lingers),
        StandInAlert::open("octo/app", 3, &token),
        StandInAlert::open("octo/app", 4, &lingers),
    ]);
    server.linger(&lingers);
    let out = run(
        &server,
        &[
            "--repo",
            "octo/app",
            "--revoke-installation-tokens",
            "--verify",
            "--verify-timeout",
            "1s",
            "--json",
        ],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(server.violations(), Vec::<String>::new());
    let report = report_of(&out);
    let verified = &report["verified"];
    assert_eq!(
        [&verified["dead"], &verified["live"], &verified["unknown"]],
        [&json!(2), &json!(1), &json!(0)],
        "{report}"
    );
    assert_eq!(verified["credentials"][0]["status"], "live");
    let url = "https://github.com/octo/app/security/secret-scanning/2";
    assert_eq!(verified["credentials"][0]["location"]["source"], url);
    for number in [2, 4] {
        let alert = item(&report, "octo/app", number);
        assert_eq!(alert["outcome"], "still_live", "{alert}");
        assert!(
            alert["message"]
                .as_str()
                .unwrap()
                .contains("check it by hand at"),
            "{alert}"
        );
    }
    assert_eq!(report["alerts"]["counts"]["still_live"], 2);
    assert_eq!(report["alerts"]["counts"]["resolved"], 2);
    let resolved = server.resolved();
    assert!(resolved.contains("octo/app#1") && resolved.contains("octo/app#3"));
    assert!(!resolved.contains("octo/app#2") && !resolved.contains("octo/app#4"));
    // Every check came before the first PATCH; each credential checked by itself.
    let checks = server.calls("GET", "/rate_limit");
    let first_patch = server.calls("PATCH", "/repos/octo/app/secret-scanning/alerts/1");
    assert_eq!(first_patch.len(), 1);
    assert!(checks.iter().all(|c| c.at < first_patch[0].at));
    let checked: std::collections::HashSet<&str> = checks.iter().filter_map(bearer).collect();
    assert_eq!(
        checked,
        [dies.as_str(), lingers.as_str(), token.as_str()]
            .into_iter()
            .collect()
    );
    assert_token_hygiene(&server, &[&dies, &lingers, &token]);
    assert!(
        stderr.contains("STILL LIVE") && stderr.contains(url),
        "{stderr}"
    );
    assert!(
        stderr.contains("verified: 2 dead, 1 live, 0 not checkable, 0 unknown"),
        "{stderr}"
    );
    assert_fits_the_schema(&report);
    for secret in [&dies, &lingers, &token] {
        assert_no_leak(&stdout, secret);
        assert_no_leak(&stderr, secret);
    }
}

#[test]
fn a_dry_run_with_both_flags_only_lists() {
    let token = new_installation(30);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &token),
        StandInAlert::open("octo/app", 2, T1),
    ]);
    let out = run(
        &server,
        &[
            "--repo",
            "octo/app",
            "--dry-run",
            "--revoke-installation-tokens",
            "--verify",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for seen in server.requests() {
        assert_eq!(seen.method, "GET");
        assert!(seen.path.contains("/secret-scanning/"), "{}", seen.path);
    }
    let report = report_of(&out);
    assert_eq!(report["installation_tokens"]["pending"], 1, "{report}");
    assert!(report.get("verified").is_none());
    assert_eq!(report["alerts"]["counts"]["pending"], 2);
}

#[test]
fn a_journal_keeps_a_rerun_from_revoking_an_installation_token_again() {
    let token = new_installation(31);
    let server = AlertsServer::start(vec![StandInAlert::open("octo/app", 1, &token)]);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("alerts.journal");
    let journal = journal.to_str().unwrap();
    let flags = ["--repo", "octo/app", "--revoke-installation-tokens"];
    let out = run(
        &server,
        &[
            &flags[..],
            &["--journal", journal, "--no-resolve", "--json"],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(report_of(&out)["installation_tokens"]["revoked"], 1);
    assert!(server.resolved().is_empty());

    let out = run(
        &server,
        &[&flags[..], &["--journal", journal, "--json"]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = report_of(&out);
    assert_eq!(report["installation_tokens"]["already_done"], 1, "{report}");
    assert_eq!(server.calls("DELETE", "/installation/token").len(), 1);
    assert_eq!(item(&report, "octo/app", 1)["outcome"], "resolved");
    let patch = server.calls("PATCH", "/repos/octo/app/secret-scanning/alerts/1");
    let comment = patch[0].json()["resolution_comment"].clone();
    assert!(
        comment.as_str().unwrap().contains("in an earlier run"),
        "{comment}"
    );
}
