//! Unit tests of the plan.

use std::sync::Arc;

use proptest::prelude::*;

use super::secrets::{pack, unpack};
use super::*;
use crate::credential::{Classified, MAX_TOKEN_LEN, classify};
use crate::fixtures::{assert_no_leak, classic as fixture, fine_grained, new_installation};

fn found(text: &str, line: u64) -> Found {
    Found {
        location: Location {
            source: Arc::from("in"),
            line,
            column: 1,
            offset: 0,
            encoding: None,
        },
        item: classify(text.as_bytes()),
    }
}

fn plan_of(options: PlanOptions, texts: &[String]) -> Plan {
    Plan::from_found(
        options,
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| found(t, i as u64 + 1)),
    )
}

fn all_sent(plan: &Plan) -> Vec<String> {
    plan.batches()
        .flat_map(|b| b.expose_secrets().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[test]
fn options_validate_batch_size() {
    assert_eq!(PlanOptions::new(0), Err(PlanError::BatchSize { found: 0 }));
    assert_eq!(
        PlanOptions::new(1001),
        Err(PlanError::BatchSize { found: 1001 })
    );
    assert!(
        PlanError::BatchSize { found: 0 }
            .to_string()
            .contains("between 1 and 1000")
    );
    assert_eq!(PlanOptions::new(1).map(|o| o.batch_size()), Ok(1));
    assert_eq!(PlanOptions::default().batch_size(), 1000);
    assert!(!PlanOptions::default().allow_unverified());
}

#[test]
fn dedupes_and_counts() {
    let a = fixture(Kind::ClassicPat, 1);
    let b = fine_grained(2);
    let c = fixture(Kind::OAuth, 3);
    let ghs = new_installation(4);
    let texts = vec![
        a.clone(),
        b.clone(),
        a.clone(),
        "nonsense".to_owned(),
        ghs.clone(),
        c.clone(),
        b.clone(),
        a.clone(),
        ghs,
        "ghp_1234567890abcdef1234567890abcdef12345678".to_owned(),
    ];
    let plan = plan_of(PlanOptions::default(), &texts);
    let counts = plan.counts();
    assert_eq!(
        counts,
        PlanCounts {
            read: 10,
            unique_valid: 3,
            unique_unverified: 0,
            duplicates: 3,
            invalid: 2,
            unsupported: 2,
            already_done: 0,
        }
    );
    assert!(counts.is_balanced());
    assert_eq!(all_sent(&plan), [a.clone(), b, c]);
    let skipped = plan.skipped();
    assert_eq!(skipped.len(), 4);
    assert_eq!(skipped[0].location.line, 4);
    assert_eq!(skipped[0].kind, None);
    assert_eq!(skipped[1].kind, Some(Kind::Installation));
    assert!(skipped[1].reason.contains("DELETE /installation/token"));
    assert_eq!(skipped[3].kind, Some(Kind::ClassicPat));
    assert_eq!(skipped[3].credential, "ghp_1234…");
    assert!(skipped[3].reason.contains("expected 40"));
    for s in skipped {
        for t in &texts {
            assert_no_leak(&serde_json::to_string(s).unwrap_or_default(), t);
        }
    }
    let planned: Vec<_> = plan.credentials().collect();
    assert_eq!(planned[0].kind(), Some(Kind::ClassicPat));
    assert_eq!(planned[0].fingerprint(), Fingerprint::of(a.as_bytes()));
    assert_no_leak(&format!("{planned:?} {plan:?}"), &a);
}

#[test]
fn batches_of_1000_1000_500() {
    let texts: Vec<String> = (0..2500).map(|i| fixture(Kind::ClassicPat, i)).collect();
    let plan = plan_of(PlanOptions::default(), &texts);
    assert_eq!(plan.counts().unique_valid, 2500);
    let sizes: Vec<usize> = plan.batches().map(|b| b.len()).collect();
    assert_eq!(sizes, [1000, 1000, 500]);
    assert_eq!(plan.batches().len(), 3);
    assert_eq!(plan.batch_count(), 3);
    assert!(plan.batch(3).is_none());
    let last = plan.batch(2).unwrap();
    assert_eq!(last.index(), 2);
    assert_eq!(last.expose_secrets().next(), Some(texts[2000].as_str()));
    let fps: Vec<_> = last.fingerprints().collect();
    assert_eq!(fps[499], Fingerprint::of(texts[2499].as_bytes()));
    assert_eq!(all_sent(&plan), texts);
}

#[test]
fn small_batch_size() {
    let texts: Vec<String> = (0..7).map(|i| fixture(Kind::Refresh, i)).collect();
    let plan = plan_of(PlanOptions::new(3).unwrap(), &texts);
    let sizes: Vec<usize> = plan.batches().map(|b| b.len()).collect();
    assert_eq!(sizes, [3, 3, 1]);
    let empty = Plan::new(PlanOptions::default());
    assert!(empty.is_empty());
    assert_eq!(empty.batches().count(), 0);
}

#[test]
fn allow_unverified_keeps_odd_strings_but_not_installation_tokens() {
    let a = fixture(Kind::ClassicPat, 1);
    let docs = "ghp_1234567890abcdef1234567890abcdef12345678".to_owned();
    let texts = [
        a.clone(),
        docs.clone(),
        "hunter2".to_owned(),
        docs.clone(),
        String::new(),
        new_installation(3),
        fixture(Kind::Installation, 4),
        "x".repeat(MAX_TOKEN_LEN + 1),
    ];
    let mut plan = Plan::new(PlanOptions::default().with_allow_unverified(true));
    plan.extend(texts.iter().enumerate().map(|(i, t)| found(t, i as u64)));
    // Non-UTF-8 stays skipped too.
    plan.add(Found {
        location: Location {
            source: Arc::from("in"),
            line: 99,
            column: 1,
            offset: 0,
            encoding: None,
        },
        item: classify(b"ghp_\xff\xfe"),
    });
    let counts = plan.counts();
    assert_eq!(
        counts,
        PlanCounts {
            read: 9,
            unique_valid: 1,
            unique_unverified: 2,
            duplicates: 1,
            invalid: 3,
            unsupported: 2,
            already_done: 0,
        }
    );
    assert!(counts.is_balanced());
    assert_eq!(counts.to_send(), 3);
    assert_eq!(all_sent(&plan), [a, docs, "hunter2".to_owned()]);
    let kinds: Vec<_> = plan.credentials().map(|c| c.kind()).collect();
    assert_eq!(kinds, [Some(Kind::ClassicPat), None, None]);
}

#[test]
fn already_done_is_not_batched() {
    let a = fixture(Kind::ClassicPat, 1);
    let b = fixture(Kind::ClassicPat, 2);
    let mut plan = Plan::resuming(PlanOptions::default(), [Fingerprint::of(a.as_bytes())]);
    plan.extend([found(&a, 1), found(&b, 2), found(&a, 3), found(&b, 4)]);
    let counts = plan.counts();
    assert_eq!(counts.already_done, 2);
    assert_eq!(counts.unique_valid, 1);
    assert_eq!(counts.duplicates, 1);
    assert!(counts.is_balanced());
    assert_eq!(all_sent(&plan), [b]);
}

#[test]
fn skipped_details_are_capped_but_counted() {
    let texts: Vec<String> = (0..10).map(|i| format!("junk {i}")).collect();
    let plan = plan_of(PlanOptions::default().with_max_skipped_kept(4), &texts);
    assert_eq!(plan.skipped().len(), 4);
    assert_eq!(plan.skipped_not_kept(), 6);
    assert_eq!(plan.counts().invalid, 10);
}

#[test]
fn table_growth_keeps_everything_findable() {
    let texts: Vec<String> = (0..20_000)
        .map(|i| fixture(Kind::UserToServer, i))
        .collect();
    let mut plan = plan_of(PlanOptions::default(), &texts);
    plan.extend(texts.iter().map(|t| found(t, 0)));
    let counts = plan.counts();
    assert_eq!((counts.unique_valid, counts.duplicates), (20_000, 20_000));
    assert_eq!(all_sent(&plan), texts);
}

#[test]
fn resuming_applies_to_every_way_of_adding() {
    let a = fixture(Kind::ClassicPat, 1);
    let b = fixture(Kind::OAuth, 2);
    let done = [Fingerprint::of(a.as_bytes())];
    let mut plan = Plan::resuming(PlanOptions::default(), done.iter());
    plan.extend_strs([a.as_str(), b.as_str()]);
    plan.read(format!("{a}\n{b}\n").as_bytes(), InputMode::Lines, "f")
        .unwrap();
    plan.add(found(&a, 9));
    let counts = plan.counts();
    assert_eq!(
        (
            counts.read,
            counts.already_done,
            counts.unique_valid,
            counts.duplicates
        ),
        (5, 3, 1, 1)
    );
    assert_eq!(all_sent(&plan), std::slice::from_ref(&b));
    // A tally resumes the same way.
    let mut tally = PlanTally::resuming(PlanOptions::default(), done);
    tally.extend_strs([a, b]);
    assert_eq!((tally.counts().already_done, tally.len()), (1, 1));
}

#[test]
fn extend_strs_numbers_its_strings_across_calls() {
    let mut plan: Plan = Plan::new(PlanOptions::default());
    plan.extend_strs(["nope"]);
    plan.extend_strs(vec![String::from("ghp_"), fixture(Kind::ClassicPat, 3)]);
    let locations: Vec<String> = plan
        .skipped()
        .iter()
        .map(|s| s.location.to_string())
        .collect();
    assert_eq!(locations, ["<arg>:1:1", "<arg>:2:1"]);
    assert_eq!(plan.counts().read, 3);
    assert_eq!(plan.len(), 1);
}

#[test]
fn debug_names_the_kind_of_plan_and_shows_no_secret() {
    let secret = fixture(Kind::ClassicPat, 4);
    let mut plan: Plan = Plan::new(PlanOptions::default());
    plan.extend_strs([&secret]);
    let mut tally = PlanTally::new(PlanOptions::default());
    tally.extend_strs([&secret]);
    let (plan, tally) = (format!("{plan:?}"), format!("{tally:?}"));
    assert!(plan.starts_with("Plan {"), "{plan}");
    assert!(tally.starts_with("PlanTally {"), "{tally}");
    assert!(!plan.contains(&secret) && !tally.contains(&secret));
}

#[test]
fn packing_round_trips() {
    for kind in [None, Some(Kind::FineGrainedPat), Some(Kind::Installation)] {
        for (offset, len) in [(0, 0), (12_345, 40), ((1u64 << 40) - 1, MAX_TOKEN_LEN)] {
            assert_eq!(unpack(pack(offset, len, kind)), (offset, len, kind));
        }
    }
}

fn pool() -> Vec<String> {
    let classic = [
        Kind::ClassicPat,
        Kind::OAuth,
        Kind::UserToServer,
        Kind::Refresh,
        Kind::Installation,
    ];
    let mut pool: Vec<String> = (0..11)
        .map(|i| fixture(classic[i as usize % 5], i))
        .collect();
    pool.push(String::new());
    pool.push(fine_grained(40));
    pool.push(new_installation(41));
    pool.push("not a token".to_owned());
    pool.push("ghp_1234567890abcdef1234567890abcdef12345678".to_owned());
    pool
}

proptest! {
    #[test]
    fn every_unique_valid_input_in_exactly_one_batch(
        picks in proptest::collection::vec(0usize..16, 0..300),
        batch_size in 1usize..=20,
        unverified in any::<bool>(),
        done_mask in any::<u16>(),
    ) {
        let pool = pool();
        let texts: Vec<String> = picks.iter().map(|&i| pool[i].clone()).collect();
        let done: Vec<Fingerprint> = pool
            .iter()
            .enumerate()
            .filter(|(i, _)| done_mask & (1 << i) != 0)
            .map(|(_, t)| Fingerprint::of(t.as_bytes()))
            .collect();
        let options = PlanOptions::new(batch_size)
            .unwrap()
            .with_allow_unverified(unverified);
        let build = |texts: &[String]| {
            let mut plan = Plan::resuming(options, &done);
            plan.extend(texts.iter().map(|t| found(t, 1)));
            plan
        };
        let plan = build(&texts);
        let counts = plan.counts();
        prop_assert!(counts.is_balanced());
        prop_assert_eq!(counts.read, texts.len() as u64);
        prop_assert!(plan.batches().all(|b| (1..=batch_size).contains(&b.len())));

        // Expected: first-seen order of sendable, not-done, distinct texts, valid ones
        // first, then unverified ones.
        let (mut valid, mut odd): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        for t in &texts {
            let lane = match classify(t.as_bytes()) {
                Classified::Valid(_) => Some(&mut valid),
                Classified::Invalid { .. } if unverified && !t.is_empty() => Some(&mut odd),
                _ => None,
            };
            let is_done = done.contains(&Fingerprint::of(t.as_bytes()));
            if let Some(lane) = lane.filter(|l| !is_done && !l.contains(t)) {
                lane.push(t.clone());
            }
        }
        let expected: Vec<String> = valid.iter().chain(&odd).cloned().collect();
        let sent = all_sent(&plan);
        prop_assert_eq!(&sent, &expected);
        // Unverified strings only in trailing batches of their own, never mixed.
        for batch in plan.batches() {
            let kinds: Vec<bool> = batch.credentials().map(|c| c.kind().is_none()).collect();
            prop_assert!(kinds.iter().all(|&k| k == batch.is_unverified()));
            prop_assert_eq!(plan.batch_is_unverified(batch.index()), Some(batch.is_unverified()));
        }
        let lanes: Vec<bool> = plan.batches().map(|b| b.is_unverified()).collect();
        prop_assert!(lanes.windows(2).all(|w| w[0] <= w[1]));
        prop_assert_eq!(
            lanes.iter().filter(|&&u| u).count(),
            odd.len().div_ceil(batch_size)
        );
        prop_assert_eq!(counts.to_send(), sent.len() as u64);

        // Counts do not depend on input order.
        let mut reversed = texts.clone();
        reversed.reverse();
        prop_assert_eq!(build(&reversed).counts(), counts);
    }
}

/// A pool large enough for batches of up to [`MAX_BATCH_SIZE`]: `n` distinct valid tokens
/// of every sendable kind, plus the small mixed pool (invalid, unsupported, empty).
fn large_pool() -> &'static [String] {
    static POOL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| make_large_pool(2_400))
}

fn make_large_pool(n: u64) -> Vec<String> {
    let kinds = [
        Kind::ClassicPat,
        Kind::OAuth,
        Kind::UserToServer,
        Kind::Refresh,
    ];
    let mut large: Vec<String> = (0..n)
        .map(|i| match i % 5 {
            4 => fine_grained(1000 + i),
            k => fixture(kinds[k as usize], 1000 + i),
        })
        .collect();
    large.extend(pool());
    large
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any permutation of the input (not only its reverse) gives the same counts, the same
    /// set of credentials and the same batch shape: every batch full but the last, and
    /// `ceil(n / batch_size)` of them, each credential in exactly one.
    #[test]
    fn any_order_gives_the_same_counts_and_batch_shapes(
        (picks, shuffled) in proptest::collection::vec(0usize..2_416, 0..2_600)
            .prop_flat_map(|picks| (Just(picks.clone()), Just(picks).prop_shuffle())),
        batch_size in prop_oneof![1usize..=8, 990usize..=MAX_BATCH_SIZE, 1usize..=MAX_BATCH_SIZE],
    ) {
        let pool = large_pool();
        let build = |picks: &[usize]| {
            let mut plan = Plan::new(PlanOptions::new(batch_size).unwrap());
            plan.extend(picks.iter().map(|&i| found(&pool[i], 1)));
            plan
        };
        let (plan, other) = (build(&picks), build(&shuffled));
        prop_assert_eq!(plan.counts(), other.counts());

        let sent = all_sent(&plan);
        let mut sorted = sent.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(sorted.len(), sent.len(), "a credential is in two batches");
        let mut other_sent = all_sent(&other);
        other_sent.sort();
        prop_assert_eq!(&sorted, &other_sent);
        let valid: std::collections::HashSet<&String> = picks
            .iter()
            .map(|&i| &pool[i])
            .filter(|t| classify(t.as_bytes()).is_valid())
            .collect();
        prop_assert_eq!(sorted.len(), valid.len(), "a valid input is missing");

        let n = plan.len();
        prop_assert_eq!(plan.batch_count(), n.div_ceil(batch_size));
        for batch in plan.batches() {
            prop_assert!(batch.len() <= batch_size && batch.len() <= MAX_BATCH_SIZE);
            if batch.index() + 1 < plan.batch_count() {
                prop_assert_eq!(batch.len(), batch_size, "a batch before the last is short");
            }
        }
    }
}

#[test]
fn each_credential_keeps_where_it_was_first_seen() {
    let at = |source: &str, line: u64, column: u64, text: &str| Found {
        location: Location {
            source: Arc::from(source),
            line,
            column,
            offset: 0,
            encoding: None,
        },
        item: classify(text.as_bytes()),
    };
    let tokens: Vec<String> = (0..5).map(|i| fixture(Kind::ClassicPat, i)).collect();
    let mut plan: Plan = Plan::new(PlanOptions::default().with_allow_unverified(true));
    plan.extend([
        at("a.txt", 3, 7, &tokens[0]),
        at("b.log", 1, 1, &tokens[1]),
        at("c.log", 9, 2, "not-a-token"),
        at("a.txt", 4, 1, &tokens[0]),
        // Beyond the packed form: kept exactly all the same.
        at("huge.log", u64::from(u32::MAX) + 5, 1, &tokens[2]),
        at("wide.log", 2, 5000, &tokens[3]),
        at("b.log", 8, 1, &tokens[4]),
    ]);
    let shown: Vec<(String, bool)> = plan
        .credentials()
        .map(|c| (c.location(), c.kind().is_none()))
        .collect();
    let expected = [
        ("a.txt:3:7", false),
        ("b.log:1:1", false),
        ("huge.log:4294967300:1", false),
        ("wide.log:2:5000", false),
        ("b.log:8:1", false),
        ("c.log:9:2", true),
    ];
    let expected: Vec<(String, bool)> = expected
        .iter()
        .map(|(l, u)| ((*l).to_owned(), *u))
        .collect();
    assert_eq!(shown, expected);
    let debug = format!("{:?}", plan.credentials().next().unwrap());
    assert!(
        debug.contains("a.txt:3:7") && !debug.contains(&tokens[0]),
        "{debug}"
    );
}

#[test]
fn a_file_read_at_positions_plans_what_a_reader_plans() {
    use std::io::{Seek as _, Write as _};
    // Big enough for several default buffers, so both threads read and scan.
    let mut text = String::new();
    for i in 0..3000u64 {
        text.push_str(&format!(
            "{} line {i} token={}\n",
            ".".repeat(1200),
            fixture(Kind::ClassicPat, i % 2000)
        ));
    }
    text.push_str("ghp_1234567890abcdef1234567890abcdef12345678\n");
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    for mode in [InputMode::Scan, InputMode::Lines] {
        file.rewind().unwrap();
        let mut by_file: Plan = Plan::new(PlanOptions::default());
        by_file.read_file(&file, mode, "f").unwrap();
        let mut by_reader: Plan = Plan::new(PlanOptions::default());
        by_reader.read(text.as_bytes(), mode, "f").unwrap();
        assert_eq!(by_file.counts(), by_reader.counts());
        assert_eq!(by_file.skipped(), by_reader.skipped());
        assert_eq!(
            by_file.batch_sizes().collect::<Vec<_>>(),
            by_reader.batch_sizes().collect::<Vec<_>>()
        );
    }
    file.rewind().unwrap();
    let mut plan: Plan = Plan::new(PlanOptions::default());
    plan.read_file(&file, InputMode::Scan, "f").unwrap();
    assert_eq!(plan.counts().to_send(), 2000);
}
