//! The white cell's thread: trainees' messages to exercise control and control's answers,
//! as the pages show them. Read from the journal (where the commands put them), so the
//! thread after a resume is the thread before it; read incrementally, so a month-long
//! exercise with a long journal costs each publish only what was written since the last.

use serde::Serialize;

use crate::scenario::time::format_offset;
use crate::sim::journal::{Entry, Event};

/// One message, either way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub at: String,
    /// The role the message is from (to control) or to (from control).
    pub role: String,
    /// The controller who wrote it; empty for a trainee's message.
    pub by: String,
    pub to_control: bool,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Thread {
    scanned: usize,
    messages: Vec<Message>,
}

impl Thread {
    /// Reads the journal's entries added since the last call.
    pub fn update(&mut self, journal: &[Entry]) {
        if self.scanned > journal.len() {
            *self = Self::default();
        }
        for entry in &journal[self.scanned..] {
            let message = match &entry.event {
                Event::MessageToControl { role, text } => Message {
                    at: format_offset(entry.t),
                    role: role.to_string(),
                    by: String::new(),
                    to_control: true,
                    text: text.to_string(),
                },
                Event::MessageFromControl { role, by, text } => Message {
                    at: format_offset(entry.t),
                    role: role.to_string(),
                    by: by.to_string(),
                    to_control: false,
                    text: text.to_string(),
                },
                _ => continue,
            };
            self.messages.push(message);
        }
        self.scanned = journal.len();
    }

    pub fn all(&self) -> &[Message] {
        &self.messages
    }

    /// The messages one role's seat sees: its own, and control's to it.
    pub fn of(&self, role: &str) -> Vec<Message> {
        self.messages
            .iter()
            .filter(|m| m.role == role)
            .cloned()
            .collect()
    }
}
