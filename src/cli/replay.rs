//! `tabletop replay SESSION` and `tabletop resume SESSION`.

use std::path::Path;

use super::run::finish;
use super::{Failure, branch, signing};
use crate::session::{Recorder, load, replay as replay_session, scenario_for, shown};

pub fn replay(
    session: &Path,
    journal: Option<&Path>,
    scenario: Option<&Path>,
    verify: Option<&Path>,
) -> Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let key = signing::public_key(verify)?;
    let loaded = load(session).map_err(|e| bad(&e))?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    let verified = signing::check(&loaded, key.as_ref())?;
    if let (None, Some(signer)) = (&verified, &loaded.signatures.signer) {
        eprintln!(
            "{}: signed by key {}, not verified (check it with --verify KEY.pub.pem)",
            session.display(),
            shown(signer)
        );
    }
    let scenario = scenario_for(&loaded, scenario).map_err(|e| bad(&e))?;
    let replayed = replay_session(&loaded, &scenario).map_err(|e| bad(&e))?;
    eprintln!(
        "{}: {} commands replayed, {} checksums verified{}; {}",
        session.display(),
        loaded.commands.len(),
        replayed.verified + usize::from(replayed.finished),
        if replayed.finished {
            ", exercise finished"
        } else {
            "; the recording stops before the end of the exercise"
        },
        if loaded.chained {
            format!(
                "chained: all {} records unchanged since recorded",
                1 + loaded.commands.len()
                    + loaded.checkpoints.len()
                    + usize::from(loaded.end.is_some())
                    + loaded.hotwash.len()
                    + loaded.signatures.lines.len()
            )
        } else {
            "unchained (session format 1, recorded before records were chained): edits to it cannot be detected".to_owned()
        }
    );
    finish(replayed.sim, journal)
}

/// What `tabletop resume` was asked to do.
pub struct ResumeOptions<'a> {
    pub session: &'a Path,
    pub journal: Option<&'a Path>,
    pub scenario: Option<&'a Path>,
    pub commands: Option<&'a Path>,
    pub sign: Option<&'a Path>,
    pub verify: Option<&'a Path>,
}

/// Resumes a session, after checking its signatures under `--verify`.
pub fn resume(options: &ResumeOptions<'_>) -> Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let key = signing::public_key(options.verify)?;
    let signer = signing::signer(options.sign)?;
    if key.is_some() {
        let loaded = load(options.session).map_err(|e| bad(&e))?;
        signing::check(&loaded, key.as_ref())?;
    }
    let (session, journal, scenario) = (options.session, options.journal, options.scenario);
    if let Some(commands) = options.commands {
        return branch::resume_with_commands(session, commands, journal, scenario, signer);
    }
    let (mut recorder, warnings) =
        Recorder::resume_signed(session, scenario, signer).map_err(|e| bad(&e))?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!(
        "{}: resumed at {}",
        session.display(),
        crate::scenario::time::format_offset(recorder.simulation().now())
    );
    recorder.run_to_end().map_err(|e| bad(&e))?;
    finish(recorder.into_simulation(), journal)
}
