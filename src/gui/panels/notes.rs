//! Observations in two keystrokes: Ctrl+N focuses the note box, Enter gives the note as a
//! `Command::Observe` at the current time (recorded in the session and the journal).

use egui::{Id, Key, RichText, TextEdit, Ui};

use crate::sim::Command;

use super::super::ask::Asks;
use super::super::seen::Seen;

/// Who observations are signed by.
pub const AUTHOR: &str = "facilitator";

/// The note box's id, so Ctrl+N can focus it from anywhere.
pub fn note_id() -> Id {
    Id::unique("observation-note")
}

/// `note` is the text being typed: the panel's own state.
pub fn notes_ui(ui: &mut Ui, note: &mut String, seen: &Seen<'_>, asks: &mut Asks) {
    ui.horizontal(|ui| {
        if !seen.can_give() {
            ui.disable();
        }
        let label = ui.label(RichText::new("Note").strong());
        // Right to left for the rest: the button takes its own width first and the field
        // the remainder, so the row never grows its panel over the inspector at any zoom.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let add = ui.button("Add note");
            let response = ui
                .add(
                    TextEdit::singleline(note)
                        .id(note_id())
                        .hint_text("Ctrl+N, type, Enter: an observation at the current time")
                        .desired_width(ui.available_width().max(60.0)),
                )
                .labelled_by(label.id);
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (add.clicked() || enter) && !note.trim().is_empty() {
                asks.give(Command::Observe {
                    author: AUTHOR.to_owned(),
                    text: note.trim().to_owned(),
                });
                note.clear();
            }
        });
    });
}
