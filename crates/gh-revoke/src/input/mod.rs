//! Where credentials are: one per line ([`Lines`]) or anywhere in arbitrary bytes
//! ([`Scanner`]), each reported as a [`Found`] with its [`Location`]; [`feed`] reads an input
//! in either mode into a plan. Both modes fail with the one [`InputError`].

use std::io::{BufReader, Read};

mod error;
mod lines;
mod location;
mod scan;
mod scrub;
pub(crate) mod utf16;

pub use error::InputError;
pub use lines::{DEFAULT_MAX_LINE_LEN, Lines};
pub use location::{Encoding, Found, Location};
#[cfg(any(test, feature = "fixtures"))]
pub use scan::{DEFAULT_BUFFER_SIZE, MIN_BUFFER_SIZE};
pub use scan::{ScanStats, Scanner};
pub use scrub::{scrub, scrub_credentials};

/// How an input holds its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum InputMode {
    /// One credential per line ([`Lines`]).
    #[default]
    Lines,
    /// Anywhere in arbitrary bytes ([`Scanner`]).
    Scan,
}

/// Read `reader` to the end in `mode`, adding what it holds to `sink` (a [`Plan`](crate::Plan) to send,
/// or a [`PlanTally`](crate::PlanTally) to count for a dry run). `source` names it in locations and errors
/// (`-` for standard input). What was added before an error stays added.
pub fn feed(
    sink: &mut impl Extend<Found>,
    mode: InputMode,
    reader: impl Read,
    source: &str,
) -> Result<(), InputError> {
    match mode {
        InputMode::Lines => {
            let mut reader = reader;
            let (encoding, head) = utf16::detect(&mut reader).map_err(|error| InputError::Io {
                input: source.into(),
                error,
            })?;
            let reader =
                BufReader::with_capacity(64 * 1024, std::io::Cursor::new(head).chain(reader));
            match encoding {
                Some(encoding) => {
                    let utf8 = BufReader::with_capacity(
                        64 * 1024,
                        utf16::Utf16Reader::new(reader, encoding),
                    );
                    for found in Lines::new(utf8, source).with_encoding(Some(encoding)) {
                        sink.extend(Some(found?));
                    }
                }
                None => {
                    for found in Lines::new(reader, source) {
                        sink.extend(Some(found?));
                    }
                }
            }
        }
        InputMode::Scan => {
            Scanner::new().scan(reader, source, |found| sink.extend(Some(found)))?;
        }
    }
    Ok(())
}

/// [`feed`] for a file. In scan mode a regular file is read at positions by two threads
/// that both read and scan ([`Scanner::scan_file`]); the result is the same as [`feed`]'s.
pub fn feed_file(
    sink: &mut impl Extend<Found>,
    mode: InputMode,
    file: &std::fs::File,
    source: &str,
) -> Result<(), InputError> {
    match mode {
        InputMode::Scan => {
            Scanner::new().scan_file(file, source, |found| sink.extend(Some(found)))?;
            Ok(())
        }
        InputMode::Lines => feed(sink, mode, file, source),
    }
}
