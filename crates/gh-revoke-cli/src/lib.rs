//! The command line of the `gh-revoke` binary, as a library so that maintainer tools can read it:
//! `cargo xtask man` renders the man pages from [`command`]. Not a stable API; the library to
//! build on is the `gh-revoke` crate.

pub mod args;

/// The full clap definition of `gh-revoke` (every subcommand, option and help text), exactly as
/// the binary parses it.
pub fn command() -> clap::Command {
    <args::Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    /// The definition handed to the man page generator is the binary's: same name and version,
    /// and every subcommand the binary dispatches.
    #[test]
    fn command_is_the_binarys() {
        let cmd = super::command();
        assert_eq!(cmd.get_name(), "gh-revoke");
        assert_eq!(cmd.get_version(), Some(env!("CARGO_PKG_VERSION")));
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        assert_eq!(
            names,
            [
                "credentials",
                "alerts",
                "serve",
                "enterprise",
                "org",
                "app",
                "schema",
                "completions"
            ]
        );
    }
}
