//! The start screen: pick a shipped scenario or open a file, read its summary, actors and
//! objectives (or its diagnostics, with file:line:col), choose a seed and a session file,
//! start; resume a session the app was killed in, or review a recorded one read-only.

use std::path::{Path, PathBuf};

use egui::{Color32, RichText, ScrollArea, TextEdit, Ui};

use crate::scenario::{self, Scenario};
use crate::session;
use crate::words::{count, count_as};

use super::super::look::{Look, look_ui};
use super::super::options::AppOptions;
use super::super::wall::wall_stamp;

/// A scenario file as loaded: the scenario, or everything wrong with it.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub result: Result<Box<Scenario>, String>,
}

/// A recorded session file, as the start screen lists it.
#[derive(Clone, Debug)]
pub struct ListedSession {
    pub path: PathBuf,
    pub description: String,
    /// Whether it reached the end of its exercise (then it can be reviewed, not resumed).
    pub finished: bool,
}

/// What the start screen asks the app to do.
#[derive(Debug)]
pub enum StartRequest {
    Start {
        scenario: Box<Scenario>,
        scenario_path: String,
        session: PathBuf,
        seed: u64,
        /// The private key to sign the session with.
        sign: Option<PathBuf>,
    },
    Resume {
        session: PathBuf,
        /// The key that signed the session, to sign on with.
        sign: Option<PathBuf>,
        /// The public key its signatures must verify with.
        verify: Option<PathBuf>,
    },
    /// Open a recorded session read-only, with a time slider.
    Review {
        session: PathBuf,
        verify: Option<PathBuf>,
    },
}

#[derive(Clone, Debug, Default)]
pub struct StartScreen {
    /// `scenarios/*.ron`, sorted.
    pub scenarios: Vec<PathBuf>,
    pub loaded: Option<Loaded>,
    pub open_path: String,
    pub seed: String,
    pub session_path: String,
    /// The session path follows the selected scenario until the facilitator edits it.
    pub session_edited: bool,
    /// The session to resume or review.
    pub resume_path: String,
    /// The private key that signs new and resumed sessions; empty: unsigned.
    pub sign_path: String,
    /// The public key a session to resume or review must verify with; empty: not checked.
    pub verify_path: String,
    /// The most recent sessions, newest first.
    pub sessions: Vec<ListedSession>,
    /// Why the last start, resume or review failed.
    pub error: Option<String>,
}

fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

impl StartScreen {
    pub fn new(options: &AppOptions) -> Self {
        let text = |path: &Option<PathBuf>| {
            path.as_ref()
                .map_or_else(String::new, |p| p.display().to_string())
        };
        let mut screen = Self {
            seed: "0".to_owned(),
            sign_path: text(&options.sign_key),
            verify_path: text(&options.verify_key),
            ..Self::default()
        };
        screen.refresh(options);
        let first = options
            .file
            .clone()
            .or_else(|| screen.scenarios.first().cloned());
        if let Some(path) = first {
            screen.open_path = path.display().to_string();
            screen.select(&path, options);
        }
        screen
    }

    /// Lists the shipped scenarios and the recorded sessions, to resume or review.
    pub fn refresh(&mut self, options: &AppOptions) {
        self.scenarios = ron_files(&options.scenarios_dir);
        let mut sessions = ron_files(&options.sessions_dir);
        sessions.reverse();
        self.sessions = sessions
            .into_iter()
            .filter_map(|path| {
                let loaded = session::load(&path).ok()?;
                let finished = loaded.end.is_some();
                let last = loaded.checkpoints.last().map_or(0, |c| c.0);
                Some(ListedSession {
                    description: format!(
                        "{}  ·  seed {}  ·  {} commands  ·  {}",
                        loaded.header.scenario,
                        loaded.header.seed,
                        loaded.commands.len(),
                        if finished {
                            "played to the end".to_owned()
                        } else {
                            format!("up to {}", scenario::time::format_offset(last))
                        }
                    ),
                    path,
                    finished,
                })
            })
            .take(12)
            .collect();
        if self.resume_path.is_empty()
            && let Some(first) = self.sessions.iter().find(|s| !s.finished)
        {
            self.resume_path = first.path.display().to_string();
        }
    }

    /// Loads a scenario for the summary; a broken one keeps its diagnostics.
    pub fn select(&mut self, path: &Path, options: &AppOptions) {
        let result = scenario::load_path(path)
            .map(|(s, _)| Box::new(s))
            .map_err(|e| e.to_string());
        if !self.session_edited {
            let stem = path.file_stem().map_or_else(
                || "session".to_owned(),
                |s| s.to_string_lossy().into_owned(),
            );
            self.session_path = options
                .sessions_dir
                .join(format!("{stem}-{}.ron", wall_stamp()))
                .display()
                .to_string();
        }
        self.loaded = Some(Loaded {
            path: path.to_path_buf(),
            result,
        });
    }

    fn request(&mut self) -> Option<StartRequest> {
        let loaded = self.loaded.as_ref()?;
        let scenario = loaded.result.as_ref().ok()?.clone();
        let Ok(seed) = self.seed.trim().parse::<u64>() else {
            self.error = Some(format!(
                "seed \"{}\": expected a whole number such as 0 or 42",
                self.seed.trim()
            ));
            return None;
        };
        if self.session_path.trim().is_empty() {
            self.error = Some("give a session file: every exercise is recorded".to_owned());
            return None;
        }
        Some(StartRequest::Start {
            scenario,
            scenario_path: loaded.path.display().to_string(),
            session: PathBuf::from(self.session_path.trim()),
            seed,
            sign: self.sign_key(),
        })
    }

    /// The signing key field, if filled.
    fn sign_key(&self) -> Option<PathBuf> {
        Some(self.sign_path.trim())
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// The public key field, if filled.
    fn verify_key(&self) -> Option<PathBuf> {
        Some(self.verify_path.trim())
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }
}

fn scenario_summary_ui(ui: &mut Ui, scenario: &Scenario) {
    ui.heading(&scenario.name);
    if !scenario.summary.is_empty() {
        ui.label(&scenario.summary);
    }
    ui.label(format!(
        "Starts {}, lasts {}.",
        scenario.start.describe(),
        scenario.duration
    ));
    ui.label(
        [
            count(scenario.csirts.len(), "CSIRT"),
            count(scenario.entities.len(), "organisation"),
            count_as(scenario.authorities.len(), "authority", "authorities"),
            count_as(scenario.adversaries.len(), "adversary", "adversaries"),
            count(scenario.injects.len(), "inject"),
            count(scenario.objectives.len(), "objective"),
            count(scenario.roles.len(), "role"),
        ]
        .join(" · "),
    );
    const SHOWN: usize = 200;
    egui::CollapsingHeader::new("CSIRTs and authorities")
        .default_open(scenario.csirts.len() + scenario.authorities.len() <= 12)
        .show(ui, |ui| {
            for c in scenario.csirts.iter().take(SHOWN) {
                ui.label(format!(
                    "{} — {} ({}, {}, {})",
                    c.id,
                    c.name,
                    c.kind.label(),
                    c.country,
                    count(c.analysts, "analyst")
                ));
            }
            for a in scenario.authorities.iter().take(SHOWN) {
                ui.label(format!(
                    "{} — {} ({}, {})",
                    a.id,
                    a.name,
                    a.kind.label(),
                    a.country
                ));
            }
        });
    egui::CollapsingHeader::new("Organisations")
        .default_open(scenario.entities.len() <= 12)
        .show(ui, |ui| {
            for e in scenario.entities.iter().take(SHOWN) {
                let people: Vec<String> = e
                    .people
                    .iter()
                    .map(|p| format!("{} {}", p.role, p.name))
                    .collect();
                ui.label(format!(
                    "{} — {} ({}, {}, {}){}",
                    e.id,
                    e.name,
                    e.sector.label(),
                    e.country,
                    e.class.label(),
                    if people.is_empty() {
                        String::new()
                    } else {
                        format!(" · {}", people.join(", "))
                    }
                ));
                // Counted customers are played as one organisation each: say so.
                for n in 0..e.customers.len() {
                    ui.weak(format!(
                        "    {} — {} (counted, played as one)",
                        e.customers_id(n),
                        e.customers_name(n)
                    ));
                }
            }
            if scenario.entities.len() > SHOWN {
                ui.weak(format!("… and {} more", scenario.entities.len() - SHOWN));
            }
        });
    egui::CollapsingHeader::new("Adversaries").show(ui, |ui| {
        for a in scenario.adversaries.iter().take(SHOWN) {
            // A campaign begun before the exercise: the facilitator should know the
            // exercise opens on an intrusion already under way.
            let campaigns: Vec<String> = a
                .campaigns
                .iter()
                .map(|c| match c.start.resolve(&scenario.start) {
                    start if start < 0 => format!(
                        "{} (began {}: under way when the exercise opens)",
                        c.name,
                        crate::scenario::time::format_offset(start)
                    ),
                    _ => c.name.clone(),
                })
                .collect();
            ui.label(format!(
                "{} ({}, {} capability): {}",
                a.name,
                a.intent.label(),
                a.capability.label(),
                campaigns.join(", ")
            ));
        }
    });
    if !scenario.vulnerabilities.is_empty() {
        // An embargo running at T+0 or a patch day is part of the brief.
        egui::CollapsingHeader::new("Vulnerabilities")
            .default_open(scenario.vulnerabilities.len() <= 6)
            .show(ui, |ui| {
                for v in scenario.vulnerabilities.iter().take(SHOWN) {
                    let course = v.disclosure.as_ref().map_or_else(
                        || "public, no coordinated disclosure".to_owned(),
                        |d| d.course(&scenario.start),
                    );
                    ui.label(format!(
                        "{} — {} ({}): {course}",
                        v.cve, v.product, v.vendor
                    ));
                }
            });
    }
    egui::CollapsingHeader::new("Objectives")
        .default_open(scenario.objectives.len() <= 20)
        .show(ui, |ui| {
            for o in scenario.objectives.iter().take(SHOWN) {
                ui.label(format!("{} — {}", o.id, o.title));
            }
            if scenario.objectives.len() > SHOWN {
                ui.weak(format!("… and {} more", scenario.objectives.len() - SHOWN));
            }
        });
    egui::CollapsingHeader::new("Roles for the trainees")
        .default_open(scenario.roles.len() <= 12)
        .show(ui, |ui| {
            if scenario.roles.is_empty() {
                ui.weak("No roles: the facilitator answers every decision.");
            }
            for r in scenario.roles.iter().take(SHOWN) {
                let decisions = if r.decisions.is_empty() {
                    String::new()
                } else {
                    format!(" · decides {}", r.decisions.join(", "))
                };
                // Discussion questions go to the organisation: any of its roles answers.
                let discussed = scenario
                    .injects
                    .iter()
                    .filter(|i| i.to.contains(&r.actor))
                    .map(|i| i.discussion.len())
                    .sum::<usize>();
                let discussion = match discussed {
                    0 => String::new(),
                    1 => " · 1 discussion question".to_owned(),
                    n => format!(" · {n} discussion questions"),
                };
                ui.label(format!(
                    "{} — {} (plays {}){decisions}{discussion}",
                    r.id, r.title, r.actor
                ));
            }
        });
}

/// Problems of a scenario, shown as the validator prints them.
fn diagnostics_ui(ui: &mut Ui, path: &Path, text: &str) {
    ui.heading(
        RichText::new(format!("{} cannot be played", path.display()))
            .color(Color32::from_rgb(215, 60, 60)),
    );
    ui.label("Fix these problems in the file, then open it again:");
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(text).monospace()).wrap());
    });
}

pub fn start_ui(
    ui: &mut Ui,
    screen: &mut StartScreen,
    look: &mut Look,
    options: &AppOptions,
) -> Option<StartRequest> {
    let mut request = None;
    ui.horizontal(|ui| {
        ui.heading("tabletop — facilitator console");
        ui.add_space((ui.available_width() - 260.0).max(0.0));
        look_ui(ui, look);
    });
    ui.separator();
    ui.columns(2, |columns| {
        let left = &mut columns[0];
        left.heading("Scenarios");
        let selected = screen.loaded.as_ref().map(|l| l.path.clone());
        let mut pick = None;
        for path in &screen.scenarios {
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            if left
                .selectable_label(selected.as_deref() == Some(path), name)
                .clicked()
            {
                pick = Some(path.clone());
            }
        }
        if screen.scenarios.is_empty() {
            left.weak(format!(
                "no scenarios in {}",
                options.scenarios_dir.display()
            ));
        }
        left.add_space(8.0);
        left.label("Open a file");
        left.horizontal(|ui| {
            let label = ui.label("Scenario path");
            ui.add(TextEdit::singleline(&mut screen.open_path).desired_width(260.0))
                .labelled_by(label.id);
            if ui.button("Open").clicked() {
                pick = Some(PathBuf::from(screen.open_path.trim()));
            }
        });
        if let Some(path) = pick {
            screen.open_path = path.display().to_string();
            screen.select(&path, options);
        }
        left.add_space(16.0);
        left.heading("Recorded sessions");
        left.label("Resume after a crash or a closed window: replays the session file, verifies it, goes on recording. Review: opens it read-only, with a time slider over what every actor knew.");
        let mut fill = None;
        for u in &screen.sessions {
            let name = u
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let name = if u.finished {
                format!("{name}  (ended)")
            } else {
                name
            };
            if left
                .selectable_label(screen.resume_path == u.path.display().to_string(), name)
                .on_hover_text(&u.description)
                .clicked()
            {
                fill = Some(u.path.display().to_string());
            }
        }
        if let Some(path) = fill {
            screen.resume_path = path;
        }
        // Wrapped: at 150% the buttons would cross into the scenario column.
        left.horizontal_wrapped(|ui| {
            let label = ui.label("Recorded session");
            ui.add(TextEdit::singleline(&mut screen.resume_path).desired_width(260.0))
                .labelled_by(label.id);
            let given = !screen.resume_path.trim().is_empty();
            let finished = screen
                .sessions
                .iter()
                .any(|s| s.finished && s.path.display().to_string() == screen.resume_path.trim());
            if ui
                .add_enabled(given && !finished, egui::Button::new("Resume"))
                .on_hover_text("go on recording this session")
                .clicked()
            {
                request = Some(StartRequest::Resume {
                    session: PathBuf::from(screen.resume_path.trim()),
                    sign: screen.sign_key(),
                    verify: screen.verify_key(),
                });
            }
            if ui
                .add_enabled(given, egui::Button::new("Review"))
                .on_hover_text("open it read-only, with a time slider")
                .clicked()
            {
                request = Some(StartRequest::Review {
                    session: PathBuf::from(screen.resume_path.trim()),
                    verify: screen.verify_key(),
                });
            }
        });
        left.horizontal(|ui| {
            let label = ui.label("Public key");
            ui.add(
                TextEdit::singleline(&mut screen.verify_path)
                    .desired_width(260.0)
                    .hint_text("optional: NAME.pub.pem"),
            )
            .labelled_by(label.id)
            .on_hover_text("resume and review only a session whose signatures verify with this key");
        });

        let right = &mut columns[1];
        let ok = screen.loaded.as_ref().is_some_and(|l| l.result.is_ok());
        ScrollArea::vertical()
            .id_salt("scenario-summary")
            .max_height((right.available_height() - 150.0).max(200.0))
            .show(right, |ui| match &screen.loaded {
                Some(Loaded {
                    result: Ok(scenario),
                    ..
                }) => scenario_summary_ui(ui, scenario),
                Some(Loaded {
                    path,
                    result: Err(text),
                }) => diagnostics_ui(ui, path, text),
                None => {
                    ui.label("Pick a scenario or open a file.");
                }
            });
        right.separator();
        egui::Grid::new("start-fields")
            .num_columns(2)
            .show(right, |ui| {
                let label = ui.label("Seed");
                ui.add(TextEdit::singleline(&mut screen.seed).desired_width(120.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Session file");
                if ui
                    .add(TextEdit::singleline(&mut screen.session_path).desired_width(420.0))
                    .labelled_by(label.id)
                    .changed()
                {
                    screen.session_edited = true;
                }
                ui.end_row();
                let label = ui.label("Signing key");
                ui.add(
                    TextEdit::singleline(&mut screen.sign_path)
                        .desired_width(420.0)
                        .hint_text("optional: NAME.pem from `tabletop keygen`"),
                )
                .labelled_by(label.id)
                .on_hover_text("sign the session (and a resumed one) with this private key");
                ui.end_row();
            });
        if right
            .add_enabled(ok, egui::Button::new(RichText::new("Start").heading()))
            .on_hover_text("start the exercise clock (paused) and record the session")
            .clicked()
        {
            request = screen.request();
        }
        if let Some(error) = &screen.error {
            right.colored_label(Color32::from_rgb(215, 60, 60), error);
        }
    });
    request
}
