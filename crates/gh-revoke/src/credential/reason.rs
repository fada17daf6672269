//! Why a string is not a credential, or cannot be sent: [`InvalidReason`],
//! [`UnsupportedReason`], and what every format shares: the character check and the near-miss
//! rule ([`NEAR_MISS_MIN_RUN`]).

use super::{Kind, MAX_TOKEN_LEN};

/// Why a well-formed credential cannot be revoked through `POST /credentials/revoke`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum UnsupportedReason {
    /// A GitHub App installation token.
    #[error(
        "installation tokens (ghs_) are not accepted by /credentials/revoke; revoke them with \
         --revoke-installation-tokens (each token revokes itself with DELETE \
         /installation/token), or let them expire within an hour"
    )]
    InstallationToken,
}

/// Why a string is not a well-formed credential. Messages never contain the string itself
/// (at most one offending character).
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
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
        "checksum mismatch: the last 6 characters are not the CRC32 of the characters before \
         them, so this is not a real {kind_prefix} token (a typo, a damaged copy, or a documentation \
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

/// What most formats require after the prefix.
pub(super) const ALNUM: &str = "a letter or digit";

/// The first character after the prefix that fails `allowed(index_after_prefix, char)`.
pub(super) fn first_bad_char(
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

/// Shortest run of token characters after a known prefix that scan mode reports as a near
/// miss (a truncated copy, a glued suffix with a bad checksum, a future length). 24 is well
/// below every real format (30 random characters for the shortest, the classic one, and a
/// truncated copy usually loses only a few), and well above ordinary identifiers that happen
/// to contain a prefix (`ghs_total`, `highs_count`, `ghu_user_id`: an identifier part of 24
/// letters and digits with no underscore is rare in code and logs).
pub const NEAR_MISS_MIN_RUN: usize = 24;

/// The extent of a near miss at the start of `s`: the prefix (`prefix_len` bytes) and the run
/// of `is_token_char` bytes after it, when the run has at least [`NEAR_MISS_MIN_RUN`]
/// characters. Capped at `MAX_TOKEN_LEN + 1` bytes (the scanner's look-ahead), which
/// [`classify`](super::classify()) then reports as too long.
pub(super) fn near_miss(
    s: &[u8],
    prefix_len: usize,
    is_token_char: fn(u8) -> bool,
) -> Option<usize> {
    let run = s
        .iter()
        .take(MAX_TOKEN_LEN + 1)
        .skip(prefix_len)
        .take_while(|&&b| is_token_char(b))
        .count();
    (run >= NEAR_MISS_MIN_RUN).then_some(prefix_len + run)
}
