//! `app create`'s library part, the manifest flow, against loopback stand-ins of GitHub's "new
//! app" page and of the code's conversion: the manifest posted, the state checked, the code
//! exchanged once, the files written with their modes, no secret in any Debug or error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use gh_revoke::ApiBase;
use gh_revoke_serve::app::manifest::{ManifestError, ManifestFlow, ManifestRequest};
use secrecy::ExposeSecret;
use support::new_app::{self, NewApp};

const WEBHOOK: &str = "https://hooks.example.com/github/webhook";

fn request(github: &NewApp, org: Option<&str>) -> ManifestRequest {
    ManifestRequest {
        github_url: github.url(),
        org: org.map(str::to_owned),
        webhook_url: WEBHOOK.to_owned(),
        name: "gh-revoke-acme".to_owned(),
        api_base: ApiBase::parse(&github.url()).unwrap(),
        timeout: Duration::from_secs(10),
    }
}

#[tokio::test]
async fn the_page_posts_the_manifest_and_the_code_is_exchanged_once() {
    let github = NewApp::start(WEBHOOK).await;
    let flow = ManifestFlow::start(request(&github, Some("acme")))
        .await
        .unwrap();
    assert!(flow.page_url().starts_with("http://127.0.0.1:"));
    let (status, page) = new_app::submit_like_a_browser(&flow.page_url()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("App created"), "{page}");
    let app = flow.finish(Duration::from_secs(5)).await.unwrap();
    github.assert_clean();
    let (path, manifest, state) = github.with(|i| i.manifests[0].clone());
    assert_eq!(path, "/organizations/acme/settings/apps/new");
    assert_eq!(manifest["name"], "gh-revoke-acme");
    assert_eq!(state.unwrap().len(), 32);
    assert_eq!(github.with(|i| i.conversions.clone()), [new_app::CODE]);

    assert_eq!(app.app_id(), new_app::CLIENT_ID);
    assert_eq!(app.id, Some(98765));
    assert!(
        app.installation_url()
            .unwrap()
            .ends_with("/apps/gh-revoke-standin/installations/new")
    );
    assert_eq!(app.webhook_secret.expose_secret(), new_app::WEBHOOK_SECRET);
    assert_eq!(app.pem.expose_secret(), new_app::APP_PEM);
    let debug = format!("{app:?}");
    for secret in NewApp::secrets() {
        assert!(!debug.contains(&secret), "{debug}");
    }

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("gh-revoke-app");
    let written = app.write_to(&target).unwrap();
    assert_eq!(
        std::fs::read_to_string(&written.app_id).unwrap(),
        format!("{}\n", new_app::CLIENT_ID)
    );
    assert_eq!(
        std::fs::read_to_string(&written.private_key).unwrap(),
        new_app::APP_PEM
    );
    assert_eq!(
        std::fs::read_to_string(&written.webhook_secret).unwrap(),
        new_app::WEBHOOK_SECRET
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&written.private_key), 0o600);
        assert_eq!(mode(&written.webhook_secret), 0o600);
        assert_eq!(mode(&target), 0o700);
    }
    // The written key is one the app can sign with.
    gh_revoke_serve::app::AppKey::from_pem_file(&written.private_key).unwrap();
    // Never overwritten: a second write refuses and leaves the files as they were.
    std::fs::write(&written.webhook_secret, "kept").unwrap();
    let err = app.write_to(&target).unwrap_err();
    assert!(matches!(err, ManifestError::Write { .. }), "{err}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&written.webhook_secret).unwrap(),
        "kept"
    );
}

#[tokio::test]
async fn without_org_the_form_goes_to_the_personal_page() {
    let github = NewApp::start(WEBHOOK).await;
    let flow = ManifestFlow::start(request(&github, None)).await.unwrap();
    assert!(
        flow.new_app_url()
            .starts_with(&format!("{}/settings/apps/new?state=", github.url()))
    );
    let (status, _) = new_app::submit_like_a_browser(&flow.page_url()).await;
    assert_eq!(status, 200);
    flow.finish(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        github.with(|i| i.manifests[0].0.clone()),
        "/settings/apps/new"
    );
    github.assert_clean();
}

#[tokio::test]
async fn a_wrong_or_missing_state_is_refused_and_nothing_is_exchanged() {
    let github = NewApp::start(WEBHOOK).await;
    github.with(|i| i.state_override = Some("forged-state-0123456789abcdef".into()));
    let flow = ManifestFlow::start(request(&github, None)).await.unwrap();
    let (status, page) = new_app::submit_like_a_browser(&flow.page_url()).await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("state does not match"), "{page}");
    let http = gh_revoke_api::transport::client_builder().build().unwrap();
    let base = flow.page_url();
    let missing = http
        .get(format!("{base}callback?code={}", new_app::CODE))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    let empty = http
        .get(format!("{base}callback?code={}&state=", new_app::CODE))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400);
    let err = flow.finish(Duration::from_millis(300)).await.unwrap_err();
    assert!(matches!(err, ManifestError::TimedOut(_)), "{err}");
    assert!(
        github.with(|i| i.conversions.is_empty()),
        "a refused callback exchanged the code"
    );
}

#[tokio::test]
async fn bad_inputs_are_named() {
    let github = NewApp::start(WEBHOOK).await;
    let mut bad = request(&github, Some("acme/evil"));
    let err = ManifestFlow::start(bad.clone()).await.unwrap_err();
    assert!(err.to_string().contains("--org"), "{err}");
    bad.org = None;
    bad.webhook_url = "not a url".into();
    let err = ManifestFlow::start(bad).await.unwrap_err();
    assert!(err.to_string().contains("--webhook-url"), "{err}");
}

#[tokio::test]
async fn the_page_answers_only_as_127_0_0_1() {
    let github = NewApp::start(WEBHOOK).await;
    let flow = ManifestFlow::start(request(&github, None)).await.unwrap();
    let http = gh_revoke_api::transport::client_builder().build().unwrap();
    // Another name that resolves here (DNS rebinding) gets neither the page nor the callback.
    for path in ["", "callback?code=x&state=y"] {
        let answer = http
            .get(format!("{}{path}", flow.page_url()))
            .header("host", "rebound.example:80")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 421, "{path}");
        let page = answer.text().await.unwrap();
        assert!(!page.contains("state="), "{page}");
    }
    let page = http.get(flow.page_url()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("state="));
}
