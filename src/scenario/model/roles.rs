//! The parts trainees play, and what each may do on its own initiative.

use serde::{Deserialize, Serialize};

use super::Id;

/// A part a trainee plays, e.g. "financial CSIRT duty analyst" for `fin-csirt`. The player
/// sees only what that actor knows, answers the decisions the role owns and may take the
/// actions listed in `actions` at any time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Id,
    pub title: String,
    /// The CSIRT, authority or organisation the role acts for.
    pub actor: Id,
    /// Decisions this role answers: a procedure's decision step as "sop-id/step-id", or
    /// the id of an inject that asks a question.
    #[serde(default)]
    pub decisions: Vec<String>,
    /// What the player reads before the exercise starts.
    #[serde(default)]
    pub briefing: String,
    /// What the player may do on their own initiative. Omitted: everything the actor's
    /// kind and services allow (see `ActionKind`).
    #[serde(default)]
    pub actions: Option<Vec<ActionKind>>,
}

/// What an actor is, as far as the actions open to a role playing it go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capacities {
    pub csirt: bool,
    pub entity: bool,
    /// A CSIRT offering `Warnings`.
    pub warnings: bool,
    /// A CSIRT offering `Scanning`, or an organisation whose CSIRT does.
    pub scanning: bool,
    /// A CSIRT with `escalation` rules.
    pub escalation: bool,
}

/// What a player may do on their own initiative, besides answering prompts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    /// Pass indicators the actor holds to a chosen actor under a TLP marking (any actor).
    Share,
    /// Warn the CSIRT's constituency with indicators (a CSIRT offering `Warnings`).
    Warn,
    /// Scan a constituent's exposed services (a CSIRT offering `Scanning`), or ask one's
    /// CSIRT for a scan (an organisation whose CSIRT offers it).
    RequestScan,
    /// Send a report the organisation owes for one of its incidents (an organisation).
    Report,
    /// Raise the CSIRT's crisis level (a CSIRT with escalation levels).
    RaiseCrisis,
}

impl ActionKind {
    pub const ALL: [Self; 5] = [
        Self::Share,
        Self::Warn,
        Self::RequestScan,
        Self::Report,
        Self::RaiseCrisis,
    ];

    /// Whether an actor with these capacities can take this action at all, and if not, why.
    pub fn open_to(self, actor: &str, can: &Capacities) -> Result<(), String> {
        match self {
            Self::Share => Ok(()),
            Self::Warn if can.csirt && can.warnings => Ok(()),
            Self::Warn => Err(format!(
                "\"{actor}\" cannot warn a constituency: only a CSIRT offering Warnings can"
            )),
            Self::RequestScan if can.scanning => Ok(()),
            Self::RequestScan => Err(format!(
                "\"{actor}\" cannot request a scan: a CSIRT must offer Scanning (its own, or the organisation's CSIRT)"
            )),
            Self::Report if can.entity => Ok(()),
            Self::Report => Err(format!(
                "\"{actor}\" sends no incident reports: only organisations do"
            )),
            Self::RaiseCrisis if can.csirt && can.escalation => Ok(()),
            Self::RaiseCrisis => Err(format!(
                "\"{actor}\" has no crisis levels to raise: only a CSIRT with `escalation` rules can"
            )),
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Share => "share indicators",
            Self::Warn => "warn the constituency",
            Self::RequestScan => "request a scan",
            Self::Report => "send a report",
            Self::RaiseCrisis => "raise the crisis level",
        }
    }
}
