//! Names on the map: where a node's name finds room, and names drawn as labels.

use egui::{Color32, Pos2, Rect, RichText, Ui, Vec2, pos2, vec2};

use super::NAME_SIZE;

/// Finds room for a name of `size` beside a node at `p` (half size `r`): below it, above,
/// right or left, inside `bounds`, clear of every rectangle in `taken`. A name that fits
/// nowhere is shortened to `narrow` and tried again below and above; `None` if it still
/// does not fit (hovering the node names it).
pub(super) fn place_name(
    p: Pos2,
    r: f32,
    size: Vec2,
    narrow: f32,
    bounds: Rect,
    taken: &[Rect],
) -> Option<Rect> {
    let free =
        |c: Rect| bounds.contains_rect(c) && taken.iter().all(|t| !t.shrink(0.5).intersects(c));
    let around = |size: Vec2| {
        [
            Rect::from_min_size(pos2(p.x - size.x / 2.0, p.y + r + 1.0), size),
            Rect::from_min_size(pos2(p.x - size.x / 2.0, p.y - r - 1.0 - size.y), size),
            Rect::from_min_size(pos2(p.x + r + 3.0, p.y - size.y / 2.0), size),
            Rect::from_min_size(pos2(p.x - r - 3.0 - size.x, p.y - size.y / 2.0), size),
        ]
    };
    around(size).into_iter().find(|c| free(*c)).or_else(|| {
        let short = vec2(size.x.min(narrow), size.y);
        around(short).into_iter().take(2).find(|c| free(*c))
    })
}

/// A name on the map: a country's, a sector's or an actor's.
pub(super) struct Name {
    pub(super) at: Rect,
    pub(super) text: String,
    pub(super) color: Color32,
    /// What hovering shows instead of the elided text's whole (an actor's full name).
    pub(super) hover: Option<String>,
    /// The actor it names: clicking the name selects it.
    pub(super) actor: Option<u32>,
}

/// A name drawn as a label, so that it is in the accessibility tree (with its rows) and
/// an elided one shows its whole text on hover.
pub(super) fn name_ui(ui: &mut Ui, name: &Name) -> egui::Response {
    let label =
        egui::Label::new(RichText::new(&name.text).size(NAME_SIZE).color(name.color)).truncate();
    let builder = egui::UiBuilder::new()
        .max_rect(name.at)
        .layout(egui::Layout::left_to_right(egui::Align::Min));
    let response = ui
        .scope_builder(builder, |ui| match name.hover {
            Some(_) => ui.add(label.show_tooltip_when_elided(false)),
            None => ui.add(label),
        })
        .inner;
    match &name.hover {
        Some(hover) => response.on_hover_text(hover),
        None => response,
    }
}
