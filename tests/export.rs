//! `tabletop export` (issue 19): MISP, STIX 2.1 and ATT&CK Navigator exports of a recorded
//! session, checked by tools nobody here wrote (PyMISP, stix2-validator in strict mode,
//! stix2, mitreattack-python; `tests/tools/check_export.py` says what each checks), and
//! what the command promises itself: the same session gives the same bytes, exercise data
//! is marked so (MISP unpublished, organisation only, no IDS flag; STIX and Navigator
//! labelled EXERCISE), `--at` cuts what is known, and every wrong input gets its exit code.
//!
//! The tools live in a Python venv: `TABLETOP_TOOLS_PYTHON`, else
//! `tests/tools/venv/bin/python` (made by `.ci/run` from `tests/tools/requirements.txt`).
//! Without them the tool test skips with a line on stderr, unless TABLETOP_REQUIRE_TOOLS=1
//! (CI) makes that a failure.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{repo_path, tabletop, tools_python};
use serde_json::Value;

/// A fired inject and a player's share: a session with commands in it.
const SCRIPT: &str = r#"Command(at: 60, seq: 0, command: FireInject(inject: "helpdesk-tip"))
Command(at: 1560, seq: 1, command: Act(role: "ciso", action: Share(to: "fin-csirt", indicators: ["phish-domain"], tlp: AmberStrict)))
"#;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut command = tabletop();
    for arg in args {
        command.arg(arg);
    }
    command.output().unwrap()
}

/// Records `scenario` with `seed` to its end, with [`SCRIPT`] for DuckSends.
fn recorded(dir: &Path, scenario: &str, seed: u64) -> PathBuf {
    let name = Path::new(scenario).file_stem().unwrap().to_string_lossy();
    let session = dir.join(format!("{name}-{seed}.ron"));
    let script = dir.join("script.ron");
    std::fs::write(&script, SCRIPT).unwrap();
    let seed = seed.to_string();
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> =
        vec![&"run", &scenario, &"--seed", &seed, &"--session", &session];
    if scenario.ends_with("ducksends.ron") {
        args.extend([&"--commands" as &dyn AsRef<std::ffi::OsStr>, &script]);
    }
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    session
}

/// `tabletop export SESSION --as FORMAT [EXTRA...] -o OUT`; the output's text.
fn export(session: &Path, format: &str, extra: &[&str], out: &Path) -> String {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> =
        vec![&"export", &session, &"--as", &format, &"-o", &out];
    for e in extra {
        args.push(e);
    }
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    std::fs::read_to_string(out).unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn the_same_session_gives_the_same_bytes_marked_as_exercise() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path(), "scenarios/ducksends.ron", 1);
    for (format, extra) in [
        ("misp", &[][..]),
        ("misp", &["--role", "ciso"][..]),
        ("stix", &[][..]),
        ("stix", &["--role", "fin-duty", "--at", "1d"][..]),
        ("navigator", &[][..]),
    ] {
        let first = export(&session, format, extra, &dir.path().join("a.json"));
        let again = export(&session, format, extra, &dir.path().join("b.json"));
        assert_eq!(
            first, again,
            "{format} {extra:?} differs between two exports"
        );
        let value = json(&first);
        match format {
            "misp" => {
                let event = &value["Event"];
                assert_eq!(event["published"], false);
                assert_eq!(event["distribution"], "0");
                assert!(event["info"].as_str().unwrap().starts_with("EXERCISE"));
                assert!(
                    event["Tag"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| t["name"] == "tabletop:exercise")
                );
                let attributes = event["Attribute"].as_array().unwrap();
                assert!(!attributes.is_empty());
                assert!(attributes.iter().all(|a| a["to_ids"] == false));
            }
            "stix" => {
                for object in value["objects"].as_array().unwrap() {
                    if object["type"] != "marking-definition" {
                        assert_eq!(object["labels"][0], "EXERCISE", "{object}");
                        assert_eq!(object["object_marking_refs"].as_array().unwrap().len(), 1);
                    }
                }
            }
            _ => {
                assert!(value["name"].as_str().unwrap().starts_with("EXERCISE"));
                assert!(!value["techniques"].as_array().unwrap().is_empty());
            }
        }
    }
}

#[test]
fn a_role_exports_what_it_knew_at_the_moment_asked() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path(), "scenarios/ducksends.ron", 1);
    let count = |at: &str| {
        let text = export(
            &session,
            "misp",
            &["--role", "ciso", "--at", at],
            &dir.path().join(format!("ciso-{at}.json")),
        );
        json(&text)["Event"]["Attribute"].as_array().unwrap().len()
    };
    let (start, end) = (count("0m"), count("5d"));
    assert_eq!(start, 0, "the CISO knows nothing at T+0");
    assert!(end > 0, "the CISO knows something by the end");
    // The facilitator's export holds every indicator of the scenario.
    let full = export(&session, "misp", &[], &dir.path().join("full.json"));
    assert!(json(&full)["Event"]["Attribute"].as_array().unwrap().len() >= end);
}

#[test]
fn wrong_inputs_get_their_exit_codes_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path(), "scenarios/ducksends.ron", 1);
    let out = dir.path().join("out.json");
    let missing = dir.path().join("missing.ron");
    let cases: [(Vec<&dyn AsRef<std::ffi::OsStr>>, i32, &str); 6] = [
        (
            vec![&"export", &missing, &"--as", &"misp", &"-o", &out],
            1,
            "missing.ron",
        ),
        (
            vec![
                &"export",
                &"scenarios/ducksends.ron",
                &"--as",
                &"misp",
                &"-o",
                &out,
            ],
            1,
            "",
        ),
        (
            vec![&"export", &session, &"--as", &"csv", &"-o", &out],
            2,
            "expected misp, stix or navigator",
        ),
        (
            vec![
                &"export", &session, &"--as", &"misp", &"--role", &"cfo", &"-o", &out,
            ],
            2,
            "its roles: ciso",
        ),
        (
            vec![
                &"export",
                &session,
                &"--as",
                &"navigator",
                &"--role",
                &"ciso",
                &"-o",
                &out,
            ],
            2,
            "no Navigator layer",
        ),
        (
            vec![
                &"export", &session, &"--as", &"stix", &"--at", &"soon", &"-o", &out,
            ],
            2,
            "",
        ),
    ];
    for (args, code, says) in cases {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    }
}

/// Runs the checker on `files` of `format`; one JSON summary per file.
fn check(python: &Path, format: &str, files: &[PathBuf]) -> Vec<Value> {
    let output = std::process::Command::new(python)
        .arg(repo_path("tests/tools/check_export.py"))
        .arg(format)
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the tools refuse a {format} export:\n{}",
        stderr(&output)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(json)
        .collect()
}

#[test]
fn tools_nobody_here_wrote_accept_every_export_of_every_shipped_and_a_generated_scenario() {
    let Some(python) = tools_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A generated scenario too: its indicators are of every kind (URLs and e-mail
    // addresses included, which the shipped ones lack).
    let generated = dir.path().join("generated.ron");
    let output = run(&[
        &"generate",
        &"--entities",
        &"60",
        &"--days",
        &"5",
        &"--seed",
        &"4",
        &"-o",
        &generated,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let generated = generated.to_string_lossy().into_owned();
    let mut files: std::collections::BTreeMap<&str, Vec<PathBuf>> = Default::default();
    for scenario in [
        "scenarios/ducksends.ron",
        "scenarios/crisis.ron",
        "scenarios/cvd.ron",
        "scenarios/cross-border.ron",
        generated.as_str(),
    ] {
        let session = recorded(dir.path(), scenario, 2);
        let roles: Vec<String> = common::load_scenario(scenario)
            .roles
            .iter()
            .map(|r| r.id.clone())
            .collect();
        let mut scopes: Vec<Vec<&str>> = vec![vec![], vec!["--at", "1d"]];
        for role in &roles {
            scopes.push(vec!["--role", role]);
            scopes.push(vec!["--role", role, "--at", "1d"]);
        }
        for (n, scope) in scopes.iter().enumerate() {
            let formats: &[&str] = if scope.contains(&"--role") {
                &["misp", "stix"]
            } else {
                &["misp", "stix", "navigator"]
            };
            for format in formats {
                let stem = session.file_stem().unwrap().to_string_lossy();
                let out = dir.path().join(format!("{stem}-{n}-{format}.json"));
                export(&session, format, scope, &out);
                files.entry(format).or_default().push(out);
            }
        }
    }
    for (format, files) in &files {
        let summaries = check(&python, format, files);
        assert_eq!(summaries.len(), files.len());
        if *format == "misp" {
            // Some export holds attributes and sightings, so the check saw them.
            assert!(summaries.iter().any(|s| s["sightings"].as_u64() > Some(0)));
        }
        if *format == "stix" {
            assert!(
                summaries
                    .iter()
                    .any(|s| s["counts"]["relationship"].as_u64() > Some(0))
            );
            // Every kind of indicator went through the validator.
            for object in [
                "domain-name",
                "ipv4-addr",
                "url",
                "email-addr",
                "file:hashes",
            ] {
                assert!(
                    summaries
                        .iter()
                        .any(|s| s["indicators"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|i| i["pattern"].as_str().unwrap().contains(object))),
                    "no {object} pattern was checked"
                );
            }
        }
    }
}

/// Scenario values are free text: an "IP address" that is none, a "file hash" that is no
/// hex digest, quotes and backslashes, an IPv6 address, a URL and an e-mail address. Each
/// export still satisfies the tools: MISP takes the odd ones as `other`, STIX leaves them
/// out and says so, patterns escape what they must.
#[test]
fn odd_indicator_values_still_make_valid_exports() {
    use tabletop::export::{Format, Scope, SessionKey};
    use tabletop::scenario::IndicatorKind;
    let Some(python) = tools_python() else {
        return;
    };
    let mut scenario = common::ducksends();
    let odd = [
        (
            "phish-domain",
            IndicatorKind::Domain,
            "it's-a\\test.example",
        ),
        ("mail-ip-1", IndicatorKind::Ip, "not an address"),
        ("mail-ip-2", IndicatorKind::Ip, "2001:db8::23"),
        ("loader-hash", IndicatorKind::FileHash, "xyz"),
        (
            "phish-domain-2",
            IndicatorKind::Url,
            "https://example.test/a?b='c'",
        ),
    ];
    for indicator in scenario
        .adversaries
        .iter_mut()
        .flat_map(|a| &mut a.campaigns)
        .flat_map(|c| &mut c.indicators)
    {
        if let Some((_, kind, value)) = odd.iter().find(|(id, _, _)| *id == indicator.id) {
            indicator.kind = *kind;
            indicator.value = (*value).to_owned();
        }
    }
    let sim = common::played(&scenario, 1);
    let key = SessionKey::new("odd", 1, &[]);
    let dir = tempfile::tempdir().unwrap();
    let mut scopes = vec![Scope::Facilitator];
    scopes.extend(scenario.roles.iter().map(|r| Scope::Role(&r.id)));
    for (format, name) in [(Format::Misp, "misp"), (Format::Stix, "stix")] {
        let mut files = Vec::new();
        for (n, scope) in scopes.iter().enumerate() {
            let exported = tabletop::export::export(&scenario, &sim, &key, format, *scope).unwrap();
            if format == Format::Stix && *scope == Scope::Facilitator {
                assert_eq!(exported.left_out.len(), 2, "{:?}", exported.left_out);
                assert!(exported.left_out[0].contains("STIX has no pattern"));
            }
            if format == Format::Misp && *scope == Scope::Facilitator {
                assert_eq!(exported.text.matches("\"type\": \"other\"").count(), 2);
            }
            let file = dir.path().join(format!("{name}-{n}.json"));
            std::fs::write(&file, exported.text).unwrap();
            files.push(file);
        }
        check(&python, name, &files);
    }
}

/// The world's other indicator kinds (issue 18): a file path, a host name, an account, a
/// bank account (an IBAN) and a labelled "other". MISP takes each as its own type; STIX
/// has objects for the first three and leaves the last two out, saying so; the tools
/// nobody here wrote accept both.
#[test]
fn file_paths_hosts_accounts_bank_accounts_and_others_make_valid_exports() {
    use tabletop::export::{Format, Scope, SessionKey};
    use tabletop::scenario::IndicatorKind;
    let Some(python) = tools_python() else {
        return;
    };
    let mut scenario = common::ducksends();
    let kinds = [
        (
            "phish-domain",
            IndicatorKind::Hostname,
            "mail01.ducksends.local",
            None,
        ),
        ("mail-ip-1", IndicatorKind::Account, "svc-backup", None),
        (
            "mail-ip-2",
            IndicatorKind::BankAccount,
            "NL91ABNA0417164300",
            None,
        ),
        (
            "loader-hash",
            IndicatorKind::FilePath,
            "C:\\Users\\Public\\loader.exe",
            None,
        ),
        (
            "phish-domain-2",
            IndicatorKind::Other,
            "DUCKNL2A",
            Some("SWIFT BIC"),
        ),
    ];
    for indicator in scenario
        .adversaries
        .iter_mut()
        .flat_map(|a| &mut a.campaigns)
        .flat_map(|c| &mut c.indicators)
    {
        if let Some((_, kind, value, label)) = kinds.iter().find(|(id, ..)| *id == indicator.id) {
            indicator.kind = *kind;
            indicator.value = (*value).to_owned();
            indicator.label = label.map(str::to_owned);
        }
    }
    let sim = common::played(&scenario, 1);
    let key = SessionKey::new("kinds", 1, &[]);
    let dir = tempfile::tempdir().unwrap();
    let misp =
        tabletop::export::export(&scenario, &sim, &key, Format::Misp, Scope::Facilitator).unwrap();
    for misp_type in [
        "\"hostname\"",
        "\"target-user\"",
        "\"iban\"",
        "\"filename\"",
        "\"other\"",
    ] {
        assert!(
            misp.text.contains(&format!("\"type\": {misp_type}")),
            "{misp_type} in the MISP event"
        );
    }
    assert!(
        misp.text.contains("SWIFT BIC"),
        "the label goes with the other indicator"
    );
    let stix =
        tabletop::export::export(&scenario, &sim, &key, Format::Stix, Scope::Facilitator).unwrap();
    for pattern in [
        "[domain-name:value = 'mail01.ducksends.local']",
        "[user-account:account_login = 'svc-backup']",
        "[file:name = 'loader.exe' AND file:parent_directory_ref.path = 'C:\\\\\\\\Users\\\\\\\\Public']",
    ] {
        assert!(stix.text.contains(pattern), "{pattern} in {}", stix.text);
    }
    assert_eq!(stix.left_out.len(), 2, "{:?}", stix.left_out);
    assert!(
        stix.left_out
            .iter()
            .any(|l| l.contains("no object for a bank account"))
    );
    assert!(
        stix.left_out
            .iter()
            .any(|l| l.contains("no object for a SWIFT BIC"))
    );
    let (misp_file, stix_file) = (dir.path().join("misp.json"), dir.path().join("stix.json"));
    std::fs::write(&misp_file, misp.text).unwrap();
    std::fs::write(&stix_file, stix.text).unwrap();
    check(&python, "misp", &[misp_file]);
    check(&python, "stix", &[stix_file]);
}

/// A stage ATT&CK has no id for (issue 18): it carries a label, journaled where the
/// technique would be, and no export names it as an ATT&CK technique; the tools still
/// accept every export.
#[test]
fn a_stage_without_an_attack_id_is_journaled_by_its_label_and_exported_as_no_technique() {
    use tabletop::export::{Format, Scope, SessionKey};
    let mut scenario = common::ducksends();
    let stage = scenario
        .adversaries
        .iter_mut()
        .flat_map(|a| &mut a.campaigns)
        .flat_map(|c| &mut c.stages)
        .find(|s| s.technique == "T1078")
        .unwrap();
    stage.technique = String::new();
    stage.label = Some("physical break-in".to_owned());
    let sim = common::played(&scenario, 1);
    let journal = String::from_utf8(common::journal_bytes(&sim)).unwrap();
    assert!(
        journal.contains("\"kind\":\"stage_completed\"")
            && journal.contains("\"technique\":\"physical break-in\""),
        "the label stands where the technique would"
    );
    let key = SessionKey::new("label", 1, &[]);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (format, name) in [
        (Format::Misp, "misp"),
        (Format::Stix, "stix"),
        (Format::Navigator, "navigator"),
    ] {
        let exported =
            tabletop::export::export(&scenario, &sim, &key, format, Scope::Facilitator).unwrap();
        assert!(
            !exported.text.contains("T1078"),
            "{name}: no technique for the labelled stage"
        );
        assert!(
            !exported.text.contains("physical break-in"),
            "{name}: the label is no technique"
        );
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, exported.text).unwrap();
        files.push((name, file));
    }
    let Some(python) = tools_python() else {
        return;
    };
    for (name, file) in files {
        check(&python, name, &[file]);
    }
}
