//! Adversaries: campaigns start, walk their stages at each target, leave indicators,
//! cause impact and spread to further organisations. A stage whose indicators the target
//! has acted on may be blocked outright; an exploit fails where the vulnerability is
//! patched or absent; a campaign whose indicators are widely known rotates its
//! infrastructure.

use bevy_ecs::prelude::*;

use super::ctx::{Acting, Ctx};
use super::journal::{Event, Journal};
use super::maturity::{self, block_ppm};
use super::plan::IndicatorIx;
use super::plan::ix;
use super::plan::{ActorIx, CampaignIx, Plan, StageEffect};
use super::rng::{Key, PPM, Purpose};
use super::state::{
    ActorEntities, Agenda, CampaignStates, Defender, Due, DueNow, Intrusion, IntrusionStatus,
    Intrusions,
};

use crate::scenario::{ImpactKind, Maturity};

/// A stage completed at a target that was not blocked: the defender may notice it.
#[derive(Message, Clone, Debug)]
pub struct Exposure {
    pub campaign: CampaignIx,
    pub target: ActorIx,
    pub stage: usize,
    /// The indicators the stage left (after any rotation).
    pub indicators: Vec<IndicatorIx>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn advance_campaigns(
    mut acting: Acting,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    defenders: Query<&Defender>,
    mut intrusions: Query<&mut Intrusion>,
    mut states: ResMut<CampaignStates>,
    mut index: ResMut<Intrusions>,
    mut exposures: MessageWriter<Exposure>,
    mut commands: Commands,
) {
    let mut ctx = acting.ctx();
    let (plan, now) = (ctx.plan, ctx.now);
    watch_burnt_infrastructure(plan, now, &mut states, ctx.agenda, ctx.journal);
    for item in &due.0 {
        match *item {
            Due::Rotate { campaign } => {
                let state = &mut states.campaigns[campaign as usize];
                if state.rotated {
                    continue;
                }
                state.rotated = true;
                let known_by = state.known_when_planned;
                let replaced = plan.campaigns[campaign as usize]
                    .rotation
                    .iter()
                    .flat_map(|r| r.replace.iter())
                    .map(|(old, new)| (plan.indicator_ref(*old), plan.indicator_ref(*new)))
                    .collect();
                ctx.journal.record(
                    now,
                    Event::InfrastructureRotated {
                        campaign: plan.campaign_ref(campaign),
                        replaced,
                        known_by,
                    },
                );
            }
            Due::CampaignStart { campaign } => {
                let c = &plan.campaigns[campaign as usize];
                ctx.journal.record(
                    now,
                    Event::CampaignStarted {
                        campaign: plan.campaign_ref(campaign),
                        adversary: c.adversary.clone(),
                        targets: ix(c.targets.len()),
                    },
                );
                for &target in &c.targets {
                    enter(&mut ctx, (campaign, target, 0), &mut index, &mut commands);
                }
            }
            Due::Stage { campaign, target } => {
                let Some(&entity) = index.0.get(&(campaign, target)) else {
                    continue;
                };
                let Ok(mut intrusion) = intrusions.get_mut(entity) else {
                    continue;
                };
                if intrusion.status != IntrusionStatus::Active {
                    continue;
                }
                let stage_ix = intrusion.stage;
                let c = &plan.campaigns[campaign as usize];
                let stage = &c.stages[stage_ix];
                let target_key = plan.actor(target).key;
                let rotated = states
                    .campaigns
                    .get(campaign as usize)
                    .is_some_and(|s| s.rotated);
                let left = c.indicators_of(stage_ix, rotated);
                let defender = actors
                    .0
                    .get(target as usize)
                    .and_then(|e| defenders.get(*e).ok());
                if defender.is_some_and(|d| d.decided.is_offline(now)) {
                    intrusion.status = IntrusionStatus::Blocked;
                    ctx.journal.record(
                        now,
                        Event::StageFailedOffline {
                            campaign: plan.campaign_ref(campaign),
                            stage: plan.stage_ref(campaign, stage_ix),
                            entity: plan.actor_ref(target),
                        },
                    );
                    continue;
                }
                // A chain of vulnerabilities breaks at its first link closed.
                let closed = stage.needs().find_map(|cve| {
                    let vulnerable = plan
                        .entity(target)
                        .is_some_and(|e| e.vulnerable.contains(&cve));
                    let patched = defender.is_some_and(|d| d.patched.contains(&cve));
                    (!vulnerable || patched).then_some((cve, patched))
                });
                if let Some((cve, patched)) = closed {
                    intrusion.status = IntrusionStatus::Blocked;
                    ctx.journal.record(
                        now,
                        Event::ExploitFailed {
                            campaign: plan.campaign_ref(campaign),
                            stage: plan.stage_ref(campaign, stage_ix),
                            entity: plan.actor_ref(target),
                            cve: plan.vulnerabilities[cve as usize].cve.clone(),
                            reason: if patched { "patched" } else { "not vulnerable" },
                        },
                    );
                    continue;
                }
                let acted: Vec<_> = defender
                    .map(|d| {
                        left.iter()
                            .copied()
                            .filter(|i| d.acted.contains(i))
                            .collect()
                    })
                    .unwrap_or_default();
                let monitoring = plan.entity(target).map_or(Maturity::Low, |e| e.monitoring);
                let block_key = Key::new(Purpose::Block, [c.key, target_key, stage.key, 0]);
                if !acted.is_empty() && ctx.streams.chance(&block_key, block_ppm(monitoring)) {
                    intrusion.status = IntrusionStatus::Blocked;
                    ctx.journal.record(
                        now,
                        Event::StageBlocked {
                            campaign: plan.campaign_ref(campaign),
                            stage: plan.stage_ref(campaign, stage_ix),
                            entity: plan.actor_ref(target),
                            indicators: acted.iter().map(|i| plan.indicator_ref(*i)).collect(),
                        },
                    );
                    continue;
                }
                intrusion.left.extend(left.iter().copied());
                intrusion.completed.push(stage_ix);
                ctx.journal.record(
                    now,
                    Event::StageCompleted {
                        campaign: plan.campaign_ref(campaign),
                        stage: plan.stage_ref(campaign, stage_ix),
                        technique: stage.technique.clone(),
                        entity: plan.actor_ref(target),
                    },
                );
                match &stage.effect {
                    StageEffect::Impact(effect) => {
                        let nth = states.impacts.entry(*effect).or_default();
                        *nth += 1;
                        let nth = *nth;
                        ctx.journal.record(
                            now,
                            Event::Impact {
                                campaign: plan.campaign_ref(campaign),
                                stage: plan.stage_ref(campaign, stage_ix),
                                entity: plan.actor_ref(target),
                                effect: *effect,
                                nth,
                            },
                        );
                        if *effect == ImpactKind::DataTheft
                            && plan.entity(target).is_some_and(|e| e.holds_customer_data)
                        {
                            super::supply::breach_customers(
                                &mut ctx,
                                (campaign, target, stage_ix),
                                &mut states.impacts,
                                &mut index,
                                &mut commands,
                            );
                        }
                    }
                    StageEffect::Spread { targets, entry } => {
                        for next in plan.spread_targets(target, targets) {
                            if index.0.contains_key(&(campaign, next)) {
                                continue;
                            }
                            ctx.journal.record(
                                now,
                                Event::Spread {
                                    campaign: plan.campaign_ref(campaign),
                                    from: plan.actor_ref(target),
                                    to: plan.actor_ref(next),
                                    entry: plan.stage_ref(campaign, *entry),
                                },
                            );
                            enter(
                                &mut ctx,
                                (campaign, next, *entry),
                                &mut index,
                                &mut commands,
                            );
                        }
                    }
                    StageEffect::None | StageEffect::CredentialTheft => {}
                }
                exposures.write(Exposure {
                    campaign,
                    target,
                    stage: stage_ix,
                    indicators: left,
                });
                let next = stage_ix + 1;
                if next < c.stages.len() {
                    intrusion.stage = next;
                    let at = stage_due(plan, ctx.streams, now, campaign, target, next);
                    ctx.agenda.push(at, Due::Stage { campaign, target });
                } else {
                    intrusion.status = IntrusionStatus::Finished;
                }
            }
            _ => {}
        }
    }
}

/// When stage `stage` of `campaign` at `target`, begun at `from`, completes.
fn stage_due(
    plan: &Plan,
    streams: &super::rng::Streams,
    from: i64,
    campaign: CampaignIx,
    target: ActorIx,
    stage: usize,
) -> i64 {
    let c = &plan.campaigns[campaign as usize];
    let s = &c.stages[stage];
    let key = Key::new(
        Purpose::StageDuration,
        [c.key, plan.actor(target).key, s.key, 0],
    );
    let at = from + streams.duration(&key, &s.duration).minutes;
    s.not_before.map_or(at, |nb| at.max(nb))
}

/// The campaign reaches `target` and starts working on `stage`.
fn enter(
    ctx: &mut Ctx<'_>,
    (campaign, target, stage): (CampaignIx, ActorIx, usize),
    index: &mut Intrusions,
    commands: &mut Commands,
) {
    let (plan, streams, now) = (ctx.plan, ctx.streams, ctx.now);
    if index.0.contains_key(&(campaign, target)) {
        return;
    }
    index.open(commands, Intrusion::arriving(campaign, target, stage));
    let at = stage_due(plan, streams, now, campaign, target, stage);
    ctx.agenda.push(at, Due::Stage { campaign, target });
}

/// Detection chance per stage for a defender that does not know the stage's indicators.
pub fn detection_ppm(
    plan: &Plan,
    campaign: CampaignIx,
    target: ActorIx,
    stage: usize,
    indicator_known: bool,
) -> u32 {
    let c = &plan.campaigns[campaign as usize];
    let monitoring = plan.entity(target).map_or(Maturity::Low, |e| e.monitoring);
    let base = maturity::detection_base_ppm(monitoring);
    let difficulty = maturity::difficulty_permille(c.stages[stage].detection);
    let capability = maturity::capability_permille(c.capability);
    let p = (base * difficulty / 1_000 * capability / 1_000).min(u64::from(PPM));
    let p = if indicator_known {
        // Knowing the indicator beforehand turns a needle in a haystack into a match.
        p + (u64::from(PPM) - p) * 7 / 10
    } else {
        p
    };
    u32::try_from(p).unwrap_or(PPM)
}

/// The adversary watches how widely its indicators are known (in the world, that is the
/// threat-intelligence feeds it monitors); past the campaign's threshold it rotates.
fn watch_burnt_infrastructure(
    plan: &Plan,
    now: i64,
    states: &mut CampaignStates,
    agenda: &mut Agenda,
    journal: &Journal,
) {
    if states.campaigns.len() != plan.campaigns.len() {
        states
            .campaigns
            .resize_with(plan.campaigns.len(), Default::default);
    }
    let entries = &journal.entries()[states.cursor.min(journal.len())..];
    states.cursor = journal.len();
    for entry in entries {
        let Event::IndicatorLearned {
            actor, indicator, ..
        } = &entry.event
        else {
            continue;
        };
        let campaign = plan.indicators[indicator.ix as usize].campaign;
        let Some(rotation) = &plan.campaigns[campaign as usize].rotation else {
            continue;
        };
        if !rotation.replace.iter().any(|(old, _)| *old == indicator.ix) {
            continue;
        }
        let state = &mut states.campaigns[campaign as usize];
        state.burnt_by.insert(actor.ix);
        if !state.rotation_planned && state.burnt_by.len() >= rotation.known_by as usize {
            state.rotation_planned = true;
            state.known_when_planned = ix(state.burnt_by.len());
            agenda.push(now + rotation.delay, Due::Rotate { campaign });
        }
    }
}
