//! Who knew what (review mode): actors (rows) × indicators (columns) at the time slider's
//! minute; each cell says when the actor learned the indicator and from whom, in its TLP
//! colour, and stays empty while the actor does not know it. Clicking an actor selects it
//! in the inspector.
//!
//! The grid is built from [`Simulation::actor_view`] once per slider minute, and kept
//! sparse (only what is known); only the visible rows and one page of columns are drawn,
//! so a 10,000-organisation session stays usable.

use std::collections::BTreeMap;

use egui::{Align, Color32, Layout, RichText, ScrollArea, TextStyle, Ui};

use crate::scenario::{Minute, Tlp, time::format_offset};
use crate::sim::Simulation;

use super::super::actors::Node;
use super::super::ask::{Ask, Asks};
use super::super::look::tlp_color;
use super::super::seen::Seen;

/// Indicator columns drawn at once; the others are a page away.
pub const COLUMNS_PER_PAGE: usize = 8;
const ACTOR_WIDTH: f32 = 190.0;
const CELL_WIDTH: f32 = 150.0;

/// What one actor knew of one indicator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownCell {
    /// When it learned it.
    pub at: Minute,
    /// From whom; `None` for its own detection.
    pub from: Option<String>,
    pub tlp: Tlp,
}

impl KnownCell {
    /// "T+2h 05m · fin-csirt", as the cell shows it.
    pub fn text(&self) -> String {
        format!(
            "{} · {}",
            format_offset(self.at),
            self.from.as_deref().unwrap_or("own")
        )
    }
}

/// One actor's row: the indicators it knows, by column, ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhoKnewRow {
    /// The actor's index (as in [`Exercise::nodes`]).
    pub actor: u32,
    pub known: Vec<(u32, KnownCell)>,
}

/// The grid at one minute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhoKnew {
    /// The minute the grid was built for; `None` before the first build.
    pub at: Option<Minute>,
    /// Columns: indicator id and value, in scenario order.
    pub indicators: Vec<(String, String)>,
    /// One row per actor, in the map's order.
    pub rows: Vec<WhoKnewRow>,
    /// Show only the actors that know at least one indicator. Defaults to on.
    pub knowing_only: bool,
    /// The first indicator column shown.
    pub first_column: usize,
}

impl Default for WhoKnew {
    fn default() -> Self {
        Self {
            at: None,
            indicators: Vec::new(),
            rows: Vec::new(),
            knowing_only: true,
            first_column: 0,
        }
    }
}

impl WhoKnew {
    /// Rebuilds the grid from what every actor of `sim` knows, standing at minute `at`.
    pub fn build(&mut self, sim: &Simulation, at: Minute, nodes: &[Node]) {
        self.indicators = sim
            .plan()
            .indicators
            .iter()
            .map(|i| (i.id.to_string(), i.value.to_string()))
            .collect();
        let column: BTreeMap<&str, u32> = self
            .indicators
            .iter()
            .enumerate()
            .map(|(c, (id, _))| (id.as_str(), crate::sim::plan::ix(c)))
            .collect();
        self.rows = nodes
            .iter()
            .enumerate()
            .map(|(ix, node)| {
                let mut known: Vec<(u32, KnownCell)> = sim
                    .actor_view(&node.id)
                    .map(|view| {
                        view.indicators
                            .iter()
                            .filter_map(|i| {
                                let c = *column.get(&*i.id)?;
                                Some((
                                    c,
                                    KnownCell {
                                        at: i.at,
                                        from: i.from.as_ref().map(ToString::to_string),
                                        tlp: i.tlp,
                                    },
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                known.sort_by_key(|(c, _)| *c);
                WhoKnewRow {
                    actor: crate::sim::plan::ix(ix),
                    known,
                }
            })
            .collect();
        self.first_column = self
            .first_column
            .min(self.indicators.len().saturating_sub(1));
        self.at = Some(at);
    }

    /// What `actor` (by index) knew of `indicator` (by id), if anything.
    pub fn cell(&self, actor: u32, indicator: &str) -> Option<&KnownCell> {
        let column = self.indicators.iter().position(|(id, _)| id == indicator)?;
        let column = u32::try_from(column).ok()?;
        let row = self.rows.get(actor as usize)?;
        let i = row.known.binary_search_by_key(&column, |(c, _)| *c).ok()?;
        Some(&row.known[i].1)
    }
}

/// Draws `add` in a box of a fixed width, so the grid's columns line up.
fn fixed_ui(ui: &mut Ui, width: f32, height: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_width(width);
            add(ui);
        },
    );
}

pub fn who_knew_ui(ui: &mut Ui, who_knew: &mut WhoKnew, seen: &Seen<'_>, asks: &mut Asks) {
    let Some(at) = who_knew.at else {
        ui.label("Who knew what is shown when reviewing a recorded session.");
        return;
    };
    let grid = &who_knew;
    let total_columns = grid.indicators.len();
    let first = grid.first_column.min(total_columns.saturating_sub(1));
    let last = (first + COLUMNS_PER_PAGE).min(total_columns);
    let shown: Vec<usize> = grid
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !grid.knowing_only || !r.known.is_empty())
        .map(|(i, _)| i)
        .collect();
    let knowing = grid.rows.iter().filter(|r| !r.known.is_empty()).count();
    let (offset, wall) = seen.times(at);
    let mut knowing_only = grid.knowing_only;
    let mut first_column = first;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "At {offset} ({wall}): {knowing} of {} actors know at least one indicator.",
            grid.rows.len()
        ));
        ui.checkbox(&mut knowing_only, "only actors who know something");
        ui.separator();
        if ui
            .add_enabled(first > 0, egui::Button::new("Previous indicators"))
            .clicked()
        {
            first_column = first.saturating_sub(COLUMNS_PER_PAGE);
        }
        ui.label(format!(
            "indicators {}–{last} of {total_columns}",
            (first + 1).min(total_columns)
        ));
        if ui
            .add_enabled(last < total_columns, egui::Button::new("More indicators"))
            .clicked()
        {
            first_column = first + COLUMNS_PER_PAGE;
        }
    });
    let row_height = ui.text_style_height(&TextStyle::Body) + 4.0;
    let mut select = None;
    ScrollArea::horizontal()
        .id_salt("who-knew-columns")
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                fixed_ui(ui, ACTOR_WIDTH, row_height, |ui| {
                    ui.label(RichText::new("actor \\ indicator").weak());
                });
                for (id, value) in &grid.indicators[first..last] {
                    fixed_ui(ui, CELL_WIDTH, row_height, |ui| {
                        ui.add(egui::Label::new(RichText::new(id).strong()).truncate())
                            .on_hover_text(value);
                    });
                }
            });
            ui.separator();
            ScrollArea::vertical()
                .id_salt("who-knew-rows")
                .auto_shrink([false, false])
                .show_rows(ui, row_height, shown.len(), |ui, range| {
                    for &r in &shown[range] {
                        let row = &grid.rows[r];
                        let Some(node) = seen.actors.nodes.get(row.actor as usize) else {
                            continue;
                        };
                        ui.horizontal(|ui| {
                            fixed_ui(ui, ACTOR_WIDTH, row_height, |ui| {
                                let selected = seen.selected == Some(row.actor);
                                if ui
                                    .selectable_label(selected, &node.id)
                                    .on_hover_text(format!("{}: inspect", node.name))
                                    .clicked()
                                {
                                    select = Some(row.actor);
                                }
                            });
                            for c in first..last {
                                let column = crate::sim::plan::ix(c);
                                let cell = row
                                    .known
                                    .binary_search_by_key(&column, |(c, _)| *c)
                                    .ok()
                                    .map(|i| &row.known[i].1);
                                fixed_ui(ui, CELL_WIDTH, row_height, |ui| {
                                    if let Some(cell) = cell {
                                        let text = RichText::new(cell.text())
                                            .small()
                                            .color(tlp_color(cell.tlp))
                                            .background_color(Color32::BLACK);
                                        ui.add(egui::Label::new(text).truncate()).on_hover_text(
                                            format!(
                                                "{} learned {} at {} ({}) from {}, {}",
                                                node.id,
                                                grid.indicators[c].0,
                                                format_offset(cell.at),
                                                seen.times(cell.at).1,
                                                cell.from.as_deref().unwrap_or("its own detection"),
                                                cell.tlp
                                            ),
                                        );
                                    }
                                });
                            }
                        });
                    }
                });
        });
    who_knew.knowing_only = knowing_only;
    who_knew.first_column = first_column;
    if let Some(actor) = select {
        asks.push(Ask::Select(Some(actor)));
    }
}
