//! Watching the journal: triggered injects and objectives react to events as they are
//! recorded. Runs last in every step, so it sees everything that minute produced.

use bevy_ecs::prelude::*;

use super::digested::DigestedMap;

use super::injects::{InjectBook, InjectStatus};
use super::journal::{Entry, Event, Journal};
use super::plan::{ActorIx, CheckPlan, Pattern, Plan, WhenPlan};
use super::state::{Agenda, Clock, Due, DueNow, PlanRes};
use crate::scenario::Minute;

/// An objective's verdict, with the journal events (by sequence number) that decided it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Pending,
    Met {
        at: Minute,
        evidence: Vec<u64>,
    },
    Missed {
        at: Minute,
        evidence: Vec<u64>,
        reason: &'static str,
    },
}

#[derive(Clone, Debug, Hash)]
pub struct ObjectiveState {
    pub verdict: Verdict,
    /// Deadline and evidence once the objective's starting event happened.
    pub armed: Option<(Minute, Vec<u64>)>,
    /// Coverage objectives: members known to hold the indicator.
    pub knowers: DigestedMap<ActorIx, ()>,
}

/// Objective states and how far the journal has been read.
#[derive(Resource, Clone, Debug, Hash)]
pub struct ObjectiveBook {
    pub states: Vec<ObjectiveState>,
    pub cursor: usize,
}

impl ObjectiveBook {
    pub fn new(plan: &Plan) -> Self {
        Self {
            states: plan
                .objectives
                .iter()
                .map(|_| ObjectiveState {
                    verdict: Verdict::Pending,
                    armed: None,
                    knowers: DigestedMap::new(),
                })
                .collect(),
            cursor: 0,
        }
    }
}

/// Whether a journal entry matches a pattern.
pub fn matches(plan: &Plan, pattern: &Pattern, entry: &Entry) -> bool {
    match (pattern, &entry.event) {
        (Pattern::Detected(who), Event::Detected { entity, .. }) => {
            plan.who_matches(who, entity.ix)
        }
        (
            Pattern::Classified(who),
            Event::Classified {
                entity,
                major: true,
                ..
            },
        ) => plan.who_matches(who, entity.ix),
        (
            Pattern::ReportSent { by, report },
            Event::ReportSent {
                entity,
                report: sent,
                ..
            },
        ) => sent == report && plan.who_matches(by, entity.ix),
        (Pattern::Feedback { from, to }, Event::Feedback { from: f, to: t, .. })
        | (
            Pattern::Shared { from, to },
            Event::Shared { from: f, to: t, .. } | Event::Feedback { from: f, to: t, .. },
        ) => f.ix == *from && t.ix == *to,
        (
            Pattern::Knows { actor, indicator },
            Event::IndicatorLearned {
                actor: a,
                indicator: i,
                ..
            },
        ) => a.ix == *actor && i.ix == *indicator,
        (
            Pattern::Impact { at, effect },
            Event::Impact {
                entity, effect: e, ..
            },
        ) => e == effect && plan.who_matches(at, entity.ix),
        (
            Pattern::Stage {
                campaign,
                stage,
                at,
            },
            Event::StageCompleted {
                campaign: c,
                stage: s,
                entity,
                ..
            },
        ) => c.ix == *campaign && s.ix == *stage && plan.who_matches(at, entity.ix),
        (
            Pattern::CrisisRaised { csirt, level },
            Event::CrisisLevelChanged { csirt: c, to, .. },
        ) => c.ix == *csirt && to >= level,
        (
            Pattern::CrisisTriggered { csirt, level },
            Event::CrisisTriggered {
                csirt: c, level: l, ..
            },
        ) => c.ix == *csirt && l >= level,
        (
            Pattern::StepDone { sop, step },
            Event::StepFinished {
                sop: s, step: st, ..
            },
        ) => s.id == *sop && st.id == *step,
        (Pattern::NthImpact { effect, count }, Event::Impact { effect: e, nth, .. }) => {
            e == effect && nth == count
        }
        (Pattern::Inject(ix), Event::InjectFired { inject, .. }) => inject.ix == *ix,
        (Pattern::ObjectiveMet(ix), Event::ObjectiveMet { objective, .. })
        | (Pattern::ObjectiveMissed(ix), Event::ObjectiveMissed { objective, .. }) => {
            objective.ix == *ix
        }
        _ => false,
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn observe(
    clock: Res<Clock>,
    plan: Res<PlanRes>,
    due: Res<DueNow>,
    mut book: ResMut<InjectBook>,
    mut objectives: ResMut<ObjectiveBook>,
    mut watch: ResMut<Watchers>,
    mut agenda: ResMut<Agenda>,
    mut journal: ResMut<Journal>,
) {
    let now = clock.now;
    // Before T+0 only the adversary moves: what it did is read from T+0 (see
    // `Simulation::play_before_start`).
    if now < 0 {
        return;
    }
    let plan = &*plan.0;
    // Events first: an expected action in this very minute still counts before a deadline.
    read_journal(
        plan,
        &mut watch,
        &mut book,
        &mut objectives,
        &mut agenda,
        &mut journal,
    );
    let mut decided = Vec::new();
    for item in &due.0 {
        let Due::ObjectiveDeadline { objective } = *item else {
            continue;
        };
        let state = &mut objectives.states[objective as usize];
        if state.verdict != Verdict::Pending {
            continue;
        }
        let Some((deadline, evidence)) = state.armed.clone() else {
            continue;
        };
        if deadline <= now {
            let reason = match plan.objectives[objective as usize].check {
                CheckPlan::Coverage { .. } => "not every member knew the indicator by the deadline",
                _ => "the expected event did not happen by the deadline",
            };
            decide(
                plan,
                objective,
                Verdict::Missed {
                    at: now,
                    evidence,
                    reason,
                },
                &mut objectives,
                &mut decided,
            );
        }
    }
    record(&mut journal, decided);
    // Decisions just journaled can trigger injects and other objectives in the same minute.
    read_journal(
        plan,
        &mut watch,
        &mut book,
        &mut objectives,
        &mut agenda,
        &mut journal,
    );
}

/// Reacts to every journal entry not yet seen, including those its reactions produce.
fn read_journal(
    plan: &Plan,
    watch: &mut Watchers,
    book: &mut InjectBook,
    objectives: &mut ObjectiveBook,
    agenda: &mut Agenda,
    journal: &mut Journal,
) {
    if watch.indexed != book.plans.len() {
        *watch = Watchers::of(plan, book);
    }
    while objectives.cursor < journal.len() {
        let (from, to) = (objectives.cursor, journal.len());
        let mut produced = Vec::new();
        for entry in &journal.entries()[from..to] {
            let Some(watching) = watch.by_kind.get(entry.kind()) else {
                continue;
            };
            if !watching.injects.is_empty() {
                react_injects(plan, entry, &watching.injects, book, agenda, &mut produced);
            }
            if !watching.objectives.is_empty() {
                judge(
                    plan,
                    entry,
                    &watching.objectives,
                    objectives,
                    agenda,
                    &mut produced,
                );
            }
        }
        objectives.cursor = to;
        record(journal, produced);
    }
}

/// The journal event kinds a pattern can match (see `matches`).
fn kinds_of(pattern: &Pattern) -> &'static [&'static str] {
    match pattern {
        Pattern::Detected(_) => &["detected"],
        Pattern::Classified(_) => &["classified"],
        Pattern::ReportSent { .. } => &["report_sent"],
        Pattern::Feedback { .. } => &["feedback"],
        Pattern::Shared { .. } => &["shared", "feedback"],
        Pattern::Knows { .. } => &["indicator_learned"],
        Pattern::Impact { .. } | Pattern::NthImpact { .. } => &["impact"],
        Pattern::Stage { .. } => &["stage_completed"],
        Pattern::CrisisRaised { .. } => &["crisis_level_changed"],
        Pattern::CrisisTriggered { .. } => &["crisis_triggered"],
        Pattern::StepDone { .. } => &["step_finished"],
        Pattern::Inject(_) => &["inject_fired"],
        Pattern::ObjectiveMet(_) => &["objective_met"],
        Pattern::ObjectiveMissed(_) => &["objective_missed"],
    }
}

/// Which injects and objectives watch each kind of event: most events (an organisation
/// learning an indicator, a work item starting) concern none of them, and a large
/// scenario's journal should not be matched against every trigger line by line.
/// Built once, and again when the facilitator composes an inject. One lookup per journal
/// line finds both lists.
#[derive(Resource, Debug)]
pub struct Watchers {
    by_kind: std::collections::BTreeMap<&'static str, Watching>,
    /// How many injects the index covers.
    indexed: usize,
}

/// The injects and the objectives that watch one kind of event, by index.
#[derive(Debug, Default)]
struct Watching {
    injects: Vec<u32>,
    objectives: Vec<u32>,
}

impl Watchers {
    pub fn of(plan: &Plan, book: &InjectBook) -> Self {
        let mut by_kind: std::collections::BTreeMap<&'static str, Watching> = Default::default();
        for (ix, inject) in book.plans.iter().enumerate() {
            let patterns: Vec<&Pattern> = match &inject.when {
                WhenPlan::At(_) => Vec::new(),
                WhenPlan::After { on, .. } => vec![on],
                WhenPlan::Unless {
                    after, expected, ..
                } => vec![after, expected],
            };
            for kind in kinds(&patterns) {
                let list = &mut by_kind.entry(kind).or_default().injects;
                list.push(super::plan::ix(ix));
            }
        }
        for (ix, objective) in plan.objectives.iter().enumerate() {
            // A coverage objective also counts who has learned the indicator.
            let (patterns, learning): (Vec<&Pattern>, Option<&'static str>) = match &objective.check
            {
                CheckPlan::Deadline {
                    after, expected, ..
                } => (vec![after, expected], None),
                CheckPlan::Coverage { after, .. } => (vec![after], Some("indicator_learned")),
                CheckPlan::Absence(p) => (vec![p], None),
                CheckPlan::Ordering { first, then } => (vec![first, then], None),
            };
            for kind in kinds(&patterns).chain(learning) {
                let list = &mut by_kind.entry(kind).or_default().objectives;
                list.push(super::plan::ix(ix));
            }
        }
        for watching in by_kind.values_mut() {
            for list in [&mut watching.injects, &mut watching.objectives] {
                list.sort_unstable();
                list.dedup();
            }
        }
        Self {
            by_kind,
            indexed: book.plans.len(),
        }
    }
}

/// The event kinds any of `patterns` can match.
fn kinds<'a>(patterns: &'a [&Pattern]) -> impl Iterator<Item = &'static str> + 'a {
    patterns.iter().flat_map(|p| kinds_of(p).iter().copied())
}

/// Records reactions; one to an event before T+0 happens at T+0, when the exercise opens.
fn record(journal: &mut Journal, events: Vec<(Minute, Event)>) {
    for (t, event) in events {
        journal.record(t.max(0), event);
    }
}

fn react_injects(
    plan: &Plan,
    entry: &Entry,
    watching: &[u32],
    book: &mut InjectBook,
    agenda: &mut Agenda,
    produced: &mut Vec<(Minute, Event)>,
) {
    for &ix in watching {
        let state = &book.states[ix as usize];
        match (&book.plans[ix as usize].when, state.status) {
            (WhenPlan::After { on, delay }, InjectStatus::Waiting) if matches(plan, on, entry) => {
                let at = entry.t + delay + state.extra_delay.max(0);
                book.schedule(ix, at, agenda);
            }
            (WhenPlan::Unless { after, within, .. }, InjectStatus::Waiting)
                if matches(plan, after, entry) =>
            {
                let deadline = entry.t + within + state.extra_delay.max(0);
                book.arm(ix, deadline, agenda);
            }
            (WhenPlan::Unless { expected, .. }, InjectStatus::Armed { .. })
                if matches(plan, expected, entry) =>
            {
                book.states[ix as usize].status = InjectStatus::Cancelled;
                produced.push((
                    entry.t,
                    Event::InjectCancelled {
                        inject: book.reference(ix),
                        reason: "the expected action happened before the contingency's deadline"
                            .into(),
                    },
                ));
            }
            _ => {}
        }
    }
}

fn judge(
    plan: &Plan,
    entry: &Entry,
    watching: &[u32],
    book: &mut ObjectiveBook,
    agenda: &mut Agenda,
    produced: &mut Vec<(Minute, Event)>,
) {
    for &ix in watching {
        let objective = &plan.objectives[ix as usize];
        let state = &mut book.states[ix as usize];
        if state.verdict != Verdict::Pending {
            continue;
        }
        let verdict = match &objective.check {
            CheckPlan::Deadline {
                after,
                expected,
                within,
            } => match &mut state.armed {
                None if matches(plan, after, entry) => {
                    state.armed = Some((entry.t + within, vec![entry.seq]));
                    agenda.push(entry.t + within, Due::ObjectiveDeadline { objective: ix });
                    None
                }
                Some((deadline, evidence))
                    if entry.t <= *deadline && matches(plan, expected, entry) =>
                {
                    let mut evidence = evidence.clone();
                    evidence.push(entry.seq);
                    Some(Verdict::Met {
                        at: entry.t,
                        evidence,
                    })
                }
                _ => None,
            },
            CheckPlan::Coverage {
                members,
                indicator,
                after,
                within,
            } => {
                let learned_by = match &entry.event {
                    Event::IndicatorLearned {
                        actor,
                        indicator: i,
                        ..
                    } if i.ix == *indicator => Some(actor.ix),
                    _ => None,
                };
                if let Some(actor) = learned_by
                    && members.contains(&actor)
                {
                    state.knowers.insert(actor, ());
                }
                if state.armed.is_none() && matches(plan, after, entry) {
                    state.armed = Some((entry.t + within, vec![entry.seq]));
                    agenda.push(entry.t + within, Due::ObjectiveDeadline { objective: ix });
                }
                match &state.armed {
                    Some((deadline, evidence))
                        if entry.t <= *deadline && state.knowers.len() == members.len() =>
                    {
                        let mut evidence = evidence.clone();
                        if learned_by.is_some() {
                            evidence.push(entry.seq);
                        }
                        Some(Verdict::Met {
                            at: entry.t,
                            evidence,
                        })
                    }
                    _ => None,
                }
            }
            CheckPlan::Absence(pattern) if matches(plan, pattern, entry) => Some(Verdict::Missed {
                at: entry.t,
                evidence: vec![entry.seq],
                reason: "the event the objective rules out happened",
            }),
            CheckPlan::Absence(_) => None,
            CheckPlan::Ordering { first, then } => {
                if matches(plan, first, entry) {
                    Some(Verdict::Met {
                        at: entry.t,
                        evidence: vec![entry.seq],
                    })
                } else if matches(plan, then, entry) {
                    Some(Verdict::Missed {
                        at: entry.t,
                        evidence: vec![entry.seq],
                        reason: "the later event came first",
                    })
                } else {
                    None
                }
            }
        };
        if let Some(verdict) = verdict {
            decide(plan, ix, verdict, book, produced);
        }
    }
}

fn decide(
    plan: &Plan,
    ix: u32,
    verdict: Verdict,
    book: &mut ObjectiveBook,
    produced: &mut Vec<(Minute, Event)>,
) {
    let objective = plan.objective_ref(ix);
    match &verdict {
        Verdict::Met { at, evidence } => {
            produced.push((
                *at,
                Event::ObjectiveMet {
                    objective,
                    evidence: evidence.clone(),
                },
            ));
        }
        Verdict::Missed {
            at,
            evidence,
            reason,
        } => {
            produced.push((
                *at,
                Event::ObjectiveMissed {
                    objective,
                    evidence: evidence.clone(),
                    reason,
                },
            ));
        }
        Verdict::Pending => {}
    }
    book.states[ix as usize].verdict = verdict;
}

/// At the end of the exercise nothing stays pending: an objective that rules something out
/// and never saw it is met; one whose window was still running is missed (the exercise
/// gave no more time); one whose starting event never happened is journaled as not
/// triggered, with what it waited for.
pub fn conclude(plan: &Plan, end: Minute, book: &mut ObjectiveBook, journal: &mut Journal) {
    for (ix, objective) in plan.objectives.iter().enumerate() {
        let ix = super::plan::ix(ix);
        let state = &book.states[ix as usize];
        if state.verdict != Verdict::Pending {
            continue;
        }
        let verdict = match (&objective.check, &state.armed) {
            (CheckPlan::Absence(_), _) => Verdict::Met {
                at: end,
                evidence: Vec::new(),
            },
            (_, Some((_, evidence))) => Verdict::Missed {
                at: end,
                evidence: evidence.clone(),
                reason: "the exercise ended before it was met; its deadline fell after the end",
            },
            (check, None) => {
                journal.record(
                    end,
                    Event::ObjectiveNotTriggered {
                        objective: plan.objective_ref(ix),
                        waiting_for: check.waiting_for(plan).into(),
                    },
                );
                continue;
            }
        };
        let mut produced = Vec::new();
        decide(plan, ix, verdict, book, &mut produced);
        record(journal, produced);
    }
    book.cursor = journal.len();
}
