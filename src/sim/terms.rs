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
    /// The impact itself: files encrypted, systems or services down.
    Impact,
    /// A supplier holding its data told it of a breach there (or the news did, as a tip).
    SupplierNotice,
}

impl DetectionSource {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Monitoring => "its own monitoring",
            Self::KnownIndicator => "a known indicator",
            Self::Hunt => "a hunt for shared indicators",
            Self::Tip => "a tip",
            Self::Impact => "the impact itself (systems encrypted or down)",
            Self::SupplierNotice => "its supplier's notification of a breach there",
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

/// Why a scan that was asked for found nothing new.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanMiss {
    /// The CSIRT does not offer scanning.
    NotOffered,
    /// No organisation scanned runs a service with a known vulnerability.
    NothingExposed,
    /// What is there is under embargo: scanners cannot know it yet.
    UnderEmbargo,
    /// Everything found had been reported to the organisation before.
    AlreadyNotified,
}

impl ScanMiss {
    pub const fn label(self) -> &'static str {
        match self {
            Self::NotOffered => "it does not offer scanning",
            Self::NothingExposed => "no exposed service with a known vulnerability",
            Self::UnderEmbargo => {
                "the vulnerability is under embargo; only its coordinator can scan for it"
            }
            Self::AlreadyNotified => "everything it found had been reported before",
        }
    }
}
