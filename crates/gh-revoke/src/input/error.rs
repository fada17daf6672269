//! [`InputError`]: the one error of the input area, for both modes.

use std::sync::Arc;

/// An input could not be read to the end, in either mode ([`Lines`](crate::Lines),
/// [`Scanner`](crate::Scanner), [`feed`](crate::feed)). The message names the input, and the
/// line where a line is at fault; a reading error keeps the [`std::io::Error`] as its source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Line mode: a line longer than the limit (the input is not one credential per line).
    #[error(
        "{input}:{line}: line is longer than {limit} bytes; this does not look like one \
         credential per line; use scan mode to find credentials in arbitrary text"
    )]
    TooLong {
        /// The input's name (`-` for standard input).
        input: Arc<str>,
        /// 1-based number of the offending line.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// Reading failed (either mode).
    #[error("reading {input}: {error}")]
    Io {
        /// The input's name (`-` for standard input).
        input: Arc<str>,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::io::Read;

    use super::InputError;
    use crate::input::{InputMode, Lines, Scanner, feed};

    /// A reader that fails at once.
    struct Failing;

    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }

    fn assert_io(err: &InputError, input: &str) {
        assert!(
            matches!(err, InputError::Io { input: name, .. } if &**name == input),
            "{err:?}"
        );
        assert_eq!(err.to_string(), format!("reading {input}: disk on fire"));
        let source = err.source().map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("disk on fire"));
    }

    #[test]
    fn both_modes_fail_with_the_one_error_keeping_the_io_error_as_source() {
        let lines = Lines::new(std::io::BufReader::new(Failing), "a.txt").find_map(Result::err);
        assert_io(&lines.expect("line mode fails"), "a.txt");
        let scan = Scanner::new().scan(Failing, "b.log", |_| {});
        assert_io(&scan.expect_err("scan mode fails"), "b.log");
        for (mode, name) in [(InputMode::Lines, "c.txt"), (InputMode::Scan, "d.log")] {
            let mut sink: Vec<crate::input::Found> = Vec::new();
            let err = feed(&mut sink, mode, Failing, name).expect_err("feed fails");
            assert_io(&err, name);
        }
    }

    #[test]
    fn an_over_long_line_names_the_input_and_line() {
        let err = Lines::new("ok\n123456789\n".as_bytes(), "list.txt")
            .with_max_line_len(8)
            .find_map(Result::err);
        match err {
            Some(InputError::TooLong {
                input, line, limit, ..
            }) => assert_eq!((&*input, line, limit), ("list.txt", 2, 8)),
            other => panic!("expected TooLong, got {other:?}"),
        }
    }
}
