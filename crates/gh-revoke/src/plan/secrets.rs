//! Every secret to send, once: an arena of fixed chunks and an open-addressing table.

use std::hash::BuildHasher;

use zeroize::Zeroizing;

use super::Planned;
use super::ledger::{Inserted, Store};
use crate::credential::{Fingerprint, Kind, MAX_TOKEN_LEN};

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

/// Every secret to send, once: an arena, one packed slot per credential in first-seen
/// order, and an open-addressing table over the slots (see the [plan docs](super)).
pub(super) struct Secrets {
    arena: Arena,
    /// Packed (offset, len, kind) per credential to send, in first-seen order.
    pub(super) slots: Vec<u64>,
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
    pub(super) fn new() -> Self {
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

    pub(super) fn planned(&self, slot: u64) -> Planned<'_> {
        let (_, _, kind) = unpack(slot);
        // Only UTF-8 text is ever stored, so this never falls back.
        let secret = std::str::from_utf8(self.secret_of(slot)).unwrap_or_default();
        Planned { secret, kind }
    }
}
