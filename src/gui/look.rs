//! Look and feel: zoom for a projector, dark and light themes, the colours of states.

use egui::{Color32, Context, FontFamily, FontId, TextStyle, Theme};

use crate::scenario::{CrisisLevel, Tlp};
use crate::sim::InjectStatus;
use crate::sim::view::EntityState;

use super::feed::FlowKind;

/// Zoom and theme, applied to the egui context when they change.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    /// The console's zoom: 1.0 is the platform's size; a laptop shown to a room wants
    /// 1.25 or 1.5.
    pub zoom: f32,
    /// The projector's own text scale, whatever the console's zoom: the room reads the
    /// projector from afar while the facilitator reads the console up close. 1.0 is the
    /// projector's designed size.
    pub projector_zoom: f32,
    pub dark: bool,
    applied: Option<(f32, bool)>,
}

impl Default for Look {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            projector_zoom: 1.0,
            dark: true,
            applied: None,
        }
    }
}

pub const ZOOM_STEPS: [f32; 8] = [0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0];

fn percent_of(zoom: f32) -> u32 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "the zoom is one of ZOOM_STEPS or egui's own, between 0.2 and 5"
    )]
    let percent = (zoom * 100.0).round().clamp(10.0, 1000.0) as u32;
    percent
}

/// The next of [`ZOOM_STEPS`] above (`larger`) or below `zoom`; `zoom` at either end.
pub fn zoom_step(zoom: f32, larger: bool) -> f32 {
    if larger {
        ZOOM_STEPS.iter().copied().find(|z| *z > zoom + 0.01)
    } else {
        ZOOM_STEPS.iter().rev().copied().find(|z| *z < zoom - 0.01)
    }
    .unwrap_or(zoom)
}

impl Look {
    pub fn zoom_in(&mut self) {
        self.zoom = zoom_step(self.zoom, true);
    }

    pub fn zoom_out(&mut self) {
        self.zoom = zoom_step(self.zoom, false);
    }

    /// The zoom in whole percent, as the room file keeps it.
    pub fn zoom_percent(&self) -> u32 {
        percent_of(self.zoom)
    }

    /// The projector's text scale in whole percent, as the room file keeps it.
    pub fn projector_percent(&self) -> u32 {
        percent_of(self.projector_zoom)
    }

    /// A zoom from a room file's percent, within what the console offers.
    pub fn zoom_of(percent: u32) -> f32 {
        #[allow(clippy::cast_precision_loss, reason = "a percentage")]
        let zoom = percent.clamp(50, 300) as f32 / 100.0;
        zoom
    }

    /// The zoom and theme a resumed session's room had.
    pub fn restore(&mut self, zoom_percent: u32, light: bool) {
        self.zoom = Self::zoom_of(zoom_percent);
        self.dark = !light;
    }

    /// Applies changes; also follows egui's own Ctrl+plus / Ctrl+minus zoom.
    pub fn apply(&mut self, ctx: &Context) {
        if self.applied.is_none() {
            // Larger text than egui's defaults: the console is read from across a room.
            ctx.all_styles_mut(|style| {
                style.text_styles = [
                    (
                        TextStyle::Small,
                        FontId::new(12.0, FontFamily::Proportional),
                    ),
                    (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
                    (
                        TextStyle::Button,
                        FontId::new(15.0, FontFamily::Proportional),
                    ),
                    (
                        TextStyle::Heading,
                        FontId::new(21.0, FontFamily::Proportional),
                    ),
                    (
                        TextStyle::Monospace,
                        FontId::new(14.0, FontFamily::Monospace),
                    ),
                ]
                .into();
                style.spacing.item_spacing = egui::vec2(8.0, 5.0);
                style.spacing.button_padding = egui::vec2(8.0, 3.0);
            });
        }
        if self.applied != Some((self.zoom, self.dark)) {
            ctx.set_zoom_factor(self.zoom);
            ctx.set_theme(if self.dark { Theme::Dark } else { Theme::Light });
        } else {
            // egui's keyboard zoom may have changed it.
            self.zoom = ctx.zoom_factor();
        }
        self.applied = Some((self.zoom, self.dark));
    }
}

/// Colour of an organisation's state on the map, readable on both themes.
pub fn state_color(state: EntityState) -> Color32 {
    match state {
        EntityState::Unaware => Color32::from_rgb(120, 140, 160),
        EntityState::Compromised => Color32::from_rgb(230, 140, 30),
        EntityState::Detected => Color32::from_rgb(225, 200, 40),
        EntityState::Contained => Color32::from_rgb(60, 170, 90),
        EntityState::Impacted => Color32::from_rgb(215, 50, 50),
    }
}

pub const fn state_label(state: EntityState) -> &'static str {
    match state {
        EntityState::Unaware => "unaware",
        EntityState::Compromised => "compromised",
        EntityState::Detected => "detected",
        EntityState::Contained => "contained",
        EntityState::Impacted => "impacted",
    }
}

pub const STATES: [EntityState; 5] = [
    EntityState::Unaware,
    EntityState::Compromised,
    EntityState::Detected,
    EntityState::Contained,
    EntityState::Impacted,
];

/// A TLP marking's colour, to draw on black (TLP 2.0: RED, AMBER, GREEN; CLEAR white).
pub fn tlp_color(tlp: Tlp) -> Color32 {
    match tlp {
        Tlp::Red => Color32::from_rgb(255, 43, 43),
        Tlp::AmberStrict | Tlp::Amber => Color32::from_rgb(255, 192, 0),
        Tlp::Green => Color32::from_rgb(51, 255, 0),
        Tlp::Clear => Color32::WHITE,
    }
}

/// A TLP marking in its colours, on black.
pub fn tlp_text(tlp: Tlp) -> egui::RichText {
    egui::RichText::new(tlp.to_string())
        .monospace()
        .color(tlp_color(tlp))
        .background_color(Color32::BLACK)
}

pub fn crisis_color(level: CrisisLevel) -> Color32 {
    match level {
        CrisisLevel::Normal => Color32::from_rgb(60, 150, 80),
        CrisisLevel::Alert => Color32::from_rgb(225, 150, 20),
        CrisisLevel::Crisis => Color32::from_rgb(210, 40, 40),
    }
}

pub const fn crisis_label(level: CrisisLevel) -> &'static str {
    match level {
        CrisisLevel::Normal => "NORMAL",
        CrisisLevel::Alert => "ALERT",
        CrisisLevel::Crisis => "CRISIS",
    }
}

pub fn flow_color(kind: FlowKind) -> Color32 {
    match kind {
        FlowKind::Share => Color32::from_rgb(40, 170, 220),
        FlowKind::Warning => Color32::from_rgb(90, 110, 240),
        FlowKind::Report => Color32::from_rgb(200, 80, 200),
        FlowKind::Sighting => Color32::from_rgb(240, 120, 40),
        FlowKind::Feedback => Color32::from_rgb(80, 190, 150),
    }
}

pub const CSIRT_COLOR: Color32 = Color32::from_rgb(70, 110, 220);
pub const AUTHORITY_COLOR: Color32 = Color32::from_rgb(150, 110, 200);

/// Short status of an MSEL line and its colour.
pub fn inject_status(status: InjectStatus) -> (&'static str, Color32) {
    match status {
        InjectStatus::Waiting => ("waiting", Color32::from_rgb(130, 140, 150)),
        InjectStatus::Armed { .. } => ("armed", Color32::from_rgb(225, 150, 20)),
        InjectStatus::Scheduled { .. } => ("scheduled", Color32::from_rgb(70, 130, 220)),
        InjectStatus::Fired { .. } => ("fired", Color32::from_rgb(60, 170, 90)),
        InjectStatus::Skipped => ("skipped", Color32::from_rgb(150, 150, 150)),
        InjectStatus::Cancelled => ("cancelled", Color32::from_rgb(150, 150, 150)),
        InjectStatus::Optional => ("optional", Color32::from_rgb(160, 120, 200)),
    }
}

pub const MET: Color32 = Color32::from_rgb(60, 170, 90);
pub const MISSED: Color32 = Color32::from_rgb(215, 60, 60);
pub const PENDING: Color32 = Color32::from_rgb(150, 150, 160);

/// The zoom and theme controls, on the start screen and in the clock bar.
pub fn look_ui(ui: &mut egui::Ui, look: &mut Look) {
    if ui.button("A−").on_hover_text("smaller (Ctrl −)").clicked() {
        look.zoom_out();
    }
    ui.label(format!("{:.0}%", look.zoom * 100.0));
    if ui.button("A+").on_hover_text("larger (Ctrl +)").clicked() {
        look.zoom_in();
    }
    let theme = if look.dark {
        "Light theme"
    } else {
        "Dark theme"
    };
    if ui.button(theme).clicked() {
        look.dark = !look.dark;
    }
}
