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

// Issue 21: sweeps on a cluster, and expectations for a CSIRT's CI.

/// The `tabletop` binary without any batch system's variables from the environment the
/// tests run in (CI under Slurm must not change what `--shard auto` reads).
fn clean() -> assert_cmd::Command {
    let mut cmd = tabletop();
    for name in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_STEP",
        "JOB_COMPLETION_INDEX",
    ] {
        cmd.env_remove(name);
    }
    cmd
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A Slurm array task's variables: task `id` of `min..min+count`.
fn slurm_task(id: u64, min: u64, count: u64) -> Vec<(&'static str, String)> {
    vec![
        ("SLURM_ARRAY_TASK_ID", id.to_string()),
        ("SLURM_ARRAY_TASK_MIN", min.to_string()),
        ("SLURM_ARRAY_TASK_MAX", (min + count - 1).to_string()),
        ("SLURM_ARRAY_TASK_COUNT", count.to_string()),
        ("SLURM_ARRAY_TASK_STEP", "1".into()),
    ]
}

const SWEEP: [&str; 8] = [
    "sweep",
    "scenarios/ducksends.ron",
    "--seeds",
    "30",
    "--seed-base",
    "500",
    "--variant",
    "fin-intake=share-first",
];

#[test]
fn shard_auto_under_slurm_and_kubernetes_merges_into_one_machines_output() {
    let dir = tempfile::tempdir().unwrap();
    let whole = stdout_of(&SWEEP);
    // Slurm: an array 3-5, so the first task is shard 1.
    let mut slurm = Vec::new();
    for id in 3..=5 {
        let path = dir.path().join(format!("slurm-{id}.jsonl"));
        let output = clean()
            .args(SWEEP)
            .args(["--shard", "auto", "-o", path.to_str().unwrap()])
            .envs(slurm_task(id, 3, 3))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        let k = id - 2;
        assert!(
            stderr_of(&output).contains(&format!("shard {k}/3 (Slurm array task {id} of 3-5)")),
            "{}",
            stderr_of(&output)
        );
        slurm.push(path);
    }
    // Each auto shard is byte for byte the one --shard K/M writes.
    let by_hand = stdout_of(&[&SWEEP[..], &["--shard", "2/3"]].concat());
    assert_eq!(std::fs::read_to_string(&slurm[1]).unwrap(), by_hand);
    let paths: Vec<&str> = slurm.iter().map(|p| p.to_str().unwrap()).collect();
    assert_eq!(stdout_of(&[&["merge-sweeps"][..], &paths].concat()), whole);

    // Kubernetes: completion indexes 0..4 with --shards 4.
    let mut pods = Vec::new();
    for index in 0..4 {
        let path = dir.path().join(format!("k8s-{index}.jsonl"));
        let output = clean()
            .args(SWEEP)
            .args([
                "--shard",
                "auto",
                "--shards",
                "4",
                "-o",
                path.to_str().unwrap(),
            ])
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        pods.push(path);
    }
    let paths: Vec<&str> = pods.iter().map(|p| p.to_str().unwrap()).collect();
    assert_eq!(stdout_of(&[&["merge-sweeps"][..], &paths].concat()), whole);
}

#[test]
fn shard_auto_refuses_what_it_cannot_map_with_exit_2() {
    /// Extra arguments, the environment, and what the error must say.
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, String)>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (vec![], vec![], "neither is set"),
        (
            vec![],
            vec![
                ("SLURM_ARRAY_TASK_ID", "2".into()),
                ("SLURM_ARRAY_TASK_MIN", "0".into()),
                ("SLURM_ARRAY_TASK_MAX", "6".into()),
                ("SLURM_ARRAY_TASK_COUNT", "4".into()),
                ("SLURM_ARRAY_TASK_STEP", "2".into()),
            ],
            "step is 2",
        ),
        (vec![], slurm_task(9, 0, 4), "out of range"),
        (
            vec![],
            vec![("JOB_COMPLETION_INDEX", "0".into())],
            "needs --shards N",
        ),
        (
            vec!["--shards", "4"],
            vec![("JOB_COMPLETION_INDEX", "4".into())],
            "out of range",
        ),
        (vec!["--shards", "3"], slurm_task(1, 0, 4), "--shards 3"),
    ];
    for (extra, env, says) in cases {
        let output = clean()
            .args(SWEEP)
            .args(["--shard", "auto"])
            .args(&extra)
            .envs(env.clone())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{env:?}: {}",
            stderr_of(&output)
        );
        assert!(
            stderr_of(&output).contains(says),
            "{env:?}: {}",
            stderr_of(&output)
        );
    }
    for (args, says) in [
        (
            vec!["--shard", "1/3", "--shards", "3"],
            "--shards N goes with --shard auto",
        ),
        (vec!["--shards", "3"], "--shards N goes with --shard auto"),
        (vec!["--shard", "31/31"], "31 shards of 30 seeds"),
        (
            vec!["--shard", "1/3", "--expect", "obj-3 >= 50%"],
            "give it to merge-sweeps",
        ),
    ] {
        let output = clean().args(SWEEP).args(&args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr_of(&output)
        );
        assert!(
            stderr_of(&output).contains(says),
            "{args:?}: {}",
            stderr_of(&output)
        );
    }
}

#[test]
fn merge_names_missing_shards_and_refuses_duplicates_and_other_cuts() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |k: u64, m: u64| {
        let path = dir.path().join(format!("{k}-of-{m}.jsonl"));
        stdout_of(
            &[
                &SWEEP[..],
                &["--shard", &format!("{k}/{m}"), "-o", path.to_str().unwrap()],
            ]
            .concat(),
        );
        path.to_str().unwrap().to_owned()
    };
    let (a, c) = (shard(1, 4), shard(3, 4));
    let output = merge(&[&a, &c]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("shards 2/4, 4/4 missing"),
        "{}",
        stderr_of(&output)
    );
    let output = merge(&[&a, &c, &a]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr_of(&output).contains("shard 1/4 is given twice"));
    let other = shard(2, 3);
    let output = merge(&[&a, &other]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("cut into 3, the first shard given into 4"),
        "{}",
        stderr_of(&output)
    );
}

/// The shipped job script, unmodified, run by bash as each task of a 4-task array would
/// run it (the real Slurm run is `tests/cluster/slurm.sh`, in CI).
#[test]
fn the_shipped_sbatch_script_plays_each_array_task_as_its_shard() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shards");
    let binary = assert_cmd::cargo::cargo_bin("tabletop");
    for id in 0..4 {
        let output = std::process::Command::new("bash")
            .current_dir(common::repo_path("."))
            .arg("examples/slurm/sweep.sbatch")
            .arg("scenarios/ducksends.ron")
            .arg(&out)
            .args(&SWEEP[2..])
            .envs(slurm_task(id, 0, 4))
            .env_remove("JOB_COMPLETION_INDEX")
            .env("TABLETOP", &binary)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    }
    let mut shards: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_owned())
        .collect();
    shards.sort();
    assert_eq!(shards.len(), 4, "{shards:?}");
    let paths: Vec<&str> = shards.iter().map(String::as_str).collect();
    assert_eq!(
        stdout_of(&[&["merge-sweeps"][..], &paths].concat()),
        stdout_of(&SWEEP)
    );
}

#[test]
fn the_kubernetes_job_shards_as_many_as_it_completes() {
    let manifest =
        std::fs::read_to_string(common::repo_path("examples/kubernetes/sweep-job.yaml")).unwrap();
    // The first number written after `key` (comments name the keys without numbers).
    let value_after = |key: &str| -> u64 {
        manifest
            .match_indices(key)
            .find_map(|(at, _)| {
                let rest = manifest[at + key.len()..].trim_start_matches([' ', '=']);
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .unwrap_or_else(|| panic!("no number after {key}"))
    };
    assert!(manifest.contains("completionMode: Indexed"));
    assert!(manifest.contains("--shard auto"));
    assert_eq!(value_after("completions:"), value_after("--shards"));
}

/// The verdict line of `expectation` in a sweep's text output.
fn verdict_line<'a>(out: &'a str, expectation: &str) -> &'a str {
    out.lines()
        .find(|l| l.trim_start().starts_with(expectation))
        .unwrap_or_else(|| panic!("no verdict for {expectation}:\n{out}"))
}

#[test]
fn expectations_pass_fail_or_are_inconclusive_on_both_intake_variants() {
    // fin-csirt's baseline intake (analyse first) warns the sector late: obj-3 is met in
    // about a quarter of runs; sharing first meets it in nearly all.
    let base = ["sweep", "scenarios/ducksends.ron", "--seeds", "60"];
    let output = clean()
        .args(base)
        .args(["--expect", "obj-3 >= 90%", "--expect", "obj-3 <= 50%"])
        .args(["--expect", "obj-4>=70%"])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(output.status.code(), Some(3), "{out}");
    assert!(
        stderr_of(&output)
            .contains("2 of 3 expectations not shown to hold (1 failed, 1 inconclusive)"),
        "{}",
        stderr_of(&output)
    );
    // The figures are printed all the same.
    assert!(out.contains("Objectives (hit rate"), "{out}");
    let fail = verdict_line(&out, "obj-3 >= 90%");
    assert!(
        fail.contains(" fail ") && fail.contains("wrong side of 90%"),
        "{fail}"
    );
    let pass = verdict_line(&out, "obj-3 <= 50%");
    assert!(pass.contains(" pass "), "{pass}");
    // obj-4 is met in about two thirds of runs: 60 seeds cannot tell it from 70%.
    let open = verdict_line(&out, "obj-4 >= 70%");
    assert!(open.contains(" inconclusive "), "{open}");
    let seeds: u64 = open
        .split("about ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .map(|n| n.replace(',', "").parse().unwrap())
        .unwrap_or_else(|| panic!("no estimate: {open}"));
    assert!(seeds > 60, "{open}");
    assert!(open.contains("seeds in all would decide it") && open.contains("(an estimate)"));

    // The proposed procedure: sharing first passes where analysing first failed.
    let output = clean()
        .args(base)
        .args(["--variant", "fin-intake=share-first"])
        .args(["--expect", "obj-3 >= 90%"])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(output.status.code(), Some(0), "{out}{}", stderr_of(&output));
    assert!(
        out.contains("on the variant's hit rate over 60 runs"),
        "{out}"
    );
    assert!(
        verdict_line(&out, "obj-3 >= 90%").contains(" pass "),
        "{out}"
    );
}

#[test]
fn expectations_are_in_the_json_and_judged_alike_after_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let expect = ["--expect", "obj-3 >= 99%", "--expect", "obj-2 >= 50%"];
    let whole = clean()
        .args(SWEEP)
        .args(expect)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(whole.status.code(), Some(3), "{}", stderr_of(&whole));
    let value = json(std::str::from_utf8(&whole.stdout).unwrap());
    let verdicts = value["expectations"].as_array().unwrap();
    // 30 seeds cannot show 99% even if all meet it.
    assert_eq!(verdicts[0]["outcome"], "inconclusive", "{}", verdicts[0]);
    assert_eq!(verdicts[0]["judged_on"], "variant");
    assert!(verdicts[0]["seeds_to_decide"].as_u64().unwrap() > 30);
    assert_eq!(verdicts[1]["outcome"], "pass", "{}", verdicts[1]);
    let mut shards = Vec::new();
    for k in 1..=2 {
        let path = dir.path().join(format!("{k}.jsonl"));
        stdout_of(
            &[
                &SWEEP[..],
                &["--shard", &format!("{k}/2"), "-o", path.to_str().unwrap()],
            ]
            .concat(),
        );
        shards.push(path.to_str().unwrap().to_owned());
    }
    let merged = merge(&[
        &shards[0], &shards[1], expect[0], expect[1], expect[2], expect[3], "--json",
    ]);
    assert_eq!(merged.status.code(), Some(3));
    assert_eq!(merged.stdout, whole.stdout);
    // Without expectations the JSON is what it always was: no empty "expectations".
    assert!(!stdout_of(&SWEEP).contains("Expectations"));
    assert!(!stdout_of(&[&SWEEP[..], &["--json"]].concat()).contains("expectations"));
}

#[test]
fn an_expectation_that_does_not_parse_is_a_usage_error() {
    for (expect, says) in [
        ("obj-3 > 90%", "expected ID >= PERCENT% or ID <= PERCENT%"),
        ("obj-3 >= 0.9", "is not a percentage"),
        ("obj-3 >= 101%", "from 0% to 100%"),
        (
            "obj-9 >= 90%",
            "no objective \"obj-9\"; the scenario's objectives are obj-1, obj-2, obj-3",
        ),
    ] {
        let output = clean()
            .args([
                "sweep",
                "scenarios/ducksends.ron",
                "--seeds",
                "3",
                "--expect",
                expect,
            ])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{expect}: {}",
            stderr_of(&output)
        );
        assert!(
            stderr_of(&output).contains(says),
            "{expect}: {}",
            stderr_of(&output)
        );
    }
}

/// An expectation written in the scenario (`Objective.expect`) is judged as the same
/// `--expect` would be, by the sweep and, carried by the shards, by `merge-sweeps`.
#[test]
fn expectations_written_in_the_scenario_are_judged_and_carried_by_shards() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::repo_path("scenarios/ducksends.ron")).unwrap();
    // obj-3: "Every financial entity knows the phishing domain within 12 h …", met in
    // about a quarter of runs with the baseline intake.
    let anchor = "id: \"obj-3\",";
    assert!(text.contains(anchor));
    let edited = text.replacen(anchor, "id: \"obj-3\", expect: Some(AtLeast(90)),", 1);
    let file = dir.path().join("ducksends-expect.ron");
    std::fs::write(&file, edited).unwrap();
    let file = file.to_str().unwrap();
    let written = clean()
        .args(["sweep", file, "--seeds", "30"])
        .output()
        .unwrap();
    assert_eq!(written.status.code(), Some(3), "{}", stderr_of(&written));
    let out = String::from_utf8(written.stdout.clone()).unwrap();
    assert!(
        verdict_line(&out, "obj-3 >= 90%").contains(" fail "),
        "{out}"
    );
    // Exactly what the same expectation on the command line gives.
    let given = clean()
        .args(["sweep", "scenarios/ducksends.ron", "--seeds", "30"])
        .args(["--expect", "obj-3 >= 90%"])
        .output()
        .unwrap();
    assert_eq!(given.status.code(), Some(3));
    assert_eq!(written.stdout, given.stdout);
    // Shards carry it: the merge judges it without the scenario file.
    let mut shards = Vec::new();
    for k in 1..=2 {
        let path = dir.path().join(format!("{k}.jsonl"));
        let output = clean()
            .args([
                "sweep",
                file,
                "--seeds",
                "30",
                "--shard",
                &format!("{k}/2"),
                "-o",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        shards.push(path.to_str().unwrap().to_owned());
    }
    let merged = merge(&[&shards[0], &shards[1]]);
    assert_eq!(merged.status.code(), Some(3));
    assert_eq!(merged.stdout, written.stdout);
}
