//! Replaying a recorded session and verifying it checksum by checksum.

use std::path::{Path, PathBuf};

use crate::scenario::{self, LoadError, Minute, Scenario, time::format_offset};
use crate::sim::{BuildError, Checksum, CommandError, ENGINE_VERSION, Simulation};

use super::file::LoadedSession;

/// The first point where a replay's state differs from the recorded one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    pub t: Minute,
    pub recorded: Checksum,
    pub replayed: Checksum,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Scenario(#[from] LoadError),
    #[error(
        "{session}: recorded with a scenario whose digest was {recorded}, but {scenario} now has digest {found}: the scenario changed since the session was recorded (pass the original with --scenario)"
    )]
    DigestMismatch {
        session: String,
        scenario: String,
        recorded: String,
        found: String,
    },
    #[error("{scenario}: {error}")]
    Digest {
        scenario: String,
        error: scenario::DigestError,
    },
    #[error("{0}")]
    Build(#[from] BuildError),
    #[error("{session}: recorded command #{seq} at {} cannot be applied: {error}", format_offset(*.at))]
    Command {
        session: String,
        seq: u64,
        at: Minute,
        error: CommandError,
    },
    #[error(
        "{session}: recorded by simulation version {recorded} (tabletop {program}); this tabletop plays version {current}, whose journal or state checksums differ by design: replay it with a tabletop build that plays version {recorded}"
    )]
    OtherEngine {
        session: String,
        program: String,
        recorded: u32,
        current: u32,
    },
    #[error("{session}: {record} is after the end of the exercise ({}): the session does not belong to this scenario or was edited", format_offset(*.end))]
    BeyondEnd {
        session: String,
        record: String,
        end: Minute,
    },
    #[error("{session}: replay diverged at {} ({}): recorded checksum {}, replayed {}", format_offset(.divergence.t), .divergence.t, .divergence.recorded, .divergence.replayed)]
    Diverged {
        session: String,
        divergence: Divergence,
    },
}

/// A replayed session.
pub struct Replayed {
    pub sim: Simulation,
    /// Recorded checksums that matched.
    pub verified: usize,
    /// Whether the recorded session reached the end of the exercise.
    pub finished: bool,
}

/// Where the recorded scenario is: the path as recorded, or, when that is relative and
/// not found from here, the same path beside the session file. Sessions are handed on as a
/// folder (session and scenario side by side) and opened from wherever the reader stands;
/// the digest check below still decides whether the file found is the one recorded.
pub fn recorded_scenario(session: &LoadedSession) -> PathBuf {
    let recorded = Path::new(&session.header.scenario);
    if recorded.is_relative() && !recorded.exists() {
        let beside = session
            .path
            .parent()
            .map(|dir| dir.join(recorded))
            .filter(|p| p.exists());
        if let Some(beside) = beside {
            return beside;
        }
    }
    recorded.to_path_buf()
}

/// Loads the session's scenario (from `override_path`, else the recorded path, see
/// [`recorded_scenario`]) and checks that its content is the one recorded.
pub fn scenario_for(
    session: &LoadedSession,
    override_path: Option<&Path>,
) -> Result<Scenario, ReplayError> {
    let path = override_path.map_or_else(|| recorded_scenario(session), Path::to_path_buf);
    let (scenario, _) = scenario::load_path(&path)?;
    let found = scenario::digest(&scenario).map_err(|error| ReplayError::Digest {
        scenario: path.display().to_string(),
        error,
    })?;
    if found != session.header.digest {
        return Err(ReplayError::DigestMismatch {
            session: session.path.display().to_string(),
            scenario: path.display().to_string(),
            recorded: session.header.digest.clone(),
            found,
        });
    }
    Ok(scenario)
}

/// Builds the session's simulation with every recorded command queued.
pub fn rebuild(session: &LoadedSession, scenario: &Scenario) -> Result<Simulation, ReplayError> {
    let mut sim = Simulation::new(scenario, session.header.seed)?;
    check_span(session, sim.end())?;
    queue_commands(&mut sim, session)?;
    Ok(sim)
}

/// A session is replayed only by the simulation version that recorded it, and its
/// checkpoints and end record must lie within the exercise: a file with more hours than the
/// exercise has is not a recording of it.
pub(super) fn check_span(session: &LoadedSession, end: Minute) -> Result<(), ReplayError> {
    if session.header.engine != ENGINE_VERSION {
        return Err(ReplayError::OtherEngine {
            session: session.path.display().to_string(),
            program: session.header.program.clone(),
            recorded: session.header.engine,
            current: ENGINE_VERSION,
        });
    }
    let beyond = |record: String| ReplayError::BeyondEnd {
        session: session.path.display().to_string(),
        record,
        end,
    };
    if let Some(&(t, _)) = session.checkpoints.last()
        && t > end
    {
        return Err(beyond(format!("a checkpoint at {}", format_offset(t))));
    }
    if let Some((t, _)) = session.end
        && t != end
    {
        return Err(beyond(format!("the end record at {}", format_offset(t))));
    }
    Ok(())
}

/// Queues every recorded command of `session` into a fresh `sim`, with its recorded
/// minute and sequence number.
pub(super) fn queue_commands(
    sim: &mut Simulation,
    session: &LoadedSession,
) -> Result<(), ReplayError> {
    for stamped in &session.commands {
        sim.submit_with_seq(stamped.at, stamped.seq, stamped.command.clone())
            .map_err(|error| ReplayError::Command {
                session: session.path.display().to_string(),
                seq: stamped.seq,
                at: stamped.at,
                error,
            })?;
    }
    Ok(())
}

/// Advances `sim` through the recorded checkpoints, comparing each; returns how many
/// matched, or the first divergence.
pub fn verify(
    sim: &mut Simulation,
    checkpoints: &[(Minute, Checksum)],
) -> Result<usize, Divergence> {
    for &(t, recorded) in checkpoints {
        sim.advance_to(t + 1);
        let replayed = sim
            .checksums()
            .iter()
            .find(|(at, _)| *at == t)
            .map(|(_, c)| *c);
        match replayed {
            Some(replayed) if replayed == recorded => {}
            Some(replayed) => {
                return Err(Divergence {
                    t,
                    recorded,
                    replayed,
                });
            }
            None => {
                return Err(Divergence {
                    t,
                    recorded,
                    replayed: Checksum(0),
                });
            }
        }
    }
    Ok(checkpoints.len())
}

/// Replays a session: same scenario, seed and commands; every checksum compared. Plays to
/// the end of the exercise if the recording did, else to its last checkpoint.
pub fn replay(session: &LoadedSession, scenario: &Scenario) -> Result<Replayed, ReplayError> {
    let sim = rebuild(session, scenario)?;
    replay_built(session, sim)
}

/// As [`replay`], for a simulation already built with the session's commands queued.
pub(super) fn replay_built(
    session: &LoadedSession,
    mut sim: Simulation,
) -> Result<Replayed, ReplayError> {
    let diverged = |divergence| ReplayError::Diverged {
        session: session.path.display().to_string(),
        divergence,
    };
    let verified = verify(&mut sim, &session.checkpoints).map_err(diverged)?;
    if let Some((t, recorded)) = session.end {
        sim.run_to_end();
        let replayed = sim.state_checksum();
        if replayed != recorded {
            return Err(diverged(Divergence {
                t,
                recorded,
                replayed,
            }));
        }
    }
    Ok(Replayed {
        sim,
        verified,
        finished: session.end.is_some(),
    })
}
