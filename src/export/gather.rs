//! What an export holds, gathered once for every format: the indicators with the marking
//! they are held under, their sightings, the incidents' taxonomy and the campaign's
//! techniques.
//!
//! A role's export reads only its actor's view ([`Simulation::role_view`], and the
//! sightings of its actor's own knowledge): the boundary of what a trainee may know. It
//! carries no technique, campaign, adversary or stage (the role view holds none of them),
//! and every indicator keeps the marking the actor holds it under. The facilitator's
//! export reads the whole scenario and journal.

use std::collections::BTreeMap;

use crate::scenario::{IndicatorKind, Minute, Scenario, Tlp, WallClock};
use crate::sim::{Event, Simulation};

/// Who an export is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Exercise control: everything the scenario and the journal hold.
    Facilitator,
    /// A trainee's role (its id): what the role's actor knew, nothing else.
    Role(&'a str),
}

/// Who made the export: the role's actor, or exercise control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Author {
    pub id: String,
    pub name: String,
}

/// An indicator as exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    pub kind: IndicatorKind,
    pub value: String,
    /// What it is in words, when the scenario says (an `Other` indicator always does).
    pub label: Option<String>,
    /// The marking it is held under (the facilitator's export: the strictest any actor
    /// held it under; TLP:RED for one nobody learned).
    pub tlp: Tlp,
    /// When it was learned (the facilitator's export: first learned by anyone, else the
    /// campaign's start).
    pub at: Minute,
    /// Who it came from (an actor id), when it was passed on.
    pub from: Option<String>,
    /// ATT&CK techniques of the stages that leave it (the facilitator's export only).
    pub techniques: Vec<String>,
}

/// A sighting: an indicator seen at an organisation, first seen at a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub indicator: String,
    /// The actor that reported it: (id, name).
    pub reported_by: (String, String),
    pub first_seen: Minute,
    pub learned_at: Minute,
}

/// An ATT&CK technique of the campaigns, with how often its stages completed and were
/// detected (the facilitator's export only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Technique {
    pub id: String,
    /// The stages that use it: "campaign/stage: name".
    pub stages: Vec<String>,
    pub completed: u32,
    pub detected: u32,
}

/// Everything one export holds, whatever its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gathered {
    pub exercise: String,
    pub start: WallClock,
    /// The last minute played: what the export shows is what was known then.
    pub at: Minute,
    /// The role exported, if not the facilitator.
    pub role: Option<String>,
    pub author: Author,
    pub indicators: Vec<Indicator>,
    pub sightings: Vec<Sighting>,
    /// ENISA reference taxonomy (RSIT) `class/type` of every incident classified, sorted,
    /// once each.
    pub taxonomies: Vec<String>,
    pub techniques: Vec<Technique>,
}

impl Gathered {
    /// The marking of the export as a whole: the strictest of what it holds, so it is
    /// never looser than anything inside it.
    pub fn marking(&self) -> Tlp {
        self.indicators
            .iter()
            .map(|i| i.tlp)
            .fold(Tlp::Clear, Tlp::strictest)
    }
}

/// Why nothing can be exported.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GatherError {
    #[error("the scenario has no role \"{role}\"; its roles: {known}")]
    UnknownRole { role: String, known: String },
}

/// Every indicator of the scenario by id: its kind, value and campaign id.
fn scenario_indicators(scenario: &Scenario) -> BTreeMap<&str, &crate::scenario::Indicator> {
    scenario
        .adversaries
        .iter()
        .flat_map(|a| &a.campaigns)
        .flat_map(|c| c.indicators.iter().map(|i| (i.id.as_str(), i)))
        .collect()
}

/// Gathers what `scope` may export from `sim`, stood at the moment exported.
pub fn gather(
    scenario: &Scenario,
    sim: &Simulation,
    scope: Scope<'_>,
) -> Result<Gathered, GatherError> {
    let base = Gathered {
        exercise: scenario.name.clone(),
        start: sim.plan().start,
        at: sim.played_to(),
        role: None,
        author: Author {
            id: "exercise-control".into(),
            name: "Exercise control".into(),
        },
        indicators: Vec::new(),
        sightings: Vec::new(),
        taxonomies: Vec::new(),
        techniques: Vec::new(),
    };
    match scope {
        Scope::Facilitator => Ok(facilitator(scenario, sim, base)),
        Scope::Role(role) => role_export(scenario, sim, role, base),
    }
}

fn role_export(
    scenario: &Scenario,
    sim: &Simulation,
    role: &str,
    mut out: Gathered,
) -> Result<Gathered, GatherError> {
    let view = sim
        .role_view(role)
        .ok_or_else(|| GatherError::UnknownRole {
            role: role.to_owned(),
            known: if scenario.roles.is_empty() {
                "none".to_owned()
            } else {
                scenario
                    .roles
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })?;
    let kinds = scenario_indicators(scenario);
    let plan = sim.plan();
    out.role = Some(role.to_owned());
    out.author = Author {
        id: view.actor.to_string(),
        name: view.actor_name.to_string(),
    };
    // The role view names whoever passed an indicator on by name; exports name actors by id.
    let id_of_name = |name: &str| {
        plan.actors
            .iter()
            .find(|a| &*a.name == name)
            .map(|a| a.id.to_string())
    };
    out.indicators = view
        .indicators
        .iter()
        .filter_map(|known| {
            let written = kinds.get(&*known.id)?;
            Some(Indicator {
                id: known.id.to_string(),
                kind: written.kind,
                label: written.label.clone(),
                value: known.value.to_string(),
                tlp: known.tlp,
                at: known.at,
                from: known.from.as_deref().and_then(id_of_name),
                techniques: Vec::new(),
            })
        })
        .collect();
    out.indicators
        .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    // Sightings of the actor's own knowledge, and only of indicators it holds.
    if let Some(actor) = sim.actor_view(&view.actor) {
        out.sightings = actor
            .sightings
            .iter()
            .filter(|s| out.indicators.iter().any(|i| *i.id == *s.indicator))
            .map(|s| Sighting {
                indicator: s.indicator.to_string(),
                reported_by: (s.reported_by.to_string(), actor_name(sim, &s.reported_by)),
                first_seen: s.first_seen,
                learned_at: s.learned_at,
            })
            .collect();
    }
    sort_sightings(&mut out.sightings);
    // The taxonomy of the incidents the actor itself classified (its inbox shows them).
    out.taxonomies = taxonomies(sim, Some(&view.actor));
    Ok(out)
}

fn actor_name(sim: &Simulation, id: &str) -> String {
    sim.plan().by_id.get(id).map_or_else(
        || id.to_owned(),
        |&ix| sim.plan().actor(ix).name.to_string(),
    )
}

fn sort_sightings(sightings: &mut Vec<Sighting>) {
    sightings.sort_by(|a, b| {
        (a.first_seen, &a.indicator, &a.reported_by.0, a.learned_at).cmp(&(
            b.first_seen,
            &b.indicator,
            &b.reported_by.0,
            b.learned_at,
        ))
    });
    sightings.dedup_by(|a, b| {
        a.indicator == b.indicator && a.reported_by == b.reported_by && a.first_seen == b.first_seen
    });
}

/// RSIT `class/type` of incidents classified (by `actor` only, if given), once each.
fn taxonomies(sim: &Simulation, actor: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = sim
        .journal()
        .iter()
        .filter_map(|entry| match &entry.event {
            Event::Classified {
                entity, taxonomy, ..
            } if actor.is_none_or(|a| *entity.id == *a) => Some((*taxonomy).to_owned()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn facilitator(scenario: &Scenario, sim: &Simulation, mut out: Gathered) -> Gathered {
    let plan = sim.plan();
    // What every actor holds: (first learned by anyone, strictest marking).
    let mut held: BTreeMap<String, (Minute, Tlp)> = BTreeMap::new();
    for actor in &plan.actors {
        let Some(view) = sim.actor_view(&actor.id) else {
            continue;
        };
        for known in view.indicators {
            let entry = held
                .entry(known.id.to_string())
                .or_insert((known.at, known.tlp));
            if known.at < entry.0 {
                entry.0 = known.at;
            }
            entry.1 = entry.1.strictest(known.tlp);
        }
    }
    for campaign in scenario.adversaries.iter().flat_map(|a| &a.campaigns) {
        let start = plan
            .campaign_by_id
            .get(&campaign.id)
            .map_or(0, |&c| plan.campaigns[c as usize].start);
        for indicator in &campaign.indicators {
            let mut techniques: Vec<String> = campaign
                .stages
                .iter()
                .filter(|s| s.indicators.contains(&indicator.id) && !s.technique.is_empty())
                .map(|s| s.technique.clone())
                .collect();
            techniques.sort();
            techniques.dedup();
            let (at, tlp) = held
                .get(&indicator.id)
                .copied()
                .unwrap_or((start, Tlp::Red));
            out.indicators.push(Indicator {
                id: indicator.id.clone(),
                kind: indicator.kind,
                label: indicator.label.clone(),
                value: indicator.value.clone(),
                tlp,
                at,
                from: None,
                techniques,
            });
        }
    }
    out.indicators
        .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    out.sightings = sim
        .journal()
        .iter()
        .filter_map(|entry| match &entry.event {
            Event::Sighting {
                from,
                indicator,
                first_seen,
                ..
            } => Some(Sighting {
                indicator: indicator.id.to_string(),
                reported_by: (from.id.to_string(), actor_name(sim, &from.id)),
                first_seen: *first_seen,
                learned_at: entry.t,
            }),
            _ => None,
        })
        .collect();
    sort_sightings(&mut out.sightings);
    out.taxonomies = taxonomies(sim, None);
    out.techniques = techniques(scenario, sim);
    out
}

/// Every technique of the scenario's campaigns, with how often its stages completed and
/// were detected so far.
fn techniques(scenario: &Scenario, sim: &Simulation) -> Vec<Technique> {
    let mut by_id: BTreeMap<String, Technique> = BTreeMap::new();
    // (campaign, stage) → technique, to count detections, which name the stage.
    let mut of_stage: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for campaign in scenario.adversaries.iter().flat_map(|a| &a.campaigns) {
        // A stage ATT&CK has no id for is no technique of any export.
        for stage in campaign.stages.iter().filter(|s| !s.technique.is_empty()) {
            of_stage.insert((&campaign.id, &stage.id), &stage.technique);
            by_id
                .entry(stage.technique.clone())
                .or_insert_with(|| Technique {
                    id: stage.technique.clone(),
                    stages: Vec::new(),
                    completed: 0,
                    detected: 0,
                })
                .stages
                .push(format!("{}/{}: {}", campaign.id, stage.id, stage.name));
        }
    }
    for entry in sim.journal() {
        let (technique, detected) = match &entry.event {
            Event::StageCompleted { technique, .. } => (Some(&**technique), false),
            Event::Detected {
                campaign, stage, ..
            } => (of_stage.get(&(&*campaign.id, &*stage.id)).copied(), true),
            _ => (None, false),
        };
        if let Some(t) = technique.and_then(|t| by_id.get_mut(t)) {
            if detected {
                t.detected += 1;
            } else {
                t.completed += 1;
            }
        }
    }
    by_id.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ducksends_at(minute: Minute) -> (Scenario, Simulation) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        let (scenario, _) = crate::scenario::load_path(&path).expect("DuckSends loads");
        let mut sim = Simulation::new(&scenario, 1).expect("DuckSends builds");
        sim.advance_to(minute + 1);
        (scenario, sim)
    }

    #[test]
    fn a_role_exports_only_what_its_actor_holds_and_no_technique() {
        let (scenario, sim) = ducksends_at(3 * 24 * 60);
        let view = sim.role_view("ciso").expect("the CISO's role");
        let gathered = gather(&scenario, &sim, Scope::Role("ciso")).expect("a role");
        assert_eq!(gathered.indicators.len(), view.indicators.len());
        for indicator in &gathered.indicators {
            let known = view
                .indicators
                .iter()
                .find(|k| *k.id == *indicator.id)
                .expect("held by the actor");
            assert_eq!(indicator.tlp, known.tlp);
        }
        assert!(gathered.techniques.is_empty());
        assert_eq!(gathered.author.id, "ducksends");
    }

    #[test]
    fn the_facilitator_exports_every_indicator_and_technique() {
        let (scenario, sim) = ducksends_at(3 * 24 * 60);
        let gathered = gather(&scenario, &sim, Scope::Facilitator).expect("always");
        let all: usize = scenario
            .adversaries
            .iter()
            .flat_map(|a| &a.campaigns)
            .map(|c| c.indicators.len())
            .sum();
        assert_eq!(gathered.indicators.len(), all);
        assert!(gathered.techniques.iter().any(|t| t.id == "T1566.002"));
        assert!(gathered.techniques.iter().any(|t| t.completed > 0));
    }

    #[test]
    fn an_unknown_role_names_the_known_ones() {
        let (scenario, sim) = ducksends_at(60);
        let error = gather(&scenario, &sim, Scope::Role("cfo")).expect_err("no such role");
        assert!(error.to_string().contains("ciso"), "{error}");
    }
}
