//! A stateful fake of `POST /credentials/revoke` on loopback, for what httpmock cannot model:
//! a real rate-limit window (limit, remaining, reset) and faults (resets, stalls, HTML errors).
//!
//! Each connection serves one request (`Connection: close`). Scripted answers are used first,
//! in order; after them the server answers 202 within its window and 403 with
//! `x-ratelimit-remaining: 0` past it, counting those over-limit answers.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// Answer with this status, extra headers and body.
    Respond {
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: String,
    },
    /// Read the request, then close the connection without answering.
    Reset,
    /// Read the request, then wait this long before answering 202 (to trip a timeout).
    Stall(Duration),
}

impl Scripted {
    /// A plain answer.
    pub fn status(status: u16, body: &str) -> Self {
        Scripted::Respond {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
        }
    }

    /// An answer with headers.
    pub fn with_headers(status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Scripted::Respond {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
        }
    }
}

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Request line path.
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// What the fake answered (0 for a reset or stall).
    pub answered: u16,
}

impl Recorded {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The credentials in the JSON body.
    pub fn credentials(&self) -> Vec<String> {
        serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| {
                v.get("credentials")?.as_array().map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
            })
            .unwrap_or_default()
    }
}

#[derive(Debug)]
struct State {
    limit: u32,
    window: Duration,
    reset_at: u64,
    used: u32,
    script: VecDeque<Scripted>,
    requests: Vec<Recorded>,
    over_limit_answers: u32,
}

/// The running fake.
#[derive(Debug, Clone)]
pub struct FakeGitHub {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

fn epoch_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

impl FakeGitHub {
    /// Start a fake allowing `limit` requests per `window` (whole seconds), after `script`.
    pub async fn start(limit: u32, window: Duration, script: Vec<Scripted>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            limit,
            window,
            reset_at: epoch_now().as_secs() + window.as_secs().max(1),
            used: 0,
            script: script.into(),
            requests: Vec::new(),
            over_limit_answers: 0,
        }));
        let fake = Self { addr, state };
        let server = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.serve(stream).await });
            }
        });
        fake
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().expect("state").requests.clone()
    }

    /// How many 403 over-limit answers the window forced.
    pub fn over_limit_answers(&self) -> u32 {
        self.state.lock().expect("state").over_limit_answers
    }

    async fn serve(&self, mut stream: TcpStream) {
        let Some((path, headers, body)) = read_request(&mut stream).await else {
            return;
        };
        let scripted = self.state.lock().expect("state").script.pop_front();
        let (status, extra, text) = match scripted {
            Some(Scripted::Reset) => {
                self.record(path, headers, body, 0);
                drop(stream);
                return;
            }
            Some(Scripted::Stall(delay)) => {
                self.record(path, headers, body, 0);
                tokio::time::sleep(delay).await;
                let _ = write_response(&mut stream, 202, &[], "").await;
                return;
            }
            Some(Scripted::Respond {
                status,
                headers: extra,
                body: text,
            }) => (status, extra, text),
            None => self.window_answer(),
        };
        self.record(path, headers, body, status);
        let _ = write_response(&mut stream, status, &extra, &text).await;
    }

    fn window_answer(&self) -> (u16, Vec<(String, String)>, String) {
        let mut state = self.state.lock().expect("state");
        let now = epoch_now().as_secs();
        if now >= state.reset_at {
            state.reset_at = now + state.window.as_secs().max(1);
            state.used = 0;
        }
        let over = state.used >= state.limit;
        if over {
            state.over_limit_answers += 1;
        } else {
            state.used += 1;
        }
        let headers = vec![
            ("x-ratelimit-limit".to_owned(), state.limit.to_string()),
            (
                "x-ratelimit-remaining".to_owned(),
                (state.limit - state.used).to_string(),
            ),
            ("x-ratelimit-used".to_owned(), state.used.to_string()),
            ("x-ratelimit-reset".to_owned(), state.reset_at.to_string()),
            ("x-ratelimit-resource".to_owned(), "core".to_owned()),
        ];
        if over {
            (
                403,
                headers,
                r#"{"message":"API rate limit exceeded"}"#.to_owned(),
            )
        } else {
            (202, headers, String::new())
        }
    }

    fn record(&self, path: String, headers: Vec<(String, String)>, body: Vec<u8>, answered: u16) {
        self.state.lock().expect("state").requests.push(Recorded {
            path,
            headers,
            body,
            answered,
        });
    }
}

type Request = (String, Vec<(String, String)>, Vec<u8>);

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()?
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((path, headers, body))
}

async fn write_response(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &str,
) -> std::io::Result<()> {
    let mut text = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    if !body.is_empty() && !headers.iter().any(|(k, _)| k == "content-type") {
        let kind = if body.starts_with('<') {
            "text/html"
        } else {
            "application/json"
        };
        text.push_str(&format!("content-type: {kind}\r\n"));
    }
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes()).await?;
    stream.shutdown().await
}
