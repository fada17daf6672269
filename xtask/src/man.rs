//! `cargo xtask man [--check]`: render the man pages of `gh-revoke` from its clap definition
//! (`gh_revoke_cli::command()`) with `clap_mangen`, one page per command and subcommand, into
//! [`MAN_DIR`], or check that the committed pages are what the definition renders now.

use std::path::Path;

use anyhow::Context;

use crate::{Outcome, workspace_root, write_or_check};

/// Where the pages are committed (and where the release workflow takes them from), relative to
/// the workspace root.
pub const MAN_DIR: &str = "crates/gh-revoke-cli/man";

/// Every page as `(file name, roff text)`: `gh-revoke.1` first, then one page per subcommand
/// (`gh-revoke-credentials.1`, `gh-revoke-enterprise-revoke-all.1`, ...), depth first in the
/// order clap lists them. Deterministic: no date, and no environment values (only names).
pub fn render() -> anyhow::Result<Vec<(String, String)>> {
    let mut cmd = gh_revoke_cli::command().disable_help_subcommand(true);
    cmd.build();
    let source = format!(
        "{} {}",
        cmd.get_name(),
        cmd.get_version().unwrap_or_default()
    );
    let mut pages = Vec::new();
    render_into(cmd, &source, &mut pages)?;
    Ok(pages)
}

fn render_into(
    cmd: clap::Command,
    source: &str,
    pages: &mut Vec<(String, String)>,
) -> anyhow::Result<()> {
    let subcommands: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .cloned()
        .collect();
    let man = clap_mangen::Man::new(cmd).source(source);
    let mut roff = Vec::new();
    man.render(&mut roff)
        .with_context(|| format!("rendering {}", man.get_filename()))?;
    let text = String::from_utf8(roff).context("clap_mangen wrote invalid UTF-8")?;
    pages.push((man.get_filename(), text));
    for sub in subcommands {
        render_into(sub, source, pages)?;
    }
    Ok(())
}

/// Write the pages (and delete pages no longer rendered), or with `check` only compare.
pub fn run(check: bool) -> anyhow::Result<Outcome> {
    let pages = render()?;
    let dir = workspace_root().join(MAN_DIR);
    if !check {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut outcome = Outcome::Fresh;
    for (name, text) in &pages {
        if write_or_check(&dir.join(name), text, check)? == Outcome::Stale {
            outcome = Outcome::Stale;
        }
    }
    for leftover in leftovers(&dir, &pages)? {
        if check {
            eprintln!(
                "{} is no longer rendered (no such subcommand): run `cargo xtask man`",
                leftover.display()
            );
            outcome = Outcome::Stale;
        } else {
            std::fs::remove_file(&leftover)
                .with_context(|| format!("removing {}", leftover.display()))?;
            eprintln!("removed {}", leftover.display());
        }
    }
    Ok(outcome)
}

/// `*.1` files in `dir` that are not among `pages`.
fn leftovers(dir: &Path, pages: &[(String, String)]) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("reading {}", dir.display())),
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("reading {}", dir.display()))?
            .path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".1") && !pages.iter().any(|(page, _)| page == name) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed pages are what `cargo xtask man` renders now: fails `cargo test` when stale.
    #[test]
    fn man_pages_are_fresh() {
        let dir = workspace_root().join(MAN_DIR);
        let pages = render().unwrap();
        for (name, expected) in &pages {
            let committed = std::fs::read_to_string(dir.join(name))
                .unwrap_or_else(|err| panic!("{MAN_DIR}/{name}: {err}; run `cargo xtask man`"));
            assert!(
                &committed == expected,
                "{MAN_DIR}/{name} is stale; run `cargo xtask man`"
            );
        }
        assert_eq!(
            leftovers(&dir, &pages).unwrap(),
            Vec::<std::path::PathBuf>::new(),
            "pages for commands that no longer exist; run `cargo xtask man`"
        );
    }

    /// One page per command a user can type, named as `man` looks them up.
    #[test]
    fn one_page_per_command() {
        let names: Vec<String> = render().unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "gh-revoke.1",
                "gh-revoke-credentials.1",
                "gh-revoke-alerts.1",
                "gh-revoke-serve.1",
                "gh-revoke-enterprise.1",
                "gh-revoke-enterprise-revoke-all.1",
                "gh-revoke-enterprise-revoke.1",
                "gh-revoke-org.1",
                "gh-revoke-org-revoke.1",
                "gh-revoke-app.1",
                "gh-revoke-app-create.1",
                "gh-revoke-schema.1",
                "gh-revoke-completions.1",
            ]
        );
    }

    /// The pages carry the definition's substance: options, environment variables, exit codes.
    #[test]
    fn credentials_page_documents_options_environment_and_exit_codes() {
        let pages = render().unwrap();
        let (_, page) = pages
            .iter()
            .find(|(name, _)| name == "gh-revoke-credentials.1")
            .unwrap();
        assert!(page.contains("\n.TH gh-revoke-credentials 1 "), "{page}");
        for needle in [
            r"\-\-dry\-run",
            r"\-\-allow\-unverified",
            r"\-\-max\-wait",
            "GITHUB_API_URL",
            "Exit codes:",
        ] {
            assert!(page.contains(needle), "{needle} missing from:\n{page}");
        }
    }

    /// A page for a subcommand that no longer exists is found (so `--check` fails and a write
    /// deletes it).
    #[test]
    fn leftover_pages_are_found() {
        let dir = std::env::temp_dir().join(format!("xtask-man-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("gh-revoke.1"), "x").unwrap();
        std::fs::write(dir.join("gh-revoke-gone.1"), "x").unwrap();
        std::fs::write(dir.join("notes.txt"), "x").unwrap();
        let pages = vec![("gh-revoke.1".to_string(), String::new())];
        assert_eq!(
            leftovers(&dir, &pages).unwrap(),
            vec![dir.join("gh-revoke-gone.1")]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
