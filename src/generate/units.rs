//! Minutes, durations and clock times in the shape the scenario types want them.

use crate::scenario::time::{MINUTES_PER_DAY, MINUTES_PER_HOUR};
use crate::scenario::{ClockTime, Duration, DurationRange, Minute};

pub(super) const HOUR: Minute = MINUTES_PER_HOUR;
pub(super) const DAY: Minute = MINUTES_PER_DAY;

pub(super) fn minutes(m: Minute) -> Duration {
    Duration::minutes(m)
}

pub(super) fn range(min: Minute, max: Minute) -> DurationRange {
    DurationRange::new(minutes(min), minutes(max))
}

pub(super) fn clock(text: &str) -> ClockTime {
    ClockTime::parse(text).unwrap_or(ClockTime { minute_of_day: 0 })
}
