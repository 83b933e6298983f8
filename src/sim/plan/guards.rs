//! Inject guards resolved: the organisation and campaign a guard names, as indices.

use super::{ActorIx, CampaignIx, Plan, PlanError};
use crate::scenario::{Guard, ImpactKind};

/// A guard with its references resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardPlan {
    pub test: GuardTest,
    /// The organisation it is asked of; `None`: each organisation the inject is addressed to.
    pub entity: Option<ActorIx>,
    /// The guard as written, for the words of a cancellation.
    pub spec: Guard,
}

/// What a guard asks of an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardTest {
    /// Some campaign (or this one) completed a stage there.
    Compromised(Option<CampaignIx>),
    /// Compromised and not contained or blocked.
    NotContained(Option<CampaignIx>),
    /// A stage with this effect completed there.
    Hit(ImpactKind),
}

impl Plan {
    pub(super) fn guard(&self, guard: &Guard) -> Result<GuardPlan, PlanError> {
        let campaign = guard
            .campaign()
            .map(|id| {
                self.campaign_by_id
                    .get(id)
                    .copied()
                    .ok_or_else(|| PlanError(format!("no campaign \"{id}\"")))
            })
            .transpose()?;
        let test = match guard {
            Guard::Compromised { .. } => GuardTest::Compromised(campaign),
            Guard::NotContained { .. } => GuardTest::NotContained(campaign),
            Guard::Hit { effect, .. } => GuardTest::Hit(*effect),
        };
        let entity = guard.entity().map(|id| self.actor_ix(id)).transpose()?;
        Ok(GuardPlan {
            test,
            entity,
            spec: guard.clone(),
        })
    }
}
