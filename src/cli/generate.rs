//! `tabletop generate --entities N [--days D] [--seed S] [--idle I] -o FILE`

use std::path::Path;

use super::Failure;
use crate::generate::{GenerateOptions, generate as build, to_ron};

pub fn generate(options: &GenerateOptions, output: &Path) -> Result<(), Failure> {
    let scenario = build(options);
    let text = to_ron(&scenario, options)
        .map_err(|e| Failure::BadInput(format!("cannot encode the scenario: {e}")))?;
    let size = text.len() as u64;
    std::fs::write(output, text)
        .map_err(|e| Failure::BadInput(format!("cannot write {}: {e}", output.display())))?;
    println!(
        "{}: {} entities, {} CSIRTs, {} campaigns, {} injects, {} objectives over {} days",
        output.display(),
        scenario.entities.len(),
        scenario.csirts.len(),
        scenario
            .adversaries
            .iter()
            .map(|a| a.campaigns.len())
            .sum::<usize>(),
        scenario.injects.len(),
        scenario.objectives.len(),
        options.days,
    );
    // Never leave a file behind that nothing opens without saying how to open it.
    let limit = crate::files::max_file_bytes();
    if size > limit {
        let needed = crate::files::size_words(size.div_ceil(1 << 20) << 20);
        eprintln!(
            "note: {} is {}, over the {} limit every reader applies; open it with --max-file-size {needed}, e.g. `tabletop run {} --max-file-size {needed}`",
            output.display(),
            crate::files::size_words(size.div_ceil(1 << 20) << 20),
            crate::files::size_words(limit),
            output.display()
        );
    }
    Ok(())
}
