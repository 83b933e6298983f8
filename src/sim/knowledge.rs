//! What actors know and how it reaches them: reports, shares, warnings and sightings
//! arriving at CSIRTs, authorities and organisations.

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use super::defence::hunt_ppm;
use super::desk::{DirtyDesks, enqueue};
use super::journal::{DetectionSource, Event, Journal, Task};
use super::plan::{ActorIx, ActorRole, IndicatorIx, Plan};
use super::state::{
    ActorEntities, Agenda, Case, Clock, Desk, Due, DueNow, Intrusion, IntrusionStatus, Intrusions,
    Knowledge, Learned, Parcel, PlanRes, SightingRecord,
};
use crate::scenario::{Minute, Tlp};

/// Records that `actor` learned `indicator`; journals it the first time. Returns whether
/// it was new to the actor.
#[allow(
    clippy::too_many_arguments,
    reason = "who learned what, when, from whom, marked how"
)]
pub fn learn(
    knowledge: &mut Knowledge,
    journal: &mut Journal,
    plan: &Plan,
    now: Minute,
    actor: ActorIx,
    indicator: IndicatorIx,
    from: Option<ActorIx>,
    tlp: Tlp,
) -> bool {
    if knowledge.indicators.contains_key(&indicator) {
        return false;
    }
    knowledge
        .indicators
        .insert(indicator, Learned { at: now, from, tlp });
    journal.record(
        now,
        Event::IndicatorLearned {
            actor: plan.actor_ref(actor),
            indicator: plan.indicator_ref(indicator),
            from: from.map(|f| plan.actor_ref(f)),
            tlp,
        },
    );
    true
}

#[allow(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn deliver(
    clock: Res<Clock>,
    plan: Res<PlanRes>,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    index: Res<Intrusions>,
    intrusions: Query<&Intrusion>,
    mut holders: Query<(&mut Knowledge, Option<&mut Desk>)>,
    mut agenda: ResMut<Agenda>,
    mut journal: ResMut<Journal>,
    mut dirty: ResMut<DirtyDesks>,
) {
    let now = clock.now;
    let plan = &*plan.0;
    for item in &due.0 {
        let Due::Deliver { to, parcel } = item else {
            continue;
        };
        let to = *to;
        let Some(&e) = actors.0.get(to as usize) else {
            continue;
        };
        let Ok((mut knowledge, desk)) = holders.get_mut(e) else {
            continue;
        };
        match (plan.actor(to).role, parcel) {
            (
                ActorRole::Csirt(_),
                Parcel::Report {
                    from,
                    report,
                    indicators,
                    via,
                    major,
                    ..
                },
            ) => {
                journal.record(
                    now,
                    Event::ReportReceived {
                        by: plan.actor_ref(to),
                        from: plan.actor_ref(via.unwrap_or(*from)),
                        report: *report,
                    },
                );
                for &(indicator, tlp) in indicators {
                    learn(
                        &mut knowledge,
                        &mut journal,
                        plan,
                        now,
                        to,
                        indicator,
                        Some(*from),
                        tlp,
                    );
                }
                if let Some(mut desk) = desk {
                    let case = Case {
                        from: via.unwrap_or(*from),
                        reporter: Some(*from),
                        indicators: indicators.iter().map(|(i, _)| *i).collect(),
                        urgent: *major,
                    };
                    enqueue(
                        &mut desk,
                        &mut journal,
                        plan,
                        now,
                        to,
                        Task::Triage,
                        case,
                        false,
                    );
                    dirty.0.insert(to);
                }
            }
            (
                ActorRole::Authority(_),
                Parcel::Report {
                    from,
                    report,
                    indicators,
                    ..
                },
            ) => {
                journal.record(
                    now,
                    Event::ReportReceived {
                        by: plan.actor_ref(to),
                        from: plan.actor_ref(*from),
                        report: *report,
                    },
                );
                for &(indicator, tlp) in indicators {
                    learn(
                        &mut knowledge,
                        &mut journal,
                        plan,
                        now,
                        to,
                        indicator,
                        Some(*from),
                        tlp,
                    );
                }
                if let Some(authority) = plan.authority(to)
                    && let Some(csirt) = authority.forwards_to
                {
                    journal.record(
                        now,
                        Event::ReportForwarded {
                            by: plan.actor_ref(to),
                            to: plan.actor_ref(csirt),
                            entity: plan.actor_ref(*from),
                            report: *report,
                        },
                    );
                    let mut forwarded = parcel.clone();
                    if let Parcel::Report { via, .. } = &mut forwarded {
                        *via = Some(to);
                    }
                    agenda.push(
                        now + authority.forward_delay.minutes,
                        Due::Deliver {
                            to: csirt,
                            parcel: forwarded,
                        },
                    );
                }
            }
            (
                ActorRole::Csirt(_),
                Parcel::Share {
                    from, indicators, ..
                },
            ) => {
                let mut new = Vec::new();
                for &(indicator, tlp) in indicators {
                    if learn(
                        &mut knowledge,
                        &mut journal,
                        plan,
                        now,
                        to,
                        indicator,
                        Some(*from),
                        tlp,
                    ) {
                        new.push(indicator);
                    }
                }
                if !new.is_empty()
                    && let Some(mut desk) = desk
                {
                    let case = Case {
                        from: *from,
                        reporter: None,
                        indicators: new,
                        urgent: false,
                    };
                    enqueue(
                        &mut desk,
                        &mut journal,
                        plan,
                        now,
                        to,
                        Task::Triage,
                        case,
                        false,
                    );
                    dirty.0.insert(to);
                }
            }
            (
                ActorRole::Entity(_),
                Parcel::Share {
                    from, indicators, ..
                },
            ) => {
                let mut new = BTreeSet::new();
                for &(indicator, tlp) in indicators {
                    if learn(
                        &mut knowledge,
                        &mut journal,
                        plan,
                        now,
                        to,
                        indicator,
                        Some(*from),
                        tlp,
                    ) {
                        new.insert(indicator);
                    }
                }
                hunt(plan, &index, &intrusions, &mut agenda, now, to, &new);
            }
            (
                _,
                Parcel::Sighting {
                    from,
                    indicator,
                    first_seen,
                    tlp,
                    place,
                },
            ) => {
                journal.record(
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
                learn(
                    &mut knowledge,
                    &mut journal,
                    plan,
                    now,
                    to,
                    *indicator,
                    Some(*from),
                    *tlp,
                );
                if let Some(mut desk) = desk {
                    let case = Case {
                        from: *from,
                        reporter: None,
                        indicators: vec![*indicator],
                        urgent: true,
                    };
                    enqueue(
                        &mut desk,
                        &mut journal,
                        plan,
                        now,
                        to,
                        Task::Triage,
                        case,
                        false,
                    );
                    dirty.0.insert(to);
                }
            }
            (
                _,
                Parcel::Share {
                    from, indicators, ..
                }
                | Parcel::Report {
                    from, indicators, ..
                },
            ) => {
                // Authorities receiving shares, entities receiving reports: they take note.
                for &(indicator, tlp) in indicators {
                    learn(
                        &mut knowledge,
                        &mut journal,
                        plan,
                        now,
                        to,
                        indicator,
                        Some(*from),
                        tlp,
                    );
                }
            }
        }
    }
}

/// An organisation given new indicators looks for them in its own logs: an intrusion that
/// left one of them may be found.
fn hunt(
    plan: &Plan,
    index: &Intrusions,
    intrusions: &Query<&Intrusion>,
    agenda: &mut Agenda,
    now: Minute,
    entity: ActorIx,
    new: &BTreeSet<IndicatorIx>,
) {
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
        if intrusion.status != IntrusionStatus::Active || intrusion.detected_at.is_some() {
            continue;
        }
        let c = &plan.campaigns[campaign as usize];
        let left: BTreeSet<IndicatorIx> = intrusion
            .completed
            .iter()
            .flat_map(|s| c.stages[*s].indicators.iter().copied())
            .collect();
        if let Some(hit) = new.iter().find(|i| left.contains(i)) {
            agenda.push(
                now,
                Due::DetectionChance {
                    campaign,
                    target: entity,
                    source: DetectionSource::Hunt,
                    ppm: hunt_ppm(profile.monitoring),
                    key: super::rng::fingerprint(&plan.indicators[*hit as usize].id),
                },
            );
        }
    }
}
