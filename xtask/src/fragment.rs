//! `cargo xtask fragment`: cut the operations gh-revoke uses ([`OPERATIONS`]), and everything they `$ref`,
//! out of a full official GitHub REST description.
//!
//! The cut copies objects verbatim (key order included: `serde_json` keeps insertion order in
//! this workspace). What is kept:
//! - `openapi`, `info`, `servers`, `externalDocs` of the source document, as they are;
//! - `tags`: only the tags the kept operations name, in the source's order;
//! - `paths`: for each kept operation, its path item with only that operation's method (and any
//!   path-level `parameters`, `summary`, `description`, `servers`), in the order of [`OPERATIONS`];
//! - `components`: the transitive closure of the `$ref`s reachable from the kept operations, in
//!   the source's section and entry order.
//!
//! Nothing else (other operations, webhooks, unreferenced components) survives.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Value};

use crate::{FRAGMENT_PATH, Outcome, workspace_root, write_or_check};

/// The operations gh-revoke uses, by `operationId`, in the order the fragment lists them.
///
/// This list is the one place that decides what the fragment (and so the generated client)
/// holds; `openapi/README.md` lists the same operations with their methods and paths.
pub const OPERATIONS: &[&str] = &[
    // Anonymous revocation by value, and the enterprise's biggest lever.
    "credentials/revoke",
    "enterprise-admin/revoke-all-credential-authorizations",
    // Secret-scanning alerts: list them (three scopes); get one with its secret (what a webhook
    // receiver fetches for each delivery, which never carries the secret); resolve one. The
    // last two share a path, so the cut lists them in the path item's method order.
    "secret-scanning/list-alerts-for-repo",
    "secret-scanning/list-alerts-for-org",
    "secret-scanning/list-alerts-for-enterprise",
    "secret-scanning/get-alert",
    "secret-scanning/update-alert",
    // An installation token revokes itself; any token proves it is alive (or not).
    "apps/revoke-installation-access-token",
    "rate-limit/get",
    // The enterprise siblings of revoke-all.
    "enterprise-admin/revoke-credential-type-for-enterprise",
    "enterprise-admin/revoke-credential-authorizations-for-user",
    "enterprise-admin/revoke-credential-type-for-user",
    // The organization equivalents.
    "orgs/revoke-all-credential-authorizations",
    "orgs/revoke-credential-type",
    "orgs/revoke-credential-authorizations-for-user",
    "orgs/revoke-credential-type-for-user",
    // A GitHub App's receiver: installation tokens, every installation and its repositories,
    // and the manifest flow that creates the app.
    "apps/create-installation-access-token",
    "apps/list-installations",
    "apps/list-repos-accessible-to-installation",
    "apps/create-from-manifest",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Run `cargo xtask fragment --from PATH [--check]`.
pub fn run(from: &Path, check: bool) -> Result<Outcome> {
    let text = std::fs::read_to_string(from)
        .with_context(|| format!("reading the full description {}", from.display()))?;
    let full: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", from.display()))?;
    let cut = cut(&full, OPERATIONS)?;
    let rendered = render(&cut)?;
    write_or_check(&workspace_root().join(FRAGMENT_PATH), &rendered, check)
}

/// The canonical text of a fragment: two-space indented JSON and a final newline.
pub fn render(fragment: &Value) -> Result<String> {
    let mut text = serde_json::to_string_pretty(fragment)?;
    text.push('\n');
    Ok(text)
}

/// Cut `operations` (by `operationId`) and their `$ref` closure out of `full`.
pub fn cut(full: &Value, operations: &[&str]) -> Result<Value> {
    let root = full
        .as_object()
        .ok_or_else(|| anyhow!("the description is not a JSON object"))?;
    let paths = root
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("the description has no `paths` object"))?;

    let mut out_paths = Map::new();
    let mut tags_used = BTreeSet::new();
    let mut refs = Vec::new();
    for &operation_id in operations {
        let (path, method, item) = find_operation(paths, operation_id)?;
        let op = &item[method];
        for tag in op
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(tag) = tag.as_str() {
                tags_used.insert(tag.to_owned());
            }
        }
        let entry = out_paths
            .entry(path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(entry) = entry else {
            unreachable!("path entries are created as objects")
        };
        for (key, value) in item {
            if key == method || !METHODS.contains(&key.as_str()) {
                entry.insert(key.clone(), value.clone());
            }
        }
        collect_refs(op, &mut refs);
        for (key, value) in item {
            if !METHODS.contains(&key.as_str()) {
                collect_refs(value, &mut refs);
            }
        }
    }

    let components = close_components(root.get("components"), refs)?;

    let mut out = Map::new();
    for key in ["openapi", "info"] {
        if let Some(value) = root.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(tags) = root.get("tags").and_then(Value::as_array) {
        let kept: Vec<Value> = tags
            .iter()
            .filter(|tag| {
                tag.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|name| tags_used.contains(name))
            })
            .cloned()
            .collect();
        out.insert("tags".to_owned(), Value::Array(kept));
    }
    for key in ["servers", "externalDocs"] {
        if let Some(value) = root.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    out.insert("paths".to_owned(), Value::Object(out_paths));
    if !components.is_empty() {
        out.insert("components".to_owned(), Value::Object(components));
    }
    Ok(Value::Object(out))
}

/// Find the path item and method holding `operation_id`.
fn find_operation<'a>(
    paths: &'a Map<String, Value>,
    operation_id: &str,
) -> Result<(&'a str, &'static str, &'a Map<String, Value>)> {
    let mut found = None;
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for &method in METHODS {
            let id = item
                .get(method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str);
            if id == Some(operation_id) {
                if found.is_some() {
                    bail!("operationId `{operation_id}` appears more than once");
                }
                found = Some((path.as_str(), method, item));
            }
        }
    }
    found.ok_or_else(|| anyhow!("operationId `{operation_id}` is not in the description"))
}

/// Every `$ref` string inside `value`, in document order.
fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref" {
                    if let Value::String(target) = inner {
                        refs.push(target.clone());
                    }
                } else {
                    collect_refs(inner, refs);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| collect_refs(inner, refs)),
        _ => {}
    }
}

/// Split `#/components/SECTION/NAME` into its section and (unescaped) name.
fn parse_ref(reference: &str) -> Result<(String, String)> {
    let rest = reference
        .strip_prefix("#/components/")
        .ok_or_else(|| anyhow!("`$ref` {reference} does not point into #/components"))?;
    let (section, name) = rest
        .split_once('/')
        .ok_or_else(|| anyhow!("`$ref` {reference} has no component name"))?;
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    Ok((unescape(section), unescape(name)))
}

/// The components reachable from `refs`, following `$ref`s inside components too.
fn close_components(
    source: Option<&Value>,
    mut pending: Vec<String>,
) -> Result<Map<String, Value>> {
    let source = source.and_then(Value::as_object);
    let mut wanted: BTreeSet<(String, String)> = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        let (section, name) = parse_ref(&reference)?;
        if wanted.contains(&(section.clone(), name.clone())) {
            continue;
        }
        let component = source
            .and_then(|c| c.get(&section))
            .and_then(|s| s.get(&name))
            .ok_or_else(|| anyhow!("`$ref` {reference} does not resolve"))?;
        collect_refs(component, &mut pending);
        wanted.insert((section, name));
    }

    // Re-emit in the source's order.
    let mut out = Map::new();
    for (section, entries) in source.into_iter().flatten() {
        let Some(entries) = entries.as_object() else {
            continue;
        };
        let kept: Map<String, Value> = entries
            .iter()
            .filter(|(name, _)| wanted.contains(&(section.clone(), (*name).clone())))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if !kept.is_empty() {
            out.insert(section.clone(), Value::Object(kept));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A small synthetic "full" description: two wanted operations, one unrelated operation,
    /// a nested `$ref` chain, an unreferenced component, webhooks and an unused tag.
    fn full() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "tags": [
                {"name": "unused"},
                {"name": "credentials"},
                {"name": "enterprise-admin"}
            ],
            "servers": [{"url": "https://api.github.com"}],
            "externalDocs": {"url": "https://docs.github.com/rest/"},
            "paths": {
                "/unrelated": {
                    "get": {"operationId": "meta/get", "tags": ["unused"],
                            "responses": {"200": {"$ref": "#/components/responses/unused"}}}
                },
                "/enterprises/{enterprise}/x": {
                    "parameters": [{"$ref": "#/components/parameters/enterprise"}],
                    "get": {"operationId": "other/get", "responses": {}},
                    "post": {"operationId": "enterprise-admin/x", "tags": ["enterprise-admin"],
                             "responses": {"403": {"$ref": "#/components/responses/forbidden"}}}
                },
                "/credentials/revoke": {
                    "post": {"operationId": "credentials/revoke", "tags": ["credentials"],
                             "responses": {"422": {"$ref": "#/components/responses/validation"}}}
                }
            },
            "x-webhooks": {"push": {}},
            "components": {
                "schemas": {
                    "unused": {"type": "object"},
                    "basic-error": {"type": "object",
                                    "properties": {"nested": {"$ref": "#/components/schemas/leaf"}}},
                    "leaf": {"type": "string"},
                    "validation": {"type": "object"}
                },
                "responses": {
                    "unused": {"description": "u"},
                    "forbidden": {"description": "f", "content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/basic-error"}}}},
                    "validation": {"description": "v", "content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/validation"}}}}
                },
                "parameters": {
                    "enterprise": {"name": "enterprise", "in": "path", "required": true,
                                   "schema": {"type": "string"}}
                }
            }
        })
    }

    #[test]
    fn keeps_only_the_wanted_operations_and_their_closure() {
        let cut = cut(&full(), &["credentials/revoke", "enterprise-admin/x"]).unwrap();
        let paths = cut["paths"].as_object().unwrap();
        // Order of OPERATIONS, not of the source.
        assert_eq!(
            paths.keys().collect::<Vec<_>>(),
            ["/credentials/revoke", "/enterprises/{enterprise}/x"]
        );
        // The unrelated method on a kept path is dropped; path-level parameters are kept.
        let item = paths["/enterprises/{enterprise}/x"].as_object().unwrap();
        assert!(item.get("get").is_none());
        assert!(item.get("post").is_some());
        assert!(item.get("parameters").is_some());
        // Nested refs (response -> schema -> schema) are kept; unreferenced ones are not.
        let schemas = cut["components"]["schemas"].as_object().unwrap();
        assert_eq!(
            schemas.keys().collect::<Vec<_>>(),
            ["basic-error", "leaf", "validation"]
        );
        let responses = cut["components"]["responses"].as_object().unwrap();
        assert_eq!(
            responses.keys().collect::<Vec<_>>(),
            ["forbidden", "validation"]
        );
        assert!(cut["components"]["parameters"]["enterprise"].is_object());
        // Tags filtered, webhooks gone, top-level metadata copied.
        assert_eq!(
            cut["tags"],
            json!([{"name": "credentials"}, {"name": "enterprise-admin"}])
        );
        assert!(cut.get("x-webhooks").is_none());
        assert_eq!(cut["servers"], full()["servers"]);
        assert_eq!(
            cut.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "openapi",
                "info",
                "tags",
                "servers",
                "externalDocs",
                "paths",
                "components"
            ]
        );
    }

    #[test]
    fn kept_objects_are_verbatim() {
        let source = full();
        let cut = cut(&source, &["credentials/revoke"]).unwrap();
        assert_eq!(
            cut["paths"]["/credentials/revoke"],
            source["paths"]["/credentials/revoke"]
        );
        assert_eq!(
            cut["components"]["responses"]["validation"],
            source["components"]["responses"]["validation"]
        );
    }

    #[test]
    fn missing_operation_and_dangling_ref_are_errors() {
        let err = cut(&full(), &["nope/nope"]).unwrap_err().to_string();
        assert!(err.contains("nope/nope"), "{err}");

        let mut broken = full();
        broken["components"]["schemas"]
            .as_object_mut()
            .unwrap()
            .remove("leaf");
        let err = cut(&broken, &["enterprise-admin/x"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("#/components/schemas/leaf"), "{err}");
    }

    #[test]
    fn vendored_fragment_is_a_fixed_point_of_the_cut() {
        // Cutting the vendored fragment again changes nothing: it holds exactly the closure.
        let path = workspace_root().join(FRAGMENT_PATH);
        let text = std::fs::read_to_string(path).unwrap();
        let vendored: Value = serde_json::from_str(&text).unwrap();
        let again = render(&cut(&vendored, OPERATIONS).unwrap()).unwrap();
        assert_eq!(again, text);
    }

    #[test]
    fn the_vendored_fragment_and_its_readme_hold_exactly_the_listed_operations() {
        let path = workspace_root().join(FRAGMENT_PATH);
        let vendored: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut found = Vec::new();
        for item in vendored["paths"].as_object().unwrap().values() {
            for method in METHODS {
                if let Some(id) = item.get(*method).and_then(|op| op["operationId"].as_str()) {
                    found.push(id.to_owned());
                }
            }
        }
        assert_eq!(found, OPERATIONS, "re-run `cargo xtask fragment --from …`");
        let readme = std::fs::read_to_string(workspace_root().join("openapi/README.md")).unwrap();
        for id in OPERATIONS {
            assert!(
                readme.contains(&format!("| `{id}` |")),
                "openapi/README.md does not list {id}"
            );
        }
    }
}
