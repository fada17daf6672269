//! One window of bytes: candidates from the prefilter, decided by the credential formats,
//! with line and column bookkeeping.

use std::sync::Arc;

use super::prefilter::NextMatch;
use super::{LOOKAHEAD, ScanStats, Scanner};
use crate::credential::{Classified, classify, extent};
use crate::input::{Found, Location};

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
pub(super) struct ScanState {
    pub(super) source: Arc<str>,
    /// Absolute offset of the current window's first byte.
    pub(super) base: u64,
    /// Where the search resumes in the current window (after a hit that ran past the
    /// previous window's limit).
    pub(super) resume: usize,
    lines: LineCounter,
    pub(super) found: u64,
    pub(super) last_byte: Option<u8>,
}

impl ScanState {
    pub(super) fn new(source: Arc<str>) -> Self {
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

    pub(super) fn stats(&self) -> ScanStats {
        let unfinished_line = u64::from(self.last_byte.is_some_and(|b| b != b'\n'));
        ScanStats {
            bytes: self.base,
            lines: self.lines.newlines + unfinished_line,
            found: self.found,
        }
    }
}

/// Candidates starting before this index of a `len`-byte window have every byte they need.
pub(super) fn limit_of(len: usize, eof: bool) -> usize {
    if eof {
        len
    } else {
        len.saturating_sub(LOOKAHEAD)
    }
}

impl Scanner {
    /// Scans one window: the bytes carried over from the previous one, then fresh bytes.
    /// Candidates starting before its limit are decided; the rest is left for the next
    /// window (or decided too, at the end of the input).
    pub(super) fn scan_window<F: FnMut(Found)>(
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
}

/// Decides the candidate at the start of `s`: the credential format its prefix names says
/// how long it is ([`extent`]), and [`classify`] says what it is, exactly as line mode would.
/// `None` when nothing is to be reported here.
pub(super) fn match_at(s: &[u8]) -> Option<(usize, Classified)> {
    let len = extent(s)?;
    Some((len, classify(s.get(..len)?)))
}
