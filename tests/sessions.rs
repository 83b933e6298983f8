//! Sessions that cannot be edited unseen, and session inputs that cannot take the machine
//! down: the chain catches any single-byte change; checkpoints must be the hours the
//! recording reached; command numbers never go back; one writer per session; special files
//! are refused instead of read forever.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::tabletop;
use tabletop::session;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn exit(output: &Output) -> Option<i32> {
    output.status.code()
}

const SCRIPT: &str = r#"Command(at: 30, seq: 0, command: Observe(author: "facilitator", text: "the CISO hesitates"))
Command(at: 60, seq: 1, command: FireInject(inject: "helpdesk-tip"))
Command(at: 90, seq: 2, command: Rate(objective: "obj-1", rating: SomeChallenges, evaluator: "eva", comment: "late but right"))
"#;

const ANSWERS: &str = r#"[Answer(participant: "Nessie", role: "ciso", question: "What went well?", answer: "the call tree")]"#;

/// Records DuckSends to T+4h with an observation, a fired inject and a rating, then adds a
/// hot-wash answer: every kind of record.
fn recorded(dir: &Path) -> PathBuf {
    let script = dir.join("script.ron");
    std::fs::write(&script, SCRIPT).unwrap();
    let session = dir.join("s.ron");
    let output = tabletop()
        .args([
            "run",
            "scenarios/ducksends.ron",
            "--seed",
            "3",
            "--until",
            "4h",
        ])
        .arg("--commands")
        .arg(&script)
        .arg("--session")
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
    let answers = dir.join("answers.ron");
    std::fs::write(&answers, ANSWERS).unwrap();
    let output = tabletop()
        .arg("feedback")
        .arg(&session)
        .arg("--file")
        .arg(&answers)
        .output()
        .unwrap();
    assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
    session
}

fn replay(session: &Path) -> Output {
    tabletop()
        .arg("replay")
        .arg(session)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

#[test]
fn any_single_byte_change_to_any_line_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let original = std::fs::read(&session).unwrap();
    let output = replay(&session);
    assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("chained: all"),
        "{}",
        text(&output.stderr)
    );
    let kinds = ["Header(", "Command(", "Checkpoint(", "Hotwash("];
    for kind in kinds {
        assert!(
            text(&original).lines().any(|l| l.starts_with(kind)),
            "the session holds a {kind} record"
        );
    }
    // Every byte, two ways: the library's loader (fast) sees every change...
    let changed = dir.path().join("changed.ron");
    for i in 0..original.len() {
        for flip in [0x01u8, 0x20] {
            let mut bytes = original.clone();
            bytes[i] ^= flip;
            std::fs::write(&changed, &bytes).unwrap();
            assert!(
                session::load(&changed).is_err(),
                "byte {i} ^ {flip:#x} went unseen ({:?})",
                text(&bytes[i.saturating_sub(20)..(i + 20).min(bytes.len())])
            );
        }
    }
    // ...and `replay` exits 1 naming the line, for a change on every line.
    let mut start = 0;
    for (number, line) in text(&original).lines().enumerate() {
        let mut bytes = original.clone();
        bytes[start + line.len() / 2] ^= 0x01;
        std::fs::write(&changed, &bytes).unwrap();
        let output = replay(&changed);
        assert_eq!(exit(&output), Some(1), "line {}", number + 1);
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&format!("changed.ron:{}:", number + 1))
                && !stderr.contains("panicked"),
            "line {}: {stderr}",
            number + 1
        );
        start += line.len() + 1;
    }
}

#[test]
fn an_edited_observation_or_rating_is_refused_by_replay_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let original = std::fs::read_to_string(&session).unwrap();
    for (from, to) in [
        ("the CISO hesitates", "the CISO acted at once"),
        ("SomeChallenges", "Performed"),
        ("\"eva\"", "\"bob\""),
        ("the call tree", "everything"),
    ] {
        std::fs::write(&session, original.replacen(from, to, 1)).unwrap();
        let output = replay(&session);
        assert_eq!(exit(&output), Some(1), "{from} → {to}");
        assert!(text(&output.stderr).contains("the chain breaks here"));
        let output = tabletop()
            .arg("report")
            .arg(&session)
            .arg("-o")
            .arg(dir.path().join("r.md"))
            .output()
            .unwrap();
        assert_eq!(
            exit(&output),
            Some(1),
            "{from} → {to}: the report refuses it"
        );
    }
    // Lines removed, inserted or moved.
    let lines: Vec<&str> = original.lines().collect();
    let mut removed = lines.clone();
    removed.remove(3);
    let mut moved = lines.clone();
    moved.swap(2, 3);
    let mut inserted = lines.clone();
    inserted.insert(4, lines[4]);
    for edited in [removed, moved, inserted] {
        std::fs::write(&session, edited.join("\n") + "\n").unwrap();
        assert_eq!(exit(&replay(&session)), Some(1));
    }
}

#[test]
fn an_unchained_session_replays_and_says_it_is_unchained() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let old = dir.path().join("old.ron");
    std::fs::write(
        &old,
        common::unchained(&std::fs::read_to_string(&session).unwrap()),
    )
    .unwrap();
    let output = replay(&old);
    assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("unchained"));
    let report = dir.path().join("r.md");
    let output = tabletop()
        .arg("report")
        .arg(&old)
        .arg("-o")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("| Integrity | unchained")
    );
}

#[test]
fn checkpoints_are_the_hours_the_recording_reached_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let old = common::unchained(&std::fs::read_to_string(&session).unwrap());
    let lines: Vec<String> = old.lines().map(str::to_owned).collect();
    let checkpoints: Vec<usize> = (0..lines.len())
        .filter(|i| lines[*i].starts_with("Checkpoint("))
        .collect();
    let (first, second) = (checkpoints[0], checkpoints[1]);
    let write = |name: &str, lines: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    };
    let mut duplicated = lines.clone();
    duplicated.insert(second, lines[first].clone());
    let mut swapped = lines.clone();
    swapped.swap(first, second);
    let mut deleted = lines.clone();
    deleted.remove(first);
    // More checkpoints than the exercise has hours (its last record moved past the end).
    let mut beyond = lines.clone();
    let last = lines[*checkpoints.last().unwrap()].clone();
    let hours = checkpoints.len();
    for hour in hours + 1..=hours + 200 {
        let t = i64::try_from(hour).unwrap() * 60;
        let previous = format!("Checkpoint(t:{},", hours * 60);
        beyond.push(last.replacen(&previous, &format!("Checkpoint(t:{t},"), 1));
    }
    for (name, edited) in [
        ("duplicated.ron", duplicated),
        ("swapped.ron", swapped),
        ("deleted.ron", deleted),
        ("beyond.ron", beyond),
    ] {
        let path = write(name, &edited);
        let output = replay(&path);
        assert_eq!(exit(&output), Some(1), "{name}: {}", text(&output.stderr));
        let stderr = text(&output.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("verified"),
            "{name}: {stderr}"
        );
        let output = tabletop()
            .arg("resume")
            .arg(&path)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(exit(&output), Some(1), "{name}: {}", text(&output.stderr));
        assert!(!text(&output.stderr).contains("panicked"), "{name}");
    }
}

#[test]
fn command_numbers_never_go_back() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let old = common::unchained(&std::fs::read_to_string(&session).unwrap());
    let path = dir.path().join("seq.ron");
    std::fs::write(&path, old.replacen("seq:1,", "seq:0,", 1)).unwrap();
    let output = replay(&path);
    assert_eq!(exit(&output), Some(1));
    assert!(
        text(&output.stderr).contains("command #0 after #0"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn one_writer_per_session() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, _) =
        tabletop::scenario::load_path(&common::repo_path("scenarios/ducksends.ron")).unwrap();
    let path = dir.path().join("live.ron");
    let mut recorder =
        session::Recorder::start(&path, "scenarios/ducksends.ron", &scenario, 1).unwrap();
    recorder.advance_to(90).unwrap();
    let before = std::fs::read(&path).unwrap();
    // Feedback while it is recorded, and a second resume, are refused.
    let answers = dir.path().join("answers.ron");
    std::fs::write(&answers, ANSWERS).unwrap();
    let output = tabletop()
        .arg("feedback")
        .arg(&path)
        .arg("--file")
        .arg(&answers)
        .output()
        .unwrap();
    assert_eq!(exit(&output), Some(1));
    assert!(
        text(&output.stderr).contains("another tabletop is writing this session"),
        "{}",
        text(&output.stderr)
    );
    let output = tabletop().arg("resume").arg(&path).output().unwrap();
    assert_eq!(exit(&output), Some(1));
    assert!(text(&output.stderr).contains("another tabletop is writing this session"));
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");
    // Once the first writer is gone, the session can be continued.
    drop(recorder);
    let output = tabletop().arg("resume").arg(&path).output().unwrap();
    assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
}

#[test]
fn special_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.ron");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let fifo = made.is_ok_and(|s| s.success()).then_some(fifo);
    let session = recorded(dir.path());
    let mut cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["replay".into(), "/dev/zero".into()],
        vec![
            "report".into(),
            "/dev/zero".into(),
            "-o".into(),
            dir.path().join("r.md").into(),
        ],
        vec!["merge-sweeps".into(), "/dev/zero".into()],
        vec!["validate".into(), "/dev/zero".into()],
        vec![
            "feedback".into(),
            session.clone().into(),
            "--file".into(),
            "/dev/zero".into(),
        ],
    ];
    if let Some(fifo) = &fifo {
        cases.push(vec!["validate".into(), fifo.clone().into()]);
        cases.push(vec!["replay".into(), fifo.clone().into()]);
        cases.push(vec![
            "run".into(),
            "scenarios/ducksends.ron".into(),
            "--commands".into(),
            fifo.clone().into(),
        ]);
    } else {
        eprintln!("skipped the FIFO cases: mkfifo is not available");
    }
    for args in cases {
        let output = tabletop()
            .args(&args)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(exit(&output), Some(1), "{args:?}: {}", text(&output.stderr));
        assert!(
            text(&output.stderr).contains("not a regular file"),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
}

#[test]
fn deceptive_text_reaches_the_report_visible_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.ron");
    std::fs::write(
        &script,
        "Command(at: 30, seq: 0, command: Observe(author: \"eva\u{202E}lanoitan\", text: \"see invoice\u{202E}fdp.exe\u{7}\"))\n",
    )
    .unwrap();
    let session = dir.path().join("s.ron");
    let output = tabletop()
        .args(["run", "scenarios/ducksends.ron", "--until", "2h"])
        .arg("--commands")
        .arg(&script)
        .arg("--session")
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
    for name in ["r.md", "r.html"] {
        let out = dir.path().join(name);
        let output = tabletop()
            .arg("report")
            .arg(&session)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(exit(&output), Some(0), "{}", text(&output.stderr));
        let report = std::fs::read_to_string(&out).unwrap();
        assert!(
            !report.contains('\u{202E}') && !report.contains('\u{7}'),
            "{name}"
        );
        assert!(report.contains("invoice[U+202E]fdp.exe[U+0007]"), "{name}");
    }
}

#[test]
fn a_session_from_another_simulation_version_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let recorded = std::fs::read_to_string(&session).unwrap();
    // A session of the version before this one.
    let current = tabletop::sim::ENGINE_VERSION;
    let ours = format!("engine:{current})");
    assert!(recorded.lines().next().unwrap().contains(&ours));
    let other = dir.path().join("other.ron");
    let older = format!("engine:{})", current - 1);
    std::fs::write(
        &other,
        common::unchained(&recorded).replacen(&ours, &older, 1),
    )
    .unwrap();
    for command in ["replay", "resume"] {
        let output = tabletop().arg(command).arg(&other).output().unwrap();
        assert_eq!(exit(&output), Some(1), "{command}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&format!("recorded by simulation version {}", current - 1))
                && stderr.contains(&format!(
                    "replay it with a tabletop build that plays version {}",
                    current - 1
                ))
                && !stderr.contains("diverged"),
            "{command}: {stderr}"
        );
    }
}
