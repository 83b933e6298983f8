//! What-if branches: a new session that shares its parent's commands up to a branch time,
//! so the facilitator or evaluator can play the rest differently and compare.
//!
//! The engine draws every random number from (seed, key of the decision), so luck cannot
//! be changed from the branch time on: a branch either keeps the parent's seed (and then
//! shares its history exactly up to the branch time, checksums included) or takes a new
//! seed (and then plays the same commands with other luck from T+0). A `Reseed` command
//! in the core would make "other luck from the branch time on" possible; until then the
//! two honest choices are these.

use std::path::Path;

use crate::scenario::{Minute, Scenario, time::format_offset};
use crate::sim::Checksum;

use super::file::{Header, LoadedSession, Parent, Record, SESSION_FORMAT, SessionError, load};
use super::keys::Signer;
use super::replay::{Divergence, ReplayError, rebuild, scenario_for, verify};
use super::writer::SessionWriter;

#[derive(Debug, thiserror::Error)]
pub enum BranchError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error("{session}: replay diverged at {} before the branch time (recorded checksum {}, replayed {}); the parent cannot be trusted", format_offset(.divergence.t), .divergence.recorded, .divergence.replayed)]
    Diverged {
        session: String,
        divergence: Divergence,
    },
    #[error("{session}: cannot branch at {}: the exercise ends at {}", format_offset(*.at), format_offset(*.end))]
    AfterTheEnd {
        session: String,
        at: Minute,
        end: Minute,
    },
    #[error("{session}: cannot branch at {}: the recording stops at {}; resume it first or branch earlier", format_offset(*.at), format_offset(*.recorded_to))]
    BeyondTheRecording {
        session: String,
        at: Minute,
        recorded_to: Minute,
    },
}

/// What `branch` wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Branched {
    pub header: Header,
    /// The parent's commands before the branch time, copied.
    pub commands_kept: usize,
    /// The parent's commands at or after the branch time, left out.
    pub commands_dropped: usize,
    /// The parent's checksums before the branch time, verified by replay.
    pub checksums_verified: usize,
    /// Checksums copied into the branch (only when the seed is kept).
    pub checksums_kept: usize,
}

/// A digest of a session file's bytes: 32 hex digits of blake3, like scenario digests.
pub fn file_digest(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_owned()
}

/// The seed of a branch that does not keep its parent's: derived from the parent's bytes
/// and the branch time, so branching twice the same way gives the same branch. Kept below
/// a million so people can read and type it like the seeds they choose themselves.
pub fn branch_seed(parent_digest: &str, at: Minute, parent_seed: u64) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"tabletop branch seed");
    hasher.update(parent_digest.as_bytes());
    hasher.update(&at.to_le_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    let seed = u64::from_le_bytes(bytes) % 1_000_000;
    if seed == parent_seed {
        (seed + 1) % 1_000_000
    } else {
        seed
    }
}

/// How far a session's recording reaches: every minute before the returned one is known.
fn recorded_until(session: &LoadedSession, end: Minute) -> Minute {
    if session.end.is_some() {
        end + 1
    } else {
        session.checkpoints.last().map_or(0, |(t, _)| t + 1)
    }
}

/// Branches `parent` at minute `at` into the new session file `out`.
///
/// Replays the parent up to `at`, verifying every checksum on the way, then writes a
/// session holding the parent's header (with `parent` set), its commands before `at` and,
/// when `keep_seed`, its checksums before `at`. `scenario_override` is used (and recorded)
/// instead of the parent's scenario path; its content must match. With a signer the
/// branch is signed by it, whoever signed the parent.
pub fn branch(
    parent_path: &Path,
    at: Minute,
    out: &Path,
    keep_seed: bool,
    scenario_override: Option<&Path>,
    signer: Option<Signer>,
) -> Result<Branched, BranchError> {
    let label = parent_path.display().to_string();
    // Loaded first: only a regular session file within the limit is read.
    let loaded = load(parent_path)?;
    let bytes = std::fs::read(parent_path).map_err(|e| SessionError::Unreadable {
        path: label.clone(),
        reason: e.to_string(),
    })?;
    let digest = file_digest(&bytes);
    let scenario: Scenario = scenario_for(&loaded, scenario_override)?;
    let end = scenario.duration.minutes;
    if at > end {
        return Err(BranchError::AfterTheEnd {
            session: label,
            at,
            end,
        });
    }
    let recorded_to = recorded_until(&loaded, end);
    if at > recorded_to {
        return Err(BranchError::BeyondTheRecording {
            session: label,
            at,
            recorded_to: recorded_to.saturating_sub(1).max(0),
        });
    }
    let before: Vec<(Minute, Checksum)> = loaded
        .checkpoints
        .iter()
        .copied()
        .filter(|(t, _)| *t < at)
        .collect();
    let mut sim = rebuild(&loaded, &scenario)?;
    let verified = verify(&mut sim, &before).map_err(|divergence| BranchError::Diverged {
        session: label.clone(),
        divergence,
    })?;
    let parent_seed = loaded.header.seed;
    let header = Header {
        scenario: scenario_override.map_or_else(
            || loaded.header.scenario.clone(),
            |p| p.display().to_string(),
        ),
        seed: if keep_seed {
            parent_seed
        } else {
            branch_seed(&digest, at, parent_seed)
        },
        parent: Some(Parent {
            path: label,
            digest,
            at,
            seed: parent_seed,
        }),
        // A new file, written by this program: chained, whatever its parent was.
        format: SESSION_FORMAT,
        program: env!("CARGO_PKG_VERSION").to_owned(),
        engine: crate::sim::ENGINE_VERSION,
        signer: None,
        ..loaded.header.clone()
    }
    .signed_by(signer.as_ref());
    let mut writer = SessionWriter::create(out, &header, signer)?;
    let (kept, dropped): (Vec<_>, Vec<_>) = loaded.commands.iter().partition(|c| c.at < at);
    for stamped in &kept {
        writer.write(&Record::Command {
            at: stamped.at,
            seq: stamped.seq,
            command: stamped.command.clone(),
        })?;
    }
    let checksums_kept = if keep_seed {
        for &(t, checksum) in &before {
            writer.write(&Record::Checkpoint { t, checksum })?;
        }
        before.len()
    } else {
        0
    };
    writer.seal()?;
    Ok(Branched {
        header,
        commands_kept: kept.len(),
        commands_dropped: dropped.len(),
        checksums_verified: verified,
        checksums_kept,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_seeds_are_stable_and_differ_from_the_parent() {
        let a = branch_seed("abc", 600, 7);
        assert_eq!(a, branch_seed("abc", 600, 7));
        assert_ne!(a, branch_seed("abc", 601, 7));
        assert_ne!(a, branch_seed("abd", 600, 7));
        assert_ne!(branch_seed("abc", 600, a), a);
        assert!(a < 1_000_000);
    }

    #[test]
    fn file_digests_are_32_hex_digits() {
        let d = file_digest(b"Header(...)\n");
        assert_eq!(d.len(), 32);
        assert!(d.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
