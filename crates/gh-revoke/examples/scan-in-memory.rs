//! Scans one of the benchmark corpora in memory, on one thread, `REPS` times, and prints the
//! fastest and the median time; for profilers that count instructions, which stay the same
//! however busy the machine is:
//!
//! ```sh
//! cargo build --release -p gh-revoke --example scan-in-memory
//! target/release/examples/scan-in-memory plain|base64|utf16 [REPS=10] [MIB=64]
//! valgrind --tool=callgrind target/release/examples/scan-in-memory base64 3 8
//! ```
#![allow(clippy::unwrap_used)]
#[path = "../benches/common/mod.rs"]
mod common;
use gh_revoke::Scanner;
fn main() {
    let which = std::env::args().nth(1).unwrap_or("plain".into());
    let reps: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(10);
    let mib: usize = std::env::args()
        .nth(3)
        .map(|s| s.parse().unwrap())
        .unwrap_or(64);
    let (input, tokens) = match which.as_str() {
        "plain" => common::log(mib << 20),
        "base64" => common::log_base64(mib << 20),
        _ => common::log_utf16(mib << 20),
    };
    let scanner = Scanner::new().with_parallel(false);
    let mut times = Vec::new();
    for _ in 0..reps {
        let t = std::time::Instant::now();
        let mut found = 0usize;
        scanner.scan_bytes(&input, "log", |_| found += 1);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(found, tokens);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{which}: min {:.1} ms median {:.1} ms",
        times[0],
        times[times.len() / 2]
    );
}
