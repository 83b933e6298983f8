//! What one role's player may see: their actor's knowledge and nothing else.
//!
//! Built from the actor's own state (what it learned, its incidents, its desk) and from
//! the journal lines addressed to it (injects, shares it received, questions it is asked,
//! its own actions and their refusals). Never from the adversary's state, and never from
//! what other actors hold: the projector and role windows are shown to trainees, so this
//! module is the boundary of what a trainee learns (a test renders every role view with
//! marker strings in every secret and fails on any marker the actor was not given).

use std::sync::Arc;

use bevy_ecs::prelude::*;

use super::super::injects::InjectBook;
use super::super::journal::Entry;
use super::super::plan::{ActorIx, DecisionName, Name, Plan, RolePlan};
use super::super::state::{ActorEntities, Defender, Desk, Knowledge, StepStatus};
use super::inbox::{InboxItem, Prompt, read_journal};
use super::{ActorKind, KnownIndicator, kind_of, known_indicators};
use crate::scenario::{ActionKind, CrisisLevel, Minute, ReportKind};

/// A clock the actor runs against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub what: String,
    pub due: Minute,
    pub done: Option<Minute>,
}

/// A report the organisation owes and has not sent, for the report action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwedReport {
    pub incident: u32,
    pub report: ReportKind,
    pub to: Name,
    pub due: Option<Minute>,
}

/// Everything a role's window shows.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleView {
    pub id: Name,
    pub title: Name,
    pub briefing: Name,
    pub actor: Name,
    pub actor_name: Name,
    pub kind: ActorKind,
    pub now: Minute,
    /// The actor's own crisis level (CSIRTs).
    pub crisis_level: Option<CrisisLevel>,
    pub prompts: Vec<Prompt>,
    pub inbox: Vec<InboxItem>,
    pub indicators: Vec<KnownIndicator>,
    /// Incidents the actor knows of: (victim, if it knows who; from whom; when).
    pub incidents: Vec<(Option<Name>, Option<Name>, Minute)>,
    pub deadlines: Vec<Deadline>,
    pub actions: Vec<ActionKind>,
    /// Who the actor can share with: (id, name), every other actor.
    /// Shared between refreshes: the plan's actors do not change during a run.
    pub recipients: Arc<[(Name, Name)]>,
    pub owed: Vec<OwedReport>,
    /// Levels the actor's escalation rules define, above the current one.
    pub raisable: Vec<CrisisLevel>,
    /// Journal entries read into the inbox and prompts so far: a refresh reads only the
    /// new ones, so a window costs what happened since, not the whole journal.
    pub scanned: usize,
}

/// Brings `previous` (the same role's view, earlier in the same run) up to date, or builds
/// the view afresh.
pub fn role(
    world: &World,
    plan: &Plan,
    journal: &[Entry],
    role: &RolePlan,
    previous: Option<RoleView>,
    now: Minute,
) -> Option<RoleView> {
    let me = role.actor;
    let a = plan.actors.get(me as usize)?;
    let entity = *world.resource::<ActorEntities>().0.get(me as usize)?;
    let knowledge = world.get::<Knowledge>(entity)?;
    let book = world.resource::<InjectBook>();
    let name = |i: ActorIx| plan.actor(i).name.clone();

    let indicators = known_indicators(plan, knowledge, name);
    let mut incidents: Vec<_> = knowledge
        .incidents
        .iter()
        .map(|((victim, _), k)| (k.identified.then(|| name(*victim)), k.from.map(name), k.at))
        .collect();

    let mut deadlines = Vec::new();
    let mut owed = Vec::new();
    if let Some(defender) = world.get::<Defender>(entity) {
        for incident in &defender.incidents {
            incidents.push((Some(a.name.clone()), None, incident.aware_at));
            for (kind, state) in &incident.reports {
                if let Some(due) = state.due {
                    deadlines.push(Deadline {
                        what: format!(
                            "{} of incident #{} to {}",
                            kind.label(),
                            incident.number,
                            name(state.to)
                        ),
                        due,
                        done: state.sent,
                    });
                }
                if state.sent.is_none() {
                    owed.push(OwedReport {
                        incident: incident.number,
                        report: kind.clone(),
                        to: name(state.to),
                        due: state.due,
                    });
                }
            }
        }
    }
    let desk = world.get::<Desk>(entity);
    // Whose case a procedure run works: the organisation that reported, or who informed.
    let case_of = |run: &super::super::state::SopRun| {
        let who = run.case.reporter.unwrap_or(run.case.from);
        super::super::narrate::possessive(&plan.actor(who).name)
    };
    if let Some(desk) = desk {
        for run in &desk.runs {
            let sop = &plan.sops[run.sop as usize];
            for (n, status) in run.steps.iter().enumerate() {
                if let Some(d) = sop.steps[n].deadline {
                    deadlines.push(Deadline {
                        what: format!(
                            "{}: step {}, for {} case",
                            sop.id,
                            sop.steps[n].id,
                            case_of(run)
                        ),
                        due: run.started + d,
                        done: match status {
                            StepStatus::Done { at } => Some(*at),
                            _ => None,
                        },
                    });
                }
            }
        }
    }

    let (mut inbox, mut prompts, scanned, recipients) = match previous {
        Some(v) if *v.id == *role.id && v.scanned <= journal.len() => {
            (v.inbox, v.prompts, v.scanned, Some(v.recipients))
        }
        _ => (Vec::new(), Vec::new(), 0, None),
    };
    read_journal(
        plan,
        book,
        &journal[scanned..],
        role,
        (&mut inbox, &mut prompts),
    );
    for prompt in &mut prompts {
        prompt.concerns = match DecisionName::parse(&prompt.decision) {
            // The run counts from 1 among every procedure run at this desk.
            Some(DecisionName::Step { sop, run, .. }) => desk
                .and_then(|d| d.runs.get(usize::try_from(run?.checked_sub(1)?).ok()?))
                .map_or_else(
                    || format!("procedure {sop}"),
                    |r| {
                        format!(
                            "{} case (procedure {sop}, run {})",
                            case_of(r),
                            run.unwrap_or(1)
                        )
                    },
                ),
            _ => book
                .inject_of(&prompt.decision)
                .and_then(|ix| book.plans[ix as usize].spec.message.as_ref())
                .map_or_else(
                    || "a question from exercise control".to_owned(),
                    |m| format!("{}: {}", m.from, m.subject),
                ),
        };
        deadlines.push(Deadline {
            what: format!(
                "{}: {} ({})",
                if prompt.is_free_text() {
                    "answer"
                } else {
                    "decide"
                },
                prompt.prompt,
                prompt.concerns
            ),
            due: prompt.deadline,
            done: None,
        });
    }
    deadlines.sort_by_key(|d| (d.done.is_some(), d.due));

    let crisis_level = desk.map(|d| d.crisis.level.0);
    let raisable = plan
        .csirt(me)
        .map(|c| {
            let mut levels: Vec<CrisisLevel> = c
                .escalation
                .iter()
                .map(|e| e.level)
                .filter(|l| Some(*l) > crisis_level)
                .collect();
            levels.sort();
            levels.dedup();
            levels
        })
        .unwrap_or_default();
    Some(RoleView {
        id: role.id.clone(),
        title: role.title.clone(),
        briefing: role.briefing.clone(),
        actor: a.id.clone(),
        actor_name: a.name.clone(),
        kind: kind_of(plan, me),
        now,
        crisis_level,
        prompts,
        inbox,
        indicators,
        incidents,
        deadlines,
        actions: role.actions.clone(),
        recipients: recipients.unwrap_or_else(|| {
            plan.actors
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != me as usize)
                .map(|(_, p)| (p.id.clone(), p.name.clone()))
                .collect()
        }),
        owed,
        raisable,
        scanned: journal.len(),
    })
}
