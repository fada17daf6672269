//! Helpers: generated clients on loopback, a recording stand-in server, and the vendored
//! fragment's schemas as JSON Schema validators.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use gh_revoke_api::hooks::Settings;
use gh_revoke_api::{Client, transport};
use serde_json::{Map, Value};

/// A generated client pointed at `base_url` with default settings.
pub fn api_client(base_url: &str) -> Client {
    api_client_with(base_url, Settings::default())
}

/// A generated client with explicit settings.
pub fn api_client_with(base_url: &str, settings: Settings) -> Client {
    let http = transport::client_builder()
        .build()
        .expect("a reqwest client builds");
    Client::new_with_client(base_url, http, settings)
}

/// A loopback HTTP reqwest client for [`gh_revoke_api::LeakedTokenClient`].
pub fn http() -> reqwest::Client {
    transport::client_builder().build().unwrap()
}

/// A request the [`Recorder`] received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The path, percent-encoded as sent, without the query.
    pub path: String,
    /// The query pairs, decoded, in the order sent.
    pub query: Vec<(String, String)>,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{} {}: body is not JSON: {e}", self.method, self.path))
    }
}

/// One canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Canned {
    pub fn new(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_owned(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A loopback server that records every request and answers from a queue of [`Canned`]
/// answers (the last one repeats).
pub struct Recorder {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Recorded>>>,
}

impl Recorder {
    pub fn start(answers: Vec<Canned>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let mut queue: VecDeque<Canned> = answers.into();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                record.lock().unwrap().push(request);
                let answer = if queue.len() > 1 {
                    queue.pop_front().unwrap()
                } else {
                    queue.front().cloned().unwrap_or(Canned::new(200, "{}"))
                };
                let mut head = format!("HTTP/1.1 {} X\r\n", answer.status);
                for (name, value) in &answer.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!(
                    "content-length: {}\r\nconnection: close\r\n\r\n",
                    answer.body.len()
                ));
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(answer.body.as_bytes());
            }
        });
        Self { addr, seen }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.seen.lock().unwrap().clone()
    }
}

fn read_request(stream: &mut std::net::TcpStream) -> Option<Recorded> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Some(Recorded {
        method,
        path: path.to_owned(),
        query,
        headers,
        body,
    })
}

/// The vendored fragment.
pub fn fragment() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../openapi/github-credentials.json");
    let text = std::fs::read_to_string(&path).expect("the vendored fragment");
    serde_json::from_str(&text).expect("the fragment is JSON")
}

/// `node` with every local `$ref` replaced by its target and OpenAPI 3.0's `nullable: true`
/// turned into JSON Schema's `null` type, so that a draft-4 validator reads it as OpenAPI
/// means it. (The fragment's schemas have no reference cycles.)
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
                            .unwrap()
                            .iter()
                            .map(|(name, schema)| (name.clone(), json_schema(root, schema)))
                            .collect(),
                    )
                } else {
                    json_schema(root, value)
                };
                out.insert(key.clone(), value);
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(kind)) = out.get("type").cloned() {
                    out.insert("type".into(), serde_json::json!([kind, "null"]));
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

/// One operation of the fragment.
pub struct Described {
    pub operation_id: String,
    pub method: String,
    pub path: String,
    pub operation: Value,
}

pub fn described_operations(root: &Value) -> Vec<Described> {
    let mut out = Vec::new();
    for (path, item) in root["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                out.push(Described {
                    operation_id: id.to_owned(),
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    operation: operation.clone(),
                });
            }
        }
    }
    out
}

impl Described {
    /// Whether `request` is this operation (method, and path against the template).
    pub fn matches(&self, request: &Recorded) -> bool {
        self.method == request.method && self.path_params(&request.path).is_some()
    }

    /// The path parameters of `path` (percent-decoded), if it fits the template.
    pub fn path_params(&self, path: &str) -> Option<Vec<(String, String)>> {
        let template: Vec<&str> = self.path.trim_start_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if template.len() != actual.len() {
            return None;
        }
        let mut params = Vec::new();
        for (t, a) in template.iter().zip(&actual) {
            if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                let value = url::form_urlencoded::parse(format!("x={a}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                params.push((name.to_owned(), value));
            } else if t != a {
                return None;
            }
        }
        Some(params)
    }

    /// The operation's parameters, `$ref`s resolved: `(name, in, required, JSON schema)`.
    pub fn parameters(&self, root: &Value) -> Vec<(String, String, bool, Value)> {
        self.operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|parameter| {
                let parameter = json_schema(root, parameter);
                (
                    parameter["name"].as_str().unwrap().to_owned(),
                    parameter["in"].as_str().unwrap().to_owned(),
                    parameter["required"].as_bool().unwrap_or(false),
                    parameter["schema"].clone(),
                )
            })
            .collect()
    }

    /// The request body's JSON schema, if the operation takes a body.
    pub fn body_schema(&self, root: &Value) -> Option<Value> {
        let schema = self
            .operation
            .pointer("/requestBody/content/application~1json/schema")?;
        Some(json_schema(root, schema))
    }
}

pub fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft4::new(schema).unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

/// The errors of `value` against `schema`.
pub fn violations(schema: &Value, value: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect()
}

/// A query or path value as the JSON its schema describes (`"100"` is the integer 100 when the
/// schema says integer).
pub fn typed_value(schema: &Value, text: &str) -> Value {
    match schema.get("type").and_then(Value::as_str) {
        Some("integer" | "number" | "boolean") => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
        }
        _ => Value::String(text.to_owned()),
    }
}
