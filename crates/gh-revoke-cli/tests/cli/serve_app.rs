//! `gh-revoke serve` as a GitHub App, the real binary end to end: the app stand-in (shared with
//! gh-revoke-serve's tests: it verifies every JWT with the app's public key, issues and counts
//! installation tokens, pages its listings) and the alerts stand-in behind one loopback API
//! base, every request checked against the fragment.

// The app stand-in, shared with gh-revoke-serve's tests; what it is built on
// (`github_app`'s `super::stand_in`) is the one `app_create` loads.
#[allow(dead_code)]
#[path = "../../../gh-revoke-serve/tests/support/github_app.rs"]
mod github_app;
use crate::app_create::stand_in;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use github_app::{GitHubApp, PRIVATE_KEY, installation};
use serde_json::{Value, json};

use super::serve::{
    CALLER, SECRET, Serve, assert_no_secret, eventually, payload, serve_command_at, token,
};

const APP_ID: &str = "Iv23liStandInApp01";

/// One API base in front of both stand-ins: the app's endpoints (`/app/...`,
/// `/installation/repositories`) go to the app stand-in, everything else to the alerts
/// stand-in; its `Link` headers are rewritten to this base.
struct Api {
    /// Runs the app stand-in and the proxy; they end when it is dropped with the test.
    _runtime: tokio::runtime::Runtime,
    app: GitHubApp,
    alerts: AlertsServer,
    url: String,
}

impl Api {
    fn start(alerts: Vec<StandInAlert>, setup: impl FnOnce(&mut github_app::Inner)) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let app = runtime.block_on(GitHubApp::start(json!(APP_ID)));
        app.with(setup);
        let alerts = AlertsServer::start(alerts);
        let (app_url, alerts_url) = (app.url(), alerts.url());
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let base = url.clone();
        // The project's transport: rustls, no redirects.
        let http = gh_revoke_api::transport::client_builder().build().unwrap();
        let router = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (app_url, alerts_url, base, http) = (
                    app_url.clone(),
                    alerts_url.clone(),
                    base.clone(),
                    http.clone(),
                );
                async move {
                    let to_app = uri.path().starts_with("/app/")
                        || uri.path() == "/installation/repositories";
                    let target = if to_app { &app_url } else { &alerts_url };
                    forward(&http, target, &base, method, &uri, headers, body).await
                }
            },
        );
        runtime.spawn(async move { axum::serve(listener, router).await });
        Self {
            _runtime: runtime,
            app,
            alerts,
            url,
        }
    }

    /// The tokens the app stand-in issued for `installation`, in order.
    fn issued(&self, installation: u64) -> Vec<String> {
        self.app.with(|i| {
            i.issued
                .iter()
                .filter(|(_, n)| *n == installation)
                .map(|(t, _)| t.clone())
                .collect()
        })
    }
}

async fn forward(
    http: &reqwest::Client,
    target: &str,
    base: &str,
    method: Method,
    uri: &Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut request = http.request(method, format!("{target}{path}")).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    let Ok(answer) = request.send().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let status = answer.status();
    let mut out = HeaderMap::new();
    for (name, value) in answer.headers() {
        if name == "content-length" || name == "transfer-encoding" || name == "connection" {
            continue;
        }
        let value = value.to_str().unwrap_or_default().replace(target, base);
        out.append(name.clone(), value.parse().unwrap());
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    (status, out, bytes).into_response()
}

/// A delivery as a GitHub App receives it: the payload with `installation.id`.
fn app_payload(repository: &str, number: i64, installation: Option<u64>) -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(&payload(
        "created",
        repository,
        number,
        "http://127.0.0.1:9",
    ))
    .unwrap();
    if let Some(id) = installation {
        body["installation"] =
            json!({"id": id, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ=="});
    }
    serde_json::to_vec(&body).unwrap()
}

fn key_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("private-key.pem");
    std::fs::write(&path, PRIVATE_KEY).unwrap();
    path
}

/// `gh-revoke serve` as the app, with `GH_TOKEN` set (it must not be used), its state in
/// `dir/state/`.
fn app_command(api: &Api, dir: &Path, args: &[&str]) -> Command {
    app_command_with(api, dir, &key_file(dir), args)
}

fn app_command_with(api: &Api, dir: &Path, key: &Path, args: &[&str]) -> Command {
    let mut cmd = serve_command_at(&api.url, &state_dir(dir).join("state.db"), &[]);
    cmd.args(["--app-id", APP_ID, "--app-private-key"])
        .arg(key)
        .args(args);
    cmd
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The key's body lines (what a leak of the key would show).
fn key_lines() -> Vec<&'static str> {
    PRIVATE_KEY
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 20)
        .collect()
}

/// No key, JWT, installation token, leaked token, webhook secret or caller token in the log
/// or the state.
fn assert_nothing_leaked(api: &Api, dir: &Path, log: &str, leaked: &[String]) {
    let mut secrets: Vec<String> = api.app.secrets();
    assert!(!secrets.is_empty());
    secrets.extend(leaked.iter().cloned());
    secrets.extend(key_lines().iter().map(|l| (*l).to_owned()));
    let mut refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    refs.extend([SECRET, CALLER]);
    // The state files only: the key file itself is in `dir` too.
    let state = dir.join("state");
    assert_no_secret(&state, log, &refs);
}

fn state_dir(dir: &Path) -> std::path::PathBuf {
    let state = dir.join("state");
    std::fs::create_dir_all(&state).unwrap();
    state
}

#[test]
fn serve_app_mode_reads_and_resolves_with_one_installation_token_and_revokes_anonymously() {
    let leaked = [token(101), token(102)];
    let api = Api::start(
        vec![
            StandInAlert::open("octo-org/app", 1, &leaked[0]),
            StandInAlert::open("octo-org/app", 2, &leaked[1]),
        ],
        |_| {},
    );
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::spawn(app_command(&api, dir.path(), &["-vvv"]));

    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-1",
            &app_payload("octo-org/app", 1, Some(42))
        ),
        202
    );
    eventually(Duration::from_secs(10), "alert 1 resolved", || {
        api.alerts.resolved().contains("octo-org/app#1")
    });
    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-2",
            &app_payload("octo-org/app", 2, Some(42))
        ),
        202
    );
    eventually(Duration::from_secs(10), "alert 2 resolved", || {
        api.alerts.resolved().contains("octo-org/app#2")
    });

    // One token for installation 42 served both deliveries (and both stages).
    assert_eq!(api.app.created(42), 1);
    let issued = api.issued(42);
    assert_eq!(issued.len(), 1);
    let mut revokes = 0;
    for seen in api.alerts.requests() {
        let auth = seen.header("authorization");
        if seen.path == "/credentials/revoke" {
            assert_eq!(auth, None, "revocation is anonymous");
            revokes += 1;
        } else {
            assert_eq!(
                auth,
                Some(bearer(&issued[0]).as_str()),
                "{} {} with the installation's token",
                seen.method,
                seen.path
            );
        }
    }
    assert!(revokes >= 1);
    let mut got = api.alerts.revoked();
    got.sort();
    let mut want = leaked.to_vec();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(api.alerts.patches().values().sum::<usize>(), 2);
    assert!(
        api.alerts.violations().is_empty(),
        "{:?}",
        api.alerts.violations()
    );
    api.app.assert_clean();

    let log = serve.log();
    assert_eq!(
        log.matches("GH_TOKEN and GITHUB_TOKEN are not used")
            .count(),
        1,
        "{log}"
    );
    assert!(log.contains("TRACE"), "{log}");
    assert_nothing_leaked(&api, dir.path(), &log, &leaked);
}

#[test]
fn serve_app_mode_answers_a_delivery_without_installation_id_400_and_stores_nothing() {
    let api = Api::start(
        vec![StandInAlert::open("octo-org/app", 1, &token(111))],
        |_| {},
    );
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::spawn(app_command(&api, dir.path(), &[]));
    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-none",
            &app_payload("octo-org/app", 1, None)
        ),
        400
    );
    // Nothing stored: the same delivery id with installation.id is new, not a duplicate.
    let (_, metrics) = serve.get("/metrics");
    assert!(
        metrics.contains("gh_revoke_deliveries_total{outcome=\"bad_request\"} 1"),
        "{metrics}"
    );
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        api.alerts.requests().is_empty(),
        "{:?}",
        api.alerts.requests()
    );
    assert_eq!(api.app.created(42), 0);
    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-none",
            &app_payload("octo-org/app", 1, Some(42))
        ),
        202
    );
    let (_, metrics) = serve.get("/metrics");
    assert!(
        metrics.contains("gh_revoke_deliveries_total{outcome=\"accepted\"} 1"),
        "{metrics}"
    );
    eventually(Duration::from_secs(10), "alert 1 resolved", || {
        api.alerts.resolved().contains("octo-org/app#1")
    });
    // GH_TOKEN is set: at the default verbosity the log says, once, that it is not used.
    let log = serve.log();
    assert_eq!(
        log.matches("GH_TOKEN and GITHUB_TOKEN are not used")
            .count(),
        1,
        "{log}"
    );
    assert!(!log.contains(CALLER), "{log}");
}

#[test]
fn serve_app_mode_renews_a_token_expiring_early() {
    // Tokens that live 4 minutes are always within the 5-minute renewal margin.
    let api = Api::start(
        vec![StandInAlert::open("octo-org/app", 1, &token(121))],
        |i| {
            i.token_lifetime = Duration::from_secs(4 * 60);
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::spawn(app_command(&api, dir.path(), &[]));
    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-1",
            &app_payload("octo-org/app", 1, Some(7))
        ),
        202
    );
    eventually(Duration::from_secs(10), "alert 1 resolved", || {
        api.alerts.resolved().contains("octo-org/app#1")
    });
    // Revoking and resolving each asked for a token: the first was already too close to its
    // expiry to be reused.
    assert!(api.app.created(7) >= 2, "created {}", api.app.created(7));
    let issued = api.issued(7);
    let patch = &api
        .alerts
        .calls("PATCH", "/repos/octo-org/app/secret-scanning/alerts/1")[0];
    assert_eq!(
        patch.header("authorization"),
        Some(bearer(issued.last().unwrap()).as_str()),
        "resolved with the renewed token"
    );
    api.app.assert_clean();
}

#[test]
fn serve_app_mode_renews_a_refused_token_once_and_retries_at_once() {
    let api = Api::start(
        vec![StandInAlert::open("octo-org/app", 1, &token(131))],
        |_| {},
    );
    // The first read of the alert is refused as an expired token would be.
    api.alerts.inject(
        Route::Get,
        Answer::new(401, r#"{"message":"Bad credentials"}"#),
    );
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::spawn(app_command(&api, dir.path(), &[]));
    let started = Instant::now();
    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-1",
            &app_payload("octo-org/app", 1, Some(9))
        ),
        202
    );
    eventually(Duration::from_secs(10), "alert 1 revoked", || {
        !api.alerts.revoked().is_empty()
    });
    // Retried at once with a renewed token, not after the 5 s backoff.
    assert!(started.elapsed() < Duration::from_secs(4));
    eventually(Duration::from_secs(10), "alert 1 resolved", || {
        api.alerts.resolved().contains("octo-org/app#1")
    });
    assert_eq!(api.app.created(9), 2, "renewed once");
    let issued = api.issued(9);
    let gets = api
        .alerts
        .calls("GET", "/repos/octo-org/app/secret-scanning/alerts/1");
    assert_eq!(
        gets[0].header("authorization"),
        Some(bearer(&issued[0]).as_str())
    );
    assert_eq!(
        gets[1].header("authorization"),
        Some(bearer(&issued[1]).as_str())
    );
    api.app.assert_clean();
}

#[test]
fn serve_app_mode_sweeps_every_installation_org_and_user_with_paging() {
    let alerts = vec![
        StandInAlert::open("octo-org/app", 1, &token(141)),
        StandInAlert::open("octo-org/lib", 1, &token(142)),
        StandInAlert::open("octocat/one", 1, &token(143)),
        StandInAlert::open("octocat/two", 1, &token(144)),
        StandInAlert::open("octocat/three", 1, &token(145)),
    ];
    let api = Api::start(alerts, |i| {
        i.page_size = 1;
        i.installations = vec![
            installation(11, "octo-org", "Organization"),
            installation(22, "octocat", "User"),
        ];
        i.repositories.insert(
            22,
            vec![
                "octocat/one".into(),
                "octocat/two".into(),
                "octocat/three".into(),
            ],
        );
    });
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::spawn(app_command(
        &api,
        dir.path(),
        &["--sweep", "installations", "--sweep-interval", "1h", "-vvv"],
    ));
    eventually(Duration::from_secs(20), "all five alerts resolved", || {
        api.alerts.resolved().len() == 5
    });
    assert_eq!(api.app.created(11), 1);
    assert_eq!(api.app.created(22), 1);
    let (org, user) = (api.issued(11), api.issued(22));
    // Both pages of the installations were read (one installation a page).
    let listed: Vec<_> = api
        .app
        .with(|i| i.authorizations.clone())
        .into_iter()
        .filter(|(path, _)| path == "/app/installations")
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    // The organization with its listing, with its own token.
    let org_lists = api
        .alerts
        .calls("GET", "/orgs/octo-org/secret-scanning/alerts");
    assert!(!org_lists.is_empty());
    for seen in &org_lists {
        assert_eq!(seen.header("authorization"), Some(bearer(&org[0]).as_str()));
    }
    // The user's three repositories (three pages of them), each with the user's token.
    for repo in ["one", "two", "three"] {
        let path = format!("/repos/octocat/{repo}/secret-scanning/alerts");
        let lists = api.alerts.calls("GET", &path);
        assert_eq!(lists.len(), 1, "{path}");
        assert_eq!(
            lists[0].header("authorization"),
            Some(bearer(&user[0]).as_str())
        );
        let patch = &api.alerts.calls("PATCH", &format!("{path}/1"))[0];
        assert_eq!(
            patch.header("authorization"),
            Some(bearer(&user[0]).as_str())
        );
    }
    let patch = &api
        .alerts
        .calls("PATCH", "/repos/octo-org/lib/secret-scanning/alerts/1")[0];
    assert_eq!(
        patch.header("authorization"),
        Some(bearer(&org[0]).as_str())
    );
    assert!(
        api.alerts.violations().is_empty(),
        "{:?}",
        api.alerts.violations()
    );
    api.app.assert_clean();
    let leaked: Vec<String> = (141..=145).map(token).collect();
    assert_nothing_leaked(&api, dir.path(), &serve.log(), &leaked);
}

/// Run `serve` to its exit (a configuration error): the code and stderr.
fn refused(cmd: &mut Command) -> (Option<i32>, String) {
    let out = cmd.stderr(Stdio::piped()).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn serve_app_mode_refuses_a_bad_key_or_half_a_configuration_with_exit_2() {
    let api = Api::start(vec![], |_| {});
    let dir = tempfile::tempdir().unwrap();
    let marker = "MIIEowIBAAKCAQEAsecretKEYmaterialNEVERprinted";

    // A key that is no key: exit 2 naming the file, never its content, at -vvv.
    let bad = dir.path().join("bad.pem");
    std::fs::write(
        &bad,
        format!("-----BEGIN RSA PRIVATE KEY-----\n{marker}\n-----END RSA PRIVATE KEY-----\n"),
    )
    .unwrap();
    let (code, stderr) = refused(&mut app_command_with(&api, dir.path(), &bad, &["-vvv"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("bad.pem"), "{stderr}");
    assert!(
        !stderr.contains(marker) && !stderr.contains("MIIE"),
        "{stderr}"
    );

    // An unreadable key.
    let missing = dir.path().join("missing.pem");
    let (code, stderr) = refused(&mut app_command_with(&api, dir.path(), &missing, &[]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("missing.pem"), "{stderr}");

    // Only one of the two (by flag, by variable).
    let plain = |extra: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gh-revoke"));
        for var in [
            "GH_REVOKE_APP_ID",
            "GH_REVOKE_APP_PRIVATE_KEY_FILE",
            "RUST_LOG",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("GH_TOKEN", CALLER)
            .env("GH_REVOKE_WEBHOOK_SECRET", SECRET)
            .args(["serve", "--listen", "127.0.0.1:0", "--api-url", &api.url])
            .arg("--state")
            .arg(dir.path().join("plain.db"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        cmd
    };
    let (code, stderr) = refused(&mut plain(&["--app-id", APP_ID]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--app-private-key"), "{stderr}");
    let key = key_file(dir.path());
    let mut cmd = plain(&[]);
    cmd.env("GH_REVOKE_APP_PRIVATE_KEY_FILE", &key);
    let (code, stderr) = refused(&mut cmd);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--app-id"), "{stderr}");
    // --sweep installations only as the app; a target sweep not as the app.
    let (code, stderr) = refused(&mut plain(&["--sweep", "installations"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("only as a GitHub App"), "{stderr}");
    let mut cmd = app_command(&api, dir.path(), &["--sweep", "org:octo-org"]);
    let (code, stderr) = refused(&mut cmd);
    assert_eq!(code, Some(2), "{stderr}");
    for line in key_lines() {
        assert!(!stderr.contains(line), "{stderr}");
    }
    // Nothing reached GitHub.
    assert!(api.alerts.requests().is_empty());
    assert!(api.app.with(|i| i.authorizations.is_empty()));
}

#[test]
fn serve_app_mode_reads_each_alert_with_its_own_installations_token() {
    let api = Api::start(
        vec![
            StandInAlert::open("octo-org/app", 1, &token(151)),
            StandInAlert::open("octocat/dotfiles", 1, &token(152)),
        ],
        |_| {},
    );
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::spawn(app_command(&api, dir.path(), &[]));
    // Back to back: both wait in the same cycle.
    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-a",
            &app_payload("octo-org/app", 1, Some(51))
        ),
        202
    );
    assert_eq!(
        serve.deliver(
            "secret_scanning_alert",
            "d-b",
            &app_payload("octocat/dotfiles", 1, Some(52))
        ),
        202
    );
    eventually(Duration::from_secs(10), "both alerts resolved", || {
        api.alerts.resolved().len() == 2
    });
    assert_eq!((api.app.created(51), api.app.created(52)), (1, 1));
    for (repo, installation) in [("octo-org/app", 51), ("octocat/dotfiles", 52)] {
        let issued = api.issued(installation);
        let path = format!("/repos/{repo}/secret-scanning/alerts/1");
        let calls: Vec<_> = api
            .alerts
            .calls("GET", &path)
            .into_iter()
            .chain(api.alerts.calls("PATCH", &path))
            .collect();
        assert_eq!(calls.len(), 3, "{path}: fetched twice, patched once");
        for seen in calls {
            assert_eq!(
                seen.header("authorization"),
                Some(bearer(&issued[0]).as_str()),
                "{} {path}",
                seen.method
            );
        }
    }
    api.app.assert_clean();
}
