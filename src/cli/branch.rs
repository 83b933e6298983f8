//! `tabletop branch SESSION --at DURATION -o NEW [--seed-keep]` and
//! `tabletop resume SESSION --commands FILE`: what-if branches and how to play them on.

use std::path::Path;

use super::run::finish;
use super::{Failure, signing};
use crate::scenario::{Duration, time::format_offset};
use crate::session::{
    BranchError, Recorder, Signer, branch as branch_session, load, load_commands,
};

/// What `tabletop branch` was asked to do.
pub struct BranchOptions<'a> {
    pub session: &'a Path,
    pub at: Duration,
    pub output: &'a Path,
    pub keep_seed: bool,
    pub scenario: Option<&'a Path>,
    pub sign: Option<&'a Path>,
}

pub fn branch(options: &BranchOptions<'_>) -> Result<(), Failure> {
    let at = options.at.minutes;
    let signer = signing::signer(options.sign)?;
    let branched = branch_session(
        options.session,
        at,
        options.output,
        options.keep_seed,
        options.scenario,
        signer,
    )
    .map_err(|e| match e {
        BranchError::AfterTheEnd { .. } => Failure::Usage(e.to_string()),
        other => Failure::BadInput(other.to_string()),
    })?;
    let seed = if options.keep_seed {
        format!(
            "same seed {}: the branch shares the parent's history up to {}",
            branched.header.seed,
            format_offset(at)
        )
    } else {
        format!(
            "new seed {}: the same commands before {} with other luck from T+0 (--seed-keep shares the parent's history instead)",
            branched.header.seed,
            format_offset(at)
        )
    };
    eprintln!(
        "{}: branch of {} at {}: {} commands kept, {} left out, {} checksums verified; {seed}",
        options.output.display(),
        options.session.display(),
        format_offset(at),
        branched.commands_kept,
        branched.commands_dropped,
        branched.checksums_verified,
    );
    println!(
        "continue it with: tabletop resume {} [--commands FILE]",
        options.output.display()
    );
    Ok(())
}

/// Resumes a session and gives scripted commands on the way, e.g. a branch played
/// differently from its branch time. A branch first plays up to its branch time, so the
/// new commands cannot rewrite the history it shares with its parent.
pub fn resume_with_commands(
    session: &Path,
    commands: &Path,
    journal: Option<&Path>,
    scenario: Option<&Path>,
    signer: Option<Signer>,
) -> Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let script = load_commands(commands).map_err(|e| bad(&e))?;
    let branch_at = load(session)
        .map_err(|e| bad(&e))?
        .header
        .parent
        .map(|p| p.at);
    let (mut recorder, warnings) =
        Recorder::resume_signed(session, scenario, signer).map_err(|e| bad(&e))?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(at) = branch_at {
        recorder.advance_to(at).map_err(|e| bad(&e))?;
    }
    eprintln!(
        "{}: resumed at {} with {} scripted commands",
        session.display(),
        format_offset(recorder.simulation().earliest_command_time()),
        script.len()
    );
    for stamped in script {
        recorder.submit(stamped.at, stamped.command).map_err(|e| {
            Failure::BadInput(format!(
                "{}: command #{} at {}: {e}",
                commands.display(),
                stamped.seq,
                format_offset(stamped.at)
            ))
        })?;
    }
    recorder.run_to_end().map_err(|e| bad(&e))?;
    finish(recorder.into_simulation(), journal)
}
