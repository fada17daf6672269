//! Rewrite the bundled synthetic inputs under `examples/` (tokens that were never issued).

fn main() -> anyhow::Result<()> {
    let dir = gh_revoke_tests::examples::examples_dir();
    std::fs::create_dir_all(&dir)?;
    for (name, content) in gh_revoke_tests::examples::all()? {
        let path = dir.join(name);
        std::fs::write(&path, content)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
