//! The inspector: what the selected actor knows and does. Indicators (when, from whom,
//! TLP, context), sightings, incidents, report deadlines as countdowns, the desk's queue,
//! staff and procedure steps, and pending decisions with "answer for the player" buttons.

use egui::{Color32, RichText, ScrollArea, Ui};

use crate::scenario::Duration;
use crate::sim::view::{ActorKind, ActorView};

use super::super::ask::{Ask, Asks};
use super::super::feed::PendingDecision;
use super::super::look::{self, tlp_text};
use super::super::seen::Seen;
use super::super::widgets::{chip_ui, countdown, decision_ui};

/// Rows shown at most in one list; the rest is counted.
const MAX_ROWS: usize = 200;

fn count_more(ui: &mut Ui, total: usize) {
    if total > MAX_ROWS {
        ui.weak(format!("… and {} more", total - MAX_ROWS));
    }
}

fn actor_ui(ui: &mut Ui, seen: &Seen<'_>, view: &ActorView, asks: &mut Asks) {
    let now = seen.now();
    ui.heading(&*view.name);
    ui.horizontal_wrapped(|ui| {
        let kind = match view.kind {
            ActorKind::Csirt => "CSIRT",
            ActorKind::Authority => "authority",
            ActorKind::Entity => "organisation",
        };
        ui.label(format!("{} · {kind}", view.id));
        if let Some(sector) = view.sector {
            ui.label(format!("· {}", sector.label()));
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

    let pending: Vec<&PendingDecision> = seen
        .feed
        .pending
        .values()
        .filter(|d| d.asked.iter().any(|a| **a == *view.id))
        .collect();
    if !pending.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("Pending decisions").strong());
        for d in pending {
            decision_ui(ui, seen, d, asks);
        }
    }

    if !view.reports.is_empty() {
        egui::CollapsingHeader::new(format!("Report deadlines ({})", view.reports.len()))
            .default_open(true)
            .show(ui, |ui| {
                for r in view.reports.iter().take(MAX_ROWS) {
                    let what = format!("#{} {} to {}", r.incident, r.report.label(), r.to);
                    let (text, color) = match (r.sent, r.due) {
                        (Some(sent), Some(due)) if sent <= due => {
                            (format!("sent {} (on time)", seen.times(sent).0), look::MET)
                        }
                        (Some(sent), Some(due)) => (
                            format!(
                                "sent {} ({} late)",
                                seen.times(sent).0,
                                Duration::minutes(sent - due)
                            ),
                            look::MISSED,
                        ),
                        (Some(sent), None) => (format!("sent {}", seen.times(sent).0), look::MET),
                        (None, Some(due)) if due >= now => (
                            format!("due {} ({})", seen.times(due).0, countdown(now, due)),
                            Color32::from_rgb(225, 150, 20),
                        ),
                        (None, Some(due)) => (
                            format!(
                                "OVERDUE since {} ({})",
                                seen.times(due).0,
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
            ui.label(desk.staffing.label());
            for (task, about, queued) in desk.queue.iter().take(MAX_ROWS) {
                ui.label(format!(
                    "{task} · {about} · queued {} ({})",
                    seen.times(*queued).0,
                    countdown(now, *queued)
                ));
            }
            count_more(ui, desk.queue.len());
            let running: Vec<_> = desk.steps.iter().filter(|s| s.status != "done").collect();
            if !running.is_empty() {
                ui.label(RichText::new("Procedure steps in progress").strong());
                for s in running.iter().take(MAX_ROWS) {
                    let deadline = s.deadline.map_or_else(String::new, |d| {
                        format!(" · deadline {} ({})", seen.times(d).0, countdown(now, d))
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
                        seen.times(*at).0
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
                            seen.times(i.at).0,
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
                        seen.times(s.first_seen).0,
                        seen.times(s.learned_at).0
                    ));
                }
                count_more(ui, view.sightings.len());
            },
        );
    }
}

pub fn inspector_ui(ui: &mut Ui, seen: &Seen<'_>, asks: &mut Asks) {
    ScrollArea::vertical()
        .id_salt("inspector")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(view) = &seen.views.selected {
                if ui.small_button("clear selection").clicked() {
                    asks.push(Ask::Select(None));
                }
                actor_ui(ui, seen, view, asks);
            } else {
                ui.heading("Inspector");
                ui.label("Click a node on the map to see what that actor knows and does.");
                if !seen.feed.pending.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Pending decisions").strong());
                    let pending: Vec<&PendingDecision> = seen.feed.pending.values().collect();
                    for d in pending {
                        decision_ui(ui, seen, d, asks);
                    }
                }
            }
        });
}
