//! Line mode on UTF-16 input: arbitrary bytes after a UTF-16 BOM.
//!
//! * `feed` in line mode never panics; what it yields comes in line order, at offsets
//!   inside the transcoded text, and is exactly what line mode finds in the text
//!   `encoding_rs` decodes from the same bytes in one go (with the encoding named).
//! * The `Utf16Reader` (line mode's transcoder), read through a source that hands out a
//!   fuzzer-chosen few bytes at a time and into fuzzer-chosen buffer sizes, never returns
//!   more than the buffer it is given, never anything after end of input, never more than
//!   3 bytes of UTF-8 per UTF-16 code unit (plus one U+FFFD for a last odd byte), and in
//!   total exactly the one-go decoding.
//! * A small line limit (chosen by the fuzzer) over the transcoded text: items in line
//!   order, at most one error, and nothing after it.
#![no_main]

use std::io::{BufReader, Read};

use gh_revoke::fixtures::{sniff_utf16, utf16_reader};
use gh_revoke::{Encoding, Found, InputMode, Lines, feed};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::Trickle;

fn lines_of(text: &[u8], encoding: Encoding) -> Vec<Found> {
    Lines::new(text, "fuzz")
        .with_encoding(Some(encoding))
        .map(|r| r.expect("a line of a short input is never too long"))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let [flags, step, size, limit, body @ ..] = data else {
        return;
    };
    let be = flags & 1 == 1;
    let (encoding, bom, whole) = if be {
        (Encoding::Utf16Be, &b"\xFE\xFF"[..], encoding_rs::UTF_16BE)
    } else {
        (Encoding::Utf16Le, &b"\xFF\xFE"[..], encoding_rs::UTF_16LE)
    };
    let mut input = bom.to_vec();
    input.extend_from_slice(body);
    assert_eq!(sniff_utf16(&input), Some(encoding), "a BOM not recognised");

    // The reference: the whole input decoded in one go (BOM removed).
    let (reference, _) = whole.decode_with_bom_removal(&input);
    let reference = reference.as_bytes();

    // The transcoder, a few bytes in and a few bytes out at a time.
    let step = usize::from(*step % 64) + 1;
    let size = usize::from(*size % 32) + 1;
    let mut reader = utf16_reader(Trickle { data: &input, step }, encoding);
    let mut out = Vec::new();
    let mut buf = vec![0u8; size];
    loop {
        let n = reader.read(&mut buf).expect("reading a slice cannot fail");
        assert!(n <= buf.len(), "read more than the buffer holds");
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
        assert!(
            out.len() <= 3 * (body.len() / 2) + 3,
            "more UTF-8 than the UTF-16 input can make"
        );
    }
    for _ in 0..2 {
        assert_eq!(
            reader.read(&mut buf).ok(),
            Some(0),
            "bytes after end of input"
        );
    }
    assert!(
        out == reference,
        "transcoding in pieces differs from in one go"
    );

    // Line mode through `feed` (detection, transcoding, lines) against line mode over the
    // reference text.
    let mut fed: Vec<Found> = Vec::new();
    feed(
        &mut fed,
        InputMode::Lines,
        Trickle { data: &input, step },
        "fuzz",
    )
    .expect("a short input never fails in line mode");
    let newlines = reference.iter().filter(|&&b| b == b'\n').count() as u64;
    let mut last = 0u64;
    for found in &fed {
        assert_eq!(found.location.encoding, Some(encoding));
        assert!(found.location.line > last, "lines out of order");
        assert!(found.location.line <= newlines + 1, "a line past the end");
        assert!(found.location.offset <= reference.len() as u64);
        last = found.location.line;
    }
    assert!(
        fed == lines_of(reference, encoding),
        "line mode over UTF-16 differs from line mode over its decoding"
    );

    // A small line limit over the transcoded text: over-long lines are reached.
    let limit = usize::from(*limit).max(1);
    let utf8 = BufReader::with_capacity(64, utf16_reader(&input[..], encoding));
    let mut errored = false;
    let mut last = 0u64;
    for item in Lines::new(utf8, "fuzz").with_max_line_len(limit) {
        assert!(!errored, "an item after an error");
        match item {
            Ok(found) => {
                assert!(found.location.line > last, "lines out of order");
                last = found.location.line;
            }
            Err(_) => errored = true,
        }
    }
});
