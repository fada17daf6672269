//! One window of bytes: candidates from the prefilter, decided by the credential formats,
//! with line and column bookkeeping.

use std::sync::Arc;

use super::encoded::{BEHIND, Hit, Zone};
use super::prefilter::NextMatch;
use super::{LOOKAHEAD, ScanStats, Scanner};
use crate::credential::match_at;
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
    /// Bytes at the front of the current window that the previous one already decided
    /// (kept so encoded hits can look [`BEHIND`] them).
    decided: usize,
    /// The last base64 shadow's zone.
    zone: Zone,
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
            decided: 0,
            zone: Zone::default(),
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

/// Where the bytes carried into the next window start: [`BEHIND`] bytes before the limit.
pub(super) fn carry_of(len: usize) -> usize {
    limit_of(len, false).saturating_sub(BEHIND)
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
        if state.base == 0 && state.decided == 0 {
            state.zone.utf16_be =
                crate::input::utf16::sniff(window) == Some(crate::input::Encoding::Utf16Be);
        }
        let base = state.base;
        // Candidates starting before `limit` have all the bytes they need.
        let limit = limit_of(window.len(), eof);
        let mut hits = Vec::new();
        let pos = self.scan_buf(
            window,
            state.resume.max(state.decided),
            limit,
            2,
            base,
            &mut state.zone,
            &mut hits,
        );
        // Encoded hits may come back a little out of order (a decoded token starts a few
        // characters before the shadow that found it).
        hits.sort_by_key(|hit| hit.start);
        let lines = &mut state.lines;
        let mut counted = state.decided.min(limit); // newlines are counted in window[..counted]
        for hit in hits {
            let at = hit.start.max(counted);
            lines.advance(
                window.get(counted..at).unwrap_or_default(),
                base + counted as u64,
            );
            counted = at;
            let offset = base + at as u64;
            on_found(Found {
                location: Location {
                    source: state.source.clone(),
                    line: lines.newlines + 1,
                    column: offset - lines.line_start + 1,
                    offset,
                    encoding: hit.encoding,
                },
                item: hit.item,
            });
            state.found += 1;
        }
        lines.advance(
            window.get(counted..limit).unwrap_or_default(),
            base + counted as u64,
        );
        let carry = if eof { limit } else { carry_of(window.len()) };
        state.base += carry as u64;
        state.decided = limit - carry;
        state.resume = pos.max(limit) - carry;
    }

    /// Finds every candidate starting in `buf[from..limit]` (plain, and through an encoding
    /// while `budget` base64 layers may still be decoded), pushing what is to be reported
    /// onto `hits`; returns where the next search would resume. `base` is `buf[0]`'s
    /// absolute position (for `zone`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scan_buf(
        &self,
        buf: &[u8],
        from: usize,
        limit: usize,
        budget: u8,
        base: u64,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) -> usize {
        let mut pos = from;
        let mut next_gh = NextMatch::new(&self.classic);
        let mut next_pat = NextMatch::new(&self.github_pat);
        while pos < limit {
            let p = match (
                next_gh.at_or_after(buf, pos),
                next_pat.at_or_after(buf, pos),
            ) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => break,
            };
            if p >= limit {
                break;
            }
            match match_at(buf.get(p..).unwrap_or_default()) {
                Some((token_len, item)) => {
                    hits.push(Hit {
                        start: p,
                        item,
                        encoding: None,
                    });
                    pos = p + token_len;
                }
                None => pos = p + 1,
            }
        }
        // Encoded forms never overlap plain candidates (they have no `gh?_` or `b_`), so
        // they are found in passes of their own.
        let encoded_end = self.encoded_pass(buf, from, limit, budget, base, zone, hits);
        pos = pos.max(encoded_end);
        pos
    }
}
