//! Choices put to players: a procedure's decision points and an inject's question.

use std::collections::BTreeSet;

use crate::scenario::locate::ItemPath;
use crate::scenario::time::Duration;

use super::problem::Found;
use super::require::list;

/// A decision point or an inject's question: options with distinct ids, a default among
/// them, and time to answer.
pub(super) fn check_choice<'a>(
    found: &mut Found,
    (path, default_path): (&ItemPath, &ItemPath),
    options: impl Iterator<Item = &'a str>,
    default: &str,
    timeout: Duration,
) {
    let options: Vec<&str> = options.collect();
    if options.len() < 2 {
        found.push((
            path.clone(),
            format!(
                "{} option(s); expected at least two to choose from",
                options.len()
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    for option in &options {
        if !seen.insert(*option) {
            found.push((path.clone(), format!("option \"{option}\" appears twice")));
        }
    }
    if !options.contains(&default) {
        found.push((
            default_path.clone(),
            format!(
                "default \"{default}\" is not one of the options; known: {}",
                list(options.iter().copied())
            ),
        ));
    }
    if timeout.minutes == 0 {
        found.push((
            path.clone(),
            "zero timeout; expected the time players have, e.g. \"1h\"".into(),
        ));
    }
}
