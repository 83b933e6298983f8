//! CSIRT desks: analysts, working hours, on-call, the queue of work, and what finished
//! work produces: feedback to whoever informed the CSIRT, indicators shared onward under
//! TLP with the context the CSIRT adds, vulnerability coordination, scanning, and the
//! crisis levels it declares.

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use super::ctx::{Acting, Ctx};
use super::journal::{Event, Journal, Ref, Task};
use super::knowledge::{marked, related};
use super::plan::{ActorIx, CsirtPlan, DecisionName, IndicatorIx, Plan};
use super::rng::{Key, Purpose};
use super::state::{
    ActorEntities, Advisories, Agenda, Case, CrisisLevelState, Desk, Due, DueNow, Knowledge,
    Marked, Parcel, SopRun, StepStatus, Topic, WorkItem,
};
use crate::scenario::{
    Action, CrisisAction, CrisisLevel, CrisisTrigger, CsirtKind, Hours, Minute, Nis2Class,
    Recipients, Relation, Service, SopTrigger, Tlp, WallClock, time::MINUTES_PER_DAY,
};

/// Desks that may be able to start work this minute.
#[derive(Resource, Clone, Debug, Default)]
pub struct DirtyDesks(pub BTreeSet<ActorIx>);

/// Whether the CSIRT's office is staffed at minute `t`.
pub fn is_open(hours: &Hours, start: &WallClock, t: Minute) -> bool {
    match hours {
        Hours::Always => true,
        Hours::Office {
            open, close, days, ..
        } => {
            let moment = start.plus(t);
            days.contains(&moment.weekday())
                && moment.time.minute_of_day >= open.minute_of_day
                && moment.time.minute_of_day < close.minute_of_day
        }
    }
}

/// The next minute at or after `t` when the office opens.
pub fn next_opening(hours: &Hours, start: &WallClock, t: Minute) -> Minute {
    match hours {
        Hours::Always => t,
        Hours::Office { open, days, .. } => {
            let moment = start.plus(t);
            for ahead in 0..=7 {
                let day = start.plus(t + ahead * MINUTES_PER_DAY);
                if !days.contains(&day.weekday()) {
                    continue;
                }
                let candidate =
                    t + ahead * MINUTES_PER_DAY + open.minute_of_day - moment.time.minute_of_day;
                if candidate >= t {
                    return candidate;
                }
            }
            // Validation guarantees at least one working day; a week later is the fallback.
            t + 7 * MINUTES_PER_DAY
        }
    }
}

/// Puts a work item in the CSIRT's queue; outside office hours the on-call analyst may
/// take it if it is triage.
#[allow(clippy::too_many_arguments, reason = "the item and where it goes")]
pub fn enqueue(
    desk: &mut Desk,
    journal: &mut Journal,
    plan: &Plan,
    now: Minute,
    csirt: ActorIx,
    task: Task,
    case: Case,
    follow_up: bool,
) {
    let on_call_ok = task == Task::Triage;
    enqueue_work(
        desk, journal, plan, now, csirt, task, case, follow_up, on_call_ok,
    );
}

#[allow(clippy::too_many_arguments, reason = "the item and where it goes")]
fn enqueue_work(
    desk: &mut Desk,
    journal: &mut Journal,
    plan: &Plan,
    now: Minute,
    csirt: ActorIx,
    task: Task,
    case: Case,
    follow_up: bool,
    on_call_ok: bool,
) {
    let number = desk.next_item;
    desk.next_item += 1;
    let about = plan.actor_ref(case.reporter.unwrap_or(case.from));
    desk.queue.push_back(WorkItem {
        number,
        task,
        case,
        queued_at: now,
        on_call: false,
        follow_up,
        on_call_ok,
    });
    let queue = u32::try_from(desk.queue.len()).unwrap_or(u32::MAX);
    desk.stats.max_queue = desk.stats.max_queue.max(queue);
    journal.record(
        now,
        Event::WorkQueued {
            csirt: plan.actor_ref(csirt),
            task,
            about,
            queue,
        },
    );
}

/// How a case reached the CSIRT, for matching procedure triggers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    Report { major: bool },
    Share,
    Sighting,
}

/// A case arrives: the CSIRT's procedures for it start; without one, its built-in intake
/// runs (triage, then analysis and sharing as its services say).
#[allow(clippy::too_many_arguments, reason = "the case and where it lands")]
pub fn receive(
    desk: &mut Desk,
    agenda: &mut Agenda,
    journal: &mut Journal,
    plan: &Plan,
    now: Minute,
    csirt: ActorIx,
    case: Case,
    arrival: Arrival,
) {
    let sops: Vec<u32> = plan
        .sops_of(csirt)
        .filter(|(_, sop)| match (&sop.trigger, arrival) {
            (SopTrigger::Report { major_only }, Arrival::Report { major }) => major || !major_only,
            (SopTrigger::Share, Arrival::Share) | (SopTrigger::Sighting, Arrival::Sighting) => true,
            _ => false,
        })
        .map(|(ix, _)| ix)
        .collect();
    if sops.is_empty() {
        enqueue(desk, journal, plan, now, csirt, Task::Triage, case, false);
        return;
    }
    for sop in sops {
        let run = u32::try_from(desk.runs.len()).unwrap_or(u32::MAX);
        let procedure = &plan.sops[sop as usize];
        journal.record(
            now,
            Event::SopStarted {
                sop: Ref {
                    ix: sop,
                    id: procedure.id.clone(),
                },
                variant: procedure.variant.clone(),
                csirt: plan.actor_ref(csirt),
                about: plan.actor_ref(case.reporter.unwrap_or(case.from)),
                instance: run + 1,
            },
        );
        for (n, step) in procedure.steps.iter().enumerate() {
            if let Some(deadline) = step.deadline {
                let step = u32::try_from(n).unwrap_or(u32::MAX);
                agenda.push(now + deadline, Due::StepDeadline { csirt, run, step });
            }
        }
        desk.runs.push(SopRun {
            sop,
            case: case.clone(),
            started: now,
            steps: vec![StepStatus::Waiting; procedure.steps.len()],
        });
    }
}

/// The name players and commands use for a decision point.
pub fn decision_id(plan: &Plan, csirt: ActorIx, run: &SopRun, run_ix: u32, step: usize) -> String {
    let sop = &plan.sops[run.sop as usize];
    DecisionName::Step {
        csirt: &plan.actor(csirt).id,
        sop: &sop.id,
        run: Some(run_ix + 1),
        step: &sop.steps[step].id,
    }
    .to_string()
}

#[allow(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn work_desks(
    mut acting: Acting,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    mut advisories: ResMut<Advisories>,
    mut desks: Query<(&mut Desk, &mut Knowledge)>,
    mut dirty: ResMut<DirtyDesks>,
) {
    let mut ctx = acting.ctx();
    let plan = ctx.plan;
    for item in &due.0 {
        let csirt = match item {
            Due::WorkDone { csirt, .. }
            | Due::DeskWake { csirt }
            | Due::StaffReturn { csirt, .. }
            | Due::Scan { csirt, .. }
            | Due::StepDeadline { csirt, .. }
            | Due::Decide { csirt, .. }
            | Due::RaiseCrisis { csirt, .. } => *csirt,
            Due::DisclosureReported { cve } | Due::Advisory { cve } => {
                match plan.vulnerabilities[*cve as usize].disclosure.as_ref() {
                    Some(d) => d.coordinator,
                    None => continue,
                }
            }
            _ => continue,
        };
        let Some(&e) = actors.0.get(csirt as usize) else {
            continue;
        };
        let Ok((mut desk, mut knowledge)) = desks.get_mut(e) else {
            continue;
        };
        let (desk, knowledge) = (&mut *desk, &mut *knowledge);
        match item {
            Due::WorkDone { item, .. } => {
                finish(&mut ctx, csirt, desk, knowledge, item, &advisories)
            }
            Due::DeskWake { .. } if desk.wake_at == Some(ctx.now) => desk.wake_at = None,
            Due::StaffReturn { analysts, .. } => {
                desk.unavailable = desk.unavailable.saturating_sub(*analysts);
                let (available, analysts) = (desk.available(), desk.analysts);
                ctx.journal.record(
                    ctx.now,
                    Event::StaffChanged {
                        csirt: plan.actor_ref(csirt),
                        available,
                        analysts,
                    },
                );
            }
            Due::Scan { only, .. } => scan(&mut ctx, csirt, desk, *only, &advisories),
            Due::RaiseCrisis { level, by, .. } => {
                raise(&mut ctx, csirt, desk, knowledge, *level, by.to_string());
            }
            Due::DisclosureReported { cve } => {
                let cve_id = plan.vulnerabilities[*cve as usize].cve.clone();
                ctx.journal.record(
                    ctx.now,
                    Event::VulnerabilityReported {
                        coordinator: plan.actor_ref(csirt),
                        cve: cve_id,
                    },
                );
                // Only a CSIRT that offers CVD coordinates (validation requires it of the
                // coordinator; a scenario edited in code may not).
                if plan.csirt(csirt).is_some_and(|p| p.offers(Service::Cvd)) {
                    let case = Case {
                        from: csirt,
                        reporter: None,
                        indicators: Vec::new(),
                        urgent: false,
                        topic: Topic::Disclosure(*cve),
                    };
                    enqueue(
                        desk,
                        ctx.journal,
                        plan,
                        ctx.now,
                        csirt,
                        Task::Coordination,
                        case,
                        false,
                    );
                }
            }
            Due::Advisory { cve } => {
                advisories.0.insert(*cve);
                publish_advisory(&mut ctx, csirt, *cve);
            }
            Due::StepDeadline { run, step, .. } => {
                let done = desk
                    .runs
                    .get(*run as usize)
                    .and_then(|r| r.steps.get(*step as usize))
                    .is_none_or(|s| matches!(s, StepStatus::Done { .. }));
                if !done {
                    let sop = &plan.sops[desk.runs[*run as usize].sop as usize];
                    ctx.journal.record(
                        ctx.now,
                        Event::StepDeadlineMissed {
                            sop: Ref {
                                ix: desk.runs[*run as usize].sop,
                                id: sop.id.clone(),
                            },
                            step: Ref {
                                ix: *step,
                                id: sop.steps[*step as usize].id.clone(),
                            },
                            csirt: plan.actor_ref(csirt),
                            instance: run + 1,
                        },
                    );
                }
            }
            Due::Decide {
                run,
                sop,
                step,
                option,
                by,
                ..
            } => decide(
                &mut ctx,
                (csirt, desk, knowledge),
                *run,
                (sop.as_deref(), step),
                option.as_deref(),
                by,
                &advisories,
            ),
            _ => {}
        }
        dirty.0.insert(csirt);
    }
    for csirt in std::mem::take(&mut dirty.0) {
        let Some(&e) = actors.0.get(csirt as usize) else {
            continue;
        };
        let Ok((mut desk, knowledge)) = desks.get_mut(e) else {
            continue;
        };
        if let Some(profile) = plan.csirt(csirt) {
            assess_escalation(&mut ctx, csirt, profile, &mut desk, &knowledge);
            advance_runs(&mut ctx, csirt, &mut desk);
            dispatch(&mut ctx, csirt, profile, &mut desk);
        }
    }
}

/// Starts queued work while analysts are free; otherwise arranges to look again.
///
/// In office hours the queue is worked first come, first served by every available
/// analyst. Outside them one on-call analyst answers after the on-call delay and takes
/// triage and urgent analysis only; the rest waits for the office to open.
fn dispatch(ctx: &mut Ctx<'_>, csirt: ActorIx, profile: &CsirtPlan, desk: &mut Desk) {
    let now = ctx.now;
    let start = ctx.plan.start;
    while !desk.queue.is_empty() {
        if is_open(&profile.hours, &start, now) {
            let available = desk.available() as usize;
            let Some(slot) = desk
                .busy_until
                .iter()
                .take(available)
                .position(|b| *b <= now)
            else {
                return; // a finishing item will dispatch again
            };
            let Some(item) = desk.queue.pop_front() else {
                return;
            };
            let end = begin(ctx, csirt, profile, desk, item, false);
            desk.busy_until[slot] = end;
            continue;
        }
        let opening = next_opening(&profile.hours, &start, now);
        let mut wake = opening;
        if let Hours::Office {
            on_call: Some(delay),
            ..
        } = &profile.hours
        {
            let takeable = desk
                .queue
                .iter()
                .position(|i| i.on_call_ok || i.case.urgent);
            if let Some(index) = takeable {
                let item = &desk.queue[index];
                let answered = if item.follow_up {
                    item.queued_at
                } else {
                    item.queued_at + delay.minutes
                };
                let ready = answered.max(desk.on_call_busy_until);
                if ready <= now {
                    let Some(item) = desk.queue.remove(index) else {
                        return;
                    };
                    let end = begin(ctx, csirt, profile, desk, item, true);
                    desk.on_call_busy_until = end;
                    continue;
                }
                wake = wake.min(ready);
            }
        }
        if desk.wake_at.is_none_or(|w| w > wake || w < now) {
            desk.wake_at = Some(wake);
            ctx.agenda.push(wake, Due::DeskWake { csirt });
        }
        return;
    }
}

fn begin(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    profile: &CsirtPlan,
    desk: &mut Desk,
    mut item: WorkItem,
    on_call: bool,
) -> Minute {
    let range = match (item.task, item.case.topic) {
        (Task::Step, Topic::Step { run, step }) => desk
            .runs
            .get(run as usize)
            .and_then(|r| ctx.plan.sops[r.sop as usize].steps.get(step as usize))
            .map_or(profile.triage, |st| st.duration),
        (Task::Analysis, _) => profile.analysis,
        _ => profile.triage,
    };
    let about = item.case.reporter.unwrap_or(item.case.from);
    let key = Key::new(
        Purpose::WorkDuration,
        [
            ctx.plan.actor(csirt).key,
            item.task as u64,
            ctx.plan.actor(about).key,
            u64::from(item.number),
        ],
    );
    let minutes = ctx.streams.duration(&key, &range).minutes;
    let waited = ctx.now - item.queued_at;
    desk.stats.items += 1;
    desk.stats.waited_total += waited;
    desk.stats.waited_max = desk.stats.waited_max.max(waited);
    desk.stats.analyst_minutes += minutes;
    ctx.journal.record(
        ctx.now,
        Event::WorkStarted {
            csirt: ctx.plan.actor_ref(csirt),
            task: item.task,
            about: ctx.plan.actor_ref(about),
            waited_minutes: waited,
            on_call,
        },
    );
    item.on_call = on_call;
    let end = ctx.now + minutes;
    ctx.agenda.push(end, Due::WorkDone { csirt, item });
    end
}

fn finish(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &mut Knowledge,
    item: &WorkItem,
    public: &Advisories,
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    let about = item.case.reporter.unwrap_or(item.case.from);
    ctx.journal.record(
        ctx.now,
        Event::WorkFinished {
            csirt: plan.actor_ref(csirt),
            task: item.task,
            about: plan.actor_ref(about),
            turnaround_minutes: ctx.now - item.queued_at,
        },
    );
    let related = related(plan, knowledge, &item.case.indicators);
    match (item.task, item.case.topic) {
        (Task::Triage, _) => {
            if profile.offers(Service::IncidentResponse) {
                feedback(ctx, csirt, knowledge, about, &related);
            }
            if item.case.reporter.is_some() && profile.offers(Service::Analysis) {
                enqueue(
                    desk,
                    ctx.journal,
                    plan,
                    ctx.now,
                    csirt,
                    Task::Analysis,
                    item.case.clone(),
                    true,
                );
            } else {
                share_onward(ctx, csirt, desk, knowledge, &item.case, &related);
            }
        }
        (Task::Analysis, _) => {
            // Analysis adds what this CSIRT can tell: the sector's picture and the adversary.
            for indicator in &related {
                knowledge.indicators.update(indicator, |learned| {
                    learned.context.adversarial = true;
                    learned.context.sectoral |= profile.kind == CsirtKind::Sectoral;
                });
            }
            share_onward(ctx, csirt, desk, knowledge, &item.case, &related);
        }
        (Task::Coordination, Topic::Disclosure(cve)) => {
            let embargo = plan.vulnerabilities[cve as usize]
                .disclosure
                .as_ref()
                .map_or(0, |d| d.embargo);
            ctx.journal.record(
                ctx.now,
                Event::VendorContacted {
                    coordinator: plan.actor_ref(csirt),
                    cve: plan.vulnerabilities[cve as usize].cve.clone(),
                    advisory_due: ctx.now + embargo,
                },
            );
            ctx.agenda.push(ctx.now + embargo, Due::Advisory { cve });
        }
        (Task::Step, Topic::Step { run, step }) => {
            let Some(action) = desk
                .runs
                .get(run as usize)
                .and_then(|r| plan.sops[r.sop as usize].steps.get(step as usize))
                .map(|st| st.action.clone())
            else {
                return;
            };
            let case = desk.runs[run as usize].case.clone();
            perform(ctx, csirt, desk, knowledge, &case, &action, public);
            step_done(ctx, csirt, desk, run, step as usize);
        }
        (Task::Assessment, Topic::Escalation(rule)) => {
            desk.crisis.assessing.remove(&rule);
            if let Some(escalation) = profile.escalation.get(rule as usize) {
                let reason = format!("{:?}", escalation.when);
                raise(ctx, csirt, desk, knowledge, escalation.level, reason);
            }
        }
        _ => {}
    }
}

/// Queues every procedure step whose predecessors are done; raises decision points.
fn advance_runs(ctx: &mut Ctx<'_>, csirt: ActorIx, desk: &mut Desk) {
    let plan = ctx.plan;
    for r in 0..desk.runs.len() {
        let run_ix = u32::try_from(r).unwrap_or(u32::MAX);
        let sop = &plan.sops[desk.runs[r].sop as usize];
        for (n, step) in sop.steps.iter().enumerate() {
            let ready = desk.runs[r].steps[n] == StepStatus::Waiting
                && step
                    .after
                    .iter()
                    .all(|d| matches!(desk.runs[r].steps[*d], StepStatus::Done { .. }));
            if !ready {
                continue;
            }
            if let Action::Decide(decision) = &step.action {
                let deadline = ctx.now + decision.timeout.minutes;
                desk.runs[r].steps[n] = StepStatus::Deciding { deadline };
                ctx.journal.record(
                    ctx.now,
                    Event::DecisionRaised {
                        decision: decision_id(plan, csirt, &desk.runs[r], run_ix, n).into(),
                        to: vec![plan.actor_ref(csirt)],
                        prompt: decision.prompt.as_str().into(),
                        options: decision
                            .options
                            .iter()
                            .map(|o| o.id.as_str().into())
                            .collect(),
                        default: decision.default.as_str().into(),
                        deadline,
                    },
                );
                ctx.agenda.push(
                    deadline,
                    Due::Decide {
                        csirt,
                        run: run_ix,
                        sop: None,
                        step: step.id.clone(),
                        option: None,
                        by: "default".into(),
                    },
                );
                continue;
            }
            desk.runs[r].steps[n] = StepStatus::Queued;
            let mut case = desk.runs[r].case.clone();
            case.topic = Topic::Step {
                run: run_ix,
                step: u32::try_from(n).unwrap_or(u32::MAX),
            };
            let follow_up = desk.runs[r]
                .steps
                .iter()
                .any(|s| matches!(s, StepStatus::Done { .. }));
            enqueue_work(
                desk,
                ctx.journal,
                plan,
                ctx.now,
                csirt,
                Task::Step,
                case,
                follow_up,
                step.on_call,
            );
        }
    }
}

/// A step is finished: journal it against its deadline.
fn step_done(ctx: &mut Ctx<'_>, csirt: ActorIx, desk: &mut Desk, run: u32, step: usize) {
    let plan = ctx.plan;
    let Some(r) = desk.runs.get_mut(run as usize) else {
        return;
    };
    r.steps[step] = StepStatus::Done { at: ctx.now };
    let sop = &plan.sops[r.sop as usize];
    let elapsed = ctx.now - r.started;
    let deadline = sop.steps[step].deadline;
    ctx.journal.record(
        ctx.now,
        Event::StepFinished {
            sop: Ref {
                ix: r.sop,
                id: sop.id.clone(),
            },
            step: Ref {
                ix: u32::try_from(step).unwrap_or(u32::MAX),
                id: sop.steps[step].id.clone(),
            },
            csirt: plan.actor_ref(csirt),
            instance: run + 1,
            elapsed,
            deadline,
            met: deadline.map(|d| elapsed <= d),
        },
    );
}

/// A decision point is answered: its option's actions are carried out.
#[allow(
    clippy::too_many_arguments,
    reason = "the decision and the desk it belongs to"
)]
fn decide(
    ctx: &mut Ctx<'_>,
    (csirt, desk, knowledge): (ActorIx, &mut Desk, &mut Knowledge),
    run: u32,
    (sop_named, step_id): (Option<&str>, &str),
    option: Option<&str>,
    by: &str,
    public: &Advisories,
) {
    let plan = ctx.plan;
    let refuse = |ctx: &mut Ctx<'_>, reason: String| {
        ctx.journal.record(
            ctx.now,
            Event::CommandRefused {
                command: "decide".into(),
                reason,
            },
        );
    };
    let Some(r) = desk.runs.get(run as usize) else {
        return refuse(
            ctx,
            format!("no procedure run #{} at {}", run + 1, plan.actor(csirt).id),
        );
    };
    let sop = &plan.sops[r.sop as usize];
    if let Some(named) = sop_named
        && named != &*sop.id
    {
        return refuse(
            ctx,
            format!(
                "procedure run #{} at {} is \"{}\", not \"{named}\"",
                run + 1,
                plan.actor(csirt).id,
                sop.id
            ),
        );
    }
    let Some(n) = sop.steps.iter().position(|s| &*s.id == step_id) else {
        return refuse(
            ctx,
            format!("no step \"{step_id}\" in procedure \"{}\"", sop.id),
        );
    };
    let Action::Decide(decision) = &sop.steps[n].action else {
        return refuse(ctx, format!("step \"{step_id}\" is not a decision point"));
    };
    if !matches!(r.steps[n], StepStatus::Deciding { .. }) {
        // Already decided (a player answered before the timeout), or not yet raised.
        if option.is_some() {
            refuse(
                ctx,
                format!(
                    "decision {} is not open",
                    decision_id(plan, csirt, r, run, n)
                ),
            );
        }
        return;
    }
    let chosen = option.unwrap_or(&decision.default);
    let Some(picked) = decision.options.iter().find(|o| o.id == chosen) else {
        let known: Vec<&str> = decision.options.iter().map(|o| o.id.as_str()).collect();
        return refuse(
            ctx,
            format!("no option \"{chosen}\"; known: {}", known.join(", ")),
        );
    };
    let id = decision_id(plan, csirt, r, run, n);
    let (case, actions) = (r.case.clone(), picked.actions.clone());
    ctx.journal.record(
        ctx.now,
        Event::DecisionTaken {
            decision: id.into(),
            option: chosen.into(),
            by: by.into(),
        },
    );
    for action in &actions {
        perform(ctx, csirt, desk, knowledge, &case, action, public);
    }
    step_done(ctx, csirt, desk, run, n);
}

/// What a procedure step does in the world.
#[allow(
    clippy::too_many_arguments,
    reason = "the step, its case and the desk doing it"
)]
fn perform(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &mut Knowledge,
    case: &Case,
    action: &Action,
    public: &Advisories,
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    let related = related(plan, knowledge, &case.indicators);
    let reporter = case.reporter.unwrap_or(case.from);
    match action {
        Action::Triage | Action::Decide(_) => {}
        Action::Analyse => {
            for indicator in &related {
                knowledge.indicators.update(indicator, |learned| {
                    learned.context.adversarial = true;
                    learned.context.sectoral |= profile.kind == CsirtKind::Sectoral;
                });
            }
        }
        Action::RequestInformation => {
            let campaigns: BTreeSet<u32> = case
                .indicators
                .iter()
                .map(|i| plan.indicators[*i as usize].campaign)
                .collect();
            ctx.agenda.push(
                ctx.now,
                Due::InformationRequest {
                    entity: reporter,
                    csirt,
                    campaigns: campaigns.into_iter().collect(),
                },
            );
        }
        Action::ShareIndicators { with, tlp } => {
            let recipients: Vec<(ActorIx, bool, Tlp)> = match with {
                Recipients::Constituency => profile
                    .constituency
                    .iter()
                    .map(|r| (*r, true, *tlp))
                    .collect(),
                Recipients::Peers => profile.peers.iter().map(|r| (*r, false, *tlp)).collect(),
                Recipients::Actors(ids) => ids
                    .iter()
                    .filter_map(|id| plan.by_id.get(id))
                    .map(|r| (*r, plan.entity(*r).is_some(), *tlp))
                    .collect(),
            };
            let recipients: Vec<_> = recipients
                .into_iter()
                .filter(|(r, _, _)| *r != case.from)
                .collect();
            share_with(ctx, csirt, desk, knowledge, &recipients, &related);
        }
        Action::ContactEntity => feedback(ctx, csirt, knowledge, reporter, &related),
        Action::RequestScan => scan(ctx, csirt, desk, Some(reporter), public),
        Action::EscalateCrisis { level } => {
            raise(
                ctx,
                csirt,
                desk,
                knowledge,
                *level,
                "a procedure step".into(),
            );
        }
        Action::NotifyAuthority { to } => {
            if let Some(&authority) = plan.by_id.get(to) {
                share_with(
                    ctx,
                    csirt,
                    desk,
                    knowledge,
                    &[(authority, false, Tlp::Amber)],
                    &related,
                );
            }
        }
        Action::PublishAdvisory => publish(ctx, csirt, desk, knowledge, &related),
    }
}

/// A public advisory: every organisation in the CSIRT's country learns those of
/// `indicators` that may go to anyone (CLEAR or GREEN, or the CSIRT's own).
fn publish(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    indicators: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let Some(country) = plan.csirt(csirt).map(|c| c.country.clone()) else {
        return;
    };
    let public: Vec<IndicatorIx> = indicators
        .iter()
        .copied()
        .filter(|i| {
            knowledge
                .indicators
                .get(i)
                .is_some_and(|l| l.tlp <= Tlp::Green || l.from.is_none())
        })
        .collect();
    let recipients: Vec<_> = plan
        .entities
        .iter()
        .filter(|e| e.country == country)
        .map(|e| (e.actor, true, Tlp::Clear))
        .collect();
    share_with(ctx, csirt, desk, knowledge, &recipients, &public);
}

/// The incidents `knowledge` holds for the campaigns of `indicators`, to pass on without
/// the victims' identity (sectoral context).
fn hits(plan: &Plan, knowledge: &Knowledge, indicators: &[IndicatorIx]) -> Vec<(ActorIx, u32)> {
    let campaigns: BTreeSet<_> = indicators
        .iter()
        .map(|i| plan.indicators[*i as usize].campaign)
        .collect();
    knowledge
        .incidents
        .keys()
        .filter(|(_, c)| campaigns.contains(c))
        .copied()
        .collect()
}

/// Answers whoever informed the CSIRT with what it can share about the case.
fn feedback(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    knowledge: &Knowledge,
    to: ActorIx,
    related: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    let rel = plan.relation(csirt, to);
    let policy = match rel {
        Relation::Constituent => profile.sharing.constituency,
        Relation::Community => profile.sharing.csirts,
    };
    let indicators: Vec<Marked> = marked(knowledge, related)
        .into_iter()
        .filter(|m| {
            knowledge
                .indicators
                .get(&m.indicator)
                .is_some_and(|l| l.from != Some(to))
                && m.tlp.permits(rel)
        })
        .map(|m| Marked {
            tlp: m.tlp.strictest(policy),
            context: m.context.sanitised(),
            ..m
        })
        .collect();
    ctx.journal.record(
        ctx.now,
        Event::Feedback {
            from: plan.actor_ref(csirt),
            to: plan.actor_ref(to),
            indicators: indicators
                .iter()
                .map(|m| plan.indicator_ref(m.indicator))
                .collect(),
        },
    );
    if !indicators.is_empty() {
        let parcel = Parcel::Share {
            from: csirt,
            indicators,
            warning: false,
            hits: Vec::new(),
        };
        ctx.post
            .send(ctx.agenda, ctx.journal, ctx.now, csirt, to, parcel);
    }
}

/// Shares sanitised indicators with the constituency (as warnings, if the CSIRT offers
/// them) and with peer CSIRTs (if it takes part in the network).
fn share_onward(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    case: &Case,
    related: &[IndicatorIx],
) {
    let Some(profile) = ctx.plan.csirt(csirt) else {
        return;
    };
    let mut recipients = Vec::new();
    if profile.offers(Service::Warnings) {
        recipients.extend(
            profile
                .constituency
                .iter()
                .map(|r| (*r, true, profile.sharing.constituency)),
        );
    }
    if profile.offers(Service::Network) {
        recipients.extend(
            profile
                .peers
                .iter()
                .map(|r| (*r, false, profile.sharing.csirts)),
        );
    }
    recipients.retain(|(r, _, _)| *r != case.from && Some(*r) != case.reporter);
    share_with(ctx, csirt, desk, knowledge, &recipients, related);
}

/// Shares `related` with each recipient. Each (indicator, recipient) pair is passed once,
/// and again only when the CSIRT has added context since; the marking the CSIRT received
/// an indicator under decides whether it may go (a refusal is journaled once per pair).
fn share_with(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    recipients: &[(ActorIx, bool, Tlp)],
    related: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let hits = hits(plan, knowledge, related);
    for &(recipient, warning, policy) in recipients {
        let rel = plan.relation(csirt, recipient);
        let mut parcel = Vec::new();
        let mut marking = Tlp::Clear;
        for &indicator in related {
            let Some(learned) = knowledge.indicators.get(&indicator) else {
                continue;
            };
            let context = learned.context.sanitised();
            let sent_before = desk.passed_on.get(&(indicator, recipient)).copied();
            if learned.from == Some(recipient)
                || sent_before.is_some_and(|sent| sent.merged(context) == sent)
            {
                continue;
            }
            desk.passed_on.insert((indicator, recipient), context);
            match learned.marking_for(rel, policy) {
                Ok(tlp) => {
                    marking = marking.strictest(tlp);
                    parcel.push(Marked {
                        indicator,
                        tlp,
                        context,
                    });
                }
                Err(held) if sent_before.is_none() => {
                    ctx.journal.record(
                        ctx.now,
                        Event::ShareRefused {
                            from: plan.actor_ref(csirt),
                            to: plan.actor_ref(recipient),
                            indicator: plan.indicator_ref(indicator),
                            tlp: held,
                            reason: held.refusal(),
                        },
                    );
                }
                Err(_) => {}
            }
        }
        // Other CSIRTs also hear of incidents they have not heard of from us (sectoral
        // context, victims not named), even when no indicator is new to them.
        let new_hits: Vec<(ActorIx, u32)> = if plan.csirt(recipient).is_some() {
            hits.iter()
                .copied()
                .filter(|(victim, campaign)| {
                    desk.hits_passed
                        .insert((*victim, *campaign, recipient), ())
                        .is_none()
                })
                .collect()
        } else {
            Vec::new()
        };
        if parcel.is_empty() && new_hits.is_empty() {
            continue;
        }
        let indicators: Vec<Ref> = parcel
            .iter()
            .map(|m| plan.indicator_ref(m.indicator))
            .collect();
        ctx.journal.record(
            ctx.now,
            Event::Shared {
                from: plan.actor_ref(csirt),
                to: plan.actor_ref(recipient),
                indicators,
                tlp: marking,
                warning,
            },
        );
        let hits = new_hits;
        let parcel = Parcel::Share {
            from: csirt,
            indicators: parcel,
            warning,
            hits,
        };
        ctx.post
            .send(ctx.agenda, ctx.journal, ctx.now, csirt, recipient, parcel);
    }
}

/// Scans the constituency (or one entity) for known-vulnerable exposed services and tells
/// each entity what was found; periodic scans schedule the next one.
fn scan(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    only: Option<ActorIx>,
    public: &Advisories,
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    if !profile.offers(Service::Scanning) {
        return;
    }
    let targets: Vec<ActorIx> = match only {
        Some(entity) => vec![entity],
        None => profile.constituency.clone(),
    };
    for entity in targets {
        let Some(e) = plan.entity(entity) else {
            continue;
        };
        for &cve in &e.vulnerable {
            // A vulnerability under embargo is unknown to scanners.
            let public =
                plan.vulnerabilities[cve as usize].disclosure.is_none() || public.0.contains(&cve);
            if public && desk.notified.insert((entity, cve)) {
                ctx.journal.record(
                    ctx.now,
                    Event::ScanFinding {
                        csirt: plan.actor_ref(csirt),
                        entity: plan.actor_ref(entity),
                        cve: plan.vulnerabilities[cve as usize].cve.clone(),
                    },
                );
                ctx.post.send(
                    ctx.agenda,
                    ctx.journal,
                    ctx.now,
                    csirt,
                    entity,
                    Parcel::Finding { from: csirt, cve },
                );
            }
        }
    }
    if only.is_none()
        && let Some(every) = profile.scan_every
    {
        ctx.agenda
            .push(ctx.now + every, Due::Scan { csirt, only: None });
    }
}

/// The embargo is over: the advisory reaches every organisation with the vulnerability.
fn publish_advisory(ctx: &mut Ctx<'_>, csirt: ActorIx, cve: u32) {
    let plan = ctx.plan;
    let affected: Vec<ActorIx> = plan
        .entities
        .iter()
        .filter(|e| e.vulnerable.contains(&cve))
        .map(|e| e.actor)
        .collect();
    ctx.journal.record(
        ctx.now,
        Event::AdvisoryPublished {
            coordinator: plan.actor_ref(csirt),
            cve: plan.vulnerabilities[cve as usize].cve.clone(),
            affected: u32::try_from(affected.len()).unwrap_or(u32::MAX),
        },
    );
    for entity in affected {
        ctx.post.send(
            ctx.agenda,
            ctx.journal,
            ctx.now,
            csirt,
            entity,
            Parcel::Advisory { from: csirt, cve },
        );
    }
}

/// Whether what `knowledge` holds meets a crisis trigger.
fn triggered(plan: &Plan, knowledge: &Knowledge, trigger: &CrisisTrigger) -> bool {
    match trigger {
        CrisisTrigger::EntitiesHit {
            count,
            sector,
            essential_only,
        } => {
            let hit: BTreeSet<ActorIx> = knowledge
                .incidents
                .keys()
                .map(|(victim, _)| *victim)
                .filter(|v| {
                    plan.entity(*v).is_some_and(|e| {
                        sector.is_none_or(|s| e.sector == s)
                            && (!essential_only || e.class == Nis2Class::Essential)
                    })
                })
                .collect();
            hit.len() >= *count as usize
        }
        CrisisTrigger::CrossBorder => !knowledge.cross_border.is_empty(),
        CrisisTrigger::Manual => false,
    }
}

/// Queues an assessment for each escalation rule whose trigger the CSIRT now meets.
fn assess_escalation(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    profile: &CsirtPlan,
    desk: &mut Desk,
    knowledge: &Knowledge,
) {
    for (n, rule) in profile.escalation.iter().enumerate() {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        if rule.level <= desk.crisis.level.0 || desk.crisis.assessing.contains(&n) {
            continue;
        }
        if triggered(ctx.plan, knowledge, &rule.when) {
            desk.crisis.assessing.insert(n);
            ctx.journal.record(
                ctx.now,
                Event::CrisisTriggered {
                    csirt: ctx.plan.actor_ref(csirt),
                    level: rule.level,
                    trigger: format!("{:?}", rule.when),
                },
            );
            let case = Case {
                from: csirt,
                reporter: None,
                indicators: Vec::new(),
                urgent: true,
                topic: Topic::Escalation(n),
            };
            enqueue(
                desk,
                ctx.journal,
                ctx.plan,
                ctx.now,
                csirt,
                Task::Assessment,
                case,
                false,
            );
        }
    }
}

/// Raises the crisis level, however it was decided (assessment, inject, procedure step),
/// and carries out what every level passed requires: the actions of the CSIRT's escalation
/// rules above the old level up to the new one, lowest first, so a level skipped on the way
/// loses nothing.
fn raise(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    level: CrisisLevel,
    reason: String,
) {
    let plan = ctx.plan;
    let from = desk.crisis.level.0;
    if level <= from {
        return;
    }
    let mut rules: Vec<_> = plan
        .csirt(csirt)
        .map(|p| {
            p.escalation
                .iter()
                .filter(|e| e.level > from && e.level <= level)
                .collect()
        })
        .unwrap_or_default();
    rules.sort_by_key(|e| e.level);
    let actions: Vec<CrisisAction> = rules
        .iter()
        .flat_map(|e| e.actions.iter().cloned())
        .collect();
    desk.crisis.level = CrisisLevelState(level);
    ctx.journal.record(
        ctx.now,
        Event::CrisisLevelChanged {
            csirt: plan.actor_ref(csirt),
            from,
            to: level,
            reason,
        },
    );
    let everything: Vec<IndicatorIx> = knowledge.indicators.keys().copied().collect();
    for action in &actions {
        ctx.journal.record(
            ctx.now,
            Event::CrisisActionTaken {
                csirt: plan.actor_ref(csirt),
                action: format!("{action:?}"),
            },
        );
        match action {
            CrisisAction::CrisisTeam { extra_analysts } => {
                desk.analysts += extra_analysts;
                desk.busy_until.resize(desk.analysts as usize, Minute::MIN);
            }
            CrisisAction::InformNetwork => {
                let recipients: Vec<_> = plan
                    .csirts
                    .iter()
                    .filter(|c| c.actor != csirt)
                    .map(|c| (c.actor, false, Tlp::Green))
                    .collect();
                share_with(ctx, csirt, desk, knowledge, &recipients, &everything);
            }
            CrisisAction::PublicCommunication => publish(ctx, csirt, desk, knowledge, &everything),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ClockTime, Weekday};

    fn office() -> Hours {
        Hours::Office {
            open: ClockTime::parse("09:00").unwrap(),
            close: ClockTime::parse("17:00").unwrap(),
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            on_call: None,
        }
    }

    #[test]
    fn office_hours_follow_the_calendar() {
        let friday = WallClock::parse("2026-03-13 16:30").unwrap();
        assert!(is_open(&office(), &friday, 0));
        assert!(!is_open(&office(), &friday, 30));
        // Friday 17:00 to Monday 09:00 is 2 days 16 hours.
        assert_eq!(
            next_opening(&office(), &friday, 30),
            30 + 2 * 1440 + 16 * 60
        );
        // Open now; the next opening is Monday 09:00.
        assert_eq!(next_opening(&office(), &friday, 0), 3 * 1440 - 450);
        assert!(is_open(&Hours::Always, &friday, 12345));
    }
}
