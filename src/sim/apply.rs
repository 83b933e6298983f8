//! Applying commands at the start of their minute, in (minute, sequence) order.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::answering;
use super::command::{Command, Stamped};
use super::ctx::{Acting, Ctx};
use super::injects::{InjectBook, InjectStatus};
use super::journal::{Event, Journal};
use super::plan::{ActorIx, RolePlan};
use super::players::{self, Deed, Holdings, Outgoing, QueryHoldings};
use super::state::{ActorEntities, Clock, Defender, Desk, Due, Knowledge, Parcel};
use crate::scenario::{Minute, Tlp};

/// Commands submitted and not yet applied, by (minute, sequence).
#[derive(Resource, Clone, Debug, Default)]
pub struct PendingCommands(pub BTreeMap<(Minute, u64), Command>);

impl PendingCommands {
    pub fn next_time(&self) -> Option<Minute> {
        self.0.keys().next().map(|(t, _)| *t)
    }
}

/// Whether a command is due this minute: most minutes have none, and the system that
/// applies them reads half the world.
pub fn commands_due(clock: Res<Clock>, pending: Res<PendingCommands>) -> bool {
    pending.next_time().is_some_and(|t| t <= clock.now)
}

/// Commands applied so far, in order: what a session records.
#[derive(Resource, Clone, Debug, Default)]
pub struct AppliedCommands(pub Vec<Stamped>);

#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn apply_commands(
    mut acting: Acting,
    actors: Res<ActorEntities>,
    knowledge: Query<&'static Knowledge>,
    desks: Query<&'static Desk>,
    defenders: Query<&'static Defender>,
    mut pending: ResMut<PendingCommands>,
    mut applied: ResMut<AppliedCommands>,
    mut book: ResMut<InjectBook>,
) {
    let mut ctx = acting.ctx();
    let now = ctx.now;
    let holdings = QueryHoldings {
        actors: &actors,
        knowledge: &knowledge,
        desks: &desks,
        defenders: &defenders,
    };
    let later = pending.0.split_off(&(now + 1, 0));
    let due = std::mem::replace(&mut pending.0, later);
    for ((at, seq), command) in due {
        apply(&mut ctx, &command, &holdings, &mut book);
        applied.0.push(Stamped { at, seq, command });
    }
}

fn apply(ctx: &mut Ctx<'_>, command: &Command, holdings: &impl Holdings, book: &mut InjectBook) {
    let (plan, now) = (ctx.plan, ctx.now);
    let refuse = |journal: &mut Journal, reason: String| {
        journal.record(
            now,
            Event::CommandRefused {
                command: command.label().into(),
                reason,
            },
        );
    };
    match command {
        Command::FireInject { inject }
        | Command::SkipInject { inject }
        | Command::DelayInject { inject, .. } => {
            let Some(ix) = book.index_of(inject) else {
                return refuse(ctx.journal, format!("no inject \"{inject}\""));
            };
            if !book.is_open(ix) {
                return refuse(
                    ctx.journal,
                    format!("inject \"{inject}\" has already fired, been skipped or cancelled"),
                );
            }
            match command {
                Command::FireInject { .. } => {
                    book.states[ix as usize].forced = true;
                    book.schedule(ix, now, ctx.agenda);
                }
                Command::SkipInject { .. } => {
                    book.states[ix as usize].status = InjectStatus::Skipped;
                    ctx.journal.record(
                        now,
                        Event::InjectSkipped {
                            inject: book.reference(ix),
                        },
                    );
                }
                Command::DelayInject { by, .. } => {
                    let until = match book.states[ix as usize].status {
                        InjectStatus::Scheduled { at } => {
                            book.schedule(ix, at + by.minutes, ctx.agenda);
                            Some(at + by.minutes)
                        }
                        InjectStatus::Armed { deadline } => {
                            book.arm(ix, deadline + by.minutes, ctx.agenda);
                            Some(deadline + by.minutes)
                        }
                        _ => {
                            book.states[ix as usize].extra_delay += by.minutes;
                            None
                        }
                    };
                    ctx.journal.record(
                        now,
                        Event::InjectDelayed {
                            inject: book.reference(ix),
                            until: until.unwrap_or(-1),
                        },
                    );
                }
                _ => {}
            }
        }
        Command::ComposeInject { inject } => match plan.compile_inject(inject) {
            Ok(compiled) if book.index_of(&inject.id).is_none() => {
                let ix = book.add(compiled, ctx.agenda, now);
                // A composed inject is the facilitator's own: it fires by the facilitator.
                book.states[ix as usize].forced = true;
                ctx.journal.record(
                    now,
                    Event::InjectComposed {
                        inject: book.reference(ix),
                    },
                );
            }
            Ok(_) => refuse(
                ctx.journal,
                format!("an inject \"{}\" already exists", inject.id),
            ),
            Err(e) => refuse(ctx.journal, e.0),
        },
        Command::Observe { author, text } => {
            ctx.journal.record(
                now,
                Event::Observation {
                    author: author.as_str().into(),
                    text: text.as_str().into(),
                },
            );
        }
        Command::ToControl { role, text } => match plan.role(role) {
            Some(_) => {
                ctx.journal.record(
                    now,
                    Event::MessageToControl {
                        role: role.as_str().into(),
                        text: text.as_str().into(),
                    },
                );
            }
            None => refuse(ctx.journal, format!("no role \"{role}\"")),
        },
        Command::FromControl { role, by, text } => match plan.role(role) {
            Some(_) => {
                ctx.journal.record(
                    now,
                    Event::MessageFromControl {
                        role: role.as_str().into(),
                        by: by.as_str().into(),
                        text: text.as_str().into(),
                    },
                );
            }
            None => refuse(ctx.journal, format!("no role \"{role}\"")),
        },
        Command::Decide {
            decision,
            option,
            by,
        } => {
            if let Err(reason) = answering::decide(ctx, book, (decision, option, by)) {
                refuse(ctx.journal, reason);
            }
        }
        Command::Answer { decision, text, by } => {
            if let Err(reason) = answering::answer_in_words(ctx, book, (decision, text, by)) {
                refuse(ctx.journal, reason);
            }
        }
        Command::Rate {
            objective,
            rating,
            evaluator,
            comment,
        } => match plan.objective_by_id.get(objective) {
            Some(&ix) => {
                ctx.journal.record(
                    now,
                    Event::Rated {
                        objective: plan.objective_ref(ix),
                        rating: *rating,
                        evaluator: evaluator.as_str().into(),
                        comment: comment.as_str().into(),
                    },
                );
            }
            None => refuse(ctx.journal, format!("no objective \"{objective}\"")),
        },
        Command::RateAnswer {
            decision,
            rating,
            evaluator,
            comment,
        } => {
            if let Err(reason) =
                answering::rate_answer(ctx, decision, *rating, (evaluator, comment))
            {
                refuse(ctx.journal, reason);
            }
        }
        Command::Share {
            from,
            to,
            indicators,
            tlp,
        } => {
            let (Some(&from_ix), Some(&to_ix)) = (plan.by_id.get(from), plan.by_id.get(to)) else {
                return refuse(ctx.journal, format!("no actor \"{from}\" or \"{to}\""));
            };
            let Some(held) = holdings.knowledge(from_ix) else {
                return refuse(ctx.journal, format!("\"{from}\" holds no knowledge"));
            };
            match players::parcel(plan, held, from_ix, to_ix, indicators, *tlp) {
                Ok(outgoing) => send(ctx, from_ix, outgoing, false),
                Err(reason) => refuse(ctx.journal, reason),
            }
        }
        Command::Act { role, action } => {
            let Some(role) = plan.role(role) else {
                return refuse(ctx.journal, format!("no role \"{role}\""));
            };
            match players::vet(plan, holdings, role, action) {
                Ok(vetted) => {
                    ctx.journal.record(
                        now,
                        Event::PlayerActed {
                            role: role.id.clone(),
                            actor: plan.actor_ref(role.actor),
                            action: action.label(),
                            detail: vetted.detail,
                        },
                    );
                    // A player sending a report their organisation decided to withhold
                    // reverses that decision first.
                    if let Deed::Report { entity, report, .. } = &vetted.deed
                        && holdings
                            .defender(*entity)
                            .is_some_and(|d| d.decided.withheld.contains(report))
                    {
                        ctx.agenda.push(
                            now,
                            Due::Reconsider {
                                entity: *entity,
                                report: report.clone(),
                            },
                        );
                    }
                    perform(ctx, role, vetted.deed);
                }
                Err(reason) => {
                    ctx.journal.record(
                        now,
                        Event::ActionRefused {
                            role: role.id.clone(),
                            action: action.label(),
                            reason,
                        },
                    );
                }
            }
        }
    }
}

/// Carries out a player's vetted action.
fn perform(ctx: &mut Ctx<'_>, role: &RolePlan, deed: Deed) {
    let now = ctx.now;
    match deed {
        Deed::Send { parcels, warning } => {
            for outgoing in parcels {
                send(ctx, role.actor, outgoing, warning);
            }
        }
        Deed::Scan { csirt, only } => ctx.agenda.push(
            now,
            Due::Scan {
                csirt,
                only,
                requested: true,
            },
        ),
        Deed::Report {
            entity,
            incident,
            report,
        } => ctx.agenda.push(
            now,
            Due::SendReport {
                entity,
                incident,
                report,
            },
        ),
        Deed::Raise { csirt, level } => ctx.agenda.push(
            now,
            Due::RaiseCrisis {
                csirt,
                level,
                by: format!("raised by {} (player)", role.title).into(),
            },
        ),
    }
}

/// Journals what a share held back and what it passed, and posts the parcel.
fn send(ctx: &mut Ctx<'_>, from: ActorIx, outgoing: Outgoing, warning: bool) {
    let (plan, now) = (ctx.plan, ctx.now);
    let to = outgoing.to;
    for withheld in &outgoing.withheld {
        ctx.journal.record(
            now,
            Event::ShareRefused {
                from: plan.actor_ref(from),
                to: plan.actor_ref(to),
                indicator: plan.indicator_ref(withheld.indicator),
                tlp: withheld.tlp,
                reason: withheld.reason,
            },
        );
    }
    let marked = outgoing.marked;
    if marked.is_empty() {
        return;
    }
    ctx.journal.record(
        now,
        Event::Shared {
            from: plan.actor_ref(from),
            to: plan.actor_ref(to),
            indicators: marked
                .iter()
                .map(|m| plan.indicator_ref(m.indicator))
                .collect(),
            tlp: marked.iter().map(|m| m.tlp).max().unwrap_or(Tlp::Clear),
            warning,
        },
    );
    let parcel = Parcel::Share {
        from,
        indicators: marked,
        warning,
        hits: Vec::new(),
    };
    ctx.post
        .send(ctx.agenda, ctx.journal, now, from, to, parcel);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Tlp;
    use crate::sim::testkit::{self, CSIRT, ENTITY, INDICATOR, inject, minutes_of, of_kind};

    fn share(from: &str, to: &str) -> Command {
        Command::Share {
            from: from.into(),
            to: to.into(),
            indicators: vec![INDICATOR.into()],
            tlp: Tlp::Amber,
        }
    }

    /// The CSIRT learns the indicator from a sighting at T+1h; "shop" is a second
    /// organisation in its constituency.
    fn with_shop() -> crate::scenario::Scenario {
        let mut s = testkit::scenario();
        let shop = testkit::organisation(&s, "shop");
        s.entities.push(shop);
        s.injects.push(inject(
            "tip",
            "T+1h",
            vec![testkit::sighting(ENTITY, CSIRT)],
        ));
        s
    }

    #[test]
    fn an_observation_is_journaled_as_given() {
        let note = Command::Observe {
            author: "facilitator".into(),
            text: "the duty officer called the bank".into(),
        };
        let sim = testkit::play_with(&testkit::scenario(), &[(90, note)]);
        let observed = of_kind(&sim, "observation");
        assert_eq!(observed.len(), 1);
        assert_eq!(observed[0].t, 90);
    }

    #[test]
    fn a_command_at_an_injects_minute_is_applied_before_the_inject_fires() {
        let mut s = testkit::scenario();
        s.injects.push(inject("call", "T+1h", Vec::new()));
        let skip = Command::SkipInject {
            inject: "call".into(),
        };
        let sim = testkit::play_with(&s, &[(60, skip)]);
        assert_eq!(minutes_of(&sim, "inject_skipped"), [60]);
        assert!(of_kind(&sim, "inject_fired").is_empty());
    }

    #[test]
    fn a_share_of_an_indicator_the_sender_does_not_hold_is_refused() {
        let sim = testkit::play_with(&with_shop(), &[(30, share(CSIRT, "shop"))]);
        assert_eq!(minutes_of(&sim, "command_refused"), [30]);
        assert!(!minutes_of(&sim, "shared").contains(&30));
    }

    #[test]
    fn a_share_of_a_held_indicator_is_sent_at_once() {
        let sim = testkit::play_with(&with_shop(), &[(600, share(CSIRT, "shop"))]);
        assert!(of_kind(&sim, "command_refused").is_empty());
        let to_shop_at_600 = of_kind(&sim, "shared").into_iter().any(|e| {
            e.t == 600 && matches!(&e.event, Event::Shared { to, .. } if &*to.id == "shop")
        });
        assert!(to_shop_at_600);
    }

    #[test]
    fn a_decision_nobody_raised_is_refused() {
        let decide = Command::Decide {
            decision: "ncsc/nothing#1/escalate".into(),
            option: "yes".into(),
            by: "facilitator".into(),
        };
        let sim = testkit::play_with(&testkit::scenario(), &[(60, decide)]);
        assert_eq!(minutes_of(&sim, "command_refused"), [60]);
    }

    #[test]
    fn a_rating_of_an_unknown_objective_is_refused() {
        let rate = Command::Rate {
            objective: "obj-404".into(),
            rating: crate::sim::Rating::Performed,
            evaluator: "evaluator".into(),
            comment: String::new(),
        };
        let sim = testkit::play_with(&testkit::scenario(), &[(60, rate)]);
        assert_eq!(minutes_of(&sim, "command_refused"), [60]);
        assert!(of_kind(&sim, "rated").is_empty());
    }
}
