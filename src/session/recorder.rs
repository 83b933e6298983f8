//! Recording a live or headless run: every command and checksum written as it happens.

use std::path::Path;

use crate::scenario::{self, Minute, Scenario, time::format_offset};
use crate::sim::{BuildError, Command, CommandError, Simulation};

use super::file::{Header, HotwashAnswer, Record, SESSION_FORMAT, SessionError, load};
use super::keys::Signer;
use super::replay::{Divergence, ReplayError, rebuild, scenario_for, verify};
use super::writer::SessionWriter;

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Digest(#[from] scenario::DigestError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error("{session}: cannot resume: replay diverged at {} (recorded {}, replayed {})", format_offset(.divergence.t), .divergence.recorded, .divergence.replayed)]
    Diverged {
        session: String,
        divergence: Divergence,
    },
    #[error("{0}: the session already reached the end of the exercise; nothing to resume")]
    AlreadyFinished(String),
}

/// A simulation whose session file is kept up to date as it runs.
pub struct Recorder {
    sim: Simulation,
    writer: SessionWriter,
    checkpoints_written: usize,
    ended: bool,
}

impl Recorder {
    /// Starts recording a new, unsigned session of `scenario` (loaded from `scenario_path`).
    pub fn start(
        session: &Path,
        scenario_path: &str,
        scenario: &Scenario,
        seed: u64,
    ) -> Result<Self, RecordError> {
        Self::start_signed(session, scenario_path, scenario, seed, None)
    }

    /// As [`Recorder::start`], signed by `signer` if given: the header, every checkpoint and
    /// the end.
    pub fn start_signed(
        session: &Path,
        scenario_path: &str,
        scenario: &Scenario,
        seed: u64,
        signer: Option<Signer>,
    ) -> Result<Self, RecordError> {
        let sim = Simulation::new(scenario, seed)?;
        let header = Header {
            format: SESSION_FORMAT,
            program: env!("CARGO_PKG_VERSION").to_owned(),
            scenario: scenario_path.to_owned(),
            digest: scenario::digest(scenario)?,
            seed,
            engine: crate::sim::ENGINE_VERSION,
            parent: None,
            signer: None,
        };
        let writer = SessionWriter::create(session, &header, signer)?;
        Ok(Self {
            sim,
            writer,
            checkpoints_written: 0,
            ended: false,
        })
    }

    /// Continues a session cut off mid-way: replays it to its last checkpoint (verifying
    /// every checksum) and appends from there. Returns the warnings of loading it. A signed
    /// session is not continued this way: see [`Recorder::resume_signed`].
    pub fn resume(
        session: &Path,
        scenario_override: Option<&Path>,
    ) -> Result<(Self, Vec<String>), RecordError> {
        Self::resume_signed(session, scenario_override, None)
    }

    /// As [`Recorder::resume`], signing on with `signer`, which must be the key the header
    /// names; a signed session is refused without it, so it does not go on unsigned.
    pub fn resume_signed(
        session: &Path,
        scenario_override: Option<&Path>,
        signer: Option<Signer>,
    ) -> Result<(Self, Vec<String>), RecordError> {
        let loaded = load(session)?;
        if let (Some(named), None) = (&loaded.header.signer, &signer) {
            return Err(SessionError::SignerNeeded {
                path: session.display().to_string(),
                signer: named.clone(),
            }
            .into());
        }
        if loaded.end.is_some() {
            return Err(RecordError::AlreadyFinished(session.display().to_string()));
        }
        let scenario = scenario_for(&loaded, scenario_override)?;
        let mut sim = rebuild(&loaded, &scenario)?;
        let verified =
            verify(&mut sim, &loaded.checkpoints).map_err(|divergence| RecordError::Diverged {
                session: session.display().to_string(),
                divergence,
            })?;
        let writer = SessionWriter::append(session, signer)?;
        Ok((
            Self {
                sim,
                writer,
                checkpoints_written: verified,
                ended: false,
            },
            loaded.warnings,
        ))
    }

    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// Gives a command: recorded on disk before it is queued.
    pub fn submit(&mut self, at: Minute, command: Command) -> Result<u64, RecordError> {
        if at < self.sim.earliest_command_time() {
            return Err(CommandError::InThePast {
                at,
                earliest: self.sim.earliest_command_time(),
            }
            .into());
        }
        if at > self.sim.end() || self.sim.is_finished() {
            return Err(CommandError::AfterTheEnd {
                at,
                end: self.sim.end(),
            }
            .into());
        }
        let seq = self.sim.next_command_seq();
        self.writer.write(&Record::Command {
            at,
            seq,
            command: command.clone(),
        })?;
        self.sim.submit_with_seq(at, seq, command)?;
        Ok(seq)
    }

    /// Writes the checksums taken since the last call, and the end record once finished.
    fn flush(&mut self) -> Result<(), RecordError> {
        // Never more than the simulation took: a resumed recorder counts the verified ones.
        let new: Vec<_> = self
            .sim
            .checksums()
            .get(self.checkpoints_written..)
            .unwrap_or_default()
            .to_vec();
        for (t, checksum) in new {
            self.writer.write(&Record::Checkpoint { t, checksum })?;
            self.checkpoints_written += 1;
        }
        if self.sim.is_finished() && !self.ended {
            let checksum_final = self.sim.state_checksum();
            self.writer.write(&Record::End {
                t: self.sim.end(),
                checksum_final,
            })?;
            self.ended = true;
        }
        Ok(())
    }

    pub fn advance_to(&mut self, t: Minute) -> Result<(), RecordError> {
        self.sim.advance_to(t);
        self.flush()
    }

    pub fn step(&mut self) -> Result<bool, RecordError> {
        let more = self.sim.step();
        self.flush()?;
        Ok(more)
    }

    pub fn run_to_end(&mut self) -> Result<(), RecordError> {
        self.sim.run_to_end();
        self.flush()
    }

    /// Appends hot-wash answers to the session, as `tabletop feedback` does, and signs
    /// them if the session is signed. Only once the exercise has ended: the hot wash
    /// follows the exercise, and replay skips the answers.
    pub fn append_hotwash(&mut self, answers: &[HotwashAnswer]) -> Result<(), RecordError> {
        if !self.ended {
            return Err(SessionError::Unwritable {
                path: "the session".to_owned(),
                reason: "the hot wash opens when the exercise has ended".to_owned(),
            }
            .into());
        }
        for answer in answers {
            self.writer.write(&Record::Hotwash {
                participant: answer.participant.clone(),
                role: answer.role.clone(),
                question: answer.question.clone(),
                answer: answer.answer.clone(),
            })?;
        }
        self.writer.seal()?;
        Ok(())
    }

    /// The simulation, once recording is over.
    pub fn into_simulation(self) -> Simulation {
        self.sim
    }
}
