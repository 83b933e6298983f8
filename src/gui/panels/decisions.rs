//! Every pending decision of the exercise in one list: who is asked, which player owns it,
//! how long until its default applies; the facilitator answers for an absent player here.

use egui::{ScrollArea, Ui};

use super::super::app::Exercise;
use super::inspector::decision_ui;

pub fn decisions_ui(ui: &mut Ui, exercise: &mut Exercise) {
    let mut pending: Vec<_> = exercise.feed.pending.values().cloned().collect();
    pending.sort_by_key(|d| (d.deadline, d.decision.clone()));
    if pending.is_empty() {
        ui.weak(
            "No decision is waiting. Decisions appear here when a procedure or an inject asks one.",
        );
        return;
    }
    let mut actions = Vec::new();
    ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        for decision in &pending {
            decision_ui(ui, exercise, decision, &mut actions);
        }
    });
    exercise.actions.extend(actions);
}
