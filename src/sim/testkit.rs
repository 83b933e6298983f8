//! Fixtures for the core's unit tests: a small exercise in a few lines, a run of it, and a
//! bench that hands one rule's function a real [`Ctx`].
//!
//! The exercise starts on Friday 2026-03-13 at 16:30 and lasts three days. It has one
//! CSIRT ([`CSIRT`], always staffed, four analysts, the default services), one
//! organisation ([`ENTITY`], in its constituency) and one adversary with one campaign
//! ([`CAMPAIGN`]) of one stage ("lure", 30 minutes to 2 hours, no effect) that leaves one
//! indicator ([`INDICATOR`]). A test changes what its rule needs, in plain Rust:
//!
//! ```ignore
//! let mut s = testkit::scenario();
//! s.csirts[0].hours = testkit::office_hours(None);
//! s.injects.push(testkit::inject("tip", "T+1h", vec![testkit::sighting(ENTITY, CSIRT)]));
//! let sim = testkit::play(&s);
//! ```
//!
//! [`play`] checks the scenario as a file would be checked (it writes it as RON and reads
//! it back through `scenario::parse`), so a fixture that breaks a rule of the format fails
//! with the validator's message rather than a puzzling run.

use crate::scenario::{
    At, ClockTime, Duration, Hours, Inject, InjectEffect, Message, Minute, Organisation, Scenario,
    When, parse,
};

use super::channels::Post;
use super::ctx::Ctx;
use super::journal::{Entry, Journal};
use super::plan::Plan;
use super::rng::Streams;
use super::state::{Agenda, ChannelOutages};
use super::{Command, Simulation};

pub const CSIRT: &str = "ncsc";
pub const ENTITY: &str = "bank";
pub const CAMPAIGN: &str = "phish";
pub const INDICATOR: &str = "lure-domain";

/// Minutes from the start (Friday 16:30) to Monday 09:00.
pub const MONDAY_0900: Minute = 2 * 1440 + 16 * 60 + 30;

const BASE: &str = r#"Scenario(
    version: 1,
    name: "Unit test exercise",
    start: "2026-03-13 16:30",
    duration: "3d",
    csirts: [
        Csirt(id: "ncsc", name: "National CSIRT", kind: National, country: "NL", analysts: 4,
              hours: Always),
    ],
    entities: [
        Organisation(id: "bank", name: "Example Bank", sector: Finance, country: "NL",
                     class: Essential, csirt: "ncsc", monitoring: Medium),
    ],
    adversaries: [
        Adversary(id: "crew", name: "Example Crew", intent: Financial, capability: Medium,
            campaigns: [
                Campaign(id: "phish", name: "Phishing", targets: [Entity("bank")],
                    indicators: [
                        Indicator(id: "lure-domain", kind: Domain, value: "example-login.test"),
                    ],
                    stages: [
                        Stage(id: "lure", name: "Phishing mail", technique: "T1566.002",
                              duration: ("30m", "2h"), indicators: ["lure-domain"],
                              detection: Moderate),
                    ],
                ),
            ],
        ),
    ],
)"#;

/// The small exercise described at the top of this file.
pub fn scenario() -> Scenario {
    match parse("testkit", BASE.as_bytes()) {
        Ok(s) => s,
        Err(e) => panic!("the testkit's own scenario is invalid:\n{e}"),
    }
}

/// Another organisation like [`ENTITY`], in the same constituency, under `id`.
pub fn organisation(s: &Scenario, id: &str) -> Organisation {
    let mut o = s.entities[0].clone();
    o.id = id.into();
    o.name = format!("Organisation {id}");
    o
}

/// Office hours Monday to Friday, 09:00 to 17:00, with an on-call analyst answering after
/// `on_call` (or none).
pub fn office_hours(on_call: Option<&str>) -> Hours {
    Hours::Office {
        open: time("09:00"),
        close: time("17:00"),
        days: vec![
            crate::scenario::Weekday::Mon,
            crate::scenario::Weekday::Tue,
            crate::scenario::Weekday::Wed,
            crate::scenario::Weekday::Thu,
            crate::scenario::Weekday::Fri,
        ],
        on_call: on_call.map(duration),
    }
}

pub fn time(text: &str) -> ClockTime {
    match ClockTime::parse(text) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

pub fn duration(text: &str) -> Duration {
    match Duration::parse(text) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

pub fn at(text: &str) -> At {
    match At::parse(text) {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    }
}

/// An inject to the CSIRT at `when` (e.g. "T+1h") with `effects`.
pub fn inject(id: &str, when: &str, effects: Vec<InjectEffect>) -> Inject {
    Inject {
        only_if: Vec::new(),
        optional: false,
        discussion: Vec::new(),
        id: id.into(),
        title: format!("Inject {id}"),
        when: When::At(at(when)),
        to: vec![CSIRT.into()],
        message: Some(Message {
            from: "a caller".into(),
            channel: crate::scenario::Channel::Phone,
            subject: id.into(),
            body: String::new(),
        }),
        effects,
        expected: Vec::new(),
        question: None,
    }
}

/// The testkit's world with one inject, "call", to the CSIRT at T+1h, and nothing else
/// to fire.
pub fn call_at_one_hour() -> Scenario {
    let mut s = scenario();
    s.injects.push(inject("call", "T+1h", Vec::new()));
    s
}

/// The reasons of every refused command, in journal order.
pub fn refusals(sim: &Simulation) -> Vec<String> {
    of_kind(sim, "command_refused")
        .iter()
        .filter_map(|e| match &e.event {
            super::journal::Event::CommandRefused { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

/// `from` reports a sighting of [`INDICATOR`] to `to`, first seen at the start.
pub fn sighting(from: &str, to: &str) -> InjectEffect {
    InjectEffect::Sighting {
        from: from.into(),
        to: to.into(),
        indicator: INDICATOR.into(),
        first_seen: at("T+0m"),
        place: String::new(),
    }
}

/// `scenario`, checked as a file would be, played with seed 0 to the end.
pub fn play(scenario: &Scenario) -> Simulation {
    play_with(scenario, &[])
}

/// As [`play`], with commands given at their minutes.
pub fn play_with(scenario: &Scenario, commands: &[(Minute, Command)]) -> Simulation {
    let mut sim = match Simulation::new(&checked(scenario), 0) {
        Ok(sim) => sim,
        Err(e) => panic!("{e}"),
    };
    for (at, command) in commands {
        if let Err(e) = sim.submit(*at, command.clone()) {
            panic!("{e}");
        }
    }
    sim.run_to_end();
    sim
}

/// `scenario` written as RON and read back, so the validator sees it.
pub fn checked(scenario: &Scenario) -> Scenario {
    let text = match ron::to_string(scenario) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    match parse("testkit", text.as_bytes()) {
        Ok(s) => s,
        Err(e) => panic!("the test's scenario is invalid:\n{e}"),
    }
}

/// The journal entries of `kind` (as in the JSON: "work_started").
pub fn of_kind<'a>(sim: &'a Simulation, kind: &str) -> Vec<&'a Entry> {
    sim.journal().iter().filter(|e| e.kind() == kind).collect()
}

/// The minutes of the journal entries of `kind`.
pub fn minutes_of(sim: &Simulation, kind: &str) -> Vec<Minute> {
    of_kind(sim, kind).iter().map(|e| e.t).collect()
}

/// What a rule's function works with, outside a running world: the plan of a scenario,
/// the dice of seed 0, no outages, an empty agenda and journal, at minute `now`.
pub struct Bench {
    pub plan: Plan,
    pub streams: Streams,
    pub outages: ChannelOutages,
    pub agenda: Agenda,
    pub journal: Journal,
    pub now: Minute,
}

impl Bench {
    pub fn new(scenario: &Scenario) -> Self {
        let plan = match Plan::build(&checked(scenario)) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        Self {
            plan,
            streams: Streams::new(0),
            outages: ChannelOutages::default(),
            agenda: Agenda::default(),
            journal: Journal::default(),
            now: 0,
        }
    }

    pub fn ctx(&mut self) -> Ctx<'_> {
        Ctx {
            plan: &self.plan,
            streams: &self.streams,
            post: Post {
                plan: &self.plan,
                outages: &self.outages,
            },
            now: self.now,
            agenda: &mut self.agenda,
            journal: &mut self.journal,
        }
    }

    /// The index of the actor, indicator or campaign named `id`.
    pub fn ix(&self, id: &str) -> u32 {
        if let Some(&a) = self.plan.by_id.get(id) {
            return a;
        }
        if let Some(i) = self.plan.indicators.iter().position(|i| &*i.id == id) {
            return super::plan::ix(i);
        }
        match self.plan.campaigns.iter().position(|c| &*c.id == id) {
            Some(c) => super::plan::ix(c),
            None => panic!("no {id} in the plan"),
        }
    }

    /// The kinds of the journal entries so far.
    pub fn kinds(&self) -> Vec<&'static str> {
        self.journal.entries().iter().map(Entry::kind).collect()
    }
}
