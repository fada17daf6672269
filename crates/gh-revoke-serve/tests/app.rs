//! The GitHub App's authentication against a loopback stand-in of GitHub's app endpoints: JWT
//! verified with the app's public key, installation tokens cached, shared, renewed early and
//! after a 401 (once), listings paged, and no key, JWT or token in any Debug or error text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use gh_revoke::ApiBase;
use gh_revoke_serve::app::{AccountKind, AppClient, AppError, AppId, AppKey};
use secrecy::ExposeSecret;
use serde_json::json;
use support::github_app::{GitHubApp, PRIVATE_KEY, installation};

const CLIENT_ID: &str = "Iv23liStandInApp01";

async fn setup() -> (GitHubApp, AppClient) {
    let github = GitHubApp::start(json!(CLIENT_ID)).await;
    let app = AppClient::builder(
        ApiBase::parse(&github.url()).unwrap(),
        AppId::parse(CLIENT_ID).unwrap(),
        AppKey::from_pem(PRIVATE_KEY.as_bytes()).unwrap(),
    )
    .timeout(Duration::from_secs(10))
    .build()
    .unwrap();
    (github, app)
}

/// Every secret the stand-in saw, plus the key's body, must be absent from `text`.
fn assert_no_secret(github: &GitHubApp, text: &str) {
    for secret in github.secrets() {
        assert!(!text.contains(&secret), "a secret leaked into: {text}");
    }
    for line in PRIVATE_KEY.lines().filter(|l| !l.starts_with("-----")) {
        assert!(
            !text.contains(&line[..16]),
            "the private key leaked into: {text}"
        );
    }
}

#[tokio::test]
async fn installations_are_listed_on_every_page_with_a_jwt_the_public_key_verifies() {
    let (github, app) = setup().await;
    github.with(|i| {
        i.installations = vec![
            installation(11, "acme", "Organization"),
            installation(12, "octocat", "User"),
            installation(13, "globex", "Organization"),
            installation(14, "hooli", "Organization"),
            installation(15, "mona", "User"),
        ]
    });
    let found = app.list_installations().await.unwrap();
    github.assert_clean();
    // 5 installations, 2 a page: 3 pages, each with a JWT the stand-in verified.
    let ids: Vec<u64> = found.iter().map(|i| i.id).collect();
    assert_eq!(ids, [11, 12, 13, 14, 15]);
    assert_eq!(found[0].account, "acme");
    assert_eq!(found[0].kind, AccountKind::Organization);
    assert_eq!(found[1].kind, AccountKind::User);
    let pages = github.with(|i| i.authorizations.len());
    assert_eq!(pages, 3);
    // The JWT is cached: the same one for all three pages.
    let jwts = github.with(|i| i.jwts.clone());
    assert_eq!(jwts.len(), 3);
    assert!(jwts.iter().all(|j| j == &jwts[0]));
}

#[tokio::test]
async fn a_numeric_app_id_is_the_jwts_issuer_as_a_number() {
    let github = GitHubApp::start(json!(4242)).await;
    let app = AppClient::builder(
        ApiBase::parse(&github.url()).unwrap(),
        AppId::parse("4242").unwrap(),
        AppKey::from_pem(PRIVATE_KEY.as_bytes()).unwrap(),
    )
    .build()
    .unwrap();
    github.with(|i| i.installations = vec![installation(1, "acme", "Organization")]);
    assert_eq!(app.list_installations().await.unwrap().len(), 1);
    github.assert_clean();
}

#[tokio::test]
async fn a_jwt_signed_with_another_key_is_refused() {
    // A second throwaway key: the stand-in verifies with the first key's public half only.
    let github = GitHubApp::start(json!(CLIENT_ID)).await;
    let other = std::process::Command::new("openssl")
        .args(["genrsa", "-traditional", "2048"])
        .output();
    let Some(other) = other.ok().filter(|o| o.status.success()) else {
        eprintln!("note: skipped: openssl is not available to make a second key");
        return;
    };
    let app = AppClient::builder(
        ApiBase::parse(&github.url()).unwrap(),
        AppId::parse(CLIENT_ID).unwrap(),
        AppKey::from_pem(&other.stdout).unwrap(),
    )
    .build()
    .unwrap();
    let err = app.list_installations().await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    let problems = github.with(|i| i.problems.clone());
    assert!(
        problems.iter().any(|p| p.contains("does not verify")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn concurrent_callers_share_one_token_per_installation() {
    let (github, app) = setup().await;
    github.with(|i| i.create_delay = Duration::from_millis(200));
    let mut tasks = Vec::new();
    for n in 0..40u64 {
        let tokens = app.tokens().clone();
        tasks.push(tokio::spawn(async move { tokens.token(1 + n % 2).await }));
    }
    let mut seen = Vec::new();
    for task in tasks {
        seen.push(task.await.unwrap().unwrap().expose_secret().to_owned());
    }
    // Steady use afterwards: still the cached token.
    for _ in 0..20 {
        app.installation_token(1).await.unwrap();
    }
    github.assert_clean();
    assert_eq!(github.created(1), 1);
    assert_eq!(github.created(2), 1);
    assert_eq!(app.tokens().created(), 2);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 2);
}

#[tokio::test]
async fn a_token_with_less_than_five_minutes_left_is_renewed() {
    let (github, app) = setup().await;
    // 6 minutes left: reused.
    github.with(|i| i.token_lifetime = Duration::from_secs(6 * 60));
    let a = app.installation_token(7).await.unwrap();
    let b = app.installation_token(7).await.unwrap();
    assert_eq!(a.expose_secret(), b.expose_secret());
    assert_eq!(github.created(7), 1);
    // 4 minutes left: every use renews.
    github.with(|i| i.token_lifetime = Duration::from_secs(4 * 60));
    let mut app_8 = Vec::new();
    for _ in 0..3 {
        app_8.push(app.installation_token(8).await.unwrap());
    }
    assert_eq!(github.created(8), 3);
    assert_ne!(app_8[0].expose_secret(), app_8[1].expose_secret());
    github.assert_clean();
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_the_listing_pages() {
    let (github, app) = setup().await;
    let names: Vec<String> = (1..=5).map(|n| format!("mona/repo-{n}")).collect();
    github.with(|i| {
        i.repositories.insert(21, names.clone());
        i.refuse_repositories = 1;
    });
    let repos = app.list_installation_repositories(21).await.unwrap();
    assert_eq!(repos, names);
    assert_eq!(
        github.created(21),
        2,
        "one creation, one renewal after the 401"
    );
    github.assert_clean();

    // Refused again and again: renewed once, then the 401 is the answer.
    github.with(|i| i.refuse_repositories = 100);
    let err = app.list_installation_repositories(21).await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert_eq!(github.created(21), 3);
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("apps/list-repos-accessible-to-installation"),
        "{text}"
    );
    assert_no_secret(&github, &text);
}

#[tokio::test]
async fn callers_refused_with_the_same_token_renew_it_once() {
    let (github, app) = setup().await;
    let stale = app.installation_token(31).await.unwrap();
    app.tokens().invalidate(31, &stale).await;
    app.tokens().invalidate(31, &stale).await;
    let fresh = app.installation_token(31).await.unwrap();
    // A second caller holding the stale token: the fresh one stays.
    app.tokens().invalidate(31, &stale).await;
    let again = app.installation_token(31).await.unwrap();
    assert_ne!(stale.expose_secret(), fresh.expose_secret());
    assert_eq!(fresh.expose_secret(), again.expose_secret());
    assert_eq!(github.created(31), 2);
    github.assert_clean();
}

#[tokio::test]
async fn no_key_jwt_or_token_in_debug_or_errors() {
    let (github, app) = setup().await;
    let token = app.installation_token(41).await.unwrap();
    let jwt = app.jwt().unwrap();
    github.with(|i| i.refuse_repositories = 100);
    let err = app.list_installation_repositories(41).await.unwrap_err();
    let text = format!(
        "{app:?} {:?} {token:?} {jwt:?} {err} {err:?} {:?}",
        app.tokens(),
        AppKey::from_pem(PRIVATE_KEY.as_bytes()).unwrap()
    );
    assert!(!github.secrets().is_empty());
    assert!(github.secrets().contains(&token.expose_secret().to_owned()));
    assert_no_secret(&github, &text);
    assert!(!text.contains(jwt.expose_secret()));
    // The error says what failed and how.
    assert!(matches!(err, AppError::Api { status: 401, .. }), "{err}");
}

/// Every call as the app goes through the library's call engine: a 502 and a rate-limit
/// answer on token creation are retried (the second after the wait it names), and a rate-limit
/// wait longer than the maximum ends the call without another request.
#[tokio::test]
async fn app_calls_retry_server_errors_and_wait_out_rate_limits() {
    let github = GitHubApp::start(json!(CLIENT_ID)).await;
    let app = AppClient::builder(
        ApiBase::parse(&github.url()).unwrap(),
        AppId::parse(CLIENT_ID).unwrap(),
        AppKey::from_pem(PRIVATE_KEY.as_bytes()).unwrap(),
    )
    .timeout(Duration::from_secs(10))
    .retry_policy(gh_revoke_tests::fast_policy())
    .max_wait(Some(Duration::from_secs(30)))
    .build()
    .unwrap();
    github.with(|i| {
        i.outages
            .push_back((502, vec![], "<html>Bad gateway</html>".into()));
        i.outages.push_back((
            429,
            vec![("retry-after", "0".into())],
            r#"{"message":"API rate limit exceeded"}"#.into(),
        ));
    });
    let token = app.installation_token(7).await.unwrap();
    assert!(!token.expose_secret().is_empty());
    assert_eq!(github.created(7), 1);
    let sent = github.with(|i| i.authorizations.len());
    assert_eq!(sent, 3, "a 502, a 429, then the token");

    github.with(|i| {
        i.outages.push_back((
            429,
            vec![("retry-after", "3600".into())],
            r#"{"message":"API rate limit exceeded"}"#.into(),
        ))
    });
    let error = app.list_installations().await.unwrap_err();
    assert!(
        matches!(&error, AppError::Transport { reason, .. } if reason.contains("is longer than")),
        "{error}"
    );
    assert_eq!(github.with(|i| i.authorizations.len()), sent + 1);
    assert_no_secret(&github, &error.to_string());
    github.assert_clean();
}
