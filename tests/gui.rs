//! The facilitator's console without a window or a GPU (egui_kittest): start DuckSends
//! from the start screen, step the clock, fire an inject from the MSEL, write an
//! observation with Ctrl+N and Enter, answer a decision for a player, compose injects,
//! see a broken scenario's diagnostics, resume a killed session, and check that the
//! console changes the world only through the commands in its session file; review a
//! recorded session with the time slider (who knew what, when), read-only.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::path::{Path, PathBuf};

use common::console::{
    click_at, console_mut, exercise, harness, options, settle, start_ducksends, started,
};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use tabletop::gui::ask::Ask;
use tabletop::gui::{App, AppOptions};
use tabletop::host::{Intent, Speed};
use tabletop::scenario::{self, InjectEffect};
use tabletop::session;
use tabletop::sim::{Command, Event};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn session_path(harness: &Harness<'_, App>) -> PathBuf {
    exercise(harness).host.session_path().unwrap().to_path_buf()
}

/// What "Next event" does, without a pointer (a role window may cover the clock bar).
fn next_event(harness: &mut Harness<'_, App>) {
    console_mut(harness).asks.push(Ask::Host(Intent::Step));
    harness.run();
}

fn session_commands(harness: &Harness<'_, App>) -> Vec<Command> {
    session::load(&session_path(harness))
        .unwrap()
        .commands
        .into_iter()
        .map(|s| s.command)
        .collect()
}

#[test]
fn start_ducksends_and_step_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    let session = session_path(&harness);
    assert!(session.starts_with(dir.path().join("sessions")));
    assert!(session.exists(), "the session is recorded from the start");
    assert_eq!(exercise(&harness).host.now(), 0);
    assert!(
        harness
            .query_all_by_label_contains("Fri 2026-03-13 16:30")
            .next()
            .is_some()
    );

    // "Next event" lands on the event's minute: the clock shows the minute whose events
    // were just played.
    let mut after_click = None;
    for _ in 0..10 {
        let before = exercise(&harness).host.sim().journal().len();
        harness.get_by_label("Next event").click();
        harness.run();
        let now = exercise(&harness).host.now();
        let journal = exercise(&harness).host.sim().journal();
        if journal.len() > before {
            assert_eq!(journal.last().map(|e| e.t), Some(now));
            after_click = Some(now);
            break;
        }
    }
    let after_click = after_click.expect("an event within ten steps");

    harness.key_press(Key::ArrowRight);
    harness.run();
    let after_key = exercise(&harness).host.now();
    assert!(after_key > after_click, "→ plays the next event too");
    let (offset, _) = exercise(&harness).seen().times(after_key);
    assert!(
        harness.query_by_label(&offset).is_some(),
        "the clock bar shows {offset}"
    );

    // Space plays and pauses.
    harness.key_press(Key::Space);
    harness.step();
    assert!(exercise(&harness).host.clock().playing);
    harness.key_press(Key::Space);
    harness.step();
    assert!(!exercise(&harness).host.clock().playing);
    harness.run();
    assert!(
        exercise(&harness).host.given().is_empty(),
        "the clock is no command"
    );

    // Closing asks first.
    harness.get_by_label("Close exercise").click();
    harness.run();
    harness.get_by_label("Stay").click();
    harness.run();
    assert!(harness.state().console.is_some());
    harness.get_by_label("Close exercise").click();
    harness.run();
    harness.get_by_label("Yes, close").click();
    harness.run();
    assert!(
        harness.state().console.is_none(),
        "back on the start screen"
    );
}

#[test]
fn fire_an_inject_from_the_msel() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    // The first line of the MSEL is the helpdesk tip, due at T+1h.
    harness.get_all_by_label("Fire").next().unwrap().click();
    harness.run();
    // Paused: the command is on record, and the MSEL says it waits for the clock.
    assert_eq!(session_commands(&harness).len(), 1);
    assert!(
        harness
            .query_by_label_contains("queued: fire T+0")
            .is_some()
    );
    assert_eq!(
        exercise(&harness).host.now(),
        0,
        "the paused clock did not move"
    );
    harness.get_by_label("Next event").click();
    harness.run();
    let fired = exercise(&harness).host.sim().journal().iter().any(|e| {
        matches!(&e.event, Event::InjectFired { inject, by_facilitator: true, marking, .. }
            if &*inject.id == "helpdesk-tip" && *marking == "EXERCISE")
    });
    assert!(
        fired,
        "the journal shows the inject fired by the facilitator"
    );
    assert_eq!(
        session_commands(&harness),
        vec![Command::FireInject {
            inject: "helpdesk-tip".into()
        }]
    );
    assert!(
        harness.query_by_label_contains("fired T+0").is_some(),
        "the MSEL shows it fired"
    );
}

/// Issue 14: the MSEL says when an inject is guarded, before whom it is addressed to (the
/// guard decides which of them it reaches).
#[test]
fn the_msel_shows_an_injects_guard() {
    let dir = tempfile::tempdir().unwrap();
    let harness = start_ducksends(dir.path());
    assert!(
        harness
            .query_by_label_contains(
                "ransom-note · 15m after its trigger · only if the addressee was hit by encryption (ransomware) · to ducksends, zilverbank"
            )
            .is_some()
    );
}

/// Issue 16: "show" opens an inject's text as the players read it: who speaks, the
/// subject marked EXERCISE, the body, and the question with its default.
#[test]
fn show_opens_an_inject_as_the_players_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    // The second line of the MSEL is the journalist's call.
    harness.get_all_by_label("show").nth(1).unwrap().click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("journalist-call — as the players read it")
            .is_some(),
        "the window opens"
    );
    for text in [
        "From: journalist, De Financiële Krant (phone)",
        "EXERCISE Customers say their payments went to the wrong accounts",
        "Several DuckSends customers wrote to us",
        "The journalist publishes tonight. What does DuckSends do?",
        "Holding statement only; reports follow the normal course (the default after 2h)",
        "For discussion, by each addressee:",
        "Who speaks for DuckSends to the press",
        "answered in each addressee's own words within 2h",
        "Keep it running and watch it closely (the default after 2h)",
    ] {
        assert!(
            harness.query_by_label_contains(text).is_some(),
            "the window shows {text:?}"
        );
    }
}

#[test]
fn an_observation_in_two_keystrokes() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    harness.get_by_label("Next event").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.event(egui::Event::Text("fin-csirt hesitates to share".into()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Next event").click();
    harness.run();
    let noted = exercise(&harness).host.sim().journal().iter().any(|e| {
        matches!(&e.event, Event::Observation { author, text }
            if &**author == "facilitator" && &**text == "fin-csirt hesitates to share")
    });
    assert!(noted, "the observation is in the journal");
    assert_eq!(
        session_commands(&harness),
        vec![Command::Observe {
            author: "facilitator".into(),
            text: "fin-csirt hesitates to share".into()
        }]
    );
    assert!(
        exercise(&harness).note.is_empty(),
        "the note box is cleared"
    );
}

#[test]
fn a_broken_scenario_shows_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(App::new(options(dir.path())));
    harness.run();
    let broken = manifest().join("tests/broken/several_problems.ron");
    harness.state_mut().start.open_path = broken.display().to_string();
    harness.get_by_label("Open").click();
    harness.run();
    let expected =
        std::fs::read_to_string(manifest().join("tests/broken/several_problems.expected")).unwrap();
    let first = expected.lines().next().unwrap();
    // "FILE:LINE:COL: item: message" as the validator prints it.
    let location = first.split(": ").next().unwrap();
    let (_, line_col) = location.split_once(".ron:").unwrap();
    assert!(
        harness
            .query_by_label_contains(&format!("several_problems.ron:{line_col}"))
            .is_some(),
        "the diagnostics name file:line:col ({line_col})"
    );
    assert!(
        harness
            .query_by_label_contains("cannot be played")
            .is_some()
    );
    harness.get_by_label("Start").click();
    harness.run();
    assert!(harness.state().console.is_none(), "nothing to start");

    // A file that is not there, or a directory, is a message too, never a crash.
    for path in [dir.path().join("missing.ron"), dir.path().to_path_buf()] {
        harness.state_mut().start.open_path = path.display().to_string();
        harness.get_by_label("Open").click();
        harness.run();
        assert!(harness.query_by_label_contains("cannot read").is_some());
    }
}

#[test]
fn composed_injects_are_checked_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    harness.get_by_label("White-cell message").click();
    harness.run();
    {
        let draft = &mut console_mut(&mut harness).composer.white_cell;
        draft.to = "nobody".into();
        draft.subject = "Is DuckSends hacked?".into();
    }
    harness.run();
    assert!(
        harness
            .query_by_label_contains("no actor \"nobody\"")
            .is_some(),
        "a recipient that does not exist is refused before it is given"
    );
    console_mut(&mut harness).composer.white_cell.to = "ducksends".into();
    harness.run();
    harness.get_by_label("Send message").scroll_to_me();
    harness.run();
    harness.get_by_label("Send message").click();
    harness.run();

    harness.get_by_label("Ad-hoc inject").click();
    harness.run();
    {
        let draft = &mut console_mut(&mut harness).composer.adhoc;
        draft.kind = tabletop::gui::compose::EffectKind::StaffUnavailable;
        draft.csirt = "ducksends".into();
    }
    harness.run();
    assert!(harness.query_by_label_contains("is not a CSIRT").is_some());
    console_mut(&mut harness).composer.adhoc.csirt = "fin-csirt".into();
    harness.run();
    // Issue 16: no title, no inject; the players never read the mechanics.
    assert!(
        harness
            .query_by_label_contains("a title is required")
            .is_some()
    );
    {
        let draft = &mut console_mut(&mut harness).composer.adhoc;
        draft.title = "Two analysts called to another incident".into();
        draft.to = "fin-csirt".into();
        draft.body = "Two of your analysts are needed elsewhere this afternoon.".into();
    }
    harness.run();
    assert!(
        harness
            .query_by_label_contains("a title is required")
            .is_none()
    );
    assert!(
        harness
            .query_by_label_contains("Two of your analysts are needed elsewhere")
            .is_some(),
        "the preview shows what the recipients will read"
    );
    harness.get_by_label("Fire ad-hoc inject").scroll_to_me();
    harness.run();
    harness.get_by_label("Fire ad-hoc inject").click();
    harness.run();
    next_event(&mut harness);

    let journal = exercise(&harness).host.sim().journal();
    let message = journal.iter().find_map(|e| match &e.event {
        Event::InjectFired {
            inject,
            subject,
            marking,
            by_facilitator,
            ..
        } if inject.id.starts_with("white-cell") => {
            assert!(*by_facilitator, "the facilitator wrote it");
            Some((subject.clone(), *marking))
        }
        _ => None,
    });
    let (subject, marking) = message.expect("the white-cell message fired");
    assert!(subject.unwrap().starts_with("[EXERCISE]"));
    assert_eq!(marking, "EXERCISE");
    assert!(journal.iter().any(|e| matches!(&e.event,
        Event::StaffChanged { csirt, .. } if &*csirt.id == "fin-csirt")));
    assert!(
        !journal
            .iter()
            .any(|e| matches!(e.event, Event::CommandRefused { .. })),
        "nothing the console gave was refused"
    );
    let commands = session_commands(&harness);
    assert_eq!(commands.len(), 2);
    assert!(matches!(&commands[1], Command::ComposeInject { inject }
        if matches!(inject.effects[..], [InjectEffect::StaffUnavailable { analysts: 1, .. }])));
}

const DECISION_SCENARIO: &str = r#"#![enable(implicit_some)]
Scenario(
    version: 1, name: "decisions", start: "2026-03-16 10:00", duration: "2d",
    csirts: [Csirt(id: "cert", name: "CERT", kind: National, country: "NL", analysts: 4, hours: Always)],
    entities: [
        Organisation(id: "bank-a", name: "Bank A", sector: Finance, country: "NL", class: Essential,
                     csirt: "cert", monitoring: High, reporting: [Voluntary(to: "cert")]),
        Organisation(id: "bank-b", name: "Bank B", sector: Finance, country: "NL", class: Essential,
                     csirt: "cert", monitoring: High, reporting: [Voluntary(to: "cert")]),
    ],
    adversaries: [Adversary(id: "crew", name: "Crew", intent: Financial, capability: Low, campaigns: [
        Campaign(id: "c1", name: "C1", targets: [Entity("bank-a")],
            indicators: [Indicator(id: "ioc-1", kind: Domain, value: "bad.example")],
            stages: [
                Stage(id: "s1", name: "Phish", technique: "T1566", duration: ("10m", "20m"),
                      indicators: ["ioc-1"], detection: Easy),
                Stage(id: "s2", name: "Encrypt", technique: "T1486", duration: ("20h", "30h"),
                      detection: Hard, effect: Encryption),
            ]),
    ])],
    sops: [Sop(id: "escalation", owner: "cert", trigger: Report(), steps: [
        Step(id: "triage", action: Triage, duration: ("30m", "30m")),
        Step(id: "escalate", after: ["triage"], action: Decide(Decision(
            prompt: "Warn the whole sector now?",
            options: [
                DecisionOption(id: "warn", label: "Warn now", actions: [ShareIndicators(with: Constituency, tlp: Amber)]),
                DecisionOption(id: "wait", label: "Wait for analysis", actions: []),
            ],
            default: "wait",
            timeout: "1h",
        ))),
    ])],
)"#;

#[test]
fn answer_a_decision_for_the_player() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("decisions.ron");
    std::fs::write(&path, DECISION_SCENARIO).unwrap();
    let mut harness = harness(App::new(AppOptions {
        file: Some(path),
        ..options(dir.path())
    }));
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
    assert!(exercise(&harness).host.pause_on().1, "on by default");
    harness.key_press(Key::Space);
    console_mut(&mut harness).intent(Intent::SetSpeed(Speed::Max));
    settle(&mut harness, 500);
    let pending = exercise(&harness).feed.pending.clone();
    assert_eq!(pending.len(), 1, "paused on the raised decision");
    assert!(
        harness
            .query_all_by_label_contains("Warn the whole sector now?")
            .next()
            .is_some(),
        "the inspector shows the prompt"
    );
    harness.get_by_label("warn").click();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("Answered \"warn\" by facilitator: takes effect at")
            .next()
            .is_some(),
        "the answer waits for the paused clock"
    );
    harness.get_by_label("Next event").click();
    harness.run();
    let journal = exercise(&harness).host.sim().journal();
    assert!(journal.iter().any(|e| matches!(&e.event,
        Event::DecisionTaken { option, by, .. } if &**option == "warn" && &**by == "facilitator")));
    assert!(exercise(&harness).feed.pending.is_empty());
    let decision = pending.keys().next().unwrap().clone();
    assert_eq!(
        session_commands(&harness),
        vec![Command::Decide {
            decision,
            option: "warn".into(),
            by: "facilitator".into()
        }]
    );
}

#[test]
fn the_console_changes_the_world_only_by_its_recorded_commands() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    let mut clicked = Vec::new();

    harness.get_all_by_label("Fire").next().unwrap().click();
    harness.run();
    clicked.push(Command::FireInject {
        inject: "helpdesk-tip".into(),
    });
    harness.get_by_label("Next event").click();
    harness.run();
    // Delay the journalist's call (the second line) by 2h, skip the third (the article).
    console_mut(&mut harness).msel.delay_text = "2h".into();
    harness.run();
    harness.get_all_by_label("Delay").nth(1).unwrap().click();
    harness.run();
    clicked.push(Command::DelayInject {
        inject: "journalist-call".into(),
        by: scenario::Duration::hours(2),
    });
    harness.get_all_by_label("Skip").nth(2).unwrap().click();
    harness.run();
    // Skipping cannot be undone: the console asks first, and nothing is given yet.
    assert_eq!(session_commands(&harness).len(), clicked.len());
    harness.get_by_label("Keep it").click();
    harness.run();
    assert!(harness.query_by_label("Yes, skip").is_none());
    harness.get_all_by_label("Skip").nth(2).unwrap().click();
    harness.run();
    harness.get_by_label("Yes, skip").click();
    harness.run();
    clicked.push(Command::SkipInject {
        inject: "news-article".into(),
    });
    // Jump to Saturday 08:00 (without pausing on the way).
    console_mut(&mut harness).intent(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    console_mut(&mut harness).clock_bar.jump_text = "Sat 08:00".into();
    harness.run();
    harness.get_by_label("Go").click();
    settle(&mut harness, 500);
    let now = exercise(&harness).host.now();
    let expected = scenario::At::parse("Sat 08:00")
        .unwrap()
        .resolve(&exercise(&harness).host.scenario().start);
    assert_eq!(now, expected, "arrived at Sat 08:00");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.event(egui::Event::Text("quiet night".into()));
    harness.key_press(Key::Enter);
    harness.run();
    clicked.push(Command::Observe {
        author: "facilitator".into(),
        text: "quiet night".into(),
    });

    let recorded = session::load(&session_path(&harness)).unwrap();
    let commands: Vec<Command> = recorded
        .commands
        .iter()
        .map(|s| s.command.clone())
        .collect();
    assert_eq!(
        commands, clicked,
        "the session holds exactly what was clicked"
    );
    assert_eq!(
        recorded.commands,
        exercise(&harness).host.given(),
        "with the minutes and sequence numbers the console gave"
    );
    assert!(
        !recorded.checkpoints.is_empty(),
        "checksums every simulated hour"
    );

    // The same scenario, seed and commands, played headless, give the same journal.
    let scenario = session::scenario_for(&recorded, None).unwrap();
    let mut replayed = session::rebuild(&recorded, &scenario).unwrap();
    replayed.advance_to(exercise(&harness).host.now());
    assert_eq!(replayed.journal(), exercise(&harness).host.sim().journal());
    session::verify(&mut replayed, &recorded.checkpoints).unwrap();
}

#[test]
fn resume_a_session_after_the_app_was_killed() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    harness.get_all_by_label("Fire").next().unwrap().click();
    harness.run();
    // The facilitator arranges the room: ×600, no pause on decisions, the CISO's window,
    // a larger zoom.
    harness.get_by_label("×600").click();
    harness
        .get_by_label("pause when a decision is raised")
        .click();
    harness.get_by_label("A+").click();
    harness.run();
    console_mut(&mut harness).intent(Intent::Seat {
        role: "ciso".into(),
        open: true,
    });
    console_mut(&mut harness).clock_bar.jump_text = "T+3h".into();
    harness.run();
    harness.get_by_label("Go").click();
    settle(&mut harness, 500);
    let session = session_path(&harness);
    drop(harness); // killed: nothing but the session file (and the room beside it) is left

    let mut harness = harness_for_resume(dir.path());
    assert!(
        harness
            .state()
            .start
            .sessions
            .iter()
            .any(|u| u.path == session),
        "the unfinished session is offered"
    );
    harness.state_mut().start.resume_path = session.display().to_string();
    harness.get_by_label("Resume").click();
    harness.run();
    let resumed = exercise(&harness);
    let last = session::load(&session)
        .unwrap()
        .checkpoints
        .last()
        .unwrap()
        .0;
    assert!(
        last >= 2 * 60,
        "hourly checkpoints were written while it ran"
    );
    assert_eq!(resumed.host.now(), last, "replayed to the last checkpoint");
    // The room comes back as it was.
    assert_eq!(resumed.host.given().len(), 1);
    assert!(
        harness.query_by_label_contains("· 1 command").is_some()
            && harness.query_by_label_contains("· 1 commands").is_none(),
        "the clock bar counts the commands recorded before the crash"
    );
    assert_eq!(resumed.host.clock().speed, Speed::Times(600));
    assert_eq!(resumed.host.pause_on(), (false, false));
    assert_eq!(resumed.host.seats().roles(), ["ciso"]);
    assert!((harness.state().look.zoom - 1.1).abs() < 0.01);
    assert!(
        harness
            .query_by_label_contains("You are Nessie Woo")
            .is_some()
    );
    let resumed = exercise(&harness);
    assert!(
        resumed
            .host
            .sim()
            .journal()
            .iter()
            .any(|e| matches!(&e.event,
        Event::InjectFired { inject, by_facilitator: true, .. } if &*inject.id == "helpdesk-tip"))
    );
    // And it goes on recording into the same file.
    harness.get_by_label("Next event").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.event(egui::Event::Text("resumed".into()));
    harness.key_press(Key::Enter);
    harness.run();
    let commands = session::load(&session).unwrap().commands;
    assert_eq!(commands.len(), 2);
}

fn harness_for_resume(dir: &Path) -> Harness<'static, App> {
    let mut harness = harness(App::new(options(dir)));
    harness.run();
    harness
}

/// Records DuckSends (seed 1) to the end with the library's recorder, the helpdesk tip fired
/// at T+0, into the app's sessions folder; returns the session file and the journal.
fn record_ducksends(dir: &Path) -> (PathBuf, Vec<tabletop::sim::Entry>) {
    let sessions = dir.join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let path = sessions.join("ducksends-recorded.ron");
    let scenario_path = manifest().join("scenarios/ducksends.ron");
    let (scenario, _) = scenario::load_path(&scenario_path).unwrap();
    let mut recorder =
        session::Recorder::start(&path, &scenario_path.display().to_string(), &scenario, 1)
            .unwrap();
    recorder
        .submit(
            0,
            Command::FireInject {
                inject: "helpdesk-tip".into(),
            },
        )
        .unwrap();
    recorder.run_to_end().unwrap();
    (path, recorder.simulation().journal().to_vec())
}

/// Opens `session` from the start screen's list with "Review".
fn review_from_start_screen(dir: &Path, session: &Path) -> Harness<'static, App> {
    let mut harness = harness(App::new(options(dir)));
    harness.run();
    let name = session.file_name().unwrap().to_string_lossy().into_owned();
    harness.get_by_label(&format!("{name}  (ended)")).click();
    harness.run();
    assert!(
        harness
            .get_by_label("Resume")
            .accesskit_node()
            .is_disabled(),
        "an ended session cannot be resumed, only reviewed"
    );
    harness.get_by_label("Review").click();
    harness.run();
    assert!(
        harness.state().console.is_some(),
        "{:?}",
        harness.state().start.error
    );
    assert!(exercise(&harness).host.is_review());
    harness
}

/// Moves the review's time slider to minute `t`, as a user (or a screen reader) sets it.
fn slide_to(harness: &mut Harness<'_, App>, t: i64) {
    #[allow(clippy::cast_precision_loss, reason = "minutes of an exercise")]
    harness
        .get_by_role(egui::accesskit::Role::Slider)
        .set_value_accesskit(t as f64);
    harness.run();
    assert_eq!(
        exercise(harness).host.now(),
        t,
        "the review stands at the slider's minute"
    );
}

/// Issue 16: a click on the slider's track (no drag) moves the review there.
#[test]
fn a_click_on_the_review_sliders_track_moves_it() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = record_ducksends(dir.path());
    let mut harness = review_from_start_screen(dir.path(), &session);
    let end = exercise(&harness).host.review_state().unwrap().end();
    assert_eq!(
        exercise(&harness).host.now(),
        end,
        "a review opens at its end"
    );
    let slider = harness.get_by_role(egui::accesskit::Role::Slider);
    let rect = slider.rect();
    // A quarter of the way along the track.
    let at = egui::pos2(rect.left() + rect.width() * 0.25, rect.center().y);
    click_at(&mut harness, at);
    let now = exercise(&harness).host.now();
    assert!(
        now > 0 && now < end / 2,
        "the review moved to the clicked place: {now} of {end}"
    );
}

#[test]
fn review_a_recorded_session_with_the_time_slider() {
    let dir = tempfile::tempdir().unwrap();
    let (session, journal) = record_ducksends(dir.path());
    // Someone learns the phishing domain from someone else: find who, from whom, when.
    let (actor, from, learned) = journal
        .iter()
        .find_map(|e| match &e.event {
            Event::IndicatorLearned {
                actor,
                indicator,
                from: Some(from),
                ..
            } if &*indicator.id == "phish-domain" && e.t > 0 => {
                Some((actor.id.to_string(), from.id.to_string(), e.t))
            }
            _ => None,
        })
        .expect("the phishing domain is shared in DuckSends");

    let mut harness = review_from_start_screen(dir.path(), &session);
    let end = exercise(&harness).host.review_state().unwrap().end();
    assert_eq!(
        exercise(&harness).host.now(),
        end,
        "a review opens at its end"
    );
    assert!(harness.query_by_label("REVIEW · read-only").is_some());
    assert!(
        harness.query_by_label("Who knew what").is_some(),
        "the grid's tab is offered"
    );
    let actor_ix = exercise(&harness).actors.by_id[&actor];
    let cell_text = format!("{} · {from}", scenario::time::format_offset(learned));

    slide_to(&mut harness, learned - 1);
    assert_eq!(
        exercise(&harness).who_knew.cell(actor_ix, "phish-domain"),
        None,
        "{actor} does not know the phishing domain at T+{}m",
        learned - 1
    );
    assert!(
        harness.query_all_by_label(&cell_text).next().is_none(),
        "nobody learned anything at T+{learned}m yet"
    );

    slide_to(&mut harness, learned);
    let cell = exercise(&harness)
        .who_knew
        .cell(actor_ix, "phish-domain")
        .cloned()
        .expect("known once learned");
    assert_eq!((cell.at, cell.from.as_deref()), (learned, Some(&*from)));
    assert!(
        harness.query_all_by_label(&cell_text).next().is_some(),
        "the grid shows {cell_text}"
    );

    // Clicking the actor's row selects it in the inspector (the map names it too).
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &actor)
        .click();
    harness.run();
    let selected = exercise(&harness).views.selected.as_ref().unwrap();
    assert_eq!(&*selected.id, actor);
    let since = format!(
        "since {} · from {from}",
        scenario::time::format_offset(learned)
    );
    assert!(
        harness.query_all_by_label_contains(&since).next().is_some(),
        "the inspector shows indicators known {since}"
    );
    assert_eq!(
        harness.query_all_by_label("phish-domain").count(),
        2,
        "the grid's column and the inspector's line name the phishing domain"
    );

    // Back in time: rebuilt from the start, the inspector and the log forget it again.
    slide_to(&mut harness, learned - 1);
    assert_eq!(
        exercise(&harness).who_knew.cell(actor_ix, "phish-domain"),
        None
    );
    assert!(harness.query_all_by_label_contains(&since).next().is_none());
    assert_eq!(
        harness.query_all_by_label("phish-domain").count(),
        1,
        "only the grid's column: the inspector no longer lists it"
    );
    assert_eq!(
        exercise(&harness).views.selected.as_ref().map(|v| &*v.id),
        Some(&*actor),
        "still selected"
    );
    assert!(
        !exercise(&harness)
            .host
            .sim()
            .journal()
            .iter()
            .any(|e| matches!(&e.event,
            Event::IndicatorLearned { actor: a, indicator, .. }
                if *a.id == *actor && &*indicator.id == "phish-domain")),
        "the journal stands at T+{}m",
        learned - 1
    );
    assert!(exercise(&harness).feed.seen <= exercise(&harness).host.sim().journal().len());

    // Key events: the next inject, decision or objective after the slider's minute.
    harness.get_by_label("Next key event").click();
    harness.run();
    let next = exercise(&harness).host.now();
    assert!(next >= learned);
    assert!(
        journal.iter().any(|e| e.t == next
            && matches!(
                e.event,
                Event::InjectFired { .. }
                    | Event::DecisionRaised { .. }
                    | Event::DecisionTaken { .. }
                    | Event::ObjectiveMet { .. }
                    | Event::ObjectiveMissed { .. }
            )),
        "T+{next}m holds a key event"
    );
    harness.get_by_label("Previous key event").click();
    harness.run();
    assert!(exercise(&harness).host.now() < next);
}

#[test]
fn a_review_never_writes_its_session() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = record_ducksends(dir.path());
    let before = std::fs::read(&session).unwrap();
    let mut harness = review_from_start_screen(dir.path(), &session);
    slide_to(&mut harness, 30);
    let journal = exercise(&harness).host.sim().journal().len();

    // The MSEL's buttons are disabled; clicking does nothing.
    harness.get_all_by_label("Fire").next().unwrap().click();
    harness.run();
    // A fire request reaching the console anyway (as the MSEL would send it) is refused.
    console_mut(&mut harness)
        .asks
        .push(Ask::Host(Intent::Give(Command::FireInject {
            inject: "journalist-call".into(),
        })));
    harness.run();
    let status = exercise(&harness).status.clone().unwrap();
    assert!(status.error);
    assert!(
        status.text.contains("read-only") && status.text.contains("tabletop branch"),
        "{}",
        status.text
    );
    assert!(harness.query_by_label_contains("read-only — use").is_some());
    // Nor do the clock keys play it.
    harness.key_press(Key::Space);
    harness.run();
    assert!(!exercise(&harness).host.clock().playing);
    assert_eq!(exercise(&harness).host.now(), 30);
    assert_eq!(exercise(&harness).host.sim().journal().len(), journal);
    assert_eq!(
        exercise(&harness).host.given().len(),
        session::load(&session).unwrap().commands.len(),
        "nothing was given"
    );
    assert_eq!(
        std::fs::read(&session).unwrap(),
        before,
        "the session file is unchanged, byte for byte"
    );
}

#[test]
fn a_review_that_cannot_be_opened_says_why() {
    let dir = tempfile::tempdir().unwrap();
    // Recorded from a copy of the scenario, which is then gone.
    let copy = dir.path().join("gone.ron");
    std::fs::copy(manifest().join("scenarios/ducksends.ron"), &copy).unwrap();
    let (scenario, _) = scenario::load_path(&copy).unwrap();
    let session = dir.path().join("sessions/gone-session.ron");
    std::fs::create_dir_all(session.parent().unwrap()).unwrap();
    let mut recorder =
        session::Recorder::start(&session, &copy.display().to_string(), &scenario, 1).unwrap();
    recorder.advance_to(120).unwrap();
    drop(recorder);
    std::fs::remove_file(&copy).unwrap();
    let mut harness = harness(App::new(options(dir.path())));
    harness.run();
    harness.state_mut().start.resume_path = session.display().to_string();
    harness.run();
    harness.get_by_label("Review").click();
    harness.run();
    assert!(harness.state().console.is_none());
    let error = harness.state().start.error.clone().unwrap();
    assert!(error.contains("gone.ron"), "{error}");
    assert!(harness.query_by_label_contains("gone.ron").is_some());

    // An edited session says where the edit is.
    let (recorded, _) = record_ducksends(dir.path());
    let text = std::fs::read_to_string(&recorded).unwrap();
    std::fs::write(
        &recorded,
        text.replacen("helpdesk-tip", "journalist-call", 1),
    )
    .unwrap();
    harness.state_mut().start.resume_path = recorded.display().to_string();
    harness.run();
    harness.get_by_label("Review").click();
    harness.run();
    assert!(harness.state().console.is_none());
    let error = harness.state().start.error.clone().unwrap();
    assert!(
        error.contains(":2:") && error.contains("the chain breaks here"),
        "{error}"
    );
}

/// Plays until the console pauses on a raised decision (at most `limit` frames).
fn play_to_next_decision(harness: &mut Harness<'_, App>) {
    let console = console_mut(harness);
    console.intent(Intent::SetSpeed(Speed::Max));
    console.intent(Intent::PauseOn {
        inject: false,
        decision: true,
    });
    console.asks.push(Ask::Host(Intent::TogglePlay));
    settle(harness, 500);
}

#[test]
fn a_trainee_answers_a_prompt_in_the_role_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    // The facilitator opens the CISO's window from the clock bar's menu.
    harness.get_by_label("Roles & projector").click();
    harness.run();
    harness
        .get_by_label("DuckSends CISO (Nessie Woo) (ciso)")
        .click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(exercise(&harness).host.seats().roles(), ["ciso"]);
    assert!(
        harness
            .query_by_label_contains("You are Nessie Woo")
            .is_some(),
        "the window opens with the role's briefing"
    );
    play_to_next_decision(&mut harness);
    assert!(
        exercise(&harness).feed.pending.contains_key("helpdesk-tip"),
        "paused on the helpdesk's question: {:?}",
        exercise(&harness).feed.pending.keys().collect::<Vec<_>>()
    );
    assert!(
        harness
            .query_by_label_contains("otherwise \"Keep an eye on it; nothing for now\" applies")
            .is_some(),
        "the prompt shows its countdown and default"
    );
    let paused_at = exercise(&harness).host.now();
    harness
        .get_by_label("Investigate now: pull the mail, check the link, look for logins")
        .click();
    harness.run();
    harness.run();
    // Paused means frozen: the answer is on record, and waits for the clock.
    assert_eq!(exercise(&harness).host.now(), paused_at);
    assert!(
        harness
            .query_by_label_contains("is recorded; it takes effect at T+")
            .is_some(),
        "the window says the answer waits for the clock"
    );
    assert!(
        harness
            .query_by_label("Investigate now: pull the mail, check the link, look for logins")
            .is_none(),
        "no second answer while the first waits"
    );
    next_event(&mut harness);
    harness.run();
    assert_eq!(
        exercise(&harness).host.now(),
        paused_at + 1,
        "played the minute it was given for"
    );
    assert_eq!(
        session_commands(&harness),
        vec![Command::Decide {
            decision: "helpdesk-tip".into(),
            option: "investigate".into(),
            by: "ciso".into(),
        }],
        "the answer is recorded with who took it"
    );
    let journal = exercise(&harness).host.sim().journal();
    assert!(journal.iter().any(|e| matches!(&e.event,
        Event::DecisionTaken { decision, option, by }
            if &**decision == "helpdesk-tip" && &**option == "investigate" && &**by == "ciso")));
    assert!(
        harness
            .query_by_label_contains(
                "Investigate now: pull the mail, check the link, look for logins — answered by you",
            )
            .is_some(),
        "the inbox confirms the answer"
    );
    assert!(exercise(&harness).feed.pending.is_empty());
}

#[test]
fn a_refused_share_explains_why_in_the_role_window() {
    // With share-first, fin-csirt gives the national CSIRT the raw indicators at
    // TLP:AMBER; the national duty officer tries to pass one to the Belgian CSIRT.
    let dir = tempfile::tempdir().unwrap();
    let mut scenario = scenario::load_path(&manifest().join("scenarios/ducksends.ron"))
        .unwrap()
        .0;
    scenario
        .sops
        .retain(|s| s.variant.as_deref() != Some("analyse-first"));
    let mut harness = started(
        dir.path(),
        scenario,
        "scenarios/ducksends.ron",
        "share.session",
        1,
    );
    console_mut(&mut harness).intent(Intent::Seat {
        role: "ncsc-duty".into(),
        open: true,
    });
    let amber = |harness: &Harness<'_, App>| {
        exercise(harness)
            .host
            .seats()
            .view("ncsc-duty")
            .and_then(|v| {
                v.indicators
                    .iter()
                    .find(|i| i.from.is_some() && i.tlp == scenario::Tlp::Amber)
                    .map(|i| i.value.to_string())
            })
    };
    for _ in 0..400 {
        if amber(&harness).is_some() {
            break;
        }
        let console = console_mut(&mut harness);
        console.intent(Intent::PauseOn {
            inject: false,
            decision: false,
        });
        console.asks.push(Ask::Host(Intent::Step));
        harness.step();
    }
    harness.run();
    let value = amber(&harness).expect("the national CSIRT receives TLP:AMBER material");
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, &value)
        .click();
    harness.run();
    console_mut(&mut harness)
        .seat_forms
        .get_mut("ncsc-duty")
        .unwrap()
        .share_to = "be-csirt".into();
    harness.run();
    let given = session_commands(&harness).len();
    harness.get_by_label("Share").click();
    harness.run();
    harness.run();
    let (message, refused) = exercise(&harness).seat_forms["ncsc-duty"]
        .message
        .clone()
        .unwrap();
    assert!(refused, "{message}");
    assert!(
        message.contains("received under TLP:AMBER")
            && message.contains("may reach only the holder's own organisation"),
        "{message}"
    );
    assert!(
        harness
            .query_by_label_contains("may reach only the holder's own organisation")
            .is_some(),
        "the refusal is shown in the role's window"
    );
    // Every attempt is evidence: the refused share is given, and the engine refuses it.
    assert_eq!(session_commands(&harness).len(), given + 1);
    next_event(&mut harness);
    assert!(
        exercise(&harness)
            .host
            .sim()
            .journal()
            .iter()
            .any(|e| matches!(
                &e.event,
                Event::ActionRefused { role, reason, .. }
                    if &**role == "ncsc-duty" && reason.contains("received under TLP:AMBER")
            )),
        "the journal holds the refused attempt"
    );
    assert!(
        message.starts_with("T+"),
        "the refusal says when: {message}"
    );
    // Changing the form clears the refusal it was about.
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, &value)
        .click();
    harness.run();
    assert!(
        exercise(&harness).seat_forms["ncsc-duty"].message.is_none(),
        "the refusal clears once the trainee changes the form"
    );
}

/// The journalist's discussion question, answered in the CISO's words in the role window:
/// the words are recorded with who gave them; the option question beside it stays open.
#[test]
fn a_trainee_answers_a_discussion_question_in_their_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    console_mut(&mut harness).intent(Intent::Seat {
        role: "ciso".into(),
        open: true,
    });
    harness.run();
    // The journalist calls at T+20h.
    common::console::jump_to(&mut harness, 20 * 60 + 1);
    let decision = "journalist-call:who-speaks@ducksends";
    assert!(exercise(&harness).feed.pending.contains_key(decision));
    assert!(
        harness
            .query_by_label_contains("Answer in your own words")
            .is_some(),
        "the window asks for words, not an option"
    );
    harness.get_by_label("Your organisation's answer").click();
    harness.run();
    harness
        .get_by_label("Your organisation's answer")
        .type_text("Our head of communications, after aligning with DNB");
    harness.run();
    harness.get_by_label("Send answer").click();
    harness.run();
    next_event(&mut harness);
    harness.run();
    assert_eq!(
        session_commands(&harness),
        vec![Command::Answer {
            decision: decision.into(),
            text: "Our head of communications, after aligning with DNB".into(),
            by: "ciso".into(),
        }],
        "the words are recorded with who gave them"
    );
    assert!(
        harness
            .query_by_label_contains(
                "\"Our head of communications, after aligning with DNB\" — answered by you"
            )
            .is_some(),
        "the inbox confirms the answer"
    );
    let pending: Vec<&String> = exercise(&harness).feed.pending.keys().collect();
    assert_eq!(
        pending,
        [
            "journalist-call",
            "journalist-call:payments-offline@ducksends"
        ],
        "the other questions stay open"
    );
}

#[test]
fn an_unanswered_prompt_takes_its_default_and_the_window_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    console_mut(&mut harness).intent(Intent::Seat {
        role: "ciso".into(),
        open: true,
    });
    play_to_next_decision(&mut harness);
    assert!(exercise(&harness).feed.pending.contains_key("helpdesk-tip"));
    // Nobody answers: play on past the deadline (T+2h) without pausing again.
    let console = console_mut(&mut harness);
    console.intent(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    console.clock_bar.jump_text = "T+2h 30m".into();
    harness.run();
    harness.get_by_label("Go").click();
    settle(&mut harness, 500);
    assert!(exercise(&harness).host.now() >= 150);
    let journal = exercise(&harness).host.sim().journal();
    assert!(journal.iter().any(|e| e.t == 120
        && matches!(&e.event, Event::DecisionTaken { decision, option, by }
            if &**decision == "helpdesk-tip" && &**option == "monitor" && &**by == "default")));
    assert!(
        harness
            .query_by_label_contains("Keep an eye on it; nothing for now — the default applied")
            .is_some(),
        "the role's inbox says the default applied"
    );
    assert!(
        session_commands(&harness).is_empty(),
        "a default is the engine's, not a command"
    );
}

/// A role window's "Download for MISP" saves what the role knows now, as
/// `tabletop export --as misp --role` writes it, beside the session: exercise data
/// (unpublished, organisation only, no IDS flag) holding the role's indicators and no
/// other.
#[test]
fn a_role_window_downloads_what_its_role_knows_for_misp() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    common::console::jump_to(&mut harness, 2 * 24 * 60);
    console_mut(&mut harness).intent(Intent::Seat {
        role: "ciso".into(),
        open: true,
    });
    harness.run();
    harness.get_by_label("Download for MISP").click();
    harness.run();
    harness.run();
    let (message, refused) = exercise(&harness).seat_forms["ciso"]
        .message
        .clone()
        .unwrap();
    assert!(!refused, "{message}");
    let session = session_path(&harness);
    let stem = session.file_stem().unwrap().to_string_lossy().into_owned();
    let saved = session.with_file_name(format!("{stem}-ciso-misp-T+2d.json"));
    assert!(message.contains(&*saved.to_string_lossy()), "{message}");
    let event: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(event["Event"]["published"], false);
    assert_eq!(event["Event"]["distribution"], "0");
    let view = exercise(&harness).host.sim().role_view("ciso").unwrap();
    let mut known: Vec<String> = view
        .indicators
        .iter()
        .map(|i| i.value.to_string())
        .collect();
    let mut saved_values: Vec<String> = event["Event"]["Attribute"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|a| assert_eq!(a["to_ids"], false))
        .map(|a| a["value"].as_str().unwrap().to_owned())
        .collect();
    known.sort();
    saved_values.sort();
    assert!(!known.is_empty());
    assert_eq!(saved_values, known);
}

#[test]
fn a_campaign_begun_before_the_exercise_is_announced_and_already_under_way() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    let text = std::fs::read_to_string(manifest().join("scenarios/ducksends.ron")).unwrap();
    let early = text.replacen("start: \"T+0m\"", "start: \"T-6w\"", 1);
    assert_ne!(early, text, "DuckSends' campaign gives its start");
    std::fs::write(scenarios.join("early.ron"), early).unwrap();
    let mut options = options(dir.path());
    options.scenarios_dir = scenarios;
    let mut harness = harness(App::new(options));
    harness.run();
    harness.get_by_label("early.ron").click();
    harness.run();
    harness.get_by_label("Adversaries").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Molting (began T-42d: under way when the exercise opens)")
            .is_some(),
        "the start screen says the campaign began six weeks before"
    );
    harness.get_by_label("Start").click();
    harness.run();
    let console = exercise(&harness);
    assert_eq!(console.host.now(), 0, "the exercise opens at T+0");
    let journal = console.host.sim().journal();
    assert!(journal.first().is_some_and(|e| e.t == -6 * 7 * 1440));
    assert!(
        journal
            .iter()
            .any(|e| e.t < 0 && matches!(e.event, Event::StageCompleted { .. })),
        "stages done before T+0"
    );
}

#[test]
fn counted_customers_are_listed_under_their_supplier_on_the_start_screen() {
    let mut harness = harness(App::new(options(&manifest())));
    harness.run();
    harness.get_by_label("file-transfer.ron").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains(
                "payflow-customers — 300 customers of Payflow Payroll Services (counted, played as one)"
            )
            .is_some(),
        "the facilitator sees the 300 counted customers before starting"
    );
}

#[test]
fn the_start_screen_says_an_embargo_is_running_and_when_the_fix_comes() {
    let mut harness = harness(App::new(options(&manifest())));
    harness.run();
    harness.get_by_label("msp-ransomware.ron").click();
    harness.run();
    let line = "CVE-2026-30116 — OrbisRMM (Orbis Software): reported to volunteers T-88d: under embargo when the exercise opens · advisory T+3d 12h (the vendor's date) · fixed first for OrbisRMM SaaS, the rest T+8d · lists 2 indicators to hunt for";
    assert!(
        harness.query_by_label_contains(line).is_some(),
        "the facilitator reads the disclosure's course before starting"
    );
}
