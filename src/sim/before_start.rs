//! Opening the exercise, and the world before T+0 it opens on: a campaign that began before
//! the exercise (a compromise weeks old when the exercise opens on its discovery) is played
//! from its start, with nobody noticing.

use super::Simulation;
use super::journal::{Event, Journal};
use super::state::{Agenda, Clock, Due};

impl Simulation {
    /// Plays what happened before T+0, then journals the exercise's start.
    pub(super) fn open(&mut self) {
        self.play_before_start();
        let plan = self.plan.clone();
        self.world.resource_mut::<Journal>().record(
            0,
            Event::ExerciseStarted {
                scenario: plan.name.clone(),
                seed: self.seed,
                start: plan.start.describe(),
                end: plan.end,
            },
        );
    }

    /// Plays what happened before T+0: campaigns that began before the exercise (a
    /// compromise weeks old when it is discovered) walk their stages, leave their traces
    /// and have their effects. Nobody notices anything before T+0 and nothing reacts to
    /// it yet (see `defence::on_exposure` and `observe`): the exercise opens on a world in
    /// which the intrusion is already under way. What cannot go unnoticed, files encrypted
    /// or systems down, is noticed at T+0; triggers and objectives see the earlier events
    /// from T+0. The journal holds these events before `exercise_started`, so its times
    /// never go back.
    fn play_before_start(&mut self) {
        let mut played = false;
        while let Some(t) = self.next_event_time().filter(|t| *t < 0) {
            self.process_minute(t);
            played = true;
        }
        if played {
            self.world.resource_mut::<Agenda>().push(0, Due::Opening);
        }
        self.world.resource_mut::<Clock>().now = 0;
        self.frontier = 0;
    }
}

#[cfg(test)]
mod tests;
