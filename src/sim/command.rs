//! Commands: every outside influence on a run (DESIGN.md determinism rule 4).
//!
//! The facilitator's console, players and scripts change the world only by submitting a
//! command with a simulated minute; commands due at minute t are applied in (t, sequence)
//! order before that minute's systems run. A session records them; replay re-applies them.

use serde::{Deserialize, Serialize};

use crate::scenario::{
    ActionKind, CrisisLevel, Duration, Inject, Minute, ReportKind, Tlp, time::format_offset,
};

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
    /// A player (or the facilitator for an absent one) answers a decision point, named as
    /// journaled in `decision_raised`: "fin-csirt/fin-intake#1/escalate".
    Decide {
        decision: String,
        option: String,
        by: String,
    },
    /// A player (or the facilitator for an absent one) answers a free-text discussion
    /// question in their own words, named as journaled: "journalist-call:who-speaks@ducksends".
    Answer {
        decision: String,
        text: String,
        by: String,
    },
    /// An evaluator rates an objective on the HSEEP scale, with a comment.
    Rate {
        objective: String,
        rating: Rating,
        evaluator: String,
        comment: String,
    },
    /// An evaluator rates how the players handled a decision or a discussion question, named
    /// as journaled ("journalist-call:who-speaks@ducksends"), on the HSEEP scale.
    RateAnswer {
        decision: String,
        rating: Rating,
        evaluator: String,
        comment: String,
    },
    /// A trainee writes to exercise control (the white cell): "we call the regulator", "we
    /// ask the vendor for the patch". Nothing in the world changes; control answers.
    ToControl { role: String, text: String },
    /// Exercise control writes to a role: an answer, or a message of its own, signed `by`
    /// the controller.
    FromControl {
        role: String,
        by: String,
        text: String,
    },
    /// A player acts on their own initiative through their role (checked against what the
    /// role may do and the rules of the world, e.g. TLP).
    Act { role: String, action: PlayerAction },
    /// The facilitator passes indicators an actor holds to another actor, under a TLP marking.
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
            Self::Rate { .. } => "rate",
            Self::RateAnswer { .. } => "rate_answer",
            Self::ToControl { .. } => "to_control",
            Self::FromControl { .. } => "from_control",
            Self::Decide { .. } => "decide",
            Self::Answer { .. } => "answer",
            Self::Share { .. } => "share",
            Self::Act { action, .. } => action.label(),
        }
    }
}

/// What a player can do on their own initiative (one per [`ActionKind`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PlayerAction {
    /// Pass indicators the actor holds to `to`, under `tlp`.
    Share {
        to: String,
        indicators: Vec<String>,
        tlp: Tlp,
    },
    /// Warn every organisation of the CSIRT's constituency with indicators, under `tlp`.
    Warn { indicators: Vec<String>, tlp: Tlp },
    /// A CSIRT scans `entity` (or its whole constituency); an organisation asks its CSIRT
    /// to scan it (`entity` is then the organisation itself or omitted).
    RequestScan { entity: Option<String> },
    /// An organisation sends the report it owes for its incident number `incident`.
    Report { incident: u32, report: ReportKind },
    /// A CSIRT raises its crisis level.
    RaiseCrisis { level: CrisisLevel },
}

impl PlayerAction {
    pub const fn kind(&self) -> ActionKind {
        match self {
            Self::Share { .. } => ActionKind::Share,
            Self::Warn { .. } => ActionKind::Warn,
            Self::RequestScan { .. } => ActionKind::RequestScan,
            Self::Report { .. } => ActionKind::Report,
            Self::RaiseCrisis { .. } => ActionKind::RaiseCrisis,
        }
    }

    /// The name the journal uses.
    pub const fn label(&self) -> &'static str {
        match self.kind() {
            ActionKind::Share => "player_share",
            ActionKind::Warn => "player_warn",
            ActionKind::RequestScan => "player_request_scan",
            ActionKind::Report => "player_report",
            ActionKind::RaiseCrisis => "player_raise_crisis",
        }
    }
}

/// HSEEP's rating scale for an objective's performance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    /// P: performed without challenges.
    Performed,
    /// S: performed with some challenges.
    SomeChallenges,
    /// M: performed with major challenges.
    MajorChallenges,
    /// U: unable to be performed.
    Unable,
}

impl Rating {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Performed => "performed without challenges (P)",
            Self::SomeChallenges => "performed with some challenges (S)",
            Self::MajorChallenges => "performed with major challenges (M)",
            Self::Unable => "unable to be performed (U)",
        }
    }

    /// HSEEP's one-letter code: P, S, M or U.
    pub const fn letter(self) -> &'static str {
        match self {
            Self::Performed => "P",
            Self::SomeChallenges => "S",
            Self::MajorChallenges => "M",
            Self::Unable => "U",
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
