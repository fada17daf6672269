//! `gh-revoke app create`, the real binary, against loopback stand-ins of GitHub's "new app"
//! page and of the code's conversion (shared with gh-revoke-serve's tests): the files and their
//! modes, the printed next steps, no secret on stdout or stderr at any verbosity, and the usage
//! errors that stop it before anything is sent.

// The stand-in of GitHub's new-app page and what it is built on, shared with
// gh-revoke-serve's tests (`new_app`'s `super::stand_in` is this module's).
#[allow(dead_code)]
#[path = "../../../gh-revoke-serve/tests/support/new_app.rs"]
mod new_app;
#[allow(dead_code)]
#[path = "../../../gh-revoke-serve/tests/support/stand_in.rs"]
pub(crate) mod stand_in;

use std::process::Stdio;
use std::time::Duration;

use new_app::NewApp;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::ChildStderr;

use crate::support::{CLEARED_ENV, bin};

const WEBHOOK: &str = "https://hooks.example.com/github/webhook";

/// [`crate::support::gh_revoke`]'s clean environment (and no `GH_REVOKE_API_URL`), as a tokio
/// child: `app create` serves a page while the test acts as the browser.
fn gh_revoke() -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(bin());
    for var in CLEARED_ENV.iter().chain(&["GH_REVOKE_API_URL"]) {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

/// Read `stderr` (into `err_text`) until it names the page to open; that address.
async fn page_address(stderr: &mut BufReader<ChildStderr>, err_text: &mut String) -> String {
    const SAID: &str = "open this page in a browser: ";
    loop {
        let mut line = String::new();
        let read = tokio::time::timeout(Duration::from_secs(30), stderr.read_line(&mut line))
            .await
            .expect("no page address on stderr")
            .unwrap();
        assert!(read > 0, "stderr ended: {err_text}");
        err_text.push_str(&line);
        if let Some(at) = line.find(SAID) {
            return line[at + SAID.len()..].trim().to_owned();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_create_writes_the_files_and_prints_the_next_steps_but_no_secret() {
    let github = NewApp::start(WEBHOOK).await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("app files");
    let mut child = gh_revoke()
        .args(["app", "create", "--no-browser", "--org", "acme", "-vvv"])
        .args(["--webhook-url", WEBHOOK, "--github-url", &github.url()])
        .args(["--api-url", &github.url()])
        .arg("--dir")
        .arg(&target)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut err_text = String::new();
    let page = page_address(&mut stderr, &mut err_text).await;
    let (status, answer) = new_app::submit_like_a_browser(&page).await;
    assert_eq!(status, 200, "{answer}");
    let finished = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .await
        .unwrap();
    stderr.read_to_string(&mut err_text).await.unwrap();
    assert!(
        finished.success(),
        "exit {finished:?}\nstdout: {out}\nstderr: {err_text}"
    );
    github.assert_clean();

    assert_eq!(
        std::fs::read_to_string(target.join("app-id")).unwrap(),
        format!("{}\n", new_app::CLIENT_ID)
    );
    assert_eq!(
        std::fs::read_to_string(target.join("private-key.pem")).unwrap(),
        new_app::APP_PEM
    );
    assert_eq!(
        std::fs::read_to_string(target.join("webhook-secret")).unwrap(),
        new_app::WEBHOOK_SECRET
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |name: &str| {
            std::fs::metadata(target.join(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("private-key.pem"), 0o600);
        assert_eq!(mode("webhook-secret"), 0o600);
    }
    let key = target.join("private-key.pem");
    let secret = target.join("webhook-secret");
    let serve = format!(
        "gh-revoke serve --app-id {} --app-private-key '{}' --webhook-secret-file '{}'",
        new_app::CLIENT_ID,
        key.display(),
        secret.display()
    );
    assert!(out.contains(&serve), "{out}");
    let install = format!("{}/apps/gh-revoke-standin/installations/new", github.url());
    assert!(out.contains(&install), "{out}");
    for secret in NewApp::secrets() {
        assert!(!out.contains(&secret), "stdout holds a secret: {out}");
        assert!(
            !err_text.contains(&secret),
            "stderr holds a secret: {err_text}"
        );
    }
    let listing: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for secret in NewApp::secrets() {
        assert!(!listing.iter().any(|n| n.contains(&secret)));
    }

    // A second run on the same folder stops before anything is served or sent.
    let again = gh_revoke()
        .args(["app", "create", "--no-browser", "--webhook-url", WEBHOOK])
        .args(["--github-url", &github.url(), "--api-url", &github.url()])
        .arg("--dir")
        .arg(&target)
        .output()
        .await
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    let text = String::from_utf8_lossy(&again.stderr);
    assert!(text.contains("already exists"), "{text}");
    assert!(!text.contains("open this page"), "{text}");
    assert_eq!(github.with(|i| i.manifests.len()), 1);
}

#[tokio::test]
async fn bad_inputs_exit_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    for (args, names) in [
        (vec!["--webhook-url", "not a url"], "--webhook-url"),
        (
            vec!["--webhook-url", WEBHOOK, "--org", "acme/../evil"],
            "--org",
        ),
        (
            vec!["--webhook-url", WEBHOOK, "--github-url", "ftp://github.com"],
            "--github-url",
        ),
    ] {
        let output = gh_revoke()
            .args(["app", "create", "--no-browser"])
            .args(&args)
            .arg("--dir")
            .arg(dir.path().join("x"))
            .output()
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains(names), "{args:?}: {text}");
    }
    assert!(!dir.path().join("x").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_exchange_exits_1_without_showing_the_code() {
    let github = NewApp::start(WEBHOOK).await;
    // The exchange goes to a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut child = gh_revoke()
        .args(["app", "create", "--no-browser", "-vvv", "--timeout", "5s"])
        .args(["--webhook-url", WEBHOOK, "--github-url", &github.url()])
        .args(["--api-url", &format!("http://{closed}")])
        .arg("--dir")
        .arg(dir.path().join("app"))
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut err_text = String::new();
    let page = page_address(&mut stderr, &mut err_text).await;
    let (status, _) = new_app::submit_like_a_browser(&page).await;
    assert_eq!(status, 502);
    let finished = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    stderr.read_to_string(&mut err_text).await.unwrap();
    assert_eq!(finished.code(), Some(1), "{err_text}");
    assert!(err_text.contains("apps/create-from-manifest"), "{err_text}");
    assert!(err_text.contains("(redacted)"), "{err_text}");
    assert!(
        !err_text.contains(new_app::CODE),
        "the code leaked: {err_text}"
    );
    assert!(!dir.path().join("app").exists());
}

/// Without --no-browser the page is opened with the system's browser ($BROWSER here, a script
/// that notes the address, as xdg-open would hand it to a real one).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_no_browser_the_browser_is_opened_at_the_page() {
    use std::os::unix::fs::PermissionsExt;
    let github = NewApp::start(WEBHOOK).await;
    let dir = tempfile::tempdir().unwrap();
    let noted = dir.path().join("opened");
    let browser = dir.path().join("browser");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", noted.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = gh_revoke()
        .args(["app", "create", "--webhook-url", WEBHOOK])
        .args(["--github-url", &github.url(), "--api-url", &github.url()])
        .arg("--dir")
        .arg(dir.path().join("app"))
        .env("BROWSER", &browser)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let page = loop {
        if let Ok(url) = std::fs::read_to_string(&noted)
            && !url.is_empty()
        {
            break url;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no browser was opened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(page.starts_with("http://127.0.0.1:"), "{page}");
    let (status, _) = new_app::submit_like_a_browser(&page).await;
    assert_eq!(status, 200);
    let finished = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(finished.success());
    assert!(dir.path().join("app/private-key.pem").exists());
}
