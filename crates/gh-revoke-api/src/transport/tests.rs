use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use super::*;

/// A loopback HTTP stand-in that records the request line of everything it receives and
/// answers every request with `status`. As a proxy it sees `GET http://host/…` for plain http
/// and `CONNECT host:443` for https.
struct StandIn {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    connections: Arc<Mutex<usize>>,
}

impl StandIn {
    fn start(status: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(Mutex::new(0));
        let record = Arc::clone(&seen);
        let count = Arc::clone(&connections);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                *count.lock().unwrap() += 1;
                // A TLS hello has no line end: give up on it soon.
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_millis(500)));
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() || !first.ends_with('\n') {
                    continue;
                }
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
                    "HTTP/1.1 {status}\r\ncontent-length: 6\r\nconnection: close\r\n\r\nstatus"
                );
            }
        });
        Self {
            addr,
            seen,
            connections,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        *self.connections.lock().unwrap()
    }
}

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn client_for(plan: &ProxyPlan) -> reqwest::Client {
    install_crypto_provider();
    plan.apply(reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()))
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A host name that only the proxy ever sees (`.invalid` never resolves; with a proxy, the
/// client does not resolve it at all).
const FAR: &str = "far-away.gh-revoke.invalid";

#[tokio::test]
async fn plain_http_loopback_never_uses_the_proxy() {
    let proxy = StandIn::start("502 Bad Gateway");
    let origin = StandIn::start("200 OK");
    let port = origin.addr.port();
    for plan_env in [
        vec![("HTTP_PROXY", proxy.url())],
        vec![("http_proxy", proxy.url())],
        vec![("ALL_PROXY", proxy.url())],
        vec![
            ("HTTP_PROXY", proxy.url()),
            ("NO_PROXY", "example.com".into()),
        ],
    ] {
        let pairs: Vec<(&str, &str)> = plan_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let client = client_for(&proxy_plan(env(&pairs)));
        for url in [
            format!("http://127.0.0.1:{port}/direct"),
            format!("http://localhost:{port}/direct"),
        ] {
            let response = client.get(&url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{url} with {plan_env:?}");
        }
        // ::1 may not be served here; either way the proxy must not see it.
        let _ = client
            .get(format!("http://[::1]:{port}/direct"))
            .send()
            .await;
        // The same client still proxies plain http to anything else.
        let far = client
            .get(format!("http://{FAR}/via"))
            .send()
            .await
            .unwrap();
        assert_eq!(far.status(), 502, "{plan_env:?}");
    }
    assert_eq!(
        proxy.seen(),
        vec![format!("GET http://{FAR}/via HTTP/1.1"); 4],
        "only the non-loopback requests reached the proxy"
    );
    assert_eq!(origin.seen().len(), 8);
}

#[tokio::test]
async fn https_keeps_its_proxy_and_no_proxy() {
    let proxy = StandIn::start("502 Bad Gateway");
    let origin = StandIn::start("200 OK");
    let port = origin.addr.port();
    let url = proxy.url();

    // HTTPS_PROXY is used for https, even to loopback (the rule is for plain http only)...
    let client = client_for(&proxy_plan(env(&[("HTTPS_PROXY", &url)])));
    assert!(client.get(format!("https://{FAR}/")).send().await.is_err());
    assert!(
        client
            .get(format!("https://127.0.0.1:{port}/"))
            .send()
            .await
            .is_err()
    );
    assert_eq!(
        proxy.seen(),
        [
            format!("CONNECT {FAR}:443 HTTP/1.1"),
            format!("CONNECT 127.0.0.1:{port} HTTP/1.1")
        ]
    );
    assert_eq!(origin.connections(), 0);

    // ... and NO_PROXY still sends a listed host direct (here: TLS to a plain-http origin,
    // which fails, but the origin saw the connection and the proxy did not).
    let client = client_for(&proxy_plan(env(&[
        ("HTTPS_PROXY", &url),
        ("NO_PROXY", "127.0.0.1"),
    ])));
    assert!(
        client
            .get(format!("https://127.0.0.1:{port}/"))
            .send()
            .await
            .is_err()
    );
    assert_eq!(proxy.connections(), 2);
    assert_eq!(origin.connections(), 1);
}

#[test]
fn the_plan_follows_the_system_rule() {
    let plan = proxy_plan(env(&[
        ("ALL_PROXY", "http://all:1"),
        ("https_proxy", "http://lower:2"),
        ("no_proxy", "corp.example"),
    ]));
    assert_eq!(
        plan,
        ProxyPlan {
            http: Some("http://all:1".into()),
            https: Some("http://lower:2".into()),
            no_proxy: "corp.example".into(),
        }
    );
    assert_eq!(
        plan.http_no_proxy(),
        format!("corp.example,{LOOPBACK_NO_PROXY}")
    );
    // Upper case first; an empty value is no proxy.
    let plan = proxy_plan(env(&[
        ("HTTP_PROXY", "http://upper:1"),
        ("http_proxy", "http://lower:1"),
        ("HTTPS_PROXY", " "),
    ]));
    assert_eq!(plan.http.as_deref(), Some("http://upper:1"));
    assert_eq!(plan.https, None);
    assert_eq!(plan.http_no_proxy(), LOOPBACK_NO_PROXY);
    // httpoxy: a CGI environment uses no proxy at all.
    let plan = proxy_plan(env(&[
        ("REQUEST_METHOD", "GET"),
        ("HTTP_PROXY", "http://evil:1"),
        ("HTTPS_PROXY", "http://evil:2"),
    ]));
    assert_eq!(plan.http, None);
    assert_eq!(plan.https, None);
}

#[tokio::test]
async fn an_unparsable_proxy_is_ignored_not_fatal() {
    let origin = StandIn::start("200 OK");
    let plan = proxy_plan(env(&[("HTTP_PROXY", "http://[not a url")]));
    let response = client_for(&plan)
        .get(format!("http://127.0.0.1:{}/", origin.addr.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
