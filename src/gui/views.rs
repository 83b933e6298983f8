//! Views of the world that cost more than a frame should spend: the crisis levels, the
//! MSEL and the inspected actor. Rebuilt when the journal, the clock or the selection
//! moved, and at most four times a second while the clock runs.

use std::time::{Duration, Instant};

use crate::scenario::{CrisisLevel, Minute};
use crate::sim::Simulation;
use crate::sim::view::{ActorKind, ActorView, InjectView};

use super::actors::Actors;

/// While the clock runs, views are rebuilt at most this often.
const EVERY: Duration = Duration::from_millis(250);

#[derive(Clone, Debug, Default)]
pub struct Views {
    /// National CSIRTs (or the first CSIRTs, if none is national): id, name, crisis level.
    pub crisis: Vec<(String, String, CrisisLevel)>,
    pub injects: Vec<InjectView>,
    pub selected: Option<ActorView>,
    key: Option<(usize, Minute, Option<u32>)>,
    at: Option<Instant>,
}

impl Views {
    /// Rebuilds what changed; `busy` (the clock runs) throttles, `force` does not.
    /// Returns whether anything was rebuilt.
    pub fn refresh(
        &mut self,
        sim: &Simulation,
        now: Minute,
        actors: &Actors,
        selected: Option<u32>,
        (busy, force): (bool, bool),
        wall: Instant,
    ) -> bool {
        let key = (sim.journal().len(), now, selected);
        if self.key == Some(key) && !force {
            return false;
        }
        if busy && !force && self.at.is_some_and(|at| wall.duration_since(at) < EVERY) {
            return false;
        }
        let level = |id: &str| Some(sim.actor_view(id)?.desk?.crisis_level);
        let mut crisis: Vec<_> = actors
            .nodes
            .iter()
            .filter(|n| n.national)
            .filter_map(|n| Some((n.id.clone(), n.name.clone(), level(&n.id)?)))
            .collect();
        if crisis.is_empty() {
            crisis = actors
                .nodes
                .iter()
                .filter(|n| n.kind == ActorKind::Csirt)
                .take(4)
                .filter_map(|n| Some((n.id.clone(), n.name.clone(), level(&n.id)?)))
                .collect();
        }
        self.crisis = crisis;
        self.injects = sim.inject_views();
        self.selected = selected
            .and_then(|ix| actors.node(ix))
            .and_then(|n| sim.actor_view(&n.id));
        self.key = Some(key);
        self.at = Some(wall);
        true
    }
}
