//! The knowledge-leak test over HTTP: every shipped scenario, with a unique marker in
//! every secret, is served by the real `tabletop serve`; every role's seat reads its view
//! and every event pushed to it from T+0 to the end, and the test fails on any marker
//! that the journal, up to the position the event names, says the role's actor was not
//! given. (The console's windows have the same test: `tests/leaks.rs`.)

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::marked::{Secret, allowed, given, marked, markers};
use common::served::{Events, Served, get, login};
use tabletop::sim::Simulation;

const SEED: u64 = 2;

fn check(relative: &str) -> usize {
    let marked = marked(relative);
    let dir = tempfile::tempdir().unwrap();
    let text = ron::ser::to_string(&marked.scenario).unwrap();
    std::fs::write(dir.path().join("marked.ron"), text).unwrap();
    // The journal the served run writes: no commands, so the plain run's.
    let mut sim = Simulation::new(&marked.scenario, SEED).unwrap();
    sim.run_to_end();
    let journal = sim.journal();

    let mut served = Served::start(
        dir.path(),
        &[
            "marked.ron",
            "--seed",
            &SEED.to_string(),
            "--session",
            "s.ron",
            "--paused",
            "--pace",
            "100000",
        ],
    );
    let roles: Vec<(String, String)> = marked
        .scenario
        .roles
        .iter()
        .map(|r| (r.id.clone(), r.actor.clone()))
        .collect();
    let mut streams: Vec<_> = roles
        .iter()
        .map(|(role, actor)| {
            let cookie = login(&served, role);
            (
                role.clone(),
                actor.clone(),
                cookie.clone(),
                Events::open(&served, &cookie),
            )
        })
        .collect();
    served.say("play");
    let mut seen = 0;
    let mut judge = |role: &str, actor: &str, at: usize, text: &str, what: &str| {
        let g = given(&journal[..at.min(journal.len())], actor);
        for m in markers(text) {
            let secret = marked.secrets.get(&m).unwrap_or(&Secret::Never);
            assert!(
                allowed(&m, secret, Some(role), &g),
                "{relative}: {what} of {role} at journal position {at} shows {m} ({secret:?}), which {actor} was not given"
            );
            seen += 1;
        }
    };
    for (role, actor, cookie, events) in &mut streams {
        let mut pushed = 0;
        while let Some(event) = events.next() {
            pushed += 1;
            let at = usize::try_from(event.id).unwrap();
            judge(role, actor, at, &event.data.to_string(), "a pushed event");
            if event.data["clock"]["ended"] == true {
                break;
            }
        }
        assert!(pushed > 0, "{relative}: nothing was pushed to {role}");
        let view = get(&served, cookie, "/api/view");
        assert_eq!(view.status, 200);
        judge(role, actor, journal.len(), &view.body, "the view");
    }
    seen
}

// One test per scenario, so the two cores share the work. Not vacuous: each asserts that
// seats were shown what their actors were given.
#[test]
fn no_ducksends_seat_is_sent_what_its_actor_was_not_given() {
    let seen = check("scenarios/ducksends.ron");
    assert!(seen > 20, "only {seen} markers were shown to anyone");
}

#[test]
fn no_crisis_seat_is_sent_what_its_actor_was_not_given() {
    let seen = check("scenarios/crisis.ron");
    assert!(seen > 0, "no marker was shown to anyone");
}

#[test]
fn no_cross_border_seat_is_sent_what_its_actor_was_not_given() {
    let seen = check("scenarios/cross-border.ron");
    assert!(seen > 0, "no marker was shown to anyone");
}

#[test]
fn no_cvd_seat_is_sent_what_its_actor_was_not_given() {
    let seen = check("scenarios/cvd.ron");
    assert!(seen > 0, "no marker was shown to anyone");
}

#[test]
fn no_msp_ransomware_seat_is_sent_what_its_actor_was_not_given() {
    let seen = check("scenarios/msp-ransomware.ron");
    assert!(seen > 0, "no marker was shown to anyone");
}

#[test]
fn no_package_seat_is_sent_what_its_actor_was_not_given() {
    let seen = check("scenarios/package.ron");
    assert!(seen > 0, "no marker was shown to anyone");
}

#[test]
fn no_file_transfer_seat_is_sent_what_its_actor_was_not_given() {
    let seen = check("scenarios/file-transfer.ron");
    assert!(seen > 0, "no marker was shown to anyone");
}
