//! Scanning: a CSIRT that offers it looks at its constituency's exposed services for
//! known vulnerabilities (never one still under embargo) and tells each organisation what
//! it found, once per (organisation, vulnerability).

use super::super::ctx::Ctx;
use super::super::journal::Event;
use super::super::plan::ActorIx;
use super::super::state::{Advisories, Desk, Due, Parcel};
use crate::scenario::Service;

/// Scans the constituency (or one entity) for known-vulnerable exposed services and tells
/// each entity what was found; periodic scans schedule the next one.
pub fn scan(
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
