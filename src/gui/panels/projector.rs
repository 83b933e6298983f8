//! The projector: the public picture of the exercise for the room. It draws only a
//! [`ProjectorView`] (clock, crisis levels, news that went out through the media,
//! objectives met), which holds nothing any actor keeps secret.

use egui::{RichText, ScrollArea, Ui};

use crate::scenario::WallClock;
use crate::scenario::time::format_offset;
use crate::sim::view::ProjectorView;

use super::super::look::{self, zoom_step};
use super::super::widgets::chip_ui;

/// Draws the projector at the console's zoom, with no scale of its own; returns whether
/// it asked to be closed.
pub fn projector_ui(ui: &mut Ui, view: &ProjectorView, start: &WallClock) -> bool {
    let mut scale = ui.ctx().zoom_factor();
    scaled_projector_ui(ui, view, start, &mut scale)
}

/// Multiplies the sizes of `ui`'s text styles and spacing by `factor`.
fn scale_text(ui: &mut Ui, factor: f32) {
    let style = ui.style_mut();
    for font in style.text_styles.values_mut() {
        font.size *= factor;
    }
    style.spacing.item_spacing *= factor;
    style.spacing.button_padding *= factor;
    style.spacing.interact_size *= factor;
}

/// Draws the projector with its own text `scale` (the room's, not the console's zoom),
/// with buttons to change it; returns whether it asked to be closed.
pub fn scaled_projector_ui(
    ui: &mut Ui,
    view: &ProjectorView,
    start: &WallClock,
    scale: &mut f32,
) -> bool {
    // egui's zoom applies to every window: undo the console's, apply the projector's.
    let factor = *scale / ui.ctx().zoom_factor();
    scale_text(ui, factor);
    let size = |points: f32| points * factor;
    let mut close = false;
    ui.horizontal_wrapped(|ui| {
        ui.heading(RichText::new(&*view.exercise).size(size(28.0)));
        if ui.button("Close").clicked() {
            close = true;
        }
        if ui
            .button("A−")
            .on_hover_text("smaller text on the projector")
            .clicked()
        {
            *scale = zoom_step(*scale, false);
        }
        ui.label(format!("{:.0}%", *scale * 100.0));
        if ui
            .button("A+")
            .on_hover_text("larger text on the projector")
            .clicked()
        {
            *scale = zoom_step(*scale, true);
        }
    });
    ui.label(
        RichText::new(format!(
            "{}  ·  {}",
            format_offset(view.now),
            start.plus(view.now).describe()
        ))
        .size(size(36.0))
        .strong(),
    );
    ui.label(format!("The exercise ends at {}", format_offset(view.end)));
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        for (name, level) in &view.crisis {
            ui.label(RichText::new(&**name).size(size(18.0)));
            chip_ui(ui, look::crisis_label(*level), look::crisis_color(*level));
            ui.add_space(12.0);
        }
    });
    ui.add_space(8.0);
    ui.label(
        RichText::new(format!(
            "Objectives met: {} of {}",
            view.met.len(),
            view.objectives
        ))
        .size(size(20.0))
        .strong(),
    );
    for (title, at) in &view.met {
        ui.label(format!("met: {title} ({})", format_offset(*at)));
    }
    ui.add_space(8.0);
    ui.label(RichText::new("In the news").size(size(20.0)).strong());
    ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        if view.news.is_empty() {
            ui.weak("Nothing in the news yet.");
        }
        for news in view.news.iter().rev() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(
                    RichText::new(format!("{} — {}", format_offset(news.at), news.headline))
                        .size(size(18.0))
                        .strong(),
                );
                ui.label(RichText::new(&news.source).italics());
                if !news.body.is_empty() {
                    ui.label(&news.body);
                }
            });
        }
    });
    close
}
