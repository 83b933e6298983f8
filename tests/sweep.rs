//! Monte Carlo sweeps: the same figures on 1 thread or many, shards that merge into
//! exactly one sweep's output, and variants compared on common random numbers.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::tabletop;

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
