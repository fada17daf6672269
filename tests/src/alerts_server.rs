//! A loopback stand-in of GitHub's secret-scanning alerts API and `POST /credentials/revoke`,
//! shared by the library tests (`tests/tests/library/alerts.rs`) and the CLI tests
//! (`crates/gh-revoke-cli/tests/cli/alerts.rs`). std, serde_json and jsonschema only.
//!
//! - Listings answer `per_page` alerts (the server's page size, smaller than 100 so that
//!   paging happens) with `Link: rel="next"`: page numbers for repositories, `after` cursors
//!   for organizations and enterprises.
//! - `PATCH` resolves an open alert (200) or reopens one (`state: open`), answers 400 "not
//!   changed" for resolving a resolved one, and
//!   403 for an alert under delegated dismissal (GitHub's documented words for both).
//! - The alerts calls (listing, one alert, `PATCH`) answer 401 to a bearer token that is dead
//!   (revoked by the run, or [`AlertsServer::kill`]ed), as GitHub does.
//! - `DELETE /installation/token` and `GET /rate_limit` answer by the bearer token alone: 401
//!   for a dead token; 204 (and the token dies) or 200 for a live one. A token dies when
//!   `POST /credentials/revoke` or `DELETE /installation/token` takes it, unless it was made to
//!   [`AlertsServer::linger`] (it stays live, as a queued revocation can).
//! - Scripted answers (`inject`) come first for a route: rate-limit answers, errors.
//! - Every request is validated against the vendored fragment (path, query parameters, body);
//!   [`AlertsServer::violations`] lists what did not fit.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::fragment::{check, decode, fragment};

/// One alert the stand-in holds.
#[derive(Debug, Clone)]
pub struct StandInAlert {
    pub repository: String,
    pub number: i64,
    pub secret: String,
    pub secret_type: String,
    pub resolved: bool,
    /// Delegated dismissal: `PATCH` answers 403.
    pub delegated: bool,
}

impl StandInAlert {
    pub fn open(repository: &str, number: i64, secret: &str) -> Self {
        let secret_type = if secret.starts_with("ghs_") {
            "github_app_installation_access_token"
        } else if secret.starts_with("gho_") {
            "github_oauth_access_token"
        } else {
            "github_personal_access_token"
        };
        Self {
            repository: repository.to_owned(),
            number,
            secret: secret.to_owned(),
            secret_type: secret_type.to_owned(),
            resolved: false,
            delegated: false,
        }
    }
}

/// A request as received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: std::time::Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn new(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![],
            body: body.to_owned(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// Which requests a scripted answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    List,
    /// `GET /repos/{owner}/{repo}/secret-scanning/alerts/{number}`: one alert.
    Get,
    Patch,
    Revoke,
    /// `DELETE /installation/token`.
    Installation,
    /// `GET /rate_limit`.
    RateLimit,
}

#[derive(Debug, Default)]
struct State {
    alerts: Vec<StandInAlert>,
    seen: Vec<Seen>,
    violations: Vec<String>,
    inject: HashMap<Route, VecDeque<Answer>>,
    /// Keep resolved alerts in `state=open` listings (GitHub's listing lagging behind).
    stale_listing: bool,
    revoked: Vec<String>,
    /// Tokens that no longer authenticate.
    dead: HashSet<String>,
    /// Tokens that stay live when revoked.
    linger: HashSet<String>,
}

#[derive(Debug)]
pub struct AlertsServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

const PAGE: usize = 2;

/// Which alerts a listing covers.
type Filter = Box<dyn Fn(&StandInAlert) -> bool>;

impl AlertsServer {
    pub fn start(alerts: Vec<StandInAlert>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State {
            alerts,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let fragment = Arc::new(fragment());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&shared);
                let fragment = Arc::clone(&fragment);
                std::thread::spawn(move || serve(stream, &state, &fragment, addr));
            }
        });
        Self { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn inject(&self, route: Route, answer: Answer) {
        let mut state = self.state.lock().unwrap();
        state.inject.entry(route).or_default().push_back(answer);
    }

    /// Drop the scripted answers for `route` not given yet (GitHub is healthy again); how many.
    pub fn heal(&self, route: Route) -> usize {
        let mut state = self.state.lock().unwrap();
        state.inject.remove(&route).map_or(0, |left| left.len())
    }

    pub fn stale_listing(&self) {
        self.state.lock().unwrap().stale_listing = true;
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    pub fn violations(&self) -> Vec<String> {
        self.state.lock().unwrap().violations.clone()
    }

    /// `token` no longer authenticates (revoked or expired before the run).
    pub fn kill(&self, token: &str) {
        self.state.lock().unwrap().dead.insert(token.to_owned());
    }

    /// `token` stays live when revoked.
    pub fn linger(&self, token: &str) {
        self.state.lock().unwrap().linger.insert(token.to_owned());
    }

    /// `repository#number` is resolved now, by someone else (the web UI, another run).
    pub fn resolve(&self, repository: &str, number: i64) {
        let mut state = self.state.lock().unwrap();
        for alert in state.alerts.iter_mut() {
            if alert.repository == repository && alert.number == number {
                alert.resolved = true;
            }
        }
    }

    /// Requests to `path` with `method`, in order.
    pub fn calls(&self, method: &str, path: &str) -> Vec<Seen> {
        self.requests()
            .into_iter()
            .filter(|s| s.method == method && s.path == path)
            .collect()
    }

    /// Every credential received by `POST /credentials/revoke`, in order (repeats kept).
    pub fn revoked(&self) -> Vec<String> {
        self.state.lock().unwrap().revoked.clone()
    }

    /// `PATCH`es received per `OWNER/REPO#N`.
    pub fn patches(&self) -> HashMap<String, usize> {
        let mut out = HashMap::new();
        for seen in self.requests().iter().filter(|s| s.method == "PATCH") {
            let parts: Vec<&str> = seen.path.trim_start_matches('/').split('/').collect();
            if let [_, owner, repo, _, _, number] = parts.as_slice() {
                *out.entry(format!("{owner}/{repo}#{number}")).or_default() += 1;
            }
        }
        out
    }

    pub fn resolved(&self) -> HashSet<String> {
        self.state
            .lock()
            .unwrap()
            .alerts
            .iter()
            .filter(|a| a.resolved)
            .map(|a| format!("{}#{}", a.repository, a.number))
            .collect()
    }
}

fn alert_json(alert: &StandInAlert, base: SocketAddr, with_repo: bool) -> Value {
    let mut value = json!({
        "number": alert.number,
        "created_at": "2025-01-01T00:00:00Z",
        "url": format!("http://{base}/repos/{}/secret-scanning/alerts/{}", alert.repository, alert.number),
        "html_url": format!("https://github.com/{}/security/secret-scanning/{}", alert.repository, alert.number),
        "state": if alert.resolved { "resolved" } else { "open" },
        "resolution": if alert.resolved { Value::from("revoked") } else { Value::Null },
        "secret_type": alert.secret_type,
        "secret_type_display_name": "GitHub Personal Access Token",
        "secret": alert.secret,
        "validity": "active",
        "multi_repo": false,
    });
    if with_repo {
        let (owner, name) = alert.repository.split_once('/').unwrap();
        value["repository"] = json!({
            "id": 1, "node_id": "R_1", "name": name, "full_name": alert.repository,
            "owner": {"login": owner, "id": 2, "node_id": "U_2", "type": "Organization"},
            "private": true, "html_url": format!("https://github.com/{}", alert.repository),
        });
    }
    value
}

fn serve(mut stream: TcpStream, state: &Mutex<State>, fragment: &Value, addr: SocketAddr) {
    let Some(seen) = read_request(&mut stream) else {
        return;
    };
    let answer = {
        let mut state = state.lock().unwrap();
        let content_type = seen.header("content-type");
        let checked = check(
            fragment,
            &seen.method,
            &seen.path,
            &seen.query,
            content_type,
            &seen.body,
        );
        state.violations.extend(checked.err());
        state.seen.push(seen.clone());
        answer(&mut state, &seen, addr)
    };
    let mut head = format!("HTTP/1.1 {} X\r\n", answer.status);
    if !answer
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        head.push_str("content-type: application/json\r\n");
    }
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        answer.body.len()
    ));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(answer.body.as_bytes());
}

fn answer(state: &mut State, seen: &Seen, addr: SocketAddr) -> Answer {
    let parts: Vec<&str> = seen.path.trim_start_matches('/').split('/').collect();
    let route = match (seen.method.as_str(), parts.as_slice()) {
        ("POST", ["credentials", "revoke"]) => Route::Revoke,
        ("PATCH", _) => Route::Patch,
        ("GET", ["repos", _, _, "secret-scanning", "alerts", _]) => Route::Get,
        ("DELETE", ["installation", "token"]) => Route::Installation,
        ("GET", ["rate_limit"]) => Route::RateLimit,
        _ => Route::List,
    };
    if let Some(scripted) = state.inject.get_mut(&route).and_then(VecDeque::pop_front) {
        return scripted;
    }
    let bearer = seen
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    let bad_credentials = || Answer::new(401, r#"{"message":"Bad credentials"}"#);
    let query = |name: &str| {
        seen.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    if matches!(route, Route::List | Route::Get | Route::Patch) && state.dead.contains(&bearer) {
        return bad_credentials();
    }
    match (route, parts.as_slice()) {
        (Route::Revoke, _) => {
            let body = seen.json();
            for c in body["credentials"].as_array().into_iter().flatten() {
                let c = c.as_str().unwrap_or_default().to_owned();
                if !state.linger.contains(&c) {
                    state.dead.insert(c.clone());
                }
                state.revoked.push(c);
            }
            Answer::new(202, "")
        }
        (Route::Installation, _) => {
            if bearer.is_empty() || state.dead.contains(&bearer) {
                return bad_credentials();
            }
            if !state.linger.contains(&bearer) {
                state.dead.insert(bearer);
            }
            Answer::new(204, "")
        }
        (Route::RateLimit, _) => {
            if bearer.is_empty() || state.dead.contains(&bearer) {
                return bad_credentials();
            }
            let window =
                json!({"limit": 5000, "used": 0, "remaining": 5000, "reset": 1_900_000_000});
            Answer::new(
                200,
                &json!({"resources": {"core": window}, "rate": window}).to_string(),
            )
        }
        (Route::Get, ["repos", owner, repo, "secret-scanning", "alerts", number]) => {
            let key = format!("{owner}/{repo}");
            let number: i64 = number.parse().unwrap_or(-1);
            match state
                .alerts
                .iter()
                .find(|a| a.repository == key && a.number == number)
            {
                Some(alert) => Answer::new(200, &alert_json(alert, addr, false).to_string()),
                None => Answer::new(404, r#"{"message":"Not Found"}"#),
            }
        }
        (Route::Patch, ["repos", owner, repo, "secret-scanning", "alerts", number]) => {
            let key = format!("{owner}/{repo}");
            let number: i64 = number.parse().unwrap_or(-1);
            let Some(alert) = state
                .alerts
                .iter_mut()
                .find(|a| a.repository == key && a.number == number)
            else {
                return Answer::new(404, r#"{"message":"Not Found"}"#);
            };
            if alert.delegated {
                // openapi/github-credentials.json, `secret-scanning/update-alert`, 403.
                return Answer::new(
                    403,
                    r#"{"message":"Delegated alert dismissal is enabled and the authenticated user is not a valid reviewer."}"#,
                );
            }
            if seen.json()["state"] == "open" {
                // Reopening.
                alert.resolved = false;
                let body = alert_json(alert, addr, false).to_string();
                return Answer::new(200, &body);
            }
            if alert.resolved {
                // The same description, 400.
                return Answer::new(
                    400,
                    r#"{"message":"The resolution comment is invalid or the resolution was not changed."}"#,
                );
            }
            alert.resolved = true;
            let body = alert_json(alert, addr, false).to_string();
            Answer::new(200, &body)
        }
        (Route::List, path) => {
            let (with_repo, cursor, filter): (bool, bool, Filter) = match path {
                ["repos", owner, repo, ..] => {
                    let full = format!("{owner}/{repo}");
                    (false, false, Box::new(move |a| a.repository == full))
                }
                ["orgs", org, ..] => {
                    let prefix = format!("{org}/");
                    (
                        true,
                        true,
                        Box::new(move |a| a.repository.starts_with(&prefix)),
                    )
                }
                ["enterprises", ..] => (true, true, Box::new(|_| true)),
                _ => return Answer::new(404, r#"{"message":"Not Found"}"#),
            };
            let stale = state.stale_listing;
            let wanted: Vec<&StandInAlert> = state
                .alerts
                .iter()
                .filter(|a| filter(a))
                .filter(|a| stale || query("state").as_deref() != Some("open") || !a.resolved)
                .collect();
            if wanted.is_empty() && !state.alerts.iter().any(&filter) {
                return Answer::new(
                    404,
                    r#"{"message":"Secret scanning is disabled on this repository."}"#,
                );
            }
            let start: usize = if cursor {
                query("after")
                    .and_then(|c| c.strip_prefix("c").and_then(|n| n.parse().ok()))
                    .unwrap_or(0)
            } else {
                query("page")
                    .and_then(|p| p.parse::<usize>().ok())
                    .map(|p| (p - 1) * PAGE)
                    .unwrap_or(0)
            };
            let page: Vec<Value> = wanted
                .iter()
                .skip(start)
                .take(PAGE)
                .map(|a| alert_json(a, addr, with_repo))
                .collect();
            let mut answer = Answer::new(200, &Value::Array(page).to_string());
            if start + PAGE < wanted.len() {
                let next = if cursor {
                    format!("after=c{}", start + PAGE)
                } else {
                    format!("page={}", start / PAGE + 2)
                };
                answer = answer.header(
                    "link",
                    &format!(
                        "<http://{addr}{}?per_page=100&{next}>; rel=\"next\", <http://{addr}{}?page=1>; rel=\"first\"",
                        seen.path, seen.path
                    ),
                );
            }
            answer
        }
        _ => Answer::new(404, r#"{"message":"Not Found"}"#),
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    Some(Seen {
        method,
        path: path.to_owned(),
        query,
        headers,
        body,
        at: std::time::Instant::now(),
    })
}
