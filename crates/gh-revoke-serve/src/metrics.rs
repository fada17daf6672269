//! The receiver's metrics, named once, and the Prometheus recorder behind `GET /metrics`.
//!
//! Recorded through the `metrics` facade (nothing happens until a recorder is installed);
//! [`install`] installs metrics-exporter-prometheus' recorder once per process.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Deliveries by outcome: `accepted`, `duplicate`, `ignored`, `ping`, `bad_signature`,
/// `bad_request`.
pub const DELIVERIES: &str = "gh_revoke_deliveries_total";
/// Alerts handled, by outcome (as the `alerts` report names them, plus `failed_permanently`
/// for an alert given up after the retry bound).
pub const ALERTS: &str = "gh_revoke_alerts_total";
/// `POST /credentials/revoke` requests sent.
pub const REVOKE_REQUESTS: &str = "gh_revoke_revoke_requests_total";
/// Alert attempts that failed and will be retried.
pub const RETRIES: &str = "gh_revoke_retries_total";
/// Alerts waiting in the queue.
pub const QUEUE_DEPTH: &str = "gh_revoke_queue_depth";
/// `x-ratelimit-remaining` of the last `POST /credentials/revoke` answer.
pub const RATE_LIMIT_REMAINING: &str = "gh_revoke_rate_limit_remaining";
/// Seconds from a delivery's arrival to its credential's revocation being accepted.
pub const DELIVERY_TO_REVOKE: &str = "gh_revoke_delivery_to_revoke_seconds";

/// The histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Install the Prometheus recorder for this process (once; later calls return the same
/// handle). `None` if another recorder was installed first.
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(DELIVERY_TO_REVOKE.into()), &BUCKETS)
                .ok()?;
            let handle = builder.install_recorder().ok()?;
            describe();
            Some(handle)
        })
        .clone()
}

fn describe() {
    metrics::describe_counter!(DELIVERIES, "webhook deliveries by outcome");
    metrics::describe_counter!(ALERTS, "alerts handled by outcome");
    metrics::describe_counter!(REVOKE_REQUESTS, "POST /credentials/revoke requests sent");
    metrics::describe_counter!(RETRIES, "alert attempts that failed and will be retried");
    metrics::describe_gauge!(QUEUE_DEPTH, "alerts waiting in the queue");
    metrics::describe_gauge!(
        RATE_LIMIT_REMAINING,
        "x-ratelimit-remaining of the last POST /credentials/revoke answer"
    );
    metrics::describe_histogram!(
        DELIVERY_TO_REVOKE,
        metrics::Unit::Seconds,
        "time from a delivery's arrival to its credential's revocation being accepted"
    );
}

/// Count one delivery with `outcome`.
pub fn delivery(outcome: &'static str) {
    metrics::counter!(DELIVERIES, "outcome" => outcome).increment(1);
}

/// Set the queue depth.
pub fn queue_depth(depth: u64) {
    metrics::gauge!(QUEUE_DEPTH).set(depth as f64);
}
