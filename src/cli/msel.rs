//! `tabletop msel FILE.ron [--session SESSION] -o msel.xlsx|msel.csv`: a scenario's
//! injects as an HSEEP MSEL spreadsheet; `tabletop msel import SHEET --into FILE.ron -o
//! NEW.ron`: an edited sheet back into its injects.

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

/// `tabletop msel import SHEET --into FILE.ron -o NEW.ron`.
pub fn import(sheet: &Path, into: &Path, output: &Path) -> Result<(), Failure> {
    let same = |a: &Path, b: &Path| {
        a == b
            || std::fs::canonicalize(a)
                .ok()
                .zip(std::fs::canonicalize(b).ok())
                .is_some_and(|(a, b)| a == b)
    };
    if same(into, output) {
        return Err(Failure::Usage(format!(
            "-o {}: write the merged scenario to a new file, not over --into (compare them, then replace it)",
            output.display()
        )));
    }
    let (scenario, text) =
        crate::scenario::load_path(into).map_err(|e| Failure::BadInput(e.to_string()))?;
    let bytes = crate::files::read_regular(
        sheet,
        crate::files::max_file_bytes(),
        "an MSEL sheet (.xlsx or .csv)",
    )
    .map_err(|e| Failure::BadInput(format!("{}: {e}", sheet.display())))?;
    let is_xlsx = sheet
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let read = if is_xlsx {
        msel::workbook::read(&bytes)
    } else {
        msel::read::csv(&bytes)
    };
    let rows = read.map_err(|e| Failure::BadInput(format!("{}: {e}", sheet.display())))?;
    let imported = msel::import::import(&rows, &scenario, &text, &output.display().to_string())
        .map_err(|e| Failure::BadInput(format!("{}: {e}", sheet.display())))?;
    std::fs::write(output, &imported.text)
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", output.display())))?;
    // "2 injects changed (a, b)", or "no inject changed": ids only when there are some.
    let listed = |ids: &[String], what: &str| {
        if ids.is_empty() {
            format!("no inject {what}")
        } else {
            format!(
                "{} {what} ({})",
                crate::words::count(ids.len(), "inject"),
                ids.join(", ")
            )
        }
    };
    eprintln!(
        "{}: {} with {}, {}; {} not in the sheet kept as they were",
        output.display(),
        into.display(),
        listed(&imported.changed, "changed"),
        listed(&imported.added, "added"),
        imported.unlisted
    );
    Ok(())
}
