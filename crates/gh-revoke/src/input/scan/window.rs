//! One window of bytes: candidates from the prefilter, decided by the credential formats,
//! with line and column bookkeeping.

use std::sync::Arc;

use super::encoded::{BEHIND, Hit, Zone};
use super::prefilter::{NextMatch, earliest};
use super::{LOOKAHEAD, ScanStats, Scanner};
use crate::credential::match_at;
use crate::input::{Found, Location};

/// Newlines counted over part of the input.
#[derive(Debug, Clone, Copy, Default)]
struct LineCounter {
    newlines: u64,
    /// Where the line after the last newline counted starts (absolute), if any was counted.
    line_start: Option<u64>,
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
                self.line_start = Some(base + i as u64 + 1);
            }
        }
    }
}

/// Where a window's scan starts: what the windows before it left.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// Absolute offset of the window's first byte.
    base: u64,
    /// Bytes at the front of the window that the previous one already decided (kept so
    /// encoded hits can look [`BEHIND`] them).
    decided: usize,
    /// Where the search resumes (after a hit that ran past the previous window's limit).
    resume: usize,
    /// The last base64 shadow's zone, and the UTF-16 byte order.
    zone: Zone,
}

impl Entry {
    /// The entry of the input's first window.
    fn first() -> Self {
        Entry {
            base: 0,
            decided: 0,
            resume: 0,
            zone: Zone::default(),
        }
    }

    /// The entry of a later window when nothing the previous one found reaches into it:
    /// what a window scanned before its predecessor is finished assumes (see
    /// [`ScanState::is_entry`]). `before` is the previous window's length; `utf16_be` is the
    /// byte order the first window chose.
    pub(super) fn assumed(base: u64, before: usize, utf16_be: bool) -> Self {
        let carry = carry_of(before);
        Entry {
            base: base + carry as u64,
            decided: limit_of(before, false) - carry,
            resume: 0,
            zone: Zone {
                last: None,
                utf16_be,
            },
        }
    }

    /// Absolute offset of the window's first byte.
    pub(super) fn base(&self) -> u64 {
        self.base
    }
}

/// One window's hit, with the newlines before it counted within the window.
#[derive(Debug)]
struct WindowHit {
    hit: Hit,
    /// Absolute offset.
    offset: u64,
    lines: LineCounter,
}

/// What one window's scan found, with lines counted within the window, and what it leaves
/// the next one; [`ScanState::place`] puts it in the input.
#[derive(Debug)]
pub(super) struct WindowScan {
    hits: Vec<WindowHit>,
    /// Over the window's whole decided part.
    lines: LineCounter,
    last_byte: Option<u8>,
    /// The next window's entry (meaningless after the last window).
    next: Entry,
}

/// What a scan carries from one window to the next.
pub(super) struct ScanState {
    pub(super) source: Arc<str>,
    /// The current window's entry.
    entry: Entry,
    /// Over everything decided so far.
    newlines: u64,
    line_start: u64,
    found: u64,
    last_byte: Option<u8>,
}

impl ScanState {
    pub(super) fn new(source: Arc<str>) -> Self {
        ScanState {
            source,
            entry: Entry::first(),
            newlines: 0,
            line_start: 0,
            found: 0,
            last_byte: None,
        }
    }

    pub(super) fn stats(&self) -> ScanStats {
        let unfinished_line = u64::from(self.last_byte.is_some_and(|b| b != b'\n'));
        ScanStats {
            bytes: self.entry.base,
            lines: self.newlines + unfinished_line,
            found: self.found,
        }
    }

    /// The current window's entry.
    pub(super) fn entry(&self) -> Entry {
        self.entry
    }

    /// Whether a window scanned from `assumed` found what it would have found from the
    /// current entry: the same window start, no hit of the previous window running past
    /// the decided bytes, no base64 zone reaching near them (a zone ending at least
    /// [`BEHIND`] bytes before acts as none: a decoding looks back fewer bytes), the same
    /// byte order.
    pub(super) fn is_entry(&self, assumed: &Entry) -> bool {
        let true_entry = &self.entry;
        let first_undecided = true_entry.base + true_entry.decided as u64;
        let zone_reaches = |zone: &Zone| {
            zone.last
                .is_some_and(|(hi, _)| hi + BEHIND as u64 >= first_undecided)
        };
        true_entry.base == assumed.base
            && true_entry.decided == assumed.decided
            && true_entry.resume.max(true_entry.decided) == assumed.resume.max(assumed.decided)
            && !zone_reaches(&true_entry.zone)
            && assumed.zone.last.is_none()
            && true_entry.zone.utf16_be == assumed.zone.utf16_be
    }

    /// Reports a scanned window's hits, with their lines and columns in the input, and
    /// moves on to the next window.
    pub(super) fn place<F: FnMut(Found)>(&mut self, scan: WindowScan, on_found: &mut F) {
        for WindowHit { hit, offset, lines } in scan.hits {
            let line_start = lines.line_start.unwrap_or(self.line_start);
            on_found(Found {
                location: Location {
                    source: self.source.clone(),
                    line: self.newlines + lines.newlines + 1,
                    column: offset - line_start + 1,
                    offset,
                    encoding: hit.encoding,
                },
                item: hit.item,
            });
            self.found += 1;
        }
        self.newlines += scan.lines.newlines;
        if let Some(start) = scan.lines.line_start {
            self.line_start = start;
        }
        if scan.last_byte.is_some() {
            self.last_byte = scan.last_byte;
        }
        // A window without shadows leaves the zone as it found it.
        let mut next = scan.next;
        if next.zone.last.is_none() {
            next.zone.last = self.entry.zone.last;
        }
        self.entry = next;
    }
}

/// Whether ambiguous UTF-16 is read as big-endian, decided by the input's first window
/// (see [`Zone::utf16_be`]).
pub(super) fn utf16_be_of(first_window: &[u8]) -> bool {
    crate::input::utf16::sniff(first_window) == Some(crate::input::Encoding::Utf16Be)
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
    /// Places a window scanned early from `assumed` (see [`Entry::assumed`]), scanning it
    /// again from the true entry first if something before it reached into it.
    pub(super) fn place_checked<F: FnMut(Found)>(
        &self,
        state: &mut ScanState,
        assumed: &Entry,
        (window, eof): (&[u8], bool),
        scan: WindowScan,
        on_found: &mut F,
    ) {
        let scan = if state.is_entry(assumed) {
            scan
        } else {
            self.scan_window(state.entry(), window, eof)
        };
        state.place(scan, on_found);
    }

    /// Scans one window from `entry`: the bytes carried over from the previous one, then
    /// fresh bytes. Candidates starting before its limit are decided; the rest is left for
    /// the next window (or decided too, at the end of the input). Needs nothing but the
    /// window and its entry, so windows can be scanned on two threads.
    pub(super) fn scan_window(&self, entry: Entry, window: &[u8], eof: bool) -> WindowScan {
        let mut zone = entry.zone;
        if entry.base == 0 && entry.decided == 0 {
            zone.utf16_be = utf16_be_of(window);
        }
        let base = entry.base;
        // Candidates starting before `limit` have all the bytes they need.
        let limit = limit_of(window.len(), eof);
        let mut hits = Vec::new();
        let pos = self.scan_buf(
            window,
            entry.resume.max(entry.decided),
            limit,
            2,
            base,
            &mut zone,
            &mut hits,
        );
        // Encoded hits may come back a little out of order (a decoded token starts a few
        // characters before the shadow that found it).
        hits.sort_by_key(|hit| hit.start);
        let mut lines = LineCounter::default();
        let mut counted = entry.decided.min(limit); // newlines are counted in window[..counted]
        let mut placed = Vec::with_capacity(hits.len());
        for hit in hits {
            let at = hit.start.max(counted);
            lines.advance(
                window.get(counted..at).unwrap_or_default(),
                base + counted as u64,
            );
            counted = at;
            placed.push(WindowHit {
                hit,
                offset: base + at as u64,
                lines,
            });
        }
        lines.advance(
            window.get(counted..limit).unwrap_or_default(),
            base + counted as u64,
        );
        let carry = if eof { limit } else { carry_of(window.len()) };
        WindowScan {
            hits: placed,
            lines,
            last_byte: window.last().copied(),
            next: Entry {
                base: base + carry as u64,
                decided: limit - carry,
                resume: pos.max(limit) - carry,
                zone,
            },
        }
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
            let Some(p) = earliest(
                next_gh.at_or_after(buf, pos),
                next_pat.at_or_after(buf, pos),
            ) else {
                break;
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
