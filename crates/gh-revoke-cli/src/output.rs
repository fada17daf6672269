//! Writing to stdout and stderr without ever stopping the work.
//!
//! A failed write to stderr (a closed pipe, `2>&1 | head`) is ignored: the run goes on and
//! ends with its own exit code ([`say`], and the log's writer in [`crate::logging`]). A failed
//! write of the `--json` report is not ignored: the run still ends normally (its work is done
//! and journaled), the error is said on stderr, and the exit code is at least 1 ([`settle`]).

use std::io::Write;

use serde::Serialize;

use crate::exit::Outcome;

/// Write one line to stderr, ignoring a failure (never `eprintln!`, which panics on one).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

/// Write `report` as pretty JSON and a newline to stdout, flushed; `Err` says why not.
pub fn write_json(report: &impl Serialize) -> Result<(), String> {
    write_json_to(&mut std::io::stdout().lock(), report)
}

/// [`write_json`] to any writer (buffered here: a large report is never held as one string).
pub fn write_json_to(out: &mut impl Write, report: &impl Serialize) -> Result<(), String> {
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, report)
        .map_err(|err| {
            if err.is_io() {
                format!("could not write the report to standard output: {err}")
            } else {
                format!("could not render the report: {err}")
            }
        })
        .and_then(|()| {
            writeln!(out)
                .and_then(|()| out.flush())
                .map_err(|err| format!("could not write the report to standard output: {err}"))
        })
}

/// The outcome of a run whose report was (or was not) written: a report that could not be
/// written is said on stderr and makes a successful run exit 1 (an interrupted or failed run
/// keeps its code).
pub fn settle(outcome: Outcome, written: Result<(), String>) -> Outcome {
    match written {
        Ok(()) => outcome,
        Err(message) => {
            say!(
                "gh-revoke: {message}; the run itself finished (with --journal, its work is journaled)"
            );
            match outcome {
                Outcome::Success => Outcome::Failed,
                other => other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails as `/dev/full` does.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_report_that_cannot_be_written_is_an_error_and_fails_a_successful_run() {
        let err = write_json_to(&mut Full, &serde_json::json!({"a": 1})).unwrap_err();
        assert!(err.contains("could not write the report"), "{err}");
        assert_eq!(settle(Outcome::Success, Err(err.clone())), Outcome::Failed);
        assert_eq!(settle(Outcome::Interrupted, Err(err)), Outcome::Interrupted);
        assert_eq!(settle(Outcome::Success, Ok(())), Outcome::Success);
        let mut out = Vec::new();
        write_json_to(&mut out, &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "{\n  \"a\": 1\n}\n");
    }
}
