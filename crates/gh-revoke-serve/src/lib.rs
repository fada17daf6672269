//! gh-revoke-serve: the receiver for GitHub's `secret_scanning_alert` webhooks behind
//! `gh-revoke serve`, and the GitHub App around it.
//!
//! It lives in a crate of its own so that programs using the `gh-revoke` library (scanners,
//! bots) do not build a web server and SQLite.
//!
//! The core is usable without HTTP: [`WebhookSecret::verify`] checks a delivery's signature,
//! [`parse`] reads it, [`Store::accept`] commits it (SQLite; the state never holds a secret),
//! and a [`Worker`] fetches each queued alert and runs the `gh-revoke` library's alerts flow on
//! it ([`gh_revoke::AlertsClient::run_on`]), coalescing the tokens waiting at the same time
//! into one paced `POST /credentials/revoke`. [`router`] and [`serve`] put axum in front.
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub use commit::Committer;
pub use event::{ACCEPTED_ACTIONS, ALERT_EVENT, AlertDelivery, Delivery, EventError, parse};
pub use http::{
    AppState, IDLE_TIMEOUT, IdleTimeoutListener, IdleTimeoutStream, MAX_BODY, REQUEST_TIMEOUT,
    router, serve,
};
pub use signature::{SIGNATURE_HEADER, SignatureError, WebhookSecret};
pub use source::{AlertsSource, AppAlerts};
pub use store::{Accepted, AlertRecord, QueuedAlert, Store, StoreError, Update, now_ms};
pub use worker::{Cycle, SweepError, Worker, WorkerSettings};

pub mod app;
mod commit;
mod event;
mod http;
pub mod metrics;
mod signature;
mod source;
mod store;
mod worker;
