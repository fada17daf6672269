//! [`classify`]: decide whether one exact string is a well-formed GitHub credential.
//!
//! Checks, in order: empty; UTF-8; known prefix; characters; length; then the checksum
//! (classic format) or the shape (fine-grained, new installation). No trimming: callers
//! that read lines trim first.

use crate::checksum::{
    CHECKSUM_LEN, CLASSIC_BODY_LEN, CLASSIC_LEN, CLASSIC_RANDOM_LEN, is_base62, verify_classic,
};
use crate::{Candidate, Credential, Kind};

/// The longest credential this crate accepts, in bytes (new-format installation tokens
/// are variable-length, about 520 characters today).
pub const MAX_TOKEN_LEN: usize = 1024;
/// Total length of a fine-grained personal access token.
pub const FINE_GRAINED_LEN: usize = 93;
/// Number of base62 characters between `github_pat_` and the inner underscore.
pub const FINE_GRAINED_FIRST_LEN: usize = 22;
/// Number of base62 characters after the inner underscore of a fine-grained token.
pub const FINE_GRAINED_SECOND_LEN: usize = 59;

const _: () = assert!(
    FINE_GRAINED_LEN == "github_pat_".len() + FINE_GRAINED_FIRST_LEN + 1 + FINE_GRAINED_SECOND_LEN
);

/// The outcome of [`classify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// Well formed, of a kind `POST /credentials/revoke` accepts.
    Valid(Credential),
    /// Well formed, but of a kind the endpoint does not accept (installation tokens).
    Unsupported {
        /// The credential.
        credential: Credential,
        /// Why it cannot be sent.
        reason: UnsupportedReason,
    },
    /// Not a well-formed credential.
    Invalid {
        /// The text that was examined (redacted when shown).
        candidate: Candidate,
        /// What is wrong with it; never contains the text.
        reason: InvalidReason,
    },
}

impl Classified {
    /// The kind, if the text was well formed or at least had a known prefix.
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Classified::Valid(credential) | Classified::Unsupported { credential, .. } => {
                Some(credential.kind())
            }
            Classified::Invalid { candidate, .. } => candidate.apparent_kind(),
        }
    }

    /// The redacted text, whatever the outcome.
    pub fn redacted(&self) -> String {
        match self {
            Classified::Valid(credential) | Classified::Unsupported { credential, .. } => {
                credential.redacted()
            }
            Classified::Invalid { candidate, .. } => candidate.redacted(),
        }
    }

    /// Whether this is [`Classified::Valid`].
    pub fn is_valid(&self) -> bool {
        matches!(self, Classified::Valid(_))
    }
}

/// Why a well-formed credential cannot be revoked through `POST /credentials/revoke`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum UnsupportedReason {
    /// A GitHub App installation token.
    #[error(
        "installation tokens (ghs_) are not accepted by /credentials/revoke; the holder revokes \
         them with DELETE /installation/token, and they expire within an hour"
    )]
    InstallationToken,
}

/// Why a string is not a well-formed credential. Messages never contain the string itself
/// (at most one offending character).
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum InvalidReason {
    /// Nothing there.
    #[error("empty: there is nothing to revoke")]
    Empty,
    /// Not valid UTF-8.
    #[error(
        "not valid UTF-8 (first bad byte at position {position}); GitHub credentials are plain \
         ASCII, so this is not one (check the file's encoding)"
    )]
    NotUtf8 {
        /// 1-based byte position of the first invalid byte.
        position: usize,
    },
    /// No known prefix.
    #[error(
        "does not start with a GitHub credential prefix (ghp_, github_pat_, gho_, ghu_, ghr_, \
         ghs_); prefixes are case-sensitive"
    )]
    UnknownPrefix,
    /// A character not allowed at that position.
    #[error(
        "{kind_prefix} token has {found:?} at position {position}, where {expected} is required",
        kind_prefix = .kind.prefix()
    )]
    BadCharacter {
        /// The kind the prefix suggests.
        kind: Kind,
        /// 1-based character position.
        position: usize,
        /// The offending character.
        found: char,
        /// What is allowed there.
        expected: &'static str,
    },
    /// Wrong total length.
    #[error(
        "wrong length for a {kind_prefix} token: expected {expected} characters, found {found} \
         (truncated, or something glued on?)",
        kind_prefix = .kind.prefix()
    )]
    WrongLength {
        /// The kind the prefix suggests.
        kind: Kind,
        /// The required length.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// Longer than any credential of that kind can be.
    #[error(
        "too long for a {kind_prefix} token: at most {max} characters, found {found}",
        kind_prefix = .kind.prefix()
    )]
    TooLong {
        /// The kind the prefix suggests.
        kind: Kind,
        /// The maximum length.
        max: usize,
        /// The length found.
        found: usize,
    },
    /// The classic checksum does not match.
    #[error(
        "checksum mismatch: the last 6 characters are not the CRC32 of the 30 before them, so \
         this is not a real {kind_prefix} token (a typo, a damaged copy, or a documentation \
         sample)",
        kind_prefix = .kind.prefix()
    )]
    ChecksumMismatch {
        /// The kind the prefix suggests.
        kind: Kind,
    },
    /// A new-format installation token whose JWT part is not three non-empty dot-separated
    /// parts.
    #[error(
        "malformed installation token: after ghs_APPID_ there must be a JWT, three non-empty \
         parts separated by exactly two dots"
    )]
    MalformedJwt,
}

impl InvalidReason {
    /// The kind the text's prefix suggested, if the failure happened after the prefix check.
    pub fn kind(&self) -> Option<Kind> {
        match self {
            InvalidReason::BadCharacter { kind, .. }
            | InvalidReason::WrongLength { kind, .. }
            | InvalidReason::TooLong { kind, .. }
            | InvalidReason::ChecksumMismatch { kind } => Some(*kind),
            InvalidReason::MalformedJwt => Some(Kind::Installation),
            InvalidReason::Empty | InvalidReason::NotUtf8 { .. } | InvalidReason::UnknownPrefix => {
                None
            }
        }
    }
}

/// Classifies one exact string (no trimming).
///
/// Installation tokens (`ghs_`, legacy 40-character or new `ghs_APPID_JWT`) that are well
/// formed come back as [`Classified::Unsupported`]; a legacy one with a bad checksum is
/// [`Classified::Invalid`].
pub fn classify(text: &[u8]) -> Classified {
    match check(text) {
        Ok((text, kind)) => {
            let credential = Credential::new(text.to_owned(), kind);
            if kind.is_supported() {
                Classified::Valid(credential)
            } else {
                Classified::Unsupported {
                    credential,
                    reason: UnsupportedReason::InstallationToken,
                }
            }
        }
        Err(reason) => Classified::Invalid {
            candidate: Candidate::new(text),
            reason,
        },
    }
}

const ALNUM: &str = "a letter or digit";

fn check(text: &[u8]) -> Result<(&str, Kind), InvalidReason> {
    if text.is_empty() {
        return Err(InvalidReason::Empty);
    }
    let text = std::str::from_utf8(text).map_err(|e| InvalidReason::NotUtf8 {
        position: e.valid_up_to() + 1,
    })?;
    let kind = Kind::detect(text.as_bytes()).ok_or(InvalidReason::UnknownPrefix)?;
    let rest = text.get(kind.prefix().len()..).unwrap_or_default();
    match kind {
        Kind::FineGrainedPat => check_fine_grained(text)?,
        Kind::Installation if is_new_installation(rest.as_bytes()) => check_new_installation(text)?,
        _ => check_classic(kind, text)?,
    }
    Ok((text, kind))
}

/// The first character after the prefix that fails `allowed(index_after_prefix, char)`.
fn first_bad_char(
    kind: Kind,
    text: &str,
    allowed: impl Fn(usize, char) -> Result<(), &'static str>,
) -> Result<(), InvalidReason> {
    let prefix_len = kind.prefix().len();
    for (i, c) in text.chars().enumerate().skip(prefix_len) {
        allowed(i - prefix_len, c).map_err(|expected| InvalidReason::BadCharacter {
            kind,
            position: i + 1,
            found: c,
            expected,
        })?;
    }
    Ok(())
}

fn check_classic(kind: Kind, text: &str) -> Result<(), InvalidReason> {
    first_bad_char(kind, text, |_, c| {
        if c.is_ascii_alphanumeric() {
            Ok(())
        } else {
            Err(ALNUM)
        }
    })?;
    // All characters are ASCII now, so bytes == characters.
    if text.len() != CLASSIC_LEN {
        return Err(InvalidReason::WrongLength {
            kind,
            expected: CLASSIC_LEN,
            found: text.len(),
        });
    }
    let body = text
        .as_bytes()
        .get(kind.prefix().len()..)
        .unwrap_or_default();
    debug_assert_eq!(body.len(), CLASSIC_BODY_LEN);
    debug_assert_eq!(CLASSIC_BODY_LEN, CLASSIC_RANDOM_LEN + CHECKSUM_LEN);
    if verify_classic(body) {
        Ok(())
    } else {
        Err(InvalidReason::ChecksumMismatch { kind })
    }
}

/// Whether the shape of a fine-grained token (`github_pat_` + 22 base62 + `_` + 59 base62)
/// holds for `token` (exact length, prefix included).
pub(crate) fn is_fine_grained_shape(token: &[u8]) -> bool {
    let prefix = Kind::FineGrainedPat.prefix().len();
    token.len() == FINE_GRAINED_LEN
        && token.starts_with(Kind::FineGrainedPat.prefix().as_bytes())
        && token.iter().enumerate().skip(prefix).all(|(i, &b)| {
            if i - prefix == FINE_GRAINED_FIRST_LEN {
                b == b'_'
            } else {
                is_base62(b)
            }
        })
}

fn check_fine_grained(text: &str) -> Result<(), InvalidReason> {
    let kind = Kind::FineGrainedPat;
    first_bad_char(kind, text, |i, c| {
        if i == FINE_GRAINED_FIRST_LEN {
            if c == '_' {
                Ok(())
            } else {
                Err("an underscore")
            }
        } else if c.is_ascii_alphanumeric() {
            Ok(())
        } else {
            Err(ALNUM)
        }
    })?;
    if text.len() != FINE_GRAINED_LEN {
        return Err(InvalidReason::WrongLength {
            kind,
            expected: FINE_GRAINED_LEN,
            found: text.len(),
        });
    }
    debug_assert!(is_fine_grained_shape(text.as_bytes()));
    Ok(())
}

/// Whether `rest` (after `ghs_`) starts like the new format: one or more digits, then `_`.
pub(crate) fn is_new_installation(rest: &[u8]) -> bool {
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && rest.get(digits) == Some(&b'_')
}

/// Characters allowed in the JWT part of a new-format installation token.
pub(crate) const fn is_jwt_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

/// Whether `jwt` is three non-empty parts of JWT characters separated by exactly two dots.
pub(crate) fn is_jwt_shape(jwt: &[u8]) -> bool {
    jwt.iter().all(|&b| is_jwt_char(b))
        && jwt
            .split(|&b| b == b'.')
            .filter(|part| !part.is_empty())
            .count()
            == 3
        && jwt.iter().filter(|&&b| b == b'.').count() == 2
}

fn check_new_installation(text: &str) -> Result<(), InvalidReason> {
    let kind = Kind::Installation;
    let bytes = text.as_bytes();
    let prefix = kind.prefix().len();
    let digits = bytes
        .iter()
        .skip(prefix)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let jwt_start = prefix + digits + 1;
    first_bad_char(kind, text, |i, c| {
        if i < digits + 1 || c.is_ascii() && is_jwt_char(c as u8) {
            Ok(())
        } else {
            Err("a JWT character (letter, digit, '_', '-' or '.')")
        }
    })?;
    if text.len() > MAX_TOKEN_LEN {
        return Err(InvalidReason::TooLong {
            kind,
            max: MAX_TOKEN_LEN,
            found: text.len(),
        });
    }
    if !is_jwt_shape(bytes.get(jwt_start..).unwrap_or_default()) {
        return Err(InvalidReason::MalformedJwt);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{assert_no_leak, fine_grained, fixture, new_installation};

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
        assert_eq!(fg.len(), FINE_GRAINED_LEN);
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
}
