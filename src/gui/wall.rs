//! The wall clock: faces are the only part of tabletop that read it (DESIGN.md rule 3).
//! The console reads it here, to pace the exercise, budget its frames and name new
//! session files; the host gets elapsed time and a [`Stopwatch`] as arguments.

use std::time::{Duration, Instant};

use crate::host::Stopwatch;

#[allow(
    clippy::disallowed_methods,
    reason = "the console turns wall time into simulated time and budgets its frames"
)]
pub fn wall_now() -> Instant {
    Instant::now()
}

/// The frame's stopwatch, lent to the host while it plays.
pub struct WallWatch(Instant);

impl WallWatch {
    pub fn start() -> Self {
        Self(wall_now())
    }
}

impl Stopwatch for WallWatch {
    fn elapsed(&mut self) -> Duration {
        self.0.elapsed()
    }
}

/// The wall-clock moment as "20260313-163000" (UTC), for default session names.
#[allow(
    clippy::disallowed_methods,
    reason = "the console names new session files after the moment they were started"
)]
pub fn wall_stamp() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let seconds = i64::try_from(seconds).unwrap_or(0);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = crate::scenario::time::civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}
