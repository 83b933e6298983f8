//! Supply chains: data stolen from a supplier that holds its customers' data is a breach
//! at each customer with no intrusion there, and a customer learns of it only from the
//! supplier's notification (a report the supplier owes it) or from the news (a tip).
//! (An intrusion that spreads from a managed service provider into its customers' systems
//! is a campaign's `Spread` to `Customers`: `adversary.rs`.)

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::ctx::Ctx;
use super::journal::{DetectionSource, Event};
use super::plan::{ActorIx, CampaignIx};
use super::rng::PPM;
use super::state::{Due, Intrusion, IntrusionStatus, Intrusions};
use crate::scenario::ImpactKind;

/// Data stolen from a supplier that holds its customers' data is a breach at each of them,
/// with no intrusion there: an `AtSupplier` one with only the supplier's stage, undetected
/// and leaving no trace in the customer's logs, so that only the supplier's notification or
/// the news (a tip) makes the customer aware. A customer the campaign is already in keeps
/// its own intrusion.
pub fn breach_customers(
    ctx: &mut Ctx<'_>,
    (campaign, supplier, stage): (CampaignIx, ActorIx, usize),
    impacts: &mut BTreeMap<ImpactKind, u32>,
    index: &mut Intrusions,
    commands: &mut Commands,
) {
    let (plan, now) = (ctx.plan, ctx.now);
    let Some(profile) = plan.entity(supplier) else {
        return;
    };
    for &customer in &profile.customers {
        if index.0.contains_key(&(campaign, customer)) {
            continue;
        }
        index.open(
            commands,
            Intrusion {
                completed: vec![stage],
                status: IntrusionStatus::AtSupplier,
                ..Intrusion::arriving(campaign, customer, stage)
            },
        );
        ctx.journal.record(
            now,
            Event::SupplierBreach {
                campaign: plan.campaign_ref(campaign),
                stage: plan.stage_ref(campaign, stage),
                supplier: plan.actor_ref(supplier),
                customer: plan.actor_ref(customer),
            },
        );
        let nth = impacts.entry(ImpactKind::DataTheft).or_default();
        *nth = nth.saturating_add(1);
        let nth = *nth;
        ctx.journal.record(
            now,
            Event::Impact {
                campaign: plan.campaign_ref(campaign),
                stage: plan.stage_ref(campaign, stage),
                entity: plan.actor_ref(customer),
                effect: ImpactKind::DataTheft,
                nth,
            },
        );
    }
}

/// A supplier holding `to`'s data reports a breach of it: if `campaign` stole data there
/// that `to` had no way to see, `to` becomes aware of it now.
pub fn supplier_notice(
    ctx: &mut Ctx<'_>,
    to: ActorIx,
    (from, campaign): (ActorIx, CampaignIx),
    index: &Intrusions,
) {
    let supplier = ctx
        .plan
        .entity(from)
        .is_some_and(|s| s.holds_customer_data && s.customers.contains(&to));
    if supplier && index.0.contains_key(&(campaign, to)) {
        ctx.agenda.push(
            ctx.now,
            Due::DetectionChance {
                campaign,
                target: to,
                source: DetectionSource::SupplierNotice,
                ppm: PPM,
                key: 0,
            },
        );
    }
}

#[cfg(test)]
mod tests;
