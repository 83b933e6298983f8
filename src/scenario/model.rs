//! The scenario file's types, exactly as an exercise designer writes them in RON.
//!
//! Every struct refuses unknown fields, so a typo ("analyts") is an error with its
//! line and column instead of a silently ignored setting. Cross-references are plain ids
//! here; `validate` checks that each one names something that exists.

use serde::{Deserialize, Serialize};

use super::time::{At, ClockTime, Duration, DurationRange, WallClock, Weekday};
use super::tlp::Tlp;

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
    #[serde(default)]
    pub injects: Vec<Inject>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CsirtKind {
    /// The member state's national CSIRT and single point of contact.
    National,
    /// A sectoral CSIRT (e.g. the Dutch model's financial CSIRT).
    Sectoral,
    Other,
}

/// NIS2 Annex I and II sectors, coarsened to what exercises need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    /// Banking, payments, insurance, financial market infrastructure (DORA applies).
    Finance,
    Energy,
    Transport,
    Health,
    Water,
    DigitalInfrastructure,
    IctServices,
    PublicAdministration,
    Manufacturing,
    DigitalProviders,
    Other,
}

impl Sector {
    pub const ALL: [Self; 11] = [
        Self::Finance,
        Self::Energy,
        Self::Transport,
        Self::Health,
        Self::Water,
        Self::DigitalInfrastructure,
        Self::IctServices,
        Self::PublicAdministration,
        Self::Manufacturing,
        Self::DigitalProviders,
        Self::Other,
    ];
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
    /// CSIRTs it shares with as equals: the national CSIRT, peers in the CSIRTs Network.
    #[serde(default)]
    pub peers: Vec<Id>,
    /// Analyst time to triage an incoming report or share. Defaults to 30m to 1h.
    #[serde(default = "default_triage")]
    pub triage: DurationRange,
    /// Analyst time to analyse an incident before sharing its indicators. Defaults to 2h to 6h.
    #[serde(default = "default_analysis")]
    pub analysis: DurationRange,
    /// TLP markings this CSIRT applies when it shares sanitised indicators.
    #[serde(default)]
    pub sharing: SharingPolicy,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AuthorityKind {
    /// Receives DORA reports (e.g. the central bank).
    FinancialSupervisor,
    /// Receives GDPR Art. 33 breach notifications.
    DataProtection,
    /// A NIS2 competent authority.
    Nis2Authority,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub id: Id,
    pub name: String,
    pub kind: AuthorityKind,
    pub country: String,
    /// A CSIRT the authority forwards the reports it receives to.
    #[serde(default)]
    pub forwards_to: Option<Id>,
    /// How long forwarding takes. Defaults to 2h.
    #[serde(default = "default_forward_delay")]
    pub forward_delay: Duration,
}

fn default_forward_delay() -> Duration {
    Duration::hours(2)
}

/// NIS2 Art. 3 classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Nis2Class {
    Essential,
    Important,
    /// Not in NIS2 scope.
    None,
}

/// How well an organisation sees and reacts to what happens in its network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Maturity {
    Low,
    Medium,
    High,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// e.g. "CISO".
    pub role: String,
    pub name: String,
}

/// An organisation the CSIRTs serve ("entity" in NIS2 words).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: Id,
    pub name: String,
    pub sector: Sector,
    pub country: String,
    pub class: Nis2Class,
    /// The CSIRT whose constituency it belongs to and which it informs of incidents.
    pub csirt: Id,
    #[serde(default)]
    pub people: Vec<Person>,
    pub monitoring: Maturity,
    /// Services reachable from the internet (e.g. "VPN").
    #[serde(default)]
    pub exposed: Vec<String>,
    /// Organisations it depends on; it is their customer.
    #[serde(default)]
    pub suppliers: Vec<Id>,
    /// Reporting duties and voluntary notifications, each to a named recipient.
    #[serde(default)]
    pub reporting: Vec<Obligation>,
    /// TLP marking it puts on the indicators in its reports. Defaults to GREEN; the victim
    /// context of a report is always AMBER+STRICT.
    #[serde(default = "tlp_green")]
    pub indicator_tlp: Tlp,
}

/// A reporting regime with its built-in deadlines, and who receives the reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Obligation {
    /// NIS2 Art. 23: early warning within 24 h of awareness of a significant incident,
    /// notification within 72 h, final report within one month of the notification.
    Nis2 { to: Id },
    /// DORA Art. 19: initial notification within 4 h of classifying a major incident and at
    /// most 24 h after awareness, intermediate within 72 h of the initial, final within one
    /// month of the intermediate.
    Dora { to: Id },
    /// GDPR Art. 33: breach of personal data notified within 72 h of awareness.
    Gdpr { to: Id },
    /// A voluntary notification (e.g. to the sectoral CSIRT): an action, not a duty.
    Voluntary { to: Id },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AdversaryIntent {
    Financial,
    Espionage,
    Disruption,
    Hacktivism,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adversary {
    pub id: Id,
    pub name: String,
    pub intent: AdversaryIntent,
    /// Skill: a highly capable adversary is detected less often.
    pub capability: Maturity,
    pub campaigns: Vec<Campaign>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IndicatorKind {
    Domain,
    Ip,
    Url,
    FileHash,
    Email,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: Id,
    pub kind: IndicatorKind,
    /// The observable itself, e.g. "ducksends-secure-login.com".
    pub value: String,
}

/// Who a campaign or a spreading stage goes after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// One organisation by id.
    Entity(Id),
    /// Every organisation of a sector.
    Sector(Sector),
    /// The current victim's suppliers (only inside a `Spread` effect).
    Suppliers,
    /// The organisations that have the current victim as a supplier (only inside `Spread`).
    Customers,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: Id,
    pub name: String,
    /// When the first stage starts against the initial targets.
    #[serde(default = "at_start")]
    pub start: At,
    pub targets: Vec<Target>,
    pub indicators: Vec<Indicator>,
    /// Walked in order at each target, from the first stage (or a `Spread` entry stage).
    pub stages: Vec<Stage>,
}

fn at_start() -> At {
    At::Offset(0)
}

/// How hard a stage is to notice for a defender who does not know its indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    Easy,
    Moderate,
    Hard,
    VeryHard,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: Id,
    pub name: String,
    /// MITRE ATT&CK technique id, e.g. "T1566.002".
    pub technique: String,
    /// Time the stage takes after the previous one (or after the campaign reaches the target).
    pub duration: DurationRange,
    /// The stage does not complete before this moment (e.g. ransomware at "Mon 03:00").
    #[serde(default)]
    pub not_before: Option<At>,
    /// Indicators the stage leaves: a defender who already knows one detects it far more often.
    #[serde(default)]
    pub indicators: Vec<Id>,
    pub detection: Difficulty,
    #[serde(default)]
    pub effect: Effect,
}

/// What a completed stage does to its victim.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Effect {
    /// A foothold, nothing visible yet.
    #[default]
    None,
    CredentialTheft,
    /// Personal data stolen: GDPR Art. 33 applies.
    DataTheft,
    Fraud,
    Encryption,
    Outage,
    Ddos,
    /// The campaign reaches further organisations, entering them at stage `entry`.
    Spread {
        targets: Vec<Target>,
        entry: Id,
    },
}

/// One line of the MSEL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: Id,
    pub title: String,
    pub when: When,
    /// Actors it is addressed to (CSIRTs, entities, authorities).
    #[serde(default)]
    pub to: Vec<Id>,
    /// What the players receive; every message is marked EXERCISE.
    #[serde(default)]
    pub message: Option<Message>,
    /// What it changes in the simulated world.
    #[serde(default)]
    pub effects: Vec<InjectEffect>,
    /// What the facilitator expects the players to do (the MSEL's "expected action").
    #[serde(default)]
    pub expected: Vec<String>,
}

/// When an inject fires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum When {
    /// At a fixed moment, e.g. `At("T+4h")` or `At("Mon 03:00")`.
    At(At),
    /// `delay` after the first event matching `on`.
    After { on: EventPattern, delay: Duration },
    /// HSEEP contingency: fires `within` after `after` unless `expected` happened first.
    Unless {
        after: EventPattern,
        expected: EventPattern,
        within: Duration,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Phone,
    Email,
    Portal,
    Media,
    InPerson,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Who speaks, e.g. "journalist, De Financiële Krant".
    pub from: String,
    pub channel: Channel,
    pub subject: String,
    #[serde(default)]
    pub body: String,
}

/// What an inject does to the simulated world.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InjectEffect {
    /// The entity gets a chance (in percent) to notice the campaign now, e.g. a helpdesk tip.
    Tip {
        entity: Id,
        campaign: Id,
        chance_percent: u32,
    },
    /// Some of a CSIRT's analysts are unavailable for a while.
    StaffUnavailable {
        csirt: Id,
        analysts: u32,
        duration: Duration,
    },
    /// `from` reports a sighting of an indicator to `to`, first seen at `first_seen`.
    Sighting {
        from: Id,
        to: Id,
        indicator: Id,
        first_seen: At,
        /// Free text: where it was seen (victim context, never shared onward).
        #[serde(default)]
        place: String,
    },
    /// An authority asks an entity for a report it owes: the entity sends it soon.
    Reminder { entity: Id },
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReportKind {
    Nis2EarlyWarning,
    Nis2Notification,
    Nis2Final,
    DoraInitial,
    DoraIntermediate,
    DoraFinal,
    GdprBreach,
    Voluntary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ImpactKind {
    DataTheft,
    Fraud,
    Encryption,
    Outage,
    Ddos,
}

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
}
