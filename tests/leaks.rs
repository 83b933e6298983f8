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

use std::collections::{BTreeMap, BTreeSet};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use tabletop::gui::panels::projector::projector_ui;
use tabletop::gui::panels::role::{SeatForm, role_ui};
use tabletop::scenario::{Action, Scenario, WallClock};
use tabletop::sim::{Command, Event, Simulation};

/// Who may see a marker.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Secret {
    /// An indicator's value: whoever learned it (or was sent a sighting of it).
    Indicator(String),
    /// An inject's title and message: its addressees, once it fired.
    Inject(String),
    /// A question or decision prompt and its options: those asked, once asked.
    Decision(String),
    /// A sighting's place: the sighting's recipient.
    Place,
    /// A role's briefing: that role.
    Briefing(String),
    /// An objective's title: the projector once it is met.
    Objective(String),
    /// Never shown to a trainee (adversary, campaign, stages, expectations, notes).
    Never,
}

struct Marked {
    scenario: Scenario,
    secrets: BTreeMap<String, Secret>,
}

fn marker(n: usize) -> String {
    format!("ZQ{n:03}Z")
}

/// A shipped scenario with a unique marker in every secret item.
fn marked(relative: &str) -> Marked {
    let mut s = common::load_scenario(relative);
    let mut secrets = BTreeMap::new();
    let mut mark = |text: &mut String, secret: Secret| {
        let m = marker(secrets.len());
        *text = format!("{m} {text}");
        secrets.insert(m, secret);
    };
    for adversary in &mut s.adversaries {
        mark(&mut adversary.name, Secret::Never);
        for campaign in &mut adversary.campaigns {
            mark(&mut campaign.name, Secret::Never);
            for indicator in &mut campaign.indicators {
                let id = indicator.id.clone();
                mark(&mut indicator.value, Secret::Indicator(id));
            }
            for stage in &mut campaign.stages {
                mark(&mut stage.name, Secret::Never);
            }
        }
    }
    for inject in &mut s.injects {
        let id = inject.id.clone();
        mark(&mut inject.title, Secret::Inject(id.clone()));
        if let Some(message) = &mut inject.message {
            mark(&mut message.from, Secret::Inject(id.clone()));
            mark(&mut message.subject, Secret::Inject(id.clone()));
            mark(&mut message.body, Secret::Inject(id.clone()));
        }
        for expected in &mut inject.expected {
            mark(expected, Secret::Never);
        }
        for effect in &mut inject.effects {
            if let tabletop::scenario::InjectEffect::Sighting { place, .. } = effect {
                mark(place, Secret::Place);
            }
        }
        if let Some(question) = &mut inject.question {
            mark(&mut question.prompt, Secret::Decision(id.clone()));
            for option in &mut question.options {
                mark(&mut option.label, Secret::Decision(id.clone()));
            }
        }
    }
    for sop in &mut s.sops {
        for step in &mut sop.steps {
            if let Action::Decide(decision) = &mut step.action {
                let id = format!("{}/{}", sop.id, step.id);
                mark(&mut decision.prompt, Secret::Decision(id.clone()));
                for option in &mut decision.options {
                    mark(&mut option.label, Secret::Decision(id.clone()));
                }
            }
        }
    }
    for role in &mut s.roles {
        let id = role.id.clone();
        mark(&mut role.briefing, Secret::Briefing(id));
    }
    for objective in &mut s.objectives {
        let id = objective.id.clone();
        mark(&mut objective.title, Secret::Objective(id));
    }
    Marked {
        scenario: s,
        secrets,
    }
}

/// What the journal says an actor was given by now: indicators, injects, decisions, places.
#[derive(Default)]
struct Given {
    indicators: BTreeSet<String>,
    injects: BTreeSet<String>,
    decisions: BTreeSet<String>,
    /// The places of the sightings it received, as the journal gives them.
    places: Vec<String>,
    public: BTreeSet<String>,
    met: BTreeSet<String>,
}

fn given(sim: &Simulation, actor: &str) -> Given {
    let mut g = Given::default();
    for entry in sim.journal() {
        match &entry.event {
            Event::IndicatorLearned {
                actor: a,
                indicator,
                ..
            } if &*a.id == actor => {
                g.indicators.insert(indicator.id.to_string());
            }
            Event::Feedback { to, indicators, .. } if &*to.id == actor => {
                g.indicators
                    .extend(indicators.iter().map(|i| i.id.to_string()));
            }
            Event::Sighting {
                to,
                indicator,
                place,
                ..
            } if &*to.id == actor => {
                g.indicators.insert(indicator.id.to_string());
                g.places.push(place.to_string());
            }
            Event::InjectFired {
                inject,
                to,
                channel,
                ..
            } => {
                if to.iter().any(|r| &*r.id == actor) {
                    g.injects.insert(inject.id.to_string());
                }
                if *channel == Some(tabletop::scenario::Channel::Media) {
                    g.public.insert(inject.id.to_string());
                }
            }
            Event::DecisionRaised { decision, to, .. } if to.iter().any(|r| &*r.id == actor) => {
                // "fin-csirt/fin-intake#1/call-national" is the decision "fin-intake/call-national".
                let key = match decision.split_once('/') {
                    Some((_, rest)) => {
                        let (sop_run, step) = rest.rsplit_once('/').unwrap();
                        format!("{}/{step}", sop_run.split_once('#').unwrap().0)
                    }
                    None => decision.to_string(),
                };
                g.decisions.insert(key);
            }
            Event::ObjectiveMet { objective, .. } => {
                g.met.insert(objective.id.to_string());
            }
            _ => {}
        }
    }
    g
}

fn allowed(marker: &str, secret: &Secret, role: Option<&str>, g: &Given) -> bool {
    match secret {
        Secret::Indicator(id) => role.is_some() && g.indicators.contains(id),
        Secret::Inject(id) => (role.is_some() && g.injects.contains(id)) || g.public.contains(id),
        Secret::Decision(id) => role.is_some() && g.decisions.contains(id),
        Secret::Place => role.is_some() && g.places.iter().any(|p| p.contains(marker)),
        Secret::Briefing(id) => role == Some(id.as_str()),
        Secret::Objective(id) => role.is_none() && g.met.contains(id),
        Secret::Never => false,
    }
}

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

/// The markers in `text`.
fn markers(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices("ZQ") {
        let digits = &bytes[i + 2..(i + 5).min(bytes.len())];
        if digits.len() == 3
            && digits.iter().all(u8::is_ascii_digit)
            && bytes.get(i + 5) == Some(&b'Z')
        {
            found.insert(text[i..i + 6].to_owned());
        }
    }
    found
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
    let Marked { scenario, secrets } = marked(relative);
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
                let g = given(&sim, actor);
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
            let g = given(&sim, "");
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

#[test]
fn no_role_window_shows_what_its_actor_was_not_given() {
    let mut kinds = check("scenarios/ducksends.ron", 0..12);
    for other in [
        "scenarios/crisis.ron",
        "scenarios/cross-border.ron",
        "scenarios/cvd.ron",
    ] {
        kinds.extend(check(other, 0..3));
    }
    // Not vacuous: the windows did show what their actors were given.
    for kind in [
        "indicator",
        "inject",
        "decision",
        "place",
        "briefing",
        "objective",
    ] {
        assert!(
            kinds.contains(kind),
            "no {kind} marker was ever shown: {kinds:?}"
        );
    }
}
