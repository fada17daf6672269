//! The `gh-revoke` command (placeholder until the CLI lands).
fn main() {}
