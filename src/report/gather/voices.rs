//! What people said: facilitator observations, evaluator ratings, hot-wash answers.

#[allow(
    clippy::wildcard_imports,
    reason = "the door's imports are this room's vocabulary"
)]
use super::*;

pub(super) fn observations(plan: &Plan, journal: &[Entry]) -> Observations {
    let rows: Vec<Note> = journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Observation { author, text } => Some(Note {
                when: when(plan, e.t),
                author: author.to_string(),
                text: text.to_string(),
            }),
            _ => None,
        })
        .collect();
    let role_title = |role: &str| {
        plan.roles
            .iter()
            .find(|r| *r.id == *role)
            .map_or_else(|| role.to_owned(), |r| r.title.to_string())
    };
    let messages = journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::MessageToControl { role, text } => Some(ControlMessage {
                when: when(plan, e.t),
                from: role_title(role),
                to: "exercise control".to_owned(),
                text: text.to_string(),
            }),
            Event::MessageFromControl { role, by, text } => Some(ControlMessage {
                when: when(plan, e.t),
                from: format!("exercise control ({by})"),
                to: role_title(role),
                text: text.to_string(),
            }),
            _ => None,
        })
        .collect();
    Observations {
        messages,
        empty: rows.is_empty().then(|| {
            "No observation was written during the session (the facilitator's `Observe` command)."
                .to_owned()
        }),
        rows,
    }
}

/// "performed with some challenges", without the "(S)" the letter beside it gives.
fn spelled(rating: crate::sim::Rating) -> &'static str {
    rating
        .label()
        .split(" (")
        .next()
        .unwrap_or_else(|| rating.label())
}

/// Evaluators' ratings of objectives and of answers (a decision or discussion question,
/// quoted by its prompt), in the order they were given.
pub(super) fn ratings(plan: &Plan, journal: &[Entry]) -> Ratings {
    let mut prompts: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    let rows: Vec<RatingRow> = journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::DecisionRaised {
                decision, prompt, ..
            } => {
                prompts.insert(decision, prompt);
                None
            }
            Event::AnswerRated {
                decision,
                rating,
                evaluator,
                comment,
            } => Some(RatingRow {
                when: when(plan, e.t),
                objective: decision.to_string(),
                title: prompts
                    .get(&**decision)
                    .map_or_else(String::new, |p| format!("answer to “{p}”")),
                letter: rating.letter(),
                label: spelled(*rating),
                evaluator: evaluator.to_string(),
                comment: comment.to_string(),
            }),
            Event::Rated {
                objective,
                rating,
                evaluator,
                comment,
            } => Some(RatingRow {
                when: when(plan, e.t),
                objective: objective.id.to_string(),
                title: plan
                    .objectives
                    .get(objective.ix as usize)
                    .map_or_else(String::new, |o| o.title.to_string()),
                letter: rating.letter(),
                label: spelled(*rating),
                evaluator: evaluator.to_string(),
                comment: comment.to_string(),
            }),
            _ => None,
        })
        .collect();
    Ratings {
        empty: rows.is_empty().then(|| {
            "No evaluator rated an objective or an answer during the session (HSEEP P/S/M/U ratings, given on exercise control's page or as commands)."
                .to_owned()
        }),
        rows,
    }
}

/// The hot wash; in a signed session, answers after the last signature (`signed` of
/// them are before it) are marked unsigned: anyone could have added them.
pub(super) fn hotwash(session: &LoadedSession, signed: Option<usize>) -> Hotwash {
    let mut questions: Vec<Question> = Vec::new();
    for (index, a) in session.hotwash.iter().enumerate() {
        let answer = Answer {
            participant: a.participant.clone(),
            role: a.role.clone(),
            answer: a.answer.clone(),
            unsigned: signed.is_some_and(|n| index >= n),
        };
        match questions.iter_mut().find(|q| q.question == a.question) {
            Some(q) => q.answers.push(answer),
            None => questions.push(Question {
                question: a.question.clone(),
                answers: vec![answer],
            }),
        }
    }
    Hotwash {
        questions,
        answers: session.hotwash.len(),
        empty: session.hotwash.is_empty().then(|| {
            "No hot-wash feedback was added to this session (`tabletop feedback SESSION --file ANSWERS`)."
                .to_owned()
        }),
    }
}
