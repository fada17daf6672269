//! Issue 20, items 8-13: how runs stop and what they report. A closed stderr never stops the
//! work; Ctrl-C while listing exits 130 with the report; with `--json` every outcome prints a
//! report whose error is an object; a report that cannot be written fails the run; summaries
//! speak plain words and real statuses; type names are never redacted.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use httpmock::prelude::*;
use serde_json::{Value, json};

use super::alerts::{T1, T2, TOKEN, text};
use crate::support::std_command;

fn gh_revoke() -> Command {
    std_command()
}

fn alerts(server: &AlertsServer, args: &[&str]) -> Command {
    let mut cmd = gh_revoke();
    cmd.env("GH_TOKEN", TOKEN)
        .arg("alerts")
        .args(["--api-url", &server.url()])
        .args(args);
    cmd
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("stdout is no report ({err}): {:?}", text(&out.stdout)))
}

/// `report` fits `gh-revoke schema`'s `which` schema.
fn assert_fits(which: &str, report: &Value) {
    let out = gh_revoke().arg("schema").output().unwrap();
    let schemas: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schemas[which]).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{which}: {errors:?}\n{report}");
}

/// Rust debug text never reaches a person.
fn assert_plain_words(stderr: &str) {
    for debug in [
        "Fatal {",
        "MaxWait {",
        "Interrupted {",
        "Halted {",
        "wait_secs",
        "abandoned_batch",
    ] {
        assert!(!stderr.contains(debug), "{debug:?} in: {stderr}");
    }
}

fn two_alerts() -> AlertsServer {
    AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, T1),
        StandInAlert::open("octo/app", 2, T2),
    ])
}

// --- item 8: a closed stderr ----------------------------------------------------------------

#[test]
fn a_closed_stderr_never_stops_the_run() {
    let server = two_alerts();
    let mut child = alerts(&server, &["--repo", "octo/app", "-vvv", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `2>&1 | head`: the reader goes away at once.
    drop(child.stderr.take());
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stdout}");
    assert_eq!(server.resolved().len(), 2, "every alert resolved");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["alerts"]["counts"]["resolved"], 2);
}

// --- item 9: Ctrl-C while listing -------------------------------------------------------------

#[test]
fn ctrl_c_while_listing_exits_130_with_the_report() {
    let server = two_alerts();
    // The first listing page is rate limited: the run waits 30 s, and is interrupted then.
    server.inject(
        Route::List,
        Answer::new(429, r#"{"message":"API rate limit exceeded"}"#).header("retry-after", "30"),
    );
    let child = alerts(&server, &["--repo", "octo/app", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let report = json_of(&out);
    assert_eq!(report["stopped"]["reason"], "interrupted", "{report}");
    assert_eq!(report["error"]["kind"], "interrupted", "{report}");
    assert_eq!(report["error"]["done"], "nothing", "{report}");
    assert_eq!(report["alerts"]["counts"]["listed"], 0);
    assert_fits("alerts", &report);
    assert!(server.revoked().is_empty());
    assert!(stderr.contains("stopped: interrupted"), "{stderr}");
    assert_plain_words(&stderr);
}

// --- item 10: every outcome prints a report -------------------------------------------------

#[test]
fn with_json_a_listing_failure_prints_a_report_whose_error_scripts_can_read() {
    for (status, extra, code, kind) in [
        (401, vec![], 2, "unauthorized"),
        (403, vec![], 2, "forbidden"),
        (404, vec![], 2, "not_found"),
        (422, vec![], 1, "unprocessable"),
        (429, vec!["--max-wait", "1s"], 1, "max_wait"),
    ] {
        let server = two_alerts();
        let mut answer = Answer::new(status, r#"{"message":"nope, said GitHub"}"#);
        if status == 429 {
            answer = answer.header("retry-after", "120");
        }
        server.inject(Route::List, answer);
        let mut args = vec!["--repo", "octo/app", "--json"];
        args.extend(extra);
        let out = alerts(&server, &args).output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{status}: {stderr}");
        let report = json_of(&out);
        let error = &report["error"];
        assert_eq!(error["kind"], kind, "{status}: {report}");
        assert_eq!(error["done"], "nothing", "{status}: {report}");
        if status != 429 {
            assert_eq!(error["status"], status, "{status}: {report}");
            assert_eq!(error["message"], "nope, said GitHub", "{status}: {report}");
        }
        assert!(
            report["stopped"]["reason"].is_string(),
            "{status}: the top-level stopped is set: {report}"
        );
        assert!(!error["description"].as_str().unwrap().is_empty());
        assert_eq!(report["schema_version"], gh_revoke::REPORT_SCHEMA_VERSION);
        assert_fits("alerts", &report);
        assert!(server.revoked().is_empty());
        assert!(!out.stdout.windows(20).any(|w| w == &TOKEN.as_bytes()[..20]));
        assert_plain_words(&stderr);
    }
}

#[test]
fn a_run_stopped_while_resolving_sets_the_top_level_stopped_in_plain_words() {
    let server = two_alerts();
    server.inject(
        Route::Patch,
        Answer::new(429, r#"{"message":"slow down"}"#).header("retry-after", "600"),
    );
    let out = alerts(
        &server,
        &["--repo", "octo/app", "--json", "--max-wait", "5s"],
    )
    .output()
    .unwrap();
    let report = assert_max_wait_stop(&out, "alerts", "alerts");
    assert_eq!(report["accepted"], 2, "revoking itself was done: {report}");
}

/// A run `--max-wait 5s` stopped in its `section`: exit 1, that section's and the top-level
/// `stopped` say `max_wait`, the report fits `gh-revoke schema`'s `which`, and stderr says why
/// in plain words. The report.
fn assert_max_wait_stop(out: &Output, section: &str, which: &str) -> Value {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report = json_of(out);
    assert_eq!(report[section]["stopped"]["reason"], "max_wait", "{report}");
    assert_eq!(report["stopped"]["reason"], "max_wait", "{report}");
    assert_fits(which, &report);
    assert!(
        stderr.contains("is longer than --max-wait (5 s)"),
        "{stderr}"
    );
    assert_plain_words(&stderr);
    report
}

async fn enterprise_answering(server: &MockServer, status: u16, body: Value, delay_ms: u64) {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/enterprises/acme/credential-authorizations/revoke-all");
            then.status(status)
                .json_body(body)
                .delay(Duration::from_millis(delay_ms));
        })
        .await;
}

async fn run_async(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn revoke_all(server: &MockServer, extra: &[&str]) -> Command {
    let mut cmd = gh_revoke();
    cmd.env("GH_TOKEN", TOKEN)
        .args(["enterprise", "revoke-all", "acme", "--yes", "--json"])
        .args(["--api-url", &server.base_url()])
        .args(extra);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn with_json_every_enterprise_error_prints_a_report() {
    for (status, kind, done) in [
        (401, "unauthorized", "nothing"),
        (403, "forbidden", "nothing"),
        (404, "not_found", "nothing"),
        (422, "unprocessable", "nothing"),
        (429, "rate_limited", "nothing"),
        (502, "outcome_unknown", "unknown"),
    ] {
        let server = MockServer::start_async().await;
        enterprise_answering(&server, status, json!({"message": "nope"}), 0).await;
        let out = run_async(revoke_all(&server, &[])).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{status}: {stderr}");
        let report = json_of(&out);
        assert_eq!(report["error"]["kind"], kind, "{status}: {report}");
        assert_eq!(report["error"]["status"], status, "{status}: {report}");
        assert_eq!(report["error"]["done"], done, "{status}: {report}");
        if status != 502 {
            assert_eq!(report["error"]["message"], "nope", "{status}: {report}");
        }
        assert_eq!(report["enterprise"], "acme");
        assert_eq!(report["status"], status);
        assert_eq!(report["api_url"], server.base_url());
        assert_fits("enterprise_revoke_all", &report);
        assert!(!text(&out.stdout).contains(&TOKEN[4..20]));
    }
    // No answer before the timeout: sent, outcome unknown.
    let server = MockServer::start_async().await;
    enterprise_answering(&server, 202, json!({}), 3000).await;
    let out = run_async(revoke_all(&server, &["--timeout", "1s"])).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report = json_of(&out);
    assert_eq!(report["error"]["kind"], "outcome_unknown", "{report}");
    assert_eq!(report["error"]["done"], "unknown", "{report}");
    assert_fits("enterprise_revoke_all", &report);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_json_an_org_revoke_error_prints_a_report() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(403)
                .json_body(json!({"message": "Must be an owner"}));
        })
        .await;
    let mut cmd = gh_revoke();
    cmd.env("GH_TOKEN", TOKEN)
        .args(["org", "revoke", "acme", "--yes", "--json"])
        .args(["--api-url", &server.base_url()]);
    let out = run_async(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report = json_of(&out);
    assert_eq!(report["error"]["kind"], "forbidden", "{report}");
    assert_eq!(report["error"]["message"], "Must be an owner", "{report}");
    assert_eq!(report["scope"], "organization", "{report}");
    assert_fits("org_revoke", &report);
}

// --- item 11: a report that cannot be written -------------------------------------------------

#[test]
fn a_report_written_to_a_full_device_fails_the_run() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--dry-run", "--json"])
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{T1}\n").as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("could not write the report to standard output"),
        "{stderr}"
    );
}

#[test]
fn a_closed_stdout_fails_the_run_and_the_work_is_still_journaled() {
    let server = two_alerts();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("alerts.journal");
    let mut child = alerts(
        &server,
        &[
            "--repo",
            "octo/app",
            "--json",
            "--journal",
            journal.to_str().unwrap(),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not write the report"), "{stderr}");
    assert_eq!(server.resolved().len(), 2, "the work was done");
    // A rerun with the journal has nothing left to send.
    let out = alerts(
        &server,
        &[
            "--repo",
            "octo/app",
            "--json",
            "--journal",
            journal.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(server.revoked().len(), 2, "nothing resent");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_enterprise_report_that_cannot_be_written_fails_the_run() {
    let server = MockServer::start_async().await;
    enterprise_answering(&server, 202, json!({"message": "queued"}), 0).await;
    let mut cmd = revoke_all(&server, &[]);
    cmd.stdout(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap(),
    );
    let out = run_async(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("could not write the report"));
}

// --- item 12: plain words, the real status, counts that mean their names ------------------

#[tokio::test(flavor = "multi_thread")]
async fn an_enterprise_204_is_summarised_with_its_own_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/enterprises/acme/credential-authorizations/revoke-all");
            then.status(204);
        })
        .await;
    let mut cmd = gh_revoke();
    cmd.env("GH_TOKEN", TOKEN)
        .args(["enterprise", "revoke-all", "acme", "--yes"])
        .args(["--api-url", &server.base_url()]);
    let out = run_async(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("(204"), "{stderr}");
    assert!(!stderr.contains("202"), "{stderr}");
}

#[test]
fn request_counts_mean_what_their_names_say() {
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, T1),
        StandInAlert::open("octo/app", 2, T2),
        StandInAlert::open("octo/app", 3, T1),
    ]);
    // One listing page is answered 502 first and retried: a request too.
    server.inject(Route::List, Answer::new(502, "{}"));
    let out = alerts(&server, &["--repo", "octo/app", "--json"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report = json_of(&out);
    let revokes = server.calls("POST", "/credentials/revoke").len();
    let alerts_api = server
        .requests()
        .iter()
        .filter(|s| s.path.contains("/secret-scanning/"))
        .count();
    assert!(alerts_api >= 6, "3 pages (one retried) and 3 patches");
    assert_eq!(report["requests"], revokes, "{report}");
    assert_eq!(report["alerts"]["requests"], alerts_api, "{report}");
    assert!(
        stderr.contains(&format!("({alerts_api} requests)")),
        "{stderr}"
    );
    assert_fits("alerts", &report);
    let schema = gh_revoke().arg("schema").output().unwrap();
    let schemas: Value = serde_json::from_slice(&schema.stdout).unwrap();
    let described = schemas["alerts"]["properties"]["requests"]["description"].to_string();
    assert!(described.contains("/credentials/revoke"), "{described}");
}

// --- item 13: type names print in full --------------------------------------------------------

#[test]
fn secret_types_print_in_full() {
    let server = AlertsServer::start(vec![StandInAlert::open("octo/app", 1, T1)]);
    let out = alerts(&server, &["--repo", "octo/app", "--json", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = json_of(&out);
    let item = &report["alerts"]["items"][0];
    assert_eq!(
        item["secret_type"], "github_personal_access_token",
        "{report}"
    );
    assert_ne!(item["credential"], T1);
    assert!(!text(&out.stdout).contains(&T1[8..]));
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_stopped_while_revoking_installation_tokens_say_so_at_the_top() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/installation/token");
            then.status(429)
                .header("retry-after", "600")
                .json_body(json!({"message": "slow down"}));
        })
        .await;
    let token = gh_revoke::fixtures::new_installation(7);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leak.txt");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--json", "--revoke-installation-tokens"])
        .args(["--max-wait", "5s", "--api-url", &server.base_url()])
        .arg(&file);
    let out = run_async(cmd).await;
    assert_max_wait_stop(&out, "installation_tokens", "credentials");
    assert!(!text(&out.stdout).contains(&token[12..]));
}

#[test]
fn schema_and_completions_to_a_full_device_fail_without_a_panic() {
    for args in [&["schema"][..], &["completions", "bash"][..]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = gh_revoke().args(args).stdout(full).output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("could not write"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
