//! The "Invite players" window: start serving the trainees' pages, each seat's join link
//! (hidden until asked: the console is often on the projector), the browsers connected to
//! each seat (so a leaked link shows), and a new link for a seat.

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use super::super::ask::{Ask, Asks};
use super::super::invite::{Serving, lan_guess};
use super::super::seen::Seen;

/// The window's own state.
#[derive(Clone, Debug)]
pub struct PlayersForm {
    pub open: bool,
    /// Serve to the room's network rather than this machine only.
    pub lan: bool,
    pub address: String,
    pub port: String,
    /// Roles whose link is shown.
    pub shown: BTreeSet<String>,
}

impl Default for PlayersForm {
    fn default() -> Self {
        Self {
            open: false,
            lan: false,
            address: lan_guess().map_or_else(String::new, |ip| ip.to_string()),
            port: "8480".to_owned(),
            shown: BTreeSet::new(),
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
        .default_pos([top_right.x - 600.0, top_right.y + 120.0])
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
        .radio_value(&mut form.lan, true, "The room's network, at this address:")
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
    ui.label(format!("Serving on http://{}", serving.address()));
    ui.weak("The pages stay served while this window is closed, until the exercise is.");
    let connections = serving.connections();
    let plan = seen.plan();
    egui::Grid::new("seats").striped(true).show(ui, |ui| {
        for (role, link) in serving.links() {
            let title = plan
                .roles
                .iter()
                .find(|r| *r.id == *role)
                .map_or_else(|| role.clone(), |r| r.title.to_string());
            ui.label(RichText::new(title).strong());
            let here: Vec<_> = connections.iter().filter(|c| c.role == role).collect();
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
                let mut shown = form.shown.contains(&role);
                if ui.checkbox(&mut shown, "show link").changed() {
                    if shown {
                        form.shown.insert(role.clone());
                    } else {
                        form.shown.remove(&role);
                    }
                }
                if ui.button("Copy link").clicked() {
                    ui.ctx().copy_text(link.clone());
                    asks.say(format!("the link for {role} is on the clipboard"), false);
                }
                if ui
                    .button("New link")
                    .on_hover_text("revokes this seat's link: its open pages stop at once")
                    .clicked()
                {
                    asks.push(Ask::Revoke(role.clone()));
                }
            });
            ui.end_row();
            if shown_link(form, &role) {
                ui.label("");
                ui.label(RichText::new(&link).monospace());
                ui.end_row();
            }
        }
    });
}

fn shown_link(form: &PlayersForm, role: &str) -> bool {
    form.shown.contains(role)
}
