//! Fixture builders shared by the integration tests.
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::path::{Path, PathBuf};

use tabletop::scenario::{Scenario, load_path};
use tabletop::sim::{Simulation, write_jsonl};

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub fn ducksends() -> Scenario {
    load_scenario("scenarios/ducksends.ron")
}

pub fn load_scenario(relative: &str) -> Scenario {
    match load_path(&repo_path(relative)) {
        Ok((scenario, _)) => scenario,
        Err(e) => panic!("{relative} should load:\n{e}"),
    }
}

/// Plays `scenario` with `seed` to the end.
pub fn played(scenario: &Scenario, seed: u64) -> Simulation {
    let mut sim = Simulation::new(scenario, seed).expect("scenario builds");
    sim.run_to_end();
    sim
}

/// The journal as the JSON Lines bytes `tabletop run --journal` writes.
pub fn journal_bytes(sim: &Simulation) -> Vec<u8> {
    let mut out = Vec::new();
    write_jsonl(sim.journal(), &mut out).expect("in-memory write");
    out
}

/// The `tabletop` binary, run from the repository root.
pub fn tabletop() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tabletop").expect("binary built");
    cmd.current_dir(repo_path("."));
    cmd
}

/// A session as format 1 wrote it, before records were chained: the links stripped.
pub fn unchained(chained: &str) -> String {
    chained
        .lines()
        .map(|line| line.rsplit_once(" //~ ").map_or(line, |(body, _)| body))
        .map(|line| line.replacen("format:2,", "format:1,", 1) + "\n")
        .collect()
}

/// The venv's Python (`TABLETOP_TOOLS_PYTHON`, else `tests/tools/venv/bin/python`, made
/// from `tests/tools/requirements.txt`) with every tool importable, or `None` (skipped,
/// said on stderr) unless TABLETOP_REQUIRE_TOOLS=1 makes that a failure.
pub fn tools_python() -> Option<PathBuf> {
    let python = std::env::var_os("TABLETOP_TOOLS_PYTHON")
        .map_or_else(|| repo_path("tests/tools/venv/bin/python"), PathBuf::from);
    let works = std::process::Command::new(&python)
        .args([
            "-c",
            "import pymisp, stix2, stix2validator, mitreattack.navlayers, jsonschema, openpyxl",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    assert!(
        std::env::var_os("TABLETOP_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
        "the checking tools are required (TABLETOP_REQUIRE_TOOLS=1) but {} cannot import them; make the venv from tests/tools/requirements.txt",
        python.display()
    );
    eprintln!(
        "skipped: no Python with PyMISP, stix2, stix2-validator, mitreattack-python and openpyxl at {} (TABLETOP_REQUIRE_TOOLS=1 makes this a failure)",
        python.display()
    );
    None
}

pub mod console;
pub mod marked;
pub mod served;
pub mod webdriver;
