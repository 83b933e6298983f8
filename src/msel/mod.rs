//! The MSEL as a spreadsheet (issue 19): a scenario's injects as an HSEEP master scenario
//! events list, for exercise designers' planning meetings.
//!
//! [`rows`] reads the injects into the HSEEP columns; [`csv`] and [`xlsx`] write them as
//! a spreadsheet opens them without running anything; [`read`] and [`import`] bring an
//! edited sheet back into the scenario's injects. What a spreadsheet cannot hold (triggers
//! as patterns, effects, guards) is written as the scenario writes it, in RON, so nothing
//! is lost to the reader.

pub mod csv;
pub mod import;
pub mod read;
pub mod workbook;
pub mod xlsx;

use crate::scenario::time::format_offset;
use crate::scenario::{Inject, Minute, Scenario, WallClock, When};
use crate::sim::InjectStatus;

/// The HSEEP MSEL columns, in order.
pub const COLUMNS: [&str; 14] = [
    "number",
    "inject id",
    "scenario time",
    "planned wall time",
    "type",
    "delivery method",
    "from",
    "to",
    "title",
    "message",
    "expected player action",
    "objective",
    "responsible controller",
    "notes",
];

/// The columns a played session adds: what became of each inject, and when it fired.
pub const SESSION_COLUMNS: [&str; 2] = ["status", "actual time"];

/// One MSEL row: one inject, a cell per [`COLUMNS`] entry (and [`SESSION_COLUMNS`] when a
/// session is given).
pub type Row = Vec<String>;

/// RON text of a scenario value, as its author would write it.
fn ron_text<T: serde::Serialize>(value: &T) -> String {
    ron::to_string(value).unwrap_or_default()
}

/// HSEEP's inject types: a contingency fires only if the players fall short; a question
/// asks them to decide; a message informs; an event changes the world without a word.
fn kind(inject: &Inject) -> String {
    if matches!(inject.when, When::Unless { .. }) {
        return "contingency".into();
    }
    let mut parts = Vec::new();
    if inject.question.is_some() {
        parts.push("question");
    } else if inject.message.is_some() {
        parts.push("message");
    }
    if !inject.effects.is_empty() {
        parts.push("event");
    }
    if parts.is_empty() {
        parts.push("message");
    }
    parts.join(" + ")
}

/// The MSEL rows of every inject, in the scenario's order.
pub fn rows(scenario: &Scenario) -> Vec<Row> {
    scenario
        .injects
        .iter()
        .enumerate()
        .map(|(n, inject)| row(scenario, n + 1, inject))
        .collect()
}

/// The scenario-time cell: `T+4h` or `Mon 03:00` for a scheduled inject, the trigger in
/// the scenario's RON for a triggered one.
fn row_time(when: &When) -> String {
    match when {
        When::At(at) => at.to_string(),
        When::After { on, delay } => format!("{delay} after {}", ron_text(on)),
        When::Unless {
            after,
            expected,
            within,
        } => format!(
            "{within} after {} unless {} first",
            ron_text(after),
            ron_text(expected)
        ),
    }
}

fn row(scenario: &Scenario, number: usize, inject: &Inject) -> Row {
    let time = row_time(&inject.when);
    let wall = match &inject.when {
        When::At(at) => scenario.start.plus(at.resolve(&scenario.start)).describe(),
        When::After { .. } | When::Unless { .. } => String::new(),
    };
    let message = inject.message.as_ref().map_or_else(String::new, |m| {
        if m.body.is_empty() {
            m.subject.clone()
        } else {
            format!("{}\n\n{}", m.subject, m.body)
        }
    });
    // Objectives whose check names this inject.
    let needle = format!("Inject(\"{}\")", inject.id);
    let objectives: Vec<&str> = scenario
        .objectives
        .iter()
        .filter(|o| ron_text(&o.check).contains(&needle))
        .map(|o| o.id.as_str())
        .collect();
    let mut notes = Vec::new();
    if let Some(q) = &inject.question {
        let options: Vec<String> = q
            .options
            .iter()
            .map(|a| format!("{} ({})", a.label, a.id))
            .collect();
        notes.push(format!(
            "question: {} options: {}; default {} after {}",
            q.prompt,
            options.join(", "),
            q.default,
            q.timeout
        ));
    }
    if !inject.effects.is_empty() {
        notes.push(format!("effects: {}", ron_text(&inject.effects)));
    }
    if !inject.only_if.is_empty() {
        notes.push(format!("only if: {}", ron_text(&inject.only_if)));
    }
    if inject.optional {
        notes.push("optional: fires only if the facilitator fires it".to_owned());
    }
    vec![
        number.to_string(),
        inject.id.clone(),
        time,
        wall,
        kind(inject),
        inject.message.as_ref().map_or_else(
            || "exercise control".to_owned(),
            |m| m.channel.label().to_owned(),
        ),
        inject
            .message
            .as_ref()
            .map_or_else(String::new, |m| m.from.clone()),
        inject.to.join("; "),
        inject.title.clone(),
        message,
        inject.expected.join("\n"),
        objectives.join("; "),
        // The scenario names no controller: the planning meeting fills it in.
        String::new(),
        notes.join("\n"),
    ]
}

/// The status and actual-time cells of an inject in a played session.
pub fn session_cells(status: InjectStatus, start: &WallClock) -> [String; 2] {
    let when = |t: Minute| format!("{} ({})", format_offset(t), start.plus(t).describe());
    match status {
        InjectStatus::Fired { at } => ["fired".into(), when(at)],
        InjectStatus::Skipped => ["skipped by the facilitator".into(), String::new()],
        InjectStatus::Cancelled => ["cancelled: not needed".into(), String::new()],
        InjectStatus::Waiting => ["not fired: its trigger never came".into(), String::new()],
        InjectStatus::Optional => [
            "optional: the facilitator did not fire it".into(),
            String::new(),
        ],
        InjectStatus::Armed { deadline } => [
            format!("armed, due {} when the recording stops", when(deadline)),
            String::new(),
        ],
        InjectStatus::Scheduled { at } => [
            format!("scheduled for {} when the recording stops", when(at)),
            String::new(),
        ],
    }
}

/// Adds the [`SESSION_COLUMNS`] to `rows` (of `scenario`'s injects, in order) from
/// `statuses` (by inject id, as the simulation gives them).
pub fn add_session(rows: &mut [Row], scenario: &Scenario, statuses: &[(String, InjectStatus)]) {
    for (row, inject) in rows.iter_mut().zip(&scenario.injects) {
        let cells = statuses
            .iter()
            .find(|(id, _)| *id == inject.id)
            .map_or_else(
                || ["not in the session".to_owned(), String::new()],
                |(_, status)| session_cells(*status, &scenario.start),
            );
        row.extend(cells);
    }
}
