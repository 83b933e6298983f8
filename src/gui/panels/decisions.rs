//! Every pending decision of the exercise in one list: who is asked, which player owns it,
//! how long until its default applies; the facilitator answers for an absent player here.

use egui::{ScrollArea, Ui};

use super::super::ask::Asks;
use super::super::seen::Seen;
use super::super::widgets::decision_ui;

pub fn decisions_ui(ui: &mut Ui, seen: &Seen<'_>, asks: &mut Asks) {
    let mut pending: Vec<_> = seen.feed.pending.values().collect();
    pending.sort_by_key(|d| (d.deadline, d.decision.clone()));
    if pending.is_empty() {
        ui.weak(
            "No decision is waiting. Decisions appear here when a procedure or an inject asks one.",
        );
        return;
    }
    ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        for decision in pending {
            decision_ui(ui, seen, decision, asks);
        }
    });
}
