//! The map of a national or EU exercise. Above [`AGGREGATE_ABOVE`] organisations a node per
//! organisation is smaller than a pixel and drawing them all costs the frame its budget,
//! so each sector cell shows how its organisations stand instead: one bar split by state,
//! the worst states first, each state that has any organisation a few points wide however
//! few they are, and a count beneath. Clicking a state's part of a bar inspects the
//! cell's first organisation in that state.

use egui::{Color32, Pos2, Rect, Shape, pos2, vec2};

use crate::sim::view::EntityState;
use crate::words::thousands;

use super::super::super::layout::Group;
use super::super::super::look;
use super::fit::Fit;
use super::names::Name;

/// Maps with more organisations than this draw a tally per sector cell.
pub(super) const AGGREGATE_ABOVE: usize = 20_000;

/// The bar's order: the worst states first, so that a handful of impacted organisations
/// among thousands are the first thing seen.
const ORDER: [EntityState; 5] = [
    EntityState::Impacted,
    EntityState::Compromised,
    EntityState::Detected,
    EntityState::Contained,
    EntityState::Unaware,
];

/// The narrowest a state's part of a bar gets when any organisation is in it, in points.
const MIN_PART: f32 = 4.0;

/// How the organisations of one cell stand, in [`ORDER`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Tally {
    pub(super) counts: [usize; 5],
    /// The cell's first organisation (actor index) in each state.
    pub(super) first: [Option<usize>; 5],
}

impl Tally {
    pub(super) fn of(members: &[usize], states: &[Option<EntityState>]) -> Self {
        let mut tally = Self::default();
        for &ix in members {
            let state = states
                .get(ix)
                .copied()
                .flatten()
                .unwrap_or(EntityState::Unaware);
            let k = rank(state);
            tally.counts[k] += 1;
            tally.first[k].get_or_insert(ix);
        }
        tally
    }

    fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Organisations in any state but unaware.
    fn affected(&self) -> usize {
        self.total() - self.counts[rank(EntityState::Unaware)]
    }

    /// "12 impacted · 40 compromised · 8,000 unaware": every state that has any.
    fn breakdown(&self) -> String {
        ORDER
            .iter()
            .zip(self.counts)
            .filter(|(_, n)| *n > 0)
            .map(|(state, n)| format!("{} {}", thousands(n), look::state_label(*state)))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The widths of the bar's parts in [`ORDER`] for a bar `width` points wide: each
    /// state's share, at least [`MIN_PART`] for a state that has anyone, the unaware taking
    /// what is left.
    fn widths(&self, width: f32) -> [f32; 5] {
        let total = self.total();
        let mut widths = [0.0; 5];
        if total == 0 {
            return widths;
        }
        #[allow(clippy::cast_precision_loss, reason = "organisation counts")]
        for (k, n) in self.counts.iter().enumerate().take(4) {
            if *n > 0 {
                widths[k] = (width * *n as f32 / total as f32).max(MIN_PART);
            }
        }
        let marked: f32 = widths.iter().sum();
        if marked > width {
            // A narrow cell: the affected share the whole bar.
            for w in &mut widths {
                *w *= width / marked;
            }
        } else if self.counts[4] > 0 {
            widths[4] = width - marked;
        } else if let Some(last) = widths.iter_mut().rev().find(|w| **w > 0.0) {
            *last += width - marked;
        }
        widths
    }
}

fn rank(state: EntityState) -> usize {
    ORDER
        .iter()
        .position(|s| *s == state)
        .unwrap_or(ORDER.len() - 1)
}

/// One state's part of a cell's bar: hovering names it, clicking inspects `first`.
pub(super) struct Part {
    pub(super) rect: Rect,
    pub(super) state: EntityState,
    pub(super) count: usize,
    /// The cell's name: "Finance (NL)".
    pub(super) cell: String,
    pub(super) first: Option<usize>,
}

/// What a crowded map drew: the bars' parts, for hover and click, and where each sector
/// cell's flows end (by group index; `None` for a country band or a hidden cell).
pub(super) struct Cells {
    pub(super) parts: Vec<Part>,
    pub(super) anchors: Vec<Option<Pos2>>,
}

/// Draws each sector cell's tally as shapes in `shapes` and its count as a name in
/// `names`.
pub(super) fn draw_cells(
    groups: &[Group],
    states: &[Option<EntityState>],
    fit: &Fit,
    name_height: f32,
    weak: Color32,
    shapes: &mut Vec<Shape>,
    names: &mut Vec<Name>,
) -> Cells {
    let mut parts = Vec::new();
    let mut anchors = vec![None; groups.len()];
    let mut country = "";
    for (g, group) in groups.iter().enumerate() {
        if group.is_country {
            country = &group.label;
            continue;
        }
        let tally = Tally::of(&group.members, states);
        let room = fit.room(group).shrink2(vec2(6.0, 3.0));
        if room.width() < 2.0 || room.height() < 4.0 {
            continue;
        }
        let count_height = if room.height() > 3.0 * name_height {
            name_height + 2.0
        } else {
            0.0
        };
        let bar_height = (room.height() - count_height).min(48.0);
        anchors[g] = Some(pos2(room.center().x, room.top() + bar_height / 2.0));
        let mut x = room.left();
        let widths = tally.widths(room.width());
        for (k, width) in widths.iter().enumerate() {
            if *width <= 0.0 {
                continue;
            }
            let rect = Rect::from_min_size(pos2(x, room.top()), vec2(*width, bar_height));
            shapes.push(Shape::rect_filled(rect, 0.0, look::state_color(ORDER[k])));
            parts.push(Part {
                rect,
                state: ORDER[k],
                count: tally.counts[k],
                cell: format!("{} ({country})", group.label),
                first: tally.first[k],
            });
            x += width;
        }
        if count_height > 0.0 {
            let affected = tally.affected();
            let text = if affected == 0 {
                thousands(tally.total())
            } else {
                format!("{} · {} hit", thousands(tally.total()), thousands(affected))
            };
            names.push(Name {
                at: Rect::from_min_size(
                    pos2(room.left(), room.top() + bar_height + 2.0),
                    vec2(room.width(), name_height),
                ),
                text,
                color: weak,
                hover: Some(format!(
                    "{} ({country}): {} organisations\n{}",
                    group.label,
                    thousands(tally.total()),
                    tally.breakdown()
                )),
                actor: None,
            });
        }
    }
    Cells { parts, anchors }
}

/// The part of a bar under the pointer.
pub(super) fn part_at(parts: &[Part], pointer: Pos2) -> Option<&Part> {
    parts.iter().find(|p| p.rect.contains(pointer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_affected_among_thousands_still_show() {
        let mut states = vec![Some(EntityState::Unaware); 10_000];
        states[17] = Some(EntityState::Impacted);
        states[4_000] = Some(EntityState::Contained);
        states[4_001] = Some(EntityState::Contained);
        let members: Vec<usize> = (0..10_000).collect();
        let tally = Tally::of(&members, &states);
        assert_eq!(tally.counts, [1, 0, 0, 2, 9_997]);
        assert_eq!(tally.first[0], Some(17));
        assert_eq!(tally.first[3], Some(4_000));
        let widths = tally.widths(200.0);
        assert_eq!(widths[0], MIN_PART);
        assert_eq!(widths[1], 0.0);
        assert_eq!(widths[3], MIN_PART);
        assert!((widths.iter().sum::<f32>() - 200.0).abs() < 1e-3);
        assert_eq!(
            tally.breakdown(),
            "1 impacted · 2 contained · 9,997 unaware"
        );
    }

    #[test]
    fn a_narrow_cell_shares_its_bar_among_the_affected() {
        let states = vec![
            Some(EntityState::Impacted),
            Some(EntityState::Compromised),
            Some(EntityState::Detected),
            Some(EntityState::Contained),
        ];
        let tally = Tally::of(&[0, 1, 2, 3], &states);
        let widths = tally.widths(10.0);
        assert!((widths.iter().sum::<f32>() - 10.0).abs() < 1e-3);
        assert!(widths[..4].iter().all(|w| *w > 2.0));
        assert_eq!(widths[4], 0.0);
    }
}
