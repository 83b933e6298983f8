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

type ActorChanged = Or<(Changed<Knowledge>, Changed<Defender>, Changed<Desk>)>;
type ChangedActors<'w, 's> = Query<
    'w,
    's,
    (
        &'static Actor,
        &'static Knowledge,
        Option<&'static Defender>,
        Option<&'static Desk>,
        &'static mut Digest,
    ),
    ActorChanged,
>;
type ChangedIntrusions<'w, 's> =
    Query<'w, 's, (&'static Intrusion, &'static mut Digest), (Changed<Intrusion>, Without<Actor>)>;

/// Below this many changed actors, handing them to other threads costs more than it saves.
const PARALLEL_FROM: usize = 32;

/// Re-digests what changed since the last checkpoint.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn refresh_digests(
    mut world: ResMut<WorldDigest>,
    mut actors: ChangedActors,
    mut intrusions: ChangedIntrusions,
    injects: Res<InjectBook>,
    objectives: Res<ObjectiveBook>,
    outages: Res<ChannelOutages>,
    campaigns: Res<CampaignStates>,
    advisories: Res<Advisories>,
) {
    // Sums commute, so neither the order of query iteration nor the thread that digests
    // an actor can change the result. A national exercise changes hundreds of actors an
    // hour, some of them CSIRTs with large states: worth spreading over the cores.
    let mut changed: Vec<_> = actors.iter_mut().collect();
    let redigest = |(actor, knowledge, defender, desk, digest): &mut (
        &Actor,
        &Knowledge,
        Option<&Defender>,
        Option<&Desk>,
        Mut<Digest>,
    )| {
        let term = digest_of(&(actor.0, *knowledge, *defender, *desk));
        let old = std::mem::replace(&mut digest.0, term);
        term.wrapping_sub(old)
    };
    let change = if changed.len() < PARALLEL_FROM {
        changed
            .iter_mut()
            .map(redigest)
            .fold(0u128, u128::wrapping_add)
    } else {
        changed
            .par_iter_mut()
            .map(redigest)
            .reduce(|| 0, u128::wrapping_add)
    };
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
