//! The after-action report end to end: a recorded DuckSends session's report carries the
//! figures the journal holds (computed here without the report module), its Markdown is
//! pinned by a golden file, its HTML is well-formed and self-contained, branches name the
//! first diverging event, and bad input gets a clear message and exit 1 or 2.
//!
//! Regenerate the golden file after a deliberate change with
//! `UPDATE_GOLDEN=1 cargo test --test report`, then read the diff before committing it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{ducksends, repo_path, tabletop};
use serde_json::Value;
use tabletop::scenario::{Duration, time::format_offset};

const SEED: &str = "20";
const GOLDEN: &str = "tests/golden/ducksends-seed20.md";

/// A facilitator's observation and an evaluator's HSEEP rating, given during the session.
const SCRIPT: &str = "\
// the players', the facilitator's and the evaluator's commands, in the session record format
Command(at: 61, seq: 0, command: Decide(decision: \"helpdesk-tip\", option: \"monitor\", by: \"ciso\"))
Command(at: 600, seq: 1, command: Observe(author: \"facilitator\", text: \"fin-csirt's on-call analyst answered after 2 h\"))
Command(at: 1500, seq: 2, command: Act(role: \"ncsc-duty\", action: RaiseCrisis(level: Alert)))
Command(at: 1500, seq: 3, command: Act(role: \"ciso\", action: RaiseCrisis(level: Alert)))
Command(at: 3000, seq: 4, command: Rate(objective: \"obj-1\", rating: SomeChallenges, evaluator: \"evaluator A\", comment: \"notification late but complete\"))
";

const ANSWERS: &str = r#"[
    Answer(participant: "Nessie Woo", role: "CISO, DuckSends", question: "What went well?", answer: "The hunt on Sunday night found the VPN intrusion within minutes of the warning."),
    Answer(participant: "Duty officer", role: "fin-csirt", question: "What went well?", answer: "Warning the constituency at TLP:AMBER was quick."),
    Answer(participant: "Nessie Woo", role: "CISO, DuckSends", question: "What should change?", answer: "Classify as major earlier: the DORA clock surprised us."),
]
"#;

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

fn run(args: &[&str]) -> Output {
    tabletop().args(args).output().expect("tabletop runs")
}

fn s(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Records a DuckSends session with the script, then adds the hot-wash answers.
fn recorded(dir: &Path) -> PathBuf {
    let (session, script, answers) = (
        dir.join("ducksends.session.ron"),
        dir.join("script.ron"),
        dir.join("answers.ron"),
    );
    std::fs::write(&script, SCRIPT).expect("temporary file");
    std::fs::write(&answers, ANSWERS).expect("temporary file");
    ok(&run(&[
        "run",
        "scenarios/ducksends.ron",
        "--seed",
        SEED,
        "--session",
        s(&session),
        "--commands",
        s(&script),
    ]));
    ok(&run(&["feedback", s(&session), "--file", s(&answers)]));
    session
}

/// The session's journal as `tabletop replay --journal` writes it, one JSON value a line.
fn journal(dir: &Path, session: &Path) -> Vec<Value> {
    let path = dir.join(format!(
        "{}.jsonl",
        session.file_stem().expect("a file name").to_string_lossy()
    ));
    ok(&run(&["replay", s(session), "--journal", s(&path)]));
    std::fs::read_to_string(&path)
        .expect("the journal was written")
        .lines()
        .map(|l| serde_json::from_str(l).expect("journal lines are JSON"))
        .collect()
}

fn kind(e: &Value) -> &str {
    e["kind"].as_str().unwrap_or_default()
}

fn str_of<'a>(e: &'a Value, field: &str) -> &'a str {
    e[field].as_str().unwrap_or_default()
}

fn int(e: &Value, field: &str) -> i64 {
    e[field].as_i64().unwrap_or_default()
}

fn span(minutes: i64) -> String {
    Duration::minutes(minutes).to_string()
}

/// Actor display names from the scenario itself.
fn names() -> BTreeMap<String, String> {
    let scenario = ducksends();
    let mut names = BTreeMap::new();
    for c in &scenario.csirts {
        names.insert(c.id.clone(), c.name.clone());
    }
    for a in &scenario.authorities {
        names.insert(a.id.clone(), a.name.clone());
    }
    for e in &scenario.entities {
        names.insert(e.id.clone(), e.name.clone());
    }
    names
}

/// What the regimes call each kind of report, and the regime.
fn report_label(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "Nis2EarlyWarning" => ("NIS2 Art. 23", "NIS2 early warning"),
        "Nis2Notification" => ("NIS2 Art. 23", "NIS2 incident notification"),
        "Nis2Final" => ("NIS2 Art. 23", "NIS2 final report"),
        "DoraInitial" => ("DORA Art. 19", "DORA initial notification"),
        "DoraIntermediate" => ("DORA Art. 19", "DORA intermediate report"),
        "DoraFinal" => ("DORA Art. 19", "DORA final report"),
        "GdprBreach" => ("GDPR Art. 33", "GDPR breach notification"),
        "Voluntary" => ("voluntary", "voluntary notification"),
        other => panic!("unknown report kind {other}"),
    }
}

/// The Markdown section whose `## N. Title` heading starts with `title`, up to the next one
/// (by title, so the sections may move).
fn section<'a>(markdown: &'a str, title: &str) -> &'a str {
    let start = markdown
        .match_indices("\n## ")
        .map(|(at, _)| at)
        .find(|&at| {
            markdown[at + 4..]
                .split_once(". ")
                .is_some_and(|(_, rest)| rest.starts_with(title))
        })
        .unwrap_or_else(|| panic!("section {title:?} missing"));
    let rest = &markdown[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    &rest[..end]
}

fn row_starting<'a>(markdown: &'a str, prefix: &str) -> &'a str {
    markdown
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no row starting {prefix:?} in:\n{markdown}"))
}

/// Markdown with the temporary directory replaced, so it can be compared with the golden.
fn normalised(markdown: &str, dir: &Path) -> String {
    markdown.replace(s(dir), "<tmp>")
}

#[test]
fn the_markdown_report_carries_the_journals_figures_and_matches_the_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let out = dir.path().join("report.md");
    ok(&run(&["report", s(&session), "-o", s(&out)]));
    let md = std::fs::read_to_string(&out).unwrap();
    let journal = journal(dir.path(), &session);
    let names = names();
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());

    // The marking at the top and at the bottom.
    assert!(md.starts_with("**TLP:AMBER**"), "{md}");
    assert!(
        md.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("**TLP:AMBER**")
    );

    // Overview: the seed, the journal length and every command.
    let overview = section(&md, "Exercise overview");
    assert!(overview.contains(&format!("| Seed | {SEED} |")));
    assert!(overview.contains(&format!("| Journal | {} events,", journal.len())));
    assert!(
        overview.contains(
            "| Commands given | 5 (1 decide, 1 observe, 2 player raise crisis, 1 rate) |"
        ),
        "{overview}"
    );

    // Objectives: every verdict and decision time, and the evidence cited by seq.
    let objectives = section(&md, "Objectives");
    let mut decided = Vec::new();
    for e in journal
        .iter()
        .filter(|e| matches!(kind(e), "objective_met" | "objective_missed"))
    {
        let id = str_of(e, "objective");
        let verdict = if kind(e) == "objective_met" {
            "MET"
        } else {
            "MISSED"
        };
        let row = row_starting(objectives, &format!("| {id} — "));
        assert!(
            row.contains(&format!("| {verdict} | {} (", format_offset(int(e, "t")))),
            "{row}"
        );
        for seq in e["evidence"].as_array().unwrap() {
            let cited = &journal[usize::try_from(seq.as_u64().unwrap()).unwrap()];
            let line = format!("- #{} {} (", seq, format_offset(int(cited, "t")));
            assert!(objectives.contains(&line), "{id}: evidence {line}");
        }
        decided.push(id.to_owned());
    }
    for objective in &ducksends().objectives {
        if !decided.contains(&objective.id) {
            let row = row_starting(objectives, &format!("| {} — ", objective.id));
            // The session ran to the end: an undecided objective was never triggered.
            assert!(row.contains("| NOT TRIGGERED | not decided |"), "{row}");
        }
    }
    let met = journal
        .iter()
        .filter(|e| kind(e) == "objective_met")
        .count();
    let missed = journal
        .iter()
        .filter(|e| kind(e) == "objective_missed")
        .count();
    assert!(objectives.contains(&format!(
        "{met} met, {missed} missed, {} not triggered, 0 pending.",
        ducksends().objectives.len() - met - missed
    )));

    // Evaluator ratings, as rated events.
    let ratings = section(&md, "Evaluator ratings");
    for e in journal.iter().filter(|e| kind(e) == "rated") {
        let row = row_starting(ratings, &format!("| {} (", format_offset(int(e, "t"))));
        assert!(row.contains(&format!("| {} — ", str_of(e, "objective"))));
        assert!(
            row.contains("| S — performed with some challenges |"),
            "{row}"
        );
        assert!(row.contains(&format!("| {} |", str_of(e, "comment"))));
    }

    // Reporting compliance: due, sent and late by, per entity and regime.
    let compliance = section(&md, "Reporting compliance");
    let mut due: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
    for e in journal.iter().filter(|e| kind(e) == "report_due") {
        let key = (
            str_of(e, "entity").to_owned(),
            str_of(e, "report").to_owned(),
            int(e, "incident"),
        );
        due.insert(key, int(e, "due"));
    }
    let (mut late, mut on_time) = (0, 0);
    for e in journal.iter().filter(|e| kind(e) == "report_sent") {
        let (entity, report) = (str_of(e, "entity"), str_of(e, "report"));
        let (regime, label) = report_label(report);
        let prefix = format!(
            "| {} | {regime} | {label} | {} |",
            name(entity),
            name(str_of(e, "to"))
        );
        let row = row_starting(compliance, &prefix);
        let sent = format_offset(int(e, "t"));
        assert!(row.contains(&format!("| {sent} (")), "{row}");
        match due.get(&(entity.to_owned(), report.to_owned(), int(e, "incident"))) {
            Some(&d) if int(e, "t") > d => {
                late += 1;
                assert!(
                    row.contains(&format!("| late | {} |", span(int(e, "t") - d))),
                    "{row}"
                );
                assert_eq!(int(e, "late_minutes"), int(e, "t") - d);
            }
            Some(_) => {
                on_time += 1;
                assert!(row.contains("| on time | – |"), "{row}");
            }
            None => assert!(row.contains("| no deadline |") && row.contains("| sent |")),
        }
    }
    assert!(late > 0, "seed {SEED} was chosen for its late reports");
    assert!(compliance.contains(&format!(": {on_time} on time, {late} late,")));

    // CSIRT desks: work items, waits, analyst time and the longest queue.
    let desks = section(&md, "CSIRT desks");
    for csirt in &ducksends().csirts {
        let of = |k: &'static str| {
            journal
                .iter()
                .filter(move |e| kind(e) == k && str_of(e, "csirt") == csirt.id)
        };
        let waits: Vec<i64> = of("work_started")
            .map(|e| int(e, "waited_minutes"))
            .collect();
        let turnarounds: Vec<i64> = of("work_finished")
            .map(|e| int(e, "turnaround_minutes"))
            .collect();
        let items = i64::try_from(waits.len()).unwrap();
        let mean = if items == 0 {
            0
        } else {
            waits.iter().sum::<i64>() / items
        };
        let longest = waits.iter().max().copied().unwrap_or(0);
        let queue = of("work_queued")
            .map(|e| int(e, "queue"))
            .max()
            .unwrap_or(0);
        // A crisis team joins the desk with extra analysts (11.5.b).
        let crisis_team: u32 = journal
            .iter()
            .filter(|e| kind(e) == "crisis_action_taken" && str_of(e, "csirt") == csirt.id)
            .filter_map(|e| {
                let extra = e["action"]["CrisisTeam"]["extra_analysts"].as_u64()?;
                u32::try_from(extra).ok()
            })
            .sum();
        let row = row_starting(desks, &format!("| {} |", csirt.name));
        let cells: Vec<&str> = row
            .split(" | ")
            .map(|c| c.trim_matches('|').trim())
            .collect();
        assert_eq!(
            cells[1..],
            [
                (csirt.analysts + crisis_team).to_string(),
                items.to_string(),
                span(mean),
                span(longest),
                cells[5].to_owned(),
                queue.to_string(),
                "0".to_owned()
            ],
            "{row}"
        );
        // Analyst time is the work itself: turnaround less wait, item by item. An item
        // still being worked on at the end counts in full, which the journal cannot show
        // yet, so then the journal gives a lower bound.
        let worked = turnarounds.iter().sum::<i64>() - waits.iter().sum::<i64>();
        if turnarounds.len() == waits.len() {
            assert_eq!(cells[5], span(worked), "{row}");
        } else {
            let minutes = Duration::parse(cells[5]).unwrap().minutes;
            assert!(minutes >= worked, "{row}: at least {}", span(worked));
        }
    }

    // Procedures: every finished step with its time since the start and its deadline,
    // every decision with what was chosen and by whom.
    let procedures = section(&md, "Procedures");
    let steps: Vec<&Value> = journal
        .iter()
        .filter(|e| kind(e) == "step_finished")
        .collect();
    assert!(!steps.is_empty(), "DuckSends runs its intake procedure");
    for e in &steps {
        let status = match (e["deadline"].as_i64(), e["met"].as_bool()) {
            (Some(_), Some(true)) => "met",
            (Some(_), _) => "missed",
            (None, _) => "–",
        };
        let row = format!(
            "| {} | {} | {} |",
            str_of(e, "step"),
            span(int(e, "elapsed")),
            e["deadline"].as_i64().map_or_else(|| "–".to_owned(), span)
        );
        let line = procedures
            .lines()
            .find(|l| {
                l.starts_with(&format!("| {} (", format_offset(int(e, "t")))) && l.contains(&row)
            })
            .unwrap_or_else(|| panic!("no step row {row} in\n{procedures}"));
        assert!(line.ends_with(&format!("| {status} |")), "{line}");
    }
    let step_rows = procedures.lines().filter(|l| l.starts_with("| T+")).count();
    let decisions: Vec<&Value> = journal
        .iter()
        .filter(|e| kind(e) == "decision_taken")
        .collect();
    let raised = journal
        .iter()
        .filter(|e| kind(e) == "decision_raised")
        .count();
    assert_eq!(step_rows, steps.len() + raised, "{procedures}");
    let titles: BTreeMap<&str, &str> = [
        ("ciso", "DuckSends CISO (Nessie Woo)"),
        ("fin-duty", "fin-csirt duty officer"),
        ("ncsc-duty", "National CSIRT (NL) duty officer"),
    ]
    .into();
    let mut by_player = 0;
    for e in decisions {
        let by = match str_of(e, "by") {
            "default" => "default (no answer)".to_owned(),
            "facilitator" => "facilitator (for the player)".to_owned(),
            role => {
                by_player += 1;
                format!("{} (player)", titles[role])
            }
        };
        assert!(
            procedures.contains(&format!(
                "| {} at {} (",
                str_of(e, "option"),
                format_offset(int(e, "t"))
            )) && procedures.contains(&format!("| {by} |")),
            "{e}"
        );
    }
    assert_eq!(by_player, 1, "the CISO answered the helpdesk");
    // Players' own actions: each accepted or refused, with the role and the outcome.
    let acts: Vec<&Value> = journal
        .iter()
        .filter(|e| matches!(kind(e), "player_acted" | "action_refused"))
        .collect();
    assert_eq!(acts.len(), 2, "one raise accepted, one refused");
    for e in acts {
        let outcome = if kind(e) == "player_acted" {
            str_of(e, "detail").to_owned()
        } else {
            format!("**refused: {}**", str_of(e, "reason"))
        };
        let row = row_starting(
            procedures,
            &format!("| {} | {} (", int(e, "seq"), format_offset(int(e, "t"))),
        );
        assert!(
            row.contains(&format!(
                "| {} | raise crisis | {outcome} |",
                titles[str_of(e, "role")]
            )),
            "{row}"
        );
    }

    // Knowledge: how many actors learned each indicator, and from whom.
    let knowledge = section(&md, "How knowledge");
    let actors = names.len();
    let mut learned: BTreeMap<&str, usize> = BTreeMap::new();
    for e in journal.iter().filter(|e| kind(e) == "indicator_learned") {
        *learned.entry(str_of(e, "indicator")).or_default() += 1;
        let from = e["from"]
            .as_str()
            .map_or_else(|| "own detection".to_owned(), name);
        let row = format!(
            "| {} ({}) | {} | {} |",
            format_offset(int(e, "t")),
            tabletop::scenario::WallClock::parse("2026-03-13 16:30")
                .unwrap()
                .plus(int(e, "t"))
                .short(),
            name(str_of(e, "actor")),
            from
        );
        assert!(knowledge.contains(&row), "{row}");
    }
    for (indicator, count) in &learned {
        assert!(
            knowledge.contains(&format!("**{indicator}** (")),
            "{indicator}"
        );
        assert!(knowledge.contains(&format!("known by {count} of {actors} actors")));
    }

    // Observations, hot wash, improvement plan.
    let observations = section(&md, "Facilitator observations");
    for e in journal.iter().filter(|e| kind(e) == "observation") {
        assert!(observations.contains(&format!(
            "| {} | {} |",
            str_of(e, "author"),
            str_of(e, "text")
        )));
    }
    let hotwash = section(&md, "Hot wash");
    assert!(hotwash.contains("3 answers"));
    assert!(hotwash.contains("**What went well?**"));
    assert!(hotwash.contains(
        "- Classify as major earlier: the DORA clock surprised us. — Nessie Woo (CISO, DuckSends)"
    ));
    let plan = section(&md, "Improvement plan");
    let overdue = journal
        .iter()
        .filter(|e| kind(e) == "report_overdue")
        .filter(|e| {
            !journal.iter().any(|s| {
                kind(s) == "report_sent"
                    && str_of(s, "entity") == str_of(e, "entity")
                    && str_of(s, "report") == str_of(e, "report")
            })
        })
        .count();
    let rows = plan
        .lines()
        .filter(|l| l.starts_with("| ") && l.as_bytes()[2].is_ascii_digit())
        .count();
    let overrun = journal
        .iter()
        .filter(|e| kind(e) == "step_deadline_missed")
        .count();
    assert_eq!(rows, missed + late + overdue + overrun, "{plan}");
    assert!(plan.contains("| objective obj-1 |"));

    // No section ships blank: each heading is followed by some text.
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings.len(), 13, "{headings:?}");
    for heading in headings {
        let title = heading.split_once(". ").map_or(heading, |(_, t)| t);
        let body = section(&md, title);
        assert!(
            body.lines().skip(1).any(|l| !l.trim().is_empty()),
            "section {title} is blank"
        );
    }

    // The golden file: read it when it changes.
    let normalised = normalised(&md, dir.path());
    let golden = repo_path(GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &normalised).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == normalised,
        "the report differs from {GOLDEN}; if the change is intended, run `UPDATE_GOLDEN=1 cargo test --test report` and read the diff.\n--- first differing line:\n{}",
        expected
            .lines()
            .zip(normalised.lines())
            .find(|(a, b)| a != b)
            .map_or_else(
                || "(one is a prefix of the other)".to_owned(),
                |(a, b)| format!("golden: {a}\nnow:    {b}")
            )
    );
}

/// Every element and attribute of an HTML report, parsed as XML: mismatched or unclosed
/// tags, unquoted attributes, stray `&` and entities XML does not know fail here. Returns
/// the element names, the attributes and the text of `<style>`.
fn parse_xhtml(html: &str) -> (Vec<String>, Vec<(String, String)>, String) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(html);
    let (mut elements, mut attributes, mut style) = (Vec::new(), Vec::new(), String::new());
    let mut open: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at byte {}: {e}", reader.error_position()));
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name().as_ref().to_owned();
                for a in e.attributes() {
                    let a = a.expect("well-formed attribute");
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("known entities");
                    attributes.push((a.key.as_ref().to_owned(), value.into_owned()));
                }
                if matches!(event, Event::Start(_)) {
                    open.push(name.clone());
                }
                elements.push(name);
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) if open.last().is_some_and(|e| e == "style") => {
                style.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                let known = matches!(&*r.xml10_content(), "amp" | "lt" | "gt" | "quot" | "apos");
                assert!(
                    known || r.resolve_char_ref().is_ok_and(|c| c.is_some()),
                    "entity &{}; is not XML",
                    r.xml10_content()
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements at the end: {open:?}");
    (elements, attributes, style)
}

#[test]
fn the_html_report_is_well_formed_self_contained_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let out = dir.path().join("report.html");
    ok(&run(&[
        "report",
        s(&session),
        "-o",
        s(&out),
        "--tlp",
        "red",
        "--baseline",
        "5",
    ]));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    let (elements, attributes, style) = parse_xhtml(&html);
    for needed in [
        "html", "head", "style", "body", "table", "svg", "polyline", "figure",
    ] {
        assert!(elements.iter().any(|e| e == needed), "no <{needed}>");
    }
    for banned in ["script", "link", "img", "iframe", "object", "embed", "base"] {
        assert!(
            !elements.iter().any(|e| e == banned),
            "<{banned}> would load something"
        );
    }
    for (key, value) in &attributes {
        if matches!(
            key.as_str(),
            "src" | "href" | "xlink:href" | "srcset" | "action"
        ) {
            assert!(value.starts_with('#'), "{key}=\"{value}\" leaves the page");
        }
    }
    assert!(!style.contains("url("), "the stylesheet loads something");
    assert!(!style.contains("@import"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    // Marked at the top and bottom, and on every printed page.
    let first = html.find("tlp-top tlp-red").expect("marking at the top");
    let last = html
        .rfind("tlp-bottom tlp-red")
        .expect("marking at the bottom");
    assert!(first < html.find("<main>").unwrap() && last > html.find("</main>").unwrap());
    assert!(html.contains("@top-right { content: \"TLP:RED\""));
    assert!(html.contains(">TLP:RED<"));
    // Every section is there, none blank.
    for id in [
        "overview",
        "timeline",
        "objectives",
        "ratings",
        "compliance",
        "desks",
        "knowledge",
        "observations",
        "hotwash",
        "baseline",
        "comparison",
        "improvement-plan",
    ] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(html.contains("(seeds 0–4)"));
}

/// The index of the first differing line of two JSON Lines journals.
fn first_difference(a: &[Value], b: &[Value]) -> Option<usize> {
    (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i))
}

#[test]
fn a_branch_played_differently_names_the_first_diverging_event_and_changed_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let parent = recorded(dir.path());
    let branch = dir.path().join("branch.session.ron");
    let output = run(&[
        "branch",
        s(&parent),
        "--at",
        "2h",
        "-o",
        s(&branch),
        "--seed-keep",
    ]);
    ok(&output);
    assert!(
        text(&output.stderr).contains("same seed 20"),
        "{}",
        text(&output.stderr)
    );
    let header = std::fs::read_to_string(&branch).unwrap();
    let header = header.lines().next().unwrap().to_owned();
    assert!(
        header.contains(&format!(
            "seed:20,engine:{},parent:Some((path:",
            tabletop::sim::ENGINE_VERSION
        )),
        "{header}"
    );
    assert!(header.contains(",at:120,seed:20))"), "{header}");
    // What if the Belgian sighting had come in at T+2h?
    let extra = dir.path().join("what-if.ron");
    std::fs::write(
        &extra,
        "Command(at: 120, seq: 0, command: FireInject(inject: \"be-sighting\"))\n",
    )
    .unwrap();
    ok(&run(&["resume", s(&branch), "--commands", s(&extra)]));
    let out = dir.path().join("branch.md");
    ok(&run(&["report", s(&branch), "-o", s(&out)]));
    let md = std::fs::read_to_string(&out).unwrap();
    let comparison = section(&md, "What-if comparison");

    let (parent_journal, branch_journal) =
        (journal(dir.path(), &parent), journal(dir.path(), &branch));
    let i = first_difference(&parent_journal, &branch_journal).expect("the runs differ");
    let (p, b) = (&parent_journal[i], &branch_journal[i]);
    let t = int(p, "t").min(int(b, "t"));
    assert!(
        comparison.contains(&format!(
            "First diverging journal event, line #{i} at {} (",
            format_offset(t)
        )),
        "{comparison}"
    );
    assert_eq!(kind(b), "inject_fired");
    assert!(comparison.contains(&format!("- branch: {} (", format_offset(int(b, "t")))));
    assert!(comparison.contains("INJECT be-sighting"));
    assert!(comparison.contains(&format!("- parent: {} (", format_offset(int(p, "t")))));

    // Changed verdicts, from the two journals.
    let verdicts = |j: &[Value]| -> BTreeMap<String, &'static str> {
        j.iter()
            .filter_map(|e| match kind(e) {
                "objective_met" => Some((str_of(e, "objective").to_owned(), "met")),
                "objective_missed" => Some((str_of(e, "objective").to_owned(), "missed")),
                _ => None,
            })
            .collect()
    };
    let (before, after) = (verdicts(&parent_journal), verdicts(&branch_journal));
    let changed: Vec<_> = ducksends()
        .objectives
        .iter()
        .filter(|o| before.get(&o.id) != after.get(&o.id))
        .map(|o| o.id.clone())
        .collect();
    assert!(!changed.is_empty(), "the early sighting changes the story");
    assert!(comparison.contains(&format!("{} objective(s) changed verdict.", changed.len())));
    for id in &changed {
        let row = row_starting(comparison, &format!("| {id} — "));
        assert!(row.ends_with("| **yes** |"), "{row}");
    }

    // The same comparison on request, from the parent's side.
    let out = dir.path().join("parent-vs-branch.md");
    ok(&run(&[
        "report",
        s(&parent),
        "-o",
        s(&out),
        "--compare",
        s(&branch),
    ]));
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("names no parent; it is compared with"));
    assert!(md.contains(&format!("line #{i} at")));
}

#[test]
fn a_branch_with_a_new_seed_says_so_and_resumes_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let parent = recorded(dir.path());
    let branch = dir.path().join("other-luck.session.ron");
    ok(&run(&[
        "branch",
        s(&parent),
        "--at",
        "20h",
        "-o",
        s(&branch),
    ]));
    let recorded = std::fs::read_to_string(&branch).unwrap();
    assert!(
        !recorded.contains("Checkpoint("),
        "no checksum of another seed's history"
    );
    assert_eq!(
        recorded.matches("Command(").count(),
        2,
        "the CISO's answer at T+1h 1m and the observation at T+10h are kept; the players' actions at T+1d 1h and the rating at T+2d 2h are not"
    );
    ok(&run(&["resume", s(&branch)]));
    let out = dir.path().join("other-luck.md");
    ok(&run(&["report", s(&branch), "-o", s(&out)]));
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("The branch plays with a new seed"),
        "{}",
        section(&md, "What-if comparison")
    );
    assert!(md.contains("| Branch | a what-if branch of"));
    // Hot-wash answers are the parent's, not the branch's.
    assert!(section(&md, "Hot wash").contains("No hot-wash feedback"));
}

#[test]
fn hot_wash_answers_leave_replay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let with_answers = journal(dir.path(), &session);
    let plain = dir.path().join("plain.session.ron");
    let script = dir.path().join("script.ron");
    ok(&run(&[
        "run",
        "scenarios/ducksends.ron",
        "--seed",
        SEED,
        "--session",
        s(&plain),
        "--commands",
        s(&script),
    ]));
    assert_eq!(with_answers, journal(dir.path(), &plain));
    let loaded = tabletop::session::load(&session).unwrap();
    assert_eq!(loaded.hotwash.len(), 3);
    assert_eq!(loaded.hotwash[0].participant, "Nessie Woo");
}

#[test]
fn bad_input_gets_a_clear_message_and_exit_1_or_2_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let out = dir.path().join("r.md");
    let answers = dir.path().join("bad-answers.ron");
    std::fs::write(
        &answers,
        "[Answer(participant: \"x\", role: \"\", question: \"q\")]",
    )
    .unwrap();
    let good = dir.path().join("answers.ron");
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["report", "missing.session.ron", "-o", s(&out)],
            1,
            "cannot read missing.session.ron",
        ),
        (
            vec!["report", "scenarios/ducksends.ron", "-o", s(&out)],
            1,
            "scenarios/ducksends.ron:1:",
        ),
        (
            vec!["report", s(&session), "-o", "report.pdf"],
            2,
            "name the output FILE.html",
        ),
        (
            vec!["report", s(&session), "-o", s(&out), "--baseline", "0"],
            2,
            "a baseline needs at least 1 seed",
        ),
        (
            vec!["report", s(&session), "-o", s(&out), "--tlp", "white"],
            2,
            "expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED",
        ),
        (
            vec![
                "report",
                s(&session),
                "-o",
                s(&out),
                "--compare",
                "missing.ron",
            ],
            1,
            "cannot read missing.ron",
        ),
        (
            vec!["branch", s(&session), "--at", "6d", "-o", "b.ron"],
            2,
            "the exercise ends at T+5d",
        ),
        (
            vec!["branch", s(&session), "--at", "soon", "-o", "b.ron"],
            2,
            "--at",
        ),
        (
            vec!["branch", s(&session), "--at", "1h", "-o", s(&session)],
            1,
            "it already exists",
        ),
        (
            vec!["feedback", s(&session), "--file", s(&answers)],
            1,
            "expected a list of hot-wash answers",
        ),
        (
            vec!["feedback", s(&session), "--file", "tests/report.rs"],
            1,
            "tests/report.rs:",
        ),
        (
            vec!["feedback", "missing.session.ron", "--file", s(&answers)],
            1,
            "bad-answers.ron:1:",
        ),
        (
            vec!["feedback", "missing.session.ron", "--file", s(&good)],
            1,
            "cannot read missing.session.ron",
        ),
    ];
    for (args, code, message) in cases {
        let output = run(&args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}:\n{stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: expected {message:?} in\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}:\n{stderr}");
    }
    assert!(!out.exists(), "no report is written on bad input");
}

/// Issue 16: the report reads like an after-action report: objectives and the improvement
/// plan first, the full event timeline last; an objective whose trigger never happened
/// reads "not triggered" with its reason.
#[test]
fn the_report_puts_findings_first_and_the_timeline_last() {
    let dir = tempfile::tempdir().unwrap();
    let session = recorded(dir.path());
    let out = dir.path().join("report.md");
    ok(&run(&["report", s(&session), "-o", s(&out)]));
    let md = std::fs::read_to_string(&out).unwrap();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    let at = |title: &str| {
        headings
            .iter()
            .position(|h| h.ends_with(title))
            .unwrap_or_else(|| panic!("no section {title:?} in {headings:?}"))
    };
    assert_eq!(at("Exercise overview"), 0, "{headings:?}");
    assert_eq!(at("Objectives"), 1, "{headings:?}");
    assert_eq!(at("Improvement plan"), 2, "{headings:?}");
    assert_eq!(
        at("Timeline of key events"),
        headings.len() - 1,
        "{headings:?}"
    );
    for (n, h) in headings.iter().enumerate() {
        assert!(
            h.starts_with(&format!("## {}. ", n + 1)),
            "numbered in order: {headings:?}"
        );
    }
    let html_out = dir.path().join("report.html");
    ok(&run(&["report", s(&session), "-o", s(&html_out)]));
    let html = std::fs::read_to_string(&html_out).unwrap();
    let objectives = html.find("<section id=\"objectives\">").unwrap();
    let timeline = html.find("<section id=\"timeline\">").unwrap();
    let plan = html.find("<section id=\"improvement-plan\">").unwrap();
    assert!(
        objectives < plan && plan < timeline,
        "HTML in the same order"
    );
    // Seed 1: DuckSends never classifies its incident as major, so obj-1 never starts.
    let quiet = dir.path().join("seed1.session.ron");
    ok(&run(&[
        "run",
        "scenarios/ducksends.ron",
        "--seed",
        "1",
        "--session",
        s(&quiet),
    ]));
    let quiet_md = dir.path().join("seed1.md");
    ok(&run(&["report", s(&quiet), "-o", s(&quiet_md)]));
    let md = std::fs::read_to_string(&quiet_md).unwrap();
    assert!(
        md.contains("NOT TRIGGERED"),
        "an objective that never started is settled"
    );
    assert!(
        md.contains("its trigger never happened: DuckSends classifies an incident as major"),
        "with its reason"
    );
}
