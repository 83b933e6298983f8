//! What a panel asks of the console, applied after every panel has drawn: intents for the
//! host (the only way to the world), and the console's own business (selection, status
//! line, leaving).

use crate::host::Intent;
use crate::scenario::Minute;
use crate::sim::Command;

#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    /// Something for the host: a command, the clock, the seats.
    Host(Intent),
    /// Select an actor (by index) for the inspector.
    Select(Option<u32>),
    /// A line for the status bar (e.g. a field that does not parse).
    Say { text: String, error: bool },
    /// How many hours of flows the map draws.
    FlowWindow(Minute),
    /// Close the exercise (the session stays on disk, resumable) and go back to the start.
    Leave,
    /// Show the "Invite players" window.
    Players,
    /// Serve the trainees' pages on this address.
    Invite(std::net::SocketAddr),
    /// A new link for this seat (a role's id, or "projector"); the old one stops.
    Revoke(String),
    /// Write the printable seat cards beside the session.
    Cards,
}

/// The asks of one frame, in the order they were made.
#[derive(Clone, Debug, Default)]
pub struct Asks(pub Vec<Ask>);

impl Asks {
    pub fn give(&mut self, command: Command) {
        self.0.push(Ask::Host(Intent::Give(command)));
    }

    pub fn host(&mut self, intent: Intent) {
        self.0.push(Ask::Host(intent));
    }

    pub fn push(&mut self, ask: Ask) {
        self.0.push(ask);
    }

    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.0.push(Ask::Say {
            text: text.into(),
            error,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn take(&mut self) -> Vec<Ask> {
        std::mem::take(&mut self.0)
    }
}
