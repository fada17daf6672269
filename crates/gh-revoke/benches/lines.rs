//! Line-mode parsing (and classification) throughput over a list of tokens.
//! `cargo bench -p gh-revoke --bench lines`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gh_revoke::Lines;

fn lines(c: &mut Criterion) {
    let n = 100_000;
    let list = common::token_list(n);
    let mut group = c.benchmark_group("lines");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(20);
    group.bench_function("100k-classic-tokens", |b| {
        b.iter(|| {
            let mut valid = 0usize;
            for found in Lines::new(&list[..], "-") {
                valid += usize::from(found.unwrap().item.is_valid());
            }
            assert_eq!(valid, n);
        })
    });
    group.finish();
}

criterion_group!(benches, lines);
criterion_main!(benches);
