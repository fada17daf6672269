//! A loopback stand-in of GitHub's app endpoints: it verifies every JWT's RS256 signature and
//! claims with the app's PUBLIC key, issues installation tokens (counted per installation, with
//! a chosen lifetime), pages the installation and repository lists with `Link` headers, can
//! refuse installation tokens with 401, and checks every request against the fragment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use gh_revoke_tests::fragment;

use super::stand_in::{Problems, StandIn, check, query_of};

/// The throwaway test key pair (tests/fixtures/README.md).
pub const PRIVATE_KEY: &str = include_str!("../fixtures/test-app-key.pem");
/// Its public half, the only key the stand-in has.
pub const PUBLIC_KEY: &str = include_str!("../fixtures/test-app-key.pub.pem");

/// An answer given instead of handling a request: status, headers, body.
pub type Outage = (u16, Vec<(&'static str, String)>, String);

/// What the stand-in does and saw.
#[derive(Default)]
pub struct Inner {
    /// Every departure from the fragment or from GitHub's rules, as text.
    pub problems: Vec<String>,
    /// Installation tokens created, per installation.
    pub created: HashMap<u64, u32>,
    /// Every token issued, with its installation.
    pub issued: Vec<(String, u64)>,
    /// Every JWT received.
    pub jwts: Vec<String>,
    /// Every `Authorization` header received, with the path.
    pub authorizations: Vec<(String, Option<String>)>,
    /// How long issued tokens live (`expires_at` = now + this).
    pub token_lifetime: Duration,
    /// How long token creation takes.
    pub create_delay: Duration,
    /// Answer this many `GET /installation/repositories` with 401.
    pub refuse_repositories: u32,
    /// The installations (`GET /app/installations`), as GitHub's objects.
    pub installations: Vec<Value>,
    /// Repository full names per installation.
    pub repositories: HashMap<u64, Vec<String>>,
    /// Items per page of the stand-in's listings.
    pub page_size: usize,
    /// Answers given, in order, to the next requests instead of handling them (a 502, a
    /// rate-limit answer): status, headers, body.
    pub outages: std::collections::VecDeque<Outage>,
}

impl Problems for Inner {
    fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// The stand-in.
pub type GitHubApp = StandIn<Inner>;

struct State {
    inner: Arc<Mutex<Inner>>,
    expected_iss: Value,
    fragment: Value,
    public: jsonwebtoken::DecodingKey,
}

impl StandIn<Inner> {
    /// Start it on 127.0.0.1; JWTs must carry `iss` = `expected_iss`.
    pub async fn start(expected_iss: Value) -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            token_lifetime: Duration::from_secs(3600),
            page_size: 2,
            ..Inner::default()
        }));
        let state = Arc::new(State {
            inner: Arc::clone(&inner),
            expected_iss,
            fragment: fragment::fragment(),
            public: jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).unwrap(),
        });
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let state = Arc::clone(&state);
                async move { handle(state, method, uri, headers, body).await }
            },
        );
        Self::serve(Self::listen().await, inner, app)
    }

    /// Tokens created for `installation`.
    pub fn created(&self, installation: u64) -> u32 {
        self.with(|i| i.created.get(&installation).copied().unwrap_or(0))
    }

    /// Every secret the stand-in handed out or received: tokens and JWTs.
    pub fn secrets(&self) -> Vec<String> {
        self.with(|i| {
            i.issued
                .iter()
                .map(|(t, _)| t.clone())
                .chain(i.jwts.iter().cloned())
                .collect()
        })
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn json_answer(status: StatusCode, body: Value, link: Option<String>) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Some(link) = link {
        response.headers_mut().insert("link", link.parse().unwrap());
    }
    response
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::to_owned)
}

/// Verify a JWT as GitHub does: RS256 with the app's public key, `exp` in the future and at
/// most 10 minutes after `iat`, `iat` not in the future, `iss` the app.
fn verify_jwt(state: &State, jwt: &str) -> Result<(), String> {
    let header = jsonwebtoken::decode_header(jwt).map_err(|e| format!("JWT header: {e}"))?;
    if header.alg != jsonwebtoken::Algorithm::RS256 {
        return Err(format!("JWT alg {:?}, not RS256", header.alg));
    }
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "iat"]);
    let claims = jsonwebtoken::decode::<Value>(jwt, &state.public, &validation)
        .map_err(|e| format!("JWT does not verify with the app's public key: {e}"))?
        .claims;
    let iat = claims["iat"].as_u64().ok_or("iat is not a number")?;
    let exp = claims["exp"].as_u64().ok_or("exp is not a number")?;
    let now = now();
    if iat > now {
        return Err(format!("iat {iat} is in the future (now {now})"));
    }
    if now - iat < 50 {
        return Err(format!("iat {iat} is not backdated ~60 s (now {now})"));
    }
    if exp <= now || exp - iat > 600 {
        return Err(format!("exp {exp} out of bounds (iat {iat}, now {now})"));
    }
    if claims["iss"] != state.expected_iss {
        return Err(format!("iss {} is not the app", claims["iss"]));
    }
    Ok(())
}

fn page_of<T: Clone>(
    items: &[T],
    query: &[(String, String)],
    size: usize,
    url: &str,
) -> (Vec<T>, Option<String>) {
    let page: usize = query
        .iter()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    let start = (page - 1) * size;
    let slice = items.iter().skip(start).take(size).cloned().collect();
    let last = items.len().div_ceil(size).max(1);
    let mut links = Vec::new();
    if page < last {
        links.push(format!("<{url}?page={}>; rel=\"next\"", page + 1));
        links.push(format!("<{url}?page={last}>; rel=\"last\""));
    }
    if page > 1 {
        links.push(format!("<{url}?page={}>; rel=\"prev\"", page - 1));
    }
    (slice, (!links.is_empty()).then(|| links.join(", ")))
}

async fn handle(
    state: Arc<State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let query = query_of(&uri);
    let checked = check(&state.fragment, &method, &uri, &headers, &body);
    let token = bearer(&headers);
    let delay = {
        let mut inner = state.inner.lock().unwrap();
        inner.authorizations.push((path.clone(), token.clone()));
        if let Err(problem) = &checked {
            inner.problems.push(problem.clone());
        }
        if headers.get("x-github-api-version").is_none() {
            inner
                .problems
                .push(format!("{path}: no X-GitHub-Api-Version"));
        }
        if headers.get("user-agent").is_none() {
            inner.problems.push(format!("{path}: no User-Agent"));
        }
        inner.create_delay
    };
    let outage = state.inner.lock().unwrap().outages.pop_front();
    if let Some((status, pairs, body)) = outage {
        let mut response = (StatusCode::from_u16(status).unwrap(), body).into_response();
        for (name, value) in pairs {
            response.headers_mut().insert(name, value.parse().unwrap());
        }
        return response;
    }
    let Ok(operation) = checked else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let unauthorized = || {
        json_answer(
            StatusCode::UNAUTHORIZED,
            json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
            None,
        )
    };
    match operation.as_str() {
        "apps/create-installation-access-token" | "apps/list-installations" => {
            let Some(jwt) = token else {
                state
                    .inner
                    .lock()
                    .unwrap()
                    .problems
                    .push(format!("{path}: no JWT"));
                return unauthorized();
            };
            let verified = verify_jwt(&state, &jwt);
            {
                let mut inner = state.inner.lock().unwrap();
                inner.jwts.push(jwt);
                if let Err(problem) = verified {
                    inner.problems.push(format!("{path}: {problem}"));
                    return unauthorized();
                }
                if operation == "apps/list-installations" {
                    let url = format!("http://127.0.0.1{path}");
                    let (page, link) = page_of(&inner.installations, &query, inner.page_size, &url);
                    return json_answer(StatusCode::OK, Value::Array(page), link);
                }
            }
            let body: Value = serde_json::from_slice(&body).unwrap_or_default();
            if body != json!({"permissions": {"secret_scanning_alerts": "write"}}) {
                state
                    .inner
                    .lock()
                    .unwrap()
                    .problems
                    .push(format!("token asked with {body}"));
            }
            tokio::time::sleep(delay).await;
            let installation: u64 = path.split('/').nth(3).unwrap().parse().unwrap();
            let mut inner = state.inner.lock().unwrap();
            let n = inner.issued.len();
            let token = format!("ghs_StandIn{installation:04}x{n:04}{:021}", now());
            *inner.created.entry(installation).or_default() += 1;
            inner.issued.push((token.clone(), installation));
            let expires = SystemTime::now() + inner.token_lifetime;
            json_answer(
                StatusCode::CREATED,
                json!({
                    "token": token,
                    "expires_at": humantime::format_rfc3339_seconds(expires).to_string(),
                    "permissions": {"secret_scanning_alerts": "write"},
                    "repository_selection": "all",
                }),
                None,
            )
        }
        "apps/list-repos-accessible-to-installation" => {
            let mut inner = state.inner.lock().unwrap();
            let Some(installation) = token
                .as_ref()
                .and_then(|t| inner.issued.iter().find(|(i, _)| i == t).map(|(_, n)| *n))
            else {
                inner
                    .problems
                    .push(format!("{path}: not an issued installation token"));
                return unauthorized();
            };
            if inner.refuse_repositories > 0 {
                inner.refuse_repositories -= 1;
                return unauthorized();
            }
            let repos: Vec<Value> = inner
                .repositories
                .get(&installation)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, name)| json!({"id": i + 1, "full_name": name, "name": name.split('/').nth(1)}))
                .collect();
            let url = format!("http://127.0.0.1{path}");
            let (page, link) = page_of(&repos, &query, inner.page_size, &url);
            json_answer(
                StatusCode::OK,
                json!({"total_count": repos.len(), "repositories": page}),
                link,
            )
        }
        other => {
            state
                .inner
                .lock()
                .unwrap()
                .problems
                .push(format!("{path}: unexpected operation {other}"));
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// An installation object as `GET /app/installations` returns it.
pub fn installation(id: u64, login: &str, kind: &str) -> Value {
    json!({
        "id": id,
        "account": {"login": login, "id": id * 10, "type": kind},
        "target_type": kind,
        "app_id": 1,
        "permissions": {"secret_scanning_alerts": "write", "metadata": "read"},
        "events": ["secret_scanning_alert"],
    })
}
