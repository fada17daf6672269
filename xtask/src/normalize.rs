//! The explicit normalisation applied to the vendored fragment before progenitor sees it.
//!
//! The vendored file stays byte-for-byte upstream; these transforms work on the parsed document
//! in memory only. Each one is named, states its reason, and reports how many places it changed
//! so that a transform GitHub's text no longer needs is noticed (see `openapi/README.md`).

mod schemas;

pub use schemas::{ALERT_SECRET_SCHEMA, ALERT_SECRET_TYPE};

use anyhow::{Result, anyhow, bail};
use indexmap::IndexMap;
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
        name: "raw_error_bodies",
        reason: "progenitor 0.15.1 allows one error body type per operation and panics \
                 (`response_types.len() <= 1`) when error statuses differ (credentials/revoke: \
                 422 validation-error-simple, 500 basic-error; update-alert: 400/403/404/422 \
                 without a body, 503 with one); and a typed error body that does not decode \
                 (an empty body, an HTML page, `errors` holding objects) becomes \
                 `Error::InvalidResponsePayload`, which has neither the status nor the headers. \
                 Every error status gets one untyped body instead: progenitor returns \
                 `Error::ErrorResponse(ResponseValue<ByteStream>)`, status and headers always \
                 kept, and `gh_revoke_api::ErrorAnswer` reads the body leniently",
        apply: raw_error_bodies,
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
    Transform {
        name: "inline_scalar_refs",
        reason: "typify makes a newtype for every `$ref`'d scalar (`AlertNumber(i64)`, \
                 `AlertHtmlUrl(String)`, a nullable comment as `…Comment(Option<String>)`), so \
                 callers write `alert.number.map(|n| n.0)` and `&AlertNumber(7)`; an inline \
                 copy of a scalar component (no enum, no sub-schema) gives plain `i64`/`String`",
        apply: schemas::inline_scalar_refs,
    },
    Transform {
        name: "plain_date_times",
        reason: "typify maps `format: date-time` to `chrono::DateTime`, a dependency the client \
                 has no other use for; gh-revoke passes GitHub's timestamps through and never \
                 computes with them, and a string cannot fail to decode",
        apply: schemas::plain_date_times,
    },
    Transform {
        name: "lenient_response_enums",
        // "Adding enum values" is an additive change, made in every supported API version
        // without a new one: docs.github.com/rest/about-the-rest-api/api-versions.
        reason: "a closed Rust enum fails the whole answer (a page of 100 alerts) on a value the \
                 description does not list, and GitHub adds values without a new API version \
                 (its versioning docs call that additive); the alert webhook already \
                 lists `resolution` values `pattern_deleted` and `pattern_edited` that the REST \
                 schema does not; on the response side a string enum becomes a string (request \
                 bodies keep their enums; a shared component is copied, not edited)",
        apply: schemas::lenient_response_enums,
    },
    Transform {
        name: "optional_response_properties",
        reason: "a `required` property that is missing fails the whole answer; the description \
                 itself says `rate-limit-overview.rate` (required) is removed by API version \
                 2026-03-10 (`x-github-breaking-changes`), and `simple-repository` requires 46 \
                 fields of which gh-revoke reads one; on the response side no property is \
                 required (every field an `Option`)",
        apply: schemas::optional_response_properties,
    },
    Transform {
        name: "opaque_response_unions",
        reason: "typify 0.8 turns the nullable `oneOf` of `first_location_detected` into a struct \
                 and an enum with the same name (the output does not compile), and an untagged \
                 enum of 13 location shapes would fail a whole page on a location kind GitHub \
                 adds; a response-side `oneOf`/`anyOf` becomes any JSON value",
        apply: schemas::opaque_response_unions,
    },
    Transform {
        name: "flatten_required_any_of",
        reason: "the update-alert body says \"at least one of state, assignee, validity\" with an \
                 `anyOf` of `required` lists, which typify renders as an untagged enum \
                 `Variant0/1/2` repeating the fields; without the `anyOf` the body is one struct \
                 of optional fields (the request-fidelity tests still check the rule against the \
                 vendored schema)",
        apply: schemas::flatten_required_any_of,
    },
    Transform {
        name: "shared_request_enums",
        reason: "progenitor names an inline enum after its operation, so one set of values \
                 becomes several identical Rust enums (`credential_type` four times, the \
                 alerts' `state`, `sort` and `direction` three times each); on the request \
                 side an inline string enum refers to the component schema with the same values \
                 when there is one (`state` → `secret-scanning-alert-state`), else, when two or \
                 more operations use it, to a new component named after the property or \
                 parameter (`credential-type`, `sort`, `direction`)",
        apply: schemas::shared_request_enums,
    },
    Transform {
        name: "redacted_alert_secret",
        reason: "an alert's `secret` is a live credential, and a generated `String` field prints \
                 it in full through the derived `Debug` (a `tracing` field, a panic message); the \
                 property becomes the component `secret-scanning-alert-secret`, which codegen \
                 replaces with `gh_revoke_api::AlertSecret` (redacting `Debug`, zeroed on drop)",
        apply: schemas::redacted_alert_secret,
    },
    Transform {
        name: "prune_unreferenced_schemas",
        reason: "progenitor emits a public type for every component schema, referenced or not; \
                 after the transforms above about twenty (the error bodies, the scalar \
                 newtypes, the 13 location shapes) are reached by no operation, and would be \
                 public types that no method ever returns",
        apply: schemas::prune_unreferenced_schemas,
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

/// The media type [`raw_error_bodies`] gives every error response: any body, read raw.
pub const RAW_MEDIA_TYPE: &str = "*/*";

fn is_error(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (400..600).contains(code),
        StatusCode::Range(range) => (4..=5).contains(range),
    }
}

fn is_raw(response: &Response) -> bool {
    response.content.len() == 1
        && response
            .content
            .get(RAW_MEDIA_TYPE)
            .is_some_and(|media| media.schema.is_none())
}

/// See [`TRANSFORMS`]: every error response (4xx, 5xx, `default`) gets one untyped body.
pub fn raw_error_bodies(spec: &mut OpenAPI) -> Result<usize> {
    let snapshot = spec.clone();
    let mut changed = 0;
    for (_, _, op) in operations_mut(spec) {
        let responses = &mut op.responses;
        let errors = responses
            .responses
            .iter_mut()
            .filter(|(status, _)| is_error(status))
            .map(|(_, response)| response)
            .chain(responses.default.as_mut());
        for response in errors {
            let mut resolved = resolve_response(&snapshot, response)?;
            if is_raw(&resolved) {
                continue;
            }
            resolved.content = IndexMap::from([(RAW_MEDIA_TYPE.to_owned(), MediaType::default())]);
            *response = ReferenceOr::Item(resolved);
            changed += 1;
        }
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
    fn every_error_status_gets_one_raw_body() {
        let mut spec = doc(json!({
            "202": {"$ref": "#/components/responses/accepted"},
            "400": {"description": "no body"},
            "422": {"description": "v", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/a"}}}},
            "503": {"description": "i", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/b"}}}},
            "default": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/b"}}}}
        }));
        assert_eq!(raw_error_bodies(&mut spec).unwrap(), 4);
        for status in [400, 422, 503] {
            let response = response_json(&spec, status);
            assert_eq!(
                response["content"],
                json!({RAW_MEDIA_TYPE: {}}),
                "{status}: {response}"
            );
        }
        // Descriptions stay; the success response is not touched.
        assert_eq!(response_json(&spec, 422)["description"], "v");
        assert_eq!(
            response_json(&spec, 202),
            json!({"$ref": "#/components/responses/accepted"})
        );
        // Done twice, nothing more changes.
        assert_eq!(raw_error_bodies(&mut spec).unwrap(), 0);
    }

    #[test]
    fn readme_lists_every_transform_with_its_reason() {
        let readme =
            std::fs::read_to_string(crate::workspace_root().join("openapi/README.md")).unwrap();
        for transform in TRANSFORMS {
            assert!(
                readme.contains(&format!("| `{}` |", transform.name)),
                "openapi/README.md does not list {}",
                transform.name
            );
        }
        // The rows of the table in the normalisation section.
        let section = readme
            .split("\n## ")
            .find(|section| section.starts_with("Normalisation"))
            .expect("a Normalisation section");
        let listed = section
            .lines()
            .filter(|line| line.starts_with("| `"))
            .count();
        assert_eq!(
            listed,
            TRANSFORMS.len(),
            "openapi/README.md lists a transform that is gone"
        );
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
