//! [`Plan`]: dedupe found credentials, set aside what cannot be sent, and split the rest
//! into batches for `POST /credentials/revoke` (at most 1000 per request).

use std::borrow::Borrow;
use std::collections::HashSet;
use std::io::Read;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::credential::{Fingerprint, Kind};
use crate::input::{Found, InputError, InputMode, Location};
use ledger::Store;

mod batch;
mod ledger;
mod secrets;
mod tally;
#[cfg(test)]
mod tests;

pub use batch::{Batch, Batches};
pub use secrets::{Planned, Secrets};
pub use tally::{CountOnly, PlanTally};

/// The most credentials `POST /credentials/revoke` accepts in one request.
pub const MAX_BATCH_SIZE: usize = 1000;
/// Default number of [`Skipped`] details a plan keeps (the counts are always complete).
pub const DEFAULT_MAX_SKIPPED_KEPT: usize = 100_000;

/// A bad [`PlanOptions`] value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
/// `Plan` (that is, `Plan<Secrets>`) keeps every distinct secret so that it can be sent. A
/// dry run, which sends nothing, counts the same input in far less memory with a
/// [`PlanTally`] (`Plan<CountOnly>`): the same type, the same counting code, but each
/// distinct credential is remembered only by a 128-bit key.
///
/// ```
/// use gh_revoke::{Plan, PlanOptions};
/// let mut plan = Plan::new(PlanOptions::default());
/// plan.extend_strs([
///     "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",
///     "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",
///     "nope",
/// ]);
/// let counts = plan.counts();
/// assert_eq!((counts.read, counts.unique_valid, counts.duplicates, counts.invalid), (3, 1, 1, 1));
/// assert_eq!(plan.skipped()[0].location.to_string(), "<arg>:3:1");
/// let batch = plan.batches().next().unwrap();
/// assert_eq!(batch.expose_secrets().collect::<Vec<_>>(), ["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"]);
/// ```
///
/// Resuming after an interrupted run: the fingerprints accepted earlier (e.g.
/// `Journal::done`) are given at construction, so they apply to everything added.
///
/// ```
/// use gh_revoke::{Fingerprint, InputMode, Plan, PlanOptions};
/// let sent = "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";
/// let done = [Fingerprint::of(sent.as_bytes())];
/// let mut plan: Plan = Plan::resuming(PlanOptions::default(), done);
/// plan.read(format!("{sent}\n").as_bytes(), InputMode::Lines, "-")?;
/// assert_eq!((plan.counts().already_done, plan.len()), (1, 0));
/// # Ok::<(), gh_revoke::InputError>(())
/// ```
///
/// # Counting
///
/// Every item added (by [`Plan::add`], [`Plan::read`], [`Plan::extend_strs`] or
/// [`Extend`]) is counted in `read` and in exactly one other counter, so this identity
/// always holds (see [`PlanCounts::is_balanced`]):
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
/// * `already_done`: a string whose fingerprint was given to [`Plan::resuming`]
///   (accepted in an earlier run), counted per occurrence.
///
/// # Memory
///
/// Secrets are stored in one arena of 1 MiB chunks (never reallocated, zeroized on drop),
/// addressed by one packed `u64` per credential; deduplication uses a
/// [`hashbrown::HashTable`] of `u32` indices (plus its one control byte per bucket),
/// verified against the arena, so no secret is ever stored twice. Each credential's first
/// location is one more packed `u64` (input names are stored once). A million unique
/// 40-character tokens take about 40 MB of arena + 8 MiB of slots + 8 MiB of locations +
/// 10 MiB of table;
/// `scripts/bench.sh` measures the whole CLI's peak RSS on such an input (see
/// `BENCHMARKS.md`). A dry run, which needs no secrets, counts with a [`PlanTally`]
/// instead: about 20 bytes per credential.
pub struct Plan<S = Secrets> {
    options: PlanOptions,
    store: S,
    /// Fingerprints accepted in an earlier run.
    done: HashSet<Fingerprint>,
    counts: PlanCounts,
    skipped: Vec<Skipped>,
    skipped_not_kept: u64,
    /// Strings added by [`Plan::extend_strs`] so far, for their `<arg>:N` locations.
    strs_added: u64,
}

impl<S: Store> std::fmt::Debug for Plan<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(S::NAME)
            .field("options", self.options())
            .field("counts", &self.counts())
            .field("batches", &self.batch_count())
            .field("skipped_kept", &self.skipped().len())
            .finish_non_exhaustive()
    }
}

impl<S: Store> Extend<Found> for Plan<S> {
    fn extend<I: IntoIterator<Item = Found>>(&mut self, iter: I) {
        for found in iter {
            self.add(found);
        }
    }
}

/// The source name of strings added by [`Plan::extend_strs`].
const STR_SOURCE: &str = "<arg>";

impl<S: Store> Plan<S> {
    /// An empty plan. (`Plan::new` builds a [`Plan`], `PlanTally::new` a [`PlanTally`];
    /// where nothing else says which, write `let plan: Plan = Plan::new(..)`.)
    pub fn new(options: PlanOptions) -> Self {
        Plan {
            options,
            store: S::default(),
            done: HashSet::new(),
            counts: PlanCounts::default(),
            skipped: Vec::new(),
            skipped_not_kept: 0,
            strs_added: 0,
        }
    }

    /// An empty plan that resumes an earlier run: every item added whose fingerprint is in
    /// `done` (e.g. `journal.done()`) is counted as `already_done` and not batched.
    pub fn resuming<I>(options: PlanOptions, done: I) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<Fingerprint>,
    {
        let mut plan = Plan::new(options);
        plan.done = done.into_iter().map(|fp| *fp.borrow()).collect();
        plan
    }

    /// A plan fed with every item of `found`.
    pub fn from_found(options: PlanOptions, found: impl IntoIterator<Item = Found>) -> Self {
        let mut plan = Plan::new(options);
        plan.extend(found);
        plan
    }

    /// The options this plan was made with.
    pub fn options(&self) -> &PlanOptions {
        &self.options
    }

    /// Reads `reader` to the end in `mode` and adds what it holds; `source` names it in
    /// locations and errors (`-` for standard input). What was added before an error stays
    /// added. The same as [`feed`](crate::feed)`(self, mode, reader, source)`.
    pub fn read(
        &mut self,
        reader: impl Read,
        mode: InputMode,
        source: &str,
    ) -> Result<(), InputError> {
        crate::input::feed(self, mode, reader, source)
    }

    /// [`Plan::read`] for a file: in scan mode a regular file is read at positions by two
    /// threads that both read and scan (see [`Scanner::scan_file`](crate::Scanner::scan_file));
    /// the same as [`feed_file`](crate::feed_file)`(self, mode, file, source)`.
    pub fn read_file(
        &mut self,
        file: &std::fs::File,
        mode: InputMode,
        source: &str,
    ) -> Result<(), InputError> {
        crate::input::feed_file(self, mode, file, source)
    }

    /// Adds plain strings, one credential each (surrounding whitespace is not trimmed).
    /// Their location is `<arg>:N:1`, `N` counting the strings added this way from 1.
    pub fn extend_strs<I>(&mut self, strs: I)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let source: std::sync::Arc<str> = std::sync::Arc::from(STR_SOURCE);
        for text in strs {
            self.strs_added += 1;
            self.add(Found {
                location: Location {
                    source: source.clone(),
                    line: self.strs_added,
                    column: 1,
                    offset: 0,
                    encoding: None,
                },
                item: crate::credential::classify(text.as_ref().as_bytes()),
            });
        }
    }

    /// The totals so far.
    pub fn counts(&self) -> PlanCounts {
        self.counts
    }

    /// The items set aside (at most `max_skipped_kept` of them), in input order.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Moves the kept [`Skipped`] details out (e.g. into a report, so they are not held
    /// twice), leaving [`Plan::skipped`] empty; the counts are unchanged.
    pub fn take_skipped(&mut self) -> Vec<Skipped> {
        std::mem::take(&mut self.skipped)
    }

    /// How many skipped items were counted but not kept in [`Plan::skipped`].
    pub fn skipped_not_kept(&self) -> u64 {
        self.skipped_not_kept
    }

    /// How many credentials the batches hold.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of batches: those of valid credentials, then those of unverified strings.
    pub fn batch_count(&self) -> usize {
        let size = self.options.batch_size;
        let lane = |n: u64| usize::try_from(n).unwrap_or(usize::MAX).div_ceil(size);
        lane(self.counts.unique_valid).saturating_add(lane(self.counts.unique_unverified))
    }

    /// The size of each batch, in order: valid credentials first, each batch full except
    /// possibly the last of them; then unverified strings (see
    /// [`PlanOptions::with_allow_unverified`]) in batches of their own, likewise.
    pub fn batch_sizes(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        (0..self.batch_count()).map(|index| self.batch_range(index).map_or(0, |(_, r)| r.len()))
    }

    /// Whether batch `index` holds unverified strings (they are never mixed with valid
    /// credentials), or `None` if there is no such batch.
    pub fn batch_is_unverified(&self, index: usize) -> Option<bool> {
        self.batch_range(index).map(|(unverified, _)| unverified)
    }
}
