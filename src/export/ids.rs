//! Identifiers and timestamps for exported objects, derived from the session alone.
//!
//! The same session must give the same bytes (DESIGN.md: exports are deterministic), so
//! nothing here draws a random number or reads a clock: an object's UUID is a SHA-256 of
//! the session's key and the object's own key, and its time is the scenario's start plus
//! the exercise minute. The UUIDs carry the version-4 bits: STIX 2.1 asks for version 4
//! on its objects' ids (the OASIS validator refuses others, name-based version 5
//! included), and version 4 only says the other 122 bits look random, which a hash does.

use sha2::{Digest, Sha256};

use crate::scenario::time::civil_from_days;
use crate::scenario::{Minute, WallClock};
use crate::sim::Stamped;

/// What every id of one export derives from: the recorded session (its scenario's digest,
/// its seed and every command given) and whose export it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionKey([u8; 32]);

impl SessionKey {
    /// The key of a session: the same recording gives the same key, another scenario, seed
    /// or command another. Hot-wash answers and signatures, appended later, do not count:
    /// they change nothing that is exported.
    pub fn new(scenario_digest: &str, seed: u64, commands: &[Stamped]) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"tabletop-export-1\0");
        hash.update(scenario_digest.as_bytes());
        hash.update(b"\0");
        hash.update(seed.to_be_bytes());
        for stamped in commands {
            // RON of a command is its recorded form; a failure to encode one cannot happen
            // for the types the session itself wrote, and would only merge two keys.
            let text = ron::to_string(stamped).unwrap_or_default();
            hash.update(text.as_bytes());
            hash.update(b"\n");
        }
        Self(hash.finalize().into())
    }

    /// The UUID of the object named `key` (e.g. `indicator/phish-domain`) in the export of
    /// `scope` (a role id, or empty for the facilitator's export).
    pub fn uuid(&self, scope: &str, key: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(self.0);
        hash.update(scope.as_bytes());
        hash.update(b"\0");
        hash.update(key.as_bytes());
        let digest: [u8; 32] = hash.finalize().into();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        // RFC 9562: version 4 in the high nibble of byte 6, variant 10 in the top bits of
        // byte 8.
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }
}

/// The exercise's clock has no time zone; exports read the scenario's start as UTC, so a
/// T+0 of "2026-03-13 16:30" is 2026-03-13T16:30:00Z.
fn moment(start: &WallClock, minute: Minute) -> (i64, i64, i64, i64, i64) {
    let at = start.plus(minute);
    let (y, m, d) = civil_from_days(at.day);
    (
        y,
        m,
        d,
        at.time.minute_of_day / 60,
        at.time.minute_of_day % 60,
    )
}

/// RFC 3339 in UTC with milliseconds, as STIX 2.1 writes timestamps.
pub fn rfc3339(start: &WallClock, minute: Minute) -> String {
    let (y, m, d, hh, mm) = moment(start, minute);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:00.000Z")
}

/// Seconds since 1970-01-01 UTC, as MISP writes timestamps; never below zero (a sighting
/// first seen before 1970 is put at the epoch).
pub fn epoch_seconds(start: &WallClock, minute: Minute) -> i64 {
    let at = start.plus(minute);
    (at.day * 86_400 + at.time.minute_of_day * 60).max(0)
}

/// The date of a moment, `YYYY-MM-DD`.
pub fn date(start: &WallClock, minute: Minute) -> String {
    let (y, m, d, _, _) = moment(start, minute);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_version_4_and_distinct() {
        let key = SessionKey::new("abc", 1, &[]);
        let a = key.uuid("", "indicator/phish-domain");
        assert_eq!(a, key.uuid("", "indicator/phish-domain"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(a, key.uuid("ciso", "indicator/phish-domain"));
        assert_ne!(
            a,
            SessionKey::new("abc", 2, &[]).uuid("", "indicator/phish-domain")
        );
    }

    #[test]
    fn times_count_from_the_scenario_start_read_as_utc() {
        let start = WallClock::parse("2026-03-13 16:30").expect("a valid start");
        assert_eq!(rfc3339(&start, 0), "2026-03-13T16:30:00.000Z");
        assert_eq!(rfc3339(&start, 8 * 60), "2026-03-14T00:30:00.000Z");
        assert_eq!(epoch_seconds(&start, 0), 1_773_419_400);
        assert_eq!(date(&start, -24 * 60), "2026-03-12");
    }
}
