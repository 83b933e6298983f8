//! The facilitator's desktop app (`tabletop gui [FILE]`), built on egui/eframe.
//!
//! A calm console for a three-hour exercise on a laptop and a projector: a start screen
//! (scenarios, diagnostics, seed, session file, resume or review), the clock bar, the MSEL
//! with fire/delay/skip and composers, the situation map, the inspector, the journal as a
//! log and a timeline, objectives, and observations in two keystrokes. Trainees get a
//! window per role ([`panels::role`], in its own viewport) that draws only the role's
//! [`RoleView`](crate::sim::view::RoleView), and the room a projector window
//! ([`panels::projector`]) with the public picture only.
//!
//! The console is one face of a [`Host`](crate::host::Host): [`app`] wires the start
//! screen to a [`console::Console`], which lays out the panels. Each panel owns its state
//! and reads a [`seen::Seen`]; what it wants done is an [`ask::Ask`], and anything that
//! changes the world goes to the host as an intent, written to the session file before it
//! takes effect. The console reads the wall clock ([`wall`]) and hands the host elapsed
//! time.
//!
//! Review mode drives the same console from a recorded session: a time slider in the
//! clock bar stands the world at any minute of the recording, the "Who knew what" tab
//! ([`panels::who_knew`]) shows actors × indicators at that minute, and every
//! world-changing action is refused: a review never writes to its session file.

pub mod actors;
pub mod app;
pub mod ask;
pub mod compose;
pub mod console;
pub mod feed;
pub mod invite;
pub mod layout;
pub mod look;
pub mod misp;
pub mod options;
pub mod panels;
pub mod seen;
pub mod views;
pub mod wall;
pub mod widgets;

pub use app::App;
pub use console::Console;
pub use options::AppOptions;

/// Opens the console in a window; returns when the window is closed.
pub fn run(app_options: AppOptions) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("tabletop — facilitator console")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    let app = App::new(app_options);
    eframe::run_native("tabletop", options, Box::new(|_cc| Ok(Box::new(app))))
        .map_err(|e| format!("cannot open the console's window: {e}"))
}
