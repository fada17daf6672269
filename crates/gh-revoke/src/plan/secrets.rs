//! Every secret to send, once: an arena of fixed chunks and a hash table over it.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use zeroize::Zeroizing;

use super::Planned;
use super::ledger::{Inserted, Store};
use crate::credential::{Fingerprint, Kind, MAX_TOKEN_LEN};

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

/// What a [`Plan`](super::Plan) keeps of each distinct credential: the secret itself, so
/// that it can be sent. An arena of 1 MiB chunks, one packed slot per credential in
/// first-seen order, and a [`HashTable`] of indices into the slots (see the
/// [`Plan`](super::Plan) docs on memory). Zeroized on drop.
#[derive(Default)]
pub struct Secrets {
    arena: Arena,
    /// Packed (offset, len, kind) per credential to send, in first-seen order.
    pub(super) slots: Vec<u64>,
    /// Indices into `slots`, hashed by their secret's text.
    table: HashTable<u32>,
    hasher: RandomState,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("len", &self.slots.len())
            .finish_non_exhaustive()
    }
}

impl Store for Secrets {
    const NAME: &'static str = "Plan";

    fn insert(&mut self, secret: &[u8], kind: Option<Kind>, _: Option<Fingerprint>) -> Inserted {
        if secret.len() > MAX_TOKEN_LEN || self.slots.len() >= u32::MAX as usize {
            return Inserted::Full;
        }
        let Secrets {
            arena,
            slots,
            table,
            hasher,
        } = self;
        let hash = hasher.hash_one(secret);
        // Grow at 3/4 load (hashbrown's capacity is 7/8 of its buckets) by inserting the
        // slots in order into a table twice the size, rather than letting hashbrown grow at
        // 7/8 load: its rehash walks the buckets in table order, which reads the slots and
        // the arena in random order (a cache miss per credential, +0.4 s of CPU at 1M).
        // Growing earlier also holds the old and the new table at once while the arena is
        // smaller, so a large plan's peak memory stays where the hand-written table had it.
        if (slots.len() + 1) * 7 > table.capacity() * 6 {
            let mut grown = HashTable::with_capacity(table.capacity() + 1);
            for (index, &slot) in slots.iter().enumerate() {
                let hash = hasher.hash_one(secret_of(arena, slot));
                grown.insert_unique(hash, index as u32, |&i| {
                    hasher.hash_one(secret_at(arena, slots, i))
                });
            }
            *table = grown;
        }
        let entry = table.entry(
            hash,
            |&index| secret_at(arena, slots, index) == secret,
            |&index| hasher.hash_one(secret_at(arena, slots, index)),
        );
        let Entry::Vacant(vacant) = entry else {
            return Inserted::Duplicate;
        };
        let Some(offset) = arena.push(secret) else {
            return Inserted::Full;
        };
        let index = slots.len() as u32;
        slots.push(pack(offset, secret.len(), kind));
        vacant.insert(index);
        Inserted::New
    }

    fn len(&self) -> usize {
        self.slots.len()
    }
}

fn secret_at<'a>(arena: &'a Arena, slots: &[u64], index: u32) -> &'a [u8] {
    slots
        .get(index as usize)
        .map_or(&[][..], |&slot| secret_of(arena, slot))
}

fn secret_of(arena: &Arena, slot: u64) -> &[u8] {
    let (offset, len, _) = unpack(slot);
    arena.get(offset, len)
}

impl Secrets {
    pub(super) fn planned(&self, slot: u64) -> Planned<'_> {
        let (_, _, kind) = unpack(slot);
        // Only UTF-8 text is ever stored, so this never falls back.
        let secret = std::str::from_utf8(secret_of(&self.arena, slot)).unwrap_or_default();
        Planned { secret, kind }
    }
}
