//! Playing: wall time in, minutes played out, within a frame's budget; auto-pause on what
//! the facilitator asked to see; "next event" lands on the event's minute.

use std::time::Duration;

use super::{Clock, FrameBudget, FrameStats, Host, HostError, Reply, Speed, Stopwatch};
use crate::scenario::{Minute, time::format_offset};
use crate::session::Moved;
use crate::sim::Event;

impl Host {
    /// Plays the next minute at which something is due (commands given while paused
    /// included) and stops there: the clock shows that minute.
    pub(super) fn step(&mut self) -> Reply {
        self.clock.pause();
        if self.sim().is_finished() {
            return self.refuse("the exercise has ended");
        }
        if let Err(e) = self.driver.step() {
            return self.refuse(e.to_string());
        }
        self.alerts_read = self.sim().journal().len();
        let now = self.now();
        self.clock.catch_up(now);
        let wall = self.sim().plan().start.plus(now).describe();
        self.say(format!("played {} ({wall})", format_offset(now)), false);
        Reply::Done
    }

    pub(super) fn seek(&mut self, t: Minute) -> Reply {
        match self.driver.seek(t) {
            Ok(moved) => {
                match moved {
                    Moved::Back => self.seats.rebuild(self.driver.sim()),
                    Moved::Forward => self.seats.refresh(self.driver.sim()),
                    Moved::Stayed => {}
                }
                self.alerts_read = self.sim().journal().len();
                let speed = self.clock.speed;
                self.clock = Clock::paused_at(self.now());
                self.clock.speed = speed;
                Reply::Moved(moved)
            }
            Err(e) => self.refuse(e.to_string()),
        }
    }

    /// Brings the open seats' views up to date (cheap: each reads only what is new).
    pub fn refresh_seats(&mut self) {
        self.seats.refresh(self.driver.sim());
    }

    /// Why play should pause, from what the journal gained since the last look.
    fn alert(&mut self) -> Option<&'static str> {
        let journal = self.driver.sim().journal();
        let new = journal.get(self.alerts_read..).unwrap_or_default();
        self.alerts_read = journal.len();
        let (mut fired, mut raised) = (false, false);
        for entry in new {
            match entry.event {
                Event::InjectFired { .. } => fired = true,
                Event::DecisionRaised { .. } => raised = true,
                _ => {}
            }
        }
        if raised && self.pause_on_decision {
            Some("a decision was raised")
        } else if fired && self.pause_on_inject {
            Some("an inject fired")
        } else {
            None
        }
    }

    /// Plays this frame's share of the exercise: toward the jump target, or as far as the
    /// clock's speed says after `wall` of wall time, within `budget` measured on `watch`.
    /// Pauses where the facilitator asked (an inject fired, a decision raised).
    pub fn advance(
        &mut self,
        wall: Duration,
        budget: FrameBudget,
        watch: &mut dyn Stopwatch,
    ) -> FrameStats {
        let mut stats = FrameStats::default();
        if self.is_review() {
            self.clock.pause();
            return stats;
        }
        let last = self.sim().end();
        let Some(goal) = self.clock.goal(self.now(), last, wall.as_secs_f64()) else {
            return stats;
        };
        let started = watch.elapsed();
        let budget_time = Duration::from_micros(budget.max_micros);
        while !self.sim().is_finished() {
            match self.sim().next_event_time() {
                Some(t) if t <= goal => {
                    let before = watch.elapsed();
                    if let Err(e) = self.driver.step() {
                        self.clock.pause();
                        self.say(e.to_string(), true);
                        break;
                    }
                    stats.steps += 1;
                    self.step_cost
                        .observe(watch.elapsed().saturating_sub(before));
                    if let Some(why) = self.alert() {
                        self.clock.pause();
                        let now = self.now();
                        self.say(format!("paused at {}: {why}", format_offset(now)), false);
                        break;
                    }
                }
                _ => {
                    // Nothing due up to the goal: the quiet minutes pass at once.
                    if let Err(e) = self.driver.advance_to(goal + 1) {
                        self.clock.pause();
                        self.say(e.to_string(), true);
                    }
                    break;
                }
            }
            let spent = watch.elapsed().saturating_sub(started);
            if stats.steps >= budget.max_steps || !self.step_cost.fits(spent, budget_time) {
                break;
            }
        }
        stats.sim_micros =
            u64::try_from(watch.elapsed().saturating_sub(started).as_micros()).unwrap_or(u64::MAX);
        self.arrive();
        stats
    }

    /// After playing: a jump that arrived, a stop reached, the end of the exercise.
    fn arrive(&mut self) {
        let now = self.now();
        let finished = self.sim().is_finished();
        if let Some(target) = self.clock.jump_to
            && (now >= target || finished)
        {
            self.clock.pause();
            let wall = self.sim().plan().start.plus(now).describe();
            self.say(format!("arrived at {} ({wall})", format_offset(now)), false);
        }
        if self.clock.stop_at.is_some_and(|stop| now >= stop) {
            self.clock.pause();
        }
        if finished {
            if self.clock.playing {
                self.say("the exercise has ended", false);
            }
            self.clock.pause();
        }
        self.clock.settle(now);
    }

    /// Plays every minute up to and including `t` at once (headless runs).
    pub fn play_through(&mut self, t: Minute) -> Result<(), HostError> {
        self.driver.advance_to(t.saturating_add(1))
    }

    /// Plays at a pace until `stop` (or the end): `run --pace`.
    pub fn play_at(&mut self, speed: Speed, stop: Option<Minute>) {
        self.clock.speed = speed;
        self.clock.stop_at = stop;
        self.clock.playing = !self.sim().is_finished();
    }

    /// Seconds of wall time until the clock's next whole minute: a face need not wake
    /// before then. `None` when paused or at full speed.
    pub fn seconds_to_next_minute(&self) -> Option<f64> {
        if !self.clock.playing || self.clock.jump_to.is_some() {
            return None;
        }
        self.clock.seconds_to_next_minute()
    }
}
