//! Encoded forms of credentials in scan mode, each behind a cheap gate so a plain log pays
//! little for them:
//!
//! * **base64** (standard or URL-safe, padded or not): a token prefix inside base64 leaves a
//!   stable "shadow" at each of the three byte alignments (`ghp_` → `Z2hwX`, `docF`, `naHBf`);
//!   base64 of base64 leaves shadows of those shadows. The gate: 16-byte blocks that are
//!   dense base64 (one vector test a block). Around them, regions of base64 runs are searched
//!   for all 72 shadows at once (Teddy, from `aho-corasick`); only the run around a shadow is
//!   decoded (at most [`base64::B64_WINDOW`] characters after it) and scanned again, to depth 2.
//! * **UTF-16** LE/BE (with or without a BOM), in windows that hold a NUL: the plain scan's
//!   two pair prefilters one byte apart (`h` and `_` four bytes apart, `b` and `_` two).
//! * `_` **percent-encoded** (`%5F`) or **JSON-escaped** (`\u005f`) after a prefix's head:
//!   one SIMD search for `%`, `\` and NUL (which also tells whether UTF-16 is worth a look).
//!
//! One file each: `base64` (the gate, the shadows and the decoder), `utf16`, `escape`; here,
//! what they share and `Scanner::encoded_pass`, which runs the three.

mod base64;
mod escape;
mod utf16;

use super::prefilter::PairFinder;
use crate::credential::{Classified, Kind};
use crate::input::Encoding;

use self::base64::{ShadowSearch, shadows};

/// Bytes before a hit that its decoding may look at (the base64 group holding a prefix's
/// first byte, `github` before `%5F`).
pub(super) const BEHIND: usize = 16;

/// What a needle stands for.
#[derive(Debug, Clone, Copy)]
enum Needle {
    /// A base64 shadow: its first character's position within its 4-character group, and
    /// how many base64 layers it is under (1 or 2).
    Shadow { phase: u8, depth: u8 },
    /// `%5F`, `%5f`, `\u005f`, `\u005F`.
    Escape(Encoding),
    /// `g\0h\0`, `\0g\0h`, and the same for `github_pat_`.
    Utf16(Encoding),
}

/// The prefilters for encoded needles, and what each stands for. Plain text pays only for
/// cheap gates: base64 shadows are searched only inside runs of base64 characters that
/// hold a dense 16-byte block (all base64, both letter cases; see `dense_block`), UTF-16
/// prefixes only in a window that holds a NUL byte, escapes by a SIMD pair search for `%5`
/// and `\u`.
#[derive(Debug, Clone)]
pub(super) struct EncodedFinder {
    /// Depth-1 shadows (inside a decoding, one layer left).
    depth1: ShadowSearch,
    /// Depth-1 and depth-2 shadows, in one search.
    both: ShadowSearch,
    /// UTF-16 `gh?_` (LE or BE): `h` and `_` four bytes apart. Reports the LE start, one
    /// byte after the BE start.
    utf16_classic: PairFinder,
    /// UTF-16 `github_pat_`: `b` and `_` two bytes apart, likewise.
    utf16_pat: PairFinder,
}

impl EncodedFinder {
    pub(super) fn new() -> Self {
        let (mut depth1, mut both) = (Vec::new(), Vec::new());
        for kind in Kind::ALL {
            for (shadow, phase) in shadows(kind.prefix().as_bytes()) {
                for (shadow2, phase2) in shadows(&shadow) {
                    let needle = Needle::Shadow {
                        phase: phase2,
                        depth: 2,
                    };
                    both.push((shadow2, needle));
                }
                let needle = Needle::Shadow { phase, depth: 1 };
                both.push((shadow.clone(), needle));
                depth1.push((shadow, needle));
            }
        }
        EncodedFinder {
            depth1: ShadowSearch::new(&depth1),
            both: ShadowSearch::new(&both),
            // The same pairs as the plain prefilters, one byte apart in UTF-16: "github" and
            // "high" (in every line of a UTF-16 log) are not candidates.
            utf16_classic: PairFinder::new(b"g\0h\0p\0_\0", 2, 6, b"g\0h"),
            utf16_pat: PairFinder::new(b"g\0i\0t\0h\0u\0b\0_\0", 10, 12, b"g\0i\0t"),
        }
    }
}

/// One reported item: where it starts in the scanned buffer, what it is, how it was
/// encoded.
#[derive(Debug)]
pub(super) struct Hit {
    pub(super) start: usize,
    pub(super) item: Classified,
    pub(super) encoding: Option<Encoding>,
}

/// The last base64 shadow handled: up to where (in the buffer's absolute positions) its
/// tokens were reported, on which 4-character grid.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Zone {
    pub(super) last: Option<(u64, u8)>,
    /// Read ambiguous UTF-16 (ASCII is the same text either way round, one byte apart) as
    /// big-endian: the input starts with a big-endian BOM or interleave. Little-endian
    /// otherwise (what Windows and PowerShell write).
    pub(super) utf16_be: bool,
}

const fn is_jwt_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

impl super::Scanner {
    /// Handles `needle` found at `q` in `buf`: pushes what it decodes to onto
    /// `hits`, and returns where scanning resumes (`None`: just after the needle's start).
    /// `budget` is how many base64 layers may still be decoded; `base` is `buf[0]`'s
    /// absolute position, for `zone`.
    #[allow(clippy::too_many_arguments)]
    fn encoded_at(
        &self,
        buf: &[u8],
        q: usize,
        needle: Needle,
        budget: u8,
        base: u64,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) -> Option<usize> {
        match needle {
            Needle::Shadow { phase, depth } => {
                if depth <= budget {
                    self.base64_at(buf, q, phase, budget, base, zone, hits);
                }
                None
            }
            Needle::Escape(encoding) => self.escaped_at(buf, q, encoding, hits),
            Needle::Utf16(encoding) => self.utf16_at(buf, q, encoding, zone, hits),
        }
    }

    /// Finds the encoded forms starting in `buf[from..limit]`, pushing them onto `hits`;
    /// returns the end of the last one consumed (or `from`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn encoded_pass(
        &self,
        buf: &[u8],
        from: usize,
        limit: usize,
        budget: u8,
        base: u64,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) -> usize {
        let (mut end, has_nul) = self.escapes_pass(buf, from, limit, budget, base, zone, hits);
        // UTF-16, only where there is a NUL byte.
        if has_nul {
            end = end.max(self.utf16_pass(buf, from, limit, budget, base, zone, hits));
        }
        // Base64 shadows.
        if budget == 0 {
            return end;
        }
        self.base64_pass(buf, from, limit, budget, base, zone, hits);
        end
    }
}

#[cfg(test)]
mod tests {
    use ::base64::Engine as _;

    use super::base64::*;
    use super::*;

    #[test]
    fn shadows_of_a_prefix() {
        let s: Vec<(String, u8)> = shadows(b"ghp_")
            .into_iter()
            .map(|(s, p)| (String::from_utf8(s).unwrap_or_default(), p))
            .collect();
        assert_eq!(
            s,
            vec![
                ("Z2hwX".to_owned(), 0),
                ("docF".to_owned(), 2),
                ("naHBf".to_owned(), 3)
            ]
        );
        // Every alignment of a real encoding contains one of them at its phase.
        for pad in 0..3 {
            let text = format!("{}ghp_abc", "x".repeat(pad));
            let enc = ::base64::engine::general_purpose::STANDARD.encode(text);
            let (shadow, phase) = &shadows(b"ghp_")[pad];
            let at = enc.find(std::str::from_utf8(shadow).unwrap_or("?"));
            assert_eq!(at.map(|i| (i % 4) as u8), Some(*phase));
        }
    }

    #[test]
    fn the_gate_ends_on_runs_of_every_length_and_offset() {
        // A run ending just after a tested block once made the gate find that block again.
        let scanner = super::super::Scanner::with_buffer_size(0);
        for off in 0..2 * STRIDE {
            for len in BLOCK..3 * STRIDE {
                let mut input = vec![b' '; off];
                input.extend((0..len).map(|i| b"aB3+"[i % 4]));
                input.extend_from_slice(b" tail");
                let stats = scanner.scan_bytes(&input, "t", |_| {});
                assert_eq!(stats.found, 0);
            }
        }
        let gated = b"xx Zm9vYmFyYmF6cXV4 aGVsbG8gd29ybGQ hello/world/path-name-x ";
        assert!(dense_block(gated[3..19].try_into().unwrap_or(&[0; BLOCK])));
        assert!(!dense_block(
            gated[39..55].try_into().unwrap_or(&[0; BLOCK])
        ));
    }

    #[test]
    fn the_vector_gate_agrees_with_the_plain_rule() {
        let reference = |block: &[u8; BLOCK]| {
            block.iter().all(|&b| is_b64(b))
                && block.iter().any(u8::is_ascii_uppercase)
                && block.iter().any(u8::is_ascii_lowercase)
        };
        // Every byte value at every position, in blocks that are otherwise dense or not.
        for base in [
            *b"Zm9vYmFyYmF6cXV4",
            *b"aaaaaaaaaaaaaaaa",
            *b"AAAAAAAAAAAAAAAa",
        ] {
            for at in 0..BLOCK {
                for byte in 0..=u8::MAX {
                    let mut block = base;
                    block[at] = byte;
                    assert_eq!(dense_block(&block), reference(&block), "{block:?}");
                    // The quick test in front of it never rules out a dense block.
                    let quick = block.iter().all(|&b| {
                        (b'+'..=b'z').contains(&b) && b != b'.' && !(b':'..=b'@').contains(&b)
                    });
                    assert_eq!(plausible(&block), quick, "{block:?}");
                    assert!(plausible(&block) || !dense_block(&block), "{block:?}");
                }
            }
        }
    }

    #[test]
    fn big_endian_without_a_bom_followed_by_binary_or_the_end_is_whole() {
        // Found by the `embedded` fuzz target: read little-endian one byte on, the last
        // character lost its NUL and a valid token became a truncated near miss.
        let t = crate::fixtures::fine_grained(104);
        let be: Vec<u8> = t.bytes().flat_map(|b| [0, b]).collect();
        let scanner = super::super::Scanner::new();
        for (before, after) in [(&b" "[..], &b" "[..]), (b"x", b""), (b"\x01", b"\xff\x00")] {
            let mut input = before.to_vec();
            input.extend_from_slice(&be);
            input.extend_from_slice(after);
            let mut got = Vec::new();
            scanner.scan_bytes(&input, "t", |f| got.push(f));
            assert_eq!(got.len(), 1);
            assert!(matches!(&got[0].item, Classified::Valid(c) if c.expose_secret() == t));
            assert_eq!(got[0].location.encoding, Some(Encoding::Utf16Be));
        }
        // Followed by more big-endian text, it is still read little-endian one byte on.
        let mut input = be.clone();
        input.extend_from_slice(b"\0\r\0\n");
        let mut got = Vec::new();
        scanner.scan_bytes(&input, "t", |f| got.push(f));
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0].item, Classified::Valid(c) if c.expose_secret() == t));
    }

    #[test]
    fn the_finder_builds_with_every_needle() {
        let f = EncodedFinder::new();
        assert_eq!((f.depth1.needles.len(), f.both.needles.len()), (18, 72));
        assert_eq!(f.both.all(b"xx docF Z2hwX", 0, 13).len(), 2);
        // A stem without its shadow is not a match.
        assert_eq!(f.both.all(b"xx docx Z2hqX", 0, 13).len(), 0);
    }
}
