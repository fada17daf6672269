//! `transport::client_builder` reads the real process environment: with `HTTP_PROXY` and
//! `HTTPS_PROXY` set, plain-http loopback traffic goes direct and everything else goes to the
//! proxy.
//!
//! The environment is process-global (and changing it is `unsafe` in this edition), so the
//! test does not touch its own: it runs this same binary again as a child with the variables
//! set (`Command::env`), and the child, an ignored test, makes the requests.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use gh_revoke_api::transport;

const CHILD: &str = "child_makes_the_requests";
const ORIGIN_ENV: &str = "GH_REVOKE_TEST_ORIGIN";

/// A loopback HTTP server that records each request line and answers `status`.
fn stand_in(status: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            record.lock().unwrap().push(first.trim_end().to_owned());
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (url, seen)
}

#[test]
fn loopback_http_bypasses_the_environments_proxy() {
    let (proxy, proxy_seen) = stand_in("502 Bad Gateway");
    let (origin, origin_seen) = stand_in("200 OK");
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            CHILD,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("HTTP_PROXY", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("REQUEST_METHOD")
        .env(ORIGIN_ENV, &origin)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "the child test did not run"
    );
    assert_eq!(
        origin_seen.lock().unwrap().as_slice(),
        ["GET /direct HTTP/1.1"]
    );
    assert_eq!(
        proxy_seen.lock().unwrap().as_slice(),
        [
            "GET http://far-away.gh-revoke.invalid/via HTTP/1.1",
            "CONNECT far-away.gh-revoke.invalid:443 HTTP/1.1"
        ]
    );
}

#[tokio::test]
#[ignore = "run by loopback_http_bypasses_the_environments_proxy with its own environment"]
async fn child_makes_the_requests() {
    let origin = std::env::var(ORIGIN_ENV).expect("run by the parent test");
    let client = transport::client_builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap();
    let direct = client.get(format!("{origin}/direct")).send().await.unwrap();
    assert_eq!(direct.status(), 200);
    let via = client
        .get("http://far-away.gh-revoke.invalid/via")
        .send()
        .await
        .unwrap();
    assert_eq!(via.status(), 502, "plain http elsewhere goes to HTTP_PROXY");
    assert!(
        client
            .get("https://far-away.gh-revoke.invalid/")
            .send()
            .await
            .is_err(),
        "https goes to HTTPS_PROXY, which refuses the tunnel"
    );
}
