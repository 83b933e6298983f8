//! Office hours: when a CSIRT's office is staffed, and when it next opens. Outside them
//! only an on-call analyst (if the CSIRT has one) answers; see `queue.rs`.

use crate::scenario::{Hours, Minute, WallClock, time::MINUTES_PER_DAY};

/// Whether the CSIRT's office is staffed at minute `t`.
pub fn is_open(hours: &Hours, start: &WallClock, t: Minute) -> bool {
    match hours {
        Hours::Always => true,
        Hours::Office {
            open, close, days, ..
        } => {
            let moment = start.plus(t);
            days.contains(&moment.weekday())
                && moment.time.minute_of_day >= open.minute_of_day
                && moment.time.minute_of_day < close.minute_of_day
        }
    }
}

/// The next minute at or after `t` when the office opens.
pub fn next_opening(hours: &Hours, start: &WallClock, t: Minute) -> Minute {
    match hours {
        Hours::Always => t,
        Hours::Office { open, days, .. } => {
            let moment = start.plus(t);
            for ahead in 0..=7 {
                let day = start.plus(t + ahead * MINUTES_PER_DAY);
                if !days.contains(&day.weekday()) {
                    continue;
                }
                let candidate =
                    t + ahead * MINUTES_PER_DAY + open.minute_of_day - moment.time.minute_of_day;
                if candidate >= t {
                    return candidate;
                }
            }
            // Validation guarantees at least one working day; a week later is the fallback.
            t + 7 * MINUTES_PER_DAY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ClockTime, Weekday};

    fn office() -> Hours {
        Hours::Office {
            open: ClockTime::parse("09:00").unwrap(),
            close: ClockTime::parse("17:00").unwrap(),
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            on_call: None,
        }
    }

    #[test]
    fn office_hours_follow_the_calendar() {
        let friday = WallClock::parse("2026-03-13 16:30").unwrap();
        assert!(is_open(&office(), &friday, 0));
        assert!(!is_open(&office(), &friday, 30));
        // Friday 17:00 to Monday 09:00 is 2 days 16 hours.
        assert_eq!(
            next_opening(&office(), &friday, 30),
            30 + 2 * 1440 + 16 * 60
        );
        // Open now; the next opening is Monday 09:00.
        assert_eq!(next_opening(&office(), &friday, 0), 3 * 1440 - 450);
        assert!(is_open(&Hours::Always, &friday, 12345));
    }
}
