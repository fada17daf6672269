//! A paced run against [`FakeGitHub`] with a small rate-limit window, shared by the pacing
//! test (`tests/tests/library/pacing.rs`, which asserts counts) and the pacing benchmark
//! (`cargo run -p gh-revoke-tests --bin pacing-bench`, which reports wall time against the
//! optimum).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gh_revoke::{Event, WaitReason};

use crate::fake_github::FakeGitHub;
use crate::{plan_of, revoke_builder, tokens};

/// What one paced run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacedRun {
    /// Credentials in the plan.
    pub credentials: usize,
    /// Requests the fake received.
    pub requests: usize,
    /// Requests it accepted (202).
    pub accepted_requests: usize,
    /// Over-limit answers the client provoked.
    pub over_limit_answers: u32,
    /// Waits for a spent window to reset.
    pub window_waits: usize,
    /// Waits after a rate-limit answer.
    pub rate_limited_waits: usize,
    /// Credentials the report says were accepted.
    pub accepted: u64,
    /// From the first request to the end of the run.
    pub wall: Duration,
}

impl PacedRun {
    /// The fewest waits any client can make: one per window after the first.
    pub fn optimal_waits(requests: usize, limit: u32) -> usize {
        requests.div_ceil(limit as usize).saturating_sub(1)
    }
}

/// Sleeps until just after the next whole second, so that a fake started right after has a
/// full first window (its `x-ratelimit-reset` is in whole seconds: the first window lasts
/// from its start to the next multiple of a second after `start + window - 1 s`).
pub async fn align_to_second() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let into = Duration::from_nanos(u64::from(now.subsec_nanos()));
    tokio::time::sleep(Duration::from_secs(1) - into + Duration::from_millis(20)).await;
}

/// Revokes `n` credentials in batches of `batch_size` against a fake allowing `limit`
/// requests per `window`, started on a second boundary.
pub async fn paced_run(n: usize, batch_size: usize, limit: u32, window: Duration) -> PacedRun {
    let tokens = tokens(n);
    let plan = plan_of(&tokens, batch_size);
    align_to_second().await;
    let fake = FakeGitHub::start(limit, window, vec![]).await;
    let client = revoke_builder(&fake.base_url())
        .build()
        .expect("client builds");
    let (mut window_waits, mut rate_limited_waits) = (0, 0);
    let mut observer = |event: &Event<'_>| -> Result<(), String> {
        if let Event::Waiting { reason, .. } = event {
            match reason {
                WaitReason::WindowSpent => window_waits += 1,
                WaitReason::RateLimited => rate_limited_waits += 1,
                _ => {}
            }
        }
        Ok(())
    };
    let start = Instant::now();
    let report = client.revoke(&plan).observer(&mut observer).await;
    let wall = start.elapsed();
    let requests = fake.requests();
    PacedRun {
        credentials: n,
        requests: requests.len(),
        accepted_requests: requests.iter().filter(|r| r.answered == 202).count(),
        over_limit_answers: fake.over_limit_answers(),
        window_waits,
        rate_limited_waits,
        accepted: report.accepted,
        wall,
    }
}
