//! CSIRT desks: analysts, working hours, on-call, the queue of work, and what finished
//! work produces: feedback to whoever informed the CSIRT and indicators shared onward
//! under TLP.

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use super::journal::{Event, Journal, Ref, Task};
use super::plan::{ActorIx, CsirtPlan, IndicatorIx, Plan};
use super::rng::{Key, Purpose, Streams};
use super::state::{
    ActorEntities, Agenda, Case, Clock, Desk, Due, DueNow, Knowledge, Parcel, PlanRes, StreamsRes,
    WorkItem,
};
use crate::scenario::{Hours, Minute, Relation, Tlp, WallClock, time::MINUTES_PER_DAY};

/// Desks that may be able to start work this minute.
#[derive(Resource, Clone, Debug, Default)]
pub struct DirtyDesks(pub BTreeSet<ActorIx>);

/// Whether the CSIRT's office is staffed at minute `t`.
pub fn is_open(hours: &Hours, start: &WallClock, t: Minute) -> bool {
    match hours {
        Hours::Always => true,
        Hours::Office {
            open, close, days, ..
        } => {
            let moment = start.plus(t);
            days.contains(&moment.weekday())
                && moment.time.minute_of_day >= open.minute_of_day
                && moment.time.minute_of_day < close.minute_of_day
        }
    }
}

/// The next minute at or after `t` when the office opens.
pub fn next_opening(hours: &Hours, start: &WallClock, t: Minute) -> Minute {
    match hours {
        Hours::Always => t,
        Hours::Office { open, days, .. } => {
            let moment = start.plus(t);
            for ahead in 0..=7 {
                let day = start.plus(t + ahead * MINUTES_PER_DAY);
                if !days.contains(&day.weekday()) {
                    continue;
                }
                let candidate =
                    t + ahead * MINUTES_PER_DAY + open.minute_of_day - moment.time.minute_of_day;
                if candidate >= t {
                    return candidate;
                }
            }
            // Validation guarantees at least one working day; a week later is the fallback.
            t + 7 * MINUTES_PER_DAY
        }
    }
}

/// Puts a work item in the CSIRT's queue.
#[allow(clippy::too_many_arguments, reason = "the item and where it goes")]
pub fn enqueue(
    desk: &mut Desk,
    journal: &mut Journal,
    plan: &Plan,
    now: Minute,
    csirt: ActorIx,
    task: Task,
    case: Case,
    follow_up: bool,
) {
    let number = desk.next_item;
    desk.next_item += 1;
    let about = plan.actor_ref(case.reporter.unwrap_or(case.from));
    desk.queue.push_back(WorkItem {
        number,
        task,
        case,
        queued_at: now,
        on_call: false,
        follow_up,
    });
    let queue = u32::try_from(desk.queue.len()).unwrap_or(u32::MAX);
    desk.stats.max_queue = desk.stats.max_queue.max(queue);
    journal.record(
        now,
        Event::WorkQueued {
            csirt: plan.actor_ref(csirt),
            task,
            about,
            queue,
        },
    );
}

struct Ctx<'a> {
    plan: &'a Plan,
    streams: &'a Streams,
    now: Minute,
    agenda: &'a mut Agenda,
    journal: &'a mut Journal,
}

#[allow(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn work_desks(
    clock: Res<Clock>,
    plan: Res<PlanRes>,
    streams: Res<StreamsRes>,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    mut desks: Query<(&mut Desk, &Knowledge)>,
    mut agenda: ResMut<Agenda>,
    mut journal: ResMut<Journal>,
    mut dirty: ResMut<DirtyDesks>,
) {
    let plan = &*plan.0;
    let mut ctx = Ctx {
        plan,
        streams: &streams.0,
        now: clock.now,
        agenda: &mut agenda,
        journal: &mut journal,
    };
    for item in &due.0 {
        let csirt = match item {
            Due::WorkDone { csirt, .. }
            | Due::DeskWake { csirt }
            | Due::StaffReturn { csirt, .. } => *csirt,
            _ => continue,
        };
        let Some(&e) = actors.0.get(csirt as usize) else {
            continue;
        };
        let Ok((mut desk, knowledge)) = desks.get_mut(e) else {
            continue;
        };
        match item {
            Due::WorkDone { item, .. } => finish(&mut ctx, csirt, &mut desk, knowledge, item),
            Due::DeskWake { .. } if desk.wake_at == Some(ctx.now) => desk.wake_at = None,
            Due::StaffReturn { analysts, .. } => {
                desk.unavailable = desk.unavailable.saturating_sub(*analysts);
                let (available, analysts) = (desk.available(), desk.analysts);
                ctx.journal.record(
                    ctx.now,
                    Event::StaffChanged {
                        csirt: plan.actor_ref(csirt),
                        available,
                        analysts,
                    },
                );
            }
            _ => {}
        }
        dirty.0.insert(csirt);
    }
    for csirt in std::mem::take(&mut dirty.0) {
        let Some(&e) = actors.0.get(csirt as usize) else {
            continue;
        };
        let Ok((mut desk, _)) = desks.get_mut(e) else {
            continue;
        };
        if let Some(profile) = plan.csirt(csirt) {
            dispatch(&mut ctx, csirt, profile, &mut desk);
        }
    }
}

/// Starts queued work while analysts are free; otherwise arranges to look again.
///
/// In office hours the queue is worked first come, first served by every available
/// analyst. Outside them one on-call analyst answers after the on-call delay and takes
/// triage and urgent analysis only; the rest waits for the office to open.
fn dispatch(ctx: &mut Ctx<'_>, csirt: ActorIx, profile: &CsirtPlan, desk: &mut Desk) {
    let now = ctx.now;
    let start = ctx.plan.start;
    while !desk.queue.is_empty() {
        if is_open(&profile.hours, &start, now) {
            let available = desk.available() as usize;
            let Some(slot) = desk
                .busy_until
                .iter()
                .take(available)
                .position(|b| *b <= now)
            else {
                return; // a finishing item will dispatch again
            };
            let Some(item) = desk.queue.pop_front() else {
                return;
            };
            let end = begin(ctx, csirt, profile, desk, item, false);
            desk.busy_until[slot] = end;
            continue;
        }
        let opening = next_opening(&profile.hours, &start, now);
        let mut wake = opening;
        if let Hours::Office {
            on_call: Some(delay),
            ..
        } = &profile.hours
        {
            let takeable = desk
                .queue
                .iter()
                .position(|i| i.task == Task::Triage || i.case.urgent);
            if let Some(index) = takeable {
                let item = &desk.queue[index];
                let answered = if item.follow_up {
                    item.queued_at
                } else {
                    item.queued_at + delay.minutes
                };
                let ready = answered.max(desk.on_call_busy_until);
                if ready <= now {
                    let Some(item) = desk.queue.remove(index) else {
                        return;
                    };
                    let end = begin(ctx, csirt, profile, desk, item, true);
                    desk.on_call_busy_until = end;
                    continue;
                }
                wake = wake.min(ready);
            }
        }
        if desk.wake_at.is_none_or(|w| w > wake || w < now) {
            desk.wake_at = Some(wake);
            ctx.agenda.push(wake, Due::DeskWake { csirt });
        }
        return;
    }
}

fn begin(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    profile: &CsirtPlan,
    desk: &mut Desk,
    mut item: WorkItem,
    on_call: bool,
) -> Minute {
    let range = match item.task {
        Task::Triage => profile.triage,
        Task::Analysis => profile.analysis,
    };
    let about = item.case.reporter.unwrap_or(item.case.from);
    let key = Key::new(
        Purpose::WorkDuration,
        [
            ctx.plan.actor(csirt).key,
            item.task as u64,
            ctx.plan.actor(about).key,
            u64::from(item.number),
        ],
    );
    let minutes = ctx.streams.duration(&key, &range).minutes;
    let waited = ctx.now - item.queued_at;
    desk.stats.items += 1;
    desk.stats.waited_total += waited;
    desk.stats.waited_max = desk.stats.waited_max.max(waited);
    desk.stats.analyst_minutes += minutes;
    ctx.journal.record(
        ctx.now,
        Event::WorkStarted {
            csirt: ctx.plan.actor_ref(csirt),
            task: item.task,
            about: ctx.plan.actor_ref(about),
            waited_minutes: waited,
            on_call,
        },
    );
    item.on_call = on_call;
    let end = ctx.now + minutes;
    ctx.agenda.push(end, Due::WorkDone { csirt, item });
    end
}

fn finish(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    item: &WorkItem,
) {
    let plan = ctx.plan;
    let about = item.case.reporter.unwrap_or(item.case.from);
    ctx.journal.record(
        ctx.now,
        Event::WorkFinished {
            csirt: plan.actor_ref(csirt),
            task: item.task,
            about: plan.actor_ref(about),
            turnaround_minutes: ctx.now - item.queued_at,
        },
    );
    // Everything the CSIRT knows about the campaigns this case concerns.
    let campaigns: BTreeSet<_> = item
        .case
        .indicators
        .iter()
        .map(|i| plan.indicators[*i as usize].campaign)
        .collect();
    let related: Vec<IndicatorIx> = knowledge
        .indicators
        .keys()
        .copied()
        .filter(|i| campaigns.contains(&plan.indicators[*i as usize].campaign))
        .collect();
    match item.task {
        Task::Triage => {
            let informant = item.case.reporter.unwrap_or(item.case.from);
            feedback(ctx, csirt, knowledge, informant, &related);
            if item.case.reporter.is_some() {
                enqueue(
                    desk,
                    ctx.journal,
                    plan,
                    ctx.now,
                    csirt,
                    Task::Analysis,
                    item.case.clone(),
                    true,
                );
            } else {
                share_onward(ctx, csirt, desk, knowledge, &item.case, &related);
            }
        }
        Task::Analysis => share_onward(ctx, csirt, desk, knowledge, &item.case, &related),
    }
}

/// How `holder` stands to `recipient` for TLP purposes.
fn relation(plan: &Plan, holder: ActorIx, recipient: ActorIx) -> Relation {
    match plan.entity(recipient) {
        Some(e) if e.csirt == holder => Relation::Constituent,
        _ => Relation::Community,
    }
}

/// Answers whoever informed the CSIRT with what it can share about the case.
fn feedback(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    knowledge: &Knowledge,
    to: ActorIx,
    related: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    let rel = relation(plan, csirt, to);
    let policy = match rel {
        Relation::Constituent => profile.sharing.constituency,
        Relation::Community => profile.sharing.csirts,
    };
    let indicators: Vec<(IndicatorIx, Tlp)> = related
        .iter()
        .filter_map(|i| knowledge.indicators.get(i).map(|l| (*i, *l)))
        .filter(|(_, l)| l.from != Some(to) && l.tlp.permits(rel))
        .map(|(i, l)| (i, l.tlp.strictest(policy)))
        .collect();
    ctx.journal.record(
        ctx.now,
        Event::Feedback {
            from: plan.actor_ref(csirt),
            to: plan.actor_ref(to),
            indicators: indicators
                .iter()
                .map(|(i, _)| plan.indicator_ref(*i))
                .collect(),
        },
    );
    if !indicators.is_empty() {
        ctx.agenda.push(
            ctx.now,
            Due::Deliver {
                to,
                parcel: Parcel::Share {
                    from: csirt,
                    indicators,
                    warning: false,
                },
            },
        );
    }
}

/// Shares sanitised indicators with the constituency (as warnings) and with peer CSIRTs,
/// each (indicator, recipient) pair decided once; TLP decides what may go where.
fn share_onward(
    ctx: &mut Ctx<'_>,
    csirt: ActorIx,
    desk: &mut Desk,
    knowledge: &Knowledge,
    case: &Case,
    related: &[IndicatorIx],
) {
    let plan = ctx.plan;
    let Some(profile) = plan.csirt(csirt) else {
        return;
    };
    let recipients = profile
        .constituency
        .iter()
        .map(|r| (*r, true, profile.sharing.constituency))
        .chain(
            profile
                .peers
                .iter()
                .map(|r| (*r, false, profile.sharing.csirts)),
        );
    for (recipient, warning, policy) in recipients {
        if recipient == case.from || Some(recipient) == case.reporter {
            continue;
        }
        let rel = relation(plan, csirt, recipient);
        let mut parcel = Vec::new();
        let mut marking = Tlp::Clear;
        for &indicator in related {
            let Some(learned) = knowledge.indicators.get(&indicator) else {
                continue;
            };
            if learned.from == Some(recipient) || !desk.passed_on.insert((indicator, recipient)) {
                continue;
            }
            if learned.tlp.permits(rel) {
                let tlp = learned.tlp.strictest(policy);
                marking = marking.strictest(tlp);
                parcel.push((indicator, tlp));
            } else {
                ctx.journal.record(
                    ctx.now,
                    Event::ShareRefused {
                        from: plan.actor_ref(csirt),
                        to: plan.actor_ref(recipient),
                        indicator: plan.indicator_ref(indicator),
                        tlp: learned.tlp,
                        reason: refusal(learned.tlp),
                    },
                );
            }
        }
        if parcel.is_empty() {
            continue;
        }
        let indicators: Vec<Ref> = parcel.iter().map(|(i, _)| plan.indicator_ref(*i)).collect();
        ctx.journal.record(
            ctx.now,
            Event::Shared {
                from: plan.actor_ref(csirt),
                to: plan.actor_ref(recipient),
                indicators,
                tlp: marking,
                warning,
            },
        );
        ctx.agenda.push(
            ctx.now,
            Due::Deliver {
                to: recipient,
                parcel: Parcel::Share {
                    from: csirt,
                    indicators: parcel,
                    warning,
                },
            },
        );
    }
}

fn refusal(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Amber => "TLP:AMBER may reach only the holder's own organisation and its constituents",
        Tlp::AmberStrict => "TLP:AMBER+STRICT may not leave the receiving organisation",
        Tlp::Red => "TLP:RED is for the named recipients only",
        Tlp::Clear | Tlp::Green => "not refused",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ClockTime, Weekday};

    fn office() -> Hours {
        Hours::Office {
            open: ClockTime::parse("09:00").unwrap(),
            close: ClockTime::parse("17:00").unwrap(),
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            on_call: None,
        }
    }

    #[test]
    fn office_hours_follow_the_calendar() {
        let friday = WallClock::parse("2026-03-13 16:30").unwrap();
        assert!(is_open(&office(), &friday, 0));
        assert!(!is_open(&office(), &friday, 30));
        // Friday 17:00 to Monday 09:00 is 2 days 16 hours.
        assert_eq!(
            next_opening(&office(), &friday, 30),
            30 + 2 * 1440 + 16 * 60
        );
        // Open now; the next opening is Monday 09:00.
        assert_eq!(next_opening(&office(), &friday, 0), 3 * 1440 - 450);
        assert!(is_open(&Hours::Always, &friday, 12345));
    }
}
