//! Issue 20: the situation map of a national or EU exercise. Above 20,000 organisations
//! the map tallies each sector cell's organisations by state instead of drawing them one
//! by one; the counts add up to the scenario, a few affected organisations among
//! thousands still show, and clicking a bar's worst state inspects one of them.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::console::{click_at, console_mut, exercise, started};
use egui_kittest::kittest::Queryable;
use tabletop::generate::{GenerateOptions, generate};
use tabletop::gui::Console;
use tabletop::host::{Intent, Speed};
use tabletop::sim::view::EntityState;
use tabletop::words::thousands;

#[test]
fn a_crowded_map_tallies_sectors_and_a_click_inspects_an_affected_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = generate(&GenerateOptions {
        entities: 21_000,
        days: 4,
        seed: 0,
        idle: 0,
    });
    let mut harness = started(
        dir.path(),
        scenario,
        "generated-21000.ron",
        "crowded.session",
        0,
    );
    assert!(
        harness
            .query_by_label("organisations: one bar per sector")
            .is_some(),
        "the legend says the map tallies"
    );
    let layout = &exercise(&harness).actors.layout;
    let tallied: usize = layout.groups.iter().map(|g| g.members.len()).sum();
    assert_eq!(tallied, 21_000, "every organisation is in one cell");

    // Play until organisations are hit.
    let console = console_mut(&mut harness);
    console.intent(Intent::SetSpeed(Speed::Max));
    console.intent(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    console.intent(Intent::TogglePlay);
    let hit = |c: &Console| {
        c.feed
            .states
            .iter()
            .flatten()
            .filter(|s| **s != EntityState::Unaware)
            .count()
    };
    // Until a cell with room for its count has hits.
    for step in 0..5_000 {
        if step % 10 == 0
            && hit(exercise(&harness)) >= 20
            && harness.query_all_by_label_contains(" hit").next().is_some()
        {
            break;
        }
        harness.step();
    }
    console_mut(&mut harness).intent(Intent::TogglePlay);
    harness.run();
    let console = exercise(&harness);
    assert!(hit(console) >= 20, "organisations were hit");

    // Each cell with room for its count says how many it holds and how many are hit.
    let counts: Vec<(String, String)> = console
        .actors
        .layout
        .groups
        .iter()
        .filter(|g| !g.is_country)
        .map(|g| {
            let hit = g
                .members
                .iter()
                .filter(|ix| console.feed.states[**ix].is_some_and(|s| s != EntityState::Unaware))
                .count();
            let total = thousands(g.members.len());
            let text = if hit == 0 {
                total.clone()
            } else {
                format!("{total} · {} hit", thousands(hit))
            };
            (text, total)
        })
        .collect();
    let shown: Vec<_> = counts
        .iter()
        .filter(|(text, _)| harness.query_all_by_label(text).next().is_some())
        .collect();
    assert!(shown.len() >= 5, "cells show their counts: {counts:?}");

    // The left end of a bar with hits is its worst state: clicking it inspects the
    // cell's first organisation in that state.
    let rect = harness
        .query_all_by_label_contains(" hit")
        .next()
        .unwrap()
        .rect();
    let text = counts
        .iter()
        .map(|(text, _)| text)
        .find(|text| {
            harness
                .query_all_by_label(text)
                .any(|node| node.rect() == rect)
        })
        .unwrap()
        .clone();
    click_at(
        &mut harness,
        egui::pos2(rect.left() + 1.0, rect.top() - 5.0),
    );
    let console = exercise(&harness);
    let selected = console
        .views
        .selected
        .as_ref()
        .expect("an organisation is inspected");
    let ix = console.actors.by_id[&*selected.id] as usize;
    let state = console.feed.states[ix].unwrap();
    assert_ne!(state, EntityState::Unaware, "{} is affected", selected.id);
    let cell = &console.actors.layout.groups[console.actors.layout.cell_of[ix].unwrap()];
    let worst = cell
        .members
        .iter()
        .filter_map(|m| console.feed.states[*m].map(|s| (s, *m)))
        .filter(|(s, _)| *s != EntityState::Unaware)
        .max_by_key(|(s, m)| (severity(*s), std::cmp::Reverse(*m)))
        .unwrap();
    assert_eq!(
        (state, ix),
        worst,
        "the cell's first organisation in its worst state"
    );
    assert!(
        text.starts_with(&thousands(cell.members.len())),
        "the clicked bar is the labelled cell's: {text}"
    );
}

/// The map's bar order, worst first.
fn severity(state: EntityState) -> u8 {
    match state {
        EntityState::Impacted => 4,
        EntityState::Compromised => 3,
        EntityState::Detected => 2,
        EntityState::Contained => 1,
        EntityState::Unaware => 0,
    }
}
