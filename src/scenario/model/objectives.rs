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
