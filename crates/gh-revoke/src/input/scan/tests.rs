//! Unit tests of the scanner.

use proptest::prelude::*;

use super::*;
use crate::credential::match_at;
use crate::credential::{Classified, InvalidReason, Kind, NEAR_MISS_MIN_RUN};
use crate::fixtures::{classic as fixture, fine_grained, new_installation};

/// (line, column, offset, outcome, exposed text)
type Hit = (u64, u64, u64, &'static str, String);

fn scan_with(scanner: &Scanner, input: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let stats = scanner.scan_bytes(input, "t", |f| {
        let (what, text) = match f.item {
            Classified::Valid(c) => ("valid", c.expose_secret().to_owned()),
            Classified::Unsupported { credential, .. } => {
                ("unsupported", credential.expose_secret().to_owned())
            }
            Classified::Invalid { candidate, reason } => {
                // A near miss carries exactly the reason line mode gives for its text.
                let text = candidate.expose_secret_bytes().to_vec();
                assert!(
                    matches!(crate::classify(&text), Classified::Invalid { reason: r, .. } if r == reason)
                );
                (
                    "invalid",
                    String::from_utf8_lossy(candidate.expose_secret_bytes()).into_owned(),
                )
            }
        };
        hits.push((
            f.location.line,
            f.location.column,
            f.location.offset,
            what,
            text,
        ));
    });
    assert_eq!(stats.found, hits.len() as u64);
    assert_eq!(stats.bytes, input.len() as u64);
    hits
}

fn scan(input: &[u8]) -> Vec<Hit> {
    scan_with(&Scanner::new(), input)
}

fn texts(input: &[u8]) -> Vec<(&'static str, String)> {
    scan(input).into_iter().map(|h| (h.3, h.4)).collect()
}

fn valid(t: &str) -> Vec<(&'static str, String)> {
    vec![("valid", t.to_owned())]
}

#[test]
fn common_contexts() {
    let t = fixture(Kind::ClassicPat, 1);
    for context in [
        format!(r#"{{"token": "{t}", "n": 1}}"#),
        format!(r#"{{"log": "line one\n{t}\nline two"}}"#),
        format!("https://x-access-token:{t}@github.com/o/r.git"),
        format!("https://{t}@github.com/"),
        format!("GITHUB_TOKEN={t}\n"),
        format!("export GH_TOKEN='{t}';"),
        format!(r#"<input type="hidden" value="{t}">"#),
        format!("Authorization: token {t}\r\n"),
        format!("`{t}`"),
        t.clone(),
    ] {
        assert_eq!(texts(context.as_bytes()), valid(&t), "in {context:?}");
    }
}

#[test]
fn binary_surroundings() {
    let t = fixture(Kind::OAuth, 2);
    let mut input = b"\xff\xfe\x00\x00garbage\x80".to_vec();
    input.extend_from_slice(t.as_bytes());
    input.extend_from_slice(b"\x00\xc3\x28");
    assert_eq!(texts(&input), valid(&t));
}

#[test]
fn glued_prefix_and_suffix() {
    let t = fixture(Kind::UserToServer, 3);
    assert_eq!(texts(format!("xyz{t}").as_bytes()), valid(&t));
    assert_eq!(texts(format!("_{t}").as_bytes()), valid(&t));
    // Valid checksum: the token ends where the checksum says, whatever follows.
    assert_eq!(texts(format!("{t}abcDEF_123").as_bytes()), valid(&t));
    // Two tokens glued together are two hits.
    let u = fixture(Kind::Refresh, 4);
    assert_eq!(
        texts(format!("{t}{u}").as_bytes()),
        vec![("valid", t.clone()), ("valid", u)]
    );
}

#[test]
fn bad_checksum_reported_with_what_follows() {
    let t = fixture(Kind::ClassicPat, 5);
    let damaged = format!("{}{}", &t[..39], if t.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(
        texts(format!("token: {damaged}.").as_bytes()),
        vec![("invalid", damaged.clone())]
    );
    assert_eq!(
        texts(damaged.as_bytes()),
        vec![("invalid", damaged.clone())]
    );
    // Followed by more letters or digits: a near miss of the whole run (line mode: wrong
    // length), never silent.
    assert_eq!(
        texts(format!("{damaged}x9 ").as_bytes()),
        vec![("invalid", format!("{damaged}x9"))]
    );
    // `_` and `-` are not base62: the run ends there.
    assert_eq!(
        texts(format!("{damaged}_x").as_bytes()),
        vec![("invalid", damaged.clone())]
    );
    assert_eq!(texts(format!("{damaged}-x").as_bytes()).len(), 1);
}

fn reason_of(input: &[u8]) -> Vec<InvalidReason> {
    let mut reasons = Vec::new();
    Scanner::new().scan_bytes(input, "t", |f| {
        if let Classified::Invalid { reason, .. } = f.item {
            reasons.push(reason);
        }
    });
    reasons
}

#[test]
fn near_misses_are_reported_with_line_modes_reason() {
    let refresh = fixture(Kind::Refresh, 21);
    // A truncated copy of an 80-character refresh token.
    let cut = &refresh[..60];
    assert_eq!(
        texts(format!("x {cut} y").as_bytes()),
        vec![("invalid", cut.to_owned())]
    );
    assert_eq!(
        reason_of(cut.as_bytes()),
        vec![InvalidReason::WrongLength {
            kind: Kind::Refresh,
            expected: 80,
            found: 60
        }]
    );
    // A future, longer format of a user-to-server token.
    let future = format!("ghu_{}", crate::fixtures::base62(22, 96));
    assert_eq!(texts(future.as_bytes()), vec![("invalid", future.clone())]);
    // The shortest reported run, and one shorter.
    let shortest = format!("ghp_{}", "a".repeat(NEAR_MISS_MIN_RUN));
    assert_eq!(
        texts(format!("{shortest} ").as_bytes()),
        vec![("invalid", shortest)]
    );
    let shorter = format!("ghp_{} ", "a".repeat(NEAR_MISS_MIN_RUN - 1));
    assert!(texts(shorter.as_bytes()).is_empty());
    // A fine-grained token cut short.
    let fg = fine_grained(23);
    assert_eq!(
        reason_of(&fg.as_bytes()[..80]),
        vec![InvalidReason::WrongLength {
            kind: Kind::FineGrainedPat,
            expected: 93,
            found: 80
        }]
    );
    // An installation token far longer than any credential: reported as too long.
    let long = format!("ghs_1_{}.b.c", "a".repeat(MAX_TOKEN_LEN));
    assert_eq!(
        reason_of(long.as_bytes()),
        vec![InvalidReason::TooLong {
            kind: Kind::Installation,
            max: MAX_TOKEN_LEN,
            found: MAX_TOKEN_LEN + 1
        }]
    );
}

#[test]
fn docs_samples() {
    // The 36-character docs sample has the right shape and a wrong checksum: reported.
    let sample = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    assert_eq!(
        texts(format!("curl -H 'Authorization: token {sample}'").as_bytes()),
        vec![("invalid", sample.to_owned())]
    );
    // The 40-character one: a near miss, wrong length (44), as line mode says.
    let long = "ghp_1234567890abcdef1234567890abcdef12345678";
    assert_eq!(
        texts(format!("token {long} here").as_bytes()),
        vec![("invalid", long.to_owned())]
    );
}

#[test]
fn other_gh_strings_are_not_reported() {
    assert!(
        texts(b"github.com ghp_ghp_short gh ghx_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa g")
            .is_empty()
    );
    assert!(texts(b"ghp_aaaaaaaaaaaaaaaaaaa-aaaaaaaaaaaaaaaaaa").is_empty());
    assert!(texts(b"highs_count ghs_total ghu_user_id github_pat_x ghs_12_a.b").is_empty());
    assert!(texts(b"").is_empty());
    assert!(texts(b"gh").is_empty());
}

#[test]
fn fine_grained_boundaries() {
    let t = fine_grained(6);
    assert_eq!(texts(format!("pat={t}\n").as_bytes()), valid(&t));
    assert_eq!(texts(format!("x{t}").as_bytes()), valid(&t));
    // Followed directly by a letter, digit or `_`: still the 93-character token.
    assert_eq!(texts(format!("{t}a").as_bytes()), valid(&t));
    assert_eq!(texts(format!("{t}9Z").as_bytes()), valid(&t));
    assert_eq!(texts(format!("{t}_").as_bytes()), valid(&t));
    assert_eq!(texts(format!("{t}-").as_bytes()), valid(&t));
    // Cut short: a near miss.
    assert_eq!(
        texts(&t.as_bytes()[..92]),
        vec![("invalid", t[..92].to_owned())]
    );
}

#[test]
fn installation_tokens() {
    let old = fixture(Kind::Installation, 7);
    let new = new_installation(7);
    assert_eq!(
        texts(format!("a={old} b=\"{new}\". End {new}.").as_bytes()),
        vec![
            ("unsupported", old),
            ("unsupported", new.clone()),
            ("unsupported", new.clone())
        ]
    );
    assert!(texts(b"ghs_12_a.b").is_empty());
}

#[test]
fn lines_columns_and_order() {
    let a = fixture(Kind::ClassicPat, 8);
    let b = fixture(Kind::OAuth, 9);
    let c = fine_grained(10);
    let input = format!("first line\n\nk={a} v={b}\r\n  {c}\n");
    let hits = scan(input.as_bytes());
    let third = input.find("k=").unwrap_or_default() as u64;
    let fourth = input.find("  github").unwrap_or_default() as u64;
    assert_eq!(
        hits,
        vec![
            (3, 3, third + 2, "valid", a),
            (3, 46, third + 45, "valid", b),
            (4, 3, fourth + 2, "valid", c),
        ]
    );
    let stats = Scanner::new().scan_bytes(input.as_bytes(), "t", |_| {});
    assert_eq!(stats.lines, 4);
    let stats = Scanner::new().scan_bytes(b"no newline", "t", |_| {});
    assert_eq!(stats.lines, 1);
    let stats = Scanner::new().scan_bytes(b"", "t", |_| {});
    assert_eq!(stats.lines, 0);
}

#[test]
fn tokens_across_chunk_boundaries_found_once() {
    let scanner = Scanner::with_buffer_size(1);
    assert_eq!(scanner.buffer_size(), MIN_BUFFER_SIZE);
    let limit = MIN_BUFFER_SIZE - LOOKAHEAD;
    let classic = fixture(Kind::ClassicPat, 11);
    let fg = fine_grained(12);
    let jwt = new_installation(13);
    for token in [&classic, &fg, &jwt] {
        // Straddle the first decision limit, the buffer end, and later chunk boundaries.
        for start in (limit - 60..limit + 5)
            .chain(MIN_BUFFER_SIZE - 50..MIN_BUFFER_SIZE + 2)
            .chain(2 * limit - 3..2 * limit + 3)
        {
            let mut input = vec![b'.'; start];
            for (i, byte) in input.iter_mut().enumerate() {
                if i % 100 == 99 {
                    *byte = b'\n';
                }
            }
            input.extend_from_slice(token.as_bytes());
            input.extend_from_slice(b" tail\n");
            input.extend(std::iter::repeat_n(b'z', 5000));
            let hits = scan_with(&scanner, &input);
            assert_eq!(hits.len(), 1, "token at {start}");
            let (line, column, offset, _, text) = &hits[0];
            assert_eq!(*offset, start as u64);
            assert_eq!(text, token);
            assert_eq!(*line, 1 + (start / 100) as u64);
            assert_eq!(*column, 1 + (start % 100) as u64);
        }
    }
}

#[test]
fn many_tokens_through_small_buffers_match_one_big_buffer() {
    let mut input = Vec::new();
    let mut expected = Vec::new();
    for i in 0..500u64 {
        let t = match i % 4 {
            0 => fixture(Kind::ClassicPat, i),
            1 => fine_grained(i),
            2 => new_installation(i),
            _ => fixture(Kind::Refresh, i),
        };
        input.extend_from_slice(format!("line {i} ").as_bytes());
        input.extend(std::iter::repeat_n(b'g', (i % 7) as usize));
        expected.push(t.clone());
        input.extend_from_slice(t.as_bytes());
        input.extend_from_slice(if i % 3 == 0 { b"\n" } else { b" " });
    }
    let big = scan(&input);
    assert_eq!(
        big.iter().map(|h| h.4.clone()).collect::<Vec<_>>(),
        expected
    );
    for size in [MIN_BUFFER_SIZE, 5000, 7919] {
        assert_eq!(scan_with(&Scanner::with_buffer_size(size), &input), big);
    }
    // A reader that returns one byte at a time gives the same answer.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(slot)) => {
                    *slot = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }
    let mut trickled = Vec::new();
    Scanner::with_buffer_size(MIN_BUFFER_SIZE)
        .scan(Trickle(&input), "t", |f| trickled.push(f.location.offset))
        .unwrap();
    assert_eq!(trickled, big.iter().map(|h| h.2).collect::<Vec<_>>());
}

#[test]
fn io_errors_name_the_source() {
    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("boom"))
        }
    }
    let err = Scanner::new().scan(Failing, "dump.bin", |_| {});
    assert_eq!(
        err.map_err(|e| e.to_string()).err().as_deref(),
        Some("reading dump.bin: boom")
    );
}

/// The scanner's rules applied the slow, obvious way: try every position of the whole
/// input in turn, count lines by hand. The real scanner (prefilters, chunks, threads)
/// must agree with it exactly.
fn reference(input: &[u8]) -> Vec<(u64, u64, u64, Classified)> {
    let mut hits = Vec::new();
    let (mut pos, mut line, mut line_start) = (0usize, 1u64, 0usize);
    let mut newlines_upto = 0usize;
    while pos < input.len() {
        if let Some((len, item)) = match_at(&input[pos..]) {
            for (i, &b) in input[newlines_upto..pos].iter().enumerate() {
                if b == b'\n' {
                    line += 1;
                    line_start = newlines_upto + i + 1;
                }
            }
            newlines_upto = pos;
            hits.push((line, (pos - line_start + 1) as u64, pos as u64, item));
            pos += len;
        } else {
            pos += 1;
        }
    }
    hits
}

fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (0u64..1000).prop_map(|i| fixture(Kind::ClassicPat, i).into_bytes()),
        (0u64..1000).prop_map(|i| fixture(Kind::Refresh, i).into_bytes()),
        (0u64..1000).prop_map(|i| fixture(Kind::Installation, i).into_bytes()),
        (0u64..1000).prop_map(|i| fine_grained(i).into_bytes()),
        (0u64..50).prop_map(|i| new_installation(i).into_bytes()),
        // damaged and truncated tokens
        (0u64..1000, 1usize..40).prop_map(|(i, cut)| {
            let mut t = fixture(Kind::OAuth, i).into_bytes();
            t.truncate(cut);
            t
        }),
        (0u64..1000).prop_map(|i| {
            let mut t = fixture(Kind::UserToServer, i).into_bytes();
            if let Some(b) = t.last_mut() {
                *b = if *b == b'A' { b'B' } else { b'A' };
            }
            t
        }),
        prop::sample::select(vec![
            &b"gh"[..],
            b"ghp_",
            b"github_pat_",
            b"github.com",
            b"_",
            b"b_",
            b"h_",
            b"\n",
            b"\r\n",
            b" ",
            b"g",
            b"through high light ",
            b"\xff\x00",
            b"..",
            b"-",
        ])
        .prop_map(<[u8]>::to_vec),
        prop::collection::vec(any::<u8>(), 0..64),
        prop::collection::vec(prop::sample::select(b"gh_bp.0aZ9\n".to_vec()), 0..64),
    ]
}

proptest::proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn agrees_with_the_reference_at_any_buffer_size(
        parts in prop::collection::vec(fragment(), 0..400),
        size in prop_oneof![Just(MIN_BUFFER_SIZE), 4097usize..9000, Just(DEFAULT_BUFFER_SIZE)],
    ) {
        let input = parts.concat();
        let expected = reference(&input);
        for parallel in [false, true] {
            let mut got = Vec::new();
            let scanner = Scanner::with_buffer_size(size).with_parallel(parallel);
            let stats = scanner
                .scan(&input[..], "t", |f| {
                    got.push((f.location.line, f.location.column, f.location.offset, f.item));
                })
                .unwrap();
            prop_assert_eq!(&got, &expected);
            prop_assert_eq!(stats.bytes, input.len() as u64);
            prop_assert_eq!(stats.found, expected.len() as u64);
            let newlines = input.iter().filter(|&&b| b == b'\n').count() as u64;
            let unfinished = u64::from(input.last().is_some_and(|&b| b != b'\n'));
            prop_assert_eq!(stats.lines, newlines + unfinished);
        }
    }
}

mod encodings {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

    use super::*;
    use crate::input::Encoding;

    /// (display of the location, encoding, exposed text)
    fn found(input: &[u8]) -> Vec<(String, Option<Encoding>, String)> {
        let mut out = Vec::new();
        let stats = Scanner::new().scan_bytes(input, "f", |f| {
            let text = match &f.item {
                Classified::Valid(c) => c.expose_secret().to_owned(),
                Classified::Unsupported { credential, .. } => credential.expose_secret().to_owned(),
                Classified::Invalid { candidate, .. } => {
                    String::from_utf8_lossy(candidate.expose_secret_bytes()).into_owned()
                }
            };
            out.push((f.location.to_string(), f.location.encoding, text));
        });
        assert_eq!(stats.found, out.len() as u64);
        out
    }

    fn utf16(text: &str, be: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect()
    }

    fn every_kind(seed: u64) -> Vec<String> {
        vec![
            fixture(Kind::ClassicPat, seed),
            fixture(Kind::OAuth, seed),
            fixture(Kind::UserToServer, seed),
            fixture(Kind::Refresh, seed),
            fixture(Kind::Installation, seed),
            fine_grained(seed),
            new_installation(seed),
        ]
    }

    #[test]
    fn docker_config_json() {
        for t in every_kind(31) {
            let auth = STANDARD.encode(format!("octocat:{t}"));
            let config = format!(
                "{{\n  \"auths\": {{\n    \"ghcr.io\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n"
            );
            let column = config.lines().nth(3).unwrap().find(&auth).unwrap() + 1;
            let got = found(config.as_bytes());
            assert_eq!(got.len(), 1, "{got:?}");
            assert_eq!(got[0].1, Some(Encoding::Base64));
            assert_eq!(got[0].2, t);
            // The location is where the token's encoding starts, inside the auth value.
            let (line, col) = {
                let rest = got[0].0.strip_prefix("f:").unwrap();
                let rest = rest.strip_suffix(" (base64)").unwrap();
                let (l, c) = rest.split_once(':').unwrap();
                (l.parse::<usize>().unwrap(), c.parse::<usize>().unwrap())
            };
            assert_eq!(line, 4);
            assert!(
                (column + 10..column + 12).contains(&col),
                "{col} vs {column}"
            );
        }
    }

    #[test]
    fn kubernetes_dockerconfigjson_secret() {
        for t in every_kind(32) {
            let inner = STANDARD.encode(format!("robot$ci:{t}"));
            let json = format!(
                r#"{{"auths":{{"ghcr.io":{{"username":"robot$ci","password":"x","auth":"{inner}"}}}}}}"#
            );
            let secret = format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {}\n",
                STANDARD.encode(json)
            );
            let got = found(secret.as_bytes());
            assert_eq!(got.len(), 1, "{got:?}");
            assert_eq!(got[0].1, Some(Encoding::Base64InBase64));
            assert_eq!(got[0].2, t);
            assert!(got[0].0.starts_with("f:7:"), "{}", got[0].0);
            assert!(got[0].0.ends_with(" (base64-in-base64)"));
        }
    }

    #[test]
    fn basic_auth_in_a_har_file_and_every_alignment_and_alphabet() {
        let t = fixture(Kind::ClassicPat, 33);
        let har = format!(
            r#"{{"log":{{"entries":[{{"request":{{"headers":[{{"name":"Authorization","value":"Basic {}"}}]}}}}]}}}}"#,
            STANDARD.encode(format!("x-access-token:{t}"))
        );
        assert_eq!(found(har.as_bytes()).len(), 1);
        for pad in 0..6 {
            let text = format!("{}{t}?>?>", "u".repeat(pad));
            for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
                let enc = engine.encode(&text);
                let got = found(format!("Authorization: Basic {enc}\r\n").as_bytes());
                assert_eq!(got.len(), 1, "pad {pad} in {enc}");
                assert_eq!(got[0].2, t);
            }
        }
    }

    #[test]
    fn percent_and_json_escapes() {
        for t in every_kind(34) {
            let percent = t.replace('_', "%5F");
            let got = found(format!("GET /cb?token={percent}&x=1").as_bytes());
            assert_eq!(
                got,
                vec![(
                    "f:1:15 (percent-encoded)".to_owned(),
                    Some(Encoding::PercentEncoded),
                    t.clone()
                )]
            );
            let lower = t.replace('_', "%5f");
            assert_eq!(found(lower.as_bytes()).len(), 1);
            let json = t.replace('_', "\\u005f");
            let got = found(format!("{{\"t\":\"{json}\"}}").as_bytes());
            assert_eq!(
                got,
                vec![(
                    "f:1:7 (json-escaped)".to_owned(),
                    Some(Encoding::JsonEscaped),
                    t.clone()
                )]
            );
        }
    }

    #[test]
    fn utf16_with_and_without_bom() {
        for t in every_kind(35) {
            let text = format!("PS> $env:GH_TOKEN\r\n{t}\r\n");
            for be in [false, true] {
                let mut bytes = if be {
                    b"\xFE\xFF".to_vec()
                } else {
                    b"\xFF\xFE".to_vec()
                };
                bytes.extend(utf16(&text, be));
                let got = found(&bytes);
                let encoding = if be {
                    Encoding::Utf16Be
                } else {
                    Encoding::Utf16Le
                };
                assert_eq!(got.len(), 1);
                assert_eq!(got[0].1, Some(encoding));
                assert_eq!(got[0].2, t);
                // Line 2; columns count bytes (in UTF-16LE the line starts at the NUL after `\n`).
                let column = if be { "f:2:1 " } else { "f:2:2 " };
                assert!(got[0].0.starts_with(column), "{}", got[0].0);
                // No BOM, inside binary.
                let mut dump = b"\x01\x02\xff".to_vec();
                dump.extend(utf16(&t, be));
                dump.extend(b"\x00\x00\x9f");
                assert_eq!(found(&dump).len(), 1);
            }
        }
    }

    #[test]
    fn the_same_token_plain_and_encoded_is_one_credential() {
        let t = fixture(Kind::ClassicPat, 36);
        let input = format!(
            "{t}\n{}\n{}\n",
            STANDARD.encode(format!("u:{t}")),
            t.replace('_', "%5F")
        );
        assert_eq!(found(input.as_bytes()).len(), 3);
        let mut plan: crate::plan::Plan =
            crate::plan::Plan::new(crate::plan::PlanOptions::default());
        Scanner::new().scan_bytes(input.as_bytes(), "f", |f| plan.add(f));
        let counts = plan.counts();
        assert_eq!(
            (counts.read, counts.unique_valid, counts.duplicates),
            (3, 1, 2),
            "{counts:?}"
        );
    }

    #[test]
    fn base64_of_ordinary_text_reports_nothing() {
        let text = "through the high ghost lights, github.com docs documentation ".repeat(50);
        for engine in [&STANDARD, &URL_SAFE_NO_PAD] {
            assert!(found(engine.encode(&text).as_bytes()).is_empty());
        }
        assert!(found(b"docFile docFormat aHBfoo Z2hwXYZ %5F \\u005f g\x00h\x00").is_empty());
    }

    #[test]
    fn a_base64_run_across_a_window_limit_is_found_once() {
        // A run begun before the first window's limit (buffer size minus the look-ahead)
        // whose tested blocks all lie before the second window's first undecided byte.
        let t = fixture(Kind::ClassicPat, 37);
        let enc = STANDARD.encode(format!("token={t}"));
        let limit = MIN_BUFFER_SIZE - LOOKAHEAD;
        for k in 0..enc.len() + 40 {
            let mut input = vec![b' '; limit - k];
            input.extend_from_slice(enc.as_bytes());
            input.resize(MIN_BUFFER_SIZE + 8192, b' ');
            let mut got = 0;
            Scanner::with_buffer_size(MIN_BUFFER_SIZE)
                .with_parallel(false)
                .scan(&input[..], "t", |_| got += 1)
                .unwrap();
            assert_eq!(got, 1, "run starting {k} bytes before the limit");
        }
    }

    fn encoded_token(kind: u8, seed: u64, how: u8, pad: usize) -> (String, Vec<u8>) {
        let t = every_kind(seed).swap_remove(usize::from(kind) % 7);
        let text = format!("{}{t}\"", ":".repeat(pad));
        let bytes = match how % 7 {
            0 => t.clone().into_bytes(),
            1 => STANDARD.encode(&text).into_bytes(),
            2 => URL_SAFE_NO_PAD.encode(&text).into_bytes(),
            3 => STANDARD
                .encode(format!("{{\"auth\":\"{}\"}}", STANDARD.encode(&text)))
                .into_bytes(),
            4 => t.replace('_', "%5F").into_bytes(),
            5 => t.replace('_', "\\u005f").into_bytes(),
            _ => utf16(&t, pad % 2 == 1),
        };
        (t, bytes)
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any token of any kind, in any supported encoding, wrapped in random text, is
        /// found exactly once, whatever the buffer size.
        #[test]
        fn any_token_in_any_encoding_is_found_once(
            kind in 0u8..7, seed in 0u64..500, how in 0u8..7, pad in 0usize..3,
            before in prop::collection::vec(prop::sample::select(b" \n\t,;:\"'=<>{}[]()#!?*&|~^`$@".to_vec()), 0..20000),
            after in prop::collection::vec(prop::sample::select(b" \n\t,;:\"'=<>{}[]()#!?*&|~^`$@".to_vec()), 1..300),
            size in prop_oneof![Just(MIN_BUFFER_SIZE), 16384usize..40000],
        ) {
            let (t, bytes) = encoded_token(kind, seed, how, pad);
            let mut input = before.clone();
            input.extend_from_slice(&bytes);
            input.extend_from_slice(&after);
            for parallel in [false, true] {
                let mut got = Vec::new();
                Scanner::with_buffer_size(size)
                    .with_parallel(parallel)
                    .scan(&input[..], "t", |f| got.push(f.item.redacted() + "|" + &f.location.offset.to_string()))
                    .unwrap();
                prop_assert_eq!(got.len(), 1, "{:?} how={}", got, how);
                prop_assert!(got[0].starts_with(&crate::credential::redact(t.as_bytes())));
            }
        }
    }
}

mod two_threads {
    //! Windows after the first are scanned from an assumed entry, before the window
    //! ahead of them is placed; these inputs make that assumption wrong.
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::*;
    use crate::input::scan::window::{Entry, ScanState, carry_of};

    fn all(scanner: &Scanner, input: &[u8]) -> Vec<(u64, u64, u64, String)> {
        let mut got = Vec::new();
        scanner
            .scan(input, "t", |f| {
                let l = &f.location;
                got.push((l.line, l.column, l.offset, f.item.redacted()));
            })
            .unwrap();
        got
    }

    /// A `github_pat_` near miss whose run goes on past the first window's limit and holds
    /// a valid classic token there: on one thread the run is one item and the token
    /// inside it is not looked at again.
    fn near_miss_across_the_limit(reach: usize) -> (Vec<u8>, String) {
        let limit = MIN_BUFFER_SIZE - LOOKAHEAD;
        let inner = fixture(Kind::ClassicPat, 5);
        // The run starts 10 bytes before the limit; the inner token `reach` bytes after.
        let start = limit - 10;
        let mut run = b"github_pat_".to_vec();
        run.extend(std::iter::repeat_n(b'A', reach + 10 - 12));
        run.push(b'_');
        run.extend_from_slice(inner.as_bytes());
        let mut input = vec![b' '; start];
        input.extend_from_slice(&run);
        input.push(b' ');
        input.resize(3 * MIN_BUFFER_SIZE, b'\n');
        (input, inner)
    }

    #[test]
    fn a_hit_reaching_into_the_next_window_gets_it_scanned_again() {
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE);
        for reach in [20, 100, 600] {
            let (input, inner) = near_miss_across_the_limit(reach);
            // The second window, scanned from the assumed entry, finds the inner token;
            // from its true entry it does not, and the check says which to trust.
            let first = input.get(..MIN_BUFFER_SIZE).unwrap();
            let mut state = ScanState::new("t".into());
            let scan = scanner.scan_window(state.entry(), first, false);
            state.place(scan, &mut |_| {});
            let assumed = Entry::assumed(0, first.len(), false);
            let from = carry_of(first.len());
            let second = input.get(from..from + MIN_BUFFER_SIZE).unwrap();
            let mut early = Vec::new();
            let scan = scanner.scan_window(assumed, second, false);
            ScanState::new("t".into()).place(scan, &mut |f| early.push(f.item.redacted()));
            assert_eq!(early, vec![crate::credential::redact(inner.as_bytes())]);
            assert!(!state.is_entry(&assumed), "reach {reach}");

            let one = all(&scanner.clone().with_parallel(false), &input);
            assert_eq!(one.len(), 1, "{one:?}");
            assert!(one[0].3.starts_with("github_pat_"));
            assert_eq!(all(&scanner, &input), one, "reach {reach}");
        }
    }

    #[test]
    fn a_window_with_nothing_reaching_into_it_keeps_its_early_scan() {
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE);
        let input = vec![b'x'; 3 * MIN_BUFFER_SIZE];
        let first = input.get(..MIN_BUFFER_SIZE).unwrap();
        let mut state = ScanState::new("t".into());
        let scan = scanner.scan_window(state.entry(), first, false);
        state.place(scan, &mut |_| {});
        assert!(state.is_entry(&Entry::assumed(0, first.len(), false)));
        // The byte order the first window chose is part of the entry.
        assert!(!state.is_entry(&Entry::assumed(0, first.len(), true)));
        // So is where the window starts.
        assert!(!state.is_entry(&Entry::assumed(1, first.len(), false)));
    }

    #[test]
    fn base64_zones_near_every_limit_give_the_same_hits_on_two_threads() {
        // Several tokens in one base64 run, which crosses the first limit at every
        // offset: the zone of the last shadow before it reaches the next window.
        let text: String = (0..6)
            .map(|i| format!("t{i}={} ", fixture(Kind::ClassicPat, 40 + i)))
            .collect();
        let enc = STANDARD.encode(text);
        let limit = MIN_BUFFER_SIZE - LOOKAHEAD;
        let single = Scanner::with_buffer_size(MIN_BUFFER_SIZE).with_parallel(false);
        let double = Scanner::with_buffer_size(MIN_BUFFER_SIZE);
        for k in (0..enc.len()).step_by(3) {
            let mut input = vec![b' '; limit - k];
            input.extend_from_slice(enc.as_bytes());
            input.resize(4 * MIN_BUFFER_SIZE, b' ');
            let one = all(&single, &input);
            assert_eq!(one.len(), 6, "run starting {k} bytes before the limit");
            assert_eq!(
                all(&double, &input),
                one,
                "run starting {k} bytes before the limit"
            );
        }
    }
}

mod positioned {
    //! A regular file read at positions by both threads gives what a scan of a reader does.
    use std::io::Write as _;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    type Got = Vec<(u64, u64, u64, Option<crate::input::Encoding>, String)>;

    fn both(scanner: &Scanner, input: &[u8]) -> (Got, Got, ScanStats, ScanStats) {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(input).unwrap();
        std::io::Seek::rewind(&mut file).unwrap();
        let mut by_position = Vec::new();
        let mut by_reader = Vec::new();
        let record = |got: &mut Got, f: Found| {
            let l = &f.location;
            got.push((l.line, l.column, l.offset, l.encoding, f.item.redacted()));
        };
        let positioned = scanner
            .scan_file(&file, "t", |f| record(&mut by_position, f))
            .unwrap();
        let read = scanner
            .clone()
            .with_parallel(false)
            .scan(input, "t", |f| record(&mut by_reader, f))
            .unwrap();
        (by_position, by_reader, positioned, read)
    }

    fn assert_same(scanner: &Scanner, input: &[u8]) -> usize {
        let (a, b, sa, sb) = both(scanner, input);
        assert_eq!(a, b);
        assert_eq!(sa, sb);
        assert_eq!(sa.bytes, input.len() as u64);
        a.len()
    }

    #[test]
    fn many_windows_of_every_kind_of_hit() {
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE);
        let mut input = Vec::new();
        let mut count = 0;
        for i in 0..400u64 {
            let t = match i % 5 {
                0 => fixture(Kind::ClassicPat, i),
                1 => fine_grained(i),
                2 => new_installation(i),
                3 => fixture(Kind::Refresh, i),
                _ => fixture(Kind::OAuth, i),
            };
            let line = match i % 4 {
                0 => format!("line {i} token={t}\n"),
                1 => format!("{{\"auth\":\"{}\"}}\n", STANDARD.encode(format!("u:{t}"))),
                2 => format!("x={}\n", t.replace('_', "%5F")),
                _ => format!("near {}12345 miss\n", &t[..t.len().min(40)]),
            };
            input.extend_from_slice(line.as_bytes());
            input.extend(std::iter::repeat_n(b'.', (i * 37 % 900) as usize));
            count += 1;
        }
        assert!(input.len() > 10 * MIN_BUFFER_SIZE, "{}", input.len());
        assert!(assert_same(&scanner, &input) >= count);
    }

    #[test]
    fn files_at_and_around_one_buffer_and_empty() {
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE);
        let t = fixture(Kind::ClassicPat, 3);
        let step = super::super::window::carry_of(MIN_BUFFER_SIZE);
        for len in [
            0,
            1,
            MIN_BUFFER_SIZE - 1,
            MIN_BUFFER_SIZE,
            MIN_BUFFER_SIZE + 1,
        ]
        .into_iter()
        .chain([step + MIN_BUFFER_SIZE - 1, step + MIN_BUFFER_SIZE, 3 * step])
        {
            let mut input = vec![b' '; len];
            // A token just before the end, when there is room.
            if let Some(at) = len.checked_sub(t.len() + 1) {
                input[at..at + t.len()].copy_from_slice(t.as_bytes());
            }
            assert_same(&scanner, &input);
        }
    }

    #[test]
    fn a_hit_reaching_into_the_next_window_is_scanned_again_here_too() {
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE);
        let limit = MIN_BUFFER_SIZE - LOOKAHEAD;
        let inner = fixture(Kind::ClassicPat, 5);
        let mut input = vec![b' '; limit - 10];
        input.extend_from_slice(b"github_pat_");
        input.extend(std::iter::repeat_n(b'A', 88));
        input.push(b'_');
        input.extend_from_slice(inner.as_bytes());
        input.resize(5 * MIN_BUFFER_SIZE, b'\n');
        assert_eq!(assert_same(&scanner, &input), 1);
    }

    #[test]
    #[cfg(unix)]
    fn from_the_current_position_which_is_left_alone() {
        use std::io::Seek as _;
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE);
        let (skipped, t) = (fixture(Kind::ClassicPat, 1), fixture(Kind::ClassicPat, 2));
        let mut input = format!("{skipped} ").into_bytes();
        input.resize(6 * MIN_BUFFER_SIZE, b' ');
        input.extend_from_slice(t.as_bytes());
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&input).unwrap();
        file.seek(std::io::SeekFrom::Start(10)).unwrap();
        let mut got = Vec::new();
        let stats = scanner
            .scan_file(&file, "t", |f| {
                got.push((f.location.offset, f.item.redacted()))
            })
            .unwrap();
        assert_eq!(
            got,
            vec![(
                input.len() as u64 - 10 - 40,
                crate::credential::redact(t.as_bytes())
            )]
        );
        assert_eq!(stats.bytes, input.len() as u64 - 10);
        assert_eq!(file.stream_position().unwrap(), 10);
    }

    #[test]
    fn a_pipe_or_one_thread_takes_the_reader_path() {
        // Not a regular file: read as a stream (here, the same answers from /dev/null).
        #[cfg(unix)]
        {
            let null = std::fs::File::open("/dev/null").unwrap();
            let stats = Scanner::new().scan_file(&null, "n", |_| {}).unwrap();
            assert_eq!(stats, ScanStats::default());
        }
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE).with_parallel(false);
        let t = fixture(Kind::ClassicPat, 9);
        let mut input = vec![b' '; 3 * MIN_BUFFER_SIZE];
        input.extend_from_slice(t.as_bytes());
        assert_eq!(assert_same(&scanner, &input), 1);
    }
}

/// Where `encoded` (the encoding of `token`) is found when it starts at each offset near
/// the first window's limit, on one thread and on two: exactly once, at its start.
fn assert_found_at_its_start_near_the_limit(token: &str, encoded: &[u8], before: usize) {
    let limit = MIN_BUFFER_SIZE - LOOKAHEAD;
    for parallel in [false, true] {
        let scanner = Scanner::with_buffer_size(MIN_BUFFER_SIZE).with_parallel(parallel);
        for start in limit - before..limit + 2 {
            let mut input = vec![b' '; start];
            input.extend_from_slice(encoded);
            input.resize(3 * MIN_BUFFER_SIZE, b' ');
            let mut got = Vec::new();
            scanner
                .scan(&input[..], "t", |f| {
                    got.push((f.location.offset, f.item.redacted()))
                })
                .unwrap();
            let expected = vec![(start as u64, crate::credential::redact(token.as_bytes()))];
            assert_eq!(got, expected, "token at {start}, parallel {parallel}");
        }
    }
}

#[test]
fn a_utf16_token_one_byte_before_a_limit_after_text_without_nul_is_found() {
    // The UTF-16 gate looks for a NUL among the bytes it decides; a little-endian token
    // starting on the last of them has its first NUL just past the limit.
    let t = fixture(Kind::ClassicPat, 21);
    let le: Vec<u8> = t.bytes().flat_map(|b| [b, 0]).collect();
    assert_found_at_its_start_near_the_limit(&t, &le, 3);
}

#[test]
fn escaped_tokens_across_a_limit_keep_their_location() {
    for token in [fixture(Kind::ClassicPat, 22), fine_grained(23)] {
        for escaped in [token.replace('_', "%5F"), token.replace('_', "\\u005f")] {
            assert_found_at_its_start_near_the_limit(&token, escaped.as_bytes(), 8);
        }
    }
}
