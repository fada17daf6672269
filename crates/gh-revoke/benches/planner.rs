//! Planning throughput: dedupe and batch classified tokens (half of them repeated).
//! `cargo bench -p gh-revoke --bench planner`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use gh_revoke::{Found, Location, Plan, PlanOptions, classify};

fn planner(c: &mut Criterion) {
    let n = 100_000;
    let mut rng = common::Rng::new(99);
    let tokens: Vec<String> = (0..n).map(|_| rng.classic()).collect();
    let source: Arc<str> = Arc::from("bench");
    let found: Vec<Found> = tokens
        .iter()
        .chain(tokens.iter().step_by(2))
        .enumerate()
        .map(|(i, t)| Found {
            location: Location {
                source: source.clone(),
                line: i as u64 + 1,
                column: 1,
                offset: i as u64 * 41,
                encoding: None,
            },
            item: classify(t.as_bytes()),
        })
        .collect();
    let mut group = c.benchmark_group("plan");
    group.throughput(Throughput::Elements(found.len() as u64));
    group.sample_size(20);
    group.bench_function("150k-found-100k-unique", |b| {
        b.iter_batched(
            || found.clone(),
            |found| {
                let plan: Plan = Plan::from_found(PlanOptions::default(), found);
                assert_eq!(plan.len(), n);
                assert_eq!(plan.batch_count(), n / 1000);
                plan
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, planner);
criterion_main!(benches);
