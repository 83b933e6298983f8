//! The small vocabularies journal events carry: how an intrusion was noticed, how severe
//! an incident is, what kind of work a desk does. Each with its label, as people read it.

use serde::Serialize;

/// How an organisation became aware of an intrusion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectionSource {
    /// Its own monitoring noticed the stage.
    Monitoring,
    /// Its monitoring matched an indicator it had been given.
    KnownIndicator,
    /// A hunt for indicators it was just given found the intrusion.
    Hunt,
    /// A tip (an inject: a helpdesk call, a customer complaint).
    Tip,
}

impl DetectionSource {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Monitoring => "its own monitoring",
            Self::KnownIndicator => "a known indicator",
            Self::Hunt => "a hunt for shared indicators",
            Self::Tip => "a tip",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

/// A CSIRT's kinds of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Triage,
    Analysis,
    /// Coordinating a vulnerability disclosure with the vendor (11.3.g).
    Coordination,
    /// Assessing whether the crisis level must be raised (11.5.b).
    Assessment,
    /// A step of a standard operating procedure.
    Step,
}

impl Task {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Triage => "triage",
            Self::Analysis => "analysis",
            Self::Coordination => "vulnerability coordination",
            Self::Assessment => "crisis assessment",
            Self::Step => "a procedure step",
        }
    }
}
