//! A readable unified diff for `--check` failures.

use std::path::Path;

use similar::TextDiff;

/// The unified diff from `current` (on disk) to `expected` (what the task produces).
pub(crate) fn unified(current: &str, expected: &str, path: &Path) -> String {
    let on_disk = format!("{} (on disk)", path.display());
    let regenerated = format!("{} (regenerated)", path.display());
    TextDiff::from_lines(current, expected)
        .unified_diff()
        .context_radius(3)
        .header(&on_disk, &regenerated)
        .to_string()
}
