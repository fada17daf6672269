//! The checksum of the classic 40-character token format.
//!
//! Format: `PREFIX_` (4 characters, e.g. `ghp_`) + 30 random base62 characters + 6 checksum
//! characters. The checksum is `base62(crc32(R))` left-padded with `'0'` to 6 characters,
//! where `R` is the 30 random characters, crc32 is the standard IEEE (zlib) CRC-32 and the
//! base62 alphabet is `0-9A-Za-z` (digits, then upper case, then lower case).

use crate::Kind;

/// The base62 alphabet, in value order: digits, upper case, lower case.
pub const BASE62_ALPHABET: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Total length of a classic-format token, prefix included.
pub const CLASSIC_LEN: usize = 40;
/// Length of the prefix of a classic-format token (`ghp_`).
pub const CLASSIC_PREFIX_LEN: usize = 4;
/// Number of random characters in a classic-format token.
pub const CLASSIC_RANDOM_LEN: usize = 30;
/// Number of checksum characters at the end of a classic-format token.
pub const CHECKSUM_LEN: usize = 6;
/// Length of the part after the prefix (random + checksum).
pub const CLASSIC_BODY_LEN: usize = CLASSIC_RANDOM_LEN + CHECKSUM_LEN;

/// Whether `byte` is in the base62 alphabet (`0-9A-Za-z`).
pub const fn is_base62(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

/// The 6-character checksum of `random30`: `base62(crc32(random30))`, left-padded with `'0'`.
///
/// Public because test fixtures and example generators need it. It accepts any input
/// length, but only 30 base62 characters make a real token.
pub fn classic_checksum(random30: &[u8]) -> [u8; CHECKSUM_LEN] {
    let mut n = crc32fast::hash(random30);
    let mut out = [b'0'; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        // n % 62 < 62 = BASE62_ALPHABET.len(), so the lookup always succeeds.
        *slot = BASE62_ALPHABET
            .get((n % 62) as usize)
            .copied()
            .unwrap_or(b'0');
        n /= 62;
    }
    out
}

/// Whether `body` (the 36 characters after a classic prefix) is 30 base62 characters
/// followed by their correct checksum. False for any other length or character.
pub fn verify_classic(body: &[u8]) -> bool {
    if body.len() != CLASSIC_BODY_LEN || !body.iter().all(|&b| is_base62(b)) {
        return false;
    }
    let (random, checksum) = body.split_at(CLASSIC_RANDOM_LEN);
    classic_checksum(random) == checksum
}

/// Builds a well-formed classic-format token: `kind`'s prefix + `random30` + checksum.
///
/// Meant for test fixtures and examples (a token made this way is well formed but was never
/// issued by GitHub). Returns `None` if `kind` has no classic format
/// ([`Kind::FineGrainedPat`]) or `random30` is not exactly 30 base62 characters.
pub fn make_classic(kind: Kind, random30: &[u8]) -> Option<String> {
    if !kind.has_classic_format()
        || random30.len() != CLASSIC_RANDOM_LEN
        || !random30.iter().all(|&b| is_base62(b))
    {
        return None;
    }
    let mut token = String::with_capacity(CLASSIC_LEN);
    token.push_str(kind.prefix());
    token.extend(random30.iter().map(|&b| char::from(b)));
    token.extend(classic_checksum(random30).iter().map(|&b| char::from(b)));
    Some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::fixture;

    #[test]
    fn public_vector() {
        assert!(verify_classic(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V4"));
        assert!(!verify_classic(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V3"));
        assert_eq!(
            &classic_checksum(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq"),
            b"11T4V4"
        );
        assert_eq!(
            make_classic(Kind::ClassicPat, b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq").as_deref(),
            Some("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")
        );
    }

    #[test]
    fn docs_sample_is_not_a_classic_body() {
        // 40 characters after the prefix, not 36.
        assert!(!verify_classic(b"1234567890abcdef1234567890abcdef12345678"));
        assert!(!verify_classic(b"1234567890abcdef1234567890abcdef1234"));
    }

    #[test]
    fn rejects_bad_lengths_and_characters() {
        assert!(!verify_classic(b""));
        assert!(!verify_classic(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V"));
        assert!(!verify_classic(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V4x"));
        assert!(!verify_classic(b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJu-11T4V4"));
        assert_eq!(make_classic(Kind::FineGrainedPat, &[b'a'; 30]), None);
        assert_eq!(make_classic(Kind::ClassicPat, &[b'a'; 29]), None);
        assert_eq!(make_classic(Kind::ClassicPat, &[b'-'; 30]), None);
    }

    #[test]
    fn checksum_first_char_is_at_most_4_and_fixtures_verify() {
        for seed in 0..2000 {
            let token = fixture(Kind::ClassicPat, seed);
            assert_eq!(token.len(), CLASSIC_LEN);
            assert!(verify_classic(&token.as_bytes()[CLASSIC_PREFIX_LEN..]));
            assert!(token.as_bytes()[34] <= b'4');
        }
        assert_ne!(fixture(Kind::OAuth, 1), fixture(Kind::OAuth, 2));
    }
}
