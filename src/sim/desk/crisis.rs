//! Crisis escalation: a CSIRT's rules name a trigger (so many organisations hit, a
//! cross-border link) and a level; a met trigger queues an assessment, and raising the
//! level (however decided) carries out the actions of every level passed.

use std::collections::BTreeSet;

use super::super::ctx::Ctx;
use super::super::journal::{Event, Task};
use super::super::plan::ix;
use super::super::plan::{ActorIx, CsirtPlan, IndicatorIx, Plan};
use super::super::state::{Case, CrisisLevelState, Desk, Knowledge, Topic};
use super::queue::enqueue;
use super::sharing::{publish, share_with};
use crate::scenario::{CrisisAction, CrisisLevel, CrisisTrigger, Minute, Nis2Class, Tlp};

/// Whether what `knowledge` holds meets a crisis trigger.
fn triggered(plan: &Plan, knowledge: &Knowledge, trigger: &CrisisTrigger) -> bool {
    match trigger {
        CrisisTrigger::EntitiesHit {
            count,
            sector,
            essential_only,
        } => {
            let hit: BTreeSet<ActorIx> = knowledge
                .incidents
                .keys()
                .map(|(victim, _)| *victim)
                .filter(|v| {
                    plan.entity(*v).is_some_and(|e| {
                        sector.is_none_or(|s| e.sector == s)
                            && (!essential_only || e.class == Nis2Class::Essential)
                    })
                })
                .collect();
            hit.len() >= *count as usize
        }
        CrisisTrigger::CrossBorder => !knowledge.cross_border.is_empty(),
        CrisisTrigger::Manual => false,
    }
}

/// Queues an assessment for each escalation rule whose trigger the CSIRT now meets.
pub fn assess_escalation(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    profile: &CsirtPlan,
    desk: &mut Desk,
    knowledge: &Knowledge,
) {
    for (n, rule) in profile.escalation.iter().enumerate() {
        let n = ix(n);
        if rule.level <= desk.crisis.level.0 || desk.crisis.assessing.contains(&n) {
            continue;
        }
        if triggered(ctx.plan, knowledge, &rule.when) {
            desk.crisis.assessing.insert(n);
            ctx.journal.record(
                ctx.now,
                Event::CrisisTriggered {
                    csirt: ctx.plan.actor_ref(csirt),
                    level: rule.level,
                    trigger: rule.when.clone(),
                },
            );
            let case = Case {
                from: csirt,
                reporter: None,
                indicators: Vec::new(),
                urgent: true,
                topic: Topic::Escalation(n),
            };
            enqueue(ctx, desk, csirt, Task::Assessment, case, false);
        }
    }
}

/// Raises the crisis level, however it was decided (assessment, inject, procedure step),
/// and carries out what every level passed requires: the actions of the CSIRT's escalation
/// rules above the old level up to the new one, lowest first, so a level skipped on the way
/// loses nothing.
pub fn raise(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    level: CrisisLevel,
    reason: String,
) {
    let plan = ctx.plan;
    let from = desk.crisis.level.0;
    if level <= from {
        return;
    }
    let mut rules: Vec<_> = plan
        .csirt(csirt)
        .map(|p| {
            p.escalation
                .iter()
                .filter(|e| e.level > from && e.level <= level)
                .collect()
        })
        .unwrap_or_default();
    rules.sort_by_key(|e| e.level);
    let actions: Vec<CrisisAction> = rules
        .iter()
        .flat_map(|e| e.actions.iter().cloned())
        .collect();
    desk.crisis.level = CrisisLevelState(level);
    ctx.journal.record(
        ctx.now,
        Event::CrisisLevelChanged {
            csirt: plan.actor_ref(csirt),
            from,
            to: level,
            reason,
        },
    );
    let everything: Vec<IndicatorIx> = knowledge.indicators.keys().copied().collect();
    for action in &actions {
        ctx.journal.record(
            ctx.now,
            Event::CrisisActionTaken {
                csirt: plan.actor_ref(csirt),
                action: action.clone(),
            },
        );
        match action {
            CrisisAction::CrisisTeam { extra_analysts } => {
                // Bounded at validation; saturating all the same, as every sum of user numbers.
                desk.analysts = desk.analysts.saturating_add(*extra_analysts);
                desk.busy_until.resize(desk.analysts as usize, Minute::MIN);
            }
            CrisisAction::InformNetwork => {
                let recipients: Vec<_> = plan
                    .csirts
                    .iter()
                    .filter(|c| c.actor != csirt)
                    .map(|c| (c.actor, false, Tlp::Green))
                    .collect();
                share_with(ctx, csirt, desk, knowledge, &recipients, &everything);
            }
            CrisisAction::PublicCommunication => publish(ctx, csirt, desk, knowledge, &everything),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{CrisisAction, CrisisLevel, CrisisTrigger, Escalation, InjectEffect};
    use crate::sim::journal::Event;
    use crate::sim::testkit::{self, CSIRT, inject, of_kind};

    #[test]
    fn raising_past_a_level_carries_out_that_levels_actions_too() {
        let mut s = testkit::scenario();
        s.csirts[0].escalation = vec![
            Escalation {
                level: CrisisLevel::Alert,
                when: CrisisTrigger::Manual,
                actions: vec![CrisisAction::CrisisTeam { extra_analysts: 2 }],
            },
            Escalation {
                level: CrisisLevel::Crisis,
                when: CrisisTrigger::Manual,
                actions: vec![CrisisAction::InformNetwork],
            },
        ];
        let raise = InjectEffect::RaiseCrisis {
            csirt: CSIRT.into(),
            level: CrisisLevel::Crisis,
        };
        s.injects.push(inject("minister", "T+1h", vec![raise]));
        let sim = testkit::play(&s);
        assert_eq!(of_kind(&sim, "crisis_level_changed").len(), 1);
        let actions: Vec<&CrisisAction> = of_kind(&sim, "crisis_action_taken")
            .iter()
            .filter_map(|e| match &e.event {
                Event::CrisisActionTaken { action, .. } => Some(action),
                _ => None,
            })
            .collect();
        assert_eq!(
            actions,
            [
                &CrisisAction::CrisisTeam { extra_analysts: 2 },
                &CrisisAction::InformNetwork
            ]
        );
    }
}
