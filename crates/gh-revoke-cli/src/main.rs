//! `gh-revoke`: the command a responder runs. It parses arguments, reads input, draws progress
//! and prints; everything else is the `gh-revoke` library.

mod args;
mod credentials;
mod enterprise;
mod exit;
mod host;
mod kill;
mod logging;
mod progress;
mod schema;
mod signals;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command, EnterpriseCommand};
use exit::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Credentials(args) => credentials::run(args),
        Command::Enterprise(EnterpriseCommand::RevokeAll(args)) => enterprise::run(args),
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
