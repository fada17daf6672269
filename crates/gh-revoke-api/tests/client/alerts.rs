//! The secret-scanning alert operations as the alerts flow uses them: the listing's query and
//! paging parameters, `Link` headers, realistic answers (nulls, missing fields, values the
//! description does not list), the secret kept out of `Debug`, and resolving an alert.

use gh_revoke_api::types::{Direction, SecretScanningAlertState, Sort};
use gh_revoke_api::{AlertSecret, AlertsQuery, Error, ErrorAnswer, REDACTED, types};
use serde_json::json;

use crate::calls::resolve_revoked;
use crate::support::{Canned, Recorder, api_client};

const SECRET: &str = "ghp_AlertsTOPSECRETAlertsTOPSECRET000000";

fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
    query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn listing_sends_exactly_the_paging_and_filter_parameters_given() {
    let server = Recorder::start(vec![Canned::new(200, "[]")]);
    let client = api_client(&server.url());
    let types = "github_personal_access_token,github_oauth_access_token,github_refresh_token,github_app_installation_access_token";
    // Page-numbered (repository).
    client
        .secret_scanning_list_alerts_for_repo(
            "octo-org",
            "app",
            None,
            None,
            None,
            None,
            None,
            None,
            Some(false),
            None,
            None,
            None,
            None,
            None,
            Some(2),
            Some(100),
            None,
            None,
            Some(types),
            None,
            Some(SecretScanningAlertState::Open),
            None,
        )
        .await
        .unwrap();
    // Cursor (organization), secret hidden.
    client
        .secret_scanning_list_alerts_for_org(
            "octo-org",
            Some("Y3Vyc29yOjE="),
            None,
            None,
            None,
            None,
            None,
            Some(true),
            None,
            None,
            None,
            None,
            None,
            None,
            Some(100),
            None,
            None,
            Some(types),
            Some(Sort::Created),
            Some(SecretScanningAlertState::Open),
            None,
        )
        .await
        .unwrap();
    // Cursors only (enterprise): the method has no `page` at all.
    client
        .secret_scanning_list_alerts_for_enterprise(
            "acme",
            None,
            None,
            Some("Y3Vyc29yOjk="),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some(50),
            None,
            None,
            None,
            None,
            Some(SecretScanningAlertState::Resolved),
            None,
        )
        .await
        .unwrap();
    // Nothing set: no parameter at all (GitHub's defaults apply).
    client
        .secret_scanning_list_alerts_for_repo(
            "octo-org", "app", None, None, None, None, None, None, None, None, None, None, None,
            None, None, None, None, None, None, None, None, None,
        )
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].path,
        "/repos/octo-org/app/secret-scanning/alerts"
    );
    assert_eq!(
        requests[0].query,
        pairs(&[
            ("hide_secret", "false"),
            ("page", "2"),
            ("per_page", "100"),
            ("secret_type", types),
            ("state", "open"),
        ])
    );
    assert_eq!(requests[1].path, "/orgs/octo-org/secret-scanning/alerts");
    assert_eq!(
        requests[1].query,
        pairs(&[
            ("after", "Y3Vyc29yOjE="),
            ("hide_secret", "true"),
            ("per_page", "100"),
            ("secret_type", types),
            ("sort", "created"),
            ("state", "open"),
        ])
    );
    assert_eq!(requests[2].path, "/enterprises/acme/secret-scanning/alerts");
    assert_eq!(
        requests[2].query,
        pairs(&[
            ("before", "Y3Vyc29yOjk="),
            ("per_page", "50"),
            ("state", "resolved"),
        ])
    );
    assert!(requests[3].query.is_empty());
}

#[tokio::test]
async fn named_queries_send_the_same_parameters() {
    let server = Recorder::start(vec![Canned::new(200, "[]")]);
    let client = api_client(&server.url());
    let full = AlertsQuery {
        state: Some(SecretScanningAlertState::Open),
        secret_type: Some("github_personal_access_token"),
        validity: Some("active"),
        hide_secret: Some(false),
        per_page: Some(100),
        page: Some(2),
        before: Some("cursor-b"),
        after: Some("cursor-a"),
        sort: Some(Sort::Updated),
        direction: Some(Direction::Asc),
    };
    let expected = pairs(&[
        ("after", "cursor-a"),
        ("before", "cursor-b"),
        ("direction", "asc"),
        ("hide_secret", "false"),
        ("page", "2"),
        ("per_page", "100"),
        ("secret_type", "github_personal_access_token"),
        ("sort", "updated"),
        ("state", "open"),
        ("validity", "active"),
    ]);
    client.list_repo_alerts("o", "r", &full).await.unwrap();
    client.list_org_alerts("o", &full).await.unwrap();
    // The enterprise listing has no `page`: refused before anything is sent.
    let refused = client.list_enterprise_alerts("e", &full).await.unwrap_err();
    assert!(matches!(refused, Error::InvalidRequest(_)), "{refused:?}");
    let cursors = AlertsQuery { page: None, ..full };
    client.list_enterprise_alerts("e", &cursors).await.unwrap();
    client
        .list_org_alerts("o", &AlertsQuery::default())
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].path, "/repos/o/r/secret-scanning/alerts");
    assert_eq!(requests[0].query, expected);
    assert_eq!(requests[1].path, "/orgs/o/secret-scanning/alerts");
    assert_eq!(requests[1].query, expected);
    assert_eq!(requests[2].path, "/enterprises/e/secret-scanning/alerts");
    let without_page: Vec<_> = expected
        .iter()
        .filter(|(k, _)| k != "page")
        .cloned()
        .collect();
    assert_eq!(requests[2].query, without_page);
    assert!(requests[3].query.is_empty());
}

#[tokio::test]
async fn link_and_rate_limit_headers_come_back_with_the_page() {
    let link = r#"<https://api.github.com/organizations/1/secret-scanning/alerts?per_page=100&after=abc>; rel="next", <https://api.github.com/organizations/1/secret-scanning/alerts?per_page=100&before=xyz>; rel="prev""#;
    let server = Recorder::start(vec![
        Canned::new(200, "[]")
            .header("link", link)
            .header("x-ratelimit-remaining", "4999")
            .header("x-ratelimit-reset", "1700000000"),
    ]);
    let page = api_client(&server.url())
        .secret_scanning_list_alerts_for_org(
            "octo-org",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some(100),
            None,
            None,
            None,
            None,
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(page.headers()["link"], link);
    assert_eq!(page.headers()["x-ratelimit-remaining"], "4999");
    assert!(page.into_inner().is_empty());
}

/// An organization listing as GitHub sends it: full and sparse alerts, nulls where the
/// description allows them and where it does not say, and values it does not list.
fn org_page() -> serde_json::Value {
    json!([
        {
            "number": 2,
            "created_at": "2020-11-06T18:48:51Z",
            "updated_at": null,
            "url": "https://api.github.com/repos/octo-org/private-repo/secret-scanning/alerts/2",
            "html_url": "https://github.com/octo-org/private-repo/security/secret-scanning/2",
            "locations_url": "https://api.github.com/repos/octo-org/private-repo/secret-scanning/alerts/2/locations",
            "state": "open",
            "resolution": null,
            "resolved_at": null,
            "resolved_by": null,
            "resolution_comment": null,
            "secret_type": "github_personal_access_token",
            "secret_type_display_name": "GitHub Personal Access Token",
            "provider": "GitHub",
            "provider_slug": "github",
            "secret": SECRET,
            "repository": {
                "id": 1296269,
                "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
                "name": "private-repo",
                "full_name": "octo-org/private-repo",
                "owner": {"login": "octo-org", "id": 1, "type": "Organization", "site_admin": false},
                "private": true,
                "html_url": "https://github.com/octo-org/private-repo",
                "description": null,
                "fork": false,
                "url": "https://api.github.com/repos/octo-org/private-repo"
            },
            "push_protection_bypassed": null,
            "push_protection_bypassed_by": null,
            "push_protection_bypassed_at": null,
            "push_protection_bypass_request_reviewer": null,
            "push_protection_bypass_request_reviewer_comment": null,
            "push_protection_bypass_request_comment": null,
            "push_protection_bypass_request_html_url": null,
            "validity": "active",
            "publicly_leaked": false,
            "multi_repo": false,
            "is_base64_encoded": false,
            "first_location_detected": {
                "path": "/example/secrets.txt", "start_line": 1, "end_line": 1,
                "start_column": 1, "end_column": 64,
                "blob_sha": "af5626b4a114abcb82d63db7c8082c3c4756e51b",
                "blob_url": "https://api.github.com/repos/octo-org/private-repo/git/blobs/af5626b4a114abcb82d63db7c8082c3c4756e51b",
                "commit_sha": "f14d7debf9775f957cf4f1e8176da0786431f72b",
                "commit_url": "https://api.github.com/repos/octo-org/private-repo/git/commits/f14d7debf9775f957cf4f1e8176da0786431f72b"
            },
            "has_more_locations": true,
            "assigned_to": null,
            "closure_request_comment": null,
            "closure_request_reviewer_comment": null,
            "closure_request_reviewer": null,
            "a_field_added_later": {"anything": [1, 2]}
        },
        {
            "number": 7,
            "html_url": "https://github.com/octo-org/other/security/secret-scanning/7",
            "state": "resolved",
            "resolution": "pattern_edited",
            "validity": "a_state_added_later",
            "secret_type": "github_oauth_access_token",
            "repository": {"full_name": "octo-org/other"},
            "first_location_detected": {"kind_added_later": "https://github.com/octo-org/other/wiki"}
        },
        {"number": 9}
    ])
}

#[tokio::test]
async fn a_realistic_org_page_decodes_and_keeps_the_secret_out_of_debug() {
    let server = Recorder::start(vec![Canned::new(200, &org_page().to_string())]);
    let alerts = api_client(&server.url())
        .secret_scanning_list_alerts_for_org(
            "octo-org",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some(100),
            None,
            None,
            None,
            None,
            None,
            None,
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(alerts.len(), 3);

    let full = &alerts[0];
    assert_eq!(full.number, Some(2));
    assert_eq!(
        full.html_url.as_deref(),
        Some("https://github.com/octo-org/private-repo/security/secret-scanning/2")
    );
    assert_eq!(full.state.as_deref(), Some("open"));
    assert_eq!(full.resolution, None);
    assert_eq!(
        full.secret_type.as_deref(),
        Some("github_personal_access_token")
    );
    assert_eq!(full.secret.as_ref().map(AlertSecret::expose), Some(SECRET));
    assert_eq!(full.validity.as_deref(), Some("active"));
    let repository = full.repository.as_ref().unwrap();
    assert_eq!(
        repository.full_name.as_deref(),
        Some("octo-org/private-repo")
    );
    assert_eq!(repository.private, Some(true));
    assert!(full.first_location_detected.is_some());

    // Values the description does not list, and an alert with almost nothing.
    let odd = &alerts[1];
    assert_eq!(odd.resolution.as_deref(), Some("pattern_edited"));
    assert_eq!(odd.validity.as_deref(), Some("a_state_added_later"));
    assert_eq!(
        odd.repository.as_ref().unwrap().full_name.as_deref(),
        Some("octo-org/other")
    );
    assert!(odd.secret.is_none());
    assert_eq!(alerts[2].number, Some(9));

    // The secret never shows in Debug, and serializing an alert (a report) redacts it.
    let debug = format!("{alerts:?}");
    assert!(!debug.contains("TOPSECRET"), "{debug}");
    let serialized = serde_json::to_string(&alerts).unwrap();
    assert!(!serialized.contains("TOPSECRET"));
    assert!(serialized.contains(REDACTED));
}

#[tokio::test]
async fn a_repository_page_decodes_with_hidden_secrets() {
    // `hide_secret=true`: no `secret` field at all.
    let body = json!([{
        "number": 1, "state": "open", "resolution": null,
        "secret_type": "github_refresh_token", "html_url": "https://github.com/o/r/security/secret-scanning/1",
        "validity": "unknown", "first_location_detected": null, "has_more_locations": false
    }]);
    let server = Recorder::start(vec![Canned::new(200, &body.to_string())]);
    let alerts = api_client(&server.url())
        .secret_scanning_list_alerts_for_repo(
            "o",
            "r",
            None,
            None,
            None,
            None,
            None,
            None,
            Some(true),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].secret.is_none());
    assert_eq!(
        alerts[0].secret_type.as_deref(),
        Some("github_refresh_token")
    );
    assert!(alerts[0].first_location_detected.is_none());
}

#[tokio::test]
async fn resolving_an_alert_sends_the_resolution_and_reads_the_answer() {
    let answer = json!({
        "number": 42, "state": "resolved", "resolution": "revoked",
        "resolution_comment": "Revoked with gh-revoke", "resolved_at": "2026-11-20T10:00:00Z",
        "resolved_by": {"login": "octocat", "id": 1},
        "secret_type": "github_personal_access_token", "secret": SECRET,
        "metadata": [{"key": "k", "value": "v"}]
    });
    let server = Recorder::start(vec![Canned::new(200, &answer.to_string())]);
    let resolved = api_client(&server.url())
        .secret_scanning_update_alert("octo-org", "app", 42, &resolve_revoked())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resolved.state.as_deref(), Some("resolved"));
    assert_eq!(resolved.resolution.as_deref(), Some("revoked"));
    assert!(!format!("{resolved:?}").contains("TOPSECRET"));
    let request = &server.requests()[0];
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.path,
        "/repos/octo-org/app/secret-scanning/alerts/42"
    );
    assert_eq!(
        request.json(),
        json!({"state": "resolved", "resolution": "revoked", "resolution_comment": "Revoked with gh-revoke"})
    );
}

#[tokio::test]
async fn update_alert_refusals_keep_status_headers_and_message() {
    // 400 "not changed", 403 delegated dismissal, 404, 422: documented without a body; GitHub
    // sends JSON, a proxy may send anything, and the status must survive either way.
    let cases = [
        (
            400,
            r#"{"message":"The resolution was not changed","status":"400"}"#,
            Some("The resolution was not changed"),
        ),
        (
            403,
            r#"{"message":"Delegated alert dismissal is enabled"}"#,
            Some("Delegated alert dismissal is enabled"),
        ),
        (404, "", None),
        (
            422,
            r#"{"message":"Validation Failed","errors":[{"code":"invalid","field":"state"}]}"#,
            Some("Validation Failed"),
        ),
        (503, "<html>busy</html>", None),
    ];
    for (status, body, message) in cases {
        let server = Recorder::start(vec![
            Canned::new(status, body).header("x-ratelimit-remaining", "4000"),
        ]);
        let error = api_client(&server.url())
            .secret_scanning_update_alert("o", "r", 1, &resolve_revoked())
            .await
            .unwrap_err();
        assert!(
            matches!(error, gh_revoke_api::Error::ErrorResponse(_)),
            "{status}: a documented status is an ErrorResponse"
        );
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        let answer = ErrorAnswer::read(error).await.unwrap();
        assert_eq!(answer.status().as_u16(), status);
        assert_eq!(answer.headers()["x-ratelimit-remaining"], "4000");
        assert_eq!(answer.message().as_deref(), message, "{status}");
        assert_eq!(answer.body(), body.as_bytes());
    }
}

#[test]
fn the_query_enums_are_shared_by_the_three_listings() {
    // One Rust type per set of values (the `shared_request_enums` transform): the same value
    // serves all three listings and the update body.
    let state = SecretScanningAlertState::Open;
    let body = types::SecretScanningUpdateAlertBody {
        state: Some(state),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(body).unwrap(),
        json!({"state": "open"})
    );
    assert_eq!(state.to_string(), "open");
    assert_eq!(
        "resolved".parse::<SecretScanningAlertState>().unwrap(),
        SecretScanningAlertState::Resolved
    );
}
