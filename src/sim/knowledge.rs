//! What an actor knows: the indicators it has learned (with the marking and context they
//! came with) and the incidents it has heard of. Delivery (`delivery.rs`) decides what
//! reaches whom; this file only keeps the record and journals what is new.

use std::collections::BTreeSet;

use super::ctx::Ctx;
use super::journal::Event;
use super::plan::{ActorIx, CampaignIx, IndicatorIx, Plan};
use super::state::{Knowledge, KnownIncident, Learned, Marked};

/// Records that `actor` learned an indicator; journals it the first time. Context that
/// comes later accumulates. Returns whether the indicator was new to the actor.
pub fn learn(
    ctx: &mut Ctx<'_>,
    knowledge: &mut Knowledge,
    actor: ActorIx,
    item: Marked,
    from: Option<ActorIx>,
) -> bool {
    let (plan, now) = (ctx.plan, ctx.now);
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
    ctx.journal.record(
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
