//! The MSEL: every inject with its due time, targets, expected actions and status; fire
//! now, delay by a duration, skip. Below it, the white-cell and ad-hoc composers.

use egui::{Align, Layout, RichText, ScrollArea, TextEdit, TextStyle, Ui};

use crate::scenario::Duration;
use crate::sim::view::InjectView;
use crate::sim::{Command, InjectStatus};

use super::super::ask::{Ask, Asks};
use super::super::look;
use super::super::seen::Seen;
use super::super::widgets::chip_ui;
use super::composer::Composer;

/// The tabs of the left panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftTab {
    Msel,
    WhiteCell,
    AdHoc,
}

/// The MSEL panel's own state.
#[derive(Clone, Debug)]
pub struct Msel {
    pub tab: LeftTab,
    /// How long "Delay" pushes an inject back, as typed.
    pub delay_text: String,
    pub filter: String,
    /// Hide injects that fired, were skipped or cancelled.
    pub open_only: bool,
    /// The inject whose "Skip" was clicked and waits for "Yes, skip": skipping cannot be
    /// undone.
    pub confirm_skip: Option<String>,
    /// The inject whose text is open in its own window ("show").
    pub showing: Option<String>,
}

impl Default for Msel {
    fn default() -> Self {
        Self {
            tab: LeftTab::Msel,
            delay_text: "1h".to_owned(),
            filter: String::new(),
            open_only: false,
            confirm_skip: None,
            showing: None,
        }
    }
}

/// A command for this inject given while paused and not yet played, in words.
fn queued(seen: &Seen<'_>, inject: &str) -> Option<String> {
    seen.host.queued().iter().rev().find_map(|s| {
        let what = match &s.command {
            Command::FireInject { inject: i } if i == inject => "fire",
            Command::DelayInject { inject: i, .. } if i == inject => "delay",
            Command::SkipInject { inject: i } if i == inject => "skip",
            _ => return None,
        };
        Some(format!("queued: {what} {}", seen.times(s.at).0))
    })
}

/// When an inject is (or was) due, in words.
pub fn due_text(seen: &Seen<'_>, inject: &InjectView) -> String {
    let at = |t| {
        let (offset, _) = seen.times(t);
        let short = seen.sim().plan().start.plus(t).short();
        format!("{offset} ({short})")
    };
    match inject.status {
        InjectStatus::Scheduled { at: t } => format!("due {}", at(t)),
        InjectStatus::Armed { deadline } => {
            format!(
                "contingency: fires {} unless the expected action comes",
                at(deadline)
            )
        }
        InjectStatus::Fired { at: t } => format!("fired {}", at(t)),
        InjectStatus::Waiting => inject.when.clone(),
        InjectStatus::Skipped => format!("skipped ({})", inject.when),
        // A contingency made unnecessary, or a guard that did not hold: the log says which.
        InjectStatus::Cancelled => format!("cancelled ({})", inject.when),
        InjectStatus::Optional => {
            format!("optional: fires only when you fire it ({})", inject.when)
        }
    }
}

fn matches(inject: &InjectView, filter: &str) -> bool {
    let filter = filter.trim().to_lowercase();
    filter.is_empty()
        || inject.id.to_lowercase().contains(&filter)
        || inject.title.to_lowercase().contains(&filter)
        || inject.to.iter().any(|t| t.to_lowercase().contains(&filter))
}

fn row_ui(
    ui: &mut Ui,
    msel: &mut Msel,
    seen: &Seen<'_>,
    asks: &mut Asks,
    (index, row_height): (usize, f32),
) {
    let Some(inject) = seen.views.injects.get(index) else {
        return;
    };
    let width = ui.available_width();
    ui.allocate_ui_with_layout(
        egui::vec2(width, row_height),
        Layout::top_down(Align::Min),
        |ui| {
            ui.set_min_height(row_height);
            ui.horizontal(|ui| {
                let (label, color) = look::inject_status(inject.status);
                chip_ui(ui, label, color);
                ui.add(egui::Label::new(RichText::new(&*inject.title).strong()).truncate());
            });
            let targets: Vec<&str> = inject.to.iter().map(|t| &**t).collect();
            // The guard before the addressees: it decides which of them the inject reaches.
            let detail = format!(
                "{} · {}{} · to {} · expects: {}",
                inject.id,
                due_text(seen, inject),
                if inject.only_if.is_empty() {
                    String::new()
                } else {
                    format!(" · only if {}", inject.only_if.join(" and "))
                },
                if targets.is_empty() {
                    "—".to_owned()
                } else {
                    targets.join(", ")
                },
                if inject.expected.is_empty() {
                    "—".to_owned()
                } else {
                    inject.expected.join("; ")
                }
            );
            ui.add(egui::Label::new(RichText::new(&detail).small()).truncate());
            let queued = queued(seen, &inject.id);
            ui.horizontal(|ui| {
                let open = inject.status.is_open() && seen.can_give() && queued.is_none();
                let why_not = seen.why_not_give().unwrap_or(if queued.is_some() {
                    "a command for it waits for the clock"
                } else {
                    "it has fired, been skipped or been cancelled"
                });
                if ui
                    .add_enabled(open, egui::Button::new("Fire"))
                    .on_hover_text(format!("fire \"{}\" now", inject.id))
                    .on_disabled_hover_text(why_not)
                    .clicked()
                {
                    asks.give(Command::FireInject {
                        inject: inject.id.to_string(),
                    });
                }
                if ui
                    .add_enabled(open, egui::Button::new("Delay"))
                    .on_hover_text(format!("delay by {}", msel.delay_text.trim()))
                    .on_disabled_hover_text(why_not)
                    .clicked()
                {
                    match Duration::parse(&msel.delay_text) {
                        Ok(by) if by.minutes > 0 => {
                            asks.give(Command::DelayInject {
                                inject: inject.id.to_string(),
                                by,
                            });
                        }
                        Ok(_) => asks.say("delay by: give a duration longer than zero", true),
                        Err(e) => asks.say(format!("delay by: {e}"), true),
                    }
                }
                if open && msel.confirm_skip.as_deref() == Some(&*inject.id) {
                    ui.label("Skip for good?");
                    if ui.button("Yes, skip").clicked() {
                        asks.give(Command::SkipInject {
                            inject: inject.id.to_string(),
                        });
                        msel.confirm_skip = None;
                    }
                    if ui.button("Keep it").clicked() {
                        msel.confirm_skip = None;
                    }
                } else if ui
                    .add_enabled(open, egui::Button::new("Skip"))
                    .on_hover_text("never fire this inject (asks first)")
                    .on_disabled_hover_text(why_not)
                    .clicked()
                {
                    msel.confirm_skip = Some(inject.id.to_string());
                }
                if ui
                    .small_button("show")
                    .on_hover_text(
                        "open the inject as the players read it, and select its first recipient",
                    )
                    .clicked()
                {
                    msel.showing = Some(inject.id.to_string());
                    if let Some(first) = inject.to.first() {
                        asks.push(Ask::Select(seen.actors.by_id.get(&**first).copied()));
                    }
                }
                if let Some(queued) = &queued {
                    ui.weak(queued)
                        .on_hover_text("given while paused: takes effect when the clock moves on");
                }
            });
        },
    );
}

/// The inject "show" opened, as the players read it, in a window of its own.
fn shown_ui(ui: &Ui, msel: &mut Msel, seen: &Seen<'_>) {
    let Some(id) = msel.showing.clone() else {
        return;
    };
    let Some(inject) = seen.views.injects.iter().find(|i| *i.id == *id) else {
        msel.showing = None;
        return;
    };
    let mut open = true;
    egui::Window::new(format!("{} — as the players read it", inject.id))
        .id(egui::Id::unique(("shown-inject", &*inject.id)))
        .open(&mut open)
        .collapsible(false)
        .default_width(420.0)
        .show(ui.ctx(), |ui| {
            let to: Vec<&str> = inject.to.iter().map(|t| &**t).collect();
            ui.label(format!(
                "To: {}",
                if to.is_empty() {
                    "nobody".to_owned()
                } else {
                    to.join(", ")
                }
            ));
            match &inject.players_read {
                None => {
                    ui.weak(
                        "No message: the players read nothing; the inject only changes the world.",
                    );
                }
                Some(read) => {
                    ui.label(format!("From: {}", read.from));
                    ui.label(RichText::new(&read.subject).strong());
                    if !read.body.is_empty() {
                        ui.label(&read.body);
                    }
                    if let Some((prompt, answers)) = &read.question {
                        ui.separator();
                        ui.label(RichText::new(prompt).strong());
                        for answer in answers {
                            ui.label(format!("• {answer}"));
                        }
                    }
                    if !read.discussion.is_empty() {
                        ui.separator();
                        ui.label("For discussion, by each addressee:");
                    }
                    for (prompt, answers) in &read.discussion {
                        ui.label(RichText::new(prompt).strong());
                        for answer in answers {
                            ui.label(format!("• {answer}"));
                        }
                    }
                }
            }
        });
    if !open {
        msel.showing = None;
    }
}

pub fn msel_ui(
    ui: &mut Ui,
    msel: &mut Msel,
    composer: &mut Composer,
    seen: &Seen<'_>,
    asks: &mut Asks,
) {
    shown_ui(ui, msel, seen);
    // Rows wrap rather than run past the panel: a row wider than the panel widens the
    // panel's Ui, and everything below it (truncated lines too) would be cut at its edge.
    ui.horizontal_wrapped(|ui| {
        for (tab, label) in [
            (LeftTab::Msel, "MSEL"),
            (LeftTab::WhiteCell, "White-cell message"),
            (LeftTab::AdHoc, "Ad-hoc inject"),
        ] {
            if ui
                .selectable_label(msel.tab == tab, RichText::new(label).strong())
                .clicked()
            {
                msel.tab = tab;
            }
        }
    });
    ui.separator();
    match msel.tab {
        LeftTab::Msel => list_ui(ui, msel, seen, asks),
        LeftTab::WhiteCell => {
            ScrollArea::vertical()
                .id_salt("white-cell")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    super::composer::white_cell_ui(ui, composer, seen, asks)
                });
        }
        LeftTab::AdHoc => {
            ScrollArea::vertical()
                .id_salt("adhoc")
                .auto_shrink([false, false])
                .show(ui, |ui| super::composer::adhoc_ui(ui, composer, seen, asks));
        }
    }
}

fn list_ui(ui: &mut Ui, msel: &mut Msel, seen: &Seen<'_>, asks: &mut Asks) {
    let open = seen
        .views
        .injects
        .iter()
        .filter(|i| i.status.is_open())
        .count();
    ui.horizontal_wrapped(|ui| {
        ui.weak(format!("{} injects, {open} open", seen.views.injects.len()));
        let label = ui.label("Delay by");
        ui.add(TextEdit::singleline(&mut msel.delay_text).desired_width(50.0))
            .labelled_by(label.id);
        ui.checkbox(&mut msel.open_only, "open only");
        let label = ui.label("Filter");
        ui.add(
            TextEdit::singleline(&mut msel.filter)
                .hint_text("id, title or target")
                .desired_width(120.0),
        )
        .labelled_by(label.id);
    });
    let shown: Vec<usize> = seen
        .views
        .injects
        .iter()
        .enumerate()
        .filter(|(_, i)| matches(i, &msel.filter))
        .filter(|(_, i)| !msel.open_only || i.status.is_open())
        .map(|(k, _)| k)
        .collect();
    let line = ui.text_style_height(&TextStyle::Body);
    let small = ui.text_style_height(&TextStyle::Small);
    let spacing = ui.spacing().item_spacing.y;
    let button = ui.spacing().interact_size.y;
    let row_height = line + 6.0 + small + button + 3.0 * spacing + 4.0;
    ScrollArea::vertical()
        .id_salt("msel-list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, range| {
            for k in range {
                row_ui(ui, msel, seen, asks, (shown[k], row_height));
            }
        });
}
