//! The export leak rule (issue 19): a role's MISP and STIX exports hold nothing its actor
//! did not know, and never under a looser marking than it held.
//!
//! DuckSends over 50 seeds (the other shipped scenarios over 5, a generated one over 3),
//! each role exported at three moments. What the actor knew is decided from the journal by this file alone: the
//! `indicator_learned` lines naming the actor, up to the moment, with their marking. The
//! adversary's, campaigns' and stages' names carry a unique marker each, which no role
//! export may hold (a role's view holds none of them).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::collections::BTreeMap;

use serde_json::Value;
use tabletop::export::{Format, Scope, SessionKey, export, marking, tlp_tag};
use tabletop::scenario::{Minute, Scenario, Tlp};
use tabletop::sim::{Event, Simulation};

const MARKER: &str = "ZQLEAK";

/// A shipped scenario with a marker in every name a trainee never sees.
fn marked(relative: &str) -> Scenario {
    let mut scenario = common::load_scenario(relative);
    for adversary in &mut scenario.adversaries {
        adversary.name = format!("{MARKER} {}", adversary.name);
        for campaign in &mut adversary.campaigns {
            campaign.name = format!("{MARKER} {}", campaign.name);
            for stage in &mut campaign.stages {
                stage.name = format!("{MARKER} {}", stage.name);
            }
        }
    }
    scenario
}

/// What `actor` learned by now, from the journal alone: indicator id → marking.
fn learned(sim: &Simulation, actor: &str) -> BTreeMap<String, Tlp> {
    let mut out = BTreeMap::new();
    for entry in sim.journal() {
        if let Event::IndicatorLearned {
            actor: who,
            indicator,
            tlp,
            ..
        } = &entry.event
            && *who.id == *actor
        {
            out.entry(indicator.id.to_string()).or_insert(*tlp);
        }
    }
    out
}

/// Fails on any indicator value in `text` that `known` does not hold, once every known
/// value is taken out (a known URL may contain an unknown domain), and on any marker.
fn assert_no_leak(
    text: &str,
    values: &BTreeMap<String, String>,
    known: &BTreeMap<String, Tlp>,
    what: &str,
) {
    assert!(!text.contains(MARKER), "{what}: a name the role never sees");
    let mut rest = text.to_owned();
    let mut known_values: Vec<&String> = known.keys().filter_map(|id| values.get(id)).collect();
    known_values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for value in known_values {
        rest = rest.replace(value.as_str(), "");
    }
    for (id, value) in values {
        assert!(
            !rest.contains(value.as_str()),
            "{what}: holds {id} ({value}), which the actor did not know"
        );
    }
}

/// Each MISP attribute's TLP tag is the marking the actor learned it under.
fn assert_misp_markings(
    text: &str,
    by_value: &BTreeMap<String, String>,
    known: &BTreeMap<String, Tlp>,
    what: &str,
) {
    let event: Value = serde_json::from_str(text).unwrap();
    for attribute in event["Event"]["Attribute"].as_array().unwrap() {
        let value = attribute["value"].as_str().unwrap();
        let id = &by_value[value];
        let tlp = known[id];
        let tags: Vec<&str> = attribute["Tag"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert!(
            tags.contains(&tlp_tag(tlp)),
            "{what}: {id} held under {tlp}, exported with {tags:?}"
        );
    }
}

/// Each STIX indicator's marking is the one the actor learned it under.
fn assert_stix_markings(
    text: &str,
    values: &BTreeMap<String, String>,
    known: &BTreeMap<String, Tlp>,
    what: &str,
) {
    let bundle: Value = serde_json::from_str(text).unwrap();
    for object in bundle["objects"].as_array().unwrap() {
        if object["type"] != "indicator" {
            continue;
        }
        let pattern = object["pattern"].as_str().unwrap();
        let (id, _) = values
            .iter()
            .find(|(id, v)| known.contains_key(*id) && pattern.contains(&format!("'{v}'")))
            .unwrap_or_else(|| panic!("{what}: {pattern} is no indicator the actor knew"));
        assert_eq!(
            object["object_marking_refs"][0],
            marking(known[id]).0,
            "{what}: {id} held under {}",
            known[id]
        );
    }
}

fn check_scenario(relative: &str, seeds: u64) {
    check(relative, marked(relative), seeds);
}

fn check(relative: &str, scenario: Scenario, seeds: u64) {
    let values: BTreeMap<String, String> = scenario
        .adversaries
        .iter()
        .flat_map(|a| &a.campaigns)
        .flat_map(|c| &c.indicators)
        .map(|i| (i.id.clone(), i.value.clone()))
        .collect();
    let by_value: BTreeMap<String, String> = values
        .iter()
        .map(|(id, v)| (v.clone(), id.clone()))
        .collect();
    let mut exported_something = false;
    for seed in 0..seeds {
        let mut sim = Simulation::new(&scenario, seed).unwrap();
        let key = SessionKey::new("leak-test", seed, &[]);
        let end = sim.end();
        let moments: [Minute; 3] = [end / 5, end / 2, end];
        for at in moments {
            sim.advance_to(at + 1);
            for role in &scenario.roles {
                let known = learned(&sim, &role.actor);
                for format in [Format::Misp, Format::Stix] {
                    let what = format!("{relative} seed {seed} at minute {at}, role {}", role.id);
                    let text = export(&scenario, &sim, &key, format, Scope::Role(&role.id))
                        .unwrap()
                        .text;
                    assert_no_leak(&text, &values, &known, &what);
                    if format == Format::Misp {
                        assert_misp_markings(&text, &by_value, &known, &what);
                    } else {
                        assert_stix_markings(&text, &values, &known, &what);
                    }
                    exported_something |= !known.is_empty();
                }
            }
        }
    }
    assert!(
        exported_something,
        "{relative}: no role ever knew anything: the test tests nothing"
    );
}

#[test]
fn a_role_export_holds_only_what_its_actor_knew_ducksends_50_seeds() {
    check_scenario("scenarios/ducksends.ron", 50);
}

/// A generated exercise: indicators of every kind, a national CSIRT duty officer per
/// member state among its roles.
#[test]
fn a_role_export_holds_only_what_its_actor_knew_generated() {
    let scenario = tabletop::generate::generate(&tabletop::generate::GenerateOptions {
        entities: 120,
        days: 6,
        seed: 7,
        idle: 0,
    });
    check("a generated scenario", scenario, 3);
}

#[test]
fn a_role_export_holds_only_what_its_actor_knew_other_scenarios() {
    for relative in [
        "scenarios/crisis.ron",
        "scenarios/cvd.ron",
        "scenarios/cross-border.ron",
    ] {
        check_scenario(relative, 5);
    }
}
