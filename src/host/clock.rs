//! The exercise clock: paused or playing, at what speed, toward which minute.
//!
//! Pure arithmetic on simulated minutes: wall time comes in as seconds elapsed since the
//! last frame, measured by the face (only faces read the wall clock, DESIGN.md rule 3).
//! The clock says which minute play should reach; the host plays up to it.

use crate::scenario::Minute;

/// How fast simulated time passes while the clock plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Speed {
    /// This many simulated seconds per wall second (1 is real time).
    Times(u32),
    /// As fast as the frame budget allows.
    Max,
}

impl Speed {
    /// The speeds the console offers.
    pub const PRESETS: [Self; 5] = [
        Self::Times(1),
        Self::Times(10),
        Self::Times(60),
        Self::Times(600),
        Self::Max,
    ];

    /// A facilitator's pace: one simulated minute a wall second.
    pub const DEFAULT: Self = Self::Times(60);

    pub fn label(self) -> String {
        match self {
            Self::Times(1) => "real time".to_owned(),
            Self::Times(n) => format!("×{n}"),
            Self::Max => "max".to_owned(),
        }
    }

    /// Simulated minutes per wall second; `None` for as fast as possible.
    pub fn minutes_per_second(self) -> Option<f64> {
        match self {
            Self::Times(n) => Some(f64::from(n.max(1)) / 60.0),
            Self::Max => None,
        }
    }
}

impl Default for Speed {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Where the clock is going.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    /// Whether simulated time follows wall time.
    pub playing: bool,
    pub speed: Speed,
    /// Fast-forward to this minute (as fast as the budget allows), then pause.
    pub jump_to: Option<Minute>,
    /// Never play past this minute: the clock pauses there (`run --until` at a pace).
    pub stop_at: Option<Minute>,
    /// The clock at real-time speeds, in fractional simulated minutes: wall time adds to
    /// it, and the minute it has reached is played.
    position: f64,
}

impl Clock {
    /// A paused clock standing at minute `now`.
    pub fn paused_at(now: Minute) -> Self {
        Self {
            playing: false,
            speed: Speed::DEFAULT,
            jump_to: None,
            stop_at: None,
            position: minutes_f64(now),
        }
    }

    /// The last minute to play this frame, given the minute on display and the wall
    /// seconds since the last frame; `None` when the clock stands still. `last` is the
    /// exercise's last minute.
    pub fn goal(&mut self, now: Minute, last: Minute, wall_seconds: f64) -> Option<Minute> {
        let goal = if let Some(target) = self.jump_to {
            target
        } else if self.playing {
            match self.speed.minutes_per_second() {
                None => last,
                Some(rate) => {
                    self.position += wall_seconds.max(0.0) * rate;
                    whole_minutes(self.position).max(now)
                }
            }
        } else {
            return None;
        };
        Some(self.stop_at.map_or(goal, |stop| goal.min(stop)).min(last))
    }

    /// After playing: the clock never runs ahead of the minute on display by more than
    /// one (a frame whose budget ran out falls behind gracefully instead of racing) and
    /// never lags behind it (a step or a jump moved the world).
    pub fn settle(&mut self, now: Minute) {
        let now = minutes_f64(now);
        self.position = self.position.clamp(now, now + 1.0);
    }

    /// Catches the fractional clock up with the minute on display, e.g. after a step.
    pub fn catch_up(&mut self, now: Minute) {
        self.position = self.position.max(minutes_f64(now));
    }

    /// Seconds of wall time until the clock reaches its next whole minute at its speed:
    /// a face need not redraw before then.
    pub fn seconds_to_next_minute(&self) -> Option<f64> {
        let rate = self.speed.minutes_per_second()?;
        Some((self.position.floor() + 1.0 - self.position) / rate)
    }

    /// Stops playing and forgets any jump.
    pub fn pause(&mut self) {
        self.playing = false;
        self.jump_to = None;
    }
}

#[allow(
    clippy::cast_precision_loss,
    reason = "minutes of an exercise fit in f64"
)]
fn minutes_f64(t: Minute) -> f64 {
    t as f64
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "the clock stays within the exercise's minutes"
)]
fn whole_minutes(position: f64) -> Minute {
    position.floor() as Minute
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paused_clock_stands_still_whatever_the_wall_clock_does() {
        let mut clock = Clock::paused_at(300);
        assert_eq!(clock.goal(300, 10_000, 3_600.0), None);
    }

    #[test]
    fn at_sixty_times_a_wall_second_is_a_simulated_minute() {
        let mut clock = Clock::paused_at(300);
        clock.playing = true;
        assert_eq!(clock.goal(300, 10_000, 0.5), Some(300));
        assert_eq!(clock.goal(300, 10_000, 0.6), Some(301));
        clock.speed = Speed::Times(600);
        assert_eq!(clock.goal(301, 10_000, 1.0), Some(311));
    }

    #[test]
    fn a_jump_goes_to_its_minute_and_the_stop_caps_everything() {
        let mut clock = Clock::paused_at(0);
        clock.jump_to = Some(900);
        assert_eq!(clock.goal(0, 10_000, 0.0), Some(900));
        clock.stop_at = Some(600);
        assert_eq!(clock.goal(0, 10_000, 0.0), Some(600));
        clock.jump_to = None;
        clock.playing = true;
        clock.speed = Speed::Max;
        assert_eq!(clock.goal(0, 10_000, 0.0), Some(600));
        clock.stop_at = None;
        assert_eq!(clock.goal(0, 10_000, 0.0), Some(10_000));
    }

    #[test]
    fn a_clock_that_fell_behind_does_not_race_to_catch_up() {
        let mut clock = Clock::paused_at(0);
        clock.playing = true;
        // An hour of wall time at ×60 while the frame budget played only to minute 5.
        assert_eq!(clock.goal(0, 10_000, 3_600.0), Some(3_600));
        clock.settle(5);
        assert_eq!(clock.goal(5, 10_000, 0.0), Some(6));
    }

    #[test]
    fn speeds_read_as_a_facilitator_says_them() {
        let labels: Vec<String> = Speed::PRESETS.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["real time", "×10", "×60", "×600", "max"]);
    }
}
