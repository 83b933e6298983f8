//! Standard operating procedures as data, and the objectives engine: steps run in order
//! as analyst work, queue when staff is short, meet or miss their deadlines; decisions take
//! their default at the timeout unless a player answers; each objective kind is judged.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use tabletop::scenario::{Scenario, parse};
use tabletop::sim::{Command, Event, Simulation, Verdict};

/// A small exercise: one CSIRT with `analysts`, two banks, a campaign against the first
/// that is noticed at once, and the given procedures and objectives.
fn tiny(analysts: u32, sops: &str, objectives: &str) -> Scenario {
    exercise(analysts, r#"Entity("bank-a")"#, sops, objectives, "")
}

/// As `tiny`, with the campaign's targets and the roles trainees play given.
fn exercise(analysts: u32, targets: &str, sops: &str, objectives: &str, roles: &str) -> Scenario {
    let text = format!(
        r#"#![enable(implicit_some)]
Scenario(
    version: 1, name: "tiny", start: "2026-03-16 10:00", duration: "2d",
    csirts: [Csirt(id: "cert", name: "CERT", kind: National, country: "NL", analysts: {analysts}, hours: Always)],
    authorities: [Authority(id: "auth", name: "Authority", kind: Nis2Authority, country: "NL")],
    entities: [
        Organisation(id: "bank-a", name: "Bank A", sector: Finance, country: "NL", class: Essential,
                     csirt: "cert", monitoring: High, reporting: [Voluntary(to: "cert")]),
        Organisation(id: "bank-b", name: "Bank B", sector: Finance, country: "NL", class: Essential,
                     csirt: "cert", monitoring: High, reporting: [Voluntary(to: "cert")]),
    ],
    adversaries: [Adversary(id: "crew", name: "Crew", intent: Financial, capability: Low, campaigns: [
        Campaign(id: "c1", name: "C1", targets: [{targets}],
            indicators: [Indicator(id: "ioc-1", kind: Domain, value: "bad.example")],
            stages: [
                Stage(id: "s1", name: "Phish", technique: "T1566", duration: ("10m", "20m"),
                      indicators: ["ioc-1"], detection: Easy),
                Stage(id: "s2", name: "Encrypt", technique: "T1486", duration: ("20h", "30h"),
                      detection: Hard, effect: Encryption),
            ]),
    ])],
    sops: [{sops}],
    objectives: [{objectives}],
    roles: [{roles}],
)"#
    );
    match parse("tiny.ron", text.as_bytes()) {
        Ok(scenario) => scenario,
        Err(d) => panic!("{d}"),
    }
}

const INTAKE: &str = r#"Sop(id: "intake", owner: "cert", trigger: Report(), steps: [
    Step(id: "triage", action: Triage, duration: ("30m", "30m")),
    Step(id: "analyse", action: Analyse, duration: ("2h", "2h"), after: ["triage"]),
    Step(id: "feedback", action: ContactEntity, duration: ("10m", "10m"), after: ["triage"], deadline: "1h"),
    Step(id: "warn", action: ShareIndicators(with: Constituency, tlp: Amber), duration: ("10m", "10m"),
         after: ["analyse"], deadline: "2h 45m"),
])"#;

fn run(scenario: &Scenario, seed: u64, commands: &[(i64, Command)]) -> Simulation {
    let mut sim = Simulation::new(scenario, seed).unwrap();
    for (at, command) in commands {
        sim.submit(*at, command.clone()).unwrap();
    }
    sim.run_to_end();
    sim
}

/// (instance, step, elapsed, met) of every finished step.
fn steps(sim: &Simulation) -> Vec<(u32, String, i64, Option<bool>)> {
    sim.journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::StepFinished {
                instance,
                step,
                elapsed,
                met,
                ..
            } => Some((*instance, step.id.to_string(), *elapsed, *met)),
            _ => None,
        })
        .collect()
}

#[test]
fn steps_run_in_dependency_order_and_deadlines_are_judged() {
    let sim = run(&tiny(4, INTAKE, ""), 1, &[]);
    let first: Vec<_> = steps(&sim).into_iter().filter(|s| s.0 == 1).collect();
    let order: Vec<&str> = first.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(
        order,
        ["triage", "feedback", "analyse", "warn"],
        "{first:?}"
    );
    let at = |name: &str| first.iter().find(|s| s.1 == name).unwrap().clone();
    assert_eq!(at("triage").2, 30);
    assert_eq!(at("feedback"), (1, "feedback".into(), 40, Some(true)));
    assert_eq!(at("analyse").2, 150);
    assert_eq!(
        at("warn"),
        (1, "warn".into(), 160, Some(true)),
        "2h 40m is within 2h 45m"
    );
    // The warning really went out: bank-b learned the indicator from the CERT.
    assert!(sim.journal().iter().any(|e| matches!(&e.event,
        Event::IndicatorLearned { actor, from: Some(from), .. } if &*actor.id == "bank-b" && &*from.id == "cert")));
}

#[test]
fn one_analyst_makes_the_second_report_wait() {
    // Both banks are hit and report at about the same time; with one analyst the second
    // run's steps wait for the first run's work, with four they do not.
    let both = r#"Entity("bank-a"), Entity("bank-b")"#;
    let wait = |analysts: u32| -> i64 {
        let sim = run(&exercise(analysts, both, INTAKE, "", ""), 3, &[]);
        sim.journal()
            .iter()
            .filter_map(|e| match &e.event {
                Event::WorkStarted { waited_minutes, .. } => Some(*waited_minutes),
                _ => None,
            })
            .sum()
    };
    let (one, four) = (wait(1), wait(4));
    assert!(
        one > four + 60,
        "total waiting with 1 analyst {one} min, with 4 {four} min"
    );
    // Waiting makes the second run miss its warning deadline, and that is journaled.
    let sim = run(&exercise(1, both, INTAKE, "", ""), 3, &[]);
    assert!(
        steps(&sim)
            .iter()
            .any(|s| s.1 == "warn" && s.3 == Some(false)),
        "{:?}",
        steps(&sim)
    );
    assert!(sim.journal().iter().any(
        |e| matches!(&e.event, Event::StepDeadlineMissed { step, .. } if &*step.id == "warn")
    ));
}

const DECIDE: &str = r#"Sop(id: "escalation", owner: "cert", trigger: Report(), steps: [
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
])"#;

fn decisions(sim: &Simulation) -> Vec<(String, String, String)> {
    sim.journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::DecisionTaken {
                decision,
                option,
                by,
            } => Some((decision.to_string(), option.to_string(), by.to_string())),
            _ => None,
        })
        .collect()
}

fn bank_b_warned(sim: &Simulation) -> bool {
    sim.journal()
        .iter()
        .any(|e| matches!(&e.event, Event::Shared { to, warning: true, .. } if &*to.id == "bank-b"))
}

#[test]
fn a_decision_nobody_answers_takes_its_default_at_the_timeout() {
    let sim = run(&tiny(4, DECIDE, ""), 1, &[]);
    let raised = sim
        .journal()
        .iter()
        .find_map(|e| match &e.event {
            Event::DecisionRaised {
                decision, deadline, ..
            } => Some((decision.to_string(), *deadline, e.t)),
            _ => None,
        })
        .expect("the decision is raised");
    assert_eq!(raised.1 - raised.2, 60, "one hour to decide");
    let taken = decisions(&sim);
    assert_eq!(
        taken[0],
        (raised.0.clone(), "wait".into(), "default".into())
    );
    let at = sim
        .journal()
        .iter()
        .find(|e| matches!(e.event, Event::DecisionTaken { .. }))
        .unwrap()
        .t;
    assert_eq!(at, raised.1);
    assert!(!bank_b_warned(&sim), "waiting shares nothing");
}

/// The CERT's duty officer answers the escalation; Bank A's CISO plays but owns no decision.
const ROLES: &str = r#"
    Role(id: "cert-duty", title: "CERT duty officer", actor: "cert", decisions: ["escalation/escalate"]),
    Role(id: "bank-ciso", title: "Bank A CISO", actor: "bank-a"),
"#;

/// `tiny` with the escalation procedure and the roles above.
fn with_roles() -> Scenario {
    exercise(4, r#"Entity("bank-a")"#, DECIDE, "", ROLES)
}

/// The escalation's decision id and deadline, as raised when nobody answers.
fn escalation() -> (String, i64) {
    run(&with_roles(), 1, &[])
        .journal()
        .iter()
        .find_map(|e| match &e.event {
            Event::DecisionRaised {
                decision, deadline, ..
            } => Some((decision.to_string(), *deadline)),
            _ => None,
        })
        .unwrap()
}

fn decide(decision: &str, option: &str, by: &str) -> Command {
    Command::Decide {
        decision: decision.into(),
        option: option.into(),
        by: by.into(),
    }
}

/// The reasons of every refused command.
fn refusals(sim: &Simulation) -> Vec<String> {
    sim.journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::CommandRefused { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_players_decision_is_recorded_with_who_took_it_and_changes_the_outcome() {
    let (decision, deadline) = escalation();
    assert_eq!(decision, "cert/escalation#1/escalate");
    // The role that owns the decision answers before the timeout: its answer, not the
    // default, is taken, recorded with the role's id, and the sector is warned.
    let sim = run(
        &with_roles(),
        1,
        &[(deadline - 20, decide(&decision, "warn", "cert-duty"))],
    );
    assert_eq!(
        decisions(&sim),
        [(decision.clone(), "warn".into(), "cert-duty".into())]
    );
    assert!(bank_b_warned(&sim));
    assert_eq!(refusals(&sim), Vec::<String>::new());
    // The facilitator may answer for an absent player.
    let sim = run(
        &with_roles(),
        1,
        &[(deadline - 20, decide(&decision, "warn", "facilitator"))],
    );
    assert_eq!(
        decisions(&sim),
        [(decision, "warn".into(), "facilitator".into())]
    );
    assert!(bank_b_warned(&sim));
}

#[test]
fn only_the_facilitator_or_the_role_that_owns_a_decision_may_answer_it() {
    let (decision, deadline) = escalation();
    let refused_then_default = |by: &str, reason: &str| {
        let sim = run(
            &with_roles(),
            1,
            &[(deadline - 20, decide(&decision, "warn", by))],
        );
        assert_eq!(refusals(&sim), [reason.to_owned()], "answered by {by:?}");
        assert_eq!(
            decisions(&sim),
            [(decision.clone(), "wait".into(), "default".into())],
            "a refused answer leaves the decision to its default ({by:?})"
        );
        assert!(!bank_b_warned(&sim));
    };
    // Someone who is neither a role nor the facilitator.
    refused_then_default(
        "x",
        r#""x" is neither a role nor "facilitator"; known roles: "cert-duty", "bank-ciso""#,
    );
    // "default" is the engine's own answer at the timeout, never a command's.
    refused_then_default(
        "default",
        r#""default" is neither a role nor "facilitator"; known roles: "cert-duty", "bank-ciso""#,
    );
    // A role, but not the one that owns this decision.
    refused_then_default(
        "bank-ciso",
        r#"the role "bank-ciso" does not answer decision cert/escalation#1/escalate"#,
    );
    // A decision on a step that does not exist is refused, not a crash: the role does not
    // own it, and even the facilitator finds no such run.
    let bogus = "cert/escalation#9/nope";
    let sim = run(
        &with_roles(),
        1,
        &[
            (10, decide(bogus, "warn", "cert-duty")),
            (10, decide(bogus, "warn", "facilitator")),
        ],
    );
    assert_eq!(
        refusals(&sim),
        [
            format!(r#"the role "cert-duty" does not answer decision {bogus}"#),
            "no procedure run #9 at cert".to_owned(),
        ]
    );
}

fn verdict(sim: &Simulation, id: &str) -> Verdict {
    sim.outcome()
        .objectives
        .into_iter()
        .find(|o| &*o.id == id)
        .unwrap()
        .verdict
}

#[test]
fn each_objective_kind_is_judged_at_the_moment_it_is_decided() {
    let objectives = r#"
        Objective(id: "deadline-met", title: "feedback within 1h of the report",
            check: Deadline(after: ReportSent(by: Entity("bank-a"), report: Voluntary),
                            expected: Feedback(from: "cert", to: "bank-a"), within: "1h")),
        Objective(id: "deadline-missed", title: "warning within 1h of the report",
            check: Deadline(after: ReportSent(by: Entity("bank-a"), report: Voluntary),
                            expected: Shared(from: "cert", to: "bank-b"), within: "1h")),
        Objective(id: "coverage", title: "both banks know the domain within 6h of the CERT",
            check: Coverage(sector: Finance, indicator: "ioc-1", after: Knows(actor: "cert", indicator: "ioc-1"), within: "6h")),
        Objective(id: "ordering", title: "the sector is warned before the first encryption",
            check: Ordering(first: StepDone(sop: "intake", step: "warn"), then: NthImpact(effect: Encryption, count: 1))),
        Objective(id: "absence", title: "no bank is encrypted",
            check: Absence(Impact(at: Sector(Finance), effect: Encryption))),
    "#;
    let sim = run(&tiny(4, INTAKE, objectives), 1, &[]);
    let report = sim
        .journal()
        .iter()
        .find(|e| matches!(&e.event, Event::ReportSent { entity, .. } if &*entity.id == "bank-a"))
        .unwrap()
        .t;
    match verdict(&sim, "deadline-met") {
        Verdict::Met { at, evidence } => {
            assert!(at <= report + 60 + 15, "met at {at}, report at {report}");
            assert_eq!(evidence.len(), 2, "the report and the feedback");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(verdict(&sim, "deadline-missed"), Verdict::Missed { at, .. } if at == report + 60)
    );
    assert!(
        matches!(verdict(&sim, "coverage"), Verdict::Met { .. }),
        "{:?}",
        verdict(&sim, "coverage")
    );
    assert!(
        matches!(verdict(&sim, "ordering"), Verdict::Met { .. }),
        "{:?}",
        verdict(&sim, "ordering")
    );
    // The banks detect the phish at once but the encryption stage still runs where the
    // intrusion is not contained in time; whichever happens, absence agrees with impacts.
    let encrypted = sim
        .outcome()
        .impacts
        .iter()
        .any(|i| i.2 == tabletop::scenario::ImpactKind::Encryption);
    match verdict(&sim, "absence") {
        Verdict::Met { at, .. } => assert!(!encrypted && at == sim.end()),
        Verdict::Missed { .. } => assert!(encrypted),
        Verdict::Pending => panic!("absence is decided by the end"),
    }
}

#[test]
fn procedure_mistakes_are_validation_errors() {
    let bad = [
        (
            r#"Sop(id: "x", owner: "cert", trigger: Report(), steps: [
            Step(id: "a", action: Triage, after: ["b"]), Step(id: "b", action: Triage, after: ["a"])])"#,
            "cycle",
        ),
        (
            r#"Sop(id: "x", owner: "cert", trigger: Report(), steps: [Step(id: "a", action: Triage, after: ["ghost"])])"#,
            "could never start",
        ),
        (
            r#"Sop(id: "x", owner: "cert", trigger: Report(), steps: [
            Step(id: "a", action: Analyse, duration: ("4h", "8h")),
            Step(id: "b", action: ContactEntity, after: ["a"], deadline: "2h")])"#,
            "quickest path",
        ),
        (
            r#"Sop(id: "x", owner: "cert", trigger: Report(), steps: [Step(id: "a", action: Telepathy)])"#,
            "Telepathy",
        ),
        (
            r#"Sop(id: "x", owner: "cert", trigger: Report(), steps: [Step(id: "a", action: RequestScan)])"#,
            "Scanning",
        ),
    ];
    for (sop, expected) in bad {
        let text = format!(
            r#"Scenario(version: 1, name: "t", start: "2026-03-16 10:00", duration: "1d",
                csirts: [Csirt(id: "cert", name: "C", kind: National, country: "NL", analysts: 1, hours: Always)],
                entities: [Organisation(id: "e", name: "E", sector: Finance, country: "NL", class: Essential, csirt: "cert", monitoring: Low)],
                adversaries: [Adversary(id: "a", name: "A", intent: Financial, capability: Low, campaigns: [
                    Campaign(id: "c", name: "C", targets: [Entity("e")], indicators: [],
                             stages: [Stage(id: "s", name: "S", technique: "T1566", duration: ("1h", "2h"), detection: Easy)])])],
                sops: [{sop}])"#
        );
        let diagnostics = parse("t.ron", text.as_bytes())
            .expect_err(expected)
            .to_string();
        assert!(
            diagnostics.contains(expected),
            "expected {expected:?} in:\n{diagnostics}"
        );
        assert!(diagnostics.contains("t.ron:"), "{diagnostics}");
    }
}
