//! A loopback stand-in of a secret-scanning alerts listing whose `Link: rel="next"` goes on
//! forever with new page numbers: every page is the same (empty, or the same alerts again).
//! A client that follows it without a bound never ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The running stand-in.
#[derive(Debug)]
pub struct EndlessListing {
    base: String,
    pages: Arc<AtomicUsize>,
}

impl EndlessListing {
    /// Serve `page` (a JSON array) for every page of any listing path, each naming the next
    /// page number.
    pub async fn start(page: Value) -> Self {
        Self::start_paged(move |_| (page.clone(), true)).await
    }

    /// Serve `pages(n)` for page `n` (from 1): its JSON array, and whether it names a next page.
    pub async fn start_paged(pages: impl Fn(u64) -> (Value, bool) + Send + Sync + 'static) -> Self {
        let pages_fn = Arc::new(pages);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        let base = format!("http://{addr}");
        let pages = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&pages);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (counter, pages_fn) = (Arc::clone(&counter), Arc::clone(&pages_fn));
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let mut read = 0;
                    while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf[read..]).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => read += n,
                        }
                        if read == buf.len() {
                            return;
                        }
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    let head = String::from_utf8_lossy(&buf[..read]).into_owned();
                    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let path = target.split('?').next().unwrap_or("/").to_owned();
                    let page: u64 = target
                        .split_once('?')
                        .map(|(_, q)| q)
                        .unwrap_or("")
                        .split('&')
                        .find_map(|kv| kv.strip_prefix("page="))
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(1);
                    let (body, more) = pages_fn(page);
                    let body = body.to_string();
                    let link = if more {
                        format!(
                            "link: <http://{addr}{path}?per_page=100&page={}>; rel=\"next\"\r\n",
                            page + 1
                        )
                    } else {
                        String::new()
                    };
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{link}\
                         x-ratelimit-limit: 5000\r\nx-ratelimit-remaining: 4999\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        Self { base, pages }
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Pages served so far.
    pub fn pages(&self) -> usize {
        self.pages.load(Ordering::SeqCst)
    }
}

/// One open alert of `repository` as the repository listing returns it, leaking `secret`.
pub fn open_alert(repository: &str, number: i64, secret: &str) -> Value {
    json!({
        "number": number,
        "created_at": "2025-01-01T00:00:00Z",
        "url": format!("https://api.github.com/repos/{repository}/secret-scanning/alerts/{number}"),
        "html_url": format!("https://github.com/{repository}/security/secret-scanning/{number}"),
        "state": "open",
        "resolution": null,
        "secret_type": "github_personal_access_token",
        "secret_type_display_name": "GitHub Personal Access Token",
        "secret": secret,
        "validity": "active",
        "multi_repo": false,
    })
}
