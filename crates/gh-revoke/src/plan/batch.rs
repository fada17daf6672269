//! The batches of a [`Plan`] that keeps its secrets (each credential in them is a
//! [`Planned`], a view into the secrets).

use std::ops::Range;

use super::secrets::Planned;
use super::{Plan, Secrets};
use crate::credential::Fingerprint;

impl Plan<Secrets> {
    /// Every credential to send, in batch order: valid credentials in first-seen order, then
    /// unverified strings in first-seen order.
    pub fn credentials(&self) -> impl Iterator<Item = Planned<'_>> + '_ {
        let secrets = &self.store;
        secrets
            .lane_credentials(false, 0..secrets.valid.slots.len())
            .chain(secrets.lane_credentials(true, 0..secrets.unverified.slots.len()))
    }

    /// Batch `index` (0-based), if it exists.
    pub fn batch(&self, index: usize) -> Option<Batch<'_>> {
        let (unverified, range) = self.batch_range(index)?;
        Some(Batch {
            plan: self,
            index,
            unverified,
            range,
        })
    }

    /// The batches, in order: valid credentials first, each batch full except possibly the
    /// last of them, then unverified strings in batches of their own (likewise);
    /// credentials in first-seen order.
    pub fn batches(&self) -> Batches<'_> {
        Batches {
            plan: self,
            next: 0,
        }
    }
}

/// A view of one batch of a [`Plan`].
#[derive(Debug, Clone)]
pub struct Batch<'a> {
    plan: &'a Plan,
    index: usize,
    unverified: bool,
    range: Range<usize>,
}

impl<'a> Batch<'a> {
    /// 0-based batch number.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Whether it holds unverified strings (kept by
    /// [`PlanOptions::with_allow_unverified`](super::PlanOptions::with_allow_unverified)):
    /// they come after every valid credential, in batches of their own.
    pub fn is_unverified(&self) -> bool {
        self.unverified
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
        self.plan
            .store
            .lane_credentials(self.unverified, self.range.clone())
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
