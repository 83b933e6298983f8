//! The console's frame time at full speed on a 10,000- and a 100,000-organisation exercise.
//!
//! Drives the app's update loop headless with a plain `egui::Context` (no window, no
//! GPU): each frame runs the whole console (clock bar, MSEL, map, inspector, log) with
//! the clock at "max" speed, and tessellates what it drew, as a real frame would before
//! the GPU upload. The simulation inside each frame is limited by the app's frame budget.
//!
//! - First one whole 30-day exercise is played frame by frame; the frame times' p50, p95,
//!   p99 and maximum are printed (`gui/10000_max_speed: ... p95 ...`), with frames per
//!   second at p95.
//! - The same again with every role's window and the projector open (one role per
//!   national CSIRT in the generated scenario), printed as `gui/10000_max_speed_seats`.
//! - Once more with the console serving its seats on 127.0.0.1 and 30 event streams
//!   following them (30 browser tabs, spread over the trainees' and the projector's
//!   seats), printed as `gui/10000_max_speed_served`: what the trainees' pages cost the
//!   console's frames.
//! - The 100,000-organisation month's first 900 frames (15 s at 60 frames a second), printed
//!   as `gui/100000_max_speed_900_frames`: issue 20 asks for 30 frames a second there.
//! - Then criterion measures a frame (`gui/frame_10000_max_speed`), restarting the
//!   exercise whenever it ends.
//!
//! The scenario is `tabletop generate --entities 10000 --days 30 --seed 0` (the library's
//! generator), or the file named by `TABLETOP_GUI_BENCH_SCENARIO`.
//!
//! Run with `cargo bench --bench gui`; `cargo bench --bench gui -- 100000` plays only the
//! frame-by-frame runs whose names contain "100000".

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use egui::{Context, Pos2, RawInput, Rect, vec2};
use std::io::{Read, Write};
use tabletop::generate::{GenerateOptions, generate};

use tabletop::gui::invite::Serving;
use tabletop::gui::{App, AppOptions};
use tabletop::host::{Intent, Speed};
use tabletop::scenario::{self, Scenario};

const ENTITIES: u32 = 10_000;
const DAYS: u32 = 30;
const SEED: u64 = 0;

#[allow(clippy::disallowed_methods, reason = "a benchmark measures wall time")]
fn now() -> Instant {
    Instant::now()
}

fn scenario(entities: u32) -> (Scenario, String) {
    if let Some(path) = std::env::var_os("TABLETOP_GUI_BENCH_SCENARIO") {
        let path = PathBuf::from(path);
        match scenario::load_path(&path) {
            Ok((s, _)) => return (s, path.display().to_string()),
            Err(e) => panic!("{e}"),
        }
    }
    let scenario = generate(&GenerateOptions {
        entities,
        days: DAYS,
        seed: 0,
        idle: 0,
    });
    (scenario, format!("generated-{entities}.ron"))
}

struct Console {
    ctx: Context,
    app: App,
    time: f64,
    dir: tempfile::TempDir,
    sessions: u32,
    scenario: Scenario,
    path: String,
    /// Open every role's window and the projector.
    seats: bool,
}

impl Console {
    fn new(entities: u32, seats: bool) -> Self {
        let (scenario, path) = scenario(entities);
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let app = App::new(AppOptions {
            scenarios_dir: dir.path().join("none"),
            sessions_dir: dir.path().to_path_buf(),
            ..AppOptions::default()
        });
        let mut console = Self {
            ctx: Context::default(),
            app,
            time: 0.0,
            dir,
            sessions: 0,
            scenario,
            path,
            seats,
        };
        console.restart();
        console
    }

    fn restart(&mut self) {
        self.sessions += 1;
        let session = self.dir.path().join(format!("bench-{}.ron", self.sessions));
        if let Err(e) = self
            .app
            .start_exercise(self.scenario.clone(), &self.path, &session, SEED)
        {
            panic!("{e}");
        }
        if let Some(console) = self.app.console.as_mut() {
            console.intent(Intent::SetSpeed(Speed::Max));
            console.intent(Intent::PauseOn {
                inject: false,
                decision: false,
            });
            console.intent(Intent::TogglePlay);
            if self.seats {
                for role in &self.scenario.roles {
                    console.intent(Intent::Seat {
                        role: role.id.clone(),
                        open: true,
                    });
                }
                console.intent(Intent::Projector(true));
            }
        }
    }

    fn finished(&self) -> bool {
        self.app
            .console
            .as_ref()
            .is_none_or(|c| c.host.sim().is_finished())
    }

    /// One frame, tessellated; returns its wall time.
    fn frame(&mut self) -> Duration {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
            time: Some(self.time),
            ..RawInput::default()
        };
        let started = now();
        let output = self.ctx.run_ui(input, |ui| self.app.ui(ui));
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        black_box(primitives);
        started.elapsed()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a short list"
    )]
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Browser tabs following the served seats in `gui/10000_max_speed_served`.
const TABS: usize = 30;

/// Starts serving from the console and opens [`TABS`] event streams on its seats, each
/// read (and dropped) on a thread of its own as a browser would.
fn serve_tabs(console: &mut Console) {
    let Some(inner) = console.app.console.as_mut() else {
        return;
    };
    let serving = match Serving::start(&inner.host, ([127, 0, 0, 1], 0).into()) {
        Ok(serving) => serving,
        Err(e) => panic!("{e}"),
    };
    let address = serving.address();
    let links = serving.links();
    inner.serving = Some(serving);
    for i in 0..TABS {
        let (_, _, link) = &links[i % links.len()];
        let token = link.rsplit('#').next().unwrap_or_default().to_owned();
        std::thread::spawn(move || {
            let Ok(mut stream) = std::net::TcpStream::connect(address) else {
                return;
            };
            let request = format!(
                "GET /api/events HTTP/1.1\r\nHost: {address}\r\nCookie: tabletop_seat={token}\r\n\r\n"
            );
            if stream.write_all(request.as_bytes()).is_err() {
                return;
            }
            let mut buffer = vec![0u8; 64 * 1024];
            while matches!(stream.read(&mut buffer), Ok(n) if n > 0) {}
        });
    }
}

/// What one frame-by-frame run plays.
struct Run {
    name: &'static str,
    entities: u32,
    /// Every role's window and the projector open.
    seats: bool,
    /// Serving its seats to [`TABS`] open tabs.
    served: bool,
    /// Frames at most (the whole exercise when it ends first).
    frames: usize,
}

const RUNS: [Run; 4] = [
    Run {
        name: "gui/10000_max_speed",
        entities: ENTITIES,
        seats: false,
        served: false,
        frames: 100_000,
    },
    Run {
        name: "gui/10000_max_speed_seats",
        entities: ENTITIES,
        seats: true,
        served: false,
        frames: 100_000,
    },
    Run {
        name: "gui/10000_max_speed_served",
        entities: ENTITIES,
        seats: false,
        served: true,
        frames: 100_000,
    },
    // Issue 20: the console on the 100,000-organisation month. Its first 900 frames
    // (15 s at 60 frames a second) take it into the first campaigns.
    Run {
        name: "gui/100000_max_speed_900_frames",
        entities: 100_000,
        seats: false,
        served: false,
        frames: 900,
    },
];

/// Plays one exercise frame by frame (the whole of it, or `run.frames`) and prints the
/// frame time percentiles.
fn play(run: &Run) {
    let name = run.name;
    let mut console = Console::new(run.entities, run.seats);
    if run.served {
        serve_tabs(&mut console);
    }
    let mut times = Vec::new();
    let mut sim_times = Vec::new();
    let mut rest = Vec::new();
    let started = now();
    while !console.finished() && times.len() < run.frames {
        let frame = console.frame();
        let sim = console
            .app
            .console
            .as_ref()
            .map_or(0, |c| c.stats.sim_micros);
        let sim = Duration::from_micros(sim);
        times.push(frame);
        sim_times.push(sim);
        rest.push(frame.saturating_sub(sim));
    }
    let wall = started.elapsed();
    let events = console
        .app
        .console
        .as_ref()
        .map_or(0, |c| c.host.sim().journal().len());
    times.sort();
    sim_times.sort();
    rest.sort();
    let p95 = percentile(&times, 0.95);
    eprintln!(
        "{name}: {} organisations, {} windows, {DAYS} days, {events} events in {} frames ({:.1} s): frame p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.0} fps at p95",
        console.scenario.entities.len(),
        console.app.console.as_ref().map_or(0, |c| {
            c.host.seats().open().len() + usize::from(c.host.seats().projector_open())
        }),
        times.len(),
        wall.as_secs_f64(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        1.0 / p95.as_secs_f64().max(1e-9)
    );
    eprintln!(
        "{name}: of which simulation p50 {:.1} ms, p95 {:.1} ms; the console itself p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&sim_times, 0.50).as_secs_f64() * 1e3,
        percentile(&sim_times, 0.95).as_secs_f64() * 1e3,
        percentile(&rest, 0.50).as_secs_f64() * 1e3,
        percentile(&rest, 0.95).as_secs_f64() * 1e3,
        rest.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn frames(c: &mut Criterion) {
    let mut console = Console::new(ENTITIES, false);
    let mut group = c.benchmark_group("gui");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("frame_10000_max_speed", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                if console.finished() {
                    console.restart();
                }
                total += console.frame();
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, frames);

/// The frame-by-frame runs whose names contain the command line's filter, if any
/// (`cargo bench --bench gui -- 100000`).
fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    for run in RUNS.iter().filter(|r| r.name.contains(&filter)) {
        play(run);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
