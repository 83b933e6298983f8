//! Random draws for the generator: keyed ChaCha8 streams and integer-only helpers, so the
//! same options give the same file on every platform.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Independent random streams, one per part of the world: changing the number of days
/// changes the campaigns, never the organisations.
pub(super) const STREAM_WORLD: u64 = 1;
pub(super) const STREAM_ADVERSARIES: u64 = 2;
pub(super) const STREAM_MSEL: u64 = 3;
pub(super) const STREAM_IDLE: u64 = 4;

/// A keyed generator stream.
pub(super) fn stream(seed: u64, part: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(part);
    rng
}

/// Index drawn with integer weights (no floating point).
pub(super) fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    if total == 0 {
        return 0;
    }
    let mut roll = rng.random_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    weights.len() - 1
}

pub(super) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// True with `percent` % chance.
pub(super) fn chance(rng: &mut ChaCha8Rng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

/// Up to `k` distinct items of `pool`, in pool order.
pub(super) fn sample(rng: &mut ChaCha8Rng, pool: &[usize], k: usize) -> Vec<usize> {
    let mut items = pool.to_vec();
    let k = k.min(items.len());
    for i in 0..k {
        let j = rng.random_range(i..items.len());
        items.swap(i, j);
    }
    items.truncate(k);
    items.sort_unstable();
    items
}
