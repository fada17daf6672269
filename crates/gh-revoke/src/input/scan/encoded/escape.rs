//! `_` percent-encoded (`%5F`) or JSON-escaped (`\u005f`) after a prefix's head: one SIMD
//! search for `%`, `\` and NUL (which also tells whether UTF-16 is worth a look).

use zeroize::Zeroizing;

use super::{Hit, Needle, Zone, is_jwt_char};
use crate::credential::{MAX_TOKEN_LEN, match_at};
use crate::input::Encoding;

/// Bytes of an escaped token examined after its start (a 1,024-byte token with a few
/// escaped underscores, or 2,050 bytes of UTF-16).
const ESCAPED_SPAN: usize = 3000;

impl crate::input::scan::Scanner {
    /// The escapes' part of [`Self::encoded_pass`]: escaped underscores starting in
    /// `buf[from..limit]`; returns the end of the last one consumed (or `from`), and whether
    /// the window holds a NUL (the UTF-16 gate).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn escapes_pass(
        &self,
        buf: &[u8],
        from: usize,
        limit: usize,
        budget: u8,
        base: u64,
        zone: &mut Zone,
        hits: &mut Vec<Hit>,
    ) -> (usize, bool) {
        let mut end = from;
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
        (end, has_nul)
    }

    /// The escaped `_` at `q`: pushes its token onto `hits` and returns where scanning
    /// resumes (`None`: just after `q`).
    pub(super) fn escaped_at(
        &self,
        buf: &[u8],
        q: usize,
        encoding: Encoding,
        hits: &mut Vec<Hit>,
    ) -> Option<usize> {
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
