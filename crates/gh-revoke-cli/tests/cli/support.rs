//! Driving the real `gh-revoke` binary (shared by the modules of this test binary).

use std::path::PathBuf;

/// The `gh-revoke` binary of this very build (cargo builds it before this test).
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gh-revoke"))
}

/// Variables the tests' environment must not pass on to `gh-revoke` unasked.
pub const CLEARED_ENV: &[&str] = &[
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GH_HOST",
    "GITHUB_API_URL",
    "RUST_LOG",
    "RUST_BACKTRACE",
    "GH_ENTERPRISE_TOKEN",
    "GH_REVOKE_APP_ID",
    "GH_REVOKE_APP_PRIVATE_KEY_FILE",
];

/// A `gh-revoke` command with a clean environment: no token, no host, no colour.
pub fn gh_revoke() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    for var in CLEARED_ENV {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// [`gh_revoke()`]'s clean environment as a `std::process::Command`, stdin closed (for tests
/// that spawn the child themselves).
pub fn std_command() -> std::process::Command {
    let mut cmd = std::process::Command::new(bin());
    for var in CLEARED_ENV {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1").stdin(std::process::Stdio::null());
    cmd
}

/// The workspace's `examples/` file `name`.
pub fn example(name: &str) -> PathBuf {
    gh_revoke_tests::examples::examples_dir().join(name)
}

/// Run a prepared command off the async runtime (so loopback servers keep serving);
/// returns the exit code (-1 if killed by a signal), stdout and stderr.
pub async fn run(mut cmd: assert_cmd::Command) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let output = cmd.output().expect("the command runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .expect("join")
}

/// `script` (util-linux) running `command_line` on a pseudo-terminal, with the same clean
/// environment as [`gh_revoke()`]; what is written to its stdin is typed at the terminal.
pub fn on_a_terminal(command_line: &str) -> assert_cmd::Command {
    let mut script = assert_cmd::Command::new("script");
    for var in CLEARED_ENV {
        script.env_remove(var);
    }
    script
        .env("NO_COLOR", "1")
        .args(["-q", "-e", "-c", command_line, "/dev/null"]);
    script
}
