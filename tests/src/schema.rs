//! The vendored OpenAPI fragment's request-body schemas, to check what is sent.

use serde_json::Value;

use crate::fake_github::Recorded;

/// `POST /credentials/revoke`.
pub const REVOKE: &str = "/credentials/revoke";
/// The enterprise revoke-all path.
pub const REVOKE_ALL: &str = "/enterprises/{enterprise}/credential-authorizations/revoke-all";
/// A never-issued token the tests use as an enterprise owner's.
pub const OWNER_TOKEN: &str = "ghp_RequestFidelityOwnerToken000000000000";

/// The vendored OpenAPI fragment.
pub fn openapi() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("openapi/github-credentials.json");
    let text = std::fs::read_to_string(&path).expect("the vendored fragment");
    serde_json::from_str(&text).expect("the fragment is JSON")
}

/// The request-body schema of `POST path` (OpenAPI 3.0 schema objects are JSON Schema draft 4
/// for what these bodies use: type, properties, required, items, minItems, maxItems).
pub fn body_schema(path: &str) -> Value {
    let schema =
        openapi()["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
            .clone();
    assert!(schema.is_object(), "no request-body schema for {path}");
    schema
}

/// A draft-4 validator of `POST path`'s request body.
pub fn validator(path: &str) -> jsonschema::Validator {
    jsonschema::draft4::new(&body_schema(path))
        .unwrap_or_else(|e| panic!("schema for {path} does not compile: {e}"))
}

/// Assert `request`'s body is JSON, sent as JSON, and valid against `validator`.
pub fn assert_valid(validator: &jsonschema::Validator, request: &Recorded) {
    let content_type = request.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{}: content-type {content_type:?}",
        request.path
    );
    let body: Value = serde_json::from_slice(&request.body)
        .unwrap_or_else(|e| panic!("{}: body is not JSON: {e}", request.path));
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{}: body violates the OpenAPI schema: {errors:?}",
        request.path
    );
}
