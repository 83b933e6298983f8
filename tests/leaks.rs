//! The knowledge-leak test: a trainee's window shows only what their role's actor was
//! given. Each shipped scenario (DuckSends over 12 seeds, the others over 3) is rewritten
//! so that every secret item carries a unique marker string
//! (indicator values, the adversary's and campaign's names, stage names, every inject's
//! title and message, sighting places, questions and decision prompts, briefings,
//! objective titles, the facilitator's expectations and notes). At four moments of each
//! run, every role window and the projector are rendered through egui_kittest and
//! their text is read back from the accessibility tree; the test fails on any marker the
//! actor was not given, as decided from the journal by this file alone.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::marked::{Secret, allowed, given, marked, markers};

use std::collections::BTreeSet;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use tabletop::gui::panels::projector::projector_ui;
use tabletop::gui::panels::role::{SeatForm, role_ui};
use tabletop::scenario::WallClock;
use tabletop::sim::{Command, Simulation};

/// Every label and value in the rendered accessibility tree.
fn rendered<State>(harness: &Harness<'_, State>) -> String {
    let mut text = String::new();
    for node in harness.query_all(by().predicate(|_| true).include_labels()) {
        let node = NodeT::accesskit_node(&node);
        for part in [node.label(), node.value()].into_iter().flatten() {
            text.push_str(&part);
            text.push('\n');
        }
    }
    text
}

fn role_text(sim: &Simulation, role: &str, start: &WallClock) -> String {
    let view = sim.role_view(role);
    assert!(view.is_some(), "role {role} has a view");
    let start = *start;
    let mut harness = Harness::builder()
        .with_size([1000.0, 12000.0])
        .build_ui_state(
            move |ui, seat: &mut SeatForm| {
                role_ui(ui, seat, view.as_ref(), &[], &start);
            },
            SeatForm::new(role),
        );
    harness.run();
    rendered(&harness)
}

fn projector_text(sim: &Simulation, start: &WallClock) -> String {
    let view = sim.projector_view();
    let start = *start;
    let mut harness = Harness::builder()
        .with_size([1400.0, 6000.0])
        .build_ui_state(
            move |ui, view: &mut tabletop::sim::view::ProjectorView| {
                projector_ui(ui, view, &start);
            },
            view,
        );
    harness.run();
    rendered(&harness)
}

/// Plays `seeds` of the marked scenario, renders every role window and the projector at
/// four moments, and fails on any marker shown that was not given. Returns the kinds of
/// secret that were shown (to those given them).
fn check(relative: &str, seeds: std::ops::Range<u64>) -> BTreeSet<&'static str> {
    let common::marked::Marked { scenario, secrets } = marked(relative);
    let start = scenario.start;
    let roles: Vec<(String, String)> = scenario
        .roles
        .iter()
        .map(|r| (r.id.clone(), r.actor.clone()))
        .collect();
    assert!(!roles.is_empty(), "{relative} defines roles");
    let mut shown: BTreeSet<String> = BTreeSet::new();
    let moments = [90, 20 * 60, 2 * 24 * 60, scenario.duration.minutes];
    for seed in seeds {
        let mut sim = Simulation::new(&scenario, seed).unwrap();
        // A facilitator's note is never a trainee's business.
        sim.submit(
            1,
            Command::Observe {
                author: "evaluator".into(),
                text: "ZQ999Z the CISO hesitates".into(),
            },
        )
        .unwrap();
        for &t in &moments {
            sim.advance_to(t);
            for (role, actor) in &roles {
                let text = role_text(&sim, role, &start);
                let g = given(sim.journal(), actor);
                for m in markers(&text) {
                    let secret = secrets.get(&m).unwrap_or(&Secret::Never);
                    assert!(
                        allowed(&m, secret, Some(role), &g),
                        "{relative}, seed {seed}, T+{t}m: the {role} window shows {m} ({secret:?}), which {actor} was never given"
                    );
                    shown.insert(m);
                }
            }
            let text = projector_text(&sim, &start);
            let g = given(sim.journal(), "");
            for m in markers(&text) {
                let secret = secrets.get(&m).unwrap_or(&Secret::Never);
                assert!(
                    allowed(&m, secret, None, &g),
                    "{relative}, seed {seed}, T+{t}m: the projector shows {m} ({secret:?})"
                );
                shown.insert(m);
            }
        }
    }
    shown
        .iter()
        .filter_map(|m| secrets.get(m))
        .map(|s| match s {
            Secret::Indicator(_) => "indicator",
            Secret::Inject(_) => "inject",
            Secret::Decision(_) => "decision",
            Secret::Place => "place",
            Secret::Briefing(_) => "briefing",
            Secret::Objective(_) => "objective",
            Secret::Never => "never",
        })
        .collect()
}

/// Every kind of secret a window can show: a scenario's test fails unless its windows
/// showed each of `kinds` to those given it, so the check is not vacuous.
fn check_shows(relative: &str, seeds: std::ops::Range<u64>, kinds: &[&str]) {
    let shown = check(relative, seeds);
    for kind in kinds {
        assert!(
            shown.contains(kind),
            "{relative}: no {kind} marker was ever shown: {shown:?}"
        );
    }
}

const ALL_KINDS: [&str; 6] = [
    "indicator",
    "inject",
    "decision",
    "place",
    "briefing",
    "objective",
];

// One test per scenario (DuckSends in two halves), so the two cores share the work.
#[test]
fn ducksends_windows_show_only_what_was_given_seeds_0_to_5() {
    check_shows("scenarios/ducksends.ron", 0..6, &ALL_KINDS);
}

#[test]
fn ducksends_windows_show_only_what_was_given_seeds_6_to_11() {
    check_shows("scenarios/ducksends.ron", 6..12, &ALL_KINDS);
}

#[test]
fn crisis_windows_show_only_what_was_given() {
    check_shows("scenarios/crisis.ron", 0..3, &["inject", "briefing"]);
}

#[test]
fn cross_border_windows_show_only_what_was_given() {
    check_shows("scenarios/cross-border.ron", 0..3, &["inject", "briefing"]);
}

#[test]
fn cvd_windows_show_only_what_was_given() {
    check_shows("scenarios/cvd.ron", 0..3, &["inject", "briefing"]);
}

#[test]
fn msp_ransomware_windows_show_only_what_was_given() {
    check_shows(
        "scenarios/msp-ransomware.ron",
        0..3,
        &["inject", "briefing", "indicator", "decision"],
    );
}

#[test]
fn package_windows_show_only_what_was_given() {
    check_shows(
        "scenarios/package.ron",
        0..3,
        &["inject", "briefing", "indicator", "objective"],
    );
}

#[test]
fn file_transfer_windows_show_only_what_was_given() {
    check_shows(
        "scenarios/file-transfer.ron",
        0..3,
        &["inject", "briefing", "indicator"],
    );
}
