//! Monte Carlo sweeps: the same figures on 1 thread or many, shards that merge into
//! exactly one sweep's output, and variants compared on common random numbers.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::tabletop;
use tabletop::sweep::SeedResult;
use tabletop::sweep::shard;

fn stdout_of(args: &[&str]) -> String {
    let output = tabletop().args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("one JSON object")
}

#[test]
fn output_is_identical_on_one_thread_or_many() {
    let base = [
        "sweep",
        "scenarios/ducksends.ron",
        "--seeds",
        "120",
        "--variant",
        "fin-intake=share-first",
    ];
    let one = stdout_of(&[&base[..], &["--threads", "1", "--json"]].concat());
    let two = stdout_of(&[&base[..], &["--threads", "2", "--json"]].concat());
    let three = stdout_of(&[&base[..], &["--threads", "3", "--json"]].concat());
    assert_eq!(one, two);
    assert_eq!(one, three);
    let value = json(&one);
    assert_eq!(value["runs"], 120);
    for objective in value["objectives"].as_array().unwrap() {
        let rate = objective["hit_rate"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&rate));
        assert!(objective["id"].is_string());
    }
    assert!(
        value["times"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["metric"] == "first detection")
    );
}

#[test]
fn shards_merge_into_exactly_one_sweeps_output() {
    let dir = tempfile::tempdir().unwrap();
    let whole_json = stdout_of(&[
        "sweep",
        "scenarios/ducksends.ron",
        "--seeds",
        "90",
        "--seed-base",
        "1000",
        "--variant",
        "fin-intake=share-first",
        "--json",
    ]);
    let whole_text = stdout_of(&[
        "sweep",
        "scenarios/ducksends.ron",
        "--seeds",
        "90",
        "--seed-base",
        "1000",
        "--variant",
        "fin-intake=share-first",
    ]);
    let mut shards = Vec::new();
    for k in 1..=4 {
        let path = dir.path().join(format!("shard-{k}.jsonl"));
        let shard = format!("{k}/4");
        stdout_of(&[
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "90",
            "--seed-base",
            "1000",
            "--variant",
            "fin-intake=share-first",
            "--shard",
            &shard,
            "-o",
            path.to_str().unwrap(),
        ]);
        shards.push(path);
    }
    // Given in any order.
    shards.reverse();
    let paths: Vec<&str> = shards.iter().map(|p| p.to_str().unwrap()).collect();
    assert_eq!(
        stdout_of(&[&["merge-sweeps", "--json"][..], &paths].concat()),
        whole_json
    );
    assert_eq!(
        stdout_of(&[&["merge-sweeps"][..], &paths].concat()),
        whole_text
    );
    // A missing shard is an error, not a smaller sweep.
    let output = tabletop()
        .args(["merge-sweeps"])
        .args(&paths[..3])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing"));
}

#[test]
fn a_variant_compared_with_itself_differs_by_exactly_nothing() {
    // Common random numbers: the same seed meets the same adversary under both variants.
    let value = json(&stdout_of(&[
        "sweep",
        "scenarios/ducksends.ron",
        "--seeds",
        "60",
        "--variant",
        "fin-intake=analyse-first",
        "--json",
    ]));
    for objective in value["objectives"].as_array().unwrap() {
        let difference = &objective["variant"]["difference"];
        assert_eq!(difference["estimate"], 0.0, "{objective}");
        assert_eq!(difference["low"], 0.0);
        assert_eq!(difference["high"], 0.0);
    }
    assert_eq!(value["analyst_hours_difference"]["estimate"], 0.0);
}

#[test]
fn sharing_first_meets_objective_3_more_often_on_1000_seeds() {
    let value = json(&stdout_of(&[
        "sweep",
        "scenarios/ducksends.ron",
        "--seeds",
        "1000",
        "--variant",
        "fin-intake=share-first",
        "--json",
    ]));
    let obj3 = value["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "obj-3")
        .unwrap()
        .clone();
    let low = obj3["variant"]["difference"]["low"].as_f64().unwrap();
    assert!(
        low > 0.0,
        "the paired 95% interval of obj-3's difference should exclude zero: {obj3}"
    );
    // …at a cost: more analyst hours.
    assert!(
        value["analyst_hours_difference"]["low"].as_f64().unwrap() > 0.0,
        "{}",
        value["analyst_hours_difference"]
    );
}

#[test]
fn sweep_usage_errors_exit_2_and_bad_files_exit_1() {
    for args in [
        vec!["sweep", "scenarios/ducksends.ron", "--seeds", "0"],
        vec![
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "5",
            "--variant",
            "fin-intake=nope",
        ],
        vec![
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "5",
            "--variant",
            "ghost=x",
        ],
        vec![
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "5",
            "--variant",
            "no-equals-sign",
        ],
        vec![
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "5",
            "--shard",
            "0/3",
        ],
        vec![
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "5",
            "--shard",
            "4/3",
        ],
        vec![
            "sweep",
            "scenarios/ducksends.ron",
            "--seeds",
            "5",
            "--threads",
            "0",
        ],
    ] {
        let output = tabletop().args(&args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = tabletop()
        .args(["merge-sweeps", "scenarios/ducksends.ron"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let output = tabletop()
        .args(["sweep", "tests/broken/empty.ron", "--seeds", "5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

/// A shard of 12 DuckSends seeds (3 of 4), written by the real binary.
fn shard_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("shard-3.jsonl");
    stdout_of(&[
        "sweep",
        "scenarios/ducksends.ron",
        "--seeds",
        "12",
        "--shard",
        "3/4",
        "-o",
        path.to_str().unwrap(),
    ]);
    path
}

fn merge(args: &[&str]) -> std::process::Output {
    tabletop().arg("merge-sweeps").args(args).output().unwrap()
}

/// Rewrites a shard's seeds with `edit` and recomputes its digest, as someone who knows
/// the format would.
fn forged(
    path: &std::path::Path,
    name: &str,
    edit: impl Fn(&mut SeedResult),
) -> std::path::PathBuf {
    let shard = shard::read(path).unwrap();
    let mut results = shard.results.clone();
    edit(&mut results[1]);
    let out = path.with_file_name(name);
    std::fs::write(&out, shard::write(&shard.header, &results).unwrap()).unwrap();
    out
}

#[test]
fn edited_shards_are_refused_and_recheck_catches_a_recomputed_digest() {
    let dir = tempfile::tempdir().unwrap();
    let path = shard_file(dir.path());
    let original = std::fs::read_to_string(&path).unwrap();
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // A flipped verdict without a new digest.
    let flipped = dir.path().join("flipped.jsonl");
    let edited = if original.contains("\"met\":[true") {
        original.replacen("\"met\":[true", "\"met\":[false", 1)
    } else {
        original.replacen("\"met\":[false", "\"met\":[true", 1)
    };
    std::fs::write(&flipped, edited).unwrap();
    let output = merge(&[flipped.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("digest does not match"),
        "{}",
        stderr(&output)
    );

    // Values out of range, even with a recomputed digest.
    let cases = [
        forged(&path, "short.jsonl", |r| {
            r.baseline.met.pop();
        }),
        forged(&path, "late.jsonl", |r| {
            r.baseline
                .times
                .insert("first detection".into(), 999_999_999);
        }),
        forged(&path, "negative.jsonl", |r| r.baseline.analyst_minutes = -5),
        forged(&path, "foreign.jsonl", |r| r.seed = 4),
    ];
    for (case, expected) in cases.iter().zip([
        "objective verdicts for a scenario with",
        "outside the exercise",
        "-5 analyst minutes",
        "is not one of shard 3/4's seeds",
    ]) {
        let output = merge(&[case.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{case:?}");
        assert!(
            stderr(&output).contains(expected),
            "{case:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(":3:"),
            "names the line: {}",
            stderr(&output)
        );
    }

    // A plausible forgery with a recomputed digest passes the checks; playing the seeds
    // again does not.
    let plausible = forged(&path, "plausible.jsonl", |r| {
        r.baseline.met[0] = !r.baseline.met[0];
    });
    let scenario = common::repo_path("scenarios/ducksends.ron");
    let output = merge(&[
        plausible.to_str().unwrap(),
        "--recheck",
        "12",
        "--scenario",
        scenario.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("played again gives other results"),
        "{}",
        stderr(&output)
    );
    // The genuine shard rechecks clean (the merge then says the other shards are missing).
    let output = merge(&[
        path.to_str().unwrap(),
        "--recheck",
        "3",
        "--scenario",
        scenario.to_str().unwrap(),
    ]);
    assert!(
        stderr(&output).contains("3 seeds played again, all equal"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("missing"));

    // A shard from before digests is refused with what to do.
    let old = dir.path().join("old.jsonl");
    let without: Vec<&str> = original.lines().collect();
    std::fs::write(&old, without[..without.len() - 1].join("\n") + "\n").unwrap();
    let output = merge(&[old.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("run the shard again"),
        "{}",
        stderr(&output)
    );
}

/// Issue 16: the sweep says in how many runs an objective was not triggered at all.
#[test]
fn the_sweep_counts_runs_where_an_objective_was_not_triggered() {
    let out = stdout_of(&["sweep", "scenarios/ducksends.ron", "--seeds", "8"]);
    let obj7 = out
        .lines()
        .find(|l| l.trim_start().starts_with("obj-7"))
        .unwrap_or_default();
    assert!(obj7.contains("not triggered in "), "{out}");
    assert!(obj7.contains(" of 8 runs)"), "{out}");
}
