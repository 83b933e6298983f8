//! Golden tests for scenario diagnostics.
//!
//! Every `tests/broken/X.ron` must fail to load, and the full `Diagnostics` text (file
//! label `tests/broken/X.ron`) must equal `tests/broken/X.expected` byte for byte.
//! After an intentional change to a message, regenerate with
//!
//!     UPDATE_GOLDEN=1 cargo test --test validation
//!
//! and read the diff before committing: each message must point at the offending item
//! and say what was found and what was expected.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::fs;
use std::path::{Path, PathBuf};

use tabletop::scenario::{self, locate::Position};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// The diagnostics text for one broken file, or why there is none.
fn diagnostics(path: &Path) -> Result<String, String> {
    let label = format!("tests/broken/{}", file_name(path));
    let bytes = fs::read(path).map_err(|e| format!("{label}: cannot read: {e}"))?;
    match scenario::parse(&label, &bytes) {
        Ok(_) => Err(format!(
            "{label}: loaded without problems; a broken file must fail"
        )),
        Err(diagnostics) => Ok(format!("{diagnostics}\n")),
    }
}

#[test]
fn broken_scenarios_match_their_expected_diagnostics() {
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let broken = dir("broken");
    let scenarios = files_with_extension(&broken, "ron");
    assert!(
        !scenarios.is_empty(),
        "no .ron files in {}",
        broken.display()
    );
    let mut failures = Vec::new();
    for path in &scenarios {
        let actual = match diagnostics(path) {
            Ok(actual) => actual,
            Err(failure) => {
                failures.push(failure);
                continue;
            }
        };
        let golden = path.with_extension("expected");
        if update {
            fs::write(&golden, &actual)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", golden.display()));
            continue;
        }
        match fs::read_to_string(&golden) {
            Ok(expected) if expected.replace("\r\n", "\n") == actual => {}
            Ok(expected) => failures.push(format!(
                "{} differs from the diagnostics.\n--- expected\n{expected}--- actual\n{actual}",
                file_name(&golden)
            )),
            Err(e) => failures.push(format!("{}: cannot read: {e}", file_name(&golden))),
        }
    }
    // A golden file whose scenario was renamed or removed would silently test nothing.
    for golden in files_with_extension(&broken, "expected") {
        if !golden.with_extension("ron").exists() {
            failures.push(format!("{} has no matching .ron file", file_name(&golden)));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n{} of {} golden files failed; if the change is intended, run\n    \
         UPDATE_GOLDEN=1 cargo test --test validation\nand review the diff.",
        failures.join("\n\n"),
        failures.len(),
        scenarios.len()
    );
}

#[test]
fn a_valid_minimal_scenario_has_no_problems() {
    let path = dir("valid").join("minimal.ron");
    let bytes = fs::read(&path).expect("tests/valid/minimal.ron");
    if let Err(diagnostics) = scenario::parse("tests/valid/minimal.ron", &bytes) {
        panic!("the minimal scenario should load:\n{diagnostics}");
    }
}

/// The golden file already shows the text; this states the intent: one run of the loader
/// reports every faulty item, not only the first it meets.
#[test]
fn several_faults_are_all_reported_at_once() {
    let path = dir("broken").join("several_problems.ron");
    let bytes = fs::read(&path).expect("tests/broken/several_problems.ron");
    let diagnostics = scenario::parse("several_problems.ron", &bytes).expect_err("must fail");
    let found: Vec<(usize, &str)> = diagnostics
        .problems
        .iter()
        .map(|p| (p.position.line, p.message.as_str()))
        .collect();
    let wanted = [
        (13, "analyts"),
        (21, "Finanse"),
        (47, "banana"),
        (60, "Tommorow"),
    ];
    for (line, word) in wanted {
        assert!(
            found.iter().any(|(l, m)| *l == line && m.contains(word)),
            "expected a problem on line {line} mentioning {word:?}; found:\n{diagnostics}"
        );
    }
    assert_eq!(
        found.len(),
        wanted.len(),
        "unexpected extra problems:\n{diagnostics}"
    );
}

/// Semantic problems are all reported too, each at its own item.
#[test]
fn several_semantic_faults_are_all_reported_at_once() {
    let path = dir("broken").join("several_semantic.ron");
    let bytes = fs::read(&path).expect("tests/broken/several_semantic.ron");
    let diagnostics = scenario::parse("several_semantic.ron", &bytes).expect_err("must fail");
    let items: Vec<&str> = diagnostics
        .problems
        .iter()
        .map(|p| p.item.as_str())
        .collect();
    for item in [
        "entities[0].csirt",
        "adversaries[0].campaigns[0].stages[0].duration",
        "adversaries[0].campaigns[0].stages[0].indicators[0]",
        "injects[0].when",
        "injects[0].to[0]",
    ] {
        assert!(
            items.contains(&item),
            "no problem at {item}:\n{diagnostics}"
        );
    }
    assert!(
        diagnostics
            .problems
            .iter()
            .all(|p| p.position != Position { line: 1, col: 1 }),
        "every problem should point into the file:\n{diagnostics}"
    );
}

#[test]
fn ids_are_plain_no_hidden_or_reordering_characters() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron"))
            .unwrap();
    for (bad, code) in [
        ("fin-\u{202E}csirt", "U+202E"),
        ("fin-csirt\u{0}", "U+0000"),
        ("fin\u{200B}-csirt", "U+200B"),
        (" fin-csirt", "white space"),
    ] {
        let mutant = text.replacen("id: \"fin-csirt\"", &format!("id: \"{bad}\""), 1);
        assert_ne!(mutant, text);
        let Err(scenario::LoadError::Invalid(diagnostics)) =
            scenario::parse("plain.ron", mutant.as_bytes()).map_err(scenario::LoadError::Invalid)
        else {
            panic!("{bad:?} was accepted as an id");
        };
        let report = diagnostics.to_string();
        assert!(report.contains(code), "{bad:?}: {report}");
        assert!(report.contains("plain.ron:"), "names the place: {report}");
    }
}
