//! An exercise package's discussion questions at run time: one copy per addressee, asked
//! when the inject reaches it, each answered (in words, or by an option whose effects act)
//! or closed at its own deadline. The inject's single `question` stays in `injects`.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::effects::{Reach, apply_effect};
use super::journal::Event;
use super::plan::{ActorIx, DecisionName, InjectPlan, Name, Plan, ix};
use super::state::{Asked, Desk, Due, Knowledge, Response};
use super::stirred::ActorsMut;
use crate::scenario::{Discussion, Minute};

/// Why an answer to a discussion question cannot be taken. The text is journaled with the
/// refused command, so it stays word for word what it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscussionError {
    #[error("no inject \"{0}\"")]
    Unknown(String),
    #[error("inject \"{inject}\" has no discussion question \"{question}\"")]
    NoDiscussion { inject: String, question: String },
    #[error("{0} is not open (not asked of that addressee, not yet asked, or answered)")]
    NotAsked(String),
}

/// The copies asked and not yet answered, one per addressee, with their deadlines. Kept in
/// the inject book; the questions themselves are the injects' (`injects` below).
#[derive(Clone, Debug, Default)]
pub struct Discussions {
    pub open: BTreeMap<Asked, Minute>,
}

/// The question an addressee's copy asks.
pub fn question_of(injects: &[InjectPlan], asked: Asked) -> Option<&Discussion> {
    let plan = injects.get(asked.inject as usize)?;
    plan.spec.discussion.get(asked.question as usize)
}

/// How the journal and commands name an addressee's copy of a discussion question.
pub fn name_of(plan: &Plan, injects: &[InjectPlan], asked: Asked) -> String {
    let inject = &injects[asked.inject as usize];
    DecisionName::Discussion {
        inject: &inject.id,
        question: &inject.spec.discussion[asked.question as usize].id,
        addressee: &plan.actor(asked.addressee).id,
    }
    .to_string()
}

impl Discussions {
    /// An open copy, by its journaled name; `Err` says why it cannot be answered.
    pub fn find<'a>(
        &self,
        plan: &Plan,
        injects: &'a [InjectPlan],
        name: &str,
    ) -> Result<(Asked, &'a Discussion), DiscussionError> {
        let Some(DecisionName::Discussion {
            inject,
            question,
            addressee,
        }) = DecisionName::parse(name)
        else {
            return Err(DiscussionError::Unknown(name.to_owned()));
        };
        let at = injects
            .iter()
            .position(|p| &*p.id == inject)
            .ok_or_else(|| DiscussionError::Unknown(inject.to_owned()))?;
        let questions = &injects[at].spec.discussion;
        let position = questions
            .iter()
            .position(|q| q.id == question)
            .ok_or_else(|| DiscussionError::NoDiscussion {
                inject: inject.to_owned(),
                question: question.to_owned(),
            })?;
        let not_asked = || DiscussionError::NotAsked(name.to_owned());
        let addressee = *plan.by_id.get(addressee).ok_or_else(not_asked)?;
        let asked = Asked {
            inject: ix(at),
            question: ix(position),
            addressee,
        };
        if !self.open.contains_key(&asked) {
            return Err(not_asked());
        }
        Ok((asked, &questions[position]))
    }
}

/// Asks each of the inject's discussion questions of every addressee it reached: each copy
/// has its own deadline and is answered, or defaults, on its own.
pub(super) fn ask(
    reach: &mut Reach<'_>,
    (book, injects): (&mut Discussions, &[InjectPlan]),
    inject: u32,
    to: &[ActorIx],
) {
    let plan = reach.plan;
    let now = reach.now;
    for (q, question) in injects[inject as usize].spec.discussion.iter().enumerate() {
        let deadline = now.saturating_add(question.timeout.minutes);
        for &addressee in to {
            let asked = Asked {
                inject,
                question: ix(q),
                addressee,
            };
            if book.open.insert(asked, deadline).is_some() {
                continue;
            }
            reach.journal.record(
                now,
                Event::DecisionRaised {
                    decision: name_of(plan, injects, asked).into(),
                    to: vec![plan.actor_ref(addressee)],
                    prompt: question.prompt.as_str().into(),
                    options: question
                        .options
                        .iter()
                        .map(|o| o.id.as_str().into())
                        .collect(),
                    default: question.default.as_deref().unwrap_or_default().into(),
                    deadline,
                },
            );
            reach.agenda.push(
                deadline,
                Due::Discuss {
                    asked,
                    reply: None,
                    by: "default".into(),
                },
            );
        }
    }
}

/// One addressee's copy of a discussion question is answered, or its deadline passes: a
/// free-text answer is journaled word for word; a chosen option's effects happen now. An
/// answer that comes after the copy closed changes nothing.
pub(super) fn answer(
    reach: &mut Reach<'_>,
    holders: &mut ActorsMut<'_, '_, (&mut Knowledge, Option<&mut Desk>)>,
    (asked, reply, by): (Asked, Option<&Response>, &Name),
    (book, injects): (&mut Discussions, &[InjectPlan]),
) {
    let now = reach.now;
    let name: Name = name_of(reach.plan, injects, asked).into();
    if book.open.remove(&asked).is_none() {
        if let Some(reply) = reply {
            reach.journal.record(
                now,
                Event::CommandRefused {
                    command: match reply {
                        Response::Option(_) => "decide",
                        Response::Text(_) => "answer",
                    }
                    .into(),
                    reason: format!("{name} was already answered"),
                },
            );
        }
        return;
    }
    let Some(question) = question_of(injects, asked) else {
        return;
    };
    let chosen = match reply {
        Some(Response::Text(text)) => {
            reach.journal.record(
                now,
                Event::QuestionAnswered {
                    decision: name,
                    by: by.clone(),
                    text: text.clone(),
                },
            );
            return;
        }
        Some(Response::Option(option)) => option.as_ref(),
        None => match &question.default {
            Some(default) => default.as_str(),
            None => {
                reach
                    .journal
                    .record(now, Event::QuestionUnanswered { decision: name });
                return;
            }
        },
    };
    let Some(picked) = question.options.iter().find(|o| o.id == chosen) else {
        return;
    };
    reach.journal.record(
        now,
        Event::DecisionTaken {
            decision: name.clone(),
            option: chosen.into(),
            by: by.clone(),
        },
    );
    // Keyed by the addressee's copy and the answer: two addressees giving the same answer
    // draw apart, and neither draws like the inject itself.
    let key = format!("{name}#{}", picked.id);
    for effect in &picked.effects.clone() {
        apply_effect(reach, holders, &key, effect);
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Answer, Discussion, InjectEffect, Scenario};
    use crate::sim::Command;
    use crate::sim::journal::Event;
    use crate::sim::testkit::{
        self, CSIRT, ENTITY, call_at_one_hour, duration, minutes_of, of_kind, refusals,
    };

    /// "call" at T+1h to the CSIRT and the bank, with one discussion question.
    fn discussed(question: Discussion) -> Scenario {
        let mut s = call_at_one_hour();
        s.injects[0].to = vec![CSIRT.into(), ENTITY.into()];
        s.injects[0].discussion = vec![question];
        s
    }

    fn answer(decision: &str, text: &str) -> Command {
        Command::Answer {
            decision: decision.into(),
            text: text.into(),
            by: "facilitator".into(),
        }
    }

    fn decide(decision: &str, option: &str) -> Command {
        Command::Decide {
            decision: decision.into(),
            option: option.into(),
            by: "facilitator".into(),
        }
    }

    #[test]
    fn each_addressee_answers_a_free_text_question_for_itself() {
        let s = discussed(Discussion {
            id: "who".into(),
            prompt: "Who speaks to the press?".into(),
            options: Vec::new(),
            default: None,
            timeout: duration("1h"),
        });
        let csirt = format!("call:who@{CSIRT}");
        let commands = [
            (70, answer(&csirt, "Our spokesperson, after the minister")),
            (80, answer(&csirt, "a second answer")),
            (90, decide(&format!("call:who@{ENTITY}"), "yes")),
        ];
        let sim = testkit::play_with(&s, &commands);
        // One copy per addressee, each with its own deadline.
        let raised: Vec<String> = of_kind(&sim, "decision_raised")
            .iter()
            .filter_map(|e| match &e.event {
                Event::DecisionRaised { decision, to, .. } => {
                    Some(format!("{decision} to {}", to[0].id))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            raised,
            [
                format!("{csirt} to {CSIRT}"),
                format!("call:who@{ENTITY} to {ENTITY}")
            ]
        );
        // The words are kept with who gave them; the bank, which did not answer, is
        // journaled as unanswered at its deadline.
        let answered = of_kind(&sim, "question_answered");
        assert_eq!(answered.len(), 1);
        assert!(matches!(&answered[0].event,
            Event::QuestionAnswered { decision, by, text }
                if **decision == *csirt && &**by == "facilitator"
                    && &**text == "Our spokesperson, after the minister"));
        let unanswered = of_kind(&sim, "question_unanswered");
        assert_eq!(unanswered.len(), 1);
        assert_eq!(unanswered[0].t, 120);
        assert!(matches!(&unanswered[0].event,
            Event::QuestionUnanswered { decision } if **decision == *format!("call:who@{ENTITY}")));
        // A second answer, and an option for a question answered in words, are refused.
        let refused = refusals(&sim);
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused[0].contains("is not open"), "{}", refused[0]);
        assert!(refused[1].contains("own words"), "{}", refused[1]);
    }

    #[test]
    fn an_addressees_choice_acts_on_its_own_and_the_others_take_the_default() {
        let option = |id: &str, effects| Answer {
            id: id.into(),
            label: id.into(),
            effects,
        };
        let away = InjectEffect::StaffUnavailable {
            csirt: CSIRT.into(),
            analysts: 3,
            duration: duration("4h"),
        };
        let s = discussed(Discussion {
            id: "surge".into(),
            prompt: "Send analysts to the bank?".into(),
            options: vec![option("send", vec![away]), option("stay", Vec::new())],
            default: Some("stay".into()),
            timeout: duration("2h"),
        });
        let csirt = format!("call:surge@{CSIRT}");
        let commands = [
            (90, decide(&csirt, "send")),
            (95, answer(&format!("call:surge@{ENTITY}"), "in words")),
        ];
        let sim = testkit::play_with(&s, &commands);
        let taken: Vec<(i64, String, String)> = of_kind(&sim, "decision_taken")
            .iter()
            .filter_map(|e| match &e.event {
                Event::DecisionTaken {
                    decision,
                    option,
                    by,
                } => Some((e.t, format!("{decision}={option}"), by.to_string())),
                _ => None,
            })
            .collect();
        assert_eq!(
            taken,
            [
                (90, format!("{csirt}=send"), "facilitator".into()),
                (180, format!("call:surge@{ENTITY}=stay"), "default".into()),
            ]
        );
        // The CSIRT's answer acted at once; the bank's default changed nothing.
        assert_eq!(minutes_of(&sim, "staff_changed"), [90, 330]);
        let refused = refusals(&sim);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].contains("choosing an option"), "{}", refused[0]);
    }

    #[test]
    fn a_question_without_an_addressee_copy_is_refused_by_name() {
        let s = discussed(Discussion {
            id: "who".into(),
            prompt: "Who speaks?".into(),
            options: Vec::new(),
            default: None,
            timeout: duration("1h"),
        });
        let commands = [
            (70, answer("call:nobody@bank", "x")),
            (71, answer("call:who@nobody", "x")),
            (72, answer(&format!("call:who@{CSIRT}"), "   ")),
        ];
        let refused = refusals(&testkit::play_with(&s, &commands));
        assert_eq!(refused.len(), 3, "{refused:?}");
        assert!(
            refused[0].contains("no discussion question \"nobody\""),
            "{}",
            refused[0]
        );
        assert!(
            refused[1].contains("call:who@nobody is not open"),
            "{}",
            refused[1]
        );
        assert!(refused[2].contains("empty answer"), "{}", refused[2]);
    }
}
