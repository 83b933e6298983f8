//! `tabletop msel FILE.ron -o msel.csv|msel.xlsx` (issue 19): every shipped scenario's
//! injects as an HSEEP MSEL, read back by readers nobody here wrote (Python's `csv`
//! module; openpyxl for the workbook): one row per inject in the scenario's order with its
//! id, time, addressees and message as written; and no cell a spreadsheet would run as a
//! formula, whatever the scenario's text.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::path::Path;

use common::{tabletop, tools_python};
use tabletop::msel;

/// The rows of a CSV file as Python's csv module reads them, or `None` (skipped, said on
/// stderr) without python3, unless TABLETOP_REQUIRE_TOOLS=1 makes that a failure.
fn read_csv(path: &Path) -> Option<Vec<Vec<String>>> {
    let output = std::process::Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))",
        ])
        .arg(path)
        .output();
    match output {
        Ok(output) if output.status.success() => {
            Some(serde_json::from_slice(&output.stdout).unwrap())
        }
        Ok(output) => panic!(
            "python3 cannot read {}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => {
            assert!(
                std::env::var_os("TABLETOP_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
                "python3 is required (TABLETOP_REQUIRE_TOOLS=1) but not found"
            );
            eprintln!("skipped: python3 not found (TABLETOP_REQUIRE_TOOLS=1 makes this a failure)");
            None
        }
    }
}

#[test]
fn every_shipped_scenario_reads_back_one_row_per_inject() {
    let dir = tempfile::tempdir().unwrap();
    for relative in [
        "scenarios/ducksends.ron",
        "scenarios/crisis.ron",
        "scenarios/cvd.ron",
        "scenarios/cross-border.ron",
    ] {
        let out = dir.path().join("msel.csv");
        let output = tabletop()
            .args(["msel", relative, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let Some(rows) = read_csv(&out) else {
            return;
        };
        let scenario = common::load_scenario(relative);
        assert_eq!(rows[0], msel::COLUMNS);
        assert_eq!(rows.len(), scenario.injects.len() + 1, "{relative}");
        for (n, (row, inject)) in rows[1..].iter().zip(&scenario.injects).enumerate() {
            assert_eq!(row[0], (n + 1).to_string());
            assert_eq!(row[1], inject.id);
            assert_eq!(row[7], inject.to.join("; "));
            assert_eq!(row[8], inject.title);
            if let Some(message) = &inject.message {
                assert!(
                    row[9].starts_with(&message.subject),
                    "{relative}: {}",
                    row[9]
                );
                assert!(row[9].ends_with(&message.body), "{relative}: {}", row[9]);
            }
        }
    }
}

#[test]
fn no_cell_runs_as_a_formula() {
    let mut scenario = common::ducksends();
    let inject = &mut scenario.injects[0];
    inject.title = "=HYPERLINK(\"http://example.test\",\"click\")".into();
    inject.expected = vec!["+31 20 123 4567".into()];
    if let Some(message) = &mut inject.message {
        message.from = "@SUM(A1:A9)".into();
        message.subject = "-1+1".into();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("msel.csv");
    std::fs::write(
        &path,
        msel::csv::write(&msel::COLUMNS, &msel::rows(&scenario)),
    )
    .unwrap();
    let Some(rows) = read_csv(&path) else {
        return;
    };
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet runs: {cell}"
            );
        }
    }
    assert_eq!(rows[1][8], "'=HYPERLINK(\"http://example.test\",\"click\")");
    assert_eq!(rows[1][6], "'@SUM(A1:A9)");
    assert_eq!(rows[1][10], "'+31 20 123 4567");
}

#[test]
fn a_session_adds_each_injects_status_and_actual_time() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.ron");
    std::fs::write(
        &script,
        "Command(at: 10, seq: 0, command: SkipInject(inject: \"journalist-call\"))\n",
    )
    .unwrap();
    let session = dir.path().join("s.ron");
    let output = tabletop()
        .args([
            "run",
            "scenarios/ducksends.ron",
            "--seed",
            "1",
            "--commands",
        ])
        .arg(&script)
        .arg("--session")
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let out = dir.path().join("msel.csv");
    let output = tabletop()
        .args(["msel", "scenarios/ducksends.ron", "--session"])
        .arg(&session)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let Some(rows) = read_csv(&out) else {
        return;
    };
    assert_eq!(rows[0][14..], msel::SESSION_COLUMNS);
    let row = |id: &str| rows.iter().find(|r| r[1] == id).unwrap().clone();
    assert_eq!(row("helpdesk-tip")[14], "fired");
    assert_eq!(row("helpdesk-tip")[15], "T+1h (Fri 2026-03-13 17:30)");
    assert_eq!(row("journalist-call")[14], "skipped by the facilitator");
    // Another scenario's session is refused, naming both files.
    let output = tabletop()
        .args(["msel", "scenarios/crisis.ron", "--session"])
        .arg(&session)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not a recording of scenarios/crisis.ron")
    );
}

/// Every cell of an .xlsx as openpyxl reads it (empty cells as ""), and whether any cell
/// is typed as anything but a string.
fn read_xlsx(python: &Path, path: &Path) -> (Vec<Vec<String>>, bool) {
    let output = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys, openpyxl\n\
             ws = openpyxl.load_workbook(sys.argv[1]).active\n\
             rows = [[c.value or '' for c in row] for row in ws.iter_rows()]\n\
             typed = any(c.data_type != 's' for row in ws.iter_rows() for c in row if c.value is not None)\n\
             print(json.dumps([rows, typed]))",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openpyxl cannot read {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn openpyxl_reads_every_shipped_scenarios_workbook_cell_for_cell() {
    let Some(python) = tools_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for relative in [
        "scenarios/ducksends.ron",
        "scenarios/crisis.ron",
        "scenarios/cvd.ron",
        "scenarios/cross-border.ron",
    ] {
        let out = dir.path().join("msel.xlsx");
        let output = tabletop()
            .args(["msel", relative, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        let mut scenario = common::load_scenario(relative);
        if relative.ends_with("ducksends.ron") {
            // A formula-like title stays text in a workbook, written as it is.
            scenario.injects[0].title = "=1+1".into();
            std::fs::write(
                &out,
                msel::xlsx::write(&msel::COLUMNS, &msel::rows(&scenario)),
            )
            .unwrap();
        }
        let (cells, typed) = read_xlsx(&python, &out);
        assert!(!typed, "{relative}: a cell that is not a string");
        assert_eq!(cells[0], msel::COLUMNS);
        assert_eq!(cells[1..], msel::rows(&scenario)[..], "{relative}");
    }
}

#[test]
fn wrong_inputs_get_their_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    for (args, code) in [
        (vec!["msel", "scenarios/ducksends.ron", "-o", "msel.txt"], 2),
        (vec!["msel", "missing.ron", "-o", "msel.csv"], 1),
        (
            vec!["msel", "tests/broken/unknown_field.ron", "-o", "msel.csv"],
            1,
        ),
    ] {
        let output = tabletop()
            .args(&args[..3])
            .arg(dir.path().join(args[3]))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(code), "{args:?}");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    }
}

/// `tabletop msel import SHEET --into FILE -o NEW`, and its stderr.
fn import(sheet: &Path, into: &str, out: &Path) -> std::process::Output {
    tabletop()
        .args(["msel", "import"])
        .arg(sheet)
        .args(["--into", into, "-o"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn export_then_import_gives_every_shipped_scenario_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for relative in [
        "scenarios/ducksends.ron",
        "scenarios/crisis.ron",
        "scenarios/cvd.ron",
        "scenarios/cross-border.ron",
    ] {
        for ext in ["csv", "xlsx"] {
            let sheet = dir.path().join(format!("msel.{ext}"));
            let output = tabletop()
                .args(["msel", relative, "-o"])
                .arg(&sheet)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(0));
            let back = dir.path().join("back.ron");
            let output = import(&sheet, relative, &back);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(
                std::fs::read(common::repo_path(relative)).unwrap(),
                std::fs::read(&back).unwrap(),
                "{relative} through {ext}"
            );
        }
    }
}

/// The text outside a scenario file's `injects: [...]` list.
fn outside_injects(text: &str) -> (String, String) {
    let root = tabletop::scenario::locate::structure(text).unwrap();
    let (_, _, list) = root
        .fields()
        .iter()
        .find(|(name, _, _)| name == "injects")
        .unwrap();
    (
        text[..list.start_byte].to_owned(),
        text[list.end_byte..].to_owned(),
    )
}

#[test]
fn a_workbook_edited_in_another_tool_merges_by_inject_id_and_leaves_the_rest() {
    let Some(python) = tools_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("msel.xlsx");
    let output = tabletop()
        .args(["msel", "scenarios/ducksends.ron", "-o"])
        .arg(&sheet)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    // openpyxl saves with shared strings and deflated parts, as Excel does.
    let edit = "import sys, openpyxl\n\
        wb = openpyxl.load_workbook(sys.argv[1])\n\
        ws = wb.active\n\
        ws['I2'] = 'Helpdesk: staff report a fake login page'\n\
        ws['C2'] = 'T+2h'\n\
        ws.append(['9', 'ceo-asks', 'T+3h', '', 'message', 'e-mail', 'DuckSends CEO', 'ducksends', 'The CEO asks for a briefing', 'Briefing please\\n\\nBoard meets at 18:00.', 'The CISO briefs the CEO', '', '', ''])\n\
        wb.save(sys.argv[1])\n";
    let output = std::process::Command::new(&python)
        .args(["-c", edit])
        .arg(&sheet)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = dir.path().join("new.ron");
    let output = import(&sheet, "scenarios/ducksends.ron", &out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let original = std::fs::read_to_string(common::repo_path("scenarios/ducksends.ron")).unwrap();
    let merged = std::fs::read_to_string(&out).unwrap();
    assert_eq!(outside_injects(&original), outside_injects(&merged));
    let before = common::ducksends();
    let (after, _) = tabletop::scenario::load_path(&out).unwrap();
    assert_eq!(after.injects.len(), before.injects.len() + 1);
    let tip = &after.injects[0];
    assert_eq!(tip.title, "Helpdesk: staff report a fake login page");
    assert_eq!(tip.when, scenario_at("T+2h"));
    // What a spreadsheet cannot hold is kept.
    assert_eq!(tip.effects, before.injects[0].effects);
    assert_eq!(tip.question, before.injects[0].question);
    for (a, b) in after.injects[1..before.injects.len()]
        .iter()
        .zip(&before.injects[1..])
    {
        assert_eq!(a, b);
    }
    let new = after.injects.last().unwrap();
    assert_eq!(new.id, "ceo-asks");
    assert_eq!(new.message.as_ref().unwrap().body, "Board meets at 18:00.");
    // The comment inside the changed inject is still there.
    assert!(merged.contains("// Nessie Woo (role \"ciso\") answers the helpdesk"));
}

fn scenario_at(text: &str) -> tabletop::scenario::When {
    tabletop::scenario::When::At(tabletop::scenario::At::parse(text).unwrap())
}

#[test]
fn every_bad_cell_is_reported_by_sheet_row_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("msel.csv");
    let output = tabletop()
        .args(["msel", "scenarios/ducksends.ron", "-o"])
        .arg(&sheet)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let mut text = std::fs::read_to_string(&sheet).unwrap();
    text = text.replacen(",T+1h,", ",T+1x,", 1);
    text = text.replacen(
        ",phone,DuckSends IT helpdesk,",
        ",pigeon,DuckSends IT helpdesk,",
        1,
    );
    text.push_str("10,,T+2h,,,,,,A row without an id,,,,,\r\n");
    text.push_str("11,new-one,T+2h,,,phone,someone,nobody-here,New,Hello,,,,\r\n");
    text.push_str("12,new-one,T+3h,,,,,,Again,,,,,\r\n");
    std::fs::write(&sheet, text).unwrap();
    let out = dir.path().join("new.ron");
    let output = import(&sheet, "scenarios/ducksends.ron", &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for expected in [
        "sheet CSV, row 2, column C (scenario time): \"T+1x\"",
        "sheet CSV, row 2, column F (delivery method): \"pigeon\" is no delivery method",
        "sheet CSV, row 10, column B (inject id): every row needs an inject id",
        "sheet CSV, row 11, column H (to): \"nobody-here\" is no CSIRT, authority or organisation",
        "sheet CSV, row 12, column B (inject id): \"new-one\" is on an earlier row too",
    ] {
        assert!(stderr.contains(expected), "missing {expected}:\n{stderr}");
    }
    assert!(
        !out.exists(),
        "nothing is written unless all of it is right"
    );
    // Over the scenario itself: refused as a usage error.
    let output = import(
        &sheet,
        "scenarios/ducksends.ron",
        &common::repo_path("scenarios/ducksends.ron"),
    );
    assert_eq!(output.status.code(), Some(2));
}
