//! The binary starts.

#[test]
fn version_prints_the_package_version() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gh-revoke"))
        .arg("--version")
        .output()
        .expect("gh-revoke runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.trim(),
        format!("gh-revoke {}", env!("CARGO_PKG_VERSION"))
    );
}
