//! The host's rules, without a window: pacing, pause, next event, budgets, seek, resume.

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::scenario::{self, Duration as SimDuration, Inject};
use crate::session;
use crate::sim::{Command, Event, PlayerAction, Rating};

fn ducksends() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
    match scenario::load_path(&path) {
        Ok((scenario, _)) => scenario,
        Err(e) => panic!("ducksends should load: {e}"),
    }
}

/// A stopwatch that advances `tick` every time it is read.
fn ticking(tick: Duration) -> impl FnMut() -> Duration {
    let mut now = Duration::ZERO;
    move || {
        now += tick;
        now
    }
}

/// A generous frame: nothing but the clock limits it.
fn frame(host: &mut Host, wall: Duration) -> FrameStats {
    host.advance(wall, FrameBudget::default(), &mut ticking(Duration::ZERO))
}

fn raised_at(host: &Host, decision: &str) -> Option<Minute> {
    host.sim().journal().iter().find_map(|e| match &e.event {
        Event::DecisionRaised { decision: d, .. } if &**d == decision => Some(e.t),
        _ => None,
    })
}

fn taken(host: &Host, decision: &str) -> Option<(Minute, String)> {
    host.sim().journal().iter().find_map(|e| match &e.event {
        Event::DecisionTaken {
            decision: d, by, ..
        } if &**d == decision => Some((e.t, by.to_string())),
        _ => None,
    })
}

fn recording(dir: &Path, seed: u64) -> Host {
    Host::start(
        ducksends(),
        "scenarios/ducksends.ron",
        &dir.join("s.ron"),
        seed,
    )
    .unwrap()
}

#[test]
fn next_event_lands_on_the_events_minute() {
    let mut host = Host::plain(ducksends(), "ducksends", 1).unwrap();
    for _ in 0..20 {
        let before = host.sim().journal().len();
        assert_eq!(host.handle(Intent::Step), Reply::Done);
        let journal = host.sim().journal();
        if journal.len() > before {
            assert_eq!(
                journal.last().map(|e| e.t),
                Some(host.now()),
                "the clock shows the minute whose events were just played"
            );
        }
    }
    assert!(host.now() > 0);
}

#[test]
fn pause_freezes_the_clock_and_deadlines_whatever_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = recording(dir.path(), 3);
    while raised_at(&host, "helpdesk-tip").is_none() {
        assert_eq!(host.handle(Intent::Step), Reply::Done);
    }
    let (now, length) = (host.now(), host.sim().journal().len());
    let mut adhoc: Inject = host.scenario().injects[0].clone();
    adhoc.id = "adhoc-1".into();
    let commands = vec![
        Command::Observe {
            author: "facilitator".into(),
            text: "paused".into(),
        },
        Command::FireInject {
            inject: "news-article".into(),
        },
        Command::DelayInject {
            inject: "supervisor-call".into(),
            by: SimDuration::parse("2h").unwrap(),
        },
        Command::SkipInject {
            inject: "fin-csirt-sick".into(),
        },
        Command::ComposeInject {
            inject: Box::new(adhoc),
        },
        Command::Rate {
            objective: "obj-1".into(),
            rating: Rating::Performed,
            evaluator: "eva".into(),
            comment: "ok".into(),
        },
    ];
    // Many of each: a paused room may talk for an hour of wall time.
    for _ in 0..30 {
        for command in &commands {
            assert!(matches!(
                host.handle(Intent::Give(command.clone())),
                Reply::Given(Given { at, .. }) if at == now + 1
            ));
        }
    }
    let reply = host.handle(Intent::Act {
        role: "ciso".into(),
        action: PlayerAction::RequestScan { entity: None },
    });
    assert!(matches!(reply, Reply::Given(_)), "{reply:?}");
    let reply = host.handle(Intent::Answer {
        role: "ciso".into(),
        decision: "helpdesk-tip".into(),
        option: "investigate".into(),
    });
    assert!(matches!(reply, Reply::Given(_)), "{reply:?}");
    assert_eq!(host.now(), now, "the paused clock did not move");
    assert_eq!(
        host.sim().journal().len(),
        length,
        "nothing was played while paused"
    );
    assert_eq!(host.queued().len(), 30 * commands.len() + 2);
    assert_eq!(
        taken(&host, "helpdesk-tip"),
        None,
        "no deadline burned while paused"
    );
    // Every command is already on disk.
    let recorded = session::load(&dir.path().join("s.ron")).unwrap();
    assert_eq!(recorded.commands.len(), 30 * commands.len() + 2);

    // Stepping plays the minute they were given for, and shows it.
    assert_eq!(host.handle(Intent::Step), Reply::Done);
    assert_eq!(host.now(), now + 1);
    assert_eq!(
        taken(&host, "helpdesk-tip"),
        Some((now + 1, "ciso".to_owned()))
    );
    assert!(host.queued().is_empty());
}

#[test]
fn a_session_given_while_paused_replays_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = recording(dir.path(), 5);
    host.handle(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    host.handle(Intent::JumpTo(300));
    while host.is_playing() {
        frame(&mut host, Duration::ZERO);
    }
    for text in ["one", "two", "three"] {
        host.handle(Intent::Give(Command::Observe {
            author: "facilitator".into(),
            text: text.into(),
        }));
    }
    host.handle(Intent::Step);
    host.handle(Intent::Give(Command::SkipInject {
        inject: "news-article".into(),
    }));
    host.handle(Intent::SetSpeed(Speed::Max));
    host.handle(Intent::TogglePlay);
    while host.is_playing() {
        frame(&mut host, Duration::from_millis(16));
    }
    assert!(host.sim().is_finished());
    let live = host.sim().journal().to_vec();
    let recorded = session::load(&dir.path().join("s.ron")).unwrap();
    let scenario = ducksends();
    let replayed = session::replay(&recorded, &scenario).unwrap();
    assert!(replayed.finished);
    assert_eq!(replayed.sim.journal(), &live[..]);
}

#[test]
fn wall_time_moves_the_clock_at_its_speed() {
    let mut host = Host::plain(ducksends(), "ducksends", 1).unwrap();
    host.handle(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    frame(&mut host, Duration::from_secs(60));
    assert_eq!(host.now(), 0, "a paused clock ignores wall time");
    host.handle(Intent::TogglePlay);
    frame(&mut host, Duration::from_secs(90));
    assert_eq!(host.now(), 90, "×60: a wall second is a simulated minute");
    host.handle(Intent::SetSpeed(Speed::Times(600)));
    frame(&mut host, Duration::from_secs(6));
    assert_eq!(host.now(), 150);
    host.handle(Intent::TogglePlay);
    frame(&mut host, Duration::from_secs(600));
    assert_eq!(host.now(), 150);
}

#[test]
fn a_frame_keeps_within_its_budget() {
    let mut host = Host::plain(ducksends(), "ducksends", 1).unwrap();
    host.handle(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    host.handle(Intent::SetSpeed(Speed::Max));
    host.handle(Intent::TogglePlay);
    let few = FrameBudget {
        max_steps: 3,
        max_micros: 1_000_000,
    };
    let stats = host.advance(Duration::ZERO, few, &mut ticking(Duration::ZERO));
    assert_eq!(stats.steps, 3);
    // Each reading of this stopwatch costs 2 ms: a 10 ms frame fits two steps at most.
    let short = FrameBudget {
        max_steps: 1_000,
        max_micros: 10_000,
    };
    let stats = host.advance(
        Duration::ZERO,
        short,
        &mut ticking(Duration::from_millis(2)),
    );
    assert!((1..=2).contains(&stats.steps), "{stats:?}");
    assert!(!host.sim().is_finished());
    while host.is_playing() {
        host.advance(Duration::ZERO, few, &mut ticking(Duration::ZERO));
    }
    assert!(host.sim().is_finished(), "max speed plays to the end");
}

#[test]
fn auto_pause_stops_on_the_decision_and_a_jump_on_its_minute() {
    let mut host = Host::plain(ducksends(), "ducksends", 3).unwrap();
    host.handle(Intent::SetSpeed(Speed::Max));
    host.handle(Intent::TogglePlay);
    while host.is_playing() {
        frame(&mut host, Duration::ZERO);
    }
    let raised = raised_at(&host, "helpdesk-tip").unwrap();
    assert_eq!(
        host.now(),
        raised,
        "paused on the minute the decision was raised"
    );
    assert!(
        host.take_notice()
            .is_some_and(|n| n.text.contains("a decision was raised"))
    );
    let target = raised + 600;
    host.handle(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    host.handle(Intent::JumpTo(target));
    while host.is_playing() {
        frame(&mut host, Duration::ZERO);
    }
    assert_eq!(host.now(), target);
    assert!(
        matches!(host.handle(Intent::JumpTo(target)), Reply::Refused(why) if why.contains("already past"))
    );
}

#[test]
fn a_review_seeks_and_refuses_to_change_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let session_path = dir.path().join("s.ron");
    {
        let mut host = recording(dir.path(), 2);
        host.handle(Intent::PauseOn {
            inject: false,
            decision: false,
        });
        host.handle(Intent::Give(Command::Observe {
            author: "facilitator".into(),
            text: "start".into(),
        }));
        host.handle(Intent::JumpTo(600));
        while host.is_playing() {
            frame(&mut host, Duration::ZERO);
        }
    }
    let (mut host, _) = Host::review(&session_path).unwrap();
    let end = host.now();
    assert!(end >= 540, "opens at the end of its recording ({end})");
    assert_eq!(host.given().len(), 1);
    assert_eq!(
        host.handle(Intent::Seek(120)),
        Reply::Moved(session::Moved::Back)
    );
    assert_eq!(host.now(), 120);
    assert!(host.sim().journal().iter().all(|e| e.t <= 120));
    assert_eq!(
        host.handle(Intent::Seek(300)),
        Reply::Moved(session::Moved::Forward)
    );
    assert_eq!(host.now(), 300);
    assert_eq!(
        host.handle(Intent::TogglePlay),
        Reply::Refused(READ_ONLY.into())
    );
    assert!(matches!(
        host.handle(Intent::Give(Command::Observe {
            author: "facilitator".into(),
            text: "x".into()
        })),
        Reply::Refused(_)
    ));
    assert_eq!(session::load(&session_path).unwrap().commands.len(), 1);
}

#[test]
fn resume_restores_the_room() {
    let dir = tempfile::tempdir().unwrap();
    let session_path = dir.path().join("s.ron");
    {
        let mut host = recording(dir.path(), 4);
        host.handle(Intent::SetSpeed(Speed::Times(600)));
        host.handle(Intent::PauseOn {
            inject: true,
            decision: false,
        });
        host.handle(Intent::Seat {
            role: "ciso".into(),
            open: true,
        });
        host.handle(Intent::Seat {
            role: "ncsc-duty".into(),
            open: true,
        });
        host.handle(Intent::Projector(true));
        host.set_look(150, true);
        for _ in 0..12 {
            host.handle(Intent::Give(Command::Observe {
                author: "facilitator".into(),
                text: "note".into(),
            }));
        }
        host.handle(Intent::JumpTo(200));
        while host.is_playing() {
            frame(&mut host, Duration::ZERO);
        }
        // The app is killed here: nothing but the files is left.
    }
    let (host, _) = Host::resume(&session_path, None).unwrap();
    assert_eq!(host.given().len(), 12, "the commands recorded before");
    assert_eq!(host.clock().speed, Speed::Times(600));
    assert_eq!(host.pause_on(), (true, false));
    assert_eq!(host.seats().roles(), ["ciso", "ncsc-duty"]);
    assert!(host.seats().projector_open());
    assert!(host.seats().view("ciso").is_some());
    assert_eq!(host.look(), (150, true));
}

#[test]
fn a_refused_action_is_given_and_becomes_evidence() {
    let mut host = Host::plain(ducksends(), "ducksends", 1).unwrap();
    let reply = host.handle(Intent::Act {
        role: "ciso".into(),
        action: PlayerAction::RaiseCrisis {
            level: scenario::CrisisLevel::Alert,
        },
    });
    let Reply::Given(given) = reply else {
        panic!("not given: {reply:?}")
    };
    assert!(
        matches!(&given.check, Some(Err(why)) if why.contains("may not raise the crisis level"))
    );
    host.handle(Intent::Step);
    assert!(host.sim().journal().iter().any(|e| matches!(
        &e.event,
        Event::ActionRefused { role, reason, .. }
            if &**role == "ciso" && reason.contains("may not raise the crisis level")
    )));
}
