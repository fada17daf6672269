//! `cargo xtask crate-files [--check]`: cargo packages only what is inside a crate's directory,
//! so what a published crate must carry from elsewhere in the workspace is a committed copy that
//! this task writes, or checks:
//!
//! - every file of `openapi/` → `crates/gh-revoke-api/openapi/`: the vendored description the
//!   generated client is derived from, its provenance, and the MIT notices of GitHub's
//!   description and of `@octokit/openapi`, which must travel with the derived code;
//! - `LICENSE-MIT` and `LICENSE-APACHE` (the workspace's own licence) → each published crate.
//!
//! The workspace-root files are the ones to edit; the copies are never edited by hand.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::{Outcome, workspace_root, write_or_check};

/// The crates published to crates.io, relative to the workspace root.
pub const PUBLISHED: [&str; 4] = [
    "crates/gh-revoke-api",
    "crates/gh-revoke",
    "crates/gh-revoke-serve",
    "crates/gh-revoke-cli",
];

/// The workspace's licence texts, copied into every published crate.
pub const LICENCES: [&str; 2] = ["LICENSE-MIT", "LICENSE-APACHE"];

/// The vendored description's directory, and where `gh-revoke-api` keeps its copy.
pub const OPENAPI_DIR: &str = "openapi";
/// See [`OPENAPI_DIR`].
pub const OPENAPI_COPY: &str = "crates/gh-revoke-api/openapi";

/// Every copy as `(source, destination)`, both relative to `root`, in a stable order.
pub fn copies(root: &Path) -> anyhow::Result<Vec<(PathBuf, PathBuf)>> {
    let mut copies = Vec::new();
    for name in files_in(&root.join(OPENAPI_DIR))? {
        copies.push((
            Path::new(OPENAPI_DIR).join(&name),
            Path::new(OPENAPI_COPY).join(&name),
        ));
    }
    for krate in PUBLISHED {
        for licence in LICENCES {
            copies.push((PathBuf::from(licence), Path::new(krate).join(licence)));
        }
    }
    Ok(copies)
}

/// Write every copy (deleting files of the openapi copy that have no source any more), or with
/// `check` only compare.
pub fn run(check: bool) -> anyhow::Result<Outcome> {
    run_in(&workspace_root(), check)
}

fn run_in(root: &Path, check: bool) -> anyhow::Result<Outcome> {
    let copies = copies(root)?;
    let mut outcome = Outcome::Fresh;
    for (source, destination) in &copies {
        let text = std::fs::read_to_string(root.join(source))
            .with_context(|| format!("reading {}", source.display()))?;
        let destination = root.join(destination);
        if !check && let Some(dir) = destination.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        if write_or_check(&destination, &text, check)? == Outcome::Stale {
            outcome = Outcome::Stale;
        }
    }
    let sources = files_in(&root.join(OPENAPI_DIR))?;
    for name in files_in(&root.join(OPENAPI_COPY))? {
        if sources.contains(&name) {
            continue;
        }
        let leftover = root.join(OPENAPI_COPY).join(&name);
        if check {
            eprintln!(
                "{} has no source in {OPENAPI_DIR}/: run `cargo xtask crate-files`",
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

/// The names of the regular files in `dir` (none when it does not exist), sorted.
fn files_in(dir: &Path) -> anyhow::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("reading {}", dir.display())),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_type()?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed copies are what `cargo xtask crate-files` writes: fails `cargo test` when a
    /// source changed (e.g. a re-cut fragment) and the copy did not follow.
    #[test]
    fn crate_copies_are_fresh() {
        let root = workspace_root();
        let copies = copies(&root).unwrap();
        assert!(
            copies
                .iter()
                .any(|(_, to)| to.ends_with("openapi/github-credentials.json")),
            "{copies:?}"
        );
        for (source, destination) in &copies {
            let expected = std::fs::read(root.join(source)).unwrap();
            let committed = std::fs::read(root.join(destination)).unwrap_or_default();
            assert!(
                committed == expected,
                "{} is not a copy of {}; run `cargo xtask crate-files`",
                destination.display(),
                source.display()
            );
        }
        let sources = files_in(&root.join(OPENAPI_DIR)).unwrap();
        assert_eq!(files_in(&root.join(OPENAPI_COPY)).unwrap(), sources);
    }

    /// In a scratch workspace: a write makes the copies, an edited source or a stray copy makes
    /// `--check` stale, and a write repairs both.
    #[test]
    fn write_then_check_then_repair() {
        let root = std::env::temp_dir().join(format!("xtask-crate-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join(OPENAPI_DIR)).unwrap();
        std::fs::write(root.join(OPENAPI_DIR).join("spec.json"), "{}\n").unwrap();
        for licence in LICENCES {
            std::fs::write(root.join(licence), format!("{licence}\n")).unwrap();
        }

        assert_eq!(run_in(&root, true).unwrap(), Outcome::Stale);
        assert_eq!(run_in(&root, false).unwrap(), Outcome::Fresh);
        assert_eq!(run_in(&root, true).unwrap(), Outcome::Fresh);
        assert_eq!(
            std::fs::read_to_string(root.join(OPENAPI_COPY).join("spec.json")).unwrap(),
            "{}\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("crates/gh-revoke-cli/LICENSE-MIT")).unwrap(),
            "LICENSE-MIT\n"
        );

        std::fs::write(root.join(OPENAPI_DIR).join("spec.json"), "{\"a\": 1}\n").unwrap();
        std::fs::write(root.join(OPENAPI_COPY).join("stray.json"), "{}\n").unwrap();
        assert_eq!(run_in(&root, true).unwrap(), Outcome::Stale);
        assert_eq!(run_in(&root, false).unwrap(), Outcome::Fresh);
        assert!(!root.join(OPENAPI_COPY).join("stray.json").exists());
        assert_eq!(run_in(&root, true).unwrap(), Outcome::Fresh);

        std::fs::remove_dir_all(&root).unwrap();
    }
}
