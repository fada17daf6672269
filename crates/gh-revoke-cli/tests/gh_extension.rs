//! The GitHub CLI runs `gh-revoke` as `gh revoke` once gh has installed it as an extension, the
//! way the README's "Install" section says: a directory named `gh-revoke` holding the executable,
//! then `gh extension install .` inside it. A `gh-revoke` merely on `PATH` is not run.
//!
//! This drives the real `gh` (Debian's package `gh`; `.ci/run` installs it when it can) in a
//! temporary `HOME`; it is skipped, with a note on stderr, when `gh` is not on `PATH`. No network:
//! a local install needs none, and the proxy variables point at a closed loopback port so that
//! any request gh might try fails instead of leaving the machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `gh` on `PATH`, if any.
fn find_gh() -> Option<PathBuf> {
    let name = format!("gh{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(&name))
        .find(|path| path.is_file())
}

/// A `gh` command with nothing of the caller's environment but what it needs.
struct Gh {
    exe: PathBuf,
    home: PathBuf,
    path: std::ffi::OsString,
}

impl Gh {
    fn command(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", &self.home)
            // gh 2.23 wants some token even for a local install (no gh auth login in a fresh
            // HOME); a placeholder, never sent anywhere.
            .env("GH_TOKEN", "placeholder-for-gh-extension-test")
            .env("GH_NO_UPDATE_NOTIFIER", "1")
            .env("GH_NO_EXTENSION_UPDATE_NOTIFIER", "1")
            .env("GH_PROMPT_DISABLED", "1")
            .env("NO_COLOR", "1")
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, cwd: &Path, args: &[&str]) -> Output {
        self.command(cwd, args).output().expect("gh runs")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn gh_runs_a_local_extension_install_as_gh_revoke() {
    let Some(exe) = find_gh() else {
        eprintln!(
            "note: gh_extension skipped: `gh` (the GitHub CLI) is not on PATH \
             (Debian: apt-get install gh)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let ext_dir = tmp.path().join("ext").join("gh-revoke");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&ext_dir).unwrap();
    let binary = format!("gh-revoke{}", std::env::consts::EXE_SUFFIX);
    std::fs::copy(env!("CARGO_BIN_EXE_gh-revoke"), ext_dir.join(&binary)).unwrap();

    // The directory holding gh-revoke is on PATH too: that alone is not enough.
    let gh_dir = exe.parent().unwrap().to_path_buf();
    let path = std::env::join_paths([gh_dir, ext_dir.clone()]).unwrap();
    let gh = Gh {
        exe,
        home: home.clone(),
        path,
    };

    let before = gh.run(tmp.path(), &["revoke", "--version"]);
    assert!(
        !before.status.success(),
        "gh ran an extension it had not installed: {}",
        text(&before.stdout)
    );
    assert!(
        text(&before.stderr).contains("unknown command \"revoke\""),
        "{}",
        text(&before.stderr)
    );

    let install = gh.run(&ext_dir, &["extension", "install", "."]);
    assert!(
        install.status.success(),
        "gh extension install . failed: {}{}",
        text(&install.stdout),
        text(&install.stderr)
    );

    // Run from elsewhere: the install, not the working directory, makes `gh revoke` work.
    let version = gh.run(&home, &["revoke", "--version"]);
    assert!(version.status.success(), "{}", text(&version.stderr));
    assert_eq!(
        text(&version.stdout),
        format!("gh-revoke {}\n", env!("CARGO_PKG_VERSION"))
    );

    // Arguments, standard input, standard output and the exit code pass through gh.
    let mut dry_run = gh.command(&home, &["revoke", "credentials", "--dry-run", "--json"]);
    dry_run
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = dry_run.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"not-a-credential\n").unwrap();
    }
    let report = child.wait_with_output().unwrap();
    assert!(report.status.success(), "{}", text(&report.stderr));
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["read"], 1);
    assert_eq!(json["invalid"], 1);

    let usage = gh.run(&home, &["revoke", "credentials", "--batch-size", "0"]);
    assert_eq!(usage.status.code(), Some(2), "{}", text(&usage.stderr));
}
