//! Issue 10, the library side: what a real incident throws at the client (loopback only).

use std::future::IntoFuture;
use std::time::{Duration, SystemTime};

use gh_revoke::{
    ApiBase, BatchStatus, EnterpriseClient, EnterpriseError, Event, Journal, RevokeClient, Stop,
    WaitReason,
};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::{plan_of, revoke_builder, tokens};
use httpmock::prelude::*;
use secrecy::SecretString;

fn epoch(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs()
}

/// A 202 saying the window is spent, with the server's clock `skew` seconds off ours and the
/// reset 3 s after the server's "now".
fn spent_window(skew: i64) -> Scripted {
    let now = epoch(SystemTime::now()) as i64;
    let server_now = (now + skew) as u64;
    let date = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(server_now));
    Scripted::with_headers(
        202,
        &[
            ("date", &date),
            ("x-ratelimit-limit", "60"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &(server_now + 3).to_string()),
        ],
        "",
    )
}

/// Waits the client announced, and the report.
async fn run_against(
    script: Vec<Scripted>,
    n: usize,
) -> (gh_revoke::RevokeReport, Vec<(WaitReason, Duration)>) {
    let fake = FakeGitHub::start(1000, Duration::from_secs(60), script).await;
    let client = revoke_builder(&fake.base_url())
        .max_wait(Some(Duration::from_secs(30)))
        .build()
        .unwrap();
    let plan = plan_of(&tokens(n), 1);
    let mut waits = Vec::new();
    let report = client
        .revoke(&plan)
        .on_event(|event| {
            if let Event::Waiting { wait, reason, .. } = event {
                waits.push((*reason, *wait));
            }
        })
        .await;
    (report, waits)
}

#[tokio::test]
async fn waits_are_reset_minus_the_servers_date_whatever_the_local_clock() {
    // Local clock 10 minutes fast (server behind) and 10 minutes slow (server ahead).
    for skew in [-600, 600] {
        let (report, waits) = run_against(vec![spent_window(skew)], 2).await;
        assert_eq!(report.accepted, 2, "skew {skew}: {report:?}");
        assert_eq!(waits.len(), 1, "skew {skew}: {waits:?}");
        let (reason, wait) = waits[0];
        assert_eq!(reason, WaitReason::WindowSpent);
        assert!(
            wait > Duration::from_secs(1) && wait < Duration::from_secs(5),
            "skew {skew}: waited {wait:?} for a 3 s window"
        );
    }
}

#[tokio::test]
async fn a_reset_in_the_servers_past_is_unknown_not_go_now() {
    let now = epoch(SystemTime::now());
    let date = httpdate::fmt_http_date(SystemTime::now());
    let script = vec![Scripted::with_headers(
        202,
        &[
            ("date", &date),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &(now - 5).to_string()),
        ],
        "",
    )];
    let (report, waits) = run_against(script, 2).await;
    // GitHub's fallback rule: the policy's minimum rate-limit wait (50 ms in tests), not zero.
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(waits[0].1 >= Duration::from_millis(40), "{waits:?}");
    assert_eq!(report.accepted, 2);
}

#[tokio::test]
async fn an_html_422_with_retry_after_is_a_rate_limit_not_a_decode_failure() {
    let script = vec![Scripted::with_headers(
        422,
        &[("retry-after", "1")],
        "<html><body>Whoa there! You have triggered an abuse detection mechanism.</body></html>",
    )];
    let (report, waits) = run_against(script, 1).await;
    assert_eq!(report.accepted, 1, "{report:?}");
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert_eq!(waits[0].0, WaitReason::RateLimited);
    assert!(waits[0].1 >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_json_422_with_odd_types_keeps_its_message_and_is_not_retried() {
    let body = r#"{"message":"Validation Failed","errors":[{"code":"invalid"}],"status":422}"#;
    let script = vec![Scripted::status(422, body)];
    let (report, waits) = run_against(script, 1).await;
    assert!(waits.is_empty());
    assert_eq!(report.failed, 1);
    assert_eq!(report.batches[0].attempts, 1);
    let error = report.batches[0].error.as_deref().unwrap();
    assert!(
        error.contains("Validation Failed") && error.contains("invalid"),
        "{error}"
    );
    // A failed batch lists its credentials, redacted, with fingerprints.
    let listed = &report.batches[0].credentials;
    assert_eq!(listed.len(), 1);
    let token = &tokens(1)[0];
    assert!(!listed[0].credential.contains(&token[4..]), "{listed:?}");
    assert_eq!(listed[0].fingerprint.len(), 64);
}

#[tokio::test]
async fn absurd_wait_headers_stop_cleanly_without_a_max_wait() {
    for value in ["18446744073709551615", "99999999999"] {
        let fake = FakeGitHub::start(
            1000,
            Duration::from_secs(60),
            vec![Scripted::with_headers(429, &[("retry-after", value)], "")],
        )
        .await;
        let client = revoke_builder(&fake.base_url()).build().unwrap();
        let plan = plan_of(&tokens(1), 1);
        let report = client.revoke(&plan).await;
        assert!(
            matches!(report.stopped, Some(Stop::MaxWait { max_wait_secs, .. }) if max_wait_secs == 7 * 24 * 3600),
            "{value}: {report:?}"
        );
        assert_eq!(report.pending, 1);
    }
}

#[tokio::test]
async fn an_interruption_abandons_the_request_in_flight_and_never_journals_it() {
    let fake = FakeGitHub::start(
        1000,
        Duration::from_secs(60),
        vec![Scripted::Stall(Duration::from_secs(20))],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path().join("j")).unwrap();
    let client = revoke_builder(&fake.base_url())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let plan = plan_of(&tokens(2), 1);
    let started = std::time::Instant::now();
    let report = client
        .revoke(&plan)
        .journal(&mut journal)
        .interrupt_on(tokio::time::sleep(Duration::from_millis(300)))
        .await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        report.stopped,
        Some(Stop::Interrupted {
            abandoned_batch: Some(0)
        })
    );
    assert_eq!((report.accepted, report.pending), (0, 2));
    assert!(journal.done().is_empty());
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn a_journal_made_against_another_api_stops_the_run_before_sending() {
    let fake = FakeGitHub::start(1000, Duration::from_secs(60), vec![]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path().join("j")).unwrap();
    journal.bind(&ApiBase::github_com()).unwrap();
    let client = revoke_builder(&fake.base_url()).build().unwrap();
    let plan = plan_of(&tokens(1), 1);
    let report = client.revoke(&plan).journal(&mut journal).await;
    assert!(
        matches!(&report.stopped, Some(Stop::Halted { message }) if message.contains("api.github.com")),
        "{report:?}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn the_report_names_the_api_and_when() {
    let fake = FakeGitHub::start(1000, Duration::from_secs(60), vec![]).await;
    let client = revoke_builder(&fake.base_url()).build().unwrap();
    let plan = plan_of(&tokens(1), 1);
    let report = client.revoke(&plan).await;
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["schema_version"], gh_revoke::REPORT_SCHEMA_VERSION);
    assert_eq!(json["api_url"], fake.base_url());
    for field in ["started_at", "finished_at"] {
        let text = json[field].as_str().unwrap();
        assert!(text.ends_with('Z') && text.len() == 20, "{field}: {text}");
    }
}

#[test]
fn the_revoke_future_is_send() {
    fn assert_send<T: Send>(_: T) {}
    let client = RevokeClient::new(ApiBase::github_com()).unwrap();
    let plan = plan_of(&tokens(1), 1);
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path().join("j")).unwrap();
    let mut seen = 0;
    assert_send(
        client
            .revoke(&plan)
            .journal(&mut journal)
            .on_event(|_| seen += 1)
            .into_future(),
    );
    assert_send(client.revoke(&plan).into_future());
}

// ---- the enterprise call ----

const TOKEN: &str = "ghp_EnterpriseOwnerTokenForTests0000000";

async fn enterprise(
    server: &MockServer,
    timeout: Duration,
) -> Result<gh_revoke::RevokeAllReport, EnterpriseError> {
    let base = ApiBase::parse(&server.base_url()).unwrap();
    EnterpriseClient::builder(base, SecretString::from(TOKEN))
        .timeout(timeout)
        .build()
        .unwrap()
        .revoke_all("acme", false)
        .await
}

#[tokio::test]
async fn any_2xx_is_success_and_an_unreadable_body_is_a_note() {
    for (status, body) in [(202, "not json"), (200, "{}"), (204, ""), (202, "[1,2]")] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.path("/enterprises/acme/credential-authorizations/revoke-all");
                then.status(status)
                    .header("content-type", "application/json")
                    .body(body);
            })
            .await;
        let report = enterprise(&server, Duration::from_secs(5))
            .await
            .unwrap_or_else(|err| panic!("{status} {body:?}: {err}"));
        assert_eq!(report.status, status);
        assert_eq!(report.api_url, server.base_url());
        if body == "not json" || body == "[1,2]" {
            assert!(report.note.is_some(), "{status} {body:?}");
        }
    }
}

#[tokio::test]
async fn a_timeout_or_5xx_after_sending_is_an_unknown_outcome() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/enterprises/acme/credential-authorizations/revoke-all");
            then.status(202).delay(Duration::from_secs(3)).body("{}");
        })
        .await;
    let err = enterprise(&server, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(err, EnterpriseError::OutcomeUnknown { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("audit log"), "{err}");

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/enterprises/acme/credential-authorizations/revoke-all");
            then.status(502).body("<html>Bad gateway</html>");
        })
        .await;
    let err = enterprise(&server, Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(
        matches!(err, EnterpriseError::OutcomeUnknown { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_403_for_sso_says_where_to_authorize() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/enterprises/acme/credential-authorizations/revoke-all");
            then.status(403)
                .header(
                    "x-github-sso",
                    "required; url=https://github.com/enterprises/acme/sso?authorization_request=A1",
                )
                .body(r#"{"message":"Resource protected by SAML enforcement."}"#);
        })
        .await;
    let err = enterprise(&server, Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(
        matches!(err, EnterpriseError::SsoRequired { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("https://github.com/enterprises/acme/sso"),
        "{err}"
    );
}

// ---- unverified strings cannot poison real tokens (item 3) ----

/// Six valid tokens and six unverified strings in batches of three; GitHub refuses one
/// valid token and two of the unverified strings. The valid batch with the refused token
/// fails whole, in one request (today's rule); each unverified batch is bisected until only
/// the refused strings fail, and the report lists them with where they were found.
#[tokio::test]
async fn a_validation_failure_in_unverified_strings_is_bisected_to_the_offenders() {
    let valid = tokens(6);
    let odd: Vec<String> = (1..=6).map(|i| format!("weird-string-{i}")).collect();
    let refused = [valid[4].as_str(), odd[1].as_str(), odd[5].as_str()];
    let server = MockServer::start_async().await;
    for offender in refused {
        server
            .mock_async(|when, then| {
                when.method(POST).body_includes(format!("\"{offender}\""));
                then.status(422)
                    .json_body(serde_json::json!({"message": "Validation Failed"}));
            })
            .await;
    }
    let accepted = server
        .mock_async(|when, then| {
            let when = when.method(POST);
            refused.iter().fold(when, |when, offender| {
                when.body_excludes(format!("\"{offender}\""))
            });
            then.status(202).body("{}");
        })
        .await;

    // Interleaved in the input: the plan puts the unverified strings last.
    let mut plan: gh_revoke::Plan = gh_revoke::Plan::new(
        gh_revoke::PlanOptions::new(3)
            .unwrap()
            .with_allow_unverified(true),
    );
    plan.extend_strs(valid.iter().zip(&odd).flat_map(|(v, o)| [v, o]));
    let lanes: Vec<bool> = plan.batches().map(|b| b.is_unverified()).collect();
    assert_eq!(lanes, [false, false, true, true]);

    let client = revoke_builder(&server.base_url()).build().unwrap();
    let mut journaled = Vec::new();
    let report = client
        .revoke(&plan)
        .on_event(|event| {
            if let Event::Accepted { fingerprints, .. } = event {
                journaled.extend(fingerprints.iter().copied());
            }
        })
        .await;
    assert!(report.is_balanced(), "{report:?}");
    assert!(report.stopped.is_none(), "{report:?}");
    // 1 + 1 for the valid batches; 5 each for the unverified ones
    // ([a b c] → [a] + [b c] → [b] + [c]).
    assert_eq!(report.requests, 12);
    assert_eq!((report.accepted, report.failed, report.pending), (7, 5, 0));
    assert_eq!(accepted.calls_async().await, 5);
    assert_eq!(journaled.len(), 7);

    let batch = &report.batches[1];
    assert_eq!(
        (batch.status, batch.attempts, batch.failed),
        (BatchStatus::Failed, 1, 3)
    );
    assert!(!batch.unverified);
    for (index, offender, line) in [(2, &odd[1], 4), (3, &odd[5], 12)] {
        let batch = &report.batches[index];
        assert!(batch.unverified);
        assert_eq!(batch.status, BatchStatus::Failed);
        assert_eq!((batch.attempts, batch.accepted, batch.failed), (5, 2, 1));
        let [failed] = &batch.credentials[..] else {
            panic!("one failed credential: {batch:?}")
        };
        assert_eq!(
            failed.fingerprint,
            gh_revoke::Fingerprint::of(offender.as_bytes()).to_string()
        );
        assert_eq!(failed.location, format!("<arg>:{line}:1"));
        assert!(!failed.credential.contains(offender.as_str()));
    }
    let json = serde_json::to_string(&report).unwrap();
    for secret in valid.iter().chain(&odd) {
        assert!(!json.contains(secret.as_str()), "{json}");
    }
}
