//! The situation map: CSIRTs, authorities and organisations grouped by country and sector,
//! reporting, peer and supplier links, organisations coloured by state, the flows of the
//! last simulated hours highlighted. Click a node to inspect it.
//!
//! Drawing stays cheap for 10,000 organisations: small nodes go into one mesh of
//! rectangles, links are drawn for small maps or for the selected actor only, and flows
//! are capped. Above 20,000 a node per organisation would be smaller than a pixel: each
//! sector cell tallies its organisations by state instead (`cells`).

use egui::{
    Color32, FontId, Mesh, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2, epaint::CircleShape, vec2,
};

use std::collections::BTreeMap;

use crate::scenario::Minute;
use crate::sim::view::{ActorKind, EntityState};
use crate::words::thousands;

use super::super::feed::FlowKind;

use super::super::ask::{Ask, Asks};
use super::super::layout::COORDINATORS;
use super::super::look;
use super::super::seen::Seen;

mod cells;
mod fit;
mod names;

use cells::{AGGREGATE_ABOVE, draw_cells, part_at};
use fit::Fit;
use names::{Name, name_ui, place_name};

/// Maps with at most this many actors show every link and every label.
const SMALL_MAP: usize = 400;
const LABELLED_MAP: usize = 80;
/// Flows drawn at most (the newest).
const MAX_FLOWS: usize = 3_000;
/// Flows get arrow heads while there are at most this many.
const ARROWS: usize = 400;

fn legend_ui(ui: &mut Ui, seen: &Seen<'_>, aggregate: bool, asks: &mut Asks) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("Situation map");
        for state in look::STATES {
            let (rect, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
            ui.painter()
                .circle_filled(rect.center(), 5.0, look::state_color(state));
            ui.label(look::state_label(state));
        }
        let (rect, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
        ui.painter()
            .rect_filled(rect.shrink(1.0), 1.0, look::CSIRT_COLOR);
        ui.label("CSIRT");
        let (rect, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
        ui.painter()
            .rect_filled(rect.shrink(2.0), 0.0, look::AUTHORITY_COLOR);
        ui.label("authority");
        if aggregate {
            ui.separator();
            ui.label("organisations: one bar per sector")
                .on_hover_text(format!(
                    "Above {} organisations each sector's are counted, not drawn. Click a state in a bar to inspect one of its organisations.",
                    thousands(AGGREGATE_ABOVE)
                ));
        }
        ui.separator();
        ui.label("flows of the last");
        for hours in [1, 6, 24] {
            let minutes = hours * 60;
            if ui
                .selectable_label(seen.feed.flow_window == minutes, format!("{hours}h"))
                .clicked()
            {
                asks.push(Ask::FlowWindow(minutes));
            }
        }
    });
}

/// Size of the names on the map, in points (the console's zoom scales points).
const NAME_SIZE: f32 = 12.0;

fn node_radius(rect: Rect, n: usize) -> f32 {
    #[allow(clippy::cast_precision_loss, reason = "actor counts are small enough")]
    let per_node = (rect.area() / n.max(1) as f32).sqrt();
    (per_node * 0.28).clamp(1.5, 10.0)
}

pub fn map_ui(ui: &mut Ui, seen: &Seen<'_>, asks: &mut Asks) {
    let groups = &seen.actors.layout.groups;
    let aggregate = groups.iter().map(|g| g.members.len()).sum::<usize>() > AGGREGATE_ABOVE;
    legend_ui(ui, seen, aggregate, asks);
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Figure, true, "Situation map")
    });
    let rect = response.rect.shrink(6.0);
    let dark = ui.visuals().dark_mode;
    let text_color = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let name_height = painter
        .layout_no_wrap("Ag".to_owned(), FontId::proportional(NAME_SIZE), text_color)
        .size()
        .y;
    let fit = Fit::new(rect, &seen.actors.layout.groups, name_height + 6.0);
    let n = seen.actors.nodes.len();
    // The nodes drawn one by one: all of them, or the CSIRTs and authorities of a map that
    // tallies its organisations per cell.
    let drawn: Vec<usize> = if aggregate {
        (0..n)
            .filter(|ix| seen.actors.nodes[*ix].kind != ActorKind::Entity)
            .collect()
    } else {
        (0..n).collect()
    };
    let radius = node_radius(rect, drawn.len());

    // The names of countries and sectors, placed first: node names keep clear of them.
    let mut taken: Vec<Rect> = Vec::new();
    let mut names: Vec<Name> = Vec::new();
    for group in groups {
        let r = fit.group(group);
        if group.is_country {
            painter.rect_stroke(
                r.shrink(1.0),
                4.0,
                Stroke::new(1.0, weak.gamma_multiply(0.6)),
                egui::StrokeKind::Inside,
            );
            // Within the coordinators' column, left of the first sector's name.
            let width = (COORDINATORS * rect.width() - 8.0).max(NAME_SIZE * 2.0);
            let at = Rect::from_min_size(r.left_top() + vec2(6.0, 2.0), vec2(width, name_height));
            taken.push(at);
            names.push(Name {
                at,
                text: group.label.clone(),
                color: text_color,
                hover: None,
                actor: None,
            });
        } else {
            let fill = if dark {
                Color32::from_white_alpha(6)
            } else {
                Color32::from_black_alpha(8)
            };
            painter.rect_filled(r.shrink(2.0), 3.0, fill);
            if r.width() > NAME_SIZE * 2.5 {
                let at = Rect::from_min_size(
                    r.left_top() + vec2(4.0, 2.0),
                    vec2(r.width() - 8.0, name_height),
                );
                taken.push(at);
                names.push(Name {
                    at,
                    text: group.label.clone(),
                    color: weak,
                    hover: None,
                    actor: None,
                });
            }
        }
    }

    let place = |ix: usize| seen.actors.layout.positions.get(ix).map(|p| fit.node(*p));
    let placed: Vec<(Pos2, f32)> = drawn
        .iter()
        .map(|ix| place(*ix).unwrap_or((rect.center(), 1.0)))
        .collect();
    let positions: Vec<Pos2> = placed.iter().map(|(p, _)| *p).collect();
    let at = |ix: u32| place(ix as usize).map(|(p, _)| p);
    let cells = if aggregate {
        let mut shapes = Vec::new();
        let cells = draw_cells(
            groups,
            &seen.feed.states,
            &fit,
            name_height,
            weak,
            &mut shapes,
            &mut names,
        );
        painter.extend(shapes);
        Some(cells)
    } else {
        None
    };
    let parts = cells.as_ref().map_or(&[][..], |c| &c.parts[..]);
    let link_color = weak.gamma_multiply(0.35);
    let selected = seen.selected;
    for &(a, b, kind) in &seen.actors.links {
        let involved = selected.is_some_and(|s| s == a || s == b);
        if n > SMALL_MAP && !involved {
            continue;
        }
        let (Some(pa), Some(pb)) = (at(a), at(b)) else {
            continue;
        };
        let stroke = if involved {
            Stroke::new(1.5, weak)
        } else if kind == "peer" {
            Stroke::new(1.0, link_color.gamma_multiply(0.7))
        } else {
            Stroke::new(1.0, link_color)
        };
        painter.line_segment([pa, pb], stroke);
    }

    let now = seen.now();
    let window = seen.feed.flow_window.max(1);
    let skip = seen.feed.flows.len().saturating_sub(MAX_FLOWS);
    let newest = seen.feed.flows.iter().skip(skip);
    let lines: Vec<(Pos2, Pos2, FlowKind, Minute)> = match &cells {
        None => newest
            .filter_map(|f| Some((at(f.from)?, at(f.to)?, f.kind, f.t)))
            .collect(),
        // One line per sender, receiving cell (or actor) and kind: a national warning to
        // thousands is one line to each sector it reached.
        Some(cells) => {
            let end = |ix: u32| {
                let cell = seen
                    .actors
                    .layout
                    .cell_of
                    .get(ix as usize)
                    .copied()
                    .flatten();
                match cell.and_then(|c| Some((c, cells.anchors.get(c).copied().flatten()?))) {
                    Some((c, anchor)) => Some((u64::from(ix) | (c as u64) << 32, anchor)),
                    None => Some((u64::from(ix), at(ix)?)),
                }
            };
            let mut freshest: BTreeMap<(u64, u64, FlowKind), (Pos2, Pos2, Minute)> =
                BTreeMap::new();
            for flow in newest {
                let (Some((a, pa)), Some((b, pb))) = (end(flow.from), end(flow.to)) else {
                    continue;
                };
                let line = freshest
                    .entry((a, b, flow.kind))
                    .or_insert((pa, pb, flow.t));
                line.2 = line.2.max(flow.t);
            }
            freshest
                .into_iter()
                .map(|((_, _, kind), (pa, pb, t))| (pa, pb, kind, t))
                .collect()
        }
    };
    let arrows = lines.len() <= ARROWS;
    for (pa, pb, kind, t) in lines {
        #[allow(clippy::cast_precision_loss, reason = "minutes within a window")]
        let freshness = 1.0 - ((now - t) as f32 / window as f32).clamp(0.0, 0.85);
        let color = look::flow_color(kind).gamma_multiply(freshness);
        painter.line_segment([pa, pb], Stroke::new(1.0 + 2.0 * freshness, color));
        // An arrow head at the receiving end.
        let dir = (pb - pa).normalized();
        if arrows && dir.is_finite() {
            let tip = pb - dir * (radius + 1.0);
            let side = vec2(-dir.y, dir.x) * 4.0;
            painter.add(Shape::convex_polygon(
                vec![tip, tip - dir * 8.0 + side, tip - dir * 8.0 - side],
                color,
                Stroke::NONE,
            ));
        }
    }

    let mut mesh = Mesh::default();
    let mut circles = Vec::new();
    // Half the size each node is drawn at: never larger than the room between its grid
    // neighbours, with room for its name below it.
    let half: Vec<f32> = drawn
        .iter()
        .enumerate()
        .map(|(k, &ix)| {
            let node = &seen.actors.nodes[ix];
            let scale = placed.get(k).map_or(1.0, |(_, s)| *s);
            let room = seen
                .actors
                .layout
                .pitch
                .get(ix)
                .map_or(radius * 4.0, |pitch| {
                    let across = pitch[0] * rect.width();
                    let down = pitch[1] * rect.height() * scale;
                    (0.4 * across).min(((down - name_height - 3.0) / 2.0).max(0.3 * down))
                });
            let grow = match node.kind {
                ActorKind::Entity => 1.0,
                ActorKind::Csirt => 1.5,
                ActorKind::Authority => 1.3,
            };
            (radius * grow).min(room).max(1.5)
        })
        .collect();
    for (k, &ix) in drawn.iter().enumerate() {
        let node = &seen.actors.nodes[ix];
        let (Some(p), Some(r)) = (positions.get(k).copied(), half.get(k).copied()) else {
            continue;
        };
        match node.kind {
            ActorKind::Entity => {
                let state = seen
                    .feed
                    .states
                    .get(ix)
                    .copied()
                    .flatten()
                    .unwrap_or(EntityState::Unaware);
                let color = look::state_color(state);
                if r < 3.5 {
                    mesh.add_colored_rect(Rect::from_center_size(p, vec2(r, r) * 2.0), color);
                } else {
                    circles.push(Shape::Circle(CircleShape::filled(p, r, color)));
                }
            }
            ActorKind::Csirt => {
                mesh.add_colored_rect(
                    Rect::from_center_size(p, vec2(r, r) * 2.0),
                    look::CSIRT_COLOR,
                );
            }
            ActorKind::Authority => {
                circles.push(Shape::convex_polygon(
                    vec![
                        p + vec2(0.0, -r),
                        p + vec2(r, 0.0),
                        p + vec2(0.0, r),
                        p + vec2(-r, 0.0),
                    ],
                    look::AUTHORITY_COLOR,
                    Stroke::NONE,
                ));
            }
        }
    }
    painter.add(Shape::mesh(mesh));
    painter.extend(circles);

    if n <= LABELLED_MAP {
        // Names keep clear of every node and of each other; the selected actor's first.
        taken.extend(
            positions
                .iter()
                .zip(&half)
                .map(|(p, r)| Rect::from_center_size(*p, Vec2::splat(2.0 * r))),
        );
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|ix| selected.is_none_or(|s| s as usize != *ix));
        for ix in order {
            let (Some(node), Some(p), Some(r)) =
                (seen.actors.nodes.get(ix), positions.get(ix), half.get(ix))
            else {
                continue;
            };
            let size = painter
                .layout_no_wrap(node.id.clone(), FontId::proportional(NAME_SIZE), text_color)
                .size();
            let narrow = seen
                .actors
                .layout
                .pitch
                .get(ix)
                .map_or(size.x, |pitch| pitch[0] * rect.width() - 4.0)
                .max(NAME_SIZE * 2.5);
            // Its own node is no obstacle.
            let own = Rect::from_center_size(*p, Vec2::splat(2.0 * r));
            let others: Vec<Rect> = taken.iter().copied().filter(|t| *t != own).collect();
            if let Some(at) = place_name(*p, *r, size, narrow, rect, &others) {
                taken.push(at);
                let hover = format!("{} ({})", node.name, node.id);
                names.push(Name {
                    at,
                    text: node.id.clone(),
                    color: text_color,
                    hover: Some(hover),
                    actor: u32::try_from(ix).ok(),
                });
            }
        }
    }
    for name in &names {
        if name_ui(ui, name).clicked() && name.actor.is_some() {
            asks.push(Ask::Select(name.actor));
        }
    }
    if let Some(p) = selected.and_then(at) {
        painter.circle_stroke(p, radius.max(4.0) * 1.8 + 3.0, Stroke::new(2.5, text_color));
    }

    // Hover and click: the nearest node within reach of the pointer.
    let reach = (radius * 2.0).max(8.0);
    let nearest = |pointer: Pos2| {
        positions
            .iter()
            .zip(&drawn)
            .map(|(p, ix)| (*ix, p.distance_sq(pointer)))
            .filter(|(_, d)| *d <= reach * reach)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(ix, _)| crate::sim::plan::ix(ix))
    };
    let hovered = response.hover_pos().and_then(nearest);
    let part = response.hover_pos().and_then(|p| part_at(parts, p));
    if response.clicked() {
        let pointer = response.interact_pointer_pos();
        let hit = pointer.and_then(nearest).or_else(|| {
            pointer
                .and_then(|p| part_at(parts, p))
                .and_then(|part| part.first)
                .map(crate::sim::plan::ix)
        });
        asks.push(Ask::Select(hit));
    }
    if hovered.is_none()
        && let Some(part) = part
    {
        let first = part
            .first
            .and_then(|ix| seen.actors.nodes.get(ix))
            .map_or(String::new(), |node| {
                format!("\nclick to inspect {} ({})", node.name, node.id)
            });
        response.on_hover_text_at_pointer(format!(
            "{}: {} {}{first}",
            part.cell,
            thousands(part.count),
            look::state_label(part.state)
        ));
        return;
    }
    if let Some(node) = hovered.and_then(|h| seen.actors.nodes.get(h as usize)) {
        let state = seen
            .feed
            .states
            .get(hovered.map_or(0, |h| h as usize))
            .copied()
            .flatten()
            .map_or(String::new(), |s| format!(" — {}", look::state_label(s)));
        response.on_hover_text_at_pointer(format!(
            "{} ({}){state}\nclick to inspect",
            node.name, node.id
        ));
    }
}
