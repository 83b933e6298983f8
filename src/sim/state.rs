//! The simulated world's state: resources (clock, agenda, plan, random streams) and the
//! components on actors and intrusions. Everything here is ordered (Vec, BTreeMap) and
//! derives `Hash`, so the checksum covers it canonically.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use bevy_ecs::prelude::{Component, Entity, Resource};

use crate::scenario::{Minute, ReportKind, Tlp};

use super::checksum::digest_of;
use super::journal::{DetectionSource, Severity, Task};
use super::plan::{ActorIx, CampaignIx, IndicatorIx, Plan};
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
    items: BTreeMap<(Minute, u64), Due>,
    next_seq: u64,
    /// Running sum of the digests of the items present (see `checksum`).
    digest: u128,
}

impl Agenda {
    /// Schedules `due` at minute `t`; items at the same minute keep their insertion order.
    pub fn push(&mut self, t: Minute, due: Due) {
        let key = (t, self.next_seq);
        self.digest = self.digest.wrapping_add(digest_of(&(key, &due)));
        self.items.insert(key, due);
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
            .map(|(key, item)| {
                self.digest = self.digest.wrapping_sub(digest_of(&(key, &item)));
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
}

/// What travels between actors.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Parcel {
    Report {
        from: ActorIx,
        report: ReportKind,
        incident: u32,
        campaign: CampaignIx,
        indicators: Vec<(IndicatorIx, Tlp)>,
        via: Option<ActorIx>,
        /// The incident was classified major when the report was sent.
        major: bool,
    },
    Share {
        from: ActorIx,
        indicators: Vec<(IndicatorIx, Tlp)>,
        warning: bool,
    },
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

/// When and from whom an actor learned something, under which marking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Learned {
    pub at: Minute,
    pub from: Option<ActorIx>,
    pub tlp: Tlp,
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
    pub indicators: BTreeMap<IndicatorIx, Learned>,
    pub sightings: Vec<SightingRecord>,
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
}

/// A campaign's presence at one organisation; a bevy entity of its own.
#[derive(Component, Clone, Debug, Hash)]
pub struct Intrusion {
    pub campaign: CampaignIx,
    pub target: ActorIx,
    /// The stage being worked now (completes at the next `Due::Stage`).
    pub stage: usize,
    pub completed: Vec<usize>,
    pub status: IntrusionStatus,
    pub detected_at: Option<Minute>,
    pub incident: Option<u32>,
    pub hunts: u32,
}

/// Intrusions by (campaign, target), so draws and lookups never depend on entity ids.
#[derive(Resource, Clone, Debug, Default)]
pub struct Intrusions(pub BTreeMap<(CampaignIx, ActorIx), Entity>);

/// The state of one report an entity owes or chose to send.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReportState {
    pub to: ActorIx,
    pub due: Option<Minute>,
    pub sent: Option<Minute>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Incident {
    pub number: u32,
    pub campaign: CampaignIx,
    pub aware_at: Minute,
    pub severity: Option<Severity>,
    pub major: bool,
    pub contained: bool,
    pub reports: BTreeMap<ReportKind, ReportState>,
}

/// An organisation's incidents and reporting.
#[derive(Component, Clone, Debug, Default, Hash)]
pub struct Defender {
    pub incidents: Vec<Incident>,
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
    pub queue: VecDeque<WorkItem>,
    pub next_item: u32,
    pub wake_at: Option<Minute>,
    /// (indicator, recipient) pairs already shared or refused: each is decided once.
    pub passed_on: BTreeSet<(IndicatorIx, ActorIx)>,
    pub stats: DeskStats,
}

impl Desk {
    pub fn new(analysts: u32) -> Self {
        Self {
            analysts,
            unavailable: 0,
            busy_until: vec![Minute::MIN; analysts as usize],
            on_call_busy_until: Minute::MIN,
            queue: VecDeque::new(),
            next_item: 0,
            wake_at: None,
            passed_on: BTreeSet::new(),
            stats: DeskStats::default(),
        }
    }

    pub fn available(&self) -> u32 {
        self.analysts.saturating_sub(self.unavailable)
    }
}
