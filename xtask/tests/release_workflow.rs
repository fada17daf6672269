//! `.github/workflows/release.yml` names each executable the way `gh extension install` looks it
//! up: a suffix `<GOOS>-<GOARCH>` in Go's names, plus `.exe` on Windows (cli/cli
//! `pkg/cmd/extension/manager.go`, `installBin`; see the workflow's header). A wrong name is not
//! a build failure; it is a release that `gh extension install` refuses ("unsupported for ...").
//! The workflow cannot run here; this reads its build matrix (`.ci/run` also validates the file
//! against the GitHub workflow schema).

use std::collections::BTreeMap;

/// The build matrix: one map of `key: value` per `- target:` entry.
fn matrix() -> Vec<BTreeMap<String, String>> {
    let path = xtask::workspace_root().join(".github/workflows/release.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rows: Vec<BTreeMap<String, String>> = Vec::new();
    let mut in_include = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed == "include:" {
            in_include = true;
            continue;
        }
        if !in_include || trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        // The matrix ends at the first line indented less than its entries.
        if !line.starts_with("          ") {
            break;
        }
        let (entry, start) = match trimmed.strip_prefix("- ") {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let (key, value) = start.split_once(':').expect("key: value");
        if entry {
            rows.push(BTreeMap::new());
        }
        rows.last_mut()
            .expect("an entry")
            .insert(key.trim().to_string(), value.trim().to_string());
    }
    rows
}

/// Go's name for a Rust target's OS and architecture, as gh compares them.
fn go_platform(target: &str) -> (String, &'static str) {
    let arch = match target.split('-').next().unwrap() {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => panic!("no Go name for architecture {other}"),
    };
    let (os, exe) = if target.contains("-linux-") {
        ("linux", "")
    } else if target.contains("-apple-darwin") {
        ("darwin", "")
    } else if target.contains("-windows-") {
        ("windows", ".exe")
    } else {
        panic!("no Go name for the OS of {target}")
    };
    (format!("{os}-{arch}"), exe)
}

#[test]
fn every_executable_is_named_as_gh_extension_install_looks_it_up() {
    let rows = matrix();
    let mut platforms = Vec::new();
    for row in &rows {
        let target = &row["target"];
        let (platform, exe) = go_platform(target);
        assert_eq!(
            row["asset"],
            format!("gh-revoke-{platform}{exe}"),
            "asset name for {target}"
        );
        assert_eq!(
            row.get("exe").map(String::as_str).unwrap_or(""),
            exe,
            "exe suffix for {target}"
        );
        if target.contains("-linux-") {
            assert!(
                target.ends_with("-musl"),
                "{target}: Linux builds are static musl"
            );
            assert_eq!(
                row.get("musl").map(String::as_str),
                Some("true"),
                "{target}"
            );
        }
        platforms.push(platform);
    }
    platforms.sort();
    assert_eq!(
        platforms,
        [
            "darwin-amd64",
            "darwin-arm64",
            "linux-amd64",
            "linux-arm64",
            "windows-amd64"
        ]
    );
}

#[test]
fn the_release_ships_checksums_and_the_man_pages() {
    let text =
        std::fs::read_to_string(xtask::workspace_root().join(".github/workflows/release.yml"))
            .unwrap();
    assert!(text.contains("sha256sum -- * > SHA256SUMS"));
    assert!(text.contains(&format!("cp -R {} ", xtask::man::MAN_DIR)));
    assert!(text.contains("gh release create"));
}

#[test]
fn go_platform_names() {
    assert_eq!(
        go_platform("aarch64-apple-darwin"),
        ("darwin-arm64".to_string(), "")
    );
    assert_eq!(
        go_platform("x86_64-pc-windows-msvc"),
        ("windows-amd64".to_string(), ".exe")
    );
}
