//! Crash safety of `--journal`: a run killed with SIGKILL right after its first accepted batch
//! resumes without resending what was accepted and without losing anything, and a journal cut
//! short mid-line (a torn write) is read safely.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{bin, gh_revoke, run};
use gh_revoke::{Fingerprint, JOURNAL_HEADER};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::tokens;
use serde_json::Value;

/// Every 16-character window of each token's part after its prefix.
fn fragments(tokens: &[String]) -> Vec<String> {
    tokens
        .iter()
        .flat_map(|t| {
            let secret = &t[t.find('_').expect("prefixed") + 1..];
            (0..=secret.len() - 16).map(move |i| secret[i..i + 16].to_owned())
        })
        .collect()
}

/// The journal's fingerprint lines (after the header and the `# api-url` line), asserting
/// the file's shape.
fn journal_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("journal is text");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(JOURNAL_HEADER), "{text}");
    assert!(
        text.ends_with('\n'),
        "journal does not end a line: {text:?}"
    );
    lines
        .filter(|line| !line.starts_with("# api-url "))
        .map(|line| {
            assert!(
                line.len() == 64 && line.bytes().all(|b| b.is_ascii_hexdigit()),
                "not a fingerprint line: {line:?}"
            );
            line.to_owned()
        })
        .collect()
}

fn fingerprint(token: &str) -> String {
    Fingerprint::of(token.as_bytes()).to_string()
}

fn assert_no_fragment(text: &str, tokens: &[String], what: &str) {
    for fragment in fragments(tokens) {
        assert!(!text.contains(&fragment), "{what} holds a credential");
    }
}

/// The `--json` report on stdout, or `null` when there is none.
fn report_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_after_the_first_accepted_batch_resumes_without_resending() {
    let tokens = tokens(6);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("revoke.journal");
    let input = dir.path().join("tokens.txt");
    std::fs::write(&input, tokens.join("\n")).unwrap();

    // Batch 1 is accepted; batch 2 stalls far longer than the test, so the process is
    // certainly between batches 1 and 2 (or inside 2) when it is killed.
    let first = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![
            Scripted::status(202, ""),
            Scripted::Stall(Duration::from_secs(600)),
        ],
    )
    .await;
    let mut child = Command::new(bin())
        .args(["credentials", "--batch-size", "2", "--api-url"])
        .arg(first.base_url())
        .arg("--journal")
        .arg(&journal)
        .arg(&input)
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_API_URL")
        .env_remove("GH_HOST")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gh-revoke starts");

    // Poll (with a generous guard, not a speed requirement) until the first batch is journaled.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let recorded = std::fs::read_to_string(&journal)
            .map(|t| t.lines().any(|l| l.len() == 64))
            .unwrap_or(false);
        // ... and the second batch is in flight (the fake's stall took it), so that the
        // rerun against the same fake gets ordinary answers.
        if recorded && first.requests().len() >= 2 {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("gh-revoke ended before journaling anything: {status}");
        }
        assert!(Instant::now() < deadline, "nothing journaled within 60 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, yet {status}");

    // What the killed run left: batch 1 exactly, no raw credential.
    let done = journal_lines(&journal);
    assert_eq!(
        done,
        [fingerprint(&tokens[0]), fingerprint(&tokens[1])],
        "journal after the kill"
    );
    let first_requests = first.requests();
    assert_eq!(first_requests[0].answered, 202);
    assert_eq!(first_requests[0].credentials(), tokens[..2].to_vec());

    // The rerun, same journal, same input, same API (a journal is bound to its API URL):
    // only what was not accepted is sent.
    let before = first.requests().len();
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--json", "--batch-size", "2", "--api-url"])
        .arg(first.base_url())
        .arg("--journal")
        .arg(&journal)
        .arg(&input);
    let (code, stdout, stderr) = run(cmd).await;
    let report = report_of(&stdout);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["already_done"], 2, "{report}");
    assert_eq!(report["accepted"], 4, "{report}");
    let resent: Vec<String> = first.requests()[before..]
        .iter()
        .flat_map(|r| r.credentials())
        .collect();
    assert_eq!(resent, tokens[2..].to_vec(), "resent or lost something");

    // Across both runs every token was accepted exactly once.
    let accepted: Vec<String> = first
        .requests()
        .into_iter()
        .filter(|r| r.answered == 202)
        .flat_map(|r| r.credentials())
        .collect();
    let mut sorted = accepted.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), accepted.len(), "accepted twice: {accepted:?}");
    assert_eq!(sorted.len(), tokens.len());

    let done = journal_lines(&journal);
    assert_eq!(done.len(), 6);
    let text = std::fs::read_to_string(&journal).unwrap();
    assert_no_fragment(&text, &tokens, "the journal");
    assert_no_fragment(&stderr, &tokens, "stderr");
}

/// Run `credentials` over `tokens` with `journal` (pre-written with `contents`) against a fresh
/// fake; returns the report and the credentials sent.
async fn with_journal(tokens: &[String], contents: &[u8]) -> (Value, Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("revoke.journal");
    std::fs::File::create(&journal)
        .and_then(|mut f| f.write_all(contents))
        .unwrap();
    let fake = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--json", "--api-url"])
        .arg(fake.base_url())
        .arg("--journal")
        .arg(&journal)
        .arg("-")
        .write_stdin(tokens.join("\n"));
    let (code, stdout, stderr) = run(cmd).await;
    let report = report_of(&stdout);
    assert_eq!(code, 0, "{stderr}");
    let sent = fake
        .requests()
        .iter()
        .flat_map(|r| r.credentials())
        .collect();
    (report, sent, journal_lines(&journal))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_torn_last_line_is_not_a_record_and_the_journal_stays_well_formed() {
    let tokens = tokens(4);
    let full = fingerprint(&tokens[0]);
    let torn = &fingerprint(&tokens[1])[..37];
    let contents = format!("{JOURNAL_HEADER}\n{full}\n{torn}");
    let (report, sent, done) = with_journal(&tokens, contents.as_bytes()).await;
    assert_eq!(report["already_done"], 1, "{report}");
    assert_eq!(report["accepted"], 3, "{report}");
    assert_eq!(sent, tokens[1..].to_vec());
    // The torn tail was cut off: four whole records, each once.
    let mut expected: Vec<String> = tokens.iter().map(|t| fingerprint(t)).collect();
    expected.sort();
    let mut done = done;
    done.sort();
    assert_eq!(done, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_torn_tail_of_garbage_bytes_is_read_safely() {
    let tokens = tokens(2);
    let full = fingerprint(&tokens[0]);
    let mut contents = format!("{JOURNAL_HEADER}\n{full}\n").into_bytes();
    contents.extend_from_slice(b"\0\xff\xfe9a3");
    let (report, sent, done) = with_journal(&tokens, &contents).await;
    assert_eq!(report["already_done"], 1, "{report}");
    assert_eq!(sent, tokens[1..].to_vec());
    assert_eq!(done.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_torn_inside_its_header_gets_its_header_back() {
    // Killed while the very first write (the header) was on its way to disk.
    let tokens = tokens(2);
    let torn_header = &JOURNAL_HEADER[..9];
    let (report, sent, done) = with_journal(&tokens, torn_header.as_bytes()).await;
    assert_eq!(report["already_done"], 0, "{report}");
    assert_eq!(sent, tokens);
    assert_eq!(done.len(), 2);
    // And it is still a journal the next run accepts and honours.
    let contents = format!("{JOURNAL_HEADER}\n{}\n{}\n", done[0], done[1]);
    let (report, sent, _) = with_journal(&tokens, contents.as_bytes()).await;
    assert_eq!(report["already_done"], 2, "{report}");
    assert!(sent.is_empty());
}
