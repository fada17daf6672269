//! The harness of the secret-hygiene tests: the canaries, running the binary in a fresh
//! directory, and collecting everything a run left behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::bin;
use gh_revoke::Kind;
use gh_revoke_tests::examples::{classic, fine_grained};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};

/// The canaries: every kind the tool handles, a damaged one, and the enterprise owner's token.
pub(super) struct Canaries {
    pub(super) sendable: Vec<String>,
    pub(super) installation: String,
    pub(super) damaged: String,
    pub(super) owner: String,
}

impl Canaries {
    pub(super) fn new() -> Self {
        let mut sendable: Vec<String> = [
            Kind::ClassicPat,
            Kind::OAuth,
            Kind::UserToServer,
            Kind::Refresh,
        ]
        .into_iter()
        .map(|kind| classic(kind, "hygiene-canary").unwrap())
        .collect();
        sendable.push(fine_grained("hygiene-canary"));
        let mut damaged = classic(Kind::ClassicPat, "hygiene-damaged").unwrap();
        let last = if damaged.ends_with('Z') { 'Y' } else { 'Z' };
        damaged.pop();
        damaged.push(last);
        Self {
            sendable,
            installation: classic(Kind::Installation, "hygiene-canary").unwrap(),
            damaged,
            owner: classic(Kind::ClassicPat, "hygiene-owner").unwrap(),
        }
    }

    pub(super) fn all(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.sendable.iter().map(String::as_str).collect();
        all.extend([
            self.installation.as_str(),
            self.damaged.as_str(),
            self.owner.as_str(),
        ]);
        all
    }

    /// Every 16-character window of each canary's part after its prefix.
    pub(super) fn fragments(&self) -> Vec<String> {
        self.all()
            .into_iter()
            .flat_map(|token| {
                let secret = token
                    .strip_prefix(Kind::FineGrainedPat.prefix())
                    .unwrap_or(&token[4..]);
                assert!(secret.len() >= 16);
                (0..=secret.len() - 16)
                    .map(|i| secret[i..i + 16].to_owned())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// One credential per line, with the unsendable ones among them.
    pub(super) fn lines(&self) -> String {
        let mut lines = vec!["# leaked in the incident".to_owned()];
        lines.extend(self.sendable.iter().cloned());
        lines.push(self.installation.clone());
        lines.push(self.damaged.clone());
        lines.join("\n") + "\n"
    }

    /// A log with the canaries in it, for scan mode.
    pub(super) fn log(&self) -> String {
        let mut log = String::new();
        for (i, token) in self.all()[..7].iter().enumerate() {
            log.push_str(&format!(
                "2026-01-0{}T00:00:00Z DEBUG GH_TOKEN={token} url=https://x:{token}@github.com/a.git\n",
                i + 1
            ));
        }
        log
    }

    /// Every canary, as a server might echo them.
    pub(super) fn echo(&self) -> String {
        self.all().join(", ")
    }
}

/// What one run left behind.
pub(super) struct Ran {
    pub(super) what: String,
    pub(super) code: Option<i32>,
    pub(super) stdout: Vec<u8>,
    pub(super) stderr: Vec<u8>,
    pub(super) files: Vec<(PathBuf, Vec<u8>)>,
}

impl Ran {
    pub(super) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    pub(super) fn assert_clean(&self, canaries: &Canaries) {
        let mut places: Vec<(String, String)> = vec![
            (
                "stdout".into(),
                String::from_utf8_lossy(&self.stdout).into(),
            ),
            ("stderr".into(), self.stderr()),
        ];
        for (path, bytes) in &self.files {
            places.push((
                path.display().to_string(),
                String::from_utf8_lossy(bytes).into(),
            ));
        }
        for fragment in canaries.fragments() {
            for (place, text) in &places {
                // The fragment itself is not printed: the failure must not leak either.
                assert!(
                    !text.contains(&fragment),
                    "{}: a canary fragment appears in {place} (exit {:?})",
                    self.what,
                    self.code
                );
            }
        }
        let stderr = self.stderr();
        assert!(
            !stderr.contains("panicked") && self.code != Some(101),
            "{}: panicked: {stderr}",
            self.what
        );
    }
}

/// Every file under `dir`, recursively.
pub(super) fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

/// How the child's stdout is set up.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Stdout {
    Piped,
    /// A pipe whose reading end is closed: every write fails with a broken pipe.
    Unwritable,
}

/// Run `gh-revoke args` with `env` in a fresh working directory (where the journal goes, and
/// nothing else should appear), stdin from `stdin`.
pub(super) fn run(
    what: &str,
    args: &[String],
    env: &[(&str, &str)],
    stdin: &str,
    stdout: Stdout,
    work: &Path,
) -> Ran {
    let mut cmd = Command::new(bin());
    cmd.args(args).current_dir(work);
    for var in crate::support::CLEARED_ENV {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").env("RUST_BACKTRACE", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    match stdout {
        Stdout::Piped => cmd.stdout(Stdio::piped()),
        Stdout::Unwritable => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            cmd.stdout(Stdio::from(writer))
        }
    };
    let mut child = cmd
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gh-revoke starts");
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Ran {
        what: what.to_owned(),
        code: output.status.code(),
        stdout: output.stdout,
        stderr: output.stderr,
        files: files_under(work),
    }
}

pub(super) fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

/// A fresh fake answering `script` then 202s.
pub(super) async fn fake(script: Vec<Scripted>) -> FakeGitHub {
    FakeGitHub::start(60, Duration::from_secs(3600), script).await
}

/// Run off the async runtime (the fake lives on it).
pub(super) async fn run_async(
    what: String,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    stdin: String,
    stdout: Stdout,
) -> (Ran, tempfile::TempDir) {
    tokio::task::spawn_blocking(move || {
        let root = tempfile::tempdir().unwrap();
        let work = root.path().join("work");
        std::fs::create_dir(&work).unwrap();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let ran = run(&what, &args, &env, &stdin, stdout, &work);
        (ran, root)
    })
    .await
    .expect("join")
}
