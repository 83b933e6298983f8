//! CSIRTs: their kind, services, office hours and sharing markings.

use serde::{Deserialize, Serialize};

use super::Id;
use super::crisis::Escalation;
use super::sector::Sector;
use crate::scenario::time::{ClockTime, Duration, DurationRange, Weekday};
use crate::scenario::tlp::Tlp;
use crate::scenario::zone::TimeZone;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CsirtKind {
    /// The member state's national CSIRT and single point of contact.
    National,
    /// A sectoral CSIRT (e.g. the Dutch model's financial CSIRT).
    Sectoral,
    Other,
    /// A volunteer CSIRT (such as a national institute of volunteer researchers) with no
    /// constituency of its own: its scans cover every organisation's internet-facing
    /// systems, and it tells each owner what it finds.
    Volunteer,
}

impl CsirtKind {
    pub const fn label(self) -> &'static str {
        match self {
            Self::National => "national CSIRT",
            Self::Sectoral => "sectoral CSIRT",
            Self::Other => "CSIRT",
            Self::Volunteer => "volunteer CSIRT",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Csirt {
    pub id: Id,
    pub name: String,
    pub kind: CsirtKind,
    /// The sector a sectoral CSIRT serves.
    #[serde(default)]
    pub sector: Option<Sector>,
    /// ISO 3166 alpha-2 country code, e.g. "NL".
    pub country: String,
    /// Analysts who can work items at the same time.
    pub analysts: u32,
    pub hours: Hours,
    /// The zone its office hours are kept in, e.g. "America/New_York" for a vendor's
    /// PSIRT; defaults to the exercise's `time_zone`. Needs the exercise's `time_zone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
    /// CSIRTs it shares with as equals: the national CSIRT, peers in the CSIRTs Network.
    #[serde(default)]
    pub peers: Vec<Id>,
    /// Analyst time to triage an incoming report or share; also the time of a crisis
    /// assessment and of contacting a vendor in a disclosure. Defaults to 30m to 1h.
    #[serde(default = "default_triage")]
    pub triage: DurationRange,
    /// Analyst time to analyse an incident before sharing its indicators. Defaults to 2h to 6h.
    #[serde(default = "default_analysis")]
    pub analysis: DurationRange,
    /// TLP markings this CSIRT applies when it shares sanitised indicators.
    #[serde(default)]
    pub sharing: SharingPolicy,
    /// What the CSIRT does (NIS2 Art. 11(3)). Defaults to analysis, warnings, incident
    /// response and CSIRTs Network participation; scanning and CVD are opt-in.
    #[serde(default = "default_services")]
    pub services: Vec<Service>,
    /// Proactive scanning of the constituency's internet-facing systems (needs `Scanning`).
    #[serde(default)]
    pub scan_every: Option<Duration>,
    /// Crisis levels this CSIRT declares (11.5.b), with their triggers and actions.
    #[serde(default)]
    pub escalation: Vec<Escalation>,
}

/// A CSIRT service (NIS2 Art. 11(3)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Service {
    /// 11.3.c: analyse incidents before sharing, adding sectoral and adversarial context.
    Analysis,
    /// 11.3.b: warnings and alerts to the constituency.
    Warnings,
    /// 11.3.c: triage of and feedback on reported incidents.
    IncidentResponse,
    /// 11.3.e: proactive scanning of publicly reachable systems, and scans on request.
    Scanning,
    /// 11.3.g: coordinated vulnerability disclosure.
    Cvd,
    /// 11.3.f: cooperation and sharing in the CSIRTs Network and with peers.
    Network,
}

impl Service {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Analysis => "analysis",
            Self::Warnings => "warnings",
            Self::IncidentResponse => "incident response",
            Self::Scanning => "scanning",
            Self::Cvd => "coordinated vulnerability disclosure",
            Self::Network => "CSIRTs Network cooperation",
        }
    }
}

fn default_services() -> Vec<Service> {
    vec![
        Service::Analysis,
        Service::Warnings,
        Service::IncidentResponse,
        Service::Network,
    ]
}

fn default_triage() -> DurationRange {
    DurationRange::new(Duration::minutes(30), Duration::hours(1))
}

fn default_analysis() -> DurationRange {
    DurationRange::new(Duration::hours(2), Duration::hours(6))
}

/// When a CSIRT's analysts work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Hours {
    /// Staffed around the clock.
    Always,
    /// Office hours; outside them one on-call analyst answers after `on_call`, or, without
    /// on-call, work waits for the next opening.
    Office {
        open: ClockTime,
        close: ClockTime,
        #[serde(default = "default_workdays")]
        days: Vec<Weekday>,
        #[serde(default)]
        on_call: Option<Duration>,
    },
}

fn default_workdays() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

/// The markings a CSIRT puts on indicators it passes on after stripping the victim's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharingPolicy {
    /// Marking of warnings to its constituency. Defaults to AMBER.
    #[serde(default = "tlp_amber")]
    pub constituency: Tlp,
    /// Marking of shares with other CSIRTs. Defaults to GREEN.
    #[serde(default = "tlp_green")]
    pub csirts: Tlp,
}

impl Default for SharingPolicy {
    fn default() -> Self {
        Self {
            constituency: Tlp::Amber,
            csirts: Tlp::Green,
        }
    }
}

fn tlp_amber() -> Tlp {
    Tlp::Amber
}

fn tlp_green() -> Tlp {
    Tlp::Green
}
