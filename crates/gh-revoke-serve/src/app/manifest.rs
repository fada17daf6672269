//! Creating the GitHub App in one step: GitHub's app manifest flow, behind
//! `gh-revoke app create`.
//!
//! 1. [`ManifestFlow::start`] serves a page on `127.0.0.1` (a free port) whose form posts the
//!    [`manifest`] to GitHub's "new app" page, `{github}/settings/apps/new?state=STATE` or
//!    `{github}/organizations/ORG/settings/apps/new?state=STATE`, with a random `state`; the
//!    page submits itself. It answers only requests addressed to `127.0.0.1:PORT` (a name
//!    rebound to loopback by a web page gets 421, never the `state`).
//! 2. The person confirms on GitHub; GitHub sends the browser back to the manifest's
//!    `redirect_url`, this server's `/callback`, with `code` and `state`. A missing or wrong
//!    `state` is refused (400) and the flow keeps waiting.
//! 3. The code is exchanged at `POST /app-manifests/{code}/conversions` on the API base
//!    (no token: the one-time code is the credential), which answers with the app's id, client
//!    ID, private key (`pem`) and `webhook_secret`: a [`CreatedApp`], written to a folder by
//!    [`CreatedApp::write_to`].
//!
//! Sources: docs@d86be7f9:content/apps/sharing-github-apps/registering-a-github-app-from-a-manifest.md
//! (the form `action="https://github.com/settings/apps/new?state=abc123" method="post"` with a
//! `manifest` field; the organization form at `/organizations/ORGANIZATION/settings/apps/new`;
//! the manifest's fields `name`, `url`, `hook_attributes.url`/`active`, `redirect_url`,
//! `public`, `default_permissions`, `default_events`; "You must complete all three steps ...
//! within one hour"; GitHub "creates a webhook secret for the app automatically"), and the
//! vendored description `openapi/github-credentials.json` (`apps/create-from-manifest`: 201
//! with `id`, `client_id`, `pem`, `webhook_secret`; `components/schemas/app-permissions` for
//! `secret_scanning_alerts`).

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use gh_revoke::ApiBase;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::error::AppError;

/// GitHub gives the three steps one hour.
pub const MANIFEST_FLOW_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// The manifest's `url` (the app's homepage, required by GitHub).
pub const HOMEPAGE: &str = "https://github.com/gh-revoke/gh-revoke";

const EXCHANGE: &str = "apps/create-from-manifest";

/// What to create.
#[derive(Debug, Clone)]
pub struct ManifestRequest {
    /// GitHub's web address (`https://github.com`, or a GitHub Enterprise host).
    pub github_url: String,
    /// The organization that will own the app; `None`: the signed-in person's account.
    pub org: Option<String>,
    /// Where GitHub sends the `secret_scanning_alert` webhooks (the `serve` receiver).
    pub webhook_url: String,
    /// The app's name (the person can change it on GitHub's page).
    pub name: String,
    /// Where the code is exchanged: [`api_base_for`] the GitHub address unless overridden.
    pub api_base: ApiBase,
    /// How long one request to GitHub may take.
    pub timeout: Duration,
}

/// Why the flow could not start or end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// An input is not usable.
    #[error("{what} {given:?} is not valid: {reason}")]
    BadInput {
        /// Which input (`--webhook-url`, ...).
        what: &'static str,
        /// The value, scrubbed.
        given: String,
        /// Why.
        reason: &'static str,
    },
    /// The loopback page could not be served.
    #[error("cannot serve the loopback page: {0}")]
    Serve(String),
    /// GitHub did not send the browser back in time.
    #[error(
        "no answer from GitHub within {} minutes: run `gh-revoke app create` again",
        .0.as_secs() / 60
    )]
    TimedOut(Duration),
    /// Exchanging the code failed.
    #[error("exchanging GitHub's code for the app failed: {0}")]
    Exchange(#[from] AppError),
    /// The app's files could not be written.
    #[error("{}: {reason}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// The address of GitHub's "new app" page for `github_url` (no trailing slash) and `org`.
pub fn new_app_url(github_url: &str, org: Option<&str>, state: &str) -> String {
    let base = github_url.trim_end_matches('/');
    match org {
        Some(org) => format!("{base}/organizations/{org}/settings/apps/new?state={state}"),
        None => format!("{base}/settings/apps/new?state={state}"),
    }
}

/// The API base for a GitHub web address: github.com → `https://api.github.com`;
/// `SUBDOMAIN.ghe.com` → `https://api.SUBDOMAIN.ghe.com`; any other host (GitHub Enterprise
/// Server) → `https://HOST/api/v3` (as [`ApiBase::for_hostname`]).
pub fn api_base_for(github_url: &str) -> Result<ApiBase, ManifestError> {
    let url = check_url("--github-url", github_url)?;
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    ApiBase::for_hostname(&host).map_err(|_| ManifestError::BadInput {
        what: "--github-url",
        given: gh_revoke::scrub(github_url),
        reason: "its host is not a GitHub host name",
    })
}

/// The manifest: a private app whose webhook (active) goes to `webhook_url`, subscribed to
/// `secret_scanning_alert`, with `secret_scanning_alerts: write` (and the read-only
/// `metadata` GitHub adds to every app), sending the browser back to `redirect_url`.
pub fn manifest(name: &str, webhook_url: &str, redirect_url: &str) -> Value {
    json!({
        "name": name,
        "url": HOMEPAGE,
        "description": "Revokes leaked GitHub tokens seconds after secret scanning finds them \
                        (gh-revoke serve), and resolves their alerts.",
        "hook_attributes": {"url": webhook_url, "active": true},
        "redirect_url": redirect_url,
        "public": false,
        "default_permissions": {"secret_scanning_alerts": "write", "metadata": "read"},
        "default_events": ["secret_scanning_alert"],
    })
}

fn check_url(what: &'static str, text: &str) -> Result<url::Url, ManifestError> {
    let bad = |reason| ManifestError::BadInput {
        what,
        given: gh_revoke::scrub(text),
        reason,
    };
    let url = url::Url::parse(text.trim()).map_err(|_| bad("not a URL"))?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none_or(str::is_empty) {
        return Err(bad("expected an https:// URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not contain a user name or password"));
    }
    Ok(url)
}

fn check_org(org: &str) -> Result<(), ManifestError> {
    let valid = !org.is_empty()
        && org.len() <= 39
        && org.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !org.starts_with('-');
    if valid {
        Ok(())
    } else {
        Err(ManifestError::BadInput {
            what: "--org",
            given: gh_revoke::scrub(org),
            reason: "expected an organization login (letters, digits, hyphens)",
        })
    }
}

/// The app GitHub created. `Debug` shows no key or secret.
pub struct CreatedApp {
    /// The numeric app ID.
    pub id: Option<i64>,
    /// The client ID (GitHub recommends it as the JWT's `iss`).
    pub client_id: Option<String>,
    /// The app's slug.
    pub slug: Option<String>,
    /// The app's page (`https://github.com/apps/SLUG`).
    pub html_url: Option<String>,
    /// The private key (PEM).
    pub pem: SecretString,
    /// The webhook secret GitHub generated.
    pub webhook_secret: SecretString,
}

impl fmt::Debug for CreatedApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedApp")
            .field("id", &self.id)
            .field("client_id", &self.client_id)
            .field("slug", &self.slug)
            .field("html_url", &self.html_url)
            .field("pem", &"(redacted)")
            .field("webhook_secret", &"(redacted)")
            .finish()
    }
}

/// Where [`CreatedApp::write_to`] put the app's files.
#[derive(Debug, Clone)]
pub struct WrittenApp {
    /// `DIR/app-id`: the client ID (or the numeric app ID), for `--app-id`.
    pub app_id: PathBuf,
    /// `DIR/private-key.pem` (mode 0600), for `--app-private-key`.
    pub private_key: PathBuf,
    /// `DIR/webhook-secret` (mode 0600), for `--webhook-secret-file`.
    pub webhook_secret: PathBuf,
}

impl CreatedApp {
    /// What `--app-id` takes: the client ID, else the numeric app ID.
    pub fn app_id(&self) -> String {
        self.client_id
            .clone()
            .or_else(|| self.id.map(|id| id.to_string()))
            .unwrap_or_default()
    }

    /// Where the app is installed: `{html_url}/installations/new`.
    pub fn installation_url(&self) -> Option<String> {
        self.html_url
            .as_ref()
            .map(|url| format!("{}/installations/new", url.trim_end_matches('/')))
    }

    /// Write `app-id`, `private-key.pem` and `webhook-secret` into `dir` (created if needed,
    /// mode 0700). The key and the secret are mode 0600; no existing file is overwritten (if
    /// any of the three exists, nothing is written).
    pub fn write_to(&self, dir: &Path) -> Result<WrittenApp, ManifestError> {
        let failed = |path: &Path, e: std::io::Error| ManifestError::Write {
            path: path.to_owned(),
            reason: e.to_string(),
        };
        let written = WrittenApp {
            app_id: dir.join("app-id"),
            private_key: dir.join("private-key.pem"),
            webhook_secret: dir.join("webhook-secret"),
        };
        for path in [
            &written.app_id,
            &written.private_key,
            &written.webhook_secret,
        ] {
            if path.symlink_metadata().is_ok() {
                return Err(ManifestError::Write {
                    path: path.clone(),
                    reason: "already exists: refusing to overwrite it (nothing was written; \
                             choose another --dir)"
                        .to_owned(),
                });
            }
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| failed(dir, e))?;
        write_new(
            &written.app_id,
            format!("{}\n", self.app_id()).as_bytes(),
            0o644,
        )
        .map_err(|e| failed(&written.app_id, e))?;
        write_new(
            &written.private_key,
            self.pem.expose_secret().as_bytes(),
            0o600,
        )
        .map_err(|e| failed(&written.private_key, e))?;
        write_new(
            &written.webhook_secret,
            self.webhook_secret.expose_secret().as_bytes(),
            0o600,
        )
        .map_err(|e| failed(&written.webhook_secret, e))?;
        Ok(written)
    }
}

fn write_new(path: &Path, content: &[u8], mode: u32) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path)?;
    file.write_all(content)?;
    file.sync_all()
}

/// What the loopback server shares between its handlers.
struct Shared {
    /// The only `Host` the page answers (`127.0.0.1:PORT`): a page reached through another
    /// name (DNS rebinding) is refused.
    host: String,
    state: String,
    new_app_url: String,
    manifest: Value,
    api: gh_revoke_api::Client,
    done: Mutex<Option<oneshot::Sender<Result<CreatedApp, AppError>>>>,
}

/// A running manifest flow: the loopback page and its callback.
pub struct ManifestFlow {
    addr: SocketAddr,
    manifest: Value,
    new_app_url: String,
    result: oneshot::Receiver<Result<CreatedApp, AppError>>,
    stop: Option<oneshot::Sender<()>>,
}

impl fmt::Debug for ManifestFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManifestFlow")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ManifestFlow {
    /// Check the request, bind `127.0.0.1:0` and serve the page and the callback.
    pub async fn start(request: ManifestRequest) -> Result<Self, ManifestError> {
        check_url("--github-url", &request.github_url)?;
        check_url("--webhook-url", &request.webhook_url)?;
        if let Some(org) = &request.org {
            check_org(org)?;
        }
        if request.name.trim().is_empty() || request.name.len() > 100 {
            return Err(ManifestError::BadInput {
                what: "--name",
                given: gh_revoke::scrub(&request.name),
                reason: "expected 1 to 100 characters",
            });
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| ManifestError::Serve(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ManifestError::Serve(e.to_string()))?;
        // ThreadRng: a CSPRNG seeded from the operating system.
        let state = rand::distr::SampleString::sample_string(
            &rand::distr::Alphanumeric,
            &mut rand::rng(),
            32,
        );
        let redirect = format!("http://{addr}/callback");
        let manifest = manifest(request.name.trim(), request.webhook_url.trim(), &redirect);
        let new_app_url = new_app_url(&request.github_url, request.org.as_deref(), &state);
        let http = gh_revoke_api::transport::client_builder()
            .timeout(request.timeout)
            .connect_timeout(request.timeout)
            .build()
            .map_err(|e| ManifestError::Serve(gh_revoke::scrub(&e.to_string())))?;
        let api = gh_revoke_api::Client::new_with_client(
            request.api_base.as_str(),
            http,
            gh_revoke_api::hooks::Settings::default(),
        );
        let (done, result) = oneshot::channel();
        let shared = Arc::new(Shared {
            host: addr.to_string(),
            state,
            new_app_url: new_app_url.clone(),
            manifest: manifest.clone(),
            api,
            done: Mutex::new(Some(done)),
        });
        let app = axum::Router::new()
            .route("/", axum::routing::get(page))
            .route("/callback", axum::routing::get(callback))
            .with_state(shared);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            manifest,
            new_app_url,
            result,
            stop: Some(stop),
        })
    }

    /// The loopback page to open in a browser (`http://127.0.0.1:PORT/`).
    pub fn page_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The manifest the page posts.
    pub fn manifest(&self) -> &Value {
        &self.manifest
    }

    /// GitHub's "new app" page the form posts to (with the `state`).
    pub fn new_app_url(&self) -> &str {
        &self.new_app_url
    }

    /// Wait (at most `timeout`) for GitHub to send the browser back with the right `state`,
    /// and for the code's exchange; then stop serving.
    pub async fn finish(mut self, timeout: Duration) -> Result<CreatedApp, ManifestError> {
        let outcome = tokio::time::timeout(timeout, &mut self.result).await;
        // Let the browser's last page load, then stop.
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match outcome {
            Err(_) => Err(ManifestError::TimedOut(timeout)),
            Ok(Err(_)) => Err(ManifestError::Serve("the loopback server stopped".into())),
            Ok(Ok(result)) => Ok(result?),
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body>{body}</body></html>\n",
        escape(title)
    )
}

fn no_store(status: StatusCode, page: String) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(page),
    )
        .into_response()
}

/// Whether the request names this server as `127.0.0.1:PORT` (never another host name that
/// resolves here).
fn right_host(shared: &Shared, headers: &HeaderMap) -> bool {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h == shared.host)
}

fn wrong_host() -> Response {
    no_store(
        StatusCode::MISDIRECTED_REQUEST,
        html_page(
            "Refused",
            "<h1>Refused</h1><p>Open the address gh-revoke printed.</p>",
        ),
    )
}

async fn page(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !right_host(&shared, &headers) {
        return wrong_host();
    }
    let body = format!(
        "<h1>Create the gh-revoke GitHub App</h1>\
         <p>Sending this app's manifest to GitHub&hellip;</p>\
         <form id=\"manifest-form\" action=\"{}\" method=\"post\">\
         <input type=\"hidden\" name=\"manifest\" value=\"{}\">\
         <button type=\"submit\">Continue to GitHub</button></form>\
         <script>document.getElementById(\"manifest-form\").submit();</script>",
        escape(&shared.new_app_url),
        escape(&shared.manifest.to_string()),
    );
    no_store(StatusCode::OK, html_page("gh-revoke app create", &body))
}

/// The callback's `code` and `state` (the last of each, if repeated).
#[derive(Default)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
}

impl CallbackQuery {
    fn parse(uri: &Uri) -> Self {
        let mut out = Self::default();
        for (key, value) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
            match &*key {
                "code" => out.code = Some(value.into_owned()),
                "state" => out.state = Some(value.into_owned()),
                _ => {}
            }
        }
        out
    }
}

/// Equal in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn callback(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    if !right_host(&shared, &headers) {
        return wrong_host();
    }
    let query = CallbackQuery::parse(&uri);
    let refused = |why: &str| {
        no_store(
            StatusCode::BAD_REQUEST,
            html_page(
                "Refused",
                &format!("<h1>Refused</h1><p>{}</p>", escape(why)),
            ),
        )
    };
    let Some(state) = query.state.as_deref() else {
        tracing::warn!("manifest callback without a state: refused");
        return refused("The request has no state: it did not come from this gh-revoke run.");
    };
    if !same(state, &shared.state) {
        tracing::warn!("manifest callback with a wrong state: refused");
        return refused("The state does not match: it did not come from this gh-revoke run.");
    }
    let Some(code) = query.code.filter(|c| !c.is_empty()) else {
        return refused("GitHub sent no code.");
    };
    let Some(done) = shared.done.lock().ok().and_then(|mut d| d.take()) else {
        return refused(
            "This app was already created; run `gh-revoke app create` again for another.",
        );
    };
    // The exchange runs to its end even if the browser goes away: the code is single-use.
    let api = shared.api.clone();
    let exchanged = tokio::spawn(async move {
        let outcome = exchange(&api, &code).await;
        let shown = match &outcome {
            Ok(app) => Ok(app.slug.clone().unwrap_or_default()),
            Err(e) => Err(e.to_string()),
        };
        let _ = done.send(outcome);
        shown
    })
    .await;
    match exchanged {
        Ok(Ok(slug)) => no_store(
            StatusCode::OK,
            html_page(
                "App created",
                &format!(
                    "<h1>App created</h1><p>GitHub created the app {}. Its files are being \
                     written; return to the terminal for the next steps. You can close this \
                     window.</p>",
                    escape(&slug),
                ),
            ),
        ),
        Ok(Err(error)) => no_store(
            StatusCode::BAD_GATEWAY,
            html_page(
                "Failed",
                &format!("<h1>Failed</h1><p>{}</p>", escape(&error)),
            ),
        ),
        Err(_) => no_store(
            StatusCode::INTERNAL_SERVER_ERROR,
            html_page("Failed", "<h1>Failed</h1><p>See the terminal.</p>"),
        ),
    }
}

async fn exchange(api: &gh_revoke_api::Client, code: &str) -> Result<CreatedApp, AppError> {
    // Sent once, never retried: the code is good for one exchange only.
    let answer = gh_revoke::Caller::once(api.apps_create_from_manifest(code))
        .await
        .map_err(|error| AppError::from_call(EXCHANGE, error))?
        .into_inner();
    // Take what is kept; the client secret and the rest are dropped here, never printed.
    let missing = |what| AppError::BadAnswer {
        operation: EXCHANGE,
        what,
    };
    let pem = answer.pem.filter(|p| !p.is_empty()).ok_or(missing("pem"))?;
    let webhook_secret = answer
        .webhook_secret
        .filter(|s| !s.is_empty())
        .ok_or(missing("webhook_secret"))?;
    if answer.id.is_none() && answer.client_id.is_none() {
        return Err(missing("id"));
    }
    Ok(CreatedApp {
        id: answer.id,
        client_id: answer.client_id,
        slug: answer.slug,
        html_url: answer.html_url,
        pem: SecretString::from(pem),
        webhook_secret: SecretString::from(webhook_secret),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_app_urls_and_api_bases() {
        assert_eq!(
            new_app_url("https://github.com/", None, "s1"),
            "https://github.com/settings/apps/new?state=s1"
        );
        assert_eq!(
            new_app_url("https://github.com", Some("acme"), "s1"),
            "https://github.com/organizations/acme/settings/apps/new?state=s1"
        );
        assert_eq!(
            api_base_for("https://github.com").unwrap().as_str(),
            "https://api.github.com"
        );
        assert_eq!(
            api_base_for("https://github.example.com/")
                .unwrap()
                .as_str(),
            "https://github.example.com/api/v3"
        );
        assert_eq!(
            api_base_for("https://acme.ghe.com").unwrap().as_str(),
            "https://api.acme.ghe.com"
        );
        assert!(api_base_for("ftp://github.com").is_err());
        assert!(check_org("acme-corp").is_ok());
        assert!(check_org("acme/x").is_err());
    }

    #[test]
    fn the_manifest_asks_for_what_serve_needs_and_no_more() {
        let m = manifest(
            "gh-revoke-acme",
            "https://hooks.example.com/webhook",
            "http://127.0.0.1:1/callback",
        );
        assert_eq!(m["public"], false);
        assert_eq!(
            m["hook_attributes"],
            json!({"url": "https://hooks.example.com/webhook", "active": true})
        );
        assert_eq!(m["default_events"], json!(["secret_scanning_alert"]));
        assert_eq!(
            m["default_permissions"],
            json!({"secret_scanning_alerts": "write", "metadata": "read"})
        );
        assert_eq!(m["redirect_url"], "http://127.0.0.1:1/callback");
        assert_eq!(m["url"], HOMEPAGE);
    }

    #[test]
    fn state_comparison() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
