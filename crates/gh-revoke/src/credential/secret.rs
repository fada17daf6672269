//! Owned secrets with redacting `Debug`/`Display`: [`Credential`] (well formed, of a known
//! [`Kind`]) and [`Candidate`] (any string that failed the format check).
//!
//! Neither type implements `Serialize`, so a secret cannot end up in JSON by accident; the
//! only way to read the full text is the loudly named `expose_secret*` methods.

use zeroize::Zeroizing;

use super::{Fingerprint, Kind};

/// The most characters of the secret part (after the prefix) a redacted form ever shows.
pub const REDACTED_CHARS: usize = 4;

/// A well-formed credential of a known [`Kind`]. Only [`crate::classify`] makes one.
///
/// The text is zeroized when dropped. `Debug` and `Display` show the redacted form
/// (e.g. `ghp_M7H4…`); call [`Credential::expose_secret`] for the full text.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    secret: Zeroizing<String>,
    kind: Kind,
}

impl Credential {
    /// Wraps already-validated text. Crate-private: use [`crate::classify`].
    pub(crate) fn new(secret: String, kind: Kind) -> Self {
        Credential {
            secret: Zeroizing::new(secret),
            kind,
        }
    }

    /// The kind, from the prefix.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The full secret text. Every call site is a place where the secret leaves this type:
    /// keep it to the code that sends the credential to GitHub.
    pub fn expose_secret(&self) -> &str {
        &self.secret
    }

    /// SHA-256 of the secret text, for journals and deduplication across runs.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(self.secret.as_bytes())
    }

    /// The redacted form: the prefix and at most the first 4 characters after it, then `…`.
    pub fn redacted(&self) -> String {
        redact(self.secret.as_bytes())
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("kind", &self.kind)
            .field("secret", &self.redacted())
            .finish()
    }
}

impl std::fmt::Display for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Text that did not pass the format check (unknown prefix, wrong length, bad checksum,
/// not UTF-8, ...). It may still be a secret, so it is treated like one: zeroized on drop,
/// redacted in `Debug`/`Display`, never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct Candidate {
    bytes: Zeroizing<Vec<u8>>,
}

impl Candidate {
    /// Copies `bytes` into a new candidate.
    pub(crate) fn new(bytes: &[u8]) -> Self {
        Candidate {
            bytes: Zeroizing::new(bytes.to_vec()),
        }
    }

    /// The raw bytes. See [`Credential::expose_secret`] for the caution.
    pub fn expose_secret_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The raw text if it is valid UTF-8. See [`Credential::expose_secret`] for the caution.
    pub fn expose_secret_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The kind its prefix suggests, if any (the rest did not check out).
    pub fn apparent_kind(&self) -> Option<Kind> {
        Kind::detect(&self.bytes)
    }

    /// SHA-256 of the raw bytes.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.bytes)
    }

    /// The redacted form: with a known prefix (`ghp_`, `github_pat_`, ...), the prefix and
    /// at most 4 characters of the rest (never more than half of it), then `…`; without
    /// one, at most 4 characters (never more than a quarter of the text), then `…`. Only
    /// `[A-Za-z0-9_-]` characters are shown.
    pub fn redacted(&self) -> String {
        redact(&self.bytes)
    }
}

impl std::fmt::Debug for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Candidate")
            .field("len", &self.bytes.len())
            .field("text", &self.redacted())
            .finish()
    }
}

impl std::fmt::Display for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Redacts arbitrary bytes for display.
///
/// * With a known prefix (`ghp_`, `github_pat_`, ...): the prefix, then at most
///   [`REDACTED_CHARS`] characters of the rest and never more than half of it, then `…`.
/// * Without one: at most [`REDACTED_CHARS`] characters and never more than a quarter of
///   the text, then `…` (so strings shorter than 4 bytes show nothing but `…`).
///
/// Only `[A-Za-z0-9_-]` characters are shown; the shown part stops at the first other byte,
/// so the result is always printable ASCII plus the final `…`.
pub fn redact(text: &[u8]) -> String {
    let (prefix, rest) = match Kind::detect(text) {
        Some(kind) => text.split_at(kind.prefix().len()),
        None => (&b""[..], text),
    };
    let budget = if prefix.is_empty() {
        (rest.len() / 4).min(REDACTED_CHARS)
    } else {
        (rest.len() / 2).min(REDACTED_CHARS)
    };
    let mut out = String::with_capacity(prefix.len() + budget + 3);
    out.extend(prefix.iter().map(|&b| char::from(b)));
    out.extend(
        rest.iter()
            .take(budget)
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            .map(|&b| char::from(b)),
    );
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_examples() {
        assert_eq!(
            redact(b"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"),
            "ghp_M7H4…"
        );
        assert_eq!(redact(b"github_pat_11ABCDEFG0123"), "github_pat_11AB…");
        assert_eq!(redact(b"ghp_abc"), "ghp_a…");
        assert_eq!(redact(b"ghp_"), "ghp_…");
        assert_eq!(redact(b"hunter2"), "h…");
        assert_eq!(redact(b"abc"), "…");
        assert_eq!(redact(b""), "…");
        assert_eq!(redact(b"correct horse battery staple"), "corr…");
        assert_eq!(redact(b"ab\xff\x00cdefghijklmnop"), "ab…");
        assert_eq!(redact("ééééééééé".as_bytes()), "…");
    }
}
