//! The scanner's decoders, differentially: arbitrary bytes `x` are scanned as they are, and
//! one encoded form of them (base64 standard or URL-safe, padded or not; UTF-16LE or BE;
//! `_` as `%5F` or `\u005f`) is scanned at a fuzzer-chosen offset between separator bytes.
//!
//! * Never panics (`x` itself is arbitrary bytes through the whole scanner).
//! * **Decoding invents nothing:** every credential (valid or unsupported) found through
//!   the encoding is one that scanning `x` finds, or that scanning `x` from one of its `gh`
//!   finds (a decoded window starts a few bytes before each token, so it may report a
//!   token that `x`'s single pass skipped as part of an earlier, overlapping one).
//! * **Decoding loses nothing, where it must not:** every credential found in `x` as plain
//!   text is found through each encoding; through base64 also every one found in base64
//!   inside `x` (as base64-in-base64). Exceptions, by design: through base64, tokens shorter
//!   than 27 bytes (their encoding is under the 36-character shortest run decoded; only
//!   toy `ghs_1_a.b.c` tokens are that short); through escapes, inputs that already hold an
//!   escaped `_` (decoding it would change `x`).
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use gh_revoke::Encoding;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::{Item, escape_underscores, filler, has_escape, scan, utf16};

/// Shortest plain token whose base64 is always decoded (36 characters, `MIN_B64_RUN`).
const SHORTEST_IN_BASE64: usize = 27;

/// At most this many `gh` starts of `x` are scanned again for the overlap allowance.
const MAX_RESCANS: usize = 64;

fuzz_target!(|data: &[u8]| {
    let [how, lead_lo, lead_hi, trail, x @ ..] = data else {
        return;
    };
    // Up to ~17 KB before the encoding, so it sits across the first window limit (12 KiB)
    // and the end of the 16 KiB buffer.
    let lead = usize::from(u16::from_le_bytes([*lead_lo, *lead_hi])) % 17_500;
    let trail = usize::from(*trail) + 1;

    let plain = scan(x);

    let (encoded, base64) = match how % 9 {
        0 => (STANDARD.encode(x).into_bytes(), true),
        1 => (STANDARD_NO_PAD.encode(x).into_bytes(), true),
        2 => (URL_SAFE.encode(x).into_bytes(), true),
        3 => (URL_SAFE_NO_PAD.encode(x).into_bytes(), true),
        4 => (utf16(x, false), false),
        5 => (utf16(x, true), false),
        6 | 7 | 8 if has_escape(x) => return,
        6 => (escape_underscores(x, b"%5F"), false),
        7 => (escape_underscores(x, b"%5f"), false),
        _ => (escape_underscores(x, b"\\u005f"), false),
    };
    let mut wrapped = filler(lead, usize::from(*how));
    let start = wrapped.len() as u64;
    wrapped.extend_from_slice(&encoded);
    let end = wrapped.len() as u64;
    wrapped.extend(filler(trail, lead));
    let through: Vec<Item> = scan(&wrapped)
        .into_iter()
        // URL-safe base64 may spell a plain `ghp_…` by chance: that is a find of its own.
        .filter(|it| it.encoding.is_some())
        .collect();
    for it in &through {
        assert!(
            (start..end).contains(&it.offset),
            "an encoded hit outside the encoding"
        );
    }

    // Decoding invents nothing.
    let mut known: Vec<Vec<u8>> = plain.iter().map(|it| it.text.clone()).collect();
    let mut rescanned = false;
    let mut complete = true;
    for it in through.iter().filter(|it| it.credential) {
        if !known.contains(&it.text) && !rescanned {
            rescanned = true;
            let starts: Vec<usize> = x
                .windows(2)
                .enumerate()
                .filter(|(_, w)| *w == b"gh")
                .map(|(p, _)| p)
                .collect();
            complete = starts.len() <= MAX_RESCANS;
            for p in starts.into_iter().take(MAX_RESCANS) {
                known.extend(scan(&x[p..]).into_iter().map(|it| it.text));
            }
        }
        assert!(
            !complete || known.contains(&it.text),
            "decoding found a credential that is not in the decoded bytes"
        );
    }

    // Decoding loses nothing.
    for it in plain.iter().filter(|it| it.credential) {
        let must = match it.encoding {
            None => !base64 || it.text.len() >= SHORTEST_IN_BASE64,
            Some(Encoding::Base64) => base64 && it.text.len() >= SHORTEST_IN_BASE64,
            Some(_) => false,
        };
        if must {
            assert!(
                through.iter().any(|t| t.text == it.text),
                "a credential of the input is lost in its encoding"
            );
        }
    }
});
