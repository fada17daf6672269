//! The batches of a [`Plan`] that keeps its secrets, and the credentials in them.

use std::ops::Range;

use super::{Plan, Secrets};
use crate::credential::{Fingerprint, Kind, redact};

impl Plan<Secrets> {
    /// Every credential to send, in first-seen order.
    pub fn credentials(&self) -> impl ExactSizeIterator<Item = Planned<'_>> + '_ {
        let secrets = &self.store;
        secrets.slots.iter().map(|&slot| secrets.planned(slot))
    }

    /// Batch `index` (0-based), if it exists.
    pub fn batch(&self, index: usize) -> Option<Batch<'_>> {
        Some(Batch {
            plan: self,
            index,
            range: self.batch_range(index)?,
        })
    }

    /// The batches, in order: each full except possibly the last, credentials in
    /// first-seen order.
    pub fn batches(&self) -> Batches<'_> {
        Batches {
            plan: self,
            next: 0,
        }
    }
}

/// One credential in a [`Plan`], borrowed from its arena. `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Planned<'a> {
    pub(super) secret: &'a str,
    pub(super) kind: Option<Kind>,
}

impl<'a> Planned<'a> {
    /// The full secret text, for the request body only.
    pub fn expose_secret(&self) -> &'a str {
        self.secret
    }

    /// The kind, or `None` for an unverified string (see
    /// [`PlanOptions::with_allow_unverified`](super::PlanOptions::with_allow_unverified)).
    pub fn kind(&self) -> Option<Kind> {
        self.kind
    }

    /// SHA-256 of the secret text.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(self.secret.as_bytes())
    }

    /// The redacted form.
    pub fn redacted(&self) -> String {
        redact(self.secret.as_bytes())
    }
}

impl std::fmt::Debug for Planned<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planned")
            .field("kind", &self.kind)
            .field("secret", &self.redacted())
            .finish()
    }
}

/// A view of one batch of a [`Plan`].
#[derive(Debug, Clone)]
pub struct Batch<'a> {
    plan: &'a Plan,
    index: usize,
    range: Range<usize>,
}

impl<'a> Batch<'a> {
    /// 0-based batch number.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Number of credentials (1..=batch size).
    pub fn len(&self) -> usize {
        self.range.len()
    }

    /// Always false: a batch is never empty.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// The credentials, in first-seen order.
    pub fn credentials(&self) -> impl ExactSizeIterator<Item = Planned<'a>> + 'a {
        let secrets = &self.plan.store;
        secrets
            .slots
            .get(self.range.clone())
            .unwrap_or_default()
            .iter()
            .map(move |&slot| secrets.planned(slot))
    }

    /// The full secret texts, for the request body.
    pub fn expose_secrets(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        self.credentials().map(|c| c.expose_secret())
    }

    /// The fingerprints, in the same order, for a journal.
    pub fn fingerprints(&self) -> impl ExactSizeIterator<Item = Fingerprint> + 'a {
        self.credentials().map(|c| c.fingerprint())
    }
}

/// Iterator over a plan's [`Batch`]es.
#[derive(Debug, Clone)]
pub struct Batches<'a> {
    plan: &'a Plan,
    next: usize,
}

impl<'a> Iterator for Batches<'a> {
    type Item = Batch<'a>;

    fn next(&mut self) -> Option<Batch<'a>> {
        let batch = self.plan.batch(self.next)?;
        self.next += 1;
        Some(batch)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.plan.batch_count().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Batches<'_> {}
