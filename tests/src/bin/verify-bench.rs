//! `--verify` schedule benchmark (issue 20, item 16): 1,000 accepted credentials against a
//! loopback stand-in of `GET /rate_limit` with 50 ms latency; 10 stay live, the other 990 die
//! 3 s after the 202 (the stand-in's start). The client runs with its defaults (4 in flight,
//! recheck 5 s doubling to 30 s, `--verify-timeout` 2 min).
//!
//! `cargo run --release -p gh-revoke-tests --bin verify-bench [N] [LIVE]` (`scripts/verify-bench.sh`).
//! Prints when the last of the dying credentials was proven dead, and when each live one was
//! checked (seconds since the 202).

use std::collections::HashSet;
use std::time::Duration;

use gh_revoke::{ApiBase, Classified, ToVerify, VerifyClient, classify};
use gh_revoke_tests::liveness::LivenessServer;
use gh_revoke_tests::tokens;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let live_count: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let every = (n / live_count.max(1)).max(1);
    let tokens = tokens(n);
    let live: HashSet<String> = tokens
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0 && i / every < live_count)
        .map(|(_, t)| t.clone())
        .collect();
    let server = LivenessServer::start(
        live.clone(),
        Duration::from_secs(3),
        Duration::from_millis(50),
    )
    .await;
    let client = VerifyClient::builder(ApiBase::parse(server.base_url()).expect("loopback url"))
        .build()
        .expect("client");
    let items = tokens.iter().map(|t| {
        let Classified::Valid(credential) = classify(t.as_bytes()) else {
            panic!("the synthetic tokens are well-formed")
        };
        ToVerify::new(credential, None)
    });
    let report = client.verify(items).await;
    let wall = server.elapsed();
    let log = server.log();
    let mut dead_at: Vec<Duration> = log.iter().filter(|a| a.dead).map(|a| a.answered).collect();
    dead_at.sort();
    let asked = server.asked_at();
    let first_checked_by = asked
        .iter()
        .filter(|(t, _)| !live.contains(*t))
        .map(|(_, times)| times[0])
        .max()
        .unwrap_or_default();
    let secs = |d: Duration| format!("{:.2}", d.as_secs_f64());
    println!(
        "credentials: {n} ({} stay live, the rest die 3 s after the 202); latency 50 ms",
        live.len()
    );
    println!(
        "report: dead {}, live {}, unknown {}, requests {}; stand-in saw {} requests, at most {} in flight",
        report.dead,
        report.live,
        report.unknown,
        report.requests,
        log.len(),
        server.max_in_flight()
    );
    println!(
        "every dying credential first checked by {} s; proven dead: 50% at {} s, 90% at {} s, last ({}th) at {} s",
        secs(first_checked_by),
        secs(dead_at.get(dead_at.len() / 2).copied().unwrap_or_default()),
        secs(
            dead_at
                .get(dead_at.len() * 9 / 10)
                .copied()
                .unwrap_or_default()
        ),
        dead_at.len(),
        secs(dead_at.last().copied().unwrap_or_default()),
    );
    let mut live_tokens: Vec<&String> = live.iter().collect();
    live_tokens.sort_by_key(|t| asked.get(*t).map(|v| v[0]));
    for (k, token) in live_tokens.iter().enumerate() {
        let times = asked.get(*token).cloned().unwrap_or_default();
        let list: Vec<String> = times.iter().map(|d| secs(*d)).collect();
        println!("live #{k}: checked at {} s", list.join(", "));
    }
    println!("verification took {} s", secs(wall));
}
