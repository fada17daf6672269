//! Every request a stand-in receives, checked against the vendored fragment
//! (`openapi/github-credentials.json`): a described path and method, only described query
//! parameters with values their schemas accept, every required one, and a JSON body valid
//! against the request-body schema (`$ref`s resolved, OpenAPI's `nullable` read as JSON Schema).

use serde_json::{Map, Value, json};

/// The vendored fragment.
pub fn fragment() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../openapi/github-credentials.json");
    let text = std::fs::read_to_string(&path).expect("the vendored fragment");
    serde_json::from_str(&text).expect("the fragment is JSON")
}

/// `node` with local `$ref`s resolved and `nullable` turned into a `null` type.
fn resolve(root: &Value, node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                let target = root
                    .pointer(reference.trim_start_matches('#'))
                    .unwrap_or_else(|| panic!("`$ref` {reference} does not resolve"));
                return resolve(root, target);
            }
            let mut out = Map::new();
            for (key, value) in map {
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
                            .unwrap()
                            .iter()
                            .map(|(name, schema)| (name.clone(), resolve(root, schema)))
                            .collect(),
                    )
                } else {
                    resolve(root, value)
                };
                out.insert(key.clone(), value);
            }
            if map.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(kind)) = out.get("type").cloned()
            {
                out.insert("type".into(), json!([kind, "null"]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| resolve(root, v)).collect()),
        other => other.clone(),
    }
}

fn fits(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let a: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    t.len() == a.len()
        && t.iter()
            .zip(&a)
            .all(|(t, a)| (t.starts_with('{') && !a.is_empty()) || t == a)
}

/// Check one request; `Ok(operationId)` or every way it departs from the fragment.
pub fn check(
    root: &Value,
    method: &str,
    path: &str,
    query: &[(String, String)],
    content_type: Option<&str>,
    body: &[u8],
) -> Result<String, String> {
    let paths = root["paths"].as_object().unwrap();
    let Some((_, item)) = paths.iter().find(|(template, _)| fits(template, path)) else {
        return Err(format!("{method} {path}: no such path in the fragment"));
    };
    let Some(operation) = item.get(method.to_ascii_lowercase()) else {
        return Err(format!("{method} {path}: method not described"));
    };
    let id = operation["operationId"].as_str().unwrap().to_owned();
    let mut problems = Vec::new();
    let parameters: Vec<Value> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| resolve(root, p))
        .collect();
    for (name, value) in query {
        let Some(parameter) = parameters
            .iter()
            .find(|p| p["in"] == "query" && p["name"] == name.as_str())
        else {
            problems.push(format!("query parameter {name:?} is not described"));
            continue;
        };
        let schema = &parameter["schema"];
        let typed = match schema["type"].as_str() {
            Some("integer") => match value.parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => {
                    problems.push(format!("{name}={value:?} is not an integer"));
                    continue;
                }
            },
            Some("boolean") => json!(value == "true"),
            _ => json!(value),
        };
        let validator = jsonschema::draft4::new(schema).expect("parameter schema compiles");
        for error in validator.iter_errors(&typed) {
            problems.push(format!("{name}={value:?}: {error}"));
        }
    }
    for parameter in parameters
        .iter()
        .filter(|p| p["in"] == "query" && p["required"] == true)
    {
        if !query.iter().any(|(n, _)| parameter["name"] == n.as_str()) {
            problems.push(format!(
                "required query parameter {} missing",
                parameter["name"]
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
                    let validator = jsonschema::draft4::new(&resolve(root, schema))
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
