//! `gh-revoke`: the command a responder runs. It parses arguments, reads input, draws progress
//! and prints; everything else is the `gh-revoke` library.

mod alerts;
mod app;
mod authorizations;
mod credentials;
mod enterprise;
mod exit;
mod host;
mod kill;
mod listing;
mod logging;
mod output;
mod progress;
mod schema;
mod serve;
mod signals;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

// The clap definition lives in the library (lib.rs) so that `cargo xtask man` can render it;
// `crate::args` keeps naming it for the modules below.
use gh_revoke_cli::args;

use args::{AppCommand, Cli, Command, EnterpriseCommand, OrgCommand};
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
        Command::App(AppCommand::Create(args)) => app::run(args),
        Command::Schema => schema::run(),
        Command::Completions { shell } => {
            // Rendered in memory, then written: a closed stdout is an error, never a panic.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "gh-revoke", &mut script);
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)
                .map(|()| exit::Outcome::Success)
                .map_err(|err| Failure::Request(format!("could not write the completions: {err}")))
        }
    };
    match result {
        Ok(outcome) => outcome.code(),
        Err(failure) => {
            output::say!("gh-revoke: {failure}");
            Failure::code(&failure)
        }
    }
}
