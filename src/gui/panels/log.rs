//! The journal as a filterable log: by actor, by kind, by text. Only the visible rows are
//! formatted; a filter scans the journal a slice per frame, so even a journal of a
//! million events never stalls a frame.

use std::time::Duration as WallDuration;

use egui::{ComboBox, RichText, ScrollArea, TextEdit, TextStyle, Ui};

use crate::sim::Entry;

use super::super::app::{BottomTab, Exercise, LogState, wall_now};
use super::super::feed::{details, mentions};

/// Wall time a filter may spend scanning per frame.
const SCAN_BUDGET: WallDuration = WallDuration::from_millis(3);

/// Advances the filtered view of the journal; restarts when the filters change.
pub fn scan(journal: &[Entry], log: &mut LogState) {
    let wanted = (
        log.actor.trim().to_owned(),
        log.kind,
        log.text.trim().to_lowercase(),
    );
    if log.applied != wanted {
        log.applied = wanted;
        log.matches.clear();
        log.scanned = 0;
    }
    if !log.is_filtered() {
        return;
    }
    let started = wall_now();
    let (actor, kind, text) = &log.applied;
    while log.scanned < journal.len() {
        let entry = &journal[log.scanned];
        let keep = kind.is_none_or(|k| entry.kind() == k)
            && (actor.is_empty() || mentions(entry, actor))
            && (text.is_empty()
                || entry.kind().contains(text.as_str())
                || details(entry).to_lowercase().contains(text.as_str()));
        if keep {
            log.matches
                .push(u32::try_from(log.scanned).unwrap_or(u32::MAX));
        }
        log.scanned += 1;
        if log.scanned.is_multiple_of(256) && started.elapsed() >= SCAN_BUDGET {
            break;
        }
    }
}

fn log_ui(ui: &mut Ui, exercise: &mut Exercise) {
    let selected = exercise
        .selected
        .and_then(|ix| exercise.nodes.get(ix as usize))
        .map(|n| n.id.clone());
    ui.horizontal(|ui| {
        let label = ui.label("Actor");
        ui.add(
            TextEdit::singleline(&mut exercise.log.actor)
                .hint_text("actor id")
                .desired_width(120.0),
        )
        .labelled_by(label.id);
        if let Some(selected) = selected
            && ui
                .small_button("from map")
                .on_hover_text("filter by the actor selected on the map")
                .clicked()
        {
            exercise.log.actor = selected;
        }
        let kinds: Vec<&'static str> = exercise.feed.kinds.keys().copied().collect();
        ComboBox::new("log-kind", "Kind")
            .selected_text(exercise.log.kind.unwrap_or("any"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut exercise.log.kind, None, "any");
                for kind in kinds {
                    ui.selectable_value(&mut exercise.log.kind, Some(kind), kind);
                }
            });
        let label = ui.label("Text");
        ui.add(
            TextEdit::singleline(&mut exercise.log.text)
                .hint_text("contains")
                .desired_width(140.0),
        )
        .labelled_by(label.id);
        if exercise.log.is_filtered() && ui.small_button("clear").clicked() {
            exercise.log.actor.clear();
            exercise.log.kind = None;
            exercise.log.text.clear();
        }
        let total = exercise.sim().journal().len();
        if exercise.log.is_filtered() {
            let scanning = if exercise.log.scanned < total {
                " (scanning…)"
            } else {
                ""
            };
            ui.weak(format!(
                "{} of {total} events{scanning}",
                exercise.log.matches.len()
            ));
        } else {
            ui.weak(format!("{total} events"));
        }
    });
    let journal = exercise.sim().journal();
    let filtered = exercise.log.is_filtered();
    let rows = if filtered {
        exercise.log.matches.len()
    } else {
        journal.len()
    };
    let row_height = ui.text_style_height(&TextStyle::Monospace);
    let start = exercise.sim().plan().start;
    ScrollArea::vertical()
        .id_salt("log")
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show_rows(ui, row_height, rows, |ui, range| {
            for row in range {
                let index = if filtered {
                    exercise
                        .log
                        .matches
                        .get(row)
                        .map_or(usize::MAX, |i| *i as usize)
                } else {
                    row
                };
                let Some(entry) = journal.get(index) else {
                    continue;
                };
                let text = details(entry);
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{:>12} {:<9}",
                            crate::scenario::time::format_offset(entry.t),
                            start.plus(entry.t).short()
                        ))
                        .monospace(),
                    );
                    ui.label(RichText::new(entry.kind()).monospace().strong());
                    // A truncated label shows its whole text on hover.
                    ui.add(egui::Label::new(RichText::new(&text).monospace()).truncate());
                });
            }
        });
}

/// The bottom panel's tabs: the log, the timeline, the objectives.
pub fn bottom_ui(ui: &mut Ui, exercise: &mut Exercise) {
    ui.horizontal(|ui| {
        let review = exercise.is_review();
        for (tab, label) in [
            (BottomTab::Log, "Log"),
            (BottomTab::Timeline, "Timeline"),
            (BottomTab::Objectives, "Objectives"),
            (BottomTab::Decisions, "Decisions"),
            (BottomTab::WhoKnew, "Who knew what"),
        ] {
            if tab == BottomTab::WhoKnew && !review {
                continue;
            }
            let label = match tab {
                BottomTab::Decisions if !exercise.feed.pending.is_empty() => {
                    format!("Decisions ({})", exercise.feed.pending.len())
                }
                _ => label.to_owned(),
            };
            if ui.selectable_label(exercise.tab == tab, label).clicked() {
                exercise.tab = tab;
            }
        }
        let met = exercise
            .feed
            .objectives
            .values()
            .filter(|o| matches!(o, super::super::feed::ObjectiveState::Met { .. }))
            .count();
        let missed = exercise
            .feed
            .objectives
            .values()
            .filter(|o| matches!(o, super::super::feed::ObjectiveState::Missed { .. }))
            .count();
        let total = exercise.feed.objectives.len();
        ui.weak(format!(
            "objectives: {met} met, {missed} missed, {} pending",
            total - met - missed
        ));
    });
    match exercise.tab {
        BottomTab::Log => log_ui(ui, exercise),
        BottomTab::Timeline => super::timeline::timeline_ui(ui, exercise),
        BottomTab::Objectives => super::objectives::objectives_ui(ui, exercise),
        BottomTab::Decisions => super::decisions::decisions_ui(ui, exercise),
        BottomTab::WhoKnew => super::who_knew::who_knew_ui(ui, exercise),
    }
}
