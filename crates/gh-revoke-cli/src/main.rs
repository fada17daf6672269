//! `gh-revoke`: the command a responder runs. It parses arguments, reads input, draws progress
//! and prints; everything else is the `gh-revoke` library.

mod alerts;
mod authorizations;
mod credentials;
mod enterprise;
mod exit;
mod host;
mod kill;
mod logging;
mod progress;
mod schema;
mod serve;
mod signals;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

// The clap definition lives in the library (lib.rs) so that `cargo xtask man` can render it;
// `crate::args` keeps naming it for the modules below.
use gh_revoke_cli::args;

use args::{Cli, Command, EnterpriseCommand, OrgCommand};
use exit::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Credentials(args) => credentials::run(args),
        Command::Alerts(args) => alerts::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Enterprise(EnterpriseCommand::RevokeAll(args)) => enterprise::run(args),
        Command::Enterprise(EnterpriseCommand::Revoke(args)) => {
            authorizations::run_enterprise(args)
        }
        Command::Org(OrgCommand::Revoke(args)) => authorizations::run_org(args),
        Command::Schema => schema::run(),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "gh-revoke",
                &mut std::io::stdout(),
            );
            Ok(exit::Outcome::Success)
        }
    };
    match result {
        Ok(outcome) => outcome.code(),
        Err(failure) => {
            eprintln!("gh-revoke: {failure}");
            Failure::code(&failure)
        }
    }
}
