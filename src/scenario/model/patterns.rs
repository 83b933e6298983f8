//! Patterns over journal events, for triggered injects and objectives.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Id;
use super::crisis::CrisisLevel;
use super::sector::Sector;

/// A pattern over journal events, used by triggered injects and objectives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventPattern {
    /// An organisation becomes aware of an incident.
    Detected(Who),
    /// An organisation classifies an incident as major (DORA) or significant (NIS2).
    Classified(Who),
    /// An organisation sends a report of this kind.
    ReportSent {
        by: Who,
        report: ReportKind,
    },
    /// A CSIRT gives feedback to whoever informed it.
    Feedback {
        from: Id,
        to: Id,
    },
    /// An actor learns an indicator.
    Knows {
        actor: Id,
        indicator: Id,
    },
    /// `from` passes information to `to`.
    Shared {
        from: Id,
        to: Id,
    },
    /// A campaign's stage with this effect completes at an organisation.
    Impact {
        at: Who,
        effect: ImpactKind,
    },
    /// An adversary's stage completes.
    Stage {
        campaign: Id,
        stage: Id,
        at: Who,
    },
    /// A CSIRT raises its crisis level to `level` (or higher).
    CrisisRaised {
        csirt: Id,
        level: CrisisLevel,
    },
    /// What a CSIRT knows meets its escalation rule for `level`: it must now assess.
    CrisisTriggered {
        csirt: Id,
        level: CrisisLevel,
    },
    /// A procedure step finishes (any variant of the procedure `sop`).
    StepDone {
        sop: Id,
        step: Id,
    },
    /// An organisation suffers the `count`-th impact of this kind (e.g. the second encryption).
    NthImpact {
        effect: ImpactKind,
        count: u32,
    },
    /// Another inject fires.
    Inject(Id),
    ObjectiveMet(Id),
    ObjectiveMissed(Id),
}

/// Which organisations a pattern matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    Entity(Id),
    Sector(Sector),
    Any,
}

/// A report an organisation sends: the built-in regimes' reports by name, a scenario's own
/// by the name its regime gives it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReportKind {
    Nis2EarlyWarning,
    Nis2Notification,
    Nis2Final,
    DoraInitial,
    DoraIntermediate,
    DoraFinal,
    GdprBreach,
    Voluntary,
    /// A report of a regime the scenario defines, by its name
    /// (`Defined("UK GDPR breach notification")`).
    Defined(Arc<str>),
}

impl ReportKind {
    /// The report's name, as the regimes call it.
    pub fn label(&self) -> &str {
        match self {
            Self::Nis2EarlyWarning => "NIS2 early warning",
            Self::Nis2Notification => "NIS2 incident notification",
            Self::Nis2Final => "NIS2 final report",
            Self::DoraInitial => "DORA initial notification",
            Self::DoraIntermediate => "DORA intermediate report",
            Self::DoraFinal => "DORA final report",
            Self::GdprBreach => "GDPR breach notification",
            Self::Voluntary => "voluntary notification",
            Self::Defined(name) => name,
        }
    }

    /// The name a scenario's regime gives the report; `None` for a built-in one.
    pub fn defined_name(&self) -> Option<&str> {
        match self {
            Self::Defined(name) => Some(name),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ImpactKind {
    DataTheft,
    Fraud,
    Encryption,
    Outage,
    Ddos,
}

impl ImpactKind {
    pub const fn label(self) -> &'static str {
        match self {
            Self::DataTheft => "data theft",
            Self::Fraud => "fraud",
            Self::Encryption => "encryption (ransomware)",
            Self::Outage => "outage",
            Self::Ddos => "DDoS",
        }
    }

    /// Whether the victim cannot fail to notice it the minute it happens: its files are
    /// encrypted, its systems or services down. Data theft and fraud can go unseen.
    pub const fn announces_itself(self) -> bool {
        matches!(self, Self::Encryption | Self::Outage | Self::Ddos)
    }
}
