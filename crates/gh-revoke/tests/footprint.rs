//! Resource measurements, ignored by default because they want a release build and a
//! quiet machine. Run one at a time so the peak RSS belongs to that test alone:
//! `cargo test -p gh-revoke --release --test footprint -- --ignored --nocapture plan_one`
//! and `... scan_throughput`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Instant;

use gh_revoke::checksum::BASE62_ALPHABET;
use gh_revoke::{Found, Kind, Location, Plan, PlanOptions, Scanner, classify, make_classic};

fn random30(state: &mut u64) -> [u8; 30] {
    let mut out = [b'0'; 30];
    for slot in &mut out {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        let v = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        *slot = BASE62_ALPHABET[((v >> 32) % 62) as usize];
    }
    out
}

/// Peak resident set size of this process in KiB (Linux), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
#[ignore = "measurement; run in release with --ignored"]
fn plan_one_million_unique_tokens() {
    let before = peak_rss_kib();
    let source: Arc<str> = Arc::from("generated");
    let mut state = 0x1234_5678_9ABC_DEF0u64;
    let mut plan = Plan::new(PlanOptions::default());
    let start = Instant::now();
    for i in 0..1_000_000u64 {
        let token = make_classic(Kind::ClassicPat, &random30(&mut state)).unwrap();
        plan.add(Found {
            location: Location {
                source: source.clone(),
                line: i + 1,
                column: 1,
                offset: i * 41,
            },
            item: classify(token.as_bytes()),
        });
    }
    let elapsed = start.elapsed();
    let counts = plan.counts();
    assert_eq!(counts.unique_valid, 1_000_000);
    assert_eq!(plan.batch_count(), 1000);
    let peak = peak_rss_kib();
    eprintln!(
        "1,000,000 unique tokens planned in {elapsed:?}; peak RSS before {before:?} KiB, after {peak:?} KiB"
    );
    if let Some(peak) = peak {
        assert!(peak < 64 * 1024, "peak RSS {peak} KiB is over 64 MiB");
    }
}

#[test]
#[ignore = "measurement; run in release with --ignored"]
fn scan_throughput() {
    // ~64 MiB of log-like text mentioning "github" a lot, with a token every ~64 KiB.
    let mut state = 42u64;
    let line = b"2026-11-21T00:00:00Z INFO fetched https://github.com/owner/repo.git right through high gh light\n";
    let mut input = Vec::with_capacity(64 << 20);
    let mut tokens = 0u64;
    while input.len() < 64 << 20 {
        input.extend_from_slice(line);
        if input.len() % (64 << 10) < line.len() {
            let token = make_classic(Kind::ClassicPat, &random30(&mut state)).unwrap();
            input.extend_from_slice(format!("token={token}\n").as_bytes());
            tokens += 1;
        }
    }
    let start = Instant::now();
    let mut found = 0u64;
    let stats = Scanner::new()
        .scan(&input[..], "log", |f| {
            assert!(f.item.is_valid());
            found += 1;
        })
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(found, tokens);
    let mib = stats.bytes as f64 / (1 << 20) as f64;
    eprintln!(
        "scanned {mib:.0} MiB, {} lines, {found} tokens in {elapsed:?}: {:.0} MiB/s",
        stats.lines,
        mib / elapsed.as_secs_f64()
    );
}
