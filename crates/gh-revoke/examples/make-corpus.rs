//! Generates the benchmark corpora (never committed; `scripts/bench.sh` writes them under
//! `bench-data/`). Every token is synthetic: shaped and checksummed like a real one, never
//! issued.
//!
//! ```text
//! cargo run --release -p gh-revoke --example make-corpus -- scan OUT MIB
//! cargo run --release -p gh-revoke --example make-corpus -- lines OUT COUNT
//! cargo run --release -p gh-revoke --example make-corpus -- base64 OUT MIB
//! cargo run --release -p gh-revoke --example make-corpus -- utf16 OUT MIB
//! ```
//!
//! `base64` writes the same log lines, each as a JSON record whose payload is the line in
//! base64 (alternately standard and URL-safe): every byte of the payload is base64, and
//! every credential is found through a decoding. `utf16` writes the `scan` corpus as
//! UTF-16LE with a BOM (what PowerShell's `>` writes).
//!
//! `scan` writes about `MIB` MiB of CI-log-like text (URLs to github.com, English words with
//! "gh" in them, JSON, key=value lines) with a credential every ~64 KiB: mostly classic
//! tokens, some fine-grained, some damaged (reported invalid), some `ghp_` followed by 50
//! characters (near misses, reported invalid). It prints how many items a scan should report.
//!
//! `lines` writes `COUNT` unique classic tokens, one per line.

use std::io::{BufWriter, Write};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use gh_revoke::Kind;
use gh_revoke::fixtures::{classic_from, classic_random_len};

const BASE62_ALPHABET: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        (self.next() >> 32) % n
    }

    fn base62(&mut self, out: &mut Vec<u8>, n: usize) {
        for _ in 0..n {
            let i = self.below(62) as usize;
            out.push(BASE62_ALPHABET.get(i).copied().unwrap_or(b'0'));
        }
    }

    fn classic(&mut self, kind: Kind) -> String {
        let n = classic_random_len(kind);
        let mut random = Vec::with_capacity(n);
        self.base62(&mut random, n);
        classic_from(kind, &random).unwrap_or_default()
    }
}

const LINES: &[&str] = &[
    "2026-11-21T03:12:09.114Z INFO  runner: fetched https://github.com/acme/app.git at 4f1c2e9 (through the proxy)\n",
    "2026-11-21T03:12:09.201Z DEBUG cache: restored key=node-modules-linux-x64-9b2f0c hit=true size=48213344\n",
    "2026-11-21T03:12:09.377Z INFO  step: Run actions/checkout@v4 with fetch-depth=0 and lfs=false\n",
    "2026-11-21T03:12:10.002Z WARN  test: the highlight of tonight's flaky run was slightly high latency, thought it might be the network\n",
    "{\"level\":\"info\",\"ts\":1763694730.12,\"msg\":\"upload artifact\",\"name\":\"coverage\",\"bytes\":1934811,\"url\":\"https://api.github.com/repos/acme/app/actions/artifacts\"}\n",
    "2026-11-21T03:12:10.518Z INFO  build: Compiling serde_json v1.0.140; Compiling ghash v0.5.1; Compiling tokio v1.48.0\n",
    "2026-11-21T03:12:11.040Z DEBUG env: HOME=/home/runner PATH=/usr/local/bin:/usr/bin GITHUB_WORKSPACE=/home/runner/work/app\n",
    "2026-11-21T03:12:11.733Z INFO  deploy: rolling out 12 pods; enough capacity, though the night shift might want to check\n",
];

#[derive(Clone, Copy, PartialEq)]
enum Form {
    Plain,
    Base64,
    Utf16,
}

fn scan(out: &str, mib: u64, form: Form) -> std::io::Result<()> {
    let target = mib << 20;
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    let mut encoded = Vec::with_capacity(2048);
    let mut lines_out = 0u64;
    if form == Form::Utf16 {
        w.write_all(b"\xFF\xFE")?;
    }
    let mut rng = Rng(0x005E_ED0F_BE4C_u64 ^ mib);
    let mut written = 0u64;
    let mut next_token = 0u64;
    let (mut valid, mut invalid) = (0u64, 0u64);
    let mut line = Vec::with_capacity(512);
    while written < target {
        line.clear();
        if written >= next_token {
            next_token = written + 32 * 1024 + rng.below(64 * 1024);
            match rng.below(16) {
                0..=10 => {
                    let kind =
                        [Kind::ClassicPat, Kind::OAuth, Kind::UserToServer][rng.below(3) as usize];
                    let t = rng.classic(kind);
                    line.extend_from_slice(
                        b"2026-11-21T03:12:12.000Z DEBUG clone: https://x-access-token:",
                    );
                    line.extend_from_slice(t.as_bytes());
                    line.extend_from_slice(b"@github.com/acme/app.git\n");
                    valid += 1;
                }
                11 | 12 => {
                    line.extend_from_slice(b"{\"config\":{\"token\":\"github_pat_");
                    rng.base62(&mut line, 22);
                    line.push(b'_');
                    rng.base62(&mut line, 59);
                    line.extend_from_slice(b"\"}}\n");
                    valid += 1;
                }
                13 => {
                    // A damaged token: reported as invalid (checksum mismatch).
                    let mut t = rng.classic(Kind::ClassicPat).into_bytes();
                    if let Some(last) = t.last_mut() {
                        *last = if *last == b'0' { b'1' } else { b'0' };
                    }
                    line.extend_from_slice(b"GH_TOKEN='");
                    line.extend_from_slice(&t);
                    line.extend_from_slice(b"'\n");
                    invalid += 1;
                }
                _ => {
                    // A near miss (a future length, or a longer identifier): reported invalid.
                    line.extend_from_slice(b"sha=ghp_");
                    rng.base62(&mut line, 50);
                    line.push(b'\n');
                    invalid += 1;
                }
            }
        } else {
            let i = rng.below(LINES.len() as u64) as usize;
            line.extend_from_slice(LINES.get(i).copied().unwrap_or_default().as_bytes());
        }
        let bytes: &[u8] = match form {
            Form::Plain => &line,
            Form::Base64 => {
                encoded.clear();
                encoded.extend_from_slice(b"{\"stream\":\"stdout\",\"log\":\"");
                let text = line.strip_suffix(b"\n").unwrap_or(&line);
                let b64 = if lines_out.is_multiple_of(2) {
                    STANDARD.encode(text)
                } else {
                    URL_SAFE_NO_PAD.encode(text)
                };
                encoded.extend_from_slice(b64.as_bytes());
                encoded.extend_from_slice(b"\"}\n");
                &encoded
            }
            Form::Utf16 => {
                encoded.clear();
                encoded.extend(line.iter().flat_map(|&b| [b, 0]));
                &encoded
            }
        };
        lines_out += 1;
        w.write_all(bytes)?;
        written += bytes.len() as u64;
    }
    w.flush()?;
    println!("{out}: {written} bytes, {valid} valid, {invalid} invalid");
    Ok(())
}

fn lines(out: &str, count: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    let mut rng = Rng(0xC0FF_EE00_1234 ^ count);
    for _ in 0..count {
        writeln!(w, "{}", rng.classic(Kind::ClassicPat))?;
    }
    w.flush()?;
    println!("{out}: {count} tokens");
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |s: Option<&String>| s.and_then(|s| s.parse::<u64>().ok());
    match (
        args.first().map(String::as_str),
        args.get(1),
        number(args.get(2)),
    ) {
        (Some("scan"), Some(out), Some(mib)) => scan(out, mib, Form::Plain),
        (Some("base64"), Some(out), Some(mib)) => scan(out, mib, Form::Base64),
        (Some("utf16"), Some(out), Some(mib)) => scan(out, mib, Form::Utf16),
        (Some("lines"), Some(out), Some(count)) => lines(out, count),
        _ => {
            eprintln!("usage: make-corpus scan|base64|utf16 OUT MIB | make-corpus lines OUT COUNT");
            std::process::exit(2);
        }
    }
}
