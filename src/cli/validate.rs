//! `tabletop validate FILE...`

use std::path::PathBuf;

use super::Failure;
use crate::scenario::{Diagnostics, LoadError, Scenario, load_path};
use crate::sim::Plan;
use crate::words::{count, count_as};

pub fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = Vec::new();
    for file in files {
        match load_path(file) {
            Ok((scenario, text)) => {
                let campaigns: usize = scenario.adversaries.iter().map(|a| a.campaigns.len()).sum();
                let counts = [
                    count_as(scenario.csirts.len(), "CSIRT", "CSIRTs"),
                    count_as(scenario.authorities.len(), "authority", "authorities"),
                    count_as(scenario.entities.len(), "entity", "entities"),
                    count(campaigns, "campaign"),
                    count(scenario.injects.len(), "inject"),
                    count(scenario.objectives.len(), "objective"),
                    count(scenario.roles.len(), "role"),
                ];
                println!(
                    "{}: ok — \"{}\": {}",
                    file.display(),
                    scenario.name,
                    counts.join(", ")
                );
                warn(&file.display().to_string(), &text, &scenario);
            }
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

/// Prints what the valid scenario can never make happen; warnings do not fail validation.
fn warn(file: &str, text: &str, scenario: &Scenario) {
    // A scenario that validates compiles; if it did not, the run would say so.
    let Ok(plan) = Plan::build(scenario) else {
        return;
    };
    let found = plan.warnings();
    if !found.is_empty() {
        println!("{}", Diagnostics::warnings(file, text, found));
    }
}
