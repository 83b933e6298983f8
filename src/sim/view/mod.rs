//! Read-only views of the simulation for faces (the app, role views, reports): what each
//! actor knows and is doing, the MSEL, the network. Built on demand from the world; the
//! faces never touch the world itself.

mod inbox;
mod projector;
mod role;

pub use inbox::{InboxItem, InboxKind, Prompt, options_of};
pub(super) use projector::projector;
pub use projector::{News, ProjectorView};
pub(super) use role::role;
pub use role::{Deadline, OwedReport, RoleView};

use bevy_ecs::prelude::*;

use super::injects::{InjectBook, InjectStatus};
use super::plan::ix;
use super::plan::{ActorRole, Name, Plan};
use super::state::{
    ActorEntities, Defender, Desk, Intrusion, IntrusionStatus, Intrusions, Knowledge, StepStatus,
};
use crate::scenario::{CrisisLevel, Minute, ReportKind, Sector, Tlp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    Csirt,
    Authority,
    Entity,
}

/// An organisation's state as a colour on the situation map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityState {
    Unaware,
    /// An adversary is inside and nobody has noticed.
    Compromised,
    Detected,
    Contained,
    /// Encrypted, defrauded, data stolen, out of service.
    Impacted,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KnownIndicator {
    pub id: Name,
    pub value: Name,
    pub at: Minute,
    pub from: Option<Name>,
    pub tlp: Tlp,
    pub context: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KnownSighting {
    pub indicator: Name,
    pub reported_by: Name,
    pub first_seen: Minute,
    pub learned_at: Minute,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportClock {
    pub incident: u32,
    pub report: ReportKind,
    pub to: Name,
    pub due: Option<Minute>,
    pub sent: Option<Minute>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepView {
    pub sop: Name,
    pub run: u32,
    pub step: Name,
    pub role: Option<Name>,
    /// "waiting", "queued", "deciding", "done".
    pub status: &'static str,
    pub deadline: Option<Minute>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeskView {
    pub analysts: u32,
    pub available: u32,
    /// Who is at the desk at the moment shown.
    pub staffing: Staffing,
    pub queue: Vec<(Name, Name, Minute)>,
    pub crisis_level: CrisisLevel,
    pub steps: Vec<StepView>,
}

/// Who is at a CSIRT's desk at the moment shown: what a facilitator needs to know before
/// expecting an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staffing {
    AroundTheClock,
    OfficeHours,
    /// Outside office hours; the on-call analyst answers after this long.
    OnCall {
        answers_after: Minute,
    },
    /// Outside office hours, without on-call: work waits for the office to open.
    Closed,
}

impl Staffing {
    fn at(hours: &crate::scenario::Hours, clock: &crate::scenario::LocalClock, t: Minute) -> Self {
        use crate::scenario::Hours;
        match hours {
            Hours::Always => Self::AroundTheClock,
            _ if super::desk::hours::is_open(hours, clock, t) => Self::OfficeHours,
            Hours::Office {
                on_call: Some(after),
                ..
            } => Self::OnCall {
                answers_after: after.minutes,
            },
            Hours::Office { on_call: None, .. } => Self::Closed,
        }
    }

    pub fn label(self) -> String {
        match self {
            Self::AroundTheClock => "staffed around the clock".to_owned(),
            Self::OfficeHours => "in office hours".to_owned(),
            Self::OnCall { answers_after } => format!(
                "outside office hours: on call, answers within {}",
                crate::scenario::Duration::minutes(answers_after)
            ),
            Self::Closed => {
                "outside office hours, no on-call: work waits for the office".to_owned()
            }
        }
    }
}

/// Everything one actor knows and does, as its inspector shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorView {
    pub id: Name,
    pub name: Name,
    pub kind: ActorKind,
    pub sector: Option<Sector>,
    pub country: Name,
    pub state: Option<EntityState>,
    pub indicators: Vec<KnownIndicator>,
    pub sightings: Vec<KnownSighting>,
    /// Incidents it knows of: (victim if known, campaign, learned at).
    pub incidents: Vec<(Option<Name>, Name, Minute)>,
    pub reports: Vec<ReportClock>,
    pub desk: Option<DeskView>,
}

/// A node of the situation map.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub id: Name,
    pub name: Name,
    pub kind: ActorKind,
    pub sector: Option<Sector>,
    pub country: Name,
    pub state: Option<EntityState>,
}

/// The nodes and links of the situation map.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkView {
    pub actors: Vec<NodeView>,
    /// (from, to, kind): "reports to", "peer", "supplies", "forwards to".
    pub links: Vec<(Name, Name, &'static str)>,
}

/// One line of the MSEL as it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct InjectView {
    pub id: Name,
    pub title: Name,
    pub to: Vec<Name>,
    pub status: InjectStatus,
    pub expected: Vec<String>,
    pub when: String,
    /// Its guards in words ("the addressee was hit by encryption (ransomware)"); empty when
    /// it fires unconditionally.
    pub only_if: Vec<String>,
    /// What the recipients read, as they get it: the message (its subject marked
    /// EXERCISE) and the question with its answers. `None` when the inject only changes
    /// the world.
    pub players_read: Option<PlayersRead>,
}

/// An inject's text as the players get it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayersRead {
    /// "journalist, De Financiële Krant (phone)".
    pub from: String,
    /// With the EXERCISE marking every message carries.
    pub subject: String,
    pub body: String,
    /// The question's prompt and its answers' labels, the default first marked.
    pub question: Option<(String, Vec<String>)>,
    /// The discussion questions, each asked of every addressee: prompt and answers (a
    /// free-text one says so).
    pub discussion: Vec<(String, Vec<String>)>,
}

fn country_of(plan: &Plan, ix: u32) -> Name {
    match plan.actor(ix).role {
        ActorRole::Csirt(c) => plan.csirts[c as usize].country.clone(),
        ActorRole::Entity(e) => plan.entities[e as usize].country.clone(),
        ActorRole::Authority(_) => "".into(),
    }
}

pub(super) fn kind_of(plan: &Plan, ix: u32) -> ActorKind {
    match plan.actor(ix).role {
        ActorRole::Csirt(_) => ActorKind::Csirt,
        ActorRole::Authority(_) => ActorKind::Authority,
        ActorRole::Entity(_) => ActorKind::Entity,
    }
}

/// The worst state of an organisation over the campaigns that reached it.
pub fn entity_state(world: &World, plan: &Plan, ix: u32) -> Option<EntityState> {
    plan.entity(ix)?;
    let index = world.resource::<Intrusions>();
    // An intrusion stopped by a known indicator stays `Blocked`; if the organisation had
    // detected it, its incident is contained all the same (the journal says so, and the
    // map, which reads the journal, shows it green).
    let contained = |campaign: u32| {
        world
            .resource::<ActorEntities>()
            .0
            .get(ix as usize)
            .and_then(|&e| world.get::<Defender>(e))
            .is_some_and(|d| {
                d.incidents
                    .iter()
                    .any(|i| i.campaign == campaign && i.contained)
            })
    };
    let mut state = EntityState::Unaware;
    for ((campaign, target), entity) in &index.0 {
        if *target != ix {
            continue;
        }
        let Some(intrusion) = world.get::<Intrusion>(*entity) else {
            continue;
        };
        let c = &plan.campaigns[*campaign as usize];
        let impacted = intrusion
            .completed
            .iter()
            .any(|s| matches!(c.stages[*s].effect, super::plan::StageEffect::Impact(_)));
        let this = match (intrusion.status, intrusion.detected_at, impacted) {
            (_, _, true) => EntityState::Impacted,
            (IntrusionStatus::Contained, _, _) => EntityState::Contained,
            (IntrusionStatus::Blocked, Some(_), _) if contained(*campaign) => {
                EntityState::Contained
            }
            (IntrusionStatus::Blocked, Some(_), _) => EntityState::Detected,
            (IntrusionStatus::Blocked, _, _) => EntityState::Unaware,
            (_, Some(_), _) => EntityState::Detected,
            (IntrusionStatus::Active | IntrusionStatus::Finished, None, _)
                if !intrusion.completed.is_empty() =>
            {
                EntityState::Compromised
            }
            _ => EntityState::Unaware,
        };
        state = state.max(this);
    }
    Some(state)
}

/// The indicators an actor holds, with when, from whom (named by `name`) and how marked.
pub(super) fn known_indicators(
    plan: &Plan,
    knowledge: &Knowledge,
    name: impl Fn(u32) -> Name,
) -> Vec<KnownIndicator> {
    knowledge
        .indicators
        .iter()
        .map(|(i, l)| KnownIndicator {
            id: plan.indicators[*i as usize].id.clone(),
            value: plan.indicators[*i as usize].value.clone(),
            at: l.at,
            from: l.from.map(&name),
            tlp: l.tlp,
            context: l.context.labels(),
        })
        .collect()
}

pub fn actor(world: &World, plan: &Plan, ix: u32) -> Option<ActorView> {
    let a = plan.actors.get(ix as usize)?;
    let entity = *world.resource::<ActorEntities>().0.get(ix as usize)?;
    let name = |i: u32| plan.actor(i).id.clone();
    let knowledge = world.get::<Knowledge>(entity)?;
    let indicators = known_indicators(plan, knowledge, name);
    let sightings = knowledge
        .sightings
        .iter()
        .map(|s| KnownSighting {
            indicator: plan.indicators[s.indicator as usize].id.clone(),
            reported_by: name(s.reported_by),
            first_seen: s.first_seen,
            learned_at: s.learned_at,
        })
        .collect();
    let mut incidents: Vec<_> = knowledge
        .incidents
        .iter()
        .map(|((victim, campaign), k)| {
            (
                k.identified.then(|| name(*victim)),
                plan.campaigns[*campaign as usize].id.clone(),
                k.at,
            )
        })
        .collect();
    let mut reports = Vec::new();
    if let Some(defender) = world.get::<Defender>(entity) {
        for incident in &defender.incidents {
            incidents.push((
                Some(a.id.clone()),
                plan.campaigns[incident.campaign as usize].id.clone(),
                incident.aware_at,
            ));
            for (kind, state) in &incident.reports {
                reports.push(ReportClock {
                    incident: incident.number,
                    report: kind.clone(),
                    to: name(state.to),
                    due: state.due,
                    sent: state.sent,
                });
            }
        }
    }
    let now = world.resource::<super::state::Clock>().now;
    let staffing = plan.csirt(ix).map_or(Staffing::AroundTheClock, |c| {
        Staffing::at(&c.hours, &c.clock, now)
    });
    let desk = world.get::<Desk>(entity).map(|desk| DeskView {
        analysts: desk.analysts,
        available: desk.available(),
        staffing,
        queue: desk
            .queue
            .iter()
            .map(|w| {
                (
                    w.task.label().into(),
                    name(w.case.reporter.unwrap_or(w.case.from)),
                    w.queued_at,
                )
            })
            .collect(),
        crisis_level: desk.crisis.level.0,
        steps: desk
            .runs
            .iter()
            .enumerate()
            .flat_map(|(r, run)| {
                let sop = &plan.sops[run.sop as usize];
                run.steps
                    .iter()
                    .enumerate()
                    .map(move |(n, status)| StepView {
                        sop: sop.id.clone(),
                        run: super::plan::ix(r + 1),
                        step: sop.steps[n].id.clone(),
                        role: sop.steps[n].role.clone(),
                        status: match status {
                            StepStatus::Waiting => "waiting",
                            StepStatus::Queued => "queued",
                            StepStatus::Deciding { .. } => "deciding",
                            StepStatus::Done { .. } => "done",
                        },
                        deadline: sop.steps[n].deadline.map(|d| run.started + d),
                    })
            })
            .collect(),
    });
    Some(ActorView {
        id: a.id.clone(),
        name: a.name.clone(),
        kind: kind_of(plan, ix),
        sector: plan.entity(ix).map(|e| e.sector),
        country: country_of(plan, ix),
        state: entity_state(world, plan, ix),
        indicators,
        sightings,
        incidents,
        reports,
        desk,
    })
}

pub fn network(world: &World, plan: &Plan) -> NetworkView {
    let actors = (0..plan.actors.len())
        .map(|i| {
            let ix = ix(i);
            let a = plan.actor(ix);
            NodeView {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: kind_of(plan, ix),
                sector: plan.entity(ix).map(|e| e.sector),
                country: country_of(plan, ix),
                state: entity_state(world, plan, ix),
            }
        })
        .collect();
    let mut links = Vec::new();
    for e in &plan.entities {
        links.push((
            plan.actor(e.actor).id.clone(),
            plan.actor(e.csirt).id.clone(),
            "reports to",
        ));
        for s in &e.suppliers {
            links.push((
                plan.actor(*s).id.clone(),
                plan.actor(e.actor).id.clone(),
                "supplies",
            ));
        }
    }
    for c in &plan.csirts {
        for p in &c.peers {
            if c.actor < *p {
                links.push((
                    plan.actor(c.actor).id.clone(),
                    plan.actor(*p).id.clone(),
                    "peer",
                ));
            }
        }
    }
    for a in &plan.authorities {
        if let Some(to) = a.forwards_to {
            links.push((
                plan.actor(a.actor).id.clone(),
                plan.actor(to).id.clone(),
                "forwards to",
            ));
        }
    }
    NetworkView { actors, links }
}

pub fn injects(world: &World, plan: &Plan) -> Vec<InjectView> {
    let book = world.resource::<InjectBook>();
    book.plans
        .iter()
        .zip(&book.states)
        .map(|(p, s)| InjectView {
            id: p.id.clone(),
            title: p.spec.title.as_str().into(),
            to: p.to.iter().map(|a| plan.actor(*a).id.clone()).collect(),
            status: s.status,
            expected: p.spec.expected.clone(),
            only_if: p
                .guards
                .iter()
                .map(|g| match g.entity {
                    Some(e) => g.spec.describe(&plan.actor(e).id),
                    None => g.spec.describe("the addressee"),
                })
                .collect(),
            when: match &p.spec.when {
                crate::scenario::When::At(at) => at.to_string(),
                crate::scenario::When::After { delay, .. } => format!("{delay} after its trigger"),
                crate::scenario::When::Unless { within, .. } => {
                    format!("contingency, {within} after its trigger")
                }
            },
            players_read: p.spec.message.as_ref().map(|m| PlayersRead {
                from: format!("{} ({})", m.from, m.channel.label()),
                subject: if m.subject.starts_with(super::journal::EXERCISE) {
                    m.subject.clone()
                } else {
                    format!("{} {}", super::journal::EXERCISE, m.subject)
                },
                body: m.body.clone(),
                question: p.spec.question.as_ref().map(|q| {
                    let answers = q
                        .options
                        .iter()
                        .map(|a| {
                            if a.id == q.default {
                                format!("{} (the default after {})", a.label, q.timeout)
                            } else {
                                a.label.clone()
                            }
                        })
                        .collect();
                    (q.prompt.clone(), answers)
                }),
                discussion: p
                    .spec
                    .discussion
                    .iter()
                    .map(|q| {
                        let answers = if q.is_free_text() {
                            vec![format!(
                                "answered in each addressee's own words within {}",
                                q.timeout
                            )]
                        } else {
                            q.options
                                .iter()
                                .map(|a| {
                                    if Some(&a.id) == q.default.as_ref() {
                                        format!("{} (the default after {})", a.label, q.timeout)
                                    } else {
                                        a.label.clone()
                                    }
                                })
                                .collect()
                        };
                        (q.prompt.clone(), answers)
                    })
                    .collect(),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::scenario::load_path;
    use crate::sim::Simulation;

    #[test]
    fn views_show_what_each_actor_knows_and_the_network() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        let (scenario, _) = load_path(&path).unwrap();
        let mut sim = Simulation::new(&scenario, 1).unwrap();
        sim.run_to_end();
        let ducksends = sim.actor_view("ducksends").unwrap();
        assert!(
            ducksends
                .indicators
                .iter()
                .any(|i| &*i.id == "phish-domain" && i.from.is_none())
        );
        assert!(!ducksends.reports.is_empty());
        let fin = sim.actor_view("fin-csirt").unwrap();
        assert!(
            fin.desk
                .as_ref()
                .is_some_and(|d| d.analysts == 3 && !d.steps.is_empty())
        );
        let network = sim.network_view();
        assert!(
            network
                .links
                .iter()
                .any(|(a, b, k)| &**a == "ducksends" && &**b == "fin-csirt" && *k == "reports to")
        );
        assert_eq!(sim.inject_views().len(), scenario.injects.len());
        assert!(sim.actor_view("nobody").is_none());
    }
}
