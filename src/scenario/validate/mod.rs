//! Semantic checks: every cross-reference resolves, every range makes sense, no trigger
//! waits on itself. Each problem names its item path; the loader adds line and column.

mod actors;
mod campaigns;
mod choice;
mod index;
mod injects;
mod network;
mod objectives;
mod patterns;
mod problem;
mod procedures;
mod range;
mod require;
mod roles;
mod triggers;

use super::locate::ItemPath;
use super::model::{FORMAT_VERSION, Scenario};

use actors::{check_csirts, check_entities};
use campaigns::check_adversaries;
use index::build_index;
use injects::check_injects;
use network::check_network;
use objectives::check_objectives;
use problem::Found;
use procedures::check_sops;
use roles::check_roles;
use triggers::check_trigger_cycles;

/// Every semantic problem of `scenario`, section by section, each at its item path.
pub fn validate(scenario: &Scenario) -> Found {
    let mut found = Found::new();
    let root = ItemPath::root();
    if scenario.version != FORMAT_VERSION {
        let message = if scenario.version > FORMAT_VERSION {
            format!(
                "format version {} is newer than this program reads ({FORMAT_VERSION}); update tabletop",
                scenario.version
            )
        } else {
            format!(
                "unknown format version {}; expected {FORMAT_VERSION}",
                scenario.version
            )
        };
        found.push((root.field("version"), message));
    }
    if scenario.name.trim().is_empty() {
        found.push((
            root.field("name"),
            "empty name; expected the exercise's title".into(),
        ));
    }
    if scenario.duration.minutes <= 0 {
        found.push((
            root.field("duration"),
            "zero duration; expected e.g. \"5d\"".into(),
        ));
    }
    let index = build_index(scenario, &mut found);
    check_csirts(scenario, &index, &mut found);
    check_entities(scenario, &index, &mut found);
    check_adversaries(scenario, &index, &mut found);
    check_injects(scenario, &index, &mut found);
    check_objectives(scenario, &index, &mut found);
    check_trigger_cycles(scenario, &mut found);
    check_network(scenario, &index, &mut found);
    check_sops(scenario, &index, &mut found);
    check_roles(scenario, &index, &mut found);
    found
}
