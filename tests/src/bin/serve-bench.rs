//! `gh-revoke serve` benchmark against the loopback alerts stand-in (used by
//! `scripts/bench-serve.sh`):
//! `cargo run --release -p gh-revoke-tests --bin serve-bench -- PATH/TO/gh-revoke`.
//!
//! 1. Answer latency: 1,000 signed deliveries, 50 at a time (p50/p99, each including the
//!    commit before 202).
//! 2. Delivery → revoke request for a lone alert (5 alerts, one at a time).
//! 3. A burst of 5,000 alerts over 50 repositories: revoke requests spent, and the receiver's
//!    peak RSS (GNU time's "Maximum resident set size" when /usr/bin/time exists, else VmHWM).
//!
//! Runs with `--no-resolve` where thousands of alerts are handled: resolving is one `PATCH` a
//! second by design (GitHub's guidance for mutating requests), which would take hours.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gh_revoke::Kind;
use gh_revoke::fixtures::classic;
use gh_revoke_tests::alerts_server::{AlertsServer, StandInAlert};
use sha2::{Digest, Sha256};

const SECRET: &str = "bench-webhook-secret";

fn hmac_sha256(key: &[u8], message: &[u8]) -> String {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    format!(
        "sha256={}",
        outer.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

fn payload(repository: &str, number: i64) -> Vec<u8> {
    format!(
        r#"{{"action":"created","alert":{{"number":{number},"secret_type":"github_personal_access_token"}},"repository":{{"full_name":"{repository}","private":true}}}}"#
    )
    .into_bytes()
}

fn post(addr: SocketAddr, delivery: &str, body: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST /webhook HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\nconnection: close\r\n\
         x-github-event: secret_scanning_alert\r\nx-github-delivery: {delivery}\r\n\
         x-hub-signature-256: {}\r\ncontent-type: application/json\r\n\r\n",
        body.len(),
        hmac_sha256(SECRET.as_bytes(), body)
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

struct Serve {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

fn start(bin: &Path, server: &AlertsServer, state: &Path, args: &[&str]) -> Serve {
    let timed = Path::new("/usr/bin/time").exists();
    let mut cmd = if timed {
        let mut cmd = Command::new("/usr/bin/time");
        cmd.arg("-v").arg(bin);
        cmd
    } else {
        Command::new(bin)
    };
    cmd.env_remove("GITHUB_API_URL")
        .env("GH_TOKEN", "ghp_BenchCallerTokenNotALeak0000000000000")
        .env("GH_REVOKE_WEBHOOK_SECRET", SECRET)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "-q",
            "--api-url",
            &server.url(),
        ])
        .arg("--state")
        .arg(state)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let log = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&log);
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("listening on http://")
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(addr.parse::<SocketAddr>().unwrap());
            }
            sink.lock().unwrap().push_str(&format!("{line}\n"));
        }
    });
    let addr = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    Serve { child, addr, log }
}

impl Serve {
    /// SIGTERM, wait, and the peak RSS in KiB (from GNU time, else unknown).
    fn stop(mut self) -> Option<u64> {
        // With /usr/bin/time in front, the receiver is its child: signal the whole group's
        // receiver by name of the pid's child.
        let target = child_of(self.child.id()).unwrap_or(self.child.id());
        let _ = Command::new("kill")
            .args(["-TERM", &target.to_string()])
            .status();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(200));
        let log = self.log.lock().unwrap().clone();
        log.lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes): ")
            })
            .and_then(|v| v.trim().parse().ok())
    }
}

/// The first child process of `pid` (the receiver under /usr/bin/time).
fn child_of(pid: u32) -> Option<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn token(seed: u64) -> String {
    classic(Kind::ClassicPat, 50_000 + seed)
}

fn wait_until(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > within {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let bin = std::env::args()
        .nth(1)
        .expect("usage: serve-bench PATH/TO/gh-revoke");
    let bin = Path::new(&bin);
    let dir = tempfile::tempdir().unwrap();

    // 1. Answer latency.
    let alerts: Vec<StandInAlert> = (1..=1000)
        .map(|i| StandInAlert::open("octo-org/app", i, &token(i as u64)))
        .collect();
    let server = AlertsServer::start(alerts);
    let serve = start(
        bin,
        &server,
        &dir.path().join("latency.db"),
        &["--no-resolve"],
    );
    let addr = serve.addr;
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..50)
        .map(|t| {
            let latencies = Arc::clone(&latencies);
            std::thread::spawn(move || {
                for i in (1..=1000).filter(|i| i % 50 == t) {
                    let body = payload("octo-org/app", i);
                    let start = Instant::now();
                    let status = post(addr, &format!("lat-{i}"), &body);
                    let took = start.elapsed();
                    assert_eq!(status, 202);
                    latencies.lock().unwrap().push(took);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort();
    wait_until(Duration::from_secs(120), || server.revoked().len() >= 1000);
    let rss_latency = serve.stop();
    println!(
        "answer latency, 1000 deliveries 50 at a time: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms \
         (revoke requests {}; peak RSS {} KiB)",
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0,
        server.calls("POST", "/credentials/revoke").len(),
        rss_latency.map_or("?".into(), |k| k.to_string()),
    );

    // 2. A lone alert, five times.
    let alerts: Vec<StandInAlert> = (1..=5)
        .map(|i| StandInAlert::open("octo-org/lone", i, &token(10_000 + i as u64)))
        .collect();
    let server = AlertsServer::start(alerts);
    let serve = start(bin, &server, &dir.path().join("lone.db"), &[]);
    let mut lone = Vec::new();
    for i in 1..=5 {
        let before = server.calls("POST", "/credentials/revoke").len();
        let start = Instant::now();
        assert_eq!(
            post(
                serve.addr,
                &format!("lone-{i}"),
                &payload("octo-org/lone", i)
            ),
            202
        );
        wait_until(Duration::from_secs(30), || {
            server.calls("POST", "/credentials/revoke").len() > before
        });
        let at = server.calls("POST", "/credentials/revoke")[before].at;
        lone.push(at.duration_since(start));
        // Let it resolve (one PATCH) before the next.
        wait_until(Duration::from_secs(30), || {
            server.resolved().len() as i64 >= i
        });
        std::thread::sleep(Duration::from_millis(1200));
    }
    serve.stop();
    lone.sort();
    println!(
        "delivery -> revoke request, lone alert (5 runs): median {:.0} ms, max {:.0} ms",
        lone[2].as_secs_f64() * 1000.0,
        lone[4].as_secs_f64() * 1000.0
    );

    // 3. A burst of 5000 alerts over 50 repositories.
    let alerts: Vec<StandInAlert> = (1..=5000)
        .map(|i| {
            StandInAlert::open(
                &format!("octo-org/repo{}", i % 50),
                i,
                &token(20_000 + i as u64),
            )
        })
        .collect();
    let server = AlertsServer::start(alerts);
    let serve = start(
        bin,
        &server,
        &dir.path().join("burst.db"),
        &["--no-resolve"],
    );
    let addr = serve.addr;
    let started = Instant::now();
    let threads: Vec<_> = (0..50)
        .map(|t| {
            std::thread::spawn(move || {
                for i in (1..=5000).filter(|i| i % 50 == t) {
                    let body = payload(&format!("octo-org/repo{}", i % 50), i);
                    assert_eq!(post(addr, &format!("burst-{i}"), &body), 202);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let delivered = started.elapsed();
    let done = wait_until(Duration::from_secs(600), || server.revoked().len() >= 5000);
    let all_revoked = started.elapsed();
    let rss = serve.stop();
    println!(
        "burst, 5000 alerts over 50 repositories: delivered in {:.1} s, {} after {:.1} s, {} \
         revoke requests, peak RSS {} KiB",
        delivered.as_secs_f64(),
        if done {
            "all revoked"
        } else {
            "NOT all revoked"
        },
        all_revoked.as_secs_f64(),
        server.calls("POST", "/credentials/revoke").len(),
        rss.map_or("?".into(), |k| k.to_string())
    );
}
