//! Keyed random draws (DESIGN.md determinism rule 1).
//!
//! Every draw comes from a ChaCha8 stream chosen by the run's seed and a stable key of the
//! single decision being made: (purpose, campaign, target, stage, attempt), built from
//! scenario ids, never from positions. Adding an actor, or an SOP variant that skips a
//! stage, therefore leaves every other draw unchanged (common random numbers).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::scenario::{Duration, DurationRange, ReportKind};

/// What a draw decides; part of its key so two purposes never share a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Purpose {
    StageDuration = 1,
    Detection = 2,
    Block = 3,
    Hunt = 4,
    Tip = 5,
    Containment = 6,
    Classification = 7,
    ReportDelay = 8,
    WorkDuration = 9,
    ActOnWarning = 10,
    Patch = 11,
}

/// A stable 64-bit fingerprint of an id, used in keys (FNV-1a: fixed and portable).
pub fn fingerprint(id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A report's part of a random draw's key: the built-in reports keep the numbers they always
/// had (so recorded sessions replay), a report of a regime the scenario defines its name's
/// fingerprint.
pub fn report_key(report: &ReportKind) -> u64 {
    match report {
        ReportKind::Nis2EarlyWarning => 0,
        ReportKind::Nis2Notification => 1,
        ReportKind::Nis2Final => 2,
        ReportKind::DoraInitial => 3,
        ReportKind::DoraIntermediate => 4,
        ReportKind::DoraFinal => 5,
        ReportKind::GdprBreach => 6,
        ReportKind::Voluntary => 7,
        ReportKind::Defined(name) => fingerprint(name),
    }
}

/// The key of one decision: a purpose and up to four stable parts (id fingerprints,
/// attempt counters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub purpose: Purpose,
    pub parts: [u64; 4],
}

impl Key {
    pub const fn new(purpose: Purpose, parts: [u64; 4]) -> Self {
        Self { purpose, parts }
    }

    /// Mixes the parts into one stream number (SplitMix64 finaliser per part).
    fn stream(&self) -> u64 {
        let mut acc = 0x9e37_79b9_7f4a_7c15_u64 ^ (self.purpose as u64);
        for part in self.parts {
            acc = mix(acc ^ part);
        }
        acc
    }
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Probabilities are parts per million: integers, identical on every platform.
pub const PPM: u32 = 1_000_000;

/// The source of every random number in a run.
#[derive(Clone, Debug)]
pub struct Streams {
    base: ChaCha8Rng,
}

impl Streams {
    pub fn new(seed: u64) -> Self {
        Self {
            base: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    fn rng(&self, key: &Key) -> ChaCha8Rng {
        let mut rng = self.base.clone();
        rng.set_stream(key.stream());
        rng.set_word_pos(0);
        rng
    }

    /// True with probability `ppm` parts per million.
    pub fn chance(&self, key: &Key, ppm: u32) -> bool {
        if ppm == 0 {
            return false;
        }
        self.rng(key).random_range(0..PPM) < ppm
    }

    /// A duration drawn uniformly from `range`, in whole minutes.
    pub fn duration(&self, key: &Key, range: &DurationRange) -> Duration {
        let (lo, hi) = (range.min().minutes, range.max().minutes);
        if hi <= lo {
            return range.min();
        }
        Duration::minutes(self.rng(key).random_range(lo..=hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_draw_other_key_other_stream() {
        let streams = Streams::new(7);
        let range = DurationRange::new(Duration::minutes(0), Duration::days(300));
        let a = Key::new(Purpose::StageDuration, [1, 2, 3, 0]);
        let b = Key::new(Purpose::StageDuration, [1, 2, 4, 0]);
        assert_eq!(streams.duration(&a, &range), streams.duration(&a, &range));
        assert_ne!(streams.duration(&a, &range), streams.duration(&b, &range));
        let other_seed = Streams::new(8);
        assert_ne!(
            streams.duration(&a, &range),
            other_seed.duration(&a, &range)
        );
    }

    #[test]
    fn chance_follows_its_probability() {
        let streams = Streams::new(1);
        let hits = (0..10_000u64)
            .filter(|i| streams.chance(&Key::new(Purpose::Detection, [*i, 0, 0, 0]), 250_000))
            .count();
        assert!((2_300..2_700).contains(&hits), "{hits}");
    }

    #[test]
    fn fingerprints_are_fixed() {
        // Pinned: changing the fingerprint silently changes every recorded session.
        assert_eq!(fingerprint("ducksends"), 0x2819_6c7c_004a_fddf);
    }
}
