//! A loopback stand-in for `GET /rate_limit` authenticated by leaked credentials: it answers
//! each request after a fixed latency, 200 ("still live") for a credential in the live set or
//! before `dies_after` has passed since it started, 401 ("Bad credentials") after; and it logs
//! when each credential was asked about. Used by the verify schedule's loopback test and by
//! `verify-bench`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request: which credential, when it arrived and when it was answered (since the start),
/// and whether the answer was 401.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The credential that authenticated it (the test's own synthetic token).
    pub token: String,
    /// When the request arrived.
    pub at: Duration,
    /// When it was answered.
    pub answered: Duration,
    /// Whether the answer was 401 (dead).
    pub dead: bool,
}

/// The running stand-in.
#[derive(Debug)]
pub struct LivenessServer {
    base: String,
    start: Instant,
    log: Arc<Mutex<Vec<Asked>>>,
    in_flight: Arc<Mutex<(usize, usize)>>,
}

impl LivenessServer {
    /// Listen on loopback; the clock (`dies_after`) starts now.
    pub async fn start(live: HashSet<String>, dies_after: Duration, latency: Duration) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let start = Instant::now();
        let log = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(Mutex::new((0usize, 0usize)));
        let live = Arc::new(live);
        let (log_c, in_flight_c) = (Arc::clone(&log), Arc::clone(&in_flight));
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (log, in_flight, live) = (
                    Arc::clone(&log_c),
                    Arc::clone(&in_flight_c),
                    Arc::clone(&live),
                );
                tokio::spawn(async move {
                    // One request per connection (`connection: close`).
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
                    let at = start.elapsed();
                    let head = String::from_utf8_lossy(&buf[..read]).into_owned();
                    let token = head
                        .lines()
                        .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                        .and_then(|l| l.split_whitespace().last())
                        .unwrap_or("")
                        .to_owned();
                    {
                        let mut n = in_flight.lock().expect("lock");
                        n.0 += 1;
                        n.1 = n.1.max(n.0);
                    }
                    tokio::time::sleep(latency).await;
                    in_flight.lock().expect("lock").0 -= 1;
                    let answered = start.elapsed();
                    let dead = !live.contains(&token) && answered >= dies_after;
                    let answer: &[u8] = if dead {
                        b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 30\r\nconnection: close\r\n\r\n{\"message\":\"Bad credentials\"}\n"
                    } else {
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
                    };
                    let _ = stream.write_all(answer).await;
                    log.lock().expect("lock").push(Asked {
                        token,
                        at,
                        answered,
                        dead,
                    });
                });
            }
        });
        Self {
            base,
            start,
            log,
            in_flight,
        }
    }

    /// The base URL to give the client.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// How long since the stand-in started.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Every request so far, in the order answered.
    pub fn log(&self) -> Vec<Asked> {
        self.log.lock().expect("lock").clone()
    }

    /// The most requests held at once.
    pub fn max_in_flight(&self) -> usize {
        self.in_flight.lock().expect("lock").1
    }

    /// When each credential was asked about, in order (arrival times).
    pub fn asked_at(&self) -> HashMap<String, Vec<Duration>> {
        let mut by_token: HashMap<String, Vec<Duration>> = HashMap::new();
        for asked in self.log() {
            by_token.entry(asked.token).or_default().push(asked.at);
        }
        for times in by_token.values_mut() {
            times.sort();
        }
        by_token
    }
}
