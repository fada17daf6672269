//! `cargo xtask examples [--check]`: rewrite the bundled synthetic inputs under `examples/`
//! (tokens that were never issued), or check that they are what the generator makes.

use anyhow::{Context, Result};

use crate::Outcome;

/// Write every example, or with `check` report (and print) the stale ones without writing.
pub fn run(check: bool) -> Result<Outcome> {
    let dir = gh_revoke_tests::examples::examples_dir();
    let mut outcome = Outcome::Fresh;
    for (name, content) in gh_revoke_tests::examples::all()? {
        let path = dir.join(name);
        if check {
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            if on_disk != content {
                eprintln!("examples/{name} is stale: run `cargo xtask examples`");
                outcome = Outcome::Stale;
            }
        } else {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&path, content)
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(outcome)
}
