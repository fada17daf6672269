//! Installation tokens revoking themselves and `GET /rate_limit` proving credentials dead,
//! through the library (`KillList`, `InstallationClient`, `VerifyClient`), against loopback
//! fakes.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use gh_revoke::fixtures::{assert_no_leak, classic, new_installation};
use gh_revoke::{
    ApiBase, InputMode, InstallationClient, InstallationReport, InstallationStatus, Journal,
    KillList, Kind, Liveness, PlanOptions, PlanTally, RetryPolicy, Stop, ToVerify, VerifyClient,
};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::fast_policy;
use httpmock::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A list of the installation tokens (and locations) in `lines`, fed beside a tally.
fn kill_list(lines: &[String]) -> KillList {
    let mut kill = KillList::new()
        .keep_installation_tokens(true)
        .keep_locations(true);
    let mut tally = PlanTally::new(PlanOptions::default());
    gh_revoke::feed(
        &mut kill.tee(&mut tally),
        InputMode::Lines,
        lines.join("\n").as_bytes(),
        "leak.txt",
    )
    .unwrap();
    kill
}

fn installation_client(base: &str, policy: RetryPolicy) -> InstallationClient {
    InstallationClient::builder(ApiBase::parse(base).unwrap())
        .retry_policy(policy)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn verify_client(base: &str, timeout: Duration) -> VerifyClient {
    VerifyClient::builder(ApiBase::parse(base).unwrap())
        .retry_policy(fast_policy())
        .recheck(Duration::from_millis(30), Duration::from_millis(60))
        .verify_timeout(timeout)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn no_leak(json: String, secrets: &[String]) {
    for secret in secrets {
        assert_no_leak(&json, secret);
    }
}

fn token_of(item: &gh_revoke::InstallationToken) -> ToVerify {
    ToVerify::new(item.credential().clone(), Some(item.location().clone()))
}

#[tokio::test(flavor = "multi_thread")]
async fn each_installation_token_revokes_itself_with_its_own_token_only() {
    let server = MockServer::start_async().await;
    let legacy = classic(Kind::Installation, 1);
    let jwt = new_installation(2);
    let revoked = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/installation/token")
                .header("authorization", format!("Bearer {legacy}"))
                .header("x-github-api-version", "2022-11-28")
                .header("accept", "application/vnd.github+json");
            then.status(204);
        })
        .await;
    let dead = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/installation/token")
                .header("authorization", format!("Bearer {jwt}"));
            then.status(401)
                .json_body(serde_json::json!({"message": "Bad credentials"}));
        })
        .await;
    let kill = kill_list(&[legacy.clone(), jwt.clone(), legacy.clone()]);
    assert_eq!(kill.installation_tokens().len(), 2, "deduplicated");
    let policy = RetryPolicy {
        min_interval: Duration::from_millis(300),
        ..fast_policy()
    };
    let started = Instant::now();
    let report = installation_client(&server.base_url(), policy)
        .revoke(kill.installation_tokens())
        .await;
    assert!(started.elapsed() >= Duration::from_millis(300), "paced");
    assert_eq!((report.revoked, report.already_dead), (1, 1), "{report:?}");
    assert_eq!((report.failed, report.pending, report.requests), (0, 0, 2));
    assert!(report.is_complete());
    assert_eq!(report.tokens[0].status, InstallationStatus::Revoked);
    assert_eq!(report.tokens[0].location.to_string(), "leak.txt:1:1");
    assert_eq!(report.tokens[1].status, InstallationStatus::AlreadyDead);
    assert_eq!(revoked.calls_async().await, 1);
    assert_eq!(dead.calls_async().await, 1);
    no_leak(serde_json::to_string(&report).unwrap(), &[legacy, jwt]);
}

#[tokio::test(flavor = "multi_thread")]
async fn other_answers_fail_with_githubs_message_scrubbed() {
    let tokens: Vec<String> = (10..14).map(new_installation).collect();
    let echoed = classic(Kind::ClassicPat, 99);
    let fake = FakeGitHub::start(
        100,
        Duration::from_secs(60),
        vec![
            Scripted::status(
                403,
                r#"{"message":"Resource not accessible by integration"}"#,
            ),
            Scripted::status(404, "<html><body>Not Found</body></html>"),
            Scripted::status(
                422,
                &format!(r#"{{"message":"odd {echoed}","errors":"not a list","status":422}}"#),
            ),
            Scripted::status(500, "oops"),
            Scripted::status(502, "<html>bad gateway</html>"),
            Scripted::status(503, ""),
            Scripted::status(500, r#"{"message":null}"#),
        ],
    )
    .await;
    let kill = kill_list(&tokens);
    let report = installation_client(&fake.base_url(), fast_policy())
        .revoke(kill.installation_tokens())
        .await;
    assert_eq!(report.failed, 4, "{report:#?}");
    assert!(!report.is_complete());
    let errors: Vec<&str> = report
        .tokens
        .iter()
        .map(|t| t.error.as_deref().unwrap())
        .collect();
    assert!(errors[0].contains("403") && errors[0].contains("Resource not accessible"));
    assert!(errors[1].contains("404") && errors[1].contains("Not Found"));
    assert!(errors[2].contains("422") && errors[2].contains("not a list"));
    assert!(
        errors[3].contains("gave up after 4 attempts"),
        "{}",
        errors[3]
    );
    assert_eq!(
        report.tokens[3].attempts, 4,
        "5xx retried up to max_attempts"
    );
    assert_eq!(report.requests, 7);
    let mut secrets = tokens.clone();
    secrets.push(echoed);
    no_leak(serde_json::to_string(&report).unwrap(), &secrets);
    // Every request carried its own token, and only it.
    let sent: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(sent[0], format!("Bearer {}", tokens[0]));
    assert!(
        sent[3..]
            .iter()
            .all(|h| *h == format!("Bearer {}", tokens[3]))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limit_answers_are_waited_out_like_the_revoke_path() {
    let token = new_installation(20);
    let fake = FakeGitHub::start(
        100,
        Duration::from_secs(60),
        vec![
            Scripted::with_headers(429, &[("retry-after", "0")], ""),
            Scripted::status(
                403,
                r#"{"message":"You have exceeded a secondary rate limit"}"#,
            ),
            Scripted::with_headers(
                403,
                &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "0")],
                r#"{"message":"API rate limit exceeded"}"#,
            ),
            Scripted::status(204, ""),
        ],
    )
    .await;
    let kill = kill_list(std::slice::from_ref(&token));
    let report = installation_client(&fake.base_url(), fast_policy())
        .revoke(kill.installation_tokens())
        .await;
    assert_eq!(report.revoked, 1, "{report:#?}");
    assert_eq!(report.tokens[0].attempts, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn endless_rate_limits_fail_and_a_long_wait_stops_the_run() {
    let tokens = vec![new_installation(21), new_installation(22)];
    let limited = |n| vec![Scripted::status(429, "slow down"); n];
    let fake = FakeGitHub::start(100, Duration::from_secs(60), limited(5)).await;
    let kill = kill_list(&tokens[..1]);
    let report = installation_client(&fake.base_url(), fast_policy())
        .revoke(kill.installation_tokens())
        .await;
    assert_eq!(report.failed, 1);
    assert!(
        report.tokens[0]
            .error
            .as_deref()
            .unwrap()
            .contains("still rate limited")
    );

    let fake = FakeGitHub::start(
        100,
        Duration::from_secs(60),
        vec![Scripted::with_headers(429, &[("retry-after", "3600")], "")],
    )
    .await;
    let kill = kill_list(&tokens);
    let report = InstallationClient::builder(ApiBase::parse(&fake.base_url()).unwrap())
        .retry_policy(fast_policy())
        .max_wait(Some(Duration::from_secs(1)))
        .build()
        .unwrap()
        .revoke(kill.installation_tokens())
        .await;
    assert!(
        matches!(report.stopped, Some(Stop::MaxWait { .. })),
        "{report:?}"
    );
    assert_eq!(report.pending, 2);
    assert_eq!(fake.requests().len(), 1, "nothing after the stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_is_refused_and_never_followed_with_the_token() {
    let elsewhere = MockServer::start_async().await;
    let catch_all = elsewhere
        .mock_async(|_, then| {
            then.status(204);
        })
        .await;
    let server = MockServer::start_async().await;
    let target = elsewhere.url("/installation/token");
    server
        .mock_async(|when, then| {
            when.path("/installation/token");
            then.status(307).header("location", &target);
        })
        .await;
    let rate_target = elsewhere.url("/rate_limit");
    server
        .mock_async(|when, then| {
            when.path("/rate_limit");
            then.status(301).header("location", &rate_target);
        })
        .await;
    let token = new_installation(30);
    let kill = kill_list(std::slice::from_ref(&token));
    let report = installation_client(&server.base_url(), fast_policy())
        .revoke(kill.installation_tokens())
        .await;
    assert_eq!(report.failed, 1);
    let error = report.tokens[0].error.as_deref().unwrap();
    assert!(
        error.contains("307 redirect") && error.contains("refused"),
        "{error}"
    );
    let verified = verify_client(&server.base_url(), Duration::from_secs(5))
        .verify(kill.installation_tokens().iter().map(token_of))
        .await;
    assert_eq!(verified.unknown, 1, "{verified:?}");
    assert!(
        verified.credentials[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("301 redirect")
    );
    assert_eq!(
        catch_all.calls_async().await,
        0,
        "the token never left for elsewhere"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_records_dead_tokens_so_a_rerun_skips_them() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/installation/token");
            then.status(204);
        })
        .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("revoke.journal");
    let token = new_installation(40);
    let first: InstallationReport = {
        let mut journal = Journal::open(&path).unwrap();
        let kill = kill_list(std::slice::from_ref(&token));
        installation_client(&server.base_url(), fast_policy())
            .revoke(kill.installation_tokens())
            .journal(&mut journal)
            .await
    };
    assert_eq!(first.revoked, 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_no_leak(&text, &token);
    let journal = Journal::open(&path).unwrap();
    let mut kill = KillList::resuming(journal.done()).keep_installation_tokens(true);
    let mut tally = PlanTally::new(PlanOptions::default());
    gh_revoke::feed(
        &mut kill.tee(&mut tally),
        InputMode::Lines,
        token.as_bytes(),
        "-",
    )
    .unwrap();
    assert!(kill.installation_tokens().is_empty());
    assert_eq!(kill.installation_already_done(), 1);
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_tells_dead_from_live_and_never_checks_refresh_tokens() {
    let server = MockServer::start_async().await;
    let dead = classic(Kind::ClassicPat, 50);
    let live = classic(Kind::OAuth, 51);
    let refresh = classic(Kind::Refresh, 52);
    let dead_mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/rate_limit")
                .header("authorization", format!("Bearer {dead}"));
            then.status(401)
                .json_body(serde_json::json!({"message": "Bad credentials"}));
        })
        .await;
    let live_mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/rate_limit")
                .header("authorization", format!("Bearer {live}"));
            then.status(200).json_body(serde_json::json!({
                "resources": {"core": {"limit": 5000, "remaining": 4999, "reset": 1, "used": 1}}
            }));
        })
        .await;
    let items: Vec<ToVerify> = [&dead, &live, &refresh]
        .iter()
        .map(|t| {
            let gh_revoke::Classified::Valid(c) = gh_revoke::classify(t.as_bytes()) else {
                panic!("valid")
            };
            ToVerify::new(c, None)
        })
        .collect();
    let report = verify_client(&server.base_url(), Duration::from_millis(400))
        .verify(items)
        .await;
    assert_eq!(
        (
            report.dead,
            report.live,
            report.not_checkable,
            report.unknown
        ),
        (1, 1, 1, 0),
        "{report:#?}"
    );
    assert!(!report.none_live());
    assert_eq!(report.credentials[0].status, Liveness::Live);
    assert_eq!(report.credentials[1].status, Liveness::NotCheckable);
    assert_eq!(report.credentials[1].checks, 0);
    assert_eq!(dead_mock.calls_async().await, 1);
    let live_checks = live_mock.calls_async().await;
    assert!(
        live_checks >= 2,
        "a live credential is checked again ({live_checks})"
    );
    assert_eq!(report.credentials[0].checks as usize, live_checks);
    no_leak(
        serde_json::to_string(&report).unwrap(),
        &[dead, live, refresh],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_waits_for_a_revocation_to_take_and_retries_rate_limits() {
    let fake = FakeGitHub::start(
        100,
        Duration::from_secs(60),
        vec![
            Scripted::status(200, "{}"),
            Scripted::with_headers(429, &[("retry-after", "0")], ""),
            Scripted::status(502, "<html>"),
            Scripted::status(200, "not even json"),
            Scripted::status(401, r#"{"message":"Bad credentials"}"#),
        ],
    )
    .await;
    let kill = kill_list(&[new_installation(60)]);
    let report = verify_client(&fake.base_url(), Duration::from_secs(20))
        .verify(kill.installation_tokens().iter().map(token_of))
        .await;
    assert_eq!(report.dead, 1, "{report:#?}");
    assert_eq!(report.requests, 5);
    assert!(
        report.credentials.is_empty(),
        "only credentials not proven dead are listed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_says_unknown_for_answers_that_decide_nothing() {
    let fake = FakeGitHub::start(
        100,
        Duration::from_secs(60),
        std::iter::once(Scripted::status(404, r#"{"message":"Not Found"}"#))
            .chain(std::iter::repeat_n(Scripted::status(500, "down"), 40))
            .collect(),
    )
    .await;
    let kill = kill_list(&[new_installation(70)]);
    let first = verify_client(&fake.base_url(), Duration::from_millis(200))
        .verify(kill.installation_tokens().iter().map(token_of))
        .await;
    assert_eq!(first.unknown, 1);
    assert!(
        first.credentials[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("404")
    );
    let second = verify_client(&fake.base_url(), Duration::from_millis(200))
        .verify(kill.installation_tokens().iter().map(token_of))
        .await;
    assert_eq!(second.unknown, 1, "{second:#?}");
    assert!(
        second.credentials[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("500")
    );
}

/// A loopback server that answers every request with 401 after `delay`, counting how many
/// requests it holds at once.
async fn counting_server(delay: Duration) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let now = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&max);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (now, max) = (Arc::clone(&now), Arc::clone(&max));
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut read = 0;
                while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf[read..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n,
                    }
                }
                let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(held, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                now.fetch_sub(1, Ordering::SeqCst);
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                    )
                    .await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_keeps_at_most_four_checks_in_flight() {
    let (base, max) = counting_server(Duration::from_millis(150)).await;
    let tokens: Vec<String> = (0..10).map(|i| classic(Kind::ClassicPat, 80 + i)).collect();
    let items = tokens.iter().map(|t| {
        let gh_revoke::Classified::Valid(c) = gh_revoke::classify(t.as_bytes()) else {
            panic!("valid")
        };
        ToVerify::new(c, None)
    });
    let report = verify_client(&base, Duration::from_secs(20))
        .verify(items)
        .await;
    assert_eq!(report.dead, 10, "{report:?}");
    let max = max.load(Ordering::SeqCst);
    assert!((2..=4).contains(&max), "{max} checks in flight at once");
}
