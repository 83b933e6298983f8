//! Applying commands at the start of their minute, in (minute, sequence) order.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::channels::Post;
use super::command::{Command, Stamped};
use super::injects::{InjectBook, InjectStatus};
use super::journal::{Event, Journal};
use super::plan::Plan;
use super::state::{
    ActorEntities, Agenda, ChannelOutages, Clock, Due, Knowledge, Marked, Parcel, PlanRes,
};
use crate::scenario::{Minute, Relation};

/// Commands submitted and not yet applied, by (minute, sequence).
#[derive(Resource, Clone, Debug, Default)]
pub struct PendingCommands(pub BTreeMap<(Minute, u64), Command>);

impl PendingCommands {
    pub fn next_time(&self) -> Option<Minute> {
        self.0.keys().next().map(|(t, _)| *t)
    }
}

/// Commands applied so far, in order: what a session records.
#[derive(Resource, Clone, Debug, Default)]
pub struct AppliedCommands(pub Vec<Stamped>);

#[allow(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn apply_commands(
    clock: Res<Clock>,
    plan: Res<PlanRes>,
    actors: Res<ActorEntities>,
    knowledge: Query<&Knowledge>,
    mut pending: ResMut<PendingCommands>,
    mut applied: ResMut<AppliedCommands>,
    outages: Res<ChannelOutages>,
    mut book: ResMut<InjectBook>,
    mut agenda: ResMut<Agenda>,
    mut journal: ResMut<Journal>,
) {
    let now = clock.now;
    let plan = &*plan.0;
    let post = Post {
        plan,
        outages: &outages,
    };
    let later = pending.0.split_off(&(now + 1, 0));
    let due = std::mem::replace(&mut pending.0, later);
    for ((at, seq), command) in due {
        apply(
            plan,
            &post,
            now,
            &command,
            &actors,
            &knowledge,
            &mut book,
            &mut agenda,
            &mut journal,
        );
        applied.0.push(Stamped { at, seq, command });
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "a command may touch any of these"
)]
fn apply(
    plan: &Plan,
    post: &Post<'_>,
    now: Minute,
    command: &Command,
    actors: &ActorEntities,
    knowledge: &Query<&Knowledge>,
    book: &mut InjectBook,
    agenda: &mut Agenda,
    journal: &mut Journal,
) {
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
                return refuse(journal, format!("no inject \"{inject}\""));
            };
            if !book.is_open(ix) {
                return refuse(
                    journal,
                    format!("inject \"{inject}\" has already fired, been skipped or cancelled"),
                );
            }
            match command {
                Command::FireInject { .. } => {
                    book.states[ix as usize].forced = true;
                    book.schedule(ix, now, agenda);
                }
                Command::SkipInject { .. } => {
                    book.states[ix as usize].status = InjectStatus::Skipped;
                    journal.record(
                        now,
                        Event::InjectSkipped {
                            inject: book.reference(ix),
                        },
                    );
                }
                Command::DelayInject { by, .. } => {
                    let until = match book.states[ix as usize].status {
                        InjectStatus::Scheduled { at } => {
                            book.schedule(ix, at + by.minutes, agenda);
                            Some(at + by.minutes)
                        }
                        InjectStatus::Armed { deadline } => {
                            book.arm(ix, deadline + by.minutes, agenda);
                            Some(deadline + by.minutes)
                        }
                        _ => {
                            book.states[ix as usize].extra_delay += by.minutes;
                            None
                        }
                    };
                    journal.record(
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
                let ix = book.add(compiled, agenda, now);
                journal.record(
                    now,
                    Event::InjectComposed {
                        inject: book.reference(ix),
                    },
                );
            }
            Ok(_) => refuse(
                journal,
                format!("an inject \"{}\" already exists", inject.id),
            ),
            Err(e) => refuse(journal, e.0),
        },
        Command::Observe { author, text } => {
            journal.record(
                now,
                Event::Observation {
                    author: author.as_str().into(),
                    text: text.as_str().into(),
                },
            );
        }
        Command::Decide {
            decision,
            option,
            by,
        } => {
            // "csirt/sop#run/step"
            let parsed = decision.split_once('/').and_then(|(csirt, rest)| {
                let (sop_run, step) = rest.rsplit_once('/')?;
                let (_, run) = sop_run.rsplit_once('#')?;
                let run: u32 = run.parse().ok()?;
                Some((plan.by_id.get(csirt).copied()?, run.checked_sub(1)?, step))
            });
            match parsed {
                Some((csirt, run, step)) => agenda.push(
                    now,
                    Due::Decide {
                        csirt,
                        run,
                        step: step.into(),
                        option: Some(option.as_str().into()),
                        by: by.as_str().into(),
                    },
                ),
                None => refuse(
                    journal,
                    format!(
                        "\"{decision}\" is not a decision point; expected e.g. \"fin-csirt/fin-intake#1/escalate\""
                    ),
                ),
            }
        }
        Command::Rate {
            objective,
            rating,
            evaluator,
            comment,
        } => match plan.objective_by_id.get(objective) {
            Some(&ix) => {
                journal.record(
                    now,
                    Event::Rated {
                        objective: plan.objective_ref(ix),
                        rating: *rating,
                        evaluator: evaluator.as_str().into(),
                        comment: comment.as_str().into(),
                    },
                );
            }
            None => refuse(journal, format!("no objective \"{objective}\"")),
        },
        Command::Share {
            from,
            to,
            indicators,
            tlp,
        } => {
            let (Some(&from_ix), Some(&to_ix)) = (plan.by_id.get(from), plan.by_id.get(to)) else {
                return refuse(journal, format!("no actor \"{from}\" or \"{to}\""));
            };
            let Some(held) = actors
                .0
                .get(from_ix as usize)
                .and_then(|e| knowledge.get(*e).ok())
            else {
                return refuse(journal, format!("\"{from}\" holds no knowledge"));
            };
            let relation = match plan.entity(to_ix) {
                Some(e) if e.csirt == from_ix => Relation::Constituent,
                _ => Relation::Community,
            };
            let mut parcel = Vec::new();
            for id in indicators {
                let Some(&ix) = plan.indicator_by_id.get(id) else {
                    refuse(journal, format!("no indicator \"{id}\""));
                    continue;
                };
                match held.indicators.get(&ix) {
                    None => refuse(
                        journal,
                        format!("\"{from}\" does not know indicator \"{id}\""),
                    ),
                    // Passing on what one originated is free; what one received keeps its marking.
                    Some(learned) if learned.from.is_some() && !learned.tlp.permits(relation) => {
                        journal.record(
                            now,
                            Event::ShareRefused {
                                from: plan.actor_ref(from_ix),
                                to: plan.actor_ref(to_ix),
                                indicator: plan.indicator_ref(ix),
                                tlp: learned.tlp,
                                reason: "the marking it was received under does not allow this recipient",
                            },
                        );
                    }
                    Some(learned) => parcel.push(Marked {
                        indicator: ix,
                        tlp: learned.tlp.strictest(*tlp),
                        context: learned.context.sanitised(),
                    }),
                }
            }
            if !parcel.is_empty() {
                journal.record(
                    now,
                    Event::Shared {
                        from: plan.actor_ref(from_ix),
                        to: plan.actor_ref(to_ix),
                        indicators: parcel
                            .iter()
                            .map(|m| plan.indicator_ref(m.indicator))
                            .collect(),
                        tlp: parcel.iter().map(|m| m.tlp).max().unwrap_or(*tlp),
                        warning: false,
                    },
                );
                let parcel = Parcel::Share {
                    from: from_ix,
                    indicators: parcel,
                    warning: false,
                    hits: Vec::new(),
                };
                post.send(agenda, journal, now, from_ix, to_ix, parcel);
            }
        }
    }
}
