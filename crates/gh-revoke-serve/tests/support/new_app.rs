//! A loopback stand-in of GitHub's "new app" page (it receives the manifest form, checks the
//! manifest, and sends the browser back to the manifest's `redirect_url` with a one-time code
//! and the form's `state`) and of `POST /app-manifests/{code}/conversions` (checked against
//! the fragment; answers with the app, its key and its webhook secret, once per code).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use gh_revoke_tests::fragment;

use super::stand_in::{Problems, StandIn, check, query_of};

/// The key the stand-in hands out as the new app's (the throwaway test key).
pub const APP_PEM: &str = include_str!("../fixtures/test-app-key.pem");
/// The webhook secret it hands out.
pub const WEBHOOK_SECRET: &str = "whsec-StandInWebhookSecret-7f3a9c2e51d04b86";
/// The client secret it hands out (never to be written or printed).
pub const CLIENT_SECRET: &str = "cs-StandInClientSecret-0c9e8d7b6a5f4e3d2c1b";
/// The one-time code.
pub const CODE: &str = "StandInManifestCode4d2f9a";
/// The app's client ID.
pub const CLIENT_ID: &str = "Iv23liStandInCreated01";

#[derive(Default)]
pub struct Inner {
    pub problems: Vec<String>,
    /// Manifests received, with the path and the state.
    pub manifests: Vec<(String, Value, Option<String>)>,
    /// Conversions asked for (codes).
    pub conversions: Vec<String>,
    /// Send the browser back with this state instead of the form's.
    pub state_override: Option<String>,
    /// Whether the code was already exchanged.
    pub used: bool,
}

impl Problems for Inner {
    fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// The stand-in.
pub type NewApp = StandIn<Inner>;

impl StandIn<Inner> {
    /// Start it on 127.0.0.1; manifests must carry `webhook_url`.
    pub async fn start(webhook_url: &str) -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let listener = Self::listen().await;
        let shared = (
            Arc::clone(&inner),
            webhook_url.to_owned(),
            fragment::fragment(),
            listener.local_addr().unwrap(),
        );
        let shared = Arc::new(shared);
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let shared = Arc::clone(&shared);
                async move { handle(&shared, method, uri, headers, body).await }
            },
        );
        Self::serve(listener, inner, app)
    }

    /// Every secret the stand-in handed out: none may be printed.
    pub fn secrets() -> Vec<String> {
        let mut out: Vec<String> = APP_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .map(|l| l[..16].to_owned())
            .collect();
        out.extend([WEBHOOK_SECRET.into(), CLIENT_SECRET.into(), CODE.into()]);
        out
    }
}

type Shared = (Arc<Mutex<Inner>>, String, Value, SocketAddr);

fn check_manifest(manifest: &Value, webhook_url: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |what: &str, got: &Value, want: Value| {
        if *got != want {
            problems.push(format!("manifest {what}: {got}, expected {want}"));
        }
    };
    expect("public", &manifest["public"], json!(false));
    expect(
        "hook_attributes",
        &manifest["hook_attributes"],
        json!({"url": webhook_url, "active": true}),
    );
    expect(
        "default_events",
        &manifest["default_events"],
        json!(["secret_scanning_alert"]),
    );
    expect(
        "default_permissions",
        &manifest["default_permissions"],
        json!({"secret_scanning_alerts": "write", "metadata": "read"}),
    );
    if manifest["name"].as_str().is_none_or(str::is_empty) {
        problems.push("manifest has no name".into());
    }
    if !manifest["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://"))
    {
        problems.push(format!("manifest url {}", manifest["url"]));
    }
    let redirect = manifest["redirect_url"].as_str().unwrap_or_default();
    if !(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback")) {
        problems.push(format!(
            "manifest redirect_url {redirect:?} is not the loopback callback"
        ));
    }
    problems
}

async fn handle(
    shared: &Shared,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (inner, webhook_url, root, addr) = shared;
    let path = uri.path().to_owned();
    let query = query_of(&uri);
    let is_new_app = method == Method::POST
        && (path == "/settings/apps/new"
            || (path.starts_with("/organizations/") && path.ends_with("/settings/apps/new")));
    if is_new_app {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let mut inner = inner.lock().unwrap();
        if !content_type.starts_with("application/x-www-form-urlencoded") {
            inner
                .problems
                .push(format!("new app form sent as {content_type:?}"));
        }
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let state = query
            .iter()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.clone());
        let Some(manifest) = form
            .iter()
            .find(|(k, _)| k == "manifest")
            .and_then(|(_, v)| serde_json::from_str::<Value>(v).ok())
        else {
            inner
                .problems
                .push("new app form without a JSON manifest".into());
            return (StatusCode::UNPROCESSABLE_ENTITY, "no manifest").into_response();
        };
        let problems = check_manifest(&manifest, webhook_url);
        inner.problems.extend(problems);
        if state.as_deref().is_none_or(|s| s.len() < 16) {
            inner
                .problems
                .push(format!("weak or missing state {state:?}"));
        }
        inner
            .manifests
            .push((path.clone(), manifest.clone(), state.clone()));
        let back_state = inner.state_override.clone().or(state).unwrap_or_default();
        let redirect = manifest["redirect_url"].as_str().unwrap_or_default();
        let location = format!(
            "{redirect}?code={CODE}&state={}",
            url::form_urlencoded::byte_serialize(back_state.as_bytes()).collect::<String>()
        );
        return (StatusCode::FOUND, [(header::LOCATION, location)], "").into_response();
    }
    let checked = check(root, &method, &uri, &headers, &body);
    let mut inner = inner.lock().unwrap();
    match checked.as_deref() {
        Ok("apps/create-from-manifest") => {
            if headers.contains_key(header::AUTHORIZATION) {
                inner.problems.push("the conversion carried a token".into());
            }
            let code = path.split('/').nth(2).unwrap_or_default().to_owned();
            inner.conversions.push(code.clone());
            if code != CODE || inner.used {
                return (
                    StatusCode::NOT_FOUND,
                    axum::Json(json!({"message": "Not Found"})),
                )
                    .into_response();
            }
            inner.used = true;
            let html_url = format!("http://{addr}/apps/gh-revoke-standin");
            (
                StatusCode::CREATED,
                axum::Json(json!({
                    "id": 98765,
                    "slug": "gh-revoke-standin",
                    "node_id": "A_kwStandIn",
                    "client_id": CLIENT_ID,
                    "owner": {"login": "acme", "id": 1, "type": "Organization"},
                    "name": "gh-revoke-standin",
                    "description": "",
                    "external_url": "https://github.com/gh-revoke/gh-revoke",
                    "html_url": html_url,
                    "created_at": "2026-12-07T21:00:00Z",
                    "updated_at": "2026-12-07T21:00:00Z",
                    "permissions": {"secret_scanning_alerts": "write", "metadata": "read"},
                    "events": ["secret_scanning_alert"],
                    "client_secret": CLIENT_SECRET,
                    "webhook_secret": WEBHOOK_SECRET,
                    "pem": APP_PEM,
                })),
            )
                .into_response()
        }
        Ok(other) => {
            inner.problems.push(format!("unexpected operation {other}"));
            StatusCode::NOT_FOUND.into_response()
        }
        Err(problem) => {
            inner.problems.push(problem.clone());
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// A browser without JavaScript: fetch the loopback page, submit its form to GitHub's stand-in,
/// follow GitHub's redirect to the callback. Returns the callback's status and page.
pub async fn submit_like_a_browser(page_url: &str) -> (u16, String) {
    let http = gh_revoke_api::transport::client_builder().build().unwrap();
    let page = http
        .get(page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let action = unescape(between(&page, "action=\"", "\""));
    let manifest = unescape(between(&page, "name=\"manifest\" value=\"", "\""));
    let answer = http
        .post(&action)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("manifest", &manifest)
                .finish(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 302, "GitHub's stand-in did not redirect");
    let location = answer.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let back = http.get(&location).send().await.unwrap();
    let status = back.status().as_u16();
    (status, back.text().await.unwrap())
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {text}"))
        + start.len();
    let to = text[from..].find(end).unwrap() + from;
    &text[from..to]
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
