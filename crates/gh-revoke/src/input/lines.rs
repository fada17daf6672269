//! Line mode: one credential per line.
//!
//! Rules, per line:
//! * a UTF-8 byte-order mark at the very start of the input is ignored;
//! * leading spaces/tabs and trailing spaces/tabs/CR are trimmed (so CRLF files work);
//! * blank lines and lines whose first non-blank character is `#` are skipped;
//! * everything else is [`classify`]'d and yielded as a [`Found`], invalid or not, so the
//!   caller can tell the user which lines were not credentials.
//!
//! Memory is bounded: one reusable line buffer of at most `max_line_len + 1` bytes. A longer
//! line is a hard [`InputError::TooLong`] (the input is not one credential per line), found
//! without reading the rest of that line.

use std::io::{BufRead, Read};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::error::InputError;
use super::{Encoding, Found, Location};
use crate::credential::classify;

/// Default longest line accepted in line mode: 64 KiB.
pub const DEFAULT_MAX_LINE_LEN: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An iterator over the credential lines of a [`BufRead`]: yields one
/// `Ok(`[`Found`]`)` per non-blank, non-comment line, in order, or one `Err` and then stops.
///
/// ```
/// use gh_revoke::{Classified, Lines};
/// let input = "# leaked on Tuesday\n\n  not-a-token  \r\n";
/// let found: Vec<_> = Lines::new(input.as_bytes(), "-").collect::<Result<_, _>>()?;
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].location.line, 3);
/// assert!(matches!(found[0].item, Classified::Invalid { .. }));
/// # Ok::<(), gh_revoke::InputError>(())
/// ```
#[derive(Debug)]
pub struct Lines<R> {
    reader: R,
    source: Arc<str>,
    max_line_len: usize,
    buf: Zeroizing<Vec<u8>>,
    line: u64,
    offset: u64,
    done: bool,
    encoding: Option<Encoding>,
}

impl<R: BufRead> Lines<R> {
    /// Reads `reader`, naming it `source` in locations and errors (`-` for standard input).
    pub fn new(reader: R, source: impl Into<Arc<str>>) -> Self {
        Lines {
            reader,
            source: source.into(),
            max_line_len: DEFAULT_MAX_LINE_LEN,
            buf: Zeroizing::new(Vec::new()),
            line: 0,
            offset: 0,
            done: false,
            encoding: None,
        }
    }

    /// Sets the longest accepted line in bytes, excluding the `\n` (at least 1).
    pub fn with_max_line_len(mut self, max_line_len: usize) -> Self {
        self.max_line_len = max_line_len.max(1);
        self
    }

    /// Names the encoding the lines were transcoded from (UTF-16), for their locations;
    /// lines, columns and offsets then count the transcoded UTF-8 text.
    pub fn with_encoding(mut self, encoding: Option<Encoding>) -> Self {
        self.encoding = encoding;
        self
    }

    /// Number of lines read so far (including blank and comment lines).
    pub fn lines_read(&self) -> u64 {
        self.line
    }

    /// Number of bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.offset
    }

    fn read_line(&mut self) -> Result<usize, InputError> {
        self.buf.clear();
        if self.buf.capacity() == 0 {
            // Reserve once, so the buffer never reallocates (a reallocation would leave an
            // unzeroized copy of a secret behind).
            self.buf.reserve_exact(self.max_line_len.saturating_add(1));
        }
        let limit = u64::try_from(self.max_line_len)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        Read::take(&mut self.reader, limit)
            .read_until(b'\n', &mut self.buf)
            .map_err(|error| InputError::Io {
                input: self.source.clone(),
                error,
            })
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Found, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let n = match self.read_line() {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            self.line += 1;
            let line_start = self.offset;
            self.offset += n as u64;
            let mut content: &[u8] = &self.buf;
            if let Some(without_nl) = content.strip_suffix(b"\n") {
                content = without_nl;
            } else if content.len() > self.max_line_len {
                self.done = true;
                return Some(Err(InputError::TooLong {
                    input: self.source.clone(),
                    line: self.line,
                    limit: self.max_line_len,
                }));
            }
            let mut start = 0usize;
            if self.line == 1 && content.starts_with(BOM) {
                start = BOM.len();
            }
            start += content
                .iter()
                .skip(start)
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            let trailing = content
                .iter()
                .rev()
                .take_while(|&&b| b == b' ' || b == b'\t' || b == b'\r')
                .count();
            let end = content.len().saturating_sub(trailing).max(start);
            let text = content.get(start..end).unwrap_or_default();
            if text.is_empty() || text.starts_with(b"#") {
                continue;
            }
            let location = Location {
                source: self.source.clone(),
                line: self.line,
                column: start as u64 + 1,
                offset: line_start + start as u64,
                encoding: self.encoding,
            };
            return Some(Ok(Found {
                location,
                item: classify(text),
            }));
        }
        self.done = true;
        None
    }
}

impl<R: BufRead> std::iter::FusedIterator for Lines<R> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::{Classified, InvalidReason, Kind};
    use crate::fixtures::{classic as fixture, fine_grained};

    fn collect(input: &[u8]) -> Result<Vec<Found>, InputError> {
        Lines::new(input, "in.txt").collect()
    }

    #[test]
    fn bom_crlf_blank_comments_and_spaces() -> Result<(), InputError> {
        let a = fixture(Kind::ClassicPat, 1);
        let b = fine_grained(2);
        let c = fixture(Kind::Installation, 3);
        let input = format!(
            "\u{FEFF}{a}\r\n\r\n   \t\n# comment {a}\n  # indented comment\n\t {b} \t\r\n{c}"
        );
        let found = collect(input.as_bytes())?;
        assert_eq!(found.len(), 3);
        assert!(matches!(&found[0].item, Classified::Valid(x) if x.expose_secret() == a));
        assert_eq!(found[0].location.line, 1);
        assert_eq!(found[0].location.column, 4); // after the 3-byte BOM
        assert_eq!(found[0].location.offset, 3);
        assert!(matches!(&found[1].item, Classified::Valid(x) if x.expose_secret() == b));
        assert_eq!(found[1].location.line, 6);
        assert_eq!(found[1].location.column, 3);
        let line6_start = input.find("\t ").unwrap_or_default() as u64;
        assert_eq!(found[1].location.offset, line6_start + 2);
        assert!(matches!(&found[2].item, Classified::Unsupported { .. }));
        assert_eq!(found[2].location.line, 7);
        assert_eq!(found[2].location.to_string(), "in.txt:7:1");
        Ok(())
    }

    #[test]
    fn invalid_lines_keep_their_numbers() -> Result<(), InputError> {
        let input = "ghp_1234567890abcdef1234567890abcdef12345678\nhello world\n\n\u{FEFF}x\n";
        let found = collect(input.as_bytes())?;
        let summary: Vec<_> = found
            .iter()
            .map(|f| match &f.item {
                Classified::Invalid { reason, .. } => (f.location.line, reason.clone()),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    1,
                    InvalidReason::WrongLength {
                        kind: Kind::ClassicPat,
                        expected: 40,
                        found: 44
                    }
                ),
                (2, InvalidReason::UnknownPrefix),
                // A BOM is only stripped at the very start of the input.
                (4, InvalidReason::UnknownPrefix),
            ]
        );
        Ok(())
    }

    #[test]
    fn non_utf8_line_is_invalid_not_fatal() -> Result<(), InputError> {
        let found = collect(b"\xff\xfe\n")?;
        assert!(matches!(
            found[0].item,
            Classified::Invalid {
                reason: InvalidReason::NotUtf8 { position: 1 },
                ..
            }
        ));
        Ok(())
    }

    #[test]
    fn too_long_line_is_an_error_without_reading_it_all() {
        let first = fixture(Kind::ClassicPat, 9);
        let mut reader = std::io::BufReader::new(
            std::io::Cursor::new(format!("{first}\n"))
                .chain(std::io::repeat(b'a').take(10_000_000)),
        );
        let mut lines = Lines::new(&mut reader, "big.log");
        assert!(matches!(lines.next(), Some(Ok(_))));
        match lines.next() {
            Some(Err(e @ InputError::TooLong { line: 2, .. })) => {
                let message = e.to_string();
                assert!(message.starts_with("big.log:2: line is longer than 65536 bytes"));
                assert!(message.contains("use scan mode"));
            }
            other => panic!("expected TooLong, got {other:?}"),
        }
        assert!(lines.next().is_none());
        // Only about one line's worth was consumed from the 10 MB line.
        let consumed = lines.bytes_read();
        assert!(consumed < 100_000, "consumed {consumed} bytes");
        assert!(lines.buf.capacity() <= DEFAULT_MAX_LINE_LEN + 1);
    }

    #[test]
    fn line_exactly_at_limit_is_fine() -> Result<(), InputError> {
        let input = format!("{}\n{}", "x".repeat(8), "y".repeat(8));
        let found: Vec<_> = Lines::new(input.as_bytes(), "-")
            .with_max_line_len(8)
            .collect::<Result<_, _>>()?;
        assert_eq!(found.len(), 2);
        let too_long = "z".repeat(9);
        let err = Lines::new(too_long.as_bytes(), "-")
            .with_max_line_len(8)
            .find_map(Result::err);
        assert!(matches!(
            err,
            Some(InputError::TooLong {
                line: 1,
                limit: 8,
                ..
            })
        ));
        Ok(())
    }

    #[test]
    fn io_errors_name_the_source() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let err = Lines::new(std::io::BufReader::new(Failing), "tokens.txt").find_map(Result::err);
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("reading tokens.txt: disk on fire")
        );
    }
}
