//! People's words (issue 16): wherever people read, no Rust names. The journal's free text,
//! the CLI summary, the after-action report and the console's accessibility labels of every
//! shipped scenario hold no `CamelCase` identifier of the program's own and no Debug struct
//! text (`EntitiesHit { count: 2, … }`).
//!
//! A `CamelCase` word the designer wrote in a quoted string of the scenario ("DuckSends")
//! is the designer's word and allowed; the scenario's unquoted RON names (`DoraInitial`)
//! are not. In the journal, a string without a space is a serde name or an id and is left
//! alone; a string with a space is free text and checked.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::console::{harness, jump_to, options};
use common::{journal_bytes, load_scenario, played, repo_path, tabletop};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use tabletop::gui::App;
use tabletop::host::Intent;

const SEED: &str = "1";

fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_path("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "the shipped scenarios: {}", files.len());
    files
}

/// Every word inside a quoted string of the scenario file: the designer's own words.
fn designer_words(scenario: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(scenario).unwrap();
    let mut words = BTreeSet::new();
    let mut quoted = String::new();
    let (mut inside, mut escaped) = (false, false);
    for c in text.chars() {
        if inside {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                inside = false;
                words.extend(tokens(&quoted).map(str::to_owned));
                quoted.clear();
                continue;
            }
            quoted.push(c);
        } else if c == '"' {
            inside = true;
        }
    }
    words
}

fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// `DoraInitial`, `InPerson`, `EntitiesHit`: a capital, lower case, then a capital again.
fn is_camel_case(token: &str) -> bool {
    let mut chars = token.chars();
    if !chars.next().is_some_and(char::is_uppercase) {
        return false;
    }
    let mut lower_seen = false;
    for c in chars {
        if c.is_lowercase() {
            lower_seen = true;
        } else if c.is_uppercase() && lower_seen {
            return true;
        }
    }
    false
}

/// `Name { field: …`: what `{:?}` makes of a struct or a struct variant.
fn has_debug_struct(text: &str) -> bool {
    text.match_indices(" { ").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = &text[at + 3..];
        let field: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        before.is_some_and(char::is_alphanumeric)
            && !field.is_empty()
            && after[field.len()..].starts_with(": ")
    })
}

/// The Rust-looking pieces of `text`, with where they came from.
fn rust_names(text: &str, allowed: &BTreeSet<String>, place: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let camel: Vec<&str> = tokens(line)
            .filter(|t| is_camel_case(t) && !allowed.contains(*t))
            .collect();
        if !camel.is_empty() || has_debug_struct(line) {
            found.push(format!("{place}: {camel:?} in {:?}", line.trim()));
        }
    }
    found
}

fn free_text(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.contains(' ') => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| free_text(v, out)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| free_text(v, out)),
        _ => {}
    }
}

#[test]
fn the_checks_see_rust_names_and_leave_people_words_alone() {
    let allowed: BTreeSet<String> = ["DuckSends".to_owned()].into();
    assert!(is_camel_case("DoraInitial") && is_camel_case("InPerson"));
    assert!(!is_camel_case("NIS2") && !is_camel_case("CSIRTs") && !is_camel_case("Sat"));
    assert!(has_debug_struct("CrisisTeam { extra_analysts: 2 }"));
    assert!(!has_debug_struct("a crisis team of 2 extra analysts"));
    assert!(rust_names("DuckSends sends a DoraInitial", &allowed, "t").len() == 1);
    assert!(rust_names("DuckSends sends a DORA initial notification", &allowed, "t").is_empty());
}

#[test]
fn journals_cli_summaries_and_reports_speak_peoples_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut found = Vec::new();
    for path in shipped() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let allowed = designer_words(&path);
        let scenario = load_scenario(&format!("scenarios/{name}"));

        let journal = String::from_utf8(journal_bytes(&played(&scenario, 1))).unwrap();
        for (n, line) in journal.lines().enumerate() {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            let mut texts = Vec::new();
            free_text(&entry, &mut texts);
            for text in texts {
                found.extend(rust_names(
                    &text,
                    &allowed,
                    &format!("{name} journal line {}", n + 1),
                ));
            }
        }

        let session = dir.path().join(format!("{name}.session"));
        let run = tabletop()
            .args(["run", path.to_str().unwrap(), "--seed", SEED, "--session"])
            .arg(&session)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let summary = String::from_utf8(run.stdout).unwrap();
        found.extend(rust_names(
            &summary,
            &allowed,
            &format!("{name} CLI summary"),
        ));

        let report = dir.path().join(format!("{name}.md"));
        let made = tabletop()
            .arg("report")
            .arg(&session)
            .arg("-o")
            .arg(&report)
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let markdown = std::fs::read_to_string(&report).unwrap();
        found.extend(rust_names(&markdown, &allowed, &format!("{name} report")));
    }
    assert!(
        found.is_empty(),
        "Rust names where people read:\n  {}",
        found.join("\n  ")
    );
}

/// Starts `file` (seed 1) in the console, opens every role's window, plays two days.
fn console_at_two_days(file: &str, dir: &Path) -> Harness<'static, App> {
    let mut harness = harness(App::new(options(dir)));
    harness.run();
    harness.get_by_label(file).click();
    harness.run();
    harness.state_mut().start.seed = SEED.to_owned();
    harness.get_by_label("Start").click();
    harness.run();
    let console = harness.state_mut().console.as_deref_mut().unwrap();
    let roles: Vec<String> = console
        .host
        .scenario()
        .roles
        .iter()
        .map(|r| r.id.clone())
        .collect();
    for role in roles {
        console.intent(Intent::Seat { role, open: true });
    }
    jump_to(&mut harness, 2 * 24 * 60);
    let host = &harness.state().console.as_ref().unwrap().host;
    assert!(
        host.now() >= 2 * 24 * 60 - 1,
        "{file}: the clock stands at {}",
        host.now()
    );
    harness
}

#[test]
fn the_consoles_labels_speak_peoples_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut found = Vec::new();
    for path in shipped() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let allowed = designer_words(&path);
        let harness = console_at_two_days(&name, dir.path());
        let mut labels = 0;
        for node in harness.root().children_recursive() {
            let node = node.accesskit_node();
            for text in [node.label(), node.value()].into_iter().flatten() {
                labels += 1;
                found.extend(rust_names(&text, &allowed, &format!("{name} console")));
            }
        }
        assert!(labels > 100, "{name}: the console shows {labels} labels");
        eprintln!("{name}: {labels} console labels read");
    }
    found.dedup();
    assert!(
        found.is_empty(),
        "Rust names in the console:\n  {}",
        found.join("\n  ")
    );
}
