//! A fixed-seed mutation test: the files other organisations send (scenarios, sessions,
//! shards) mutated byte by byte and line by line, and fed to the loader, the validator,
//! the plan, the simulation and replay in-process. Every mutant must give a result or a
//! clear error: a panic is a failure, reported with the mutation that caused it.
//!
//! Mutations stay within sizes a machine can hold (a digit or two added, not ten): counts
//! pushed to their limits are the bounds test's business.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tabletop::scenario;
use tabletop::session;
use tabletop::sim::Simulation;
use tabletop::sweep::shard;

/// One mutation of `bytes`, described for the failure message.
fn mutate(rng: &mut ChaCha8Rng, bytes: &[u8]) -> (Vec<u8>, String) {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        return (b"(".to_vec(), "empty → (".into());
    }
    let at = rng.random_range(0..out.len());
    let what = match rng.random_range(0..7u32) {
        0 => {
            out[at] ^= 1 << rng.random_range(0..8u32);
            format!("bit flip at {at}")
        }
        1 => {
            out.remove(at);
            format!("byte removed at {at}")
        }
        2 => {
            let b = out[at];
            out.insert(at, b);
            format!("byte doubled at {at}")
        }
        3 => {
            // A digit added after a digit: counts and durations grow tenfold.
            match out.iter().skip(at).position(u8::is_ascii_digit) {
                Some(i) => {
                    let digit = b'0' + rng.random_range(0..10u8);
                    out.insert(at + i + 1, digit);
                    format!("digit added at {}", at + i + 1)
                }
                None => "nothing (no digit after the point)".into(),
            }
        }
        4 => {
            let end = (at + rng.random_range(1..400usize)).min(out.len());
            out.drain(at..end);
            format!("bytes {at}..{end} removed")
        }
        5 => {
            // Two lines swapped.
            let text = String::from_utf8_lossy(&out).into_owned();
            let mut lines: Vec<&str> = text.lines().collect();
            let (a, b) = (
                rng.random_range(0..lines.len()),
                rng.random_range(0..lines.len()),
            );
            lines.swap(a, b);
            out = (lines.join("\n") + "\n").into_bytes();
            format!("lines {} and {} swapped", a + 1, b + 1)
        }
        _ => {
            let special = [
                &b"-"[..],
                b"\"",
                b")",
                b"(",
                b"[",
                b",",
                b"\0",
                b"\xff",
                b"\n",
            ];
            let s = special[rng.random_range(0..special.len())];
            out.splice(at..at, s.iter().copied());
            format!("{s:?} inserted at {at}")
        }
    };
    (out, what)
}

/// Runs `check` on `count` mutants of `original`; returns the panics, described.
fn fuzz(name: &str, original: &[u8], count: u32, seed: u64, check: impl Fn(&[u8])) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut panics = Vec::new();
    for i in 0..count {
        let (mutant, what) = mutate(&mut rng, original);
        if catch_unwind(AssertUnwindSafe(|| check(&mutant))).is_err() {
            panics.push(format!("{name} mutant {i}: {what}"));
        }
    }
    panics
}

#[test]
fn mutated_inputs_never_panic() {
    // The panics are counted and named below; their default report would drown the output.
    std::panic::set_hook(Box::new(|_| {}));
    let dir = tempfile::tempdir().unwrap();
    let mut panics = Vec::new();

    for (i, name) in ["ducksends", "cross-border", "cvd", "crisis"]
        .iter()
        .enumerate()
    {
        let original = std::fs::read(common::repo_path(&format!("scenarios/{name}.ron"))).unwrap();
        panics.extend(fuzz(name, &original, 400, i as u64, |bytes| {
            if let Ok(scenario) = scenario::parse("mutant.ron", bytes) {
                // Issue 13: the plan compiles validated input, so a plan error on a file
                // the validator accepted is a bug of the validator (counted as a panic).
                let mut sim = match Simulation::new(&scenario, 1) {
                    Ok(sim) => sim,
                    Err(e) => panic!("validated, yet the plan refused it: {e}"),
                };
                sim.advance_to(12 * 60);
                let _ = sim.outcome();
            }
        }));
    }

    // A recorded session with every kind of record, mutated and replayed.
    let scenario_path = common::repo_path("scenarios/ducksends.ron");
    let (scenario, _) = scenario::load_path(&scenario_path).unwrap();
    let path = dir.path().join("s.ron");
    let mut recorder =
        session::Recorder::start(&path, &scenario_path.display().to_string(), &scenario, 2)
            .unwrap();
    recorder
        .submit(
            10,
            tabletop::sim::Command::Observe {
                author: "facilitator".into(),
                text: "a note".into(),
            },
        )
        .unwrap();
    recorder.advance_to(6 * 60).unwrap();
    drop(recorder);
    let original = std::fs::read(&path).unwrap();
    let mutant_path = dir.path().join("mutant.ron");
    let replay_mutant = |bytes: &[u8]| {
        std::fs::write(&mutant_path, bytes).unwrap();
        if let Ok(loaded) = session::load(&mutant_path) {
            let _ = session::replay(&loaded, &scenario);
        }
    };
    panics.extend(fuzz("session", &original, 200, 11, replay_mutant));
    // The same session unchained (format 1), so mutants get past the chain to replay.
    let unchained = common::unchained(&String::from_utf8(original).unwrap());
    panics.extend(fuzz(
        "unchained session",
        unchained.as_bytes(),
        300,
        13,
        replay_mutant,
    ));

    // A shard, mutated and read.
    let shard_path = dir.path().join("shard.jsonl");
    let output = common::tabletop()
        .args([
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "6",
            "--shard",
            "1/2",
        ])
        .arg("-o")
        .arg(&shard_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let original = std::fs::read(&shard_path).unwrap();
    panics.extend(fuzz("shard", &original, 300, 12, |bytes| {
        std::fs::write(&mutant_path, bytes).unwrap();
        let _ = shard::read(&mutant_path);
    }));

    let _ = std::panic::take_hook();
    assert!(
        panics.is_empty(),
        "{} mutants panicked:\n{}",
        panics.len(),
        panics.join("\n")
    );
}

/// The real binary on mutants, under a 2 GB address-space limit: it exits 0, 1 or 2 —
/// never a panic (101), an abort or a signal — and within its time.
#[test]
fn the_binary_on_mutants_exits_cleanly_under_a_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    let binary = assert_cmd::cargo::cargo_bin("tabletop");
    let original = std::fs::read(common::repo_path("scenarios/ducksends.ron")).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let mutant = dir.path().join("mutant.ron");
    let mut failures = Vec::new();
    for i in 0..100 {
        let (bytes, what) = mutate(&mut rng, &original);
        std::fs::write(&mutant, &bytes).unwrap();
        let command = if i % 2 == 0 {
            format!(
                "exec '{}' validate '{}'",
                binary.display(),
                mutant.display()
            )
        } else {
            format!(
                "exec '{}' run '{}' --until 6h",
                binary.display(),
                mutant.display()
            )
        };
        let output = assert_cmd::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 2097152; {command}"))
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        match output.status.code() {
            Some(0..=2) => {}
            code => failures.push(format!(
                "mutant {i} ({what}): exit {code:?}: {}",
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
