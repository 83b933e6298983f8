//! `tabletop validate FILE...`

use std::path::PathBuf;

use super::Failure;
use crate::scenario::{LoadError, load_path};

pub fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = Vec::new();
    for file in files {
        match load_path(file) {
            Ok((scenario, _)) => println!(
                "{}: ok — \"{}\": {} CSIRTs, {} authorities, {} entities, {} campaigns, {} injects, {} objectives, {} roles",
                file.display(),
                scenario.name,
                scenario.csirts.len(),
                scenario.authorities.len(),
                scenario.entities.len(),
                scenario
                    .adversaries
                    .iter()
                    .map(|a| a.campaigns.len())
                    .sum::<usize>(),
                scenario.injects.len(),
                scenario.objectives.len(),
                scenario.roles.len(),
            ),
            Err(LoadError::Invalid(diagnostics)) => failed.push(diagnostics.to_string()),
            Err(error @ LoadError::Unreadable { .. }) => failed.push(error.to_string()),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::BadInput(failed.join("\n")))
    }
}
