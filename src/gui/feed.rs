//! What the journal says, digested as it grows: organisations' states for the map, recent
//! flows, pending decisions, objective verdicts and timeline points. (Auto-pause is the
//! host's: it reads the journal for itself.)
//!
//! The journal of a 10,000-organisation run holds hundreds of thousands of events, so
//! nothing here rescans it: [`Feed::ingest`] reads only the entries added since its last
//! call, and every structure it keeps is bounded or grows with what happened.

use std::collections::{BTreeMap, VecDeque};

use crate::scenario::{CrisisLevel, Minute};
use crate::sim::Entry;
use crate::sim::journal::Event;
use crate::sim::view::EntityState;

/// How information moved between two actors, as the map draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowKind {
    /// Indicators shared (sanitised) between CSIRTs or to a constituent.
    Share,
    /// An enriched warning to an organisation.
    Warning,
    /// An incident report (NIS2, DORA, GDPR, voluntary) or its forwarding.
    Report,
    /// A sighting passed on.
    Sighting,
    /// A CSIRT's feedback to whoever informed it.
    Feedback,
}

impl FlowKind {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Share => "share",
            Self::Warning => "warning",
            Self::Report => "report",
            Self::Sighting => "sighting",
            Self::Feedback => "feedback",
        }
    }
}

/// One message between two actors, by actor index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flow {
    pub t: Minute,
    pub from: u32,
    pub to: u32,
    pub kind: FlowKind,
}

/// A decision point waiting for a player, from `decision_raised`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingDecision {
    /// "fin-csirt/fin-intake#1/escalate", as `Command::Decide` names it.
    pub decision: String,
    /// Who is asked: the CSIRT running the procedure, or an inject's addressees (ids).
    pub asked: Vec<String>,
    pub prompt: String,
    pub options: Vec<String>,
    pub default: String,
    pub deadline: Minute,
    pub raised_at: Minute,
}

/// An objective's state as the journal tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjectiveState {
    Pending,
    Met { at: Minute },
    Missed { at: Minute, reason: String },
}

/// The lanes of the timeline plot, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lane {
    Injects,
    Detections,
    Reports,
    Impacts,
    Crisis,
    Decisions,
    ObjectivesMet,
    /// Apart from the met ones, and drawn red: a missed objective must not read as done.
    ObjectivesMissed,
    Observations,
}

impl Lane {
    pub const ALL: [Self; 9] = [
        Self::Injects,
        Self::Detections,
        Self::Reports,
        Self::Impacts,
        Self::Crisis,
        Self::Decisions,
        Self::ObjectivesMet,
        Self::ObjectivesMissed,
        Self::Observations,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Injects => "injects",
            Self::Detections => "detections",
            Self::Reports => "reports",
            Self::Impacts => "impacts",
            Self::Crisis => "crisis level",
            Self::Decisions => "decisions",
            Self::ObjectivesMet => "objectives met",
            Self::ObjectivesMissed => "objectives missed",
            Self::Observations => "observations",
        }
    }
}

/// Timeline points kept per lane; older ones are thinned out beyond this.
pub const MAX_POINTS_PER_LANE: usize = 4_000;

/// The journal, digested incrementally.
#[derive(Clone, Debug)]
pub struct Feed {
    /// Journal entries read so far.
    pub seen: usize,
    /// Worst state per actor index (organisations only; `None` for CSIRTs, authorities).
    pub states: Vec<Option<EntityState>>,
    /// Flows of the last `flow_window` minutes, oldest first.
    pub flows: VecDeque<Flow>,
    pub flow_window: Minute,
    /// Decisions raised and not yet taken, by decision name.
    pub pending: BTreeMap<String, PendingDecision>,
    /// Objective states by objective id.
    pub objectives: BTreeMap<String, ObjectiveState>,
    /// Timeline points per lane: (minute, journal seq).
    pub lanes: BTreeMap<Lane, Vec<(Minute, u64)>>,
    /// Crisis level changes by CSIRT id (the latest), for a quick look.
    pub crisis: BTreeMap<String, CrisisLevel>,
    /// Kinds seen so far, for the log's filter.
    pub kinds: BTreeMap<&'static str, usize>,
    pub commands_refused: usize,
}

impl Feed {
    /// A feed for a run whose actors are `is_entity` (by index); objectives start pending.
    pub fn new(is_entity: &[bool], objectives: &[String]) -> Self {
        Self {
            seen: 0,
            states: is_entity
                .iter()
                .map(|e| e.then_some(EntityState::Unaware))
                .collect(),
            flows: VecDeque::new(),
            flow_window: 6 * 60,
            pending: BTreeMap::new(),
            objectives: objectives
                .iter()
                .map(|o| (o.clone(), ObjectiveState::Pending))
                .collect(),
            lanes: BTreeMap::new(),
            crisis: BTreeMap::new(),
            kinds: BTreeMap::new(),
            commands_refused: 0,
        }
    }

    /// Reads the entries added since the last call; `now` prunes old flows.
    pub fn ingest(&mut self, journal: &[Entry], now: Minute) {
        let start = self.seen.min(journal.len());
        for entry in &journal[start..] {
            self.take(entry);
        }
        self.seen = journal.len();
        let horizon = now - self.flow_window;
        while self.flows.front().is_some_and(|f| f.t < horizon) {
            self.flows.pop_front();
        }
    }

    fn raise(&mut self, actor: u32, state: EntityState) {
        if let Some(Some(current)) = self.states.get_mut(actor as usize) {
            *current = (*current).max(state);
        }
    }

    fn flow(&mut self, t: Minute, from: u32, to: u32, kind: FlowKind) {
        self.flows.push_back(Flow { t, from, to, kind });
    }

    fn point(&mut self, lane: Lane, entry: &Entry) {
        let points = self.lanes.entry(lane).or_default();
        if points.len() >= MAX_POINTS_PER_LANE {
            // Keep every other old point: the shape of the past stays, the cost is bounded.
            let mut keep = false;
            points.retain(|_| {
                keep = !keep;
                keep
            });
        }
        points.push((entry.t, entry.seq));
    }

    fn take(&mut self, entry: &Entry) {
        *self.kinds.entry(entry.kind()).or_default() += 1;
        let t = entry.t;
        match &entry.event {
            Event::StageCompleted { entity, .. } => self.raise(entity.ix, EntityState::Compromised),
            Event::Detected { entity, .. } => {
                self.raise(entity.ix, EntityState::Detected);
                self.point(Lane::Detections, entry);
            }
            Event::Contained { entity, .. } => self.raise(entity.ix, EntityState::Contained),
            Event::Impact { entity, .. } => {
                self.raise(entity.ix, EntityState::Impacted);
                self.point(Lane::Impacts, entry);
            }
            Event::ReportSent { entity, to, .. } => {
                self.flow(t, entity.ix, to.ix, FlowKind::Report);
                self.point(Lane::Reports, entry);
            }
            Event::ReportOverdue { .. } => self.point(Lane::Reports, entry),
            Event::ReportForwarded { by, to, .. } => self.flow(t, by.ix, to.ix, FlowKind::Report),
            Event::Shared {
                from, to, warning, ..
            } => {
                let kind = if *warning {
                    FlowKind::Warning
                } else {
                    FlowKind::Share
                };
                self.flow(t, from.ix, to.ix, kind);
            }
            Event::Feedback { from, to, .. } => self.flow(t, from.ix, to.ix, FlowKind::Feedback),
            Event::Sighting { from, to, .. } => self.flow(t, from.ix, to.ix, FlowKind::Sighting),
            Event::InjectFired { .. } => {
                self.point(Lane::Injects, entry);
            }
            Event::InjectSkipped { .. } | Event::InjectDelayed { .. } => {
                self.point(Lane::Injects, entry);
            }
            Event::CrisisLevelChanged { csirt, to, .. } => {
                self.crisis.insert(csirt.id.to_string(), *to);
                self.point(Lane::Crisis, entry);
            }
            Event::DecisionRaised {
                decision,
                to,
                prompt,
                options,
                default,
                deadline,
            } => {
                self.pending.insert(
                    decision.to_string(),
                    PendingDecision {
                        decision: decision.to_string(),
                        asked: to.iter().map(|a| a.id.to_string()).collect(),
                        prompt: prompt.to_string(),
                        options: options.iter().map(ToString::to_string).collect(),
                        default: default.to_string(),
                        deadline: *deadline,
                        raised_at: t,
                    },
                );
                self.point(Lane::Decisions, entry);
            }
            Event::DecisionTaken { decision, .. }
            | Event::QuestionAnswered { decision, .. }
            | Event::QuestionUnanswered { decision } => {
                self.pending.remove(&**decision);
                self.point(Lane::Decisions, entry);
            }
            Event::ObjectiveMet { objective, .. } => {
                self.objectives
                    .insert(objective.id.to_string(), ObjectiveState::Met { at: t });
                self.point(Lane::ObjectivesMet, entry);
            }
            Event::ObjectiveMissed {
                objective, reason, ..
            } => {
                self.objectives.insert(
                    objective.id.to_string(),
                    ObjectiveState::Missed {
                        at: t,
                        reason: (*reason).to_owned(),
                    },
                );
                self.point(Lane::ObjectivesMissed, entry);
            }
            Event::Observation { .. } | Event::Rated { .. } | Event::AnswerRated { .. } => {
                self.point(Lane::Observations, entry);
            }
            Event::CommandRefused { .. } => self.commands_refused += 1,
            _ => {}
        }
    }
}

/// One line of text for a journal entry: its details as `key: value`, `seq`, `t` and
/// `kind` left out (they have their own columns).
pub fn details(entry: &Entry) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(entry) else {
        return String::new();
    };
    let mut out = String::new();
    for (key, value) in &map {
        if matches!(key.as_str(), "seq" | "t" | "kind") {
            continue;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(key);
        out.push_str(": ");
        push_value(&mut out, value);
    }
    out
}

fn push_value(out: &mut String, value: &serde_json::Value) {
    match value {
        serde_json::Value::String(s) => out.push_str(s),
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_value(out, item);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Whether the entry names `actor` (an actor id) anywhere in its details.
pub fn mentions(entry: &Entry, actor: &str) -> bool {
    fn walk(value: &serde_json::Value, actor: &str) -> bool {
        match value {
            serde_json::Value::String(s) => s == actor,
            serde_json::Value::Array(items) => items.iter().any(|v| walk(v, actor)),
            serde_json::Value::Object(map) => map
                .iter()
                .any(|(k, v)| !matches!(k.as_str(), "kind") && walk(v, actor)),
            _ => false,
        }
    }
    serde_json::to_value(entry).is_ok_and(|v| walk(&v, actor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missed_objectives_have_their_own_lane() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        let Ok((scenario, _)) = crate::scenario::load_path(&path) else {
            panic!("ducksends loads");
        };
        let mut sim = crate::sim::Simulation::new(&scenario, 20).unwrap();
        sim.run_to_end();
        let objectives: Vec<String> = scenario.objectives.iter().map(|o| o.id.clone()).collect();
        let mut feed = Feed::new(&[], &objectives);
        feed.ingest(sim.journal(), sim.now());
        let lane = |lane| feed.lanes.get(&lane).map_or(&[][..], Vec::as_slice);
        let missed = lane(Lane::ObjectivesMissed);
        assert!(!missed.is_empty(), "seed 20 misses objectives");
        for (_, seq) in missed.iter().chain(lane(Lane::ObjectivesMet)) {
            let entry = &sim.journal()[usize::try_from(*seq).unwrap()];
            let is_missed = matches!(entry.event, Event::ObjectiveMissed { .. });
            assert_eq!(is_missed, missed.iter().any(|(_, s)| s == seq));
        }
    }

    /// The map (the feed, from the journal) and the inspector (the actor view, from the
    /// world) agree on every organisation's state. They once did not: an intrusion stopped
    /// by a known indicator and then contained showed green on the map and "unaware" in
    /// the inspector.
    #[test]
    fn the_map_and_the_inspector_agree_on_every_organisation() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        let Ok((scenario, _)) = crate::scenario::load_path(&path) else {
            panic!("ducksends loads");
        };
        for seed in 0..12 {
            let mut sim = crate::sim::Simulation::new(&scenario, seed).unwrap();
            for until in [24 * 60, 2 * 24 * 60, 5 * 24 * 60] {
                sim.advance_to(until);
                let is_entity: Vec<bool> = sim
                    .plan()
                    .actors
                    .iter()
                    .enumerate()
                    .map(|(ix, _)| sim.plan().entity(u32::try_from(ix).unwrap()).is_some())
                    .collect();
                let mut feed = Feed::new(&is_entity, &[]);
                feed.ingest(sim.journal(), sim.now());
                for (ix, actor) in sim.plan().actors.iter().enumerate() {
                    let view = sim.actor_view(&actor.id).unwrap();
                    assert_eq!(
                        feed.states[ix], view.state,
                        "seed {seed}, {} at {until}",
                        actor.id
                    );
                }
            }
        }
    }
}
