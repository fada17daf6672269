//! `cargo xtask`: the maintainer's commands for the spec → generated client pipeline.
//!
//! - `cargo xtask fragment --from PATH [--check]`: re-cut `openapi/github-credentials.json`
//!   from a full official GitHub description (JSON), or check that it is what the cut produces.
//! - `cargo xtask codegen [--check]`: regenerate `crates/gh-revoke-api/src/generated.rs` from the
//!   vendored fragment, or check that the committed file is fresh.
//! - `cargo xtask man [--check]`: render the man pages of `gh-revoke` from its clap definition
//!   into `crates/gh-revoke-cli/man/`, or check that the committed pages are fresh.
//! - `cargo xtask crate-files [--check]`: copy into the published crates what they must carry from
//!   the workspace root (the vendored description, licences), or check the copies.
//! - `cargo xtask examples [--check]`: rewrite the bundled synthetic inputs under `examples/`
//!   (never-issued tokens), or check that they are fresh.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for gh-revoke")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Cut the vendored OpenAPI fragment out of a full official description.
    Fragment {
        /// The full description, e.g. `generated/ghec.json` from the npm package `@octokit/openapi`.
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
        /// Do not write; exit 1 with a diff when the vendored fragment differs from the cut.
        #[arg(long)]
        check: bool,
    },
    /// Regenerate the progenitor client from the vendored fragment.
    Codegen {
        /// Do not write; exit 1 with a diff when the committed client is stale.
        #[arg(long)]
        check: bool,
    },
    /// Copy the vendored description and the licences into the crates published with them.
    CrateFiles {
        /// Do not write; exit 1 with a diff when a copy differs from its source.
        #[arg(long)]
        check: bool,
    },
    /// Render the man pages of gh-revoke from its clap definition (clap_mangen).
    Man {
        /// Do not write; exit 1 with a diff when a committed page is stale.
        #[arg(long)]
        check: bool,
    },
    /// Rewrite the bundled example inputs under `examples/` (never-issued tokens).
    Examples {
        /// Do not write; exit 1 naming the stale files.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Fragment { from, check } => xtask::fragment::run(&from, check),
        Command::Codegen { check } => xtask::codegen::run(check),
        Command::Man { check } => xtask::man::run(check),
        Command::CrateFiles { check } => xtask::crate_files::run(check),
        Command::Examples { check } => xtask::examples::run(check),
    };
    match result {
        Ok(xtask::Outcome::Fresh) => ExitCode::SUCCESS,
        Ok(xtask::Outcome::Stale) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
