//! Simulated time as humans write it: durations ("90m", "4h", "1d 6h"), exercise
//! times ("T+4h", "T-30h", "Mon 03:00") and the wall-clock start ("2026-03-13 16:30").
//!
//! The simulation counts whole minutes from exercise start (T+0). Everything that turns
//! text into minutes, or minutes into a weekday and a clock time, lives here and only here.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Whole simulated minutes from exercise start. Signed, because a sighting can be
/// "first seen" before the exercise starts.
pub type Minute = i64;

pub const MINUTES_PER_HOUR: i64 = 60;
pub const MINUTES_PER_DAY: i64 = 24 * MINUTES_PER_HOUR;
pub const MINUTES_PER_WEEK: i64 = 7 * MINUTES_PER_DAY;

/// A non-negative span of simulated time, written "90m", "4h", "1d 6h" or "2w".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    pub minutes: i64,
}

impl Duration {
    pub const ZERO: Self = Self { minutes: 0 };

    pub const fn minutes(minutes: i64) -> Self {
        Self { minutes }
    }

    pub const fn hours(hours: i64) -> Self {
        Self {
            minutes: hours * MINUTES_PER_HOUR,
        }
    }

    pub const fn days(days: i64) -> Self {
        Self {
            minutes: days * MINUTES_PER_DAY,
        }
    }

    /// Parses "90m", "4h", "1d 6h", "1w 2d", "1h30m". Units: w, d, h, m.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("empty duration; expected e.g. \"90m\", \"4h\" or \"1d 6h\"".into());
        }
        if !trimmed.bytes().any(|b| b.is_ascii_digit()) {
            return Err(format!(
                "\"{text}\" is not a duration; expected e.g. \"90m\", \"4h\" or \"1d 6h\""
            ));
        }
        if trimmed.starts_with('-') {
            return Err(format!(
                "negative duration \"{text}\"; durations cannot be negative"
            ));
        }
        let mut total: i64 = 0;
        let mut number: Option<i64> = None;
        for ch in trimmed.chars() {
            match ch {
                '0'..='9' => {
                    let digit = i64::from(ch as u8 - b'0');
                    let value = number
                        .unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(digit))
                        .ok_or_else(|| format!("duration \"{text}\" is too large"))?;
                    number = Some(value);
                }
                'w' | 'd' | 'h' | 'm' => {
                    let value = number.take().ok_or_else(|| {
                        format!("\"{text}\": unit '{ch}' without a number; expected e.g. \"4h\"")
                    })?;
                    let unit = match ch {
                        'w' => MINUTES_PER_WEEK,
                        'd' => MINUTES_PER_DAY,
                        'h' => MINUTES_PER_HOUR,
                        _ => 1,
                    };
                    total = value
                        .checked_mul(unit)
                        .and_then(|v| total.checked_add(v))
                        .ok_or_else(|| format!("duration \"{text}\" is too large"))?;
                }
                ' ' => {
                    if number.is_some() {
                        return Err(format!(
                            "\"{text}\": number without a unit; expected one of w, d, h, m (e.g. \"90m\")"
                        ));
                    }
                }
                other => {
                    return Err(format!(
                        "\"{text}\": unexpected '{other}'; expected a duration such as \"90m\", \"4h\" or \"1d 6h\""
                    ));
                }
            }
        }
        if number.is_some() {
            return Err(format!(
                "\"{text}\": number without a unit; expected one of w, d, h, m (e.g. \"90m\")"
            ));
        }
        // Ten years is far beyond any exercise; refusing more keeps all arithmetic in range.
        if total > 10 * 366 * MINUTES_PER_DAY {
            return Err(format!("duration \"{text}\" is longer than ten years"));
        }
        Ok(Self { minutes: total })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.minutes == 0 {
            return f.write_str("0m");
        }
        let mut rest = self.minutes;
        let mut parts = Vec::new();
        for (unit, size) in [("d", MINUTES_PER_DAY), ("h", MINUTES_PER_HOUR), ("m", 1)] {
            if rest >= size {
                parts.push(format!("{}{unit}", rest / size));
                rest %= size;
            }
        }
        f.write_str(&parts.join(" "))
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(de::Error::custom)
    }
}

/// A range of durations, written `("30m", "2h")`: a draw is uniform between both ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DurationRange(pub Duration, pub Duration);

impl DurationRange {
    pub const fn new(min: Duration, max: Duration) -> Self {
        Self(min, max)
    }

    pub const fn min(&self) -> Duration {
        self.0
    }

    pub const fn max(&self) -> Duration {
        self.1
    }
}

/// Day of the week, Monday first (ISO 8601).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Self; 7] = [
        Self::Mon,
        Self::Tue,
        Self::Wed,
        Self::Thu,
        Self::Fri,
        Self::Sat,
        Self::Sun,
    ];

    /// 0 for Monday … 6 for Sunday.
    pub const fn index(self) -> i64 {
        self as i64
    }

    fn from_index(index: i64) -> Self {
        Self::ALL[usize::try_from(index.rem_euclid(7)).unwrap_or(0)]
    }

    fn parse(text: &str) -> Option<Self> {
        let lower = text.to_ascii_lowercase();
        let names = [
            ("mon", "monday"),
            ("tue", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ];
        names
            .iter()
            .position(|(short, long)| lower == *short || lower == *long)
            .map(|i| Self::ALL[i])
    }

    pub const fn name(self) -> &'static str {
        match self {
            Self::Mon => "Mon",
            Self::Tue => "Tue",
            Self::Wed => "Wed",
            Self::Thu => "Thu",
            Self::Fri => "Fri",
            Self::Sat => "Sat",
            Self::Sun => "Sun",
        }
    }
}

/// A time of day, written "09:00"; stored as minutes after midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    pub minute_of_day: i64,
}

impl ClockTime {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (h, m) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| format!("\"{text}\": expected a time of day such as \"09:00\""))?;
        let hours: i64 = h
            .parse()
            .map_err(|_| format!("\"{text}\": expected hours 00-24 before ':'"))?;
        let minutes: i64 = m
            .parse()
            .map_err(|_| format!("\"{text}\": expected minutes 00-59 after ':'"))?;
        if !(0..=24).contains(&hours) || !(0..60).contains(&minutes) || (hours == 24 && minutes > 0)
        {
            return Err(format!("\"{text}\": not a time of day (00:00 to 24:00)"));
        }
        Ok(Self {
            minute_of_day: hours * 60 + minutes,
        })
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}",
            self.minute_of_day / 60,
            self.minute_of_day % 60
        )
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(de::Error::custom)
    }
}

/// The wall-clock moment of T+0, written "2026-03-13 16:30" (local time of the exercise).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WallClock {
    /// Days since 1970-01-01.
    pub day: i64,
    pub time: ClockTime,
}

impl WallClock {
    pub fn parse(text: &str) -> Result<Self, String> {
        let expected = "expected a date and time such as \"2026-03-13 16:30\"";
        let (date, time) = text
            .trim()
            .split_once([' ', 'T'])
            .ok_or_else(|| format!("\"{text}\": {expected}"))?;
        let mut parts = date.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("\"{text}\": {expected}"));
        };
        let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i64>(), m.parse::<i64>(), d.parse::<i64>())
        else {
            return Err(format!("\"{text}\": {expected}"));
        };
        if !(1970..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
        {
            return Err(format!("\"{text}\": no such date"));
        }
        let time = ClockTime::parse(time)?;
        if time.minute_of_day >= MINUTES_PER_DAY {
            return Err(format!(
                "\"{text}\": use 00:00 of the next day instead of 24:00"
            ));
        }
        Ok(Self {
            day: days_from_civil(year, month, day),
            time,
        })
    }

    pub fn weekday(&self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::from_index(self.day + 3)
    }

    /// The wall-clock moment `minute` minutes after this one.
    pub fn plus(&self, minute: Minute) -> Self {
        let total = self.time.minute_of_day + minute;
        Self {
            day: self.day + total.div_euclid(MINUTES_PER_DAY),
            time: ClockTime {
                minute_of_day: total.rem_euclid(MINUTES_PER_DAY),
            },
        }
    }

    /// Minutes since Monday 00:00 of this moment's week (0 ..= 10079).
    pub fn minute_of_week(&self) -> i64 {
        self.weekday().index() * MINUTES_PER_DAY + self.time.minute_of_day
    }

    /// "Fri 2026-03-13 16:30".
    pub fn describe(&self) -> String {
        let (y, m, d) = civil_from_days(self.day);
        format!(
            "{} {y:04}-{m:02}-{d:02} {}",
            self.weekday().name(),
            self.time
        )
    }

    /// "Fri 16:30", short enough for a timeline column.
    pub fn short(&self) -> String {
        format!("{} {}", self.weekday().name(), self.time)
    }
}

impl fmt::Display for WallClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.day);
        write!(f, "{y:04}-{m:02}-{d:02} {}", self.time)
    }
}

impl Serialize for WallClock {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for WallClock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(de::Error::custom)
    }
}

/// A moment of the exercise as an MSEL writes it: "T+4h", "T-30h" (before start), or
/// "Mon 03:00" (the first such moment at or after T+0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum At {
    Offset(Minute),
    Weekly(Weekday, ClockTime),
}

impl At {
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if matches!(trimmed, "T" | "T0" | "T+0" | "T-0") {
            return Ok(Self::Offset(0));
        }
        if let Some(rest) = trimmed.strip_prefix("T+") {
            return Ok(Self::Offset(Duration::parse(rest)?.minutes));
        }
        if let Some(rest) = trimmed.strip_prefix("T-") {
            return Ok(Self::Offset(-Duration::parse(rest)?.minutes));
        }
        if let Some((day, time)) = trimmed.split_once(' ')
            && let Some(weekday) = Weekday::parse(day)
        {
            return Ok(Self::Weekly(weekday, ClockTime::parse(time)?));
        }
        Err(format!(
            "\"{text}\": expected an exercise time such as \"T+4h\", \"T-30h\" or \"Mon 03:00\""
        ))
    }

    /// Minutes from T+0 for an exercise starting at `start`.
    pub fn resolve(&self, start: &WallClock) -> Minute {
        match *self {
            Self::Offset(minute) => minute,
            Self::Weekly(day, time) => {
                let target = day.index() * MINUTES_PER_DAY + time.minute_of_day;
                (target - start.minute_of_week()).rem_euclid(MINUTES_PER_WEEK)
            }
        }
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Offset(m) if m < 0 => write!(f, "T-{}", Duration::minutes(-m)),
            Self::Offset(m) => write!(f, "T+{}", Duration::minutes(m)),
            Self::Weekly(day, time) => write!(f, "{} {time}", day.name()),
        }
    }
}

impl Serialize for At {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(de::Error::custom)
    }
}

/// "in 2h 10m", "35m ago" or "now": how far `t` is from `now`, as every face says it.
pub fn countdown(now: Minute, t: Minute) -> String {
    match t.cmp(&now) {
        std::cmp::Ordering::Greater => format!("in {}", Duration::minutes(t - now)),
        std::cmp::Ordering::Less => format!("{} ago", Duration::minutes(now - t)),
        std::cmp::Ordering::Equal => "now".to_owned(),
    }
}

/// "T+1d 6h" for a simulated minute.
pub fn format_offset(minute: Minute) -> String {
    At::Offset(minute).to_string()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_humans_write_them() {
        assert_eq!(Duration::parse("90m"), Ok(Duration::minutes(90)));
        assert_eq!(Duration::parse("4h"), Ok(Duration::hours(4)));
        assert_eq!(Duration::parse("1d 6h"), Ok(Duration::hours(30)));
        assert_eq!(Duration::parse("1h30m"), Ok(Duration::minutes(90)));
        assert_eq!(Duration::parse("2w"), Ok(Duration::days(14)));
        assert_eq!(Duration::parse("0m"), Ok(Duration::ZERO));
    }

    #[test]
    fn bad_durations_say_what_is_expected() {
        for bad in [
            "",
            "banana",
            "4",
            "h",
            "-4h",
            "4x",
            "1d 6",
            "99999999999999999999d",
        ] {
            let err = Duration::parse(bad).expect_err(bad);
            assert!(!err.is_empty());
        }
        assert!(Duration::parse("-4h").unwrap_err().contains("negative"));
    }

    #[test]
    fn duration_display_round_trips() {
        for text in ["90m", "4h", "1d 6h", "3d 2h 5m"] {
            let d = Duration::parse(text).unwrap();
            assert_eq!(Duration::parse(&d.to_string()).unwrap(), d);
        }
        assert_eq!(Duration::minutes(90).to_string(), "1h 30m");
    }

    #[test]
    fn wall_clock_knows_weekdays() {
        let start = WallClock::parse("2026-03-13 16:30").unwrap();
        assert_eq!(start.weekday(), Weekday::Fri);
        assert_eq!(start.plus(8 * 60).describe(), "Sat 2026-03-14 00:30");
        assert_eq!(
            WallClock::parse("2024-02-29 00:00").unwrap().weekday(),
            Weekday::Thu
        );
        assert!(WallClock::parse("2026-02-29 10:00").is_err());
        assert!(WallClock::parse("yesterday").is_err());
    }

    #[test]
    fn exercise_times_resolve_against_the_start() {
        let start = WallClock::parse("2026-03-13 16:30").unwrap();
        assert_eq!(At::parse("T+4h").unwrap().resolve(&start), 240);
        assert_eq!(At::parse("T-30h").unwrap().resolve(&start), -1800);
        // Friday 16:30 to Monday 03:00 is 2 days 10 h 30 m.
        assert_eq!(
            At::parse("Mon 03:00").unwrap().resolve(&start),
            2 * 1440 + 630
        );
        assert_eq!(At::parse("Fri 16:30").unwrap().resolve(&start), 0);
        assert_eq!(At::parse("T+0").unwrap(), At::Offset(0));
        assert!(At::parse("soon").is_err());
    }
}
