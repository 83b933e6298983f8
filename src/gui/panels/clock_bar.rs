//! The clock bar: T+ and the exercise's wall-clock time with its weekday, play/pause,
//! next event, speeds, jump to a time, auto-pause, the crisis levels, zoom and theme.

use egui::{Color32, RichText, TextEdit, Ui};

use crate::scenario::At;

use super::super::app::{Action, Exercise, Speed};
use super::super::look::{self, Look};

/// A coloured tag, e.g. a crisis level.
pub fn chip_ui(ui: &mut Ui, text: impl Into<String>, fill: Color32) -> egui::Response {
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(text.into()).color(Color32::WHITE).strong())
                    .extend(),
            );
        })
        .response
}

pub fn clock_bar_ui(ui: &mut Ui, exercise: &mut Exercise, look: &mut Look) {
    let now = exercise.now();
    let (offset, wall) = exercise.times(now);
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&offset).monospace().size(26.0).strong())
            .on_hover_text("simulated time since the start of the exercise");
        ui.label(RichText::new(&wall).size(20.0));
        ui.separator();
        let finished = exercise.sim().is_finished();
        let play = if exercise.running { "Pause" } else { "Play" };
        if ui
            .add_enabled(!finished, egui::Button::new(RichText::new(play).strong()))
            .on_hover_text("space")
            .clicked()
        {
            exercise.actions.push(Action::TogglePlay);
        }
        if ui
            .add_enabled(!finished, egui::Button::new("Next event"))
            .on_hover_text("right arrow key: play the next minute at which something is due")
            .clicked()
        {
            exercise.actions.push(Action::Step);
        }
        for speed in Speed::ALL {
            if ui
                .selectable_label(exercise.speed == speed, speed.label())
                .clicked()
            {
                exercise.actions.push(Action::SetSpeed(speed));
            }
        }
        ui.separator();
        let label = ui.label("Jump to");
        let field = ui
            .add(
                TextEdit::singleline(&mut exercise.jump_text)
                    .hint_text("Mon 08:00 or T+36h")
                    .desired_width(130.0),
            )
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Go").clicked() || enter {
            match At::parse(&exercise.jump_text) {
                Ok(at) => {
                    let t = at.resolve(&exercise.sim().plan().start);
                    exercise.actions.push(Action::JumpTo(t));
                }
                Err(e) => {
                    exercise.status = Some(super::super::app::Status {
                        text: e,
                        error: true,
                    });
                }
            }
        }
        if let Some(target) = exercise.jump_to {
            let (to, _) = exercise.times(target);
            ui.label(format!("jumping to {to}…"));
        }
        let pending = exercise.feed.pending.len();
        if pending > 0 {
            ui.separator();
            chip_ui(
                ui,
                format!(
                    "{pending} decision{} pending",
                    if pending == 1 { "" } else { "s" }
                ),
                Color32::from_rgb(150, 90, 200),
            )
            .on_hover_text("the Decisions tab lists them; answer there for an absent player");
        }
        if finished {
            chip_ui(ui, "ENDED", Color32::from_rgb(100, 100, 110));
        }
    });
    ui.horizontal_wrapped(|ui| {
        super::role::seats_menu_ui(ui, exercise);
        ui.separator();
        ui.label("Crisis level");
        for (id, name, level) in &exercise.views.crisis {
            chip_ui(
                ui,
                format!("{id}: {}", look::crisis_label(*level)),
                look::crisis_color(*level),
            )
            .on_hover_text(format!("{name}: crisis level (NIS2 Art. 11.5.b)"));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(
            &mut exercise.auto_pause_inject,
            "pause when an inject fires",
        );
        ui.checkbox(
            &mut exercise.auto_pause_decision,
            "pause when a decision is raised",
        );
        ui.separator();
        if ui.button("A−").on_hover_text("smaller (Ctrl −)").clicked() {
            look.zoom_out();
        }
        ui.label(format!("{:.0}%", look.zoom * 100.0));
        if ui.button("A+").on_hover_text("larger (Ctrl +)").clicked() {
            look.zoom_in();
        }
        let theme = if look.dark {
            "Light theme"
        } else {
            "Dark theme"
        };
        if ui.button(theme).clicked() {
            look.dark = !look.dark;
        }
        ui.separator();
        ui.weak(format!(
            "session {} · {} commands",
            exercise.session_path.display(),
            exercise.given.len()
        ))
        .on_hover_text(format!(
            "every command is written to this file before it takes effect; scenario {}",
            exercise.scenario_path
        ));
        if exercise.stats.steps > 0 {
            ui.weak(format!(
                "· {} steps in {:.1} ms",
                exercise.stats.steps,
                f64::from(u32::try_from(exercise.stats.sim_micros).unwrap_or(u32::MAX)) / 1000.0
            ));
        }
        if ui
            .button("Close exercise")
            .on_hover_text("back to the start screen; the session stays on disk and can be resumed")
            .clicked()
        {
            exercise.actions.push(Action::Leave);
        }
    });
    if let Some(status) = &exercise.status {
        let color = if status.error {
            Color32::from_rgb(215, 60, 60)
        } else {
            ui.visuals().weak_text_color()
        };
        ui.colored_label(color, &status.text);
    }
    ui.add_space(2.0);
}
