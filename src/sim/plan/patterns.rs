//! References inside the MSEL and objectives resolved: an inject's trigger, the journal
//! patterns that triggers and objective checks match, and the organisations a pattern or
//! a campaign names.

use std::collections::BTreeMap;

use super::{ActorIx, InjectPlan, Pattern, Plan, PlanError, WhenPlan, WhoIx, ix};
use crate::scenario::{EventPattern, Inject, Target, When, Who};

impl Plan {
    /// Compiles an inject from the scenario or composed by the facilitator.
    pub fn compile_inject(&self, inject: &Inject) -> Result<InjectPlan, PlanError> {
        let when = match &inject.when {
            When::At(at) => WhenPlan::At(at.resolve(&self.start)),
            When::After { on, delay } => WhenPlan::After {
                on: self.pattern(on)?,
                delay: delay.minutes,
            },
            When::Unless {
                after,
                expected,
                within,
            } => WhenPlan::Unless {
                after: self.pattern(after)?,
                expected: self.pattern(expected)?,
                within: within.minutes,
            },
        };
        Ok(InjectPlan {
            id: inject.id.as_str().into(),
            spec: inject.clone(),
            when,
            to: inject
                .to
                .iter()
                .map(|t| self.actor_ix(t))
                .collect::<Result<_, _>>()?,
            guards: inject
                .only_if
                .iter()
                .map(|g| self.guard(g))
                .collect::<Result<_, _>>()?,
        })
    }

    pub(super) fn resolve_targets(&self, targets: &[Target]) -> Result<Vec<ActorIx>, PlanError> {
        let mut out = Vec::new();
        for target in targets {
            match target {
                Target::Entity(id) => out.push(self.actor_ix(id)?),
                Target::Sector(sector) => {
                    out.extend(
                        self.entities
                            .iter()
                            .filter(|e| e.sector == *sector)
                            .map(|e| e.actor),
                    );
                }
                Target::Suppliers | Target::Customers => {
                    return Err(PlanError("relative target outside Spread".into()));
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        out.retain(|a| seen.insert(*a));
        Ok(out)
    }

    fn who(&self, who: &Who) -> Result<WhoIx, PlanError> {
        Ok(match who {
            Who::Entity(id) => WhoIx::Entity(self.actor_ix(id)?),
            Who::Sector(s) => WhoIx::Sector(*s),
            Who::Any => WhoIx::Any,
        })
    }

    pub fn pattern(&self, p: &EventPattern) -> Result<Pattern, PlanError> {
        let lookup = |map: &BTreeMap<String, u32>, id: &str, what: &str| {
            map.get(id)
                .copied()
                .ok_or_else(|| PlanError(format!("no {what} \"{id}\"")))
        };
        Ok(match p {
            EventPattern::Detected(w) => Pattern::Detected(self.who(w)?),
            EventPattern::Classified(w) => Pattern::Classified(self.who(w)?),
            EventPattern::ReportSent { by, report } => Pattern::ReportSent {
                by: self.who(by)?,
                report: report.clone(),
            },
            EventPattern::Feedback { from, to } => Pattern::Feedback {
                from: self.actor_ix(from)?,
                to: self.actor_ix(to)?,
            },
            EventPattern::Knows { actor, indicator } => Pattern::Knows {
                actor: self.actor_ix(actor)?,
                indicator: self.indicator_ix(indicator)?,
            },
            EventPattern::Shared { from, to } => Pattern::Shared {
                from: self.actor_ix(from)?,
                to: self.actor_ix(to)?,
            },
            EventPattern::Impact { at, effect } => Pattern::Impact {
                at: self.who(at)?,
                effect: *effect,
            },
            EventPattern::Stage {
                campaign,
                stage,
                at,
            } => {
                let c = lookup(&self.campaign_by_id, campaign, "campaign")?;
                let s = self.campaigns[c as usize]
                    .stages
                    .iter()
                    .position(|st| &*st.id == stage)
                    .ok_or_else(|| PlanError(format!("no stage \"{stage}\"")))?;
                Pattern::Stage {
                    campaign: c,
                    stage: ix(s),
                    at: self.who(at)?,
                }
            }
            EventPattern::CrisisRaised { csirt, level } => Pattern::CrisisRaised {
                csirt: self.actor_ix(csirt)?,
                level: *level,
            },
            EventPattern::StepDone { sop, step } => Pattern::StepDone {
                sop: sop.as_str().into(),
                step: step.as_str().into(),
            },
            EventPattern::NthImpact { effect, count } => Pattern::NthImpact {
                effect: *effect,
                count: *count,
            },
            EventPattern::CrisisTriggered { csirt, level } => Pattern::CrisisTriggered {
                csirt: self.actor_ix(csirt)?,
                level: *level,
            },
            EventPattern::Inject(id) => Pattern::Inject(lookup(&self.inject_by_id, id, "inject")?),
            EventPattern::ObjectiveMet(id) => {
                Pattern::ObjectiveMet(lookup(&self.objective_by_id, id, "objective")?)
            }
            EventPattern::ObjectiveMissed(id) => {
                Pattern::ObjectiveMissed(lookup(&self.objective_by_id, id, "objective")?)
            }
        })
    }
}

impl WhoIx {
    /// "Zilverbank", "an organisation of the finance sector", "an organisation".
    pub fn describe(&self, plan: &Plan) -> String {
        match self {
            Self::Entity(actor) => plan.actor(*actor).name.to_string(),
            Self::Sector(sector) => format!("an organisation of the {} sector", sector.label()),
            Self::Any => "an organisation".to_owned(),
        }
    }
}

impl Pattern {
    /// The event in words, for an objective that waits for it: "Zilverbank sends a DORA
    /// initial notification".
    pub fn describe(&self, plan: &Plan) -> String {
        let name = |a: &ActorIx| plan.actor(*a).name.to_string();
        let named = |items: Option<&super::Name>, ix: u32| {
            items.map_or_else(|| format!("#{ix}"), ToString::to_string)
        };
        match self {
            Self::StepDone { sop, step } => format!("step {step} of procedure {sop} finishes"),
            Self::NthImpact { effect, count } => {
                format!(
                    "an organisation suffers its impact number {count} of {}",
                    effect.label()
                )
            }
            Self::CrisisRaised { csirt, level } => {
                format!(
                    "{} raises its crisis level to {}",
                    name(csirt),
                    level.label()
                )
            }
            Self::CrisisTriggered { csirt, level } => format!(
                "{} meets its escalation rule for {}",
                name(csirt),
                level.label()
            ),
            Self::Detected(who) => format!("{} detects an incident", who.describe(plan)),
            Self::Classified(who) => {
                format!("{} classifies an incident as major", who.describe(plan))
            }
            Self::ReportSent { by, report } => {
                format!("{} sends a {}", by.describe(plan), report.label())
            }
            Self::Feedback { from, to } => format!("{} gives {} feedback", name(from), name(to)),
            Self::Knows { actor, indicator } => format!(
                "{} learns indicator {}",
                name(actor),
                named(
                    plan.indicators.get(*indicator as usize).map(|i| &i.id),
                    *indicator
                )
            ),
            Self::Shared { from, to } => format!("{} shares with {}", name(from), name(to)),
            Self::Impact { at, effect } => {
                format!("{} suffers {}", at.describe(plan), effect.label())
            }
            Self::Stage {
                campaign,
                stage,
                at,
            } => {
                let c = plan.campaigns.get(*campaign as usize);
                format!(
                    "stage {} of campaign {} completes at {}",
                    named(
                        c.and_then(|c| c.stages.get(*stage as usize)).map(|s| &s.id),
                        *stage
                    ),
                    named(c.map(|c| &c.id), *campaign),
                    at.describe(plan)
                )
            }
            Self::Inject(i) => format!(
                "inject {} fires",
                named(plan.injects.get(*i as usize).map(|i| &i.id), *i)
            ),
            Self::ObjectiveMet(o) => format!(
                "objective {} is met",
                named(plan.objectives.get(*o as usize).map(|o| &o.id), *o)
            ),
            Self::ObjectiveMissed(o) => format!(
                "objective {} is missed",
                named(plan.objectives.get(*o as usize).map(|o| &o.id), *o)
            ),
        }
    }
}
