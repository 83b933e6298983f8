//! CSIRT desks: analysts, working hours, on-call, the queue of work, and what finished
//! work produces. One concept per file:
//!
//! - `hours`: when the office is staffed;
//! - `queue`: the queue of work and the analysts (and on-call analyst) who take it;
//! - `procedure`: procedures (SOPs), their steps, decision points and actions;
//! - `sharing`: feedback, indicators shared onward under TLP, public advisories;
//! - `scan`: scanning the constituency for known vulnerabilities;
//! - `cvd`: coordinated vulnerability disclosure;
//! - `crisis`: escalation rules and the crisis level.
//!
//! This file holds the desks' system and what a finished work item leads to.

mod crisis;
mod cvd;
pub(super) mod hours;
mod procedure;
mod queue;
mod scan;
mod sharing;

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use super::ctx::{Acting, Ctx};
use super::journal::{Event, Task};
use super::knowledge::related;
use super::plan::ActorIx;
use super::state::{ActorEntities, Advisories, Desk, Due, DueNow, Knowledge, Topic, WorkItem};
use super::stirred::ActorsMut;
use crate::scenario::{CsirtKind, Service};

pub use cvd::schedule_disclosures;
pub use procedure::{Arrival, receive};

/// Desks that may be able to start work this minute.
#[derive(Resource, Clone, Debug, Default)]
pub struct DirtyDesks(pub BTreeSet<ActorIx>);

/// The desks' system: what is due at each CSIRT this minute, then, for every desk touched
/// (here or by a delivery), escalation, procedure steps and the queue, in that order.
pub fn work_desks(
    mut acting: Acting,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    mut advisories: ResMut<Advisories>,
    mut desks: ActorsMut<(&mut Desk, &mut Knowledge)>,
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
            Due::DisclosureReported { cve }
            | Due::Advisory { cve }
            | Due::UnderEmbargo { cve }
            | Due::ProofOfConcept { cve } => {
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
                queue::staff_return(&mut ctx, csirt, desk, *analysts);
            }
            Due::Scan {
                only, requested, ..
            } => scan::scan(&mut ctx, csirt, desk, (*only, *requested), &advisories),
            Due::RaiseCrisis { level, by, .. } => {
                crisis::raise(&mut ctx, csirt, desk, knowledge, *level, by.to_string());
            }
            Due::DisclosureReported { cve } => cvd::reported(&mut ctx, csirt, desk, *cve),
            // Published once: a proof of concept may have brought it forward.
            Due::Advisory { cve } => cvd::publish_once(&mut ctx, csirt, *cve, &mut advisories),
            Due::UnderEmbargo { cve } => {
                cvd::under_embargo(&mut ctx, csirt, *cve, &mut advisories);
            }
            Due::ProofOfConcept { cve } => {
                cvd::proof_of_concept(&mut ctx, csirt, *cve, &mut advisories);
            }
            Due::StepDeadline { run, step, .. } => {
                procedure::deadline_passed(&mut ctx, csirt, desk, *run, *step);
            }
            Due::Decide {
                run,
                sop,
                step,
                option,
                by,
                ..
            } => procedure::decide(
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
            crisis::assess_escalation(&mut ctx, csirt, profile, &mut desk, &knowledge);
            procedure::advance_runs(&mut ctx, csirt, &mut desk);
            queue::dispatch(&mut ctx, csirt, profile, &mut desk);
        }
    }
}

/// An analyst finished a work item: what the task produces (feedback, sharing, analysis,
/// coordination, a procedure step's action, an escalation) happens now.
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
                sharing::feedback(ctx, csirt, knowledge, about, &related);
            }
            if item.case.reporter.is_some() && profile.offers(Service::Analysis) {
                queue::enqueue(ctx, desk, csirt, Task::Analysis, item.case.clone(), true);
            } else {
                sharing::share_onward(ctx, csirt, desk, knowledge, &item.case, &related);
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
            sharing::share_onward(ctx, csirt, desk, knowledge, &item.case, &related);
        }
        (Task::Coordination, Topic::Disclosure(cve)) => cvd::vendor_contacted(ctx, csirt, cve),
        (Task::Step, Topic::Step { run, step }) => {
            procedure::step_finished(ctx, (csirt, desk, knowledge), run, step, public);
        }
        (Task::Assessment, Topic::Escalation(rule)) => {
            desk.crisis.assessing.remove(&rule);
            if let Some(escalation) = profile.escalation.get(rule as usize) {
                let reason = escalation.when.describe();
                crisis::raise(ctx, csirt, desk, knowledge, escalation.level, reason);
            }
        }
        _ => {}
    }
}
