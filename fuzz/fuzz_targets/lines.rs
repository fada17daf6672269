//! Line mode on arbitrary bytes, with a small line limit so over-long lines are reached:
//! never panics, yields items in line order, at most one error and then nothing.
#![no_main]

use gh_revoke::Lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the line limit, so short and long limits are both explored.
    let (limit, input) = match data.split_first() {
        Some((first, rest)) => (usize::from(*first).max(1), rest),
        None => (1, data),
    };
    let newlines = input.iter().filter(|&&b| b == b'\n').count() as u64;
    let mut last_line = 0u64;
    let mut errored = false;
    for item in Lines::new(input, "fuzz").with_max_line_len(limit) {
        assert!(!errored, "an item after an error");
        match item {
            Ok(found) => {
                assert!(found.location.line > last_line, "lines out of order");
                assert!(found.location.line <= newlines + 1, "line past the end");
                assert!(found.location.offset <= input.len() as u64);
                last_line = found.location.line;
            }
            Err(_) => errored = true,
        }
    }
});
