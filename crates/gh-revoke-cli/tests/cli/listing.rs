//! `gh-revoke alerts` listing progress and a listing that would never end (issue 20, item
//! 15), against loopback stand-ins.

use std::time::Duration;

use crate::support::{gh_revoke, run};
use gh_revoke_tests::endless::{EndlessListing, open_alert};
use serde_json::json;

const TOKEN: &str = "ghp_CallerTokenNotALeakCallerToken0000000";

fn alerts_cmd(base: &str) -> assert_cmd::Command {
    let mut cmd = gh_revoke();
    cmd.args([
        "alerts",
        "--repo",
        "octo/app",
        "--dry-run",
        "--api-url",
        base,
    ])
    .env("GH_TOKEN", TOKEN)
    .timeout(Duration::from_secs(60));
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn endless_empty_pages_end_the_listing_with_a_clear_message() {
    let server = EndlessListing::start(json!([])).await;
    let (code, _stdout, stderr) = run(alerts_cmd(server.base_url())).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("page 1 brought no alert not listed already")
            && stderr.contains("stopped following the listing"),
        "{stderr}"
    );
    assert_eq!(server.pages(), 1);
    assert!(!stderr.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_listing_shows_its_progress_every_ten_pages() {
    // 12 pages, one new alert each (a string that is no token: nothing to revoke).
    let server = EndlessListing::start_paged(|page| {
        let alert = open_alert("octo/app", page as i64, "not-a-token");
        (json!([alert]), page < 12)
    })
    .await;
    let (code, _stdout, stderr) = run(alerts_cmd(server.base_url())).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("listing alerts: page 10, 10 listed so far"),
        "{stderr}"
    );
    assert!(!stderr.contains("stopped following"), "{stderr}");
    assert_eq!(server.pages(), 12);

    // -q: nothing.
    let mut quiet = alerts_cmd(server.base_url());
    quiet.arg("-q");
    let (_, _, stderr) = run(quiet).await;
    assert!(!stderr.contains("listing alerts"), "{stderr}");
}
