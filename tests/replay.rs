//! Sessions: recorded as they go, replayed bit for bit, resumed after a crash, and every
//! divergence caught.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::path::Path;
use std::process::Output;

use common::{ducksends, journal_bytes, played, repo_path, tabletop};
use tabletop::session::{Recorder, load, rebuild, replay, verify};
use tabletop::sim::Command as SimCommand;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr:\n{}",
        text(&output.stderr)
    );
}

const SCRIPT: &str = "\
// a facilitator's script in the session record format
Command(at: 30, seq: 0, command: SkipInject(inject: \"helpdesk-tip\"))
Command(at: 600, seq: 1, command: Observe(author: \"facilitator\", text: \"on-call answered\"))
Command(at: 1500, seq: 2, command: FireInject(inject: \"zilverbank-email-down\"))
";

#[test]
fn a_recorded_session_replays_to_the_same_journal_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (session, script) = (dir.path().join("s.ron"), dir.path().join("script.ron"));
    std::fs::write(&script, SCRIPT).unwrap();
    let (live, replayed) = (
        dir.path().join("live.jsonl"),
        dir.path().join("replayed.jsonl"),
    );
    ok(&tabletop()
        .args(["run", "scenarios/ducksends.ron", "--seed", "9", "--session"])
        .arg(&session)
        .arg("--commands")
        .arg(&script)
        .arg("--journal")
        .arg(&live)
        .output()
        .unwrap());
    let output = tabletop()
        .arg("replay")
        .arg(&session)
        .arg("--journal")
        .arg(&replayed)
        .output()
        .unwrap();
    ok(&output);
    assert!(
        text(&output.stderr).contains("3 commands replayed"),
        "{}",
        text(&output.stderr)
    );
    let (live, replayed) = (
        std::fs::read(live).unwrap(),
        std::fs::read(replayed).unwrap(),
    );
    assert_eq!(live, replayed);
    assert!(text(&live).contains("on-call answered"));
    // Every line is one record; checksums sit in fields named `checksum…`.
    let recorded = std::fs::read_to_string(&session).unwrap();
    assert!(recorded.lines().next().unwrap().starts_with("Header("));
    assert_eq!(
        recorded
            .lines()
            .filter(|l| l.starts_with("Checkpoint("))
            .count(),
        120
    );
    assert!(recorded.lines().last().unwrap().contains("checksum_final"));
}

#[test]
fn the_library_records_and_replays_the_same_story() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.ron");
    let scenario = ducksends();
    let mut recorder = Recorder::start(&path, "scenarios/ducksends.ron", &scenario, 4).unwrap();
    recorder.advance_to(400).unwrap();
    recorder
        .submit(
            420,
            SimCommand::SkipInject {
                inject: "journalist-call".into(),
            },
        )
        .unwrap();
    recorder.run_to_end().unwrap();
    let live = recorder.into_simulation();
    let session = load(&path).unwrap();
    let replayed = replay(&session, &scenario).unwrap();
    assert!(replayed.finished);
    assert_eq!(replayed.verified, 120);
    assert_eq!(journal_bytes(&live), journal_bytes(&replayed.sim));
    assert_ne!(
        journal_bytes(&live),
        journal_bytes(&played(&scenario, 4)),
        "the command changed the story"
    );
}

/// A session recorded by an earlier main (tests/fixtures/README.md) replays with today's
/// build to the journal that build wrote, byte for byte: new scenario fields, commands and
/// events must leave old recordings alone. Engines 5 and 6 changed the state checksums
/// and not one journal byte, so the engine 6 session replays to the journal engine 4 wrote.
#[test]
fn a_session_recorded_by_an_earlier_main_replays_to_its_journal_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    let output = tabletop()
        .arg("replay")
        .arg(repo_path("tests/fixtures/session-engine6.ron"))
        .arg("--scenario")
        .arg(repo_path("tests/fixtures/ducksends-c417d4b.ron"))
        .arg("--journal")
        .arg(&journal)
        .output()
        .unwrap();
    ok(&output);
    let recorded = std::fs::read(repo_path("tests/fixtures/journal-c417d4b.jsonl")).unwrap();
    assert!(
        std::fs::read(&journal).unwrap() == recorded,
        "the replayed journal differs from the one the earlier build wrote"
    );
    // Opened from elsewhere without --scenario: the scenario recorded as a relative path is
    // found beside the session, as when a session folder is handed on.
    let output = tabletop()
        .current_dir(dir.path())
        .arg("replay")
        .arg(repo_path("tests/fixtures/session-engine6.ron"))
        .output()
        .unwrap();
    ok(&output);
}

/// The sessions engines 4 and 5 recorded are refused by name, not reported as diverging
/// at their first checkpoint: their checksums were taken the way those engines took them.
#[test]
fn sessions_recorded_by_engines_4_and_5_are_refused_by_name() {
    for (fixture, engine) in [("session-c417d4b.ron", 4), ("session-engine5.ron", 5)] {
        let output = tabletop()
            .arg("replay")
            .arg(repo_path(&format!("tests/fixtures/{fixture}")))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{fixture}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("recorded by simulation version {engine}"))
                && stderr.contains("this tabletop plays version 6")
                && stderr.contains(&format!(
                    "replay it with a tabletop build that plays version {engine}"
                ))
                && !stderr.contains("diverged"),
            "{fixture}: {stderr}"
        );
    }
}

fn record(dir: &Path, name: &str, seed: &str) -> std::path::PathBuf {
    let session = dir.join(name);
    ok(&tabletop()
        .args([
            "run",
            "scenarios/ducksends.ron",
            "--seed",
            seed,
            "--session",
        ])
        .arg(&session)
        .output()
        .unwrap());
    session
}

#[test]
fn a_tampered_checksum_fails_replay_with_exit_1_naming_time_and_both_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let session = record(dir.path(), "t.ron", "2");
    // An unchained session (format 1, as recorded before chains): only the checksums
    // stand between a forgery and the review.
    let original = common::unchained(&std::fs::read_to_string(&session).unwrap());
    let lines: Vec<&str> = original.lines().collect();
    // A checkpoint whose state differs from the hour before, so the forgery is the first difference.
    let index = (10..lines.len())
        .find(|i| {
            lines[*i].starts_with("Checkpoint(")
                && lines[*i][lines[*i].find('"').unwrap()..]
                    != lines[*i - 1][lines[*i - 1].find('"').unwrap_or(0)..]
        })
        .unwrap();
    let line = lines[index];
    let t: i64 = line["Checkpoint(t:".len()..line.find(',').unwrap()]
        .parse()
        .unwrap();
    let recorded = line.split('"').nth(1).unwrap().to_owned();
    let forged = format!(
        "{}{}",
        if recorded.starts_with('0') { "1" } else { "0" },
        &recorded[1..]
    );
    // Only this line: idle hours share their checksum with the hours around them.
    std::fs::write(
        &session,
        original.replacen(line, &line.replace(&recorded, &forged), 1),
    )
    .unwrap();
    let output = tabletop().arg("replay").arg(&session).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "diverged at {} ({t})",
            tabletop::scenario::time::format_offset(t)
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&forged) && stderr.contains(&recorded),
        "{stderr}"
    );
}

#[test]
fn a_desync_introduced_mid_run_is_caught_at_the_next_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let session = record(dir.path(), "d.ron", "6");
    let loaded = load(&session).unwrap();
    let scenario = ducksends();
    // Honest replay verifies everything...
    let mut sim = rebuild(&loaded, &scenario).unwrap();
    assert_eq!(verify(&mut sim, &loaded.checkpoints), Ok(120));
    // ...but a world that quietly diverges at T+10h30m is caught at T+11h, not later.
    let mut sim = rebuild(&loaded, &scenario).unwrap();
    sim.advance_to(630);
    sim.desync_for_tests();
    let divergence = verify(&mut sim, &loaded.checkpoints).unwrap_err();
    assert_eq!(divergence.t, 660);
    assert_ne!(divergence.recorded, divergence.replayed);
}

#[test]
fn a_cut_off_last_line_is_ignored_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let session = record(dir.path(), "c.ron", "8");
    let full = std::fs::read_to_string(&session).unwrap();
    let cut = full.find("Checkpoint(t:3000,").unwrap() + 25;
    std::fs::write(&session, &full[..cut]).unwrap();
    let output = tabletop().arg("replay").arg(&session).output().unwrap();
    ok(&output);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("cut off"),
        "{stderr}"
    );
    assert!(stderr.contains("49 checksums verified"), "{stderr}");
}

#[test]
fn a_killed_recording_resumes_to_the_same_journal_and_session_as_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.ron");
    std::fs::write(&script, SCRIPT).unwrap();
    let run = |session: &Path, pace: &str| {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("tabletop"));
        cmd.current_dir(repo_path("."))
            .args([
                "run",
                "scenarios/ducksends.ron",
                "--seed",
                "12",
                "--pace",
                pace,
                "--session",
            ])
            .arg(session)
            .arg("--commands")
            .arg(&script)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd
    };
    // Uninterrupted reference.
    let whole = dir.path().join("whole.ron");
    assert!(run(&whole, "3600000").status().unwrap().success());
    // 120 simulated hours at 0.02 s each: killed with SIGKILL part-way.
    let killed = dir.path().join("killed.ron");
    let mut child = run(&killed, "180000").spawn().unwrap();
    // Kill it once it has recorded some hours (polling, so a slow machine is no problem).
    for _ in 0..500 {
        let recorded = std::fs::read_to_string(&killed).unwrap_or_default();
        if recorded
            .lines()
            .filter(|l| l.starts_with("Checkpoint("))
            .count()
            >= 20
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let cut = load(&killed).unwrap();
    assert!(
        cut.end.is_none(),
        "the run should have been killed before the end"
    );
    assert!(
        !cut.checkpoints.is_empty(),
        "the run should have recorded some hours"
    );
    assert_eq!(
        cut.commands.len(),
        3,
        "commands given before the crash are not lost"
    );
    let output = tabletop().arg("resume").arg(&killed).output().unwrap();
    ok(&output);
    assert_eq!(
        std::fs::read(&whole).unwrap(),
        std::fs::read(&killed).unwrap(),
        "resumed session file"
    );
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    ok(&tabletop()
        .arg("replay")
        .arg(&whole)
        .arg("--journal")
        .arg(&a)
        .output()
        .unwrap());
    ok(&tabletop()
        .arg("replay")
        .arg(&killed)
        .arg("--journal")
        .arg(&b)
        .output()
        .unwrap());
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn wrong_scenario_newer_format_and_missing_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let session = record(dir.path(), "w.ron", "1");
    // A scenario whose content changed since the recording.
    let changed = dir.path().join("changed.ron");
    let original = std::fs::read_to_string(repo_path("scenarios/ducksends.ron")).unwrap();
    std::fs::write(&changed, original.replacen("analysts: 3", "analysts: 4", 1)).unwrap();
    let output = tabletop()
        .arg("replay")
        .arg(&session)
        .arg("--scenario")
        .arg(&changed)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("digest"),
        "{}",
        text(&output.stderr)
    );
    // A missing scenario file.
    let output = tabletop()
        .arg("replay")
        .arg(&session)
        .arg("--scenario")
        .arg(dir.path().join("gone.ron"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("gone.ron"));
    // A session from a newer tabletop.
    let newer = dir.path().join("newer.ron");
    let recorded = std::fs::read_to_string(&session).unwrap();
    assert!(recorded.contains("format:2,"));
    std::fs::write(&newer, recorded.replacen("format:2,", "format:7,", 1)).unwrap();
    let output = tabletop().arg("replay").arg(&newer).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("newer"),
        "{}",
        text(&output.stderr)
    );
    // Not a session at all, and no file.
    for bad in [
        repo_path("scenarios/ducksends.ron"),
        dir.path().join("none.ron"),
    ] {
        let output = tabletop().arg("replay").arg(&bad).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
        assert!(!text(&output.stderr).contains("panicked"));
    }
    // Recording over an existing session is refused.
    let output = tabletop()
        .args(["run", "scenarios/ducksends.ron", "--session"])
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("already exists"));
}
