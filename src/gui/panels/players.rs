//! The "Invite players" window: start serving the trainees' pages, each seat's join link
//! and its QR code (hidden until asked: the console is often on the projector), the
//! browsers connected to each seat (so a leaked link shows), a new link for a seat, and
//! the printable seat cards. On the room's network the pages are encrypted and the
//! certificate's fingerprint is shown for trainees to compare.

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use super::super::ask::{Ask, Asks};
use super::super::invite::{Serving, lan_guess};
use super::super::seen::Seen;
use crate::serve::whitecell::Thread;
use crate::serve::{SeatKind, cards::qr_modules, seat_label};
use crate::sim::Command;

/// The window's own state.
#[derive(Clone, Debug)]
pub struct PlayersForm {
    pub open: bool,
    /// Serve to the room's network rather than this machine only.
    pub lan: bool,
    pub address: String,
    pub port: String,
    /// Seats whose link is shown.
    pub shown: BTreeSet<String>,
    /// Seats whose link's QR code is shown.
    pub qr: BTreeSet<String>,
    /// The white cell's thread, read from the journal as it grows.
    pub thread: Thread,
    /// The facilitator's answer being written, and to which role.
    pub reply_to: String,
    pub reply: String,
}

impl Default for PlayersForm {
    fn default() -> Self {
        Self {
            open: false,
            lan: false,
            address: lan_guess().map_or_else(String::new, |ip| ip.to_string()),
            port: "8480".to_owned(),
            shown: BTreeSet::new(),
            qr: BTreeSet::new(),
            thread: Thread::default(),
            reply_to: String::new(),
            reply: String::new(),
        }
    }
}

pub fn players_ui(
    ctx: &egui::Context,
    form: &mut PlayersForm,
    serving: Option<&Serving>,
    seen: &Seen<'_>,
    asks: &mut Asks,
) {
    let mut open = form.open;
    // Below the clock bar and clear of the MSEL, so play/pause stay in reach.
    let top_right = ctx.content_rect().right_top();
    egui::Window::new("Invite players")
        .open(&mut open)
        .default_width(560.0)
        .default_pos([top_right.x - 760.0, top_right.y + 120.0])
        .show(ctx, |ui| match serving {
            None => start_ui(ui, form, seen, asks),
            Some(serving) => serving_ui(ui, form, serving, seen, asks),
        });
    form.open = open;
}

fn start_ui(ui: &mut Ui, form: &mut PlayersForm, seen: &Seen<'_>, asks: &mut Asks) {
    ui.label("Each role gets a link; a trainee opens it in any browser, nothing to install.");
    ui.radio_value(&mut form.lan, false, "This machine only (127.0.0.1)");
    let lan = ui
        .radio_value(
            &mut form.lan,
            true,
            "The room's network (encrypted), at this address:",
        )
        .id;
    ui.add_enabled_ui(form.lan, |ui| {
        ui.add(
            egui::TextEdit::singleline(&mut form.address)
                .hint_text("e.g. 10.0.0.5")
                .desired_width(180.0),
        )
        .labelled_by(lan);
    });
    ui.horizontal(|ui| {
        let port = ui.label("Port").id;
        ui.add(egui::TextEdit::singleline(&mut form.port).desired_width(70.0))
            .labelled_by(port);
    });
    let host = if form.lan {
        form.address.trim()
    } else {
        "127.0.0.1"
    };
    let bind = format!("{host}:{}", form.port.trim()).parse();
    let why_not = seen.why_not_give();
    let start = ui.add_enabled(
        bind.is_ok() && why_not.is_none(),
        egui::Button::new("Start serving"),
    );
    let start = match (&bind, &why_not) {
        (Err(_), _) => {
            start.on_disabled_hover_text("an address and a port, e.g. 10.0.0.5 and 8480")
        }
        (_, Some(why)) => start.on_disabled_hover_text(*why),
        _ => start,
    };
    if start.clicked()
        && let Ok(bind) = bind
    {
        asks.push(Ask::Invite(bind));
    }
}

fn serving_ui(
    ui: &mut Ui,
    form: &mut PlayersForm,
    serving: &Serving,
    seen: &Seen<'_>,
    asks: &mut Asks,
) {
    ui.label(format!("Serving on {}", serving.url()));
    if let Some(fingerprint) = serving.fingerprint() {
        ui.label("Encrypted. Certificate SHA-256 fingerprint, for trainees to compare:");
        ui.label(RichText::new(fingerprint).monospace().small());
    }
    ui.horizontal(|ui| {
        ui.weak("The pages stay served while this window is closed, until the exercise is.");
        if ui
            .button("Write seat cards")
            .on_hover_text("a printable page beside the session: per seat, its title, its link as a QR code, the fingerprint")
            .clicked()
        {
            asks.push(Ask::Cards);
        }
    });
    white_cell(ui, form, seen, asks);
    let connections = serving.connections();
    let plan = seen.plan();
    egui::Grid::new("seats").striped(true).show(ui, |ui| {
        for (kind, name, link) in serving.links() {
            let label = seat_label(kind, &name);
            let title = match kind {
                SeatKind::Trainee => plan
                    .roles
                    .iter()
                    .find(|r| *r.id == *name)
                    .map_or_else(|| name.clone(), |r| r.title.to_string()),
                SeatKind::Projector => "Projector (the public picture)".to_owned(),
                other => format!("{name} ({})", other.label()),
            };
            ui.label(RichText::new(title).strong());
            let here: Vec<_> = connections
                .iter()
                .filter(|c| c.role == name && c.kind == kind)
                .collect();
            if here.is_empty() {
                ui.weak("nobody connected");
            } else {
                let list: Vec<String> = here
                    .iter()
                    .map(|c| {
                        let minutes = c.since.elapsed().map_or(0, |d| d.as_secs() / 60);
                        let since = if minutes == 0 {
                            "just now".to_owned()
                        } else {
                            format!("for {minutes} min")
                        };
                        format!("{} ({since})", c.address.ip())
                    })
                    .collect();
                ui.label(format!("{} connected: {}", here.len(), list.join(", ")));
            }
            ui.horizontal(|ui| {
                toggle(ui, &mut form.shown, &label, "show link");
                toggle(ui, &mut form.qr, &label, "QR code");
                if ui.button("Copy link").clicked() {
                    ui.ctx().copy_text(link.clone());
                    asks.say(format!("the link for {label} is on the clipboard"), false);
                }
                if ui
                    .button("New link")
                    .on_hover_text("revokes this seat's link: its open pages stop at once")
                    .clicked()
                {
                    asks.push(Ask::Revoke(name.clone()));
                }
            });
            ui.end_row();
            if form.shown.contains(&label) {
                ui.label("");
                ui.label(RichText::new(&link).monospace());
                ui.end_row();
            }
            if form.qr.contains(&label) {
                ui.label("");
                qr_code(ui, &link, &label);
                ui.end_row();
            }
        }
    });
}

/// Trainees' messages to exercise control, and the facilitator's answer (signed
/// "facilitator", like the console's notes). Controllers in other rooms answer from their
/// own pages; every answer is a `FromControl` command, journaled and in the report.
fn white_cell(ui: &mut Ui, form: &mut PlayersForm, seen: &Seen<'_>, asks: &mut Asks) {
    form.thread.update(seen.sim().journal());
    let plan = seen.plan();
    let title = |role: &str| {
        plan.roles
            .iter()
            .find(|r| *r.id == *role)
            .map_or_else(|| role.to_owned(), |r| r.title.to_string())
    };
    let waiting = form.thread.all().iter().filter(|m| m.to_control).count();
    if form.reply_to.is_empty()
        && let Some(last) = form.thread.all().iter().rev().find(|m| m.to_control)
    {
        form.reply_to.clone_from(&last.role);
    }
    egui::CollapsingHeader::new(format!(
        "White cell: {}",
        crate::words::count_as(
            waiting,
            "message from the trainees",
            "messages from the trainees"
        )
    ))
    .id_salt("white-cell")
    .default_open(true)
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("white-cell-thread")
            .max_height(160.0)
            .stick_to_bottom(true)
            .show(ui, |ui| {
                let messages = form.thread.all();
                if messages.is_empty() {
                    ui.weak(
                        "No message yet. A trainee's page has a box to write to exercise control.",
                    );
                }
                for m in messages {
                    let head = if m.to_control {
                        format!("{} · {} to exercise control", m.at, title(&m.role))
                    } else {
                        format!(
                            "{} · exercise control ({}) to {}",
                            m.at,
                            m.by,
                            title(&m.role)
                        )
                    };
                    ui.label(RichText::new(head).strong());
                    ui.label(&m.text);
                }
            });
        ui.horizontal(|ui| {
            let to = ui.label("To").id;
            egui::ComboBox::from_id_salt("white-cell-to")
                .selected_text(if form.reply_to.is_empty() {
                    "choose a role".to_owned()
                } else {
                    title(&form.reply_to)
                })
                .show_ui(ui, |ui| {
                    for role in &plan.roles {
                        ui.selectable_value(
                            &mut form.reply_to,
                            role.id.to_string(),
                            role.title.to_string(),
                        );
                    }
                })
                .response
                .labelled_by(to);
            let answer = ui.label("Answer").id;
            let text = ui
                .add(
                    egui::TextEdit::singleline(&mut form.reply)
                        .hint_text("an answer or a message to the role")
                        .desired_width(260.0),
                )
                .labelled_by(answer);
            let enter = text.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let ready =
                seen.can_give() && !form.reply_to.is_empty() && !form.reply.trim().is_empty();
            let send = ui.add_enabled(ready, egui::Button::new("Send"));
            if ready && (send.clicked() || enter) {
                asks.give(Command::FromControl {
                    role: form.reply_to.clone(),
                    by: super::notes::AUTHOR.to_owned(),
                    text: form.reply.trim().to_owned(),
                });
                form.reply.clear();
            }
        });
    });
}

fn toggle(ui: &mut Ui, set: &mut BTreeSet<String>, key: &str, text: &str) {
    let mut on = set.contains(key);
    if ui.checkbox(&mut on, text).changed() {
        if on {
            set.insert(key.to_owned());
        } else {
            set.remove(key);
        }
    }
}

/// A link's QR code, drawn module by module on a white square (a phone reads dark on
/// light, whatever the console's theme).
fn qr_code(ui: &mut Ui, link: &str, label: &str) {
    let Ok((width, dark)) = qr_modules(link) else {
        ui.weak("this link is too long for a QR code");
        return;
    };
    let quiet = 4.0;
    let side = 240.0_f32;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            format!("QR code of {label}'s link"),
        )
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    let module = side / (width as f32 + 2.0 * quiet);
    for (i, is_dark) in dark.iter().enumerate() {
        if *is_dark {
            let x = (i % width) as f32 + quiet;
            let y = (i / width) as f32 + quiet;
            let min = rect.min + egui::vec2(x * module, y * module);
            painter.rect_filled(
                egui::Rect::from_min_size(min, egui::vec2(module, module)),
                0.0,
                egui::Color32::BLACK,
            );
        }
    }
}
