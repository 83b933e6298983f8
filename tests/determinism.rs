//! Determinism is the product: same scenario + seed + commands → same journal bytes and
//! checksums; different seeds → different stories; keyed draws isolate actors.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::{ducksends, journal_bytes, played};
use tabletop::sim::{Command, Simulation};

#[test]
fn same_seed_gives_identical_journal_bytes_and_checksums() {
    let scenario = ducksends();
    for seed in [0, 7, 123_456_789] {
        let a = played(&scenario, seed);
        let b = played(&scenario, seed);
        assert_eq!(journal_bytes(&a), journal_bytes(&b), "seed {seed}");
        assert_eq!(a.checksums(), b.checksums(), "seed {seed}");
        assert!(
            a.checksums().len() >= 5 * 24,
            "one checksum per simulated hour"
        );
    }
}

#[test]
fn stepping_event_by_event_equals_running_to_the_end() {
    let scenario = ducksends();
    let whole = played(&scenario, 5);
    let mut stepped = Simulation::new(&scenario, 5).unwrap();
    while stepped.step() {}
    assert_eq!(journal_bytes(&whole), journal_bytes(&stepped));
    assert_eq!(whole.checksums(), stepped.checksums());
    let mut chunked = Simulation::new(&scenario, 5).unwrap();
    for hour in 1..=200 {
        chunked.advance_to(hour * 37);
    }
    chunked.run_to_end();
    assert_eq!(journal_bytes(&whole), journal_bytes(&chunked));
    assert_eq!(whole.checksums(), chunked.checksums());
}

#[test]
fn different_seeds_tell_different_stories() {
    let scenario = ducksends();
    let journals: std::collections::BTreeSet<Vec<u8>> = (0..20)
        .map(|seed| journal_bytes(&played(&scenario, seed)))
        .collect();
    assert!(
        journals.len() >= 18,
        "only {} distinct journals over 20 seeds",
        journals.len()
    );
}

#[test]
fn commands_are_part_of_the_inputs() {
    let scenario = ducksends();
    let run = |commands: &[(i64, Command)]| {
        let mut sim = Simulation::new(&scenario, 3).unwrap();
        for (at, command) in commands {
            sim.submit(*at, command.clone()).unwrap();
        }
        sim.run_to_end();
        (journal_bytes(&sim), sim.checksums().to_vec())
    };
    let skip = [(
        30,
        Command::SkipInject {
            inject: "helpdesk-tip".into(),
        },
    )];
    let note = [(
        90,
        Command::Observe {
            author: "facilitator".into(),
            text: "room is quiet".into(),
        },
    )];
    assert_eq!(run(&skip), run(&skip));
    assert_ne!(run(&skip).0, run(&[]).0);
    let (with_note, sums) = run(&note);
    assert!(
        String::from_utf8(with_note)
            .unwrap()
            .contains("room is quiet")
    );
    assert_ne!(sums, run(&[]).1, "the checksum covers what commands change");
}

/// The journal without the lines of some actors and without sequence numbers.
fn lines_without(bytes: &[u8], actors: &[&str]) -> Vec<String> {
    let needles: Vec<String> = actors.iter().map(|a| format!("\"{a}\"")).collect();
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .filter(|l| !needles.iter().any(|n| l.contains(n)))
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            // Sequence numbers (and evidence, which cites them) shift with the extra lines.
            v.as_object_mut().unwrap().remove("seq");
            v.as_object_mut().unwrap().remove("evidence");
            v.to_string()
        })
        .collect()
}

#[test]
fn adding_an_unrelated_actor_leaves_every_other_draw_unchanged() {
    let scenario = ducksends();
    let mut extended = scenario.clone();
    // A Luxembourg water company and its CSIRT, placed first in their lists so every
    // index after them shifts. No campaign targets them; only a crisis "inform the
    // network" reaches them, and what they do then is their own lines.
    extended.csirts.insert(
        0,
        ron::from_str(r#"(id: "lu-csirt", name: "LU CSIRT", kind: National, country: "LU", analysts: 2, hours: Always)"#)
            .expect("a CSIRT in RON"),
    );
    extended.entities.insert(
        0,
        ron::from_str(
            r#"(id: "hagel-water", name: "Hagel Water", sector: Water, country: "LU", class: Essential,
                csirt: "lu-csirt", monitoring: Medium)"#,
        )
        .expect("an organisation in RON"),
    );
    let mut compared = 0;
    for seed in 0..30 {
        let newcomers = ["hagel-water", "lu-csirt"];
        let base = lines_without(&journal_bytes(&played(&scenario, seed)), &newcomers);
        let with = lines_without(&journal_bytes(&played(&extended, seed)), &newcomers);
        if let Some(i) = (0..base.len().min(with.len())).find(|i| base[*i] != with[*i]) {
            panic!(
                "seed {seed}: another actor's story changed at line {i}:\n  {}\n  {}",
                base[i], with[i]
            );
        }
        assert_eq!(base.len(), with.len(), "seed {seed}");
        compared += base.len();
    }
    assert!(compared > 1000);
}

#[test]
fn the_schedule_has_no_ambiguous_system_order() {
    assert!(Simulation::new_strict(&ducksends(), 0).is_ok());
}

#[test]
fn journal_time_never_decreases_and_every_line_has_t_and_kind() {
    let sim = played(&ducksends(), 11);
    let text = String::from_utf8(journal_bytes(&sim)).unwrap();
    let mut last = i64::MIN;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = v["t"].as_i64().expect("integer t");
        assert!(v["kind"].is_string());
        assert!(t >= last, "t went back from {last} to {t}");
        last = t;
    }
}
