//! Scan-mode throughput over log-like text (in memory: no I/O), single-threaded and with
//! reading and scanning overlapped; and the same log in base64 and in UTF-16. `cargo bench -p gh-revoke --bench scanner`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gh_revoke::Scanner;

fn scanner(c: &mut Criterion) {
    let (log, tokens) = common::log(64 << 20);
    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(log.len() as u64));
    group.sample_size(10);
    for (name, parallel) in [
        ("64MiB-log/one-thread", false),
        ("64MiB-log/overlapped", true),
    ] {
        let scanner = Scanner::new().with_parallel(parallel);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut found = 0usize;
                // A Read over the slice, so the overlapped path is taken when enabled.
                scanner
                    .scan(std::io::Cursor::new(&log[..]), "log", |_| found += 1)
                    .unwrap();
                assert_eq!(found, tokens);
            })
        });
    }
    group.finish();
    // Encoded corpora, one thread: each must scan at >= 1/3 of the plain log's throughput.
    for (name, (input, tokens)) in [
        ("64MiB-base64/one-thread", common::log_base64(64 << 20)),
        ("64MiB-utf16/one-thread", common::log_utf16(64 << 20)),
    ] {
        let mut group = c.benchmark_group("scan");
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.sample_size(10);
        let scanner = Scanner::new().with_parallel(false);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut found = 0usize;
                scanner
                    .scan(std::io::Cursor::new(&input[..]), "log", |_| found += 1)
                    .unwrap();
                assert_eq!(found, tokens);
            })
        });
        group.finish();
    }
}

criterion_group!(benches, scanner);
criterion_main!(benches);
