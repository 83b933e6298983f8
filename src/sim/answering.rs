//! Commands that answer what the players were asked: an option for a procedure's decision
//! point, an inject's question or a copy of a discussion question; the players' own words
//! for a free-text discussion question; an evaluator's rating of an answer. Each is checked
//! (who may answer, what is open, which options there are) and queued for its minute, or
//! refused with the reason the journal keeps.

use super::command::Rating;
use super::ctx::Ctx;
use super::injects::InjectBook;
use super::journal::Event;
use super::plan::{DecisionName, Name, Plan};
use super::state::{Due, Response};
use crate::scenario::Answer;

/// `by` picks `option` for `decision`, named as journaled.
pub(super) fn decide(
    ctx: &mut Ctx<'_>,
    book: &InjectBook,
    (decision, option, by): (&str, &str, &str),
) -> Result<(), String> {
    let (plan, now) = (ctx.plan, ctx.now);
    answerer(plan, decision, by)?;
    let by: Name = by.into();
    let due = match DecisionName::parse(decision) {
        // An inject whose own id looks like a discussion name is that inject.
        Some(DecisionName::Discussion { .. }) if book.index_of(decision).is_none() => {
            let (asked, question) = book.discussion(plan, decision).map_err(|e| e.to_string())?;
            if question.is_free_text() {
                return Err(format!(
                    "{decision} is answered in the players' own words (an answer), not with an option"
                ));
            }
            pick(option, &question.options)?;
            Due::Discuss {
                asked,
                reply: Some(Response::Option(option.into())),
                by,
            }
        }
        Some(DecisionName::Question(_) | DecisionName::Discussion { .. }) => {
            let (inject, question) = book.question(decision).map_err(|e| e.to_string())?;
            pick(option, &question.options)?;
            Due::Answer {
                inject,
                option: Some(option.into()),
                by,
            }
        }
        Some(DecisionName::Step {
            csirt,
            sop,
            run: Some(run @ 1..),
            step,
        }) if plan.by_id.contains_key(csirt) => Due::Decide {
            csirt: plan.by_id[csirt],
            run: run - 1,
            sop: Some(sop.into()),
            step: step.into(),
            option: Some(option.into()),
            by,
        },
        _ => {
            return Err(format!(
                "\"{decision}\" is not a decision point; expected e.g. \"fin-csirt/fin-intake#1/escalate\" or an inject's id"
            ));
        }
    };
    ctx.agenda.push(now, due);
    Ok(())
}

/// `by` answers the free-text discussion question `decision` with `text`.
pub(super) fn answer_in_words(
    ctx: &mut Ctx<'_>,
    book: &InjectBook,
    (decision, text, by): (&str, &str, &str),
) -> Result<(), String> {
    answerer(ctx.plan, decision, by)?;
    if text.trim().is_empty() {
        return Err(format!(
            "an empty answer to {decision}; expected the players' words"
        ));
    }
    let (asked, question) = book
        .discussion(ctx.plan, decision)
        .map_err(|e| e.to_string())?;
    if !question.is_free_text() {
        return Err(format!(
            "{decision} is answered by choosing an option (decide), one of: {}",
            ids(&question.options)
        ));
    }
    ctx.agenda.push(
        ctx.now,
        Due::Discuss {
            asked,
            reply: Some(Response::Text(text.into())),
            by: by.into(),
        },
    );
    Ok(())
}

/// An evaluator rates how the players handled `decision`: any decision they were asked,
/// answered, defaulted or left unanswered.
pub(super) fn rate_answer(
    ctx: &mut Ctx<'_>,
    decision: &str,
    rating: Rating,
    (evaluator, comment): (&str, &str),
) -> Result<(), String> {
    let raised =
        ctx.journal.entries().iter().any(
            |e| matches!(&e.event, Event::DecisionRaised { decision: d, .. } if **d == *decision),
        );
    if !raised {
        return Err(format!(
            "no decision \"{decision}\" was asked so far; nothing to rate"
        ));
    }
    ctx.journal.record(
        ctx.now,
        Event::AnswerRated {
            decision: decision.into(),
            rating,
            evaluator: evaluator.into(),
            comment: comment.into(),
        },
    );
    Ok(())
}

/// `option` is one of `options`, or why not (listing those it could be).
fn pick(option: &str, options: &[Answer]) -> Result<(), String> {
    if options.iter().any(|o| o.id == option) {
        Ok(())
    } else {
        Err(format!("no option \"{option}\"; known: {}", ids(options)))
    }
}

fn ids(options: &[Answer]) -> String {
    options
        .iter()
        .map(|o| o.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who may answer a decision: the facilitator (for an absent player), or a role that owns it.
/// "default" is the engine's own answer at the timeout, never a command's.
fn answerer(plan: &Plan, decision: &str, by: &str) -> Result<(), String> {
    if by == "facilitator" {
        return Ok(());
    }
    match plan.role(by) {
        Some(role) if role.owns(plan, decision) => Ok(()),
        Some(role) => Err(format!(
            "the role \"{}\" does not answer decision {decision}",
            role.id
        )),
        None => Err(format!(
            "\"{by}\" is neither a role nor \"facilitator\"; known roles: {}",
            if plan.roles.is_empty() {
                "none".to_owned()
            } else {
                plan.roles
                    .iter()
                    .map(|r| format!("\"{}\"", r.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
    }
}
