//! The README is the user manual: the facts it states about the workspace (the Rust version,
//! where the code lives, what the alerts exit codes mean) are checked against the workspace
//! itself, so that they cannot drift again.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The text of the README section that starts with `heading`, up to the next heading of its level.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("README has no section {heading:?}"));
    let rest = &text[start + heading.len()..];
    let level = heading.split(' ').next().unwrap();
    let end = rest.find(&format!("\n{level} ")).unwrap_or(rest.len());
    &rest[..end]
}

/// Every `code span` in `text`.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn readme_rust_version_is_the_workspace_rust_version() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let wanted = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("the workspace declares rust-version")
        .trim_matches('"');
    let text = readme();
    let mut seen = 0;
    for (at, _) in text.match_indices(" or newer") {
        let before = &text[..at];
        let version: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if version.contains('.') {
            seen += 1;
            assert_eq!(
                version, wanted,
                "README says Rust {version} or newer; the workspace needs {wanted}"
            );
        }
    }
    assert!(
        seen >= 2,
        "README names the Rust version in setup and install"
    );
}

#[test]
fn readme_layout_names_only_files_and_folders_that_exist() {
    let text = readme();
    let layout = section(&text, "## How the code is laid out");
    let lib = root().join("crates/gh-revoke/src");
    let cli = root().join("crates/gh-revoke-cli/src");
    let api = root().join("crates/gh-revoke-api");
    let api_src = api.join("src");
    let mut checked = 0;
    for span in code_spans(layout) {
        let is_path = span.ends_with(".rs") || span.ends_with('/');
        if !is_path || span.contains(' ') {
            continue;
        }
        let exists = [&lib, &cli, &api, &api_src, &root()]
            .iter()
            .any(|dir| dir.join(span.trim_end_matches('/')).exists());
        assert!(
            exists,
            "README's layout names `{span}`, which does not exist"
        );
        checked += 1;
    }
    assert!(
        checked > 10,
        "only {checked} paths found in the layout section"
    );

    // Every stage folder of the library is named, and every command file of the CLI.
    for entry in std::fs::read_dir(&lib).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            let name = format!("`{}/`", entry.file_name().to_string_lossy());
            assert!(layout.contains(&name), "README's layout omits {name}");
        }
    }
    for command in [
        "credentials.rs",
        "alerts.rs",
        "enterprise.rs",
        "authorizations.rs",
        "schema.rs",
    ] {
        assert!(
            cli.join(command).exists(),
            "{command} moved: update this test"
        );
        assert!(
            layout.contains(&format!("`{command}`")),
            "README's layout omits the command file {command}"
        );
    }
    assert!(
        layout.contains("`crates/gh-revoke-serve`"),
        "README's layout omits the serve crate"
    );
}

#[test]
fn readme_and_help_say_dry_run_and_no_resolve_exit_0_with_alerts_pending() {
    let text = readme();
    let alerts = section(&text, "## `gh-revoke alerts ");
    let exit = &alerts[alerts.find("Exit codes:").expect("alerts exit codes")..];
    let (zero, rest) = exit.split_once("; 1 when").expect("exit 0 then 1");
    let one = rest.split_once("; 2 for").expect("exit 1 then 2").0;
    assert!(
        zero.contains("`--dry-run`") && zero.contains("`--no-resolve`"),
        "{zero}"
    );
    assert!(
        !one.contains("is pending,"),
        "README says a pending alert exits 1, but --dry-run and --no-resolve exit 0: {one}"
    );

    let help = crate::support::gh_revoke()
        .args(["alerts", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let zero = &help[help.find("  0  ").unwrap()..help.find("  1  ").unwrap()];
    assert!(
        zero.contains("--dry-run") && zero.contains("--no-resolve"),
        "{zero}"
    );
}
