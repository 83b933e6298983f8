//! Where each campaign can get, whatever the dice: the organisations it can reach (its
//! targets, those its spreading stages lead to, and the customers of a supplier holding
//! their data that it steals from) and the stages it can complete at each (an exploit
//! stops it where the vulnerability is absent). "Can" means some run
//! might; `validate` warns about what no run ever will.

use std::collections::{BTreeMap, BTreeSet};

use super::{ActorIx, CampaignIx, Plan, SpreadTarget, StageEffect, WhoIx, ix};
use crate::scenario::ImpactKind;

impl Plan {
    /// The organisations a spreading stage reaches from `victim`, in scenario order.
    pub fn spread_targets(&self, victim: ActorIx, targets: &[SpreadTarget]) -> Vec<ActorIx> {
        let mut out = Vec::new();
        for target in targets {
            match target {
                SpreadTarget::Entities(list) => out.extend(list.iter().copied()),
                SpreadTarget::Suppliers => {
                    out.extend(
                        self.entity(victim)
                            .map(|e| e.suppliers.clone())
                            .unwrap_or_default(),
                    );
                }
                SpreadTarget::Customers => {
                    out.extend(
                        self.entity(victim)
                            .map(|e| e.customers.clone())
                            .unwrap_or_default(),
                    );
                }
            }
        }
        let mut seen = BTreeSet::new();
        out.retain(|a| *a != victim && seen.insert(*a));
        out
    }
}

/// The stages each campaign can complete at each organisation it can reach.
#[derive(Debug, Default)]
pub struct Reach {
    /// (campaign, organisation) → the stages it can complete there, first to last.
    stages: BTreeMap<(CampaignIx, ActorIx), std::ops::Range<usize>>,
}

impl Reach {
    pub fn of(plan: &Plan) -> Self {
        let mut entry: BTreeMap<(CampaignIx, ActorIx), usize> = BTreeMap::new();
        let mut work: Vec<(CampaignIx, ActorIx, usize)> = Vec::new();
        for (c, campaign) in plan.campaigns.iter().enumerate() {
            work.extend(campaign.targets.iter().map(|t| (ix(c), *t, 0)));
        }
        let mut reach = Self::default();
        // Customers a supplier's data theft breaches: (campaign, customer, the stage).
        let mut breached = Vec::new();
        // Each (campaign, organisation) is walked again only from an earlier entry stage,
        // so the work ends: at most stages × pairs walks.
        while let Some((c, e, k)) = work.pop() {
            if entry.get(&(c, e)).is_some_and(|earlier| *earlier <= k) {
                continue;
            }
            entry.insert((c, e), k);
            let stages = &plan.campaigns[c as usize].stages;
            let vulnerable = plan
                .entity(e)
                .map(|p| p.vulnerable.as_slice())
                .unwrap_or(&[]);
            let mut stop = k;
            for (s, stage) in stages.iter().enumerate().skip(k) {
                if stage.needs().any(|cve| !vulnerable.contains(&cve)) {
                    break;
                }
                stop += 1;
                if stage.effect == StageEffect::Impact(ImpactKind::DataTheft)
                    && let Some(supplier) = plan.entity(e)
                    && supplier.holds_customer_data
                {
                    breached.extend(supplier.customers.iter().map(|n| (c, *n, s)));
                }
                if let StageEffect::Spread { targets, entry } = &stage.effect {
                    work.extend(
                        plan.spread_targets(e, targets)
                            .into_iter()
                            .map(|n| (c, n, *entry)),
                    );
                }
            }
            reach.stages.insert((c, e), k..stop);
        }
        // A customer the campaign reaches itself keeps that; the others have only the
        // supplier's data-theft stage.
        for (c, customer, s) in breached {
            reach.stages.entry((c, customer)).or_insert(s..s + 1);
        }
        reach
    }

    /// Whether `campaign` (or any) can complete a stage at `entity`.
    pub fn can_compromise(&self, campaign: Option<CampaignIx>, entity: ActorIx) -> bool {
        self.stages
            .iter()
            .any(|((c, e), r)| *e == entity && campaign.is_none_or(|x| x == *c) && !r.is_empty())
    }

    /// Whether some campaign can complete a stage with `effect` at `entity`.
    pub fn can_hit(&self, plan: &Plan, effect: ImpactKind, entity: ActorIx) -> bool {
        self.stages.iter().any(|((c, e), r)| {
            *e == entity
                && plan.campaigns[*c as usize].stages[r.clone()]
                    .iter()
                    .any(|s| s.effect == StageEffect::Impact(effect))
        })
    }

    /// How many impacts of `effect` some run might count: one per (campaign, organisation)
    /// whose reachable stages include one.
    pub fn impacts(&self, plan: &Plan, effect: ImpactKind) -> usize {
        self.stages
            .iter()
            .map(|((c, _), r)| {
                plan.campaigns[*c as usize].stages[r.clone()]
                    .iter()
                    .filter(|s| s.effect == StageEffect::Impact(effect))
                    .count()
            })
            .sum()
    }

    /// Whether stage `stage` of `campaign` can complete at an organisation `who` names.
    pub fn can_complete(
        &self,
        plan: &Plan,
        (campaign, stage): (CampaignIx, usize),
        who: &WhoIx,
    ) -> bool {
        self.stages
            .iter()
            .any(|((c, e), r)| *c == campaign && r.contains(&stage) && plan.who_matches(who, *e))
    }

    /// How many organisations `who` names some campaign can compromise, or hit with `effect`.
    pub fn count(&self, plan: &Plan, who: &WhoIx, effect: Option<ImpactKind>) -> usize {
        let victims: BTreeSet<ActorIx> = self
            .stages
            .keys()
            .map(|(_, e)| *e)
            .filter(|e| plan.who_matches(who, *e))
            .filter(|e| match effect {
                Some(k) => self.can_hit(plan, k, *e),
                None => self.can_compromise(None, *e),
            })
            .collect();
        victims.len()
    }
}
