//! The scenario file's types, exactly as an exercise designer writes them in RON.
//!
//! Long because: the whole scenario format is one concept read in one place: the format
//! reference, the tracer in tests/reference.rs and the loader all follow these types.
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
}

/// A part a trainee plays, e.g. "financial CSIRT duty analyst" for `fin-csirt`. The player
/// sees only what that actor knows, answers the decisions the role owns and may take the
/// actions listed in `actions` at any time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Id,
    pub title: String,
    /// The CSIRT, authority or organisation the role acts for.
    pub actor: Id,
    /// Decisions this role answers: a procedure's decision step as "sop-id/step-id", or
    /// the id of an inject that asks a question.
    #[serde(default)]
    pub decisions: Vec<String>,
    /// What the player reads before the exercise starts.
    #[serde(default)]
    pub briefing: String,
    /// What the player may do on their own initiative. Omitted: everything the actor's
    /// kind and services allow (see `ActionKind`).
    #[serde(default)]
    pub actions: Option<Vec<ActionKind>>,
}

/// What an actor is, as far as the actions open to a role playing it go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capacities {
    pub csirt: bool,
    pub entity: bool,
    /// A CSIRT offering `Warnings`.
    pub warnings: bool,
    /// A CSIRT offering `Scanning`, or an organisation whose CSIRT does.
    pub scanning: bool,
    /// A CSIRT with `escalation` rules.
    pub escalation: bool,
}

/// What a player may do on their own initiative, besides answering prompts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    /// Pass indicators the actor holds to a chosen actor under a TLP marking (any actor).
    Share,
    /// Warn the CSIRT's constituency with indicators (a CSIRT offering `Warnings`).
    Warn,
    /// Scan a constituent's exposed services (a CSIRT offering `Scanning`), or ask one's
    /// CSIRT for a scan (an organisation whose CSIRT offers it).
    RequestScan,
    /// Send a report the organisation owes for one of its incidents (an organisation).
    Report,
    /// Raise the CSIRT's crisis level (a CSIRT with escalation levels).
    RaiseCrisis,
}

impl ActionKind {
    pub const ALL: [Self; 5] = [
        Self::Share,
        Self::Warn,
        Self::RequestScan,
        Self::Report,
        Self::RaiseCrisis,
    ];

    /// Whether an actor with these capacities can take this action at all, and if not, why.
    pub fn open_to(self, actor: &str, can: &Capacities) -> Result<(), String> {
        match self {
            Self::Share => Ok(()),
            Self::Warn if can.csirt && can.warnings => Ok(()),
            Self::Warn => Err(format!(
                "\"{actor}\" cannot warn a constituency: only a CSIRT offering Warnings can"
            )),
            Self::RequestScan if can.scanning => Ok(()),
            Self::RequestScan => Err(format!(
                "\"{actor}\" cannot request a scan: a CSIRT must offer Scanning (its own, or the organisation's CSIRT)"
            )),
            Self::Report if can.entity => Ok(()),
            Self::Report => Err(format!(
                "\"{actor}\" sends no incident reports: only organisations do"
            )),
            Self::RaiseCrisis if can.csirt && can.escalation => Ok(()),
            Self::RaiseCrisis => Err(format!(
                "\"{actor}\" has no crisis levels to raise: only a CSIRT with `escalation` rules can"
            )),
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Share => "share indicators",
            Self::Warn => "warn the constituency",
            Self::RequestScan => "request a scan",
            Self::Report => "send a report",
            Self::RaiseCrisis => "raise the crisis level",
        }
    }
}

/// A standard operating procedure: what a CSIRT does, step by step, when its trigger
/// happens. Several variants of one procedure share an `id`; the first is played unless
/// another is chosen (e.g. `tabletop sweep --variant fin-intake=share-first`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sop {
    pub id: Id,
    /// Name of this variant; required when several variants share the id.
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub title: String,
    /// The CSIRT that runs it (its analysts do the steps, within its hours).
    pub owner: Id,
    pub trigger: SopTrigger,
    pub steps: Vec<Step>,
}

/// What starts a procedure at its owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SopTrigger {
    /// An incident report arrives (from an entity, or forwarded by an authority); with
    /// `major_only`, only reports of incidents classified major.
    Report {
        #[serde(default)]
        major_only: bool,
    },
    /// Another CSIRT shares new indicators.
    Share,
    /// A peer reports a sighting.
    Sighting,
}

/// One step of a procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: Id,
    pub action: Action,
    /// Who does it, in the owner's words (e.g. "duty officer"); players take roles later.
    #[serde(default)]
    pub role: Option<String>,
    /// Analyst time. Defaults to 15m to 30m.
    #[serde(default = "default_step_duration")]
    pub duration: DurationRange,
    /// Steps that must be finished first.
    #[serde(default)]
    pub after: Vec<Id>,
    /// Must be finished within this time of the procedure's start.
    #[serde(default)]
    pub deadline: Option<Duration>,
    /// Done by the on-call analyst outside office hours; otherwise the step waits for the
    /// office to open (unless the case is a major incident). Defaults to false.
    #[serde(default)]
    pub on_call: bool,
}

fn default_step_duration() -> DurationRange {
    DurationRange::new(Duration::minutes(15), Duration::minutes(30))
}

/// The fixed vocabulary of what a procedure step can do in the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Assess the case (analyst time only).
    Triage,
    /// Analyse: adds sectoral and adversarial context to the case's indicators.
    Analyse,
    /// Ask the reporting organisation for what else it knows; it answers at once, over its
    /// channel.
    RequestInformation,
    /// Share the case's indicators with recipients at a TLP marking (never looser than
    /// the marking they were received under).
    ShareIndicators { with: Recipients, tlp: Tlp },
    /// Answer the reporting organisation with what the CSIRT knows (feedback).
    ContactEntity,
    /// Scan the reporting organisation's exposed services (needs `Scanning`).
    RequestScan,
    /// Raise the owner's crisis level.
    EscalateCrisis { level: CrisisLevel },
    /// Inform an authority (e.g. the NIS2 competent authority) of the case.
    NotifyAuthority { to: Id },
    /// A public advisory: every organisation in the owner's country learns the case's
    /// indicators that may go to anyone (CLEAR or GREEN, or the CSIRT's own), keeping their
    /// marking.
    PublishAdvisory,
    /// A decision point: a prompt with options, each doing actions; the default applies
    /// when nobody answers within `timeout`.
    Decide(Decision),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub prompt: String,
    pub options: Vec<DecisionOption>,
    /// The option that applies when nobody decides in time.
    pub default: Id,
    pub timeout: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionOption {
    pub id: Id,
    pub label: String,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// Who a procedure shares with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipients {
    /// The owner's constituency (as warnings).
    Constituency,
    /// The owner's peers (national CSIRT, CSIRTs Network).
    Peers,
    /// Named actors.
    Actors(Vec<Id>),
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

fn default_services() -> Vec<Service> {
    vec![
        Service::Analysis,
        Service::Warnings,
        Service::IncidentResponse,
        Service::Network,
    ]
}

/// Crisis levels (11.5.b), least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CrisisLevel {
    Normal,
    Alert,
    Crisis,
}

/// A rule: when `when` holds, the CSIRT raises the level to `level` and does `actions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    pub level: CrisisLevel,
    pub when: CrisisTrigger,
    #[serde(default)]
    pub actions: Vec<CrisisAction>,
}

/// What the CSIRT must know for a crisis level to be raised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrisisTrigger {
    /// It knows of incidents at `count` or more organisations (of `sector`, and only
    /// essential ones if `essential_only`).
    EntitiesHit {
        count: u32,
        #[serde(default)]
        sector: Option<Sector>,
        #[serde(default)]
        essential_only: bool,
    },
    /// A peer in another country reports a sighting of an indicator of a campaign it
    /// already knows from home.
    CrossBorder,
    /// Only an inject (`RaiseCrisis`), an `EscalateCrisis` step or a player raises it.
    Manual,
}

/// What a crisis level requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrisisAction {
    /// A crisis team reinforces the CSIRT's analysts.
    CrisisTeam { extra_analysts: u32 },
    /// Every CSIRT of the network is told what this CSIRT knows (TLP:GREEN).
    InformNetwork,
    /// A public advisory: every organisation in the CSIRT's country learns the indicators
    /// the CSIRT may pass on to anyone (marked CLEAR or GREEN, or its own), keeping their
    /// marking.
    PublicCommunication,
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
    /// Known-vulnerable exposed services: `(service, CVE id)`; the service must be in `exposed`.
    #[serde(default)]
    pub vulnerable: Vec<(String, String)>,
    /// Channels it is reached on, in order of preference: senders use the first one that is
    /// up at both ends. Defaults to portal, e-mail, phone (CSIRTs and authorities use that too).
    #[serde(default = "default_channels")]
    pub channels: Vec<Channel>,
}

fn default_channels() -> Vec<Channel> {
    vec![Channel::Portal, Channel::Email, Channel::Phone]
}

/// A vulnerability in a product, and optionally its coordinated disclosure (11.3.g).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vulnerability {
    /// e.g. "CVE-2026-1234".
    pub cve: String,
    pub product: String,
    pub vendor: String,
    #[serde(default)]
    pub disclosure: Option<Disclosure>,
}

/// A vulnerability reported to a coordinating CSIRT: vendor contact, embargo, advisory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// The CSIRT coordinating the disclosure (it must offer `Cvd`).
    pub coordinator: Id,
    /// When the finder reports it.
    pub reported: At,
    /// Time the vendor gets to produce a fix before the advisory is published.
    pub embargo: Duration,
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
    /// Infrastructure rotation once the campaign's indicators are widely known.
    #[serde(default)]
    pub rotation: Option<Rotation>,
}

/// The adversary swaps burnt infrastructure for new.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// Rotation starts once this many actors know any of the replaced indicators.
    pub known_by: u32,
    /// Time the adversary needs to set up the new infrastructure.
    pub delay: Duration,
    /// `(old, new)` indicator ids: stages leave `new` instead of `old` from then on.
    pub replace: Vec<(Id, Id)>,
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
    /// A CVE id the stage exploits: it fails at targets without that vulnerability exposed
    /// and unpatched.
    #[serde(default)]
    pub exploits: Option<String>,
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
    /// A question the addressees must answer (e.g. "what do you tell the journalist?"):
    /// raised when the inject fires, answered by the role that owns it or by its default.
    #[serde(default)]
    pub question: Option<Question>,
}

/// An inject's question: a prompt with answers, each changing the world through inject
/// effects; the default applies when nobody answers within `timeout`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: String,
    pub options: Vec<Answer>,
    pub default: Id,
    pub timeout: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub id: Id,
    pub label: String,
    #[serde(default)]
    pub effects: Vec<InjectEffect>,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// A channel of an actor fails for a while (e.g. an e-mail outage); senders fall back.
    ChannelDown {
        actor: Id,
        channel: Channel,
        duration: Duration,
    },
    /// An entity asks its CSIRT for a scan of its exposed services (the CSIRT must offer `Scanning`).
    RequestScan { csirt: Id, entity: Id },
    /// The facilitator raises a CSIRT's crisis level (e.g. a political decision).
    RaiseCrisis { csirt: Id, level: CrisisLevel },
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
    /// `first` happens before `then` (met when `first` comes, missed if `then` comes first).
    Ordering {
        first: EventPattern,
        then: EventPattern,
    },
}
