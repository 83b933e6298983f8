//! What published exercise packages need of the format (issue 18): optional injects (one
//! never fires by itself, the facilitator fires it, a sweep leaves it out unless
//! `--with-optional`, and a scenario that does not use the field keeps its digest), and
//! answers that act (an emergency patch now, containment now).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use tabletop::scenario::{self, Minute};
use tabletop::sim::{Command, Event, Simulation};

/// DuckSends with the journalist's call (T+20h) marked optional.
fn with_optional_call() -> tabletop::scenario::Scenario {
    let mut scenario = common::ducksends();
    let call = scenario
        .injects
        .iter_mut()
        .find(|i| i.id == "journalist-call")
        .unwrap();
    call.optional = true;
    scenario
}

fn fired(sim: &Simulation, id: &str) -> Vec<Minute> {
    sim.journal()
        .iter()
        .filter(|e| matches!(&e.event, Event::InjectFired { inject, .. } if &*inject.id == id))
        .map(|e| e.t)
        .collect()
}

#[test]
fn an_optional_inject_fires_only_when_the_facilitator_fires_it() {
    let scenario = with_optional_call();
    let left = common::played(&scenario, 1);
    assert!(
        fired(&left, "journalist-call").is_empty(),
        "never by itself"
    );

    let mut sim = Simulation::new(&scenario, 1).unwrap();
    let at: Minute = 5 * 60;
    sim.submit(
        at,
        Command::FireInject {
            inject: "journalist-call".into(),
        },
    )
    .unwrap();
    sim.run_to_end();
    assert_eq!(fired(&sim, "journalist-call"), vec![at], "when fired, then");

    // As a sweep with --with-optional plays it: by its own schedule.
    let played = common::played(&scenario.with_optional_injects(), 1);
    assert_eq!(fired(&played, "journalist-call"), vec![20 * 60]);
    assert_eq!(
        common::journal_bytes(&played),
        common::journal_bytes(&common::played(&common::ducksends(), 1)),
        "with its optional injects played, the scenario is the one without the mark"
    );
}

#[test]
fn a_scenario_without_optional_injects_keeps_its_digest() {
    let plain = common::ducksends();
    let marked = with_optional_call();
    assert_ne!(
        scenario::digest(&plain).unwrap(),
        scenario::digest(&marked).unwrap()
    );
    assert_eq!(
        scenario::digest(&marked.with_optional_injects()).unwrap(),
        scenario::digest(&plain).unwrap()
    );
    // The encoding of an unmarked inject does not mention the field at all.
    assert!(!ron::to_string(&plain).unwrap().contains("optional"));
}

#[test]
fn a_sweep_says_it_leaves_optional_injects_out_and_plays_them_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::repo_path("scenarios/ducksends.ron")).unwrap();
    let marked = text.replacen(
        "id: \"journalist-call\",",
        "id: \"journalist-call\",\n            optional: true,",
        1,
    );
    assert_ne!(marked, text);
    let file = dir.path().join("optional.ron");
    std::fs::write(&file, marked).unwrap();

    let left_out = common::tabletop()
        .args(["sweep", file.to_str().unwrap(), "--seeds", "2", "--json"])
        .output()
        .unwrap();
    assert!(left_out.status.success(), "{left_out:?}");
    let said = String::from_utf8_lossy(&left_out.stderr);
    assert!(said.contains("1 optional inject is left out"), "{said}");

    let shard = dir.path().join("with.shard");
    let with = common::tabletop()
        .args([
            "sweep",
            file.to_str().unwrap(),
            "--seeds",
            "2",
            "--with-optional",
        ])
        .args(["--shard", "1/1", "--output", shard.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(with.status.success(), "{with:?}");
    assert!(!String::from_utf8_lossy(&with.stderr).contains("left out"));
    let header = std::fs::read_to_string(&shard).unwrap();
    assert!(
        header.contains("with_optional"),
        "the shard says how it was played"
    );
    // Rechecked against the scenario file, the shard's seeds replay as they were swept.
    let merged = common::tabletop()
        .args(["merge-sweeps", shard.to_str().unwrap(), "--recheck", "1"])
        .args(["--scenario", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(merged.status.success(), "{merged:?}");
}

/// An answer that acts (issue 18, item 5): an inject's `PatchNow` effect patches the
/// organisation at once, and the campaign that exploits the CVE fails there.
#[test]
fn an_emergency_patch_now_makes_the_exploit_fail_there() {
    use tabletop::scenario::{At, InjectEffect, When};
    let base = common::load_scenario("scenarios/cvd.ron");
    let reached = |sim: &Simulation| -> Vec<String> {
        sim.journal()
            .iter()
            .filter_map(|e| match &e.event {
                Event::StageCompleted { stage, entity, .. } if &*stage.id == "vpn-exploit" => {
                    Some(entity.id.to_string())
                }
                _ => None,
            })
            .collect()
    };
    let before = common::played(&base, 1);
    let victims = reached(&before);
    let victim = victims
        .first()
        .expect("the VPN exploit lands somewhere")
        .clone();

    let mut scenario = base.clone();
    let mut patch = scenario.injects[0].clone();
    patch.id = "patch-tonight".into();
    patch.title = "The utility patches its VPN tonight".into();
    patch.when = When::At(At::Offset(60));
    patch.to = vec![victim.clone()];
    patch.question = None;
    patch.only_if = Vec::new();
    patch.optional = false;
    patch.effects = vec![InjectEffect::PatchNow {
        entity: victim.clone(),
        cve: "CVE-2025-48811".into(),
    }];
    scenario.injects.push(patch);
    let after = common::played(&scenario, 1);
    let journal = String::from_utf8(common::journal_bytes(&after)).unwrap();
    assert!(
        journal.contains("\"kind\":\"patched\""),
        "the patch is journaled"
    );
    assert!(
        !reached(&after).contains(&victim),
        "the exploit no longer lands at {victim}"
    );
    assert!(journal.contains("\"kind\":\"exploit_failed\""));
}

/// An answer that acts: "contain now". An organisation that knows of the intrusion
/// contains it at once instead of when its own containment would; one that does not know
/// of it cannot.
#[test]
fn contain_now_contains_what_the_organisation_knows_of_at_once() {
    use tabletop::scenario::{At, InjectEffect, When};
    let contained_at = |sim: &Simulation| {
        sim.journal().iter().find_map(|e| match &e.event {
            Event::Contained { entity, .. } if &*entity.id == "ducksends" => Some(e.t),
            _ => None,
        })
    };
    let detected_at = |sim: &Simulation| {
        sim.journal().iter().find_map(|e| match &e.event {
            Event::Detected { entity, .. } if &*entity.id == "ducksends" => Some(e.t),
            _ => None,
        })
    };
    let base = common::ducksends();
    let plain = common::played(&base, 1);
    let detected = detected_at(&plain).expect("DuckSends detects the campaign");
    let own = contained_at(&plain).expect("and contains it in its own time");
    assert!(own > detected + 1, "its own containment takes a while");

    let order = |at: Minute| {
        let mut scenario = base.clone();
        let mut inject = scenario.injects[0].clone();
        inject.id = "isolate-now".into();
        inject.when = When::At(At::Offset(at));
        inject.question = None;
        inject.only_if = Vec::new();
        inject.effects = vec![InjectEffect::ContainNow {
            entity: "ducksends".into(),
            campaign: "molting".into(),
        }];
        scenario.injects.push(inject);
        common::played(&scenario, 1)
    };
    // At once: the effect takes hold within the minute the inject fires.
    let at = detected + 1;
    let now = contained_at(&order(at)).expect("contained");
    assert!(
        now >= at && now <= at + 1 && now < own,
        "{now} for an order at {at}"
    );
    // Before it knows, there is nothing to contain: its own containment comes as before,
    // and the journal says why the order changed nothing.
    let early = order(0);
    assert_eq!(contained_at(&early), Some(own));
    assert!(
        early
            .journal()
            .iter()
            .any(|e| e.kind() == "nothing_to_contain"),
        "the journal says there was nothing to contain"
    );
}
