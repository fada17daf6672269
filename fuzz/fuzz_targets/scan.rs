//! The scanner on arbitrary bytes: never panics, and streaming through the smallest buffer in
//! reads of a few bytes finds exactly what one pass over the whole slice finds (buffer and read
//! boundaries must not create, lose or move a hit).
#![no_main]

use gh_revoke::fixtures::MIN_BUFFER_SIZE;
use gh_revoke::{Found, Scanner};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::Trickle;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the read size: tiny reads, or reads that end at odd places across
    // the smallest buffer.
    let (step, input) = match data.split_first() {
        Some((&first, rest)) if first < 128 => (usize::from(first % 16) + 1, rest),
        Some((&first, rest)) => (usize::from(first) * 37 % MIN_BUFFER_SIZE + 1, rest),
        None => (1, data),
    };
    // Repeat small inputs past the buffer size so refills and carried-over tails are exercised.
    let mut big = input.to_vec();
    while !input.is_empty() && big.len() < MIN_BUFFER_SIZE + 100 {
        big.extend_from_slice(input);
    }

    let mut whole: Vec<Found> = Vec::new();
    let stats = Scanner::with_buffer_size(64 * 1024).scan_bytes(&big, "fuzz", |f| whole.push(f));
    assert_eq!(stats.bytes, big.len() as u64);
    assert_eq!(stats.found, whole.len() as u64);

    let mut streamed: Vec<Found> = Vec::new();
    let reader = Trickle { data: &big, step };
    Scanner::with_buffer_size(MIN_BUFFER_SIZE)
        .scan(reader, "fuzz", |f| streamed.push(f))
        .expect("reading a slice cannot fail");
    assert_eq!(whole, streamed, "buffering changed what was found");

    let mut last = None;
    for found in &whole {
        let offset = found.location.offset;
        assert!(offset < big.len() as u64);
        assert!(
            last.is_none_or(|l| offset > l),
            "hits out of order or repeated"
        );
        last = Some(offset);
    }
});
