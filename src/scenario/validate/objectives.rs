//! Objectives: each check names things that exist.

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Check, Scenario};

use super::index::Index;
use super::patterns::check_pattern;
use super::problem::Found;
use super::require::{Wanted, require};
use crate::scenario::spelling::ron_word;

pub(super) fn check_objectives(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    for (i, objective) in s.objectives.iter().enumerate() {
        if let Some(expect) = objective.expect
            && expect.percent() > 100
        {
            found.push((
                ItemPath::root()
                    .field("objectives")
                    .index(i)
                    .field("expect"),
                format!(
                    "{}% is more than 100%; expected a percentage of the seeds, e.g. AtLeast(90)",
                    expect.percent()
                ),
            ));
        }
        let path = ItemPath::root().field("objectives").index(i).field("check");
        match &objective.check {
            Check::Deadline {
                after,
                expected,
                within,
            } => {
                check_pattern(index, found, &path, after);
                check_pattern(index, found, &path, expected);
                if within.minutes == 0 {
                    found.push((path.clone(), "zero `within`; expected e.g. \"24h\"".into()));
                }
            }
            Check::Coverage {
                sector,
                indicator,
                after,
                within,
            } => {
                if !index.sectors.contains(sector) {
                    found.push((
                        path.clone(),
                        format!("no entity in sector {}", ron_word(sector)),
                    ));
                }
                require(
                    found,
                    &path,
                    Wanted::named("indicator"),
                    indicator,
                    &index.indicators,
                );
                check_pattern(index, found, &path, after);
                if within.minutes == 0 {
                    found.push((path.clone(), "zero `within`; expected e.g. \"12h\"".into()));
                }
            }
            Check::Absence(pattern) => check_pattern(index, found, &path, pattern),
            Check::Ordering { first, then } => {
                check_pattern(index, found, &path, first);
                check_pattern(index, found, &path, then);
            }
        }
    }
}
