//! Opening a host: a plain run, a new recording, a resumed session (with its room), or a
//! recorded session under review.

use std::path::Path;

use super::{Driver, Host, HostError, Room};
use crate::scenario::{Scenario, time::format_offset};
use crate::session::{self, PublicKey, Recorder, Review, Signer, scenario_for};
use crate::sim::Simulation;

impl Host {
    /// A headless run that records nothing.
    pub fn plain(scenario: Scenario, scenario_path: &str, seed: u64) -> Result<Self, HostError> {
        let sim = Simulation::new(&scenario, seed)?;
        Ok(Self::new(
            Driver::Plain(Box::new(sim)),
            scenario,
            scenario_path,
            None,
        ))
    }

    /// Starts recording a new session of `scenario` (creating the session's folder).
    pub fn start(
        scenario: Scenario,
        scenario_path: &str,
        session_path: &Path,
        seed: u64,
    ) -> Result<Self, HostError> {
        Self::start_signed(scenario, scenario_path, session_path, seed, None)
    }

    /// As [`Host::start`], the session signed by `signer` if given.
    pub fn start_signed(
        scenario: Scenario,
        scenario_path: &str,
        session_path: &Path,
        seed: u64,
        signer: Option<Signer>,
    ) -> Result<Self, HostError> {
        if let Some(dir) = session_path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| HostError::Directory {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        let recorder =
            Recorder::start_signed(session_path, scenario_path, &scenario, seed, signer)?;
        Ok(Self::new(
            Driver::Recording(Box::new(recorder)),
            scenario,
            scenario_path,
            Some(session_path),
        ))
    }

    /// Continues a session that was cut off: replays and verifies it, restores the room as
    /// it was arranged (speed, auto-pause, open seats, zoom), and appends from there.
    /// Returns the warnings worth telling the facilitator.
    pub fn resume(
        session_path: &Path,
        scenario_override: Option<&Path>,
    ) -> Result<(Self, Vec<String>), HostError> {
        Self::resume_signed(session_path, scenario_override, None)
    }

    /// As [`Host::resume`], signing on with `signer` (a signed session needs its key).
    pub fn resume_signed(
        session_path: &Path,
        scenario_override: Option<&Path>,
        signer: Option<Signer>,
    ) -> Result<(Self, Vec<String>), HostError> {
        let loaded = session::load(session_path)?;
        let scenario = scenario_for(&loaded, scenario_override)?;
        let (recorder, mut warnings) =
            Recorder::resume_signed(session_path, scenario_override, signer)?;
        let mut host = Self::new(
            Driver::Recording(Box::new(recorder)),
            scenario,
            &loaded.header.scenario,
            Some(session_path),
        );
        host.given = loaded.commands;
        match Room::load(session_path) {
            Ok(Some(room)) => host.restore(&room),
            Ok(None) => {}
            Err(e) => warnings.push(format!("the room was not restored: {e}")),
        }
        let now = host.now();
        host.say(
            format!(
                "resumed {} at {} with {} recorded commands",
                session_path.display(),
                format_offset(now),
                host.given.len()
            ),
            false,
        );
        Ok((host, warnings))
    }

    /// Opens a recorded session read-only, replayed and verified to the end of its
    /// recording; only [`Intent::Seek`] moves it, and nothing is written to its file.
    pub fn review(session_path: &Path) -> Result<(Self, Vec<String>), HostError> {
        Self::review_verified(session_path, None)
    }

    /// As [`Host::review`], first checking the session's signatures against `key` if
    /// given: a session that does not verify is not opened, and how far it verified is the
    /// first thing the facilitator reads.
    pub fn review_verified(
        session_path: &Path,
        key: Option<&PublicKey>,
    ) -> Result<(Self, Vec<String>), HostError> {
        let loaded = session::load(session_path)?;
        let verified = key.map(|key| loaded.verify(key)).transpose()?;
        let scenario = scenario_for(&loaded, None)?;
        let scenario_path = loaded.header.scenario.clone();
        let mut warnings = loaded.warnings.clone();
        if let Some(verified) = verified {
            warnings.insert(0, verified.summary());
        }
        let review = Review::open(loaded, &scenario)?;
        let mut host = Self::new(
            Driver::Review(Box::new(review)),
            scenario,
            &scenario_path,
            Some(session_path),
        );
        host.given = host
            .driver
            .review()
            .map_or_else(Vec::new, |r| r.commands().to_vec());
        let end = host.driver.review().map_or(0, Review::end);
        host.say(
            format!(
                "reviewing {} (read-only): {} recorded commands, up to {}",
                session_path.display(),
                host.given.len(),
                format_offset(end)
            ),
            false,
        );
        Ok((host, warnings))
    }

    fn restore(&mut self, room: &Room) {
        self.clock.speed = room.speed;
        self.pause_on_inject = room.pause_on_inject;
        self.pause_on_decision = room.pause_on_decision;
        self.look = (room.zoom_percent, room.light);
        self.projector_percent = room.projector_percent;
        let known: Vec<String> = room
            .seats
            .iter()
            .filter(|r| self.scenario.roles.iter().any(|role| role.id == **r))
            .cloned()
            .collect();
        let sim = self.driver.sim();
        for role in known {
            self.seats.set(sim, &role, true);
        }
        self.seats.set_projector(sim, room.projector);
    }

    /// The room as arranged now.
    pub fn room(&self) -> Room {
        Room {
            speed: self.clock.speed,
            pause_on_inject: self.pause_on_inject,
            pause_on_decision: self.pause_on_decision,
            seats: self.seats.roles(),
            projector: self.seats.projector_open(),
            zoom_percent: self.look.0,
            light: self.look.1,
            projector_percent: self.projector_percent,
        }
    }

    /// Saves the room beside a live session, so a resume brings it back.
    pub(super) fn save_room(&mut self) {
        if !matches!(self.driver, Driver::Recording(_)) {
            return;
        }
        if let Some(path) = &self.session_path
            && let Err(e) = self.room().save(path)
        {
            self.say(e.to_string(), true);
        }
    }

    /// The console's zoom (percent) and theme, to keep with the room.
    pub fn set_look(&mut self, zoom_percent: u32, light: bool) {
        if self.look != (zoom_percent, light) {
            self.look = (zoom_percent, light);
            self.save_room();
        }
    }

    pub fn look(&self) -> (u32, bool) {
        self.look
    }

    /// The projector's own text scale (percent), to keep with the room.
    pub fn set_projector_percent(&mut self, percent: u32) {
        if self.projector_percent != percent {
            self.projector_percent = percent;
            self.save_room();
        }
    }

    pub fn projector_percent(&self) -> u32 {
        self.projector_percent
    }
}
