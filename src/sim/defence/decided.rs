//! What an organisation's players decided in the exercise's discussions, carried out:
//! withholding a report (or sending it after all), taking its systems offline and back,
//! marking what it shares differently. The decisions are kept in `Defender.decided`.

use super::super::ctx::Ctx;
use super::super::journal::Event;
use super::super::plan::ActorIx;
use super::super::state::{Defender, Due};

/// Carries out one decision due now for `entity`; other items are not its business.
pub(super) fn carry_out(ctx: &mut Ctx<'_>, entity: ActorIx, defender: &mut Defender, item: &Due) {
    let plan = ctx.plan;
    match *item {
        // Journaled once, when first decided.
        Due::Withhold { ref report, .. } if defender.decided.withheld.insert(report.clone()) => {
            ctx.journal.record(
                ctx.now,
                Event::ReportWithheld {
                    entity: plan.actor_ref(entity),
                    report: report.clone(),
                },
            );
        }
        Due::Reconsider { ref report, .. } if defender.decided.withheld.remove(report) => {
            ctx.journal.record(
                ctx.now,
                Event::ReportReconsidered {
                    entity: plan.actor_ref(entity),
                    report: report.clone(),
                },
            );
        }
        Due::Offline {
            minutes: Some(minutes),
            ..
        } => {
            // Taken offline again while offline: the later return counts.
            let until = ctx.now.saturating_add(minutes);
            let until = defender
                .decided
                .offline_until
                .map_or(until, |u| u.max(until));
            defender.decided.offline_until = Some(until);
            ctx.journal.record(
                ctx.now,
                Event::TakenOffline {
                    entity: plan.actor_ref(entity),
                    until,
                },
            );
            ctx.agenda.push(
                until,
                Due::Offline {
                    entity,
                    minutes: None,
                },
            );
        }
        // Back when the latest return is due (a later taking-offline moved it on).
        Due::Offline { minutes: None, .. }
            if defender.decided.offline_until.is_some_and(|u| u <= ctx.now) =>
        {
            defender.decided.offline_until = None;
            ctx.journal.record(
                ctx.now,
                Event::BackOnline {
                    entity: plan.actor_ref(entity),
                },
            );
        }
        Due::Mark { tlp, .. } => {
            // As its players last decided, else as the scenario says.
            let Some(from) = defender
                .decided
                .marking
                .or_else(|| plan.entity(entity).map(|e| e.indicator_tlp))
            else {
                return;
            };
            if from != tlp {
                defender.decided.marking = Some(tlp);
                ctx.journal.record(
                    ctx.now,
                    Event::MarkingChanged {
                        entity: plan.actor_ref(entity),
                        from,
                        to: tlp,
                    },
                );
            }
        }
        _ => {}
    }
}
