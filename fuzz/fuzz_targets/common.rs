//! Helpers shared by the fuzz targets.
#![allow(dead_code)]

use gh_revoke::fixtures::MIN_BUFFER_SIZE;
use gh_revoke::{Classified, Encoding, Found, Scanner};

/// Bytes that end every run the scanner reads (plain token characters, base64, the UTF-16
/// interleave, escapes) and that no encoding produces: text between them cannot glue to
/// what they surround. (The proptest in `input/scan/tests.rs` wraps its tokens in the same.)
pub const SEPARATORS: &[u8] = b" \n\t,;:\"'<>{}[]()#!?*&|~^`$@";

/// `n` separator bytes, varied by `seed` (so lines and columns move too).
pub fn filler(n: usize, seed: usize) -> Vec<u8> {
    (0..n)
        .map(|i| SEPARATORS[(i.wrapping_mul(7) ^ seed) % SEPARATORS.len()])
        .collect()
}

/// One reported item, flattened: (exposed bytes, credential or not, encoding, offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: Vec<u8>,
    /// Valid or unsupported (a credential to act on), not a near miss.
    pub credential: bool,
    pub encoding: Option<Encoding>,
    pub offset: u64,
}

fn item(found: Found) -> Item {
    let (text, credential) = match &found.item {
        Classified::Valid(c) => (c.expose_secret().as_bytes().to_vec(), true),
        Classified::Unsupported { credential, .. } => {
            (credential.expose_secret().as_bytes().to_vec(), true)
        }
        Classified::Invalid { candidate, .. } => (candidate.expose_secret_bytes().to_vec(), false),
    };
    Item {
        text,
        credential,
        encoding: found.location.encoding,
        offset: found.location.offset,
    }
}

/// Scans `input` in one pass through the smallest buffer (so inputs over 12 KiB cross a
/// window limit), checking what every scan must: the stats count the hits and the bytes,
/// hits are in order and inside the input.
pub fn scan(input: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    let stats = Scanner::with_buffer_size(MIN_BUFFER_SIZE)
        .with_parallel(false)
        .scan_bytes(input, "fuzz", |f| items.push(item(f)));
    assert_eq!(stats.found, items.len() as u64, "stats miscount the hits");
    assert_eq!(stats.bytes, input.len() as u64, "stats miscount the bytes");
    let mut last: Option<u64> = None;
    for it in &items {
        assert!(it.offset < input.len() as u64, "a hit past the end");
        assert!(
            last.is_none_or(|l| it.offset > l),
            "hits out of order or at the same offset"
        );
        last = Some(it.offset);
    }
    items
}

/// `bytes` as UTF-16 code units, one per byte (Latin-1), little- or big-endian.
pub fn utf16(bytes: &[u8], be: bool) -> Vec<u8> {
    bytes
        .iter()
        .flat_map(|&b| if be { [0, b] } else { [b, 0] })
        .collect()
}

/// Every `_` of `bytes` replaced by `escape`.
pub fn escape_underscores(bytes: &[u8], escape: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        if b == b'_' {
            out.extend_from_slice(escape);
        } else {
            out.push(b);
        }
    }
    out
}

/// Whether `bytes` holds an escaped underscore already (`%5F`, `\u005f`, any case).
pub fn has_escape(bytes: &[u8]) -> bool {
    let lower = bytes.to_ascii_lowercase();
    lower.windows(3).any(|w| w == b"%5f") || lower.windows(6).any(|w| w == b"\\u005f")
}

/// A reader that hands out at most `step` bytes per call.
pub struct Trickle<'a> {
    pub data: &'a [u8],
    pub step: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}
