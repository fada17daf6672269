//! Synthetic inputs shared by the benches (tokens that were never issued).
#![allow(dead_code)] // each bench uses part of it

use gh_revoke::Kind;
use gh_revoke::fixtures::{SmallRng, base62_from_rng, classic_from, classic_random_len, rng};

/// A seeded base62 generator (the fixtures' `SmallRng`).
pub struct Rng(SmallRng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(rng(seed))
    }

    pub fn base62(&mut self, n: usize) -> Vec<u8> {
        base62_from_rng(&mut self.0, n).into_bytes()
    }

    pub fn classic(&mut self) -> String {
        classic_from(
            Kind::ClassicPat,
            &self.base62(classic_random_len(Kind::ClassicPat)),
        )
        .expect("classic")
    }
}

/// About `size` bytes of CI-log-like text (github.com URLs, English words with "gh"), with a
/// classic token every ~64 KiB. Returns the text and the number of tokens.
pub fn log(size: usize) -> (Vec<u8>, usize) {
    const LINES: &[&[u8]] = &[
        b"2026-11-21T03:12:09.114Z INFO  runner: fetched https://github.com/acme/app.git at 4f1c2e9 (through the proxy)\n",
        b"2026-11-21T03:12:10.002Z WARN  test: the highlight of tonight's flaky run was slightly high latency\n",
        b"{\"level\":\"info\",\"msg\":\"upload artifact\",\"url\":\"https://api.github.com/repos/acme/app/actions/artifacts\"}\n",
        b"2026-11-21T03:12:11.040Z DEBUG env: HOME=/home/runner GITHUB_WORKSPACE=/home/runner/work/app\n",
    ];
    let mut rng = Rng::new(42);
    let mut out = Vec::with_capacity(size + 256);
    let mut tokens = 0;
    let mut i = 0usize;
    while out.len() < size {
        out.extend_from_slice(LINES[i % LINES.len()]);
        i += 1;
        if out.len() % (64 << 10) < 128 {
            out.extend_from_slice(b"token=");
            out.extend_from_slice(rng.classic().as_bytes());
            out.push(b'\n');
            tokens += 1;
        }
    }
    (out, tokens)
}

/// `n` unique classic tokens, one per line.
pub fn token_list(n: usize) -> Vec<u8> {
    let mut rng = Rng::new(7);
    let mut out = Vec::with_capacity(n * 41);
    for _ in 0..n {
        out.extend_from_slice(rng.classic().as_bytes());
        out.push(b'\n');
    }
    out
}

/// The `log` corpus with each line's text in base64 inside a JSON record (alternately
/// standard and URL-safe, as a container runtime's log would hold binary-safe output): every
/// token is found through a decoding. About `size` bytes; returns the text and the tokens.
pub fn log_base64(size: usize) -> (Vec<u8>, usize) {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let (plain, tokens) = log(size / 4 * 3);
    let mut out = Vec::with_capacity(size + 1024);
    for (i, line) in plain.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        out.extend_from_slice(b"{\"stream\":\"stdout\",\"log\":\"");
        let b64 = if i.is_multiple_of(2) {
            STANDARD.encode(line)
        } else {
            URL_SAFE_NO_PAD.encode(line)
        };
        out.extend_from_slice(b64.as_bytes());
        out.extend_from_slice(b"\"}\n");
    }
    (out, tokens)
}

/// The `log` corpus as UTF-16LE with a BOM (what PowerShell's `>` writes), `size` bytes.
pub fn log_utf16(size: usize) -> (Vec<u8>, usize) {
    let (plain, tokens) = log(size / 2);
    let mut out = b"\xFF\xFE".to_vec();
    out.extend(plain.iter().flat_map(|&b| [b, 0]));
    (out, tokens)
}
