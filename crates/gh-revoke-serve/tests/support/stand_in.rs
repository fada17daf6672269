//! What the loopback stand-ins of GitHub share (`github_app.rs`, `new_app.rs`): an axum app
//! served on 127.0.0.1, its state behind a lock with the problems it saw, and a request read
//! and checked against the vendored fragment (`gh_revoke_tests::fragment`).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, Method, Uri, header};
use serde_json::Value;

/// A stand-in's state: every departure from the fragment or from GitHub's rules, as text.
pub trait Problems {
    /// What the stand-in saw go wrong.
    fn problems(&self) -> &[String];
}

/// A running stand-in: where it listens and what it holds.
pub struct StandIn<I> {
    pub addr: SocketAddr,
    pub inner: Arc<Mutex<I>>,
}

impl<I> StandIn<I> {
    /// A listener on a free port of 127.0.0.1 (bound first, for apps that must know their
    /// own address).
    pub async fn listen() -> tokio::net::TcpListener {
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap()
    }

    /// Serve `app` on `listener` in the background.
    pub fn serve(
        listener: tokio::net::TcpListener,
        inner: Arc<Mutex<I>>,
        app: axum::Router,
    ) -> Self {
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, inner }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut I) -> R) -> R {
        f(&mut self.inner.lock().unwrap())
    }
}

impl<I: Problems> StandIn<I> {
    /// Panic with every problem seen.
    pub fn assert_clean(&self) {
        let problems = self.with(|i| i.problems().to_vec());
        assert!(problems.is_empty(), "stand-in saw: {problems:#?}");
    }
}

/// The query pairs of `uri`, decoded, in the order sent.
pub fn query_of(uri: &Uri) -> Vec<(String, String)> {
    url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The request checked against the fragment: `Ok(operationId)` or what departs from it.
pub fn check(
    root: &Value,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    gh_revoke_tests::fragment::check(
        root,
        method.as_str(),
        uri.path(),
        &query_of(uri),
        content_type,
        body,
    )
}
