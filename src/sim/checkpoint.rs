//! Keeping the incremental world digest current (see `checksum` for the scheme).

use bevy_ecs::prelude::*;
use rayon::prelude::*;

use super::checksum::{Canonical, Checksum, Digest, digest_of};
use super::injects::InjectBook;
use super::journal::Journal;
use super::observe::ObjectiveBook;
use super::state::{
    Actor, Advisories, Agenda, CampaignStates, ChannelOutages, Defender, Desk, Intrusion, Knowledge,
};
use super::stirred::Stirred;

/// Partial sums and digests that make up the world checksum.
#[derive(Resource, Clone, Copy, Debug, Default, Hash)]
pub struct WorldDigest {
    actors: u128,
    intrusions: u128,
    injects: u128,
    objectives: u128,
    outages: u128,
    campaigns: u128,
    advisories: u128,
}

type ActorState<'w, 's> = Query<
    'w,
    's,
    (
        &'static Actor,
        Ref<'static, Knowledge>,
        Option<Ref<'static, Defender>>,
        Option<Ref<'static, Desk>>,
    ),
>;
type ChangedIntrusions<'w, 's> =
    Query<'w, 's, (&'static Intrusion, &'static mut Digest), (Changed<Intrusion>, Without<Actor>)>;
/// What bevy saw change, to check [`Stirred`] against in debug builds.
#[cfg(debug_assertions)]
type ActorChanged<'w, 's> = Query<
    'w,
    's,
    Entity,
    (
        With<Actor>,
        Or<(Changed<Knowledge>, Changed<Defender>, Changed<Desk>)>,
    ),
>;

/// Below this many changed actors, handing them to other threads costs more than it saves.
const PARALLEL_FROM: usize = 32;

/// Re-digests what changed since the last checkpoint.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn refresh_digests(
    mut world: ResMut<WorldDigest>,
    (mut stirred, actors, mut digests): (
        ResMut<Stirred>,
        ActorState,
        Query<&mut Digest, With<Actor>>,
    ),
    #[cfg(debug_assertions)] changed: ActorChanged,
    mut intrusions: ChangedIntrusions,
    injects: Res<InjectBook>,
    objectives: Res<ObjectiveBook>,
    outages: Res<ChannelOutages>,
    campaigns: Res<CampaignStates>,
    advisories: Res<Advisories>,
) {
    let stirred = stirred.take();
    #[cfg(debug_assertions)]
    for entity in &changed {
        assert!(
            stirred.binary_search(&entity).is_ok(),
            "an actor's state changed through a bare Query, not `ActorsMut`: its digest is stale"
        );
    }
    // Sums commute, so neither the order of the actors nor the thread that digests one can
    // change the result. A national exercise changes hundreds of actors an hour, some of
    // them CSIRTs with large states: worth spreading over the cores. An actor handed out
    // mutably whose state was not written (a share it already had) keeps its digest, as
    // bevy's change ticks tell.
    let redigest = |&entity: &Entity| {
        let (actor, knowledge, defender, desk) = actors.get(entity).ok()?;
        let changed = knowledge.is_changed()
            || defender.as_ref().is_some_and(Ref::is_changed)
            || desk.as_ref().is_some_and(Ref::is_changed);
        changed.then(|| {
            let state = (actor.0, &*knowledge, defender.as_deref(), desk.as_deref());
            (entity, digest_of(&state))
        })
    };
    let terms: Vec<(Entity, u128)> = if stirred.len() < PARALLEL_FROM {
        stirred.iter().filter_map(redigest).collect()
    } else {
        stirred.par_iter().filter_map(redigest).collect()
    };
    let mut change = 0u128;
    for (entity, term) in terms {
        if let Ok(mut digest) = digests.get_mut(entity) {
            change = change.wrapping_add(term.wrapping_sub(digest.0));
            digest.0 = term;
        }
    }
    world.actors = world.actors.wrapping_add(change);
    for (intrusion, mut digest) in &mut intrusions {
        let term = digest_of(intrusion);
        world.intrusions = world.intrusions.wrapping_sub(digest.0).wrapping_add(term);
        digest.0 = term;
    }
    if injects.is_changed() {
        // Discussion questions came later: a run without any keeps the digest it had.
        world.injects = if injects.discussions.open.is_empty() {
            digest_of(&(&injects.states, &injects.questions))
        } else {
            digest_of(&(
                &injects.states,
                &injects.questions,
                &injects.discussions.open,
            ))
        };
    }
    if objectives.is_changed() {
        world.objectives = digest_of(&*objectives);
    }
    if outages.is_changed() {
        world.outages = digest_of(&*outages);
    }
    if campaigns.is_changed() {
        world.campaigns = digest_of(&(&campaigns.campaigns, &campaigns.impacts));
    }
    if advisories.is_changed() {
        world.advisories = digest_of(&*advisories);
    }
}

/// The world checksum from the refreshed partial digests.
pub fn world_checksum(world: &World) -> Checksum {
    let mut hasher = Canonical::new();
    hasher.add(world.resource::<WorldDigest>());
    hasher.add(&world.resource::<Agenda>().digest());
    hasher.add(&(world.resource::<Journal>().len() as u64));
    hasher.digest()
}
