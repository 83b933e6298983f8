//! A trainee's seat: the window of one role, for a second screen or a trainee's laptop
//! next to the facilitator. It shows only the [`RoleView`] the host keeps for the seat
//! (what the role's actor knows, what is addressed to it) and asks for commands through
//! [`SeatRequest`]s; it never sees the simulation itself, so it cannot show what the actor
//! does not know.

use std::collections::BTreeSet;

use egui::{Color32, ComboBox, RichText, ScrollArea, Ui};

use crate::scenario::{ActionKind, Minute, Tlp, WallClock};
use crate::sim::PlayerAction;
use crate::sim::view::{InboxKind, RoleView};

use crate::host::Intent;

use super::super::ask::Asks;
use super::super::look::{self, tlp_text};
use super::super::seen::Seen;
use super::super::widgets::{chip_ui, countdown};

/// What a seat asks of the console.
#[derive(Clone, Debug, PartialEq)]
pub enum SeatRequest {
    /// Answer one of the role's prompts.
    Decide {
        decision: String,
        option: String,
    },
    /// Answer a free-text discussion question in the player's words.
    Answer {
        decision: String,
        text: String,
    },
    /// Take an action (checked first so a refusal reads at once with its reason; given
    /// in any case, so the attempt is on the record).
    Act(PlayerAction),
    /// Save what the role knows now as a MISP event (EXERCISE data) beside the session.
    SaveForMisp,
    Close,
}

/// The state of one role's window: its forms and its last message (its view is the
/// host's).
#[derive(Clone, Debug)]
pub struct SeatForm {
    pub role: String,
    /// Indicators ticked for a share or a warning (ids).
    pub picked: BTreeSet<String>,
    pub share_to: String,
    pub tlp: Tlp,
    /// Whom a CSIRT scans; empty for its whole constituency.
    pub scan: String,
    /// The answer to the last action: (text, refused).
    pub message: Option<(String, bool)>,
    /// Free-text answers being written, by decision.
    pub answers: std::collections::BTreeMap<String, String>,
}

impl SeatForm {
    pub fn new(role: &str) -> Self {
        Self {
            role: role.to_owned(),
            picked: BTreeSet::new(),
            share_to: String::new(),
            tlp: Tlp::Amber,
            scan: String::new(),
            message: None,
            answers: std::collections::BTreeMap::new(),
        }
    }
}

/// Items drawn at most in one list (the most recent first); the rest is counted. A
/// national CSIRT's inbox in a 10,000-organisation exercise holds thousands of lines.
const SHOWN: usize = 100;

fn more(ui: &mut Ui, total: usize, what: &str) {
    if total > SHOWN {
        ui.weak(format!("… and {} older {what} not shown", total - SHOWN));
    }
}

/// The actor's indicators, the most recently learned first.
fn recent_indicators(view: &RoleView) -> Vec<&crate::sim::view::KnownIndicator> {
    let mut known: Vec<_> = view.indicators.iter().collect();
    known.sort_by_key(|k| std::cmp::Reverse(k.at));
    known.truncate(SHOWN);
    known
}

const TLPS: [Tlp; 5] = [
    Tlp::Red,
    Tlp::AmberStrict,
    Tlp::Amber,
    Tlp::Green,
    Tlp::Clear,
];

fn heading(ui: &mut Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(text).strong().size(16.0));
}

fn when(start: &WallClock, t: Minute) -> String {
    format!(
        "{} ({})",
        crate::scenario::time::format_offset(t),
        start.plus(t).describe()
    )
}

/// An answer the seat gave while the clock was paused, not yet played: (decision, option
/// or the words of a free-text answer, the minute it takes effect).
pub type QueuedAnswer = (String, String, Minute);

/// The role's window. Everything it shows comes from `view`, and from the answers it gave
/// that wait for the clock.
pub fn role_ui(
    ui: &mut Ui,
    seat: &mut SeatForm,
    view: Option<&RoleView>,
    queued: &[QueuedAnswer],
    start: &WallClock,
) -> Vec<SeatRequest> {
    let mut requests = Vec::new();
    let Some(view) = view else {
        ui.label(format!("No role \"{}\" in this scenario.", seat.role));
        return requests;
    };
    let now = view.now;
    ui.horizontal_wrapped(|ui| {
        ui.heading(&*view.title);
        if let Some(level) = view.crisis_level {
            chip_ui(ui, look::crisis_label(level), look::crisis_color(level));
        }
        if ui.button("Close").clicked() {
            requests.push(SeatRequest::Close);
        }
        // In the header, where it is always in reach, whatever the window scrolled to.
        if !view.indicators.is_empty()
            && ui
                .button("Download for MISP")
                .on_hover_text(
                    "Saves what you know now as a MISP event beside the session file: exercise data, unpublished, for your organisation only, never for an IDS",
                )
                .clicked()
        {
            requests.push(SeatRequest::SaveForMisp);
        }
    });
    ui.label(format!(
        "Playing {} · {}",
        view.actor_name,
        when(start, now)
    ));
    if !view.briefing.is_empty() {
        ui.label(RichText::new(&*view.briefing).italics());
    }
    if let Some((text, refused)) = &seat.message {
        let color = if *refused {
            Color32::from_rgb(220, 60, 60)
        } else {
            Color32::from_rgb(60, 160, 90)
        };
        ui.label(RichText::new(text).color(color));
    }
    // A refusal stands until the trainee changes the form it was about.
    let form_before = (
        seat.picked.clone(),
        seat.share_to.clone(),
        seat.tlp,
        seat.scan.clone(),
    );
    ScrollArea::vertical().auto_shrink(false).show(ui, |ui| {
        prompts_ui(ui, view, (queued, &mut seat.answers), start, &mut requests);
        actions_ui(ui, view, seat, &mut requests);
        deadlines_ui(ui, view, start);
        inbox_ui(ui, view);
        knowledge_ui(ui, view);
    });
    let form_after = (
        seat.picked.clone(),
        seat.share_to.clone(),
        seat.tlp,
        seat.scan.clone(),
    );
    if form_before != form_after && seat.message.as_ref().is_some_and(|(_, refused)| *refused) {
        seat.message = None;
    }
    requests
}

fn prompts_ui(
    ui: &mut Ui,
    view: &RoleView,
    (queued, drafts): (
        &[QueuedAnswer],
        &mut std::collections::BTreeMap<String, String>,
    ),
    start: &WallClock,
    requests: &mut Vec<SeatRequest>,
) {
    heading(ui, "Decisions for you");
    if view.prompts.is_empty() {
        ui.weak("Nothing to decide right now.");
    }
    // Drafts of questions no longer open are dropped.
    drafts.retain(|d, _| view.prompts.iter().any(|p| p.decision == *d));
    for prompt in &view.prompts {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new(&prompt.prompt).strong());
            ui.label(format!("About: {}", prompt.concerns));
            if prompt.is_free_text() {
                ui.label(format!(
                    "Answer in your own words {} (by {})",
                    countdown(view.now, prompt.deadline),
                    when(start, prompt.deadline)
                ));
            } else {
                let default = prompt
                    .options
                    .iter()
                    .find(|(id, _)| *id == prompt.default)
                    .map_or(prompt.default.as_str(), |(_, label)| label.as_str());
                ui.label(format!(
                    "Answer {} — otherwise \"{default}\" applies at {}",
                    countdown(view.now, prompt.deadline),
                    when(start, prompt.deadline)
                ));
            }
            let label_of = |id: &str| {
                prompt
                    .options
                    .iter()
                    .find(|(o, _)| o == id)
                    .map_or(id.to_owned(), |(_, label)| label.clone())
            };
            if let Some((_, option, at)) = queued.iter().find(|(d, _, _)| *d == prompt.decision) {
                ui.label(
                    RichText::new(format!(
                        "Your answer \"{}\" is recorded; it {} at {} when the clock moves on.",
                        label_of(option),
                        if prompt.is_free_text() {
                            "reaches exercise control"
                        } else {
                            "takes effect"
                        },
                        when(start, *at)
                    ))
                    .color(Color32::from_rgb(60, 160, 90)),
                );
                return;
            }
            if prompt.is_free_text() {
                let draft = drafts.entry(prompt.decision.clone()).or_default();
                let label = ui.label("Your organisation's answer");
                ui.add(
                    egui::TextEdit::multiline(draft)
                        .hint_text("As you would say it in the room")
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                if ui
                    .add_enabled(!draft.trim().is_empty(), egui::Button::new("Send answer"))
                    .clicked()
                {
                    requests.push(SeatRequest::Answer {
                        decision: prompt.decision.clone(),
                        text: draft.trim().to_owned(),
                    });
                }
                return;
            }
            for (id, label) in &prompt.options {
                if ui.button(label).on_hover_text(id).clicked() {
                    requests.push(SeatRequest::Decide {
                        decision: prompt.decision.clone(),
                        option: id.clone(),
                    });
                }
            }
        });
    }
}

fn actions_ui(ui: &mut Ui, view: &RoleView, seat: &mut SeatForm, requests: &mut Vec<SeatRequest>) {
    heading(ui, "Your actions");
    let can = |kind| view.actions.contains(&kind);
    if can(ActionKind::Share) || can(ActionKind::Warn) {
        if view.indicators.is_empty() {
            ui.weak("You hold no indicators to share yet.");
        } else {
            ui.label("Indicators to pass on:");
            for known in recent_indicators(view) {
                let mut ticked = seat.picked.contains(&*known.id);
                ui.horizontal(|ui| {
                    if ui.checkbox(&mut ticked, &*known.value).changed() {
                        if ticked {
                            seat.picked.insert(known.id.to_string());
                        } else {
                            seat.picked.remove(&*known.id);
                        }
                    }
                    ui.label(tlp_text(known.tlp));
                });
            }
            more(ui, view.indicators.len(), "indicators");
            ui.horizontal_wrapped(|ui| {
                ComboBox::new(("tlp", &seat.role), "marking")
                    .selected_text(seat.tlp.to_string())
                    .show_ui(ui, |ui| {
                        for tlp in TLPS {
                            ui.selectable_value(&mut seat.tlp, tlp, tlp.to_string());
                        }
                    });
                if can(ActionKind::Share) {
                    let to_name = view
                        .recipients
                        .iter()
                        .find(|(id, _)| **id == *seat.share_to)
                        .map_or("choose a recipient", |(_, name)| name);
                    ComboBox::new(("to", &seat.role), "recipient")
                        .selected_text(to_name)
                        .show_ui(ui, |ui| {
                            for (id, name) in view.recipients.iter() {
                                ui.selectable_value(&mut seat.share_to, id.to_string(), &**name);
                            }
                        });
                    if ui.button("Share").clicked() {
                        requests.push(SeatRequest::Act(PlayerAction::Share {
                            to: seat.share_to.clone(),
                            indicators: seat.picked.iter().cloned().collect(),
                            tlp: seat.tlp,
                        }));
                    }
                }
                if can(ActionKind::Warn) && ui.button("Warn the constituency").clicked() {
                    requests.push(SeatRequest::Act(PlayerAction::Warn {
                        indicators: seat.picked.iter().cloned().collect(),
                        tlp: seat.tlp,
                    }));
                }
            });
        }
    }
    if can(ActionKind::RequestScan) {
        ui.horizontal_wrapped(|ui| {
            if view.kind == crate::sim::view::ActorKind::Csirt {
                ui.label("Scan");
                ui.add(
                    egui::TextEdit::singleline(&mut seat.scan)
                        .hint_text("organisation id, or empty for all")
                        .desired_width(200.0),
                );
            }
            if ui.button("Request a scan").clicked() {
                let entity = (!seat.scan.trim().is_empty()).then(|| seat.scan.trim().to_owned());
                requests.push(SeatRequest::Act(PlayerAction::RequestScan { entity }));
            }
        });
    }
    if can(ActionKind::Report) {
        if view.owed.is_empty() {
            ui.weak("No report owed.");
        }
        for owed in &view.owed {
            ui.horizontal_wrapped(|ui| {
                let due = owed
                    .due
                    .map_or_else(|| "no deadline yet".to_owned(), |d| countdown(view.now, d));
                ui.label(format!(
                    "Incident #{}: {} to {} (due {due})",
                    owed.incident,
                    owed.report.label(),
                    owed.to
                ));
                if ui.button("Send now").clicked() {
                    requests.push(SeatRequest::Act(PlayerAction::Report {
                        incident: owed.incident,
                        report: owed.report.clone(),
                    }));
                }
            });
        }
    }
    if can(ActionKind::RaiseCrisis) {
        ui.horizontal_wrapped(|ui| {
            if view.raisable.is_empty() {
                ui.weak("No higher crisis level to raise to.");
            }
            for level in &view.raisable {
                if ui
                    .button(format!("Raise to {}", look::crisis_label(*level)))
                    .clicked()
                {
                    requests.push(SeatRequest::Act(PlayerAction::RaiseCrisis {
                        level: *level,
                    }));
                }
            }
        });
    }
}

fn deadlines_ui(ui: &mut Ui, view: &RoleView, start: &WallClock) {
    heading(ui, "Deadlines");
    if view.deadlines.is_empty() {
        ui.weak("No clock is running for you.");
    }
    for d in view.deadlines.iter().take(SHOWN) {
        let state = match d.done {
            Some(done) if done <= d.due => format!("done at {}", when(start, done)),
            Some(done) => format!("done LATE at {}", when(start, done)),
            None if d.due < view.now => "OVERDUE".to_owned(),
            None => countdown(view.now, d.due),
        };
        ui.label(format!("{} — due {} — {state}", d.what, when(start, d.due)));
    }
    more(ui, view.deadlines.len(), "deadlines");
}

fn inbox_ui(ui: &mut Ui, view: &RoleView) {
    heading(ui, "Inbox");
    if view.inbox.is_empty() {
        ui.weak("Nothing has reached you yet.");
    }
    for item in view.inbox.iter().rev().take(SHOWN) {
        let tag = item.kind.label();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            let head = format!(
                "{} · {tag} · {} — {}",
                crate::scenario::time::format_offset(item.at),
                item.from,
                item.subject
            );
            if item.kind == InboxKind::Refusal {
                ui.label(RichText::new(head).color(Color32::from_rgb(220, 60, 60)));
            } else {
                ui.label(RichText::new(head).strong());
            }
            if !item.body.is_empty() {
                ui.label(&item.body);
            }
        });
    }
    more(ui, view.inbox.len(), "messages");
}

fn knowledge_ui(ui: &mut Ui, view: &RoleView) {
    heading(ui, "What you know");
    if view.indicators.is_empty() {
        ui.weak("No indicators yet.");
    }
    for known in recent_indicators(view) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&*known.value).monospace());
            ui.label(tlp_text(known.tlp));
            let from = known.from.as_deref().unwrap_or("your own detection");
            ui.label(format!(
                "since {} from {from}",
                crate::scenario::time::format_offset(known.at)
            ));
            if !known.context.is_empty() {
                ui.weak(known.context.join(", "));
            }
        });
    }
    more(ui, view.indicators.len(), "indicators");
    if !view.incidents.is_empty() {
        ui.label(RichText::new("Incidents").strong());
    }
    let mut incidents: Vec<_> = view.incidents.iter().collect();
    incidents.sort_by_key(|(_, _, at)| std::cmp::Reverse(*at));
    for (victim, from, at) in incidents.into_iter().take(SHOWN) {
        ui.label(format!(
            "{} — known since {}{}",
            victim
                .as_deref()
                .unwrap_or("an organisation you cannot name"),
            crate::scenario::time::format_offset(*at),
            from.as_deref()
                .map_or_else(String::new, |f| format!(", from {f}"))
        ));
    }
    more(ui, view.incidents.len(), "incidents");
}

/// The facilitator's menu of seats: a window per role, and the projector.
pub fn seats_menu_ui(ui: &mut Ui, seen: &Seen<'_>, asks: &mut Asks) {
    let plan = seen.plan();
    let seats = seen.host.seats();
    ui.menu_button("Roles & projector", |ui| {
        if plan.roles.is_empty() {
            ui.weak("This scenario defines no roles.");
        }
        for role in &plan.roles {
            let mut open = seats.open().iter().any(|s| *s.role == *role.id);
            if ui
                .checkbox(&mut open, format!("{} ({})", role.title, role.id))
                .on_hover_text("a window with only what this role knows, for a trainee's screen")
                .changed()
            {
                asks.host(Intent::Seat {
                    role: role.id.to_string(),
                    open,
                });
            }
        }
        ui.separator();
        let mut projector = seats.projector_open();
        if ui
            .checkbox(&mut projector, "Projector (public picture)")
            .changed()
        {
            asks.host(Intent::Projector(projector));
        }
    });
}
