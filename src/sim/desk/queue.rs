//! The queue of work at a CSIRT desk and the analysts who take it: first come, first
//! served in office hours, triage and urgent work only for the on-call analyst outside
//! them. How long an item takes is drawn per item from the CSIRT's profile.

use super::super::ctx::Ctx;
use super::super::journal::{Event, Task};
use super::super::plan::ix;
use super::super::plan::{ActorIx, CsirtPlan};
use super::super::rng::{Key, Purpose};
use super::super::state::{Case, Desk, Due, Topic, WorkItem};
use super::hours::{is_open, next_opening};
use crate::scenario::{Hours, Minute};

/// Puts a work item in the CSIRT's queue; outside office hours the on-call analyst may
/// take it if it is triage.
pub fn enqueue(
    ctx: &mut Ctx<'_>,
    desk: &mut Desk,
    csirt: ActorIx,
    task: Task,
    case: Case,
    follow_up: bool,
) {
    let on_call_ok = task == Task::Triage;
    enqueue_work(ctx, desk, csirt, task, case, follow_up, on_call_ok);
}

/// Puts a work item in the CSIRT's queue; `on_call_ok` says whether the on-call analyst
/// may take it outside office hours.
pub fn enqueue_work(
    ctx: &mut Ctx<'_>,
    desk: &mut Desk,
    csirt: ActorIx,
    task: Task,
    case: Case,
    follow_up: bool,
    on_call_ok: bool,
) {
    let (plan, now) = (ctx.plan, ctx.now);
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
        on_call_ok,
    });
    let queue = ix(desk.queue.len());
    desk.stats.max_queue = desk.stats.max_queue.max(queue);
    ctx.journal.record(
        now,
        Event::WorkQueued {
            csirt: plan.actor_ref(csirt),
            task,
            about,
            queue,
        },
    );
}

/// Analysts away (an inject took them) are back: the desk journals its strength.
pub fn staff_return(ctx: &mut Ctx<'_>, csirt: ActorIx, desk: &mut Desk, analysts: u32) {
    desk.unavailable = desk.unavailable.saturating_sub(analysts);
    let (available, analysts) = (desk.available(), desk.analysts);
    ctx.journal.record(
        ctx.now,
        Event::StaffChanged {
            csirt: ctx.plan.actor_ref(csirt),
            available,
            analysts,
        },
    );
}

/// Starts queued work while analysts are free; otherwise arranges to look again.
///
/// In office hours the queue is worked first come, first served by every available
/// analyst. Outside them one on-call analyst answers after the on-call delay and takes
/// triage and urgent analysis only; the rest waits for the office to open.
pub fn dispatch(ctx: &mut Ctx<'_>, csirt: ActorIx, profile: &CsirtPlan, desk: &mut Desk) {
    let now = ctx.now;
    while !desk.queue.is_empty() {
        if is_open(&profile.hours, &profile.clock, now) {
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
        let opening = next_opening(&profile.hours, &profile.clock, now);
        let mut wake = opening;
        if let Hours::Office {
            on_call: Some(delay),
            ..
        } = &profile.hours
        {
            let takeable = desk
                .queue
                .iter()
                .enumerate()
                .find(|(_, i)| i.on_call_ok || i.case.urgent);
            if let Some((index, item)) = takeable {
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
    let range = match (item.task, item.case.topic) {
        (Task::Step, Topic::Step { run, step }) => desk
            .runs
            .get(run as usize)
            .and_then(|r| ctx.plan.sops[r.sop as usize].steps.get(step as usize))
            .map_or(profile.triage, |st| st.duration),
        (Task::Analysis, _) => profile.analysis,
        _ => profile.triage,
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

#[cfg(test)]
mod tests {
    use crate::sim::journal::Event;
    use crate::sim::testkit::{
        self, CSIRT, ENTITY, MONDAY_0900, inject, minutes_of, of_kind, sighting,
    };

    #[test]
    fn a_friday_evening_sighting_waits_for_monday_morning() {
        let mut s = testkit::scenario();
        s.csirts[0].hours = testkit::office_hours(None);
        s.injects
            .push(inject("tip", "T+1h", vec![sighting(ENTITY, CSIRT)]));
        let sim = testkit::play(&s);
        assert_eq!(minutes_of(&sim, "work_started"), [MONDAY_0900]);
    }

    #[test]
    fn the_on_call_analyst_takes_urgent_work_after_the_on_call_delay() {
        let mut s = testkit::scenario();
        s.csirts[0].hours = testkit::office_hours(Some("1h"));
        s.injects
            .push(inject("tip", "T+1h", vec![sighting(ENTITY, CSIRT)]));
        let sim = testkit::play(&s);
        let arrived = minutes_of(&sim, "sighting");
        let started = of_kind(&sim, "work_started");
        assert_eq!(arrived.len(), 1);
        assert_eq!(started.len(), 1);
        assert_eq!(started[0].t, arrived[0] + 60);
        assert!(matches!(
            started[0].event,
            Event::WorkStarted { on_call: true, .. }
        ));
    }

    #[test]
    fn in_office_hours_work_starts_as_it_arrives() {
        let mut s = testkit::scenario();
        s.csirts[0].hours = testkit::office_hours(None);
        // Monday 10:00.
        s.injects
            .push(inject("tip", "T+2d 17h 30m", vec![sighting(ENTITY, CSIRT)]));
        let sim = testkit::play(&s);
        assert_eq!(
            minutes_of(&sim, "work_started"),
            minutes_of(&sim, "sighting")
        );
    }

    /// The testkit's CSIRT keeps office hours in New York, in an exercise played on
    /// Amsterdam time (in March 2026 the US is on summer time a fortnight before the EU,
    /// so New York is 5 hours behind).
    fn in_new_york() -> crate::scenario::Scenario {
        let mut s = testkit::scenario();
        s.csirts[0].hours = testkit::office_hours(None);
        s.time_zone = crate::scenario::TimeZone::parse("Europe/Amsterdam").ok();
        s.csirts[0].time_zone = crate::scenario::TimeZone::parse("America/New_York").ok();
        s
    }

    #[test]
    fn a_csirt_in_new_york_works_a_friday_evening_sighting_in_its_own_afternoon() {
        let mut s = in_new_york();
        // Friday 17:30 in Amsterdam, 12:30 in New York.
        s.injects
            .push(inject("tip", "T+1h", vec![sighting(ENTITY, CSIRT)]));
        let sim = testkit::play(&s);
        assert_eq!(
            minutes_of(&sim, "work_started"),
            minutes_of(&sim, "sighting")
        );
    }

    #[test]
    fn a_csirt_in_new_york_opens_at_nine_new_york_time() {
        let mut s = in_new_york();
        // Friday 22:30 in Amsterdam, 17:30 in New York: closed until Monday.
        s.injects
            .push(inject("tip", "T+6h", vec![sighting(ENTITY, CSIRT)]));
        let sim = testkit::play(&s);
        assert_eq!(minutes_of(&sim, "work_started"), [MONDAY_0900 + 5 * 60]);
    }
}
