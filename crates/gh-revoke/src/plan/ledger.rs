//! The counting rules a [`super::Plan`] and a [`super::PlanTally`] share.

use std::collections::HashSet;
use std::ops::Range;

use super::{PlanCounts, PlanOptions, Skipped};
use crate::credential::{Classified, Fingerprint, Kind, MAX_TOKEN_LEN};
use crate::input::{Found, Location};

/// What a [`Store`] did with a secret.
pub(crate) enum Inserted {
    /// First sighting: stored.
    New,
    /// Equal to a secret already stored.
    Duplicate,
    /// No room left: not stored.
    Full,
}

/// How a [`Ledger`] remembers what it has seen: the whole secrets (a [`Plan`], which must
/// send them) or only collision-resistant keys (a [`PlanTally`](crate::PlanTally)).
pub(crate) trait Store {
    /// Stores `secret` (UTF-8, at most [`MAX_TOKEN_LEN`] bytes) unless an equal one is
    /// stored already. `fingerprint` is its SHA-256 when the ledger has computed it (to
    /// check [`Plan::skip_fingerprints`]), so a store keyed by it need not hash again.
    fn insert(
        &mut self,
        secret: &[u8],
        kind: Option<Kind>,
        fingerprint: Option<Fingerprint>,
    ) -> Inserted;

    /// How many distinct secrets are stored.
    fn len(&self) -> usize;
}

/// The classification, counting, `already_done` check and skipped list shared by [`Plan`]
/// and [`PlanTally`](crate::PlanTally); only the [`Store`] differs, so both count the same
/// input identically.
pub(crate) struct Ledger<S> {
    options: PlanOptions,
    store: S,
    done: HashSet<Fingerprint>,
    counts: PlanCounts,
    skipped: Vec<Skipped>,
    skipped_not_kept: u64,
}

impl<S: Store> Ledger<S> {
    pub(crate) fn new(options: PlanOptions, store: S) -> Self {
        Ledger {
            options,
            store,
            done: HashSet::new(),
            counts: PlanCounts::default(),
            skipped: Vec::new(),
            skipped_not_kept: 0,
        }
    }

    pub(crate) fn options(&self) -> &PlanOptions {
        &self.options
    }

    pub(crate) fn store(&self) -> &S {
        &self.store
    }

    pub(crate) fn skip_fingerprints(&mut self, done: impl IntoIterator<Item = Fingerprint>) {
        self.done.extend(done);
    }

    pub(crate) fn add(&mut self, found: Found) {
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
        match self.store.insert(secret, kind, fingerprint) {
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

    pub(crate) fn counts(&self) -> PlanCounts {
        self.counts
    }

    pub(crate) fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    pub(crate) fn take_skipped(&mut self) -> Vec<Skipped> {
        std::mem::take(&mut self.skipped)
    }

    pub(crate) fn skipped_not_kept(&self) -> u64 {
        self.skipped_not_kept
    }

    pub(crate) fn len(&self) -> usize {
        self.store.len()
    }

    pub(crate) fn batch_count(&self) -> usize {
        self.len().div_ceil(self.options.batch_size)
    }

    /// The index range of batch `index` among the stored credentials, if it exists.
    pub(crate) fn batch_range(&self, index: usize) -> Option<Range<usize>> {
        let size = self.options.batch_size;
        let len = self.len();
        let start = index.checked_mul(size)?;
        if start >= len {
            return None;
        }
        Some(start..start.saturating_add(size).min(len))
    }
}
