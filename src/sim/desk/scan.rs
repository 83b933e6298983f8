//! Scanning: a CSIRT that offers it looks at its constituency's exposed services (a
//! volunteer CSIRT: every organisation's) for known vulnerabilities and tells each organisation what it found, once per
//! (organisation, vulnerability). A vulnerability under embargo is unknown to scanners,
//! except to the CSIRT coordinating its disclosure once it has been reported to it, as
//! real coordinators scan for what they are told of. A scan that was asked for and finds
//! nothing new says why in the journal.

use super::super::ctx::Ctx;
use super::super::journal::{Event, ScanMiss};
use super::super::plan::{ActorIx, CveIx};
use super::super::state::{Advisories, Desk, Due, Parcel};
use crate::scenario::{CsirtKind, Service};

/// Scans the constituency (or `only` one entity) for known-vulnerable exposed services and
/// tells each entity what was found; periodic scans schedule the next one. `requested`:
/// asked for by an inject or a player, so finding nothing is journaled with its reason.
pub fn scan(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    (only, requested): (Option<ActorIx>, bool),
    public: &Advisories,
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    let nothing = |ctx: &mut Ctx<'_>, reason: ScanMiss| {
        if requested {
            ctx.journal.record(
                ctx.now,
                Event::ScanFoundNothing {
                    csirt: plan.actor_ref(csirt),
                    entity: only.map(|e| plan.actor_ref(e)),
                    reason,
                },
            );
        }
    };
    if !profile.offers(Service::Scanning) {
        nothing(ctx, ScanMiss::NotOffered);
        return;
    }
    // A volunteer CSIRT scans the internet: every organisation's exposed systems.
    let targets: Vec<ActorIx> = match only {
        Some(entity) => vec![entity],
        None if profile.kind == CsirtKind::Volunteer => {
            plan.entities.iter().map(|e| e.actor).collect()
        }
        None => profile.constituency.clone(),
    };
    let (mut found, mut embargoed, mut known) = (0_u32, false, false);
    for entity in targets {
        let Some(e) = plan.entity(entity) else {
            continue;
        };
        for &cve in &e.vulnerable {
            if !visible(ctx, csirt, cve, public) {
                embargoed = true;
                continue;
            }
            if !desk.notified.insert((entity, cve)) {
                known = true;
                continue;
            }
            found = found.saturating_add(1);
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
    if found == 0 {
        let reason = if known {
            ScanMiss::AlreadyNotified
        } else if embargoed {
            ScanMiss::UnderEmbargo
        } else {
            ScanMiss::NothingExposed
        };
        nothing(ctx, reason);
    }
    if only.is_none()
        && !requested
        && let Some(every) = profile.scan_every
    {
        ctx.agenda.push(
            ctx.now + every,
            Due::Scan {
                csirt,
                only: None,
                requested: false,
            },
        );
    }
}

/// Whether `csirt`'s scanner can know `cve` now: it is public (no embargo, or its advisory
/// is out), or `csirt` coordinates its disclosure and has been told of it.
fn visible(ctx: &Ctx<'_>, csirt: ActorIx, cve: CveIx, public: &Advisories) -> bool {
    match &ctx.plan.vulnerabilities[cve as usize].disclosure {
        None => true,
        Some(_) if public.0.contains(&cve) => true,
        Some(d) => d.coordinator == csirt && d.reported <= ctx.now,
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Disclosure, InjectEffect, Service, Vulnerability};
    use crate::sim::journal::{Event, ScanMiss};
    use crate::sim::testkit::{self, CSIRT, ENTITY, at, duration, inject, of_kind};

    const CVE: &str = "CVE-2026-0001";

    /// The bank runs a gateway with a vulnerability reported to the CSIRT (which coordinates
    /// its disclosure and scans) at T+2h under a two-day embargo; `coordinator` chooses
    /// whether that CSIRT is the coordinator. Scans of the bank are asked for at T+1h and T+3h.
    fn embargoed(coordinator: bool) -> crate::scenario::Scenario {
        let mut s = testkit::scenario();
        s.csirts[0]
            .services
            .extend([Service::Scanning, Service::Cvd]);
        if !coordinator {
            let mut other = s.csirts[0].clone();
            other.id = "coordinator".into();
            other.name = "Coordinating CSIRT".into();
            s.csirts.push(other);
        }
        s.vulnerabilities.push(Vulnerability {
            cve: CVE.into(),
            product: "Gateway".into(),
            vendor: "Example Vendor".into(),
            disclosure: Some(Disclosure::coordinated(
                if coordinator { CSIRT } else { "coordinator" },
                at("T+2h"),
                duration("2d"),
            )),
        });
        s.entities[0].exposed = vec!["gateway".into()];
        s.entities[0].vulnerable = vec![("gateway".into(), CVE.into())];
        for (id, when) in [("scan-early", "T+1h"), ("scan-late", "T+3h")] {
            let scan = InjectEffect::RequestScan {
                csirt: CSIRT.into(),
                entity: ENTITY.into(),
            };
            s.injects.push(inject(id, when, vec![scan]));
        }
        s
    }

    fn misses(sim: &crate::sim::Simulation) -> Vec<(i64, ScanMiss)> {
        of_kind(sim, "scan_found_nothing")
            .iter()
            .filter_map(|e| match e.event {
                Event::ScanFoundNothing { reason, .. } => Some((e.t, reason)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_coordinator_scans_for_what_was_reported_to_it_during_the_embargo() {
        let sim = testkit::play(&embargoed(true));
        // Before the report it cannot know; after it, it finds the gateway.
        assert_eq!(misses(&sim), [(61, ScanMiss::UnderEmbargo)]);
        assert_eq!(testkit::minutes_of(&sim, "scan_finding"), [181]);
    }

    #[test]
    fn another_csirt_finds_nothing_under_embargo_and_says_why() {
        let sim = testkit::play(&embargoed(false));
        assert_eq!(
            misses(&sim),
            [(61, ScanMiss::UnderEmbargo), (181, ScanMiss::UnderEmbargo)]
        );
        assert!(of_kind(&sim, "scan_finding").is_empty());
    }

    #[test]
    fn a_scan_asked_of_a_csirt_that_does_not_scan_says_so() {
        let mut s = embargoed(true);
        s.csirts[0].services.retain(|x| *x != Service::Scanning);
        // Validation refuses that inject in a file; a scenario built in code may carry it.
        let Ok(mut sim) = crate::sim::Simulation::new(&s, 0) else {
            panic!("the scenario builds");
        };
        sim.run_to_end();
        assert_eq!(
            misses(&sim),
            [(61, ScanMiss::NotOffered), (181, ScanMiss::NotOffered)]
        );
    }

    #[test]
    fn a_volunteer_csirt_scans_every_organisation_not_a_constituency() {
        let mut s = testkit::scenario();
        let mut volunteers = s.csirts[0].clone();
        volunteers.id = "volunteers".into();
        volunteers.name = "Volunteer CSIRT".into();
        volunteers.kind = crate::scenario::CsirtKind::Volunteer;
        volunteers.services = vec![Service::Scanning];
        volunteers.scan_every = Some(duration("6h"));
        s.csirts.push(volunteers);
        // A public vulnerability at the bank, which is in the national CSIRT's
        // constituency, not the volunteers'.
        s.vulnerabilities.push(Vulnerability {
            cve: CVE.into(),
            product: "Gateway".into(),
            vendor: "Example Vendor".into(),
            disclosure: None,
        });
        s.entities[0].exposed = vec!["gateway".into()];
        s.entities[0].vulnerable = vec![("gateway".into(), CVE.into())];
        let sim = testkit::play(&s);
        let findings: Vec<(i64, &str, &str)> = of_kind(&sim, "scan_finding")
            .iter()
            .filter_map(|e| match &e.event {
                Event::ScanFinding { csirt, entity, .. } => Some((e.t, &*csirt.id, &*entity.id)),
                _ => None,
            })
            .collect();
        // Told once, at the first scan.
        assert_eq!(findings, [(360, "volunteers", ENTITY)]);
    }
}
