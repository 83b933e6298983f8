//! The inspector: what the selected actor knows and does. Indicators (when, from whom,
//! TLP, context), sightings, incidents, report deadlines as countdowns, the desk's queue,
//! staff and procedure steps, and pending decisions with "answer for the player" buttons.

use egui::{Color32, RichText, ScrollArea, Ui};

use crate::scenario::{Duration, Minute};
use crate::sim::Command;
use crate::sim::view::{ActorKind, ActorView};

use super::super::app::{Action, Exercise};
use super::super::feed::PendingDecision;
use super::super::layout::sector_label;
use super::super::look::{self, tlp_text};
use super::clock_bar::chip_ui;

/// Rows shown at most in one list; the rest is counted.
const MAX_ROWS: usize = 200;

/// "in 3h 20m", "4h ago", "now".
pub fn countdown(now: Minute, t: Minute) -> String {
    match t.cmp(&now) {
        std::cmp::Ordering::Greater => format!("in {}", Duration::minutes(t - now)),
        std::cmp::Ordering::Less => format!("{} ago", Duration::minutes(now - t)),
        std::cmp::Ordering::Equal => "now".to_owned(),
    }
}

/// A pending decision with its countdown, the roles that own it, and buttons to answer
/// for an absent player (doing nothing lets the default apply at the deadline).
pub fn decision_ui(
    ui: &mut Ui,
    exercise: &Exercise,
    decision: &PendingDecision,
    actions: &mut Vec<Action>,
) {
    let now = exercise.now();
    let plan = exercise.sim().plan();
    let owners: Vec<String> = plan
        .roles
        .iter()
        .filter(|r| r.owns(plan, &decision.decision))
        .map(|r| r.title.to_string())
        .collect();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(&decision.prompt).strong());
        ui.label(if owners.is_empty() {
            "No role answers it: answer for the organisation, or let the default apply".to_owned()
        } else {
            format!("Player: {}", owners.join(", "))
        });
        let (deadline, _) = exercise.times(decision.deadline);
        ui.label(
            RichText::new(format!(
                "{} · {} · takes \"{}\" at {deadline} ({})",
                decision.decision,
                decision.asked.join(", "),
                decision.default,
                countdown(now, decision.deadline)
            ))
            .small(),
        );
        ui.horizontal_wrapped(|ui| {
            ui.label("Answer for the player:");
            for option in &decision.options {
                if ui
                    .add_enabled(!exercise.is_review(), egui::Button::new(option))
                    .on_hover_text(format!("Decide {} = {option}", decision.decision))
                    .clicked()
                {
                    actions.push(Action::Submit(Command::Decide {
                        decision: decision.decision.clone(),
                        option: option.clone(),
                        by: "facilitator".to_owned(),
                    }));
                }
            }
        });
    });
}

fn count_more(ui: &mut Ui, total: usize) {
    if total > MAX_ROWS {
        ui.weak(format!("… and {} more", total - MAX_ROWS));
    }
}

fn actor_ui(ui: &mut Ui, exercise: &Exercise, view: &ActorView, actions: &mut Vec<Action>) {
    let now = exercise.now();
    ui.heading(&*view.name);
    ui.horizontal_wrapped(|ui| {
        let kind = match view.kind {
            ActorKind::Csirt => "CSIRT",
            ActorKind::Authority => "authority",
            ActorKind::Entity => "organisation",
        };
        ui.label(format!("{} · {kind}", view.id));
        if let Some(sector) = view.sector {
            ui.label(format!("· {}", sector_label(sector)));
        }
        if !view.country.is_empty() {
            ui.label(format!("· {}", view.country));
        }
        if let Some(state) = view.state {
            chip_ui(ui, look::state_label(state), look::state_color(state));
        }
        if let Some(desk) = &view.desk {
            chip_ui(
                ui,
                look::crisis_label(desk.crisis_level),
                look::crisis_color(desk.crisis_level),
            );
        }
    });

    let pending: Vec<&PendingDecision> = exercise
        .feed
        .pending
        .values()
        .filter(|d| d.asked.iter().any(|a| **a == *view.id))
        .collect();
    if !pending.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("Pending decisions").strong());
        for d in pending {
            decision_ui(ui, exercise, d, actions);
        }
    }

    if !view.reports.is_empty() {
        egui::CollapsingHeader::new(format!("Report deadlines ({})", view.reports.len()))
            .default_open(true)
            .show(ui, |ui| {
                for r in view.reports.iter().take(MAX_ROWS) {
                    let what = format!("#{} {:?} to {}", r.incident, r.report, r.to);
                    let (text, color) = match (r.sent, r.due) {
                        (Some(sent), Some(due)) if sent <= due => (
                            format!("sent {} (on time)", exercise.times(sent).0),
                            look::MET,
                        ),
                        (Some(sent), Some(due)) => (
                            format!(
                                "sent {} ({} late)",
                                exercise.times(sent).0,
                                Duration::minutes(sent - due)
                            ),
                            look::MISSED,
                        ),
                        (Some(sent), None) => {
                            (format!("sent {}", exercise.times(sent).0), look::MET)
                        }
                        (None, Some(due)) if due >= now => (
                            format!("due {} ({})", exercise.times(due).0, countdown(now, due)),
                            Color32::from_rgb(225, 150, 20),
                        ),
                        (None, Some(due)) => (
                            format!(
                                "OVERDUE since {} ({})",
                                exercise.times(due).0,
                                countdown(now, due)
                            ),
                            look::MISSED,
                        ),
                        (None, None) => ("not sent, no deadline".to_owned(), look::PENDING),
                    };
                    ui.horizontal_wrapped(|ui| {
                        ui.label(what);
                        ui.colored_label(color, text);
                    });
                }
                count_more(ui, view.reports.len());
            });
    }

    if let Some(desk) = &view.desk {
        egui::CollapsingHeader::new(format!(
            "Desk: {} of {} analysts free, {} queued",
            desk.available,
            desk.analysts,
            desk.queue.len()
        ))
        .default_open(true)
        .show(ui, |ui| {
            for (task, about, queued) in desk.queue.iter().take(MAX_ROWS) {
                ui.label(format!(
                    "{task} · {about} · queued {} ({})",
                    exercise.times(*queued).0,
                    countdown(now, *queued)
                ));
            }
            count_more(ui, desk.queue.len());
            let running: Vec<_> = desk.steps.iter().filter(|s| s.status != "done").collect();
            if !running.is_empty() {
                ui.label(RichText::new("Procedure steps in progress").strong());
                for s in running.iter().take(MAX_ROWS) {
                    let deadline = s.deadline.map_or_else(String::new, |d| {
                        format!(
                            " · deadline {} ({})",
                            exercise.times(d).0,
                            countdown(now, d)
                        )
                    });
                    let text = format!(
                        "{}#{} {} ({}) — {}{deadline}",
                        s.sop,
                        s.run,
                        s.step,
                        s.role.as_deref().unwrap_or("any analyst"),
                        s.status
                    );
                    if s.deadline.is_some_and(|d| d < now) {
                        ui.colored_label(look::MISSED, text);
                    } else {
                        ui.label(text);
                    }
                }
                count_more(ui, running.len());
            }
            let done = desk.steps.iter().filter(|s| s.status == "done").count();
            if done > 0 {
                ui.weak(format!("{done} procedure steps done"));
            }
        });
    }

    if !view.incidents.is_empty() {
        egui::CollapsingHeader::new(format!("Incidents ({})", view.incidents.len()))
            .default_open(true)
            .show(ui, |ui| {
                for (victim, campaign, at) in view.incidents.iter().take(MAX_ROWS) {
                    ui.label(format!(
                        "{} · campaign {campaign} · known since {}",
                        victim.as_deref().unwrap_or("(victim not named)"),
                        exercise.times(*at).0
                    ));
                }
                count_more(ui, view.incidents.len());
            });
    }

    egui::CollapsingHeader::new(format!("Indicators known ({})", view.indicators.len()))
        .default_open(true)
        .show(ui, |ui| {
            for i in view.indicators.iter().take(MAX_ROWS) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&*i.id).strong())
                        .on_hover_text(&*i.value);
                    ui.label(tlp_text(i.tlp));
                    ui.label(
                        RichText::new(format!(
                            "since {} · from {} · {}",
                            exercise.times(i.at).0,
                            i.from.as_deref().unwrap_or("own detection"),
                            if i.context.is_empty() {
                                "no context".to_owned()
                            } else {
                                i.context.join(", ")
                            }
                        ))
                        .small(),
                    );
                });
            }
            count_more(ui, view.indicators.len());
        });

    if !view.sightings.is_empty() {
        egui::CollapsingHeader::new(format!("Sightings ({})", view.sightings.len())).show(
            ui,
            |ui| {
                for s in view.sightings.iter().take(MAX_ROWS) {
                    ui.label(format!(
                        "{} · reported by {} · first seen {} · known since {}",
                        s.indicator,
                        s.reported_by,
                        exercise.times(s.first_seen).0,
                        exercise.times(s.learned_at).0
                    ));
                }
                count_more(ui, view.sightings.len());
            },
        );
    }
}

pub fn inspector_ui(ui: &mut Ui, exercise: &mut Exercise) {
    let mut actions = Vec::new();
    ScrollArea::vertical()
        .id_salt("inspector")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(view) = &exercise.views.selected {
                if ui.small_button("clear selection").clicked() {
                    actions.push(Action::Select(None));
                }
                actor_ui(ui, exercise, view, &mut actions);
            } else {
                ui.heading("Inspector");
                ui.label("Click a node on the map to see what that actor knows and does.");
                if !exercise.feed.pending.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Pending decisions").strong());
                    let pending: Vec<PendingDecision> =
                        exercise.feed.pending.values().cloned().collect();
                    for d in &pending {
                        decision_ui(ui, exercise, d, &mut actions);
                    }
                }
            }
        });
    exercise.actions.extend(actions);
}
