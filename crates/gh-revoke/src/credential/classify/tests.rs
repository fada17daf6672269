//! Unit tests of [`super::classify`] and [`super::extent`].

use super::*;
use crate::credential::MAX_TOKEN_LEN;
use crate::fixtures::{assert_no_leak, classic as fixture, fine_grained, new_installation};

const VECTOR: &str = "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";

fn reason(text: &[u8]) -> InvalidReason {
    match classify(text) {
        Classified::Invalid { reason, .. } => reason,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn public_vector() {
    assert!(matches!(classify(VECTOR.as_bytes()), Classified::Valid(c)
        if c.kind() == Kind::ClassicPat && c.expose_secret() == VECTOR));
    let mut bad = VECTOR.to_owned();
    bad.pop();
    bad.push('3');
    assert_eq!(
        reason(bad.as_bytes()),
        InvalidReason::ChecksumMismatch {
            kind: Kind::ClassicPat
        }
    );
}

#[test]
fn every_kind() {
    for kind in [
        Kind::ClassicPat,
        Kind::OAuth,
        Kind::UserToServer,
        Kind::Refresh,
    ] {
        let token = fixture(kind, 7);
        assert!(
            matches!(classify(token.as_bytes()), Classified::Valid(c) if c.kind() == kind),
            "{kind:?}"
        );
    }
    let fg = fine_grained(1);
    assert_eq!(fg.len(), fine_grained::LEN);
    assert!(
        matches!(classify(fg.as_bytes()), Classified::Valid(c) if c.kind() == Kind::FineGrainedPat)
    );
    for ghs in [fixture(Kind::Installation, 3), new_installation(3)] {
        match classify(ghs.as_bytes()) {
            Classified::Unsupported { credential, reason } => {
                assert_eq!(credential.kind(), Kind::Installation);
                assert!(reason.to_string().starts_with(
                    "installation tokens (ghs_) are not accepted by /credentials/revoke"
                ));
                assert!(reason.to_string().contains("DELETE /installation/token"));
            }
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }
}

#[test]
fn docs_samples_are_invalid() {
    assert_eq!(
        reason(b"ghp_1234567890abcdef1234567890abcdef12345678"),
        InvalidReason::WrongLength {
            kind: Kind::ClassicPat,
            expected: 40,
            found: 44
        }
    );
    assert_eq!(
        reason(b"ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
        InvalidReason::ChecksumMismatch {
            kind: Kind::ClassicPat
        }
    );
}

#[test]
fn wrong_lengths_and_characters() {
    let token = fixture(Kind::OAuth, 1);
    assert!(matches!(
        reason(&token.as_bytes()[..39]),
        InvalidReason::WrongLength {
            kind: Kind::OAuth,
            expected: 40,
            found: 39
        }
    ));
    assert!(matches!(
        reason(format!("{token}A").as_bytes()),
        InvalidReason::WrongLength { found: 41, .. }
    ));
    let mut dashed = token.clone().into_bytes();
    dashed[10] = b'-';
    assert_eq!(
        reason(&dashed),
        InvalidReason::BadCharacter {
            kind: Kind::OAuth,
            position: 11,
            found: '-',
            expected: "a letter or digit"
        }
    );
    assert!(matches!(
        reason(format!("{token} ").as_bytes()),
        InvalidReason::BadCharacter {
            position: 41,
            found: ' ',
            ..
        }
    ));
    assert!(matches!(
        reason("ghp_ééé".as_bytes()),
        InvalidReason::BadCharacter {
            position: 5,
            found: 'é',
            ..
        }
    ));
    assert!(matches!(
        reason(b"ghp_"),
        InvalidReason::WrongLength { found: 4, .. }
    ));

    let fg = fine_grained(2);
    assert!(matches!(
        reason(&fg.as_bytes()[..92]),
        InvalidReason::WrongLength {
            kind: Kind::FineGrainedPat,
            expected: 93,
            found: 92
        }
    ));
    let mut fg_bad = fg.clone().into_bytes();
    fg_bad[33] = b'x';
    assert!(matches!(
        reason(&fg_bad),
        InvalidReason::BadCharacter {
            position: 34,
            expected: "an underscore",
            ..
        }
    ));
    let mut fg_bad = fg.into_bytes();
    fg_bad[40] = b'_';
    assert!(matches!(
        reason(&fg_bad),
        InvalidReason::BadCharacter { position: 41, .. }
    ));
}

#[test]
fn new_installation_shapes() {
    let good = new_installation(5);
    assert!(good.len() > 255 && good.len() <= MAX_TOKEN_LEN);
    let two_parts = good.replacen('.', "", 1);
    assert_eq!(reason(two_parts.as_bytes()), InvalidReason::MalformedJwt);
    let empty_part = good.replacen('.', "..", 1).replacen('.', "", 2);
    assert!(matches!(
        classify(empty_part.as_bytes()),
        Classified::Invalid { .. }
    ));
    assert_eq!(reason(b"ghs_12_a..b"), InvalidReason::MalformedJwt);
    assert!(matches!(
        classify(b"ghs_12_a.b.c"),
        Classified::Unsupported { .. }
    ));
    let long = format!("ghs_1_{}.b.c", "a".repeat(MAX_TOKEN_LEN));
    assert!(matches!(
        reason(long.as_bytes()),
        InvalidReason::TooLong { max: 1024, .. }
    ));
    assert!(matches!(
        reason(b"ghs_12_a.b c.d"),
        InvalidReason::BadCharacter { found: ' ', .. }
    ));
}

#[test]
fn empty_unknown_and_non_utf8() {
    assert_eq!(reason(b""), InvalidReason::Empty);
    assert_eq!(reason(b"hello"), InvalidReason::UnknownPrefix);
    assert_eq!(reason(b"GHP_abc"), InvalidReason::UnknownPrefix);
    assert_eq!(reason(b"ghp_\xff"), InvalidReason::NotUtf8 { position: 5 });
    assert_eq!(reason(b"\x00\xc3"), InvalidReason::NotUtf8 { position: 2 });
}

#[test]
fn nothing_leaks() {
    let mut secrets = vec![
        fixture(Kind::ClassicPat, 11),
        fixture(Kind::OAuth, 12),
        fixture(Kind::UserToServer, 13),
        fixture(Kind::Refresh, 14),
        fixture(Kind::Installation, 15),
        fine_grained(16),
        new_installation(17),
    ];
    // Invalid variants: damaged checksum, glued, bad character, unknown prefix.
    let base = fixture(Kind::ClassicPat, 18);
    secrets.push(format!("{}x", &base[..39]));
    secrets.push(format!("{base}{base}"));
    secrets.push(format!("{}-{}", &base[..20], &base[21..]));
    secrets.push(format!("xyz_{}", &base[4..]));
    secrets.push(fine_grained(19).replace('_', "-"));
    for secret in &secrets {
        let classified = classify(secret.as_bytes());
        let mut shown = vec![format!("{classified:?}"), classified.redacted()];
        match &classified {
            Classified::Valid(c) | Classified::Unsupported { credential: c, .. } => {
                shown.push(c.to_string());
                shown.push(format!("{c:?}"));
                shown.push(c.redacted());
            }
            Classified::Invalid { candidate, reason } => {
                shown.push(candidate.to_string());
                shown.push(format!("{candidate:?}"));
                shown.push(reason.to_string());
                shown.push(format!("{reason:?}"));
            }
        }
        if let Classified::Unsupported { reason, .. } = &classified {
            shown.push(reason.to_string());
        }
        for text in &shown {
            assert_no_leak(text, secret);
        }
    }
    assert_eq!(classify(VECTOR.as_bytes()).redacted(), "ghp_M7H4…");
}

#[test]
fn refresh_tokens_are_80_characters_with_a_checksum_over_70() {
    let token = fixture(Kind::Refresh, 21);
    assert_eq!(token.len(), 80);
    assert!(matches!(classify(token.as_bytes()), Classified::Valid(c)
        if c.kind() == Kind::Refresh && c.expose_secret() == token));
    // The old, wrong rule (40 characters) is now a length error, never a silent pass.
    let short = fixture(Kind::ClassicPat, 21).replacen("ghp_", "ghr_", 1);
    assert_eq!(
        reason(short.as_bytes()),
        InvalidReason::WrongLength {
            kind: Kind::Refresh,
            expected: 80,
            found: 40
        }
    );
    // One changed random character breaks the checksum over the 70.
    let mut damaged = token.into_bytes();
    damaged[40] = if damaged[40] == b'a' { b'b' } else { b'a' };
    assert_eq!(
        reason(&damaged),
        InvalidReason::ChecksumMismatch {
            kind: Kind::Refresh
        }
    );
}

#[test]
fn extent_dispatches_to_each_format() {
    let refresh = fixture(Kind::Refresh, 5);
    assert_eq!(extent(format!("{refresh}\n").as_bytes()), Some(80));
    let classic = fixture(Kind::OAuth, 5);
    assert_eq!(extent(format!("{classic}@x").as_bytes()), Some(40));
    let fg = fine_grained(5);
    assert_eq!(extent(format!("{fg} ").as_bytes()), Some(fine_grained::LEN));
    let ghs = new_installation(5);
    assert_eq!(extent(format!("{ghs}\"").as_bytes()), Some(ghs.len()));
    assert_eq!(extent(b"ghx_abc"), None);
}
