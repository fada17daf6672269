//! tracing on stderr: `-v`/`-vv`/`-vvv`, `RUST_LOG` honoured, `NO_COLOR` respected; a line that
//! cannot be written is dropped, never a reason to stop.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::args::Verbosity;

/// Install the subscriber for this process.
pub fn init(verbosity: &Verbosity) {
    init_as(verbosity, false);
}

/// Install the subscriber for this process; `json`: one JSON object a line.
pub fn init_as(verbosity: &Verbosity, json: bool) {
    let level = match (verbosity.quiet, verbosity.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{level},hyper=warn,h2=warn,rustls=warn")));
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        // A log line that cannot be written (stderr a closed pipe) is dropped: reporting the
        // failure on stderr would panic, and the work must go on.
        .log_internal_errors(false);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.with_ansi(color).try_init()
    };
}
