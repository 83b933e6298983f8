//! Coordinated vulnerability disclosure: a vulnerability reported to a coordinating CSIRT
//! is queued for coordination; once the vendor is contacted the embargo runs, and at its
//! end the advisory reaches every organisation with the vulnerability.

use super::super::ctx::Ctx;
use super::super::journal::{Event, Task};
use super::super::plan::ActorIx;
use super::super::plan::{Plan, ix};
use super::super::state::{Advisories, Agenda, Case, Desk, Due, Parcel, Topic};
use super::queue::enqueue;
use crate::scenario::Service;

/// What each disclosure puts on the agenda when the exercise is built: the finder's report
/// (or, reported before T+0, the embargo already running at T+0) and a public proof of
/// concept (at T+0 at the earliest).
pub fn schedule_disclosures(plan: &Plan, agenda: &mut Agenda) {
    for (v, vulnerability) in plan.vulnerabilities.iter().enumerate() {
        let Some(disclosure) = &vulnerability.disclosure else {
            continue;
        };
        let cve = ix(v);
        if disclosure.reported < 0 {
            agenda.push(0, Due::UnderEmbargo { cve });
        } else {
            agenda.push(disclosure.reported, Due::DisclosureReported { cve });
        }
        if let Some(at) = disclosure.proof_of_concept {
            agenda.push(at.max(0), Due::ProofOfConcept { cve });
        }
    }
}

/// A vulnerability is reported to its coordinator: a CSIRT that offers CVD queues the
/// coordination.
pub fn reported(ctx: &mut Ctx<'_>, csirt: ActorIx, desk: &mut Desk, cve: u32) {
    let plan = ctx.plan;
    let cve_id = plan.vulnerabilities[cve as usize].cve.clone();
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
            topic: Topic::Disclosure(cve),
        };
        enqueue(ctx, desk, csirt, Task::Coordination, case, false);
    }
}

/// Coordination is done: the vendor is contacted and the advisory is due when the embargo
/// ends.
pub fn vendor_contacted(ctx: &mut Ctx<'_>, csirt: ActorIx, cve: u32) {
    let plan = ctx.plan;
    let due = plan.vulnerabilities[cve as usize]
        .disclosure
        .as_ref()
        .map_or(ctx.now, |d| d.advisory_due(ctx.now));
    ctx.journal.record(
        ctx.now,
        Event::VendorContacted {
            coordinator: plan.actor_ref(csirt),
            cve: plan.vulnerabilities[cve as usize].cve.clone(),
            advisory_due: due,
        },
    );
    ctx.agenda.push(due, Due::Advisory { cve });
}

/// The exercise opens on an embargo already running: the vendor was contacted when the
/// finder reported it, before T+0, and the advisory comes when the embargo (or the
/// vendor's fixed date) says, at T+0 at the earliest.
pub fn under_embargo(ctx: &mut Ctx<'_>, csirt: ActorIx, cve: u32, published: &mut Advisories) {
    let plan = ctx.plan;
    let Some(disclosure) = plan.vulnerabilities[cve as usize].disclosure.as_ref() else {
        return;
    };
    let due = disclosure.advisory_due(disclosure.reported).max(ctx.now);
    ctx.journal.record(
        ctx.now,
        Event::UnderEmbargo {
            coordinator: plan.actor_ref(csirt),
            cve: plan.vulnerabilities[cve as usize].cve.clone(),
            since: disclosure.reported,
            advisory_due: due,
        },
    );
    if due <= ctx.now {
        publish_once(ctx, csirt, cve, published);
    } else {
        ctx.agenda.push(due, Due::Advisory { cve });
    }
}

/// A proof of concept goes public. Before any advisory it breaks the embargo: the
/// coordinator publishes what it has at once.
pub fn proof_of_concept(ctx: &mut Ctx<'_>, csirt: ActorIx, cve: u32, published: &mut Advisories) {
    let plan = ctx.plan;
    let fixed = published.0.contains(&cve);
    ctx.journal.record(
        ctx.now,
        Event::ProofOfConceptPublished {
            cve: plan.vulnerabilities[cve as usize].cve.clone(),
            fixed,
        },
    );
    publish_once(ctx, csirt, cve, published);
}

/// The advisory is published, unless it already was (a proof of concept may have brought
/// it forward).
pub fn publish_once(ctx: &mut Ctx<'_>, csirt: ActorIx, cve: u32, published: &mut Advisories) {
    if published.0.insert(cve) {
        publish_advisory(ctx, csirt, cve);
    }
}

/// The embargo is over: the advisory reaches every organisation with the vulnerability.
pub fn publish_advisory(ctx: &mut Ctx<'_>, csirt: ActorIx, cve: u32) {
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
            affected: ix(affected.len()),
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

#[cfg(test)]
mod tests;
