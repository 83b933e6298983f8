//! A CSIRT's procedures (SOPs): a case that matches a procedure's trigger starts a run;
//! its steps are queued as their predecessors finish, decision points wait for an answer
//! (or their default at the timeout), and each step's action is carried out in the world.

use std::collections::BTreeSet;

use super::super::ctx::Ctx;
use super::super::journal::{Event, Ref, Task};
use super::super::knowledge::related;
use super::super::plan::ix;
use super::super::plan::{ActorIx, DecisionName, Plan};
use super::super::state::{Advisories, Case, Desk, Due, Knowledge, SopRun, StepStatus, Topic};
use super::crisis::raise;
use super::queue::{enqueue, enqueue_work};
use super::scan::scan;
use super::sharing::{feedback, publish, share_with};
use crate::scenario::{Action, CsirtKind, Recipients, SopTrigger, Tlp};

/// How a case reached the CSIRT, for matching procedure triggers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    Report { major: bool },
    Share,
    Sighting,
}

/// A case arrives: the CSIRT's procedures for it start; without one, its built-in intake
/// runs (triage, then analysis and sharing as its services say).
pub fn receive(ctx: &mut Ctx<'_>, desk: &mut Desk, csirt: ActorIx, case: Case, arrival: Arrival) {
    let (plan, now) = (ctx.plan, ctx.now);
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
        enqueue(ctx, desk, csirt, Task::Triage, case, false);
        return;
    }
    for sop in sops {
        let run = ix(desk.runs.len());
        let procedure = &plan.sops[sop as usize];
        ctx.journal.record(
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
                let step = ix(n);
                ctx.agenda
                    .push(now + deadline, Due::StepDeadline { csirt, run, step });
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

/// Queues every procedure step whose predecessors are done; raises decision points.
pub fn advance_runs(ctx: &mut Ctx<'_>, csirt: ActorIx, desk: &mut Desk) {
    let plan = ctx.plan;
    for r in 0..desk.runs.len() {
        let run_ix = ix(r);
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
                step: ix(n),
            };
            let follow_up = desk.runs[r]
                .steps
                .iter()
                .any(|s| matches!(s, StepStatus::Done { .. }));
            enqueue_work(ctx, desk, csirt, Task::Step, case, follow_up, step.on_call);
        }
    }
}

/// A step's deadline has come: if the step is not done, the miss is journaled.
pub fn deadline_passed(ctx: &mut Ctx<'_>, csirt: ActorIx, desk: &Desk, run: u32, step: u32) {
    let plan = ctx.plan;
    let done = desk
        .runs
        .get(run as usize)
        .and_then(|r| r.steps.get(step as usize))
        .is_none_or(|s| matches!(s, StepStatus::Done { .. }));
    if !done {
        let sop = &plan.sops[desk.runs[run as usize].sop as usize];
        ctx.journal.record(
            ctx.now,
            Event::StepDeadlineMissed {
                sop: Ref {
                    ix: desk.runs[run as usize].sop,
                    id: sop.id.clone(),
                },
                step: Ref {
                    ix: step,
                    id: sop.steps[step as usize].id.clone(),
                },
                csirt: plan.actor_ref(csirt),
                instance: run + 1,
            },
        );
    }
}

/// An analyst finished a procedure step: what it does happens, and it is done.
pub fn step_finished(
    ctx: &mut Ctx<'_>,
    (csirt, desk, knowledge): (ActorIx, &mut Desk, &mut Knowledge),
    run: u32,
    step: u32,
    public: &Advisories,
) {
    let plan = ctx.plan;
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
                ix: ix(step),
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
pub fn decide(
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
        Action::RequestScan => scan(ctx, csirt, desk, (Some(reporter), true), public),
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

#[cfg(test)]
mod tests {
    use crate::scenario::{Action, Decision, DecisionOption, Sop, SopTrigger, Step};
    use crate::sim::journal::Event;
    use crate::sim::testkit::{self, CSIRT, ENTITY, duration, inject, of_kind, sighting};

    fn decision_on_sighting() -> crate::scenario::Scenario {
        let mut s = testkit::scenario();
        let step = Step {
            id: "escalate".into(),
            action: Action::Decide(Decision {
                prompt: "Escalate?".into(),
                options: vec![
                    DecisionOption {
                        id: "yes".into(),
                        label: "Yes".into(),
                        actions: Vec::new(),
                    },
                    DecisionOption {
                        id: "no".into(),
                        label: "No".into(),
                        actions: Vec::new(),
                    },
                ],
                default: "no".into(),
                timeout: duration("2h"),
            }),
            role: None,
            duration: crate::scenario::DurationRange::new(duration("15m"), duration("30m")),
            after: Vec::new(),
            deadline: None,
            on_call: false,
        };
        s.sops.push(Sop {
            id: "intake".into(),
            variant: None,
            title: "Intake".into(),
            owner: CSIRT.into(),
            trigger: SopTrigger::Sighting,
            steps: vec![step],
        });
        s.injects
            .push(inject("tip", "T+1h", vec![sighting(ENTITY, CSIRT)]));
        s
    }

    #[test]
    fn a_sighting_starts_the_procedure_it_triggers_instead_of_plain_triage() {
        let sim = testkit::play(&decision_on_sighting());
        assert_eq!(of_kind(&sim, "sop_started").len(), 1);
        assert!(of_kind(&sim, "work_queued").is_empty());
    }

    #[test]
    fn an_unanswered_decision_takes_its_default_at_the_timeout() {
        let sim = testkit::play(&decision_on_sighting());
        let raised = of_kind(&sim, "decision_raised");
        let taken = of_kind(&sim, "decision_taken");
        assert_eq!((raised.len(), taken.len()), (1, 1));
        assert_eq!(taken[0].t, raised[0].t + 120);
        assert!(
            matches!(&taken[0].event, Event::DecisionTaken { option, by, .. }
                if &**option == "no" && &**by == "default")
        );
    }
}
