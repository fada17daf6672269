//! Resuming an alerts run with `--journal --verify` (issue 20, item 1): a credential that
//! verification found still live, or never got to check (interrupted), was journaled as
//! accepted, and the rerun resolved its alert with no check. Now the journal records each
//! verdict (`dead FINGERPRINT`), and a resumed run with verification checks every credential
//! not yet proven dead before resolving its alert.

use std::time::Duration;

use gh_revoke::{
    AlertOutcome, AlertTarget, AlertsClient, AlertsRunReport, ApiBase, Fingerprint, Journal,
    RevokeClient, VerifyClient,
};
use gh_revoke_tests::alerts_server::{AlertsServer, StandInAlert};
use gh_revoke_tests::{ALERTS_TOKEN, alerts_clients, fast_policy, tokens};

/// The alerts client and the anonymous revoke client for `server`.
fn clients(server: &AlertsServer) -> (AlertsClient, RevokeClient) {
    alerts_clients(&server.url(), ALERTS_TOKEN)
}

/// A run resumed from the journal at `path`, with `--verify`.
async fn resumed(
    (alerts, revoke): &(AlertsClient, RevokeClient),
    target: &AlertTarget,
    verify: &VerifyClient,
    path: &std::path::Path,
) -> AlertsRunReport {
    let mut journal = Journal::open(path).unwrap();
    alerts
        .run(revoke, target, Default::default())
        .journal(&mut journal)
        .verify(verify)
        .run()
        .await
        .unwrap()
}

fn verify_client(server: &AlertsServer, timeout: Duration) -> VerifyClient {
    VerifyClient::builder(ApiBase::parse(&server.url()).unwrap())
        .retry_policy(fast_policy())
        .verify_timeout(timeout)
        .recheck(Duration::from_millis(50), Duration::from_millis(50))
        .build()
        .unwrap()
}

fn outcome(report: &AlertsRunReport, number: i64) -> AlertOutcome {
    report
        .alerts
        .items
        .iter()
        .find(|i| i.number == number)
        .unwrap_or_else(|| panic!("#{number} not in the report"))
        .outcome
}

/// `GET /rate_limit` requests authenticated by `token` so far.
fn checks_of(server: &AlertsServer, token: &str) -> usize {
    let bearer = format!("Bearer {token}");
    server
        .calls("GET", "/rate_limit")
        .iter()
        .filter(|s| {
            s.header("authorization")
                .is_some_and(|h| h.eq_ignore_ascii_case(&bearer) || h.ends_with(token))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_verify_run_checks_a_still_live_credential_before_resolving_its_alert() {
    let t = tokens(2);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &t[0]),
        StandInAlert::open("octo/app", 2, &t[1]),
    ]);
    server.linger(&t[0]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.journal");
    let both = clients(&server);
    let verify = verify_client(&server, Duration::from_millis(300));
    let target = AlertTarget::repo("octo/app").unwrap();
    // Run 1: #1's credential stays live (left open), #2's dies (resolved).
    let first = resumed(&both, &target, &verify, &path).await;
    assert_eq!(outcome(&first, 1), AlertOutcome::StillLive);
    assert_eq!(outcome(&first, 2), AlertOutcome::Resolved);
    let text = std::fs::read_to_string(&path).unwrap();
    let dead_1 = format!("dead {}", Fingerprint::of(t[1].as_bytes()));
    let dead_0 = format!("dead {}", Fingerprint::of(t[0].as_bytes()));
    assert!(text.lines().any(|l| l == dead_1), "{text}");
    assert!(!text.lines().any(|l| l == dead_0), "{text}");
    let checks_before = checks_of(&server, &t[0]);
    assert!(checks_before >= 2);

    // Run 2, resumed, the credential still live: checked again, its alert stays open.
    // Before, the journal said "accepted" and the alert was resolved with no check.
    let second = resumed(&both, &target, &verify, &path).await;
    assert_eq!(
        outcome(&second, 1),
        AlertOutcome::StillLive,
        "{:?}",
        second.alerts
    );
    assert!(checks_of(&server, &t[0]) > checks_before, "checked again");
    assert!(!server.resolved().contains("octo/app#1"));
    assert!(!second.is_complete());
    let verified = second.verified.as_ref().expect("verification ran");
    assert_eq!(verified.live, 1, "{verified:?}");
    assert_eq!(server.revoked().len(), 2, "nothing sent twice");

    // Run 3, resumed, the credential finally dead: proven, recorded, and only then resolved.
    server.kill(&t[0]);
    let third = resumed(&both, &target, &verify, &path).await;
    assert_eq!(
        outcome(&third, 1),
        AlertOutcome::Resolved,
        "{:?}",
        third.alerts
    );
    assert!(third.is_complete(), "{:?}", third.alerts);
    assert!(server.resolved().contains("octo/app#1"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.lines().any(|l| l == dead_0), "{text}");
    for secret in &t {
        assert!(
            !text.contains(secret.as_str()),
            "the journal holds fingerprints only"
        );
    }
    assert_eq!(server.violations(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_interrupted_while_verifying_is_resumed_with_every_unproven_credential_checked() {
    let t = tokens(2);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &t[0]),
        StandInAlert::open("octo/app", 2, &t[1]),
    ]);
    server.linger(&t[0]);
    server.linger(&t[1]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.journal");
    let both = clients(&server);
    let (alerts, revoke) = &both;
    let target = AlertTarget::repo("octo/app").unwrap();

    // Run 1: Ctrl-C while both are being checked again.
    {
        let verify = verify_client(&server, Duration::from_secs(60));
        let mut journal = Journal::open(&path).unwrap();
        let server_ref = &server;
        let interrupt = async move {
            while server_ref.calls("GET", "/rate_limit").len() < 4 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        let first = alerts
            .run(revoke, &target, Default::default())
            .journal(&mut journal)
            .verify(&verify)
            .interrupt_on(interrupt)
            .run()
            .await
            .unwrap();
        assert_eq!(outcome(&first, 1), AlertOutcome::Pending);
        assert!(server.patches().is_empty());
    }

    // Run 2, resumed with --verify: #2's credential has died since, #1's has not.
    server.kill(&t[1]);
    let verify = verify_client(&server, Duration::from_millis(300));
    let checks_1 = checks_of(&server, &t[1]);
    let second = resumed(&both, &target, &verify, &path).await;
    assert_eq!(
        outcome(&second, 1),
        AlertOutcome::StillLive,
        "{:?}",
        second.alerts
    );
    assert_eq!(
        outcome(&second, 2),
        AlertOutcome::Resolved,
        "{:?}",
        second.alerts
    );
    assert!(
        checks_of(&server, &t[1]) > checks_1,
        "#2's credential was checked first"
    );
    assert!(!server.resolved().contains("octo/app#1"));
    assert_eq!(server.revoked().len(), 2, "nothing sent twice");
}
