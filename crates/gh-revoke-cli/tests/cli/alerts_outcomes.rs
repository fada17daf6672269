//! `gh-revoke alerts`: exit codes and summary lines of outcomes it must not claim falsely
//! (issue 20, items 4 and 6), against the loopback stand-in.

use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use serde_json::Value;

use super::alerts::{T1, T2, TOKEN, run_as as run, text};

#[test]
fn a_token_that_may_not_resolve_alerts_exits_1_after_one_refusal_naming_the_permission() {
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, T1),
        StandInAlert::open("octo/app", 2, T2),
    ]);
    server.inject(
        Route::Patch,
        Answer::new(
            403,
            r#"{"message":"Resource not accessible by personal access token"}"#,
        ),
    );
    let out = run(&server, TOKEN, &["--repo", "octo/app", "--json"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Secret scanning alerts: write"), "{stderr}");
    assert_eq!(
        server.patches().values().sum::<usize>(),
        1,
        "one PATCH, then stop"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["alerts"]["counts"]["needs_review"], 0);
    assert_eq!(report["alerts"]["counts"]["failed"], 1);
    assert_eq!(report["alerts"]["counts"]["pending"], 1);
}

#[test]
fn the_callers_own_token_leaked_is_revoked_last_and_the_summary_says_so() {
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, T1),
        StandInAlert::open("octo/app", 2, T2),
    ]);
    // GH_TOKEN is T1, one of the leaked secrets.
    let out = run(&server, T1, &["--repo", "octo/app", "--json"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("your own token (GH_TOKEN or GITHUB_TOKEN) is one of the leaked secrets"),
        "{stderr}"
    );
    assert_eq!(server.revoked(), [T2, T1], "the own token last");
    assert_eq!(server.resolved().len(), 2);
    let stdout = text(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["alerts"]["caller_token_leaked"], true);
    for secret in [T1, T2] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret));
    }

    // A dry run says what a real run would do, and sends nothing but the listing.
    let server = AlertsServer::start(vec![StandInAlert::open("octo/app", 1, T1)]);
    let out = run(&server, T1, &["--repo", "octo/app", "--dry-run"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr
            .contains("is one of the leaked secrets: a real run resolves every other alert first"),
        "{stderr}"
    );
    assert!(server.requests().iter().all(|s| s.method == "GET"));
}
