//! The worker driven without HTTP: deliveries fed to the store by hand, cycles run one by one,
//! against the loopback stand-in of GitHub's alerts API.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gh_revoke::fixtures::classic;
use gh_revoke::{AlertsClient, ApiBase, Kind, RevokeClient};
use gh_revoke_serve::{AlertDelivery, Store, Worker, WorkerSettings, now_ms};
use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use secrecy::SecretString;
use tokio_util::sync::CancellationToken;

const CALLER: &str = "ghp_CallerTokenNotALeakCallerToken0000000";

fn token(seed: u64) -> String {
    classic(Kind::ClassicPat, 7_000 + seed)
}

fn worker(server: &AlertsServer, store: Arc<Store>, settings: WorkerSettings) -> Worker {
    let base = ApiBase::parse(&server.url()).unwrap();
    let alerts = AlertsClient::builder(base.clone(), SecretString::from(CALLER))
        .resolve_interval(Duration::from_millis(10))
        .build()
        .unwrap();
    let revoke = RevokeClient::builder(base).build().unwrap();
    Worker::new(store, alerts, revoke, true, None).settings(settings)
}

fn deliver(store: &Store, id: &str, number: i64) {
    let delivery = AlertDelivery::new(id, "created", "octo-org/app", number, None).unwrap();
    store.accept(&delivery, now_ms()).unwrap();
}

fn outcome(store: &Store, number: i64) -> (String, Option<String>, Option<String>) {
    let record = store
        .records()
        .unwrap()
        .into_iter()
        .rev()
        .find(|r| r.number == number)
        .unwrap();
    (record.status, record.outcome, record.reason)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_cycle_handles_each_kind_of_alert_and_the_state_holds_no_secret() {
    let mut resolved = StandInAlert::open("octo-org/app", 2, &token(2));
    resolved.resolved = true;
    let mut slack = StandInAlert::open("octo-org/app", 3, "xoxb-not-a-github-token-0000");
    slack.secret_type = "slack_api_token".into();
    let server = tokio::task::spawn_blocking(move || {
        AlertsServer::start(vec![
            StandInAlert::open("octo-org/app", 1, &token(1)),
            resolved,
            slack,
        ])
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = Arc::new(Store::open(&path).unwrap());
    for (id, n) in [("a", 1), ("b", 2), ("c", 3), ("d", 99)] {
        deliver(&store, id, n);
    }
    let worker = worker(&server, Arc::clone(&store), WorkerSettings::default());
    let cancel = CancellationToken::new();
    let revoking = worker.revoke_once(&cancel).await.unwrap();
    assert_eq!(
        (
            revoking.taken,
            revoking.done,
            revoking.revoked,
            revoking.failed
        ),
        (4, 2, 1, 1),
        "{revoking:?}"
    );
    assert_eq!(revoking.revoke_requests, 1);
    // Revoked, not yet resolved: the resolving stage does that, without revoking again.
    assert_eq!(outcome(&store, 1).0, "revoked");
    assert!(server.patches().is_empty());
    let resolving = worker.resolve_once(&cancel).await.unwrap();
    assert_eq!((resolving.taken, resolving.done), (1, 1), "{resolving:?}");
    assert_eq!(resolving.revoke_requests, 0);
    assert_eq!(server.revoked(), vec![token(1)]);
    assert_eq!(outcome(&store, 1).1.as_deref(), Some("resolved"));
    assert_eq!(outcome(&store, 2).1.as_deref(), Some("already_resolved"));
    assert_eq!(outcome(&store, 3).1.as_deref(), Some("unsupported"));
    let (status, _, reason) = outcome(&store, 99);
    assert_eq!(status, "failed");
    assert!(reason.unwrap().contains("fetching the alert"));
    assert_eq!(server.revoked(), vec![token(1)]);
    assert_eq!(server.patches().len(), 1);
    assert_eq!(store.queued().unwrap(), 0);
    // Fingerprints, never the secret.
    let fingerprint = store.records().unwrap()[0].fingerprint.clone().unwrap();
    assert!(!fingerprint.is_empty() && !fingerprint.contains(&token(1)));
    drop(worker);
    drop(store);
    for (name, bytes) in std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
    {
        for secret in [token(1), token(2), CALLER.to_owned(), "xoxb-not".to_owned()] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "a secret in {name}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_step_is_retried_then_recorded_failed_with_its_reason() {
    let server = tokio::task::spawn_blocking(|| {
        AlertsServer::start(vec![StandInAlert::open("octo-org/app", 1, &token(1))])
    })
    .await
    .unwrap();
    // GitHub refuses the batch twice (a validation failure is not retried by the client).
    for _ in 0..2 {
        server.inject(
            Route::Revoke,
            Answer::new(422, r#"{"message":"Validation Failed"}"#),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("state.db")).unwrap());
    deliver(&store, "a", 1);
    let settings = WorkerSettings::default()
        .max_attempts(2)
        .retry_delays(Duration::ZERO, Duration::ZERO);
    let worker = worker(&server, Arc::clone(&store), settings);
    let cancel = CancellationToken::new();
    let first = worker.run_once(&cancel).await.unwrap();
    assert_eq!(first.retried, 1, "{first:?}");
    assert_eq!(outcome(&store, 1).0, "queued");
    let second = worker.run_once(&cancel).await.unwrap();
    assert_eq!(second.failed, 1, "{second:?}");
    let (status, name, reason) = outcome(&store, 1);
    assert_eq!(
        (status.as_str(), name.as_deref()),
        ("failed", Some("failed"))
    );
    let reason = reason.unwrap();
    assert!(
        reason.contains("gave up after 2 attempts") && reason.contains("not_revoked"),
        "{reason}"
    );
    assert!(server.resolved().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_revocation_budget_is_remembered_from_one_cycle_to_the_next() {
    let server = tokio::task::spawn_blocking(|| {
        AlertsServer::start(vec![
            StandInAlert::open("octo-org/app", 1, &token(1)),
            StandInAlert::open("octo-org/app", 2, &token(2)),
        ])
    })
    .await
    .unwrap();
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3;
    server.inject(
        Route::Revoke,
        Answer::new(202, "")
            .header("x-ratelimit-limit", "60")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string()),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("state.db")).unwrap());
    let worker = worker(&server, Arc::clone(&store), WorkerSettings::default());
    let cancel = CancellationToken::new();
    deliver(&store, "a", 1);
    worker.run_once(&cancel).await.unwrap();
    deliver(&store, "b", 2);
    let start = Instant::now();
    worker.run_once(&cancel).await.unwrap();
    let calls = server.calls("POST", "/credentials/revoke");
    assert_eq!(calls.len(), 2);
    assert!(
        SystemTime::now() >= UNIX_EPOCH + Duration::from_secs(reset),
        "the second cycle's request waited for the reset"
    );
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(outcome(&store, 2).1.as_deref(), Some("resolved"));
}
