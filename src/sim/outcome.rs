//! What a run produced, gathered for summaries, sweeps and reports.

use bevy_ecs::prelude::*;

use super::journal::{Event, Journal, Severity};
use super::observe::{ObjectiveBook, ObjectiveState, Verdict};
use super::plan::{CheckPlan, Name, ObjectivePlan, Plan};
use super::state::{ActorEntities, Defender, Desk};
use crate::scenario::{ImpactKind, Minute, ReportKind};

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveOutcome {
    pub id: Name,
    pub title: Name,
    pub verdict: Verdict,
    /// Why a pending objective has no verdict: `None` once it has one.
    pub open: Option<Open>,
}

/// Why an objective has no verdict (yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Open {
    /// The event that starts it has not happened, in words ("Zilverbank detects an
    /// incident"). At the end of the exercise the objective was not triggered: there was
    /// nothing to meet or miss.
    NotTriggered { waiting_for: String },
    /// It started; its deadline falls after the point played (after the end, at the end).
    Running { due: Minute },
}

/// How an objective stands, in the words every face shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// "met", "missed", "pending", "not triggered", "open at the end".
    pub word: &'static str,
    /// Why, for the two that are neither met nor missed.
    pub reason: Option<String>,
}

impl ObjectiveOutcome {
    /// The objective's standing; `ended` settles what is still open at the end.
    pub fn standing(&self, ended: bool) -> Standing {
        let (word, reason) = match (&self.verdict, &self.open, ended) {
            (Verdict::Met { .. }, ..) => ("met", None),
            (Verdict::Missed { .. }, ..) => ("missed", None),
            (Verdict::Pending, Some(Open::NotTriggered { waiting_for }), true) => (
                "not triggered",
                Some(format!("its trigger never happened: {waiting_for}")),
            ),
            (Verdict::Pending, Some(Open::NotTriggered { waiting_for }), false) => {
                ("pending", Some(format!("waiting for: {waiting_for}")))
            }
            (Verdict::Pending, Some(Open::Running { due }), true) => (
                "open at the end",
                Some(format!(
                    "its deadline, {}, falls after the end",
                    crate::scenario::time::format_offset(*due)
                )),
            ),
            (Verdict::Pending, Some(Open::Running { due }), false) => (
                "pending",
                Some(format!(
                    "due {}",
                    crate::scenario::time::format_offset(*due)
                )),
            ),
            (Verdict::Pending, None, _) => ("pending", None),
        };
        Standing { word, reason }
    }
}

/// Why objective `o` in state `s` has no verdict, if it has none.
fn open(plan: &Plan, o: &ObjectivePlan, s: &ObjectiveState) -> Option<Open> {
    if s.verdict != Verdict::Pending {
        return None;
    }
    if let Some((due, _)) = &s.armed {
        return Some(Open::Running { due: *due });
    }
    if matches!(o.check, CheckPlan::Absence(_)) {
        // An absence is met at the end unless its event happens: never "not triggered".
        return None;
    }
    Some(Open::NotTriggered {
        waiting_for: o.check.waiting_for(plan),
    })
}

impl CheckPlan {
    /// The event that starts the check, in words ("Zilverbank detects an incident").
    pub fn waiting_for(&self, plan: &Plan) -> String {
        match self {
            Self::Deadline { after, .. } | Self::Coverage { after, .. } => after.describe(plan),
            Self::Ordering { first, then } => {
                format!("{}, or {}", first.describe(plan), then.describe(plan))
            }
            Self::Absence(pattern) => pattern.describe(plan),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct IncidentOutcome {
    pub entity: Name,
    pub number: u32,
    pub campaign: Name,
    pub aware_at: Minute,
    pub severity: Option<Severity>,
    pub major: bool,
    pub contained: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportStatus {
    OnTime,
    Late,
    /// Due and not sent by the end of the exercise.
    Overdue,
    /// Not yet due at the end of the exercise.
    Open,
    /// Sent without a legal deadline (voluntary).
    Sent,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportOutcome {
    pub entity: Name,
    pub incident: u32,
    pub report: ReportKind,
    pub to: Name,
    pub due: Option<Minute>,
    pub sent: Option<Minute>,
    pub status: ReportStatus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeskOutcome {
    pub csirt: Name,
    pub analysts: u32,
    pub items: u32,
    pub waited_mean_minutes: Minute,
    pub waited_max_minutes: Minute,
    pub analyst_minutes: Minute,
    pub max_queue: u32,
    pub queue_at_end: u32,
    pub crisis_level: crate::scenario::CrisisLevel,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub objectives: Vec<ObjectiveOutcome>,
    pub incidents: Vec<IncidentOutcome>,
    pub reports: Vec<ReportOutcome>,
    pub desks: Vec<DeskOutcome>,
    pub impacts: Vec<(Minute, Name, ImpactKind)>,
}

/// The objectives' verdicts alone: cheap enough for a panel drawn every frame.
pub fn objectives(world: &World, plan: &Plan) -> Vec<ObjectiveOutcome> {
    let book = world.resource::<ObjectiveBook>();
    plan.objectives
        .iter()
        .zip(&book.states)
        .map(|(o, s)| ObjectiveOutcome {
            id: o.id.clone(),
            title: o.title.clone(),
            verdict: s.verdict.clone(),
            open: open(plan, o, s),
        })
        .collect()
}

pub fn collect(world: &World, plan: &Plan) -> Outcome {
    let objectives = objectives(world, plan);
    let end = plan.end;
    let mut incidents = Vec::new();
    let mut reports = Vec::new();
    let mut desks = Vec::new();
    for (ix, &entity) in world.resource::<ActorEntities>().0.iter().enumerate() {
        let actor = &plan.actors[ix];
        if let Some(defender) = world.get::<Defender>(entity) {
            for incident in &defender.incidents {
                incidents.push(IncidentOutcome {
                    entity: actor.id.clone(),
                    number: incident.number,
                    campaign: plan.campaigns[incident.campaign as usize].id.clone(),
                    aware_at: incident.aware_at,
                    severity: incident.severity,
                    major: incident.major,
                    contained: incident.contained,
                });
                for (kind, state) in &incident.reports {
                    let status = match (state.due, state.sent) {
                        (None, _) => ReportStatus::Sent,
                        (Some(due), Some(sent)) if sent <= due => ReportStatus::OnTime,
                        (Some(_), Some(_)) => ReportStatus::Late,
                        (Some(due), None) if due <= end => ReportStatus::Overdue,
                        (Some(_), None) => ReportStatus::Open,
                    };
                    if state.due.is_none() && state.sent.is_none() {
                        continue;
                    }
                    reports.push(ReportOutcome {
                        entity: actor.id.clone(),
                        incident: incident.number,
                        report: kind.clone(),
                        to: plan.actors[state.to as usize].id.clone(),
                        due: state.due,
                        sent: state.sent,
                        status,
                    });
                }
            }
        }
        if let Some(desk) = world.get::<Desk>(entity) {
            desks.push(DeskOutcome {
                csirt: actor.id.clone(),
                analysts: desk.analysts,
                items: desk.stats.items,
                waited_mean_minutes: if desk.stats.items == 0 {
                    0
                } else {
                    desk.stats.waited_total / Minute::from(desk.stats.items)
                },
                waited_max_minutes: desk.stats.waited_max,
                analyst_minutes: desk.stats.analyst_minutes,
                max_queue: desk.stats.max_queue,
                queue_at_end: super::plan::ix(desk.queue.len()),
                crisis_level: desk.crisis.level.0,
            });
        }
    }
    let impacts = world
        .resource::<Journal>()
        .entries()
        .iter()
        .filter_map(|e| match &e.event {
            Event::Impact { entity, effect, .. } => Some((e.t, entity.id.clone(), *effect)),
            _ => None,
        })
        .collect();
    Outcome {
        objectives,
        incidents,
        reports,
        desks,
        impacts,
    }
}
