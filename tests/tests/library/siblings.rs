//! The seven siblings of revoke-all through `EnterpriseClient::revoke` (one answer path):
//! each operation's path, body (validated against the vendored fragment), token and version;
//! every documented error; redirects; token hygiene.

use std::time::Duration;

use gh_revoke::{ApiBase, CredentialType, EnterpriseClient, EnterpriseError, Target};
use gh_revoke_tests::fake_github::{FakeGitHub, Recorded, Scripted};
use httpmock::prelude::*;
use secrecy::SecretString;
use serde_json::{Value, json};

const TOKEN: &str = "ghp_SiblingsOwnerTokenUsedInTests00000000";

/// One sibling: the target, the concrete path, the fragment's path template, the operation id.
struct Case {
    target: Target,
    path: &'static str,
    template: &'static str,
    operation: &'static str,
}

fn cases() -> Vec<Case> {
    let ssh = CredentialType::SshKey;
    vec![
        Case {
            target: Target::enterprise("acme")
                .credential_type(CredentialType::ClassicPat)
                .revoke_credentials(true),
            path: "/enterprises/acme/credential-authorizations/revoke-credential-type",
            template: "/enterprises/{enterprise}/credential-authorizations/revoke-credential-type",
            operation: "enterprise-admin/revoke-credential-type-for-enterprise",
        },
        Case {
            target: Target::enterprise("acme").user("octocat_acme"),
            path: "/enterprises/acme/credential-authorizations/octocat_acme/revoke",
            template: "/enterprises/{enterprise}/credential-authorizations/{username}/revoke",
            operation: "enterprise-admin/revoke-credential-authorizations-for-user",
        },
        Case {
            target: Target::enterprise("acme")
                .user("octocat")
                .credential_type(CredentialType::FineGrainedPat),
            path: "/enterprises/acme/credential-authorizations/octocat/revoke-credential-type",
            template: "/enterprises/{enterprise}/credential-authorizations/{username}/revoke-credential-type",
            operation: "enterprise-admin/revoke-credential-type-for-user",
        },
        Case {
            target: Target::org("acme"),
            path: "/orgs/acme/credential-authorizations/revoke-all",
            template: "/orgs/{org}/credential-authorizations/revoke-all",
            operation: "orgs/revoke-all-credential-authorizations",
        },
        Case {
            target: Target::org("acme").credential_type(ssh),
            path: "/orgs/acme/credential-authorizations/revoke-credential-type",
            template: "/orgs/{org}/credential-authorizations/revoke-credential-type",
            operation: "orgs/revoke-credential-type",
        },
        Case {
            target: Target::org("acme").user("octocat"),
            path: "/orgs/acme/credential-authorizations/octocat/revoke",
            template: "/orgs/{org}/credential-authorizations/{username}/revoke",
            operation: "orgs/revoke-credential-authorizations-for-user",
        },
        Case {
            target: Target::org("acme")
                .user("octocat")
                .credential_type(CredentialType::OauthAppToken),
            path: "/orgs/acme/credential-authorizations/octocat/revoke-credential-type",
            template: "/orgs/{org}/credential-authorizations/{username}/revoke-credential-type",
            operation: "orgs/revoke-credential-type-for-user",
        },
    ]
}

fn client(base_url: &str) -> EnterpriseClient {
    EnterpriseClient::builder(ApiBase::parse(base_url).unwrap(), SecretString::from(TOKEN))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn openapi() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("openapi/github-credentials.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The request-body schema of `POST template`, or None when the operation takes no body.
fn body_validator(template: &str) -> Option<jsonschema::Validator> {
    let operation = &openapi()["paths"][template]["post"];
    assert!(operation.is_object(), "no POST {template} in the fragment");
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    schema
        .is_object()
        .then(|| jsonschema::draft4::new(schema).unwrap())
}

fn assert_valid_request(case: &Case, request: &Recorded) {
    assert_eq!(request.path, case.path);
    match body_validator(case.template) {
        Some(validator) => {
            let body: Value = serde_json::from_slice(&request.body)
                .unwrap_or_else(|e| panic!("{}: body is not JSON: {e}", case.path));
            let errors: Vec<String> = validator
                .iter_errors(&body)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{}: {body} violates the schema: {errors:?}",
                case.path
            );
        }
        None => assert!(request.body.is_empty(), "{}: unexpected body", case.path),
    }
}

#[test]
fn the_validators_can_fail() {
    let by_type = body_validator(cases()[0].template).unwrap();
    assert!(by_type.is_valid(&json!({"credential_type": "ssh_key"})));
    for bad in [
        json!({}),
        json!({"credential_type": "password"}),
        json!({"credential_type": "ssh_key", "revoke_credentials": "yes"}),
    ] {
        assert!(!by_type.is_valid(&bad), "accepted {bad}");
    }
    // The organization calls without a type take no body at all.
    assert!(body_validator(cases()[3].template).is_none());
    assert!(body_validator(cases()[5].template).is_none());
}

#[tokio::test]
async fn each_sibling_sends_its_own_request_and_reports_the_answer() {
    let cases = cases();
    let answer = r#"{"message":"Credential type revocation has been queued","warning":"The token used for this request may also have its authorization revoked"}"#;
    let fake = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![Scripted::status(202, answer); cases.len()],
    )
    .await;
    let client = client(&fake.base_url());
    for case in &cases {
        let report = client.revoke(&case.target).await.unwrap();
        assert_eq!(report.operation, case.operation);
        assert_eq!(report.status, 202);
        assert_eq!(report.name, "acme");
        assert_eq!(report.user.as_deref(), case.target.login());
        assert_eq!(report.credential_type, case.target.kind());
        assert_eq!(
            report.revoke_credentials,
            case.target.destroys_credentials()
        );
        assert_eq!(report.description, case.target.describe());
        assert_eq!(
            report.message.as_deref(),
            Some("Credential type revocation has been queued")
        );
        assert!(report.warning.unwrap().contains("may also have"));
        assert_eq!(report.api_url, fake.base_url());
    }
    let requests = fake.requests();
    assert_eq!(requests.len(), cases.len());
    for (case, request) in cases.iter().zip(&requests) {
        assert_valid_request(case, request);
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(request.header("x-github-api-version"), Some("2026-03-10"));
        assert_eq!(
            request.header("accept"),
            Some("application/vnd.github+json")
        );
    }
    // What the bodies say, beyond being valid.
    let body = |i: usize| serde_json::from_slice::<Value>(&requests[i].body).unwrap();
    assert_eq!(
        body(0),
        json!({"credential_type": "classic_pat", "revoke_credentials": true})
    );
    assert_eq!(body(1), json!({"revoke_credentials": false}));
    assert_eq!(body(2)["credential_type"], "fine_grained_pat");
    assert_eq!(body(4), json!({"credential_type": "ssh_key"}));
    assert_eq!(body(6), json!({"credential_type": "oauth_app_token"}));
}

/// Answer every request with `status` and `body` (plus `headers`), then revoke `target`.
async fn answered(
    target: &Target,
    status: u16,
    headers: &[(&str, &str)],
    body: Value,
) -> EnterpriseError {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST);
            let mut then = then.status(status).json_body(body);
            for (name, value) in headers {
                then = then.header(*name, *value);
            }
        })
        .await;
    client(&server.base_url())
        .revoke(target)
        .await
        .expect_err("an error status")
}

#[tokio::test]
async fn forbidden_names_the_owner_and_scope_each_scope_needs() {
    for case in cases() {
        let err = answered(
            &case.target,
            403,
            &[],
            json!({"message": "Must have admin rights"}),
        )
        .await;
        let text = err.to_string();
        if case.operation.starts_with("orgs/") {
            assert!(
                matches!(err, EnterpriseError::OrgForbidden { .. }),
                "{err:?}"
            );
            assert!(
                text.contains("admin:org") && text.contains("owner of organization"),
                "{text}"
            );
        } else {
            assert!(matches!(err, EnterpriseError::Forbidden { .. }), "{err:?}");
            assert!(
                text.contains("admin:enterprise") && text.contains("enterprise owner"),
                "{text}"
            );
        }
        assert!(text.contains("Must have admin rights"), "{text}");
    }
}

#[tokio::test]
async fn forbidden_by_sso_says_where_to_authorize() {
    let err = answered(
        &Target::org("acme").user("octocat"),
        403,
        &[(
            "x-github-sso",
            "required; url=https://github.com/orgs/acme/sso?authorization_request=A1",
        )],
        json!({"message": "Resource protected by organization SAML enforcement"}),
    )
    .await;
    assert!(
        matches!(err, EnterpriseError::SsoRequired { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("https://github.com/orgs/acme/sso"),
        "{err}"
    );
}

#[tokio::test]
async fn not_found_names_what_was_missing() {
    for case in cases() {
        let err = answered(&case.target, 404, &[], json!({"message": "Not Found"})).await;
        let text = err.to_string();
        assert!(text.contains("404"), "{text}");
        assert!(text.contains("\"acme\""), "{text}");
        if let Some(login) = case.target.login() {
            assert!(text.contains(&format!("user \"{login}\"")), "{text}");
        }
    }
}

#[tokio::test]
async fn each_documented_422_says_what_to_do() {
    let user_type = Target::enterprise("acme")
        .user("octocat")
        .credential_type(CredentialType::ClassicPat)
        .revoke_credentials(true);
    // The fragment's 422 examples, by name.
    let first = answered(
        &user_type,
        422,
        &[],
        json!({"message": "The first EMU owner cannot be targeted for credential revocation."}),
    )
    .await;
    assert!(
        matches!(first, EnterpriseError::FirstEmuOwner { .. }),
        "{first:?}"
    );
    assert!(first.to_string().contains("another user"), "{first}");

    let invalid = answered(
        &Target::org("acme").credential_type(CredentialType::SshKey),
        422,
        &[],
        json!({"message": "The `credential_type` parameter is required and must be one of: classic_pat, fine_grained_pat, ssh_key, oauth_app_token"}),
    )
    .await;
    assert!(
        matches!(invalid, EnterpriseError::InvalidCredentialType { .. }),
        "{invalid:?}"
    );
    assert!(
        invalid
            .to_string()
            .contains("classic_pat, fine_grained_pat"),
        "{invalid}"
    );

    let non_emu = answered(
        &user_type,
        422,
        &[],
        json!({"message": "The `revoke_credentials` option is only available for Enterprise Managed User (EMU) enterprises"}),
    )
    .await;
    assert!(
        matches!(non_emu, EnterpriseError::NotEmu { .. }),
        "{non_emu:?}"
    );
    assert!(
        non_emu.to_string().contains("--revoke-credentials"),
        "{non_emu}"
    );
}

#[tokio::test]
async fn impossible_requests_send_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(202);
        })
        .await;
    let client = client(&server.base_url());
    for target in [
        Target::enterprise("acme")
            .credential_type(CredentialType::OauthAppToken)
            .revoke_credentials(true),
        Target::enterprise("acme")
            .user("octocat")
            .credential_type(CredentialType::OauthAppToken)
            .revoke_credentials(true),
        Target::org("acme").revoke_credentials(true),
        Target::org("acme/../enterprises/x"),
        Target::org("acme").user("octocat/../../x"),
    ] {
        let err = client.revoke(&target).await.unwrap_err();
        assert!(
            matches!(
                err,
                EnterpriseError::CannotDestroy { .. } | EnterpriseError::InvalidName { .. }
            ),
            "{target:?}: {err:?}"
        );
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn a_redirect_is_refused_and_the_token_never_reaches_the_other_host() {
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(202).json_body(json!({}));
        })
        .await;
    for status in [301, 302, 307, 308] {
        let server = MockServer::start_async().await;
        let location = elsewhere.url("/orgs/acme/credential-authorizations/revoke-all");
        server
            .mock_async(|when, then| {
                when.any_request();
                then.status(status).header("location", &location);
            })
            .await;
        let err = client(&server.base_url())
            .revoke(&Target::org("acme"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, EnterpriseError::Redirect { .. }),
            "{status}: {err:?}"
        );
        assert!(err.to_string().contains("not followed"), "{err}");
    }
    assert_eq!(stolen.calls_async().await, 0);
}

#[tokio::test]
async fn the_token_never_appears_in_errors_reports_or_debug() {
    let target = Target::org("acme").user("octocat");
    let err = answered(
        &target,
        401,
        &[],
        json!({"message": format!("Bad credentials {TOKEN}")}),
    )
    .await;
    assert!(
        matches!(err, EnterpriseError::Unauthorized { .. }),
        "{err:?}"
    );

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(202)
                .json_body(json!({"message": format!("queued for {TOKEN}"), "warning": TOKEN}));
        })
        .await;
    let client = client(&server.base_url());
    let report = client.revoke(&target).await.unwrap();
    let json = serde_json::to_string(&report).unwrap();
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{client:?}"),
        format!("{report:?}"),
        json,
    ] {
        assert!(!text.contains(&TOKEN[4..20]), "{text}");
    }
}

#[tokio::test]
async fn any_2xx_is_success_and_a_lost_answer_is_an_unknown_outcome() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/orgs/acme/credential-authorizations/revoke-credential-type");
            then.status(202)
                .header("content-type", "application/json")
                .body("not json");
        })
        .await;
    let report = client(&server.base_url())
        .revoke(&Target::org("acme").credential_type(CredentialType::ClassicPat))
        .await
        .unwrap();
    assert!(report.note.is_some(), "{report:?}");

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(502).body("<html>Bad gateway</html>");
        })
        .await;
    let err = client(&server.base_url())
        .revoke(&Target::org("acme").user("octocat"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, EnterpriseError::OutcomeUnknown { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("organization audit log"), "{err}");
}

#[tokio::test]
async fn revoke_all_through_the_target_is_the_same_call() {
    let fake = FakeGitHub::start(
        60,
        Duration::from_secs(3600),
        vec![Scripted::status(202, r#"{"message":"queued"}"#); 2],
    )
    .await;
    let client = client(&fake.base_url());
    let all = client.revoke_all("acme", true).await.unwrap();
    let same = client
        .revoke(&Target::enterprise("acme").revoke_credentials(true))
        .await
        .unwrap();
    assert_eq!(
        same.operation,
        "enterprise-admin/revoke-all-credential-authorizations"
    );
    assert_eq!(all.message, same.message);
    let requests = fake.requests();
    assert_eq!(requests[0].path, requests[1].path);
    assert_eq!(requests[0].body, requests[1].body);
}
