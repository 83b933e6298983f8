//! The situation map's layout: a deterministic grid, no physics.
//!
//! One horizontal band per country (sorted by country code; actors without a country
//! last). In each band, the country's CSIRTs and authorities stand in a column on the
//! left; its organisations follow in one cell per sector (in `Sector::ALL` order), laid
//! out as a small grid. Positions are in the unit square and depend only on the actor
//! list, so the same scenario always gives the same map.

use std::collections::BTreeMap;

use crate::scenario::Sector;
use crate::sim::view::ActorKind;

/// One actor as the layout needs it.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub kind: ActorKind,
    pub sector: Option<Sector>,
    pub country: String,
}

/// A labelled box of the map: a country band or a sector cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// min x, min y, max x, max y in the unit square.
    pub rect: [f32; 4],
    pub label: String,
    pub is_country: bool,
    /// The organisations of a sector cell (actor indices, in actor order); none for a
    /// country band. A crowded map draws a cell's tally instead of its organisations.
    pub members: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct MapLayout {
    /// Position of each actor (by index) in the unit square.
    pub positions: Vec<[f32; 2]>,
    /// Distance to its grid neighbours (x, y) in the unit square, per actor: nodes are
    /// drawn smaller where they stand closer.
    pub pitch: Vec<[f32; 2]>,
    pub groups: Vec<Group>,
    /// The sector cell (index into `groups`) of each organisation, by actor index; `None`
    /// for CSIRTs and authorities. A crowded map's flows end at the cell.
    pub cell_of: Vec<Option<usize>>,
}

/// The map is drawn about this much wider than tall; cells' grids are shaped for it.
const ASPECT: f32 = 1.6;
/// Width of the coordinators' column in a band.
pub const COORDINATORS: f32 = 0.12;
/// Room for a label above the content of a box.
pub const LABEL: f32 = 0.03;

fn sector_rank(sector: Option<Sector>) -> usize {
    sector
        .and_then(|s| Sector::ALL.iter().position(|x| *x == s))
        .unwrap_or(Sector::ALL.len())
}

#[derive(Default)]
struct Band {
    coordinators: Vec<usize>,
    sectors: BTreeMap<usize, Vec<usize>>,
}

/// Places `n` points in a grid filling `rect`, row by row.
fn grid(rect: [f32; 4], items: &[usize], positions: &mut [[f32; 2]], pitch: &mut [[f32; 2]]) {
    let n = items.len();
    if n == 0 {
        return;
    }
    let w = (rect[2] - rect[0]).max(1e-6) * ASPECT;
    let h = (rect[3] - rect[1]).max(1e-6);
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "grid sizes are small positive counts"
    )]
    let cols = ((n as f32 * w / h).sqrt().ceil() as usize).clamp(1, n);
    let rows = n.div_ceil(cols);
    for (k, &actor) in items.iter().enumerate() {
        let (row, col) = (k / cols, k % cols);
        #[allow(clippy::cast_precision_loss, reason = "grid sizes are small counts")]
        let (x, y) = (
            rect[0] + (rect[2] - rect[0]) * (col as f32 + 0.5) / cols as f32,
            rect[1] + (rect[3] - rect[1]) * (row as f32 + 0.5) / rows as f32,
        );
        if let Some(p) = positions.get_mut(actor) {
            *p = [x, y];
        }
        if let Some(p) = pitch.get_mut(actor) {
            #[allow(clippy::cast_precision_loss, reason = "grid sizes are small counts")]
            let step = [
                (rect[2] - rect[0]) / cols as f32,
                (rect[3] - rect[1]) / rows as f32,
            ];
            *p = step;
        }
    }
}

/// Places points in one column down the middle of `rect`.
fn column(rect: [f32; 4], items: &[usize], positions: &mut [[f32; 2]], pitch: &mut [[f32; 2]]) {
    #[allow(clippy::cast_precision_loss, reason = "a handful of items")]
    let n = items.len() as f32;
    for (k, &actor) in items.iter().enumerate() {
        #[allow(clippy::cast_precision_loss, reason = "a handful of items")]
        let y = rect[1] + (rect[3] - rect[1]) * (k as f32 + 0.5) / n;
        if let Some(p) = positions.get_mut(actor) {
            *p = [(rect[0] + rect[2]) / 2.0, y];
        }
        if let Some(p) = pitch.get_mut(actor) {
            *p = [rect[2] - rect[0], (rect[3] - rect[1]) / n];
        }
    }
}

impl MapLayout {
    pub fn new(nodes: &[NodeInfo]) -> Self {
        let mut bands: BTreeMap<(bool, &str), Band> = BTreeMap::new();
        for (ix, node) in nodes.iter().enumerate() {
            let band = bands
                .entry((node.country.is_empty(), node.country.as_str()))
                .or_default();
            match node.kind {
                ActorKind::Entity => band
                    .sectors
                    .entry(sector_rank(node.sector))
                    .or_default()
                    .push(ix),
                ActorKind::Csirt | ActorKind::Authority => band.coordinators.push(ix),
            }
        }
        let weight = |band: &Band| {
            let entities: usize = band.sectors.values().map(Vec::len).sum();
            #[allow(clippy::cast_precision_loss, reason = "counts are small enough")]
            let w = (entities as f32).sqrt().max(1.5) + 0.1 * band.coordinators.len() as f32;
            w
        };
        let total: f32 = bands.values().map(weight).sum::<f32>().max(1e-6);
        let mut positions = vec![[0.5, 0.5]; nodes.len()];
        let mut pitch = vec![[0.1, 0.1]; nodes.len()];
        let mut groups = Vec::new();
        let mut cell_of = vec![None; nodes.len()];
        let mut y = 0.0;
        for ((_, country), band) in &bands {
            let h = weight(band) / total;
            let rect = [0.0, y, 1.0, y + h];
            groups.push(Group {
                rect,
                label: if country.is_empty() {
                    "(no country)".to_owned()
                } else {
                    (*country).to_owned()
                },
                is_country: true,
                members: Vec::new(),
            });
            let top = y + LABEL.min(h * 0.3);
            let bottom = y + h - 0.01_f32.min(h * 0.1);
            // A few coordinators stand in one column, so their labels do not collide.
            if band.coordinators.len() <= 8 {
                column(
                    [0.01, top, COORDINATORS - 0.01, bottom],
                    &band.coordinators,
                    &mut positions,
                    &mut pitch,
                );
            } else {
                grid(
                    [0.01, top, COORDINATORS - 0.01, bottom],
                    &band.coordinators,
                    &mut positions,
                    &mut pitch,
                );
            }
            let sector_weight = |n: usize| {
                #[allow(clippy::cast_precision_loss, reason = "counts are small enough")]
                let w = (n as f32).sqrt().max(1.0);
                w
            };
            let sum: f32 = band
                .sectors
                .values()
                .map(|v| sector_weight(v.len()))
                .sum::<f32>()
                .max(1e-6);
            let mut x = COORDINATORS;
            for (rank, members) in &band.sectors {
                let w = (1.0 - COORDINATORS) * sector_weight(members.len()) / sum;
                let cell = [x, top, x + w, bottom];
                groups.push(Group {
                    rect: cell,
                    label: Sector::ALL
                        .get(*rank)
                        .map_or("(no sector)", |s| s.label())
                        .to_owned(),
                    is_country: false,
                    members: members.clone(),
                });
                for &member in members {
                    cell_of[member] = Some(groups.len() - 1);
                }
                let inner_top = cell[1] + LABEL.min((bottom - top) * 0.3);
                grid(
                    [cell[0] + 0.005, inner_top, cell[2] - 0.005, cell[3]],
                    members,
                    &mut positions,
                    &mut pitch,
                );
                x += w;
            }
            y += h;
        }
        Self {
            positions,
            pitch,
            groups,
            cell_of,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_actors_same_map_and_everyone_inside() {
        let nodes: Vec<NodeInfo> = (0..50)
            .map(|i| NodeInfo {
                kind: if i % 10 == 0 {
                    ActorKind::Csirt
                } else {
                    ActorKind::Entity
                },
                sector: Some(Sector::ALL[i % 3]),
                country: ["NL", "BE"][i % 2].to_owned(),
            })
            .collect();
        let a = MapLayout::new(&nodes);
        let b = MapLayout::new(&nodes);
        assert_eq!(a.positions, b.positions);
        assert!(
            a.positions
                .iter()
                .all(|p| (0.0..=1.0).contains(&p[0]) && (0.0..=1.0).contains(&p[1]))
        );
        assert_eq!(a.groups.iter().filter(|g| g.is_country).count(), 2);
    }
}
