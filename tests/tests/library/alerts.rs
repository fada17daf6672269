//! The alerts flow against a loopback stand-in of GitHub's secret-scanning API: several pages
//! and repositories, one token in many alerts, already-resolved alerts, delegated dismissal,
//! rate-limit answers, a kill and resume; every request checked against the fragment.

use std::time::Duration;

use gh_revoke::{
    AlertOutcome, AlertTarget, AlertsClient, AlertsError, AlertsEvent, AlertsOptions,
    AlertsRunReport, ApiBase, Journal, Kind, Stop, VerifyClient,
};
use gh_revoke_tests::alerts_server::{AlertsServer, Answer, Route, StandInAlert};
use gh_revoke_tests::{
    ALERTS_TOKEN, alerts_client, alerts_clients, examples, fast_policy, resolved_meanwhile, tokens,
};

const TOKEN: &str = ALERTS_TOKEN;

fn client(server: &AlertsServer) -> AlertsClient {
    alerts_client(&server.url(), TOKEN)
}

/// Three repositories of `octo`: `t[0]` leaked in all three, `t[1]` once, an installation
/// token, a malformed string, an alert under delegated dismissal.
fn org_alerts(t: &[String]) -> Vec<StandInAlert> {
    let ghs = examples::classic(Kind::Installation, "inst").unwrap();
    let mut delegated = StandInAlert::open("octo/c", 3, &t[2]);
    delegated.delegated = true;
    vec![
        StandInAlert::open("octo/a", 1, &t[0]),
        StandInAlert::open("octo/b", 1, &t[0]),
        StandInAlert::open("octo/c", 1, &t[0]),
        StandInAlert::open("octo/a", 2, &t[1]),
        StandInAlert::open("octo/b", 2, &ghs),
        StandInAlert::open("octo/c", 2, "ghp_tooShort"),
        delegated,
    ]
}

fn outcome(report: &AlertsRunReport, repo: &str, number: i64) -> AlertOutcome {
    report
        .alerts
        .items
        .iter()
        .find(|i| i.repository == repo && i.number == number)
        .unwrap_or_else(|| panic!("{repo}#{number} not in the report"))
        .outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organization_is_listed_page_by_page_revoked_once_and_resolved() {
    let t = tokens(3);
    let server = AlertsServer::start(org_alerts(&t));
    // A rate-limit answer on the listing and on a PATCH: waited out, then retried.
    server.inject(
        Route::List,
        Answer::new(429, r#"{"message":"API rate limit exceeded"}"#).header("retry-after", "1"),
    );
    server.inject(
        Route::Patch,
        Answer::new(
            403,
            r#"{"message":"You have exceeded a secondary rate limit"}"#,
        )
        .header("retry-after", "1"),
    );
    let (alerts, revoke) = alerts_clients(&server.url(), TOKEN);
    let target = AlertTarget::org("octo").unwrap();
    let mut events = Vec::new();
    let report = alerts
        .run(&revoke, &target, AlertsOptions::default())
        .on_event(|e: &AlertsEvent<'_>| events.push(format!("{e:?}")))
        .run()
        .await
        .unwrap();

    assert_eq!(server.violations(), Vec::<String>::new());
    // One token in three repositories is revoked once; nothing unsupported is sent.
    let mut revoked = server.revoked();
    revoked.sort();
    let mut expected = t.clone();
    expected.sort();
    assert_eq!(revoked, expected);
    // Pages: 7 alerts at 2 a page, by cursor, plus the rate-limited first try.
    let lists: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|s| s.method == "GET")
        .collect();
    assert_eq!(lists.len(), 5, "{lists:?}");
    assert!(
        lists[2]
            .query
            .iter()
            .any(|(k, v)| k == "after" && v == "c2")
    );
    for list in &lists {
        let q = |name: &str| {
            list.query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(q("state"), Some("open"));
        assert_eq!(q("per_page"), Some("100"));
        assert_eq!(q("hide_secret"), Some("false"));
        assert_eq!(q("secret_type"), Some(gh_revoke::ALERT_SECRET_TYPES));
    }
    // The token goes to the alerts calls only; the revocation is anonymous.
    for seen in server.requests() {
        if seen.path == "/credentials/revoke" {
            assert_eq!(seen.header("authorization"), None);
        } else {
            assert_eq!(
                seen.header("authorization"),
                Some(&*format!("Bearer {TOKEN}"))
            );
        }
    }
    // Outcomes.
    for (repo, n) in [("octo/a", 1), ("octo/b", 1), ("octo/c", 1), ("octo/a", 2)] {
        assert_eq!(
            outcome(&report, repo, n),
            AlertOutcome::Resolved,
            "{repo}#{n}"
        );
    }
    assert_eq!(outcome(&report, "octo/b", 2), AlertOutcome::Unsupported);
    assert_eq!(outcome(&report, "octo/c", 2), AlertOutcome::Unsupported);
    assert_eq!(outcome(&report, "octo/c", 3), AlertOutcome::NeedsReview);
    let counts = report.alerts.counts;
    assert_eq!(
        (
            counts.listed,
            counts.revocable,
            counts.unsupported,
            counts.resolved,
            counts.needs_review
        ),
        (7, 5, 2, 4, 1)
    );
    assert_eq!(
        (report.credentials.accepted, report.credentials.duplicates),
        (3, 2)
    );
    assert!(!report.is_complete(), "an alert needs review");
    // Each PATCH: resolved as revoked, with the default comment; one per alert.
    let patches: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|s| s.method == "PATCH")
        .collect();
    assert_eq!(
        patches.len(),
        6,
        "5 alerts, one retried after the rate limit"
    );
    for patch in &patches {
        let body = patch.json();
        assert_eq!(body["state"], "resolved");
        assert_eq!(body["resolution"], "revoked");
        let comment = body["resolution_comment"].as_str().unwrap();
        assert!(
            comment.starts_with("Revoked with gh-revoke: submitted to GitHub's credential revocation API, accepted at 20"),
            "{comment}"
        );
    }
    assert!(events.iter().any(|e| e.contains("Waiting")), "{events:?}");
    // No secret, in full, anywhere in the report or the events.
    let json = serde_json::to_string(&report).unwrap();
    let debug = format!("{report:?}{events:?}");
    for secret in &t {
        assert!(!json.contains(secret.as_str()) && !debug.contains(secret.as_str()));
    }
    assert!(!json.contains(TOKEN) && !debug.contains(TOKEN));
    let needs_review = report
        .alerts
        .items
        .iter()
        .find(|i| i.outcome == AlertOutcome::NeedsReview);
    assert!(
        needs_review
            .unwrap()
            .html_url
            .as_deref()
            .unwrap()
            .contains("octo/c/security")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repository_is_paged_by_number_and_a_400_on_a_resolved_alert_means_already_resolved() {
    let t = tokens(5);
    let alerts: Vec<_> = (0..5)
        .map(|i| StandInAlert::open("octo/app", i + 1, &t[i as usize]))
        .collect();
    let server = AlertsServer::start(alerts);
    let (client, revoke) = alerts_clients(&server.url(), TOKEN);
    let target = AlertTarget::repo("octo/app").unwrap();
    let report = client
        .run(
            &revoke,
            &target,
            AlertsOptions::default().comment(Some("rotated".into())),
        )
        // Someone resolves #1 after the listing, just before its PATCH: GitHub answers 400,
        // and the alert, fetched again, is resolved.
        .on_event(resolved_meanwhile(&server, "octo/app", 1))
        .run()
        .await
        .unwrap();
    assert_eq!(server.violations(), Vec::<String>::new());
    assert_eq!(
        server
            .calls("GET", "/repos/octo/app/secret-scanning/alerts/1")
            .len(),
        1,
        "the 400 is followed by one get-alert"
    );
    let pages: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|s| s.method == "GET" && s.path == "/repos/octo/app/secret-scanning/alerts")
        .map(|s| {
            s.query
                .iter()
                .find(|(k, _)| k == "page")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(pages, [None, Some("2".into()), Some("3".into())]);
    assert_eq!(
        outcome(&report, "octo/app", 1),
        AlertOutcome::AlreadyResolved
    );
    assert_eq!(report.alerts.counts.resolved, 4);
    assert!(report.is_complete());
    for patch in server.requests().iter().filter(|s| s.method == "PATCH") {
        assert_eq!(patch.json()["resolution_comment"], "rotated");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_and_no_resolve_send_what_they_say() {
    let t = tokens(3);
    let server = AlertsServer::start(org_alerts(&t));
    let (client, revoke) = alerts_clients(&server.url(), TOKEN);
    let target = AlertTarget::org("octo").unwrap();
    let report = client
        .run(&revoke, &target, AlertsOptions::default().dry_run(true))
        .run()
        .await
        .unwrap();
    assert!(server.requests().iter().all(|s| s.method == "GET"));
    assert!(report.credentials.dry_run);
    assert_eq!(report.credentials.pending, 3);
    assert_eq!(report.alerts.counts.pending, 5);

    let report = client
        .run(&revoke, &target, AlertsOptions::default().resolve(false))
        .run()
        .await
        .unwrap();
    assert_eq!(server.revoked().len(), 3);
    assert!(server.requests().iter().all(|s| s.method != "PATCH"));
    assert_eq!(report.alerts.counts.pending, 5);
    assert!(report.is_complete());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_run_resumes_without_resending_or_patching_twice() {
    let t = tokens(4);
    let alerts: Vec<_> = (0..8)
        .map(|i| StandInAlert::open(&format!("octo/r{}", i % 3), i + 1, &t[i as usize % 4]))
        .collect();
    let server = AlertsServer::start(alerts);
    // GitHub's listing may lag: resolved alerts still come back as listed.
    server.stale_listing();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.journal");
    let (client, revoke) = alerts_clients(&server.url(), TOKEN);
    let target = AlertTarget::enterprise("acme").unwrap();

    let first = {
        let mut journal = Journal::open(&path).unwrap();
        let watched = &server;
        let kill = async move {
            while watched.patches().len() < 3 {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        };
        client
            .run(&revoke, &target, AlertsOptions::default())
            .journal(&mut journal)
            .interrupt_on(kill)
            .run()
            .await
            .unwrap()
    };
    assert!(first.alerts.stopped.is_some(), "{:?}", first.alerts.counts);
    assert!(first.alerts.counts.pending > 0);

    let mut journal = Journal::open(&path).unwrap();
    let second = client
        .run(&revoke, &target, AlertsOptions::default())
        .journal(&mut journal)
        .run()
        .await
        .unwrap();
    assert_eq!(server.violations(), Vec::<String>::new());
    assert_eq!(server.revoked().len(), 4, "no batch sent twice");
    assert!(
        server.patches().values().all(|n| *n == 1),
        "{:?}",
        server.patches()
    );
    assert_eq!(server.resolved().len(), 8);
    // Every credential the second run planned was in the journal: nothing to send.
    assert_eq!(second.credentials.accepted + second.credentials.pending, 0);
    assert!(second.credentials.already_done > 0);
    assert!(second.is_complete(), "{:?}", second.alerts);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# gh-revoke journal v2\n"));
    assert!(text.lines().filter(|l| l.starts_with("alert ")).count() >= 3);
    for secret in &t {
        assert!(!text.contains(secret.as_str()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_refusals_say_which_scopes_work() {
    let server = AlertsServer::start(vec![StandInAlert::open("octo/a", 1, &tokens(1)[0])]);
    server.inject(
        Route::List,
        Answer::new(
            403,
            r#"{"message":"Resource not accessible by personal access token"}"#,
        )
        .header("x-accepted-oauth-scopes", "repo, security_events")
        .header("x-oauth-scopes", "gist"),
    );
    let client = client(&server);
    let err = client
        .list(&AlertTarget::repo("octo/a").unwrap())
        .await
        .unwrap_err();
    assert!(err.is_usage());
    let text = err.to_string();
    assert!(
        text.contains("security_events") && text.contains("gist"),
        "{text}"
    );
    assert!(text.contains("Secret scanning alerts"), "{text}");

    let err = client
        .list(&AlertTarget::repo("other/none").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, AlertsError::NotFound { .. }), "{err}");
    assert!(
        err.to_string().contains("Secret scanning is disabled"),
        "{err}"
    );
    assert!(AlertTarget::repo("no-slash").is_err());
    assert!(AlertTarget::repo("a/b\nc").is_err());
}

/// `--verify` at the library level: the run verifies before resolving, so an interruption while
/// a credential is being checked again leaves every alert open, and the run says it stopped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interruption_while_verifying_resolves_nothing() {
    let t = tokens(2);
    let server = AlertsServer::start(vec![
        StandInAlert::open("octo/app", 1, &t[0]),
        StandInAlert::open("octo/app", 2, &t[1]),
    ]);
    // The first stays live after its revocation: checked again and again.
    server.linger(&t[0]);
    let (alerts, revoke) = alerts_clients(&server.url(), TOKEN);
    let verify = VerifyClient::builder(ApiBase::parse(&server.url()).unwrap())
        .retry_policy(fast_policy())
        .verify_timeout(Duration::from_secs(60))
        .recheck(Duration::from_millis(50), Duration::from_millis(50))
        .build()
        .unwrap();
    let target = AlertTarget::repo("octo/app").unwrap();
    let server_ref = &server;
    let interrupt = async move {
        while server_ref.calls("GET", "/rate_limit").len() < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let report = alerts
        .run(&revoke, &target, AlertsOptions::default())
        .verify(&verify)
        .interrupt_on(interrupt)
        .run()
        .await
        .unwrap();
    assert!(
        matches!(report.alerts.stopped, Some(Stop::Interrupted { .. })),
        "{:?}",
        report.alerts.stopped
    );
    assert!(server.patches().is_empty(), "{:?}", server.patches());
    assert_eq!(outcome(&report, "octo/app", 1), AlertOutcome::Pending);
    assert_eq!(outcome(&report, "octo/app", 2), AlertOutcome::Pending);
    let verified = report.verified.expect("verification ran");
    assert_eq!(verified.live, 0, "interrupted before the timeout");
    assert!(!report.alerts.items.is_empty() && !report.credentials.dry_run);
    assert_eq!(server.violations(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_alert_is_fetched_with_its_secret_from_the_configured_base_only() {
    let t = tokens(2);
    let mut resolved = StandInAlert::open("octo/a", 2, &t[1]);
    resolved.resolved = true;
    let server = AlertsServer::start(vec![StandInAlert::open("octo/a", 7, &t[0]), resolved]);
    server.inject(
        Route::Get,
        Answer::new(502, r#"{"message":"Server Error"}"#),
    );
    let alerts = client(&server);

    // A transient answer is retried; the alert comes back with its secret, redacted in Debug.
    let open = alerts.get_alert("octo/a", 7).await.unwrap();
    assert_eq!((open.number, open.repository.as_str()), (7, "octo/a"));
    assert_eq!(open.state.as_deref(), Some("open"));
    assert_eq!(open.secret.as_ref().unwrap().expose(), t[0]);
    assert!(!format!("{open:?}").contains(&t[0]));
    let done = alerts.get_alert("octo/a", 2).await.unwrap();
    assert_eq!(done.state.as_deref(), Some("resolved"));

    // 404 names the alert; coordinates that cannot be an alert's are refused before sending.
    let missing = alerts.get_alert("octo/a", 99).await.unwrap_err();
    assert!(
        matches!(&missing, AlertsError::NotFound { target, .. } if target == "alert 99 of octo/a")
    );
    let sent = server.requests().len();
    for (repo, number) in [("octo", 1), ("octo/a/b", 1), ("octo/a", 0)] {
        assert!(matches!(
            alerts.get_alert(repo, number).await,
            Err(AlertsError::InvalidTarget(_))
        ));
    }
    assert_eq!(
        server.requests().len(),
        sent,
        "nothing sent for bad coordinates"
    );

    // Every request went to the stand-in's path for the alert, with the caller's token and
    // the secret asked for (hide_secret=false), and fits the fragment.
    let gets = server.requests();
    assert_eq!(gets.len(), 4, "one retry, then three fetches");
    for seen in &gets {
        assert!(
            seen.path
                .starts_with("/repos/octo/a/secret-scanning/alerts/")
        );
        assert_eq!(
            seen.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert_eq!(server.violations(), Vec::<String>::new());
}

/// The client keeps its token's rate-limit budget between calls and runs (a receiver's client
/// lives for months): after an answer that said the window is spent until an hour from now,
/// the next call, and a call of another client given the same [`gh_revoke::Pacer`], waits for
/// the reset instead of sending over the limit; with a shorter maximum wait it stops, and
/// nothing is sent.
#[tokio::test]
async fn a_spent_window_holds_back_the_next_call_of_the_client_and_of_its_pacer() {
    let t = tokens(1);
    let server = AlertsServer::start(vec![StandInAlert::open("octo/a", 7, &t[0])]);
    let reset = (std::time::SystemTime::now() + Duration::from_secs(3600))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    server.inject(
        Route::Get,
        Answer::new(404, r#"{"message":"Not Found"}"#)
            .header("x-ratelimit-limit", "5000")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset),
    );
    let builder = |pacer: Option<gh_revoke::Pacer>| {
        let builder = AlertsClient::builder(
            ApiBase::parse(&server.url()).unwrap(),
            secrecy::SecretString::from(TOKEN.to_owned()),
        )
        .retry_policy(gh_revoke_tests::fast_policy())
        .max_wait(Some(Duration::from_secs(60)));
        match pacer {
            Some(pacer) => builder.pacer(pacer),
            None => builder,
        }
    };
    let alerts = builder(None).build().unwrap();
    assert!(matches!(
        alerts.get_alert("octo/a", 7).await,
        Err(AlertsError::NotFound { .. })
    ));
    assert_eq!(server.requests().len(), 1);

    for client in [
        &alerts,
        &builder(Some(alerts.pacer().clone())).build().unwrap(),
    ] {
        let held = client.get_alert("octo/a", 7).await.unwrap_err();
        assert!(
            matches!(&held, AlertsError::Stopped(Stop::MaxWait { wait_secs, .. }) if *wait_secs > 3000),
            "{held:?}"
        );
        let listed = client
            .list(&AlertTarget::repo("octo/a").unwrap())
            .await
            .unwrap_err();
        assert!(
            matches!(listed, AlertsError::Stopped(Stop::MaxWait { .. })),
            "{listed:?}"
        );
    }
    assert_eq!(server.requests().len(), 1, "nothing sent over the limit");

    // A client of its own budget knows nothing of that window.
    let fresh = builder(None).build().unwrap();
    assert_eq!(fresh.get_alert("octo/a", 7).await.unwrap().number, 7);
}
