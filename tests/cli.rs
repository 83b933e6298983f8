//! The `tabletop` command line end to end: what a user types, what they see, exit codes.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::tabletop;

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn validate_accepts_the_shipped_scenarios() {
    let output = tabletop()
        .args(["validate", "scenarios/ducksends.ron"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("scenarios/ducksends.ron: ok"));
}

#[test]
fn validate_reports_every_problem_with_file_line_col_and_exit_1() {
    let output = tabletop()
        .args([
            "validate",
            "scenarios/ducksends.ron",
            "tests/broken/several_semantic.ron",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    let located = stderr
        .lines()
        .filter(|l| l.starts_with("tests/broken/several_semantic.ron:"))
        .count();
    assert!(located >= 3, "expected several located problems:\n{stderr}");
}

#[test]
fn run_prints_a_summary_and_writes_the_same_journal_bytes_twice() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    for path in [&a, &b] {
        let output = tabletop()
            .args([
                "run",
                "scenarios/ducksends.ron",
                "--seed",
                "42",
                "--journal",
            ])
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        let stdout = String::from_utf8_lossy(&output.stdout);
        for section in [
            "Timeline",
            "Incidents",
            "Reports",
            "CSIRT desks",
            "Objectives",
            "Fri 16:30",
        ] {
            assert!(
                stdout.contains(section),
                "summary lacks {section}:\n{stdout}"
            );
        }
    }
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    assert_eq!(a, b);
    let first = String::from_utf8(a).unwrap();
    let line: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(line["kind"], "exercise_started");
    assert_eq!(line["t"], 0);
}

#[test]
fn until_stops_early() {
    let output = tabletop()
        .args(["run", "scenarios/ducksends.ron", "--until", "6h"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("played to T+6h"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["run", "scenarios/ducksends.ron", "--seed", "-1"],
        vec!["run", "scenarios/ducksends.ron", "--until", "banana"],
        vec!["run", "scenarios/ducksends.ron", "--seed", "12x"],
        vec!["run"],
        vec!["frobnicate"],
        vec!["generate", "--entities", "0", "-o", "x.ron"],
        vec![],
    ] {
        // Without a display, no command means usage (with one, the app would open).
        let output = tabletop()
            .args(&args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr_of(&output)
        );
        assert!(!stderr_of(&output).contains("panicked"));
    }
}

#[test]
fn bad_files_exit_1_with_a_clear_message_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let huge_string = format!(
        "Scenario(version: 1, name: \"{}\")",
        "x".repeat(5 * 1024 * 1024)
    );
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (write("empty.ron", b""), "empty"),
        (
            write("junk.ron", &[0u8, 159, 146, 150, 7, 255, 1, 2]),
            "UTF-8",
        ),
        (write("json.ron", br#"{"version": 1, "name": "x"}"#), "JSON"),
        (write("deep.ron", "[".repeat(200_000).as_bytes()), ":1:"),
        (
            write(
                "deep2.ron",
                format!("Scenario(version: 1, summary: {}", "(".repeat(200_000)).as_bytes(),
            ),
            ":1:",
        ),
        (write("huge.ron", huge_string.as_bytes()), "missing"),
        (write("latin1.ron", b"Scenario(name: \"Caf\xe9\")"), "UTF-8"),
        (dir.path().to_path_buf(), "directory"),
        (dir.path().join("missing.ron"), "cannot read"),
    ];
    for (path, expected) in cases {
        for command in ["validate", "run"] {
            let output = tabletop().arg(command).arg(&path).output().unwrap();
            let stderr = stderr_of(&output);
            assert_eq!(
                output.status.code(),
                Some(1),
                "{command} {}: {stderr}",
                path.display()
            );
            assert!(
                stderr.contains(expected),
                "{command} {}: expected {expected:?} in\n{stderr}",
                path.display()
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn gui_without_a_display_checks_the_scenario_first() {
    let gui = |file: &str| {
        tabletop()
            .args(["gui", file])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap()
    };
    // A broken scenario is reported as one, with every problem.
    let output = gui("tests/broken/roles_and_questions.ron");
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("roles_and_questions.ron:71:56: roles[0].actor: no actor \"soc\"")
            && stderr.contains("7 problems"),
        "{stderr}"
    );
    // A good one: the missing display is the problem, with the headless way out.
    let output = gui("scenarios/ducksends.ron");
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no display") && stderr.contains("tabletop run FILE"),
        "{stderr}"
    );
}

#[test]
fn the_readmes_scripted_commands_play() {
    // The README's example of scripted commands is kept true: it plays, and the players'
    // answer and actions show in the summary.
    let readme = std::fs::read_to_string(common::repo_path("README.md")).unwrap();
    let section = readme
        .split("## Scripted commands")
        .nth(1)
        .expect("README has a Scripted commands section");
    let block = section
        .split("```ron\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("with a ron block");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.ron");
    std::fs::write(&script, block).unwrap();
    let output = tabletop()
        .args([
            "run",
            "scenarios/ducksends.ron",
            "--seed",
            "3",
            "--commands",
        ])
        .arg(&script)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    for expected in [
        "decision helpdesk-tip: investigate (by ciso)",
        "player ncsc-duty: raised National CSIRT (NL)'s crisis level to alert",
        "player ciso: shared 1 indicator with fin-csirt",
        "ciso writes to exercise control: We call the regulator",
        "exercise control (Bob) writes to ciso: The regulator's line is busy",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in\n{stdout}");
    }
}

/// Issue 16: an objective whose trigger never happened settles as "not triggered" with its
/// reason, in the summary of a finished run; a run stopped early calls it pending and says
/// what it waits for.
#[test]
fn objectives_whose_trigger_never_happened_read_not_triggered() {
    let run = |extra: &[&str]| {
        let output = tabletop()
            .args(["run", "scenarios/ducksends.ron", "--seed", "1"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let ended = run(&[]);
    // The objectives section, not the timeline (which also names each objective).
    let line = |text: &str, id: &str| {
        let text = text.split_once("\nObjectives\n").map_or(text, |(_, o)| o);
        text.lines()
            .position(|l| l.split_whitespace().any(|w| w == id) && l.starts_with("  "))
            .map(|at| text.lines().skip(at).take(2).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default()
    };
    let obj7 = line(&ended, "obj-7");
    assert!(obj7.starts_with("  NOT TRIGGERED"), "{obj7}");
    assert!(
        ended.contains(
            "objective obj-7 NOT TRIGGERED: it waited for Tulip Cloud detects an incident"
        ),
        "the journal says so too:\n{ended}"
    );
    assert!(
        obj7.contains("its trigger never happened: Tulip Cloud detects an incident"),
        "{obj7}"
    );
    assert!(
        !ended.contains("PENDING"),
        "a finished run has nothing pending:\n{ended}"
    );

    let early = run(&["--until", "2h"]);
    let obj7 = line(&early, "obj-7");
    assert!(obj7.starts_with("  PENDING"), "{obj7}");
    assert!(
        obj7.contains("waiting for: Tulip Cloud detects an incident"),
        "{obj7}"
    );
}

#[test]
fn validate_warns_about_what_can_never_happen_and_still_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::repo_path("scenarios/ducksends.ron")).unwrap();
    // Polder is never reached by the campaign: a tip there can never land, a guard that it
    // was compromised can never hold, an objective started by its encryption never starts.
    let tip = r#"Tip(entity: "polder", campaign: "molting", chance_percent: 40)"#;
    let guard = r#"only_if: [Compromised(entity: "polder")],"#;
    let objective = r#"check: Deadline(after: Impact(at: Entity("polder"), effect: Encryption), expected: Detected(Entity("polder")), within: "1h"),"#;
    let edited = text
        .replacen(
            r#"Tip(entity: "ducksends", campaign: "molting", chance_percent: 40)"#,
            tip,
            1,
        )
        .replacen("only_if: [Hit(effect: Encryption)],", guard, 1)
        .replacen(
            "check: Absence(Impact(at: Sector(Finance), effect: Encryption)),",
            objective,
            1,
        );
    let path = dir.path().join("never.ron");
    std::fs::write(&path, &edited).unwrap();
    let output = tabletop().arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Each warning names the file, the line and column of the item, and says what never happens.
    let at = |needle: &str| {
        let (n, line) = edited
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        format!(
            "{}:{}:{}: warning: ",
            path.display(),
            n + 1,
            line.find(needle).unwrap() + 1
        )
    };
    for (needle, says) in [
        (
            tip,
            "this tip can never land: campaign \"molting\" never reaches \"polder\"",
        ),
        (
            r#"Compromised(entity: "polder")"#,
            "this guard can never hold, so the inject never fires",
        ),
        (
            r#"Deadline(after: Impact(at: Entity("polder")"#,
            "this objective can never be decided",
        ),
    ] {
        let expected = at(needle);
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&expected))
            .unwrap_or_else(|| panic!("no warning at {expected}:\n{stdout}"));
        assert!(line.contains(says), "{line}");
    }
    assert!(stdout.contains(": 3 warnings"), "{stdout}");
    // The shipped scenario itself has nothing that can never happen.
    let shipped = tabletop()
        .args(["validate", "scenarios/ducksends.ron"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&shipped.stdout).contains("warning"));
}

/// Issue 20: one size limit for every data file, one flag to raise it, and `generate` says
/// how to open a file over it.
#[test]
fn one_file_size_limit_one_flag_and_generate_says_how_to_open_a_large_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.ron");
    let output = tabletop()
        .args([
            "--max-file-size",
            "100K",
            "generate",
            "--entities",
            "300",
            "--days",
            "2",
            "-o",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let note = stderr_of(&output);
    assert!(
        note.contains("over the 100K limit every reader applies; open it with --max-file-size"),
        "{note}"
    );
    let validate = |limit: &str| {
        tabletop()
            .arg("validate")
            .arg(&file)
            .args(["--max-file-size", limit])
            .output()
            .unwrap()
    };
    let refused = validate("100K");
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr_of(&refused).contains("larger than the 100K limit for a scenario file (.ron); if you trust it, raise the limit with --max-file-size"),
        "{}",
        stderr_of(&refused)
    );
    assert_eq!(validate("1M").status.code(), Some(0));
    // Sessions obey the same limit.
    let session = dir.path().join("s.ron");
    let played = tabletop()
        .args(["run", "scenarios/ducksends.ron", "--session"])
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(played.status.code(), Some(0), "{}", stderr_of(&played));
    let replay = tabletop()
        .args(["replay", "--max-file-size", "1K"])
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(replay.status.code(), Some(1));
    assert!(stderr_of(&replay).contains("larger than the 1K limit for a session file"));
    // A size that is not one is a usage error.
    assert_eq!(validate("lots").status.code(), Some(2));
}

/// A session given where a scenario is expected says what it is and what reads it.
#[test]
fn a_session_given_as_a_scenario_says_to_replay_it() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s.ron");
    let played = tabletop()
        .args([
            "run",
            "scenarios/ducksends.ron",
            "--until",
            "1h",
            "--session",
        ])
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(played.status.code(), Some(0), "{}", stderr_of(&played));
    let output = tabletop().arg("run").arg(&session).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(":1:1: this is a recorded session, not a scenario; replay it with `tabletop replay FILE`"),
        "{stderr}"
    );
}

#[test]
fn a_scenario_given_where_a_session_is_expected_says_what_it_is() {
    for args in [
        &["replay", "scenarios/ducksends.ron"][..],
        &[
            "export",
            "scenarios/cvd.ron",
            "--as",
            "misp",
            "-o",
            "target/never.json",
        ][..],
        &["report", "scenarios/crisis.ron", "-o", "target/never.html"][..],
    ] {
        let output = tabletop().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains(":1:1: this is a scenario, not a recorded session"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn the_reports_list_keeps_its_columns_whatever_the_ids() {
    // A counted group's id ("payflow-customers") and long times ("T+3d 11h 27m") used to
    // push the later columns out of line.
    let output = tabletop()
        .args(["run", "scenarios/file-transfer.ron", "--seed", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "Reports")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(
        lines.iter().any(|l| l.contains("payflow-customers")),
        "{stdout}"
    );
    for column in ["→", " due ", " sent "] {
        let at: Vec<usize> = lines
            .iter()
            .filter_map(|l| l.find(column).map(|i| l[..i].chars().count()))
            .collect();
        assert!(at.len() > 1, "{column}: {lines:?}");
        assert!(
            at.iter().all(|&i| i == at[0]),
            "{column} not aligned: {lines:#?}"
        );
    }
}

/// Issue 20: `generate --idle` adds organisations the story never reaches; the run plays
/// as many events as without them, and the file says how to make it again.
#[test]
fn generate_idle_adds_organisations_that_cost_no_events() {
    let dir = tempfile::tempdir().unwrap();
    let events = |idle: &str| {
        let file = dir.path().join(format!("g{idle}.ron"));
        let made = tabletop()
            .args([
                "generate",
                "--entities",
                "300",
                "--days",
                "5",
                "--idle",
                idle,
                "-o",
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(made.status.code(), Some(0), "{}", stderr_of(&made));
        let text = std::fs::read_to_string(&file).unwrap();
        let played = tabletop().arg("run").arg(&file).output().unwrap();
        assert_eq!(played.status.code(), Some(0), "{}", stderr_of(&played));
        let summary = String::from_utf8_lossy(&played.stdout).into_owned();
        let last = summary.lines().last().unwrap_or_default().to_owned();
        (
            text,
            last.split(" journal events")
                .next()
                .unwrap_or_default()
                .to_owned(),
        )
    };
    let (plain, alone) = events("0");
    let (watched, with_idle) = events("2000");
    assert!(
        plain.contains("--entities 300 --days 5 --seed 0\n"),
        "{}",
        &plain[..200]
    );
    assert!(watched.contains("--entities 300 --days 5 --seed 0 --idle 2000\n"));
    assert!(watched.contains("National CSIRT (Poland), observing"));
    assert!(
        watched.matches("Organisation(").count() >= 2_300,
        "2,300 organisations"
    );
    assert!(!alone.is_empty());
    assert_eq!(alone, with_idle, "the same number of journal events");
}
