//! Pacing is optimal: for n credentials the client makes exactly ceil(n / batch) accepted
//! requests, and under a window of L requests it waits for the reset exactly
//! ceil(requests / L) - 1 times, never provoking an over-limit answer.
//!
//! The fake's first window starts when the fake does, so each run starts it on a second
//! boundary (see `gh_revoke_tests::pacing::align_to_second`); the client learns the window
//! from each answer's headers (`x-ratelimit-remaining: 0` → wait until
//! `x-ratelimit-reset`), so the first window needs no special treatment and the count is
//! exact. Wall time against the optimum is reported by the pacing benchmark, not asserted
//! here.

use std::time::Duration;

use gh_revoke_tests::pacing::{PacedRun, paced_run};

fn assert_optimal(run: &PacedRun, batch_size: usize, limit: u32) {
    let requests = run.credentials.div_ceil(batch_size);
    assert_eq!(run.requests, requests, "{run:?}");
    assert_eq!(run.accepted_requests, requests, "{run:?}");
    assert_eq!(run.accepted, run.credentials as u64, "{run:?}");
    assert_eq!(run.over_limit_answers, 0, "{run:?}");
    assert_eq!(run.rate_limited_waits, 0, "{run:?}");
    assert_eq!(
        run.window_waits,
        PacedRun::optimal_waits(requests, limit),
        "{run:?}"
    );
}

#[tokio::test]
async fn five_single_batches_two_per_window_wait_twice() {
    let run = paced_run(5, 1, 2, Duration::from_secs(2)).await;
    assert_optimal(&run, 1, 2);
    assert_eq!(run.window_waits, 2);
}

#[tokio::test]
async fn seven_single_batches_three_per_window_wait_twice() {
    let run = paced_run(7, 1, 3, Duration::from_secs(2)).await;
    assert_optimal(&run, 1, 3);
    assert_eq!(run.window_waits, 2);
}

#[tokio::test]
async fn twenty_five_hundred_credentials_take_three_requests_and_one_wait() {
    let run = paced_run(2500, 1000, 2, Duration::from_secs(2)).await;
    assert_optimal(&run, 1000, 2);
    assert_eq!((run.requests, run.window_waits), (3, 1));
}

#[tokio::test]
async fn a_window_larger_than_the_run_never_waits() {
    let run = paced_run(3, 1, 60, Duration::from_secs(3600)).await;
    assert_optimal(&run, 1, 60);
    assert_eq!(run.window_waits, 0);
}
