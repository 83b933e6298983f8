//! The MSEL at run time: injects scheduled, triggered, armed as contingencies, guarded,
//! fired, delayed or skipped. What firing one does to the world is in `effects`.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::discussion::{self, DiscussionError, Discussions};
use super::effects::{Reach, apply_effect};
use super::guards::{self, Guarded, Intrusive};
use super::journal::{EXERCISE, Event, Journal, Ref};
use super::plan::ix;
use super::plan::{DecisionName, InjectPlan, Name, Plan, WhenPlan};
use super::state::{
    ActorEntities, Agenda, Asked, ChannelOutages, Clock, Desk, Due, DueNow, Intrusion, Intrusions,
    Knowledge, PlanRes,
};
use super::stirred::ActorsMut;
use crate::scenario::{Discussion, Minute, Question};

/// Why an answer to an inject's question cannot be taken. The text is journaled with the
/// refused command, so it stays word for word what it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionError {
    #[error("no inject \"{0}\" and no decision point \"{0}\"")]
    Unknown(String),
    #[error("inject \"{0}\" asks no question")]
    NoQuestion(String),
    #[error("the question of inject \"{0}\" is not open (not yet asked, or answered)")]
    NotOpen(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InjectStatus {
    /// Waiting for its trigger.
    Waiting,
    /// A contingency whose clock runs: fires at `deadline` unless the expected action comes.
    Armed {
        deadline: Minute,
    },
    Scheduled {
        at: Minute,
    },
    Fired {
        at: Minute,
    },
    Skipped,
    /// A contingency made unnecessary by the players.
    Cancelled,
    /// An optional inject: it waits for the facilitator to fire it (last, so the states
    /// above keep the checksum they always had).
    Optional,
}

impl InjectStatus {
    /// Whether the facilitator may still fire, delay or skip it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Waiting | Self::Armed { .. } | Self::Scheduled { .. } | Self::Optional
        )
    }
}

#[derive(Clone, Debug, Hash)]
pub struct InjectState {
    pub status: InjectStatus,
    /// Bumped on every reschedule: agenda items of an older generation are stale.
    pub generation: u32,
    /// Delay added by the facilitator before the inject was scheduled.
    pub extra_delay: Minute,
    /// Fired by the facilitator rather than by its schedule or trigger.
    pub forced: bool,
}

/// Every inject of the run: the scenario's and those composed during it.
#[derive(Resource, Clone, Debug)]
pub struct InjectBook {
    pub plans: Vec<InjectPlan>,
    pub states: Vec<InjectState>,
    /// Questions asked and not yet answered: inject index → deadline of the default.
    pub questions: BTreeMap<u32, Minute>,
    /// Discussion questions asked and not yet answered, one copy per addressee.
    pub discussions: Discussions,
}

impl InjectBook {
    pub fn new(plan: &Plan, agenda: &mut Agenda) -> Self {
        let mut book = Self {
            plans: Vec::new(),
            states: Vec::new(),
            questions: BTreeMap::new(),
            discussions: Discussions::default(),
        };
        for inject in &plan.injects {
            book.add(inject.clone(), agenda, 0);
        }
        book
    }

    /// Adds an inject; one with a fixed time is scheduled at once (no earlier than `now`).
    pub fn add(&mut self, inject: InjectPlan, agenda: &mut Agenda, now: Minute) -> u32 {
        let ix = ix(self.plans.len());
        let status = match inject.when {
            _ if inject.spec.optional => InjectStatus::Optional,
            WhenPlan::At(at) => {
                let at = at.max(now);
                agenda.push(
                    at,
                    Due::Inject {
                        inject: ix,
                        generation: 0,
                    },
                );
                InjectStatus::Scheduled { at }
            }
            _ => InjectStatus::Waiting,
        };
        self.plans.push(inject);
        self.states.push(InjectState {
            status,
            generation: 0,
            extra_delay: 0,
            forced: false,
        });
        ix
    }

    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.plans.iter().position(|p| &*p.id == id).map(ix)
    }

    pub fn reference(&self, ix: u32) -> Ref {
        Ref {
            ix,
            id: self.plans[ix as usize].id.clone(),
        }
    }

    /// (Re)schedules inject `ix` at `at`, invalidating earlier agenda items.
    pub fn schedule(&mut self, ix: u32, at: Minute, agenda: &mut Agenda) {
        let state = &mut self.states[ix as usize];
        state.generation += 1;
        state.status = InjectStatus::Scheduled { at };
        agenda.push(
            at,
            Due::Inject {
                inject: ix,
                generation: state.generation,
            },
        );
    }

    /// Arms a contingency inject until `deadline`.
    pub fn arm(&mut self, ix: u32, deadline: Minute, agenda: &mut Agenda) {
        let state = &mut self.states[ix as usize];
        state.generation += 1;
        state.status = InjectStatus::Armed { deadline };
        agenda.push(
            deadline,
            Due::Inject {
                inject: ix,
                generation: state.generation,
            },
        );
    }

    /// An open question, by its inject's id; `Err` says why it cannot be answered.
    pub fn question(&self, id: &str) -> Result<(u32, &Question), QuestionError> {
        let ix = self
            .index_of(id)
            .ok_or_else(|| QuestionError::Unknown(id.to_owned()))?;
        let question = self.plans[ix as usize]
            .spec
            .question
            .as_ref()
            .ok_or_else(|| QuestionError::NoQuestion(id.to_owned()))?;
        if !self.questions.contains_key(&ix) {
            return Err(QuestionError::NotOpen(id.to_owned()));
        }
        Ok((ix, question))
    }

    /// The inject a decision comes from: an inject's question, or one addressee's copy of
    /// its discussion question.
    pub fn inject_of(&self, decision: &str) -> Option<u32> {
        self.index_of(decision)
            .or_else(|| match DecisionName::parse(decision) {
                Some(DecisionName::Discussion { inject, .. }) => self.index_of(inject),
                _ => None,
            })
    }

    /// An open discussion question, by its journaled name; `Err` says why it cannot be
    /// answered.
    pub fn discussion(
        &self,
        plan: &Plan,
        name: &str,
    ) -> Result<(Asked, &Discussion), DiscussionError> {
        self.discussions.find(plan, &self.plans, name)
    }

    pub fn is_open(&self, ix: u32) -> bool {
        self.states[ix as usize].status.is_open()
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data access"
)]
pub fn fire_injects(
    clock: Res<Clock>,
    plan: Res<PlanRes>,
    due: Res<DueNow>,
    actors: Res<ActorEntities>,
    mut book: ResMut<InjectBook>,
    mut holders: ActorsMut<(&mut Knowledge, Option<&mut Desk>)>,
    (index, intrusions): (Res<Intrusions>, Query<&Intrusion>),
    mut outages: ResMut<ChannelOutages>,
    mut agenda: ResMut<Agenda>,
    mut journal: ResMut<Journal>,
) {
    let now = clock.now;
    let plan = &*plan.0;
    let mut reach = Reach {
        plan,
        now,
        actors: &actors,
        outages: &mut outages,
        agenda: &mut agenda,
        journal: &mut journal,
    };
    for item in &due.0 {
        if let Due::ChannelRestored { actor, channel } = *item {
            if reach
                .outages
                .0
                .get(&(actor, channel))
                .is_some_and(|until| *until <= now)
            {
                reach.outages.0.remove(&(actor, channel));
                reach.journal.record(
                    now,
                    Event::ChannelRestored {
                        actor: plan.actor_ref(actor),
                        channel,
                    },
                );
            }
            continue;
        }
        if let Due::Discuss { asked, reply, by } = item {
            let InjectBook {
                discussions, plans, ..
            } = &mut *book;
            discussion::answer(
                &mut reach,
                &mut holders,
                (*asked, reply.as_ref(), by),
                (discussions, plans),
            );
            continue;
        }
        if let Due::Answer { inject, option, by } = item {
            answer(
                &mut reach,
                &mut holders,
                (*inject, option.as_deref(), by),
                &mut book,
            );
            continue;
        }
        let Due::Inject { inject, generation } = *item else {
            continue;
        };
        let Some(state) = book.states.get(inject as usize) else {
            continue;
        };
        let live = matches!(
            state.status,
            InjectStatus::Scheduled { .. } | InjectStatus::Armed { .. }
        );
        if !live || state.generation != generation {
            continue;
        }
        let by_facilitator = state.forced;
        let spec = book.plans[inject as usize].spec.clone();
        let world = Intrusive {
            index: &index,
            intrusions: &intrusions,
        };
        let planned = &book.plans[inject as usize];
        let to = match guards::ask(plan, &world, &planned.guards, &planned.to) {
            Guarded::Cancelled(reason) => {
                book.states[inject as usize].status = InjectStatus::Cancelled;
                reach.journal.record(
                    now,
                    Event::InjectCancelled {
                        inject: book.reference(inject),
                        reason: reason.into(),
                    },
                );
                continue;
            }
            Guarded::Fires {
                to,
                withheld,
                reason,
            } => {
                if let Some(reason) = reason {
                    reach.journal.record(
                        now,
                        Event::InjectWithheld {
                            inject: book.reference(inject),
                            from: guards::refs(plan, &withheld),
                            reason: reason.into(),
                        },
                    );
                }
                to
            }
        };
        book.states[inject as usize].status = InjectStatus::Fired { at: now };
        reach.journal.record(
            now,
            Event::InjectFired {
                inject: book.reference(inject),
                title: spec.title.as_str().into(),
                to: guards::refs(plan, &to),
                channel: spec.message.as_ref().map(|m| m.channel),
                subject: spec.message.as_ref().map(|m| m.subject.as_str().into()),
                marking: EXERCISE,
                by_facilitator,
            },
        );
        for effect in &spec.effects {
            apply_effect(&mut reach, &mut holders, &spec.id, effect);
        }
        if let Some(question) = &spec.question {
            let deadline = now + question.timeout.minutes;
            book.questions.insert(inject, deadline);
            reach.journal.record(
                now,
                Event::DecisionRaised {
                    decision: spec.id.as_str().into(),
                    to: guards::refs(plan, &to),
                    prompt: question.prompt.as_str().into(),
                    options: question
                        .options
                        .iter()
                        .map(|o| o.id.as_str().into())
                        .collect(),
                    default: question.default.as_str().into(),
                    deadline,
                },
            );
            reach.agenda.push(
                deadline,
                Due::Answer {
                    inject,
                    option: None,
                    by: "default".into(),
                },
            );
        }
        let InjectBook {
            discussions, plans, ..
        } = &mut *book;
        discussion::ask(&mut reach, (discussions, plans), inject, &to);
    }
}

/// An inject's question is answered: the chosen answer's effects happen now. An answer
/// that comes after the question closed (answered, or defaulted) changes nothing.
fn answer(
    reach: &mut Reach<'_>,
    holders: &mut ActorsMut<'_, '_, (&mut Knowledge, Option<&mut Desk>)>,
    (inject, option, by): (u32, Option<&str>, &Name),
    book: &mut InjectBook,
) {
    let now = reach.now;
    if book.questions.remove(&inject).is_none() {
        if option.is_some() {
            reach.journal.record(
                now,
                Event::CommandRefused {
                    command: "decide".into(),
                    reason: format!(
                        "the question of inject \"{}\" was already answered",
                        book.plans[inject as usize].id
                    ),
                },
            );
        }
        return;
    }
    let spec = &book.plans[inject as usize].spec;
    let Some(question) = &spec.question else {
        return;
    };
    let chosen = option.unwrap_or(&question.default);
    let Some(picked) = question.options.iter().find(|o| o.id == chosen) else {
        return;
    };
    reach.journal.record(
        now,
        Event::DecisionTaken {
            decision: spec.id.as_str().into(),
            option: chosen.into(),
            by: by.clone(),
        },
    );
    // Keyed by inject and answer, so an answer's draws differ from the inject's own.
    let key = format!("{}#{}", spec.id, picked.id);
    for effect in &picked.effects.clone() {
        apply_effect(reach, holders, &key, effect);
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Answer, EventPattern, InjectEffect, Question, When};
    use crate::sim::Command;
    use crate::sim::journal::Event;
    use crate::sim::testkit::{
        self, CSIRT, call_at_one_hour, duration, inject, minutes_of, of_kind,
    };

    #[test]
    fn a_skipped_inject_never_fires() {
        let skip = Command::SkipInject {
            inject: "call".into(),
        };
        let sim = testkit::play_with(&call_at_one_hour(), &[(10, skip)]);
        assert_eq!(minutes_of(&sim, "inject_skipped"), [10]);
        assert!(of_kind(&sim, "inject_fired").is_empty());
    }

    #[test]
    fn a_delayed_inject_fires_that_much_later() {
        let delay = Command::DelayInject {
            inject: "call".into(),
            by: duration("2h"),
        };
        let sim = testkit::play_with(&call_at_one_hour(), &[(10, delay)]);
        assert_eq!(minutes_of(&sim, "inject_fired"), [180]);
    }

    #[test]
    fn an_inject_fired_by_the_facilitator_fires_now_and_only_once() {
        let fire = Command::FireInject {
            inject: "call".into(),
        };
        let sim = testkit::play_with(&call_at_one_hour(), &[(30, fire)]);
        assert_eq!(minutes_of(&sim, "inject_fired"), [30]);
    }

    #[test]
    fn a_triggered_inject_fires_its_delay_after_the_event() {
        let mut s = call_at_one_hour();
        let mut follow = inject("follow-up", "T+0m", Vec::new());
        follow.when = When::After {
            on: EventPattern::Inject("call".into()),
            delay: duration("30m"),
        };
        s.injects.push(follow);
        let sim = testkit::play(&s);
        assert_eq!(minutes_of(&sim, "inject_fired"), [60, 90]);
    }

    #[test]
    fn analysts_taken_away_come_back_after_the_duration() {
        let mut s = testkit::scenario();
        let away = InjectEffect::StaffUnavailable {
            csirt: CSIRT.into(),
            analysts: 3,
            duration: duration("4h"),
        };
        s.injects.push(inject("flu", "T+1h", vec![away]));
        let sim = testkit::play(&s);
        let available: Vec<(i64, u32)> = of_kind(&sim, "staff_changed")
            .iter()
            .filter_map(|e| match e.event {
                Event::StaffChanged { available, .. } => Some((e.t, available)),
                _ => None,
            })
            .collect();
        assert_eq!(available, [(60, 1), (300, 4)]);
    }

    #[test]
    fn an_unanswered_question_takes_its_default_at_the_timeout() {
        let mut s = call_at_one_hour();
        let answer = |id: &str| Answer {
            id: id.into(),
            label: id.into(),
            effects: Vec::new(),
        };
        s.injects[0].question = Some(Question {
            prompt: "Call the minister?".into(),
            options: vec![answer("yes"), answer("no")],
            default: "no".into(),
            timeout: duration("1h"),
        });
        let sim = testkit::play(&s);
        let taken = of_kind(&sim, "decision_taken");
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].t, 120);
        assert!(matches!(&taken[0].event, Event::DecisionTaken { by, .. } if &**by == "default"));
    }
}
