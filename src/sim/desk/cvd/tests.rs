//! Coordinated disclosure as exercises play it: embargoes running at T+0, vendor patch
//! days, proofs of concept, partial fixes, advisories with indicators, chained exploits.

use crate::scenario::{Disclosure, Minute, PartialFix, Scenario, Service, Vulnerability};
use crate::sim::Simulation;
use crate::sim::journal::{DetectionSource, Event};
use crate::sim::testkit::{self, CSIRT, ENTITY, INDICATOR, at, duration, minutes_of, of_kind};

#[test]
fn the_advisory_is_published_when_the_embargo_ends() {
    let mut s = testkit::scenario();
    s.csirts[0].services.push(Service::Cvd);
    s.vulnerabilities.push(Vulnerability {
        cve: "CVE-2026-0001".into(),
        product: "Gateway".into(),
        vendor: "Example Vendor".into(),
        disclosure: Some(Disclosure::coordinated(CSIRT, at("T+1h"), duration("1d"))),
    });
    let sim = testkit::play(&s);
    let contacted = minutes_of(&sim, "vendor_contacted");
    assert_eq!(contacted.len(), 1);
    assert_eq!(
        minutes_of(&sim, "advisory_published"),
        [contacted[0] + 1440]
    );
}

const CVE: &str = "CVE-2026-0001";

/// The testkit's exercise with a gateway vulnerability at the bank, reported to the
/// national CSIRT (which coordinates disclosures) at `reported` with `embargo` for the
/// vendor.
fn disclosed(reported: &str, embargo: &str) -> Scenario {
    let mut s = testkit::scenario();
    s.csirts[0].services.push(Service::Cvd);
    s.vulnerabilities.push(Vulnerability {
        cve: CVE.into(),
        product: "Gateway".into(),
        vendor: "Example Vendor".into(),
        disclosure: Some(Disclosure::coordinated(
            CSIRT,
            at(reported),
            duration(embargo),
        )),
    });
    s.entities[0].exposed = vec!["gateway".into()];
    s.entities[0].vulnerable = vec![("gateway".into(), CVE.into())];
    s
}

fn disclosure(s: &mut Scenario) -> &mut Disclosure {
    s.vulnerabilities[0]
        .disclosure
        .as_mut()
        .expect("the scenario has a disclosure")
}

/// A second organisation like the bank, running the product as `service`.
fn plant(s: &mut Scenario, service: &str) {
    let mut o = testkit::organisation(s, "plant");
    o.exposed = vec![service.into()];
    o.vulnerable = vec![(service.into(), CVE.into())];
    s.entities.push(o);
}

fn seeded(s: &Scenario, seed: u64) -> Simulation {
    let mut sim = Simulation::new(&testkit::checked(s), seed).expect("the scenario plays");
    sim.run_to_end();
    sim
}

/// Minutes at which `entity` patched.
fn patched(sim: &Simulation, entity: &str) -> Vec<Minute> {
    sim.journal()
        .iter()
        .filter(|e| matches!(&e.event, Event::Patched { entity: who, .. } if &*who.id == entity))
        .map(|e| e.t)
        .collect()
}

#[test]
fn an_exercise_can_open_with_the_embargo_running() {
    // Reported ten days before T+0 with a twelve-day embargo: the advisory is due at T+2d.
    let s = disclosed("T-10d", "12d");
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        assert_eq!(minutes_of(&sim, "under_embargo"), [0], "seed {seed}");
        assert!(minutes_of(&sim, "vulnerability_reported").is_empty());
        assert!(minutes_of(&sim, "vendor_contacted").is_empty());
        assert_eq!(minutes_of(&sim, "advisory_published"), [2 * 1440]);
        assert!(
            patched(&sim, "bank").iter().all(|&t| t >= 2 * 1440),
            "seed {seed}: patched before the advisory"
        );
    }
}

#[test]
fn an_embargo_that_ended_before_the_exercise_publishes_at_once() {
    let sim = testkit::play(&disclosed("T-10d", "5d"));
    assert_eq!(minutes_of(&sim, "advisory_published"), [0]);
}

#[test]
fn a_vendor_patch_day_fixes_the_advisory_moment() {
    let mut s = disclosed("T+1h", "1d");
    disclosure(&mut s).advisory = Some(at("T+2d"));
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        assert_eq!(minutes_of(&sim, "advisory_published"), [2 * 1440]);
        assert!(
            patched(&sim, "bank").iter().all(|&t| t >= 2 * 1440),
            "seed {seed}"
        );
    }
    let sim = testkit::play(&s);
    let contacted = of_kind(&sim, "vendor_contacted");
    assert!(
        matches!(contacted[..], [e] if matches!(e.event, Event::VendorContacted { advisory_due: 2880, .. })),
        "the vendor contact says when the advisory is due"
    );
}

#[test]
fn a_public_proof_of_concept_breaks_the_embargo_once() {
    let mut s = disclosed("T+1h", "2d");
    disclosure(&mut s).proof_of_concept = Some(at("T+5h"));
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        assert_eq!(minutes_of(&sim, "advisory_published"), [300], "seed {seed}");
    }
    let sim = testkit::play(&s);
    let poc = of_kind(&sim, "proof_of_concept_published");
    assert!(
        matches!(poc[..], [e] if e.t == 300 && matches!(e.event, Event::ProofOfConceptPublished { fixed: false, .. })),
        "{poc:?}"
    );
    // Published at once, and not again when the embargo would have ended.
    assert_eq!(minutes_of(&sim, "advisory_published"), [300]);

    let mut s = disclosed("T+1h", "1d");
    disclosure(&mut s).proof_of_concept = Some(at("T+2d"));
    let sim = testkit::play(&s);
    assert!(matches!(
        of_kind(&sim, "proof_of_concept_published")[..],
        [e] if matches!(e.event, Event::ProofOfConceptPublished { fixed: true, .. })
    ));
    assert_eq!(minutes_of(&sim, "advisory_published").len(), 1);
}

#[test]
fn a_partial_fix_leaves_the_deployments_it_does_not_cover_open() {
    let mut s = disclosed("T+1h", "6h");
    plant(&mut s, "on-premises gateway");
    disclosure(&mut s).partial_fix = Some(PartialFix {
        covers: vec!["gateway".into()],
        rest: None,
    });
    let mut covered = 0;
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        let advisory = minutes_of(&sim, "advisory_published");
        assert_eq!(advisory.len(), 1, "seed {seed}");
        covered += patched(&sim, "bank").len();
        assert!(
            patched(&sim, "plant").is_empty(),
            "seed {seed}: the plant had no fix"
        );
        assert!(
            of_kind(&sim, "fix_not_available").iter().any(|e| e.t >= advisory[0]
                && matches!(&e.event, Event::FixNotAvailable { entity, fix_due: None, .. } if &*entity.id == "plant")),
            "seed {seed}: the plant is told it has no fix"
        );
    }
    assert!(
        covered > 50,
        "the covered bank patched in only {covered} of 200 seeds"
    );
    // The rest of the fix comes at T+1d: the plant patches after it, never before.
    disclosure(&mut s)
        .partial_fix
        .as_mut()
        .expect("a partial fix")
        .rest = Some(at("T+1d"));
    let mut rest = 0;
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        let plant = patched(&sim, "plant");
        assert!(plant.iter().all(|&t| t >= 1440), "seed {seed}: {plant:?}");
        rest += plant.len();
    }
    assert!(rest > 20, "the plant patched in only {rest} of 200 seeds");
}

#[test]
fn an_advisory_with_indicators_makes_its_recipients_hunt_for_them() {
    let mut s = disclosed("T+1h", "6h");
    disclosure(&mut s).indicators = vec![INDICATOR.into()];
    // The phishing stage leaves the indicator at the bank early on.
    s.entities[0].monitoring = crate::scenario::Maturity::Low;
    let mut found = 0;
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        let advisory = minutes_of(&sim, "advisory_published");
        // The advisory travels by the channels: learned when it arrives.
        let learned = sim.journal().iter().any(|e| {
            e.t >= advisory[0]
                && matches!(&e.event, Event::IndicatorLearned { actor, indicator, from: Some(from), .. }
                    if &*actor.id == ENTITY && &*indicator.id == INDICATOR && &*from.id == CSIRT)
        });
        // Learned from the advisory unless the bank already had it.
        let known_before = sim.journal().iter().any(|e| {
            e.t < advisory[0]
                && matches!(&e.event, Event::IndicatorLearned { actor, .. } if &*actor.id == ENTITY)
        });
        assert!(learned || known_before, "seed {seed}");
        found += usize::from(sim.journal().iter().any(|e| {
            matches!(
                e.event,
                Event::Detected {
                    source: DetectionSource::Hunt,
                    ..
                }
            )
        }));
    }
    assert!(found > 0, "no hunt over 200 seeds found the intrusion");
}

#[test]
fn a_chain_fails_at_its_first_closed_link() {
    const SECOND: &str = "CVE-2026-0002";
    let mut s = disclosed("T+2d", "1d");
    s.vulnerabilities.push(Vulnerability {
        cve: SECOND.into(),
        product: "Gateway".into(),
        vendor: "Example Vendor".into(),
        disclosure: None,
    });
    let stage = &mut s.adversaries[0].campaigns[0].stages[0];
    stage.exploits = Some(CVE.into());
    stage.also_exploits = vec![SECOND.into()];
    // Only the first link is open at the bank: the chain fails on the second, whatever the
    // dice.
    for seed in 0..200 {
        let sim = seeded(&s, seed);
        assert!(
            minutes_of(&sim, "stage_completed").is_empty(),
            "seed {seed}"
        );
    }
    let sim = testkit::play(&s);
    assert!(
        matches!(&of_kind(&sim, "exploit_failed")[..], [e] if matches!(&e.event, Event::ExploitFailed { cve, reason: "not vulnerable", .. } if &**cve == SECOND)),
        "{:?}",
        of_kind(&sim, "exploit_failed")
    );
    // Both open: the stage completes.
    s.entities[0]
        .vulnerable
        .push(("gateway".into(), SECOND.into()));
    let sim = testkit::play(&s);
    assert!(of_kind(&sim, "exploit_failed").is_empty());
    assert_eq!(minutes_of(&sim, "stage_completed").len(), 1);
}
