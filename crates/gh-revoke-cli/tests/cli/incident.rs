//! Issue 10, the command's side: signals, the journal lock, hosts, long waits, the report.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::CLEARED_ENV;
use gh_revoke::{ApiBase, Journal};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::tokens;
use serde_json::Value;

fn gh_revoke() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gh-revoke"));
    for var in CLEARED_ENV {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").stdin(Stdio::null());
    cmd
}

/// Run off the async runtime (so loopback servers keep serving).
async fn run(mut cmd: Command) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let out = cmd.output().expect("gh-revoke runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

fn input(dir: &tempfile::TempDir, n: usize) -> std::path::PathBuf {
    let path = dir.path().join("tokens.txt");
    std::fs::write(&path, tokens(n).join("\n")).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_stops_prints_the_report_and_exits_130() {
    a_signal_stops_prints_the_report_and_exits_130("INT").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_prints_the_report_and_exits_130() {
    a_signal_stops_prints_the_report_and_exits_130("TERM").await;
}

/// Send `signal` (a `kill -SIGNAL` name) while the second of three batches is in flight.
async fn a_signal_stops_prints_the_report_and_exits_130(signal: &str) {
    let fake = FakeGitHub::start(
        1000,
        Duration::from_secs(60),
        vec![
            Scripted::status(202, ""),
            Scripted::Stall(Duration::from_secs(60)),
        ],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j");
    let child = gh_revoke()
        .args(["credentials", "--json", "--batch-size", "1", "--api-url"])
        .arg(fake.base_url())
        .arg("--journal")
        .arg(&journal)
        .arg(input(&dir, 3))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while fake.requests().len() < 2 {
        assert!(Instant::now() < deadline, "the second request never came");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "SIG{signal}: {stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["stopped"]["reason"], "interrupted", "{report}");
    assert_eq!(report["stopped"]["abandoned_batch"], 1, "{report}");
    assert_eq!(report["accepted"], 1);
    assert_eq!(report["pending"], 2);
    assert!(stderr.contains("stopped: interrupted"), "{stderr}");
    assert!(
        stderr.contains("accepted 1, failed 0, not sent 2"),
        "{stderr}"
    );
    // Only the batch whose 202 arrived is journaled.
    let text = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(text.lines().filter(|l| l.len() == 64).count(), 1, "{text}");
}

#[tokio::test]
async fn a_journal_in_use_or_made_against_another_api_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j");
    let file = input(&dir, 1);
    let held = Journal::open(&path).unwrap();
    let mut cmd = gh_revoke();
    cmd.args([
        "credentials",
        "--api-url",
        "http://127.0.0.1:9",
        "--journal",
    ])
    .arg(&path)
    .arg(&file);
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("in use"), "{stderr}");
    drop(held);

    let mut journal = Journal::open(&path).unwrap();
    journal.bind(&ApiBase::github_com()).unwrap();
    drop(journal);
    for dry_run in [false, true] {
        let mut cmd = gh_revoke();
        cmd.args([
            "credentials",
            "--api-url",
            "http://127.0.0.1:9",
            "--journal",
        ])
        .arg(&path)
        .arg(&file);
        if dry_run {
            cmd.arg("--dry-run");
        }
        let (code, _, stderr) = run(cmd).await;
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("https://api.github.com"), "{stderr}");
    }
}

#[tokio::test]
async fn a_dry_run_never_creates_or_repairs_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let file = input(&dir, 1);
    let missing = dir.path().join("missing");
    let torn = dir.path().join("torn");
    std::fs::write(&torn, format!("{}\nabc", gh_revoke::JOURNAL_HEADER)).unwrap();
    for journal in [&missing, &torn] {
        let mut cmd = gh_revoke();
        cmd.args(["credentials", "--dry-run", "--journal"])
            .arg(journal)
            .arg(&file);
        let (code, _, stderr) = run(cmd).await;
        assert_eq!(code, 0, "{stderr}");
    }
    assert!(!missing.exists());
    assert_eq!(
        std::fs::read_to_string(&torn).unwrap(),
        format!("{}\nabc", gh_revoke::JOURNAL_HEADER)
    );
}

#[tokio::test]
async fn hostname_flag_beats_the_environment_and_hosts_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = input(&dir, 1);
    // GitHub Actions sets GITHUB_API_URL; a --hostname given on the command line wins.
    let mut cmd = gh_revoke();
    cmd.env("GITHUB_API_URL", "http://127.0.0.1:9")
        .args([
            "credentials",
            "--dry-run",
            "--json",
            "--hostname",
            "octo.ghe.com",
        ])
        .arg(&file);
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["api_url"], "https://api.octo.ghe.com");
    assert!(stderr.contains("API: https://api.octo.ghe.com"), "{stderr}");
    for field in ["schema_version", "started_at", "finished_at"] {
        assert!(!report[field].is_null(), "{field}: {report}");
    }

    // Both flags: a usage error.
    let mut cmd = gh_revoke();
    cmd.args([
        "credentials",
        "--dry-run",
        "--hostname",
        "github.com",
        "--api-url",
    ])
    .arg("https://api.github.com")
    .arg(&file);
    assert_eq!(run(cmd).await.0, 2);

    // Enterprise Server hosts are refused for both commands, saying why.
    for args in [
        vec!["credentials", "--dry-run", "--hostname", "ghe.example.org"],
        vec![
            "enterprise",
            "revoke-all",
            "acme",
            "--yes",
            "--hostname",
            "ghe.example.org",
        ],
    ] {
        let mut cmd = gh_revoke();
        cmd.env("GH_TOKEN", "ghp_x").args(&args);
        if args[0] == "credentials" {
            cmd.arg(&file);
        }
        let (code, _, stderr) = run(cmd).await;
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("Enterprise Server"), "{stderr}");
    }
    let mut cmd = gh_revoke();
    cmd.env("GITHUB_API_URL", "https://ghe.example.org/api/v3")
        .args(["credentials", "--dry-run"])
        .arg(&file);
    assert_eq!(run(cmd).await.0, 2);
    // An explicit --api-url still reaches it.
    let mut cmd = gh_revoke();
    cmd.args([
        "credentials",
        "--dry-run",
        "--api-url",
        "https://ghe.example.org/api/v3",
    ])
    .arg(&file);
    let (code, _, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
}

#[tokio::test]
async fn long_waits_print_a_line_without_a_terminal_unless_quiet() {
    for quiet in [false, true] {
        let fake = FakeGitHub::start(
            1000,
            Duration::from_secs(60),
            vec![Scripted::with_headers(429, &[("retry-after", "11")], "")],
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = gh_revoke();
        cmd.args(["credentials", "--max-wait", "15s", "--api-url"])
            .arg(fake.base_url())
            .arg(input(&dir, 1));
        if quiet {
            cmd.arg("-q");
        }
        let (code, _, stderr) = run(cmd).await;
        assert_eq!(code, 0, "{stderr}");
        let lines = stderr
            .lines()
            .filter(|l| l.contains("waiting 12 s"))
            .count();
        assert_eq!(lines, usize::from(!quiet), "{stderr}");
        if !quiet {
            assert!(
                stderr.contains("(UTC); 0 credential(s) accepted so far"),
                "{stderr}"
            );
        }
    }
}

#[tokio::test]
async fn a_file_named_like_a_token_is_redacted_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let token = &tokens(1)[0];
    let path = dir.path().join(token);
    std::fs::write(&path, "ghp_tooShort\n").unwrap();
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--dry-run", "--json"]).arg(&path);
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"location\""), "{stdout}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains(&token[4..]), "{text}");
    }
}
