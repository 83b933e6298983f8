//! Objectives met, missed or pending (HSEEP evaluation), with the moment each was decided.

use egui::{RichText, ScrollArea, Ui};

use super::super::feed::ObjectiveState;
use super::super::look;
use super::super::seen::Seen;

pub fn objectives_ui(ui: &mut Ui, seen: &Seen<'_>) {
    ScrollArea::vertical()
        .id_salt("objectives")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // One wrapped row per objective rather than a grid: a grid's columns are as
            // wide as their longest cell, and on a zoomed console the verdicts (with their
            // times) ran past the panel's edge.
            let finished = seen.sim().is_finished();
            let outcomes = seen.sim().objectives();
            for (k, objective) in seen.scenario().objectives.iter().enumerate() {
                let state = seen
                    .feed
                    .objectives
                    .get(&objective.id)
                    .cloned()
                    .unwrap_or(ObjectiveState::Pending);
                let (text, color) = match &state {
                    ObjectiveState::Pending => {
                        let standing = outcomes
                            .iter()
                            .find(|o| *o.id == *objective.id)
                            .map(|o| o.standing(finished));
                        let word = standing.as_ref().map_or("pending", |s| s.word);
                        let text = match standing.and_then(|s| s.reason) {
                            Some(reason) => format!("{word}: {reason}"),
                            None => word.to_owned(),
                        };
                        (text, look::PENDING)
                    }
                    ObjectiveState::Met { at } => {
                        let (offset, wall) = seen.times(*at);
                        (format!("met {offset} ({wall})"), look::MET)
                    }
                    ObjectiveState::Missed { at, reason } => {
                        let (offset, wall) = seen.times(*at);
                        (format!("missed {offset} ({wall}): {reason}"), look::MISSED)
                    }
                };
                if k > 0 {
                    ui.separator();
                }
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&objective.id).monospace());
                    ui.label(&objective.title);
                    ui.colored_label(color, text);
                });
            }
        });
}
