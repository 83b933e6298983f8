//! The console in `egui_kittest`, as the GUI tests drive it: DuckSends started from the
//! start screen with seed 1, frames until the clock is idle.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tabletop::gui::ask::Ask;
use tabletop::gui::{App, AppOptions, Console};
use tabletop::host::{FrameBudget, Intent};

pub fn options(dir: &Path) -> AppOptions {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    AppOptions {
        scenarios_dir: manifest.join("scenarios"),
        sessions_dir: dir.join("sessions"),
        budget: FrameBudget::default(),
        ..AppOptions::default()
    }
}

/// The console's window as the facilitator's laptop opens it (`gui::run`): 1600 × 1000.
pub fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size([1600.0, 1000.0])
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app)
}

/// Starts an exercise of an already built `scenario` (shown as `name`) straight into the
/// console, recording to `session` in `dir`, and draws its first frame.
pub fn started(
    dir: &Path,
    scenario: tabletop::scenario::Scenario,
    name: &str,
    session: &str,
    seed: u64,
) -> Harness<'static, App> {
    let mut app = App::new(options(dir));
    app.start_exercise(scenario, name, &dir.join(session), seed)
        .unwrap();
    let mut harness = harness(app);
    harness.run();
    harness
}

/// Starts DuckSends (seed 1) from the start screen; returns the harness.
pub fn start_ducksends(dir: &Path) -> Harness<'static, App> {
    let mut harness = harness(App::new(options(dir)));
    harness.run();
    harness.get_by_label("ducksends.ron").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("DuckSends — Molting")
            .is_some(),
        "the summary names the scenario"
    );
    harness.state_mut().start.seed = "1".to_owned();
    harness.get_by_label("Start").click();
    harness.run();
    assert!(
        harness.state().console.is_some(),
        "{:?}",
        harness.state().start.error
    );
    harness
}

/// The exercise the console is running.
pub fn exercise<'a>(harness: &'a Harness<'_, App>) -> &'a Console {
    harness.state().console.as_deref().unwrap()
}

/// A primary click at `at` (a painted shape has no node to click), then frames until idle.
pub fn click_at(harness: &mut Harness<'_, App>, at: egui::Pos2) {
    harness.event(egui::Event::PointerMoved(at));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
}

pub fn console_mut<'a>(harness: &'a mut Harness<'_, App>) -> &'a mut Console {
    harness.state_mut().console.as_deref_mut().unwrap()
}

/// Frames until the console is idle (no jump, clock paused), at most `limit`.
pub fn settle(harness: &mut Harness<'_, App>, limit: usize) {
    for _ in 0..limit {
        harness.step();
        let busy = harness
            .state()
            .console
            .as_ref()
            .is_some_and(|c| c.host.is_playing());
        if !busy {
            break;
        }
    }
    harness.run();
}

/// Jumps to minute `t` without stopping for injects or decisions, as the clock bar's
/// "Jump to" does with both auto-pauses off.
pub fn jump_to(harness: &mut Harness<'_, App>, t: i64) {
    let console = console_mut(harness);
    console.asks.push(Ask::Host(Intent::PauseOn {
        inject: false,
        decision: false,
    }));
    console.asks.push(Ask::Host(Intent::JumpTo(t)));
    settle(harness, 10_000);
}
