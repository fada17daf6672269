//! The explicit normalisation applied to the vendored fragment before progenitor sees it.
//!
//! The vendored file stays byte-for-byte upstream; these transforms work on the parsed document
//! in memory only. Each one is named, states its reason, and reports how many places it changed
//! so that a transform GitHub's text no longer needs is noticed (see `openapi/README.md`).

use anyhow::{Result, anyhow, bail};
use openapiv3::{
    MediaType, ObjectType, OpenAPI, Operation, ReferenceOr, Response, Schema, SchemaKind,
    StatusCode, Type,
};

/// One named transform of the parsed document.
#[derive(Debug, Clone, Copy)]
pub struct Transform {
    /// Its name, as listed in `openapi/README.md` and the generated file's header.
    pub name: &'static str,
    /// Why it exists.
    pub reason: &'static str,
    /// Apply it; returns how many places it changed.
    pub apply: fn(&mut OpenAPI) -> Result<usize>,
}

/// Every transform, in the order they run.
pub const TRANSFORMS: &[Transform] = &[
    Transform {
        name: "raw_error_responses",
        reason: "GitHub's error bodies are not what the description says (`errors` and `status` \
                 of any type, HTML from proxies, bodies on undeclared statuses), and a typed error \
                 body that fails to decode loses the status and the rate-limit headers with it; \
                 with the error statuses removed, every non-success answer reaches the \
                 hand-written layer as `Error::UnexpectedResponse`, status, headers and raw body \
                 intact. It also keeps progenitor 0.15.1 from panicking on differing error \
                 schemas (`response_types.len() <= 1`, upstream #344/#950), as \
                 credentials/revoke's 422 and 500 have",
        apply: raw_error_responses,
    },
    Transform {
        name: "bodyless_untyped_success",
        reason: "a success response whose schema is a bare `{\"type\": \"object\"}` carries no \
                 information, and GitHub is reported to answer credentials/revoke's 202 with no \
                 body at all, which a JSON map cannot decode; dropping the content makes \
                 progenitor accept the status without reading the body (empty, `null` and `{}` \
                 alike)",
        apply: bodyless_untyped_success,
    },
];

/// Apply every transform; returns `(name, places changed)` for each.
pub fn normalize(spec: &mut OpenAPI) -> Result<Vec<(&'static str, usize)>> {
    TRANSFORMS
        .iter()
        .map(|t| (t.apply)(spec).map(|n| (t.name, n)))
        .collect()
}

/// Every operation of the document, mutably, with its path and method.
fn operations_mut(spec: &mut OpenAPI) -> Vec<(String, &'static str, &mut Operation)> {
    let mut out = Vec::new();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let slots: [(&'static str, &mut Option<Operation>); 8] = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("options", &mut item.options),
            ("head", &mut item.head),
            ("patch", &mut item.patch),
            ("trace", &mut item.trace),
        ];
        for (method, slot) in slots {
            if let Some(op) = slot.as_mut() {
                out.push((path.clone(), method, op));
            }
        }
    }
    out
}

fn component_name<'a>(reference: &'a str, section: &str) -> Result<&'a str> {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .ok_or_else(|| anyhow!("`$ref` {reference} does not point into #/components/{section}"))
}

fn resolve_response(spec: &OpenAPI, response: &ReferenceOr<Response>) -> Result<Response> {
    match response {
        ReferenceOr::Item(item) => Ok(item.clone()),
        ReferenceOr::Reference { reference } => {
            let name = component_name(reference, "responses")?;
            match spec.components.as_ref().and_then(|c| c.responses.get(name)) {
                Some(ReferenceOr::Item(item)) => Ok(item.clone()),
                Some(ReferenceOr::Reference { reference: next }) => {
                    resolve_response(spec, &ReferenceOr::ref_(next))
                }
                None => bail!("`$ref` {reference} does not resolve"),
            }
        }
    }
}

fn resolve_schema(spec: &OpenAPI, schema: &ReferenceOr<Schema>) -> Result<Schema> {
    match schema {
        ReferenceOr::Item(item) => Ok(item.clone()),
        ReferenceOr::Reference { reference } => {
            let name = component_name(reference, "schemas")?;
            match spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
                Some(ReferenceOr::Item(item)) => Ok(item.clone()),
                Some(ReferenceOr::Reference { reference: next }) => {
                    resolve_schema(spec, &ReferenceOr::ref_(next))
                }
                None => bail!("`$ref` {reference} does not resolve"),
            }
        }
    }
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

/// See [`TRANSFORMS`]: remove every error status (4xx, 5xx, `default`) from each operation.
pub fn raw_error_responses(spec: &mut OpenAPI) -> Result<usize> {
    let mut changed = 0;
    for (_, _, op) in operations_mut(spec) {
        let before = op.responses.responses.len() + usize::from(op.responses.default.is_some());
        op.responses
            .responses
            .retain(|status, _| is_success(status));
        op.responses.default = None;
        changed += before - op.responses.responses.len();
    }
    Ok(changed)
}

/// See [`TRANSFORMS`]: drop the content of success responses typed only as a bare object.
pub fn bodyless_untyped_success(spec: &mut OpenAPI) -> Result<usize> {
    let snapshot = spec.clone();
    let mut changed = 0;
    for (_, _, op) in operations_mut(spec) {
        for (status, response) in op.responses.responses.iter_mut() {
            if !is_success(status) {
                continue;
            }
            let mut resolved = resolve_response(&snapshot, response)?;
            let untyped = !resolved.content.is_empty()
                && resolved
                    .content
                    .values()
                    .all(|media| is_untyped_object(&snapshot, media));
            if untyped {
                resolved.content.clear();
                *response = ReferenceOr::Item(resolved);
                changed += 1;
            }
        }
    }
    Ok(changed)
}

fn is_untyped_object(spec: &OpenAPI, media: &MediaType) -> bool {
    let Some(schema) = &media.schema else {
        return true;
    };
    let Ok(schema) = resolve_schema(spec, schema) else {
        return false;
    };
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::Object(ObjectType {
            properties,
            additional_properties: None,
            ..
        })) if properties.is_empty()
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(value: serde_json::Value) -> OpenAPI {
        serde_json::from_value(value).unwrap()
    }

    fn vendored() -> OpenAPI {
        let text =
            std::fs::read_to_string(crate::workspace_root().join(crate::FRAGMENT_PATH)).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn doc(responses: serde_json::Value) -> OpenAPI {
        parse(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"post": {"operationId": "group/do-thing", "responses": responses}}},
            "components": {
                "schemas": {
                    "a": {"type": "object", "required": ["message", "documentation_url"],
                          "properties": {"message": {"type": "string"},
                                         "documentation_url": {"type": "string"},
                                         "errors": {"type": "array", "items": {"type": "string"}}}},
                    "b": {"type": "object", "required": ["message"],
                          "properties": {"message": {"type": "string"},
                                         "status": {"type": "string"}}}
                },
                "responses": {
                    "accepted": {"description": "Accepted",
                                 "content": {"application/json": {"schema": {"type": "object"}}}}
                }
            }
        }))
    }

    fn response_json(spec: &OpenAPI, status: u16) -> serde_json::Value {
        let op = spec.paths.paths["/x"]
            .as_item()
            .unwrap()
            .post
            .as_ref()
            .unwrap();
        serde_json::to_value(&op.responses.responses[&StatusCode::Code(status)]).unwrap()
    }

    #[test]
    fn removes_every_error_status() {
        let mut spec = doc(json!({
            "202": {"$ref": "#/components/responses/accepted"},
            "422": {"description": "v", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/a"}}}},
            "500": {"description": "i", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/b"}}}}
        }));
        assert_eq!(raw_error_responses(&mut spec).unwrap(), 2);
        let op = spec.paths.paths["/x"]
            .as_item()
            .unwrap()
            .post
            .as_ref()
            .unwrap();
        assert_eq!(
            op.responses.responses.keys().collect::<Vec<_>>(),
            [&StatusCode::Code(202)]
        );
    }

    #[test]
    fn drops_the_content_of_an_untyped_success() {
        let mut spec = doc(json!({
            "202": {"$ref": "#/components/responses/accepted"},
            "200": {"description": "typed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/b"}}}}
        }));
        assert_eq!(bodyless_untyped_success(&mut spec).unwrap(), 1);
        assert_eq!(
            response_json(&spec, 202),
            json!({"description": "Accepted"})
        );
        // A typed success keeps its body.
        assert!(response_json(&spec, 200)["content"].is_object());
    }

    #[test]
    fn every_transform_still_applies_to_the_vendored_fragment() {
        // When GitHub fixes its text, a transform becomes a no-op: this test says so, and the
        // transform (and its line in openapi/README.md) should then be removed.
        let mut spec = vendored();
        for (name, changed) in normalize(&mut spec).unwrap() {
            assert!(changed > 0, "transform {name} changed nothing");
        }
    }
}
