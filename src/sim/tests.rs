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
