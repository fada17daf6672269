//! Issue 9 through the CLI: an 80-character `ghr_` is sent in both modes, every leak shape
//! (UTF-16, base64 to depth 2, `%5F`, `\u005f`) is found in scan mode with its location, and
//! near misses appear in `skipped` and are sent with `--allow-unverified`.

use std::time::Duration;

use crate::support::{gh_revoke, run};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gh_revoke::Kind;
use gh_revoke::fixtures::{classic, fine_grained};
use gh_revoke_tests::fake_github::FakeGitHub;
use serde_json::Value;

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}"))
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = b"\xFF\xFE".to_vec();
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// Sends `input` (scan mode or not) to a loopback fake; the credentials it received.
async fn sent(input: &[u8], args: &[&str]) -> (Vec<String>, Value) {
    let fake = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input");
    std::fs::write(&path, input).unwrap();
    let mut cmd = gh_revoke();
    cmd.args(["credentials", "--json", "--api-url", &fake.base_url()])
        .args(args)
        .arg(&path);
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    let credentials = fake
        .requests()
        .iter()
        .flat_map(|r| r.credentials())
        .collect();
    (credentials, json(&stdout))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_80_character_refresh_token_is_sent_in_both_modes() {
    let ghr = classic(Kind::Refresh, 80);
    assert_eq!(ghr.len(), 80);
    let (lines, _) = sent(format!("{ghr}\n").as_bytes(), &[]).await;
    assert_eq!(lines, vec![ghr.clone()]);
    let (scan, _) = sent(format!("refresh_token={ghr}&x=1\n").as_bytes(), &["--scan"]).await;
    assert_eq!(scan, vec![ghr]);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_leak_shape_is_found_in_scan_mode_with_its_location() {
    let t = classic(Kind::ClassicPat, 90);
    let docker = format!(
        "{{\"auths\":{{\"ghcr.io\":{{\"auth\":\"{}\"}}}}}}",
        STANDARD.encode(format!("octocat:{t}"))
    );
    let k8s = format!(
        "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {}\n",
        STANDARD.encode(&docker)
    );
    let har = format!(
        "{{\"name\":\"Authorization\",\"value\":\"Basic {}\"}}",
        STANDARD.encode(format!("x:{t}"))
    );
    let shapes: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "utf-16le",
            utf16le_with_bom(&format!("line\r\n{t}\r\n")),
            "utf-16le",
        ),
        ("docker config.json", docker.into_bytes(), "base64"),
        ("kubernetes secret", k8s.into_bytes(), "base64-in-base64"),
        ("HAR basic auth", har.into_bytes(), "base64"),
        (
            "percent",
            format!("/cb?t={}", t.replace('_', "%5F")).into_bytes(),
            "percent-encoded",
        ),
        (
            "json escape",
            format!("{{\"t\":\"{}\"}}", t.replace('_', "\\u005f")).into_bytes(),
            "json-escaped",
        ),
    ];
    for (name, input, encoding) in shapes {
        let (credentials, report) = sent(&input, &["--scan"]).await;
        assert_eq!(credentials, vec![t.clone()], "{name}");
        assert_eq!(report["read"], 1, "{name}: {report}");
        // The CLI shows locations only for what it skips; the library's finding names the
        // encoding the token was found through.
        let mut found = Vec::new();
        gh_revoke::Scanner::new().scan_bytes(&input, "in", |f| found.push(f.location));
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(
            found[0].encoding.map(|e| e.name()),
            Some(encoding),
            "{name}"
        );
        assert!(
            found[0].to_string().ends_with(&format!(" ({encoding})")),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_utf16_token_list_works_in_line_mode() {
    let a = classic(Kind::ClassicPat, 91);
    let b = fine_grained(92);
    let (credentials, report) =
        sent(&utf16le_with_bom(&format!("{a}\r\n# c\r\n{b}\r\n")), &[]).await;
    assert_eq!(credentials, vec![a, b]);
    assert_eq!(report["read"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn near_misses_are_skipped_with_a_reason_and_sent_when_unverified_is_allowed() {
    let ghr = classic(Kind::Refresh, 93);
    let truncated = &ghr[..60];
    let input = format!("refresh={truncated}\nok=ghs_total highs_count\n");
    let mut cmd = gh_revoke();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    std::fs::write(&path, &input).unwrap();
    cmd.args(["credentials", "--scan", "--dry-run", "--json"])
        .arg(&path);
    let (code, stdout, stderr) = run(cmd).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains(truncated));
    let report = json(&stdout);
    assert_eq!(report["read"], 1, "{report}");
    assert_eq!(report["invalid"], 1);
    let skipped = &report["skipped"][0];
    assert!(
        skipped["reason"]
            .as_str()
            .unwrap()
            .contains("expected 80 characters, found 60"),
        "{skipped}"
    );
    assert_eq!(skipped["location"]["line"], 1);
    assert_eq!(skipped["location"]["column"], 9);
    let (credentials, _) = sent(input.as_bytes(), &["--scan", "--allow-unverified"]).await;
    assert_eq!(credentials, vec![truncated.to_owned()]);
}
