//! The pieces behind `cargo xtask`, as a library so that the workspace tests can run them.

pub mod codegen;
pub mod crate_files;
pub mod examples;
pub mod fragment;
pub mod man;
pub mod normalize;

mod diff;

use std::path::PathBuf;

/// What a `--check` (or a write) found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The file on disk is what the task produces (or has just been written).
    Fresh,
    /// `--check` found a difference (already printed).
    Stale,
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The vendored fragment, relative to the workspace root.
pub const FRAGMENT_PATH: &str = "openapi/github-credentials.json";

/// The generated client, relative to the workspace root.
pub const GENERATED_PATH: &str = "crates/gh-revoke-api/src/generated.rs";

/// Compare `expected` with the file at `path`; write it unless `check`.
fn write_or_check(path: &std::path::Path, expected: &str, check: bool) -> anyhow::Result<Outcome> {
    use anyhow::Context;
    let current = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    };
    if current.as_deref() == Some(expected) {
        if check {
            eprintln!("{} is up to date", path.display());
        }
        return Ok(Outcome::Fresh);
    }
    if check {
        eprintln!("{} is stale:", path.display());
        eprintln!(
            "{}",
            diff::unified(current.as_deref().unwrap_or(""), expected, path)
        );
        return Ok(Outcome::Stale);
    }
    std::fs::write(path, expected).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(Outcome::Fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed client is what `cargo xtask codegen` produces now: fails `cargo test` when stale.
    #[test]
    fn generated_client_is_fresh() {
        let expected = codegen::generate().unwrap();
        let committed = std::fs::read_to_string(workspace_root().join(GENERATED_PATH)).unwrap();
        if committed != expected {
            panic!(
                "{GENERATED_PATH} is stale; run `cargo xtask codegen`:\n{}",
                diff::unified(&committed, &expected, std::path::Path::new(GENERATED_PATH))
            );
        }
    }

    /// A one-line edit of the committed text is seen as stale by the same comparison `--check` uses.
    #[test]
    fn check_reports_a_one_line_edit() {
        let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("generated.rs");
        let expected = "line one\nline two\n";
        std::fs::write(&path, "line one\nline 2\n").unwrap();
        assert_eq!(
            write_or_check(&path, expected, true).unwrap(),
            Outcome::Stale
        );
        std::fs::write(&path, expected).unwrap();
        assert_eq!(
            write_or_check(&path, expected, true).unwrap(),
            Outcome::Fresh
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
