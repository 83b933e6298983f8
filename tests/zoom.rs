//! Zoom (issue 16): at 100 %, 125 % and 150 % nothing on the console overlaps or is cut.
//!
//! DuckSends at T+2d, every panel populated (the MSEL, the map, the inspector on the
//! actor with the longest name, each tab of the journal), at each zoom in the window the
//! console opens (1600 × 1000 pixels). What the facilitator would see is read from the
//! accessibility tree: the text of each label as painted (its rows), each button, field
//! and box; where each lies, from egui's own widget rectangles (the part inside its
//! clip is the part on screen). Then:
//!
//! - no two texts on screen overlap (1 point of tolerance);
//! - no text is cut: not clipped sideways by its panel, window or scroll area, and not
//!   clipped at the top or bottom unless it sits in a scroll area (then it is scrolled,
//!   not cut); and every text lies inside its panel;
//! - a text elided with "…" shows its whole text on hover;
//! - the panels themselves do not overlap.
//!
//! Failures name the texts and their rectangles in points, so a developer can find them.

#![allow(
    clippy::use_debug,
    reason = "failure messages show rectangles and tabs as Debug"
)]
#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use egui::accesskit::{NodeId, Role};
use egui::{LayerId, Rect, WidgetRect};
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT;
use tabletop::gui::App;
use tabletop::gui::panels::log::BottomTab;

use common::console::{console_mut, jump_to, start_ducksends};
use egui_kittest::kittest::Queryable;
use tabletop::gui::ask::Ask;
use tabletop::host::Intent;

/// The zooms a facilitator uses: the laptop's own size, and larger for a room.
const ZOOMS: [f32; 3] = [1.0, 1.25, 1.5];
/// How far two rectangles may touch, in points, before they count as overlapping.
const TOLERANCE: f32 = 1.0;

/// One text on screen.
#[derive(Clone, Debug)]
struct Shown {
    /// As painted (an elided label ends with "…").
    text: String,
    /// The whole text, as a screen reader reads it.
    full: String,
    /// What hovering shows.
    hover: Option<String>,
    /// The text's own rectangle, in points.
    rect: Rect,
    /// Its part inside the clip rectangle, in points: what is on screen.
    visible: Rect,
    layer: LayerId,
    /// The panel or window it belongs to: a name and its rectangle.
    panel: (String, Rect),
    /// In a scroll area: clipped at the top or bottom means scrolled, not cut.
    scrolled: bool,
    /// A drawing (the map, the timeline's plot) rather than a text: it must not be cut,
    /// and texts may lie on it.
    drawing: bool,
}

impl Shown {
    fn describe(&self) -> String {
        format!(
            "{:?} at {} in {}",
            self.text,
            show_rect(self.visible),
            self.panel.0
        )
    }
}

fn show_rect(r: Rect) -> String {
    format!(
        "[{:.0},{:.0}–{:.0},{:.0}]",
        r.min.x, r.min.y, r.max.x, r.max.y
    )
}

/// What the walk of the tree knows about the way down to a node.
#[derive(Clone)]
struct Context {
    panel: (String, Rect),
    scrolled: bool,
}

struct Walk<'a> {
    widgets: &'a BTreeMap<NodeId, WidgetRect>,
    /// The panes met so far.
    panes: Vec<(String, Rect)>,
    ppp: f32,
    found: Vec<Shown>,
}

impl Walk<'_> {
    fn to_points(&self, r: egui::accesskit::Rect) -> Rect {
        #[allow(clippy::cast_possible_truncation, reason = "screen coordinates")]
        let rect = Rect::from_min_max(
            egui::pos2(r.x0 as f32, r.y0 as f32),
            egui::pos2(r.x1 as f32, r.y1 as f32),
        );
        rect / self.ppp
    }

    /// A pane's name (by the order `Console::panels_ui` shows them) and its rectangle on
    /// screen: egui clips a panel's content to the panel.
    fn pane(&mut self, node: &egui_kittest::Node<'_>) -> Option<(String, Rect)> {
        let widget = self.widgets.get(&node.accesskit_node().locate().0)?;
        let name = PANES
            .get(self.panes.len())
            .map_or_else(|| format!("pane {}", self.panes.len()), |n| (*n).to_owned());
        self.panes.push((name.clone(), widget.interact_rect));
        Some((name, widget.interact_rect))
    }

    fn visit(&mut self, node: &egui_kittest::Node<'_>, context: &Context) {
        let access = node.accesskit_node();
        let role = access.role();
        let mut inner = context.clone();
        if role == Role::Pane {
            if let Some(panel) = self.pane(node) {
                inner.panel = panel;
            }
        } else if role == Role::Window
            && !access.is_root()
            && let Some(w) = self.widgets.get(&access.locate().0)
        {
            inner.panel = (
                format!("window {:?}", access.label().unwrap_or_default()),
                w.rect,
            );
        }
        if node
            .children()
            .any(|c| c.accesskit_node().role() == Role::ScrollBar)
        {
            inner.scrolled = true;
        }
        match role {
            Role::Label => self.label(node, &inner),
            Role::TextRun
            | Role::GenericContainer
            | Role::Pane
            | Role::Window
            | Role::ScrollBar
            | Role::Splitter => {}
            _ => self.widget(node, &inner),
        }
        for child in node.children() {
            if child.accesskit_node().role() != Role::TextRun {
                self.visit(&child, &inner);
            }
        }
    }

    /// A label: each painted row (a `TextRun`) is a text. A label with no rows was not
    /// painted (off screen), or names a composite widget (a combo box's caption).
    fn label(&mut self, node: &egui_kittest::Node<'_>, context: &Context) {
        let access = node.accesskit_node();
        let Some(widget) = self.widgets.get(&access.locate().0).copied() else {
            return;
        };
        // A label wrapped over rows registers only its first row; the Ui it was added to
        // holds all rows, and its visible part is its clip.
        let clip = self
            .widgets
            .get(&widget.parent_id.accesskit_id())
            .map_or(widget.interact_rect, |parent| parent.interact_rect);
        let full = access.value().unwrap_or_default();
        let hover = access.description();
        let mut rows = 0;
        for row in node.children() {
            let row_access = row.accesskit_node();
            if row_access.role() != Role::TextRun {
                continue;
            }
            let text = row_access.value().unwrap_or_default();
            let Some(bounds) = row_access.bounding_box() else {
                continue;
            };
            let rect = self.to_points(bounds);
            rows += 1;
            if text.trim().is_empty() || rect.width() < 0.5 {
                continue;
            }
            self.push(
                Shown {
                    text,
                    full: full.clone(),
                    hover: hover.clone(),
                    rect,
                    visible: rect.intersect(clip),
                    layer: widget.layer_id,
                    panel: context.panel.clone(),
                    scrolled: context.scrolled,
                    drawing: false,
                },
                widget,
            );
        }
        let visible = widget.rect.intersect(clip);
        if rows == 0 && !full.trim().is_empty() && !clip.contains_rect(widget.rect) {
            // Not painted: wholly outside its clip (cut, or scrolled out of view). A
            // label with no rows inside its clip names a composite widget (a combo box's
            // caption) and is painted by that widget.
            self.push(
                Shown {
                    text: full.clone(),
                    full,
                    hover,
                    rect: widget.rect,
                    visible,
                    layer: widget.layer_id,
                    panel: context.panel.clone(),
                    scrolled: context.scrolled,
                    drawing: true,
                },
                widget,
            );
        }
    }

    /// A button, check box, field, combo box: its text is painted in its rectangle.
    fn widget(&mut self, node: &egui_kittest::Node<'_>, context: &Context) {
        let access = node.accesskit_node();
        let Some(widget) = self.widgets.get(&access.locate().0).copied() else {
            return;
        };
        let text = access
            .label()
            .filter(|l| !l.is_empty())
            .or_else(|| access.value())
            .unwrap_or_default();
        let drawing =
            text.is_empty() || matches!(access.role(), Role::Figure | Role::Canvas | Role::Image);
        self.push(
            Shown {
                full: text.clone(),
                text: if text.is_empty() {
                    format!("({:?})", access.role())
                } else {
                    text
                },
                hover: access.description(),
                rect: widget.rect,
                visible: widget.interact_rect,
                layer: widget.layer_id,
                panel: context.panel.clone(),
                scrolled: context.scrolled,
                drawing,
            },
            widget,
        );
    }

    /// Keeps a text unless it is out of view: hidden, or scrolled out of its scroll area.
    /// One wholly outside its clip sideways is kept: it is cut.
    fn push(&mut self, shown: Shown, widget: WidgetRect) {
        let above_or_below = shown.visible.height() <= 0.5;
        if widget.visible && !(above_or_below && shown.scrolled) {
            self.found.push(shown);
        }
    }
}

/// The console's panels in the order `Console::panels_ui` shows them.
const PANES: [&str; 5] = [
    "the clock bar",
    "the MSEL",
    "the inspector",
    "the journal",
    "the map",
];

/// Every text on screen now, and the panes.
fn shown(harness: &Harness<'_, App>) -> (Vec<Shown>, Vec<(String, Rect)>) {
    let widgets: BTreeMap<NodeId, WidgetRect> = harness.ctx.viewport(|v| {
        v.this_pass
            .widgets
            .layers()
            .flat_map(|(_, ws)| ws.iter().copied())
            .map(|w| (w.id.accesskit_id(), w))
            .collect()
    });
    let mut walk = Walk {
        widgets: &widgets,
        panes: Vec::new(),
        ppp: harness.ctx.pixels_per_point(),
        found: Vec::new(),
    };
    let screen = harness.ctx.content_rect();
    walk.visit(
        &harness.root(),
        &Context {
            panel: ("the window".to_owned(), screen),
            scrolled: false,
        },
    );
    (walk.found, walk.panes)
}

/// Everything wrong with the console's layout now, one line each.
fn layout_faults(harness: &Harness<'_, App>) -> Vec<String> {
    let mut faults = Vec::new();
    let screen = harness.ctx.content_rect();
    let (texts, panes) = shown(harness);
    for (i, (a, ra)) in panes.iter().enumerate() {
        if !screen.expand(TOLERANCE).contains_rect(*ra) {
            faults.push(format!(
                "{a} {} is not inside the window {}",
                show_rect(*ra),
                show_rect(screen)
            ));
        }
        for (b, rb) in &panes[i + 1..] {
            let both = ra.intersect(*rb);
            if both.width() > TOLERANCE && both.height() > TOLERANCE {
                faults.push(format!(
                    "{a} {} overlaps {b} {}",
                    show_rect(*ra),
                    show_rect(*rb)
                ));
            }
        }
    }
    for t in &texts {
        let clipped_x = t.visible.min.x > t.rect.min.x + TOLERANCE
            || t.visible.max.x < t.rect.max.x - TOLERANCE;
        let clipped_y = t.visible.min.y > t.rect.min.y + TOLERANCE
            || t.visible.max.y < t.rect.max.y - TOLERANCE;
        if clipped_x || (clipped_y && !t.scrolled) {
            faults.push(format!(
                "cut: {:?} is {} but only {} is on screen, in {}",
                t.text,
                show_rect(t.rect),
                show_rect(t.visible),
                t.panel.0
            ));
        }
        if t.text.ends_with('…') && !t.full.ends_with('…') {
            let whole_on_hover = t
                .hover
                .as_deref()
                .is_some_and(|h| h.contains(t.full.as_str()));
            if !whole_on_hover {
                faults.push(format!(
                    "elided without the whole text on hover: {} (whole: {:?}, hover: {:?})",
                    t.describe(),
                    t.full,
                    t.hover
                ));
            }
        }
    }
    let on_screen: Vec<&Shown> = texts
        .iter()
        .filter(|t| !t.drawing && t.visible.width() > 0.5 && t.visible.height() > 0.5)
        .collect();
    for (i, a) in on_screen.iter().enumerate() {
        for b in &on_screen[i + 1..] {
            if a.layer != b.layer {
                continue;
            }
            let both = a.visible.intersect(b.visible);
            if both.width() > TOLERANCE && both.height() > TOLERANCE {
                faults.push(format!("overlap: {} and {}", a.describe(), b.describe()));
            }
        }
    }
    faults
}

/// DuckSends at T+2d with the inspector on the actor with the longest name.
fn ducksends_two_days_in(dir: &std::path::Path) -> Harness<'static, App> {
    let mut harness = start_ducksends(dir);
    jump_to(&mut harness, 2 * 24 * 60);
    let console = console_mut(&mut harness);
    assert_eq!(console.host.now(), 2 * 24 * 60, "the jump arrived");
    let longest = console
        .actors
        .nodes
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| n.name.chars().count())
        .map(|(i, _)| u32::try_from(i).unwrap());
    console.selected = longest;
    console.refresh(true);
    harness.run();
    harness
}

#[test]
fn nothing_overlaps_or_is_cut_at_100_125_and_150_percent() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = ducksends_two_days_in(dir.path());
    let mut report = String::new();
    // The longest name, then DuckSends: an organisation whose inspector has state chips and
    // report deadlines (a chip once overflowed its row and pushed the inspector over the
    // journal at 150%).
    let ducksends = console_mut(&mut harness)
        .actors
        .nodes
        .iter()
        .position(|n| &*n.name == "DuckSends")
        .map(|i| u32::try_from(i).unwrap());
    let longest = console_mut(&mut harness).selected;
    for (selected, zoom) in [longest, ducksends]
        .into_iter()
        .flat_map(|s| ZOOMS.into_iter().map(move |z| (s, z)))
    {
        console_mut(&mut harness).selected = selected;
        console_mut(&mut harness).refresh(true);
        harness.state_mut().look.zoom = zoom;
        harness.run();
        for tab in [
            BottomTab::Log,
            BottomTab::Timeline,
            BottomTab::Objectives,
            BottomTab::Decisions,
        ] {
            console_mut(&mut harness).bottom.tab = tab;
            harness.run();
            let faults = layout_faults(&harness);
            // `ZOOM_SHOW=1 cargo test --test zoom -- --nocapture` lists what the test saw.
            if std::env::var_os("ZOOM_SHOW").is_some() {
                for t in shown(&harness).0 {
                    println!(
                        "{zoom} {tab:?}: {} (whole {}, hover {:?})",
                        t.describe(),
                        show_rect(t.rect),
                        t.hover
                    );
                }
            }
            if !faults.is_empty() {
                let _ = writeln!(
                    report,
                    "at {:.0}% with the {tab:?} tab:\n  {}",
                    zoom * 100.0,
                    faults.join("\n  ")
                );
            }
        }
    }
    assert!(report.is_empty(), "{report}");
}

/// Height in pixels of the projector's clock line, the largest text in the room.
fn projector_clock_px(harness: &Harness<'_, App>) -> f32 {
    let clock = harness.get_by_label_contains("T+2d  ·  ");
    let bounds = clock.accesskit_node().bounding_box().unwrap();
    #[allow(clippy::cast_possible_truncation, reason = "screen coordinates")]
    let height = (bounds.y1 - bounds.y0) as f32;
    height
}

#[test]
fn the_projector_has_its_own_text_scale() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = ducksends_two_days_in(dir.path());
    console_mut(&mut harness)
        .asks
        .push(Ask::Host(Intent::Projector(true)));
    harness.run();
    let designed = projector_clock_px(&harness);

    harness.state_mut().look.zoom = 1.5;
    harness.run();
    let zoomed_console = projector_clock_px(&harness);
    assert!(
        (zoomed_console - designed).abs() <= 1.0,
        "the console's zoom leaves the projector's text alone: {designed} px, then {zoomed_console} px"
    );

    harness.state_mut().look.projector_zoom = 1.5;
    harness.run();
    let larger = projector_clock_px(&harness);
    assert!(
        larger > designed * 1.4,
        "the projector's own scale makes its text larger: {designed} px, then {larger} px"
    );

    assert_eq!(
        console_mut(&mut harness).host.room().projector_percent,
        150,
        "the room file keeps the projector's scale for a resume"
    );

    // In the projector's window too, nothing overlaps or is cut at either console zoom.
    let mut report = String::new();
    for zoom in [1.5, 1.0] {
        harness.state_mut().look.zoom = zoom;
        harness.run();
        assert!(
            shown(&harness)
                .0
                .iter()
                .any(|t| t.panel.0.starts_with("window")),
            "the projector's window is seen"
        );
        let faults: Vec<String> = layout_faults(&harness)
            .into_iter()
            .filter(|f| f.contains("in window"))
            .collect();
        if !faults.is_empty() {
            let _ = writeln!(
                report,
                "projector at 150 %, console at {:.0}%:\n  {}",
                zoom * 100.0,
                faults.join("\n  ")
            );
        }
    }
    assert!(report.is_empty(), "{report}");
}
