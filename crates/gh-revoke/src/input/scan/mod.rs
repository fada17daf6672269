//! Scan mode: find credentials anywhere in arbitrary bytes (logs, JSON, URLs, HTML, binary).

use std::io::Read;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Found;
use super::error::InputError;
use crate::credential::MAX_TOKEN_LEN;
use encoded::EncodedFinder;
use prefilter::PairFinder;
use window::{ScanState, carry_of};

mod encoded;
mod overlapped;
mod positioned;
mod prefilter;
#[cfg(test)]
mod tests;
mod window;

/// Default read buffer size: 1 MiB (fewer reads and hand-overs between the reading and
/// the scanning thread; 256 KiB was about 10% slower on 1 GiB).
pub const DEFAULT_BUFFER_SIZE: usize = 1024 * 1024;
/// Smallest read buffer size; smaller requests are raised to this.
pub const MIN_BUFFER_SIZE: usize = 16 * 1024;
/// Bytes a candidate needs after its start to be decided: the longest token plus one
/// boundary byte, in base64 of base64 (about 1,900 characters) or UTF-16 (2,050 bytes), and
/// escaped; 4 KiB covers them all.
pub(super) const LOOKAHEAD: usize = 4 * 1024;
const _: () = assert!(LOOKAHEAD > 2 * (MAX_TOKEN_LEN + 1) + encoded::BEHIND);
const _: () = assert!(MIN_BUFFER_SIZE >= 2 * (LOOKAHEAD + encoded::BEHIND));

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

/// A reusable scanner for credentials anywhere in arbitrary bytes (logs, JSON, URLs, HTML,
/// binary).
///
/// ```
/// use gh_revoke::Scanner;
/// let log = b"GET https://x: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@example.com/\n";
/// let mut found = Vec::new();
/// let stats = Scanner::new().scan(&log[..], "access.log", |f| found.push(f))?;
/// assert_eq!(stats.found, 1);
/// assert_eq!(found[0].location.to_string(), "access.log:1:15");
/// # Ok::<(), gh_revoke::InputError>(())
/// ```
///
/// The [`Scanner`] reads through a fixed-size buffer (1 MiB by default; six of them
/// when reading and scanning overlap on two threads), so any input size runs in bounded
/// memory. Between chunks it carries over a tail of
/// [`MAX_TOKEN_LEN`]` + 1` bytes, and only examines candidate starts before that tail, so a
/// token spanning a chunk boundary is found exactly once. Candidates are located with SIMD
/// "packed pair" prefilters from `memchr` (`h` and `_` two bytes apart for the `gh?_`
/// prefixes, `b_` for `github_pat_`), then checked by hand; there is no regex.
///
/// # Boundary rules
///
/// * **Before a token** anything may stand, including a letter (`xghp_…` is found: the
///   literal prefix plus the exact shape plus the checksum is strong evidence) and a
///   backslash escape (`\nghp_…` in a JSON string is found).
/// * **Classic format** (`ghp_`, `gho_`, `ghu_`, legacy `ghs_`: 40 characters; `ghr_`: 80):
///   exactly that many characters are taken and those after the prefix must be base62.
///   If the checksum verifies, it is a hit even if more token characters follow (a glued
///   suffix: the checksum proves where the token ends).
/// * **Fine-grained** (`github_pat_` + 22 base62 + `_` + 59 base62): the exact shape is a hit,
///   even when more letters or digits follow (there is no checksum to say where it ends;
///   sending the 93 characters revokes a real token glued to other text, see
///   `credential/fine_grained.rs`).
/// * **New installation** (`ghs_` + digits + `_` + JWT): the JWT is the longest run of
///   `[A-Za-z0-9_.-]` that follows, minus trailing dots (sentence punctuation); it must have
///   three non-empty parts separated by exactly two dots and the whole token must be at most
///   [`MAX_TOKEN_LEN`] bytes. Reported as [`Classified::Unsupported`](crate::Classified::Unsupported).
/// * **Near misses are never silent.** Otherwise, a known prefix followed by a run of at
///   least [`NEAR_MISS_MIN_RUN`](crate::NEAR_MISS_MIN_RUN) (24) token characters (base62 for
///   the classic prefixes, `[A-Za-z0-9_]` for `github_pat_`, JWT characters for
///   `ghs_APPID_`) is reported as [`Classified::Invalid`](crate::Classified::Invalid) with the
///   reason line mode gives for that run: a checksum mismatch at the right length, a
///   truncated copy or a glued suffix (wrong length), a future length, a malformed JWT, or
///   a run longer than [`MAX_TOKEN_LEN`] (cut one byte past it: too long). So the docs sample
///   `ghp_1234567890abcdef1234567890abcdef12345678` is reported (wrong length, 44), and
///   `--allow-unverified` sends near misses like line mode's invalid lines. Shorter runs
///   (`ghs_total`, `highs_count`) are ordinary identifiers and are not reported.
/// * Any other `gh…` text is not reported.
/// * After a hit, scanning resumes after its last byte: hits never overlap.
///
/// Hits are reported in input order, with 1-based line and byte column (lines end at `\n`).
#[derive(Debug, Clone)]
pub struct Scanner {
    buffer_size: usize,
    /// Whether reading and scanning may overlap on two threads.
    parallel: bool,
    /// Candidate starts of the `gh?_` prefixes: `h` and `_` two bytes apart.
    classic: PairFinder,
    /// Candidate starts of `github_pat_` (which has no `gh`): `b_` at offset 5.
    github_pat: PairFinder,
    /// Encoded forms: base64 shadows, UTF-16, escaped `_`.
    encoded: EncodedFinder,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

/// Reads into `buf[len..]` until it is full or the input ends; returns the new length and
/// whether the input ended.
fn fill<R: Read>(
    reader: &mut R,
    buf: &mut [u8],
    mut len: usize,
    source: &Arc<str>,
) -> Result<(usize, bool), InputError> {
    while len < buf.len() {
        match reader.read(buf.get_mut(len..).unwrap_or_default()) {
            Ok(0) => return Ok((len, true)),
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => {
                return Err(InputError::Io {
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

/// How a scan on two threads ends: the helper's failure first, then a read error (what was
/// read before it is placed), else the totals.
fn two_thread_result(
    helper_failed: bool,
    failure: Option<InputError>,
    state: &ScanState,
) -> Result<ScanStats, InputError> {
    if helper_failed {
        return Err(InputError::Io {
            input: state.source.clone(),
            error: std::io::Error::other("the scanning thread failed"),
        });
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(state.stats()),
    }
}

impl Scanner {
    /// A scanner with the default 1 MiB buffer.
    pub fn new() -> Self {
        Scanner::with_buffer_size(DEFAULT_BUFFER_SIZE)
    }

    /// A scanner with a `buffer_size`-byte buffer (raised to the 16 KiB minimum if smaller).
    pub fn with_buffer_size(buffer_size: usize) -> Self {
        Scanner {
            buffer_size: buffer_size.max(MIN_BUFFER_SIZE),
            parallel: true,
            classic: PairFinder::new(b"ghp_", 1, 3, b"gh"),
            github_pat: PairFinder::new(b"github_pat_", 5, 6, b"github_pat_"),
            encoded: EncodedFinder::new(),
        }
    }

    /// Whether reading and scanning may use a second thread (default `true`; it only
    /// happens for inputs larger than one buffer on a machine with more than one core).
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
    /// reading (the kernel's copy into the buffer) and scanning overlap, and both cores
    /// scan: this thread reads every buffer and calls `on_found`; a helper thread scans the
    /// buffers it is handed, and this thread scans the others while the helper is busy.
    /// A buffer scanned before the one ahead of it is finished is checked, and in the rare
    /// case something found ahead reaches into it, scanned again; so the hits, their order
    /// and their locations are exactly those of a single-threaded scan.
    pub fn scan<R: Read, F: FnMut(Found)>(
        &self,
        reader: R,
        source: impl Into<Arc<str>>,
        mut on_found: F,
    ) -> Result<ScanStats, InputError> {
        self.scan_in_mode(reader, source.into(), &mut on_found, self.parallel)
    }

    fn scan_in_mode<R: Read, F: FnMut(Found)>(
        &self,
        mut reader: R,
        source: Arc<str>,
        mut on_found: F,
        parallel: bool,
    ) -> Result<ScanStats, InputError> {
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
            let window = buf.get(..len).unwrap_or_default();
            let scan = self.scan_window(state.entry(), window, eof);
            state.place(scan, &mut on_found);
            if eof {
                break;
            }
            // Carry the undecided tail to the front; it is examined again next round.
            let carry = carry_of(len);
            buf.copy_within(carry..len, 0);
            len -= carry;
        }
        Ok(state.stats())
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
        // The windows are slices of `bytes` itself: each is what the buffer would hold
        // (the carried tail, then fresh bytes up to `buffer_size`), without the copy.
        let mut on_found = on_found;
        let mut state = ScanState::new(source.into());
        let mut start = 0usize;
        loop {
            let end = bytes.len().min(start.saturating_add(self.buffer_size));
            let eof = end == bytes.len();
            let window = bytes.get(start..end).unwrap_or_default();
            let scan = self.scan_window(state.entry(), window, eof);
            state.place(scan, &mut on_found);
            if eof {
                break;
            }
            start += carry_of(window.len());
        }
        state.stats()
    }
}
