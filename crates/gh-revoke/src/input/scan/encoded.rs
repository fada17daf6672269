//! Encoded forms of credentials in scan mode, each behind a cheap gate so a plain log pays
//! little for them:
//!
//! * **base64** (standard or URL-safe, padded or not): a token prefix inside base64 leaves a
//!   stable "shadow" at each of the three byte alignments (`ghp_` → `Z2hwX`, `docF`, `naHBf`);
//!   base64 of base64 leaves shadows of those shadows. The gate: 16-byte blocks that are
//!   dense base64 (one vector test a block). Around them, regions of base64 runs are searched
//!   for all 72 shadows at once (Teddy, from `aho-corasick`); only the run around a shadow is
//!   decoded (at most [`B64_WINDOW`] characters after it) and scanned again, to depth 2.
//! * **UTF-16** LE/BE (with or without a BOM), in windows that hold a NUL: the plain scan's
//!   two pair prefilters one byte apart (`h` and `_` four bytes apart, `b` and `_` two).
//! * `_` **percent-encoded** (`%5F`) or **JSON-escaped** (`\u005f`) after a prefix's head:
//!   one SIMD search for `%`, `\` and NUL (which also tells whether UTF-16 is worth a look).

use aho_corasick::packed::{Config, MatchKind, Searcher};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use wide::{i8x16, u8x16};
use zeroize::Zeroizing;

use super::prefilter::{NextMatch, PairFinder, earliest};
use crate::credential::{Classified, Kind, MAX_TOKEN_LEN, match_at};
use crate::input::Encoding;

/// Encoded characters decoded after a shadow: enough for the longest token at depth 2
/// (`MAX_TOKEN_LEN` bytes are 1,368 base64 characters, which are 1,824 again).
pub(super) const B64_WINDOW: usize = 1900;
/// Bytes of an escaped token examined after its start (a 1,024-byte token with a few
/// escaped underscores, or 2,050 bytes of UTF-16).
const ESCAPED_SPAN: usize = 3000;
/// Bytes before a hit that its decoding may look at (the base64 group holding a prefix's
/// first byte, `github` before `%5F`).
pub(super) const BEHIND: usize = 16;
/// Shortest base64 run decoded: the shortest near miss is a prefix and 24 characters.
const MIN_B64_RUN: usize = 36;

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

fn searcher(patterns: &[Vec<u8>]) -> Searcher {
    let mut builder = Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .heuristic_pattern_limits(false)
        .builder();
    builder.extend(patterns);
    builder
        .build()
        .or_else(|| {
            // No SIMD Teddy on this CPU: Rabin-Karp, slower but the same answers.
            let mut builder = Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .only_rabin_karp(true)
                .builder();
            builder.extend(patterns);
            builder.build()
        })
        .unwrap_or_else(unreachable_searcher)
}

const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The base64 characters fully determined by `text` at each byte alignment (0, 1, 2), with
/// the position of the first within its 4-character group; standard alphabet, plus the
/// URL-safe spelling when it differs.
fn shadows(text: &[u8]) -> Vec<(Vec<u8>, u8)> {
    let mut out = Vec::new();
    for align in 0..3usize {
        let mut bytes = vec![0u8; align];
        bytes.extend_from_slice(text);
        bytes.extend_from_slice(&[0, 0, 0]);
        let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
        let first = (8 * align).div_ceil(6);
        let end = 8 * (align + text.len()) / 6;
        let Some(shadow) = encoded.as_bytes().get(first..end) else {
            continue;
        };
        let phase = (first % 4) as u8;
        let url: Vec<u8> = shadow
            .iter()
            .map(|&b| match b {
                b'+' => b'-',
                b'/' => b'_',
                b => b,
            })
            .collect();
        if url != shadow {
            out.push((url, phase));
        }
        out.push((shadow.to_vec(), phase));
    }
    out
}

/// A set of shadows and one Teddy search for all of them. (Searching only their first three
/// characters, to get Teddy's faster variant, found too many false starts in base64 of log
/// text: 40 % more instructions on the base64 corpus.)
#[derive(Debug, Clone)]
struct ShadowSearch {
    searcher: Searcher,
    /// By the searcher's pattern id.
    needles: Vec<Needle>,
}

impl ShadowSearch {
    fn new(list: &[(Vec<u8>, Needle)]) -> Self {
        let patterns: Vec<Vec<u8>> = list.iter().map(|(shadow, _)| shadow.clone()).collect();
        ShadowSearch {
            searcher: searcher(&patterns),
            needles: list.iter().map(|&(_, needle)| needle).collect(),
        }
    }

    /// Every shadow starting in `haystack[from..to]`: (start, needle). No shadow is a prefix
    /// of another, so at most one starts at a position.
    fn all(&self, haystack: &[u8], from: usize, to: usize) -> Vec<(usize, Needle)> {
        let mut out = Vec::new();
        let mut pos = from;
        // Shadows are at most 16 bytes: one starting before `to` ends before `to + 16`.
        let end = haystack.len().min(to + 16);
        while pos < to && pos < end {
            let Some(m) = self
                .searcher
                .find_in(haystack, aho_corasick::Span::from(pos..end))
            else {
                break;
            };
            if m.start() >= to {
                break;
            }
            if let Some(&needle) = self.needles.get(m.pattern().as_usize()) {
                out.push((m.start(), needle));
            }
            pos = m.start() + 1;
        }
        out
    }
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

/// Rabin-Karp builds for any non-empty pattern list; this is never reached.
fn unreachable_searcher() -> Searcher {
    #[allow(clippy::expect_used)]
    Searcher::new(["\u{0}never"]).expect("Rabin-Karp always builds")
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

/// A base64 character, of either alphabet. Written without branches, so the block loops
/// that use it vectorize.
#[inline]
const fn is_b64(b: u8) -> bool {
    (b.wrapping_sub(b'A') < 26)
        | (b.wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'0') < 10)
        | (b == b'+')
        | (b == b'/')
        | (b == b'-')
        | (b == b'_')
}

/// How many base64 characters `bytes` starts with: whole blocks tested branch-free (a
/// base64 run is mostly whole blocks), then byte by byte.
fn b64_run_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    for block in bytes.chunks_exact(BLOCK) {
        let mut other = 0u8;
        for &b in block {
            other |= u8::from(!is_b64(b));
        }
        if other != 0 {
            break;
        }
        n += BLOCK;
    }
    n + bytes
        .get(n..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| is_b64(b))
        .count()
}

/// The end of the block (counted from `block`) that holds the end of the base64 run going
/// on at `block`, or the buffer's end, or a little later: whole blocks are tested with
/// [`in_range`] (`+` to `z`, a superset of the alphabet, so the end may come late).
fn run_blocks_end(buf: &[u8], block: usize) -> usize {
    let (blocks, _) = buf.get(block..).unwrap_or_default().as_chunks::<BLOCK>();
    let whole = blocks.iter().take_while(|b| in_range(b)).count();
    buf.len().min(block + (whole + 1) * BLOCK)
}

/// Runs whose dense blocks are at most this far apart are searched as one region.
const MERGE: usize = 64;

/// Block size of the base64 gate.
const BLOCK: usize = 16;

/// Whether `block` is all base64 characters, with an upper-case and a lower-case letter:
/// true of almost any 16 characters of real base64, and rarely of log text (paths, URLs,
/// timestamps, `SNAKE_CASE` and lower-case words fail it). One 16-byte vector (`wide`:
/// SSE2 on x86-64, NEON on aarch64), cheapest test first: a byte outside `+`..`z` (a space,
/// a quote) rejects most log text at once.
#[inline]
fn dense_block(block: &[u8; BLOCK]) -> bool {
    if !in_range(block) {
        return false;
    }
    let v = u8x16::new(*block);
    let splat = u8x16::splat;
    let upper = (v - splat(b'A')).simd_lt(splat(26));
    let lower = (v - splat(b'a')).simd_lt(splat(26));
    if !(upper.any() && lower.any()) {
        return false;
    }
    let digit = (v - splat(b'0')).simd_lt(splat(10));
    let sign = v.simd_eq(splat(b'+'))
        | v.simd_eq(splat(b'/'))
        | v.simd_eq(splat(b'-'))
        | v.simd_eq(splat(b'_'));
    (upper | lower | digit | sign).all()
}

/// Blocks tested by the gate: every block. (Testing one block in two missed a token in the
/// base64 benchmark corpus: a short run then has a single tested block, and 16 base64
/// characters lack an upper- or a lower-case letter about once in 2,000; see
/// BENCHMARKS.md.) Any run of [`GATED_RUN`] or more characters holds a whole tested block.
const STRIDE: usize = BLOCK;
/// The shortest base64 run the gate always sees (31 characters): shorter than the shortest
/// near miss's encoding ([`MIN_B64_RUN`]).
const GATED_RUN: usize = STRIDE + BLOCK - 1;
const _: () = assert!(GATED_RUN <= MIN_B64_RUN);

/// The first tested block start `i` (a multiple of [`STRIDE`] from `buf`'s start, whole
/// inside `buf`), from `first` (a multiple of [`STRIDE`]) to the last starting before `to`,
/// whose block is dense.
fn next_dense_block(buf: &[u8], first: usize, to: usize) -> Option<usize> {
    let end = (to.div_ceil(STRIDE) * STRIDE).min(buf.len());
    let (blocks, _) = buf.get(first..end)?.as_chunks::<BLOCK>();
    let mut quads = blocks.chunks_exact(4);
    let mut at = first;
    // Four blocks a step: in log text nearly every block has a byte outside `+`..`z` (a
    // space, a quote) or one of `.:;<=>?@` (timestamps, URLs, `key=value`), and four such
    // tests cost little more than one branch.
    for quad in quads.by_ref() {
        if let [a, b, c, d] = quad
            && (plausible(a) | plausible(b) | plausible(c) | plausible(d))
            && let Some(k) = quad.iter().position(dense_block)
        {
            return Some(at + k * BLOCK);
        }
        at += 4 * BLOCK;
    }
    let rest = quads.remainder();
    rest.iter().position(dense_block).map(|k| at + k * BLOCK)
}

/// Whether every byte of `block` is between `+` and `z` but none is `.` or between `:`
/// and `@` (true of every dense block): timestamps, URLs, host names and `key=value`
/// pairs, common in logs and never base64, fail it.
#[inline]
fn plausible(block: &[u8; BLOCK]) -> bool {
    let v = signed(block);
    let other = within(v, b':', b'@') | v.simd_eq(i8x16::splat(b'.'.cast_signed()));
    (within(v, b'+', b'z') & !other).to_bitmask() == 0xFFFF
}

/// Whether every byte of `block` is between `+` and `z` (the first test of [`dense_block`]).
#[inline]
fn in_range(block: &[u8; BLOCK]) -> bool {
    within(signed(block), b'+', b'z').to_bitmask() == 0xFFFF
}

/// A block's bytes as one vector of `i8`.
#[inline]
fn signed(block: &[u8; BLOCK]) -> i8x16 {
    i8x16::from(block.map(u8::cast_signed))
}

/// All ones in the lanes of `v` whose byte is between `lo` and `hi`: `v` shifted so that
/// the range becomes the smallest `i8` values, then one signed comparison.
#[inline]
fn within(v: i8x16, lo: u8, hi: u8) -> i8x16 {
    let shifted = v + i8x16::splat(0x80u8.wrapping_sub(lo).cast_signed());
    shifted.simd_lt(i8x16::splat((0x80 + (hi - lo) + 1).cast_signed()))
}

const fn is_jwt_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Decodes a run of base64 characters (either alphabet; a last lone character dropped).
fn decode(run: &[u8]) -> Zeroizing<Vec<u8>> {
    let n = run.len() - usize::from(run.len() % 4 == 1);
    let standard: Zeroizing<Vec<u8>> = Zeroizing::new(
        run.iter()
            .take(n)
            .map(|&b| match b {
                b'-' => b'+',
                b'_' => b'/',
                b => b,
            })
            .collect(),
    );
    let mut out = Zeroizing::new(Vec::with_capacity(n / 4 * 3 + 3));
    if B64.decode_vec(standard.as_slice(), &mut out).is_err() {
        out.clear();
    }
    out
}

/// Where the encoding of decoded byte `d` starts, counted in characters.
const fn encoded_pos(d: usize) -> usize {
    4 * (d / 3) + [0, 1, 2][d % 3]
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
            Needle::Escape(encoding) => {
                let start = escaped_token_start(buf, q)?;
                let mut out = Zeroizing::new(Vec::with_capacity(MAX_TOKEN_LEN + 1));
                let mut ends = Vec::with_capacity(MAX_TOKEN_LEN + 1);
                let mut i = start;
                let stop = buf.len().min(start + ESCAPED_SPAN);
                while out.len() <= MAX_TOKEN_LEN && i < stop {
                    let rest = buf.get(i..stop)?;
                    let escaped = [&b"%5F"[..], b"%5f", b"\\u005f", b"\\u005F"]
                        .into_iter()
                        .find(|e| rest.starts_with(e));
                    match escaped {
                        Some(e) => {
                            out.push(b'_');
                            i += e.len();
                        }
                        None if is_jwt_char(rest.first().copied()?) => {
                            out.push(rest.first().copied()?);
                            i += 1;
                        }
                        None => break,
                    }
                    ends.push(i);
                }
                let (len, item) = match_at(&out)?;
                let end = *ends.get(len.checked_sub(1)?)?;
                hits.push(Hit {
                    start,
                    item,
                    encoding: Some(encoding),
                });
                Some(end)
            }
            Needle::Utf16(encoding) => {
                let odd = usize::from(encoding == Encoding::Utf16Be);
                let mut out = Zeroizing::new(Vec::with_capacity(MAX_TOKEN_LEN + 1));
                let mut i = q;
                while out.len() <= MAX_TOKEN_LEN {
                    let (Some(&c), Some(&z)) = (buf.get(i + odd), buf.get(i + 1 - odd)) else {
                        break;
                    };
                    if z != 0 || !is_jwt_char(c) {
                        break;
                    }
                    out.push(c);
                    i += 2;
                }
                // Big-endian ASCII is little-endian one byte on, and is read that way (the
                // same characters) unless the byte after the last one is not NUL (the input
                // ends, or binary follows): then the little-endian reading would lose the
                // last character.
                if encoding == Encoding::Utf16Be
                    && !zone.utf16_be
                    && buf.get(q + 4) == Some(&0)
                    && buf.get(i) == Some(&0)
                {
                    return None;
                }
                let (len, item) = match_at(&out)?;
                hits.push(Hit {
                    start: q,
                    item,
                    encoding: Some(encoding),
                });
                Some(q + 2 * len)
            }
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
        let mut end = from;
        let finder = &self.encoded;
        // Escaped underscores, and whether the window holds a NUL (the UTF-16 gate), in one
        // pass: `%`, `\` and NUL are rare in text (and NUL is no longer looked for once seen).
        // The search goes on a few bytes past the limit: an escape there may belong to a
        // token that starts before it (`ghp` before `%5F`), which is decided here; and a
        // little-endian prefix starting on the last byte decided here has its first NUL
        // just past the limit.
        let mut has_nul = false;
        let mut pos = from;
        let stop = buf.len().min(limit + ESCAPED_HEAD);
        let searched = buf.get(..stop).unwrap_or_default();
        while pos < stop {
            let rest = searched.get(pos..).unwrap_or_default();
            let found = if has_nul {
                memchr::memchr2(b'%', b'\\', rest)
            } else {
                memchr::memchr3(b'%', b'\\', 0, rest)
            };
            let Some(q) = found.map(|i| pos + i) else {
                break;
            };
            let rest = buf.get(q..).unwrap_or_default();
            // A token is decided by the window where it starts.
            let decided_here =
                || escaped_token_start(buf, q).is_some_and(|s| (from..limit).contains(&s));
            pos = match ESCAPES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some(&(_, encoding)) if decided_here() => {
                    match self.encoded_at(
                        buf,
                        q,
                        Needle::Escape(encoding),
                        budget,
                        base,
                        zone,
                        hits,
                    ) {
                        Some(token_end) => {
                            end = end.max(token_end);
                            token_end
                        }
                        None => q + 1,
                    }
                }
                Some(_) => q + 1,
                None => {
                    has_nul |= rest.first() == Some(&0);
                    q + 1
                }
            };
        }
        // UTF-16, only where there is a NUL byte.
        if has_nul {
            let mut pos = from;
            let mut next_classic = NextMatch::new(&finder.utf16_classic);
            let mut next_pat = NextMatch::new(&finder.utf16_pat);
            let mut search = from;
            // A candidate at `s` is a little-endian prefix at `s` or a big-endian one at
            // `s - 1`; each start in `from..limit` is looked at once.
            while search <= limit {
                let Some(s) = earliest(
                    next_classic.at_or_after(buf, search),
                    next_pat.at_or_after(buf, search),
                ) else {
                    break;
                };
                if s > limit {
                    break;
                }
                let be = s.checked_sub(1).map(|q| (q, Encoding::Utf16Be));
                for (q, encoding) in be.into_iter().chain([(s, Encoding::Utf16Le)]) {
                    if q < from.max(pos) || q >= limit || !utf16_prefix_at(buf, q, encoding) {
                        continue;
                    }
                    pos = self
                        .encoded_at(buf, q, Needle::Utf16(encoding), budget, base, zone, hits)
                        .unwrap_or(q + 1);
                    end = end.max(pos);
                }
                search = s + 1;
            }
        }
        // Base64 shadows, only inside runs of base64 characters that hold a "dense" block
        // (see `next_dense_block`): any run of `GATED_RUN` or more holds a tested block.
        if budget == 0 {
            return end;
        }
        let mut at = from / STRIDE * STRIDE;
        // A run already under way at `from` (begun in the previous window) may have no
        // tested block left after `from`: it is looked at first, whatever its blocks.
        let mut under_way = buf.get(from).is_some_and(|&b| is_b64(b)).then_some(from);
        while let Some(block) = under_way
            .take()
            .or_else(|| next_dense_block(buf, at, limit + STRIDE))
        {
            let start = block
                - buf
                    .get(..block)
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .take_while(|&&b| is_b64(b))
                    .count();
            // The region searched: this run, to the end of the block that holds its end
            // (searching a little past it costs nothing: a shadow outside a long enough
            // run is dropped by `base64_at`), and on over the next runs while their dense
            // blocks follow within `MERGE` bytes (the lines of a base64 log are one search).
            let mut stop = run_blocks_end(buf, block);
            while let Some(next) = next_dense_block(
                buf,
                stop.div_ceil(STRIDE) * STRIDE,
                (stop + MERGE).min(limit + STRIDE),
            ) {
                stop = run_blocks_end(buf, next);
            }
            let (lo, hi) = (start.max(from), stop.min(limit));
            if hi > lo {
                let shadows = if budget >= 2 {
                    &finder.both
                } else {
                    &finder.depth1
                };
                for (q, needle) in shadows.all(buf, lo, hi) {
                    self.encoded_at(buf, q, needle, budget, base, zone, hits);
                }
            }
            // Tested blocks starting before `stop` are in this region or hold its end.
            at = stop.div_ceil(STRIDE) * STRIDE;
        }
        end
    }

    /// Decodes the base64 run around the shadow at `q` and scans it again (one layer less).
    #[allow(clippy::too_many_arguments)]
    fn base64_at(
        &self,
        buf: &[u8],
        q: usize,
        phase: u8,
        budget: u8,
        base: u64,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) {
        let Some(group) = q.checked_sub(usize::from(phase)) else {
            return;
        };
        let grid = ((base + group as u64) % 4) as u8;
        // Back over up to two groups: the one holding the prefix's first byte, and one more.
        let mut start = group;
        for _ in 0..2 {
            match start.checked_sub(4) {
                Some(s)
                    if buf
                        .get(s..start)
                        .is_some_and(|g| g.iter().all(|&b| is_b64(b))) =>
                {
                    start = s;
                }
                _ => break,
            }
        }
        let stop = buf.len().min(q + B64_WINDOW);
        let end = q + buf.get(q..stop).map_or(0, b64_run_len);
        if end < start + MIN_B64_RUN {
            return;
        }
        // Report what starts after the previous shadow's zone (on the same grid) and at or
        // before this shadow: every token's shadow lies within its first group.
        let abs_q = base + q as u64;
        let from = match zone.last {
            Some((hi, g)) if g == grid && hi >= base + start as u64 => hi + 1,
            _ => base + start as u64,
        };
        zone.last = Some((abs_q, grid));
        let Some(run) = buf.get(start..end) else {
            return;
        };
        let decoded = decode(run);
        let mut inner = Vec::new();
        self.scan_buf(
            &decoded,
            0,
            decoded.len(),
            budget - 1,
            0,
            &mut Zone::default(),
            &mut inner,
        );
        for hit in inner {
            let at = start + encoded_pos(hit.start);
            let abs = base + at as u64;
            if abs < from || abs > abs_q {
                continue;
            }
            let encoding = match hit.encoding {
                Some(Encoding::Base64 | Encoding::Base64InBase64) => Encoding::Base64InBase64,
                _ => Encoding::Base64,
            };
            hits.push(Hit {
                start: at,
                item: hit.item,
                encoding: Some(encoding),
            });
        }
    }
}

/// Whether a known prefix starts at `buf[q]` in UTF-16 of `encoding`.
fn utf16_prefix_at(buf: &[u8], q: usize, encoding: Encoding) -> bool {
    let odd = usize::from(encoding == Encoding::Utf16Be);
    let rest = buf.get(q..).unwrap_or_default();
    Kind::ALL.iter().any(|kind| {
        let prefix = kind.prefix().as_bytes();
        rest.len() >= 2 * prefix.len()
            && prefix.iter().enumerate().all(|(i, &c)| {
                rest.get(2 * i + odd) == Some(&c) && rest.get(2 * i + 1 - odd) == Some(&0)
            })
    })
}

/// An escaped `_` and what it is.
const ESCAPES: [(&[u8], Encoding); 4] = [
    (b"%5F", Encoding::PercentEncoded),
    (b"%5f", Encoding::PercentEncoded),
    (b"\\u005f", Encoding::JsonEscaped),
    (b"\\u005F", Encoding::JsonEscaped),
];

fn is_classic_head(head: &[u8]) -> bool {
    matches!(head, [b'g', b'h', b'p' | b'o' | b'u' | b's' | b'r'])
}

/// The longest head of a prefix before its escaped `_` (`github`).
const ESCAPED_HEAD: usize = 6;

/// Where the token whose escaped `_` is at `q` starts: `gh?` or `github` before it.
fn escaped_token_start(buf: &[u8], q: usize) -> Option<usize> {
    if q >= 3 && is_classic_head(buf.get(q - 3..q)?) {
        Some(q - 3)
    } else if q >= ESCAPED_HEAD && buf.get(q - ESCAPED_HEAD..q)? == b"github" {
        Some(q - ESCAPED_HEAD)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
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
            let enc = base64::engine::general_purpose::STANDARD.encode(text);
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
