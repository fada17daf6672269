//! Reading what comes back when a generated method fails.
//!
//! Every error status of every operation is declared with an untyped body (the
//! `raw_error_bodies` transform), so a generated method fails in one of three ways that carry an
//! answer, and [`ErrorAnswer::read`] turns all of them into status + headers + body:
//! - `Error::ErrorResponse(ResponseValue<ByteStream>)`: a status the description documents;
//! - `Error::UnexpectedResponse(reqwest::Response)`: any other status (GitHub's 401, 429, a
//!   proxy's 502, a 3xx: redirects are never followed);
//! - nothing else has an answer: a connection or timeout error, or a *success* body that did
//!   not decode (`Error::InvalidResponsePayload`, whose `Display` prints the whole body: for an
//!   alerts page, the secrets in it). [`describe`] says what happened without any of that.
//!
//! The body is GitHub's text, read leniently: JSON or not, `message` if there is one, `errors`
//! of any shape. It may echo what was sent: scrub it before showing it.

use std::future::Future;

use bytes::Bytes;
use progenitor_client::{ByteStream, Error};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The most of an error body kept (GitHub's are a few hundred bytes; a proxy's HTML page can
/// be anything).
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// An answer with a status the caller did not want: always the status and headers, and the
/// body as far as it could be read (at most [`MAX_ERROR_BODY`] bytes).
///
/// `Debug` shows the status and the body's length, not the body.
#[derive(Clone)]
pub struct ErrorAnswer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    complete: bool,
}

impl std::fmt::Debug for ErrorAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorAnswer")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("complete", &self.complete)
            .finish()
    }
}

/// The error body types of the generated methods: `ByteStream` (declared error statuses) and
/// `()` (an operation that declares none, such as `DELETE /installation/token`).
pub trait ErrorBody: sealed::Sealed + Sized {
    /// Read at most `limit` bytes; `true` when the whole body was read.
    fn read_capped(self, limit: usize) -> impl Future<Output = (Vec<u8>, bool)> + Send;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for progenitor_client::ByteStream {}
    impl Sealed for () {}
}

impl ErrorBody for ByteStream {
    async fn read_capped(self, limit: usize) -> (Vec<u8>, bool) {
        let mut stream = self.into_inner();
        let mut body = Vec::new();
        loop {
            let next =
                std::future::poll_fn(|cx| futures_core::Stream::poll_next(stream.as_mut(), cx))
                    .await;
            match next {
                None => return (body, true),
                Some(Err(_)) => return (body, false),
                Some(Ok(chunk)) => {
                    if push_capped(&mut body, &chunk, limit) {
                        return (body, false);
                    }
                }
            }
        }
    }
}

impl ErrorBody for () {
    async fn read_capped(self, _limit: usize) -> (Vec<u8>, bool) {
        (Vec::new(), true)
    }
}

/// Append what fits; `true` when `chunk` did not fit whole.
fn push_capped(body: &mut Vec<u8>, chunk: &[u8], limit: usize) -> bool {
    let room = limit.saturating_sub(body.len());
    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    chunk.len() > room
}

async fn read_response(mut response: reqwest::Response, limit: usize) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(None) => return (body, true),
            Err(_) => return (body, false),
            Ok(Some(chunk)) => {
                if push_capped(&mut body, &chunk, limit) {
                    return (body, false);
                }
            }
        }
    }
}

impl ErrorAnswer {
    /// The answer inside `error`, with its body read; `Err(error)` when there is no answer (see
    /// the module documentation).
    pub async fn read<E: ErrorBody>(error: Error<E>) -> Result<Self, Error<E>> {
        match error {
            Error::ErrorResponse(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                let (body, complete) = value.into_inner().read_capped(MAX_ERROR_BODY).await;
                Ok(Self::new(status, headers, body, complete))
            }
            Error::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let (body, complete) = read_response(response, MAX_ERROR_BODY).await;
                Ok(Self::new(status, headers, body, complete))
            }
            other => Err(other),
        }
    }

    /// An answer from its parts (for tests, and for answers read another way).
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: impl Into<Bytes>,
        complete: bool,
    ) -> Self {
        Self {
            status,
            headers,
            body: body.into(),
            complete,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers (rate limits, `retry-after`, `x-github-sso`, `x-accepted-oauth-scopes`, …).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received (at most [`MAX_ERROR_BODY`] bytes).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether the whole body was read (false when it was cut at [`MAX_ERROR_BODY`] or the
    /// connection broke).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    fn field(&self, name: &str) -> Option<String> {
        match self.json()?.get(name)? {
            Value::String(text) => Some(text.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// GitHub's `message`, if the body is JSON with one.
    pub fn message(&self) -> Option<String> {
        self.field("message")
    }

    /// GitHub's `documentation_url`, if any.
    pub fn documentation_url(&self) -> Option<String> {
        self.field("documentation_url")
    }

    /// GitHub's `errors`, whatever their shape: strings as they are; objects by their
    /// `message`, else their `code`, else as JSON; anything else as JSON.
    pub fn errors(&self) -> Vec<String> {
        let Some(json) = self.json() else {
            return Vec::new();
        };
        let render = |item: &Value| match item {
            Value::String(text) => text.clone(),
            Value::Object(map) => ["message", "code"]
                .iter()
                .find_map(|key| map.get(*key).and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| item.to_string()),
            other => other.to_string(),
        };
        match json.get("errors") {
            Some(Value::Array(items)) => items.iter().map(render).collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(other) => vec![render(other)],
        }
    }

    /// The body as text with control characters flattened, at most `max_chars` characters
    /// (for a body that is not JSON: an HTML error page, a proxy's text).
    pub fn text_snippet(&self, max_chars: usize) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let flat: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(max_chars)
            .collect();
        flat.trim().to_owned()
    }
}

/// What went wrong, in words that never include a body or a value from one.
///
/// `Error`'s own `Display` prints an undecodable success body in full (for an alerts listing:
/// every secret on the page), and `serde_json`'s message quotes the offending value; this says
/// where decoding stopped instead.
pub fn describe<E>(error: &Error<E>) -> String {
    match error {
        Error::InvalidRequest(what) => format!("the request could not be built: {what}"),
        Error::CommunicationError(err) | Error::ResponseBodyError(err) => transport(err),
        Error::InvalidUpgrade(err) => transport(err),
        Error::ErrorResponse(value) => format!("GitHub answered {}", value.status()),
        Error::UnexpectedResponse(response) => format!("GitHub answered {}", response.status()),
        Error::InvalidResponsePayload(bytes, err) => format!(
            "GitHub's answer ({} bytes) could not be decoded: {} at line {} column {}",
            bytes.len(),
            match err.classify() {
                serde_json::error::Category::Io => "read error",
                serde_json::error::Category::Syntax => "not JSON",
                serde_json::error::Category::Data => "unexpected content",
                serde_json::error::Category::Eof => "cut short",
            },
            err.line(),
            err.column()
        ),
        Error::Custom(what) => what.clone(),
    }
}

fn transport(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    };
    let mut text = kind.to_owned();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> ErrorAnswer {
        ErrorAnswer::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            HeaderMap::new(),
            body.to_owned(),
            true,
        )
    }

    #[test]
    fn reads_github_bodies_of_any_shape() {
        let typical = answer(
            r#"{"message":"Validation Failed","documentation_url":"https://docs.github.com","errors":[{"resource":"Alert","code":"invalid","field":"state"},"plain",{"message":"said"},7],"status":"422"}"#,
        );
        assert_eq!(typical.message().as_deref(), Some("Validation Failed"));
        assert_eq!(
            typical.documentation_url().as_deref(),
            Some("https://docs.github.com")
        );
        assert_eq!(typical.errors(), ["invalid", "plain", "said", "7"]);
        // `status` as a number or a string, `message` missing.
        let odd = answer(r#"{"status":422,"errors":"one"}"#);
        assert_eq!(odd.message(), None);
        assert_eq!(odd.errors(), ["one"]);
        let html = answer("<html><body>\n502 Bad Gateway\n</body></html>");
        assert_eq!(html.message(), None);
        assert!(html.errors().is_empty());
        assert_eq!(html.text_snippet(29), "<html><body> 502 Bad Gateway");
        assert!(answer("").json().is_none());
    }

    #[test]
    fn bodies_are_capped() {
        let mut body = Vec::new();
        assert!(!push_capped(&mut body, b"abc", 5));
        assert!(push_capped(&mut body, b"defg", 5));
        assert_eq!(body, b"abcde");
        assert!(push_capped(&mut body, b"h", 5));
        assert_eq!(body, b"abcde");
    }

    #[test]
    fn debug_shows_no_body() {
        let debug = format!("{:?}", answer(r#"{"message":"ghp_TOPSECRET"}"#));
        assert!(!debug.contains("TOPSECRET"), "{debug}");
        assert!(debug.contains("422"), "{debug}");
    }

    #[test]
    fn describe_never_quotes_a_body() {
        let body = br#"[{"number":"ghp_TOPSECRET"}]"#;
        let err = serde_json::from_slice::<Vec<std::collections::BTreeMap<String, i64>>>(body)
            .unwrap_err();
        assert!(err.to_string().contains("TOPSECRET"), "serde quotes values");
        let error: Error<()> = Error::InvalidResponsePayload(Bytes::from_static(body), err);
        assert!(
            error.to_string().contains("TOPSECRET"),
            "progenitor prints bodies"
        );
        let described = describe(&error);
        assert!(!described.contains("TOPSECRET"), "{described}");
        assert!(described.contains("unexpected content"), "{described}");
    }
}
