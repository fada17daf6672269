//! The new installation token format (since 2026-04-27): `ghs_` + app ID digits + `_` + a JWT
//! (three non-empty parts of base64url characters `[A-Za-z0-9_-]`, separated by exactly two
//! dots), variable length, about 520 characters today. The legacy 40-character `ghs_` uses the
//! [`super::classic`] format.
//!
//! This file owns both the exact check ([`check`]) and the extent in scan mode ([`extent`]).
//! `-` and `_` occur inside real JWT parts (base64url): GitHub's own later guidance uses
//! `[A-Za-z0-9._-]`, not the changelog's first `[A-Za-z0-9\._]`.

use super::reason::first_bad_char;
use super::{InvalidReason, Kind, MAX_TOKEN_LEN};

const PREFIX_LEN: usize = Kind::Installation.prefix().len();

/// Whether `rest` (after `ghs_`) starts like the new format: one or more digits, then `_`.
pub(crate) fn is_new_format(rest: &[u8]) -> bool {
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && rest.get(digits) == Some(&b'_')
}

/// Characters allowed in the JWT part.
const fn is_jwt_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

/// Whether `jwt` is three non-empty parts of JWT characters separated by exactly two dots.
fn is_jwt_shape(jwt: &[u8]) -> bool {
    jwt.iter().all(|&b| is_jwt_char(b))
        && jwt
            .split(|&b| b == b'.')
            .filter(|part| !part.is_empty())
            .count()
            == 3
        && jwt.iter().filter(|&&b| b == b'.').count() == 2
}

/// Where the JWT starts in a token that [`is_new_format`].
fn jwt_start(token: &[u8]) -> usize {
    let digits = token
        .iter()
        .skip(PREFIX_LEN)
        .take_while(|b| b.is_ascii_digit())
        .count();
    PREFIX_LEN + digits + 1
}

/// The exact check of `text`, which starts with `ghs_` and [`is_new_format`].
pub(super) fn check(text: &str) -> Result<(), InvalidReason> {
    let kind = Kind::Installation;
    let bytes = text.as_bytes();
    let jwt_start = jwt_start(bytes);
    first_bad_char(kind, text, |i, c| {
        if i + PREFIX_LEN < jwt_start || c.is_ascii() && is_jwt_char(c as u8) {
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

/// The extent of a new-format installation token at the start of `s` in scan mode: the
/// longest run of JWT characters after `ghs_APPID_`, minus trailing dots (sentence
/// punctuation); it must have the JWT shape and be at most [`MAX_TOKEN_LEN`] bytes.
/// Otherwise that run (trailing dots dropped), if it is at least
/// [`NEAR_MISS_MIN_RUN`](super::reason::NEAR_MISS_MIN_RUN) long, is a near miss: a malformed
/// JWT, or a token longer than [`MAX_TOKEN_LEN`] (cut at one byte more, which
/// [`super::classify()`] reports as too long).
pub(crate) fn extent(s: &[u8]) -> Option<usize> {
    if !is_new_format(s.get(PREFIX_LEN..)?) {
        return None;
    }
    exact_extent(s).or_else(|| {
        let end = super::reason::near_miss(s, PREFIX_LEN, is_jwt_char)?;
        let trimmed = end
            - s.get(..end)?
                .iter()
                .rev()
                .take_while(|&&b| b == b'.')
                .count();
        (trimmed >= PREFIX_LEN + super::reason::NEAR_MISS_MIN_RUN).then_some(trimmed)
    })
}

fn exact_extent(s: &[u8]) -> Option<usize> {
    let jwt_start = jwt_start(s);
    let run = s
        .iter()
        .skip(jwt_start)
        .take(MAX_TOKEN_LEN + 1)
        .take_while(|&&b| is_jwt_char(b))
        .count();
    let mut end = jwt_start + run;
    if end > MAX_TOKEN_LEN {
        return None;
    }
    while end > jwt_start && s.get(end - 1) == Some(&b'.') {
        end -= 1;
    }
    is_jwt_shape(s.get(jwt_start..end)?).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::new_installation;

    #[test]
    fn base64url_characters_inside_the_jwt() {
        let token = "ghs_12345_eyJh-bGc_iOi.J-SUz_I1.NiIs-In_R5c";
        assert!(check(token).is_ok());
        assert_eq!(
            extent(format!("{token}. Next").as_bytes()),
            Some(token.len())
        );
    }

    #[test]
    fn extent_of_a_fixture() {
        let token = new_installation(9);
        assert_eq!(extent(format!("{token} ").as_bytes()), Some(token.len()));
        assert_eq!(extent(b"ghs_12_a.b"), None);
        assert_eq!(extent(b"ghs_x_a.b.c"), None);
        // A malformed JWT of near-miss length: reported (line mode says: malformed JWT).
        let two_parts = format!("ghs_12_{}.{}", "a".repeat(20), "b".repeat(20));
        assert_eq!(
            extent(format!("{two_parts}. ").as_bytes()),
            Some(two_parts.len())
        );
        // Too long: cut one byte past the maximum, which classify calls too long.
        let long = format!("ghs_1_{}.b.c", "a".repeat(MAX_TOKEN_LEN));
        assert_eq!(extent(long.as_bytes()), Some(MAX_TOKEN_LEN + 1));
    }
}
