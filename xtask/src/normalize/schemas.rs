//! Transforms of the schemas themselves, done on the document as JSON (a schema walk is far
//! simpler on `serde_json::Value` than on `openapiv3`'s typed tree).
//!
//! Two regions matter:
//! - the *response side*: every schema reachable from a success response's JSON body. Here
//!   gh-revoke wants leniency: a field GitHub adds, omits or fills with a new value must never
//!   fail a whole answer (a list of 100 alerts is one JSON document).
//! - the *request side*: schemas reachable from a request body or a parameter. Here the types
//!   stay as strict as the description (an enum is a Rust enum), because gh-revoke writes them.
//!
//! A component on both sides is never edited in place by a response-side transform: the
//! response's `$ref` is replaced by an edited inline copy, so the request side keeps it whole.

use std::collections::BTreeSet;

use anyhow::{Context, Result, anyhow, bail};
use openapiv3::OpenAPI;
use serde_json::{Map, Value, json};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The component schema the `redacted_alert_secret` transform creates; `cargo xtask codegen` replaces its
/// generated type with the hand-written, redacting `gh_revoke_api::AlertSecret`.
pub const ALERT_SECRET_SCHEMA: &str = "secret-scanning-alert-secret";

/// The type name progenitor gives [`ALERT_SECRET_SCHEMA`].
pub const ALERT_SECRET_TYPE: &str = "SecretScanningAlertSecret";

/// Run `edit` on the document as JSON, then parse it back.
fn on_json(spec: &mut OpenAPI, edit: impl FnOnce(&mut Value) -> Result<usize>) -> Result<usize> {
    let mut doc = serde_json::to_value(&*spec)?;
    let changed = edit(&mut doc)?;
    *spec = serde_json::from_value(doc).context("a transform produced an invalid document")?;
    Ok(changed)
}

/// `components.schemas`, created when the document has none.
fn schemas_mut(doc: &mut Value) -> Result<&mut Map<String, Value>> {
    let root = doc
        .as_object_mut()
        .ok_or_else(|| anyhow!("the document is not an object"))?;
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    components
        .as_object_mut()
        .ok_or_else(|| anyhow!("`components` is not an object"))?
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or_else(|| anyhow!("`components.schemas` is not an object"))
}

/// Escape one JSON-pointer token.
fn token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn schema_ref_name(node: &Value) -> Option<&str> {
    node.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn component_pointer(name: &str) -> String {
    format!("/components/schemas/{}", token(name))
}

/// Pointers to the direct sub-schemas of the schema at `pointer`.
fn children(node: &Value, pointer: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = node.as_object() else {
        return out;
    };
    if let Some(Value::Object(properties)) = map.get("properties") {
        for name in properties.keys() {
            out.push(format!("{pointer}/properties/{}", token(name)));
        }
    }
    for key in ["items", "not"] {
        if map.get(key).is_some_and(Value::is_object) {
            out.push(format!("{pointer}/{key}"));
        }
    }
    if map
        .get("additionalProperties")
        .is_some_and(Value::is_object)
    {
        out.push(format!("{pointer}/additionalProperties"));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(items)) = map.get(key) {
            for i in 0..items.len() {
                out.push(format!("{pointer}/{key}/{i}"));
            }
        }
    }
    out
}

/// Every operation object of the document, as `(pointer, operation)`.
fn operations(doc: &Value) -> Vec<(String, &Map<String, Value>)> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for &method in METHODS {
            if let Some(op) = item.get(method).and_then(Value::as_object) {
                out.push((format!("/paths/{}/{method}", token(path)), op));
            }
        }
    }
    out
}

/// Follow `$ref`s to `#/components/{section}/…` until an object that is not a reference.
fn resolve_pointer(doc: &Value, pointer: &str, section: &str) -> Result<String> {
    let mut pointer = pointer.to_owned();
    for _ in 0..16 {
        let node = doc
            .pointer(&pointer)
            .ok_or_else(|| anyhow!("{pointer} does not exist"))?;
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Ok(pointer);
        };
        let prefix = format!("#/components/{section}/");
        let name = reference
            .strip_prefix(&prefix)
            .ok_or_else(|| anyhow!("`$ref` {reference} does not point into {prefix}"))?;
        pointer = format!("/components/{section}/{}", token(name));
    }
    bail!("{pointer}: `$ref` chain too long")
}

fn is_success(status: &str) -> bool {
    status == "2XX" || (status.len() == 3 && status.starts_with('2'))
}

/// Pointers to the JSON schemas of every success response body.
fn response_roots(doc: &Value) -> Result<Vec<String>> {
    let mut roots = Vec::new();
    for (op_pointer, op) in operations(doc) {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for status in responses.keys().filter(|s| is_success(s)) {
            let response = resolve_pointer(
                doc,
                &format!("{op_pointer}/responses/{}", token(status)),
                "responses",
            )?;
            let Some(content) = doc
                .pointer(&format!("{response}/content"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (media, body) in content {
                if body.get("schema").is_some() {
                    roots.push(format!("{response}/content/{}/schema", token(media)));
                }
            }
        }
    }
    Ok(roots)
}

/// Pointers to the schemas of every request body and parameter.
fn request_roots(doc: &Value) -> Result<Vec<String>> {
    let mut roots = Vec::new();
    let mut parameter_lists = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if item.get("parameters").is_some() {
                parameter_lists.push(format!("/paths/{}/parameters", token(path)));
            }
        }
    }
    for (op_pointer, op) in operations(doc) {
        if op.get("parameters").is_some() {
            parameter_lists.push(format!("{op_pointer}/parameters"));
        }
        if op.get("requestBody").is_some() {
            let body = resolve_pointer(doc, &format!("{op_pointer}/requestBody"), "requestBodies")?;
            if let Some(content) = doc
                .pointer(&format!("{body}/content"))
                .and_then(Value::as_object)
            {
                for (media, body_media) in content {
                    if body_media.get("schema").is_some() {
                        roots.push(format!("{body}/content/{}/schema", token(media)));
                    }
                }
            }
        }
    }
    for list in parameter_lists {
        let count = doc
            .pointer(&list)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in 0..count {
            let parameter = resolve_pointer(doc, &format!("{list}/{i}"), "parameters")?;
            if doc.pointer(&format!("{parameter}/schema")).is_some() {
                roots.push(format!("{parameter}/schema"));
            }
        }
    }
    Ok(roots)
}

/// The names of the component schemas reachable from `roots`.
fn reachable_components(doc: &Value, roots: Vec<String>) -> Result<BTreeSet<String>> {
    let mut seen = BTreeSet::new();
    let mut queue = roots;
    while let Some(pointer) = queue.pop() {
        let node = doc
            .pointer(&pointer)
            .ok_or_else(|| anyhow!("{pointer} does not exist"))?;
        if let Some(name) = schema_ref_name(node) {
            if seen.insert(name.to_owned()) {
                queue.push(component_pointer(name));
            }
            continue;
        }
        queue.extend(children(node, &pointer));
    }
    Ok(seen)
}

/// Whether a schema has sub-schemas (an inline copy of it would copy a tree, not a leaf).
fn has_children(node: &Value) -> bool {
    !children(node, "").is_empty()
}

/// Visit every schema on the response side once; `visit` edits a node and says whether it did.
///
/// A component also on the request side is not visited in place: when `visit` would change it,
/// the response's `$ref` becomes an edited inline copy (leaves only; a shared tree is an error,
/// so that a future description that needs it is noticed rather than silently half-edited).
fn edit_response_side(doc: &mut Value, mut visit: impl FnMut(&mut Value) -> bool) -> Result<usize> {
    let request_side = reachable_components(doc, request_roots(doc)?)?;
    let mut queue = response_roots(doc)?;
    let mut unique = BTreeSet::new();
    queue.retain(|pointer| unique.insert(pointer.clone()));
    queue.reverse();
    let mut visited = BTreeSet::new();
    let mut changed = 0;
    while let Some(pointer) = queue.pop() {
        let node = doc
            .pointer(&pointer)
            .ok_or_else(|| anyhow!("{pointer} does not exist"))?;
        if let Some(name) = schema_ref_name(node).map(str::to_owned) {
            let target = doc
                .pointer(&component_pointer(&name))
                .ok_or_else(|| anyhow!("`$ref` to schema {name} does not resolve"))?;
            if request_side.contains(&name) {
                let mut copy = target.clone();
                if visit(&mut copy) {
                    if has_children(target) {
                        bail!(
                            "schema {name} is used by both a request and a response and is not \
                             a leaf: extend the normalisation to copy it"
                        );
                    }
                    *doc.pointer_mut(&pointer)
                        .expect("the pointer was just read") = copy;
                    changed += 1;
                }
            } else if visited.insert(name.clone()) {
                queue.push(component_pointer(&name));
            }
            continue;
        }
        let node = doc
            .pointer_mut(&pointer)
            .expect("the pointer was just read");
        if visit(node) {
            changed += 1;
        }
        let mut next = children(node, &pointer);
        next.reverse();
        queue.extend(next);
    }
    Ok(changed)
}

/// Visit every schema object anywhere in the document (components, paths, parameters, bodies).
fn edit_everywhere(node: &mut Value, visit: &mut impl FnMut(&mut Value) -> bool) -> usize {
    edit_tree(node, visit, false)
}

/// `in_properties`: `node` is a `properties` map, whose keys are property names (so a property
/// called `example` is still a schema, and the map itself is not one).
fn edit_tree(
    node: &mut Value,
    visit: &mut impl FnMut(&mut Value) -> bool,
    in_properties: bool,
) -> usize {
    let mut changed = 0;
    match node {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                // `example(s)` hold data, not schemas.
                if !in_properties && (key == "example" || key == "examples") {
                    continue;
                }
                changed += edit_tree(inner, visit, !in_properties && key == "properties");
            }
        }
        Value::Array(items) => {
            for inner in items {
                changed += edit_tree(inner, visit, false);
            }
        }
        _ => return 0,
    }
    if !in_properties && looks_like_schema(node) && visit(node) {
        changed += 1;
    }
    changed
}

fn looks_like_schema(node: &Value) -> bool {
    node.as_object().is_some_and(|map| {
        [
            "type",
            "$ref",
            "oneOf",
            "anyOf",
            "allOf",
            "properties",
            "enum",
        ]
        .iter()
        .any(|key| map.contains_key(*key))
    })
}

/// See `TRANSFORMS`: a string enum in a response is read as a plain string.
pub fn lenient_response_enums(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        edit_response_side(doc, |node| {
            let is_string = node.get("type").and_then(Value::as_str) == Some("string");
            match node.as_object_mut() {
                Some(map) if is_string => map.remove("enum").is_some(),
                _ => false,
            }
        })
    })
}

/// See `TRANSFORMS`: no property of a response object is required.
pub fn optional_response_properties(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        edit_response_side(doc, |node| {
            let is_object = node.get("properties").is_some();
            match node.as_object_mut() {
                Some(map) if is_object => map.remove("required").is_some(),
                _ => false,
            }
        })
    })
}

/// See `TRANSFORMS`: a `oneOf`/`anyOf` in a response is read as any JSON value.
pub fn opaque_response_unions(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        edit_response_side(doc, |node| {
            let Some(map) = node.as_object_mut() else {
                return false;
            };
            if !map.contains_key("oneOf") && !map.contains_key("anyOf") {
                return false;
            }
            let mut opaque = Map::new();
            for key in ["title", "description"] {
                if let Some(value) = map.remove(key) {
                    opaque.insert(key.to_owned(), value);
                }
            }
            *map = opaque;
            true
        })
    })
}

/// See `TRANSFORMS`: `format: date-time` strings stay strings.
pub fn plain_date_times(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        Ok(edit_everywhere(doc, &mut |node| {
            let Some(map) = node.as_object_mut() else {
                return false;
            };
            if map.get("format").and_then(Value::as_str) == Some("date-time") {
                map.remove("format");
                true
            } else {
                false
            }
        }))
    })
}

/// See `TRANSFORMS`: `$ref`s to scalar component schemas become inline copies.
pub fn inline_scalar_refs(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        let scalars: Map<String, Value> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, schema)| is_plain_scalar(schema))
            .map(|(name, schema)| (name.clone(), schema.clone()))
            .collect();
        let mut changed = 0;
        // The copies are scalars themselves, so one pass replaces every reference.
        changed += edit_everywhere(doc, &mut |node| {
            let Some(copy) = schema_ref_name(node).and_then(|name| scalars.get(name)) else {
                return false;
            };
            *node = copy.clone();
            true
        });
        Ok(changed)
    })
}

fn is_plain_scalar(schema: &Value) -> bool {
    let scalar = matches!(
        schema.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    );
    scalar && schema.get("enum").is_none() && !has_children(schema)
}

/// See `TRANSFORMS`: drop an `anyOf` whose members only list required properties.
pub fn flatten_required_any_of(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        Ok(edit_everywhere(doc, &mut |node| {
            let Some(map) = node.as_object_mut() else {
                return false;
            };
            let only_required = map
                .get("anyOf")
                .and_then(Value::as_array)
                .is_some_and(|members| {
                    !members.is_empty()
                        && members.iter().all(|member| {
                            member
                                .as_object()
                                .is_some_and(|m| m.len() == 1 && m.contains_key("required"))
                        })
                });
            if only_required && map.contains_key("properties") {
                map.remove("anyOf");
                true
            } else {
                false
            }
        }))
    })
}

/// See `TRANSFORMS`: the `secret` of an alert becomes a named schema that codegen replaces
/// with the redacting `gh_revoke_api::AlertSecret`.
pub fn redacted_alert_secret(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        let reference = json!({ "$ref": format!("#/components/schemas/{ALERT_SECRET_SCHEMA}") });
        // The walk follows the new `$ref`s, so the component exists (as a placeholder) first.
        let schemas = schemas_mut(doc)?;
        if schemas.contains_key(ALERT_SECRET_SCHEMA) {
            bail!("component schema `{ALERT_SECRET_SCHEMA}` already exists");
        }
        schemas.insert(ALERT_SECRET_SCHEMA.to_owned(), json!({"type": "string"}));
        let mut hoisted: Option<Value> = None;
        let mut conflict = None;
        let changed = edit_response_side(doc, |node| {
            let Some(secret) = node.pointer_mut("/properties/secret") else {
                return false;
            };
            if secret.get("type").and_then(Value::as_str) != Some("string") {
                return false;
            }
            match &hoisted {
                Some(first) if first != secret => conflict = Some(secret.clone()),
                Some(_) => {}
                None => hoisted = Some(secret.clone()),
            }
            *secret = reference.clone();
            true
        })?;
        if let Some(other) = conflict {
            bail!("two alert schemas describe `secret` differently ({other}): unify them first");
        }
        let schemas = schemas_mut(doc)?;
        match hoisted {
            Some(schema) => {
                schemas.insert(ALERT_SECRET_SCHEMA.to_owned(), schema);
            }
            None => {
                schemas.shift_remove(ALERT_SECRET_SCHEMA);
            }
        }
        Ok(changed)
    })
}

/// Every `$ref` string inside `node`.
fn refs_in(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    _ => refs_in(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| refs_in(inner, out)),
        _ => {}
    }
}

/// See `TRANSFORMS`: component schemas no operation reaches any more are removed.
pub fn prune_unreferenced_schemas(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        let mut pending = Vec::new();
        refs_in(doc.get("paths").unwrap_or(&Value::Null), &mut pending);
        let mut reached = BTreeSet::new();
        while let Some(reference) = pending.pop() {
            if !reached.insert(reference.clone()) {
                continue;
            }
            let pointer = reference
                .strip_prefix('#')
                .ok_or_else(|| anyhow!("`$ref` {reference} is not local"))?;
            let target = doc
                .pointer(pointer)
                .ok_or_else(|| anyhow!("`$ref` {reference} does not resolve"))?;
            refs_in(target, &mut pending);
        }
        let Some(schemas) = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        else {
            return Ok(0);
        };
        let before = schemas.len();
        schemas
            .retain(|name, _| reached.contains(&format!("#/components/schemas/{}", token(name))));
        Ok(before - schemas.len())
    })
}

/// An inline enum's key (its name and signature), where it occurs, and the operations using it.
type EnumGroup = ((String, EnumSignature), BTreeSet<String>, BTreeSet<String>);

/// A string enum's values and nullability.
type EnumSignature = (Vec<Value>, bool);

/// A string enum's identity for [`shared_request_enums`]: its values and nullability.
fn enum_signature(node: &Value) -> Option<EnumSignature> {
    if node.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    let values = node.get("enum")?.as_array()?.clone();
    let nullable = node.get("nullable").and_then(Value::as_bool) == Some(true);
    Some((values, nullable))
}

/// The inline string enums of one operation's request side, as `(pointer, name)`: parameter
/// schemas (named by the parameter) and request-body properties (named by the property), not
/// looking through `$ref`s to component schemas (those already have one name).
fn inline_request_enums(doc: &Value, op_pointer: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let count = doc
        .pointer(&format!("{op_pointer}/parameters"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    for i in 0..count {
        let parameter =
            resolve_pointer(doc, &format!("{op_pointer}/parameters/{i}"), "parameters")?;
        let schema = format!("{parameter}/schema");
        let name = doc
            .pointer(&format!("{parameter}/name"))
            .and_then(Value::as_str);
        if let (Some(node), Some(name)) = (doc.pointer(&schema), name)
            && enum_signature(node).is_some()
        {
            out.push((schema, name.to_owned()));
        }
    }
    if doc.pointer(&format!("{op_pointer}/requestBody")).is_some() {
        let body = resolve_pointer(doc, &format!("{op_pointer}/requestBody"), "requestBodies")?;
        let mut queue: Vec<String> = doc
            .pointer(&format!("{body}/content"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(media, _)| format!("{body}/content/{}/schema", token(media)))
            .collect();
        while let Some(pointer) = queue.pop() {
            let Some(node) = doc.pointer(&pointer) else {
                continue;
            };
            if let Some(Value::Object(properties)) = node.get("properties") {
                for (name, property) in properties {
                    let property_pointer = format!("{pointer}/properties/{}", token(name));
                    if enum_signature(property).is_some() {
                        out.push((property_pointer, name.clone()));
                    } else if schema_ref_name(property).is_none() {
                        queue.push(property_pointer);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// See `TRANSFORMS`: one Rust enum for one set of values on the request side.
pub fn shared_request_enums(spec: &mut OpenAPI) -> Result<usize> {
    on_json(spec, |doc| {
        // Component schemas that already name a string enum, by signature.
        let named: Vec<(String, EnumSignature)> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, schema)| enum_signature(schema).map(|sig| (name.clone(), sig)))
            .collect();
        // (name, signature) -> (pointers, operations using them)
        let mut groups: Vec<EnumGroup> = Vec::new();
        for (op_pointer, _) in operations(doc) {
            for (pointer, name) in inline_request_enums(doc, &op_pointer)? {
                let signature = enum_signature(doc.pointer(&pointer).expect("just found"))
                    .expect("just checked");
                let key = (name, signature);
                match groups.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, pointers, ops)) => {
                        pointers.insert(pointer);
                        ops.insert(op_pointer.clone());
                    }
                    None => groups.push((
                        key,
                        BTreeSet::from([pointer]),
                        BTreeSet::from([op_pointer.clone()]),
                    )),
                }
            }
        }
        let mut changed = 0;
        for ((name, signature), pointers, ops) in groups {
            let existing = named
                .iter()
                .find(|(_, sig)| *sig == signature)
                .map(|(component, _)| component.clone());
            let component = match existing {
                Some(component) => component,
                None if ops.len() >= 2 => {
                    let component = name.replace('_', "-");
                    let first = pointers.first().expect("a group has a member");
                    let mut schema = doc.pointer(first).expect("just found").clone();
                    if let Some(map) = schema.as_object_mut() {
                        map.remove("default");
                    }
                    let schemas = schemas_mut(doc)?;
                    if schemas.contains_key(&component) {
                        bail!(
                            "shared_request_enums: component schema `{component}` already \
                             exists with other values"
                        );
                    }
                    schemas.insert(component.clone(), schema);
                    component
                }
                None => continue,
            };
            for pointer in pointers {
                let node = doc.pointer_mut(&pointer).expect("just found");
                let mut replacement = Map::new();
                replacement.insert(
                    "$ref".to_owned(),
                    Value::String(format!("#/components/schemas/{}", token(&component))),
                );
                *node = Value::Object(replacement);
                changed += 1;
            }
        }
        Ok(changed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: Value) -> OpenAPI {
        serde_json::from_value(value).unwrap()
    }

    fn json_of(spec: &OpenAPI) -> Value {
        serde_json::to_value(spec).unwrap()
    }

    /// A request side and a response side sharing one enum component, a response-only
    /// object, a scalar component, a `oneOf` and an `anyOf` of `required` lists.
    fn doc() -> OpenAPI {
        parse(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/things/{id}": {
                    "parameters": [{"$ref": "#/components/parameters/id"}],
                    "get": {
                        "operationId": "things/list",
                        "parameters": [
                            {"$ref": "#/components/parameters/state"},
                            {"name": "direction", "in": "query",
                             "schema": {"type": "string", "enum": ["asc", "desc"], "default": "desc"}}
                        ],
                        "responses": {"200": {"description": "ok", "content": {"application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/thing"}}}}}}
                    },
                    "patch": {
                        "operationId": "things/update",
                        "parameters": [
                            {"name": "direction", "in": "query",
                             "schema": {"type": "string", "enum": ["asc", "desc"]}}
                        ],
                        "requestBody": {"content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {
                                "state": {"$ref": "#/components/schemas/state"},
                                "kind": {"type": "string", "enum": ["a", "b"]},
                                "note": {"type": "string"}
                            },
                            "anyOf": [{"required": ["state"]}, {"required": ["note"]}]
                        }}}},
                        "responses": {"200": {"description": "ok", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/thing"}}}}}
                    }
                },
                "/others": {
                    "post": {
                        "operationId": "others/make",
                        "requestBody": {"content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {"kind": {"type": "string", "enum": ["a", "b"]}}
                        }}}},
                        "responses": {"204": {"description": "done"}}
                    }
                }
            },
            "components": {
                "schemas": {
                    "state": {"type": "string", "enum": ["open", "resolved"]},
                    "number": {"type": "integer", "readOnly": true},
                    "stamp": {"type": "string", "format": "date-time"},
                    "thing": {
                        "type": "object",
                        "required": ["number", "state", "secret"],
                        "properties": {
                            "number": {"$ref": "#/components/schemas/number"},
                            "state": {"$ref": "#/components/schemas/state"},
                            "validity": {"type": "string", "enum": ["active", "inactive"]},
                            "secret": {"type": "string", "description": "The secret."},
                            "created": {"$ref": "#/components/schemas/stamp"},
                            "where": {"oneOf": [{"$ref": "#/components/schemas/place"}, {"type": "string"}],
                                      "nullable": true, "description": "Somewhere."},
                            "example": {"type": "string", "format": "date-time"}
                        }
                    },
                    "place": {"type": "object", "required": ["path"], "properties": {"path": {"type": "string"}}},
                    "unused": {"type": "object"}
                },
                "parameters": {
                    "id": {"name": "id", "in": "path", "required": true,
                           "schema": {"$ref": "#/components/schemas/number"}},
                    "state": {"name": "state", "in": "query",
                              "schema": {"type": "string", "enum": ["open", "resolved"]}}
                }
            }
        }))
    }

    #[test]
    fn response_enums_become_strings_and_the_request_side_keeps_its_enum() {
        let mut spec = doc();
        // thing.state (a shared component: copied) and thing.validity (inline).
        assert_eq!(lenient_response_enums(&mut spec).unwrap(), 2);
        let doc = json_of(&spec);
        let thing = &doc["components"]["schemas"]["thing"]["properties"];
        assert_eq!(thing["state"], json!({"type": "string"}));
        assert_eq!(thing["validity"], json!({"type": "string"}));
        assert_eq!(
            doc["components"]["schemas"]["state"]["enum"],
            json!(["open", "resolved"])
        );
        let body = &doc["paths"]["/things/{id}"]["patch"]["requestBody"]["content"]["application/json"]
            ["schema"];
        assert_eq!(body["properties"]["kind"]["enum"], json!(["a", "b"]));
    }

    #[test]
    fn response_objects_require_nothing() {
        let mut spec = doc();
        // thing, and place (reached through the oneOf).
        assert_eq!(optional_response_properties(&mut spec).unwrap(), 2);
        let doc = json_of(&spec);
        assert!(
            doc["components"]["schemas"]["thing"]
                .get("required")
                .is_none()
        );
        assert!(
            doc["components"]["schemas"]["place"]
                .get("required")
                .is_none()
        );
    }

    #[test]
    fn response_unions_become_any_value() {
        let mut spec = doc();
        assert_eq!(opaque_response_unions(&mut spec).unwrap(), 1);
        let doc = json_of(&spec);
        assert_eq!(
            doc["components"]["schemas"]["thing"]["properties"]["where"],
            json!({"description": "Somewhere."})
        );
    }

    #[test]
    fn date_times_become_plain_strings_everywhere_but_in_examples() {
        let mut spec = doc();
        // The `stamp` component and the property that happens to be called `example`.
        assert_eq!(plain_date_times(&mut spec).unwrap(), 2);
        let doc = json_of(&spec);
        assert_eq!(
            doc["components"]["schemas"]["stamp"],
            json!({"type": "string"})
        );
        assert_eq!(
            doc["components"]["schemas"]["thing"]["properties"]["example"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn scalar_refs_are_inlined_enums_and_objects_are_not() {
        let mut spec = doc();
        // thing.number, thing.created, and the `id` path parameter.
        assert_eq!(inline_scalar_refs(&mut spec).unwrap(), 3);
        let doc = json_of(&spec);
        let thing = &doc["components"]["schemas"]["thing"]["properties"];
        assert_eq!(
            thing["number"],
            json!({"type": "integer", "readOnly": true})
        );
        assert_eq!(
            thing["state"],
            json!({"$ref": "#/components/schemas/state"})
        );
        assert_eq!(
            doc["components"]["parameters"]["id"]["schema"],
            json!({"type": "integer", "readOnly": true})
        );
    }

    #[test]
    fn an_any_of_of_required_lists_is_dropped() {
        let mut spec = doc();
        assert_eq!(flatten_required_any_of(&mut spec).unwrap(), 1);
        let doc = json_of(&spec);
        let body = &doc["paths"]["/things/{id}"]["patch"]["requestBody"]["content"]["application/json"]
            ["schema"];
        assert!(body.get("anyOf").is_none());
        assert_eq!(body["properties"]["note"], json!({"type": "string"}));
    }

    #[test]
    fn the_secret_becomes_a_named_schema() {
        let mut spec = doc();
        assert_eq!(redacted_alert_secret(&mut spec).unwrap(), 1);
        let doc = json_of(&spec);
        assert_eq!(
            doc["components"]["schemas"]["thing"]["properties"]["secret"],
            json!({"$ref": format!("#/components/schemas/{ALERT_SECRET_SCHEMA}")})
        );
        assert_eq!(
            doc["components"]["schemas"][ALERT_SECRET_SCHEMA],
            json!({"type": "string", "description": "The secret."})
        );
        // A document without alerts gets no such component.
        let mut plain = parse(json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {}}
        }));
        assert_eq!(redacted_alert_secret(&mut plain).unwrap(), 0);
        assert!(
            json_of(&plain)["components"]["schemas"]
                .get(ALERT_SECRET_SCHEMA)
                .is_none()
        );
    }

    #[test]
    fn request_enums_are_shared_by_value() {
        let mut spec = doc();
        // `state` (parameter) joins the `state` component; `direction` (two operations) and
        // `kind` (two operations) get components of their own.
        assert_eq!(shared_request_enums(&mut spec).unwrap(), 5);
        let doc = json_of(&spec);
        assert_eq!(
            doc["components"]["parameters"]["state"]["schema"],
            json!({"$ref": "#/components/schemas/state"})
        );
        assert_eq!(
            doc["components"]["schemas"]["direction"],
            json!({"type": "string", "enum": ["asc", "desc"]})
        );
        assert_eq!(
            doc["paths"]["/others"]["post"]["requestBody"]["content"]["application/json"]["schema"]
                ["properties"]["kind"],
            json!({"$ref": "#/components/schemas/kind"})
        );
    }

    #[test]
    fn unreferenced_schemas_are_pruned() {
        let mut spec = doc();
        assert_eq!(prune_unreferenced_schemas(&mut spec).unwrap(), 1);
        let doc = json_of(&spec);
        assert!(doc["components"]["schemas"].get("unused").is_none());
        // Reached through a parameter component and through a oneOf.
        assert!(doc["components"]["schemas"].get("number").is_some());
        assert!(doc["components"]["schemas"].get("place").is_some());
    }

    #[test]
    fn a_shared_object_is_an_error_not_a_silent_half_edit() {
        let mut spec = parse(json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"post": {
                "operationId": "x/y",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/both"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/both"}}}}}
            }}},
            "components": {"schemas": {"both": {"type": "object", "required": ["a"],
                "properties": {"a": {"type": "string"}}}}}
        }));
        let err = optional_response_properties(&mut spec).unwrap_err();
        assert!(err.to_string().contains("both"), "{err}");
    }
}
