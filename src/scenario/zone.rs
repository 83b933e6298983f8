//! Time zones, for CSIRTs whose office hours are kept in another country's local time
//! (a US vendor's PSIRT, a partner CSIRT in Helsinki), daylight-saving time included.
//!
//! The zones and their rules are built in, not read from the machine's time-zone
//! database, so every machine plays the same office hours: a named zone carries its
//! standard offset and the daylight-saving rule in force today (the EU's since 1996, the
//! US's since 2007), and any other place is written as a fixed offset, "UTC+05:30".

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::time::{
    ClockTime, MINUTES_PER_DAY, MINUTES_PER_HOUR, Minute, WallClock, days_from_civil,
};

/// When a zone's clocks go forward an hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Summer {
    /// No daylight-saving time.
    Never,
    /// EU: from the last Sunday of March to the last Sunday of October, 01:00 UTC.
    Eu,
    /// US: from the second Sunday of March to the first Sunday of November, 02:00 local.
    Us,
}

/// The named zones: (name, standard offset in minutes east of UTC, daylight saving).
const ZONES: [(&str, i64, Summer); 42] = [
    ("UTC", 0, Summer::Never),
    ("Europe/London", 0, Summer::Eu),
    ("Europe/Dublin", 0, Summer::Eu),
    ("Europe/Lisbon", 0, Summer::Eu),
    ("Europe/Amsterdam", 60, Summer::Eu),
    ("Europe/Berlin", 60, Summer::Eu),
    ("Europe/Bratislava", 60, Summer::Eu),
    ("Europe/Brussels", 60, Summer::Eu),
    ("Europe/Budapest", 60, Summer::Eu),
    ("Europe/Copenhagen", 60, Summer::Eu),
    ("Europe/Ljubljana", 60, Summer::Eu),
    ("Europe/Luxembourg", 60, Summer::Eu),
    ("Europe/Madrid", 60, Summer::Eu),
    ("Europe/Malta", 60, Summer::Eu),
    ("Europe/Oslo", 60, Summer::Eu),
    ("Europe/Paris", 60, Summer::Eu),
    ("Europe/Prague", 60, Summer::Eu),
    ("Europe/Rome", 60, Summer::Eu),
    ("Europe/Stockholm", 60, Summer::Eu),
    ("Europe/Vienna", 60, Summer::Eu),
    ("Europe/Warsaw", 60, Summer::Eu),
    ("Europe/Zagreb", 60, Summer::Eu),
    ("Europe/Zurich", 60, Summer::Eu),
    ("Europe/Athens", 120, Summer::Eu),
    ("Europe/Bucharest", 120, Summer::Eu),
    ("Europe/Helsinki", 120, Summer::Eu),
    ("Europe/Riga", 120, Summer::Eu),
    ("Europe/Sofia", 120, Summer::Eu),
    ("Europe/Tallinn", 120, Summer::Eu),
    ("Europe/Vilnius", 120, Summer::Eu),
    ("Asia/Nicosia", 120, Summer::Eu),
    ("Europe/Istanbul", 180, Summer::Never),
    ("America/New_York", -300, Summer::Us),
    ("America/Chicago", -360, Summer::Us),
    ("America/Denver", -420, Summer::Us),
    ("America/Los_Angeles", -480, Summer::Us),
    ("America/Phoenix", -420, Summer::Never),
    ("Asia/Dubai", 240, Summer::Never),
    ("Asia/Kolkata", 330, Summer::Never),
    ("Asia/Singapore", 480, Summer::Never),
    ("Asia/Tokyo", 540, Summer::Never),
    ("Australia/Brisbane", 600, Summer::Never),
];

/// A fixed offset is at most this far from UTC (UTC-12:00 to UTC+14:00 exist).
const MAX_OFFSET: i64 = 14 * MINUTES_PER_HOUR;

/// A time zone: a named one from the built-in list, or a fixed offset from UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeZone {
    /// A position in the built-in list.
    Named(u8),
    /// Minutes east of UTC, all year.
    Fixed(i64),
}

impl TimeZone {
    /// "Europe/Amsterdam", "UTC+05:30" or "UTC-03:00".
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some(ix) = ZONES.iter().position(|(name, ..)| *name == text) {
            return Ok(Self::Named(u8::try_from(ix).unwrap_or(0)));
        }
        let expected = || {
            let near = super::spelling::near_miss(text, ZONES.iter().map(|(name, ..)| *name))
                .map(|name| format!(" did you mean \"{name}\"?"))
                .unwrap_or_default();
            format!(
                "\"{text}\": no such time zone;{near} expected a named zone such as \"Europe/Amsterdam\" or \"America/New_York\" (the format reference lists them), or a fixed offset such as \"UTC+05:30\""
            )
        };
        let Some(rest) = text.strip_prefix("UTC") else {
            return Err(expected());
        };
        let (sign, hhmm) = match rest.split_at_checked(1) {
            Some(("+", hhmm)) => (1, hhmm),
            Some(("-", hhmm)) => (-1, hhmm),
            _ => return Err(expected()),
        };
        let minutes = ClockTime::parse(hhmm)
            .map_err(|_| expected())?
            .minute_of_day;
        if minutes > MAX_OFFSET {
            return Err(format!(
                "\"{text}\": offsets run from UTC-12:00 to UTC+14:00"
            ));
        }
        Ok(Self::Fixed(sign * minutes))
    }

    fn rule(self) -> (i64, Summer) {
        match self {
            Self::Named(ix) => ZONES
                .get(usize::from(ix))
                .map_or((0, Summer::Never), |&(_, offset, summer)| (offset, summer)),
            Self::Fixed(offset) => (offset, Summer::Never),
        }
    }

    /// Minutes east of UTC at `utc` (minutes since 1970-01-01 00:00 UTC).
    pub fn offset_at(self, utc: Minute) -> i64 {
        let (standard, summer) = self.rule();
        let year = super::time::civil_from_days(utc.div_euclid(MINUTES_PER_DAY)).0;
        let (from, to) = match summer {
            Summer::Never => return standard,
            Summer::Eu => (
                last_sunday(year, 3) * MINUTES_PER_DAY + MINUTES_PER_HOUR,
                last_sunday(year, 10) * MINUTES_PER_DAY + MINUTES_PER_HOUR,
            ),
            // 02:00 local standard time, and 02:00 local summer time.
            Summer::Us => (
                nth_sunday(year, 3, 2) * MINUTES_PER_DAY + 2 * MINUTES_PER_HOUR - standard,
                nth_sunday(year, 11, 1) * MINUTES_PER_DAY + MINUTES_PER_HOUR - standard,
            ),
        };
        if (from..to).contains(&utc) {
            standard + MINUTES_PER_HOUR
        } else {
            standard
        }
    }

    /// The local wall clock at `utc`.
    pub fn local(self, utc: Minute) -> WallClock {
        wall_clock(utc + self.offset_at(utc))
    }

    /// The UTC minute of a local wall-clock moment. A moment the spring change skips
    /// (02:30 on that night) is read with the winter offset, one the autumn change repeats
    /// as its first occurrence.
    pub fn utc(self, local: &WallClock) -> Minute {
        let minutes = local.day * MINUTES_PER_DAY + local.time.minute_of_day;
        let (standard, _) = self.rule();
        let summer = minutes - standard - MINUTES_PER_HOUR;
        if self.offset_at(summer) == standard + MINUTES_PER_HOUR {
            summer
        } else {
            minutes - standard
        }
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Named(ix) => f.write_str(ZONES.get(usize::from(ix)).map_or("UTC", |z| z.0)),
            Self::Fixed(offset) => write!(
                f,
                "UTC{}{:02}:{:02}",
                if offset < 0 { '-' } else { '+' },
                offset.abs() / MINUTES_PER_HOUR,
                offset.abs() % MINUTES_PER_HOUR
            ),
        }
    }
}

impl Serialize for TimeZone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(de::Error::custom)
    }
}

fn wall_clock(minutes: Minute) -> WallClock {
    WallClock {
        day: minutes.div_euclid(MINUTES_PER_DAY),
        time: ClockTime {
            minute_of_day: minutes.rem_euclid(MINUTES_PER_DAY),
        },
    }
}

/// Days since 1970-01-01 of the last Sunday of `month`.
fn last_sunday(year: i64, month: i64) -> i64 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    let last = next - 1;
    // 1970-01-01 was a Thursday: day 3 (mod 7) is a Sunday.
    last - (last - 3).rem_euclid(7)
}

/// Days since 1970-01-01 of the `n`-th Sunday of `month`.
fn nth_sunday(year: i64, month: i64, n: i64) -> i64 {
    let first = days_from_civil(year, month, 1);
    first + (3 - first).rem_euclid(7) + 7 * (n - 1)
}

/// An actor's local clock during the exercise: the exercise's own (no zone given), or a
/// zone's, counted from the UTC moment of T+0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalClock {
    /// The exercise's wall clock, T+0 at `start`: what every actor keeps when the scenario
    /// gives no time zones.
    Exercise(WallClock),
    /// The local time of `zone`, T+0 being `start_utc`.
    Zoned { zone: TimeZone, start_utc: Minute },
}

impl LocalClock {
    /// The local wall clock at exercise minute `t`.
    pub fn at(&self, t: Minute) -> WallClock {
        match *self {
            Self::Exercise(start) => start.plus(t),
            Self::Zoned { zone, start_utc } => zone.local(start_utc + t),
        }
    }

    /// The exercise minute of a local wall-clock moment.
    pub fn minute_of(&self, local: &WallClock) -> Minute {
        match *self {
            Self::Exercise(start) => {
                (local.day - start.day) * MINUTES_PER_DAY + local.time.minute_of_day
                    - start.time.minute_of_day
            }
            Self::Zoned { zone, start_utc } => zone.utc(local) - start_utc,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall(text: &str) -> WallClock {
        WallClock::parse(text).unwrap()
    }

    #[test]
    fn zones_parse_by_name_or_offset_and_print_back() {
        for text in [
            "Europe/Amsterdam",
            "America/New_York",
            "UTC+05:30",
            "UTC-03:00",
        ] {
            assert_eq!(TimeZone::parse(text).unwrap().to_string(), text);
        }
        assert!(
            TimeZone::parse("Europe/Amsterdm")
                .unwrap_err()
                .contains("Europe/Amsterdam")
        );
        assert!(
            TimeZone::parse("UTC+15:00")
                .unwrap_err()
                .contains("UTC+14:00")
        );
    }

    #[test]
    fn summer_time_starts_and_ends_on_the_eu_and_us_sundays_of_2026() {
        let amsterdam = TimeZone::parse("Europe/Amsterdam").unwrap();
        let new_york = TimeZone::parse("America/New_York").unwrap();
        // EU: Sunday 29 March 2026, 01:00 UTC; US: Sunday 8 March 2026, 02:00 EST.
        let eu = TimeZone::parse("UTC")
            .unwrap()
            .utc(&wall("2026-03-29 01:00"));
        assert_eq!(amsterdam.offset_at(eu - 1), 60);
        assert_eq!(amsterdam.offset_at(eu), 120);
        let us = new_york.utc(&wall("2026-03-08 02:00"));
        assert_eq!(new_york.offset_at(us - 1), -300);
        assert_eq!(new_york.offset_at(us), -240);
        // US back on 1 November 2026, EU on 25 October.
        assert_eq!(
            new_york.local(new_york.utc(&wall("2026-11-01 12:00"))),
            wall("2026-11-01 12:00")
        );
        assert_eq!(
            new_york.offset_at(new_york.utc(&wall("2026-11-01 12:00"))),
            -300
        );
        assert_eq!(
            amsterdam.offset_at(amsterdam.utc(&wall("2026-10-25 12:00"))),
            60
        );
    }

    #[test]
    fn a_local_clock_round_trips_across_the_spring_change() {
        let start = wall("2026-03-27 09:00");
        let clock = LocalClock::Zoned {
            zone: TimeZone::parse("Europe/Amsterdam").unwrap(),
            start_utc: TimeZone::parse("Europe/Amsterdam").unwrap().utc(&start),
        };
        // Three days later at 09:00 local is one hour less than 72 h: the clocks went
        // forward on Sunday.
        let monday = clock.minute_of(&wall("2026-03-30 09:00"));
        assert_eq!(monday, 3 * MINUTES_PER_DAY - MINUTES_PER_HOUR);
        assert_eq!(clock.at(monday), wall("2026-03-30 09:00"));
        let exercise = LocalClock::Exercise(start);
        assert_eq!(
            exercise.minute_of(&wall("2026-03-30 09:00")),
            3 * MINUTES_PER_DAY
        );
        assert_eq!(exercise.at(3 * MINUTES_PER_DAY), wall("2026-03-30 09:00"));
    }
}
