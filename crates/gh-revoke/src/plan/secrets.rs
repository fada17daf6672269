//! Every secret to send, once: an arena of fixed chunks and a hash table over it, and
//! [`Planned`], the view of one of them.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Arc;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use zeroize::Zeroizing;

use super::ledger::{Inserted, Store};
use crate::credential::{Fingerprint, Kind, MAX_TOKEN_LEN, redact};
use crate::input::Location;

const CHUNK_BITS: u32 = 20;
const CHUNK_SIZE: usize = 1 << CHUNK_BITS;
const MAX_CHUNKS: usize = 1 << CHUNK_BITS;
const OFFSET_BITS: u32 = 2 * CHUNK_BITS;
const LEN_BITS: u32 = 11;

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

pub(super) fn pack(offset: u64, len: usize, kind: Option<Kind>) -> u64 {
    offset
        | ((len as u64) << OFFSET_BITS)
        | (u64::from(kind.map_or(0, Kind::code)) << (OFFSET_BITS + LEN_BITS))
}

pub(super) fn unpack(slot: u64) -> (u64, usize, Option<Kind>) {
    let offset = slot & ((1 << OFFSET_BITS) - 1);
    let len = ((slot >> OFFSET_BITS) & ((1 << LEN_BITS) - 1)) as usize;
    let code = (slot >> (OFFSET_BITS + LEN_BITS)) as u8;
    (offset, len, Kind::from_code(code))
}

/// Where credentials were first seen, one packed `u64` each: the source (an index into
/// `sources`, which holds each input name once), the line and the column. The rare location
/// that does not fit (a line past 2³², a column past 4095, over 2¹⁹ inputs) is kept as text
/// in `odd` and the packed value is its index with the top bit set.
#[derive(Default, PartialEq, Eq)]
pub(super) struct Locations {
    sources: Vec<Arc<str>>,
    odd: Vec<Box<str>>,
}

const SOURCE_BITS: u32 = 19;
const LINE_BITS: u32 = 32;
const COLUMN_BITS: u32 = 12;
const ODD: u64 = 1 << 63;

impl Locations {
    /// The packed form of `location`.
    fn pack(&mut self, location: &Location) -> u64 {
        let same =
            |known: &Arc<str>| Arc::ptr_eq(known, &location.source) || **known == *location.source;
        let source = match self.sources.last() {
            Some(last) if same(last) => self.sources.len() - 1,
            _ => {
                self.sources.push(location.source.clone());
                self.sources.len() - 1
            }
        };
        let fits = (source as u64) < 1 << SOURCE_BITS
            && location.line < 1 << LINE_BITS
            && location.column < 1 << COLUMN_BITS;
        if fits {
            ((source as u64) << (LINE_BITS + COLUMN_BITS))
                | (location.line << COLUMN_BITS)
                | location.column
        } else {
            self.odd.push(location.to_string().into_boxed_str());
            ODD | (self.odd.len() - 1) as u64
        }
    }

    /// `source:line:column` of a packed location.
    pub(super) fn show(&self, packed: u64) -> String {
        if packed & ODD != 0 {
            let index = (packed & !ODD) as usize;
            return self
                .odd
                .get(index)
                .map(|s| s.to_string())
                .unwrap_or_default();
        }
        let source = (packed >> (LINE_BITS + COLUMN_BITS)) as usize;
        let line = (packed >> COLUMN_BITS) & ((1 << LINE_BITS) - 1);
        let column = packed & ((1 << COLUMN_BITS) - 1);
        let name = self.sources.get(source).map_or("?", |s| s);
        format!("{name}:{line}:{column}")
    }
}

/// One lane of credentials in first-seen order: packed (offset, len, kind) slots and, in
/// the same order, packed first locations.
#[derive(Default)]
pub(super) struct Lane {
    pub(super) slots: Vec<u64>,
    pub(super) locations: Vec<u64>,
}

/// Table indices at or above this are in the unverified lane.
const UNVERIFIED: u32 = 1 << 31;

/// One credential in a [`Plan`](super::Plan), borrowed from its arena. `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Planned<'a> {
    pub(super) secret: &'a str,
    pub(super) kind: Option<Kind>,
    /// Where it was first seen, packed (see `Locations`).
    pub(super) location: u64,
    pub(super) places: &'a Locations,
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

    /// Where it was first seen, as `source:line:column` (the byte offset is not kept).
    pub fn location(&self) -> String {
        self.places.show(self.location)
    }
}

impl std::fmt::Debug for Planned<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planned")
            .field("kind", &self.kind)
            .field("secret", &self.redacted())
            .field("location", &self.location())
            .finish()
    }
}

/// What a [`Plan`](super::Plan) keeps of each distinct credential: the secret itself, so
/// that it can be sent, and where it was first seen. An arena of 1 MiB chunks, one packed
/// slot and one packed location per credential in first-seen order, valid credentials and
/// unverified strings in two lanes (sent in batches of their own, valid ones first), and a
/// [`HashTable`] of indices into the lanes (see the [`Plan`](super::Plan) docs on memory).
/// Zeroized on drop.
#[derive(Default)]
pub struct Secrets {
    arena: Arena,
    /// Well-formed, supported credentials.
    pub(super) valid: Lane,
    /// Strings kept by `allow_unverified`.
    pub(super) unverified: Lane,
    pub(super) places: Locations,
    /// Indices into the lanes (`UNVERIFIED` and up: the unverified lane), hashed by their
    /// secret's text.
    table: HashTable<u32>,
    hasher: RandomState,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("valid", &self.valid.slots.len())
            .field("unverified", &self.unverified.slots.len())
            .finish_non_exhaustive()
    }
}

impl Store for Secrets {
    const NAME: &'static str = "Plan";

    fn insert(
        &mut self,
        secret: &[u8],
        kind: Option<Kind>,
        _: Option<Fingerprint>,
        location: &Location,
    ) -> Inserted {
        let lane_full = |lane: &Lane| lane.slots.len() >= (UNVERIFIED - 1) as usize;
        let full = if kind.is_some() {
            lane_full(&self.valid)
        } else {
            lane_full(&self.unverified)
        };
        if secret.len() > MAX_TOKEN_LEN || full {
            return Inserted::Full;
        }
        let Secrets {
            arena,
            valid,
            unverified,
            places,
            table,
            hasher,
        } = self;
        let lanes = (&valid.slots[..], &unverified.slots[..]);
        let hash = hasher.hash_one(secret);
        // Grow at 3/4 load (hashbrown's capacity is 7/8 of its buckets) by inserting the
        // slots in order into a table twice the size, rather than letting hashbrown grow at
        // 7/8 load: its rehash walks the buckets in table order, which reads the slots and
        // the arena in random order (a cache miss per credential, +0.4 s of CPU at 1M).
        // Growing earlier also holds the old and the new table at once while the arena is
        // smaller, so a large plan's peak memory stays where the hand-written table had it.
        let stored = lanes.0.len() + lanes.1.len();
        if (stored + 1) * 7 > table.capacity() * 6 {
            let mut grown = HashTable::with_capacity(table.capacity() + 1);
            let indices =
                (0..lanes.0.len() as u32).chain((0..lanes.1.len() as u32).map(|i| i | UNVERIFIED));
            for index in indices {
                let hash = hasher.hash_one(secret_at(arena, lanes, index));
                grown.insert_unique(hash, index, |&i| {
                    hasher.hash_one(secret_at(arena, lanes, i))
                });
            }
            *table = grown;
        }
        let entry = table.entry(
            hash,
            |&index| secret_at(arena, lanes, index) == secret,
            |&index| hasher.hash_one(secret_at(arena, lanes, index)),
        );
        let Entry::Vacant(vacant) = entry else {
            return Inserted::Duplicate;
        };
        let Some(offset) = arena.push(secret) else {
            return Inserted::Full;
        };
        let (lane, tag) = if kind.is_some() {
            (valid, 0)
        } else {
            (unverified, UNVERIFIED)
        };
        let index = lane.slots.len() as u32 | tag;
        lane.slots.push(pack(offset, secret.len(), kind));
        lane.locations.push(places.pack(location));
        vacant.insert(index);
        Inserted::New
    }

    fn len(&self) -> usize {
        self.valid.slots.len() + self.unverified.slots.len()
    }
}

fn secret_at<'a>(arena: &'a Arena, (valid, unverified): (&[u64], &[u64]), index: u32) -> &'a [u8] {
    let slot = if index & UNVERIFIED == 0 {
        valid.get(index as usize)
    } else {
        unverified.get((index & !UNVERIFIED) as usize)
    };
    slot.map_or(&[][..], |&slot| secret_of(arena, slot))
}

fn secret_of(arena: &Arena, slot: u64) -> &[u8] {
    let (offset, len, _) = unpack(slot);
    arena.get(offset, len)
}

impl Secrets {
    pub(super) fn planned(&self, slot: u64, location: u64) -> Planned<'_> {
        let (_, _, kind) = unpack(slot);
        // Only UTF-8 text is ever stored, so this never falls back.
        let secret = std::str::from_utf8(secret_of(&self.arena, slot)).unwrap_or_default();
        Planned {
            secret,
            kind,
            location,
            places: &self.places,
        }
    }

    /// The credentials of `lane` at `range`, in order.
    pub(super) fn lane_credentials(
        &self,
        unverified: bool,
        range: std::ops::Range<usize>,
    ) -> impl ExactSizeIterator<Item = Planned<'_>> + '_ {
        let lane = if unverified {
            &self.unverified
        } else {
            &self.valid
        };
        let slots = lane.slots.get(range.clone()).unwrap_or_default();
        let locations = lane.locations.get(range).unwrap_or_default();
        slots
            .iter()
            .zip(locations)
            .map(move |(&slot, &location)| self.planned(slot, location))
    }
}
