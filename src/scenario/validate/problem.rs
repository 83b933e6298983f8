//! What a check finds: a problem at an item path, of a kind a caller can tell apart (an
//! unknown id, an actor of the wrong kind) or any other broken rule with its message.

use std::fmt;

use crate::scenario::locate::ItemPath;

use super::actor::ActorKind;

/// One problem: where it is and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub path: ItemPath,
    pub kind: ProblemKind,
}

/// What is wrong. `Display` gives the diagnostic's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A reference that names nothing of the kind it must.
    Unknown(Unknown),
    /// An actor reference naming an actor of another kind.
    WrongActor {
        id: String,
        is: ActorKind,
        /// What the reference must name, e.g. "CSIRT".
        wanted: &'static str,
        /// Up to ten ids of the wanted kind, quoted, or "none".
        known: String,
    },
    /// Any other rule the scenario breaks, as its message.
    Rule(String),
}

/// An id that names nothing of the kind a reference must name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// What the id must name: "entity", "campaign", "indicator", …
    pub what: &'static str,
    pub id: String,
    /// Where the id was looked for.
    pub scope: Scope,
    /// Up to ten ids that would do, quoted, or "none".
    pub known: String,
    /// The known id a small typo away, if one is. Not part of the diagnostic's text (which
    /// the golden tests pin); the console offers it.
    pub near: Option<String>,
    /// What follows from the problem, appended to the message ("; the step could never
    /// start"); usually empty.
    pub then: &'static str,
}

/// Where a reference is looked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole scenario.
    Scenario,
    /// The item's own campaign.
    ThisCampaign,
    /// The item's own procedure.
    ThisProcedure,
    /// A campaign the item names.
    Campaign(String),
    /// A procedure the item names.
    Procedure(String),
    /// A top-level list of the file, e.g. `vulnerabilities`.
    List(&'static str),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scenario => Ok(()),
            Self::ThisCampaign => f.write_str(" in this campaign"),
            Self::ThisProcedure => f.write_str(" in this procedure"),
            Self::Campaign(id) => write!(f, " in campaign \"{id}\""),
            Self::Procedure(id) => write!(f, " in procedure \"{id}\""),
            Self::List(name) => write!(f, " in `{name}`"),
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(Unknown {
                what,
                id,
                scope,
                known,
                then,
                ..
            }) => write!(f, "no {what} \"{id}\"{scope}; known: {known}{then}"),
            Self::WrongActor {
                id,
                is,
                wanted,
                known,
            } => write!(
                f,
                "\"{id}\" is {}, not {wanted}; known: {known}",
                is.describe()
            ),
            Self::Rule(message) => f.write_str(message),
        }
    }
}

/// Every problem found so far, in the order the checks ran.
#[derive(Debug, Default)]
pub(super) struct Found(Vec<Finding>);

impl Found {
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// A broken rule, as its message.
    pub(super) fn push(&mut self, (path, message): (ItemPath, String)) {
        self.add(path, ProblemKind::Rule(message));
    }

    pub(super) fn add(&mut self, path: ItemPath, kind: ProblemKind) {
        self.0.push(Finding { path, kind });
    }

    pub(super) fn into_vec(self) -> Vec<Finding> {
        self.0
    }
}
