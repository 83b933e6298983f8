//! One running exercise, whatever face drives it: the console, a trainee's window,
//! `tabletop run --pace`, and later the server.
//!
//! A [`Host`] owns what moves the world (a plain run, a [`Recorder`] or a [`Review`]), the
//! exercise [`Clock`], the commands every face gave, and the views of open seats. Faces
//! give [`Intent`]s and read back; wall time comes in as an argument ([`Host::advance`]),
//! so the host has no egui, no tokio, no socket and no clock of its own, and its rules are
//! tested without a window.
//!
//! **Paused means frozen.** A command given while the clock is paused is written to the
//! session at once (nothing is lost) and stamped with the first minute not yet played, but
//! the host does not play that minute: the clock on display stays where it is and no
//! decision deadline burns until play resumes or the facilitator steps. Faces show such a
//! command as given for the next minute ([`Host::queued`]). (The alternative, a command
//! phase run at the paused minute, would show only half of a command's effect: most
//! commands act through the rest of their minute's systems.)
//!
//! **The clock shows the last minute played** ([`Simulation::played_to`]): after "next
//! event" plays the event at T+5h, the clock reads T+5h and the event is in the journal.

mod budget;
mod clock;
mod driver;
mod handle;
mod intent;
mod open;
mod play;
mod room;
mod seats;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use budget::{FrameBudget, FrameStats, StepCost, Stopwatch};
pub use clock::{Clock, Speed};
pub use driver::Driver;
pub use intent::{Given, Intent, Reply};
pub use room::Room;
pub use seats::{Seat, Seats};

use crate::scenario::{Minute, Scenario};
use crate::session::{RecordError, ReplayError, Review, SessionError, SignError};
use crate::sim::{BuildError, CommandError, Simulation, Stamped};

/// What a face is told when a review is asked to change the world.
pub const READ_ONLY: &str =
    "reviewing a recorded session: read-only — use `tabletop branch` to continue differently";

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Signature(#[from] SignError),
    #[error("cannot create {path}: {reason}")]
    Directory { path: String, reason: String },
    #[error("{READ_ONLY}")]
    ReadOnly,
    #[error("the time slider only moves a recorded session")]
    NotReview,
    #[error("this run records no session: there is nowhere to keep hot-wash answers")]
    NotRecorded,
}

/// One line for the facilitator: what the host just did, or why it could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// A running exercise (or a recorded one under review).
pub struct Host {
    driver: Driver,
    scenario: Scenario,
    scenario_path: String,
    session_path: Option<PathBuf>,
    clock: Clock,
    pause_on_inject: bool,
    pause_on_decision: bool,
    /// The console's zoom and theme, kept with the room so resume restores them.
    look: (u32, bool),
    /// The projector's own text scale in percent, kept with the room too.
    projector_percent: u32,
    /// Every command of this session, in order: those recorded before a resume too.
    given: Vec<Stamped>,
    seats: Seats,
    /// How far the journal was read for auto-pause alerts.
    alerts_read: usize,
    step_cost: StepCost,
    notice: Option<Notice>,
}

impl Host {
    pub(super) fn new(
        driver: Driver,
        scenario: Scenario,
        scenario_path: &str,
        session_path: Option<&Path>,
    ) -> Self {
        let sim = driver.sim();
        let now = driver.review().map_or_else(|| sim.played_to(), Review::at);
        let room = Room::default();
        let alerts_read = sim.journal().len();
        Self {
            driver,
            scenario,
            scenario_path: scenario_path.to_owned(),
            session_path: session_path.map(Path::to_path_buf),
            clock: Clock::paused_at(now),
            pause_on_inject: room.pause_on_inject,
            pause_on_decision: room.pause_on_decision,
            look: (room.zoom_percent, room.light),
            projector_percent: room.projector_percent,
            given: Vec::new(),
            seats: Seats::default(),
            alerts_read,
            step_cost: StepCost::default(),
            notice: None,
        }
    }

    /// Appends hot-wash answers to the session, after the end of the exercise.
    pub fn append_hotwash(
        &mut self,
        answers: &[crate::session::HotwashAnswer],
    ) -> Result<(), HostError> {
        self.driver.append_hotwash(answers)
    }

    pub fn sim(&self) -> &Simulation {
        self.driver.sim()
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn scenario_path(&self) -> &str {
        &self.scenario_path
    }

    pub fn session_path(&self) -> Option<&Path> {
        self.session_path.as_deref()
    }

    pub fn review_state(&self) -> Option<&Review> {
        self.driver.review()
    }

    pub fn is_review(&self) -> bool {
        self.driver.review().is_some()
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn is_playing(&self) -> bool {
        self.clock.playing || self.clock.jump_to.is_some()
    }

    pub fn pause_on(&self) -> (bool, bool) {
        (self.pause_on_inject, self.pause_on_decision)
    }

    /// The minute on display: the last minute played (under review, the slider's minute).
    pub fn now(&self) -> Minute {
        self.driver
            .review()
            .map_or_else(|| self.sim().played_to(), Review::at)
    }

    /// Every command of the session, in order, with its minute and sequence number.
    pub fn given(&self) -> &[Stamped] {
        &self.given
    }

    /// Commands given but not yet played: while paused, those given for the next minute.
    pub fn queued(&self) -> &[Stamped] {
        let frontier = self.sim().earliest_command_time();
        let first = self.given.partition_point(|s| s.at < frontier);
        &self.given[first..]
    }

    pub fn seats(&self) -> &Seats {
        &self.seats
    }

    /// Takes the latest notice for the face's status line.
    pub fn take_notice(&mut self) -> Option<Notice> {
        self.notice.take()
    }

    pub(super) fn say(&mut self, text: impl Into<String>, error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            error,
        });
    }

    /// The simulation, when the face is done (the summary, the journal).
    pub fn into_simulation(self) -> Simulation {
        self.driver.into_simulation()
    }
}
