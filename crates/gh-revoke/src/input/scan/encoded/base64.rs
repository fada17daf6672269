//! Base64: the gate (dense 16-byte blocks, one vector test a block), the shadows of every
//! prefix (searched all at once with Teddy) and the decoder, which decodes the run around a
//! shadow and scans it again, to depth 2.

use aho_corasick::packed::{Config, MatchKind, Searcher};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use wide::{i8x16, u8x16};
use zeroize::Zeroizing;

use super::{Hit, Needle, Zone};
use crate::input::Encoding;

/// Encoded characters decoded after a shadow: enough for the longest token at depth 2
/// (`MAX_TOKEN_LEN` bytes are 1,368 base64 characters, which are 1,824 again).
pub(super) const B64_WINDOW: usize = 1900;
/// Shortest base64 run decoded: the shortest near miss is a prefix and 24 characters.
pub(super) const MIN_B64_RUN: usize = 36;

pub(super) fn searcher(patterns: &[Vec<u8>]) -> Searcher {
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
pub(super) fn shadows(text: &[u8]) -> Vec<(Vec<u8>, u8)> {
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
pub(super) struct ShadowSearch {
    searcher: Searcher,
    /// By the searcher's pattern id.
    pub(super) needles: Vec<Needle>,
}

impl ShadowSearch {
    pub(super) fn new(list: &[(Vec<u8>, Needle)]) -> Self {
        let patterns: Vec<Vec<u8>> = list.iter().map(|(shadow, _)| shadow.clone()).collect();
        ShadowSearch {
            searcher: searcher(&patterns),
            needles: list.iter().map(|&(_, needle)| needle).collect(),
        }
    }

    /// Every shadow starting in `haystack[from..to]`: (start, needle). No shadow is a prefix
    /// of another, so at most one starts at a position.
    pub(super) fn all(&self, haystack: &[u8], from: usize, to: usize) -> Vec<(usize, Needle)> {
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

/// Rabin-Karp builds for any non-empty pattern list; this is never reached.
pub(super) fn unreachable_searcher() -> Searcher {
    #[allow(clippy::expect_used)]
    Searcher::new(["\u{0}never"]).expect("Rabin-Karp always builds")
}

/// A base64 character, of either alphabet. Written without branches, so the block loops
/// that use it vectorize.
#[inline]
pub(super) const fn is_b64(b: u8) -> bool {
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
pub(super) fn b64_run_len(bytes: &[u8]) -> usize {
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
pub(super) fn run_blocks_end(buf: &[u8], block: usize) -> usize {
    let (blocks, _) = buf.get(block..).unwrap_or_default().as_chunks::<BLOCK>();
    let whole = blocks.iter().take_while(|b| in_range(b)).count();
    buf.len().min(block + (whole + 1) * BLOCK)
}

/// Runs whose dense blocks are at most this far apart are searched as one region.
pub(super) const MERGE: usize = 64;

/// Block size of the base64 gate.
pub(super) const BLOCK: usize = 16;

/// Whether `block` is all base64 characters, with an upper-case and a lower-case letter:
/// true of almost any 16 characters of real base64, and rarely of log text (paths, URLs,
/// timestamps, `SNAKE_CASE` and lower-case words fail it). One 16-byte vector (`wide`:
/// SSE2 on x86-64, NEON on aarch64), cheapest test first: a byte outside `+`..`z` (a space,
/// a quote) rejects most log text at once.
#[inline]
pub(super) fn dense_block(block: &[u8; BLOCK]) -> bool {
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
pub(super) const STRIDE: usize = BLOCK;
/// The shortest base64 run the gate always sees (31 characters): shorter than the shortest
/// near miss's encoding ([`MIN_B64_RUN`]).
pub(super) const GATED_RUN: usize = STRIDE + BLOCK - 1;
const _: () = assert!(GATED_RUN <= MIN_B64_RUN);

/// The first tested block start `i` (a multiple of [`STRIDE`] from `buf`'s start, whole
/// inside `buf`), from `first` (a multiple of [`STRIDE`]) to the last starting before `to`,
/// whose block is dense.
pub(super) fn next_dense_block(buf: &[u8], first: usize, to: usize) -> Option<usize> {
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
pub(super) fn plausible(block: &[u8; BLOCK]) -> bool {
    let v = signed(block);
    let other = within(v, b':', b'@') | v.simd_eq(i8x16::splat(b'.'.cast_signed()));
    (within(v, b'+', b'z') & !other).to_bitmask() == 0xFFFF
}

/// Whether every byte of `block` is between `+` and `z` (the first test of [`dense_block`]).
#[inline]
pub(super) fn in_range(block: &[u8; BLOCK]) -> bool {
    within(signed(block), b'+', b'z').to_bitmask() == 0xFFFF
}

/// A block's bytes as one vector of `i8`.
#[inline]
pub(super) fn signed(block: &[u8; BLOCK]) -> i8x16 {
    i8x16::from(block.map(u8::cast_signed))
}

/// All ones in the lanes of `v` whose byte is between `lo` and `hi`: `v` shifted so that
/// the range becomes the smallest `i8` values, then one signed comparison.
#[inline]
pub(super) fn within(v: i8x16, lo: u8, hi: u8) -> i8x16 {
    let shifted = v + i8x16::splat(0x80u8.wrapping_sub(lo).cast_signed());
    shifted.simd_lt(i8x16::splat((0x80 + (hi - lo) + 1).cast_signed()))
}

/// Decodes a run of base64 characters (either alphabet; a last lone character dropped).
pub(super) fn decode(run: &[u8]) -> Zeroizing<Vec<u8>> {
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
pub(super) const fn encoded_pos(d: usize) -> usize {
    4 * (d / 3) + [0, 1, 2][d % 3]
}

impl crate::input::scan::Scanner {
    /// The base64 part of [`Self::encoded_pass`]: shadows, only inside runs of base64
    /// characters that hold a "dense" block (see `next_dense_block`): any run of `GATED_RUN`
    /// or more holds a tested block. `budget` is at least 1.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn base64_pass(
        &self,
        buf: &[u8],
        from: usize,
        limit: usize,
        budget: u8,
        base: u64,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) {
        let finder = &self.encoded;
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
    }

    /// Decodes the base64 run around the shadow at `q` and scans it again (one layer less).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn base64_at(
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
