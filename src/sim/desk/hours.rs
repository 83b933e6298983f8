//! Office hours: when a CSIRT's office is staffed, and when it next opens. Outside them
//! only an on-call analyst (if the CSIRT has one) answers; see `queue.rs`.

use crate::scenario::{Hours, LocalClock, Minute, WallClock, time::MINUTES_PER_DAY};

/// Whether the CSIRT's office is staffed at minute `t`, by its own local clock.
pub fn is_open(hours: &Hours, clock: &LocalClock, t: Minute) -> bool {
    match hours {
        Hours::Always => true,
        Hours::Office {
            open, close, days, ..
        } => {
            let moment = clock.at(t);
            days.contains(&moment.weekday())
                && moment.time.minute_of_day >= open.minute_of_day
                && moment.time.minute_of_day < close.minute_of_day
        }
    }
}

/// The next minute at or after `t` when the office opens, by its own local clock (a
/// daylight-saving change between now and then moves the opening by an hour).
pub fn next_opening(hours: &Hours, clock: &LocalClock, t: Minute) -> Minute {
    match hours {
        Hours::Always => t,
        Hours::Office { open, days, .. } => {
            let today = clock.at(t).day;
            for ahead in 0..=7 {
                let opening = WallClock {
                    day: today + ahead,
                    time: *open,
                };
                if !days.contains(&opening.weekday()) {
                    continue;
                }
                let candidate = clock.minute_of(&opening);
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
        let friday = LocalClock::Exercise(WallClock::parse("2026-03-13 16:30").unwrap());
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

    #[test]
    fn office_hours_abroad_move_with_their_daylight_saving_change() {
        use crate::scenario::TimeZone;
        let amsterdam = TimeZone::parse("Europe/Amsterdam").unwrap();
        let friday = WallClock::parse("2026-03-06 16:30").unwrap();
        let new_york = LocalClock::Zoned {
            zone: TimeZone::parse("America/New_York").unwrap(),
            start_utc: amsterdam.utc(&friday),
        };
        // Friday 16:30 in Amsterdam is 10:30 in New York (6 hours behind): open.
        assert!(is_open(&office(), &new_york, 0));
        // New York goes to summer time on Sunday 8 March, Amsterdam on the 29th: Monday
        // 09:00 in New York is 14:00 in Amsterdam, 2 days 21 h 30 m after T+0.
        let monday = next_opening(&office(), &new_york, 8 * 60);
        assert_eq!(monday, 2 * 1440 + 21 * 60 + 30);
        assert_eq!(new_york.at(monday).time, ClockTime::parse("09:00").unwrap());
        // Kept by the exercise's own clock, the office would open at 09:00 Amsterdam time.
        let here = LocalClock::Exercise(friday);
        assert_eq!(
            next_opening(&office(), &here, 8 * 60),
            2 * 1440 + 16 * 60 + 30
        );
    }
}
