//! [`Plan`]: dedupe found credentials, set aside what cannot be sent, and split the rest
//! into batches for `POST /credentials/revoke` (at most 1000 per request).
//!
//! # Counting
//!
//! Every item passed to [`Plan::add`] is counted in `read` and in exactly one other counter,
//! so this identity always holds (see [`PlanCounts::is_balanced`]):
//!
//! ```text
//! read = unique_valid + unique_unverified + duplicates + invalid + unsupported + already_done
//! ```
//!
//! * `unique_valid`: first sighting of a well-formed, supported credential; it goes into a
//!   batch.
//! * `unique_unverified`: first sighting of a malformed string kept for sending because the
//!   caller opted in with [`PlanOptions::with_allow_unverified`]; it goes into a batch too.
//! * `duplicates`: a string already in a batch, seen again.
//! * `invalid` / `unsupported`: set aside as [`Skipped`], one per occurrence (repeats are
//!   not deduped, so every location is reported).
//! * `already_done`: a string whose fingerprint was given to [`Plan::skip_fingerprints`]
//!   (accepted in an earlier run), counted per occurrence.
//!
//! # Memory
//!
//! Secrets are stored in one arena of 1 MiB chunks (never reallocated, zeroized on drop),
//! addressed by one packed `u64` per credential; deduplication uses an open-addressing table
//! of `u32` indices plus a one-byte hash tag per slot, verified against the arena, so no
//! secret is ever stored twice. A million unique 40-character tokens take about
//! 40 MB of arena + 8 MiB of slots + 10 MiB of table; `scripts/bench.sh` measures the
//! whole CLI's peak RSS on such an input (see `BENCHMARKS.md`). A dry run, which needs no
//! secrets, counts with a [`PlanTally`](crate::PlanTally) instead: about 20 bytes per
//! credential.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{Classified, Fingerprint, Found, Kind, Location, MAX_TOKEN_LEN, redact};

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
    /// Only non-empty UTF-8 strings of at most [`MAX_TOKEN_LEN`] bytes are kept; others stay
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

/// Totals of a [`Plan`]; see the [module docs](self) for the identity they satisfy.
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

const CHUNK_BITS: u32 = 20;
const CHUNK_SIZE: usize = 1 << CHUNK_BITS;
const MAX_CHUNKS: usize = 1 << CHUNK_BITS;
const OFFSET_BITS: u32 = 2 * CHUNK_BITS;
const LEN_BITS: u32 = 11;
const EMPTY: u32 = u32::MAX;

/// Append-only secret storage in fixed 1 MiB chunks: pushing never moves existing bytes,
/// so no unzeroized copy is ever left behind by a reallocation.
#[derive(Default)]
struct Arena {
    chunks: Vec<Zeroizing<Vec<u8>>>,
}

impl Arena {
    /// Stores `bytes` (at most [`MAX_TOKEN_LEN`]); returns its packed offset, or `None` if
    /// the arena is full (1 TiB).
    fn push(&mut self, bytes: &[u8]) -> Option<u64> {
        let fits = |chunk: &Zeroizing<Vec<u8>>| chunk.len() + bytes.len() <= CHUNK_SIZE;
        if !self.chunks.last().is_some_and(fits) {
            if self.chunks.len() >= MAX_CHUNKS {
                return None;
            }
            self.chunks
                .push(Zeroizing::new(Vec::with_capacity(CHUNK_SIZE)));
        }
        let index = self.chunks.len() - 1;
        let chunk = self.chunks.last_mut()?;
        let start = chunk.len();
        chunk.extend_from_slice(bytes);
        Some(((index as u64) << CHUNK_BITS) | start as u64)
    }

    fn get(&self, offset: u64, len: usize) -> &[u8] {
        let chunk = (offset >> CHUNK_BITS) as usize;
        let start = (offset & (CHUNK_SIZE as u64 - 1)) as usize;
        self.chunks
            .get(chunk)
            .and_then(|c| c.get(start..start + len))
            .unwrap_or_default()
    }
}

fn pack(offset: u64, len: usize, kind: Option<Kind>) -> u64 {
    offset
        | ((len as u64) << OFFSET_BITS)
        | (u64::from(kind.map_or(0, Kind::code)) << (OFFSET_BITS + LEN_BITS))
}

fn unpack(slot: u64) -> (u64, usize, Option<Kind>) {
    let offset = slot & ((1 << OFFSET_BITS) - 1);
    let len = ((slot >> OFFSET_BITS) & ((1 << LEN_BITS) - 1)) as usize;
    let code = (slot >> (OFFSET_BITS + LEN_BITS)) as u8;
    (offset, len, Kind::from_code(code))
}

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

/// Every secret to send, once: an arena, one packed slot per credential in first-seen
/// order, and an open-addressing table over the slots (see the [module docs](self)).
struct Secrets {
    arena: Arena,
    /// Packed (offset, len, kind) per credential to send, in first-seen order.
    slots: Vec<u64>,
    /// Open-addressing table of indices into `slots` (`EMPTY` = free); length a power of two.
    table: Vec<u32>,
    /// Top 7 bits of each table entry's hash, to skip most arena comparisons.
    tags: Vec<u8>,
    hasher: std::collections::hash_map::RandomState,
}

impl Store for Secrets {
    fn insert(&mut self, secret: &[u8], kind: Option<Kind>, _: Option<Fingerprint>) -> Inserted {
        if secret.len() > MAX_TOKEN_LEN || self.slots.len() >= EMPTY as usize {
            return Inserted::Full;
        }
        // Keep the load factor at most 3/4.
        if (self.slots.len() + 1) * 4 > self.table.len() * 3 {
            self.grow();
        }
        let hash = self.hasher.hash_one(secret);
        let tag = (hash >> 57) as u8;
        let mask = self.table.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let index = self.table.get(i).copied().unwrap_or(EMPTY);
            if index == EMPTY {
                break;
            }
            if self.tags.get(i) == Some(&tag) && self.slot_secret(index) == secret {
                return Inserted::Duplicate;
            }
            i = (i + 1) & mask;
        }
        let Some(offset) = self.arena.push(secret) else {
            return Inserted::Full;
        };
        let index = self.slots.len() as u32;
        self.slots.push(pack(offset, secret.len(), kind));
        if let (Some(t), Some(g)) = (self.table.get_mut(i), self.tags.get_mut(i)) {
            *t = index;
            *g = tag;
        }
        Inserted::New
    }

    fn len(&self) -> usize {
        self.slots.len()
    }
}

impl Secrets {
    fn new() -> Self {
        Secrets {
            arena: Arena::default(),
            slots: Vec::new(),
            table: Vec::new(),
            tags: Vec::new(),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }

    fn secret_of(&self, slot: u64) -> &[u8] {
        let (offset, len, _) = unpack(slot);
        self.arena.get(offset, len)
    }

    fn slot_secret(&self, index: u32) -> &[u8] {
        self.slots
            .get(index as usize)
            .map_or(&[][..], |&slot| self.secret_of(slot))
    }

    fn grow(&mut self) {
        let capacity = (self.table.len() * 2).max(16);
        let mask = capacity - 1;
        let mut table = vec![EMPTY; capacity];
        let mut tags = vec![0u8; capacity];
        for (index, &slot) in self.slots.iter().enumerate() {
            let hash = self.hasher.hash_one(self.secret_of(slot));
            let mut i = hash as usize & mask;
            while table.get(i).is_some_and(|&t| t != EMPTY) {
                i = (i + 1) & mask;
            }
            if let (Some(t), Some(g)) = (table.get_mut(i), tags.get_mut(i)) {
                *t = index as u32;
                *g = (hash >> 57) as u8;
            }
        }
        self.table = table;
        self.tags = tags;
    }

    fn planned(&self, slot: u64) -> Planned<'_> {
        let (_, _, kind) = unpack(slot);
        // Only UTF-8 text is ever stored, so this never falls back.
        let secret = std::str::from_utf8(self.secret_of(slot)).unwrap_or_default();
        Planned { secret, kind }
    }
}

/// Deduplicated, batched credentials ready to send, and what was set aside.
///
/// A dry run, which sends nothing, can count the same input in far less memory with a
/// [`PlanTally`](crate::PlanTally), which keeps no secrets.
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::classify;
    use crate::test_support::{assert_no_leak, fine_grained, fixture, new_installation};

    fn found(text: &str, line: u64) -> Found {
        Found {
            location: Location {
                source: Arc::from("in"),
                line,
                column: 1,
                offset: 0,
            },
            item: classify(text.as_bytes()),
        }
    }

    fn plan_of(options: PlanOptions, texts: &[String]) -> Plan {
        Plan::from_found(
            options,
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| found(t, i as u64 + 1)),
        )
    }

    fn all_sent(plan: &Plan) -> Vec<String> {
        plan.batches()
            .flat_map(|b| b.expose_secrets().map(str::to_owned).collect::<Vec<_>>())
            .collect()
    }

    #[test]
    fn options_validate_batch_size() {
        assert_eq!(PlanOptions::new(0), Err(PlanError::BatchSize { found: 0 }));
        assert_eq!(
            PlanOptions::new(1001),
            Err(PlanError::BatchSize { found: 1001 })
        );
        assert!(
            PlanError::BatchSize { found: 0 }
                .to_string()
                .contains("between 1 and 1000")
        );
        assert_eq!(PlanOptions::new(1).map(|o| o.batch_size()), Ok(1));
        assert_eq!(PlanOptions::default().batch_size(), 1000);
        assert!(!PlanOptions::default().allow_unverified());
    }

    #[test]
    fn dedupes_and_counts() {
        let a = fixture(Kind::ClassicPat, 1);
        let b = fine_grained(2);
        let c = fixture(Kind::OAuth, 3);
        let ghs = new_installation(4);
        let texts = vec![
            a.clone(),
            b.clone(),
            a.clone(),
            "nonsense".to_owned(),
            ghs.clone(),
            c.clone(),
            b.clone(),
            a.clone(),
            ghs,
            "ghp_1234567890abcdef1234567890abcdef12345678".to_owned(),
        ];
        let plan = plan_of(PlanOptions::default(), &texts);
        let counts = plan.counts();
        assert_eq!(
            counts,
            PlanCounts {
                read: 10,
                unique_valid: 3,
                unique_unverified: 0,
                duplicates: 3,
                invalid: 2,
                unsupported: 2,
                already_done: 0,
            }
        );
        assert!(counts.is_balanced());
        assert_eq!(all_sent(&plan), [a.clone(), b, c]);
        let skipped = plan.skipped();
        assert_eq!(skipped.len(), 4);
        assert_eq!(skipped[0].location.line, 4);
        assert_eq!(skipped[0].kind, None);
        assert_eq!(skipped[1].kind, Some(Kind::Installation));
        assert!(skipped[1].reason.contains("DELETE /installation/token"));
        assert_eq!(skipped[3].kind, Some(Kind::ClassicPat));
        assert_eq!(skipped[3].credential, "ghp_1234…");
        assert!(skipped[3].reason.contains("expected 40"));
        for s in skipped {
            for t in &texts {
                assert_no_leak(&serde_json::to_string(s).unwrap_or_default(), t);
            }
        }
        let planned: Vec<_> = plan.credentials().collect();
        assert_eq!(planned[0].kind(), Some(Kind::ClassicPat));
        assert_eq!(planned[0].fingerprint(), Fingerprint::of(a.as_bytes()));
        assert_no_leak(&format!("{planned:?} {plan:?}"), &a);
    }

    #[test]
    fn batches_of_1000_1000_500() {
        let texts: Vec<String> = (0..2500).map(|i| fixture(Kind::ClassicPat, i)).collect();
        let plan = plan_of(PlanOptions::default(), &texts);
        assert_eq!(plan.counts().unique_valid, 2500);
        let sizes: Vec<usize> = plan.batches().map(|b| b.len()).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert_eq!(plan.batches().len(), 3);
        assert_eq!(plan.batch_count(), 3);
        assert!(plan.batch(3).is_none());
        let last = plan.batch(2).unwrap();
        assert_eq!(last.index(), 2);
        assert_eq!(last.expose_secrets().next(), Some(texts[2000].as_str()));
        let fps: Vec<_> = last.fingerprints().collect();
        assert_eq!(fps[499], Fingerprint::of(texts[2499].as_bytes()));
        assert_eq!(all_sent(&plan), texts);
    }

    #[test]
    fn small_batch_size() {
        let texts: Vec<String> = (0..7).map(|i| fixture(Kind::Refresh, i)).collect();
        let plan = plan_of(PlanOptions::new(3).unwrap(), &texts);
        let sizes: Vec<usize> = plan.batches().map(|b| b.len()).collect();
        assert_eq!(sizes, [3, 3, 1]);
        let empty = Plan::new(PlanOptions::default());
        assert!(empty.is_empty());
        assert_eq!(empty.batches().count(), 0);
    }

    #[test]
    fn allow_unverified_keeps_odd_strings_but_not_installation_tokens() {
        let a = fixture(Kind::ClassicPat, 1);
        let docs = "ghp_1234567890abcdef1234567890abcdef12345678".to_owned();
        let texts = [
            a.clone(),
            docs.clone(),
            "hunter2".to_owned(),
            docs.clone(),
            String::new(),
            new_installation(3),
            fixture(Kind::Installation, 4),
            "x".repeat(MAX_TOKEN_LEN + 1),
        ];
        let mut plan = Plan::new(PlanOptions::default().with_allow_unverified(true));
        plan.extend(texts.iter().enumerate().map(|(i, t)| found(t, i as u64)));
        // Non-UTF-8 stays skipped too.
        plan.add(Found {
            location: Location {
                source: Arc::from("in"),
                line: 99,
                column: 1,
                offset: 0,
            },
            item: classify(b"ghp_\xff\xfe"),
        });
        let counts = plan.counts();
        assert_eq!(
            counts,
            PlanCounts {
                read: 9,
                unique_valid: 1,
                unique_unverified: 2,
                duplicates: 1,
                invalid: 3,
                unsupported: 2,
                already_done: 0,
            }
        );
        assert!(counts.is_balanced());
        assert_eq!(counts.to_send(), 3);
        assert_eq!(all_sent(&plan), [a, docs, "hunter2".to_owned()]);
        let kinds: Vec<_> = plan.credentials().map(|c| c.kind()).collect();
        assert_eq!(kinds, [Some(Kind::ClassicPat), None, None]);
    }

    #[test]
    fn already_done_is_not_batched() {
        let a = fixture(Kind::ClassicPat, 1);
        let b = fixture(Kind::ClassicPat, 2);
        let mut plan = Plan::new(PlanOptions::default());
        plan.skip_fingerprints([Fingerprint::of(a.as_bytes())]);
        plan.extend([found(&a, 1), found(&b, 2), found(&a, 3), found(&b, 4)]);
        let counts = plan.counts();
        assert_eq!(counts.already_done, 2);
        assert_eq!(counts.unique_valid, 1);
        assert_eq!(counts.duplicates, 1);
        assert!(counts.is_balanced());
        assert_eq!(all_sent(&plan), [b]);
    }

    #[test]
    fn skipped_details_are_capped_but_counted() {
        let texts: Vec<String> = (0..10).map(|i| format!("junk {i}")).collect();
        let plan = plan_of(PlanOptions::default().with_max_skipped_kept(4), &texts);
        assert_eq!(plan.skipped().len(), 4);
        assert_eq!(plan.skipped_not_kept(), 6);
        assert_eq!(plan.counts().invalid, 10);
    }

    #[test]
    fn table_growth_keeps_everything_findable() {
        let texts: Vec<String> = (0..20_000)
            .map(|i| fixture(Kind::UserToServer, i))
            .collect();
        let mut plan = plan_of(PlanOptions::default(), &texts);
        plan.extend(texts.iter().map(|t| found(t, 0)));
        let counts = plan.counts();
        assert_eq!((counts.unique_valid, counts.duplicates), (20_000, 20_000));
        assert_eq!(all_sent(&plan), texts);
    }

    #[test]
    fn packing_round_trips() {
        for kind in [None, Some(Kind::FineGrainedPat), Some(Kind::Installation)] {
            for (offset, len) in [(0, 0), (12_345, 40), ((1u64 << 40) - 1, MAX_TOKEN_LEN)] {
                assert_eq!(unpack(pack(offset, len, kind)), (offset, len, kind));
            }
        }
    }

    fn pool() -> Vec<String> {
        let classic = [
            Kind::ClassicPat,
            Kind::OAuth,
            Kind::UserToServer,
            Kind::Refresh,
            Kind::Installation,
        ];
        let mut pool: Vec<String> = (0..11)
            .map(|i| fixture(classic[i as usize % 5], i))
            .collect();
        pool.push(String::new());
        pool.push(fine_grained(40));
        pool.push(new_installation(41));
        pool.push("not a token".to_owned());
        pool.push("ghp_1234567890abcdef1234567890abcdef12345678".to_owned());
        pool
    }

    proptest! {
        #[test]
        fn every_unique_valid_input_in_exactly_one_batch(
            picks in proptest::collection::vec(0usize..16, 0..300),
            batch_size in 1usize..=20,
            unverified in any::<bool>(),
            done_mask in any::<u16>(),
        ) {
            let pool = pool();
            let texts: Vec<String> = picks.iter().map(|&i| pool[i].clone()).collect();
            let done: Vec<Fingerprint> = pool
                .iter()
                .enumerate()
                .filter(|(i, _)| done_mask & (1 << i) != 0)
                .map(|(_, t)| Fingerprint::of(t.as_bytes()))
                .collect();
            let options = PlanOptions::new(batch_size)
                .unwrap()
                .with_allow_unverified(unverified);
            let build = |texts: &[String]| {
                let mut plan = Plan::new(options);
                plan.skip_fingerprints(done.iter().copied());
                plan.extend(texts.iter().map(|t| found(t, 1)));
                plan
            };
            let plan = build(&texts);
            let counts = plan.counts();
            prop_assert!(counts.is_balanced());
            prop_assert_eq!(counts.read, texts.len() as u64);
            prop_assert!(plan.batches().all(|b| (1..=batch_size).contains(&b.len())));

            // Expected: first-seen order of sendable, not-done, distinct texts.
            let mut expected: Vec<String> = Vec::new();
            for t in &texts {
                let sendable = match classify(t.as_bytes()) {
                    Classified::Valid(_) => true,
                    Classified::Invalid { .. } => unverified && !t.is_empty(),
                    Classified::Unsupported { .. } => false,
                };
                let is_done = done.contains(&Fingerprint::of(t.as_bytes()));
                if sendable && !is_done && !expected.contains(t) {
                    expected.push(t.clone());
                }
            }
            let sent = all_sent(&plan);
            prop_assert_eq!(&sent, &expected);
            prop_assert_eq!(counts.to_send(), sent.len() as u64);

            // Counts do not depend on input order.
            let mut reversed = texts.clone();
            reversed.reverse();
            prop_assert_eq!(build(&reversed).counts(), counts);
        }
    }

    /// A pool large enough for batches of up to [`MAX_BATCH_SIZE`]: `n` distinct valid tokens
    /// of every sendable kind, plus the small mixed pool (invalid, unsupported, empty).
    fn large_pool() -> &'static [String] {
        static POOL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        POOL.get_or_init(|| make_large_pool(2_400))
    }

    fn make_large_pool(n: u64) -> Vec<String> {
        let kinds = [
            Kind::ClassicPat,
            Kind::OAuth,
            Kind::UserToServer,
            Kind::Refresh,
        ];
        let mut large: Vec<String> = (0..n)
            .map(|i| match i % 5 {
                4 => fine_grained(1000 + i),
                k => fixture(kinds[k as usize], 1000 + i),
            })
            .collect();
        large.extend(pool());
        large
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Any permutation of the input (not only its reverse) gives the same counts, the same
        /// set of credentials and the same batch shape: every batch full but the last, and
        /// `ceil(n / batch_size)` of them, each credential in exactly one.
        #[test]
        fn any_order_gives_the_same_counts_and_batch_shapes(
            (picks, shuffled) in proptest::collection::vec(0usize..2_416, 0..2_600)
                .prop_flat_map(|picks| (Just(picks.clone()), Just(picks).prop_shuffle())),
            batch_size in prop_oneof![1usize..=8, 990usize..=MAX_BATCH_SIZE, 1usize..=MAX_BATCH_SIZE],
        ) {
            let pool = large_pool();
            let build = |picks: &[usize]| {
                let mut plan = Plan::new(PlanOptions::new(batch_size).unwrap());
                plan.extend(picks.iter().map(|&i| found(&pool[i], 1)));
                plan
            };
            let (plan, other) = (build(&picks), build(&shuffled));
            prop_assert_eq!(plan.counts(), other.counts());

            let sent = all_sent(&plan);
            let mut sorted = sent.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), sent.len(), "a credential is in two batches");
            let mut other_sent = all_sent(&other);
            other_sent.sort();
            prop_assert_eq!(&sorted, &other_sent);
            let valid: std::collections::HashSet<&String> = picks
                .iter()
                .map(|&i| &pool[i])
                .filter(|t| classify(t.as_bytes()).is_valid())
                .collect();
            prop_assert_eq!(sorted.len(), valid.len(), "a valid input is missing");

            let n = plan.len();
            prop_assert_eq!(plan.batch_count(), n.div_ceil(batch_size));
            for batch in plan.batches() {
                prop_assert!(batch.len() <= batch_size && batch.len() <= MAX_BATCH_SIZE);
                if batch.index() + 1 < plan.batch_count() {
                    prop_assert_eq!(batch.len(), batch_size, "a batch before the last is short");
                }
            }
        }
    }
}
