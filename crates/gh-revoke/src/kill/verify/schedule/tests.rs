//! The verify schedule on tokio's paused clock: each probe is an in-process stand-in that
//! takes 50 ms of virtual time, so minutes of schedule run in milliseconds and every instant
//! is exact (no wall-clock timing).

use std::sync::{Arc, Mutex};

use super::*;

const LATENCY: Duration = Duration::from_millis(50);

fn timing(start: Instant, timeout: Duration) -> Timing {
    Timing {
        deadline: start + timeout,
        recheck: Duration::from_secs(5),
        max_recheck: Duration::from_secs(30),
        policy: RetryPolicy::default(),
    }
}

/// When each credential's requests were sent (from `start`), and when it was decided dead.
#[derive(Debug, Default)]
struct Log {
    sent: Vec<Vec<Duration>>,
    dead_at: Vec<Option<Duration>>,
    in_flight: usize,
    max_in_flight: usize,
}

/// Run the schedule over `n` credentials: `live(i)` stays live; the others die `dies_after`
/// after `start` (401 from then on, 200 before).
async fn simulate(
    n: usize,
    live: impl Fn(usize) -> bool,
    dies_after: Duration,
    timeout: Duration,
) -> (Vec<Outcome>, Log) {
    let start = Instant::now();
    let log = Arc::new(Mutex::new(Log {
        sent: vec![Vec::new(); n],
        dead_at: vec![None; n],
        ..Log::default()
    }));
    let live: Vec<bool> = (0..n).map(live).collect();
    let timing = timing(start, timeout);
    let outcomes = run(
        (0..n).map(|_| None).collect(),
        &timing,
        4,
        &mut Interrupt::never(),
        |index| {
            let log = Arc::clone(&log);
            let live = live[index];
            async move {
                {
                    let mut log = log.lock().unwrap();
                    log.sent[index].push(start.elapsed());
                    log.in_flight += 1;
                    log.max_in_flight = log.max_in_flight.max(log.in_flight);
                }
                tokio::time::sleep(LATENCY).await;
                let mut log = log.lock().unwrap();
                log.in_flight -= 1;
                if !live && start.elapsed() >= dies_after {
                    log.dead_at[index] = Some(start.elapsed());
                    Answer::Unauthorized
                } else {
                    Answer::Success
                }
            }
        },
    )
    .await;
    let log = Arc::try_unwrap(log).unwrap().into_inner().unwrap();
    (outcomes, log)
}

#[tokio::test(start_paused = true)]
async fn live_credentials_give_their_slot_back_while_they_wait() {
    // The case: 4 credentials that stay live, then 100 others (dead at once). Before,
    // the 4 held every slot until the timeout and the 100 were first checked at 95 s.
    let (outcomes, log) = simulate(104, |i| i < 4, Duration::ZERO, Duration::from_secs(120)).await;
    let first_of_others = log.sent[4..].iter().map(|s| s[0]).max().unwrap();
    assert!(
        first_of_others < Duration::from_secs(2),
        "the 100 others were first checked by {first_of_others:?}"
    );
    assert!(outcomes[4..].iter().all(|o| o.status == Liveness::Dead));
    assert!(outcomes[..4].iter().all(|o| o.status == Liveness::Live));
    assert!(log.max_in_flight <= 4, "{} in flight", log.max_in_flight);
}

#[tokio::test(start_paused = true)]
async fn the_benchmark_case_990_dead_within_20_s_and_live_ones_rechecked_on_schedule() {
    // 1,000 accepted, 10 stay live, the rest die 3 s after the 202; default timeout (2 min).
    let timeout = Duration::from_secs(120);
    let (outcomes, log) = simulate(1000, |i| i % 100 == 0, Duration::from_secs(3), timeout).await;
    let last_dead = log.dead_at.iter().flatten().max().copied().unwrap();
    assert_eq!(log.dead_at.iter().flatten().count(), 990);
    assert!(
        last_dead <= Duration::from_secs(20),
        "the 990th proven dead at {last_dead:?}"
    );
    assert!(log.max_in_flight <= 4, "{} in flight", log.max_in_flight);
    // Each live one: checked again 5 s, 10 s, 20 s, then every 30 s (the documented backoff)
    // after its previous check, each on time to within a request's latency, until the next
    // would come after the timeout.
    let expected_gaps = [5, 10, 20, 30, 30, 30, 30].map(Duration::from_secs);
    for i in (0..1000).filter(|i| i % 100 == 0) {
        let sent = &log.sent[i];
        assert_eq!(outcomes[i].status, Liveness::Live);
        assert_eq!(outcomes[i].checks as usize, sent.len());
        for (k, pair) in sent.windows(2).enumerate() {
            let answered = pair[0] + LATENCY;
            let gap = pair[1] - answered;
            assert!(
                gap >= expected_gaps[k] && gap <= expected_gaps[k] + 2 * LATENCY,
                "credential {i}, recheck {k}: {gap:?} after the answer (sent at {sent:?})"
            );
        }
        let last = *sent.last().unwrap() + LATENCY;
        let next_gap = expected_gaps[sent.len() - 1];
        assert!(
            last + next_gap > timeout,
            "credential {i} stopped early: last answer at {last:?} ({sent:?})"
        );
        assert!(sent.len() >= 5, "credential {i}: {sent:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_interruption_reports_what_each_undecided_credential_last_said() {
    let start = Instant::now();
    let timing = timing(start, Duration::from_secs(120));
    let signal = tokio::time::sleep(Duration::from_secs(7));
    let mut interrupt = Interrupt::on(signal);
    let outcomes = run(
        vec![None, None],
        &timing,
        4,
        &mut interrupt,
        |index| async move {
            tokio::time::sleep(LATENCY).await;
            if index == 0 {
                Answer::Success
            } else {
                Answer::Unauthorized
            }
        },
    )
    .await;
    assert_eq!(outcomes[1].status, Liveness::Dead);
    assert_eq!(outcomes[0].status, Liveness::Unknown);
    assert_eq!(outcomes[0].checks, 2, "{:?}", outcomes[0].detail);
    assert!(
        outcomes[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("still live at the last of 2 checks")
    );
}
