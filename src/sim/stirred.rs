//! Which actors' state a system took in hand since the last checkpoint, so that the
//! checkpoint re-digests those and does not look at the others.
//!
//! bevy's change detection would find them too, but only by checking every actor's change
//! ticks every simulated hour: 100,000 organisations the story never reaches cost a tenth
//! of a 10,000-organisation month that way. Here the cost follows what happens. Debug
//! builds (every test) still ask bevy and fail if an actor it saw change was not listed.

use bevy_ecs::prelude::*;
use bevy_ecs::query::{QueryData, QueryEntityError};
use bevy_ecs::system::SystemParam;

/// The actors taken mutably since the last checkpoint, with repeats; sorted out there.
#[derive(Resource, Debug, Default)]
pub struct Stirred(Vec<Entity>);

impl Stirred {
    /// Every one of `actors`: a new world's first checkpoint digests each actor once.
    pub fn every(actors: &[Entity]) -> Self {
        Self(actors.to_vec())
    }

    pub fn mark(&mut self, entity: Entity) {
        self.0.push(entity);
    }

    /// Every actor listed since the last call, once each, in entity order.
    pub fn take(&mut self) -> Vec<Entity> {
        let mut taken = std::mem::take(&mut self.0);
        taken.sort_unstable();
        taken.dedup();
        taken
    }
}

/// A query over actors' state (`Knowledge`, `Defender`, `Desk`) that lists every actor it
/// hands out mutably in [`Stirred`]. Systems that change an actor's state take it through
/// this, never through a bare `Query`.
#[derive(SystemParam)]
pub struct ActorsMut<'w, 's, D: QueryData + 'static> {
    query: Query<'w, 's, D>,
    stirred: ResMut<'w, Stirred>,
}

impl<'s, D: QueryData + 'static> ActorsMut<'_, 's, D> {
    pub fn get_mut(&mut self, entity: Entity) -> Result<D::Item<'_, 's>, QueryEntityError> {
        self.stirred.mark(entity);
        self.query.get_mut(entity)
    }
}
