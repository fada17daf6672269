//! The HTTP surface: `POST /webhook`, `GET /healthz`, `GET /metrics`, 404 otherwise (axum).
//!
//! - The signature is checked over the raw body before it is parsed; bodies over
//!   [`MAX_BODY`] (GitHub's 25 MB cap, docs "Webhook events and payloads": "Payloads are capped
//!   at 25 MB") are answered 413 by tower-http's body limit.
//! - An accepted alert delivery is committed to the state before the 202 leaves; the commit
//!   is a group commit on a thread of its own ([`Committer`]), so the answer never waits on the
//!   worker (GitHub gives up after
//!   10 s and does not redeliver by itself: docs "Handling failed webhook deliveries").
//! - Every request must be answered within [`REQUEST_TIMEOUT`]; a connection that sends
//!   nothing for [`IDLE_TIMEOUT`] is closed ([`IdleTimeoutListener`]), so idle connections
//!   cannot pile up, and each connection is served by its own task, so they never stop a real
//!   delivery from being answered.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::{Instant, Sleep};
use tokio_util::sync::CancellationToken;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::commit::Committer;
use crate::event::{Delivery, parse};
use crate::metrics;
use crate::signature::{SIGNATURE_HEADER, WebhookSecret};
use crate::store::{Accepted, Store};

/// The largest body taken: GitHub's cap, 25 MiB.
pub const MAX_BODY: usize = 25 * 1024 * 1024;

/// How long a request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(8);

/// How long a connection may send nothing before it is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    secret: WebhookSecret,
    committer: Committer,
    notify: Arc<Notify>,
    metrics: Option<PrometheusHandle>,
    running: Arc<AtomicBool>,
    require_installation: bool,
}

impl AppState {
    /// Handlers over `store`, checking deliveries with `secret`; `notify` wakes the worker,
    /// `running` says whether it runs (`/healthz`), `metrics` renders `/metrics`.
    pub fn new(
        secret: WebhookSecret,
        store: Arc<Store>,
        notify: Arc<Notify>,
        running: Arc<AtomicBool>,
        metrics: Option<PrometheusHandle>,
    ) -> Self {
        Self {
            secret,
            committer: Committer::start(store),
            notify,
            metrics,
            running,
            require_installation: false,
        }
    }

    /// App mode: an alert delivery without `installation.id` is answered 400 and not stored
    /// (there would be no installation token to read the alert with).
    pub fn require_installation(mut self, require: bool) -> Self {
        self.require_installation = require;
        self
    }
}

/// The router: `POST /webhook`, `GET /healthz`, `GET /metrics`; anything else 404.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/webhook", post(webhook))
        .route("/healthz", get(healthz))
        .route("/metrics", get(render_metrics))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Serve `router` on `listener` until `cancel` fires: then stop accepting, let the requests
/// in progress finish, and return.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    cancel: CancellationToken,
) -> io::Result<()> {
    axum::serve(IdleTimeoutListener::new(listener, IDLE_TIMEOUT), router)
        .with_graceful_shutdown(cancel.cancelled_owned())
        .await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
    if let Err(err) = state.secret.verify(signature, &body) {
        metrics::delivery("bad_signature");
        tracing::warn!(error = %err, "delivery refused: bad signature");
        return (StatusCode::UNAUTHORIZED, format!("{err}\n")).into_response();
    }
    let delivery = match parse(
        header(&headers, "x-github-event"),
        header(&headers, "x-github-delivery"),
        &body,
    ) {
        Ok(delivery) => delivery,
        Err(err) => {
            metrics::delivery("bad_request");
            tracing::warn!(error = %err, "delivery refused: bad request");
            return (StatusCode::BAD_REQUEST, format!("{err}\n")).into_response();
        }
    };
    match delivery {
        Delivery::Ping => {
            metrics::delivery("ping");
            (StatusCode::OK, "pong\n").into_response()
        }
        // App mode needs the body's `installation.id` to pick the installation token: "Webhook
        // payloads contain the `installation` property when the event is configured for and
        // sent to a GitHub App" (the vendored description, `components/schemas/
        // simple-installation` in `webhook-secret-scanning-alert-*`, required `id`), and
        // GitHub's token guide: "If you are responding to a webhook event, the webhook payload
        // will include the installation ID" (docs@02d420b3:data/reusables/apps/
        // generate-installation-access-token.md). The `X-GitHub-Hook-Installation-Target-*`
        // headers are not used: their values are not documented.
        Delivery::Alert(alert) if state.require_installation && alert.installation_id.is_none() => {
            metrics::delivery("bad_request");
            tracing::warn!(
                delivery = %alert.delivery_id,
                "delivery refused: no installation.id (the receiver runs as a GitHub App)"
            );
            (
                StatusCode::BAD_REQUEST,
                "no installation.id: this receiver runs as a GitHub App and reads each alert \
                 with its installation's token\n",
            )
                .into_response()
        }
        Delivery::Alert(alert) => {
            let committed = state.committer.accept(alert.clone()).await;
            match committed {
                Ok(Accepted::New) => {
                    metrics::delivery("accepted");
                    state.notify.notify_one();
                    tracing::info!(
                        delivery = %alert.delivery_id,
                        repository = %alert.repository,
                        number = alert.number,
                        action = %alert.action,
                        "delivery accepted"
                    );
                    (StatusCode::ACCEPTED, "accepted\n").into_response()
                }
                Ok(Accepted::Duplicate) => {
                    metrics::delivery("duplicate");
                    tracing::info!(delivery = %alert.delivery_id, "redelivery: handled once");
                    (StatusCode::ACCEPTED, "already accepted\n").into_response()
                }
                Err(err) => {
                    tracing::error!(error = %err, "could not commit a delivery");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "could not store the delivery\n",
                    )
                        .into_response()
                }
            }
        }
        Delivery::Ignored { event, action } => {
            metrics::delivery("ignored");
            tracing::debug!(%event, ?action, "delivery ignored");
            StatusCode::NO_CONTENT.into_response()
        }
    }
}

async fn healthz(State(state): State<AppState>) -> Response {
    if state.running.load(Ordering::SeqCst) {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "the worker is not running\n",
        )
            .into_response()
    }
}

async fn render_metrics(State(state): State<AppState>) -> Response {
    match state.metrics.as_ref() {
        Some(handle) => (
            StatusCode::OK,
            [("content-type", "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "metrics are not enabled\n").into_response(),
    }
}

/// A TCP listener whose connections are closed after sending nothing for a while.
#[derive(Debug)]
pub struct IdleTimeoutListener {
    inner: TcpListener,
    idle: Duration,
}

impl IdleTimeoutListener {
    /// Wrap `inner`: a connection that sends nothing for `idle` is closed.
    pub fn new(inner: TcpListener, idle: Duration) -> Self {
        Self { inner, idle }
    }
}

impl axum::serve::Listener for IdleTimeoutListener {
    type Io = IdleTimeoutStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (IdleTimeoutStream::new(stream, self.idle), addr);
                }
                Err(err) => {
                    // Out of descriptors and the like: wait a moment, as axum's own listener
                    // does, instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP stream whose reads fail with `TimedOut` after `idle` without a byte.
#[derive(Debug)]
pub struct IdleTimeoutStream {
    inner: TcpStream,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl IdleTimeoutStream {
    fn new(inner: TcpStream, idle: Duration) -> Self {
        Self {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }
}

impl AsyncRead for IdleTimeoutStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    let next = Instant::now() + self.idle;
                    self.deadline.as_mut().reset(next);
                }
                Poll::Ready(result)
            }
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the connection sent nothing for too long",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for IdleTimeoutStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
