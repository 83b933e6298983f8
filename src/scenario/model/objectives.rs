//! Objectives: checkable statements of what the exercise should achieve.

use serde::{Deserialize, Serialize};

use super::Id;
use super::patterns::EventPattern;
use super::sector::Sector;
use crate::scenario::time::Duration;

/// A checkable statement of what the exercise should achieve (HSEEP evaluation).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: Id,
    pub title: String,
    pub check: Check,
    /// What a Monte Carlo sweep must show of how often it is met, e.g. `AtLeast(90)`:
    /// `tabletop sweep` judges it as `--expect "ID >= 90%"` would (exit 3 when it fails or
    /// is undecided), so a CSIRT's CI catches a procedure edit that makes it worse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

/// A sweep's expectation of an objective's hit rate, in percent of the seeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expect {
    /// Met in at least this percentage of runs.
    AtLeast(u32),
    /// Met in at most this percentage (an objective that counts something bad).
    AtMost(u32),
}

impl Expect {
    /// As `--expect` takes it, after the objective's id: ">= 90%".
    pub fn label(self) -> String {
        match self {
            Self::AtLeast(p) => format!(">= {p}%"),
            Self::AtMost(p) => format!("<= {p}%"),
        }
    }

    pub const fn percent(self) -> u32 {
        match self {
            Self::AtLeast(p) | Self::AtMost(p) => p,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    /// `expected` happens within `within` of the first `after`.
    Deadline {
        after: EventPattern,
        expected: EventPattern,
        within: Duration,
    },
    /// Every organisation of `sector` knows `indicator` within `within` of the first `after`.
    Coverage {
        sector: Sector,
        indicator: Id,
        after: EventPattern,
        within: Duration,
    },
    /// `event` never happens during the exercise.
    Absence(EventPattern),
    /// `first` happens before `then` (met when `first` comes, missed if `then` comes first).
    Ordering {
        first: EventPattern,
        then: EventPattern,
    },
}
