//! The GitHub CLI runs `gh-revoke` as `gh revoke` once gh has installed it as an extension, the
//! two ways the README's "Install" section says:
//! - locally: a directory named `gh-revoke` holding the executable, then `gh extension install .`
//!   inside it (a `gh-revoke` merely on `PATH` is not run);
//! - from a release: `gh extension install OWNER/gh-revoke` picks the asset named for its
//!   platform among what `.github/workflows/release.yml` publishes. Here the release is served by
//!   a fake GitHub on loopback (gh's development host `github.localhost`, which gh reaches over
//!   plain http, through `HTTP_PROXY` pointed at the fake).
//!
//! These drive the real `gh` (Debian's package `gh`; `.ci/run` installs it when it can) in a
//! temporary `HOME`; they are skipped, with a note on stderr, when `gh` is not on `PATH`. No
//! network: the proxy variables point at loopback (a closed port, or the fake), so any request gh
//! might try fails instead of leaving the machine.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

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
    /// Where gh's HTTP goes: a closed loopback port unless a fake GitHub is listening there.
    proxy: String,
}

impl Gh {
    fn command(&self, cwd: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", &self.home)
            // gh caches API answers (and downloads) under the temporary directory: a private one,
            // so that nothing from another run answers in place of the fake GitHub.
            .env("TMPDIR", self.home.join("tmp"))
            // gh 2.23 wants some token even for a local install (no gh auth login in a fresh
            // HOME); a placeholder, never sent anywhere.
            .env("GH_TOKEN", "placeholder-for-gh-extension-test")
            .env("GH_NO_UPDATE_NOTIFIER", "1")
            .env("GH_NO_EXTENSION_UPDATE_NOTIFIER", "1")
            .env("GH_PROMPT_DISABLED", "1")
            .env("NO_COLOR", "1")
            .env("HTTPS_PROXY", &self.proxy)
            .env("HTTP_PROXY", &self.proxy)
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
    std::fs::create_dir_all(home.join("tmp")).unwrap();
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
        proxy: "http://127.0.0.1:9".to_string(),
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

/// gh's name for the platform it runs on (`runtime.GOOS-runtime.GOARCH`), if a release has one.
fn go_platform() -> Option<String> {
    let os = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "windows",
        _ => return None,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        _ => return None,
    };
    Some(format!("{os}-{arch}"))
}

/// What a release made by `.github/workflows/release.yml` holds: the checksums, one archive per
/// target, and one bare executable per `asset:` of the build matrix (the non-executables first,
/// so that gh, which takes the first name ending in its platform, would trip over them).
fn release_asset_names() -> Vec<String> {
    let workflow =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.github/workflows/release.yml");
    let text = std::fs::read_to_string(&workflow).unwrap();
    let value = |line: &str, key: &str| {
        line.trim()
            .trim_start_matches("- ")
            .strip_prefix(key)
            .map(|v| v.trim().to_string())
    };
    let version = env!("CARGO_PKG_VERSION");
    let mut names = vec!["SHA256SUMS".to_string()];
    let mut executables = Vec::new();
    for line in text.lines() {
        if let Some(target) = value(line, "target:") {
            let archive = if target.contains("windows") {
                "zip"
            } else {
                "tar.gz"
            };
            names.push(format!("gh-revoke-{version}-{target}.{archive}"));
        }
        if let Some(asset) = value(line, "asset:") {
            executables.push(asset);
        }
    }
    assert!(executables.len() >= 5, "{executables:?}");
    names.extend(executables);
    names
}

/// A fake GitHub API on loopback, reached as an HTTP proxy: `GET .../releases/latest` lists
/// `assets`; `GET /assets/NAME` serves `binary` for `wanted` and, for any other name, a script
/// that says which asset it was. Returns the proxy URL and the log of request targets.
fn fake_github(
    assets: Vec<String>,
    wanted: String,
    binary: Vec<u8>,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if header == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            let target = request_line.split(' ').nth(1).unwrap_or("").to_string();
            seen.lock().unwrap().push(target.clone());
            let (status, body) = if target.ends_with("/repos/gh-revoke/gh-revoke/releases/latest") {
                let assets: Vec<serde_json::Value> = assets
                    .iter()
                    .map(|name| {
                        serde_json::json!({
                            "name": name,
                            "url": format!("http://api.github.localhost/assets/{name}"),
                        })
                    })
                    .collect();
                let release = serde_json::json!({ "tag_name": "v0.1.0", "assets": assets });
                ("200 OK", serde_json::to_vec(&release).unwrap())
            } else if let Some(name) = target.split("/assets/").nth(1) {
                if name == wanted {
                    ("200 OK", binary.clone())
                } else {
                    let script = format!(
                        "#!/bin/sh\necho \"gh installed the wrong asset: {name}\"\nexit 3\n"
                    );
                    ("200 OK", script.into_bytes())
                }
            } else {
                ("404 Not Found", b"{\"message\": \"Not Found\"}".to_vec())
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (url, log)
}

#[test]
fn gh_installs_the_release_asset_named_for_its_platform() {
    let Some(exe) = find_gh() else {
        eprintln!(
            "note: gh_extension skipped: `gh` (the GitHub CLI) is not on PATH \
             (Debian: apt-get install gh)"
        );
        return;
    };
    let Some(platform) = go_platform() else {
        eprintln!("note: skipped: the release workflow builds nothing for this platform");
        return;
    };
    let assets = release_asset_names();
    let wanted = format!("gh-revoke-{platform}{}", std::env::consts::EXE_SUFFIX);
    assert!(assets.contains(&wanted), "{wanted} not in {assets:?}");
    let binary = std::fs::read(env!("CARGO_BIN_EXE_gh-revoke")).unwrap();
    let (proxy, requests) = fake_github(assets, wanted.clone(), binary);

    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("tmp")).unwrap();
    let gh = Gh {
        path: exe.parent().unwrap().as_os_str().to_owned(),
        exe,
        home: home.clone(),
        proxy,
    };

    let install = gh.run(
        &home,
        &[
            "extension",
            "install",
            "github.localhost/gh-revoke/gh-revoke",
        ],
    );
    assert!(
        install.status.success(),
        "gh extension install failed: {}{}",
        text(&install.stdout),
        text(&install.stderr)
    );
    // Exactly one download, of the executable named for gh's platform (gh takes the first asset
    // whose name ends in it: the checksums and the archives must not).
    let downloads: Vec<String> = requests
        .lock()
        .unwrap()
        .iter()
        .filter(|target| target.contains("/assets/"))
        .cloned()
        .collect();
    assert_eq!(
        downloads,
        [format!("http://api.github.localhost/assets/{wanted}")]
    );

    let version = gh.run(&home, &["revoke", "--version"]);
    assert!(
        version.status.success(),
        "{}{}",
        text(&version.stdout),
        text(&version.stderr)
    );
    assert_eq!(
        text(&version.stdout),
        format!("gh-revoke {}\n", env!("CARGO_PKG_VERSION"))
    );
}
