//! The scenario compiled for the engine: ids resolved to indices, times resolved to
//! minutes, derived relations (constituencies, customers) computed once.
//!
//! The plan is immutable during a run. Indices are positions in the scenario's lists;
//! they are used for lookups only: random keys use id fingerprints (see `rng`).

mod compile;
mod decision;
mod guards;
mod lint;
mod patterns;
mod reach;
mod regimes;
mod sops;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::scenario::{
    self, AuthorityKind, Channel, CrisisAction, CrisisLevel, CrisisTrigger, CsirtKind, Difficulty,
    Duration, DurationRange, Hours, ImpactKind, Inject, LocalClock, Maturity, Minute, Nis2Class,
    ReportKind, Sector, Service, SharingPolicy, Tlp,
};

pub use decision::DecisionName;
pub use guards::{GuardPlan, GuardTest};
pub use reach::Reach;
pub use regimes::{Duty, RegimeIx, RegimePlan, ReportPlan};

/// A shared, cheaply cloned name for journal events.
pub type Name = Arc<str>;

pub type ActorIx = u32;
pub type IndicatorIx = u32;
pub type CampaignIx = u32;
pub type CveIx = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorRole {
    Csirt(u32),
    Authority(u32),
    Entity(u32),
}

#[derive(Clone, Debug)]
pub struct ActorPlan {
    pub id: Name,
    pub name: Name,
    pub key: u64,
    pub role: ActorRole,
}

#[derive(Clone, Debug)]
pub struct CsirtPlan {
    pub actor: ActorIx,
    pub kind: CsirtKind,
    pub country: Name,
    pub analysts: u32,
    pub hours: Hours,
    /// The clock its office hours are kept by.
    pub clock: LocalClock,
    pub peers: Vec<ActorIx>,
    pub constituency: Vec<ActorIx>,
    pub triage: DurationRange,
    pub analysis: DurationRange,
    pub sharing: SharingPolicy,
    pub services: Vec<Service>,
    pub scan_every: Option<Minute>,
    pub escalation: Vec<EscalationPlan>,
}

impl CsirtPlan {
    pub fn offers(&self, service: Service) -> bool {
        self.services.contains(&service)
    }
}

#[derive(Clone, Debug)]
pub struct EscalationPlan {
    pub level: CrisisLevel,
    pub when: CrisisTrigger,
    pub actions: Vec<CrisisAction>,
}

#[derive(Clone, Debug)]
pub struct AuthorityPlan {
    pub actor: ActorIx,
    pub kind: AuthorityKind,
    pub forwards_to: Option<ActorIx>,
    pub forward_delay: Duration,
}

#[derive(Clone, Debug)]
pub struct EntityPlan {
    pub actor: ActorIx,
    pub sector: Sector,
    pub class: Nis2Class,
    pub csirt: ActorIx,
    pub monitoring: Maturity,
    pub suppliers: Vec<ActorIx>,
    pub customers: Vec<ActorIx>,
    /// What it owes whom, in the scenario's order.
    pub duties: Vec<(Duty, ActorIx)>,
    pub indicator_tlp: Tlp,
    pub country: Name,
    /// Known-vulnerable exposed services, by vulnerability.
    pub vulnerable: Vec<CveIx>,
    pub channels: Vec<Channel>,
    /// Data stolen from it is a breach at each of its customers.
    pub holds_customer_data: bool,
}

#[derive(Clone, Debug)]
pub struct StagePlan {
    pub id: Name,
    pub key: u64,
    pub technique: Name,
    pub duration: DurationRange,
    pub not_before: Option<Minute>,
    pub indicators: Vec<IndicatorIx>,
    pub detection: Difficulty,
    pub effect: StageEffect,
    pub exploits: Option<CveIx>,
    /// Further vulnerabilities chained with `exploits`: every one must be open.
    pub also_exploits: Vec<CveIx>,
}

impl StagePlan {
    /// Every vulnerability the stage needs open at its target, `exploits` first.
    pub fn needs(&self) -> impl Iterator<Item = CveIx> + '_ {
        self.exploits.iter().chain(&self.also_exploits).copied()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StageEffect {
    None,
    CredentialTheft,
    Impact(ImpactKind),
    Spread {
        targets: Vec<SpreadTarget>,
        entry: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpreadTarget {
    Entities(Vec<ActorIx>),
    Suppliers,
    Customers,
}

#[derive(Clone, Debug)]
pub struct CampaignPlan {
    pub id: Name,
    pub key: u64,
    pub adversary: Name,
    pub capability: Maturity,
    pub start: Minute,
    pub targets: Vec<ActorIx>,
    pub stages: Vec<StagePlan>,
    pub rotation: Option<RotationPlan>,
}

#[derive(Clone, Debug)]
pub struct RotationPlan {
    pub known_by: u32,
    pub delay: Minute,
    pub replace: Vec<(IndicatorIx, IndicatorIx)>,
}

impl CampaignPlan {
    /// The indicators stage `stage` leaves, after a rotation if there was one.
    pub fn indicators_of(&self, stage: usize, rotated: bool) -> Vec<IndicatorIx> {
        let left = &self.stages[stage].indicators;
        match (&self.rotation, rotated) {
            (Some(rotation), true) => left
                .iter()
                .map(|i| {
                    rotation
                        .replace
                        .iter()
                        .find(|(old, _)| old == i)
                        .map_or(*i, |(_, new)| *new)
                })
                .collect(),
            _ => left.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct VulnerabilityPlan {
    pub cve: Name,
    pub disclosure: Option<DisclosurePlan>,
}

#[derive(Clone, Debug)]
pub struct DisclosurePlan {
    pub coordinator: ActorIx,
    pub reported: Minute,
    pub embargo: Minute,
    /// The vendor's fixed publication moment, if it has one.
    pub advisory: Option<Minute>,
    pub proof_of_concept: Option<Minute>,
    /// Organisations whose deployments the advisory's fix does not cover, in scenario
    /// order, and when their fix comes (never within the exercise when `None`).
    pub uncovered: Vec<ActorIx>,
    pub rest_fixed: Option<Minute>,
    /// Indicators the advisory lists for its recipients to hunt for.
    pub indicators: Vec<IndicatorIx>,
}

impl DisclosurePlan {
    /// When the advisory comes out for a vendor contacted at `contacted`: the vendor's
    /// fixed moment if it has one, else the embargo's end; never before `contacted`.
    pub fn advisory_due(&self, contacted: Minute) -> Minute {
        self.advisory
            .unwrap_or(contacted.saturating_add(self.embargo))
            .max(contacted)
    }

    /// When a fix for `entity`'s deployment exists, as of `now`: at once, on the vendor's
    /// patch day (an advisory brought forward by a proof of concept, or a coordinator's
    /// scan finding, comes before it), when the rest of a partial fix comes, or not within
    /// the exercise.
    pub fn fix_for(&self, entity: ActorIx, now: Minute) -> Option<Minute> {
        let from = if self.uncovered.contains(&entity) {
            self.rest_fixed?
        } else {
            self.advisory.unwrap_or(now)
        };
        Some(from.max(now))
    }
}

#[derive(Clone, Debug)]
pub struct IndicatorPlan {
    pub id: Name,
    pub value: Name,
    pub campaign: CampaignIx,
}

/// A journal pattern with ids resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    StepDone {
        sop: Name,
        step: Name,
    },
    NthImpact {
        effect: ImpactKind,
        count: u32,
    },
    CrisisRaised {
        csirt: ActorIx,
        level: CrisisLevel,
    },
    CrisisTriggered {
        csirt: ActorIx,
        level: CrisisLevel,
    },
    Detected(WhoIx),
    Classified(WhoIx),
    ReportSent {
        by: WhoIx,
        report: ReportKind,
    },
    Feedback {
        from: ActorIx,
        to: ActorIx,
    },
    Knows {
        actor: ActorIx,
        indicator: IndicatorIx,
    },
    Shared {
        from: ActorIx,
        to: ActorIx,
    },
    Impact {
        at: WhoIx,
        effect: ImpactKind,
    },
    Stage {
        campaign: CampaignIx,
        stage: u32,
        at: WhoIx,
    },
    Inject(u32),
    ObjectiveMet(u32),
    ObjectiveMissed(u32),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhoIx {
    Entity(ActorIx),
    Sector(Sector),
    Any,
}

#[derive(Clone, Debug)]
pub enum CheckPlan {
    Deadline {
        after: Pattern,
        expected: Pattern,
        within: Minute,
    },
    Coverage {
        members: Vec<ActorIx>,
        indicator: IndicatorIx,
        after: Pattern,
        within: Minute,
    },
    Absence(Pattern),
    Ordering {
        first: Pattern,
        then: Pattern,
    },
}

/// A procedure as played: the chosen variant, steps with resolved dependencies.
#[derive(Clone, Debug)]
pub struct SopPlan {
    pub id: Name,
    pub variant: Name,
    pub key: u64,
    pub owner: ActorIx,
    pub trigger: scenario::SopTrigger,
    pub steps: Vec<StepPlan>,
}

#[derive(Clone, Debug)]
pub struct StepPlan {
    pub id: Name,
    pub key: u64,
    pub action: scenario::Action,
    pub role: Option<Name>,
    pub duration: DurationRange,
    pub after: Vec<usize>,
    pub deadline: Option<Minute>,
    pub on_call: bool,
}

/// Which variant of each procedure to play, by procedure id; unnamed ones play their
/// first variant.
pub type Variants = BTreeMap<String, String>;

#[derive(Clone, Debug)]
pub struct ObjectivePlan {
    pub id: Name,
    pub title: Name,
    pub check: CheckPlan,
}

#[derive(Clone, Debug)]
pub enum WhenPlan {
    At(Minute),
    After {
        on: Pattern,
        delay: Minute,
    },
    Unless {
        after: Pattern,
        expected: Pattern,
        within: Minute,
    },
}

#[derive(Clone, Debug)]
pub struct InjectPlan {
    pub id: Name,
    pub spec: Inject,
    pub when: WhenPlan,
    pub to: Vec<ActorIx>,
    /// What must hold when it fires (the scenario's `only_if`).
    pub guards: Vec<GuardPlan>,
}

/// Everything the engine needs from the scenario, resolved.
#[derive(Debug)]
pub struct Plan {
    pub name: Name,
    pub start: scenario::WallClock,
    pub end: Minute,
    pub actors: Vec<ActorPlan>,
    pub csirts: Vec<CsirtPlan>,
    pub authorities: Vec<AuthorityPlan>,
    pub entities: Vec<EntityPlan>,
    pub campaigns: Vec<CampaignPlan>,
    pub indicators: Vec<IndicatorPlan>,
    pub injects: Vec<InjectPlan>,
    pub objectives: Vec<ObjectivePlan>,
    /// The procedures played, one variant each.
    pub sops: Vec<SopPlan>,
    pub vulnerabilities: Vec<VulnerabilityPlan>,
    pub cve_by_id: BTreeMap<String, CveIx>,
    pub by_id: BTreeMap<String, ActorIx>,
    pub indicator_by_id: BTreeMap<String, IndicatorIx>,
    pub campaign_by_id: BTreeMap<String, CampaignIx>,
    pub inject_by_id: BTreeMap<String, u32>,
    pub objective_by_id: BTreeMap<String, u32>,
    /// The parts trainees play.
    pub roles: Vec<RolePlan>,
    pub role_by_id: BTreeMap<String, u32>,
    /// The reporting regimes: the built-in library, then the scenario's own.
    pub regimes: Vec<RegimePlan>,
    /// By actor index: the CSIRT an organisation belongs to (`None` for CSIRTs and
    /// authorities). A national CSIRT's warning asks this for each of thousands of
    /// recipients; read from here it is one small array, not one `EntityPlan` each.
    pub csirt_of: Vec<Option<ActorIx>>,
}

/// A role, resolved: its actor by index and the actions open to it.
#[derive(Clone, Debug)]
pub struct RolePlan {
    pub id: Name,
    pub title: Name,
    pub actor: ActorIx,
    /// "sop-id/step-id" or an inject id.
    pub decisions: BTreeSet<Name>,
    pub briefing: Name,
    /// The actions the player may take: the scenario's list, or every one open to the actor.
    pub actions: Vec<scenario::ActionKind>,
}

impl RolePlan {
    /// Whether this role answers `decision`, named as journaled (see [`DecisionName`]).
    pub fn owns(&self, plan: &Plan, decision: &str) -> bool {
        match DecisionName::parse(decision) {
            Some(DecisionName::Step {
                csirt, sop, step, ..
            }) => {
                plan.by_id.get(csirt) == Some(&self.actor)
                    && self.decisions.contains(format!("{sop}/{step}").as_str())
            }
            Some(DecisionName::Question(inject)) => self.decisions.contains(inject),
            // An inject whose own id looks like a discussion name is still that inject.
            Some(DecisionName::Discussion { .. }) if plan.inject_by_id.contains_key(decision) => {
                self.decisions.contains(decision)
            }
            // Each addressee answers its copy itself: every role played for it may.
            Some(DecisionName::Discussion { addressee, .. }) => {
                plan.by_id.get(addressee) == Some(&self.actor)
            }
            None => false,
        }
    }
}

/// A reference the validator should have caught; building refuses rather than panics.
#[derive(Debug, thiserror::Error)]
#[error("scenario not validated: {0}")]
pub struct PlanError(pub String);

/// A position in one of the plan's lists (actors, stages, steps, …) or in a list the run
/// grows (a desk's queue, its procedure runs), as the `u32` index the plan, the journal and
/// the world use.
///
/// The conversion cannot fail for a scenario read from a file at the default size limit:
/// `scenario::load_path` refuses files over `files::max_file_bytes()` (64 MiB unless
/// `--max-file-size` raises it), and every list item takes several bytes of RON, so no list
/// comes near 2^32 items. A scenario built in code (the generator, tests)
/// has no such bound, and neither has a list grown at run time; both would need tens of GiB
/// of memory to pass 2^32. Should it ever happen the index saturates at `u32::MAX`, which
/// names no item, rather than wrapping onto a real one.
pub fn ix(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Plan {
    pub fn actor(&self, ix: ActorIx) -> &ActorPlan {
        &self.actors[ix as usize]
    }

    pub fn entity(&self, actor: ActorIx) -> Option<&EntityPlan> {
        match self.actor(actor).role {
            ActorRole::Entity(i) => self.entities.get(i as usize),
            _ => None,
        }
    }

    /// The procedures `csirt` runs, with their index in `sops`.
    pub fn sops_of(&self, csirt: ActorIx) -> impl Iterator<Item = (u32, &SopPlan)> {
        self.sops
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.owner == csirt)
            .map(|(i, s)| (ix(i), s))
    }

    pub fn csirt(&self, actor: ActorIx) -> Option<&CsirtPlan> {
        match self.actor(actor).role {
            ActorRole::Csirt(i) => self.csirts.get(i as usize),
            _ => None,
        }
    }

    pub fn authority(&self, actor: ActorIx) -> Option<&AuthorityPlan> {
        match self.actor(actor).role {
            ActorRole::Authority(i) => self.authorities.get(i as usize),
            _ => None,
        }
    }

    /// What a role playing `actor` could do (the same rules the validator applies).
    pub fn capacities(&self, actor: ActorIx) -> scenario::Capacities {
        let csirt = self.csirt(actor);
        let entity = self.entity(actor);
        scenario::Capacities {
            csirt: csirt.is_some(),
            entity: entity.is_some(),
            warnings: csirt.is_some_and(|c| c.offers(Service::Warnings)),
            scanning: csirt.is_some_and(|c| c.offers(Service::Scanning))
                || entity
                    .and_then(|e| self.csirt(e.csirt))
                    .is_some_and(|c| c.offers(Service::Scanning)),
            escalation: csirt.is_some_and(|c| !c.escalation.is_empty()),
        }
    }

    /// How `holder` stands to `recipient` for TLP purposes.
    pub fn relation(&self, holder: ActorIx, recipient: ActorIx) -> scenario::Relation {
        match self.csirt_of.get(recipient as usize) {
            Some(&Some(csirt)) if csirt == holder => scenario::Relation::Constituent,
            _ => scenario::Relation::Community,
        }
    }

    pub fn role(&self, id: &str) -> Option<&RolePlan> {
        self.role_by_id
            .get(id)
            .and_then(|&i| self.roles.get(i as usize))
    }

    pub fn actor_ix(&self, id: &str) -> Result<ActorIx, PlanError> {
        self.by_id
            .get(id)
            .copied()
            .ok_or_else(|| PlanError(format!("no actor \"{id}\"")))
    }

    fn cve_ix(&self, id: &str) -> Result<CveIx, PlanError> {
        self.cve_by_id
            .get(id)
            .copied()
            .ok_or_else(|| PlanError(format!("no vulnerability \"{id}\"")))
    }

    fn indicator_ix(&self, id: &str) -> Result<IndicatorIx, PlanError> {
        self.indicator_by_id
            .get(id)
            .copied()
            .ok_or_else(|| PlanError(format!("no indicator \"{id}\"")))
    }

    /// Whether `who` matches the entity `actor`.
    pub fn who_matches(&self, who: &WhoIx, actor: ActorIx) -> bool {
        match who {
            WhoIx::Any => self.entity(actor).is_some(),
            WhoIx::Entity(a) => *a == actor,
            WhoIx::Sector(s) => self.entity(actor).is_some_and(|e| e.sector == *s),
        }
    }
}
