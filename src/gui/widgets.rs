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
                option,
                by,
            } if d == decision => Some((option.as_str(), by.as_str(), stamped.at)),
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
        ui.label(
            RichText::new(format!(
                "{} · {} · takes \"{}\" at {deadline} ({})",
                decision.decision,
                decision.asked.join(", "),
                decision.default,
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
