//! Pacing benchmark: wall time of paced runs against a loopback fake with small windows,
//! compared with the optimum `(ceil(requests / L) - 1) × window`.
//! `cargo run -p gh-revoke-tests --bin pacing-bench [RUNS]` (used by `scripts/bench.sh`).

use std::time::Duration;

use gh_revoke_tests::pacing::{PacedRun, paced_run};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    println!(
        "| credentials | batch | L | window | requests | waits (optimum) | over-limit | median wall | optimum wall | overhead |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (n, batch, limit, window) in [
        (5usize, 1usize, 2u32, 2u64),
        (7, 1, 3, 2),
        (2500, 1000, 2, 2),
    ] {
        let window = Duration::from_secs(window);
        let mut walls = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let run = paced_run(n, batch, limit, window).await;
            walls.push(run.wall);
            last = Some(run);
        }
        walls.sort();
        let Some(run) = last else { continue };
        let median = walls[walls.len() / 2];
        let optimal_waits = PacedRun::optimal_waits(run.requests, limit);
        let optimum = window * optimal_waits as u32;
        println!(
            "| {n} | {batch} | {limit} | {} s | {} | {} ({optimal_waits}) | {} | {:.2} s | {:.2} s | {:+.2} s |",
            window.as_secs(),
            run.requests,
            run.window_waits,
            run.over_limit_answers,
            median.as_secs_f64(),
            optimum.as_secs_f64(),
            median.as_secs_f64() - optimum.as_secs_f64(),
        );
    }
}
