//! The counting rules of a [`Plan`], whatever it keeps of each credential (its [`Store`]).

use std::ops::Range;

use super::{Plan, Skipped};
use crate::credential::{Classified, Fingerprint, Kind, MAX_TOKEN_LEN};
use crate::input::{Found, Location};

/// What a [`Store`] did with a secret.
#[derive(Debug)]
pub enum Inserted {
    /// First sighting: stored.
    New,
    /// Equal to a secret already stored.
    Duplicate,
    /// No room left: not stored.
    Full,
}

/// How a [`Plan`] remembers what it has seen: the whole secrets ([`Secrets`](super::Secrets),
/// which a sending plan needs) or only collision-resistant keys
/// ([`CountOnly`](super::CountOnly), a dry run's [`PlanTally`](super::PlanTally)).
///
/// Public only so that it can bound `Plan`'s methods; it lives in a private module, so no
/// other crate can name or implement it.
pub trait Store: Default {
    /// The name `Debug` shows.
    const NAME: &'static str;

    /// Stores `secret` (UTF-8, at most [`MAX_TOKEN_LEN`] bytes) unless an equal one is
    /// stored already. `fingerprint` is its SHA-256 when the plan has computed it (to
    /// check the fingerprints given to [`Plan::resuming`]), so a store keyed by it need
    /// not hash again. `kind` is `None` for an unverified string; `location` is where it
    /// was seen (kept, for a new secret, by a store that reports failures).
    fn insert(
        &mut self,
        secret: &[u8],
        kind: Option<Kind>,
        fingerprint: Option<Fingerprint>,
        location: &Location,
    ) -> Inserted;

    /// How many distinct secrets are stored.
    fn len(&self) -> usize;
}

impl<S: Store> Plan<S> {
    /// Feeds one item.
    pub fn add(&mut self, found: Found) {
        self.counts.read += 1;
        let Found { location, item } = found;
        match item {
            Classified::Valid(credential) => {
                let secret = credential.expose_secret().as_bytes();
                self.add_sendable(secret, Some(credential.kind()), &location, || {
                    credential.redacted()
                });
            }
            Classified::Unsupported { credential, reason } => {
                self.counts.unsupported += 1;
                self.skip(
                    credential.redacted(),
                    Some(credential.kind()),
                    reason.to_string(),
                    location,
                );
            }
            Classified::Invalid { candidate, reason } => {
                let sendable = candidate
                    .expose_secret_str()
                    .filter(|s| !s.is_empty() && s.len() <= MAX_TOKEN_LEN);
                match sendable {
                    Some(text) if self.options.allow_unverified => {
                        self.add_sendable(text.as_bytes(), None, &location, || {
                            candidate.redacted()
                        });
                    }
                    _ => {
                        self.counts.invalid += 1;
                        let kind = reason.kind().or_else(|| candidate.apparent_kind());
                        self.skip(candidate.redacted(), kind, reason.to_string(), location);
                    }
                }
            }
        }
    }

    fn add_sendable(
        &mut self,
        secret: &[u8],
        kind: Option<Kind>,
        location: &Location,
        redacted: impl FnOnce() -> String,
    ) {
        let mut fingerprint = None;
        if !self.done.is_empty() {
            let fp = Fingerprint::of(secret);
            if self.done.contains(&fp) {
                self.counts.already_done += 1;
                return;
            }
            fingerprint = Some(fp);
        }
        match self.store.insert(secret, kind, fingerprint, location) {
            Inserted::New if kind.is_some() => self.counts.unique_valid += 1,
            Inserted::New => self.counts.unique_unverified += 1,
            Inserted::Duplicate => self.counts.duplicates += 1,
            Inserted::Full => {
                self.counts.invalid += 1;
                self.skip(
                    redacted(),
                    kind,
                    "the plan is full (over 4 billion credentials); split the input".to_owned(),
                    location.clone(),
                );
            }
        }
    }

    fn skip(&mut self, credential: String, kind: Option<Kind>, reason: String, location: Location) {
        if self.skipped.len() < self.options.max_skipped_kept {
            self.skipped.push(Skipped {
                credential,
                kind,
                reason,
                location,
            });
        } else {
            self.skipped_not_kept += 1;
        }
    }

    /// Where batch `index` is: whether it is in the unverified lane, and its index range
    /// within that lane. Valid credentials fill the first batches; unverified strings follow
    /// in batches of their own, never mixed with valid ones.
    pub(super) fn batch_range(&self, index: usize) -> Option<(bool, Range<usize>)> {
        let size = self.options.batch_size;
        let valid = usize::try_from(self.counts.unique_valid).unwrap_or(usize::MAX);
        let unverified = usize::try_from(self.counts.unique_unverified).unwrap_or(usize::MAX);
        let valid_batches = valid.div_ceil(size);
        let (lane, index, len) = match index.checked_sub(valid_batches) {
            None => (false, index, valid),
            Some(index) => (true, index, unverified),
        };
        let start = index.checked_mul(size)?;
        if start >= len {
            return None;
        }
        Some((lane, start..start.saturating_add(size).min(len)))
    }
}
