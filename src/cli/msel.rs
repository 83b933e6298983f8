//! `tabletop msel FILE.ron [--session SESSION] -o msel.xlsx|msel.csv`: a scenario's
//! injects as an HSEEP MSEL spreadsheet.

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
    let xlsx = match output.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => false,
        Some(e) if e.eq_ignore_ascii_case("xlsx") => true,
        _ => {
            return Err(Failure::Usage(format!(
                "cannot tell the MSEL format from \"{}\": name the output FILE.xlsx or FILE.csv",
                output.display()
            )));
        }
    };
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
    let bytes = if xlsx {
        msel::xlsx::write(&header, &rows)
    } else {
        msel::csv::write(&header, &rows).into_bytes()
    };
    std::fs::write(output, bytes).map_err(|e| {
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
