//! `--journal` naming a file that is not a journal (a mistyped path): refused with exit 2 and
//! the file left byte for byte as it was, in a real run and in a dry run, for both commands
//! that take a journal; a file without newlines is never read whole (`/dev/zero` included).

use std::time::Duration;

use crate::support::{gh_revoke, run};
use gh_revoke_tests::fake_github::FakeGitHub;
use gh_revoke_tests::tokens;

/// 8 MiB of one line: far past any journal line, so reading stops after the first 4 KiB.
fn big_file_without_newlines() -> Vec<u8> {
    vec![b'A'; 8 * 1024 * 1024]
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_refuses_a_big_file_without_newlines_as_journal_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("disk.img");
    let body = big_file_without_newlines();
    std::fs::write(&path, &body).unwrap();
    let fake = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
    for dry_run in [false, true] {
        let mut cmd = gh_revoke();
        cmd.args(["credentials", "--api-url"])
            .arg(fake.base_url())
            .arg("--journal")
            .arg(&path)
            .arg("-")
            .write_stdin(tokens(3).join("\n"));
        if dry_run {
            cmd.arg("--dry-run");
        }
        let (code, _stdout, stderr) = run(cmd).await;
        assert_eq!(code, 2, "dry run {dry_run}: {stderr}");
        assert!(
            stderr.contains("is not a gh-revoke journal")
                && stderr.contains("line 1 is longer than any journal line"),
            "{stderr}"
        );
        assert!(
            std::fs::read(&path).unwrap() == body,
            "the file was changed"
        );
    }
    assert!(fake.requests().is_empty(), "nothing is sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_refuses_a_one_line_note_as_journal_instead_of_replacing_it() {
    // Before: the line without a newline was taken for a torn record, cut off, and the file
    // became a fresh journal.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "deploy key rotation: done").unwrap();
    let fake = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--api-url"])
        .arg(fake.base_url())
        .arg("--journal")
        .arg(&path)
        .arg("-")
        .write_stdin(tokens(2).join("\n"));
    let (code, _stdout, stderr) = run(cmd).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("left unchanged"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "deploy key rotation: done"
    );
    assert!(fake.requests().is_empty(), "nothing is sent");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_with_dev_zero_as_journal_is_refused_not_out_of_memory() {
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--dry-run", "--journal", "/dev/zero", "-"])
        .write_stdin(tokens(1).join("\n"));
    let (code, _stdout, stderr) = run(cmd).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("longer than any journal line"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn alerts_refuses_a_file_that_is_not_a_journal_before_listing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("disk.img");
    let body = big_file_without_newlines();
    std::fs::write(&path, &body).unwrap();
    let mut cmd = gh_revoke();
    cmd.args([
        "alerts",
        "--repo",
        "octo-org/app",
        "--api-url",
        "http://127.0.0.1:9",
    ])
    .env("GH_TOKEN", "ghp_not_a_real_token_used_only_for_loopback")
    .arg("--journal")
    .arg(&path);
    let (code, _stdout, stderr) = run(cmd).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not a gh-revoke journal"), "{stderr}");
    assert!(
        std::fs::read(&path).unwrap() == body,
        "the file was changed"
    );
}
