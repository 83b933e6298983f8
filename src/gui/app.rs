//! The whole console app: the start screen, or an exercise's [`Console`]. Wiring only:
//! the start screen's requests open a [`Host`] (new, resumed or under review), and the
//! console draws it.
//!
//! [`App`] is a plain struct: tests drive it through `egui_kittest` (or any
//! `egui::Context`) without a window, and the benchmark drives it frame by frame.

use std::path::{Path, PathBuf};

use egui::Ui;

use crate::host::{Host, HostError, Notice};
use crate::scenario::Scenario;
use crate::session::{self, KeyError, PublicKey, Signer};

use super::console::Console;
use super::look::Look;
use super::options::AppOptions;
use super::panels::start::{StartRequest, StartScreen, start_ui};

pub struct App {
    pub options: AppOptions,
    pub look: Look,
    pub start: StartScreen,
    pub console: Option<Box<Console>>,
}

impl App {
    pub fn new(options: AppOptions) -> Self {
        let start = StartScreen::new(&options);
        Self {
            options,
            look: Look::default(),
            start,
            console: None,
        }
    }

    /// Starts an exercise directly (the benchmark, scripts); the start screen does the same.
    pub fn start_exercise(
        &mut self,
        scenario: Scenario,
        scenario_path: &str,
        session: &Path,
        seed: u64,
    ) -> Result<(), HostError> {
        let host = Host::start(scenario, scenario_path, session, seed)?;
        self.console = Some(Box::new(Console::new(host)));
        Ok(())
    }

    /// Opens the host a start-screen request asks for; a wrong key file says so first.
    fn open(request: StartRequest) -> Result<(Host, Vec<String>), String> {
        let signer = |path: Option<PathBuf>| path.as_deref().map(Signer::load).transpose();
        let public = |path: Option<PathBuf>| path.as_deref().map(PublicKey::load).transpose();
        let key = |e: KeyError| e.to_string();
        let host = |e: HostError| e.to_string();
        match request {
            StartRequest::Start {
                scenario,
                scenario_path,
                session,
                seed,
                sign,
            } => Host::start_signed(
                *scenario,
                &scenario_path,
                &session,
                seed,
                signer(sign).map_err(key)?,
            )
            .map(|h| (h, Vec::new()))
            .map_err(host),
            StartRequest::Resume {
                session,
                sign,
                verify,
            } => {
                let signer = signer(sign).map_err(key)?;
                let verified = match public(verify).map_err(key)? {
                    Some(public) => Some(
                        session::load(&session)
                            .map_err(|e| e.to_string())?
                            .verify(&public)
                            .map_err(|e| e.to_string())?,
                    ),
                    None => None,
                };
                let (host, mut warnings) =
                    Host::resume_signed(&session, None, signer).map_err(host)?;
                if let Some(verified) = verified {
                    warnings.insert(0, verified.summary());
                }
                Ok((host, warnings))
            }
            StartRequest::Review { session, verify } => {
                let public = public(verify).map_err(key)?;
                Host::review_verified(&session, public.as_ref()).map_err(host)
            }
        }
    }

    fn handle(&mut self, request: StartRequest) {
        match Self::open(request) {
            Ok((host, warnings)) => {
                self.start.error = None;
                let (zoom_percent, light) = host.look();
                self.look.restore(zoom_percent, light);
                self.look.projector_zoom = Look::zoom_of(host.projector_percent());
                let mut console = Box::new(Console::new(host));
                if !warnings.is_empty() {
                    console.status = Some(Notice {
                        text: warnings.join("; "),
                        error: false,
                    });
                }
                self.console = Some(console);
            }
            Err(e) => self.start.error = Some(e),
        }
    }

    /// One frame of the whole app.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.look.apply(ui.ctx());
        let leave = match &mut self.console {
            Some(console) => console.frame(ui, &mut self.look, self.options.budget),
            None => {
                let request = egui::CentralPanel::default()
                    .show(ui, |ui| {
                        start_ui(ui, &mut self.start, &mut self.look, &self.options)
                    })
                    .inner;
                if let Some(request) = request {
                    self.handle(request);
                }
                false
            }
        };
        if leave {
            self.console = None;
            self.start.refresh(&self.options);
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }
}
