//! A compromise already under way when the exercise opens (a campaign that starts at
//! "T-6w"), tested on the testkit's bank: see `Simulation::play_before_start`.

use crate::scenario::{DurationRange, Effect, EventPattern, InjectEffect, Scenario, When, Who};
use crate::sim::journal::{DetectionSource, Event};
use crate::sim::testkit::{self, CAMPAIGN, ENTITY, INDICATOR, inject, minutes_of, of_kind};

/// The bank's phishing campaign began six weeks before the exercise; its first stage has
/// `effect`, and a second one, weeks long, is still under way at T+0.
fn weeks_old(effect: Effect) -> Scenario {
    let mut s = testkit::scenario();
    let campaign = &mut s.adversaries[0].campaigns[0];
    campaign.start = testkit::at("T-6w");
    campaign.stages[0].effect = effect;
    let mut exfil = campaign.stages[0].clone();
    exfil.id = "exfil".into();
    exfil.name = "Slow exfiltration".into();
    exfil.indicators.clear();
    exfil.duration = DurationRange::new(testkit::duration("60d"), testkit::duration("60d"));
    exfil.effect = Effect::None;
    campaign.stages.push(exfil);
    s
}

#[test]
fn a_campaign_begun_weeks_before_is_under_way_and_unseen_when_the_exercise_opens() {
    let sim = testkit::play(&weeks_old(Effect::None));
    assert_eq!(minutes_of(&sim, "campaign_started"), [-6 * 7 * 1440]);
    let done = minutes_of(&sim, "stage_completed");
    assert!(matches!(done[..], [t] if t < 0), "{done:?}");
    assert!(of_kind(&sim, "detected").is_empty(), "nobody noticed");
    // The journal's times never go back: the world before T+0, then the exercise.
    let entries = sim.journal();
    assert!(entries.windows(2).all(|w| w[0].t <= w[1].t));
    let opening = entries
        .iter()
        .position(|e| matches!(e.event, Event::ExerciseStarted { .. }))
        .unwrap_or(usize::MAX);
    assert!(opening > 0 && entries[opening].t == 0);
    assert!(entries[..opening].iter().all(|e| e.t < 0));
}

#[test]
fn a_tip_when_the_exercise_opens_finds_the_traces_of_what_was_done_before() {
    let mut s = weeks_old(Effect::None);
    let tip = InjectEffect::Tip {
        entity: ENTITY.into(),
        campaign: CAMPAIGN.into(),
        chance_percent: 100,
    };
    s.injects.push(inject("helpdesk", "T+15m", vec![tip]));
    let sim = testkit::play(&s);
    let detected = minutes_of(&sim, "detected");
    assert!(matches!(detected[..], [t] if t > 15), "{detected:?}");
    let own: Vec<&str> = of_kind(&sim, "indicator_learned")
        .iter()
        .filter_map(|e| match &e.event {
            Event::IndicatorLearned {
                actor,
                indicator,
                from: None,
                ..
            } if &*actor.id == ENTITY => Some(&*indicator.id),
            _ => None,
        })
        .collect();
    assert_eq!(own, [INDICATOR], "the weeks-old stage's indicator");
}

#[test]
fn files_encrypted_before_the_exercise_are_noticed_the_minute_it_opens() {
    let sim = testkit::play(&weeks_old(Effect::Encryption));
    assert!(minutes_of(&sim, "impact").iter().all(|t| *t < 0));
    let detected = of_kind(&sim, "detected");
    assert!(
        matches!(&detected[..], [e] if e.t == 0 && matches!(e.event,
            Event::Detected { source: DetectionSource::Impact, .. })),
        "{detected:?}"
    );
}

#[test]
fn a_trigger_on_a_stage_done_before_the_exercise_fires_as_it_opens() {
    let mut s = weeks_old(Effect::None);
    let mut news = inject("news", "T+0m", Vec::new());
    news.when = When::After {
        on: EventPattern::Stage {
            campaign: CAMPAIGN.into(),
            stage: "lure".into(),
            at: Who::Entity(ENTITY.into()),
        },
        delay: testkit::duration("1h"),
    };
    s.injects.push(news);
    let sim = testkit::play(&s);
    // Due long before T+0, it fires the minute after the exercise opens, as any trigger
    // whose moment has come fires the minute after.
    assert_eq!(minutes_of(&sim, "inject_fired"), [1]);
}

#[test]
fn a_campaign_begun_before_plays_the_same_on_every_run() {
    let s = weeks_old(Effect::Encryption);
    let (a, b) = (testkit::play(&s), testkit::play(&s));
    assert_eq!(a.journal(), b.journal());
    assert_eq!(a.checksums(), b.checksums());
}
