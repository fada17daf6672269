//! The transport: TLS through rustls only (nothing OpenSSL-based in the lock file), and no
//! redirect is ever followed with a secret, for any redirect status, by either client.

use std::time::Duration;

use gh_revoke::{ApiBase, BatchStatus, EnterpriseClient, EnterpriseError, Event, Stop};
use gh_revoke_tests::fake_github::{FakeGitHub, Scripted};
use gh_revoke_tests::{plan_of, revoke_builder, tokens};
use httpmock::prelude::*;
use secrecy::SecretString;
use serde_json::json;

const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// The package names in the workspace's `Cargo.lock`.
fn locked_packages() -> Vec<String> {
    let lock = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("Cargo.lock");
    let text = std::fs::read_to_string(&lock)
        .unwrap_or_else(|e| panic!("{} unreadable: {e}", lock.display()));
    text.lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .collect()
}

#[test]
fn the_lock_file_has_rustls_and_nothing_openssl_based() {
    let packages = locked_packages();
    assert!(packages.len() > 50, "Cargo.lock parsed to {packages:?}");
    for needed in ["rustls", "reqwest"] {
        assert!(
            packages.iter().any(|p| p == needed),
            "{needed} is missing from Cargo.lock"
        );
    }
    // `openssl-probe` (a pure-Rust certificate-path finder) is fine; these link OpenSSL or the
    // platform TLS library.
    for banned in [
        "openssl",
        "openssl-sys",
        "native-tls",
        "hyper-tls",
        "tokio-native-tls",
    ] {
        assert!(
            !packages.iter().any(|p| p == banned),
            "{banned} is in Cargo.lock: TLS must come from rustls"
        );
    }
}

/// A server that redirects everything to `target` with `status`.
async fn redirecting(status: u16, target: &str) -> MockServer {
    let server = MockServer::start_async().await;
    let target = target.to_owned();
    server
        .mock_async(move |when, then| {
            when.any_request();
            then.status(status).header("location", target.as_str());
        })
        .await;
    server
}

#[tokio::test]
async fn the_enterprise_token_never_follows_any_redirect() {
    const TOKEN: &str = "ghp_TransportRedirectCanaryToken00000000";
    for status in REDIRECTS {
        let elsewhere = MockServer::start_async().await;
        let stolen = elsewhere
            .mock_async(|when, then| {
                when.any_request();
                then.status(202).json_body(json!({}));
            })
            .await;
        let server = redirecting(
            status,
            &elsewhere.url("/enterprises/acme/credential-authorizations/revoke-all"),
        )
        .await;
        let base = ApiBase::parse(&server.base_url()).unwrap();
        let client = EnterpriseClient::new(base.clone(), SecretString::from(TOKEN)).unwrap();
        let err = client.revoke_all("acme", false).await.unwrap_err();
        assert!(
            matches!(err, EnterpriseError::Redirect { status: s, .. } if s == status),
            "{status}: {err:?}"
        );
        assert!(err.to_string().contains("not followed"), "{err}");
        assert_eq!(stolen.calls_async().await, 0, "{status} was followed");
    }
}

#[tokio::test]
async fn revoke_batches_never_follow_any_redirect() {
    for status in REDIRECTS {
        let elsewhere = FakeGitHub::start(60, Duration::from_secs(3600), vec![]).await;
        let target = format!("{}/credentials/revoke", elsewhere.base_url());
        let fake = FakeGitHub::start(
            60,
            Duration::from_secs(3600),
            vec![Scripted::with_headers(status, &[("location", &target)], "")],
        )
        .await;
        let plan = plan_of(&tokens(3), 1);
        let client = revoke_builder(&fake.base_url()).build().unwrap();
        let mut observer = |_: &Event<'_>| -> Result<(), String> { Ok(()) };
        let report = client.revoke(&plan).observer(&mut observer).await;
        assert!(report.is_balanced(), "{report:?}");
        assert_eq!(report.batches[0].status, BatchStatus::Failed, "{status}");
        assert!(
            matches!(&report.stopped, Some(Stop::Fatal { message }) if message.contains("redirect")),
            "{status}: {:?}",
            report.stopped
        );
        assert_eq!((report.failed, report.pending), (1, 2), "{status}");
        assert_eq!(fake.requests().len(), 1, "{status}");
        assert!(elsewhere.requests().is_empty(), "{status} was followed");
    }
}
