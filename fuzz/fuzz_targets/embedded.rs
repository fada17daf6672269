//! One real-shaped token (the `fixtures` generators: valid checksums, real lengths) of a
//! fuzzer-chosen kind, in a fuzzer-chosen encoding, between fuzzer-chosen prefix and suffix
//! bytes, at a fuzzer-chosen offset: the scan finds exactly that token, once.
//!
//! The rule for the surroundings: the input is
//! `[BOM] lead prefix SEP encoded-token SEP suffix`, where `lead` and `SEP` are separator
//! bytes (space, punctuation, newline: nothing a token, base64, UTF-16 or an escape is made
//! of), and `prefix`/`suffix` are arbitrary. Separators end every run the scanner reads, so
//! the token cannot glue to its surroundings; the surroundings may hold finds of their own.
//! So: scanning the input finds what scanning it with the token replaced by as many
//! separators finds, plus the token once (as the same multiset of exposed texts), and the
//! token's hit says the encoding it went through and lies inside the encoded token.
//! The BOM (for the UTF-16 encodings "with BOM") starts the input, as a file's would.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use gh_revoke::fixtures::{classic, fine_grained, new_installation};
use gh_revoke::{Encoding, Kind};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use common::{escape_underscores, filler, scan, utf16};

fn token(kind: u8, seed: u64) -> String {
    match kind % 7 {
        0 => classic(Kind::ClassicPat, seed),
        1 => classic(Kind::OAuth, seed),
        2 => classic(Kind::UserToServer, seed),
        3 => classic(Kind::Refresh, seed),
        4 => classic(Kind::Installation, seed),
        5 => fine_grained(seed),
        _ => new_installation(seed),
    }
}

/// The token's encoded form, the BOM that starts the input (if any), and the encodings its
/// hit may name.
fn encode(t: &str, how: u8, pad: usize) -> (Vec<u8>, &'static [u8], &'static [Encoding]) {
    // Inside base64 the token sits between bytes that do not glue to it, at every alignment.
    let text = format!("{}{t}\"", ":".repeat(pad));
    let b64 = &[Encoding::Base64][..];
    let b64b64 = &[Encoding::Base64InBase64][..];
    // Big-endian text without a BOM may be read as little-endian one byte on: the same text.
    let be = &[Encoding::Utf16Be, Encoding::Utf16Le][..];
    match how % 15 {
        0 => (t.as_bytes().to_vec(), b"", &[]),
        1 => (STANDARD.encode(&text).into_bytes(), b"", b64),
        2 => (STANDARD_NO_PAD.encode(&text).into_bytes(), b"", b64),
        3 => (URL_SAFE.encode(&text).into_bytes(), b"", b64),
        4 => (URL_SAFE_NO_PAD.encode(&text).into_bytes(), b"", b64),
        5 => {
            let json = format!("{{\"auth\":\"{}\"}}", STANDARD.encode(&text));
            (STANDARD.encode(json).into_bytes(), b"", b64b64)
        }
        6 => {
            let json = format!("{{\"auth\":\"{}\"}}", URL_SAFE_NO_PAD.encode(&text));
            (URL_SAFE_NO_PAD.encode(json).into_bytes(), b"", b64b64)
        }
        7 => (utf16(t.as_bytes(), false), b"", &[Encoding::Utf16Le]),
        8 => (
            utf16(t.as_bytes(), false),
            b"\xFF\xFE",
            &[Encoding::Utf16Le],
        ),
        9 => (utf16(t.as_bytes(), true), b"", be),
        10 => (utf16(t.as_bytes(), true), b"\xFE\xFF", &[Encoding::Utf16Be]),
        11 => (
            escape_underscores(t.as_bytes(), b"%5F"),
            b"",
            &[Encoding::PercentEncoded],
        ),
        12 => (
            escape_underscores(t.as_bytes(), b"%5f"),
            b"",
            &[Encoding::PercentEncoded],
        ),
        13 => (
            escape_underscores(t.as_bytes(), b"\\u005f"),
            b"",
            &[Encoding::JsonEscaped],
        ),
        _ => (
            escape_underscores(t.as_bytes(), b"\\u005F"),
            b"",
            &[Encoding::JsonEscaped],
        ),
    }
}

fn texts(items: &[common::Item]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = items.iter().map(|it| it.text.clone()).collect();
    out.sort();
    out
}

fuzz_target!(|data: &[u8]| {
    let [kind, seed, how, pad, lead_lo, lead_hi, split, rest @ ..] = data else {
        return;
    };
    let t = token(*kind, u64::from(*seed));
    let (encoded, bom, encodings) = encode(&t, *how, usize::from(*pad % 3));
    let lead = usize::from(u16::from_le_bytes([*lead_lo, *lead_hi])) % 17_500;
    let (prefix, suffix) = rest.split_at(usize::from(*split).min(rest.len()));

    let mut input = bom.to_vec();
    input.extend(filler(lead, usize::from(*how)));
    input.extend_from_slice(prefix);
    input.push(b' ');
    let start = input.len();
    input.extend_from_slice(&encoded);
    let end = input.len();
    input.push(b' ');
    input.extend_from_slice(suffix);

    let mut without = input.clone();
    without[start..end].fill(b' ');

    let got = scan(&input);
    let around = scan(&without);

    let ours: Vec<_> = got
        .iter()
        .filter(|it| it.text == t.as_bytes())
        .filter(|it| (start as u64..end as u64).contains(&it.offset))
        .collect();
    assert_eq!(
        ours.len(),
        1,
        "the token is not found exactly once where it is"
    );
    let hit = ours[0];
    assert!(hit.credential, "the token is not a credential");
    match encodings {
        [] => assert_eq!(hit.encoding, None, "a plain token said to be encoded"),
        _ => assert!(
            hit.encoding.is_some_and(|e| encodings.contains(&e)),
            "the token's hit names the wrong encoding"
        ),
    }
    let mut expected = texts(&around);
    expected.push(t.into_bytes());
    expected.sort();
    assert!(
        texts(&got) == expected,
        "the token changed what its surroundings hold"
    );
});
