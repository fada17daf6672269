//! [`Plan`]: dedupe found credentials, set aside what cannot be sent, and split the rest
//! into batches for `POST /credentials/revoke` (at most 1000 per request).

use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::credential::{Fingerprint, Kind, redact};
use crate::input::{Found, Location};
use ledger::Ledger;
use secrets::Secrets;

mod ledger;
mod secrets;
mod tally;
#[cfg(test)]
mod tests;

pub use tally::PlanTally;

/// The most credentials `POST /credentials/revoke` accepts in one request.
pub const MAX_BATCH_SIZE: usize = 1000;
/// Default number of [`Skipped`] details a plan keeps (the counts are always complete).
pub const DEFAULT_MAX_SKIPPED_KEPT: usize = 100_000;

/// A bad [`PlanOptions`] value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Batch size outside `1..=1000`.
    #[error(
        "batch size must be between 1 and 1000 (GitHub accepts at most 1000 credentials per \
         request), got {found}"
    )]
    BatchSize {
        /// The rejected value.
        found: usize,
    },
}

/// How a [`Plan`] treats its input. Build with [`PlanOptions::new`] or `default()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    batch_size: usize,
    allow_unverified: bool,
    max_skipped_kept: usize,
}

impl Default for PlanOptions {
    /// Batches of 1000, no unverified strings, keep up to [`DEFAULT_MAX_SKIPPED_KEPT`]
    /// skipped details.
    fn default() -> Self {
        PlanOptions {
            batch_size: MAX_BATCH_SIZE,
            allow_unverified: false,
            max_skipped_kept: DEFAULT_MAX_SKIPPED_KEPT,
        }
    }
}

impl PlanOptions {
    /// Options with `batch_size` credentials per batch, which must be in `1..=1000`.
    pub fn new(batch_size: usize) -> Result<Self, PlanError> {
        if !(1..=MAX_BATCH_SIZE).contains(&batch_size) {
            return Err(PlanError::BatchSize { found: batch_size });
        }
        Ok(PlanOptions {
            batch_size,
            ..PlanOptions::default()
        })
    }

    /// Opt in to sending strings that failed the format check (wrong length, bad checksum,
    /// unknown prefix, ...), for a user who really wants to revoke an odd string.
    ///
    /// Only non-empty UTF-8 strings of at most [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) bytes are kept; others stay
    /// skipped (they cannot be a credential, and the request body is JSON text).
    /// Well-formed installation tokens (`ghs_`) stay skipped even then: the format check
    /// did not fail, the endpoint simply does not accept them, so sending them would only
    /// waste a rate-limited request slot; their holder revokes them with
    /// `DELETE /installation/token`, and they expire within an hour.
    pub fn with_allow_unverified(mut self, allow: bool) -> Self {
        self.allow_unverified = allow;
        self
    }

    /// Keep at most `max` [`Skipped`] details (further ones are only counted, see
    /// [`Plan::skipped_not_kept`]), bounding memory for inputs full of junk.
    pub fn with_max_skipped_kept(mut self, max: usize) -> Self {
        self.max_skipped_kept = max;
        self
    }

    /// Credentials per batch (`1..=1000`).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Whether malformed strings are kept for sending.
    pub fn allow_unverified(&self) -> bool {
        self.allow_unverified
    }

    /// How many [`Skipped`] details are kept.
    pub fn max_skipped_kept(&self) -> usize {
        self.max_skipped_kept
    }
}

/// An item set aside, with why and where. Holds only the redacted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Skipped {
    /// The redacted text (e.g. `ghp_M7H4…`), never the secret.
    pub credential: String,
    /// The kind its prefix suggests, if any.
    pub kind: Option<Kind>,
    /// Why it is not sent.
    pub reason: String,
    /// Where it was found.
    pub location: Location,
}

/// Totals of a [`Plan`]; see [`Plan`] for the identity they satisfy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct PlanCounts {
    /// Items fed, of every outcome.
    pub read: u64,
    /// Distinct well-formed, supported credentials (in batches).
    pub unique_valid: u64,
    /// Distinct malformed strings kept because of `allow_unverified` (in batches).
    pub unique_unverified: u64,
    /// Repeats of a string already in a batch.
    pub duplicates: u64,
    /// Malformed items set aside.
    pub invalid: u64,
    /// Well-formed but unsupported items (installation tokens) set aside.
    pub unsupported: u64,
    /// Items accepted in an earlier run, not batched again.
    pub already_done: u64,
}

impl PlanCounts {
    /// How many credentials the batches hold.
    pub fn to_send(&self) -> u64 {
        self.unique_valid + self.unique_unverified
    }

    /// Whether `read` equals the sum of all other counters (always true for a [`Plan`]).
    pub fn is_balanced(&self) -> bool {
        self.read
            == self.unique_valid
                + self.unique_unverified
                + self.duplicates
                + self.invalid
                + self.unsupported
                + self.already_done
    }
}

/// Deduplicated, batched credentials ready to send, and what was set aside.
///
/// A dry run, which sends nothing, can count the same input in far less memory with a
/// [`PlanTally`], which keeps no secrets.
///
/// ```
/// use gh_revoke::{Plan, PlanOptions, Lines};
/// let input = "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\n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\nnope\n";
/// let mut plan = Plan::new(PlanOptions::default());
/// for found in Lines::new(input.as_bytes(), "-") {
///     plan.add(found?);
/// }
/// let counts = plan.counts();
/// assert_eq!((counts.read, counts.unique_valid, counts.duplicates, counts.invalid), (3, 1, 1, 1));
/// let batch = plan.batches().next().unwrap();
/// assert_eq!(batch.expose_secrets().collect::<Vec<_>>(), ["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"]);
/// # Ok::<(), gh_revoke::LineError>(())
/// ```
///
///
/// # Counting
///
/// Every item passed to [`Plan::add`] is counted in `read` and in exactly one other counter,
/// so this identity always holds (see [`PlanCounts::is_balanced`]):
///
/// ```text
/// read = unique_valid + unique_unverified + duplicates + invalid + unsupported + already_done
/// ```
///
/// * `unique_valid`: first sighting of a well-formed, supported credential; it goes into a
///   batch.
/// * `unique_unverified`: first sighting of a malformed string kept for sending because the
///   caller opted in with [`PlanOptions::with_allow_unverified`]; it goes into a batch too.
/// * `duplicates`: a string already in a batch, seen again.
/// * `invalid` / `unsupported`: set aside as [`Skipped`], one per occurrence (repeats are
///   not deduped, so every location is reported).
/// * `already_done`: a string whose fingerprint was given to [`Plan::skip_fingerprints`]
///   (accepted in an earlier run), counted per occurrence.
///
/// # Memory
///
/// Secrets are stored in one arena of 1 MiB chunks (never reallocated, zeroized on drop),
/// addressed by one packed `u64` per credential; deduplication uses an open-addressing table
/// of `u32` indices plus a one-byte hash tag per slot, verified against the arena, so no
/// secret is ever stored twice. A million unique 40-character tokens take about
/// 40 MB of arena + 8 MiB of slots + 10 MiB of table; `scripts/bench.sh` measures the
/// whole CLI's peak RSS on such an input (see `BENCHMARKS.md`). A dry run, which needs no
/// secrets, counts with a [`PlanTally`] instead: about 20 bytes per
/// credential.
pub struct Plan {
    ledger: Ledger<Secrets>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("options", self.options())
            .field("counts", &self.counts())
            .field("batches", &self.batch_count())
            .field("skipped_kept", &self.skipped().len())
            .finish_non_exhaustive()
    }
}

impl Extend<Found> for Plan {
    fn extend<I: IntoIterator<Item = Found>>(&mut self, iter: I) {
        for found in iter {
            self.add(found);
        }
    }
}

impl Plan {
    /// An empty plan.
    pub fn new(options: PlanOptions) -> Self {
        Plan {
            ledger: Ledger::new(options, Secrets::new()),
        }
    }

    /// A plan fed with every item of `found`.
    pub fn from_found(options: PlanOptions, found: impl IntoIterator<Item = Found>) -> Self {
        let mut plan = Plan::new(options);
        plan.extend(found);
        plan
    }

    /// Marks credentials accepted in an earlier run (by fingerprint, e.g. from a journal):
    /// items added afterwards with one of these fingerprints are counted as `already_done`
    /// and not batched. Call it before adding.
    pub fn skip_fingerprints(&mut self, done: impl IntoIterator<Item = Fingerprint>) {
        self.ledger.skip_fingerprints(done);
    }

    /// The options this plan was made with.
    pub fn options(&self) -> &PlanOptions {
        self.ledger.options()
    }

    /// Feeds one item.
    pub fn add(&mut self, found: Found) {
        self.ledger.add(found);
    }

    /// The totals so far.
    pub fn counts(&self) -> PlanCounts {
        self.ledger.counts()
    }

    /// The items set aside (at most `max_skipped_kept` of them), in input order.
    pub fn skipped(&self) -> &[Skipped] {
        self.ledger.skipped()
    }

    /// Moves the kept [`Skipped`] details out (e.g. into a report, so they are not held
    /// twice), leaving [`Plan::skipped`] empty; the counts are unchanged.
    pub fn take_skipped(&mut self) -> Vec<Skipped> {
        self.ledger.take_skipped()
    }

    /// How many skipped items were counted but not kept in [`Plan::skipped`].
    pub fn skipped_not_kept(&self) -> u64 {
        self.ledger.skipped_not_kept()
    }

    /// How many credentials the batches hold.
    pub fn len(&self) -> usize {
        self.ledger.len()
    }

    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every credential to send, in first-seen order.
    pub fn credentials(&self) -> impl ExactSizeIterator<Item = Planned<'_>> + '_ {
        let secrets = self.ledger.store();
        secrets.slots.iter().map(|&slot| secrets.planned(slot))
    }

    /// Number of batches.
    pub fn batch_count(&self) -> usize {
        self.ledger.batch_count()
    }

    /// Batch `index` (0-based), if it exists.
    pub fn batch(&self, index: usize) -> Option<Batch<'_>> {
        Some(Batch {
            plan: self,
            index,
            range: self.ledger.batch_range(index)?,
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
    secret: &'a str,
    kind: Option<Kind>,
}

impl<'a> Planned<'a> {
    /// The full secret text, for the request body only.
    pub fn expose_secret(&self) -> &'a str {
        self.secret
    }

    /// The kind, or `None` for an unverified string (see
    /// [`PlanOptions::with_allow_unverified`]).
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
        let secrets = self.plan.ledger.store();
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
