//! What the model shows over many seeds: the storyboard's spread of outcomes, and that
//! sharing indicators earlier protects the organisations the adversary reaches next.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::{ducksends, played};
use tabletop::scenario::{Duration, DurationRange, Hours, Scenario};
use tabletop::sim::journal::DetectionSource;
use tabletop::sim::{Event, Verdict};

fn hit_rate(scenario: &Scenario, seeds: std::ops::Range<u64>, objective: &str) -> f64 {
    let n = seeds.end - seeds.start;
    let met = seeds
        .filter(|seed| {
            let outcome = played(scenario, *seed).outcome();
            let o = outcome
                .objectives
                .iter()
                .find(|o| &*o.id == objective)
                .expect("objective exists");
            matches!(o.verdict, Verdict::Met { .. })
        })
        .count();
    met as f64 / n as f64
}

#[test]
fn ducksends_objectives_1_3_and_4_are_neither_certain_nor_hopeless() {
    let scenario = ducksends();
    let mut met = [0u32; 3];
    let ids = ["obj-1", "obj-3", "obj-4"];
    for seed in 0..1000 {
        let outcome = played(&scenario, seed).outcome();
        for (i, id) in ids.iter().enumerate() {
            let o = outcome
                .objectives
                .iter()
                .find(|o| &*o.id == *id)
                .expect("objective exists");
            if matches!(o.verdict, Verdict::Met { .. }) {
                met[i] += 1;
            }
        }
    }
    for (id, met) in ids.iter().zip(met) {
        let rate = f64::from(met) / 1000.0;
        assert!(
            (0.10..=0.90).contains(&rate),
            "{id} met in {:.1}% of seeds 0-999",
            rate * 100.0
        );
    }
}

/// Of the organisations the campaign reached after DuckSends, the share that stopped it
/// (blocked a stage or detected the intrusion) before any impact.
fn protection(scenario: &Scenario, seeds: std::ops::Range<u64>) -> f64 {
    let (mut reached, mut stopped) = (0u32, 0u32);
    for seed in seeds {
        let sim = played(scenario, seed);
        let mut victims = std::collections::BTreeMap::<String, bool>::new();
        for entry in sim.journal() {
            match &entry.event {
                Event::Spread { to, .. } => {
                    victims.entry(to.id.to_string()).or_insert(false);
                }
                // Being encrypted is how a victim learns of it too late: not protection.
                Event::Detected {
                    source: DetectionSource::Impact,
                    ..
                } => {}
                Event::StageBlocked { entity, .. } | Event::Detected { entity, .. } => {
                    if let Some(stopped) = victims.get_mut(&*entity.id) {
                        *stopped = true;
                    }
                }
                _ => {}
            }
        }
        reached += u32::try_from(victims.len()).expect("few victims");
        stopped += u32::try_from(victims.values().filter(|s| **s).count()).expect("few victims");
    }
    f64::from(stopped) / f64::from(reached.max(1))
}

/// DuckSends with fin-csirt staffed around the clock and analysis taking `analysis`.
fn staffed_always(analysis: DurationRange) -> Scenario {
    let mut scenario = ducksends();
    let fin = scenario
        .csirts
        .iter_mut()
        .find(|c| c.id == "fin-csirt")
        .expect("fin-csirt");
    fin.hours = Hours::Always;
    fin.analysis = analysis;
    // Its intake procedure's analysis step takes the same time.
    for sop in scenario.sops.iter_mut().filter(|s| s.owner == "fin-csirt") {
        for step in sop
            .steps
            .iter_mut()
            .filter(|st| st.action == tabletop::scenario::Action::Analyse)
        {
            step.duration = analysis;
        }
    }
    scenario
}

#[test]
fn earlier_sharing_raises_detection_at_the_next_victims() {
    // The same CSIRT, working around the clock; only the time before it shares differs.
    let fast = staffed_always(DurationRange::new(Duration::hours(1), Duration::hours(2)));
    let slow = staffed_always(DurationRange::new(Duration::days(2), Duration::days(3)));
    let (p_fast, p_slow) = (protection(&fast, 0..300), protection(&slow, 0..300));
    eprintln!("protection: fast {p_fast:.3} slow {p_slow:.3}");
    assert!(
        p_fast >= p_slow + 0.10,
        "sharing within hours should protect clearly more often: fast {p_fast:.2} vs slow {p_slow:.2}"
    );
}

#[test]
fn office_hours_delay_the_sector_warning() {
    let office = ducksends();
    let analysis = office
        .csirts
        .iter()
        .find(|c| c.id == "fin-csirt")
        .expect("fin-csirt")
        .analysis;
    let always = staffed_always(analysis);
    let (office_rate, always_rate) = (
        hit_rate(&office, 0..300, "obj-3"),
        hit_rate(&always, 0..300, "obj-3"),
    );
    eprintln!("obj-3: office {office_rate:.3} always {always_rate:.3}");
    assert!(
        always_rate >= office_rate + 0.20,
        "obj-3: staffed around the clock {always_rate:.2} vs office hours {office_rate:.2}"
    );
}
