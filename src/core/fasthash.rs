//! A fast hasher for the small integer keys of the hot maps (pipe, context
//! and operation ids): the keys are ids we hand out ourselves, not attacker
//! chosen, so the DoS-resistant default (SipHash, which showed as a tenth
//! of the context-heavy benchmark's profile) buys nothing here.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hashing of integer words (the scheme of rustc's FxHash).
#[derive(Default, Clone, Copy, Debug)]
pub struct IdHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
        }
    }

    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = self.0.wrapping_add(x).wrapping_mul(K);
    }

    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }

    fn finish(&self) -> u64 {
        // The product's best bits are the high ones; hashbrown takes the
        // bucket from the low bits and the tag from the top seven.
        self.0.rotate_left(26)
    }
}

/// A `HashMap` keyed by ids.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A `HashSet` of ids.
pub type FastSet<K> = HashSet<K, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_and_spread_sequential_ids() {
        let mut m: FastMap<u32, u32> = FastMap::default();
        for i in 0..10_000u32 {
            m.insert(i, i * 2);
        }
        assert!((0..10_000u32).all(|i| m[&i] == i * 2));
        // Sequential keys land in distinct low-bit buckets.
        let mut buckets = FastSet::default();
        for i in 0..256u64 {
            let mut h = IdHasher::default();
            h.write_u64(i);
            buckets.insert(h.finish() & 1023);
        }
        assert!(buckets.len() > 200, "{}", buckets.len());
    }
}
