//! Procedures as played: one variant of each (the one asked for, else the first), with
//! step dependencies and decision options resolved.

use std::collections::BTreeMap;

use super::super::rng::fingerprint;
use super::{Plan, PlanError, SopPlan, StepPlan, Variants};
use crate::scenario::{self, Scenario};

impl Plan {
    /// Chooses one variant of each procedure and resolves its steps.
    pub(super) fn compile_sops(
        &mut self,
        s: &Scenario,
        variants: &Variants,
    ) -> Result<(), PlanError> {
        for (wanted_id, wanted) in variants {
            if !s
                .sops
                .iter()
                .any(|sop| &sop.id == wanted_id && sop.variant.as_deref() == Some(wanted))
            {
                let known: Vec<&str> = s
                    .sops
                    .iter()
                    .filter(|sop| &sop.id == wanted_id)
                    .filter_map(|sop| sop.variant.as_deref())
                    .collect();
                return Err(PlanError(format!(
                    "no variant \"{wanted}\" of procedure \"{wanted_id}\"; known: {}",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
        let mut chosen: BTreeMap<&str, &scenario::Sop> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for sop in &s.sops {
            let pick = match variants.get(&sop.id) {
                Some(wanted) => sop.variant.as_deref() == Some(wanted.as_str()),
                None => !chosen.contains_key(sop.id.as_str()),
            };
            if pick {
                if !chosen.contains_key(sop.id.as_str()) {
                    order.push(&sop.id);
                }
                chosen.insert(&sop.id, sop);
            }
        }
        for id in order {
            let sop = chosen[id];
            let ids: BTreeMap<&str, usize> = sop
                .steps
                .iter()
                .enumerate()
                .map(|(n, st)| (st.id.as_str(), n))
                .collect();
            let steps = sop
                .steps
                .iter()
                .map(|st| {
                    Ok(StepPlan {
                        id: st.id.as_str().into(),
                        key: fingerprint(&st.id),
                        action: st.action.clone(),
                        role: st.role.as_deref().map(Into::into),
                        duration: st.duration,
                        after: st
                            .after
                            .iter()
                            .map(|a| {
                                ids.get(a.as_str())
                                    .copied()
                                    .ok_or_else(|| PlanError(format!("no step \"{a}\"")))
                            })
                            .collect::<Result<_, PlanError>>()?,
                        deadline: st.deadline.map(|d| d.minutes),
                        on_call: st.on_call,
                    })
                })
                .collect::<Result<_, PlanError>>()?;
            self.sops.push(SopPlan {
                id: sop.id.as_str().into(),
                variant: sop.variant.as_deref().unwrap_or("default").into(),
                key: fingerprint(&sop.id),
                owner: self.actor_ix(&sop.owner)?,
                trigger: sop.trigger.clone(),
                steps,
            });
        }
        Ok(())
    }
}
