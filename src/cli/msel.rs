//! `tabletop msel FILE.ron -o msel.csv`: a scenario's injects as an HSEEP MSEL
//! spreadsheet.

use std::path::Path;

use super::Failure;
use crate::msel;
use crate::session::{ReplayError, load, replay, scenario_for};

fn bad(error: &dyn std::fmt::Display) -> Failure {
    Failure::BadInput(error.to_string())
}

/// Writes the MSEL of `file`; with `session` (a recording of it), each inject's status and
/// actual time too.
pub fn msel(file: &Path, session: Option<&Path>, output: &Path) -> Result<(), Failure> {
    match output.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => {}
        Some(e) if e.eq_ignore_ascii_case("xlsx") => {
            return Err(Failure::Usage(format!(
                "{}: tabletop writes the MSEL as CSV only so far; name it FILE.csv (every spreadsheet opens it)",
                output.display()
            )));
        }
        _ => {
            return Err(Failure::Usage(format!(
                "cannot tell the MSEL format from \"{}\": name the output FILE.csv",
                output.display()
            )));
        }
    }
    let (scenario, _) =
        crate::scenario::load_path(file).map_err(|e| Failure::BadInput(e.to_string()))?;
    let mut rows = msel::rows(&scenario);
    let mut header: Vec<&str> = msel::COLUMNS.to_vec();
    if let Some(path) = session {
        let loaded = load(path).map_err(|e| bad(&e))?;
        for warning in &loaded.warnings {
            eprintln!("warning: {warning}");
        }
        // The session must be a recording of this very scenario.
        scenario_for(&loaded, Some(file)).map_err(|e| match e {
            ReplayError::DigestMismatch { .. } => Failure::BadInput(format!(
                "{}: not a recording of {} (the session was recorded with another scenario, or this one changed since)",
                path.display(),
                file.display()
            )),
            other => bad(&other),
        })?;
        let replayed = replay(&loaded, &scenario).map_err(|e| bad(&e))?;
        msel::add_session(&mut rows, &scenario, &replayed.sim.inject_statuses());
        header.extend(msel::SESSION_COLUMNS);
    }
    let text = msel::csv::write(&header, &rows);
    std::fs::write(output, text).map_err(|e| {
        Failure::Usage(format!(
            "cannot write the MSEL to {}: {e}",
            output.display()
        ))
    })?;
    eprintln!(
        "{}: MSEL of {} ({}), {}",
        output.display(),
        scenario.name,
        file.display(),
        crate::words::count(rows.len(), "inject")
    );
    Ok(())
}
