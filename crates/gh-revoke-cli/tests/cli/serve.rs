//! `gh-revoke serve` end to end: the real binary over loopback, signed deliveries in the
//! shape of GitHub's published `secret_scanning_alert` payloads, and the alerts stand-in as
//! GitHub (every request it receives is validated against the fragment).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gh_revoke::Kind;
use gh_revoke::fixtures::classic;
use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;

pub(super) const CALLER: &str = "ghp_CallerTokenNotALeakCallerToken0000000";
pub(super) const SECRET: &str = "webhook-s3cret-NeverLogged-7f3a9c";

/// A never-issued classic token, different for each seed.
pub(super) fn token(seed: u64) -> String {
    classic(Kind::ClassicPat, 9_000 + seed)
}

pub(super) fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A `secret_scanning_alert` payload in the shape of GitHub's published example (the
/// OpenAPI description's `webhook-secret-scanning-alert-created`): no secret, no state, URLs
/// that the receiver must never follow (`elsewhere`).
pub(super) fn payload(action: &str, repository: &str, number: i64, elsewhere: &str) -> Vec<u8> {
    let (owner, name) = repository.split_once('/').unwrap();
    json!({
        "action": action,
        "alert": {
            "number": number,
            "created_at": "2026-12-07T10:00:00Z",
            "updated_at": "2026-12-07T10:00:00Z",
            "url": format!("{elsewhere}/repos/{repository}/secret-scanning/alerts/{number}"),
            "html_url": format!("https://github.com/{repository}/security/secret-scanning/{number}"),
            "locations_url": format!("{elsewhere}/repos/{repository}/secret-scanning/alerts/{number}/locations"),
            "resolution": null,
            "resolved_at": null,
            "resolved_by": null,
            "secret_type": "github_personal_access_token",
            "secret_type_display_name": "GitHub Personal Access Token",
            "provider": "GitHub",
            "provider_slug": "github",
            "validity": "active",
            "push_protection_bypassed": false,
            "publicly_leaked": false,
            "multi_repo": false
        },
        "repository": {
            "id": 186853002, "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
            "name": name, "full_name": repository, "private": true,
            "owner": {"login": owner, "id": 21031067, "node_id": "MDQ6VXNlcjIxMDMxMDY3",
                      "type": "Organization", "url": format!("{elsewhere}/users/{owner}")},
            "html_url": format!("https://github.com/{repository}"),
            "url": format!("{elsewhere}/repos/{repository}")
        },
        "organization": {"login": owner, "id": 21031067, "url": format!("{elsewhere}/orgs/{owner}")},
        "sender": {"login": "github", "id": 9919, "type": "Organization"}
    })
    .to_string()
    .into_bytes()
}

/// A server that counts the connections it gets (none may come: payload URLs point here).
pub(super) fn elsewhere() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, hits)
}

/// A running `gh-revoke serve`.
pub(super) struct Serve {
    child: Child,
    pub(super) addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

fn serve_command(server: &AlertsServer, state: &Path, args: &[&str]) -> Command {
    serve_command_at(&server.url(), state, args)
}

/// `gh-revoke serve` on a free loopback port against `api_url`, with a cleared environment,
/// the caller's token, the webhook secret, the state at `state`, then `args`; stderr piped.
pub(super) fn serve_command_at(api_url: &str, state: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gh-revoke"));
    for var in [
        "GH_TOKEN",
        "GITHUB_TOKEN",
        "GH_HOST",
        "GITHUB_API_URL",
        "RUST_LOG",
        "GH_REVOKE_APP_ID",
        "GH_REVOKE_APP_PRIVATE_KEY_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
        .env("GH_TOKEN", CALLER)
        .env("GH_REVOKE_WEBHOOK_SECRET", SECRET)
        .arg("serve")
        .args(["--listen", "127.0.0.1:0", "--api-url", api_url])
        .arg("--state")
        .arg(state)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

impl Serve {
    fn start(server: &AlertsServer, state: &Path, args: &[&str]) -> Self {
        Self::spawn(serve_command(server, state, args))
    }

    /// Start `cmd` (a `gh-revoke serve` with piped stderr) and wait for its `listening on`.
    pub(super) fn spawn(mut cmd: Command) -> Self {
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("listening on http://")
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(addr.parse::<SocketAddr>().unwrap());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no listening line; log: {}", log.lock().unwrap()));
        Self { child, addr, log }
    }

    pub(super) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// POST `body` to `/webhook` with these headers; the status code.
    pub(super) fn post(&self, headers: &[(&str, &str)], body: &[u8]) -> u16 {
        request(self.addr, "POST", "/webhook", headers, body)
    }

    /// A signed delivery.
    pub(super) fn deliver(&self, event: &str, delivery: &str, body: &[u8]) -> u16 {
        let signature = sign(SECRET, body);
        self.post(
            &[
                ("x-github-event", event),
                ("x-github-delivery", delivery),
                ("x-hub-signature-256", &signature),
                ("content-type", "application/json"),
                ("user-agent", "GitHub-Hookshot/044aadd"),
            ],
            body,
        )
    }

    pub(super) fn get(&self, path: &str) -> (u16, String) {
        request_text(self.addr, "GET", path, &[], b"")
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Wait for the process to exit; its code (None: killed by a signal).
    fn wait(&mut self, within: Duration) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(start.elapsed() < within, "still running after {within:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> u16 {
    request_text(addr, method, path, headers, body).0
}

fn request_text(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // A body over the limit may be refused before it is all sent.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    let text = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, text)
}

/// Wait until `done` holds (polling), or fail with `what`.
pub(super) fn eventually(within: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < within, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Every file of the state (database, write-ahead log) as bytes.
fn state_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

pub(super) fn assert_no_secret(dir: &Path, log: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!log.contains(secret), "a secret is in the log:\n{log}");
        for (path, bytes) in state_bytes(dir) {
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!found, "a secret is in {}", path.display());
        }
    }
}

fn open_alerts(n: i64) -> Vec<StandInAlert> {
    (1..=n)
        .map(|i| StandInAlert::open("octo-org/app", i, &token(i as u64)))
        .collect()
}

#[test]
fn serve_signature_vector_rejections_and_http_surface() {
    let server = AlertsServer::start(open_alerts(1));
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&server, &dir.path().join("state.db"), &["-vvv"]);

    // GitHub's published test vector: the receiver checks exactly this HMAC (a wrong secret
    // configured would refuse it).
    let vector = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assert_eq!(sign("It's a Secret to Everybody", b"Hello, World!"), vector);
    assert_eq!(
        serve.post(
            &[
                ("x-github-event", "ping"),
                ("x-github-delivery", "v"),
                ("x-hub-signature-256", vector)
            ],
            b"Hello, World!",
        ),
        401,
        "the vector is signed with another secret than the receiver's"
    );

    let body = payload("created", "octo-org/app", 1, "http://127.0.0.1:9");
    let good = sign(SECRET, &body);
    let wrong = sign("another secret", &body);
    let sha1_only = format!("sha1={}", &good[7..47]);
    let cases: [(&str, Vec<(&str, &str)>); 5] = [
        ("missing", vec![]),
        ("malformed", vec![("x-hub-signature-256", "sha256=nothex")]),
        ("wrong", vec![("x-hub-signature-256", &wrong)]),
        ("sha1 only", vec![("x-hub-signature", &sha1_only)]),
        ("no prefix", vec![("x-hub-signature-256", &good[7..])]),
    ];
    for (what, extra) in cases {
        let mut headers = vec![
            ("x-github-event", "secret_scanning_alert"),
            ("x-github-delivery", "d-bad"),
        ];
        headers.extend(extra);
        assert_eq!(serve.post(&headers, &body), 401, "{what}");
    }
    // Signed but unreadable, or without the alert's coordinates: 400, nothing stored.
    for bad in [
        b"{not json".to_vec(),
        br#"{"action":"created","repository":{"full_name":"octo-org/app"}}"#.to_vec(),
        br#"{"action":"created","alert":{"number":1}}"#.to_vec(),
    ] {
        assert_eq!(serve.deliver("secret_scanning_alert", "d-400", &bad), 400);
    }
    // Over 25 MiB: 413.
    let big = vec![b' '; 25 * 1024 * 1024 + 1];
    assert_eq!(
        serve.post(
            &[
                ("x-github-event", "secret_scanning_alert"),
                ("x-github-delivery", "d-big"),
                ("x-hub-signature-256", &sign(SECRET, &big))
            ],
            &big
        ),
        413
    );
    // ping 200; other events and actions 204.
    assert_eq!(
        serve.deliver(
            "ping",
            "d-ping",
            br#"{"zen":"Keep it logically awesome.","hook_id":1}"#
        ),
        200
    );
    assert_eq!(serve.deliver("push", "d-push", b"{}"), 204);
    let resolved = payload("resolved", "octo-org/app", 1, "http://127.0.0.1:9");
    assert_eq!(
        serve.deliver("secret_scanning_alert", "d-res", &resolved),
        204
    );
    // Nothing was queued by any of these: GitHub saw no request.
    std::thread::sleep(Duration::from_millis(600));
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    assert_eq!(serve.get("/healthz").0, 200);
    assert_eq!(serve.get("/nowhere").0, 404);
    assert_eq!(request(serve.addr, "GET", "/webhook", &[], b""), 405);
    let (status, metrics) = serve.get("/metrics");
    assert_eq!(status, 200);
    for needle in [
        "gh_revoke_deliveries_total{outcome=\"bad_signature\"} 6",
        "gh_revoke_deliveries_total{outcome=\"bad_request\"} 3",
        "gh_revoke_deliveries_total{outcome=\"ignored\"} 2",
    ] {
        assert!(metrics.contains(needle), "{needle} not in\n{metrics}");
    }
    assert_no_secret(dir.path(), &serve.log(), &[SECRET, CALLER]);
}

#[test]
fn serve_revokes_and_resolves_a_delivered_alert_once_and_never_follows_payload_urls() {
    let server = AlertsServer::start(open_alerts(2));
    let (elsewhere, hits) = elsewhere();
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&server, &dir.path().join("state.db"), &["-vvv"]);
    let body = payload("created", "octo-org/app", 1, &elsewhere);
    let started = Instant::now();
    assert_eq!(serve.deliver("secret_scanning_alert", "d-1", &body), 202);
    // A redelivery (same X-GitHub-Delivery): 202, handled once.
    assert_eq!(serve.deliver("secret_scanning_alert", "d-1", &body), 202);
    eventually(Duration::from_secs(10), "alert 1 resolved", || {
        server.resolved().contains("octo-org/app#1")
    });
    let revoked_at = server.calls("POST", "/credentials/revoke")[0].at;
    assert!(
        revoked_at.duration_since(started) < Duration::from_secs(2),
        "a lone alert within 2 s"
    );
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.revoked(), vec![token(1)]);
    assert_eq!(server.patches().get("octo-org/app#1"), Some(&1));
    // Fetched twice: to revoke, then to resolve (its secret is never kept).
    assert_eq!(
        server
            .calls("GET", "/repos/octo-org/app/secret-scanning/alerts/1")
            .len(),
        2
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a payload URL was followed");
    // The caller's token went to GitHub's secret-scanning calls only.
    for seen in server.requests() {
        let auth = seen.header("authorization");
        if seen.path == "/credentials/revoke" {
            assert_eq!(auth, None, "revocation is anonymous");
        } else {
            assert_eq!(auth, Some(format!("Bearer {CALLER}").as_str()));
        }
    }
    assert!(server.violations().is_empty(), "{:?}", server.violations());
    let (_, metrics) = serve.get("/metrics");
    for needle in [
        "gh_revoke_deliveries_total{outcome=\"accepted\"} 1",
        "gh_revoke_deliveries_total{outcome=\"duplicate\"} 1",
        "gh_revoke_alerts_total{outcome=\"resolved\"} 1",
        "gh_revoke_revoke_requests_total 1",
        "gh_revoke_queue_depth 0",
        "gh_revoke_delivery_to_revoke_seconds_bucket",
    ] {
        assert!(metrics.contains(needle), "{needle} not in\n{metrics}");
    }
    let log = serve.log();
    assert!(
        log.contains("delivery accepted") && log.contains("TRACE"),
        "{log}"
    );
    assert_no_secret(dir.path(), &log, &[SECRET, CALLER, &token(1), &token(2)]);
}

#[test]
fn serve_refuses_bad_configuration_with_exit_2() {
    let server = AlertsServer::start(vec![]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let exit = |cmd: &mut Command| {
        let out = cmd.stderr(Stdio::piped()).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) =
        exit(serve_command(&server, &state, &[]).env_remove("GH_REVOKE_WEBHOOK_SECRET"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("GH_REVOKE_WEBHOOK_SECRET"), "{err}");
    let (code, err) = exit(serve_command(&server, &state, &[]).env("GH_REVOKE_WEBHOOK_SECRET", ""));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("empty"), "{err}");
    let empty = dir.path().join("secret");
    std::fs::write(&empty, "\n").unwrap();
    let (code, err) = exit(&mut serve_command(
        &server,
        &state,
        &["--webhook-secret-file", empty.to_str().unwrap()],
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("empty"), "{err}");
    let (code, err) = exit(serve_command(&server, &state, &[]).env_remove("GH_TOKEN"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("GH_TOKEN"), "{err}");
    let (code, err) = exit(&mut serve_command(&server, &state, &["--sweep", "team:x"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--sweep"), "{err}");

    // The state in use by a running receiver; then its address in use.
    let serve = Serve::start(&server, &state, &[]);
    let (code, err) = exit(&mut serve_command(&server, &state, &[]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("in use"), "{err}");
    let listen = serve.addr.to_string();
    let mut cmd = serve_command(&server, &dir.path().join("other.db"), &[]);
    // A later --listen wins over the one serve_command gives.
    cmd.args(["--listen", &listen]);
    let (code, err) = exit(&mut cmd);
    assert!(
        code == Some(2) && err.contains("--listen"),
        "{code:?} {err}"
    );
    assert!(!err.contains(SECRET) && !err.contains(CALLER));
}

/// Deliver `numbers` of `octo-org/app` (delivery ids `PREFIX-N`), each answered 202.
fn deliver_all(serve: &Serve, prefix: &str, numbers: impl IntoIterator<Item = i64>) {
    for n in numbers {
        let body = payload("created", "octo-org/app", n, "http://127.0.0.1:9");
        assert_eq!(
            serve.deliver("secret_scanning_alert", &format!("{prefix}-{n}"), &body),
            202
        );
    }
}

#[test]
fn serve_carries_every_accepted_delivery_through_a_sigkill_and_never_patches_twice() {
    let server = AlertsServer::start(open_alerts(4));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let mut serve = Serve::start(&server, &state, &["-vvv"]);
    deliver_all(&serve, "d", [1]);
    eventually(Duration::from_secs(10), "alert 1 resolved", || {
        server.resolved().contains("octo-org/app#1")
    });
    // The next revocation fails (5xx) and is retried after a backoff: kill the receiver while
    // alerts 2 to 4 are queued and their revocation is in flight.
    for _ in 0..3 {
        server.inject(
            Route::Revoke,
            Answer::new(502, r#"{"message":"Bad gateway"}"#),
        );
    }
    deliver_all(&serve, "d", [2, 3, 4]);
    eventually(Duration::from_secs(10), "a revocation attempted", || {
        server.calls("POST", "/credentials/revoke").len() >= 2
    });
    serve.signal("KILL");
    assert_eq!(
        serve.wait(Duration::from_secs(5)),
        None,
        "killed by the signal"
    );
    let first_log = serve.log();
    assert!(server.resolved().len() == 1, "{:?}", server.resolved());

    // Restart on the same state: every accepted delivery is carried to its end.
    let serve = Serve::start(&server, &state, &["-vvv"]);
    // A redelivery of one handled before the crash is still handled once.
    deliver_all(&serve, "d", [1]);
    eventually(Duration::from_secs(30), "alerts 2 to 4 resolved", || {
        server.resolved().len() == 4
    });
    std::thread::sleep(Duration::from_millis(500));
    let patches = server.patches();
    for n in 1..=4 {
        assert_eq!(
            patches.get(&format!("octo-org/app#{n}")),
            Some(&1),
            "{patches:?}"
        );
    }
    for n in 2..=4 {
        assert!(server.revoked().contains(&token(n)), "token {n} revoked");
    }
    // Alert 1 was fetched only to revoke and to resolve it before the crash: the redelivery
    // after the restart was recognised.
    assert_eq!(
        server
            .calls("GET", "/repos/octo-org/app/secret-scanning/alerts/1")
            .len(),
        2
    );
    assert!(server.violations().is_empty(), "{:?}", server.violations());
    let log = format!("{first_log}{}", serve.log());
    let tokens: Vec<String> = (1..=4).map(token).collect();
    let mut secrets = vec![SECRET, CALLER];
    secrets.extend(tokens.iter().map(String::as_str));
    assert_no_secret(dir.path(), &log, &secrets);
}

#[test]
fn serve_waits_out_a_spent_rate_limit_while_deliveries_keep_arriving() {
    let server = AlertsServer::start(open_alerts(6));
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&server, &dir.path().join("state.db"), &["--no-resolve"]);
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 4;
    server.inject(
        Route::Revoke,
        Answer::new(202, "")
            .header("x-ratelimit-limit", "60")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    deliver_all(&serve, "d", [1]);
    eventually(Duration::from_secs(5), "the first revocation", || {
        server.calls("POST", "/credentials/revoke").len() == 1
    });
    // The window is spent: deliveries keep being accepted, fast, and wait for the reset.
    for n in 2..=6 {
        let body = payload("created", "octo-org/app", n, "http://127.0.0.1:9");
        let start = Instant::now();
        assert_eq!(
            serve.deliver("secret_scanning_alert", &format!("d-{n}"), &body),
            202
        );
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "answered within 1 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    eventually(Duration::from_secs(15), "the second revocation", || {
        server.calls("POST", "/credentials/revoke").len() == 2
    });
    let calls = server.calls("POST", "/credentials/revoke");
    let reset_at = std::time::UNIX_EPOCH + Duration::from_secs(reset);
    assert!(
        std::time::SystemTime::now() >= reset_at,
        "no request before the window's reset"
    );
    assert!(calls[1].at.duration_since(calls[0].at) >= Duration::from_secs(2));
    // The five waiting tokens went together, in one request.
    let sent: Vec<String> = calls[1].json()["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sent.len(), 5, "{sent:?}");
    assert!(server.violations().is_empty(), "{:?}", server.violations());
    let (_, metrics) = serve.get("/metrics");
    assert!(
        metrics.contains("gh_revoke_rate_limit_remaining 0"),
        "{metrics}"
    );
}

#[test]
fn serve_coalesces_a_burst_of_500_alerts_into_few_requests() {
    let alerts: Vec<StandInAlert> = (1..=500)
        .map(|i| StandInAlert::open(&format!("octo-org/r{}", i % 50), i, &token(i as u64)))
        .collect();
    let server = AlertsServer::start(alerts);
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&server, &dir.path().join("state.db"), &["--no-resolve"]);
    let addr = serve.addr;
    let threads: Vec<_> = (0..10)
        .map(|t| {
            std::thread::spawn(move || {
                for i in (1..=500).filter(|i| i % 10 == t) {
                    let repo = format!("octo-org/r{}", i % 50);
                    let body = payload("created", &repo, i, "http://127.0.0.1:9");
                    let signature = sign(SECRET, &body);
                    let status = request(
                        addr,
                        "POST",
                        "/webhook",
                        &[
                            ("x-github-event", "secret_scanning_alert"),
                            ("x-github-delivery", &format!("burst-{i}")),
                            ("x-hub-signature-256", &signature),
                        ],
                        &body,
                    );
                    assert_eq!(status, 202);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    eventually(Duration::from_secs(60), "500 tokens revoked", || {
        server.revoked().len() >= 500
    });
    let requests = server.calls("POST", "/credentials/revoke").len();
    assert!(requests <= 3, "{requests} requests for a burst of 500");
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}

#[test]
fn serve_sweeps_alerts_missed_while_it_was_down() {
    let server = AlertsServer::start(open_alerts(3));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    {
        let serve = Serve::start(&server, &state, &[]);
        deliver_all(&serve, "d", [1]);
        eventually(Duration::from_secs(10), "alert 1 resolved", || {
            server.resolved().contains("octo-org/app#1")
        });
    }
    // Alerts 2 and 3 were never delivered: the sweep finds them.
    let serve = Serve::start(
        &server,
        &state,
        &["--sweep", "repo:octo-org/app", "--sweep-interval", "1h"],
    );
    eventually(Duration::from_secs(15), "alerts 2 and 3 resolved", || {
        server.resolved().len() == 3
    });
    assert!(
        !server
            .calls("GET", "/repos/octo-org/app/secret-scanning/alerts")
            .is_empty()
    );
    assert_eq!(server.patches().values().sum::<usize>(), 3);
    assert_eq!(serve.get("/healthz").0, 200);
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}

#[test]
fn serve_stops_on_sigterm_within_10_s_even_with_work_in_flight() {
    let server = AlertsServer::start(open_alerts(2));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let mut serve = Serve::start(&server, &state, &[]);
    for _ in 0..10 {
        server.inject(
            Route::Revoke,
            Answer::new(502, r#"{"message":"Bad gateway"}"#),
        );
    }
    deliver_all(&serve, "d", [1, 2]);
    eventually(Duration::from_secs(10), "a revocation attempted", || {
        !server.calls("POST", "/credentials/revoke").is_empty()
    });
    // An idle connection must not hold the exit.
    let _idle = TcpStream::connect(serve.addr).unwrap();
    let start = Instant::now();
    serve.signal("TERM");
    assert_eq!(serve.wait(Duration::from_secs(10)), Some(0));
    assert!(start.elapsed() < Duration::from_secs(10));
    // Stopped while GitHub was still failing: some 502s were never asked for.
    assert!(
        server.heal(Route::Revoke) > 0,
        "stopped with the revocation still failing"
    );
    // The abandoned alerts stay queued: a restart, with GitHub healthy again, finishes them
    // (without the heal the restart would first wait out the remaining 502s' backoff, which on
    // a loaded machine can take longer than this test waits).
    let _serve = Serve::start(&server, &state, &[]);
    eventually(
        Duration::from_secs(30),
        "both resolved after the restart",
        || server.resolved().len() == 2,
    );
}

#[test]
fn serve_answers_a_delivery_while_many_connections_idle_and_closes_them() {
    let server = AlertsServer::start(open_alerts(1));
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&server, &dir.path().join("state.db"), &[]);
    let mut idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(serve.addr).unwrap())
        .collect();
    // One more that sends half a request and stops.
    let mut half = TcpStream::connect(serve.addr).unwrap();
    half.write_all(b"POST /webhook HTTP/1.1\r\nhost: x\r\n")
        .unwrap();
    idle.push(half);
    let start = Instant::now();
    deliver_all(&serve, "d", [1]);
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "answered within 1 s"
    );
    // The idle connections are closed by the receiver (read returns end of stream or an
    // error) after its idle timeout.
    for stream in &idle {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
    }
    let mut last = idle.pop().unwrap();
    let mut buf = [0u8; 64];
    let began = Instant::now();
    let closed = match last.read(&mut buf) {
        Ok(0) | Err(_) => true,
        Ok(_) => {
            // An answer (408 or 400) and then the close.
            matches!(last.read(&mut buf), Ok(0) | Err(_))
        }
    };
    assert!(
        closed && began.elapsed() < Duration::from_secs(19),
        "closed after the idle timeout"
    );
    let mut first = idle.remove(0);
    assert!(matches!(first.read(&mut buf), Ok(0) | Err(_)));
}

#[test]
fn serve_logs_one_json_object_a_line_and_reads_the_secret_from_a_file() {
    let server = AlertsServer::start(open_alerts(1));
    let dir = tempfile::tempdir().unwrap();
    // Outside the state's folder, which is searched for secrets below.
    let secrets = tempfile::tempdir().unwrap();
    let secret_file = secrets.path().join("secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let mut cmd = serve_command(
        &server,
        &dir.path().join("state.db"),
        &["-vv", "--log-format", "json"],
    );
    cmd.env_remove("GH_REVOKE_WEBHOOK_SECRET")
        .arg("--webhook-secret-file")
        .arg(&secret_file);
    let serve = Serve::spawn(cmd);
    // The file's secret (its trailing newline is not part of it) signs deliveries.
    deliver_all(&serve, "d", [1]);
    eventually(Duration::from_secs(10), "alert 1 resolved", || {
        server.resolved().contains("octo-org/app#1")
    });
    std::thread::sleep(Duration::from_millis(300));
    let log = serve.log();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| !l.starts_with("listening on "))
        .collect();
    assert!(lines.len() >= 2, "{log}");
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        assert!(
            value["level"].is_string() && value["fields"].is_object(),
            "{line}"
        );
    }
    assert!(log.contains("delivery accepted"), "{log}");
    assert_eq!(log.matches("listening on http://").count(), 1);
    assert_no_secret(dir.path(), &log, &[SECRET, CALLER, &token(1)]);
}

#[test]
fn serve_revokes_a_new_alert_within_2_s_while_a_burst_is_being_resolved() {
    let server = AlertsServer::start(open_alerts(11));
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&server, &dir.path().join("state.db"), &[]);
    deliver_all(&serve, "d", 1..=10);
    eventually(Duration::from_secs(10), "the burst revoked", || {
        server.revoked().len() >= 10
    });
    // Ten PATCHes, a second apart, are now under way.
    std::thread::sleep(Duration::from_millis(1500));
    let start = Instant::now();
    deliver_all(&serve, "d", [11]);
    eventually(Duration::from_secs(5), "alert 11 revoked", || {
        server.revoked().contains(&token(11))
    });
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert!(
        server.resolved().len() < 10,
        "the burst was still being resolved"
    );
    eventually(Duration::from_secs(30), "all eleven resolved", || {
        server.resolved().len() == 11
    });
    let patches = server.patches();
    assert!(patches.values().all(|n| *n == 1), "{patches:?}");
    // Each token sent once: resolving never revokes again.
    assert_eq!(server.revoked().len(), 11);
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}
