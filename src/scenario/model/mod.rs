//! The scenario file's types, exactly as an exercise designer writes them in RON.
//!
//! One file per section of the format (CSIRTs, organisations, adversaries, procedures,
//! injects, patterns, objectives, roles); this door holds the file's top level.
//!
//! Every struct refuses unknown fields, so a typo ("analyts") is an error with its
//! line and column instead of a silently ignored setting. Cross-references are plain ids
//! here; `validate` checks that each one names something that exists.

use serde::{Deserialize, Serialize};

use super::time::{Duration, WallClock};
use super::zone::TimeZone;

mod adversaries;
mod channel;
mod crisis;
mod csirts;
mod guard;
mod injects;
mod objectives;
mod organisations;
mod patterns;
mod regimes;
mod roles;
mod sector;
mod sops;
mod vulnerabilities;

pub use adversaries::{
    Adversary, AdversaryIntent, Campaign, Difficulty, Effect, Indicator, IndicatorKind, Rotation,
    Stage, Target,
};
pub use channel::Channel;
pub use crisis::{CrisisAction, CrisisLevel, CrisisTrigger, Escalation};
pub use csirts::{Csirt, CsirtKind, Hours, Service, SharingPolicy};
pub use guard::Guard;
pub use injects::{Answer, Discussion, Inject, InjectEffect, Message, Question, When};
pub use objectives::{Check, Expect, Objective};
pub use organisations::{
    Authority, AuthorityKind, Customers, Maturity, Nis2Class, Obligation, Organisation, Person,
};
pub use patterns::{EventPattern, ImpactKind, ReportKind, Who};
pub use regimes::{Clock, Deadline, Recipient, Regime, RegimeReport, ReportPhase, Trigger};
pub use roles::{ActionKind, Capacities, Role};
pub use sector::Sector;
pub use sops::{Action, Decision, DecisionOption, Recipients, Sop, SopTrigger, Step};
pub use vulnerabilities::{Disclosure, PartialFix, Vulnerability};

/// The scenario format version this program reads.
pub const FORMAT_VERSION: u32 = 1;

/// The id of a scenario item: lower-case words joined by '-', e.g. "fin-csirt".
pub type Id = String;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Scenario format version; this program reads version 1.
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub summary: String,
    /// Wall-clock moment of T+0, local time of the exercise.
    pub start: WallClock,
    /// How long the exercise runs; nothing happens after T+duration.
    pub duration: Duration,
    pub csirts: Vec<Csirt>,
    #[serde(default)]
    pub authorities: Vec<Authority>,
    pub entities: Vec<Organisation>,
    pub adversaries: Vec<Adversary>,
    /// Vulnerabilities (CVE ids) that exposed services may have, and their disclosure.
    #[serde(default)]
    pub vulnerabilities: Vec<Vulnerability>,
    /// Standard operating procedures (CSIRTs Network WG4), possibly in several variants.
    #[serde(default)]
    pub sops: Vec<Sop>,
    #[serde(default)]
    pub injects: Vec<Inject>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// The parts trainees play: each binds a player to one actor's knowledge and decisions.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Reporting regimes beyond the built-in NIS2, DORA and GDPR (`assets/regimes.ron`):
    /// a national rule, UK GDPR, NIS1. Organisations owe them with `Owes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regimes: Vec<Regime>,
    /// The zone the exercise's `start` is local time in, e.g. "Europe/Amsterdam". Given,
    /// every CSIRT keeps its office hours in its own zone (this one unless it names
    /// another), daylight-saving changes included; not given, every actor keeps the
    /// exercise's clock as it reads at T+0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
}
