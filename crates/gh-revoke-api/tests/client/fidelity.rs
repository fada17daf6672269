//! Every request the generated client sends is what the vendored description (not the
//! normalised one progenitor saw) says: the operation's method and path, path and query values
//! valid against their parameter schemas, no undeclared query parameter, and a JSON body valid
//! against the request-body schema. Drift between the fragment, the normalisation and the
//! generated code fails here.

use gh_revoke_api::hooks::Operation;
use serde_json::{Value, json};

use crate::calls::{self, call};
use crate::support::{
    Canned, Described, Recorded, Recorder, api_client, described_operations, fragment, typed_value,
    violations,
};

fn described(root: &Value, operation: Operation) -> Described {
    described_operations(root)
        .into_iter()
        .find(|d| d.operation_id == operation.operation_id())
        .unwrap_or_else(|| panic!("{} is not in the fragment", operation.operation_id()))
}

/// Every way `request` departs from `described`.
fn departures(root: &Value, described: &Described, request: &Recorded) -> Vec<String> {
    let mut out = Vec::new();
    let Some(path_values) = described.path_params(&request.path) else {
        return vec![format!("{} does not fit {}", request.path, described.path)];
    };
    if request.method != described.method {
        out.push(format!(
            "method {} instead of {}",
            request.method, described.method
        ));
    }
    let parameters = described.parameters(root);
    for (name, location, required, schema) in &parameters {
        let sent: Vec<&String> = match location.as_str() {
            "path" => path_values
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v)
                .collect(),
            "query" => request
                .query
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v)
                .collect(),
            _ => continue,
        };
        if *required && sent.is_empty() {
            out.push(format!("required {location} parameter {name} missing"));
        }
        if sent.len() > 1 {
            out.push(format!(
                "{location} parameter {name} sent {} times",
                sent.len()
            ));
        }
        for value in sent {
            for violation in violations(schema, &typed_value(schema, value)) {
                out.push(format!("{location} parameter {name}={value}: {violation}"));
            }
        }
    }
    for (name, _) in &request.query {
        if !parameters
            .iter()
            .any(|(n, location, _, _)| n == name && location == "query")
        {
            out.push(format!("undeclared query parameter {name}"));
        }
    }
    match described.body_schema(root) {
        Some(schema) => {
            if !request
                .header("content-type")
                .is_some_and(|c| c.starts_with("application/json"))
            {
                out.push(format!("content-type {:?}", request.header("content-type")));
            }
            for violation in violations(&schema, &request.json()) {
                out.push(format!("body: {violation}"));
            }
        }
        None => {
            if !request.body.is_empty() {
                out.push("a body where the description has none".to_owned());
            }
        }
    }
    out
}

#[tokio::test]
async fn every_request_matches_the_vendored_description() {
    let root = fragment();
    let server = Recorder::start(vec![Canned::new(200, "{}")]);
    let client = api_client(&server.url());
    for op in Operation::ALL {
        call(&client, op).await;
    }
    let requests = server.requests();
    assert_eq!(requests.len(), Operation::ALL.len());
    for (op, request) in Operation::ALL.into_iter().zip(&requests) {
        let described = described(&root, op);
        let problems = departures(&root, &described, request);
        assert!(
            problems.is_empty(),
            "{}: {} {}: {problems:#?}",
            op.operation_id(),
            request.method,
            request.path
        );
        // No other operation of the fragment fits the same request.
        let fitting: Vec<String> = described_operations(&root)
            .into_iter()
            .filter(|d| d.matches(request))
            .map(|d| d.operation_id)
            .collect();
        assert_eq!(fitting, [op.operation_id()], "{}", request.path);
    }
    // Path values arrive whole (encoded by the client, decoded here).
    let update = &requests[Operation::ALL
        .iter()
        .position(|op| *op == Operation::UpdateAlert)
        .unwrap()];
    assert_eq!(
        update.path,
        "/repos/octo-org/hello%20world/secret-scanning/alerts/42"
    );
    assert_eq!(update.json()["resolution"], "revoked");
}

#[test]
fn the_checks_can_fail() {
    // A schema lookup that found nothing, or a translation that lost a rule, would accept
    // anything: requests the description forbids must be refused.
    let root = fragment();
    let body = |op: Operation| described(&root, op).body_schema(&root).unwrap();
    let update = body(Operation::UpdateAlert);
    for bad in [
        json!({}),
        json!({"resolution": "revoked"}),
        json!({"state": "closed"}),
        json!({"state": "resolved", "resolution": "fixed"}),
        json!({"validity": "unknown"}),
    ] {
        assert!(!violations(&update, &bad).is_empty(), "accepted {bad}");
    }
    // `nullable` is honoured: these are valid.
    for good in [
        json!({"state": "resolved", "resolution": "revoked", "resolution_comment": null}),
        json!({"assignee": null}),
        json!({"validity": null}),
    ] {
        assert!(violations(&update, &good).is_empty(), "refused {good}");
    }
    let credential_type = body(Operation::OrgRevokeCredentialType);
    assert!(!violations(&credential_type, &json!({"credential_type": "pat"})).is_empty());
    assert!(!violations(&credential_type, &json!({})).is_empty());
    let revoke = body(Operation::CredentialsRevoke);
    assert!(!violations(&revoke, &json!({"credentials": []})).is_empty());

    let list = described(&root, Operation::ListRepoAlerts);
    let request = |query: &[(&str, &str)]| Recorded {
        method: "GET".into(),
        path: "/repos/o/r/secret-scanning/alerts".into(),
        query: query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    assert!(departures(&root, &list, &request(&[("state", "open")])).is_empty());
    for bad in [
        &[("state", "closed")][..],
        &[("per_page", "many")],
        &[("hide_secret", "maybe")],
        &[("direction", "up")],
        &[("cursor", "x")],
        &[("page", "1"), ("page", "2")],
    ] {
        assert!(
            !departures(&root, &list, &request(bad)).is_empty(),
            "accepted {bad:?}"
        );
    }
    let wrong_path = Recorded {
        path: "/repos/o/secret-scanning/alerts".into(),
        ..request(&[])
    };
    assert!(!departures(&root, &list, &wrong_path).is_empty());
}

#[test]
fn the_resolve_body_gh_revoke_sends_is_valid() {
    let root = fragment();
    let schema = described(&root, Operation::UpdateAlert)
        .body_schema(&root)
        .unwrap();
    let body = serde_json::to_value(calls::resolve_revoked()).unwrap();
    assert_eq!(
        body,
        json!({"resolution": "revoked", "resolution_comment": "Revoked with gh-revoke", "state": "resolved"})
    );
    assert!(violations(&schema, &body).is_empty());
}
