//! What a report is built from, and the two helpers every section uses to write a time
//! and a journal line. Apart from `gather` so that `compare` can use them without a cycle.

use crate::scenario::{Minute, Scenario, Tlp, time::format_offset};
use crate::session::{LoadedSession, Verified};
use crate::sim::{Entry, Plan, Simulation};

use super::baseline::Baseline;
use super::{EventLine, When};
use crate::sim::narrate::describe;

/// A parent session replayed beside its branch.
pub struct ParentRun<'a> {
    pub session: &'a LoadedSession,
    pub sim: &'a Simulation,
    /// Digest of the parent file's bytes now, to tell whether it changed since branching.
    pub digest: String,
}

/// Everything the report is built from.
pub struct Inputs<'a> {
    pub session: &'a LoadedSession,
    /// The session's scenario (for indicator values and the summary).
    pub scenario: &'a Scenario,
    /// The session replayed (to its end, or as far as it was recorded).
    pub sim: &'a Simulation,
    /// Recorded checksums that replay matched.
    pub checksums_verified: usize,
    /// The report's own marking.
    pub tlp: Tlp,
    pub baseline: Option<&'a Baseline>,
    pub parent: Option<ParentRun<'a>>,
    /// Why the parent named in the header could not be compared, if it could not.
    pub parent_unavailable: Option<String>,
    /// How far the session's signatures verified (`report --verify`); `None` when they were
    /// not checked.
    pub verified: Option<&'a Verified>,
}

impl Inputs<'_> {
    /// How many hot-wash answers a signature covers, in a signed session: as verified, or
    /// else as the last signature record stands. `None` for an unsigned session.
    pub fn answers_signed(&self) -> Option<usize> {
        let signatures = &self.session.signatures;
        signatures.signer.as_ref()?;
        Some(self.verified.map_or_else(
            || signatures.last().map_or(0, |s| s.answers_before),
            |v| v.answers_signed,
        ))
    }
}

pub fn when(plan: &Plan, t: Minute) -> When {
    When {
        minute: t,
        offset: format_offset(t),
        wall: plan.start.plus(t).short(),
    }
}

pub fn line(plan: &Plan, entry: &Entry) -> EventLine {
    EventLine {
        seq: entry.seq,
        when: when(plan, entry.t),
        kind: entry.kind(),
        text: describe(plan, entry),
    }
}
