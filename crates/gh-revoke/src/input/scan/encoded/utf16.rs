//! UTF-16 (LE or BE, with or without a BOM), only in windows that hold a NUL: the plain
//! scan's two pair prefilters one byte apart.

use zeroize::Zeroizing;

use super::super::prefilter::{NextMatch, earliest};
use super::{Hit, Needle, Zone, is_jwt_char};
use crate::credential::{Kind, MAX_TOKEN_LEN, match_at};
use crate::input::Encoding;

impl crate::input::scan::Scanner {
    /// The UTF-16 part of [`Self::encoded_pass`], for a window that holds a NUL byte:
    /// UTF-16 prefixes starting in `buf[from..limit]`; returns the end of the last one
    /// consumed (or `from`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn utf16_pass(
        &self,
        buf: &[u8],
        from: usize,
        limit: usize,
        budget: u8,
        base: u64,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) -> usize {
        let finder = &self.encoded;
        let mut end = from;
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
        end
    }

    /// The UTF-16 prefix at `q`: pushes its token onto `hits` and returns where scanning
    /// resumes (`None`: just after `q`).
    pub(super) fn utf16_at(
        &self,
        buf: &[u8],
        q: usize,
        encoding: Encoding,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) -> Option<usize> {
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

/// Whether a known prefix starts at `buf[q]` in UTF-16 of `encoding`.
pub(super) fn utf16_prefix_at(buf: &[u8], q: usize, encoding: Encoding) -> bool {
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
