//! The classic format: `PREFIX_` + random base62 characters + a 6-character CRC32 checksum
//! ([`super::checksum`]). Used by `ghp_`, `gho_`, `ghu_`, the legacy `ghs_` (30 random
//! characters, 40 in all) and `ghr_` (70 random characters, 80 in all).
//!
//! This file owns both the exact check ([`check`], for [`super::classify`]) and the extent of
//! a classic token in scan mode ([`extent`]), so the two cannot disagree.
//!
//! The `ghr_` length: refresh tokens are `ghr_` + 76 characters. Sources: GitHub's docs
//! example of a refresh token (80 characters), osv-scalibr's refresh-token detector
//! (`ghr_[A-Za-z0-9]{76}` with the same CRC32 check) and the YARA rule `GitHubRefreshToken` of
//! FrodeHus/ludvig (`ghr_` then `[0-9a-zA-Z]{76}`).

use super::checksum::{self, CHECKSUM_LEN, is_base62};
use super::reason::{ALNUM, first_bad_char};
use super::{InvalidReason, Kind};

/// Length of every classic prefix (`ghp_`).
pub(crate) const PREFIX_LEN: usize = 4;

/// Number of random characters (before the checksum) of a classic token of `kind`.
pub(crate) const fn random_len(kind: Kind) -> usize {
    match kind {
        Kind::Refresh => 70,
        _ => 30,
    }
}

/// Total length of a classic token of `kind`, prefix included.
pub(crate) const fn len(kind: Kind) -> usize {
    PREFIX_LEN + random_len(kind) + CHECKSUM_LEN
}

/// The exact check of `text`, which starts with `kind`'s prefix.
pub(super) fn check(kind: Kind, text: &str) -> Result<(), InvalidReason> {
    first_bad_char(kind, text, |_, c| {
        if c.is_ascii_alphanumeric() {
            Ok(())
        } else {
            Err(ALNUM)
        }
    })?;
    // All characters are ASCII now, so bytes == characters.
    let expected = len(kind);
    if text.len() != expected {
        return Err(InvalidReason::WrongLength {
            kind,
            expected,
            found: text.len(),
        });
    }
    let body = text.as_bytes().get(PREFIX_LEN..).unwrap_or_default();
    if checksum::verify(body) {
        Ok(())
    } else {
        Err(InvalidReason::ChecksumMismatch { kind })
    }
}

/// The extent of a classic token of `kind` at the start of `s` in scan mode, or `None` when
/// nothing is to be reported there.
///
/// * Exactly [`len`]`(kind)` base62 characters with a checksum that verifies: a hit, even
///   when more token characters follow (the checksum proves where the token ends).
/// * Otherwise the run of letters and digits after the prefix, if it is at least
///   [`NEAR_MISS_MIN_RUN`](super::reason::NEAR_MISS_MIN_RUN) long: a near miss (a damaged
///   checksum at the right length, a truncated copy, a glued suffix, a future length), which
///   [`super::classify()`] reports as invalid with the same reason as line mode.
pub(crate) fn extent(kind: Kind, s: &[u8]) -> Option<usize> {
    let len = len(kind);
    if let Some(body) = s.get(PREFIX_LEN..len)
        && body.iter().all(|&b| is_base62(b))
        && checksum::verify(body)
    {
        return Some(len);
    }
    super::reason::near_miss(s, PREFIX_LEN, is_base62)
}

/// A well-formed classic token of `kind` with the given random characters, or `None` if
/// `kind` has no classic format or `random` is not [`random_len`]`(kind)` base62 characters.
#[cfg(any(test, feature = "fixtures"))]
pub(crate) fn make(kind: Kind, random: &[u8]) -> Option<String> {
    if !kind.has_classic_format()
        || random.len() != random_len(kind)
        || !random.iter().all(|&b| is_base62(b))
    {
        return None;
    }
    let mut token = String::with_capacity(len(kind));
    token.push_str(kind.prefix());
    token.extend(random.iter().map(|&b| char::from(b)));
    token.extend(checksum::checksum(random).iter().map(|&b| char::from(b)));
    Some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::classic as fixture;

    #[test]
    fn lengths() {
        assert_eq!(len(Kind::ClassicPat), 40);
        assert_eq!(len(Kind::OAuth), 40);
        assert_eq!(len(Kind::UserToServer), 40);
        assert_eq!(len(Kind::Installation), 40);
        assert_eq!(len(Kind::Refresh), 80);
    }

    #[test]
    fn make_builds_the_public_vector() {
        assert_eq!(
            make(Kind::ClassicPat, b"M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq").as_deref(),
            Some("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")
        );
        assert_eq!(make(Kind::FineGrainedPat, &[b'a'; 30]), None);
        assert_eq!(make(Kind::ClassicPat, &[b'a'; 29]), None);
        assert_eq!(make(Kind::Refresh, &[b'a'; 30]), None);
        assert_eq!(make(Kind::ClassicPat, &[b'-'; 30]), None);
    }

    #[test]
    fn fixtures_verify_and_checksum_starts_low() {
        for seed in 0..2000 {
            for kind in [Kind::ClassicPat, Kind::Refresh] {
                let token = fixture(kind, seed);
                assert_eq!(token.len(), len(kind));
                assert!(check(kind, &token).is_ok());
                // crc32 < 62^6 / 13.3, so the checksum's first character is 0..=4.
                assert!(token.as_bytes()[token.len() - CHECKSUM_LEN] <= b'4');
            }
        }
    }

    #[test]
    fn extent_of_a_refresh_token_is_80() {
        let token = fixture(Kind::Refresh, 3);
        assert_eq!(extent(Kind::Refresh, token.as_bytes()), Some(80));
        // A 40-character cut of it is a near miss of 40, reported (line mode says: wrong
        // length); a 20-character cut is too short to tell from an identifier.
        let cut = format!("{}!", &token[..40]);
        assert_eq!(extent(Kind::Refresh, cut.as_bytes()), Some(40));
        let cut = format!("{}!", &token[..20]);
        assert_eq!(extent(Kind::Refresh, cut.as_bytes()), None);
    }
}
