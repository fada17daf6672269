//! Feeding a [`Plan`] (or a [`PlanTally`]) from a reader, in line mode or scan mode.

use std::io::{BufReader, Read};

use crate::{Found, LineError, Lines, ScanError, Scanner};
#[cfg(doc)]
use crate::{Plan, PlanTally};

/// How an input holds its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputMode {
    /// One credential per line ([`Lines`]).
    #[default]
    Lines,
    /// Anywhere in arbitrary bytes ([`Scanner`]).
    Scan,
}

/// An input could not be read to the end. The message names the input (and line).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Line mode failed (an over-long line, or a read error).
    #[error(transparent)]
    Lines(#[from] LineError),
    /// Scan mode failed (a read error).
    #[error(transparent)]
    Scan(#[from] ScanError),
}

/// Read `reader` to the end in `mode`, adding what it holds to `sink` (a [`Plan`] to send,
/// or a [`PlanTally`] to count for a dry run). `source` names it in locations and errors
/// (`-` for standard input). What was added before an error stays added.
pub fn feed(
    sink: &mut impl Extend<Found>,
    mode: InputMode,
    reader: impl Read,
    source: &str,
) -> Result<(), InputError> {
    match mode {
        InputMode::Lines => {
            for found in Lines::new(BufReader::with_capacity(64 * 1024, reader), source) {
                sink.extend(Some(found?));
            }
        }
        InputMode::Scan => {
            Scanner::new().scan(reader, source, |found| sink.extend(Some(found)))?;
        }
    }
    Ok(())
}
