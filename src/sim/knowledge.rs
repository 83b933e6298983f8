//! What an actor knows: the indicators it has learned (with the marking and context they
//! came with) and the incidents it has heard of. Delivery (`delivery.rs`) decides what
//! reaches whom; this file only keeps the record and journals what is new.

use std::collections::BTreeSet;

use super::ctx::Ctx;
use super::journal::{Event, Journal};
use super::plan::{ActorIx, CampaignIx, IndicatorIx, Plan};
use super::state::{Knowledge, KnownIncident, Learned, Marked};
use crate::scenario::Minute;

/// Records that `actor` learned an indicator; journals it the first time. Context that
/// comes later accumulates. Returns whether the indicator was new to the actor.
pub fn learn(
    ctx: &mut Ctx<'_>,
    knowledge: &mut Knowledge,
    actor: ActorIx,
    item: Marked,
    from: Option<ActorIx>,
) -> bool {
    learn_at(
        (ctx.plan, ctx.now, ctx.journal),
        knowledge,
        actor,
        item,
        from,
    )
}

/// [`learn`] for a system without a [`Ctx`] (injects keep their own view of the world).
pub fn learn_at(
    (plan, now, journal): (&Plan, Minute, &mut Journal),
    knowledge: &mut Knowledge,
    actor: ActorIx,
    item: Marked,
    from: Option<ActorIx>,
) -> bool {
    if knowledge.indicators.update(&item.indicator, |known| {
        known.context = known.context.merged(item.context)
    }) {
        return false;
    }
    knowledge.indicators.insert(
        item.indicator,
        Learned {
            at: now,
            from,
            tlp: item.tlp,
            context: item.context,
        },
    );
    journal.record(
        now,
        Event::IndicatorLearned {
            actor: plan.actor_ref(actor),
            indicator: plan.indicator_ref(item.indicator),
            from: from.map(|f| plan.actor_ref(f)),
            tlp: item.tlp,
            context: item.context.labels(),
        },
    );
    true
}

/// Records that `actor` knows of an incident at `victim`; journals it the first time.
pub fn note_incident(
    ctx: &mut Ctx<'_>,
    knowledge: &mut Knowledge,
    actor: ActorIx,
    (victim, campaign): (ActorIx, CampaignIx),
    from: Option<ActorIx>,
    identified: bool,
) {
    let (plan, now) = (ctx.plan, ctx.now);
    let key = (victim, campaign);
    match knowledge.incidents.get(&key).copied() {
        Some(known) if identified && !known.identified => {
            knowledge.incidents.insert(
                key,
                KnownIncident {
                    identified: true,
                    ..known
                },
            );
        }
        Some(_) => {}
        None => {
            let sector = plan
                .entity(victim)
                .map_or(crate::scenario::Sector::Other, |e| e.sector);
            ctx.journal.record(
                now,
                Event::IncidentNoted {
                    actor: plan.actor_ref(actor),
                    victim: identified.then(|| plan.actor_ref(victim)),
                    sector,
                    campaign: plan.campaign_ref(campaign),
                    from: from.map(|f| plan.actor_ref(f)),
                },
            );
            knowledge.incidents.insert(
                key,
                KnownIncident {
                    at: now,
                    from,
                    identified,
                },
            );
        }
    }
}

/// Marks `indicators` for sending with their marking and context, as `holder` knows them.
pub fn marked(knowledge: &Knowledge, indicators: &[IndicatorIx]) -> Vec<Marked> {
    indicators
        .iter()
        .filter_map(|i| {
            knowledge.indicators.get(i).map(|l| Marked {
                indicator: *i,
                tlp: l.tlp,
                context: l.context,
            })
        })
        .collect()
}

/// Everything `holder` knows of the campaigns behind `indicators`.
pub fn related(plan: &Plan, knowledge: &Knowledge, indicators: &[IndicatorIx]) -> Vec<IndicatorIx> {
    let campaigns: BTreeSet<_> = indicators
        .iter()
        .map(|i| plan.indicators[*i as usize].campaign)
        .collect();
    knowledge
        .indicators
        .keys()
        .copied()
        .filter(|i| campaigns.contains(&plan.indicators[*i as usize].campaign))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Indicator, IndicatorKind, Tlp};
    use crate::sim::state::Context;
    use crate::sim::testkit::{self, Bench, CAMPAIGN, CSIRT, ENTITY, INDICATOR};

    fn item(bench: &Bench, tlp: Tlp, context: Context) -> Marked {
        Marked {
            indicator: bench.ix(INDICATOR),
            tlp,
            context,
        }
    }

    #[test]
    fn an_indicator_is_journaled_the_first_time_it_is_learned_only() {
        let mut bench = Bench::new(&testkit::scenario());
        let (csirt, bank) = (bench.ix(CSIRT), bench.ix(ENTITY));
        let mut knowledge = Knowledge::default();
        let first = item(&bench, Tlp::Green, Context::default());
        assert!(learn(
            &mut bench.ctx(),
            &mut knowledge,
            csirt,
            first,
            Some(bank)
        ));
        assert!(!learn(
            &mut bench.ctx(),
            &mut knowledge,
            csirt,
            first,
            Some(bank)
        ));
        assert_eq!(bench.kinds(), ["indicator_learned"]);
    }

    #[test]
    fn context_learned_later_adds_to_what_is_known() {
        let mut bench = Bench::new(&testkit::scenario());
        let csirt = bench.ix(CSIRT);
        let mut knowledge = Knowledge::default();
        let victim = Context {
            victim: true,
            ..Context::default()
        };
        let adversarial = Context {
            adversarial: true,
            ..Context::default()
        };
        let first = item(&bench, Tlp::Green, victim);
        let later = item(&bench, Tlp::Green, adversarial);
        learn(&mut bench.ctx(), &mut knowledge, csirt, first, None);
        learn(&mut bench.ctx(), &mut knowledge, csirt, later, None);
        let known = knowledge
            .indicators
            .get(&bench.ix(INDICATOR))
            .map(|l| l.context);
        assert_eq!(known, Some(victim.merged(adversarial)));
    }

    #[test]
    fn the_first_marking_an_indicator_came_under_stays() {
        let mut bench = Bench::new(&testkit::scenario());
        let csirt = bench.ix(CSIRT);
        let mut knowledge = Knowledge::default();
        let red = item(&bench, Tlp::Red, Context::default());
        let clear = item(&bench, Tlp::Clear, Context::default());
        learn(&mut bench.ctx(), &mut knowledge, csirt, red, None);
        learn(&mut bench.ctx(), &mut knowledge, csirt, clear, None);
        let tlp = knowledge
            .indicators
            .get(&bench.ix(INDICATOR))
            .map(|l| l.tlp);
        assert_eq!(tlp, Some(Tlp::Red));
    }

    #[test]
    fn an_incident_heard_of_anonymously_is_named_later_without_a_second_entry() {
        let mut bench = Bench::new(&testkit::scenario());
        let (csirt, bank, campaign) = (bench.ix(CSIRT), bench.ix(ENTITY), bench.ix(CAMPAIGN));
        let mut knowledge = Knowledge::default();
        note_incident(
            &mut bench.ctx(),
            &mut knowledge,
            csirt,
            (bank, campaign),
            None,
            false,
        );
        note_incident(
            &mut bench.ctx(),
            &mut knowledge,
            csirt,
            (bank, campaign),
            None,
            true,
        );
        assert_eq!(bench.kinds(), ["incident_noted"]);
        let identified = knowledge
            .incidents
            .get(&(bank, campaign))
            .map(|k| k.identified);
        assert_eq!(identified, Some(true));
    }

    #[test]
    fn related_indicators_are_those_known_of_the_same_campaign() {
        let mut s = testkit::scenario();
        let campaign = &mut s.adversaries[0].campaigns[0];
        campaign.indicators.push(Indicator {
            id: "payload".into(),
            kind: IndicatorKind::FileHash,
            value: "0123456789abcdef0123456789abcdef".into(),
            label: None,
        });
        let mut other = campaign.clone();
        other.id = "other".into();
        for i in &mut other.indicators {
            i.id = format!("other-{}", i.id);
            i.value = format!("other.{}", i.value);
        }
        for stage in &mut other.stages {
            stage.indicators = vec!["other-lure-domain".into()];
        }
        s.adversaries[0].campaigns.push(other);
        let mut bench = Bench::new(&s);
        let csirt = bench.ix(CSIRT);
        let mut knowledge = Knowledge::default();
        for id in ["payload", "other-payload"] {
            let learned = Marked {
                indicator: bench.ix(id),
                tlp: Tlp::Green,
                context: Context::default(),
            };
            learn(&mut bench.ctx(), &mut knowledge, csirt, learned, None);
        }
        // Asked about the lure (not known itself), the CSIRT relates what it knows of
        // the lure's campaign, and nothing of the other one.
        let about = [bench.ix(INDICATOR)];
        assert_eq!(
            related(&bench.plan, &knowledge, &about),
            [bench.ix("payload")]
        );
        assert!(marked(&knowledge, &about).is_empty());
    }
}
