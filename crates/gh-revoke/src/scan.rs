//! Scan mode: find credentials anywhere in arbitrary bytes (logs, JSON, URLs, HTML, binary).
//!
//! The [`Scanner`] reads through a fixed-size buffer (1 MiB by default; three of them
//! when reading and scanning overlap on two threads), so any input size runs in bounded
//! memory. Between chunks it carries over a tail of
//! [`MAX_TOKEN_LEN`]` + 1` bytes, and only examines candidate starts before that tail, so a
//! token spanning a chunk boundary is found exactly once. Candidates are located with SIMD
//! "packed pair" prefilters from `memchr` (`h` and `_` two bytes apart for the `gh?_`
//! prefixes, `b_` for `github_pat_`), then checked by hand; there is no regex.
//!
//! # Boundary rules
//!
//! * **Before a token** anything may stand, including a letter (`xghp_…` is found: the
//!   literal prefix plus the exact shape plus the checksum is strong evidence) and a
//!   backslash escape (`\nghp_…` in a JSON string is found).
//! * **Classic format** (`ghp_`, `gho_`, `ghu_`, `ghr_`, legacy `ghs_`): exactly 36
//!   characters after the prefix are taken and must be base62.
//!   - If the checksum verifies, it is a hit even if more token characters follow (a glued
//!     suffix: the checksum proves where the token ends).
//!   - If the checksum fails and the next byte is not a token character (`[A-Za-z0-9_]`), or
//!     the input ends, it is reported as [`Classified::Invalid`] (checksum mismatch), so the
//!     user sees damaged tokens and 36-character documentation samples.
//!   - If the checksum fails and more token characters follow, it is part of a longer
//!     identifier and is ignored silently. (So the docs sample
//!     `ghp_1234567890abcdef1234567890abcdef12345678`, 40 characters after the prefix, is
//!     ignored in scan mode; line mode reports it as wrong length.)
//!   - Fewer than 36 base62 characters after the prefix: not reported.
//! * **Fine-grained** (`github_pat_` + 22 base62 + `_` + 59 base62): the exact shape, and the
//!   next byte must not be a token character; otherwise ignored as part of a longer
//!   identifier.
//! * **New installation** (`ghs_` + digits + `_` + JWT): the JWT is the longest run of
//!   `[A-Za-z0-9_.-]` that follows, minus trailing dots (sentence punctuation); it must have
//!   three non-empty parts separated by exactly two dots and the whole token must be at most
//!   [`MAX_TOKEN_LEN`] bytes. Reported as [`Classified::Unsupported`].
//! * Any other `gh…` text is not reported.
//! * After a hit, scanning resumes after its last byte: hits never overlap.
//!
//! Hits are reported in input order, with 1-based line and byte column (lines end at `\n`).

use std::io::Read;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::checksum::{CLASSIC_LEN, CLASSIC_PREFIX_LEN, is_base62, verify_classic};
use crate::classify::{
    FINE_GRAINED_LEN, MAX_TOKEN_LEN, is_fine_grained_shape, is_jwt_char, is_jwt_shape,
    is_new_installation,
};
use crate::{Classified, Found, Kind, Location, classify};

/// Default read buffer size: 1 MiB (fewer reads and hand-overs between the reading and
/// the scanning thread; 256 KiB was about 10% slower on 1 GiB).
pub const DEFAULT_BUFFER_SIZE: usize = 1024 * 1024;
/// Smallest read buffer size; smaller requests are raised to this.
pub const MIN_BUFFER_SIZE: usize = 4 * 1024;
/// Bytes a candidate needs after its start to be decided: the longest token plus one
/// boundary byte.
const LOOKAHEAD: usize = MAX_TOKEN_LEN + 1;

/// A reading error in scan mode.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Reading failed.
    #[error("reading {input}: {error}")]
    Io {
        /// The input's name (`-` for standard input).
        input: Arc<str>,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
}

/// Totals for one scanned input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct ScanStats {
    /// Bytes read.
    pub bytes: u64,
    /// Lines read (newlines, plus one for a final line without a newline).
    pub lines: u64,
    /// Items reported (valid, unsupported and invalid alike).
    pub found: u64,
}

/// A reusable scanner for credentials in arbitrary bytes. See the [module docs](self) for
/// the rules.
///
/// ```
/// use gh_revoke::Scanner;
/// let log = b"GET https://x: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@example.com/\n";
/// let mut found = Vec::new();
/// let stats = Scanner::new().scan(&log[..], "access.log", |f| found.push(f))?;
/// assert_eq!(stats.found, 1);
/// assert_eq!(found[0].location.to_string(), "access.log:1:15");
/// # Ok::<(), gh_revoke::ScanError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    buffer_size: usize,
    /// Whether reading and scanning may overlap on two threads.
    parallel: bool,
    /// Candidate starts of the `gh?_` prefixes: `h` and `_` two bytes apart.
    classic: PairFinder,
    /// Candidate starts of `github_pat_` (which has no `gh`): `b_` at offset 5.
    github_pat: PairFinder,
}

/// A SIMD "packed pair" prefilter: reports every position where two chosen bytes of a
/// needle stand at their offsets (a superset of the needle's occurrences). Two bytes
/// chosen to be rare in text (`h?_`, `b_`) make far fewer false candidates than the
/// literal `gh`, which English words ("through", "high") and URLs ("github.com") are full of.
#[derive(Debug, Clone)]
struct PairFinder {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::packedpair::Finder>,
    portable: Option<memchr::arch::all::packedpair::Finder>,
    /// A literal every candidate starts with, searched for if no pair finder could be
    /// built (which cannot happen with the constant needles used here).
    fallback: memchr::memmem::Finder<'static>,
}

impl PairFinder {
    /// A prefilter for `needle` checking the bytes at `index1` and `index2`.
    fn new(needle: &'static [u8], index1: u8, index2: u8, fallback: &'static [u8]) -> Self {
        let pair = memchr::arch::all::packedpair::Pair::with_indices(needle, index1, index2);
        PairFinder {
            #[cfg(target_arch = "x86_64")]
            avx2: pair.and_then(|pair| {
                memchr::arch::x86_64::avx2::packedpair::Finder::with_pair(needle, pair)
            }),
            portable: pair
                .and_then(|pair| memchr::arch::all::packedpair::Finder::with_pair(needle, pair)),
            fallback: memchr::memmem::Finder::new(fallback),
        }
    }

    /// The first candidate start in `haystack`.
    #[inline]
    fn find(&self, haystack: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = &self.avx2
            && haystack.len() >= avx2.min_haystack_len()
        {
            return avx2.find_prefilter(haystack);
        }
        match &self.portable {
            Some(portable) => portable.find_prefilter(haystack),
            None => self.fallback.find(haystack),
        }
    }
}

/// The next match of one finder at or after a position, cached for one window.
struct NextMatch<'f> {
    finder: &'f PairFinder,
    /// `None`: not searched yet; `Some(None)`: no match left in the window.
    cached: Option<Option<usize>>,
}

impl<'f> NextMatch<'f> {
    fn new(finder: &'f PairFinder) -> Self {
        NextMatch {
            finder,
            cached: None,
        }
    }

    #[inline]
    fn at_or_after(&mut self, window: &[u8], pos: usize) -> Option<usize> {
        match self.cached {
            Some(Some(p)) if p >= pos => return Some(p),
            Some(None) => return None,
            _ => {}
        }
        let next = self
            .finder
            .find(window.get(pos..).unwrap_or_default())
            .map(|i| pos + i);
        self.cached = Some(next);
        next
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

/// Newline bookkeeping, advanced monotonically over the input.
struct LineCounter {
    newlines: u64,
    line_start: u64,
}

impl LineCounter {
    /// Counts the newlines in `bytes`, which start at absolute offset `base` (SIMD count,
    /// then one reverse search for where the last line starts).
    #[inline]
    fn advance(&mut self, bytes: &[u8], base: u64) {
        let count = memchr::memchr_iter(b'\n', bytes).count();
        if count > 0 {
            self.newlines += count as u64;
            if let Some(i) = memchr::memrchr(b'\n', bytes) {
                self.line_start = base + i as u64 + 1;
            }
        }
    }
}

/// What a scan carries from one window to the next.
struct ScanState {
    source: Arc<str>,
    /// Absolute offset of the current window's first byte.
    base: u64,
    /// Where the search resumes in the current window (after a hit that ran past the
    /// previous window's limit).
    resume: usize,
    lines: LineCounter,
    found: u64,
    last_byte: Option<u8>,
}

impl ScanState {
    fn new(source: Arc<str>) -> Self {
        ScanState {
            source,
            base: 0,
            resume: 0,
            lines: LineCounter {
                newlines: 0,
                line_start: 0,
            },
            found: 0,
            last_byte: None,
        }
    }

    fn stats(&self) -> ScanStats {
        let unfinished_line = u64::from(self.last_byte.is_some_and(|b| b != b'\n'));
        ScanStats {
            bytes: self.base,
            lines: self.lines.newlines + unfinished_line,
            found: self.found,
        }
    }
}

/// Candidates starting before this index of a `len`-byte window have every byte they need.
fn limit_of(len: usize, eof: bool) -> usize {
    if eof {
        len
    } else {
        len.saturating_sub(LOOKAHEAD)
    }
}

/// Reads into `buf[len..]` until it is full or the input ends; returns the new length and
/// whether the input ended.
fn fill<R: Read>(
    reader: &mut R,
    buf: &mut [u8],
    mut len: usize,
    source: &Arc<str>,
) -> Result<(usize, bool), ScanError> {
    while len < buf.len() {
        match reader.read(buf.get_mut(len..).unwrap_or_default()) {
            Ok(0) => return Ok((len, true)),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => {
                return Err(ScanError::Io {
                    input: source.clone(),
                    error,
                });
            }
        }
    }
    Ok((len, false))
}

fn more_than_one_core() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

impl Scanner {
    /// A scanner with the default 1 MiB buffer.
    pub fn new() -> Self {
        Scanner::with_buffer_size(DEFAULT_BUFFER_SIZE)
    }

    /// A scanner with a `buffer_size`-byte buffer (raised to [`MIN_BUFFER_SIZE`] if smaller).
    pub fn with_buffer_size(buffer_size: usize) -> Self {
        Scanner {
            buffer_size: buffer_size.max(MIN_BUFFER_SIZE),
            parallel: true,
            classic: PairFinder::new(b"ghp_", 1, 3, b"gh"),
            github_pat: PairFinder::new(b"github_pat_", 5, 6, b"github_pat_"),
        }
    }

    /// Whether reading and scanning may overlap on a second thread (default `true`; it
    /// only happens for inputs larger than one buffer on a machine with more than one core).
    /// The results are the same either way.
    pub fn with_parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// The buffer size in bytes.
    pub fn buffer_size(&self) -> usize {
        self.buffer_size
    }

    /// Scans `reader` to the end, calling `on_found` for each hit in input order. `source`
    /// names the input in locations and errors (`-` for standard input).
    ///
    /// When the input is larger than one buffer and the machine has more than one core,
    /// reading (the kernel's copy into the buffer) and scanning overlap: this thread reads
    /// and calls `on_found`, a helper thread scans the buffers in order, so the hits, their
    /// order and their locations are exactly those of a single-threaded scan.
    pub fn scan<R: Read, F: FnMut(Found)>(
        &self,
        reader: R,
        source: impl Into<Arc<str>>,
        mut on_found: F,
    ) -> Result<ScanStats, ScanError> {
        self.scan_in_mode(reader, source.into(), &mut on_found, self.parallel)
    }

    fn scan_in_mode<R: Read, F: FnMut(Found)>(
        &self,
        mut reader: R,
        source: Arc<str>,
        mut on_found: F,
        parallel: bool,
    ) -> Result<ScanStats, ScanError> {
        let mut state = ScanState::new(source);
        let mut buf = Zeroizing::new(vec![0u8; self.buffer_size]);
        let mut len = 0usize; // valid bytes in buf
        let mut first = true;
        loop {
            let eof;
            (len, eof) = fill(&mut reader, &mut buf, len, &state.source)?;
            if first && !eof && parallel && more_than_one_core() {
                return self.scan_overlapped(reader, state, buf, len, on_found);
            }
            first = false;
            self.scan_window(
                &mut state,
                buf.get(..len).unwrap_or_default(),
                eof,
                &mut on_found,
            );
            if eof {
                break;
            }
            // Carry the undecided tail to the front; it is examined again next round.
            let limit = limit_of(len, false);
            buf.copy_within(limit..len, 0);
            len -= limit;
        }
        Ok(state.stats())
    }

    /// The rest of [`Scanner::scan`] once `buf[..len]` holds a first full buffer: this
    /// thread reads, a scoped helper thread scans, buffers go round between them.
    fn scan_overlapped<R: Read, F: FnMut(Found)>(
        &self,
        mut reader: R,
        state: ScanState,
        buf: Zeroizing<Vec<u8>>,
        len: usize,
        mut on_found: F,
    ) -> Result<ScanStats, ScanError> {
        use std::sync::mpsc;
        /// Buffers in flight: one being read, one being scanned, one queued.
        const BUFFERS: usize = 3;
        let source = state.source.clone();
        std::thread::scope(|scope| {
            let (chunk_tx, chunk_rx) = mpsc::sync_channel::<(Zeroizing<Vec<u8>>, usize, bool)>(1);
            let (free_tx, free_rx) = mpsc::sync_channel::<Zeroizing<Vec<u8>>>(BUFFERS);
            let (found_tx, found_rx) = mpsc::channel::<Vec<Found>>();
            let worker = scope.spawn(move || {
                let mut state = state;
                for (buf, len, eof) in chunk_rx {
                    let mut hits = Vec::new();
                    let window = buf.get(..len).unwrap_or_default();
                    self.scan_window(&mut state, window, eof, &mut |found| hits.push(found));
                    if !hits.is_empty() && found_tx.send(hits).is_err() {
                        break;
                    }
                    // The reader may be gone (a read error); the buffer is then dropped,
                    // and zeroized.
                    let _ = free_tx.send(buf);
                }
                state
            });

            let mut spare: Vec<Zeroizing<Vec<u8>>> = (1..BUFFERS)
                .map(|_| Zeroizing::new(vec![0u8; self.buffer_size]))
                .collect();
            let mut carry = Zeroizing::new(Vec::with_capacity(LOOKAHEAD));
            let (mut buf, mut len, mut eof) = (buf, len, false);
            let mut failure = None;
            loop {
                carry.clear();
                if !eof {
                    let limit = limit_of(len, false);
                    carry.extend_from_slice(buf.get(limit..len).unwrap_or_default());
                }
                if chunk_tx.send((buf, len, eof)).is_err() {
                    break; // the scanner stopped; its join below says why
                }
                found_rx.try_iter().flatten().for_each(&mut on_found);
                if eof {
                    break;
                }
                let next = match spare.pop() {
                    Some(next) => Some(next),
                    None => free_rx.recv().ok(),
                };
                let Some(next) = next else { break };
                buf = next;
                if let Some(front) = buf.get_mut(..carry.len()) {
                    front.copy_from_slice(&carry);
                }
                match fill(&mut reader, &mut buf, carry.len(), &source) {
                    Ok((n, at_end)) => (len, eof) = (n, at_end),
                    Err(error) => {
                        failure = Some(error);
                        break;
                    }
                }
            }
            drop(chunk_tx);
            let state = worker.join();
            // Everything scanned before an error or the end is still delivered, in order.
            found_rx.try_iter().flatten().for_each(&mut on_found);
            if let Some(error) = failure {
                return Err(error);
            }
            state.map(|state| state.stats()).map_err(|_| ScanError::Io {
                input: source.clone(),
                error: std::io::Error::other("the scanning thread failed"),
            })
        })
    }

    /// Scans one window: the bytes carried over from the previous one, then fresh bytes.
    /// Candidates starting before its limit are decided; the rest is left for the next
    /// window (or decided too, at the end of the input).
    fn scan_window<F: FnMut(Found)>(
        &self,
        state: &mut ScanState,
        window: &[u8],
        eof: bool,
        on_found: &mut F,
    ) {
        if let Some(&b) = window.last() {
            state.last_byte = Some(b);
        }
        let base = state.base;
        let lines = &mut state.lines;
        let mut counted = 0usize; // newlines are counted in window[..counted]
        // Candidates starting before `limit` have all the bytes they need.
        let limit = limit_of(window.len(), eof);
        let mut pos = state.resume;
        let mut next_gh = NextMatch::new(&self.classic);
        let mut next_pat = NextMatch::new(&self.github_pat);
        while pos < limit {
            let p = match (
                next_gh.at_or_after(window, pos),
                next_pat.at_or_after(window, pos),
            ) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => break,
            };
            if p >= limit {
                break;
            }
            match match_at(window.get(p..).unwrap_or_default()) {
                Some((token_len, item)) => {
                    lines.advance(
                        window.get(counted..p).unwrap_or_default(),
                        base + counted as u64,
                    );
                    counted = p;
                    let offset = base + p as u64;
                    on_found(Found {
                        location: Location {
                            source: state.source.clone(),
                            line: lines.newlines + 1,
                            column: offset - lines.line_start + 1,
                            offset,
                        },
                        item,
                    });
                    state.found += 1;
                    pos = p + token_len;
                }
                None => pos = p + 1,
            }
        }
        lines.advance(
            window.get(counted..limit).unwrap_or_default(),
            base + counted as u64,
        );
        state.base += limit as u64;
        state.resume = pos.saturating_sub(limit);
    }

    /// Scans an in-memory byte slice (cannot fail), on the calling thread: there is no
    /// reading to overlap with (the in-memory benchmark is faster this way). For the
    /// overlapped path over a slice, pass it to [`Scanner::scan`].
    pub fn scan_bytes<F: FnMut(Found)>(
        &self,
        bytes: &[u8],
        source: impl Into<Arc<str>>,
        on_found: F,
    ) -> ScanStats {
        // Reading from a slice never fails.
        self.scan_in_mode(bytes, source.into(), on_found, false)
            .unwrap_or_default()
    }
}

/// Token characters for the "glued to a longer identifier" rules.
const fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Decides the candidate at the start of `s` (which begins with `gh` or `github_pat_`). Returns the token
/// length and its classification, or `None` if nothing is to be reported here.
fn match_at(s: &[u8]) -> Option<(usize, Classified)> {
    if s.starts_with(Kind::FineGrainedPat.prefix().as_bytes()) {
        return match_fine_grained(s);
    }
    let kind = match s.get(2..CLASSIC_PREFIX_LEN)? {
        b"p_" => Kind::ClassicPat,
        b"o_" => Kind::OAuth,
        b"u_" => Kind::UserToServer,
        b"r_" => Kind::Refresh,
        b"s_" => Kind::Installation,
        _ => return None,
    };
    if kind == Kind::Installation
        && let Some(len) = new_installation_len(s)
    {
        return Some((len, classify(s.get(..len)?)));
    }
    match_classic(s)
}

fn match_classic(s: &[u8]) -> Option<(usize, Classified)> {
    let token = s.get(..CLASSIC_LEN)?;
    let body = token.get(CLASSIC_PREFIX_LEN..)?;
    if !body.iter().all(|&b| is_base62(b)) {
        return None;
    }
    if !verify_classic(body) && s.get(CLASSIC_LEN).is_some_and(|&b| is_token_char(b)) {
        return None;
    }
    Some((CLASSIC_LEN, classify(token)))
}

fn match_fine_grained(s: &[u8]) -> Option<(usize, Classified)> {
    let token = s.get(..FINE_GRAINED_LEN)?;
    if !is_fine_grained_shape(token) || s.get(FINE_GRAINED_LEN).is_some_and(|&b| is_token_char(b)) {
        return None;
    }
    Some((FINE_GRAINED_LEN, classify(token)))
}

/// Length of a new-format installation token at the start of `s`, if there is one.
fn new_installation_len(s: &[u8]) -> Option<usize> {
    let prefix = Kind::Installation.prefix().len();
    let rest = s.get(prefix..)?;
    if !is_new_installation(rest) {
        return None;
    }
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let jwt_start = prefix + digits + 1;
    let run = s
        .iter()
        .skip(jwt_start)
        .take(LOOKAHEAD)
        .take_while(|&&b| is_jwt_char(b))
        .count();
    let mut end = jwt_start + run;
    if end > MAX_TOKEN_LEN {
        return None;
    }
    while end > jwt_start && s.get(end - 1) == Some(&b'.') {
        end -= 1;
    }
    is_jwt_shape(s.get(jwt_start..end)?).then_some(end)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::InvalidReason;
    use crate::test_support::{fine_grained, fixture, new_installation};

    /// (line, column, offset, outcome, exposed text)
    type Hit = (u64, u64, u64, &'static str, String);

    fn scan_with(scanner: &Scanner, input: &[u8]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let stats = scanner.scan_bytes(input, "t", |f| {
            let (what, text) = match f.item {
                Classified::Valid(c) => ("valid", c.expose_secret().to_owned()),
                Classified::Unsupported { credential, .. } => {
                    ("unsupported", credential.expose_secret().to_owned())
                }
                Classified::Invalid { candidate, reason } => {
                    assert!(matches!(reason, InvalidReason::ChecksumMismatch { .. }));
                    (
                        "invalid",
                        String::from_utf8_lossy(candidate.expose_secret_bytes()).into_owned(),
                    )
                }
            };
            hits.push((
                f.location.line,
                f.location.column,
                f.location.offset,
                what,
                text,
            ));
        });
        assert_eq!(stats.found, hits.len() as u64);
        assert_eq!(stats.bytes, input.len() as u64);
        hits
    }

    fn scan(input: &[u8]) -> Vec<Hit> {
        scan_with(&Scanner::new(), input)
    }

    fn texts(input: &[u8]) -> Vec<(&'static str, String)> {
        scan(input).into_iter().map(|h| (h.3, h.4)).collect()
    }

    fn valid(t: &str) -> Vec<(&'static str, String)> {
        vec![("valid", t.to_owned())]
    }

    #[test]
    fn common_contexts() {
        let t = fixture(Kind::ClassicPat, 1);
        for context in [
            format!(r#"{{"token": "{t}", "n": 1}}"#),
            format!(r#"{{"log": "line one\n{t}\nline two"}}"#),
            format!("https://x-access-token:{t}@github.com/o/r.git"),
            format!("https://{t}@github.com/"),
            format!("GITHUB_TOKEN={t}\n"),
            format!("export GH_TOKEN='{t}';"),
            format!(r#"<input type="hidden" value="{t}">"#),
            format!("Authorization: token {t}\r\n"),
            format!("`{t}`"),
            t.clone(),
        ] {
            assert_eq!(texts(context.as_bytes()), valid(&t), "in {context:?}");
        }
    }

    #[test]
    fn binary_surroundings() {
        let t = fixture(Kind::OAuth, 2);
        let mut input = b"\xff\xfe\x00\x00garbage\x80".to_vec();
        input.extend_from_slice(t.as_bytes());
        input.extend_from_slice(b"\x00\xc3\x28");
        assert_eq!(texts(&input), valid(&t));
    }

    #[test]
    fn glued_prefix_and_suffix() {
        let t = fixture(Kind::UserToServer, 3);
        assert_eq!(texts(format!("xyz{t}").as_bytes()), valid(&t));
        assert_eq!(texts(format!("_{t}").as_bytes()), valid(&t));
        // Valid checksum: the token ends where the checksum says, whatever follows.
        assert_eq!(texts(format!("{t}abcDEF_123").as_bytes()), valid(&t));
        // Two tokens glued together are two hits.
        let u = fixture(Kind::Refresh, 4);
        assert_eq!(
            texts(format!("{t}{u}").as_bytes()),
            vec![("valid", t.clone()), ("valid", u)]
        );
    }

    #[test]
    fn bad_checksum_reported_only_at_a_boundary() {
        let t = fixture(Kind::ClassicPat, 5);
        let damaged = format!("{}{}", &t[..39], if t.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(
            texts(format!("token: {damaged}.").as_bytes()),
            vec![("invalid", damaged.clone())]
        );
        assert_eq!(
            texts(damaged.as_bytes()),
            vec![("invalid", damaged.clone())]
        );
        // Followed by more token characters: a longer identifier, ignored.
        assert!(texts(format!("{damaged}x").as_bytes()).is_empty());
        assert!(texts(format!("{damaged}_").as_bytes()).is_empty());
        assert!(texts(format!("{damaged}9").as_bytes()).is_empty());
        // A dash is not a token character.
        assert_eq!(texts(format!("{damaged}-x").as_bytes()).len(), 1);
    }

    #[test]
    fn docs_samples() {
        // The 36-character docs sample has the right shape and a wrong checksum: reported.
        let sample = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
        assert_eq!(
            texts(format!("curl -H 'Authorization: token {sample}'").as_bytes()),
            vec![("invalid", sample.to_owned())]
        );
        // The 40-character one continues past 36 characters: a longer identifier, ignored.
        assert!(texts(b"token ghp_1234567890abcdef1234567890abcdef12345678 here").is_empty());
    }

    #[test]
    fn other_gh_strings_are_not_reported() {
        assert!(
            texts(b"github.com ghp_ ghp_short gh ghx_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa g")
                .is_empty()
        );
        assert!(texts(b"ghp_aaaaaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaaaa").is_empty());
        assert!(texts(b"").is_empty());
        assert!(texts(b"gh").is_empty());
    }

    #[test]
    fn fine_grained_boundaries() {
        let t = fine_grained(6);
        assert_eq!(texts(format!("pat={t}\n").as_bytes()), valid(&t));
        assert_eq!(texts(format!("x{t}").as_bytes()), valid(&t));
        assert!(texts(format!("{t}a").as_bytes()).is_empty());
        assert!(texts(format!("{t}_").as_bytes()).is_empty());
        assert_eq!(texts(format!("{t}-").as_bytes()), valid(&t));
        assert!(texts(&t.as_bytes()[..92]).is_empty());
    }

    #[test]
    fn installation_tokens() {
        let old = fixture(Kind::Installation, 7);
        let new = new_installation(7);
        assert_eq!(
            texts(format!("a={old} b=\"{new}\". End {new}.").as_bytes()),
            vec![
                ("unsupported", old),
                ("unsupported", new.clone()),
                ("unsupported", new.clone())
            ]
        );
        let too_long = format!("ghs_1_{}.b.c", "a".repeat(MAX_TOKEN_LEN));
        assert!(texts(too_long.as_bytes()).is_empty());
        assert!(texts(b"ghs_12_a.b").is_empty());
    }

    #[test]
    fn lines_columns_and_order() {
        let a = fixture(Kind::ClassicPat, 8);
        let b = fixture(Kind::OAuth, 9);
        let c = fine_grained(10);
        let input = format!("first line\n\nk={a} v={b}\r\n  {c}\n");
        let hits = scan(input.as_bytes());
        let third = input.find("k=").unwrap_or_default() as u64;
        let fourth = input.find("  github").unwrap_or_default() as u64;
        assert_eq!(
            hits,
            vec![
                (3, 3, third + 2, "valid", a),
                (3, 46, third + 45, "valid", b),
                (4, 3, fourth + 2, "valid", c),
            ]
        );
        let stats = Scanner::new().scan_bytes(input.as_bytes(), "t", |_| {});
        assert_eq!(stats.lines, 4);
        let stats = Scanner::new().scan_bytes(b"no newline", "t", |_| {});
        assert_eq!(stats.lines, 1);
        let stats = Scanner::new().scan_bytes(b"", "t", |_| {});
        assert_eq!(stats.lines, 0);
    }

    #[test]
    fn tokens_across_chunk_boundaries_found_once() {
        let scanner = Scanner::with_buffer_size(1);
        assert_eq!(scanner.buffer_size(), MIN_BUFFER_SIZE);
        let limit = MIN_BUFFER_SIZE - LOOKAHEAD;
        let classic = fixture(Kind::ClassicPat, 11);
        let fg = fine_grained(12);
        let jwt = new_installation(13);
        for token in [&classic, &fg, &jwt] {
            // Straddle the first decision limit, the buffer end, and later chunk boundaries.
            for start in (limit - 60..limit + 5)
                .chain(MIN_BUFFER_SIZE - 50..MIN_BUFFER_SIZE + 2)
                .chain(2 * limit - 3..2 * limit + 3)
            {
                let mut input = vec![b'.'; start];
                for (i, byte) in input.iter_mut().enumerate() {
                    if i % 100 == 99 {
                        *byte = b'\n';
                    }
                }
                input.extend_from_slice(token.as_bytes());
                input.extend_from_slice(b" tail\n");
                input.extend(std::iter::repeat_n(b'z', 5000));
                let hits = scan_with(&scanner, &input);
                assert_eq!(hits.len(), 1, "token at {start}");
                let (line, column, offset, _, text) = &hits[0];
                assert_eq!(*offset, start as u64);
                assert_eq!(text, token);
                assert_eq!(*line, 1 + (start / 100) as u64);
                assert_eq!(*column, 1 + (start % 100) as u64);
            }
        }
    }

    #[test]
    fn many_tokens_through_small_buffers_match_one_big_buffer() {
        let mut input = Vec::new();
        let mut expected = Vec::new();
        for i in 0..500u64 {
            let t = match i % 4 {
                0 => fixture(Kind::ClassicPat, i),
                1 => fine_grained(i),
                2 => new_installation(i),
                _ => fixture(Kind::Refresh, i),
            };
            input.extend_from_slice(format!("line {i} ").as_bytes());
            input.extend(std::iter::repeat_n(b'g', (i % 7) as usize));
            expected.push(t.clone());
            input.extend_from_slice(t.as_bytes());
            input.extend_from_slice(if i % 3 == 0 { b"\n" } else { b" " });
        }
        let big = scan(&input);
        assert_eq!(
            big.iter().map(|h| h.4.clone()).collect::<Vec<_>>(),
            expected
        );
        for size in [MIN_BUFFER_SIZE, 5000, 7919] {
            assert_eq!(scan_with(&Scanner::with_buffer_size(size), &input), big);
        }
        // A reader that returns one byte at a time gives the same answer.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match (self.0.split_first(), buf.first_mut()) {
                    (Some((b, rest)), Some(slot)) => {
                        *slot = *b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let mut trickled = Vec::new();
        Scanner::with_buffer_size(MIN_BUFFER_SIZE)
            .scan(Trickle(&input), "t", |f| trickled.push(f.location.offset))
            .unwrap();
        assert_eq!(trickled, big.iter().map(|h| h.2).collect::<Vec<_>>());
    }

    #[test]
    fn io_errors_name_the_source() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("boom"))
            }
        }
        let err = Scanner::new().scan(Failing, "dump.bin", |_| {});
        assert_eq!(
            err.map_err(|e| e.to_string()).err().as_deref(),
            Some("reading dump.bin: boom")
        );
    }

    /// The scanner's rules applied the slow, obvious way: try every position of the whole
    /// input in turn, count lines by hand. The real scanner (prefilters, chunks, threads)
    /// must agree with it exactly.
    fn reference(input: &[u8]) -> Vec<(u64, u64, u64, Classified)> {
        let mut hits = Vec::new();
        let (mut pos, mut line, mut line_start) = (0usize, 1u64, 0usize);
        let mut newlines_upto = 0usize;
        while pos < input.len() {
            if let Some((len, item)) = match_at(&input[pos..]) {
                for (i, &b) in input[newlines_upto..pos].iter().enumerate() {
                    if b == b'\n' {
                        line += 1;
                        line_start = newlines_upto + i + 1;
                    }
                }
                newlines_upto = pos;
                hits.push((line, (pos - line_start + 1) as u64, pos as u64, item));
                pos += len;
            } else {
                pos += 1;
            }
        }
        hits
    }

    fn fragment() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            (0u64..1000).prop_map(|i| fixture(Kind::ClassicPat, i).into_bytes()),
            (0u64..1000).prop_map(|i| fixture(Kind::Refresh, i).into_bytes()),
            (0u64..1000).prop_map(|i| fixture(Kind::Installation, i).into_bytes()),
            (0u64..1000).prop_map(|i| fine_grained(i).into_bytes()),
            (0u64..50).prop_map(|i| new_installation(i).into_bytes()),
            // damaged and truncated tokens
            (0u64..1000, 1usize..40).prop_map(|(i, cut)| {
                let mut t = fixture(Kind::OAuth, i).into_bytes();
                t.truncate(cut);
                t
            }),
            (0u64..1000).prop_map(|i| {
                let mut t = fixture(Kind::UserToServer, i).into_bytes();
                if let Some(b) = t.last_mut() {
                    *b = if *b == b'A' { b'B' } else { b'A' };
                }
                t
            }),
            prop::sample::select(vec![
                &b"gh"[..],
                b"ghp_",
                b"github_pat_",
                b"github.com",
                b"_",
                b"b_",
                b"h_",
                b"\n",
                b"\r\n",
                b" ",
                b"g",
                b"through high light ",
                b"\xff\x00",
                b"..",
                b"-",
            ])
            .prop_map(<[u8]>::to_vec),
            prop::collection::vec(any::<u8>(), 0..64),
            prop::collection::vec(prop::sample::select(b"gh_bp.0aZ9\n".to_vec()), 0..64),
        ]
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn agrees_with_the_reference_at_any_buffer_size(
            parts in prop::collection::vec(fragment(), 0..400),
            size in prop_oneof![Just(MIN_BUFFER_SIZE), 4097usize..9000, Just(DEFAULT_BUFFER_SIZE)],
        ) {
            let input = parts.concat();
            let expected = reference(&input);
            for parallel in [false, true] {
                let mut got = Vec::new();
                let scanner = Scanner::with_buffer_size(size).with_parallel(parallel);
                let stats = scanner
                    .scan(&input[..], "t", |f| {
                        got.push((f.location.line, f.location.column, f.location.offset, f.item));
                    })
                    .unwrap();
                prop_assert_eq!(&got, &expected);
                prop_assert_eq!(stats.bytes, input.len() as u64);
                prop_assert_eq!(stats.found, expected.len() as u64);
                let newlines = input.iter().filter(|&&b| b == b'\n').count() as u64;
                let unfinished = u64::from(input.last().is_some_and(|&b| b != b'\n'));
                prop_assert_eq!(stats.lines, newlines + unfinished);
            }
        }
    }
}
