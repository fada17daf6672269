//! `VerifyClient`'s schedule against a loopback stand-in: a credential that stays live gives
//! its slot back while it waits for its recheck, so credentials that stay live never hold up
//! the first checks of the others (issue 20, item 16). Checked by the order of requests the
//! stand-in saw, with a recheck interval far longer than a loopback request; the exact
//! instants are checked on tokio's paused clock in the library's unit tests.

use std::collections::HashSet;
use std::time::Duration;

use gh_revoke::{ApiBase, Classified, Liveness, ToVerify, VerifyClient, classify};
use gh_revoke_tests::liveness::LivenessServer;
use gh_revoke_tests::{fast_policy, tokens};

#[tokio::test(flavor = "multi_thread")]
async fn live_credentials_do_not_hold_up_the_first_checks_of_the_others() {
    // 4 credentials that stay live come first (as many as the checks in flight), then 12 that
    // are dead from the start.
    let tokens = tokens(16);
    let live: HashSet<String> = tokens[..4].iter().cloned().collect();
    let server =
        LivenessServer::start(live.clone(), Duration::ZERO, Duration::from_millis(5)).await;
    let client = VerifyClient::builder(ApiBase::parse(server.base_url()).unwrap())
        .retry_policy(fast_policy())
        .recheck(Duration::from_millis(1500), Duration::from_millis(1500))
        .verify_timeout(Duration::from_secs(4))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let items = tokens.iter().map(|t| {
        let Classified::Valid(credential) = classify(t.as_bytes()) else {
            panic!("valid")
        };
        ToVerify::new(credential, None)
    });
    let report = client.verify(items).await;
    assert_eq!(report.dead, 12, "{report:#?}");
    assert_eq!(report.live, 4, "{report:#?}");
    assert!(
        report
            .credentials
            .iter()
            .all(|c| c.status == Liveness::Live && c.checks >= 2),
        "each live one was checked again: {report:#?}"
    );

    // Every dead credential was asked about before any live one's second check. Before, the
    // four live ones held every slot until the timeout and the others waited behind them.
    let log = server.log();
    let first_recheck = log
        .iter()
        .enumerate()
        .filter(|(_, a)| live.contains(&a.token))
        .map(|(i, a)| (i, &a.token))
        .scan(HashSet::new(), |seen, (i, token)| {
            Some((i, !seen.insert(token.clone())))
        })
        .find(|(_, again)| *again)
        .map(|(i, _)| i)
        .expect("a live credential was checked again");
    let dead_seen_before: HashSet<&String> = log[..first_recheck]
        .iter()
        .filter(|a| !live.contains(&a.token))
        .map(|a| &a.token)
        .collect();
    assert_eq!(
        dead_seen_before.len(),
        12,
        "only {} of the 12 were checked before the first recheck of a live one",
        dead_seen_before.len()
    );
    assert!(server.max_in_flight() <= 4, "{}", server.max_in_flight());
}
