//! What moves the world behind a host: a plain run, a recorder (every command and checksum
//! on disk as it happens) or a recorded session under review (read-only).

use crate::scenario::Minute;
use crate::session::{Moved, RecordError, Recorder, Review};
use crate::sim::{Command, Simulation};

use super::HostError;

/// Each variant holds a whole simulation, so the big ones are boxed.
pub enum Driver {
    /// A headless run that records nothing (`tabletop run` without `--session`).
    Plain(Box<Simulation>),
    /// A live exercise: commands are written to the session before they take effect.
    Recording(Box<Recorder>),
    /// A recorded session under review: only the time slider moves it.
    Review(Box<Review>),
}

impl Driver {
    pub fn sim(&self) -> &Simulation {
        match self {
            Self::Plain(sim) => sim,
            Self::Recording(recorder) => recorder.simulation(),
            Self::Review(review) => review.sim(),
        }
    }

    pub fn review(&self) -> Option<&Review> {
        match self {
            Self::Review(review) => Some(review),
            _ => None,
        }
    }

    /// Queues a command at minute `at` (recorded first, when recording).
    pub fn submit(&mut self, at: Minute, command: Command) -> Result<u64, HostError> {
        match self {
            Self::Plain(sim) => Ok(sim.submit(at, command)?),
            Self::Recording(recorder) => Ok(recorder.submit(at, command)?),
            Self::Review(_) => Err(HostError::ReadOnly),
        }
    }

    /// Appends hot-wash answers to the session (a recording that has ended only).
    pub fn append_hotwash(
        &mut self,
        answers: &[crate::session::HotwashAnswer],
    ) -> Result<(), HostError> {
        match self {
            Self::Recording(recorder) => Ok(recorder.append_hotwash(answers)?),
            Self::Plain(_) => Err(HostError::NotRecorded),
            Self::Review(_) => Err(HostError::ReadOnly),
        }
    }

    /// Plays the next minute at which something is due.
    pub fn step(&mut self) -> Result<(), HostError> {
        match self {
            Self::Plain(sim) => {
                sim.step();
                Ok(())
            }
            Self::Recording(recorder) => Ok(recorder.step().map(|_| ())?),
            Self::Review(_) => Err(HostError::ReadOnly),
        }
    }

    /// Plays every minute before `t`.
    pub fn advance_to(&mut self, t: Minute) -> Result<(), HostError> {
        match self {
            Self::Plain(sim) => {
                sim.advance_to(t);
                Ok(())
            }
            Self::Recording(recorder) => Ok(recorder.advance_to(t)?),
            Self::Review(_) => Err(HostError::ReadOnly),
        }
    }

    /// Review: stands the recording at minute `t`.
    pub fn seek(&mut self, t: Minute) -> Result<Moved, HostError> {
        match self {
            Self::Review(review) => Ok(review.seek(t).map_err(RecordError::from)?),
            _ => Err(HostError::NotReview),
        }
    }

    pub fn into_simulation(self) -> Simulation {
        match self {
            Self::Plain(sim) => *sim,
            Self::Recording(recorder) => recorder.into_simulation(),
            Self::Review(review) => review.into_simulation(),
        }
    }
}
