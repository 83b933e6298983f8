//! What a face may ask of the host, and what the host answers.
//!
//! Faces (the console, a trainee's window, `run --pace`, later the server) never touch the
//! world: they give intents. The ones that change the world become [`Command`]s, written
//! to the session before they take effect; the rest move the clock or arrange the room.

use crate::scenario::Minute;
use crate::sim::{Command, PlayerAction};

use super::clock::Speed;

#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// The facilitator gives a command (fire, delay, skip, compose, observe, share, rate,
    /// or a decision answered for an absent player).
    Give(Command),
    /// A trainee answers one of their role's decisions.
    Answer {
        role: String,
        decision: String,
        option: String,
    },
    /// A trainee answers a free-text discussion question in their own words.
    AnswerInWords {
        role: String,
        decision: String,
        text: String,
    },
    /// A trainee acts through their role. Checked first so the answer can say why it would
    /// be refused, and given in any case: a refused attempt is evidence for the review.
    Act {
        role: String,
        action: PlayerAction,
    },
    TogglePlay,
    /// Play the next minute at which something is due, and stop there.
    Step,
    SetSpeed(Speed),
    /// Fast-forward to this minute, then pause.
    JumpTo(Minute),
    /// Review: stand the recorded session at this minute.
    Seek(Minute),
    /// Pause when an inject fires / when a decision is raised.
    PauseOn {
        inject: bool,
        decision: bool,
    },
    /// Open or close a role's seat (its view is kept up to date while open).
    Seat {
        role: String,
        open: bool,
    },
    /// Show or hide the projector's public picture.
    Projector(bool),
}

/// A command the host wrote to the session and queued.
#[derive(Clone, Debug, PartialEq)]
pub struct Given {
    /// The minute it takes effect: the first minute not yet played.
    pub at: Minute,
    pub seq: u64,
    pub label: &'static str,
    /// For a trainee's action: what it will do (`Ok`), or why the engine will refuse it
    /// (`Err`), as checked before it was given.
    pub check: Option<Result<String, String>>,
}

/// The host's answer to an intent.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// A command was recorded and queued.
    Given(Given),
    /// Nothing changed in the world, and here is why (a review, the exercise has ended, a
    /// minute already past, a session that cannot be written).
    Refused(String),
    /// The clock or the room changed.
    Done,
    /// A review moved; after `Back` the journal is a new one, so journal digests restart.
    Moved(crate::session::Moved),
}
