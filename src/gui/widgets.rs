//! Widgets more than one panel draws: coloured chips, countdowns, a pending decision.

use egui::{Color32, RichText, Ui};

use crate::scenario::Minute;
pub use crate::scenario::time::countdown;
use crate::sim::Command;

use super::ask::Asks;
use super::feed::PendingDecision;
use super::seen::Seen;

/// A coloured tag, e.g. a crisis level.
pub fn chip_ui(ui: &mut Ui, text: impl Into<String>, fill: Color32) -> egui::Response {
    // One label with a background rather than a frame around a label: a wrapping row can
    // move a single widget of known size to the next line, while a frame overflowed the
    // row and grew its panel over the next one at 150% zoom.
    ui.add(
        egui::Label::new(
            RichText::new(text.into())
                .color(Color32::WHITE)
                .strong()
                .background_color(fill),
        )
        .extend(),
    )
}

/// An answer given while the clock was paused and not yet played: (option, who, minute).
pub fn queued_answer<'a>(seen: &'a Seen<'_>, decision: &str) -> Option<(&'a str, &'a str, Minute)> {
    seen.host
        .queued()
        .iter()
        .rev()
        .find_map(|stamped| match &stamped.command {
            Command::Decide {
                decision: d,
                option: answer,
                by,
            }
            | Command::Answer {
                decision: d,
                text: answer,
                by,
            } if d == decision => Some((answer.as_str(), by.as_str(), stamped.at)),
            _ => None,
        })
}

/// A pending decision with its countdown, the roles that own it, and buttons to answer
/// for an absent player (doing nothing lets the default apply at the deadline).
pub fn decision_ui(ui: &mut Ui, seen: &Seen<'_>, decision: &PendingDecision, asks: &mut Asks) {
    let now = seen.now();
    let plan = seen.plan();
    let owners: Vec<String> = plan
        .roles
        .iter()
        .filter(|r| r.owns(plan, &decision.decision))
        .map(|r| r.title.to_string())
        .collect();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(&decision.prompt).strong());
        ui.label(if owners.is_empty() {
            "No role answers it: answer for the organisation, or let the default apply".to_owned()
        } else {
            format!("Player: {}", owners.join(", "))
        });
        let (deadline, _) = seen.times(decision.deadline);
        let otherwise = if decision.options.is_empty() {
            "free text; closes unanswered".to_owned()
        } else {
            format!("takes \"{}\"", decision.default)
        };
        ui.label(
            RichText::new(format!(
                "{} · {} · {otherwise} at {deadline} ({})",
                decision.decision,
                decision.asked.join(", "),
                countdown(now, decision.deadline)
            ))
            .small(),
        );
        if let Some((option, by, at)) = queued_answer(seen, &decision.decision) {
            ui.label(format!(
                "Answered \"{option}\" by {by}: takes effect at {} when the clock moves on",
                seen.times(at).0
            ));
            return;
        }
        if decision.options.is_empty() {
            free_text_ui(ui, seen, decision, asks);
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label("Answer for the player:");
            for option in &decision.options {
                if ui
                    .add_enabled(seen.can_give(), egui::Button::new(option))
                    .on_hover_text(format!("Decide {} = {option}", decision.decision))
                    .on_disabled_hover_text(seen.why_not_give().unwrap_or_default())
                    .clicked()
                {
                    asks.give(Command::Decide {
                        decision: decision.decision.clone(),
                        option: option.clone(),
                        by: "facilitator".to_owned(),
                    });
                }
            }
        });
    });
}

/// A free-text discussion question answered for an absent player: what the room said, in
/// the facilitator's words. The draft lives in egui's memory until it is sent.
fn free_text_ui(ui: &mut Ui, seen: &Seen<'_>, decision: &PendingDecision, asks: &mut Asks) {
    let id = egui::Id::unique(("free-text answer", &decision.decision));
    let mut draft: String = ui.data_mut(|d| d.get_temp(id).unwrap_or_default());
    let label = ui.label("Answer for the player, in their words:");
    ui.add(
        egui::TextEdit::multiline(&mut draft)
            .hint_text("What the room answered")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    let send = ui
        .add_enabled(
            seen.can_give() && !draft.trim().is_empty(),
            egui::Button::new("Record the answer"),
        )
        .on_hover_text(format!("Answer {} for the player", decision.decision))
        .on_disabled_hover_text(
            seen.why_not_give()
                .unwrap_or("write the answer first")
                .to_owned(),
        )
        .clicked();
    if send {
        asks.give(Command::Answer {
            decision: decision.decision.clone(),
            text: draft.trim().to_owned(),
            by: "facilitator".to_owned(),
        });
        draft.clear();
    }
    ui.data_mut(|d| d.insert_temp(id, draft));
}
