//! Coordinated vulnerability disclosure: a vulnerability reported to a coordinating CSIRT
//! is queued for coordination; once the vendor is contacted the embargo runs, and at its
//! end the advisory reaches every organisation with the vulnerability.

use super::super::ctx::Ctx;
use super::super::journal::{Event, Task};
use super::super::plan::ActorIx;
use super::super::plan::ix;
use super::super::state::{Case, Desk, Due, Parcel, Topic};
use super::queue::enqueue;
use crate::scenario::Service;

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
mod tests {
    use crate::scenario::{Disclosure, Service, Vulnerability};
    use crate::sim::testkit::{self, CSIRT, at, duration, minutes_of};

    #[test]
    fn the_advisory_is_published_when_the_embargo_ends() {
        let mut s = testkit::scenario();
        s.csirts[0].services.push(Service::Cvd);
        s.vulnerabilities.push(Vulnerability {
            cve: "CVE-2026-0001".into(),
            product: "Gateway".into(),
            vendor: "Example Vendor".into(),
            disclosure: Some(Disclosure {
                coordinator: CSIRT.into(),
                reported: at("T+1h"),
                embargo: duration("1d"),
            }),
        });
        let sim = testkit::play(&s);
        let contacted = minutes_of(&sim, "vendor_contacted");
        assert_eq!(contacted.len(), 1);
        assert_eq!(
            minutes_of(&sim, "advisory_published"),
            [contacted[0] + 1440]
        );
    }
}
