//! What a valid scenario can never make happen, whatever the dice: a tip that can never
//! land, a scan that can never find anything, an objective that can never be decided, an
//! inject whose guard can never hold. `validate` shows these as warnings (the scenario
//! still runs: an exercise designer may keep an inject for a later variant), each at the
//! item it is about.

use super::{CheckPlan, GuardPlan, GuardTest, InjectPlan, Pattern, Plan, Reach};
use crate::scenario::InjectEffect;
use crate::scenario::locate::ItemPath;

/// One warning: where, and what can never happen.
pub type Warning = (ItemPath, String);

impl Plan {
    /// Everything this plan can never make happen, in file order.
    pub fn warnings(&self) -> Vec<Warning> {
        let reach = Reach::of(self);
        let mut out = Vec::new();
        for (i, inject) in self.injects.iter().enumerate() {
            let path = ItemPath::root().field("injects").index(i);
            self.lint_guards(&reach, &path, inject, &mut out);
            for (n, effect) in inject.spec.effects.iter().enumerate() {
                let epath = path.field("effects").index(n);
                out.extend(self.lint_effect(&reach, effect).map(|m| (epath, m)));
            }
            if let Some(question) = &inject.spec.question {
                for (o, option) in question.options.iter().enumerate() {
                    for (n, effect) in option.effects.iter().enumerate() {
                        let epath = path
                            .field("question")
                            .field("options")
                            .index(o)
                            .field("effects")
                            .index(n);
                        out.extend(self.lint_effect(&reach, effect).map(|m| (epath, m)));
                    }
                }
            }
            for (q, question) in inject.spec.discussion.iter().enumerate() {
                for (o, option) in question.options.iter().enumerate() {
                    for (n, effect) in option.effects.iter().enumerate() {
                        let epath = path
                            .field("discussion")
                            .index(q)
                            .field("options")
                            .index(o)
                            .field("effects")
                            .index(n);
                        out.extend(self.lint_effect(&reach, effect).map(|m| (epath, m)));
                    }
                }
            }
        }
        for (i, objective) in self.objectives.iter().enumerate() {
            let path = ItemPath::root().field("objectives").index(i).field("check");
            let never = |p: &Pattern| !self.can_happen(&reach, p);
            let message = match &objective.check {
                CheckPlan::Deadline { after, .. } | CheckPlan::Coverage { after, .. }
                    if never(after) =>
                {
                    Some(format!(
                        "this objective can never be decided: its start, \"{}\", can never happen",
                        after.describe(self)
                    ))
                }
                CheckPlan::Ordering { first, then } if never(first) && never(then) => {
                    Some(format!(
                        "this objective can never be decided: neither \"{}\" nor \"{}\" can happen",
                        first.describe(self),
                        then.describe(self)
                    ))
                }
                _ => None,
            };
            out.extend(message.map(|m| (path, m)));
        }
        out
    }

    fn lint_guards(
        &self,
        reach: &Reach,
        path: &ItemPath,
        inject: &InjectPlan,
        out: &mut Vec<Warning>,
    ) {
        let can = |g: &GuardPlan, entity| self.guard_can_hold(reach, g.test, entity);
        for (n, guard) in inject.guards.iter().enumerate() {
            let gpath = path.field("only_if").index(n);
            match guard.entity {
                Some(entity) if !can(guard, entity) => out.push((
                    gpath,
                    format!(
                        "this guard can never hold, so the inject never fires: no campaign can make it true that {}",
                        guard.spec.describe(&self.actor(entity).id)
                    ),
                )),
                None if !inject.to.iter().any(|a| can(guard, *a)) => out.push((
                    gpath,
                    format!(
                        "this guard can never hold for any addressee, so the inject never fires: no campaign can make it true that {}",
                        guard.spec.describe("an addressee")
                    ),
                )),
                _ => {}
            }
        }
    }

    fn guard_can_hold(&self, reach: &Reach, test: GuardTest, entity: super::ActorIx) -> bool {
        match test {
            GuardTest::Compromised(c) | GuardTest::NotContained(c) => {
                reach.can_compromise(c, entity)
            }
            GuardTest::Hit(effect) => reach.can_hit(self, effect, entity),
        }
    }

    fn lint_effect(&self, reach: &Reach, effect: &InjectEffect) -> Option<String> {
        match effect {
            InjectEffect::Tip {
                entity, campaign, ..
            } => {
                let (e, c) = (
                    self.by_id.get(entity.as_str())?,
                    self.campaign_by_id.get(campaign)?,
                );
                (!reach.can_compromise(Some(*c), *e)).then(|| {
                    format!(
                        "this tip can never land: campaign \"{campaign}\" never reaches \"{entity}\" (not a target, and no spreading stage leads there)"
                    )
                })
            }
            InjectEffect::RequestScan { csirt, entity } => {
                let (c, e) = (
                    self.by_id.get(csirt.as_str())?,
                    self.by_id.get(entity.as_str())?,
                );
                let profile = self.entity(*e)?;
                if profile.vulnerable.is_empty() {
                    return Some(format!(
                        "this scan can never find anything: \"{entity}\" has no exposed service with a known vulnerability (its `vulnerable` list is empty)"
                    ));
                }
                let hidden = |cve: &u32| {
                    self.vulnerabilities[*cve as usize]
                        .disclosure
                        .as_ref()
                        .is_some_and(|d| {
                            d.coordinator != *c && d.reported.saturating_add(d.embargo) > self.end
                        })
                };
                profile.vulnerable.iter().all(hidden).then(|| {
                    format!(
                        "this scan can never find anything: every vulnerability of \"{entity}\" stays under embargo to the end, and \"{csirt}\" does not coordinate its disclosure"
                    )
                })
            }
            _ => None,
        }
    }

    /// Whether some run might journal an event `pattern` matches. Only what the adversary
    /// decides is judged; anything players, desks or the facilitator do might happen.
    fn can_happen(&self, reach: &Reach, pattern: &Pattern) -> bool {
        match pattern {
            Pattern::Detected(who) | Pattern::Classified(who) => reach.count(self, who, None) > 0,
            Pattern::Impact { at, effect } => reach.count(self, at, Some(*effect)) > 0,
            Pattern::NthImpact { effect, count } => reach.impacts(self, *effect) >= *count as usize,
            Pattern::Stage {
                campaign,
                stage,
                at,
            } => reach.can_complete(self, (*campaign, *stage as usize), at),
            _ => true,
        }
    }
}
