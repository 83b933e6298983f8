//! Reporting regimes as data: the laws and rules that make an organisation report an
//! incident, with their reports, deadlines and what starts the clock.
//!
//! NIS2, DORA and GDPR are the built-in library (`assets/regimes.ron`, read by
//! `scenario::regimes`); a scenario defines others the same way (UK GDPR, the older NIS1, a
//! national banking rule) under `regimes`, and its organisations owe them with
//! `Owes(regime: …, to: …)`. One mechanism plays them all, so a defined regime behaves
//! exactly as a built-in one would.

use serde::{Deserialize, Serialize};

use super::Id;
use super::organisations::AuthorityKind;
use super::patterns::{ImpactKind, ReportKind};
use super::sector::Sector;
use crate::scenario::time::Duration;

/// A reporting regime.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    /// What obligations call it, e.g. "uk-gdpr".
    pub id: Id,
    /// Its legal name as the report shows it, e.g. "UK GDPR Art. 33".
    pub name: String,
    /// Who may receive its reports: the kind of authority it goes to (or a CSIRT, or an
    /// organisation of a sector, such as a bank).
    pub goes_to: Vec<Recipient>,
    /// What starts its clocks: the first of these to hold at a classification.
    pub starts: Vec<Trigger>,
    /// Its reports, each with its deadline.
    pub reports: Vec<RegimeReport>,
    /// The sectors it applies to; empty: every sector.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
}

/// Who may receive a regime's reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipient {
    /// A CSIRT (NIS2 lets a member state have reports go to its CSIRT).
    Csirt,
    /// An authority of this kind (a supervisor, a data-protection authority, the police).
    Authority(AuthorityKind),
    /// An organisation of this sector (the bank that must stop a fraudulent transfer).
    Organisation(Sector),
}

/// What starts a regime's clock, checked each time the organisation classifies an incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    /// The incident is classified significant (NIS2) or major (DORA): of high severity or
    /// worse.
    Significant,
    /// A stage with this effect completed in the incident (data theft for a breach of
    /// personal data; encryption or an outage for a rule about availability).
    Impact(ImpactKind),
}

/// One report of a regime.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegimeReport {
    /// The report; a scenario's regime names its own, e.g.
    /// `Defined("UK GDPR breach notification")`.
    pub report: ReportKind,
    /// When it is due: the earliest of these. A report with a `Sent` clause opens when that
    /// report is sent; the others open when the regime's clock starts.
    pub due: Vec<Deadline>,
    /// How much writing it takes, which sets how long an organisation needs for it.
    #[serde(default, skip_serializing_if = "ReportPhase::is_initial")]
    pub phase: ReportPhase,
}

/// A deadline: so long after a moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub within: Duration,
    pub from: Clock,
}

/// The moment a deadline counts from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clock {
    /// The organisation became aware of the incident.
    Awareness,
    /// The classification that started the regime's clock. A report with such a clause
    /// is never due before that moment, even when an earlier clause has passed (DORA's
    /// "4 h from classification, at most 24 h from awareness").
    Classification,
    /// The organisation sent this earlier report of the same regime.
    Sent(ReportKind),
}

/// How much writing a report takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportPhase {
    /// A first notice: what is known within hours.
    #[default]
    Initial,
    /// An update with the analysis so far: a day or two of work.
    Intermediate,
    /// The final report with root cause and lessons: weeks.
    Final,
}

impl ReportPhase {
    const fn is_initial(&self) -> bool {
        matches!(self, Self::Initial)
    }
}

impl Clock {
    /// Whether the deadline counts from the moment its report's clock opens, so the report
    /// is never due before then.
    pub const fn counts_from_opening(&self) -> bool {
        matches!(self, Self::Classification | Self::Sent(_))
    }
}
