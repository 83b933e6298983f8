//! Where the layout's unit square lands on the map's screen rectangle.

use egui::{Pos2, Rect, pos2};

use super::super::super::layout::{Group, LABEL};

/// Where the layout's unit square lands on screen. Across, it scales with the map; down,
/// each country band keeps a strip at its top for its own and its sectors' names, in
/// points, so that a zoomed console's larger text still fits above the nodes, and the
/// band's nodes share the rest of its height.
pub(super) struct Fit {
    pub(super) rect: Rect,
    /// Height of the names' strip, in points.
    pub(super) strip: f32,
    /// Country bands: top and bottom in the unit square.
    bands: Vec<[f32; 2]>,
}

impl Fit {
    pub(super) fn new(rect: Rect, groups: &[Group], strip: f32) -> Self {
        let bands = groups
            .iter()
            .filter(|g| g.is_country)
            .map(|g| [g.rect[1], g.rect[3]])
            .collect();
        Self { rect, strip, bands }
    }

    fn x(&self, x: f32) -> f32 {
        self.rect.left() + x * self.rect.width()
    }

    /// A band's top and bottom on screen, and where its nodes' room starts.
    fn band_screen(&self, band: [f32; 2]) -> (f32, f32, f32) {
        let (top, bottom) = (
            self.rect.top() + band[0] * self.rect.height(),
            self.rect.top() + band[1] * self.rect.height(),
        );
        let strip = self.strip.min((bottom - top) * 0.4);
        (top, bottom, top + strip)
    }

    /// A node's place on screen, and how much its band's height was scaled (its grid
    /// neighbours stand that much closer or further down).
    pub(super) fn node(&self, p: [f32; 2]) -> (Pos2, f32) {
        let Some(band) = self
            .bands
            .iter()
            .find(|b| p[1] >= b[0] - 1e-6 && p[1] <= b[1] + 1e-6)
        else {
            return (
                pos2(self.x(p[0]), self.rect.top() + p[1] * self.rect.height()),
                1.0,
            );
        };
        let (_, bottom, room) = self.band_screen(*band);
        // The layout's own room for names above the band's first nodes.
        let from = band[0] + LABEL.min((band[1] - band[0]) * 0.3);
        let unit = ((band[1] - from) * self.rect.height()).max(1e-3);
        let scale = (bottom - room) / unit;
        (
            pos2(
                self.x(p[0]),
                room + (p[1] - from).max(0.0) * self.rect.height() * scale,
            ),
            scale,
        )
    }

    /// The band a group starts in (a band's bottom is the next one's top).
    fn band_of(&self, group: &Group) -> [f32; 2] {
        self.bands
            .iter()
            .find(|b| group.rect[1] >= b[0] - 1e-6 && group.rect[1] < b[1] - 1e-6)
            .copied()
            .unwrap_or([group.rect[1], group.rect[3]])
    }

    /// A group's box on screen: a sector's cell starts at its band's top, its name in
    /// the band's strip beside the country's.
    pub(super) fn group(&self, group: &Group) -> Rect {
        let (top, bottom, _) = self.band_screen(self.band_of(group));
        Rect::from_min_max(
            pos2(self.x(group.rect[0]), top),
            pos2(self.x(group.rect[2]), bottom),
        )
    }

    /// A sector cell's room for its nodes (or its tally) on screen: its box below the
    /// band's names' strip.
    pub(super) fn room(&self, group: &Group) -> Rect {
        let (_, bottom, room) = self.band_screen(self.band_of(group));
        Rect::from_min_max(
            pos2(self.x(group.rect[0]), room),
            pos2(self.x(group.rect[2]), bottom),
        )
    }
}
