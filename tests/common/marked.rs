//! A shipped scenario with a unique marker string in every secret item, and who may see
//! each marker by a moment of a run, decided from the journal alone: the knowledge-leak
//! tests (`tests/leaks.rs` for the console's windows, `tests/serve_leaks.rs` over HTTP).

use std::collections::{BTreeMap, BTreeSet};

use tabletop::scenario::{Action, Scenario};
use tabletop::sim::{Entry, Event};

/// Who may see a marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Secret {
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

pub struct Marked {
    pub scenario: Scenario,
    pub secrets: BTreeMap<String, Secret>,
}

pub fn marker(n: usize) -> String {
    format!("ZQ{n:03}Z")
}

/// A shipped scenario with a unique marker in every secret item.
pub fn marked(relative: &str) -> Marked {
    let mut s = super::load_scenario(relative);
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
pub struct Given {
    pub indicators: BTreeSet<String>,
    pub injects: BTreeSet<String>,
    pub decisions: BTreeSet<String>,
    /// The places of the sightings it received, as the journal gives them.
    pub places: Vec<String>,
    pub public: BTreeSet<String>,
    pub met: BTreeSet<String>,
}

/// What the journal up to here says `actor` was given.
pub fn given(journal: &[Entry], actor: &str) -> Given {
    let mut g = Given::default();
    for entry in journal {
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

pub fn allowed(marker: &str, secret: &Secret, role: Option<&str>, g: &Given) -> bool {
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

/// The markers in `text`.
pub fn markers(text: &str) -> BTreeSet<String> {
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
