//! A systematic fault matrix for `RevokeClient`: many batches against a loopback fake scripted
//! with a seeded mix of resets, stalls past the timeout, 5xx with HTML or malformed JSON, 202
//! with odd bodies, rate-limit answers in every form (with and without `x-ratelimit-*`), 422
//! validation failures and fatal answers.
//!
//! For each run a small model of the documented policy predicts every batch's end and attempt
//! count; then the invariants are checked from what the fake recorded and what the report and
//! events say: every credential ends in exactly one state (accepted, failed, not sent, or
//! skipped as unsendable input), none is lost, none is in two accepted requests, and every
//! request carries exactly one planned batch.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gh_revoke::{BatchStatus, Event, Fingerprint, Kind, RevokeReport, Stop};
use gh_revoke_tests::examples::classic;
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::{fast_policy, plan_of, revoke_builder, tokens};
use rand::RngExt;

const BATCHES: usize = 12;
const BATCH_SIZE: usize = 3;
const SEEDS: u64 = 8;
const SCRIPT_LEN: usize = 24;

/// What a scripted answer means to the client, per its documented policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Meaning {
    Accept,
    Transient,
    RateLimit,
    Reject,
    Fatal,
}

/// Every fault in the matrix, with what it means.
fn catalogue(now: u64) -> Vec<(&'static str, Meaning, Scripted)> {
    let reset = now.to_string();
    let limit_headers = |remaining: &str| {
        vec![
            ("x-ratelimit-limit".to_owned(), "60".to_owned()),
            ("x-ratelimit-remaining".to_owned(), remaining.to_owned()),
            ("x-ratelimit-used".to_owned(), "60".to_owned()),
            ("x-ratelimit-reset".to_owned(), reset.clone()),
            ("x-ratelimit-resource".to_owned(), "core".to_owned()),
        ]
    };
    let respond = |status: u16, headers: Vec<(String, String)>, body: &str| Scripted::Respond {
        status,
        headers,
        body: body.to_owned(),
    };
    let html = "<html><head><title>Oops</title></head><body>\n<h1>Unicorn!</h1></body></html>";
    use Meaning::*;
    vec![
        ("202 empty", Accept, respond(202, vec![], "")),
        ("202 null", Accept, respond(202, vec![], "null")),
        ("202 {}", Accept, respond(202, vec![], "{}")),
        ("202 html", Accept, respond(202, vec![], html)),
        ("reset", Transient, Scripted::Reset),
        (
            "stall",
            Transient,
            Scripted::Stall(Duration::from_millis(2500)),
        ),
        ("500 html", Transient, respond(500, vec![], html)),
        ("502 html", Transient, respond(502, vec![], html)),
        ("503 html", Transient, respond(503, vec![], html)),
        (
            "500 malformed json",
            Transient,
            respond(500, vec![], r#"{"message": "Internal"#),
        ),
        (
            "503 malformed json",
            Transient,
            respond(503, vec![], "{{not json"),
        ),
        (
            "403 remaining 0",
            RateLimit,
            respond(
                403,
                limit_headers("0"),
                r#"{"message":"API rate limit exceeded for 127.0.0.1."}"#,
            ),
        ),
        (
            "403 secondary, no headers",
            RateLimit,
            respond(
                403,
                vec![],
                r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#,
            ),
        ),
        (
            "403 secondary, headers",
            RateLimit,
            respond(
                403,
                limit_headers("12"),
                r#"{"message":"You have exceeded a secondary rate limit."}"#,
            ),
        ),
        (
            "429 retry-after 0",
            RateLimit,
            respond(
                429,
                vec![("retry-after".into(), "0".into())],
                r#"{"message":"Too Many Requests"}"#,
            ),
        ),
        ("429 retry-after 1, headers", RateLimit, {
            let mut headers = limit_headers("0");
            headers.push(("retry-after".into(), "1".into()));
            respond(429, headers, "")
        }),
        ("429 no headers", RateLimit, respond(429, vec![], html)),
        (
            "422 spammed, no headers",
            RateLimit,
            respond(
                422,
                vec![],
                r#"{"message":"Validation failed, or the endpoint has been spammed.","documentation_url":"https://docs.github.com/rest"}"#,
            ),
        ),
        (
            "422 spammed, headers",
            RateLimit,
            respond(
                422,
                limit_headers("0"),
                r#"{"message":"Validation failed, or the endpoint has been spammed."}"#,
            ),
        ),
        (
            "422 validation",
            Reject,
            respond(
                422,
                limit_headers("40"),
                r#"{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest","errors":["credentials is invalid"]}"#,
            ),
        ),
        (
            "401",
            Fatal,
            respond(401, vec![], r#"{"message":"Requires no authentication"}"#),
        ),
    ]
}

/// A seeded script: mostly accepts, transients and rate limits, sometimes a rejection, rarely a
/// fatal answer, and at times a run of one kind long enough to exhaust a retry bound.
fn script_for(seed: u64, catalogue: &[(&'static str, Meaning, Scripted)]) -> Vec<usize> {
    let mut rng = gh_revoke::fixtures::rng(seed);
    let of = |meaning: Meaning| -> Vec<usize> {
        (0..catalogue.len())
            .filter(|&i| catalogue[i].1 == meaning)
            .collect()
    };
    let pools = [
        (30, of(Meaning::Accept)),
        (36, of(Meaning::Transient)),
        (24, of(Meaning::RateLimit)),
        (7, of(Meaning::Reject)),
        (3, of(Meaning::Fatal)),
    ];
    let mut script = Vec::new();
    while script.len() < SCRIPT_LEN {
        let mut roll = rng.random_range(0..100);
        let pool = pools
            .iter()
            .find(|(weight, _)| {
                if roll < *weight {
                    true
                } else {
                    roll -= weight;
                    false
                }
            })
            .map(|(_, pool)| pool)
            .expect("weights add up to 100");
        let pick = pool[rng.random_range(0..pool.len())];
        // One time in six, repeat it past the bounds (4 transients, 5 rate limits).
        let repeat = if rng.random_range(0..6) == 0 { 5 } else { 1 };
        script.extend(std::iter::repeat_n(pick, repeat));
    }
    script
}

/// What the model predicts for one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Predicted {
    status: BatchStatus,
    attempts: u32,
    stops: bool,
}

/// The documented policy, applied to a script: 202 accepts; transient answers are retried up to
/// `max_attempts` answers; rate-limit answers are waited out up to `max_rate_limit_retries`
/// times, then the run stops; 422 validation fails the batch; 401 fails it and stops the run.
fn predict(meanings: &[Meaning], batches: usize) -> Vec<Predicted> {
    let policy = fast_policy();
    let mut script: VecDeque<Meaning> = meanings.iter().copied().collect();
    let mut out = Vec::new();
    for _ in 0..batches {
        let (mut attempts, mut transient, mut rate) = (0u32, 0u32, 0u32);
        let predicted = loop {
            attempts += 1;
            let end = |status, stops| Predicted {
                status,
                attempts,
                stops,
            };
            match script.pop_front().unwrap_or(Meaning::Accept) {
                Meaning::Accept => break end(BatchStatus::Accepted, false),
                Meaning::Reject => break end(BatchStatus::Failed, false),
                Meaning::Fatal => break end(BatchStatus::Failed, true),
                Meaning::RateLimit => {
                    rate += 1;
                    if rate > policy.max_rate_limit_retries {
                        break end(BatchStatus::Failed, true);
                    }
                }
                Meaning::Transient => {
                    transient += 1;
                    if transient >= policy.max_attempts {
                        break end(BatchStatus::Failed, false);
                    }
                }
            }
        };
        let stops = predicted.stops;
        out.push(predicted);
        if stops {
            break;
        }
    }
    out
}

/// The input: BATCHES × BATCH_SIZE tokens, with duplicates and unsendable lines mixed in.
fn input() -> (Vec<String>, Vec<String>, Vec<String>) {
    let sendable = tokens(BATCHES * BATCH_SIZE);
    let mut damaged = classic(Kind::ClassicPat, "faults-damaged").unwrap();
    let last = if damaged.ends_with('A') { 'B' } else { 'A' };
    damaged.pop();
    damaged.push(last);
    let unsendable = vec![
        damaged,
        classic(Kind::Installation, "faults-installation").unwrap(),
        "not a token at all".to_owned(),
    ];
    let mut lines = Vec::new();
    for (i, token) in sendable.iter().enumerate() {
        lines.push(token.clone());
        if i % 7 == 0 {
            lines.push(sendable[i / 2].clone()); // a duplicate
        }
        if i % 12 == 5 {
            lines.push(unsendable[i / 12].clone()); // each once
        }
    }
    (lines, sendable, unsendable)
}

#[derive(Debug, Default)]
struct Coverage {
    faults: HashSet<&'static str>,
    statuses: HashSet<String>,
    stopped: u32,
    gave_up_transient: u32,
}

async fn run_seed(seed: u64, coverage: &mut Coverage) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let catalogue = catalogue(now);
    let picks = script_for(seed, &catalogue);
    let meanings: Vec<Meaning> = picks.iter().map(|&i| catalogue[i].1).collect();
    let script: Vec<Scripted> = picks.iter().map(|&i| catalogue[i].2.clone()).collect();
    let names: Vec<&str> = picks.iter().map(|&i| catalogue[i].0).collect();
    let predicted = predict(&meanings, BATCHES);

    let fake = FakeGitHub::start(1000, Duration::from_secs(3600), script).await;
    let (lines, sendable, unsendable) = input();
    let plan = plan_of(&lines, BATCH_SIZE);
    assert_eq!(plan.batch_count(), BATCHES);
    let batches: Vec<Vec<String>> = plan
        .batches()
        .map(|b| b.expose_secrets().map(str::to_owned).collect())
        .collect();

    let client = revoke_builder(&fake.base_url())
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let mut accepted_events: Vec<Fingerprint> = Vec::new();
    let mut failed_events: Vec<usize> = Vec::new();
    let mut observer = |event: &Event<'_>| -> Result<(), String> {
        match event {
            Event::Accepted { fingerprints, .. } => accepted_events.extend(*fingerprints),
            Event::Failed { index, .. } => failed_events.push(*index),
            _ => {}
        }
        Ok(())
    };
    let report: RevokeReport = client.revoke(&plan).observer(&mut observer).await;
    let context = format!("seed {seed}, script {names:?}");

    // The report against the model.
    assert!(report.is_balanced(), "{context}: {report:?}");
    for (i, batch) in report.batches.iter().enumerate() {
        match predicted.get(i) {
            Some(p) => {
                assert_eq!(batch.status, p.status, "{context}: batch {i}: {report:?}");
                assert_eq!(
                    batch.attempts, p.attempts,
                    "{context}: batch {i}: {report:?}"
                );
                assert_eq!(batch.error.is_some(), p.status == BatchStatus::Failed);
            }
            None => {
                assert_eq!(batch.status, BatchStatus::Planned, "{context}: batch {i}");
                assert_eq!(batch.attempts, 0, "{context}: batch {i}");
            }
        }
        coverage.statuses.insert(format!("{:?}", batch.status));
    }
    let stopped = predicted.last().is_some_and(|p| p.stops);
    assert_eq!(
        matches!(report.stopped, Some(Stop::Fatal { .. })),
        stopped,
        "{context}: {:?}",
        report.stopped
    );
    coverage.stopped += u32::from(stopped);
    coverage.gave_up_transient += report
        .batches
        .iter()
        .filter(|b| b.error.as_deref().is_some_and(|e| e.starts_with("gave up")))
        .count() as u32;

    // Every request carries exactly one planned batch, in order, as often as the model says.
    let requests = fake.requests();
    let expected_requests: u32 = predicted.iter().map(|p| p.attempts).sum();
    assert_eq!(requests.len() as u32, expected_requests, "{context}");
    assert_eq!(report.requests, u64::from(expected_requests), "{context}");
    let mut cursor = 0;
    for (i, p) in predicted.iter().enumerate() {
        for request in &requests[cursor..cursor + p.attempts as usize] {
            assert_eq!(request.credentials(), batches[i], "{context}: batch {i}");
        }
        cursor += p.attempts as usize;
    }

    // Exactly one state per credential, from the fake's record and from the report.
    let mut in_accepted_requests: HashMap<&str, u32> = HashMap::new();
    let mut ever_sent: HashSet<String> = HashSet::new();
    for request in &requests {
        let credentials = request.credentials();
        if request.answered == 202 {
            for c in &credentials {
                *in_accepted_requests
                    .entry(sendable.iter().find(|s| *s == c).expect("sent an input"))
                    .or_default() += 1;
            }
        }
        ever_sent.extend(credentials);
    }
    let mut state: HashMap<&str, BatchStatus> = HashMap::new();
    for (i, batch) in report.batches.iter().enumerate() {
        for c in &batches[i] {
            assert!(state.insert(c, batch.status).is_none(), "{context}: twice");
        }
    }
    assert_eq!(
        state.len(),
        sendable.len(),
        "{context}: a credential was lost"
    );
    for token in &sendable {
        let accepted_answers = in_accepted_requests.get(token.as_str()).copied();
        match state[token.as_str()] {
            BatchStatus::Accepted => {
                assert_eq!(accepted_answers, Some(1), "{context}: accepted once")
            }
            BatchStatus::Failed => {
                assert_eq!(accepted_answers, None, "{context}: failed, yet a 202");
                assert!(ever_sent.contains(token), "{context}: failed unsent");
            }
            BatchStatus::Planned => {
                assert!(!ever_sent.contains(token), "{context}: pending, yet sent")
            }
        }
    }
    for skipped in &unsendable {
        assert!(!ever_sent.contains(skipped), "{context}: sent unsendable");
    }
    let count = |status| state.values().filter(|s| **s == status).count() as u64;
    assert_eq!(report.accepted, count(BatchStatus::Accepted), "{context}");
    assert_eq!(report.failed, count(BatchStatus::Failed), "{context}");
    assert_eq!(report.pending, count(BatchStatus::Planned), "{context}");
    assert_eq!(
        report.invalid + report.unsupported,
        3,
        "{context}: {report:?}"
    );

    // The observer (what a journal records) saw each accepted credential exactly once.
    let accepted_fps: HashSet<Fingerprint> = state
        .iter()
        .filter(|(_, s)| **s == BatchStatus::Accepted)
        .map(|(c, _)| Fingerprint::of(c.as_bytes()))
        .collect();
    assert_eq!(accepted_events.len(), accepted_fps.len(), "{context}");
    assert_eq!(
        accepted_events.into_iter().collect::<HashSet<_>>(),
        accepted_fps,
        "{context}"
    );
    let failed_batches: Vec<usize> = (0..BATCHES)
        .filter(|&i| report.batches[i].status == BatchStatus::Failed)
        .collect();
    assert_eq!(failed_events, failed_batches, "{context}");

    coverage.faults.extend(names);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_credential_ends_in_exactly_one_state_under_mixed_faults() {
    let mut coverage = Coverage::default();
    for seed in 1..=SEEDS {
        run_seed(seed, &mut coverage).await;
    }
    // The matrix must really have exercised what it claims to.
    let all: HashSet<&str> = catalogue(0).iter().map(|(name, ..)| *name).collect();
    let missing: Vec<_> = all.difference(&coverage.faults).collect();
    assert!(missing.is_empty(), "faults never scripted: {missing:?}");
    for status in ["Accepted", "Failed", "Planned"] {
        assert!(coverage.statuses.contains(status), "{status}: {coverage:?}");
    }
    assert!(coverage.stopped > 0, "{coverage:?}");
    assert!(coverage.gave_up_transient > 0, "{coverage:?}");
}
