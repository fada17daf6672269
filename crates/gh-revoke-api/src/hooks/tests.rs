use super::*;

const CALLER: &str = "ghp_CallerTOPSECRETCallerTOPSECRET000000";
const LEAKED: &str = "ghs_LeakedTOPSECRETLeakedTOPSECRET000000";

fn request() -> reqwest::Request {
    let mut request = reqwest::Request::new(
        reqwest::Method::POST,
        "http://127.0.0.1/anything".parse().unwrap(),
    );
    let headers = request.headers_mut();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert("api-version", HeaderValue::from_static("23.0.2"));
    headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer smuggled"));
    request
}

fn applied(settings: &Settings, operation: Option<Operation>) -> reqwest::header::HeaderMap {
    let mut req = request();
    settings.apply(&mut req, operation);
    req.headers().clone()
}

fn vendored_operations() -> Vec<(String, bool)> {
    let text = include_str!("../../../../openapi/github-credentials.json");
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut out = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                let cloud_only = op["x-github"]["githubCloudOnly"].as_bool().unwrap();
                out.push((id.to_owned(), cloud_only));
            }
        }
    }
    out
}

#[test]
fn every_operation_gets_github_headers_and_its_version() {
    let settings = Settings::default();
    for op in Operation::ALL {
        let h = applied(&settings, Some(op));
        assert_eq!(h[ACCEPT], GITHUB_MEDIA_TYPE, "{op:?}");
        assert_eq!(h[USER_AGENT], DEFAULT_USER_AGENT, "{op:?}");
        assert!(h.get("api-version").is_none(), "{op:?}");
        assert_eq!(h[API_VERSION_HEADER], op.default_api_version(), "{op:?}");
        // No token in the settings: nothing smuggled onto the request survives.
        assert!(h.get(AUTHORIZATION).is_none(), "{op:?}");
    }
}

#[test]
fn pinned_versions_follow_the_cloud_only_rule_of_the_description() {
    let vendored = vendored_operations();
    assert_eq!(vendored.len(), Operation::ALL.len());
    for (id, cloud_only) in vendored {
        let op = Operation::ALL
            .into_iter()
            .find(|op| op.operation_id() == id)
            .unwrap_or_else(|| panic!("{id} has no Operation"));
        assert_eq!(op.cloud_only(), cloud_only, "{id}");
        let expected = if cloud_only {
            API_VERSION_2026_03_10
        } else {
            API_VERSION_2022_11_28
        };
        assert_eq!(op.default_api_version(), expected, "{id}");
    }
    // The two versions already in use before the fragment grew.
    assert_eq!(
        Operation::CredentialsRevoke.default_api_version(),
        "2022-11-28"
    );
    assert_eq!(
        Operation::EnterpriseRevokeAll.default_api_version(),
        "2026-03-10"
    );
}

#[test]
fn caller_token_goes_everywhere_but_revoke_and_installation_token() {
    let settings = Settings::default().with_bearer_token(CALLER).unwrap();
    assert_eq!(settings.token_role(), Some(TokenRole::Caller));
    for op in Operation::ALL {
        let h = applied(&settings, Some(op));
        // The app-only endpoints take the app's JWT, and the manifest conversion no token.
        let expected = !matches!(
            op,
            Operation::CredentialsRevoke
                | Operation::RevokeInstallationToken
                | Operation::CreateInstallationToken
                | Operation::ListInstallations
                | Operation::CreateAppFromManifest
        );
        assert_eq!(h.get(AUTHORIZATION).is_some(), expected, "{op:?}");
        assert_eq!(settings.authenticates(op), expected, "{op:?}");
        if expected {
            assert_eq!(h[AUTHORIZATION], format!("Bearer {CALLER}").as_str());
        }
    }
}

#[test]
fn leaked_token_goes_to_its_two_operations_only() {
    let settings = Settings::default()
        .with_token(TokenRole::Leaked, LEAKED)
        .unwrap();
    for op in Operation::ALL {
        let h = applied(&settings, Some(op));
        let expected = matches!(
            op,
            Operation::RevokeInstallationToken | Operation::RateLimit
        );
        assert_eq!(h.get(AUTHORIZATION).is_some(), expected, "{op:?}");
        if expected {
            assert_eq!(h[AUTHORIZATION], format!("Bearer {LEAKED}").as_str());
        }
    }
}

#[test]
fn app_jwt_goes_to_the_app_endpoints_only() {
    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJJdjEifQ.c2lnbmF0dXJl";
    let settings = Settings::default().with_app_jwt(JWT).unwrap();
    assert_eq!(settings.token_role(), Some(TokenRole::App));
    for op in Operation::ALL {
        let h = applied(&settings, Some(op));
        let expected = matches!(
            op,
            Operation::CreateInstallationToken | Operation::ListInstallations
        );
        assert_eq!(h.get(AUTHORIZATION).is_some(), expected, "{op:?}");
        assert_eq!(settings.authenticates(op), expected, "{op:?}");
        if expected {
            assert_eq!(h[AUTHORIZATION], format!("Bearer {JWT}").as_str());
        }
    }
    assert!(!format!("{settings:?}").contains(JWT));
}

#[test]
fn credentials_revoke_is_anonymous_whatever_the_token() {
    for settings in [
        Settings::default(),
        Settings::default().with_bearer_token(CALLER).unwrap(),
        Settings::default()
            .with_token(TokenRole::Leaked, LEAKED)
            .unwrap(),
    ] {
        let h = applied(&settings, Some(Operation::CredentialsRevoke));
        assert!(h.get(AUTHORIZATION).is_none(), "{settings:?}");
        assert!(!settings.authenticates(Operation::CredentialsRevoke));
    }
}

#[test]
fn an_unknown_operation_is_never_authenticated() {
    let settings = Settings::default().with_bearer_token(CALLER).unwrap();
    let h = applied(&settings, None);
    assert!(h.get(AUTHORIZATION).is_none());
    assert!(h.get(API_VERSION_HEADER).is_none());
    assert_eq!(h[ACCEPT], GITHUB_MEDIA_TYPE);
}

#[test]
fn one_token_at_a_time() {
    let leaked_then_caller = Settings::default()
        .with_token(TokenRole::Leaked, LEAKED)
        .unwrap()
        .with_bearer_token(CALLER)
        .unwrap();
    let h = applied(&leaked_then_caller, Some(Operation::RateLimit));
    assert_eq!(h[AUTHORIZATION], format!("Bearer {CALLER}").as_str());
    let none = leaked_then_caller.without_token();
    assert!(!none.has_token());
    assert!(
        applied(&none, Some(Operation::RateLimit))
            .get(AUTHORIZATION)
            .is_none()
    );
}

#[test]
fn api_version_is_set_per_operation() {
    let settings = Settings::default()
        .with_api_version(Operation::ListRepoAlerts, "2026-03-10")
        .unwrap();
    assert_eq!(
        applied(&settings, Some(Operation::ListRepoAlerts))[API_VERSION_HEADER],
        "2026-03-10"
    );
    // The others keep their own.
    assert_eq!(
        applied(&settings, Some(Operation::ListOrgAlerts))[API_VERSION_HEADER],
        "2022-11-28"
    );
}

#[test]
fn the_table_is_consistent() {
    for (i, op) in Operation::ALL.into_iter().enumerate() {
        assert_eq!(op.index(), i, "{op:?} is out of order in ALL");
        assert_eq!(Operation::from_generated_id(op.generated_id()), Some(op));
        assert_eq!(
            op.generated_id(),
            op.operation_id().replace(['/', '-'], "_"),
            "{op:?}"
        );
    }
}

#[test]
fn generated_ids_match_the_generated_client() {
    let generated = include_str!("../generated.rs");
    let mut in_generated = 0;
    for line in generated.lines() {
        if let Some(rest) = line.trim().strip_prefix("operation_id: \"") {
            let id = rest.trim_end_matches(['"', ',']);
            assert!(
                Operation::from_generated_id(id).is_some(),
                "the generated operation {id} has no Operation: it would never be authenticated"
            );
            in_generated += 1;
        }
    }
    assert_eq!(in_generated, Operation::ALL.len());
}

#[test]
fn tokens_never_show_in_debug_or_errors() {
    for settings in [
        Settings::default().with_bearer_token(CALLER).unwrap(),
        Settings::default()
            .with_token(TokenRole::Leaked, LEAKED)
            .unwrap(),
    ] {
        let debug = format!("{settings:?}");
        assert!(!debug.contains("TOPSECRET"), "{debug}");
        assert!(debug.contains("token: Some("), "{debug}");
    }
    let err = Settings::default()
        .with_bearer_token("ghp_TOPSECRET\n")
        .unwrap_err();
    assert!(!err.to_string().contains("TOPSECRET"));
    assert!(!format!("{err:?}").contains("TOPSECRET"));
}

#[test]
fn bad_header_values_are_errors() {
    let err = Settings::default()
        .with_user_agent("bad\nagent")
        .unwrap_err();
    assert!(err.to_string().contains("User-Agent"));
    assert!(
        Settings::default()
            .with_api_version(Operation::CredentialsRevoke, "x\r")
            .is_err()
    );
}

#[test]
fn the_manifest_code_is_not_logged() {
    let url =
        reqwest::Url::parse("https://api.github.com/app-manifests/Code123abc/conversions").unwrap();
    let shown = logged_url(&url, Some(Operation::CreateAppFromManifest));
    assert_eq!(
        shown,
        "https://api.github.com/app-manifests/(redacted)/conversions"
    );
    let other = reqwest::Url::parse("https://api.github.com/app/installations").unwrap();
    assert_eq!(
        logged_url(&other, Some(Operation::ListInstallations)),
        "https://api.github.com/app/installations"
    );
}
