//! The white-cell composer (a journalist, the supervisor or a vendor speaks to players) and
//! the ad-hoc inject composer (one effect from the scenario's inject vocabulary). Both are
//! checked against the plan as they are typed and given as `ComposeInject` commands.

use egui::{Color32, ComboBox, RichText, TextEdit, Ui};

use crate::sim::Command;

use super::super::ask::Asks;
use super::super::compose::{
    self, AdHocDraft, CHANNELS, EffectKind, LEVELS, Voice, WhiteCellDraft,
};
use super::super::seen::Seen;

/// The composers' own state: their drafts, and how many injects this console composed.
#[derive(Clone, Debug, Default)]
pub struct Composer {
    pub white_cell: WhiteCellDraft,
    pub adhoc: AdHocDraft,
    composed: u32,
}

impl Composer {
    /// A fresh id for a composed inject: "adhoc-3", never one the MSEL or the session
    /// already has (a resumed session keeps the ids it composed before).
    fn next_inject_id(&mut self, prefix: &str, seen: &Seen<'_>) -> String {
        loop {
            self.composed += 1;
            let id = format!("{prefix}-{}", self.composed);
            let given = seen.host.given().iter().any(
                |s| matches!(&s.command, Command::ComposeInject { inject } if inject.id == id),
            );
            if !given
                && !seen.views.injects.iter().any(|i| *i.id == *id)
                && !seen.plan().inject_by_id.contains_key(&id)
            {
                return id;
            }
        }
    }
}

/// A text field for actor ids, with a button that takes the actor selected on the map.
fn id_field_ui(ui: &mut Ui, label: &str, value: &mut String, selected: Option<&str>, hint: &str) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(170.0),
        )
        .labelled_by(l.id);
        if let Some(selected) = selected
            && ui
                .small_button("from map")
                .on_hover_text(format!("use the actor selected on the map ({selected})"))
                .clicked()
        {
            selected.clone_into(value);
        }
    });
}

fn text_field_ui(ui: &mut Ui, label: &str, value: &mut String, hint: &str) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(200.0),
        )
        .labelled_by(l.id);
    });
}

/// A combo box over ids of the plan (campaigns, indicators).
fn pick_ui<'a>(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    options: impl Iterator<Item = &'a String>,
) {
    ui.horizontal(|ui| {
        let shown = if value.is_empty() {
            "choose…"
        } else {
            value.as_str()
        };
        ComboBox::new(label, label)
            .selected_text(shown.to_owned())
            .width(220.0)
            .show_ui(ui, |ui| {
                for option in options.take(500) {
                    if ui
                        .selectable_label(value == option, option.as_str())
                        .clicked()
                    {
                        value.clone_from(option);
                    }
                }
            });
    });
}

fn problems_ui(ui: &mut Ui, problems: &[String]) {
    for p in problems {
        ui.label(
            RichText::new(p)
                .small()
                .color(Color32::from_rgb(215, 60, 60)),
        );
    }
}

pub fn white_cell_ui(ui: &mut Ui, composer: &mut Composer, seen: &Seen<'_>, asks: &mut Asks) {
    let selected = seen.selected_id();
    ui.weak("A message from outside the exercise's actors, marked EXERCISE.");
    ui.horizontal(|ui| {
        for voice in Voice::ALL {
            if ui
                .selectable_label(composer.white_cell.voice == voice, voice.label())
                .clicked()
            {
                let draft = &mut composer.white_cell;
                draft.voice = voice;
                voice.default_from().clone_into(&mut draft.from);
                draft.channel = voice.default_channel();
            }
        }
    });
    let draft = &mut composer.white_cell;
    text_field_ui(ui, "From", &mut draft.from, "who speaks");
    id_field_ui(ui, "To", &mut draft.to, selected, "actor ids");
    ui.horizontal(|ui| {
        ui.label("Channel");
        for channel in CHANNELS {
            ui.selectable_value(&mut draft.channel, channel, channel.label());
        }
    });
    text_field_ui(ui, "Subject", &mut draft.subject, "what they ask");
    ui.add(
        TextEdit::multiline(&mut draft.body)
            .hint_text("the message the players receive")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    let at = seen.sim().earliest_command_time();
    let preview = composer.white_cell.build("preview", at, seen.sim().plan());
    if let Err(problems) = &preview {
        problems_ui(ui, problems);
    }
    if ui
        .add_enabled(
            preview.is_ok() && seen.can_give(),
            egui::Button::new("Send message"),
        )
        .on_hover_text("given now as a composed inject; recorded in the session")
        .clicked()
    {
        let id = composer.next_inject_id("white-cell", seen);
        match composer.white_cell.build(&id, at, seen.sim().plan()) {
            Ok(inject) => match compose::compiles(&inject, seen.sim().plan()) {
                Ok(()) => {
                    asks.give(Command::ComposeInject {
                        inject: Box::new(inject),
                    });
                    composer.white_cell.subject.clear();
                    composer.white_cell.body.clear();
                }
                Err(e) => problems_ui(ui, &[e]),
            },
            Err(problems) => problems_ui(ui, &problems),
        }
    }
}

pub fn adhoc_ui(ui: &mut Ui, composer: &mut Composer, seen: &Seen<'_>, asks: &mut Asks) {
    let selected = seen.selected_id();
    let campaigns: Vec<String> = seen.sim().plan().campaign_by_id.keys().cloned().collect();
    let indicators: Vec<String> = seen.sim().plan().indicator_by_id.keys().cloned().collect();
    let draft = &mut composer.adhoc;
    ui.horizontal(|ui| {
        ComboBox::new("adhoc-kind", "Effect")
            .selected_text(draft.kind.label())
            .show_ui(ui, |ui| {
                for kind in EffectKind::ALL {
                    ui.selectable_value(&mut draft.kind, kind, kind.label());
                }
            });
    });
    ui.weak(draft.kind.help());
    text_field_ui(
        ui,
        "Title",
        &mut draft.title,
        "required: the MSEL line and the subject",
    );
    ui.label("Body for the players");
    ui.add(
        TextEdit::multiline(&mut draft.body)
            .desired_rows(2)
            .hint_text("what the recipients read (the effect above stays with you)"),
    );
    id_field_ui(
        ui,
        "Recipients",
        &mut draft.to,
        selected,
        "optional actor ids",
    );
    let sel = selected;
    match draft.kind {
        EffectKind::Tip => {
            id_field_ui(ui, "Organisation", &mut draft.entity, sel, "entity id");
            pick_ui(ui, "Campaign", &mut draft.campaign, campaigns.iter());
            text_field_ui(ui, "Chance %", &mut draft.chance_percent, "1–100");
        }
        EffectKind::StaffUnavailable => {
            id_field_ui(ui, "CSIRT", &mut draft.csirt, sel, "csirt id");
            text_field_ui(ui, "Analysts", &mut draft.analysts, "how many");
            text_field_ui(ui, "Duration", &mut draft.duration, "e.g. 8h");
        }
        EffectKind::Sighting => {
            id_field_ui(ui, "From", &mut draft.from, sel, "who reports");
            id_field_ui(ui, "To actor", &mut draft.recipient, sel, "who is told");
            pick_ui(ui, "Indicator", &mut draft.indicator, indicators.iter());
            text_field_ui(
                ui,
                "First seen",
                &mut draft.first_seen,
                "T-30h, Thu 10:00; empty: now",
            );
            text_field_ui(ui, "Place", &mut draft.place, "where (victim context)");
        }
        EffectKind::Reminder => {
            id_field_ui(ui, "Organisation", &mut draft.entity, sel, "entity id");
        }
        EffectKind::ChannelDown => {
            id_field_ui(ui, "Actor", &mut draft.actor, sel, "actor id");
            ui.horizontal(|ui| {
                ui.label("Channel");
                for channel in CHANNELS {
                    ui.selectable_value(&mut draft.channel, channel, channel.label());
                }
            });
            text_field_ui(ui, "Duration", &mut draft.duration, "e.g. 6h");
        }
        EffectKind::RequestScan => {
            id_field_ui(ui, "CSIRT", &mut draft.csirt, sel, "csirt id");
            id_field_ui(ui, "Organisation", &mut draft.entity, sel, "entity id");
        }
        EffectKind::RaiseCrisis => {
            id_field_ui(ui, "CSIRT", &mut draft.csirt, sel, "csirt id");
            ui.horizontal(|ui| {
                ui.label("Level");
                for level in LEVELS {
                    ui.selectable_value(&mut draft.level, level, level.label());
                }
            });
        }
    }
    let at = seen.sim().earliest_command_time();
    let preview = composer.adhoc.build("preview", at, seen.sim().plan());
    match &preview {
        Err(problems) => problems_ui(ui, problems),
        Ok(inject) => match &inject.message {
            Some(m) => {
                ui.label(RichText::new("What the recipients see").strong());
                ui.label(format!("{} ({}): {}", m.from, m.channel.label(), m.subject));
                if !m.body.is_empty() {
                    ui.label(&m.body);
                }
            }
            None => {
                ui.weak("No recipients: nobody is told; only the effect happens.");
            }
        },
    }
    if ui
        .add_enabled(
            preview.is_ok() && seen.can_give(),
            egui::Button::new("Fire ad-hoc inject"),
        )
        .on_hover_text("checked against the scenario; given now and recorded in the session")
        .clicked()
    {
        let id = composer.next_inject_id("adhoc", seen);
        match composer.adhoc.build(&id, at, seen.sim().plan()) {
            Ok(inject) => match compose::compiles(&inject, seen.sim().plan()) {
                Ok(()) => asks.give(Command::ComposeInject {
                    inject: Box::new(inject),
                }),
                Err(e) => problems_ui(ui, &[e]),
            },
            Err(problems) => problems_ui(ui, &problems),
        }
    }
}
