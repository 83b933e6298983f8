//! The answers exercise control reads and rates: every decision the players were asked (an
//! inject's question, a copy of a discussion question, a procedure's decision point) with
//! what was answered, by whom. Read from the journal like the white cell's thread, and
//! incrementally, so a long exercise costs each publish only what was written since.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::scenario::time::format_offset;
use crate::sim::journal::{Entry, Event};
use crate::sim::plan::Plan;

/// The newest answers a control page lists (a national exercise raises thousands of
/// procedure decisions; the page is for the ones the room is discussing now).
const SHOWN: usize = 200;

/// One decision as control sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnswerCard {
    /// As journaled and as `RateAnswer` names it.
    pub decision: String,
    pub prompt: String,
    /// Whom it was asked of.
    pub asked: String,
    pub raised: String,
    /// The option chosen, the players' words in quotes, or "(no answer)"; `None` while open.
    pub answer: Option<String>,
    /// The role, "facilitator", or "default".
    pub by: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Answers {
    scanned: usize,
    cards: Vec<AnswerCard>,
    /// Open decisions by name → their card (the earliest open one of that name).
    open: BTreeMap<String, usize>,
}

impl Answers {
    /// Reads the journal's entries added since the last call.
    pub fn update(&mut self, plan: &Plan, journal: &[Entry]) {
        if self.scanned > journal.len() {
            *self = Self::default();
        }
        for entry in &journal[self.scanned..] {
            let (decision, answer, by) = match &entry.event {
                Event::DecisionRaised {
                    decision,
                    to,
                    prompt,
                    ..
                } => {
                    self.open
                        .entry(decision.to_string())
                        .or_insert(self.cards.len());
                    self.cards.push(AnswerCard {
                        decision: decision.to_string(),
                        prompt: prompt.to_string(),
                        asked: to
                            .iter()
                            .map(|a| plan.actor(a.ix).name.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        raised: format_offset(entry.t),
                        answer: None,
                        by: None,
                    });
                    continue;
                }
                Event::DecisionTaken {
                    decision,
                    option,
                    by,
                } => (decision, option.to_string(), by.to_string()),
                Event::QuestionAnswered { decision, by, text } => {
                    (decision, format!("“{text}”"), by.to_string())
                }
                Event::QuestionUnanswered { decision } => {
                    (decision, "(no answer)".to_owned(), "nobody".to_owned())
                }
                _ => continue,
            };
            if let Some(card) = self
                .open
                .remove(&**decision)
                .and_then(|ix| self.cards.get_mut(ix))
            {
                card.answer = Some(answer);
                card.by = Some(by);
            }
        }
        self.scanned = journal.len();
    }

    /// The newest first, at most [`SHOWN`].
    pub fn newest(&self) -> Vec<AnswerCard> {
        self.cards.iter().rev().take(SHOWN).cloned().collect()
    }
}
