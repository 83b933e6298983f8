//! The simulated world's state: resources (clock, agenda, plan, random streams) and the
//! components on actors and intrusions. Everything here is ordered (Vec, BTreeMap) and
//! derives `Hash`, so the checksum covers it canonically.
//!
//! Long because: the `Due` enum is the agenda's vocabulary, one variant per kind of thing
//! scheduled, and the components and parcels it carries are defined beside it; moving it
//! out would make this file and its new one import each other.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use bevy_ecs::prelude::{Commands, Component, Entity, Resource};

use crate::scenario::{Channel, CrisisLevel, Minute, Relation, ReportKind, Tlp};

use super::checksum::digest_of;
pub use super::decided::Decided;
use super::digested::{DigestedMap, DigestedQueue, DigestedSet};
use super::journal::{DetectionSource, Severity, Task};
use super::plan::{ActorIx, CampaignIx, CveIx, IndicatorIx, Name, Plan};
pub use super::reports::{ReportState, Reports};
use super::rng::Streams;

/// The simulated minute being processed.
#[derive(Resource, Clone, Copy, Debug, Default, Hash)]
pub struct Clock {
    pub now: Minute,
}

/// The compiled scenario, shared read-only by every system.
#[derive(Resource, Clone, Debug)]
pub struct PlanRes(pub Arc<Plan>);

/// The run's random streams (keyed draws only).
#[derive(Resource, Clone, Debug)]
pub struct StreamsRes(pub Streams);

/// Things that will happen: the engine jumps from one due item to the next.
#[derive(Resource, Clone, Debug, Default)]
pub struct Agenda {
    /// Each item with its digest, so taking it off costs no second hashing.
    items: BTreeMap<(Minute, u64), (Due, u128)>,
    next_seq: u64,
    /// Running sum of the digests of the items present (see `checksum`).
    digest: u128,
}

impl Agenda {
    /// Schedules `due` at minute `t`; items at the same minute keep their insertion order.
    pub fn push(&mut self, t: Minute, due: Due) {
        let key = (t, self.next_seq);
        let digest = digest_of(&(key, &due));
        self.digest = self.digest.wrapping_add(digest);
        self.items.insert(key, (due, digest));
        self.next_seq += 1;
    }

    /// Digest of everything scheduled, and of how many items were ever scheduled.
    pub fn digest(&self) -> u128 {
        self.digest ^ u128::from(self.next_seq)
    }

    pub fn next_time(&self) -> Option<Minute> {
        self.items.keys().next().map(|(t, _)| *t)
    }

    /// Removes and returns every item due at or before `t`, in order.
    pub fn take_due(&mut self, t: Minute) -> Vec<Due> {
        let later = self.items.split_off(&(t + 1, 0));
        let due = std::mem::replace(&mut self.items, later);
        due.into_iter()
            .map(|(_, (item, digest))| {
                self.digest = self.digest.wrapping_sub(digest);
                item
            })
            .collect()
    }
}

/// The items taken from the agenda for the current minute; each system handles its own.
#[derive(Resource, Clone, Debug, Default)]
pub struct DueNow(pub Vec<Due>);

/// Something scheduled to happen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Due {
    CampaignStart {
        campaign: CampaignIx,
    },
    /// The intrusion of `campaign` at `target` completes its current stage.
    Stage {
        campaign: CampaignIx,
        target: ActorIx,
    },
    /// A one-off chance for `target` to notice `campaign` (a tip, a hunt).
    DetectionChance {
        campaign: CampaignIx,
        target: ActorIx,
        source: DetectionSource,
        ppm: u32,
        key: u64,
    },
    Classify {
        entity: ActorIx,
        incident: u32,
    },
    Contain {
        entity: ActorIx,
        incident: u32,
    },
    SendReport {
        entity: ActorIx,
        incident: u32,
        report: ReportKind,
    },
    ReportDeadline {
        entity: ActorIx,
        incident: u32,
        report: ReportKind,
    },
    /// An authority asks `entity` for the reports it owes.
    Reminder {
        entity: ActorIx,
    },
    Deliver {
        to: ActorIx,
        parcel: Parcel,
    },
    DeskWake {
        csirt: ActorIx,
    },
    WorkDone {
        csirt: ActorIx,
        item: WorkItem,
    },
    StaffReturn {
        csirt: ActorIx,
        analysts: u32,
    },
    Inject {
        inject: u32,
        generation: u32,
    },
    ObjectiveDeadline {
        objective: u32,
    },
    /// An organisation has put received indicators into its defences.
    ActOnWarning {
        entity: ActorIx,
        indicators: Vec<IndicatorIx>,
    },
    Patch {
        entity: ActorIx,
        cve: CveIx,
    },
    /// A scan of the CSIRT's constituency (or of one entity, on request).
    Scan {
        csirt: ActorIx,
        only: Option<ActorIx>,
        /// Asked for (by an inject or a player): a scan that finds nothing says why.
        requested: bool,
    },
    /// A finder reports a vulnerability to its coordinating CSIRT.
    DisclosureReported {
        cve: CveIx,
    },
    /// The embargo ends: the coordinator publishes the advisory.
    Advisory {
        cve: CveIx,
    },
    /// The adversary switches to new infrastructure.
    Rotate {
        campaign: CampaignIx,
    },
    ChannelRestored {
        actor: ActorIx,
        channel: Channel,
    },
    /// The facilitator raises a CSIRT's crisis level.
    RaiseCrisis {
        csirt: ActorIx,
        level: CrisisLevel,
        /// Who decided, for the journal: "decided by the facilitator (inject)".
        by: Name,
    },
    /// An inject's question is answered (by a player or the facilitator), or its default
    /// applies at the timeout (`option` is `None`).
    Answer {
        inject: u32,
        option: Option<Name>,
        by: Name,
    },
    /// A procedure step's deadline passes.
    StepDeadline {
        csirt: ActorIx,
        run: u32,
        step: u32,
    },
    /// A decision point is answered (by a player, or by its default at the timeout).
    Decide {
        csirt: ActorIx,
        run: u32,
        /// The procedure an answer names ("fin-intake" in "fin-csirt/fin-intake#1/…"),
        /// checked against the run's; `None` for the default at the timeout.
        sop: Option<Arc<str>>,
        step: Arc<str>,
        option: Option<Arc<str>>,
        by: Arc<str>,
    },
    /// An organisation is asked by its CSIRT for what else it knows of some campaigns.
    InformationRequest {
        entity: ActorIx,
        csirt: ActorIx,
        campaigns: Vec<CampaignIx>,
    },
    /// An organisation contains an intrusion it knows of now, rather than when its own
    /// containment would (an answer "isolate it now"). Last, so the items above keep their
    /// place in the checksum.
    ContainNow {
        entity: ActorIx,
        campaign: CampaignIx,
    },
    /// An organisation decides not to send a report (an inject's or an answer's effect).
    Withhold {
        entity: ActorIx,
        report: ReportKind,
    },
    /// A player sends a report its organisation had decided to withhold: the decision is
    /// reversed just before the report goes.
    Reconsider {
        entity: ActorIx,
        report: ReportKind,
    },
    /// An organisation takes its systems offline for `minutes`, or (`minutes` is `None`)
    /// brings them back when the time is up.
    Offline {
        entity: ActorIx,
        minutes: Option<Minute>,
    },
    /// An organisation marks what it shares and reports at `tlp` from now on.
    Mark {
        entity: ActorIx,
        tlp: Tlp,
    },
    /// One addressee's copy of a discussion question is answered (by a player or the
    /// facilitator), or its deadline passes (`reply` is `None`).
    Discuss {
        /// Which copy: the inject, its question, the addressee.
        asked: Asked,
        reply: Option<Response>,
        by: Name,
    },
    /// T+0 of an exercise whose world was played before it (a campaign begun earlier): that
    /// minute is played, so triggers and objectives read what happened before as it opens.
    Opening,
    /// T+0 of an exercise that opens with a vulnerability under embargo (reported before
    /// then): the coordinator's advisory is due by the embargo.
    UnderEmbargo {
        cve: CveIx,
    },
    /// A proof of concept for the vulnerability goes public.
    ProofOfConcept {
        cve: CveIx,
    },
}

/// One addressee's copy of an inject's discussion question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Asked {
    pub inject: u32,
    /// Its position in the inject's `discussion`.
    pub question: u32,
    pub addressee: ActorIx,
}

/// An answer to a discussion question: an option's id, or the players' own words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Response {
    Option(Name),
    Text(Name),
}

/// Vulnerabilities whose coordinated disclosure has published its advisory. Scanners only
/// know how to find a vulnerability once it is public.
#[derive(Resource, Clone, Debug, Default, Hash)]
pub struct Advisories(pub BTreeSet<CveIx>);

/// Channel outages: (actor, channel) down until a minute.
#[derive(Resource, Clone, Debug, Default, Hash)]
pub struct ChannelOutages(pub BTreeMap<(ActorIx, Channel), Minute>);

/// What the adversary has changed about each campaign.
#[derive(Resource, Clone, Debug, Default, Hash)]
pub struct CampaignStates {
    pub campaigns: Vec<CampaignState>,
    /// Impacts so far, by kind (the second encryption is a milestone of its own).
    pub impacts: BTreeMap<crate::scenario::ImpactKind, u32>,
    /// How far the adversary has watched the journal for its burnt indicators.
    pub cursor: usize,
}

#[derive(Clone, Debug, Default, Hash)]
pub struct CampaignState {
    pub rotated: bool,
    pub rotation_planned: bool,
    /// Actors known to hold any of the indicators the campaign would replace.
    pub burnt_by: BTreeSet<ActorIx>,
    /// How many knew when the adversary decided to rotate.
    pub known_when_planned: u32,
}

/// What travels between actors.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Parcel {
    Report {
        from: ActorIx,
        report: ReportKind,
        incident: u32,
        campaign: CampaignIx,
        indicators: Vec<Marked>,
        via: Option<ActorIx>,
        /// The incident was classified major when the report was sent.
        major: bool,
    },
    Share {
        from: ActorIx,
        indicators: Vec<Marked>,
        warning: bool,
        /// Incidents the sender knows of, victim identity stripped (sectoral context).
        hits: Vec<(ActorIx, CampaignIx)>,
    },
    /// A scan found a known-vulnerable exposed service at the recipient.
    Finding { from: ActorIx, cve: CveIx },
    /// A published advisory with a fix for a vulnerability the recipient has.
    Advisory { from: ActorIx, cve: CveIx },
    Sighting {
        from: ActorIx,
        indicator: IndicatorIx,
        first_seen: Minute,
        tlp: Tlp,
        place: Arc<str>,
    },
}

/// Identifies a plan item across the world; kept on every actor's bevy entity.
#[derive(Component, Clone, Copy, Debug, Hash)]
pub struct Actor(pub ActorIx);

/// The bevy entity of each actor, by actor index.
#[derive(Resource, Clone, Debug, Default)]
pub struct ActorEntities(pub Vec<Entity>);

/// What is known around an indicator, accumulating as it travels ("enrich, support and
/// share"): the victim's own context, sectoral and adversarial context added by a sectoral
/// CSIRT's analysis, cross-border context from peers in other countries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Context {
    pub victim: bool,
    pub sectoral: bool,
    pub adversarial: bool,
    pub cross_border: bool,
}

impl Context {
    /// Victim context never leaves the organisation that received the report.
    #[must_use]
    pub fn sanitised(self) -> Self {
        Self {
            victim: false,
            ..self
        }
    }

    #[must_use]
    pub fn merged(self, other: Self) -> Self {
        Self {
            victim: self.victim || other.victim,
            sectoral: self.sectoral || other.sectoral,
            adversarial: self.adversarial || other.adversarial,
            cross_border: self.cross_border || other.cross_border,
        }
    }

    pub fn labels(self) -> Vec<&'static str> {
        let mut labels = Vec::new();
        for (on, label) in [
            (self.victim, "victim"),
            (self.sectoral, "sectoral"),
            (self.adversarial, "adversarial"),
            (self.cross_border, "cross-border"),
        ] {
            if on {
                labels.push(label);
            }
        }
        labels
    }
}

/// An indicator as it travels: with its marking and context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Marked {
    pub indicator: IndicatorIx,
    pub tlp: Tlp,
    pub context: Context,
}

/// When and from whom an actor learned something, under which marking, with what context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Learned {
    pub at: Minute,
    pub from: Option<ActorIx>,
    pub tlp: Tlp,
    pub context: Context,
}

impl Learned {
    /// The marking this item leaves its holder under, for a recipient in `relation`, when
    /// the holder marks the share `chosen`: never looser than the marking it holds it
    /// under (its own policy for what it found itself). What it received goes only where
    /// that marking allows; `Err` gives the marking that forbids it.
    pub fn marking_for(&self, relation: Relation, chosen: Tlp) -> Result<Tlp, Tlp> {
        if self.from.is_none() || self.tlp.permits(relation) {
            Ok(self.tlp.strictest(chosen))
        } else {
            Err(self.tlp)
        }
    }
}

/// An incident an actor knows of (its own, reported to it, or passed on sanitised).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KnownIncident {
    pub at: Minute,
    pub from: Option<ActorIx>,
    /// Whether the actor knows who the victim is (victim context).
    pub identified: bool,
}

/// A sighting: an indicator seen at an organisation, first seen at a moment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SightingRecord {
    pub indicator: IndicatorIx,
    pub reported_by: ActorIx,
    pub first_seen: Minute,
    pub learned_at: Minute,
}

/// What one actor knows. Every actor has one; nobody reads another's.
#[derive(Component, Clone, Debug, Default, Hash)]
pub struct Knowledge {
    pub indicators: DigestedMap<IndicatorIx, Learned>,
    pub sightings: Vec<SightingRecord>,
    /// Incidents known, by (victim, campaign).
    pub incidents: DigestedMap<(ActorIx, CampaignIx), KnownIncident>,
    /// Campaigns known to reach across the border.
    pub cross_border: DigestedSet<CampaignIx>,
}

impl Knowledge {
    /// Whether the actor knew `indicator` at or before `t`.
    pub fn knew(&self, indicator: IndicatorIx, t: Minute) -> bool {
        self.indicators.get(&indicator).is_some_and(|l| l.at <= t)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntrusionStatus {
    Active,
    Blocked,
    Contained,
    /// The campaign walked all its stages here.
    Finished,
    /// Nothing ran here: the campaign stole this organisation's data from a supplier that
    /// holds it. Nothing to find in its own logs, nothing of it to contain.
    AtSupplier,
}

/// A campaign's presence at one organisation; a bevy entity of its own.
#[derive(Component, Clone, Debug, Hash)]
pub struct Intrusion {
    pub campaign: CampaignIx,
    pub target: ActorIx,
    /// The stage being worked now (completes at the next `Due::Stage`).
    pub stage: usize,
    pub completed: Vec<usize>,
    /// Indicators the completed stages left here (after any rotation).
    pub left: Vec<IndicatorIx>,
    pub status: IntrusionStatus,
    pub detected_at: Option<Minute>,
    pub incident: Option<u32>,
    pub hunts: u32,
}

impl Intrusion {
    /// A campaign arriving at `target`, working on `stage`, nothing done there yet.
    pub fn arriving(campaign: CampaignIx, target: ActorIx, stage: usize) -> Self {
        Self {
            campaign,
            target,
            stage,
            completed: Vec::new(),
            left: Vec::new(),
            status: IntrusionStatus::Active,
            detected_at: None,
            incident: None,
            hunts: 0,
        }
    }
}

/// Intrusions by (campaign, target), so draws and lookups never depend on entity ids.
#[derive(Resource, Clone, Debug, Default)]
pub struct Intrusions(pub BTreeMap<(CampaignIx, ActorIx), Entity>);

impl Intrusions {
    /// Spawns `intrusion` (with its checkpoint digest) and indexes it.
    pub fn open(&mut self, commands: &mut Commands, intrusion: Intrusion) {
        let key = (intrusion.campaign, intrusion.target);
        let entity = commands
            .spawn((intrusion, super::checksum::Digest::default()))
            .id();
        self.0.insert(key, entity);
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Incident {
    pub number: u32,
    pub campaign: CampaignIx,
    pub aware_at: Minute,
    pub severity: Option<Severity>,
    pub major: bool,
    pub contained: bool,
    pub reports: Reports,
}

/// An organisation's incidents and reporting.
#[derive(Component, Clone, Debug, Default, Hash)]
pub struct Defender {
    pub incidents: Vec<Incident>,
    /// Indicators it has acted on (blocked at the perimeter, loaded into its SOC).
    pub acted: DigestedSet<IndicatorIx>,
    /// Vulnerabilities it has patched, and those it is patching.
    pub patched: DigestedSet<CveIx>,
    pub patching: DigestedSet<CveIx>,
    /// What its players decided in the exercise's discussions.
    pub decided: Decided,
}

/// A piece of analyst work.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WorkItem {
    pub number: u32,
    pub task: Task,
    pub case: Case,
    pub queued_at: Minute,
    pub on_call: bool,
    /// Work that follows the CSIRT's own earlier work (analysis after triage): whoever
    /// did the first part is already at the desk, so no on-call response delay applies.
    pub follow_up: bool,
    /// The on-call analyst may do it outside office hours.
    pub on_call_ok: bool,
}

/// What a work item is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Case {
    /// Who informed the CSIRT (an entity, an authority, a peer).
    pub from: ActorIx,
    /// The entity whose incident it is, when it is a report.
    pub reporter: Option<ActorIx>,
    pub indicators: Vec<IndicatorIx>,
    /// A major incident or a peer's sighting: the on-call analyst works it outside office
    /// hours; anything else waits for the office to open after triage.
    pub urgent: bool,
    pub topic: Topic,
}

/// What kind of work a case is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Incident reports, shares, sightings: triage, analysis, sharing.
    #[default]
    Intelligence,
    /// Coordinating the disclosure of a vulnerability with its vendor (11.3.g).
    Disclosure(CveIx),
    /// Assessing whether to raise the crisis level by escalation rule `n` (11.5.b).
    Escalation(u32),
    /// Step `step` of the CSIRT's procedure run `run`.
    Step { run: u32, step: u32 },
}

/// One run of a procedure at its owner.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SopRun {
    pub sop: u32,
    pub case: Case,
    pub started: Minute,
    pub steps: Vec<StepStatus>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepStatus {
    Waiting,
    Queued,
    /// A decision point waiting for a player until `deadline`.
    Deciding {
        deadline: Minute,
    },
    Done {
        at: Minute,
    },
}

/// Running figures of a CSIRT's desk, for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DeskStats {
    pub items: u32,
    pub waited_total: Minute,
    pub waited_max: Minute,
    pub analyst_minutes: Minute,
    pub max_queue: u32,
}

/// A CSIRT's staff and queue.
#[derive(Component, Clone, Debug, Hash)]
pub struct Desk {
    pub analysts: u32,
    pub unavailable: u32,
    /// Minute until which each rostered analyst is busy.
    pub busy_until: Vec<Minute>,
    pub on_call_busy_until: Minute,
    pub queue: DigestedQueue<WorkItem>,
    pub next_item: u32,
    pub wake_at: Option<Minute>,
    /// What was passed to whom: each (indicator, recipient) pair is shared once, and again
    /// only when the CSIRT has added context since ("share first, enrich later").
    pub passed_on: DigestedMap<(IndicatorIx, ActorIx), Context>,
    /// Procedure runs, in the order they started.
    pub runs: Vec<SopRun>,
    /// (victim, campaign, recipient CSIRT): incidents already passed on, sanitised.
    pub hits_passed: DigestedMap<(ActorIx, CampaignIx, ActorIx), ()>,
    /// (entity, vulnerability) findings already notified by scanning.
    pub notified: DigestedSet<(ActorIx, CveIx)>,
    pub crisis: CrisisState,
    pub stats: DeskStats,
}

/// A CSIRT's crisis level and the escalation rules under assessment or done.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CrisisState {
    pub level: CrisisLevelState,
    pub assessing: BTreeSet<u32>,
}

/// Newtype so the state derives `Default` at `Normal`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CrisisLevelState(pub CrisisLevel);

impl Default for CrisisLevelState {
    fn default() -> Self {
        Self(CrisisLevel::Normal)
    }
}

impl Desk {
    pub fn new(analysts: u32) -> Self {
        Self {
            analysts,
            unavailable: 0,
            busy_until: vec![Minute::MIN; analysts as usize],
            on_call_busy_until: Minute::MIN,
            queue: DigestedQueue::new(),
            next_item: 0,
            wake_at: None,
            passed_on: DigestedMap::new(),
            runs: Vec::new(),
            hits_passed: DigestedMap::new(),
            notified: DigestedSet::new(),
            crisis: CrisisState::default(),
            stats: DeskStats::default(),
        }
    }

    pub fn available(&self) -> u32 {
        self.analysts.saturating_sub(self.unavailable)
    }
}
