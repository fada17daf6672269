//! The fine-grained personal access token format: `github_pat_` + 22 base62 + `_` + 59
//! base62 (93 characters; no public checksum, so the check is the shape alone).
//!
//! This file owns both the exact check ([`check`]) and the extent in scan mode ([`extent`]).

use super::checksum::is_base62;
use super::reason::{ALNUM, first_bad_char};
use super::{InvalidReason, Kind};

/// Total length of a fine-grained personal access token.
pub(crate) const LEN: usize = 93;
/// Number of base62 characters between `github_pat_` and the inner underscore.
pub(crate) const FIRST_LEN: usize = 22;
/// Number of base62 characters after the inner underscore.
pub(crate) const SECOND_LEN: usize = 59;

const PREFIX: &str = Kind::FineGrainedPat.prefix();

const _: () = assert!(LEN == PREFIX.len() + FIRST_LEN + 1 + SECOND_LEN);

/// Whether the exact shape holds for `token` (exact length, prefix included).
fn is_shape(token: &[u8]) -> bool {
    let prefix = PREFIX.len();
    token.len() == LEN
        && token.starts_with(PREFIX.as_bytes())
        && token.iter().enumerate().skip(prefix).all(|(i, &b)| {
            if i - prefix == FIRST_LEN {
                b == b'_'
            } else {
                is_base62(b)
            }
        })
}

/// The exact check of `text`, which starts with `github_pat_`.
pub(super) fn check(text: &str) -> Result<(), InvalidReason> {
    let kind = Kind::FineGrainedPat;
    first_bad_char(kind, text, |i, c| {
        if i == FIRST_LEN {
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
    if text.len() != LEN {
        return Err(InvalidReason::WrongLength {
            kind,
            expected: LEN,
            found: text.len(),
        });
    }
    debug_assert!(is_shape(text.as_bytes()));
    Ok(())
}

/// The extent of a fine-grained token at the start of `s` in scan mode.
///
/// * The exact 93-character shape is a hit, **even when a letter, digit or `_` follows**.
///   There is no checksum to prove where the token ends, so this is a choice: reporting the
///   93 characters means a real token glued to following text (a minified file, a decoded
///   blob, a copy-paste without a separator) is revoked, since GitHub matches the exact text;
///   reporting the whole run as a near miss would send a string that can never match. If the
///   run is instead a longer, future format, sending its first 93 characters costs one "not
///   found" answer, and the hit is still shown with its location.
/// * Otherwise the run of `[A-Za-z0-9_]` after `github_pat_`, if it is at least
///   [`NEAR_MISS_MIN_RUN`](super::reason::NEAR_MISS_MIN_RUN) long, is a near miss
///   (truncated, or a different shape), reported as invalid with line mode's reason.
pub(crate) fn extent(s: &[u8]) -> Option<usize> {
    if s.get(..LEN).is_some_and(is_shape) {
        return Some(LEN);
    }
    super::reason::near_miss(s, PREFIX.len(), |b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A well-formed fine-grained token from 22 and 59 base62 characters.
#[cfg(any(test, feature = "fixtures"))]
pub(crate) fn make(first: &str, second: &str) -> String {
    format!("{PREFIX}{first}_{second}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::fine_grained;

    #[test]
    fn shape_and_extent() {
        let token = fine_grained(4);
        assert!(is_shape(token.as_bytes()));
        assert_eq!(extent(token.as_bytes()), Some(LEN));
        assert_eq!(extent(format!("{token}\"").as_bytes()), Some(LEN));
        // Glued to more token characters: still the 93-character token.
        assert_eq!(extent(format!("{token}abc").as_bytes()), Some(LEN));
        assert_eq!(extent(format!("{token}_x").as_bytes()), Some(LEN));
        // Truncated: a near miss of what is there.
        assert_eq!(extent(&token.as_bytes()[..LEN - 1]), Some(LEN - 1));
        assert_eq!(extent(&token.as_bytes()[..30]), None);
        let mut bent = token.into_bytes();
        bent[PREFIX.len() + FIRST_LEN] = b'x';
        assert!(!is_shape(&bent));
        assert_eq!(extent(&bent), Some(LEN));
    }
}
