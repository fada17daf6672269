//! Bad input to `gh-revoke credentials`: each is either handled gracefully (exit 0 with the right
//! counts) or refused with a message naming the problem and exit 2, never a panic, and never a
//! request. (Missing files, directories, `not a url`, plain http to api.github.com and
//! `--max-wait forever` are in credentials.rs.)

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{bin, gh_revoke};
use gh_revoke_tests::fake_github::FakeGitHub;
use gh_revoke_tests::tokens;
use serde_json::Value;

/// 200 MB: far past the line limit, and more than anyone should hold in memory twice.
const HUGE: usize = 200 * 1024 * 1024;

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn report(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    fn no_panic(&self) -> &Self {
        assert!(
            self.code != 101 && !self.stderr.contains("panicked"),
            "{}",
            self.stderr
        );
        self
    }
}

async fn run(cmd: assert_cmd::Command) -> Ran {
    let (code, stdout, stderr) = crate::support::run(cmd).await;
    Ran {
        code,
        stdout,
        stderr,
    }
}

async fn fake() -> FakeGitHub {
    FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await
}

/// `credentials --json --dry-run` over `bytes` on stdin, in line or scan mode.
async fn dry_run(bytes: &[u8], scan: bool) -> Ran {
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--dry-run", "--json"]);
    if scan {
        cmd.arg("--scan");
    }
    cmd.write_stdin(bytes.to_vec());
    let ran = run(cmd).await;
    ran.no_panic();
    ran
}

fn counts(report: &Value) -> [u64; 5] {
    ["read", "invalid", "unsupported", "duplicates", "pending"].map(|k| {
        report[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} missing: {report}"))
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_and_blank_inputs_are_fine_in_both_modes() {
    let cases: [&[u8]; 5] = [
        b"",
        b"\xEF\xBB\xBF",
        b"\r\n\r\n",
        b"# only a comment\r\n   \t\r\n",
        b"\n\n\n",
    ];
    for bytes in cases {
        for scan in [false, true] {
            let ran = dry_run(bytes, scan).await;
            assert_eq!(ran.code, 0, "{bytes:?} scan={scan}: {}", ran.stderr);
            let report = ran.report();
            assert_eq!(counts(&report), [0; 5], "{bytes:?} scan={scan}: {report}");
            assert_eq!(report["batches"].as_array().map(Vec::len), Some(0));
        }
    }
    // An empty file named on the command line, sent for real: nothing is requested.
    let server = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--json", "--api-url", &server.base_url()])
        .arg(&empty);
    let ran = run(cmd).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.report()["requests"], 0);
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bom_and_crlf_line_endings_are_handled() {
    let t = tokens(3);
    let text = format!(
        "\u{FEFF}{}\r\n# comment\r\n\r\n  {}  \r\n{}\r\n{}\r\n",
        t[0], t[1], t[2], t[0]
    );
    for scan in [false, true] {
        let ran = dry_run(text.as_bytes(), scan).await;
        assert_eq!(ran.code, 0, "scan={scan}: {}", ran.stderr);
        let report = ran.report();
        // read, invalid, unsupported, duplicates, pending
        assert_eq!(counts(&report), [4, 0, 0, 1, 3], "scan={scan}: {report}");
        assert_eq!(report["skipped"].as_array().map(Vec::len), Some(0));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_and_nul_bytes_are_reported_not_fatal() {
    let t = tokens(2);
    let mut bytes = Vec::new();
    bytes.extend_from_slice(t[0].as_bytes());
    bytes.extend_from_slice(b"\n\xff\xfe\xfd not utf-8 \xc3\x28\n");
    bytes.extend_from_slice(
        b"ghp_\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\n",
    );
    bytes.extend_from_slice(b"\0\n");
    bytes.extend_from_slice(t[1].as_bytes());
    bytes.extend_from_slice(b"\n");
    let ran = dry_run(&bytes, false).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let report = ran.report();
    assert_eq!(counts(&report), [5, 3, 0, 0, 2], "{report}");
    for skipped in report["skipped"].as_array().unwrap() {
        assert!(skipped["location"]["line"].is_u64(), "{skipped}");
    }

    // Scan mode in a binary blob: tokens between NULs and invalid UTF-8 are found.
    let mut blob = vec![0u8, 0xff, 0xfe, 0];
    blob.extend_from_slice(t[0].as_bytes());
    blob.extend_from_slice(&[0, 0xc3, 0x28, 0x80, 0]);
    blob.extend_from_slice(t[1].as_bytes());
    blob.extend_from_slice(&[0xff; 64]);
    let ran = dry_run(&blob, true).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let report = ran.report();
    assert_eq!(counts(&report), [2, 0, 0, 0, 2], "{report}");
}

/// Run `credentials ARGS` with `line_count` lines on stdin whose `long`th line is `HUGE` bytes
/// with `tokens` spread through it, streamed from a writer thread (never held in memory).
fn stream_huge_line(args: &[&str], tokens: &[String], api_url: &str) -> Ran {
    let mut child = Command::new(bin())
        .args(args)
        .args(["--api-url", api_url])
        .env_remove("GITHUB_API_URL")
        .env_remove("GH_HOST")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gh-revoke starts");
    let mut stdin = child.stdin.take().unwrap();
    let tokens = tokens.to_vec();
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        // Line 1 is an ordinary credential line; line 2 is the huge one.
        writeln!(stdin, "{}", tokens[0])?;
        let filler = b"lorem ipsum dolor sit amet, ".repeat(1 << 15); // ~900 KiB
        let mut written = 0;
        let mut next_token = 1;
        while written < HUGE {
            if next_token < tokens.len() && written >= HUGE / tokens.len() * next_token {
                write!(stdin, " {} ", tokens[next_token])?;
                next_token += 1;
            }
            stdin.write_all(&filler)?;
            written += filler.len();
        }
        stdin.write_all(b"\n")
    });
    let output = child.wait_with_output().unwrap();
    // In line mode gh-revoke stops reading early, so the writer may see a broken pipe.
    let _ = writer.join().unwrap();
    let ran = Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    ran.no_panic();
    ran
}

#[tokio::test(flavor = "multi_thread")]
async fn a_200_mb_line_is_an_error_in_line_mode_and_fine_in_scan_mode() {
    let server = fake().await;
    let url = server.base_url();
    let t = tokens(4);

    let (args, toks, u) = (["credentials", "--json", "-"], t.clone(), url.clone());
    let ran = tokio::task::spawn_blocking(move || stream_huge_line(&args, &toks, &u))
        .await
        .unwrap();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("-:2:"),
        "names the line: {}",
        ran.stderr
    );
    assert!(ran.stderr.contains("longer than"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("scan"),
        "suggests scan mode: {}",
        ran.stderr
    );
    assert!(ran.stdout.is_empty(), "{}", ran.stdout);
    assert!(server.requests().is_empty(), "line mode sent something");

    let (args, toks, u) = (
        ["credentials", "--scan", "--dry-run", "--json"],
        t.clone(),
        url.clone(),
    );
    let ran = tokio::task::spawn_blocking(move || stream_huge_line(&args, &toks, &u))
        .await
        .unwrap();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let report = ran.report();
    assert_eq!(counts(&report), [4, 0, 0, 0, 4], "{report}");
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn unreadable_input_is_a_clear_error() {
    let server = fake().await;
    let url = server.base_url();
    let dir = tempfile::tempdir().unwrap();

    // chmod 000: refused by the kernel for ordinary users. Root reads it anyway, so there the
    // case cannot be produced this way (the cases below cover read failures for everyone).
    let locked = dir.path().join("locked.txt");
    std::fs::write(&locked, tokens(1).join("\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    if std::fs::read(&locked).is_err() {
        let mut cmd = gh_revoke();
        cmd.args(["credentials", "--api-url", &url]).arg(&locked);
        let ran = run(cmd).await;
        ran.no_panic();
        assert_eq!(ran.code, 2, "{}", ran.stderr);
        assert!(ran.stderr.contains("permission denied"), "{}", ran.stderr);
    } else {
        eprintln!("note: running with privileges that ignore file modes; chmod 000 case skipped");
    }

    // Standard input that cannot be read (a directory), in both modes.
    for scan in [false, true] {
        let mut cmd = Command::new(bin());
        cmd.args(["credentials", "--api-url", &url])
            .env_remove("GITHUB_API_URL")
            .env_remove("GH_HOST");
        if scan {
            cmd.arg("--scan");
        }
        cmd.stdin(Stdio::from(std::fs::File::open(dir.path()).unwrap()));
        let output = tokio::task::spawn_blocking(move || cmd.output().expect("gh-revoke runs"))
            .await
            .unwrap();
        let ran = Ran {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        ran.no_panic();
        assert_eq!(ran.code, 2, "scan={scan}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("reading -"),
            "scan={scan}: {}",
            ran.stderr
        );
    }

    // A named file whose open succeeds but whose read fails (EIO at offset 0 of own memory).
    #[cfg(target_os = "linux")]
    {
        let mut cmd = gh_revoke();
        cmd.args(["credentials", "--api-url", &url, "/proc/self/mem"]);
        let ran = run(cmd).await;
        ran.no_panic();
        assert_eq!(ran.code, 2, "{}", ran.stderr);
        assert!(
            ran.stderr.contains("reading /proc/self/mem"),
            "{}",
            ran.stderr
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn absurd_max_waits_are_refused() {
    let server = fake().await;
    for value in [
        "8d",
        "99999999999999999999s",
        "18446744073709551616ms",
        "",
        "-1s",
        "1 fortnight",
        "1e9s",
    ] {
        let mut cmd = gh_revoke();
        cmd.args(["credentials", "--api-url", &server.base_url()])
            .arg(format!("--max-wait={value}"))
            .arg("-")
            .write_stdin(tokens(1).join("\n"));
        let ran = run(cmd).await;
        ran.no_panic();
        assert_eq!(ran.code, 2, "{value:?}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("--max-wait"),
            "{value:?}: {}",
            ran.stderr
        );
        assert!(ran.stdout.is_empty());
    }
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_api_urls_are_refused_before_anything_is_read_or_sent() {
    let server = fake().await;
    let cases = [
        ("ftp://api.github.com", "scheme \"ftp\" is not supported"),
        ("file:///etc/passwd", "is not supported"),
        ("javascript:alert(1)", "is not supported"),
        ("https://", "not a URL"),
        ("api.github.com", "not a URL"),
        ("http://10.0.0.1:8080", "plain http"),
        ("http://[::2]", "plain http"),
        ("http://localhost.evil.example", "plain http"),
        ("http://127.0.0.1.nip.io", "plain http"),
        ("http://0.0.0.0", "plain http"),
        ("https://api.github.com/?per_page=1", "query or fragment"),
        ("https://user:pass@api.github.com", "user name or password"),
    ];
    for (url, expected) in cases {
        // Standard input would block if it were read: the URL must be refused first.
        for (how, env) in [("--api-url", false), ("GITHUB_API_URL", true)] {
            let mut cmd = gh_revoke();
            cmd.arg("credentials");
            if env {
                cmd.env("GITHUB_API_URL", url);
            } else {
                cmd.args(["--api-url", url]);
            }
            cmd.write_stdin(tokens(1).join("\n"));
            let ran = run(cmd).await;
            ran.no_panic();
            assert_eq!(ran.code, 2, "{how} {url}: {}", ran.stderr);
            assert!(ran.stderr.contains(expected), "{how} {url}: {}", ran.stderr);
            assert!(ran.stdout.is_empty());
        }
    }
    // The enterprise command refuses the same way, before it looks for a token.
    let mut cmd = gh_revoke();
    cmd.args([
        "enterprise",
        "revoke-all",
        "acme",
        "--yes",
        "--api-url",
        "http://192.0.2.1",
    ])
    .env("GH_TOKEN", "ghp_NotUsedBecauseTheUrlIsRefused000000000");
    let ran = run(cmd).await;
    ran.no_panic();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("plain http"), "{}", ran.stderr);
    assert!(server.requests().is_empty());
}
