//! Commands: every outside influence on a run (DESIGN.md determinism rule 4).
//!
//! The facilitator's console, players and scripts change the world only by submitting a
//! command with a simulated minute; commands due at minute t are applied in (t, sequence)
//! order before that minute's systems run. A session records them; replay re-applies them.

use serde::{Deserialize, Serialize};

use crate::scenario::{Duration, Inject, Minute, Tlp, time::format_offset};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Fire a pending inject now.
    FireInject { inject: String },
    /// Push a pending inject back (or its contingency deadline, for `Unless` injects).
    DelayInject { inject: String, by: Duration },
    /// Never fire this inject.
    SkipInject { inject: String },
    /// An ad-hoc inject composed by the facilitator from the scenario's vocabulary.
    ComposeInject { inject: Box<Inject> },
    /// A facilitator's or evaluator's note, kept in the journal.
    Observe { author: String, text: String },
    /// A player passes indicators their actor holds to another actor, under a TLP marking.
    Share {
        from: String,
        to: String,
        indicators: Vec<String>,
        tlp: Tlp,
    },
}

impl Command {
    /// A short name for messages and the journal.
    pub fn label(&self) -> &'static str {
        match self {
            Self::FireInject { .. } => "fire_inject",
            Self::DelayInject { .. } => "delay_inject",
            Self::SkipInject { .. } => "skip_inject",
            Self::ComposeInject { .. } => "compose_inject",
            Self::Observe { .. } => "observe",
            Self::Share { .. } => "share",
        }
    }
}

/// A command with its simulated minute and sequence number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stamped {
    pub at: Minute,
    pub seq: u64,
    pub command: Command,
}

/// Why a command cannot be accepted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CommandError {
    #[error("{} is in the past: the earliest a command can take effect is {}", format_offset(*.at), format_offset(*.earliest))]
    InThePast { at: Minute, earliest: Minute },
    #[error("{} is after the end of the exercise ({})", format_offset(*.at), format_offset(*.end))]
    AfterTheEnd { at: Minute, end: Minute },
    #[error("{0}")]
    Invalid(String),
}
