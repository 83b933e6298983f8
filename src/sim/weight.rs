//! How much each journal event matters to the people who read it, decided once for every
//! face: the report's timeline and the console show the key events, the CLI summary's
//! timeline a shorter list of what a facilitator follows, and a review steps between
//! milestones. Working steps, deliveries and individual learning stay in the journal.

use super::journal::Event;

/// How far up the reading an event goes: each level includes the ones above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weight {
    /// Bookkeeping: queueing, working, learning one indicator, a report falling due.
    Detail,
    /// Worth a line in the report's timeline and the console's feed.
    Key,
    /// What a facilitator follows in the CLI summary's timeline.
    Followed,
    /// Where a review stops when stepping: injects, decisions, objectives.
    Milestone,
}

impl Event {
    pub fn weight(&self) -> Weight {
        match self {
            Self::IndicatorLearned { .. }
            | Self::WorkQueued { .. }
            | Self::WorkStarted { .. }
            | Self::WorkFinished { .. }
            | Self::ReportDue { .. }
            | Self::ReportReceived { .. }
            | Self::TipReceived { noticed: false, .. } => Weight::Detail,
            Self::ExerciseStarted { .. }
            | Self::ExerciseEnded {}
            | Self::StageCompleted { .. }
            | Self::Classified { major: false, .. }
            | Self::IncidentNoted { .. }
            | Self::Feedback { .. }
            | Self::StepFinished { .. }
            | Self::SopStarted { .. }
            | Self::ChannelFallback { .. }
            | Self::CrisisActionTaken { .. } => Weight::Key,
            Self::InjectFired { .. }
            | Self::DecisionRaised { .. }
            | Self::DecisionTaken { .. }
            | Self::QuestionAnswered { .. }
            | Self::QuestionUnanswered { .. }
            | Self::ObjectiveMet { .. }
            | Self::ObjectiveMissed { .. } => Weight::Milestone,
            _ => Weight::Followed,
        }
    }

    /// Worth a line in the report's timeline and the console's feed.
    pub fn is_key(&self) -> bool {
        self.weight() >= Weight::Key
    }

    /// On the CLI summary's timeline.
    pub fn is_followed(&self) -> bool {
        self.weight() >= Weight::Followed
    }

    /// Where a review stops when stepping.
    pub fn is_milestone(&self) -> bool {
        self.weight() == Weight::Milestone
    }
}
