//! Outcomes the alerts flow must not claim falsely (issue 20, items 2–7), against the loopback
//! stand-in: a 400 decided by the alert's state, only GitHub's documented success counted, a
//! token that may not resolve alerts, an alert listed twice, the caller's own token leaked, a
//! valid token in an alert without usable coordinates.

use gh_revoke::{
    AlertOutcome, AlertTarget, AlertsEvent, AlertsOptions, AlertsRunReport, BatchStatus, Kind, Stop,
};
use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use gh_revoke_tests::{
    ALERTS_TOKEN, alerts_clients, examples, installation_client, resolved_meanwhile, tokens,
};

const TOKEN: &str = ALERTS_TOKEN;

fn item<'r>(report: &'r AlertsRunReport, repo: &str, number: i64) -> &'r gh_revoke::AlertItem {
    report
        .alerts
        .items
        .iter()
        .find(|i| i.repository == repo && i.number == number)
        .unwrap_or_else(|| panic!("{repo}#{number} not in the report"))
}

fn outcome(report: &AlertsRunReport, repo: &str, number: i64) -> AlertOutcome {
    item(report, repo, number).outcome
}

async fn run_repo(server: &AlertsServer, token: &str) -> AlertsRunReport {
    let (alerts, revoke) = alerts_clients(&server.url(), token);
    let target = AlertTarget::repo("octo/app").unwrap();
    alerts
        .run(&revoke, &target, AlertsOptions::default())
        .run()
        .await
        .unwrap()
}

/// Item 2: a 400's words decide nothing; the alert's state, fetched again, does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_400_on_patch_is_decided_by_the_alerts_state_not_by_its_words() {
    let t = tokens(3);
    let alerts: Vec<_> = (0..3)
        .map(|i| StandInAlert::open("octo/app", i + 1, &t[i as usize]))
        .collect();
    let server = AlertsServer::start(alerts);
    // #1 and #2: 400s that are not "not changed" (a body GitHub could not parse, an empty
    // one); the alerts stay open.
    // GitHub's words echo a secret: scrubbed wherever they are repeated.
    server.inject(
        Route::Patch,
        Answer::new(
            400,
            &format!(r#"{{"message":"Problems parsing JSON near {}"}}"#, t[2]),
        ),
    );
    server.inject(Route::Patch, Answer::new(400, ""));
    let (alerts, revoke) = alerts_clients(&server.url(), TOKEN);
    let target = AlertTarget::repo("octo/app").unwrap();
    let report = alerts
        .run(&revoke, &target, AlertsOptions::default())
        // #3 is resolved by someone else just before its PATCH: GitHub's documented 400
        // ("The resolution comment is invalid or the resolution was not changed.").
        .on_event(resolved_meanwhile(&server, "octo/app", 3))
        .run()
        .await
        .unwrap();

    assert_eq!(server.violations(), Vec::<String>::new());
    for number in [1, 2] {
        let it = item(&report, "octo/app", number);
        assert_eq!(it.outcome, AlertOutcome::Failed, "#{number}: {it:?}");
        assert!(
            it.message.as_deref().unwrap().contains("still open"),
            "{it:?}"
        );
    }
    assert!(
        item(&report, "octo/app", 1)
            .message
            .as_deref()
            .unwrap()
            .contains("Problems parsing JSON")
    );
    assert_eq!(
        outcome(&report, "octo/app", 3),
        AlertOutcome::AlreadyResolved
    );
    // One get-alert after each 400, none otherwise.
    for number in 1..=3 {
        let path = format!("/repos/octo/app/secret-scanning/alerts/{number}");
        assert_eq!(server.calls("GET", &path).len(), 1, "{path}");
    }
    assert_eq!(server.resolved().len(), 1, "only #3 is resolved");
    assert!(!report.is_complete());
    let text = format!("{}{report:?}", serde_json::to_string(&report).unwrap());
    for secret in &t {
        assert!(!text.contains(secret.as_str()));
    }
}

/// Item 3: `POST /credentials/revoke` is accepted by a 202 only, `DELETE /installation/token`
/// revokes by a 204 only; a `200 text/html` (a proxy, a wrong API URL) is a failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_202_is_accepted_and_only_a_204_revokes_an_installation_token() {
    let t = tokens(1);
    let ghs = examples::classic(Kind::Installation, "proxy").unwrap();
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/a", 1, &t[0]),
        StandInAlert::open("octo/a", 2, &ghs),
    ]);
    let html = || {
        Answer::new(200, "<html><body>Sign in to the proxy</body></html>")
            .header("content-type", "text/html; charset=utf-8")
    };
    server.inject(Route::Revoke, html());
    server.inject(Route::Installation, html());
    let (alerts, revoke) = alerts_clients(&server.url(), TOKEN);
    let installation = installation_client(&server.url());
    let target = AlertTarget::repo("octo/a").unwrap();
    let report = alerts
        .run(&revoke, &target, AlertsOptions::default())
        .revoke_installation_tokens(&installation)
        .run()
        .await
        .unwrap();

    assert_eq!(report.credentials.accepted, 0);
    assert_eq!(report.credentials.batches[0].status, BatchStatus::Failed);
    let error = report.credentials.batches[0]
        .error
        .clone()
        .unwrap_or_default();
    assert!(
        error.contains("unexpected answer: 200 text/html"),
        "{error}"
    );
    let tokens = report.installation_tokens.as_ref().unwrap();
    assert_eq!((tokens.revoked, tokens.failed), (0, 1));
    assert_eq!(outcome(&report, "octo/a", 1), AlertOutcome::NotRevoked);
    assert_eq!(outcome(&report, "octo/a", 2), AlertOutcome::Failed);
    let message = item(&report, "octo/a", 2).message.clone().unwrap();
    assert!(
        message.contains("unexpected answer: 200 text/html"),
        "{message}"
    );
    assert!(server.patches().is_empty(), "{:?}", server.patches());
    assert!(!report.is_complete());
}

/// Item 4: a 403 that is not delegated dismissal is a permission the token lacks: one alert
/// fails, naming it, and resolving stops; delegated dismissal stays `needs_review`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_may_not_resolve_alerts_stops_resolving_at_the_first_refusal() {
    for refusal in [
        "Resource not accessible by personal access token",
        "Resource not accessible by integration",
    ] {
        let t = tokens(4);
        let mut alerts: Vec<_> = (0..3)
            .map(|i| StandInAlert::open("octo/app", i + 1, &t[i as usize]))
            .collect();
        let mut delegated = StandInAlert::open("octo/app", 4, &t[3]);
        delegated.delegated = true;
        alerts.insert(0, delegated);
        let server = AlertsServer::start(alerts);
        let report = {
            // #4 (first listed) gets GitHub's delegated-dismissal 403; #1 the refusal.
            let body = format!(r#"{{"message":"{refusal}"}}"#);
            let (alerts, revoke) = alerts_clients(&server.url(), TOKEN);
            let target = AlertTarget::repo("octo/app").unwrap();
            let server_ref = &server;
            alerts
                .run(&revoke, &target, AlertsOptions::default())
                .on_event(move |event: &AlertsEvent<'_>| {
                    if let AlertsEvent::Resolving { number: 1, .. } = event {
                        server_ref.inject(Route::Patch, Answer::new(403, &body));
                    }
                })
                .run()
                .await
                .unwrap()
        };
        assert_eq!(outcome(&report, "octo/app", 4), AlertOutcome::NeedsReview);
        let refused = item(&report, "octo/app", 1);
        assert_eq!(refused.outcome, AlertOutcome::Failed, "{refused:?}");
        let message = refused.message.as_deref().unwrap();
        assert!(
            message.contains("Secret scanning alerts: write") && message.contains(refusal),
            "{message}"
        );
        // Nothing after the refusal was sent: two PATCHes in all (#4, #1).
        assert_eq!(server.patches().values().sum::<usize>(), 2, "{refusal}");
        assert_eq!(outcome(&report, "octo/app", 2), AlertOutcome::Pending);
        assert_eq!(outcome(&report, "octo/app", 3), AlertOutcome::Pending);
        assert!(
            matches!(&report.alerts.stopped, Some(Stop::Fatal { message }) if message.contains("Secret scanning alerts: write")),
            "{:?}",
            report.alerts.stopped
        );
        assert!(!report.is_complete());
    }
}

/// Item 5: an alert a shifting page brings twice is handled once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_listed_twice_is_patched_once() {
    let t = tokens(2);
    // Page 1: #1, #2; page 2: #1 again (a new alert pushed it down while paging).
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &t[0]),
        StandInAlert::open("octo/app", 2, &t[1]),
        StandInAlert::open("octo/app", 1, &t[0]),
    ]);
    let report = run_repo(&server, TOKEN).await;
    assert_eq!(server.patches().get("octo/app#1"), Some(&1));
    assert_eq!(report.alerts.items.len(), 2, "{:?}", report.alerts.items);
    assert_eq!(report.alerts.counts.listed, 2);
    assert_eq!(outcome(&report, "octo/app", 1), AlertOutcome::Resolved);
    assert_eq!(outcome(&report, "octo/app", 2), AlertOutcome::Resolved);
    assert!(report.is_complete(), "{:?}", report.alerts);
}

/// Item 6: the caller's own token is leaked: every other alert is resolved first, then its
/// alerts, and it is revoked last.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_callers_own_token_is_resolved_last_and_revoked_last() {
    let t = tokens(3);
    let own = t[0].clone();
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &t[1]),
        StandInAlert::open("octo/app", 2, &own),
        StandInAlert::open("octo/app", 3, &t[2]),
        StandInAlert::open("octo/app", 4, &own),
    ]);
    let report = run_repo(&server, &own).await;

    assert_eq!(server.violations(), Vec::<String>::new());
    for number in 1..=4 {
        assert_eq!(
            outcome(&report, "octo/app", number),
            AlertOutcome::Resolved,
            "#{number}: {:?}",
            item(&report, "octo/app", number)
        );
    }
    // The others' batch first, then every PATCH, the own alerts last, then the own token.
    let order: Vec<String> = server
        .requests()
        .iter()
        .filter(|s| s.method != "GET")
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    let patch = |n: i64| format!("PATCH /repos/octo/app/secret-scanning/alerts/{n}");
    let post = "POST /credentials/revoke".to_owned();
    assert_eq!(
        order,
        [
            post.clone(),
            patch(1),
            patch(3),
            patch(2),
            patch(4),
            post.clone()
        ],
        "{order:?}"
    );
    let revoked = server.revoked();
    assert_eq!(revoked.last(), Some(&own), "the own token last");
    assert_eq!(revoked.len(), 3);
    assert!(report.alerts.caller_token_leaked);
    assert_eq!(report.credentials.accepted, 3);
    assert_eq!(report.credentials.batches.len(), 2);
    assert!(report.credentials.is_balanced());
    assert!(report.is_complete(), "{:?}", report.alerts);
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"caller_token_leaked\":true"));
    let text = format!("{json}{report:?}");
    for secret in &t {
        assert!(!text.contains(secret.as_str()));
    }

    // Without it among the secrets, the report does not say so.
    let server = AlertsServer::start(vec![StandInAlert::open("octo/app", 1, &t[1])]);
    let report = run_repo(&server, &own).await;
    assert!(!report.alerts.caller_token_leaked);
    assert!(
        !serde_json::to_string(&report)
            .unwrap()
            .contains("caller_token_leaked")
    );
}

/// Item 6 for an installation token (`ghs_`) as the caller's token, with installation-token
/// revocation: it revokes itself after every alert is resolved; a dry run plans it and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_own_installation_token_revokes_itself_after_every_alert_is_resolved() {
    let t = tokens(1);
    let own = examples::classic(Kind::Installation, "own-app").unwrap();
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &own),
        StandInAlert::open("octo/app", 2, &t[0]),
    ]);
    let (alerts, revoke) = alerts_clients(&server.url(), &own);
    let installation = installation_client(&server.url());
    let target = AlertTarget::repo("octo/app").unwrap();

    let dry = alerts
        .run(&revoke, &target, AlertsOptions::default().dry_run(true))
        .revoke_installation_tokens(&installation)
        .run()
        .await
        .unwrap();
    assert!(dry.alerts.caller_token_leaked);
    assert_eq!(dry.installation_tokens.as_ref().unwrap().pending, 1);
    assert!(server.requests().iter().all(|s| s.method == "GET"));

    let report = alerts
        .run(&revoke, &target, AlertsOptions::default())
        .revoke_installation_tokens(&installation)
        .run()
        .await
        .unwrap();
    let order: Vec<String> = server
        .requests()
        .iter()
        .filter(|s| s.method != "GET")
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        order,
        [
            "POST /credentials/revoke",
            "PATCH /repos/octo/app/secret-scanning/alerts/2",
            "PATCH /repos/octo/app/secret-scanning/alerts/1",
            "DELETE /installation/token",
        ],
        "{order:?}"
    );
    let delete = server.calls("DELETE", "/installation/token");
    assert_eq!(
        delete[0].header("authorization"),
        Some(format!("Bearer {own}").as_str())
    );
    assert_eq!(outcome(&report, "octo/app", 1), AlertOutcome::Resolved);
    assert_eq!(outcome(&report, "octo/app", 2), AlertOutcome::Resolved);
    assert!(report.alerts.caller_token_leaked);
    assert_eq!(report.installation_tokens.as_ref().unwrap().revoked, 1);
    assert!(report.is_complete(), "{:?}", report.alerts);
    assert!(!format!("{report:?}").contains(&own));
}

/// Item 6, the other way: the own token's revocation is refused after its alert was resolved;
/// the alert is reopened (the token still works) and reported not revoked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_own_token_github_does_not_accept_has_its_alert_reopened() {
    let t = tokens(2);
    let own = t[0].clone();
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &t[1]),
        StandInAlert::open("octo/app", 2, &own),
    ]);
    let (alerts, revoke) = alerts_clients(&server.url(), &own);
    let target = AlertTarget::repo("octo/app").unwrap();
    let server_ref = &server;
    let report = alerts
        .run(&revoke, &target, AlertsOptions::default())
        .on_event(move |event: &AlertsEvent<'_>| {
            if let AlertsEvent::Resolving { number: 2, .. } = event {
                server_ref.inject(
                    Route::Revoke,
                    Answer::new(422, r#"{"message":"Validation Failed"}"#),
                );
            }
        })
        .run()
        .await
        .unwrap();
    assert_eq!(outcome(&report, "octo/app", 1), AlertOutcome::Resolved);
    let it = item(&report, "octo/app", 2);
    assert_eq!(it.outcome, AlertOutcome::NotRevoked, "{it:?}");
    assert!(
        it.message.as_deref().unwrap().contains("reopened"),
        "{it:?}"
    );
    // Resolved, then reopened: the stand-in holds it open.
    assert_eq!(server.patches().get("octo/app#2"), Some(&2));
    let patches: Vec<_> = server
        .calls("PATCH", "/repos/octo/app/secret-scanning/alerts/2")
        .iter()
        .map(|s| s.json()["state"].clone())
        .collect();
    assert_eq!(patches, ["resolved", "open"]);
    assert!(!report.is_complete());
}

/// Item 7: a valid token is revoked though its alert names no usable repository or number;
/// the alert is reported as not resolvable, and no `PATCH` is built from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_token_in_an_alert_without_usable_coordinates_is_revoked() {
    let t = tokens(3);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/bad name", 1, &t[0]),
        StandInAlert::open("octo/a", 0, &t[1]),
        StandInAlert::open("octo/a", 5, &t[2]),
    ]);
    let (alerts, revoke) = alerts_clients(&server.url(), TOKEN);
    let target = AlertTarget::enterprise("acme").unwrap();
    let report = alerts
        .run(&revoke, &target, AlertsOptions::default())
        .run()
        .await
        .unwrap();
    let mut revoked = server.revoked();
    revoked.sort();
    let mut expected = t.clone();
    expected.sort();
    assert_eq!(revoked, expected, "every valid token is revoked");
    assert_eq!(
        outcome(&report, "octo/bad name", 1),
        AlertOutcome::Unresolvable
    );
    assert_eq!(outcome(&report, "octo/a", 0), AlertOutcome::Unresolvable);
    assert_eq!(outcome(&report, "octo/a", 5), AlertOutcome::Resolved);
    assert_eq!(report.alerts.counts.unresolvable, 2);
    assert_eq!(report.alerts.counts.revocable, 3);
    assert_eq!(
        server.patches().keys().collect::<Vec<_>>(),
        ["octo/a#5"],
        "a PATCH only where the coordinates are an alert's"
    );
    assert!(!report.is_complete());
}
