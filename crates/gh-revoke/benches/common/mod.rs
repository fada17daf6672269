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
