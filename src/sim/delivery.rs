//! How what is learned reaches actors: reports, shares, warnings, sightings, scan findings
//! and advisories arriving at CSIRTs, authorities and organisations, and what each does on
//! arrival (a CSIRT opens a case, a supervisor forwards, an organisation acts and hunts).

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use super::ctx::{Acting, Ctx};
use super::desk::{Arrival, DirtyDesks, receive};
use super::journal::{DetectionSource, Event};
use super::knowledge::{learn, note_incident};
use super::maturity::{act_delay, hunt_ppm, patch_delay};
use super::plan::{ActorIx, ActorRole, CampaignIx, IndicatorIx, Plan};
use super::rng::{Key, Purpose, fingerprint};
use super::state::{
    ActorEntities, Case, Context, Defender, Desk, Due, DueNow, Intrusion, IntrusionStatus,
    Intrusions, Knowledge, Marked, Parcel, SightingRecord, Topic,
};
use super::stirred::ActorsMut;
use crate::scenario::Tlp;

/// The country of a CSIRT or entity ("" for authorities, which have no peers abroad here).
fn country(plan: &Plan, actor: ActorIx) -> &str {
    plan.csirt(actor)
        .map(|c| &*c.country)
        .or_else(|| plan.entity(actor).map(|e| &*e.country))
        .unwrap_or("")
}

/// A CSIRT told by a peer abroad about a campaign it already knows from home has found a
/// cross-border link.
fn check_cross_border(
    ctx: &mut Ctx<'_>,
    knowledge: &mut Knowledge,
    csirt: ActorIx,
    from: ActorIx,
    indicators: &[IndicatorIx],
) {
    let (plan, now) = (ctx.plan, ctx.now);
    let (home, abroad) = (country(plan, csirt), country(plan, from));
    if plan.csirt(from).is_none() || abroad.is_empty() || home == abroad {
        return;
    }
    let campaigns: BTreeSet<CampaignIx> = indicators
        .iter()
        .map(|i| plan.indicators[*i as usize].campaign)
        .collect();
    for campaign in campaigns {
        let known_at_home = knowledge
            .incidents
            .keys()
            .any(|(victim, c)| *c == campaign && country(plan, *victim) == home)
            || knowledge.indicators.iter().any(|(i, l)| {
                plan.indicators[*i as usize].campaign == campaign
                    && l.from.is_none_or(|f| country(plan, f) == home)
            });
        if known_at_home && knowledge.cross_border.insert(campaign) {
            ctx.journal.record(
                now,
                Event::CrossBorderLink {
                    csirt: plan.actor_ref(csirt),
                    peer: plan.actor_ref(from),
                    campaign: plan.campaign_ref(campaign),
                },
            );
        }
    }
}

pub fn deliver(
    mut acting: Acting,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    index: Res<Intrusions>,
    intrusions: Query<&Intrusion>,
    mut holders: ActorsMut<(&mut Knowledge, Option<&mut Desk>, Option<&mut Defender>)>,
    mut dirty: ResMut<DirtyDesks>,
) {
    let mut ctx = acting.ctx();
    let plan = ctx.plan;
    for item in &due.0 {
        let Due::Deliver { to, parcel } = item else {
            continue;
        };
        let to = *to;
        let Some(&e) = actors.0.get(to as usize) else {
            continue;
        };
        let Ok((mut knowledge, desk, defender)) = holders.get_mut(e) else {
            continue;
        };
        match plan.actor(to).role {
            ActorRole::Csirt(_) => {
                at_csirt(
                    &mut ctx,
                    to,
                    parcel,
                    &mut knowledge,
                    desk.map(Mut::into_inner),
                );
                // What the CSIRT now knows may meet an escalation trigger, or start work.
                dirty.0.insert(to);
            }
            ActorRole::Authority(_) => at_authority(&mut ctx, to, parcel, &mut knowledge),
            ActorRole::Entity(_) => {
                if let Some(defender) = defender {
                    at_entity(
                        &mut ctx,
                        to,
                        parcel,
                        (&mut knowledge, defender.into_inner()),
                        (&index, &intrusions),
                    );
                }
            }
        }
    }
}

fn at_csirt(
    ctx: &mut Ctx<'_>,
    to: ActorIx,
    parcel: &Parcel,
    knowledge: &mut Knowledge,
    desk: Option<&mut Desk>,
) {
    let (plan, now) = (ctx.plan, ctx.now);
    let case = match parcel {
        Parcel::Report {
            from,
            indicators,
            via,
            major,
            ..
        } => {
            take_report(ctx, to, knowledge, parcel);
            Some((
                Case {
                    from: via.unwrap_or(*from),
                    reporter: Some(*from),
                    indicators: indicators.iter().map(|m| m.indicator).collect(),
                    urgent: *major,
                    topic: Topic::Intelligence,
                },
                Arrival::Report { major: *major },
            ))
        }
        Parcel::Share {
            from,
            indicators,
            hits,
            ..
        } => {
            let new: Vec<IndicatorIx> = indicators
                .iter()
                .filter(|item| learn(ctx, knowledge, to, **item, Some(*from)))
                .map(|item| item.indicator)
                .collect();
            for hit in hits {
                note_incident(ctx, knowledge, to, *hit, Some(*from), false);
            }
            let all: Vec<IndicatorIx> = indicators.iter().map(|m| m.indicator).collect();
            check_cross_border(ctx, knowledge, to, *from, &all);
            (!new.is_empty()).then(|| {
                let case = Case {
                    from: *from,
                    reporter: None,
                    indicators: new,
                    urgent: false,
                    topic: Topic::Intelligence,
                };
                (case, Arrival::Share)
            })
        }
        Parcel::Sighting {
            from,
            indicator,
            first_seen,
            tlp,
            place,
        } => {
            ctx.journal.record(
                now,
                Event::Sighting {
                    from: plan.actor_ref(*from),
                    to: plan.actor_ref(to),
                    indicator: plan.indicator_ref(*indicator),
                    first_seen: *first_seen,
                    place: place.clone(),
                },
            );
            knowledge.sightings.push(SightingRecord {
                indicator: *indicator,
                reported_by: *from,
                first_seen: *first_seen,
                learned_at: now,
            });
            check_cross_border(ctx, knowledge, to, *from, &[*indicator]);
            let context = Context {
                cross_border: country(plan, *from) != country(plan, to),
                ..Context::default()
            };
            learn(
                ctx,
                knowledge,
                to,
                Marked {
                    indicator: *indicator,
                    tlp: *tlp,
                    context,
                },
                Some(*from),
            );
            Some((
                Case {
                    from: *from,
                    reporter: None,
                    indicators: vec![*indicator],
                    urgent: true,
                    topic: Topic::Intelligence,
                },
                Arrival::Sighting,
            ))
        }
        Parcel::Finding { .. } | Parcel::Advisory { .. } => None,
    };
    if let (Some((case, arrival)), Some(desk)) = (case, desk) {
        receive(ctx, desk, to, case, arrival);
    }
}

/// A report arrives: its recipient learns the indicators and of the incident, victim named.
fn take_report(ctx: &mut Ctx<'_>, to: ActorIx, knowledge: &mut Knowledge, parcel: &Parcel) {
    take_report_with(ctx, to, knowledge, parcel, |ctx, knowledge, from, items| {
        for item in items {
            learn(ctx, knowledge, to, *item, Some(from));
        }
    });
}

/// [`take_report`], with the recipient taking the indicators its own way (an
/// organisation's SOC also acts on them and hunts).
fn take_report_with(
    ctx: &mut Ctx<'_>,
    to: ActorIx,
    knowledge: &mut Knowledge,
    parcel: &Parcel,
    take: impl FnOnce(&mut Ctx<'_>, &mut Knowledge, ActorIx, &[Marked]),
) {
    let Parcel::Report {
        from,
        report,
        indicators,
        via,
        campaign,
        ..
    } = parcel
    else {
        return;
    };
    let (plan, now) = (ctx.plan, ctx.now);
    let sender = via.unwrap_or(*from);
    ctx.journal.record(
        now,
        Event::ReportReceived {
            by: plan.actor_ref(to),
            from: plan.actor_ref(sender),
            report: report.clone(),
        },
    );
    take(ctx, knowledge, *from, indicators);
    note_incident(ctx, knowledge, to, (*from, *campaign), Some(sender), true);
}

fn at_authority(ctx: &mut Ctx<'_>, to: ActorIx, parcel: &Parcel, knowledge: &mut Knowledge) {
    let (plan, now) = (ctx.plan, ctx.now);
    let Parcel::Report { from, report, .. } = parcel else {
        if let Parcel::Share {
            from, indicators, ..
        } = parcel
        {
            for item in indicators {
                learn(ctx, knowledge, to, *item, Some(*from));
            }
        }
        return;
    };
    take_report(ctx, to, knowledge, parcel);
    if let Some(authority) = plan.authority(to)
        && let Some(csirt) = authority.forwards_to
    {
        ctx.journal.record(
            now,
            Event::ReportForwarded {
                by: plan.actor_ref(to),
                to: plan.actor_ref(csirt),
                entity: plan.actor_ref(*from),
                report: report.clone(),
            },
        );
        let mut forwarded = parcel.clone();
        if let Parcel::Report { via, .. } = &mut forwarded {
            *via = Some(to);
        }
        // The supervisor's own handling time, then the channel.
        ctx.post.send(
            ctx.agenda,
            ctx.journal,
            now + authority.forward_delay.minutes,
            to,
            csirt,
            forwarded,
        );
    }
}

fn at_entity(
    ctx: &mut Ctx<'_>,
    to: ActorIx,
    parcel: &Parcel,
    (knowledge, defender): (&mut Knowledge, &mut Defender),
    intrusions: (&Intrusions, &Query<&Intrusion>),
) {
    let (plan, now) = (ctx.plan, ctx.now);
    let Some(profile) = plan.entity(to) else {
        return;
    };
    match parcel {
        Parcel::Share {
            from, indicators, ..
        } => take_indicators(ctx, to, (*from, indicators), knowledge, intrusions, false),
        Parcel::Report { from, campaign, .. } => {
            take_report_with(ctx, to, knowledge, parcel, |ctx, knowledge, from, items| {
                take_indicators(ctx, to, (from, items), knowledge, intrusions, false);
            });
            super::supply::supplier_notice(ctx, to, (*from, *campaign), intrusions.0);
        }
        Parcel::Finding { cve, .. } | Parcel::Advisory { cve, .. } => {
            let disclosure = plan.vulnerabilities[*cve as usize].disclosure.as_ref();
            // An advisory that lists indicators: they are hunted for and blocked, so an
            // organisation that patches also looks for traces of what came before.
            if let (Parcel::Advisory { from, .. }, Some(d)) = (parcel, disclosure)
                && !d.indicators.is_empty()
            {
                let listed: Vec<Marked> = d
                    .indicators
                    .iter()
                    .map(|&indicator| Marked {
                        indicator,
                        tlp: Tlp::Clear,
                        context: Context::default(),
                    })
                    .collect();
                take_indicators(ctx, to, (*from, &listed), knowledge, intrusions, true);
            }
            if !profile.vulnerable.contains(cve) || defender.patched.contains(cve) {
                return;
            }
            // The fix for its deployment: out now, later, or not within the exercise.
            let fix_at = disclosure.map_or(Some(now), |d| d.fix_for(to, now));
            // Said on each finding and advisory, so the organisation knows why it waits.
            if fix_at != Some(now) {
                ctx.journal.record(
                    now,
                    Event::FixNotAvailable {
                        entity: plan.actor_ref(to),
                        cve: plan.vulnerabilities[*cve as usize].cve.clone(),
                        fix_due: fix_at,
                    },
                );
            }
            if let Some(fix_at) = fix_at
                && defender.patching.insert(*cve)
            {
                let key = Key::new(
                    Purpose::Patch,
                    [
                        plan.actor(to).key,
                        fingerprint(&plan.vulnerabilities[*cve as usize].cve),
                        0,
                        0,
                    ],
                );
                let delay = ctx
                    .streams
                    .duration(&key, &patch_delay(profile.monitoring))
                    .minutes;
                ctx.agenda.push(
                    fix_at + delay,
                    Due::Patch {
                        entity: to,
                        cve: *cve,
                    },
                );
            }
        }
        Parcel::Sighting { .. } => {}
    }
}

/// An organisation is given indicators (a share, a report, an advisory): it learns the new
/// ones, its SOC puts them into its defences after a while, and it hunts for them in its
/// logs at once. An advisory's hunt `looks_back` for traces of an intrusion that has
/// already done its work (a web shell left behind after the data went).
fn take_indicators(
    ctx: &mut Ctx<'_>,
    to: ActorIx,
    (from, indicators): (ActorIx, &[Marked]),
    knowledge: &mut Knowledge,
    intrusions: (&Intrusions, &Query<&Intrusion>),
    looks_back: bool,
) {
    let (plan, now) = (ctx.plan, ctx.now);
    let Some(profile) = plan.entity(to) else {
        return;
    };
    let new: Vec<Marked> = indicators
        .iter()
        .filter(|item| learn(ctx, knowledge, to, **item, Some(from)))
        .copied()
        .collect();
    if new.is_empty() {
        return;
    }
    // The SOC puts the indicators into its defences after a while; enriched ones first.
    let enriched = new.iter().any(|m| m.context.adversarial);
    let key = Key::new(
        Purpose::ActOnWarning,
        [
            plan.actor(to).key,
            plan.actor(from).key,
            u64::from(new[0].indicator),
            0,
        ],
    );
    let delay = ctx
        .streams
        .duration(&key, &act_delay(profile.monitoring))
        .minutes;
    let delay = if enriched { delay / 2 } else { delay };
    let indicators: Vec<IndicatorIx> = new.iter().map(|m| m.indicator).collect();
    ctx.agenda.push(
        now + delay,
        Due::ActOnWarning {
            entity: to,
            indicators: indicators.clone(),
        },
    );
    hunt(
        ctx,
        intrusions,
        to,
        &indicators.into_iter().collect(),
        looks_back,
    );
}

/// An organisation given new indicators looks for them in its own logs: an intrusion that
/// left one of them may be found. `intrusions` is the index by (campaign, target) and the
/// intrusions it points to.
fn hunt(
    ctx: &mut Ctx<'_>,
    (index, intrusions): (&Intrusions, &Query<&Intrusion>),
    entity: ActorIx,
    new: &BTreeSet<IndicatorIx>,
    looks_back: bool,
) {
    let (plan, now) = (ctx.plan, ctx.now);
    let Some(profile) = plan.entity(entity) else {
        return;
    };
    let campaigns: BTreeSet<_> = new
        .iter()
        .map(|i| plan.indicators[*i as usize].campaign)
        .collect();
    for campaign in campaigns {
        let Some(intrusion) = index
            .0
            .get(&(campaign, entity))
            .and_then(|e| intrusions.get(*e).ok())
        else {
            continue;
        };
        let traced = match intrusion.status {
            IntrusionStatus::Active => true,
            IntrusionStatus::Finished => looks_back,
            _ => false,
        };
        if !traced || intrusion.detected_at.is_some() {
            continue;
        }
        let left: BTreeSet<IndicatorIx> = intrusion.left.iter().copied().collect();
        if let Some(hit) = new.iter().find(|i| left.contains(i)) {
            ctx.agenda.push(
                now,
                Due::DetectionChance {
                    campaign,
                    target: entity,
                    source: DetectionSource::Hunt,
                    ppm: hunt_ppm(profile.monitoring),
                    key: fingerprint(&plan.indicators[*hit as usize].id),
                },
            );
        }
    }
}
