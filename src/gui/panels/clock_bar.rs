//! The clock bar: T+ and the exercise's wall-clock time with its weekday, play/pause,
//! next event, speeds, jump to a time, auto-pause, the crisis levels, zoom and theme.
//! Under review: the time slider over the recording and its key events instead.

use egui::{Color32, RichText, TextEdit, Ui};

use crate::host::{Intent, READ_ONLY, Speed};
use crate::scenario::{At, Minute, time::format_offset};

use super::super::ask::{Ask, Asks};
use super::super::look::{self, Look};
use super::super::seen::Seen;
use super::super::widgets::chip_ui;

/// The clock bar's own state: what is typed into "Jump to".
#[derive(Clone, Debug, Default)]
pub struct ClockBar {
    pub jump_text: String,
    /// "Close exercise" was clicked and waits for its confirmation.
    pub confirm_close: bool,
}

pub fn clock_bar_ui(
    ui: &mut Ui,
    bar: &mut ClockBar,
    seen: &Seen<'_>,
    look: &mut Look,
    asks: &mut Asks,
) {
    let clock = seen.host.clock();
    let now = seen.now();
    let (offset, wall) = seen.times(now);
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&offset).monospace().size(26.0).strong())
            .on_hover_text("simulated time since the start of the exercise");
        ui.label(RichText::new(&wall).size(20.0));
        ui.separator();
        let finished = seen.sim().is_finished();
        let live = !seen.is_review();
        let play = if clock.playing { "Pause" } else { "Play" };
        if ui
            .add_enabled(
                !finished && live,
                egui::Button::new(RichText::new(play).strong()),
            )
            .on_hover_text("space")
            .on_disabled_hover_text(seen.why_not_give().unwrap_or_default())
            .clicked()
        {
            asks.host(Intent::TogglePlay);
        }
        if ui
            .add_enabled(!finished && live, egui::Button::new("Next event"))
            .on_hover_text("right arrow key: play the next minute at which something is due")
            .on_disabled_hover_text(seen.why_not_give().unwrap_or_default())
            .clicked()
        {
            asks.host(Intent::Step);
        }
        for speed in Speed::PRESETS {
            if ui
                .selectable_label(clock.speed == speed, speed.label())
                .clicked()
            {
                asks.host(Intent::SetSpeed(speed));
            }
        }
        ui.separator();
        let label = ui.label("Jump to");
        let field = ui
            .add(
                TextEdit::singleline(&mut bar.jump_text)
                    .hint_text("Mon 08:00 or T+36h")
                    .desired_width(130.0),
            )
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.add_enabled(live, egui::Button::new("Go")).clicked() || (enter && live) {
            match At::parse(&bar.jump_text) {
                Ok(at) => asks.host(Intent::JumpTo(at.resolve(&seen.plan().start))),
                Err(e) => asks.say(e, true),
            }
        }
        if let Some(target) = clock.jump_to {
            let (to, _) = seen.times(target);
            ui.label(format!("jumping to {to}…"));
        }
        let pending = seen.feed.pending.len();
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
        if !live {
            chip_ui(ui, "REVIEW · read-only", Color32::from_rgb(40, 110, 170))
                .on_hover_text(READ_ONLY);
        }
    });
    if seen.is_review() {
        review_bar_ui(ui, seen, asks);
    }
    ui.horizontal_wrapped(|ui| {
        super::role::seats_menu_ui(ui, seen, asks);
        if ui
            .button("Invite players")
            .on_hover_text("trainees play from their own browsers: a link per role")
            .clicked()
        {
            asks.push(Ask::Players);
        }
        ui.separator();
        ui.label("Crisis level");
        for (id, name, level) in &seen.views.crisis {
            chip_ui(
                ui,
                format!("{id}: {}", look::crisis_label(*level)),
                look::crisis_color(*level),
            )
            .on_hover_text(format!("{name}: crisis level (NIS2 Art. 11.5.b)"));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let (mut inject, mut decision) = seen.host.pause_on();
        let changed = ui
            .checkbox(&mut inject, "pause when an inject fires")
            .changed()
            | ui.checkbox(&mut decision, "pause when a decision is raised")
                .changed();
        if changed {
            asks.host(Intent::PauseOn { inject, decision });
        }
        ui.separator();
        look::look_ui(ui, look);
        ui.separator();
        let commands = seen.host.given().len();
        let queued = seen.host.queued().len();
        let session = seen
            .host
            .session_path()
            .map_or_else(|| "(not recorded)".to_owned(), |p| p.display().to_string());
        let waiting = if queued > 0 && !clock.playing {
            format!(" ({queued} for the next minute)")
        } else {
            String::new()
        };
        let plural = if commands == 1 { "" } else { "s" };
        ui.weak(format!(
            "session {session} · {commands} command{plural}{waiting}"
        ))
        .on_hover_text(format!(
            "every command is written to this file before it takes effect; scenario {}",
            seen.host.scenario_path()
        ));
        if seen.stats.steps > 0 {
            #[allow(clippy::cast_precision_loss, reason = "a frame's microseconds")]
            let ms = seen.stats.sim_micros as f64 / 1000.0;
            ui.weak(format!("· {} steps in {ms:.1} ms", seen.stats.steps));
        }
        if bar.confirm_close {
            ui.label("Close the exercise? The session stays on disk and can be resumed.");
            if ui.button("Yes, close").clicked() {
                bar.confirm_close = false;
                asks.push(Ask::Leave);
            }
            if ui.button("Stay").clicked() {
                bar.confirm_close = false;
            }
        } else if ui
            .button("Close exercise")
            .on_hover_text("back to the start screen; the session stays on disk and can be resumed")
            .clicked()
        {
            bar.confirm_close = true;
        }
    });
    if let Some(status) = seen.status {
        let color = if status.error {
            Color32::from_rgb(215, 60, 60)
        } else {
            ui.visuals().weak_text_color()
        };
        ui.colored_label(color, &status.text);
    }
    ui.add_space(2.0);
}

/// While the slider is dragged, the world follows once the value has rested this long: a
/// backward move rebuilds from the start, about a second on a 10,000-organisation session.
const SETTLE_SECONDS: f64 = 0.3;

/// Review mode: the time slider over the recording, and steps between key events.
fn review_bar_ui(ui: &mut Ui, seen: &Seen<'_>, asks: &mut Asks) {
    let Some(review) = seen.host.review_state() else {
        return;
    };
    let (at, end) = (review.at(), review.end());
    let previous = review.previous_key_time(at);
    let next = review.next_key_time(at);
    let recorded = if review.finished() {
        "recorded to the end".to_owned()
    } else {
        format!("recorded up to {}", format_offset(end))
    };
    let start = seen.plan().start;
    let id = egui::Id::unique("review-slider");
    let changed_id = id.with("changed-at");
    ui.horizontal(|ui| {
        if ui
            .add_enabled(previous.is_some(), egui::Button::new("Previous key event"))
            .on_hover_text("the previous inject, decision or objective")
            .clicked()
            && let Some(t) = previous
        {
            asks.host(Intent::Seek(t));
        }
        // The slider's own value while it is dragged; otherwise the review's minute.
        let mut value: Minute = ui.data(|d| d.get_temp(id)).unwrap_or(at);
        ui.spacing_mut().slider_width = (ui.available_width() - 520.0).max(200.0);
        let response = ui
            .add(
                egui::Slider::new(&mut value, 0..=end)
                    .step_by(1.0)
                    .trailing_fill(true)
                    .custom_formatter(|v, _| {
                        #[allow(clippy::cast_possible_truncation, reason = "whole minutes")]
                        format_offset(v as Minute)
                    })
                    .custom_parser(move |text| {
                        #[allow(clippy::cast_precision_loss, reason = "minutes of an exercise fit")]
                        At::parse(text).ok().map(|a| a.resolve(&start) as f64)
                    }),
            )
            .on_hover_text("the recorded session at this minute: drag, or type T+1d 2h");
        ui.label(start.plus(value).describe());
        let time = ui.input(|i| i.time);
        if response.dragged() {
            if response.changed() {
                ui.data_mut(|d| d.insert_temp(changed_id, time));
            }
            ui.data_mut(|d| d.insert_temp(id, value));
            let changed_at: f64 = ui.data(|d| d.get_temp(changed_id)).unwrap_or(time);
            if value != at {
                if time - changed_at >= SETTLE_SECONDS {
                    asks.host(Intent::Seek(value));
                } else {
                    #[allow(clippy::cast_possible_truncation, reason = "a short wait")]
                    ui.ctx().request_repaint_after_secs(SETTLE_SECONDS as f32);
                }
            }
        } else {
            ui.data_mut(|d| d.remove::<Minute>(id));
            if value != at {
                asks.host(Intent::Seek(value));
            }
        }
        if ui
            .add_enabled(next.is_some(), egui::Button::new("Next key event"))
            .on_hover_text("the next inject, decision or objective")
            .clicked()
            && let Some(t) = next
        {
            asks.host(Intent::Seek(t));
        }
        ui.weak(recorded);
    });
}
