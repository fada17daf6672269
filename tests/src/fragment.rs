//! Every request a stand-in receives, checked against the vendored fragment
//! (`openapi/github-credentials.json`): a described path and method, path and query parameters
//! the operation declares with values their schemas accept, every required query parameter, and
//! a JSON body (sent as JSON) valid against the request-body schema (`$ref`s resolved,
//! OpenAPI 3.0's `nullable` read as JSON Schema). One copy for every stand-in of the workspace:
//! the alerts stand-in ([`crate::alerts_server`]) and gh-revoke-serve's GitHub App stand-ins.

use serde_json::{Map, Value, json};

/// The vendored fragment (found from this crate's directory upwards).
pub fn fragment() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("openapi/github-credentials.json"))
        .find(|p| p.exists())
        .expect("the vendored fragment");
    let text = std::fs::read_to_string(&path).expect("the vendored fragment");
    serde_json::from_str(&text).expect("the fragment is JSON")
}

/// `node` with every local `$ref` replaced by its target and OpenAPI 3.0's `nullable: true`
/// turned into JSON Schema's `null` type (and a `null` in its `enum`), so that a draft-4
/// validator reads it as OpenAPI means it. (The fragment's schemas have no reference cycles.)
pub fn json_schema(root: &Value, node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                let target = root
                    .pointer(reference.trim_start_matches('#'))
                    .unwrap_or_else(|| panic!("`$ref` {reference} does not resolve"));
                return json_schema(root, target);
            }
            let mut out = Map::new();
            for (key, value) in map {
                // Data, not schemas; and keywords draft 4 does not know.
                if matches!(
                    key.as_str(),
                    "example" | "examples" | "nullable" | "readOnly" | "x-github-breaking-changes"
                ) {
                    continue;
                }
                let value = if key == "properties" {
                    Value::Object(
                        value
                            .as_object()
                            .expect("`properties` is an object")
                            .iter()
                            .map(|(n, s)| (n.clone(), json_schema(root, s)))
                            .collect(),
                    )
                } else {
                    json_schema(root, value)
                };
                out.insert(key.clone(), value);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(kind)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([kind, "null"]));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| json_schema(root, v)).collect()),
        other => other.clone(),
    }
}

/// `text` percent-decoded (`+` read as a space), as a server reads a path segment.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path parameters of `path` (as sent, percent-encoded) when it fits `template`.
fn fit(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let actual: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if parts.len() != actual.len() {
        return None;
    }
    let mut params = Vec::new();
    for (t, a) in parts.iter().zip(&actual) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(_) if a.is_empty() => return None,
            Some(name) => params.push((name.to_owned(), decode(a))),
            None if t == a => {}
            None => return None,
        }
    }
    Some(params)
}

/// A parameter's text as the JSON value its schema types it as.
fn typed(schema: &Value, text: &str) -> Value {
    match schema["type"].as_str() {
        Some("integer" | "number" | "boolean") => {
            serde_json::from_str(text).unwrap_or(Value::String(text.to_owned()))
        }
        _ => Value::String(text.to_owned()),
    }
}

/// Check one request (`path` as sent, without the query; `query` decoded): `Ok(operationId)`,
/// or one message naming the request and every way it departs from the fragment.
pub fn check(
    root: &Value,
    method: &str,
    path: &str,
    query: &[(String, String)],
    content_type: Option<&str>,
    body: &[u8],
) -> Result<String, String> {
    let found = root["paths"]
        .as_object()
        .expect("the fragment has paths")
        .iter()
        .filter_map(|(template, item)| {
            let operation = item.get(method.to_ascii_lowercase())?;
            Some((operation, fit(template, path)?))
        })
        .next();
    let Some((operation, path_params)) = found else {
        return Err(format!(
            "{method} {path}: no such operation in the fragment"
        ));
    };
    let id = operation["operationId"].as_str().unwrap_or("?").to_owned();
    let mut problems = Vec::new();
    let declared: Vec<Value> = operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| json_schema(root, p))
        .collect();
    let given = path_params
        .iter()
        .map(|p| ("path", p))
        .chain(query.iter().map(|p| ("query", p)));
    for (place, (name, value)) in given {
        let Some(param) = declared
            .iter()
            .find(|p| p["in"] == place && p["name"] == name.as_str())
        else {
            problems.push(format!("{place} parameter {name:?} is not described"));
            continue;
        };
        let schema = &param["schema"];
        let validator = jsonschema::draft4::new(schema).expect("parameter schema compiles");
        for error in validator.iter_errors(&typed(schema, value)) {
            problems.push(format!("{name}={value:?}: {error}"));
        }
    }
    for param in declared
        .iter()
        .filter(|p| p["in"] == "query" && p["required"] == true)
    {
        if !query.iter().any(|(n, _)| param["name"] == n.as_str()) {
            problems.push(format!(
                "required query parameter {} missing",
                param["name"]
            ));
        }
    }
    match operation.pointer("/requestBody/content/application~1json/schema") {
        Some(schema) if !body.is_empty() => {
            if !content_type.is_some_and(|c| c.starts_with("application/json")) {
                problems.push(format!("body sent as {content_type:?}, not JSON"));
            }
            match serde_json::from_slice::<Value>(body) {
                Ok(value) => {
                    let validator = jsonschema::draft4::new(&json_schema(root, schema))
                        .expect("body schema compiles");
                    for error in validator.iter_errors(&value) {
                        problems.push(format!("body: {error}"));
                    }
                }
                Err(e) => problems.push(format!("body is not JSON: {e}")),
            }
        }
        Some(_) if operation["requestBody"]["required"] == true => {
            problems.push("required body missing".into())
        }
        None if !body.is_empty() => problems.push("a body where none is described".into()),
        _ => {}
    }
    if problems.is_empty() {
        Ok(id)
    } else {
        Err(format!("{method} {path} ({id}): {}", problems.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn described_requests_pass_and_departures_are_named() {
        let root = fragment();
        let json = Some("application/json");
        let body = br#"{"credentials":["ghp_x"]}"#;
        assert_eq!(
            check(&root, "POST", "/credentials/revoke", &[], json, body).as_deref(),
            Ok("credentials/revoke")
        );
        let refused = |method, path, query: &[(String, String)], ct, body: &[u8], words: &str| {
            let err = check(&root, method, path, query, ct, body).unwrap_err();
            assert!(err.contains(words), "{err:?} does not say {words:?}");
        };
        refused("GET", "/nowhere", &[], None, b"", "no such operation");
        refused(
            "POST",
            "/credentials/revoke",
            &[],
            None,
            b"",
            "required body missing",
        );
        refused("POST", "/credentials/revoke", &[], None, body, "not JSON");
        refused("POST", "/credentials/revoke", &[], json, b"{}", "body:");
        refused(
            "POST",
            "/credentials/revoke",
            &q(&[("x", "1")]),
            json,
            body,
            "\"x\"",
        );
        refused(
            "GET",
            "/repos/o/r/secret-scanning/alerts/abc",
            &[],
            None,
            b"",
            "alert_number",
        );
        refused(
            "GET",
            "/repos/o/r/secret-scanning/alerts/1",
            &[],
            None,
            b"{}",
            "a body where none",
        );
    }
}
