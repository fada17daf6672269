//! `app create`'s loopback page in a real headless browser (Debian's `chromium` driven through
//! `chromedriver` over WebDriver): the page submits itself to the stand-in of GitHub's "new app"
//! page, which sends the browser back to the callback, and the code is exchanged. Skipped, with
//! a note, where chromium or chromedriver is not installed (`.ci/run` installs them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gh_revoke::ApiBase;
use gh_revoke_serve::app::manifest::{ManifestFlow, ManifestRequest};
use serde_json::{Value, json};
use support::new_app::{self, NewApp};

const WEBHOOK: &str = "https://hooks.example.com/github/webhook";

fn find(candidates: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    candidates.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// The chromedriver process, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn webdriver(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> Value {
    let mut request = http.request(method, &url);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let answer = request.send().await.unwrap();
    let text = answer.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{url}: {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_works_in_a_headless_chromium() {
    let (Some(chromium), Some(chromedriver)) = (
        find(&["chromium", "chromium-browser", "google-chrome"]),
        find(&["chromedriver"]),
    ) else {
        eprintln!(
            "note: skipped: chromium and chromedriver are not installed \
             (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let github = NewApp::start(WEBHOOK).await;
    let flow = ManifestFlow::start(ManifestRequest {
        github_url: github.url(),
        org: Some("acme".into()),
        webhook_url: WEBHOOK.into(),
        name: "gh-revoke-acme".into(),
        api_base: ApiBase::parse(&github.url()).unwrap(),
        timeout: Duration::from_secs(10),
    })
    .await
    .unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = gh_revoke_api::transport::client_builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let started = Instant::now();
    loop {
        let ready = http.get(format!("{base}/status")).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let session = webdriver(
        &http,
        reqwest::Method::POST,
        format!("{base}/session"),
        Some(json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        }}})),
    )
    .await;
    let Some(id) = session["value"]["sessionId"].as_str().map(str::to_owned) else {
        panic!("no WebDriver session: {session}");
    };
    let session_url = format!("{base}/session/{id}");
    webdriver(
        &http,
        reqwest::Method::POST,
        format!("{session_url}/url"),
        Some(json!({"url": flow.page_url()})),
    )
    .await;
    // The page submits itself; GitHub's stand-in sends the browser back to the callback.
    let mut last = (String::new(), String::new());
    while started.elapsed() < Duration::from_secs(40) {
        let url = webdriver(
            &http,
            reqwest::Method::GET,
            format!("{session_url}/url"),
            None,
        )
        .await;
        let source = webdriver(
            &http,
            reqwest::Method::GET,
            format!("{session_url}/source"),
            None,
        )
        .await;
        last = (
            url["value"].as_str().unwrap_or_default().to_owned(),
            source["value"].as_str().unwrap_or_default().to_owned(),
        );
        if last.0.contains("/callback") && last.1.contains("App created") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    webdriver(&http, reqwest::Method::DELETE, session_url, None).await;
    assert!(
        last.0.contains("/callback?code="),
        "the browser did not come back to the callback: {last:?}"
    );
    assert!(last.1.contains("App created"), "{last:?}");
    let app = flow.finish(Duration::from_secs(5)).await.unwrap();
    assert_eq!(app.app_id(), new_app::CLIENT_ID);
    github.assert_clean();
    let (path, _, _) = github.with(|i| i.manifests[0].clone());
    assert_eq!(path, "/organizations/acme/settings/apps/new");
}
