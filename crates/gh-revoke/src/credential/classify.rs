//! [`classify`]: decide whether one exact string is a well-formed GitHub credential, and
//! [`extent`]: how long the credential at the start of a scanned text is ([`match_at`]: both,
//! for scan mode). Both dispatch on
//! the prefix ([`Kind::detect`]) to the one file that owns each format: [`super::classic`],
//! [`super::fine_grained`], [`super::installation`].
//!
//! Checks, in order: empty; UTF-8; known prefix; then the format's own check (characters,
//! length, and the checksum or the shape). No trimming: callers that read lines trim first.

use super::reason::{InvalidReason, UnsupportedReason};
use super::{Candidate, Credential, Kind, classic, fine_grained, installation};

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
        Kind::FineGrainedPat => fine_grained::check(text)?,
        Kind::Installation if installation::is_new_format(rest.as_bytes()) => {
            installation::check(text)?
        }
        _ => classic::check(kind, text)?,
    }
    Ok((text, kind))
}

/// The length of the credential (or near miss) to report at the start of `s`, which is a
/// scan-mode candidate, or `None` when nothing is to be reported there. Each format decides
/// its own extent; what is reported is then [`classify`]d exactly as line mode would, so a
/// near miss is [`Classified::Invalid`] with the reason line mode gives for the same text.
pub(super) fn extent(s: &[u8]) -> Option<usize> {
    let kind = Kind::detect(s)?;
    let rest = s.get(kind.prefix().len()..).unwrap_or_default();
    match kind {
        Kind::FineGrainedPat => fine_grained::extent(s),
        Kind::Installation if installation::is_new_format(rest) => installation::extent(s),
        _ => classic::extent(kind, s),
    }
}

/// Decides the scan-mode candidate at the start of `s`: the credential format its prefix
/// names says how long it is ([`extent`]), and [`classify`] says what it is, exactly as line mode would.
/// `None` when nothing is to be reported here.
pub(crate) fn match_at(s: &[u8]) -> Option<(usize, Classified)> {
    let len = extent(s)?;
    Some((len, classify(s.get(..len)?)))
}

#[cfg(test)]
mod tests;
