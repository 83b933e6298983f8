//! The scenario compiled for the engine: ids resolved to indices, times resolved to
//! minutes, derived relations (constituencies, customers) computed once.
//!
//! The plan is immutable during a run. Indices are positions in the scenario's lists;
//! they are used for lookups only: random keys use id fingerprints (see `rng`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::scenario::{
    self, AuthorityKind, Channel, Check, CrisisAction, CrisisLevel, CrisisTrigger, CsirtKind,
    Difficulty, Duration, DurationRange, Effect, EventPattern, Hours, ImpactKind, Inject, Maturity,
    Minute, Nis2Class, Obligation, ReportKind, Scenario, Sector, Service, SharingPolicy, Target,
    Tlp, When, Who,
};

use super::rng::fingerprint;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regime {
    Nis2,
    Dora,
    Gdpr,
    Voluntary,
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
    pub duties: Vec<(Regime, ActorIx)>,
    pub indicator_tlp: Tlp,
    pub country: Name,
    /// Known-vulnerable exposed services, by vulnerability.
    pub vulnerable: Vec<CveIx>,
    pub channels: Vec<Channel>,
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
            None => false,
        }
    }
}

/// A decision as the journal raises it and commands answer it: a procedure's decision
/// point, "fin-csirt/fin-intake#1/call-national" (CSIRT, procedure, run from 1, step), or
/// an inject's question, by the inject's id. Written and read here only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionName<'a> {
    Step {
        csirt: &'a str,
        sop: &'a str,
        /// The run, counted from 1; absent in a malformed name.
        run: Option<u32>,
        step: &'a str,
    },
    Question(&'a str),
}

impl<'a> DecisionName<'a> {
    /// `None` when a name with '/' is not "csirt/sop#run/step".
    pub fn parse(name: &'a str) -> Option<Self> {
        let Some((csirt, rest)) = name.split_once('/') else {
            return Some(Self::Question(name));
        };
        let (sop_run, step) = rest.rsplit_once('/')?;
        let (sop, run) = match sop_run.rsplit_once('#') {
            Some((sop, run)) => (sop, run.parse().ok()),
            None => (sop_run, None),
        };
        Some(Self::Step {
            csirt,
            sop,
            run,
            step,
        })
    }
}

impl std::fmt::Display for DecisionName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Step {
                csirt,
                sop,
                run,
                step,
            } => write!(f, "{csirt}/{sop}#{}/{step}", run.unwrap_or(0)),
            Self::Question(inject) => f.write_str(inject),
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
/// The conversion cannot fail for a scenario read from a file: `scenario::load_path`
/// refuses files over `MAX_FILE_BYTES` (64 MiB), and every list item takes several bytes of
/// RON, so no list comes near 2^32 items. A scenario built in code (the generator, tests)
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
        match self.entity(recipient) {
            Some(e) if e.csirt == holder => scenario::Relation::Constituent,
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

    pub fn build(s: &Scenario) -> Result<Self, PlanError> {
        Self::build_with(s, &Variants::new())
    }

    /// Builds the plan playing the named variant of each procedure listed in `variants`.
    pub fn build_with(s: &Scenario, variants: &Variants) -> Result<Self, PlanError> {
        let mut plan = Self {
            name: s.name.as_str().into(),
            start: s.start,
            end: s.duration.minutes,
            actors: Vec::new(),
            csirts: Vec::new(),
            authorities: Vec::new(),
            entities: Vec::new(),
            campaigns: Vec::new(),
            indicators: Vec::new(),
            injects: Vec::new(),
            objectives: Vec::new(),
            sops: Vec::new(),
            vulnerabilities: Vec::new(),
            cve_by_id: BTreeMap::new(),
            by_id: BTreeMap::new(),
            indicator_by_id: BTreeMap::new(),
            campaign_by_id: BTreeMap::new(),
            inject_by_id: BTreeMap::new(),
            objective_by_id: BTreeMap::new(),
            roles: Vec::new(),
            role_by_id: BTreeMap::new(),
        };
        let add_actor = |plan: &mut Self, id: &str, name: &str, role| {
            let ix = ix(plan.actors.len());
            plan.actors.push(ActorPlan {
                id: id.into(),
                name: name.into(),
                key: fingerprint(id),
                role,
            });
            plan.by_id.insert(id.to_owned(), ix);
        };
        for (i, c) in s.csirts.iter().enumerate() {
            add_actor(&mut plan, &c.id, &c.name, ActorRole::Csirt(ix(i)));
        }
        for (i, a) in s.authorities.iter().enumerate() {
            add_actor(&mut plan, &a.id, &a.name, ActorRole::Authority(ix(i)));
        }
        for (i, e) in s.entities.iter().enumerate() {
            add_actor(&mut plan, &e.id, &e.name, ActorRole::Entity(ix(i)));
        }
        for c in &s.csirts {
            let peers = c
                .peers
                .iter()
                .map(|p| plan.actor_ix(p))
                .collect::<Result<_, _>>()?;
            plan.csirts.push(CsirtPlan {
                actor: plan.actor_ix(&c.id)?,
                kind: c.kind,
                country: c.country.as_str().into(),
                analysts: c.analysts,
                hours: c.hours.clone(),
                peers,
                constituency: Vec::new(),
                triage: c.triage,
                analysis: c.analysis,
                sharing: c.sharing,
                services: c.services.clone(),
                scan_every: c.scan_every.map(|d| d.minutes),
                escalation: c
                    .escalation
                    .iter()
                    .map(|e| EscalationPlan {
                        level: e.level,
                        when: e.when.clone(),
                        actions: e.actions.clone(),
                    })
                    .collect(),
            });
        }
        for v in &s.vulnerabilities {
            plan.cve_by_id
                .insert(v.cve.clone(), ix(plan.vulnerabilities.len()));
            let disclosure = match &v.disclosure {
                Some(d) => Some(DisclosurePlan {
                    coordinator: plan.actor_ix(&d.coordinator)?,
                    reported: d.reported.resolve(&s.start),
                    embargo: d.embargo.minutes,
                }),
                None => None,
            };
            plan.vulnerabilities.push(VulnerabilityPlan {
                cve: v.cve.as_str().into(),
                disclosure,
            });
        }
        for a in &s.authorities {
            plan.authorities.push(AuthorityPlan {
                actor: plan.actor_ix(&a.id)?,
                kind: a.kind,
                forwards_to: a
                    .forwards_to
                    .as_deref()
                    .map(|f| plan.actor_ix(f))
                    .transpose()?,
                forward_delay: a.forward_delay,
            });
        }
        for e in &s.entities {
            let actor = plan.actor_ix(&e.id)?;
            let csirt = plan.actor_ix(&e.csirt)?;
            let suppliers = e
                .suppliers
                .iter()
                .map(|p| plan.actor_ix(p))
                .collect::<Result<_, _>>()?;
            let duties = e
                .reporting
                .iter()
                .map(|d| {
                    let (regime, to) = match d {
                        Obligation::Nis2 { to } => (Regime::Nis2, to),
                        Obligation::Dora { to } => (Regime::Dora, to),
                        Obligation::Gdpr { to } => (Regime::Gdpr, to),
                        Obligation::Voluntary { to } => (Regime::Voluntary, to),
                    };
                    plan.actor_ix(to).map(|to| (regime, to))
                })
                .collect::<Result<_, _>>()?;
            plan.entities.push(EntityPlan {
                actor,
                sector: e.sector,
                class: e.class,
                csirt,
                monitoring: e.monitoring,
                suppliers,
                customers: Vec::new(),
                duties,
                indicator_tlp: e.indicator_tlp,
                country: e.country.as_str().into(),
                vulnerable: e
                    .vulnerable
                    .iter()
                    .map(|(_, cve)| plan.cve_ix(cve))
                    .collect::<Result<_, _>>()?,
                channels: e.channels.clone(),
            });
        }
        // Derived relations: constituencies and customers, in scenario order.
        for i in 0..plan.entities.len() {
            let (actor, csirt) = (plan.entities[i].actor, plan.entities[i].csirt);
            if let ActorRole::Csirt(c) = plan.actor(csirt).role {
                plan.csirts[c as usize].constituency.push(actor);
            }
            for s_ix in plan.entities[i].suppliers.clone() {
                if let ActorRole::Entity(si) = plan.actor(s_ix).role {
                    plan.entities[si as usize].customers.push(actor);
                }
            }
        }
        for adversary in &s.adversaries {
            for campaign in &adversary.campaigns {
                let c_ix = ix(plan.campaigns.len());
                plan.campaign_by_id.insert(campaign.id.clone(), c_ix);
                for indicator in &campaign.indicators {
                    plan.indicator_by_id
                        .insert(indicator.id.clone(), ix(plan.indicators.len()));
                    plan.indicators.push(IndicatorPlan {
                        id: indicator.id.as_str().into(),
                        value: indicator.value.as_str().into(),
                        campaign: c_ix,
                    });
                }
                let targets = plan.resolve_targets(&campaign.targets)?;
                let stage_ix: BTreeMap<&str, usize> = campaign
                    .stages
                    .iter()
                    .enumerate()
                    .map(|(i, st)| (st.id.as_str(), i))
                    .collect();
                let mut stages = Vec::new();
                for stage in &campaign.stages {
                    let effect = match &stage.effect {
                        Effect::None => StageEffect::None,
                        Effect::CredentialTheft => StageEffect::CredentialTheft,
                        Effect::DataTheft => StageEffect::Impact(ImpactKind::DataTheft),
                        Effect::Fraud => StageEffect::Impact(ImpactKind::Fraud),
                        Effect::Encryption => StageEffect::Impact(ImpactKind::Encryption),
                        Effect::Outage => StageEffect::Impact(ImpactKind::Outage),
                        Effect::Ddos => StageEffect::Impact(ImpactKind::Ddos),
                        Effect::Spread { targets, entry } => {
                            let mut resolved = Vec::new();
                            for target in targets {
                                resolved.push(match target {
                                    Target::Suppliers => SpreadTarget::Suppliers,
                                    Target::Customers => SpreadTarget::Customers,
                                    other => SpreadTarget::Entities(
                                        plan.resolve_targets(std::slice::from_ref(other))?,
                                    ),
                                });
                            }
                            let entry = *stage_ix
                                .get(entry.as_str())
                                .ok_or_else(|| PlanError(format!("no stage \"{entry}\"")))?;
                            StageEffect::Spread {
                                targets: resolved,
                                entry,
                            }
                        }
                    };
                    stages.push(StagePlan {
                        id: stage.id.as_str().into(),
                        key: fingerprint(&stage.id),
                        technique: stage.technique.as_str().into(),
                        duration: stage.duration,
                        not_before: stage.not_before.map(|at| at.resolve(&s.start)),
                        indicators: stage
                            .indicators
                            .iter()
                            .map(|i| plan.indicator_ix(i))
                            .collect::<Result<_, _>>()?,
                        detection: stage.detection,
                        effect,
                        exploits: stage
                            .exploits
                            .as_deref()
                            .map(|c| plan.cve_ix(c))
                            .transpose()?,
                    });
                }
                let rotation = match &campaign.rotation {
                    Some(r) => Some(RotationPlan {
                        known_by: r.known_by,
                        delay: r.delay.minutes,
                        replace: r
                            .replace
                            .iter()
                            .map(|(old, new)| {
                                Ok((plan.indicator_ix(old)?, plan.indicator_ix(new)?))
                            })
                            .collect::<Result<_, PlanError>>()?,
                    }),
                    None => None,
                };
                plan.campaigns.push(CampaignPlan {
                    id: campaign.id.as_str().into(),
                    key: fingerprint(&campaign.id),
                    adversary: adversary.name.as_str().into(),
                    capability: adversary.capability,
                    start: campaign.start.resolve(&s.start),
                    targets,
                    stages,
                    rotation,
                });
            }
        }
        plan.compile_sops(s, variants)?;
        for (i, inject) in s.injects.iter().enumerate() {
            plan.inject_by_id.insert(inject.id.clone(), ix(i));
        }
        for (i, objective) in s.objectives.iter().enumerate() {
            plan.objective_by_id.insert(objective.id.clone(), ix(i));
        }
        for inject in &s.injects {
            let compiled = plan.compile_inject(inject)?;
            plan.injects.push(compiled);
        }
        for role in &s.roles {
            let actor = plan.actor_ix(&role.actor)?;
            let can = plan.capacities(actor);
            let actions = match &role.actions {
                Some(listed) => listed.clone(),
                None => scenario::ActionKind::ALL
                    .into_iter()
                    .filter(|a| a.open_to(&role.actor, &can).is_ok())
                    .collect(),
            };
            plan.role_by_id
                .insert(role.id.clone(), ix(plan.roles.len()));
            plan.roles.push(RolePlan {
                id: role.id.as_str().into(),
                title: role.title.as_str().into(),
                actor,
                decisions: role.decisions.iter().map(|d| d.as_str().into()).collect(),
                briefing: role.briefing.as_str().into(),
                actions,
            });
        }
        for objective in &s.objectives {
            let check = match &objective.check {
                Check::Deadline {
                    after,
                    expected,
                    within,
                } => CheckPlan::Deadline {
                    after: plan.pattern(after)?,
                    expected: plan.pattern(expected)?,
                    within: within.minutes,
                },
                Check::Coverage {
                    sector,
                    indicator,
                    after,
                    within,
                } => CheckPlan::Coverage {
                    members: plan
                        .entities
                        .iter()
                        .filter(|e| e.sector == *sector)
                        .map(|e| e.actor)
                        .collect(),
                    indicator: plan.indicator_ix(indicator)?,
                    after: plan.pattern(after)?,
                    within: within.minutes,
                },
                Check::Absence(p) => CheckPlan::Absence(plan.pattern(p)?),
                Check::Ordering { first, then } => CheckPlan::Ordering {
                    first: plan.pattern(first)?,
                    then: plan.pattern(then)?,
                },
            };
            plan.objectives.push(ObjectivePlan {
                id: objective.id.as_str().into(),
                title: objective.title.as_str().into(),
                check,
            });
        }
        Ok(plan)
    }

    /// Chooses one variant of each procedure and resolves its steps.
    fn compile_sops(&mut self, s: &Scenario, variants: &Variants) -> Result<(), PlanError> {
        for (wanted_id, wanted) in variants {
            if !s
                .sops
                .iter()
                .any(|sop| &sop.id == wanted_id && sop.variant.as_deref() == Some(wanted))
            {
                let known: Vec<&str> = s
                    .sops
                    .iter()
                    .filter(|sop| &sop.id == wanted_id)
                    .filter_map(|sop| sop.variant.as_deref())
                    .collect();
                return Err(PlanError(format!(
                    "no variant \"{wanted}\" of procedure \"{wanted_id}\"; known: {}",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
        let mut chosen: BTreeMap<&str, &scenario::Sop> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for sop in &s.sops {
            let pick = match variants.get(&sop.id) {
                Some(wanted) => sop.variant.as_deref() == Some(wanted.as_str()),
                None => !chosen.contains_key(sop.id.as_str()),
            };
            if pick {
                if !chosen.contains_key(sop.id.as_str()) {
                    order.push(&sop.id);
                }
                chosen.insert(&sop.id, sop);
            }
        }
        for id in order {
            let sop = chosen[id];
            let ids: BTreeMap<&str, usize> = sop
                .steps
                .iter()
                .enumerate()
                .map(|(n, st)| (st.id.as_str(), n))
                .collect();
            let steps = sop
                .steps
                .iter()
                .map(|st| {
                    Ok(StepPlan {
                        id: st.id.as_str().into(),
                        key: fingerprint(&st.id),
                        action: st.action.clone(),
                        role: st.role.as_deref().map(Into::into),
                        duration: st.duration,
                        after: st
                            .after
                            .iter()
                            .map(|a| {
                                ids.get(a.as_str())
                                    .copied()
                                    .ok_or_else(|| PlanError(format!("no step \"{a}\"")))
                            })
                            .collect::<Result<_, PlanError>>()?,
                        deadline: st.deadline.map(|d| d.minutes),
                        on_call: st.on_call,
                    })
                })
                .collect::<Result<_, PlanError>>()?;
            self.sops.push(SopPlan {
                id: sop.id.as_str().into(),
                variant: sop.variant.as_deref().unwrap_or("default").into(),
                key: fingerprint(&sop.id),
                owner: self.actor_ix(&sop.owner)?,
                trigger: sop.trigger.clone(),
                steps,
            });
        }
        Ok(())
    }

    /// Compiles an inject from the scenario or composed by the facilitator.
    pub fn compile_inject(&self, inject: &Inject) -> Result<InjectPlan, PlanError> {
        let when = match &inject.when {
            When::At(at) => WhenPlan::At(at.resolve(&self.start)),
            When::After { on, delay } => WhenPlan::After {
                on: self.pattern(on)?,
                delay: delay.minutes,
            },
            When::Unless {
                after,
                expected,
                within,
            } => WhenPlan::Unless {
                after: self.pattern(after)?,
                expected: self.pattern(expected)?,
                within: within.minutes,
            },
        };
        Ok(InjectPlan {
            id: inject.id.as_str().into(),
            spec: inject.clone(),
            when,
            to: inject
                .to
                .iter()
                .map(|t| self.actor_ix(t))
                .collect::<Result<_, _>>()?,
        })
    }

    fn resolve_targets(&self, targets: &[Target]) -> Result<Vec<ActorIx>, PlanError> {
        let mut out = Vec::new();
        for target in targets {
            match target {
                Target::Entity(id) => out.push(self.actor_ix(id)?),
                Target::Sector(sector) => {
                    out.extend(
                        self.entities
                            .iter()
                            .filter(|e| e.sector == *sector)
                            .map(|e| e.actor),
                    );
                }
                Target::Suppliers | Target::Customers => {
                    return Err(PlanError("relative target outside Spread".into()));
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        out.retain(|a| seen.insert(*a));
        Ok(out)
    }

    fn who(&self, who: &Who) -> Result<WhoIx, PlanError> {
        Ok(match who {
            Who::Entity(id) => WhoIx::Entity(self.actor_ix(id)?),
            Who::Sector(s) => WhoIx::Sector(*s),
            Who::Any => WhoIx::Any,
        })
    }

    pub fn pattern(&self, p: &EventPattern) -> Result<Pattern, PlanError> {
        let lookup = |map: &BTreeMap<String, u32>, id: &str, what: &str| {
            map.get(id)
                .copied()
                .ok_or_else(|| PlanError(format!("no {what} \"{id}\"")))
        };
        Ok(match p {
            EventPattern::Detected(w) => Pattern::Detected(self.who(w)?),
            EventPattern::Classified(w) => Pattern::Classified(self.who(w)?),
            EventPattern::ReportSent { by, report } => Pattern::ReportSent {
                by: self.who(by)?,
                report: *report,
            },
            EventPattern::Feedback { from, to } => Pattern::Feedback {
                from: self.actor_ix(from)?,
                to: self.actor_ix(to)?,
            },
            EventPattern::Knows { actor, indicator } => Pattern::Knows {
                actor: self.actor_ix(actor)?,
                indicator: self.indicator_ix(indicator)?,
            },
            EventPattern::Shared { from, to } => Pattern::Shared {
                from: self.actor_ix(from)?,
                to: self.actor_ix(to)?,
            },
            EventPattern::Impact { at, effect } => Pattern::Impact {
                at: self.who(at)?,
                effect: *effect,
            },
            EventPattern::Stage {
                campaign,
                stage,
                at,
            } => {
                let c = lookup(&self.campaign_by_id, campaign, "campaign")?;
                let s = self.campaigns[c as usize]
                    .stages
                    .iter()
                    .position(|st| &*st.id == stage)
                    .ok_or_else(|| PlanError(format!("no stage \"{stage}\"")))?;
                Pattern::Stage {
                    campaign: c,
                    stage: ix(s),
                    at: self.who(at)?,
                }
            }
            EventPattern::CrisisRaised { csirt, level } => Pattern::CrisisRaised {
                csirt: self.actor_ix(csirt)?,
                level: *level,
            },
            EventPattern::StepDone { sop, step } => Pattern::StepDone {
                sop: sop.as_str().into(),
                step: step.as_str().into(),
            },
            EventPattern::NthImpact { effect, count } => Pattern::NthImpact {
                effect: *effect,
                count: *count,
            },
            EventPattern::CrisisTriggered { csirt, level } => Pattern::CrisisTriggered {
                csirt: self.actor_ix(csirt)?,
                level: *level,
            },
            EventPattern::Inject(id) => Pattern::Inject(lookup(&self.inject_by_id, id, "inject")?),
            EventPattern::ObjectiveMet(id) => {
                Pattern::ObjectiveMet(lookup(&self.objective_by_id, id, "objective")?)
            }
            EventPattern::ObjectiveMissed(id) => {
                Pattern::ObjectiveMissed(lookup(&self.objective_by_id, id, "objective")?)
            }
        })
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

#[cfg(test)]
mod tests {
    use super::DecisionName;

    #[test]
    fn decision_names_read_back_as_written() {
        let step = DecisionName::Step {
            csirt: "fin-csirt",
            sop: "fin-intake",
            run: Some(2),
            step: "call-national",
        };
        assert_eq!(step.to_string(), "fin-csirt/fin-intake#2/call-national");
        assert_eq!(
            DecisionName::parse("fin-csirt/fin-intake#2/call-national"),
            Some(step)
        );
        assert_eq!(
            DecisionName::parse("helpdesk-tip"),
            Some(DecisionName::Question("helpdesk-tip"))
        );
        // A run that is not a number, or a name without a step, is not a decision point.
        assert!(matches!(
            DecisionName::parse("fin-csirt/fin-intake#x/call-national"),
            Some(DecisionName::Step { run: None, .. })
        ));
        assert_eq!(DecisionName::parse("fin-csirt/fin-intake"), None);
    }
}
