//! The MSEL: every inject with its due time, targets, expected actions and status; fire
//! now, delay by a duration, skip. Below it, the white-cell and ad-hoc composers.

use egui::{Align, Layout, RichText, ScrollArea, TextEdit, TextStyle, Ui};

use crate::scenario::Duration;
use crate::sim::view::InjectView;
use crate::sim::{Command, InjectStatus};

use super::super::app::{Action, Exercise, LeftTab, Status};
use super::super::look;
use super::clock_bar::chip_ui;

fn is_open(status: InjectStatus) -> bool {
    matches!(
        status,
        InjectStatus::Waiting | InjectStatus::Armed { .. } | InjectStatus::Scheduled { .. }
    )
}

/// When an inject is (or was) due, in words.
pub fn due_text(exercise: &Exercise, inject: &InjectView) -> String {
    let at = |t| {
        let (offset, _) = exercise.times(t);
        let short = exercise.sim().plan().start.plus(t).short();
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
        InjectStatus::Cancelled => format!("cancelled: not needed ({})", inject.when),
    }
}

fn matches(inject: &InjectView, filter: &str) -> bool {
    let filter = filter.trim().to_lowercase();
    filter.is_empty()
        || inject.id.to_lowercase().contains(&filter)
        || inject.title.to_lowercase().contains(&filter)
        || inject.to.iter().any(|t| t.to_lowercase().contains(&filter))
}

fn row_ui(ui: &mut Ui, exercise: &mut Exercise, index: usize, row_height: f32) {
    let Some(inject) = exercise.views.injects.get(index).cloned() else {
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
            let detail = format!(
                "{} · {} · to {} · expects: {}",
                inject.id,
                due_text(exercise, &inject),
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
            ui.horizontal(|ui| {
                let open = is_open(inject.status)
                    && !exercise.sim().is_finished()
                    && !exercise.is_review();
                if ui
                    .add_enabled(open, egui::Button::new("Fire"))
                    .on_hover_text(format!("fire \"{}\" now", inject.id))
                    .clicked()
                {
                    exercise.actions.push(Action::Submit(Command::FireInject {
                        inject: inject.id.to_string(),
                    }));
                }
                if ui
                    .add_enabled(open, egui::Button::new("Delay"))
                    .on_hover_text(format!("delay by {}", exercise.delay_text.trim()))
                    .clicked()
                {
                    match Duration::parse(&exercise.delay_text) {
                        Ok(by) if by.minutes > 0 => {
                            exercise.actions.push(Action::Submit(Command::DelayInject {
                                inject: inject.id.to_string(),
                                by,
                            }));
                        }
                        Ok(_) => {
                            exercise.status = Some(Status {
                                text: "delay by: give a duration longer than zero".to_owned(),
                                error: true,
                            });
                        }
                        Err(e) => {
                            exercise.status = Some(Status {
                                text: format!("delay by: {e}"),
                                error: true,
                            });
                        }
                    }
                }
                if ui
                    .add_enabled(open, egui::Button::new("Skip"))
                    .on_hover_text("never fire this inject")
                    .clicked()
                {
                    exercise.actions.push(Action::Submit(Command::SkipInject {
                        inject: inject.id.to_string(),
                    }));
                }
                if !inject.to.is_empty()
                    && ui
                        .small_button("show")
                        .on_hover_text("select its first recipient on the map")
                        .clicked()
                {
                    let first = exercise.by_id.get(&*inject.to[0]).copied();
                    exercise.actions.push(Action::Select(first));
                }
            });
        },
    );
}

pub fn msel_ui(ui: &mut Ui, exercise: &mut Exercise) {
    ui.horizontal(|ui| {
        for (tab, label) in [
            (LeftTab::Msel, "MSEL"),
            (LeftTab::WhiteCell, "White-cell message"),
            (LeftTab::AdHoc, "Ad-hoc inject"),
        ] {
            if ui
                .selectable_label(exercise.left_tab == tab, RichText::new(label).strong())
                .clicked()
            {
                exercise.left_tab = tab;
            }
        }
    });
    ui.separator();
    match exercise.left_tab {
        LeftTab::Msel => list_ui(ui, exercise),
        LeftTab::WhiteCell => {
            ScrollArea::vertical()
                .id_salt("white-cell")
                .auto_shrink([false, false])
                .show(ui, |ui| super::composer::white_cell_ui(ui, exercise));
        }
        LeftTab::AdHoc => {
            ScrollArea::vertical()
                .id_salt("adhoc")
                .auto_shrink([false, false])
                .show(ui, |ui| super::composer::adhoc_ui(ui, exercise));
        }
    }
}

fn list_ui(ui: &mut Ui, exercise: &mut Exercise) {
    let open = exercise
        .views
        .injects
        .iter()
        .filter(|i| is_open(i.status))
        .count();
    ui.horizontal(|ui| {
        ui.weak(format!(
            "{} injects, {open} open",
            exercise.views.injects.len()
        ));
        let label = ui.label("Delay by");
        ui.add(TextEdit::singleline(&mut exercise.delay_text).desired_width(50.0))
            .labelled_by(label.id);
        ui.checkbox(&mut exercise.msel_open_only, "open only");
        let label = ui.label("Filter");
        ui.add(
            TextEdit::singleline(&mut exercise.msel_filter)
                .hint_text("id, title or target")
                .desired_width(120.0),
        )
        .labelled_by(label.id);
    });
    let shown: Vec<usize> = exercise
        .views
        .injects
        .iter()
        .enumerate()
        .filter(|(_, i)| matches(i, &exercise.msel_filter))
        .filter(|(_, i)| !exercise.msel_open_only || is_open(i.status))
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
                row_ui(ui, exercise, shown[k], row_height);
            }
        });
}
