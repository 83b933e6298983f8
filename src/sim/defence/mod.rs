//! Organisations defending themselves: noticing a stage, opening an incident, learning
//! from their own investigation, containing it. Classification and the reports the law
//! and their own policy ask of them are in `reporting`.

mod decided;
mod reporting;

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use super::adversary::{Exposure, detection_ppm};
use super::ctx::{Acting, Ctx};
use super::journal::{DetectionSource, Event};
use super::knowledge::learn;
use super::maturity::{classification_delay, containment_delay, range};
use super::plan::ix;
use super::plan::{ActorIx, CampaignIx, Duty, IndicatorIx, StageEffect};
use super::rng::{Key, PPM, Purpose, report_key};
use super::state::{
    ActorEntities, Context, Defender, Due, DueNow, Incident, Intrusion, IntrusionStatus,
    Intrusions, Knowledge, Marked, Parcel, ReportState,
};
use super::stirred::ActorsMut;
use crate::scenario::{ImpactKind, Minute, ReportKind, time::MINUTES_PER_HOUR};
use reporting::{classify, schedule_send, send_report, stage_severity};

const HOUR: Minute = MINUTES_PER_HOUR;

pub fn defend(
    mut acting: Acting,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    index: Res<Intrusions>,
    mut exposures: MessageReader<Exposure>,
    mut intrusions: Query<&mut Intrusion>,
    mut defenders: ActorsMut<(&mut Defender, &mut Knowledge)>,
) {
    let mut ctx = acting.ctx();
    let plan = ctx.plan;
    for exposure in exposures.read() {
        let (Some(&ie), Some(&de)) = (
            index.0.get(&(exposure.campaign, exposure.target)),
            actors.0.get(exposure.target as usize),
        ) else {
            continue;
        };
        let (Ok(mut intrusion), Ok((mut defender, mut knowledge))) =
            (intrusions.get_mut(ie), defenders.get_mut(de))
        else {
            continue;
        };
        on_exposure(
            &mut ctx,
            exposure,
            &mut intrusion,
            &mut defender,
            &mut knowledge,
        );
    }
    for item in &due.0 {
        let entity = match item {
            Due::DetectionChance { target, .. } => *target,
            Due::Classify { entity, .. }
            | Due::Contain { entity, .. }
            | Due::SendReport { entity, .. }
            | Due::ReportDeadline { entity, .. }
            | Due::ActOnWarning { entity, .. }
            | Due::Patch { entity, .. }
            | Due::ContainNow { entity, .. }
            | Due::Withhold { entity, .. }
            | Due::Reconsider { entity, .. }
            | Due::Mark { entity, .. }
            | Due::Offline { entity, .. }
            | Due::InformationRequest { entity, .. }
            | Due::Reminder { entity } => *entity,
            _ => continue,
        };
        let Some(&de) = actors.0.get(entity as usize) else {
            continue;
        };
        let Ok((mut defender, mut knowledge)) = defenders.get_mut(de) else {
            continue;
        };
        match *item {
            Due::DetectionChance {
                campaign,
                target,
                source,
                ppm,
                key,
            } => {
                let Some(mut intrusion) = intrusion_mut(&index, &mut intrusions, campaign, entity)
                else {
                    if source == DetectionSource::Tip {
                        tip(&mut ctx, target, campaign, false);
                    }
                    continue;
                };
                let c = &plan.campaigns[campaign as usize];
                // A campaign that walked all its stages here left its traces: a tip about it
                // still lands. One blocked or contained is over.
                let undetected = matches!(
                    intrusion.status,
                    IntrusionStatus::Active
                        | IntrusionStatus::Finished
                        | IntrusionStatus::AtSupplier
                ) && intrusion.detected_at.is_none();
                let purpose = if source == DetectionSource::Tip {
                    Purpose::Tip
                } else {
                    Purpose::Hunt
                };
                let noticed = undetected
                    && ctx.streams.chance(
                        &Key::new(purpose, [c.key, plan.actor(target).key, key, 0]),
                        ppm,
                    );
                if source == DetectionSource::Tip {
                    tip(&mut ctx, target, campaign, noticed);
                }
                if noticed {
                    let stage = intrusion
                        .completed
                        .last()
                        .copied()
                        .unwrap_or(intrusion.stage);
                    become_aware(
                        &mut ctx,
                        &mut intrusion,
                        &mut defender,
                        &mut knowledge,
                        stage,
                        source,
                    );
                }
            }
            Due::Classify { incident, .. } => {
                let Some(campaign) = defender
                    .incidents
                    .get(incident as usize - 1)
                    .map(|i| i.campaign)
                else {
                    continue;
                };
                let completed = intrusion_mut(&index, &mut intrusions, campaign, entity)
                    .map(|i| i.completed.clone())
                    .unwrap_or_default();
                classify(&mut ctx, entity, &mut defender, incident, &completed);
            }
            Due::Contain { .. } | Due::ContainNow { .. } => {
                // Its own containment names the incident; "contain now" names the campaign,
                // and contains only what the organisation knows of.
                let incident = match item {
                    Due::Contain { incident, .. } => *incident,
                    Due::ContainNow { campaign, .. } => {
                        match defender
                            .incidents
                            .iter()
                            .position(|i| i.campaign == *campaign)
                        {
                            Some(at) => ix(at + 1),
                            // Said in the journal, so the review sees why the answer
                            // changed nothing.
                            None => {
                                ctx.journal.record(
                                    ctx.now,
                                    Event::NothingToContain {
                                        entity: plan.actor_ref(entity),
                                        campaign: plan.campaign_ref(*campaign),
                                    },
                                );
                                continue;
                            }
                        }
                    }
                    _ => continue,
                };
                let Some(inc) = defender.incidents.get_mut(incident as usize - 1) else {
                    continue;
                };
                let campaign = inc.campaign;
                if let Some(mut intrusion) =
                    intrusion_mut(&index, &mut intrusions, campaign, entity)
                {
                    match intrusion.status {
                        IntrusionStatus::Active => intrusion.status = IntrusionStatus::Contained,
                        // Its data went from a supplier: nothing here to contain.
                        IntrusionStatus::AtSupplier => continue,
                        _ => {}
                    }
                }
                if !inc.contained {
                    inc.contained = true;
                    ctx.journal.record(
                        ctx.now,
                        Event::Contained {
                            entity: plan.actor_ref(entity),
                            campaign: plan.campaign_ref(campaign),
                            incident,
                        },
                    );
                }
            }
            // A report the organisation decided to withhold is not sent by itself.
            Due::SendReport { ref report, .. } if defender.decided.withheld.contains(report) => {}
            Due::SendReport {
                incident,
                ref report,
                ..
            } => {
                send_report(
                    &mut ctx,
                    entity,
                    &mut defender,
                    &knowledge,
                    incident,
                    report,
                );
            }
            Due::Withhold { .. }
            | Due::Reconsider { .. }
            | Due::Offline { .. }
            | Due::Mark { .. } => decided::carry_out(&mut ctx, entity, &mut defender, item),
            Due::ReportDeadline {
                incident,
                ref report,
                ..
            } => {
                let Some(inc) = defender.incidents.get(incident as usize - 1) else {
                    continue;
                };
                for state in inc.reports.of(report) {
                    if state.sent.is_none()
                        && let Some(due) = state.due
                    {
                        ctx.journal.record(
                            ctx.now,
                            Event::ReportOverdue {
                                entity: plan.actor_ref(entity),
                                report: report.clone(),
                                to: plan.actor_ref(state.to),
                                incident,
                                due,
                            },
                        );
                    }
                }
            }
            Due::ActOnWarning { ref indicators, .. } => {
                let new: Vec<IndicatorIx> = indicators
                    .iter()
                    .copied()
                    .filter(|i| defender.acted.insert(*i))
                    .collect();
                if !new.is_empty() {
                    ctx.journal.record(
                        ctx.now,
                        Event::WarningActedOn {
                            entity: plan.actor_ref(entity),
                            indicators: new.iter().map(|i| plan.indicator_ref(*i)).collect(),
                        },
                    );
                }
            }
            Due::InformationRequest {
                csirt,
                ref campaigns,
                ..
            } => {
                // The organisation answers with everything it knows of those campaigns.
                let indicators: Vec<Marked> = knowledge
                    .indicators
                    .iter()
                    .filter(|(i, _)| campaigns.contains(&plan.indicators[**i as usize].campaign))
                    .map(|(i, l)| Marked {
                        indicator: *i,
                        tlp: l.tlp,
                        context: l.context,
                    })
                    .collect();
                if indicators.is_empty() {
                    // Nothing known of those campaigns: nothing to answer with.
                    continue;
                }
                ctx.journal.record(
                    ctx.now,
                    Event::Shared {
                        from: plan.actor_ref(entity),
                        to: plan.actor_ref(csirt),
                        indicators: indicators
                            .iter()
                            .map(|m| plan.indicator_ref(m.indicator))
                            .collect(),
                        tlp: indicators
                            .iter()
                            .map(|m| m.tlp)
                            .max()
                            .unwrap_or(crate::scenario::Tlp::Green),
                        warning: false,
                    },
                );
                let parcel = Parcel::Share {
                    from: entity,
                    indicators,
                    warning: false,
                    hits: Vec::new(),
                };
                ctx.post
                    .send(ctx.agenda, ctx.journal, ctx.now, entity, csirt, parcel);
            }
            Due::Patch { cve, .. } => {
                defender.patching.remove(&cve);
                if defender.patched.insert(cve) {
                    ctx.journal.record(
                        ctx.now,
                        Event::Patched {
                            entity: plan.actor_ref(entity),
                            cve: plan.vulnerabilities[cve as usize].cve.clone(),
                        },
                    );
                }
            }
            Due::Reminder { .. } => {
                for n in 1..=ix(defender.incidents.len()) {
                    let campaign = defender.incidents[n as usize - 1].campaign;
                    if defender.incidents[n as usize - 1].severity.is_none() {
                        let completed = intrusion_mut(&index, &mut intrusions, campaign, entity)
                            .map(|i| i.completed.clone())
                            .unwrap_or_default();
                        classify(&mut ctx, entity, &mut defender, n, &completed);
                    }
                    // One reminder per report, however many recipients it is owed to.
                    let owed: BTreeSet<ReportKind> = defender.incidents[n as usize - 1]
                        .reports
                        .iter()
                        .filter(|(_, s)| s.sent.is_none() && s.due.is_some())
                        .map(|(k, _)| k.clone())
                        .collect();
                    for report in owed {
                        let parts = [
                            plan.actor(entity).key,
                            plan.campaigns[campaign as usize].key,
                            report_key(&report),
                            1,
                        ];
                        let at =
                            ctx.now + ctx.draw(Purpose::ReportDelay, parts, &range(30, 2 * HOUR));
                        ctx.agenda.push(
                            at,
                            Due::SendReport {
                                entity,
                                incident: n,
                                report,
                            },
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// The intrusion of `campaign` at `entity`, if the campaign reached it.
fn intrusion_mut<'a>(
    index: &Intrusions,
    intrusions: &'a mut Query<&mut Intrusion>,
    campaign: CampaignIx,
    entity: ActorIx,
) -> Option<Mut<'a, Intrusion>> {
    let e = index.0.get(&(campaign, entity)).copied()?;
    intrusions.get_mut(e).ok()
}

fn tip(ctx: &mut Ctx<'_>, entity: ActorIx, campaign: CampaignIx, noticed: bool) {
    ctx.journal.record(
        ctx.now,
        Event::TipReceived {
            entity: ctx.plan.actor_ref(entity),
            campaign: ctx.plan.campaign_ref(campaign),
            noticed,
        },
    );
}

/// What an organisation's own investigation finds: indicators with victim context, which
/// it acts on at once.
fn learn_own(
    ctx: &mut Ctx<'_>,
    target: ActorIx,
    defender: &mut Defender,
    knowledge: &mut Knowledge,
    indicators: &[IndicatorIx],
) {
    let Some(entity) = ctx.plan.entity(target) else {
        return;
    };
    let context = Context {
        victim: true,
        ..Context::default()
    };
    for &indicator in indicators {
        let item = Marked {
            indicator,
            tlp: defender.decided.marking.unwrap_or(entity.indicator_tlp),
            context,
        };
        learn(ctx, knowledge, target, item, None);
        defender.acted.insert(indicator);
    }
}

fn on_exposure(
    ctx: &mut Ctx<'_>,
    exposure: &Exposure,
    intrusion: &mut Intrusion,
    defender: &mut Defender,
    knowledge: &mut Knowledge,
) {
    let plan = ctx.plan;
    let (campaign, target, stage) = (exposure.campaign, exposure.target, exposure.stage);
    let c = &plan.campaigns[campaign as usize];
    let s = &c.stages[stage];
    let announces = matches!(s.effect, StageEffect::Impact(k) if k.announces_itself());
    match intrusion.detected_at {
        // Before T+0 nobody notices: the exercise opens on an intrusion gone unseen. Files
        // encrypted or systems down before then are noticed the minute it opens.
        None if ctx.now < 0 => {
            if announces {
                ctx.agenda.push(
                    0,
                    Due::DetectionChance {
                        campaign,
                        target,
                        source: DetectionSource::Impact,
                        ppm: PPM,
                        key: s.key,
                    },
                );
            }
        }
        // Ransomware announces itself: nobody misses their files encrypted or systems down.
        None if announces => {
            become_aware(
                ctx,
                intrusion,
                defender,
                knowledge,
                stage,
                DetectionSource::Impact,
            );
        }
        None => {
            let known = exposure
                .indicators
                .iter()
                .any(|i| knowledge.knew(*i, ctx.now));
            let ppm = detection_ppm(plan, campaign, target, stage, known);
            let key = Key::new(
                Purpose::Detection,
                [c.key, plan.actor(target).key, s.key, 0],
            );
            if ctx.streams.chance(&key, ppm) {
                let source = if known {
                    DetectionSource::KnownIndicator
                } else {
                    DetectionSource::Monitoring
                };
                become_aware(ctx, intrusion, defender, knowledge, stage, source);
            }
        }
        Some(_) => {
            // Already investigating: the defender sees what the adversary does next.
            learn_own(ctx, target, defender, knowledge, &exposure.indicators);
            let Some(n) = intrusion.incident else { return };
            let Some(old) = defender
                .incidents
                .get(n as usize - 1)
                .and_then(|i| i.severity)
            else {
                return;
            };
            let breach = s.effect == StageEffect::Impact(ImpactKind::DataTheft);
            if stage_severity(&s.effect) > old || breach {
                classify(ctx, target, defender, n, &intrusion.completed);
            }
        }
    }
}

fn become_aware(
    ctx: &mut Ctx<'_>,
    intrusion: &mut Intrusion,
    defender: &mut Defender,
    knowledge: &mut Knowledge,
    stage: usize,
    source: DetectionSource,
) {
    let plan = ctx.plan;
    let (campaign, target) = (intrusion.campaign, intrusion.target);
    let Some(entity) = plan.entity(target) else {
        return;
    };
    let number = ix(defender.incidents.len() + 1);
    intrusion.detected_at = Some(ctx.now);
    intrusion.incident = Some(number);
    ctx.journal.record(
        ctx.now,
        Event::Detected {
            entity: plan.actor_ref(target),
            campaign: plan.campaign_ref(campaign),
            stage: plan.stage_ref(campaign, stage),
            incident: number,
            source,
        },
    );
    // Investigating the intrusion reveals the indicators of every stage so far.
    let c = &plan.campaigns[campaign as usize];
    let left = intrusion.left.clone();
    learn_own(ctx, target, defender, knowledge, &left);
    let mut incident = Incident {
        number,
        campaign,
        aware_at: ctx.now,
        severity: None,
        major: false,
        contained: false,
        reports: Default::default(),
    };
    let parts = [plan.actor(target).key, c.key, 0, 0];
    let classify_at = ctx.now
        + ctx.draw(
            Purpose::Classification,
            parts,
            &classification_delay(entity.monitoring),
        );
    ctx.agenda.push(
        classify_at,
        Due::Classify {
            entity: target,
            incident: number,
        },
    );
    let contain_at = ctx.now
        + ctx.draw(
            Purpose::Containment,
            parts,
            &containment_delay(entity.monitoring),
        );
    ctx.agenda.push(
        contain_at,
        Due::Contain {
            entity: target,
            incident: number,
        },
    );
    for &(duty, to) in &entity.duties {
        if duty == Duty::Voluntary {
            incident.reports.insert(
                ReportKind::Voluntary,
                ReportState {
                    to,
                    due: None,
                    sent: None,
                },
            );
            schedule_send(
                ctx,
                entity,
                target,
                c.key,
                ReportKind::Voluntary,
                number,
                ctx.now,
            );
        }
    }
    defender.incidents.push(incident);
}

#[cfg(test)]
mod tests;
