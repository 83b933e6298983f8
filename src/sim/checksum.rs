//! The state checksum: XXH3-128 digests over a canonical encoding of the world.
//!
//! The checksum tells whether a replay reached the state the recording reached, hour by
//! hour; it is not what makes a session tamper-evident (the record chain and signatures
//! do that, with BLAKE3 and Ed25519, in `session`). XXH3 is a published, portable 128-bit
//! hash with fixed outputs, and an order of magnitude cheaper than BLAKE3 on the small
//! encodings digested millions of times a national month (every agenda item, every entry
//! of a digested map): BLAKE3 here was a seventh of a 10,000-organisation run.
//!
//! State types derive `Hash`; [`Canonical`] turns every integer into fixed-width
//! little-endian bytes (usize as u64), so a digest is the same on every platform and
//! depends only on values, never on addresses or hash-map order (the state holds none).
//!
//! Hashing a 10,000-organisation world every simulated hour would cost more than
//! simulating it, so the world digest is incremental: every actor and intrusion keeps the
//! digest of its own state ([`Digest`]), refreshed only when bevy's change detection says
//! it changed, and the world sums (actor index, digest) terms. The agenda keeps its own
//! running sum as items come and go, and large collections inside a state keep theirs
//! (`digested`). A checkpoint hashes the few partial sums.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3;

/// A 128-bit state digest, shown as 32 hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Checksum(pub u128);

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl Serialize for Checksum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Checksum {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        u128::from_str_radix(&text, 16).map(Self).map_err(|_| {
            serde::de::Error::custom(format!("\"{text}\" is not a 32-digit hex checksum"))
        })
    }
}

/// The digest of one value, as a 128-bit number.
pub fn digest_of<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut hasher = Canonical::new();
    hasher.add(value);
    hasher.digest().0
}

/// The cached digest of an actor's or an intrusion's state.
#[derive(bevy_ecs::component::Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Digest(pub u128);

/// A `Hasher` that writes a canonical byte encoding, digested with XXH3-128 at the end.
///
/// The encoding goes into a small fixed buffer, cheap to set up for every digest (a
/// digested map digests every entry it changes) and to write an integer into. An encoding
/// that outgrows it spills into a growable buffer that each thread keeps from one digest
/// to the next (a national CSIRT's state is many kilobytes), so that the hash is fed a few
/// long pieces, not thousands of integers one at a time. The digest is XXH3-128 of the
/// whole encoding, however the buffers came to hold it.
pub struct Canonical {
    buffer: [u8; CHUNK],
    len: usize,
    /// What did not fit in `buffer`, in order; empty while everything fits.
    spill: Vec<u8>,
}

/// The fixed buffer's size: most digests fit in it.
const CHUNK: usize = 512;

thread_local! {
    /// The spill buffer the last long digest on this thread left behind, for the next.
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A spill buffer above this is not kept: one huge digest should not pin its memory.
const KEEP_AT_MOST: usize = 1 << 22;

impl Canonical {
    pub fn new() -> Self {
        Self {
            buffer: [0; CHUNK],
            len: 0,
            spill: Vec::new(),
        }
    }

    pub fn add<T: Hash + ?Sized>(&mut self, value: &T) {
        value.hash(self);
    }

    pub fn digest(&self) -> Checksum {
        let rest = &self.buffer[..self.len];
        if self.spill.is_empty() {
            Checksum(xxh3::xxh3_128(rest))
        } else {
            let mut hasher = xxh3::Xxh3::new();
            hasher.update(&self.spill);
            hasher.update(rest);
            Checksum(hasher.digest128())
        }
    }

    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > CHUNK {
            self.spill_over(bytes);
        } else {
            self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }

    /// Moves the full buffer to the spill buffer, then `bytes` to wherever they fit.
    #[cold]
    fn spill_over(&mut self, bytes: &[u8]) {
        if self.spill.capacity() == 0 {
            // A digest taken while another is under way on this thread finds no spare
            // buffer and starts an empty one.
            self.spill = SPARE.with(std::cell::Cell::take);
            self.spill.clear();
        }
        self.spill.extend_from_slice(&self.buffer[..self.len]);
        self.len = 0;
        if bytes.len() > CHUNK {
            self.spill.extend_from_slice(bytes);
        } else {
            self.buffer[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len();
        }
    }
}

impl Drop for Canonical {
    fn drop(&mut self) {
        if self.spill.capacity() > 0 && self.spill.capacity() <= KEEP_AT_MOST {
            let spill = std::mem::take(&mut self.spill);
            SPARE.with(|spare| spare.set(spill));
        }
    }
}

impl Default for Canonical {
    fn default() -> Self {
        Self::new()
    }
}

impl Hasher for Canonical {
    fn finish(&self) -> u64 {
        // Unused: the digest is read with `digest`.
        0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.put(bytes);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.put(&[i]);
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.put(&i.to_le_bytes());
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.put(&i.to_le_bytes());
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.put(&i.to_le_bytes());
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.put(&i.to_le_bytes());
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.put(&(i as u64).to_le_bytes());
    }

    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.put(&i.to_le_bytes());
    }

    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.put(&(i as i64).to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_encoding_digests_as_xxh3_of_the_whole() {
        // Longer than the buffer, in pieces that straddle its end.
        let values: Vec<u64> = (0..3000).collect();
        let mut c = Canonical::new();
        c.add(&values);
        let mut whole = Vec::new();
        whole.extend_from_slice(&(values.len() as u64).to_le_bytes());
        for v in &values {
            whole.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(c.digest(), Checksum(xxh3::xxh3_128(&whole)));
    }

    #[test]
    fn equal_values_equal_digests_any_difference_shows() {
        let digest = |v: &Vec<(u32, String)>| {
            let mut c = Canonical::new();
            c.add(v);
            c.digest()
        };
        let a = vec![(1, "a".to_owned()), (2, "b".to_owned())];
        let mut b = a.clone();
        assert_eq!(digest(&a), digest(&b));
        b[1].0 = 3;
        assert_ne!(digest(&a), digest(&b));
    }

    #[test]
    fn checksums_round_trip_as_hex() {
        let c = Checksum(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Checksum>(&text).unwrap(), c);
    }
}
