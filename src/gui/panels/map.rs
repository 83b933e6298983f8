//! The situation map: CSIRTs, authorities and organisations grouped by country and sector,
//! reporting, peer and supplier links, organisations coloured by state, the flows of the
//! last simulated hours highlighted. Click a node to inspect it.
//!
//! Drawing stays cheap for 10,000 organisations: small nodes go into one mesh of
//! rectangles, links are drawn for small maps or for the selected actor only, and flows
//! are capped.

use egui::{
    Align2, Color32, FontId, Mesh, Pos2, Rect, Sense, Shape, Stroke, Ui, epaint::CircleShape, pos2,
    vec2,
};

use crate::sim::view::{ActorKind, EntityState};

use super::super::ask::{Ask, Asks};
use super::super::look;
use super::super::seen::Seen;

/// Maps with at most this many actors show every link and every label.
const SMALL_MAP: usize = 400;
const LABELLED_MAP: usize = 80;
/// Flows drawn at most (the newest).
const MAX_FLOWS: usize = 3_000;
/// Flows get arrow heads while there are at most this many.
const ARROWS: usize = 400;

fn legend_ui(ui: &mut Ui, seen: &Seen<'_>, asks: &mut Asks) {
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

fn node_radius(rect: Rect, n: usize) -> f32 {
    #[allow(clippy::cast_precision_loss, reason = "actor counts are small enough")]
    let per_node = (rect.area() / n.max(1) as f32).sqrt();
    (per_node * 0.28).clamp(1.5, 10.0)
}

pub fn map_ui(ui: &mut Ui, seen: &Seen<'_>, asks: &mut Asks) {
    legend_ui(ui, seen, asks);
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click());
    let rect = response.rect.shrink(6.0);
    let dark = ui.visuals().dark_mode;
    let text_color = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let to_screen = |p: [f32; 2]| {
        pos2(
            rect.left() + p[0] * rect.width(),
            rect.top() + p[1] * rect.height(),
        )
    };
    let n = seen.actors.nodes.len();
    let radius = node_radius(rect, n);

    for group in &seen.actors.layout.groups {
        let r = Rect::from_min_max(
            to_screen([group.rect[0], group.rect[1]]),
            to_screen([group.rect[2], group.rect[3]]),
        );
        if group.is_country {
            painter.rect_stroke(
                r.shrink(1.0),
                4.0,
                Stroke::new(1.0, weak.gamma_multiply(0.6)),
                egui::StrokeKind::Inside,
            );
            painter.text(
                r.left_top() + vec2(6.0, 2.0),
                Align2::LEFT_TOP,
                &group.label,
                FontId::proportional(15.0),
                text_color,
            );
        } else {
            let fill = if dark {
                Color32::from_white_alpha(6)
            } else {
                Color32::from_black_alpha(8)
            };
            painter.rect_filled(r.shrink(2.0), 3.0, fill);
            // As much of the sector's name as fits its cell.
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a count of characters from a width in points"
            )]
            let fits = ((r.width() - 8.0) / 6.5).max(0.0) as usize;
            let label: String = if group.label.chars().count() <= fits {
                group.label.clone()
            } else if fits >= 4 {
                let mut short: String = group.label.chars().take(fits - 1).collect();
                short.push('…');
                short
            } else {
                String::new()
            };
            if !label.is_empty() {
                painter.text(
                    r.left_top() + vec2(4.0, 2.0),
                    Align2::LEFT_TOP,
                    label,
                    FontId::proportional(12.0),
                    weak,
                );
            }
        }
    }

    let positions: Vec<Pos2> = seen
        .actors
        .layout
        .positions
        .iter()
        .map(|p| to_screen(*p))
        .collect();
    let link_color = weak.gamma_multiply(0.35);
    let selected = seen.selected;
    for &(a, b, kind) in &seen.actors.links {
        let involved = selected.is_some_and(|s| s == a || s == b);
        if n > SMALL_MAP && !involved {
            continue;
        }
        let (Some(pa), Some(pb)) = (positions.get(a as usize), positions.get(b as usize)) else {
            continue;
        };
        let stroke = if involved {
            Stroke::new(1.5, weak)
        } else if kind == "peer" {
            Stroke::new(1.0, link_color.gamma_multiply(0.7))
        } else {
            Stroke::new(1.0, link_color)
        };
        painter.line_segment([*pa, *pb], stroke);
    }

    let now = seen.now();
    let window = seen.feed.flow_window.max(1);
    let skip = seen.feed.flows.len().saturating_sub(MAX_FLOWS);
    let arrows = seen.feed.flows.len() - skip <= ARROWS;
    for flow in seen.feed.flows.iter().skip(skip) {
        let (Some(pa), Some(pb)) = (
            positions.get(flow.from as usize),
            positions.get(flow.to as usize),
        ) else {
            continue;
        };
        #[allow(clippy::cast_precision_loss, reason = "minutes within a window")]
        let freshness = 1.0 - ((now - flow.t) as f32 / window as f32).clamp(0.0, 0.85);
        let color = look::flow_color(flow.kind).gamma_multiply(freshness);
        painter.line_segment([*pa, *pb], Stroke::new(1.0 + 2.0 * freshness, color));
        // An arrow head at the receiving end.
        let dir = (*pb - *pa).normalized();
        if arrows && dir.is_finite() {
            let tip = *pb - dir * (radius + 1.0);
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
    for (ix, node) in seen.actors.nodes.iter().enumerate() {
        let Some(p) = positions.get(ix).copied() else {
            continue;
        };
        // Never larger than the room between grid neighbours.
        let radius = seen.actors.layout.pitch.get(ix).map_or(radius, |pitch| {
            radius.min(0.4 * (pitch[0] * rect.width()).min(pitch[1] * rect.height()))
        });
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
                if radius < 3.5 {
                    mesh.add_colored_rect(
                        Rect::from_center_size(p, vec2(radius, radius) * 2.0),
                        color,
                    );
                } else {
                    circles.push(Shape::Circle(CircleShape::filled(p, radius, color)));
                }
            }
            ActorKind::Csirt => {
                let r = (radius * 1.5).max(2.5);
                mesh.add_colored_rect(
                    Rect::from_center_size(p, vec2(r, r) * 2.0),
                    look::CSIRT_COLOR,
                );
            }
            ActorKind::Authority => {
                let r = (radius * 1.3).max(2.5);
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
        for (ix, node) in seen.actors.nodes.iter().enumerate() {
            let Some(p) = positions.get(ix) else { continue };
            painter.text(
                *p + vec2(0.0, radius.max(4.0) * 1.5 + 2.0),
                Align2::CENTER_TOP,
                &node.id,
                FontId::proportional(12.0),
                text_color,
            );
        }
    }
    if let Some(p) = selected.and_then(|s| positions.get(s as usize)) {
        painter.circle_stroke(
            *p,
            radius.max(4.0) * 1.8 + 3.0,
            Stroke::new(2.5, text_color),
        );
    }

    // Hover and click: the nearest node within reach of the pointer.
    let reach = (radius * 2.0).max(8.0);
    let nearest = |pointer: Pos2| {
        positions
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p.distance_sq(pointer)))
            .filter(|(_, d)| *d <= reach * reach)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
    };
    let hovered = response.hover_pos().and_then(nearest);
    if response.clicked() {
        let hit = response.interact_pointer_pos().and_then(nearest);
        asks.push(Ask::Select(hit));
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
