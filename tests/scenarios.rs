//! The shipped scenarios load without a single problem, and DuckSends has the shape its
//! storyboard (DUCKSENDS.md) asks for.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::path::{Path, PathBuf};

use tabletop::scenario::{LoadError, Scenario, Sector, Weekday, load_path};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn load(path: &Path) -> Scenario {
    match load_path(path) {
        Ok((scenario, _text)) => scenario,
        Err(LoadError::Invalid(diagnostics)) => panic!("{diagnostics}"),
        Err(error) => panic!("{error}"),
    }
}

#[test]
fn every_shipped_scenario_loads() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios/ exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no scenarios/*.ron found");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|path| match load_path(path) {
            Ok(_) => None,
            Err(LoadError::Invalid(diagnostics)) => Some(diagnostics.to_string()),
            Err(error) => Some(error.to_string()),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn ducksends_has_the_storyboards_shape() {
    let scenario = load(&scenarios_dir().join("ducksends.ron"));
    let financial = scenario
        .entities
        .iter()
        .filter(|e| e.sector == Sector::Finance)
        .count();
    assert!(
        financial >= 4,
        "{financial} financial entities; expected at least 4"
    );
    assert!(
        scenario.injects.len() >= 6,
        "{} injects; expected at least 6",
        scenario.injects.len()
    );
    assert!(
        scenario.objectives.len() >= 4,
        "{} objectives; expected at least 4",
        scenario.objectives.len()
    );
    assert_eq!(
        scenario.start.weekday(),
        Weekday::Fri,
        "the exercise starts on a Friday"
    );
}
