//! `gh-revoke credentials`, driven as a user would: exit codes, `--json`, journal, and that no
//! request ever carries `Authorization`.

use std::time::Duration;

use crate::support::{example, gh_revoke, run};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::tokens;
use serde_json::Value;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}"))
}

fn counts_add_up(report: &Value) {
    let n = |k: &str| report[k].as_u64().unwrap_or_else(|| panic!("{k} missing"));
    assert_eq!(
        n("read"),
        n("duplicates")
            + n("invalid")
            + n("unsupported")
            + n("already_done")
            + n("accepted")
            + n("failed")
            + n("pending"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_over_the_bundled_log_plans_and_sends_nothing() {
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--scan", "--dry-run", "--json"])
        .arg(example("leaked.log"))
        // A URL nothing listens on: a dry run must not connect anywhere.
        .args(["--api-url", "http://127.0.0.1:9"]);
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["read"], 9);
    assert_eq!(report["duplicates"], 1);
    assert_eq!(report["invalid"], 1);
    assert_eq!(report["unsupported"], 1);
    assert_eq!(report["pending"], 6);
    assert_eq!(report["batches"][0]["status"], "planned");
    assert_eq!(report["batches"][0]["size"], 6);
    assert_eq!(report["batches"][0]["attempts"], 0);
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2);
    for entry in skipped {
        assert!(entry["credential"].as_str().unwrap().ends_with('…'));
        assert!(entry["reason"].is_string());
        assert!(entry["location"]["line"].is_u64());
    }
    counts_add_up(&report);
    assert!(stderr.contains("dry run"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sends_batches_without_authorization_even_with_tokens_in_the_environment() {
    let fake = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
    let tokens = tokens(2500);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tokens.txt");
    std::fs::write(&input, tokens.join("\n")).unwrap();
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--json", "--api-url", &fake.base_url()])
        .arg(&input)
        .env("GH_TOKEN", "ghp_ThisMustNeverBeSentToRevoke00000000")
        .env("GITHUB_TOKEN", "ghp_NorThisOneEither000000000000000000");
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    let requests = fake.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert!(request.header("authorization").is_none(), "{request:?}");
    }
    let report = json(&stdout);
    assert_eq!(report["accepted"], 2500);
    assert_eq!(report["requests"], 3);
    counts_add_up(&report);
    assert!(
        report["batches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["status"] == "accepted" && b["attempts"] == 1)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stdin_is_read_with_dash_and_by_default() {
    for args in [
        vec!["credentials", "--dry-run", "--json"],
        vec!["credentials", "--dry-run", "--json", "-"],
    ] {
        let mut cmd = gh_revoke();
        cmd.args(&args).write_stdin(tokens(3).join("\r\n"));
        let (code, stdout, stderr) = run(cmd).await;
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(json(&stdout)["pending"], 3);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn json_puts_only_the_report_on_stdout() {
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--dry-run", "--json", "-v"])
        .arg(example("tokens.txt"));
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0);
    json(&stdout);
    assert!(stderr.contains("read 5"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_batch_exits_1() {
    let fake = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![Scripted::status(
            422,
            r#"{"message":"Validation Failed","documentation_url":"x"}"#,
        )],
    )
    .await;
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--json", "--api-url", &fake.base_url(), "-"])
        .write_stdin(tokens(2).join("\n"));
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 1, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["failed"], 2);
    assert_eq!(report["batches"][0]["status"], "failed");
    assert!(stderr.contains("Validation Failed"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn max_wait_reached_exits_1_and_reports_what_remains() {
    let fake = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![Scripted::with_headers(
            429,
            &[("retry-after", "3600")],
            "{}",
        )],
    )
    .await;
    let mut cmd = gh_revoke();
    cmd.args([
        "credentials",
        "--json",
        "--max-wait",
        "2s",
        "--api-url",
        &fake.base_url(),
        "-",
    ])
    .write_stdin(tokens(2).join("\n"));
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 1, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["pending"], 2);
    assert_eq!(report["stopped"]["reason"], "max_wait");
    assert!(stderr.contains("--max-wait"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_journal_makes_a_rerun_skip_what_was_accepted() {
    let fake = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("revoke.journal");
    let first = tokens(3);
    let mut cmd = gh_revoke();
    cmd.args([
        "credentials",
        "--json",
        "--api-url",
        &fake.base_url(),
        "--journal",
    ])
    .arg(&journal)
    .arg("-")
    .write_stdin(first.join("\n"));
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");

    // The second run holds the same three and two new ones: only the new ones are sent.
    let second = tokens(5);
    let mut cmd = gh_revoke();
    cmd.args([
        "credentials",
        "--json",
        "--api-url",
        &fake.base_url(),
        "--journal",
    ])
    .arg(&journal)
    .arg("-")
    .write_stdin(second.join("\n"));
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["already_done"], 3);
    assert_eq!(report["accepted"], 2);
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].credentials(), second[3..].to_vec());

    let text = std::fs::read_to_string(&journal).unwrap();
    for token in &second {
        assert!(!text.contains(&token[4..20]), "journal holds a credential");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2_and_send_nothing() {
    let fake = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
    let dir = tempfile::tempdir().unwrap();
    let url = fake.base_url();
    let tokens_file = example("tokens.txt");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "credentials".into(),
                "--api-url".into(),
                url.clone(),
                "/no/such/file".into(),
            ],
            "no such file",
        ),
        (
            vec![
                "credentials".into(),
                "--api-url".into(),
                url.clone(),
                dir.path().display().to_string(),
            ],
            "is a directory",
        ),
        (
            vec![
                "credentials".into(),
                "--api-url".into(),
                "not a url".into(),
                tokens_file.display().to_string(),
            ],
            "not a URL",
        ),
        (
            vec![
                "credentials".into(),
                "--api-url".into(),
                "http://api.github.com".into(),
                tokens_file.display().to_string(),
            ],
            "plain http",
        ),
        (
            vec![
                "credentials".into(),
                "--hostname".into(),
                "bad host".into(),
                tokens_file.display().to_string(),
            ],
            "not valid",
        ),
        (
            vec![
                "credentials".into(),
                "--api-url".into(),
                url.clone(),
                "--max-wait".into(),
                "forever".into(),
                tokens_file.display().to_string(),
            ],
            "--max-wait",
        ),
        (
            vec![
                "credentials".into(),
                "--api-url".into(),
                url.clone(),
                "--batch-size".into(),
                "1001".into(),
                tokens_file.display().to_string(),
            ],
            "--batch-size",
        ),
    ];
    for (args, expected) in cases {
        let mut cmd = gh_revoke();
        cmd.args(&args);
        let (code, stdout, stderr) = run(cmd).await;
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
    assert!(fake.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_input_is_fine() {
    let mut cmd = gh_revoke();
    cmd.args([
        "credentials",
        "--json",
        "--api-url",
        "http://127.0.0.1:9",
        "-",
    ])
    .write_stdin("");
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    let report = json(&stdout);
    assert_eq!(report["read"], 0);
    assert_eq!(report["requests"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_and_completions() {
    let mut cmd = gh_revoke();
    cmd.arg("schema");
    let (code, stdout, _) = run(cmd).await;
    assert_eq!(code, 0);
    let schema = json(&stdout);
    for field in ["dry_run", "read", "accepted", "batches", "skipped"] {
        assert!(
            schema["credentials"]["properties"].get(field).is_some(),
            "{field}"
        );
    }
    assert!(
        schema["enterprise_revoke_all"]["properties"]
            .get("warning")
            .is_some()
    );

    let mut cmd = gh_revoke();
    cmd.args(["completions", "bash"]);
    let (code, stdout, _) = run(cmd).await;
    assert_eq!(code, 0);
    assert!(stdout.contains("gh-revoke") && stdout.contains("credentials"));
}

#[tokio::test(flavor = "multi_thread")]
async fn help_says_why_tokens_are_ignored_and_lists_exit_codes() {
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--help"]);
    let (code, stdout, _) = run(cmd).await;
    assert_eq!(code, 0);
    assert!(stdout.contains("never authenticates"), "{stdout}");
    assert!(stdout.contains("GH_TOKEN"), "{stdout}");
    assert!(stdout.contains("Exit codes"), "{stdout}");
}

/// Run `credentials ARGS` on a pseudo-terminal (util-linux `script`) reading `input`.
async fn on_a_terminal(args: &str, input: &std::path::Path) -> (i32, String) {
    let line = format!(
        "'{}' credentials {args} '{}'",
        crate::support::bin().display(),
        input.display()
    );
    let (code, stdout, stderr) = run(crate::support::on_a_terminal(&line)).await;
    (code, format!("{stdout}{stderr}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_a_progress_bar_counts_down_the_rate_limit_wait() {
    let fake = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![Scripted::with_headers(429, &[("retry-after", "2")], "{}")],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tokens.txt");
    std::fs::write(&input, tokens(2).join("\n")).unwrap();

    let args = format!("--api-url {} --batch-size 1", fake.base_url());
    let (code, screen) = on_a_terminal(&args, &input).await;
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("batches"), "{screen}");
    assert!(screen.contains("waiting for the rate limit"), "{screen}");
    assert!(!has_colour(&screen), "colour despite NO_COLOR: {screen:?}");

    let (code, screen) = on_a_terminal(&format!("{args} --quiet"), &input).await;
    assert_eq!(code, 0, "{screen}");
    assert!(screen.trim().is_empty(), "--quiet printed: {screen}");
}

/// Whether `screen` holds an SGR escape that sets a foreground colour (30-38, 90-97).
fn has_colour(screen: &str) -> bool {
    screen.split("\u{1b}[").skip(1).any(|rest| {
        let params: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        rest[params.len()..].starts_with('m')
            && params
                .split(';')
                .filter_map(|p| p.parse::<u32>().ok())
                .any(|p| (30..=38).contains(&p) || (90..=97).contains(&p))
    })
}
