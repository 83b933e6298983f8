//! `tabletop msel FILE.ron -o msel.csv`: a scenario's injects as an HSEEP MSEL
//! spreadsheet.

use std::path::Path;

use super::Failure;
use crate::msel;

pub fn msel(file: &Path, output: &Path) -> Result<(), Failure> {
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
    let rows = msel::rows(&scenario);
    let text = msel::csv::write(&msel::COLUMNS, &rows);
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
