//! Exit codes (documented in `--help` and the README) and the errors that choose them.

use std::process::ExitCode;

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: nothing failed.
    Success,
    /// Exit 1: a batch or the enterprise call failed, or `--max-wait` was reached.
    Failed,
    /// Exit 130: interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
    Interrupted,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(1),
            Outcome::Interrupted => ExitCode::from(INTERRUPTED),
        }
    }
}

/// The exit code after Ctrl-C or SIGTERM.
pub const INTERRUPTED: u8 = 130;

/// A command that could not run, or whose request failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Exit 2: the user's input or environment is wrong; nothing was sent.
    #[error("{0}")]
    Usage(String),
    /// Exit 1: the request was made and failed.
    #[error("{0}")]
    Request(String),
}

impl Failure {
    /// The process exit code.
    pub fn code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::from(2),
            Failure::Request(_) => ExitCode::from(1),
        }
    }
}

/// Shorthand for a usage failure.
pub fn usage(message: impl std::fmt::Display) -> Failure {
    Failure::Usage(message.to_string())
}
