//! UTF-16 input in line mode: recognised by its BOM, or by the ASCII/NUL interleave of its
//! first bytes, and transcoded to UTF-8 (`encoding_rs`) before lines are read. (Scan mode
//! finds UTF-16 tokens anywhere by the interleave itself, without transcoding.)

use std::io::Read;

use encoding_rs::{Decoder, UTF_16BE, UTF_16LE};

use super::Encoding;

/// How many leading bytes are looked at for the interleave.
const SNIFF: usize = 256;

/// The encoding `head` (the first bytes of an input) says, if UTF-16: a BOM, or at least
/// 16 bytes in which NUL is every other byte (at least 90 % of one parity, at most 10 % of
/// the other), as ASCII text in UTF-16 is.
pub(crate) fn sniff(head: &[u8]) -> Option<Encoding> {
    if head.starts_with(b"\xFF\xFE") {
        return Some(Encoding::Utf16Le);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Some(Encoding::Utf16Be);
    }
    let head = head.get(..head.len().min(SNIFF) & !1)?;
    if head.len() < 16 {
        return None;
    }
    let pairs = head.len() / 2;
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if odd * 10 >= pairs * 9 && even * 10 <= pairs {
        Some(Encoding::Utf16Le)
    } else if even * 10 >= pairs * 9 && odd * 10 <= pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Reads UTF-16 bytes from `inner` and yields them as UTF-8 (a BOM is dropped; unpaired
/// surrogates become U+FFFD).
pub(crate) struct Utf16Reader<R> {
    inner: R,
    decoder: Decoder,
    /// Undelivered UTF-8 in `out[start..end]`.
    out: zeroize::Zeroizing<Vec<u8>>,
    start: usize,
    end: usize,
    input: zeroize::Zeroizing<Vec<u8>>,
    done: bool,
}

impl<R> std::fmt::Debug for Utf16Reader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utf16Reader").finish_non_exhaustive()
    }
}

impl<R: Read> Utf16Reader<R> {
    pub(crate) fn new(inner: R, encoding: Encoding) -> Self {
        let encoding = if encoding == Encoding::Utf16Be {
            UTF_16BE
        } else {
            UTF_16LE
        };
        Utf16Reader {
            inner,
            // A BOM, if there, is removed whichever way round it is.
            decoder: encoding.new_decoder_with_bom_removal(),
            out: zeroize::Zeroizing::new(vec![0; 3 * 8192 + 16]),
            start: 0,
            end: 0,
            input: zeroize::Zeroizing::new(vec![0; 8192]),
            done: false,
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.start == self.end && !self.done {
            let n = loop {
                match self.inner.read(&mut self.input) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            let last = n == 0;
            let input = self.input.get(..n).unwrap_or_default();
            let (_, _, written, _) = self.decoder.decode_to_utf8(input, &mut self.out, last);
            self.start = 0;
            self.end = written;
            self.done = last;
        }
        let available = self.out.get(self.start..self.end).unwrap_or_default();
        let n = available.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), available.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.start += n;
        Ok(n)
    }
}

/// Reads the first [`SNIFF`] bytes of `reader` (fewer only at the end of the input: a
/// reader that returns a byte or two at a time, as a pipe may, does not cut the sniff
/// short); the encoding they say if UTF-16, and the bytes read, to be read again.
pub(super) fn detect(
    reader: &mut impl Read,
) -> std::io::Result<(Option<Encoding>, zeroize::Zeroizing<Vec<u8>>)> {
    let mut head = zeroize::Zeroizing::new(Vec::with_capacity(SNIFF));
    reader.take(SNIFF as u64).read_to_end(&mut head)?;
    Ok((sniff(&head), head))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, be: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if be { b"\xFE\xFF" } else { b"\xFF\xFE" });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if be {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn sniffs_and_transcodes() {
        let text = "first line\r\nzweite Zeile \u{e4}\u{1F600}\n";
        for be in [false, true] {
            for bom in [false, true] {
                let bytes = utf16(text, be, bom);
                let expected = if be {
                    Encoding::Utf16Be
                } else {
                    Encoding::Utf16Le
                };
                assert_eq!(sniff(&bytes), Some(expected), "be={be} bom={bom}");
                let mut out = String::new();
                Utf16Reader::new(&bytes[..], expected)
                    .read_to_string(&mut out)
                    .unwrap();
                assert_eq!(out, text);
            }
        }
        assert_eq!(sniff(b"plain ascii text that is long enough"), None);
        assert_eq!(
            sniff(b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
            None
        );
        assert_eq!(sniff(b"ab\0"), None);
    }

    /// Hands out one byte per read, as a slow pipe may.
    struct OneByte<'a>(&'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&b, rest)), Some(slot)) => {
                    *slot = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn detection_is_not_cut_short_by_short_reads() {
        // Found by the `utf16_lines` fuzz target: the BOM was sniffed from the first read
        // alone, so a one-byte first read made a UTF-16 file plain bytes.
        let token = crate::fixtures::classic(crate::Kind::ClassicPat, 1);
        for bom in [false, true] {
            let bytes = utf16(&format!("{token}\r\n"), false, bom);
            let (encoding, head) = detect(&mut OneByte(&bytes)).unwrap();
            assert_eq!(encoding, Some(Encoding::Utf16Le), "bom={bom}");
            assert_eq!(head.as_slice(), &bytes[..]);
            let mut found: Vec<crate::Found> = Vec::new();
            crate::feed(&mut found, crate::InputMode::Lines, OneByte(&bytes), "t").unwrap();
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].location.encoding, Some(Encoding::Utf16Le));
            assert!(
                matches!(&found[0].item, crate::Classified::Valid(c) if c.expose_secret() == token)
            );
        }
    }
}
