//! Trainees as players, at the library level: roles answer prompts and the outcome
//! changes, defaults apply at the timeout, only the owning role (or the facilitator) may
//! answer, players' own actions follow the rules (TLP, services) with a clear refusal, and
//! sessions with players' commands replay bit for bit.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::{ducksends, journal_bytes};
use tabletop::scenario::{CrisisLevel, ReportKind, Tlp};
use tabletop::sim::view::InboxKind;
use tabletop::sim::{Command, Event, PlayerAction, Simulation, Variants};

/// When the question of `inject` was raised and its deadline.
fn raised(sim: &Simulation, decision: &str) -> Option<(i64, i64)> {
    sim.journal().iter().find_map(|e| match &e.event {
        Event::DecisionRaised {
            decision: d,
            deadline,
            ..
        } if &**d == decision => Some((e.t, *deadline)),
        _ => None,
    })
}

fn taken(sim: &Simulation, decision: &str) -> Option<(i64, String, String)> {
    sim.journal().iter().find_map(|e| match &e.event {
        Event::DecisionTaken {
            decision: d,
            option,
            by,
        } if &**d == decision => Some((e.t, option.to_string(), by.to_string())),
        _ => None,
    })
}

/// `by` answers `decision` with `option` at minute `at`.
fn answer(sim: &mut Simulation, at: i64, decision: &str, option: &str, by: &str) {
    sim.submit(
        at,
        Command::Decide {
            decision: decision.into(),
            option: option.into(),
            by: by.into(),
        },
    )
    .unwrap();
}

fn first_detection(sim: &Simulation, entity: &str) -> Option<i64> {
    sim.journal().iter().find_map(|e| match &e.event {
        Event::Detected { entity: who, .. } if &*who.id == entity => Some(e.t),
        _ => None,
    })
}

/// Plays to the moment `decision` is raised; panics if it never is.
fn until_raised(seed: u64, decision: &str) -> Simulation {
    let scenario = ducksends();
    let mut sim = Simulation::new(&scenario, seed).unwrap();
    while raised(&sim, decision).is_none() {
        assert!(sim.step(), "{decision} never raised (seed {seed})");
    }
    sim
}

#[test]
fn the_default_applies_at_the_timeout_and_the_role_sees_it() {
    let mut sim = until_raised(3, "helpdesk-tip");
    let (at, deadline) = raised(&sim, "helpdesk-tip").unwrap();
    assert_eq!(deadline - at, 60, "the question gives the CISO an hour");
    let view = sim.role_view("ciso").unwrap();
    let prompt = view
        .prompts
        .iter()
        .find(|p| p.decision == "helpdesk-tip")
        .expect("the CISO is asked");
    assert_eq!(prompt.default, "monitor");
    assert!(
        prompt
            .options
            .iter()
            .any(|(id, label)| id == "investigate" && label.starts_with("Investigate now"))
    );
    // The fin-csirt duty officer is not asked.
    assert!(sim.role_view("fin-duty").unwrap().prompts.is_empty());

    sim.run_to_end();
    let (t, option, by) = taken(&sim, "helpdesk-tip").unwrap();
    assert_eq!(
        (t, option.as_str(), by.as_str()),
        (deadline, "monitor", "default")
    );
    let view = sim.role_view("ciso").unwrap();
    assert!(view.prompts.is_empty());
    assert!(view.inbox.iter().any(|i| i.kind == InboxKind::Decision
        && i.body == "Keep an eye on it; nothing for now — the default applied"));
}

#[test]
fn a_role_answers_a_prompt_and_the_outcome_changes() {
    // Over many seeds, the CISO who has the helpdesk investigate finds the intrusion
    // earlier (or at all) more often than the one who lets the default apply.
    let scenario = ducksends();
    let (mut earlier, mut later) = (0, 0);
    for seed in 0..60 {
        let mut default = Simulation::new(&scenario, seed).unwrap();
        default.run_to_end();
        let mut answered = until_raised(seed, "helpdesk-tip");
        let at = answered.earliest_command_time();
        answer(&mut answered, at, "helpdesk-tip", "investigate", "ciso");
        answered.run_to_end();
        let (t, option, by) = taken(&answered, "helpdesk-tip").unwrap();
        assert_eq!(
            (t, option.as_str(), by.as_str()),
            (at, "investigate", "ciso")
        );
        let (d, a) = (
            first_detection(&default, "ducksends").unwrap_or(i64::MAX),
            first_detection(&answered, "ducksends").unwrap_or(i64::MAX),
        );
        if a < d {
            earlier += 1;
        }
        if a > d {
            later += 1;
        }
    }
    assert!(
        earlier >= 10 && later == 0,
        "investigating should find DuckSends' intrusion earlier in many seeds and later in none: earlier {earlier}, later {later}"
    );
}

#[test]
fn only_the_owning_role_or_the_facilitator_answers() {
    let mut sim = until_raised(3, "helpdesk-tip");
    let at = sim.earliest_command_time();
    for by in ["fin-duty", "someone"] {
        answer(&mut sim, at, "helpdesk-tip", "investigate", by);
    }
    sim.advance_to(at + 1);
    let refusals: Vec<String> = sim
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::CommandRefused { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    assert!(refusals[0].contains("does not answer decision helpdesk-tip"));
    assert!(refusals[1].contains("neither a role nor \"facilitator\""));
    // The facilitator may answer for an absent player.
    answer(
        &mut sim,
        at + 1,
        "helpdesk-tip",
        "investigate",
        "facilitator",
    );
    sim.advance_to(at + 2);
    let (_, option, by) = taken(&sim, "helpdesk-tip").unwrap();
    assert_eq!(
        (option.as_str(), by.as_str()),
        ("investigate", "facilitator")
    );
}

#[test]
fn a_refused_share_explains_why() {
    // With share-first, fin-csirt passes the raw indicators to the national CSIRT at
    // TLP:AMBER: the national CSIRT may not pass them on to its peer abroad.
    let scenario = ducksends();
    let variants = Variants::from([("fin-intake".to_owned(), "share-first".to_owned())]);
    let mut sim = Simulation::with_variants(&scenario, 1, &variants).unwrap();
    let received_amber = |sim: &Simulation| {
        sim.role_view("ncsc-duty").and_then(|v| {
            v.indicators
                .iter()
                .find(|i| i.from.is_some() && i.tlp == Tlp::Amber)
                .map(|i| i.id.to_string())
        })
    };
    while received_amber(&sim).is_none() {
        assert!(
            sim.step(),
            "the national CSIRT never receives TLP:AMBER material"
        );
    }
    let indicator = received_amber(&sim).unwrap();
    let share = PlayerAction::Share {
        to: "be-csirt".into(),
        indicators: vec![indicator.clone()],
        tlp: Tlp::Green,
    };
    let why = sim.check_action("ncsc-duty", &share).unwrap_err();
    assert!(
        why.contains("received under TLP:AMBER")
            && why.contains("may reach only the holder's own organisation and its constituents"),
        "{why}"
    );
    // Given anyway (a hand-edited session), the engine refuses it the same way.
    let at = sim.earliest_command_time();
    sim.submit(
        at,
        Command::Act {
            role: "ncsc-duty".into(),
            action: share,
        },
    )
    .unwrap();
    sim.advance_to(at + 1);
    assert!(sim.journal().iter().any(|e| matches!(&e.event,
        Event::ActionRefused { role, reason, .. }
            if &**role == "ncsc-duty" && reason.contains("received under TLP:AMBER"))));
    assert!(!sim.journal().iter().any(|e| matches!(&e.event,
        Event::Shared { from, to, .. } if &*from.id == "ncsc-nl" && &*to.id == "be-csirt")
        || matches!(&e.event, Event::PlayerActed { role, .. } if &**role == "ncsc-duty")));
    let view = sim.role_view("ncsc-duty").unwrap();
    assert!(view.inbox.iter().any(|i| {
        i.kind == InboxKind::Refusal
            && i.body
                .contains("may reach only the holder's own organisation")
    }));

    // Back to the CSIRT it came from is no better: AMBER goes to constituents only; but
    // what fin-csirt itself holds may go to fin-csirt's own constituency.
    let back = PlayerAction::Share {
        to: "fin-csirt".into(),
        indicators: vec![indicator.clone()],
        tlp: Tlp::Amber,
    };
    assert!(sim.check_action("ncsc-duty", &back).is_err());
    let ok = PlayerAction::Share {
        to: "zilverbank".into(),
        indicators: vec![indicator],
        tlp: Tlp::Amber,
    };
    assert_eq!(
        sim.check_action("fin-duty", &ok).unwrap(),
        "shared 1 indicator with Zilverbank under TLP:AMBER"
    );

    // What the role may not do at all is refused by name.
    let raise = PlayerAction::RaiseCrisis {
        level: CrisisLevel::Alert,
    };
    let why = sim.check_action("ciso", &raise).unwrap_err();
    assert!(why.contains("may not raise the crisis level"), "{why}");
    let why = sim
        .check_action(
            "ciso",
            &PlayerAction::Report {
                incident: 9,
                report: ReportKind::DoraInitial,
            },
        )
        .unwrap_err();
    assert!(why.contains("has no incident #9"), "{why}");
}

#[test]
fn the_national_duty_officer_raises_the_crisis_level() {
    let scenario = ducksends();
    let mut sim = Simulation::new(&scenario, 2).unwrap();
    sim.advance_to(120);
    let raise = PlayerAction::RaiseCrisis {
        level: CrisisLevel::Alert,
    };
    assert!(sim.check_action("ncsc-duty", &raise).is_ok());
    let at = sim.earliest_command_time();
    sim.submit(
        at,
        Command::Act {
            role: "ncsc-duty".into(),
            action: raise.clone(),
        },
    )
    .unwrap();
    sim.advance_to(at + 1);
    let view = sim.role_view("ncsc-duty").unwrap();
    assert_eq!(view.crisis_level, Some(CrisisLevel::Alert));
    assert_eq!(view.raisable, vec![CrisisLevel::Crisis]);
    assert!(sim.journal().iter().any(|e| matches!(&e.event,
        Event::CrisisLevelChanged { csirt, reason, .. }
            if &*csirt.id == "ncsc-nl" && reason.contains("National CSIRT (NL) duty officer"))));
    // Raising again to the same level is refused with the reason.
    let why = sim.check_action("ncsc-duty", &raise).unwrap_err();
    assert!(why.contains("already at alert"), "{why}");
    // The projector shows the level, and never an indicator.
    let projector = sim.projector_view();
    assert!(
        projector
            .crisis
            .iter()
            .any(|(name, level)| &**name == "National CSIRT (NL)" && *level == CrisisLevel::Alert)
    );
}

#[test]
fn the_ciso_sends_an_owed_report_early() {
    // Once DuckSends has an incident and owes fin-csirt a voluntary report, the CISO can
    // send it at once rather than when the organisation would have got round to it.
    let scenario = ducksends();
    for seed in 0..40 {
        let mut sim = Simulation::new(&scenario, seed).unwrap();
        let owed = |sim: &Simulation| {
            sim.role_view("ciso").and_then(|v| {
                v.owed
                    .iter()
                    .find(|o| o.report == ReportKind::Voluntary)
                    .cloned()
            })
        };
        while owed(&sim).is_none() && sim.step() {}
        let Some(report) = owed(&sim) else { continue };
        let at = sim.earliest_command_time();
        sim.submit(
            at,
            Command::Act {
                role: "ciso".into(),
                action: PlayerAction::Report {
                    incident: report.incident,
                    report: report.report,
                },
            },
        )
        .unwrap();
        sim.advance_to(at + 1);
        let sent = sim.journal().iter().find_map(|e| match &e.event {
            Event::ReportSent { entity, report, .. }
                if &*entity.id == "ducksends" && *report == ReportKind::Voluntary =>
            {
                Some(e.t)
            }
            _ => None,
        });
        assert_eq!(
            sent,
            Some(at),
            "seed {seed}: the report goes when the CISO sends it"
        );
        assert!(sim.journal().iter().any(|e| matches!(&e.event,
            Event::PlayerActed { role, .. } if &**role == "ciso")));
        // "You" means the trainee: the report the CISO sent reads as theirs.
        let view = sim.role_view("ciso").unwrap();
        let mine = view
            .inbox
            .iter()
            .find(|i| i.subject.starts_with("voluntary notification sent"))
            .unwrap();
        assert_eq!(mine.from, "you", "{mine:?}");
        return;
    }
    panic!("in no seed did DuckSends owe fin-csirt a report");
}

#[test]
fn players_commands_replay_bit_for_bit() {
    let scenario = ducksends();
    let play = || {
        let mut sim = until_raised(5, "helpdesk-tip");
        let at = sim.earliest_command_time();
        answer(&mut sim, at, "helpdesk-tip", "investigate", "ciso");
        sim.submit(
            at + 30,
            Command::Act {
                role: "ncsc-duty".into(),
                action: PlayerAction::RaiseCrisis {
                    level: CrisisLevel::Alert,
                },
            },
        )
        .unwrap();
        sim.run_to_end();
        sim
    };
    let (mut a, mut b) = (play(), play());
    assert_eq!(journal_bytes(&a), journal_bytes(&b));
    assert_eq!(a.state_checksum(), b.state_checksum());
    // And a fresh simulation fed the applied commands gives the same journal.
    let mut replayed = Simulation::new(&scenario, 5).unwrap();
    for stamped in a.applied_commands().to_vec() {
        replayed
            .submit_with_seq(stamped.at, stamped.seq, stamped.command)
            .unwrap();
    }
    replayed.run_to_end();
    assert_eq!(journal_bytes(&a), journal_bytes(&replayed));
}

#[test]
fn an_answer_must_name_the_procedure_of_its_run() {
    let scenario = ducksends();
    let decision = "fin-csirt/fin-intake#1/call-national";
    let mut sim = Simulation::new(&scenario, 4).unwrap();
    while raised(&sim, decision).is_none() {
        assert!(sim.step(), "{decision} never raised");
    }
    let at = sim.earliest_command_time();
    answer(
        &mut sim,
        at,
        "fin-csirt/other-sop#1/call-national",
        "call-now",
        "facilitator",
    );
    sim.advance_to(at + 1);
    assert!(sim.journal().iter().any(|e| matches!(&e.event,
        Event::CommandRefused { reason, .. }
            if reason.contains("is \"fin-intake\", not \"other-sop\""))));
    assert!(taken(&sim, decision).is_none(), "the decision stays open");
    // Named rightly, by the role that owns it, the call goes out at once.
    answer(&mut sim, at + 1, decision, "call-now", "fin-duty");
    sim.advance_to(at + 2);
    let (t, option, by) = taken(&sim, decision).unwrap();
    assert_eq!(
        (t, option.as_str(), by.as_str()),
        (at + 1, "call-now", "fin-duty")
    );
    assert!(sim.journal().iter().any(|e| e.t == at + 1
        && matches!(&e.event, Event::Shared { from, to, .. }
            if &*from.id == "fin-csirt" && &*to.id == "ncsc-nl")));
}

#[test]
fn a_refreshed_role_view_equals_a_fresh_one() {
    // The console refreshes open windows by reading only the new journal lines; at any
    // moment that must show exactly what a window opened afresh would.
    let scenario = ducksends();
    let mut sim = Simulation::new(&scenario, 7).unwrap();
    let mut views: Vec<_> = scenario
        .roles
        .iter()
        .map(|r| sim.role_view(&r.id).unwrap())
        .collect();
    let mut projector = sim.projector_view();
    let mut steps = 0;
    sim.advance_to(46);
    assert_eq!(
        sim.role_view("ciso").unwrap().now,
        45,
        "quiet minutes move the clock too: it shows the last minute played"
    );
    while sim.step() {
        steps += 1;
        if steps % 3 != 0 {
            continue;
        }
        for view in &mut views {
            let refreshed = sim.refresh_role_view(view.clone()).unwrap();
            assert_eq!(
                refreshed,
                sim.role_view(&view.id).unwrap(),
                "at T+{}",
                sim.now()
            );
            assert_eq!(
                refreshed.now,
                sim.played_to(),
                "the window's clock is the exercise's"
            );
            *view = refreshed;
        }
        projector = sim.refresh_projector_view(projector);
        assert_eq!(projector, sim.projector_view());
    }
    assert!(views.iter().all(|v| !v.inbox.is_empty()));
    assert!(
        !projector.news.is_empty(),
        "the evening paper is on the projector"
    );
}

/// Issue 16: "you" means the trainee. A report the organisation sent by itself, with no
/// one at the CISO's seat acting, reads as the organisation's in the CISO's inbox.
#[test]
fn a_report_the_organisation_sent_by_itself_is_not_yours() {
    let scenario = ducksends();
    for seed in 0..40 {
        let mut sim = Simulation::new(&scenario, seed).unwrap();
        sim.run_to_end();
        let view = sim.role_view("ciso").unwrap();
        let Some(sent) = view.inbox.iter().find(|i| i.subject.contains(" sent to ")) else {
            continue;
        };
        assert_eq!(sent.from, "DuckSends", "seed {seed}: {sent:?}");
        assert!(
            view.inbox.iter().all(|i| i.from != "you"),
            "seed {seed}: nobody played the CISO, so nothing is \"you\""
        );
        return;
    }
    panic!("no seed in 0..40 where DuckSends sends a report");
}

/// Issue 16: a prompt names what it is about: the case a procedure works (whose report,
/// which run), or the message an inject's question came with.
#[test]
fn every_prompt_says_what_it_concerns() {
    let scenario = ducksends();
    let (mut duty, mut ciso) = (None, None);
    for seed in 0..20 {
        let mut sim = Simulation::new(&scenario, seed).unwrap();
        while sim.step() && (duty.is_none() || ciso.is_none()) {
            if duty.is_none() {
                duty = sim
                    .role_view("fin-duty")
                    .and_then(|v| v.prompts.first().cloned());
            }
            if ciso.is_none() {
                ciso = sim
                    .role_view("ciso")
                    .and_then(|v| v.prompts.first().cloned());
            }
        }
        if duty.is_some() && ciso.is_some() {
            break;
        }
    }
    let duty = duty.expect("fin-csirt's duty officer is asked in some seed");
    assert!(
        duty.concerns
            .ends_with("' case (procedure fin-intake, run 1)")
            || duty
                .concerns
                .contains("'s case (procedure fin-intake, run "),
        "{}",
        duty.concerns
    );
    let ciso = ciso.expect("the CISO is asked in some seed");
    assert!(
        ciso.concerns.starts_with("DuckSends IT helpdesk: ")
            || ciso
                .concerns
                .starts_with("journalist, De Financiële Krant: "),
        "who asks, and the message's subject: {}",
        ciso.concerns
    );
}

/// Issue 16: a desk says whether it is in office hours or on call.
#[test]
fn a_desk_says_whether_it_is_in_office_hours_or_on_call() {
    let scenario = ducksends();
    let mut sim = Simulation::new(&scenario, 1).unwrap();
    // Friday 16:30 + 4h: Friday evening, fin-csirt's office is closed, on call answers.
    sim.advance_to(4 * 60);
    let desk = sim.actor_view("fin-csirt").unwrap().desk.unwrap();
    assert!(
        desk.staffing
            .label()
            .starts_with("outside office hours: on call"),
        "{:?}",
        desk.staffing
    );
    // Monday 10:00.
    sim.advance_to(2 * 24 * 60 + 17 * 60 + 30);
    let desk = sim.actor_view("fin-csirt").unwrap().desk.unwrap();
    assert_eq!(desk.staffing.label(), "in office hours");
}

/// DuckSends' discussion question "isolate the payment platform?": the CISO's "isolate"
/// takes DuckSends offline for 6 h whether or not it knows of the intrusion yet, its
/// service is down meanwhile, and it comes back; "keep running" changes nothing.
#[test]
fn isolating_the_payment_platform_takes_ducksends_offline_for_six_hours() {
    let decision = "journalist-call:payments-offline@ducksends";
    let mut sim = until_raised(3, decision);
    let (at, _) = raised(&sim, decision).unwrap();
    answer(&mut sim, at + 10, decision, "isolate", "ciso");
    sim.run_to_end();
    let minutes = |kind: &str| -> Vec<i64> {
        sim.journal()
            .iter()
            .filter(|e| e.kind() == kind)
            .map(|e| e.t)
            .collect()
    };
    assert_eq!(minutes("taken_offline"), [at + 11]);
    assert_eq!(minutes("back_online"), [at + 11 + 360]);
    let mut kept = until_raised(3, decision);
    answer(&mut kept, at + 10, decision, "keep-running", "ciso");
    kept.run_to_end();
    assert!(
        !kept.journal().iter().any(|e| e.kind() == "taken_offline"),
        "keeping it running takes nothing offline"
    );
}
