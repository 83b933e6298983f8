//! The journal as a filterable log: by actor, by kind, by text. Only the visible rows are
//! formatted; a filter scans the journal a slice per frame, so even a journal of a
//! million events never stalls a frame.

use std::time::Duration as WallDuration;

use egui::{ComboBox, RichText, ScrollArea, TextEdit, TextStyle, Ui};

use crate::sim::narrate::describe;
use crate::sim::{Entry, Plan};

use super::super::ask::Asks;
use super::super::feed::{details, mentions};
use super::super::seen::Seen;
use super::super::wall::wall_now;
use super::who_knew::WhoKnew;

/// The tabs of the bottom panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BottomTab {
    Log,
    Timeline,
    Objectives,
    Decisions,
    /// Review mode: actors × indicators at the slider's minute.
    WhoKnew,
}

/// The log's filters and the matches found so far.
#[derive(Clone, Debug, Default)]
pub struct LogState {
    pub actor: String,
    pub kind: Option<&'static str>,
    pub text: String,
    /// The filters the matches were computed for.
    pub applied: (String, Option<&'static str>, String),
    /// Journal indices matching, in order, and how far the journal has been scanned.
    pub matches: Vec<u32>,
    pub scanned: usize,
}

impl LogState {
    pub fn is_filtered(&self) -> bool {
        !self.actor.trim().is_empty() || self.kind.is_some() || !self.text.trim().is_empty()
    }

    /// The journal was replaced (a review moved back): scan it again from the start.
    pub fn restart(&mut self) {
        self.matches.clear();
        self.scanned = 0;
    }
}

/// The bottom panel's own state: its tab and the log's filters.
#[derive(Clone, Debug)]
pub struct Bottom {
    pub tab: BottomTab,
    pub log: LogState,
}

impl Bottom {
    pub fn new(review: bool) -> Self {
        Self {
            tab: if review {
                BottomTab::WhoKnew
            } else {
                BottomTab::Log
            },
            log: LogState::default(),
        }
    }
}

/// Wall time a filter may spend scanning per frame.
const SCAN_BUDGET: WallDuration = WallDuration::from_millis(3);

/// Advances the filtered view of the journal; restarts when the filters change.
pub fn scan(plan: &Plan, journal: &[Entry], log: &mut LogState) {
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
                || details(entry).to_lowercase().contains(text.as_str())
                || describe(plan, entry).to_lowercase().contains(text.as_str()));
        if keep {
            log.matches.push(crate::sim::plan::ix(log.scanned));
        }
        log.scanned += 1;
        if log.scanned.is_multiple_of(256) && started.elapsed() >= SCAN_BUDGET {
            break;
        }
    }
}

fn log_ui(ui: &mut Ui, log: &mut LogState, seen: &Seen<'_>) {
    let selected = seen.selected_id().map(str::to_owned);
    // Wraps on a narrow panel (a zoomed console) instead of widening it: a row wider than
    // the panel would push the rows below, and the timeline, past its edge.
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Actor");
        ui.add(
            TextEdit::singleline(&mut log.actor)
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
            log.actor = selected;
        }
        let kinds: Vec<&'static str> = seen.feed.kinds.keys().copied().collect();
        ComboBox::new("log-kind", "Kind")
            .selected_text(log.kind.unwrap_or("any"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut log.kind, None, "any");
                for kind in kinds {
                    ui.selectable_value(&mut log.kind, Some(kind), kind);
                }
            });
        let label = ui.label("Text");
        ui.add(
            TextEdit::singleline(&mut log.text)
                .hint_text("contains")
                .desired_width(140.0),
        )
        .labelled_by(label.id);
        if log.is_filtered() && ui.small_button("clear").clicked() {
            log.actor.clear();
            log.kind = None;
            log.text.clear();
        }
        let total = seen.sim().journal().len();
        if log.is_filtered() {
            let scanning = if log.scanned < total {
                " (scanning…)"
            } else {
                ""
            };
            ui.weak(format!("{} of {total} events{scanning}", log.matches.len()));
        } else {
            ui.weak(crate::words::count(total, "event"));
        }
    });
    let journal = seen.sim().journal();
    let filtered = log.is_filtered();
    let rows = if filtered {
        log.matches.len()
    } else {
        journal.len()
    };
    let row_height = ui.text_style_height(&TextStyle::Monospace);
    let start = seen.sim().plan().start;
    ScrollArea::vertical()
        .id_salt("log")
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show_rows(ui, row_height, rows, |ui, range| {
            for row in range {
                let index = if filtered {
                    log.matches.get(row).map_or(usize::MAX, |i| *i as usize)
                } else {
                    row
                };
                let Some(entry) = journal.get(index) else {
                    continue;
                };
                // The same line the report's timeline shows; the raw fields on hover.
                let text = describe(seen.plan(), entry);
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{:>12} {:<9}",
                            crate::scenario::time::format_offset(entry.t),
                            start.plus(entry.t).short()
                        ))
                        .monospace(),
                    );
                    // The kind and the raw fields go to the hover: a long kind name
                    // ("infrastructure_rotated") in a row that cannot wrap pushed the whole
                    // panel over the inspector at 150%. The narration says what happened.
                    // The raw fields are encoded only when hovered, not for every visible row
                    // in every frame.
                    ui.add(egui::Label::new(RichText::new(&text)).truncate())
                        .on_hover_ui(|ui| {
                            ui.label(format!("{text}\n\n{}: {}", entry.kind(), details(entry)));
                        });
                });
            }
        });
}

/// The bottom panel's tabs: the log, the timeline, the objectives.
pub fn bottom_ui(
    ui: &mut Ui,
    bottom: &mut Bottom,
    who_knew: &mut WhoKnew,
    seen: &Seen<'_>,
    asks: &mut Asks,
) {
    ui.horizontal_wrapped(|ui| {
        let review = seen.is_review();
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
                BottomTab::Decisions if !seen.feed.pending.is_empty() => {
                    format!("Decisions ({})", seen.feed.pending.len())
                }
                _ => label.to_owned(),
            };
            if ui.selectable_label(bottom.tab == tab, label).clicked() {
                bottom.tab = tab;
            }
        }
        let met = seen
            .feed
            .objectives
            .values()
            .filter(|o| matches!(o, super::super::feed::ObjectiveState::Met { .. }))
            .count();
        let missed = seen
            .feed
            .objectives
            .values()
            .filter(|o| matches!(o, super::super::feed::ObjectiveState::Missed { .. }))
            .count();
        let total = seen.feed.objectives.len();
        ui.weak(format!(
            "objectives: {met} met, {missed} missed, {} pending",
            total - met - missed
        ));
    });
    match bottom.tab {
        BottomTab::Log => log_ui(ui, &mut bottom.log, seen),
        BottomTab::Timeline => super::timeline::timeline_ui(ui, seen),
        BottomTab::Objectives => super::objectives::objectives_ui(ui, seen),
        BottomTab::Decisions => super::decisions::decisions_ui(ui, seen, asks),
        BottomTab::WhoKnew => super::who_knew::who_knew_ui(ui, who_knew, seen, asks),
    }
}
