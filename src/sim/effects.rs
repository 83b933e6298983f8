//! What an inject's effects (and the answers to its question) do to the world: a tip, a
//! sighting reported, analysts away, a channel down, a scan asked for, a crisis raised.

use super::channels::Post;
use super::journal::{DetectionSource, Event, Journal};
use super::knowledge::learn_at;
use super::plan::Plan;
use super::rng::fingerprint;
use super::state::{
    ActorEntities, Agenda, ChannelOutages, Context, Desk, Due, Knowledge, Marked, Parcel,
};
use super::stirred::ActorsMut;
use crate::scenario::{InjectEffect, Minute, Tlp};

/// The parts of the world an inject's effects may touch, at this minute. (A system's
/// `Ctx` would not do: effects take channels down, and a `Ctx` only reads outages.)
pub struct Reach<'a> {
    pub plan: &'a Plan,
    pub now: Minute,
    pub actors: &'a ActorEntities,
    pub outages: &'a mut ChannelOutages,
    pub agenda: &'a mut Agenda,
    pub journal: &'a mut Journal,
}

/// What one effect of an inject (or of an answer to its question) does to the world.
pub fn apply_effect(
    reach: &mut Reach<'_>,
    holders: &mut ActorsMut<'_, '_, (&mut Knowledge, Option<&mut Desk>)>,
    inject_id: &str,
    effect: &InjectEffect,
) {
    let (plan, now, actors) = (reach.plan, reach.now, reach.actors);
    let actor = |id: &str| plan.by_id.get(id).copied();
    match effect {
        InjectEffect::Tip {
            entity,
            campaign,
            chance_percent,
        } => {
            if let (Some(target), Some(&campaign)) =
                (actor(entity), plan.campaign_by_id.get(campaign))
            {
                reach.agenda.push(
                    now,
                    Due::DetectionChance {
                        campaign,
                        target,
                        source: DetectionSource::Tip,
                        ppm: chance_percent.saturating_mul(10_000).min(super::rng::PPM),
                        key: fingerprint(inject_id),
                    },
                );
            }
        }
        InjectEffect::StaffUnavailable {
            csirt,
            analysts,
            duration,
        } => {
            let Some(ix) = actor(csirt) else { return };
            let Some(mut desk) = actors
                .0
                .get(ix as usize)
                .and_then(|e| holders.get_mut(*e).ok())
                .and_then(|(_, desk)| desk)
            else {
                return;
            };
            let taken = (*analysts).min(desk.available());
            desk.unavailable += taken;
            let (available, total) = (desk.available(), desk.analysts);
            reach.journal.record(
                now,
                Event::StaffChanged {
                    csirt: plan.actor_ref(ix),
                    available,
                    analysts: total,
                },
            );
            reach.agenda.push(
                now + duration.minutes,
                Due::StaffReturn {
                    csirt: ix,
                    analysts: taken,
                },
            );
        }
        InjectEffect::Sighting {
            from,
            to,
            indicator,
            first_seen,
            place,
        } => {
            let (Some(from), Some(to), Some(&indicator)) =
                (actor(from), actor(to), plan.indicator_by_id.get(indicator))
            else {
                return;
            };
            // Whoever reports a sighting saw it: it knows the indicator from now on.
            if let Some(Ok((mut knowledge, _))) =
                actors.0.get(from as usize).map(|e| holders.get_mut(*e))
            {
                let item = Marked {
                    indicator,
                    tlp: Tlp::Green,
                    context: Context {
                        victim: plan.entity(from).is_some(),
                        ..Context::default()
                    },
                };
                learn_at(
                    (plan, now, &mut *reach.journal),
                    &mut knowledge,
                    from,
                    item,
                    None,
                );
            }
            let parcel = Parcel::Sighting {
                from,
                indicator,
                first_seen: first_seen.resolve(&plan.start),
                tlp: Tlp::Green,
                place: place.as_str().into(),
            };
            Post {
                plan,
                outages: reach.outages,
            }
            .send(reach.agenda, reach.journal, now, from, to, parcel);
        }
        InjectEffect::ChannelDown {
            actor: who,
            channel,
            duration,
        } => {
            let Some(ix) = actor(who) else { return };
            let until = now + duration.minutes;
            reach.outages.0.insert((ix, *channel), until);
            reach.journal.record(
                now,
                Event::ChannelDown {
                    actor: plan.actor_ref(ix),
                    channel: *channel,
                    until,
                },
            );
            reach.agenda.push(
                until,
                Due::ChannelRestored {
                    actor: ix,
                    channel: *channel,
                },
            );
        }
        InjectEffect::RequestScan { csirt, entity } => {
            if let (Some(csirt), Some(entity)) = (actor(csirt), actor(entity)) {
                reach.agenda.push(
                    now,
                    Due::Scan {
                        csirt,
                        only: Some(entity),
                        requested: true,
                    },
                );
            }
        }
        InjectEffect::RaiseCrisis { csirt, level } => {
            if let Some(csirt) = actor(csirt) {
                reach.agenda.push(
                    now,
                    Due::RaiseCrisis {
                        csirt,
                        level: *level,
                        by: "decided by the facilitator (inject)".into(),
                    },
                );
            }
        }
        InjectEffect::Reminder { entity } => {
            if let Some(entity) = actor(entity) {
                reach.agenda.push(now, Due::Reminder { entity });
            }
        }
        InjectEffect::ContainNow { entity, campaign } => {
            if let (Some(entity), Some(&campaign)) =
                (actor(entity), plan.campaign_by_id.get(campaign))
            {
                reach.agenda.push(now, Due::ContainNow { entity, campaign });
            }
        }
        InjectEffect::PatchNow { entity, cve } => {
            if let (Some(entity), Some(&cve)) = (actor(entity), plan.cve_by_id.get(cve)) {
                reach.agenda.push(now, Due::Patch { entity, cve });
            }
        }
        InjectEffect::WithholdReport { entity, report } => {
            if let Some(entity) = actor(entity) {
                reach.agenda.push(
                    now,
                    Due::Withhold {
                        entity,
                        report: report.clone(),
                    },
                );
            }
        }
        InjectEffect::TakeOffline { entity, duration } => {
            if let Some(entity) = actor(entity) {
                let minutes = Some(duration.minutes);
                reach.agenda.push(now, Due::Offline { entity, minutes });
            }
        }
        InjectEffect::ShareMarking { entity, tlp } => {
            if let Some(entity) = actor(entity) {
                reach.agenda.push(now, Due::Mark { entity, tlp: *tlp });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Check, EventPattern, Objective};
    use crate::sim::journal::Event;
    use crate::sim::testkit::{self, CSIRT, INDICATOR, duration, inject, of_kind, organisation};

    #[test]
    fn whoever_reports_a_sighting_knows_the_indicator_so_an_objective_on_it_can_be_met() {
        let mut s = testkit::scenario();
        // A shop the campaign never touches sees the lure and tells the CSIRT.
        s.entities.push(organisation(&s, "shop"));
        s.injects.push(inject(
            "seen",
            "T+1h",
            vec![testkit::sighting("shop", CSIRT)],
        ));
        s.objectives.push(Objective {
            expect: None,
            id: "obj-1".into(),
            title: "The CSIRT knows what the shop saw within a day".into(),
            check: Check::Deadline {
                after: EventPattern::Knows {
                    actor: "shop".into(),
                    indicator: INDICATOR.into(),
                },
                expected: EventPattern::Knows {
                    actor: CSIRT.into(),
                    indicator: INDICATOR.into(),
                },
                within: duration("1d"),
            },
        });
        let sim = testkit::play(&s);
        let shop_knows = of_kind(&sim, "indicator_learned").into_iter().any(|e| {
            e.t == 60
                && matches!(&e.event, Event::IndicatorLearned { actor, from: None, .. }
                    if &*actor.id == "shop")
        });
        assert!(shop_knows);
        assert_eq!(of_kind(&sim, "objective_met").len(), 1);
    }
}
