use super::*;

#[test]
fn systems_have_an_explicit_order() {
    let mut world = World::new();
    MessageRegistry::register_message::<Exposure>(&mut world);
    let mut schedule = build_schedule(true);
    assert!(
        schedule.initialize(&mut world).is_ok(),
        "ambiguous system order"
    );
}

/// The checkpoint re-digests only the actors `ActorsMut` handed out (`stirred`). A system
/// that changed an actor through a bare query would leave its digest stale and the
/// checksum blind to the change; debug builds, every test among them, stop there.
#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "not `ActorsMut`")]
fn a_change_made_behind_the_checkpoints_back_stops_a_debug_build() {
    let mut sim = Simulation::new(&testkit::scenario(), 0).unwrap();
    sim.state_checksum();
    let entity = sim.world.resource::<ActorEntities>().0[0];
    let Some(mut knowledge) = sim.world.get_mut::<Knowledge>(entity) else {
        return;
    };
    knowledge.cross_border.insert(0);
    sim.state_checksum();
}

/// The same change made through `ActorsMut`'s list shows in the checksum.
#[test]
fn a_change_listed_as_stirred_shows_in_the_checksum() {
    let mut sim = Simulation::new(&testkit::scenario(), 0).unwrap();
    let before = sim.state_checksum();
    let entity = sim.world.resource::<ActorEntities>().0[0];
    sim.world.resource_mut::<stirred::Stirred>().mark(entity);
    if let Some(mut knowledge) = sim.world.get_mut::<Knowledge>(entity) {
        knowledge.cross_border.insert(0);
    }
    assert_ne!(sim.state_checksum(), before);
    // Listed but left as it was: the checksum stays.
    let after = sim.state_checksum();
    sim.world.resource_mut::<stirred::Stirred>().mark(entity);
    assert_eq!(sim.state_checksum(), after);
}
