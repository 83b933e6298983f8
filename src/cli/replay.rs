//! `tabletop replay SESSION` and `tabletop resume SESSION`.

use std::path::Path;

use super::Failure;
use super::run::finish;
use crate::session::{Recorder, load, replay as replay_session, scenario_for};

pub fn replay(
    session: &Path,
    journal: Option<&Path>,
    scenario: Option<&Path>,
) -> Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let loaded = load(session).map_err(|e| bad(&e))?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
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
            )
        } else {
            "unchained (session format 1, recorded before records were chained): edits to it cannot be detected".to_owned()
        }
    );
    finish(replayed.sim, journal)
}

pub fn resume(
    session: &Path,
    journal: Option<&Path>,
    scenario: Option<&Path>,
) -> Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let (mut recorder, warnings) = Recorder::resume(session, scenario).map_err(|e| bad(&e))?;
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
