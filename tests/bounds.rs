//! Every count a scenario gives has a bound. Each integer field of every shipped scenario
//! is pushed to 0, 1, its bound, its bound + 1 and the type's maximum: `validate` exits 0
//! or 1 (1, naming the place and the bound, past the bound), and `run` of what validates
//! exits 0 or 1 under a 2 GB address-space limit within 30 s. (Which fields are integers
//! is checked against the format itself in tests/reference.rs.)

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::time::Duration;

use tabletop::scenario::bounds::{self, Bound};

/// How each bounded field is written in a scenario file.
const WRITTEN: [(&str, Bound); 5] = [
    ("analysts: ", bounds::ANALYSTS),
    ("extra_analysts: ", bounds::ANALYSTS),
    ("count: ", bounds::ORGANISATIONS),
    ("known_by: ", bounds::ACTORS),
    ("chance_percent: ", bounds::PERCENT),
];

/// Runs the binary under a 2 GB address-space limit.
fn limited(args: &str) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("tabletop");
    assert_cmd::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2097152; exec '{}' {args}",
            binary.display()
        ))
        .current_dir(common::repo_path("."))
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap()
}

#[test]
fn every_count_in_every_shipped_scenario_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut cases = 0;
    for name in ["ducksends", "cross-border", "cvd", "crisis"] {
        let text =
            std::fs::read_to_string(common::repo_path(&format!("scenarios/{name}.ron"))).unwrap();
        for (written, bound) in WRITTEN {
            for (at, _) in text.match_indices(written) {
                let start = at + written.len();
                let digits = text[start..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .count();
                if digits == 0 {
                    continue;
                }
                let line = text[..at].lines().count();
                for value in [
                    0,
                    1,
                    u64::from(bound.max),
                    u64::from(bound.max) + 1,
                    u64::from(u32::MAX),
                ] {
                    cases += 1;
                    let mutant = format!("{}{value}{}", &text[..start], &text[start + digits..]);
                    let path = dir.path().join(format!("{name}.ron"));
                    std::fs::write(&path, mutant).unwrap();
                    let what = format!("{name}.ron:{line} {written}{value}");
                    let output = limited(&format!("validate '{}'", path.display()));
                    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
                    match output.status.code() {
                        Some(1) if value > u64::from(bound.max) => {
                            if !stderr.contains(&format!("is more than {}", bound.max))
                                || !stderr.contains(&format!("{name}.ron:{line}:"))
                            {
                                failures.push(format!("{what}: refused without naming the bound and the place: {stderr}"));
                            }
                        }
                        Some(0) if value > u64::from(bound.max) => {
                            failures.push(format!("{what}: validates past its bound"));
                        }
                        Some(0) => {
                            let run = limited(&format!("run '{}' --until 6h", path.display()));
                            if !matches!(run.status.code(), Some(0 | 1)) {
                                failures.push(format!(
                                    "{what}: run exits {:?}: {}",
                                    run.status.code(),
                                    String::from_utf8_lossy(&run.stderr)
                                ));
                            }
                        }
                        Some(1) => {}
                        code => failures.push(format!("{what}: validate exits {code:?}: {stderr}")),
                    }
                }
            }
        }
    }
    assert!(cases > 100, "only {cases} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Discussion questions are counted, not given: one inject asking more copies than the
/// bound (questions × addressees) is refused at its place, quickly and within memory,
/// rather than raising a hundred thousand prompts.
#[test]
fn too_many_discussion_copies_are_refused_at_their_place() {
    let text = std::fs::read_to_string(common::repo_path("scenarios/ducksends.ron")).unwrap();
    let questions: String = (0..=bounds::DISCUSSION_COPIES.max)
        .map(|n| format!("Discussion(id: \"q{n}\", prompt: \"Who decides?\", timeout: \"1h\"),\n"))
        .collect();
    let mutant = text.replacen("discussion: [", &format!("discussion: [\n{questions}"), 1);
    let line = text[..text.find("discussion: [").unwrap()].lines().count();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ducksends.ron");
    std::fs::write(&path, mutant).unwrap();
    let output = limited(&format!("validate '{}'", path.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "copies of discussion questions (questions × addressees) 100003 is more than 100000"
        ) && stderr.contains(&format!("ducksends.ron:{line}:")),
        "{stderr}"
    );
}
