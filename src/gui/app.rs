//! The facilitator's console: wires the panels, owns the [`Recorder`], turns wall time into
//! simulated time within a per-frame budget.
//!
//! [`App`] is a plain struct: tests drive it through `egui_kittest` (or any
//! `egui::Context`) without a window, and the benchmark drives it frame by frame. Panels
//! read the simulation and change only their own state; anything that changes the world is
//! an [`Action::Submit`] of a [`Command`], given through [`Recorder::submit`] at the
//! simulation's earliest command time, so every change is in the session file.
//!
//! The same console reviews a recorded session read-only ([`Exercise::open_review`]): a
//! [`session::Review`] drives it instead of a recorder, a time slider moves it
//! ([`Action::Seek`]) and every world-changing action is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration as WallDuration, Instant};

use egui::{Key, Modifiers, Ui};

use crate::scenario::{self, CrisisLevel, CsirtKind, Minute, Scenario, Sector};
use crate::session::{self, Recorder};
use crate::sim::view::{ActorKind, ActorView, InjectView, ProjectorView};
use crate::sim::{Command, Simulation, Stamped};

use super::compose::{AdHocDraft, WhiteCellDraft};
use super::feed::Feed;
use super::layout::{MapLayout, NodeInfo};
use super::look::Look;
use super::panels;
use super::panels::projector::projector_ui;
use super::panels::role::{Seat, SeatRequest, role_ui};
use super::panels::start::{StartRequest, StartScreen};

/// How much simulation one frame may run, so the console keeps repainting at full speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameBudget {
    /// At most this many engine steps (due minutes) per frame.
    pub max_steps: u32,
    /// At most this much wall time in engine steps per frame. Defaults to 10 ms, which
    /// leaves room to draw a 10,000-organisation console well within 33 ms (30 frames a
    /// second). A step is never cut: one that would likely overrun waits for the next frame.
    pub max_micros: u64,
}

impl Default for FrameBudget {
    fn default() -> Self {
        Self {
            max_steps: 50_000,
            max_micros: 10_000,
        }
    }
}

/// The wall clock: the GUI is the only part of tabletop that reads it (DESIGN.md rule 3).
#[allow(
    clippy::disallowed_methods,
    reason = "the GUI turns wall time into simulated time and budgets its frames"
)]
pub fn wall_now() -> Instant {
    Instant::now()
}

/// The local wall-clock moment as "20260313-163000" (UTC), for default session names.
#[allow(
    clippy::disallowed_methods,
    reason = "the GUI names new session files after the moment they were started"
)]
pub fn wall_stamp() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let seconds = i64::try_from(seconds).unwrap_or(0);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Speeds of the exercise clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    RealTime,
    X10,
    X60,
    X600,
    /// As fast as the frame budget allows.
    Max,
}

impl Speed {
    pub const ALL: [Self; 5] = [Self::RealTime, Self::X10, Self::X60, Self::X600, Self::Max];

    pub const fn label(self) -> &'static str {
        match self {
            Self::RealTime => "real time",
            Self::X10 => "×10",
            Self::X60 => "×60",
            Self::X600 => "×600",
            Self::Max => "max",
        }
    }

    /// Simulated seconds per wall second; `None` for as fast as possible.
    pub const fn factor(self) -> Option<f64> {
        match self {
            Self::RealTime => Some(1.0),
            Self::X10 => Some(10.0),
            Self::X60 => Some(60.0),
            Self::X600 => Some(600.0),
            Self::Max => None,
        }
    }
}

/// Something a panel asks the app to do, applied after the panels are drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Give a command to the world (recorded in the session first).
    Submit(Command),
    TogglePlay,
    /// Play the next minute at which something is due.
    Step,
    SetSpeed(Speed),
    /// Fast-forward to this minute, then pause.
    JumpTo(Minute),
    /// Select an actor (by index) for the inspector.
    Select(Option<u32>),
    /// Close the exercise (the session stays on disk, resumable) and go back to the start.
    Leave,
    /// Review mode: stand the recorded session at this minute (the time slider).
    Seek(Minute),
}

/// The status line when a review is asked to change the world.
pub const READ_ONLY: &str =
    "reviewing a recorded session: read-only — use `tabletop branch` to continue differently";

/// One line of feedback under the clock bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// An actor as the map and the filters need it, by index.
#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    pub sector: Option<Sector>,
    pub country: String,
    pub national: bool,
}

/// The tabs of the bottom panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BottomTab {
    Log,
    Timeline,
    Objectives,
    Decisions,
    /// Review mode: actors × indicators at the slider's minute.
    WhoKnew,
}

/// The tabs of the left panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftTab {
    Msel,
    WhiteCell,
    AdHoc,
}

/// The log's filters and the matches found so far.
#[derive(Clone, Debug, Default)]
pub struct LogState {
    pub actor: String,
    pub kind: Option<&'static str>,
    pub text: String,
    /// The filters the matches were computed for.
    pub applied: (String, Option<&'static str>, String),
    /// Journal indices matching, in order, and how far the journal has been scanned.
    pub matches: Vec<u32>,
    pub scanned: usize,
}

impl LogState {
    pub fn is_filtered(&self) -> bool {
        !self.actor.trim().is_empty() || self.kind.is_some() || !self.text.trim().is_empty()
    }
}

/// Views of the world that cost more than a frame should spend: refreshed when the
/// journal or the clock moved, at most four times a second while the clock runs.
#[derive(Clone, Debug, Default)]
pub struct Views {
    /// National CSIRTs (or every CSIRT, if none is national): id, name, crisis level.
    pub crisis: Vec<(String, String, CrisisLevel)>,
    pub injects: Vec<InjectView>,
    pub selected: Option<ActorView>,
    pub projector: Option<ProjectorView>,
    key: Option<(usize, Minute, Option<u32>)>,
    at: Option<Instant>,
}

/// Per-frame measurements, shown small in the clock bar.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameStats {
    pub steps: u32,
    pub sim_micros: u64,
}

/// What drives the world: a recorder (a live exercise) or a recorded session under review.
/// Both boxed: each holds a whole simulation.
enum Driver {
    Live(Box<Recorder>),
    Review(Box<session::Review>),
}

impl Driver {
    fn sim(&self) -> &Simulation {
        match self {
            Self::Live(recorder) => recorder.simulation(),
            Self::Review(review) => review.sim(),
        }
    }
}

/// A running exercise (or a recorded one under review): the driver, the views and every
/// panel's state.
pub struct Exercise {
    /// The only way to the world: private, so panels cannot reach it.
    driver: Driver,
    pub scenario: Scenario,
    pub scenario_path: String,
    pub session_path: PathBuf,
    pub running: bool,
    pub speed: Speed,
    /// The clock in real-time speeds, in fractional simulated minutes.
    sim_clock: f64,
    pub jump_to: Option<Minute>,
    pub auto_pause_inject: bool,
    pub auto_pause_decision: bool,
    pub feed: Feed,
    pub nodes: Vec<Node>,
    pub by_id: BTreeMap<String, u32>,
    /// (from, to, kind) by actor index: "reports to", "peer", "supplies", "forwards to".
    pub links: Vec<(u32, u32, &'static str)>,
    pub layout: MapLayout,
    pub views: Views,
    pub selected: Option<u32>,
    pub delay_text: String,
    pub msel_filter: String,
    /// Hide injects that fired, were skipped or cancelled.
    pub msel_open_only: bool,
    pub jump_text: String,
    pub white_cell: WhiteCellDraft,
    pub adhoc: AdHocDraft,
    pub note: String,
    pub log: LogState,
    pub tab: BottomTab,
    pub left_tab: LeftTab,
    /// Commands this console gave, in order, as recorded.
    pub given: Vec<Stamped>,
    pub status: Option<Status>,
    pub stats: FrameStats,
    pub actions: Vec<Action>,
    /// The role windows open, in the order they were opened.
    pub seats: Vec<Seat>,
    pub projector_open: bool,
    /// Review mode: who knew which indicator at the slider's minute.
    pub who_knew: panels::who_knew::WhoKnew,
    composed: u32,
    /// When the clock last moved with wall time (real-time speeds).
    last_tick: Option<Instant>,
    /// What one engine step is expected to cost, to stop before overrunning the budget.
    step_cost: WallDuration,
}

impl Exercise {
    /// Starts recording a new session of `scenario`.
    pub fn start(
        scenario: Scenario,
        scenario_path: &str,
        session_path: &Path,
        seed: u64,
    ) -> Result<Self, String> {
        if let Some(dir) = session_path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let recorder = Recorder::start(session_path, scenario_path, &scenario, seed)
            .map_err(|e| e.to_string())?;
        Ok(Self::new(
            Driver::Live(Box::new(recorder)),
            scenario,
            scenario_path,
            session_path,
        ))
    }

    /// Continues a session cut off (a killed app): replays and verifies it, then appends.
    pub fn resume(session_path: &Path) -> Result<(Self, Vec<String>), String> {
        let loaded = session::load(session_path).map_err(|e| e.to_string())?;
        let (recorder, warnings) =
            Recorder::resume(session_path, None).map_err(|e| e.to_string())?;
        let scenario = session::scenario_for(&loaded, None).map_err(|e| e.to_string())?;
        let mut exercise = Self::new(
            Driver::Live(Box::new(recorder)),
            scenario,
            &loaded.header.scenario,
            session_path,
        );
        let commands = loaded.commands.len();
        exercise.status = Some(Status {
            text: format!(
                "resumed {} at {} with {commands} recorded commands",
                session_path.display(),
                scenario::time::format_offset(exercise.sim().now())
            ),
            error: false,
        });
        Ok((exercise, warnings))
    }

    /// Opens a recorded session read-only, replayed and verified to the end of its
    /// recording: the time slider moves it, nothing is written to its file.
    pub fn open_review(session_path: &Path) -> Result<(Self, Vec<String>), String> {
        let loaded = session::load(session_path).map_err(|e| e.to_string())?;
        let scenario = session::scenario_for(&loaded, None).map_err(|e| e.to_string())?;
        let scenario_path = loaded.header.scenario.clone();
        let warnings = loaded.warnings.clone();
        let review = session::Review::open(loaded, &scenario).map_err(|e| e.to_string())?;
        let (commands, end) = (review.commands().len(), review.end());
        let mut exercise = Self::new(
            Driver::Review(Box::new(review)),
            scenario,
            &scenario_path,
            session_path,
        );
        exercise.tab = BottomTab::WhoKnew;
        exercise.say(
            format!(
                "reviewing {} (read-only): {commands} recorded commands, up to {}",
                session_path.display(),
                scenario::time::format_offset(end)
            ),
            false,
        );
        Ok((exercise, warnings))
    }

    fn new(driver: Driver, scenario: Scenario, scenario_path: &str, session: &Path) -> Self {
        let sim = driver.sim();
        let network = sim.network_view();
        let authority_country: BTreeMap<&str, &str> = scenario
            .authorities
            .iter()
            .map(|a| (a.id.as_str(), a.country.as_str()))
            .collect();
        let national: Vec<&str> = scenario
            .csirts
            .iter()
            .filter(|c| c.kind == CsirtKind::National)
            .map(|c| c.id.as_str())
            .collect();
        let nodes: Vec<Node> = network
            .actors
            .iter()
            .map(|node| Node {
                id: node.id.to_string(),
                name: node.name.to_string(),
                kind: node.kind,
                sector: node.sector,
                country: if node.country.is_empty() {
                    authority_country
                        .get(&*node.id)
                        .map_or_else(String::new, |c| (*c).to_owned())
                } else {
                    node.country.to_string()
                },
                national: national.contains(&&*node.id),
            })
            .collect();
        let by_id: BTreeMap<String, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let links = network
            .links
            .iter()
            .filter_map(|(a, b, kind)| Some((*by_id.get(&**a)?, *by_id.get(&**b)?, *kind)))
            .collect();
        let layout = MapLayout::new(
            &nodes
                .iter()
                .map(|n| NodeInfo {
                    kind: n.kind,
                    sector: n.sector,
                    country: n.country.clone(),
                })
                .collect::<Vec<_>>(),
        );
        let is_entity: Vec<bool> = nodes.iter().map(|n| n.kind == ActorKind::Entity).collect();
        let objectives: Vec<String> = scenario.objectives.iter().map(|o| o.id.clone()).collect();
        let mut feed = Feed::new(&is_entity, &objectives);
        let now = sim.now();
        feed.ingest(sim.journal(), now);
        #[allow(clippy::cast_precision_loss, reason = "minutes of an exercise fit")]
        let sim_clock = now as f64;
        let mut exercise = Self {
            driver,
            scenario,
            scenario_path: scenario_path.to_owned(),
            session_path: session.to_path_buf(),
            running: false,
            speed: Speed::X60,
            sim_clock,
            jump_to: None,
            auto_pause_inject: false,
            auto_pause_decision: true,
            feed,
            nodes,
            by_id,
            links,
            layout,
            views: Views::default(),
            selected: None,
            delay_text: "1h".to_owned(),
            msel_filter: String::new(),
            msel_open_only: false,
            jump_text: String::new(),
            white_cell: WhiteCellDraft::default(),
            adhoc: AdHocDraft::default(),
            note: String::new(),
            log: LogState::default(),
            tab: BottomTab::Log,
            left_tab: LeftTab::Msel,
            given: Vec::new(),
            status: None,
            stats: FrameStats::default(),
            actions: Vec::new(),
            seats: Vec::new(),
            projector_open: false,
            who_knew: panels::who_knew::WhoKnew::default(),
            composed: 0,
            last_tick: None,
            step_cost: WallDuration::ZERO,
        };
        exercise.refresh_views(true);
        exercise
    }

    /// The simulation, read-only: panels look, never touch. Under review, the recorded
    /// session as it stood at the slider's minute.
    pub fn sim(&self) -> &Simulation {
        self.driver.sim()
    }

    /// The recorder of a live exercise; `None` under review.
    fn recorder(&mut self) -> Option<&mut Recorder> {
        match &mut self.driver {
            Driver::Live(recorder) => Some(recorder),
            Driver::Review(_) => None,
        }
    }

    /// The recorded session under review, if this console is reviewing one.
    pub fn review(&self) -> Option<&session::Review> {
        match &self.driver {
            Driver::Live(_) => None,
            Driver::Review(review) => Some(review),
        }
    }

    /// Whether the console reviews a recorded session: nothing may change the world.
    pub fn is_review(&self) -> bool {
        self.review().is_some()
    }

    /// The clock; under review, the slider's minute (every minute up to it played).
    pub fn now(&self) -> Minute {
        self.review()
            .map_or_else(|| self.sim().now(), session::Review::at)
    }

    /// "T+1d 2h", "Sat 2026-03-14 18:30" for a minute of this exercise.
    pub fn times(&self, t: Minute) -> (String, String) {
        (
            scenario::time::format_offset(t),
            self.sim().plan().start.plus(t).describe(),
        )
    }

    /// A fresh id for a composed inject: "adhoc-3", never one the MSEL already has.
    pub fn next_inject_id(&mut self, prefix: &str) -> String {
        loop {
            self.composed += 1;
            let id = format!("{prefix}-{}", self.composed);
            if !self.views.injects.iter().any(|i| *i.id == *id)
                && !self.sim().plan().inject_by_id.contains_key(&id)
            {
                return id;
            }
        }
    }

    /// Opens or closes the window of a role.
    pub fn set_seat(&mut self, role: &str, open: bool) {
        self.seats.retain(|s| s.role != role);
        if open {
            let mut seat = Seat::new(role);
            seat.view = self.sim().role_view(role);
            self.seats.push(seat);
        }
    }

    /// A seat's request: a decision answered by its role, or an action checked first
    /// (a refusal stays in the seat, with its reason) and then given as a command.
    fn seat_request(&mut self, role: &str, request: SeatRequest) {
        let (command, done) = match request {
            SeatRequest::Close => return self.set_seat(role, false),
            SeatRequest::Decide { decision, option } => (
                Command::Decide {
                    decision,
                    option,
                    by: role.to_owned(),
                },
                "Your answer is recorded".to_owned(),
            ),
            SeatRequest::Act(action) => match self.sim().check_action(role, &action) {
                Ok(detail) => (
                    Command::Act {
                        role: role.to_owned(),
                        action,
                    },
                    format!("Done: {detail}"),
                ),
                Err(why) => {
                    if let Some(seat) = self.seats.iter_mut().find(|s| s.role == role) {
                        seat.message = Some((format!("Refused: {why}"), true));
                    }
                    return;
                }
            },
        };
        let given = self.given.len();
        self.submit(command);
        let accepted = self.given.len() > given;
        let message = if accepted {
            let (offset, _) = self.times(self.now());
            format!("{done} ({offset})")
        } else {
            // Not given (e.g. a review, or the exercise has ended): the console says why.
            self.status
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default()
        };
        if let Some(seat) = self.seats.iter_mut().find(|s| s.role == role) {
            seat.message = Some((message, !accepted));
            if accepted {
                seat.picked.clear();
            }
        }
        self.refresh_views(true);
    }

    /// The role windows and the projector, each in its own viewport (a native window where
    /// the platform allows, else a window inside the console).
    fn seats_ui(&mut self, ctx: &egui::Context) {
        let start = self.sim().plan().start;
        let mut requests = Vec::new();
        for seat in &mut self.seats {
            let title = seat
                .view
                .as_ref()
                .map_or_else(|| seat.role.clone(), |v| format!("{} — tabletop", v.title));
            let id = egui::ViewportId::from_hash_of(("seat", &seat.role));
            let builder = egui::ViewportBuilder::default()
                .with_title(title)
                .with_inner_size([640.0, 800.0]);
            let asked = ctx.show_viewport_immediate(id, builder, |ui, class| {
                let mut asked = if class == egui::ViewportClass::EmbeddedWindow {
                    role_ui(ui, seat, &start)
                } else {
                    egui::CentralPanel::default()
                        .show(ui, |ui| role_ui(ui, seat, &start))
                        .inner
                };
                if ui.input(|i| i.viewport().close_requested()) {
                    asked.push(SeatRequest::Close);
                }
                asked
            });
            requests.extend(asked.into_iter().map(|r| (seat.role.clone(), r)));
        }
        for (role, request) in requests {
            self.seat_request(&role, request);
        }
        if self.projector_open
            && let Some(view) = &self.views.projector
        {
            let id = egui::ViewportId::from_hash_of("projector");
            let builder = egui::ViewportBuilder::default()
                .with_title("tabletop — projector")
                .with_inner_size([1280.0, 720.0]);
            let close = ctx.show_viewport_immediate(id, builder, |ui, class| {
                let close = if class == egui::ViewportClass::EmbeddedWindow {
                    projector_ui(ui, view, &start)
                } else {
                    egui::CentralPanel::default()
                        .show(ui, |ui| projector_ui(ui, view, &start))
                        .inner
                };
                close || ui.input(|i| i.viewport().close_requested())
            });
            if close {
                self.projector_open = false;
            }
        }
    }

    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    /// Gives a command at the earliest minute it can take effect and plays that minute,
    /// so "fire now" is now even while the clock is paused.
    fn submit(&mut self, command: Command) {
        let at = self.sim().earliest_command_time();
        let label = command.label();
        let Driver::Live(recorder) = &mut self.driver else {
            return self.say(READ_ONLY, true);
        };
        match recorder.submit(at, command.clone()) {
            Ok(seq) => {
                self.given.push(Stamped { at, seq, command });
                if let Err(e) = recorder.advance_to(at + 1) {
                    self.running = false;
                    return self.say(e.to_string(), true);
                }
                self.catch_up_clock();
                let (offset, _) = self.times(at);
                self.say(format!("{label} given at {offset} (#{seq})"), false);
            }
            Err(e) => self.say(format!("{label} not given: {e}"), true),
        }
    }

    fn catch_up_clock(&mut self) {
        #[allow(clippy::cast_precision_loss, reason = "minutes of an exercise fit")]
        let now = self.now() as f64;
        self.sim_clock = self.sim_clock.max(now);
    }

    fn step(&mut self) {
        if self.sim().is_finished() {
            return self.say("the exercise has ended", false);
        }
        let Driver::Live(recorder) = &mut self.driver else {
            return self.say(READ_ONLY, true);
        };
        if let Err(e) = recorder.step() {
            self.running = false;
            self.say(e.to_string(), true);
        }
        self.catch_up_clock();
    }

    /// Review mode: stands the recorded session at minute `t`. Moving back rebuilds the
    /// simulation from the start, so the feed and the log start over.
    fn seek(&mut self, t: Minute) {
        let Driver::Review(review) = &mut self.driver else {
            return self.say("the time slider only moves a recorded session", true);
        };
        match review.seek(t) {
            Ok(session::Moved::Stayed) => return,
            Ok(session::Moved::Forward) => {}
            Ok(session::Moved::Back) => {
                let is_entity: Vec<bool> = self
                    .nodes
                    .iter()
                    .map(|n| n.kind == ActorKind::Entity)
                    .collect();
                let objectives: Vec<String> = self
                    .scenario
                    .objectives
                    .iter()
                    .map(|o| o.id.clone())
                    .collect();
                let flow_window = self.feed.flow_window;
                self.feed = Feed::new(&is_entity, &objectives);
                self.feed.flow_window = flow_window;
                self.log.matches.clear();
                self.log.scanned = 0;
            }
            Err(e) => return self.say(e.to_string(), true),
        }
        let now = self.now();
        self.feed.ingest(self.driver.sim().journal(), now);
        #[allow(clippy::cast_precision_loss, reason = "minutes of an exercise fit")]
        let now_f = now as f64;
        self.sim_clock = now_f;
        self.refresh_views(true);
    }

    fn apply(&mut self, action: Action) {
        if self.is_review()
            && matches!(
                action,
                Action::Submit(_) | Action::TogglePlay | Action::Step | Action::JumpTo(_)
            )
        {
            self.running = false;
            self.jump_to = None;
            return self.say(READ_ONLY, true);
        }
        match action {
            Action::Submit(command) => self.submit(command),
            Action::TogglePlay => {
                self.jump_to = None;
                self.running = !self.running && !self.sim().is_finished();
                self.catch_up_clock();
            }
            Action::Step => {
                self.running = false;
                self.jump_to = None;
                self.step();
            }
            Action::SetSpeed(speed) => {
                self.speed = speed;
                self.catch_up_clock();
            }
            Action::JumpTo(t) => {
                if t <= self.now() {
                    let (offset, _) = self.times(t);
                    self.say(format!("{offset} is already past"), true);
                } else {
                    self.jump_to = Some(t.min(self.sim().end() + 1));
                }
            }
            Action::Select(actor) => self.selected = actor,
            Action::Leave => {}
            Action::Seek(t) => self.seek(t),
        }
    }

    /// Applies the actions queued by the panels; returns whether the console should leave.
    fn apply_actions(&mut self) -> bool {
        let mut leave = false;
        for action in std::mem::take(&mut self.actions) {
            leave |= action == Action::Leave;
            self.apply(action);
        }
        leave
    }

    /// Runs the simulation for this frame: toward the jump target, or as the clock speed
    /// says, within the budget. Pauses on the alerts the facilitator asked for.
    pub fn advance(&mut self, wall_dt_seconds: f64, budget: FrameBudget) {
        self.stats = FrameStats::default();
        if self.is_review() {
            // A recorded session moves only with the time slider.
            self.running = false;
            self.jump_to = None;
            return;
        }
        let end = self.sim().end();
        let goal = if let Some(target) = self.jump_to {
            target
        } else if self.running {
            match self.speed.factor() {
                None => end + 1,
                Some(factor) => {
                    self.sim_clock += wall_dt_seconds * factor / 60.0;
                    #[allow(
                        clippy::cast_possible_truncation,
                        reason = "the clock stays within the exercise's minutes"
                    )]
                    let goal = self.sim_clock.floor() as Minute;
                    goal
                }
            }
        } else {
            return;
        };
        let started = wall_now();
        let budget_time = WallDuration::from_micros(budget.max_micros);
        while !self.sim().is_finished() {
            let next = self.sim().next_event_time();
            match next {
                Some(t) if t < goal => {
                    let step_started = wall_now();
                    let Some(recorder) = self.recorder() else {
                        break;
                    };
                    if let Err(e) = recorder.step() {
                        self.running = false;
                        self.jump_to = None;
                        self.say(e.to_string(), true);
                        break;
                    }
                    self.stats.steps += 1;
                    // A running estimate of a step's cost, biased toward the expensive ones.
                    let cost = step_started.elapsed();
                    self.step_cost = if cost > self.step_cost {
                        cost
                    } else {
                        (self.step_cost * 7 + cost) / 8
                    };
                    let now = self.now();
                    let alerts = self.feed.ingest(self.driver.sim().journal(), now);
                    let pause = (alerts.inject_fired && self.auto_pause_inject)
                        || (alerts.decision_raised && self.auto_pause_decision);
                    if pause {
                        self.running = false;
                        self.jump_to = None;
                        let why = if alerts.decision_raised && self.auto_pause_decision {
                            "a decision was raised"
                        } else {
                            "an inject fired"
                        };
                        let (offset, _) = self.times(now);
                        self.say(format!("paused at {offset}: {why}"), false);
                        break;
                    }
                }
                _ => {
                    if let Some(recorder) = self.recorder()
                        && let Err(e) = recorder.advance_to(goal.min(end + 1))
                    {
                        self.running = false;
                        self.say(e.to_string(), true);
                    }
                    break;
                }
            }
            if self.stats.steps >= budget.max_steps
                || started.elapsed() + self.step_cost >= budget_time
            {
                break;
            }
        }
        self.stats.sim_micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let now = self.now();
        if let Some(target) = self.jump_to
            && (now >= target || self.sim().is_finished())
        {
            self.jump_to = None;
            self.running = false;
            let (offset, wall) = self.times(now);
            self.say(format!("arrived at {offset} ({wall})"), false);
        }
        if self.sim().is_finished() {
            if self.running {
                self.say("the exercise has ended", false);
            }
            self.running = false;
        }
        // Behind the wall clock (budget spent)? Fall behind gracefully instead of racing.
        #[allow(clippy::cast_precision_loss, reason = "minutes of an exercise fit")]
        let now_f = now as f64;
        self.sim_clock = self.sim_clock.clamp(now_f, now_f + 1.0);
    }

    /// Recomputes the views that cost more than a frame should, when something changed.
    pub fn refresh_views(&mut self, force: bool) {
        let key = (self.sim().journal().len(), self.now(), self.selected);
        if self.views.key == Some(key) && !force {
            return;
        }
        let busy = self.running || self.jump_to.is_some();
        if busy
            && !force
            && self
                .views
                .at
                .is_some_and(|at| at.elapsed() < WallDuration::from_millis(250))
        {
            return;
        }
        let sim = self.driver.sim();
        let mut crisis: Vec<(String, String, CrisisLevel)> = self
            .nodes
            .iter()
            .filter(|n| n.national)
            .filter_map(|n| {
                let level = sim.actor_view(&n.id)?.desk?.crisis_level;
                Some((n.id.clone(), n.name.clone(), level))
            })
            .collect();
        if crisis.is_empty() {
            crisis = self
                .nodes
                .iter()
                .filter(|n| n.kind == ActorKind::Csirt)
                .take(4)
                .filter_map(|n| {
                    let level = sim.actor_view(&n.id)?.desk?.crisis_level;
                    Some((n.id.clone(), n.name.clone(), level))
                })
                .collect();
        }
        self.views.crisis = crisis;
        self.views.injects = sim.inject_views();
        self.views.selected = self
            .selected
            .and_then(|ix| self.nodes.get(ix as usize))
            .and_then(|n| sim.actor_view(&n.id));
        for seat in &mut self.seats {
            seat.view = match seat.view.take() {
                Some(previous) => sim.refresh_role_view(previous),
                None => sim.role_view(&seat.role),
            };
        }
        self.views.projector = if self.projector_open {
            Some(match self.views.projector.take() {
                Some(previous) => sim.refresh_projector_view(previous),
                None => sim.projector_view(),
            })
        } else {
            None
        };
        self.views.key = Some(key);
        self.views.at = Some(wall_now());
    }

    /// Review mode: rebuilds the who-knew-what grid if the slider moved since.
    pub fn refresh_who_knew(&mut self) {
        if let Driver::Review(review) = &self.driver
            && self.who_knew.at != Some(review.at())
        {
            self.who_knew.build(review.sim(), review.at(), &self.nodes);
        }
    }

    fn shortcuts(&mut self, ui: &Ui) {
        // Under review the clock keys are left to the focused widget (the time slider).
        let typing = ui.ctx().text_edit_focused() || self.is_review();
        let (focus_note, toggle, step) = ui.input_mut(|i| {
            let note = i.consume_key(Modifiers::COMMAND, Key::N);
            let toggle = !typing && i.consume_key(Modifiers::NONE, Key::Space);
            let step = !typing && i.consume_key(Modifiers::NONE, Key::ArrowRight);
            (note, toggle, step)
        });
        if focus_note {
            ui.memory_mut(|m| m.request_focus(panels::notes::note_id()));
        }
        if toggle {
            self.actions.push(Action::TogglePlay);
        }
        if step {
            self.actions.push(Action::Step);
        }
    }

    /// One frame of the console. Returns whether the facilitator asked to leave.
    pub fn frame(&mut self, ui: &mut Ui, look: &mut Look, budget: FrameBudget) -> bool {
        self.shortcuts(ui);
        let mut leave = self.apply_actions();
        // Wall time since the last frame, measured here: egui's own dt is a prediction
        // after the app slept between repaints.
        let tick = wall_now();
        let dt = if self.running {
            self.last_tick
                .map_or(0.0, |last| tick.duration_since(last).as_secs_f64().min(1.0))
        } else {
            0.0
        };
        self.last_tick = self.running.then_some(tick);
        self.advance(dt, budget);
        let now = self.now();
        self.feed.ingest(self.driver.sim().journal(), now);
        self.refresh_views(false);
        if self.tab == BottomTab::WhoKnew {
            self.refresh_who_knew();
        }
        panels::log::scan(self.driver.sim().journal(), &mut self.log);

        egui::Panel::top("clock").show(ui, |ui| {
            panels::clock_bar::clock_bar_ui(ui, self, look);
        });
        egui::Panel::left("msel")
            .resizable(true)
            .default_size(470.0)
            .show(ui, |ui| panels::msel::msel_ui(ui, self));
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(400.0)
            .show(ui, |ui| panels::inspector::inspector_ui(ui, self));
        egui::Panel::bottom("journal")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                panels::notes::notes_ui(ui, self);
                ui.separator();
                panels::log::bottom_ui(ui, self);
            });
        egui::CentralPanel::default().show(ui, |ui| panels::map::map_ui(ui, self));
        if self.projector_open && self.views.projector.is_none() {
            self.views.projector = Some(self.sim().projector_view());
        }
        self.seats_ui(&ui.ctx().clone());

        let acted = !self.actions.is_empty();
        leave |= self.apply_actions();
        if acted && self.tab == BottomTab::WhoKnew {
            self.refresh_who_knew();
        }
        if acted {
            // Show what the actions changed on the next frame, without waiting for input.
            self.refresh_views(true);
        }
        if acted || self.jump_to.is_some() || (self.running && self.speed == Speed::Max) {
            ui.ctx().request_repaint();
        } else if self.running
            && let Some(factor) = self.speed.factor()
        {
            // Wake up when the next simulated minute is due, not sixty times a second.
            let left = (self.sim_clock.floor() + 1.0 - self.sim_clock) * 60.0 / factor;
            #[allow(clippy::cast_possible_truncation, reason = "a short wait in seconds")]
            ui.ctx()
                .request_repaint_after_secs(left.clamp(1.0 / 60.0, 1.0) as f32);
        }
        leave
    }
}

/// Where the console looks for scenarios and writes sessions.
#[derive(Clone, Debug)]
pub struct AppOptions {
    /// The shipped scenarios (`scenarios/*.ron`).
    pub scenarios_dir: PathBuf,
    /// Where new sessions go by default, with a timestamped name.
    pub sessions_dir: PathBuf,
    /// A scenario to open on the start screen (`tabletop gui FILE`).
    pub file: Option<PathBuf>,
    pub budget: FrameBudget,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            scenarios_dir: PathBuf::from("scenarios"),
            sessions_dir: PathBuf::from("sessions"),
            file: None,
            budget: FrameBudget::default(),
        }
    }
}

/// The whole console: the start screen, or a running exercise.
pub struct App {
    pub options: AppOptions,
    pub look: Look,
    pub start: StartScreen,
    pub exercise: Option<Box<Exercise>>,
}

impl App {
    pub fn new(options: AppOptions) -> Self {
        let start = StartScreen::new(&options);
        Self {
            options,
            look: Look::default(),
            start,
            exercise: None,
        }
    }

    /// Starts an exercise directly (the benchmark, scripts); the start screen does the same.
    pub fn start_exercise(
        &mut self,
        scenario: Scenario,
        scenario_path: &str,
        session: &Path,
        seed: u64,
    ) -> Result<(), String> {
        let exercise = Exercise::start(scenario, scenario_path, session, seed)?;
        self.exercise = Some(Box::new(exercise));
        Ok(())
    }

    fn handle(&mut self, request: StartRequest) {
        let result = match request {
            StartRequest::Start {
                scenario,
                scenario_path,
                session,
                seed,
            } => {
                Exercise::start(*scenario, &scenario_path, &session, seed).map(|e| (e, Vec::new()))
            }
            StartRequest::Resume { session } => Exercise::resume(&session),
            StartRequest::Review { session } => Exercise::open_review(&session),
        };
        match result {
            Ok((exercise, warnings)) => {
                self.start.error = None;
                let mut exercise = Box::new(exercise);
                if !warnings.is_empty() {
                    exercise.status = Some(Status {
                        text: warnings.join("; "),
                        error: false,
                    });
                }
                self.exercise = Some(exercise);
            }
            Err(e) => self.start.error = Some(e),
        }
    }

    /// One frame of the whole console.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.look.apply(ui.ctx());
        let leave = match &mut self.exercise {
            Some(exercise) => exercise.frame(ui, &mut self.look, self.options.budget),
            None => {
                let request = egui::CentralPanel::default()
                    .show(ui, |ui| {
                        panels::start::start_ui(ui, &mut self.start, &mut self.look, &self.options)
                    })
                    .inner;
                if let Some(request) = request {
                    self.handle(request);
                }
                false
            }
        };
        if leave {
            self.exercise = None;
            self.start.refresh(&self.options);
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }
}
