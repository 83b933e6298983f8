//! `tabletop msel import`: an MSEL spreadsheet's rows merged into a scenario's injects by
//! inject id, the rest of the file left byte for byte as it was.
//!
//! A row whose id the scenario has updates what a spreadsheet holds (title, addressees,
//! scenario time, delivery method, from, message, expected player action); what it cannot
//! hold (triggers, effects, questions, guards) is kept from the scenario. A trigger's cell
//! left as exported keeps the trigger; a time such as `T+4h` makes the inject scheduled.
//! A new id becomes a new scheduled message inject. Only the fields that changed are
//! rewritten, in the file's place for them; new injects follow the last; everything else,
//! comments included, keeps its bytes. Every bad cell is reported with its sheet, row and
//! column, and nothing is written unless all of it is right and the merged file loads.

use std::fmt;

use super::read::Sheet;
use crate::scenario::locate::{Node, structure};
use crate::scenario::{At, Channel, Inject, Message, Scenario, When};

/// A cell that cannot go into the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    pub sheet: String,
    /// 1-based, as a spreadsheet numbers rows.
    pub row: usize,
    /// The column's letter and header.
    pub column: String,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sheet {}, row {}, column {}: {}",
            self.sheet, self.row, self.column, self.message
        )
    }
}

/// Why a sheet cannot be imported; nothing is written then.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error(
        "sheet {0}: no \"inject id\" column in the first row; expected the columns `tabletop msel` writes"
    )]
    NoIdColumn(String),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Cells(Vec<CellError>),
    #[error(
        "the scenario's injects cannot be found in its text (new injects need an `injects: [...]` list in the file)"
    )]
    NoInjects,
    #[error("the merged scenario is wrong, so nothing was written:\n{0}")]
    Merged(String),
}

/// A merged scenario: its text, and what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub text: String,
    /// Ids of the injects the sheet changed, in the scenario's order.
    pub changed: Vec<String>,
    /// Ids of the new injects, in the sheet's order.
    pub added: Vec<String>,
    /// Injects of the scenario the sheet does not list (kept as they are).
    pub unlisted: usize,
}

/// The scenario-time cell of a trigger, as [`super::rows`] writes it.
pub fn when_text(when: &When) -> String {
    super::row_time(when)
}

/// A delivery-method cell as a channel: its label as the MSEL writes it ("e-mail",
/// "in person"), in any case, or "email" as people also write it.
fn channel_of(label: &str) -> Option<Channel> {
    [
        Channel::Phone,
        Channel::Email,
        Channel::Portal,
        Channel::Media,
        Channel::InPerson,
    ]
    .into_iter()
    .find(|c| {
        c.label().eq_ignore_ascii_case(label)
            || (label.eq_ignore_ascii_case("email") && *c == Channel::Email)
    })
}

/// The cells of one row, by header, with where to report a problem.
struct Row<'a> {
    sheet: &'a Sheet,
    number: usize,
    cells: &'a [String],
    columns: &'a [(String, usize)],
    errors: &'a mut Vec<CellError>,
}

impl<'a> Row<'a> {
    /// The cell under `header`, trimmed; `None` when the sheet has no such column.
    fn get(&self, header: &str) -> Option<&'a str> {
        let (_, index) = self.columns.iter().find(|(h, _)| h == header)?;
        Some(self.cells.get(*index).map_or("", |c| c.trim()))
    }

    fn error(&mut self, header: &str, message: String) {
        let index = self
            .columns
            .iter()
            .find(|(h, _)| h == header)
            .map_or(0, |(_, i)| *i);
        self.errors.push(CellError {
            sheet: self.sheet.name.clone(),
            row: self.number,
            column: format!("{} ({header})", super::xlsx::column(index)),
            message,
        });
    }
}

/// The inject `row` makes of `base` (the scenario's, or a new one).
fn merged(row: &mut Row<'_>, base: &Inject, new: bool, actors: &[&str]) -> Inject {
    let mut inject = base.clone();
    if let Some(title) = row.get("title") {
        if title.is_empty() {
            row.error("title", "an inject needs a title".into());
        }
        inject.title = title.to_owned();
    }
    if let Some(to) = row.get("to") {
        let ids: Vec<String> = to
            .split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        for id in &ids {
            if !actors.contains(&id.as_str()) {
                row.error(
                    "to",
                    format!("\"{id}\" is no CSIRT, authority or organisation of the scenario"),
                );
            }
        }
        inject.to = ids;
    }
    match row.get("scenario time") {
        Some(text) if !new && text == when_text(&base.when) => {}
        Some(text) => match At::parse(text) {
            Ok(at) => inject.when = When::At(at),
            Err(e) => row.error(
                "scenario time",
                format!(
                    "\"{text}\" is no exercise time ({e}); a trigger stays as the scenario has it when its cell is left as exported, and is changed in the RON file"
                ),
            ),
        },
        None if new => row.error(
            "scenario time",
            "a new inject needs a time such as \"T+4h\"".into(),
        ),
        None => {}
    }
    if let Some(method) = row.get("delivery method") {
        // A column the sheet lacks keeps what the scenario has.
        let old = base.message.as_ref();
        let from = row.get("from").map_or_else(
            || old.map(|m| m.from.clone()).unwrap_or_default(),
            str::to_owned,
        );
        let text = row.get("message").map_or_else(
            || {
                old.map(|m| {
                    if m.body.is_empty() {
                        m.subject.clone()
                    } else {
                        format!("{}\n\n{}", m.subject, m.body)
                    }
                })
                .unwrap_or_default()
            },
            str::to_owned,
        );
        if method.is_empty() || method.eq_ignore_ascii_case("exercise control") {
            if !from.is_empty() || !text.is_empty() {
                row.error(
                    "delivery method",
                    "a message needs a delivery method: phone, e-mail, portal, media or in person"
                        .into(),
                );
            }
            inject.message = None;
        } else if let Some(channel) = channel_of(method) {
            let (subject, body) = text
                .split_once("\n\n")
                .map_or((text.as_str(), ""), |(s, b)| (s, b));
            inject.message = Some(Message {
                from,
                channel,
                subject: subject.to_owned(),
                body: body.to_owned(),
            });
        } else {
            row.error(
                "delivery method",
                format!(
                    "\"{method}\" is no delivery method; expected phone, e-mail, portal, media, in person or exercise control"
                ),
            );
        }
    }
    if let Some(expected) = row.get("expected player action") {
        inject.expected = expected
            .split('\n')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
    }
    inject
}

/// A value as RON text (strings quoted and escaped, enums by name).
fn ron_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    ron::to_string(value).unwrap_or_default()
}

/// A list of strings: `["a", "b"]` on one line, or one item a line (at `indent`) when
/// there are several.
fn string_list(items: &[String], indent: &str) -> String {
    match items {
        [] => "[]".to_owned(),
        [one] => format!("[{}]", ron_text(one)),
        _ => {
            let lines: Vec<String> = items
                .iter()
                .map(|i| format!("{indent}    {},\n", ron_text(i)))
                .collect();
            format!("[\n{}{indent}]", lines.concat())
        }
    }
}

/// The RON of one field a spreadsheet holds, as the value after `name: `, its lines
/// indented to sit at `indent` (the field's own column).
fn field_value(inject: &Inject, name: &str, indent: &str) -> String {
    match name {
        "id" => ron_text(&inject.id),
        "title" => ron_text(&inject.title),
        "when" => ron_text(&inject.when),
        "to" => format!(
            "[{}]",
            inject.to.iter().map(ron_text).collect::<Vec<_>>().join(", ")
        ),
        "expected" => string_list(&inject.expected, indent),
        // `message` is optional: with implicit_some, written as the message itself.
        _ => inject.message.as_ref().map_or_else(
            || "None".to_owned(),
            |m| {
                format!(
                    "Message(\n{indent}    from: {},\n{indent}    channel: {},\n{indent}    subject: {},\n{indent}    body: {},\n{indent})",
                    ron_text(&m.from),
                    ron_text(&m.channel),
                    ron_text(&m.subject),
                    ron_text(&m.body)
                )
            },
        ),
    }
}

/// The fields a spreadsheet holds, in the order a new inject is written.
const SHEET_FIELDS: [&str; 6] = ["id", "title", "when", "to", "message", "expected"];

/// Whether `name` differs between two injects.
fn differs(old: &Inject, new: &Inject, name: &str) -> bool {
    match name {
        "id" => old.id != new.id,
        "title" => old.title != new.title,
        "when" => old.when != new.when,
        "to" => old.to != new.to,
        "message" => old.message != new.message,
        _ => old.expected != new.expected,
    }
}

/// A new inject as RON, at `indent`: the fields a spreadsheet holds (the others are their
/// defaults: no effects, no question, no guard).
fn new_item(inject: &Inject, indent: &str) -> String {
    let inner = format!("{indent}    ");
    let mut out = String::from("Inject(\n");
    for name in SHEET_FIELDS {
        if (name == "message" && inject.message.is_none())
            || (name == "expected" && inject.expected.is_empty())
        {
            continue;
        }
        out.push_str(&format!(
            "{inner}{name}: {},\n",
            field_value(inject, name, &inner)
        ));
    }
    out.push_str(indent);
    out.push(')');
    out
}

/// Merges `sheet` into `scenario` (loaded from `text`, named `file` in messages).
pub fn import(
    sheet: &Sheet,
    scenario: &Scenario,
    text: &str,
    file: &str,
) -> Result<Imported, ImportError> {
    let header = sheet.rows.first().cloned().unwrap_or_default();
    let columns: Vec<(String, usize)> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
        .collect();
    if !columns.iter().any(|(h, _)| h == "inject id") {
        return Err(ImportError::NoIdColumn(sheet.name.clone()));
    }
    let actors: Vec<&str> = scenario
        .csirts
        .iter()
        .map(|c| c.id.as_str())
        .chain(scenario.authorities.iter().map(|a| a.id.as_str()))
        .chain(scenario.entities.iter().map(|e| e.id.as_str()))
        .collect();
    let mut errors = Vec::new();
    let mut injects = scenario.injects.clone();
    let mut added: Vec<Inject> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (n, cells) in sheet.rows.iter().enumerate().skip(1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = Row {
            sheet,
            number: n + 1,
            cells,
            columns: &columns,
            errors: &mut errors,
        };
        let id = row.get("inject id").unwrap_or("").to_owned();
        if id.is_empty() {
            row.error("inject id", "every row needs an inject id".into());
            continue;
        }
        if seen.contains(&id) {
            row.error("inject id", format!("\"{id}\" is on an earlier row too"));
            continue;
        }
        seen.push(id.clone());
        match scenario.injects.iter().position(|i| i.id == id) {
            Some(at) => injects[at] = merged(&mut row, &scenario.injects[at], false, &actors),
            None => {
                let base = Inject {
                    id: id.clone(),
                    title: String::new(),
                    when: When::At(At::Offset(0)),
                    to: Vec::new(),
                    message: None,
                    effects: Vec::new(),
                    expected: Vec::new(),
                    question: None,
                    only_if: Vec::new(),
                    optional: false,
                    discussion: Vec::new(),
                };
                added.push(merged(&mut row, &base, true, &actors));
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Cells(errors));
    }
    let changed: Vec<usize> = (0..injects.len())
        .filter(|&i| injects[i] != scenario.injects[i])
        .collect();
    let text = splice(text, (&scenario.injects, &injects), &changed, &added)?;
    let merged = crate::scenario::parse(file, text.as_bytes())
        .map_err(|d| ImportError::Merged(d.to_string()))?;
    let expected: Vec<&Inject> = injects.iter().chain(&added).collect();
    if merged.injects.iter().collect::<Vec<_>>() != expected {
        return Err(ImportError::Merged(
            "the rewritten injects do not read back as merged".into(),
        ));
    }
    Ok(Imported {
        text,
        changed: changed.iter().map(|&i| injects[i].id.clone()).collect(),
        added: added.iter().map(|i| i.id.clone()).collect(),
        unlisted: scenario
            .injects
            .iter()
            .filter(|i| !seen.contains(&i.id))
            .count(),
    })
}

/// `text` with the fields the sheet changed rewritten in place (the rest of each inject,
/// comments included, as it was) and `added` after the last inject.
fn splice(
    text: &str,
    (old, injects): (&[Inject], &[Inject]),
    changed: &[usize],
    added: &[Inject],
) -> Result<String, ImportError> {
    if changed.is_empty() && added.is_empty() {
        return Ok(text.to_owned());
    }
    let root = structure(text).map_err(|_| ImportError::NoInjects)?;
    let list: &Node = root
        .fields()
        .iter()
        .find(|(name, _, _)| name == "injects")
        .map(|(_, _, node)| node)
        .ok_or(ImportError::NoInjects)?;
    let items = list.items();
    if items.len() != injects.len() {
        return Err(ImportError::NoInjects);
    }
    // (start, end, replacement), applied from the end so earlier offsets stay right.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let indent_of = |node: &Node| " ".repeat(node.start.col.saturating_sub(1));
    for &i in changed {
        let item = &items[i];
        let fields = item.fields();
        let indent = fields.first().map_or_else(
            || format!("{}    ", indent_of(item)),
            |(_, at, _)| " ".repeat(at.col.saturating_sub(1)),
        );
        for name in SHEET_FIELDS {
            if !differs(&old[i], &injects[i], name) {
                continue;
            }
            let value = field_value(&injects[i], name, &indent);
            match fields.iter().find(|(field, _, _)| field == name) {
                Some((_, _, node)) => edits.push((node.start_byte, node.end_byte, value)),
                None => {
                    let at = fields
                        .last()
                        .map_or(item.start_byte, |(_, _, node)| node.end_byte);
                    edits.push((at, at, format!(",\n{indent}{name}: {value}")));
                }
            }
        }
    }
    if !added.is_empty() {
        let (at, indent, lead) = match items.last() {
            Some(last) => (last.end_byte, indent_of(last), ",\n"),
            None => (list.start_byte + 1, " ".repeat(list.start.col + 3), "\n"),
        };
        let mut insert = String::new();
        for (n, inject) in added.iter().enumerate() {
            insert.push_str(if n == 0 { lead } else { ",\n" });
            insert.push_str(&indent);
            insert.push_str(&new_item(inject, &indent));
        }
        if items.is_empty() {
            insert.push_str(",\n");
        }
        edits.push((at, at, insert));
    }
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_owned();
    for (start, end, replacement) in edits {
        out.replace_range(start..end, &replacement);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ducksends() -> (Scenario, String) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        crate::scenario::load_path(&path).expect("DuckSends loads")
    }

    fn sheet(scenario: &Scenario, keep: &[&str]) -> Sheet {
        let columns: Vec<usize> = super::super::COLUMNS
            .iter()
            .enumerate()
            .filter(|(_, c)| keep.contains(c))
            .map(|(i, _)| i)
            .collect();
        let header = columns
            .iter()
            .map(|&i| super::super::COLUMNS[i].to_owned())
            .collect();
        let mut rows = vec![header];
        for row in super::super::rows(scenario) {
            rows.push(columns.iter().map(|&i| row[i].clone()).collect());
        }
        Sheet {
            name: "MSEL".into(),
            rows,
        }
    }

    #[test]
    fn a_sheet_without_a_column_keeps_that_field() {
        let (scenario, text) = ducksends();
        let mut rows = sheet(&scenario, &["inject id", "title", "delivery method"]);
        let title = rows.rows[0]
            .iter()
            .position(|h| h == "title")
            .expect("a title column");
        rows.rows[1][title] = "A new title".into();
        let imported = import(&rows, &scenario, &text, "new.ron").expect("imports");
        assert_eq!(imported.changed, ["helpdesk-tip"]);
        let merged = crate::scenario::parse("new.ron", imported.text.as_bytes()).expect("loads");
        assert_eq!(merged.injects[0].title, "A new title");
        assert_eq!(merged.injects[0].message, scenario.injects[0].message);
        assert_eq!(merged.injects[0].when, scenario.injects[0].when);
    }

    #[test]
    fn a_triggers_cell_left_as_exported_keeps_the_trigger_and_a_time_schedules_it() {
        let (scenario, text) = ducksends();
        let triggered = scenario
            .injects
            .iter()
            .position(|i| !matches!(i.when, When::At(_)))
            .expect("DuckSends has a triggered inject");
        let untouched = sheet(&scenario, &["inject id", "scenario time"]);
        let imported = import(&untouched, &scenario, &text, "new.ron").expect("imports");
        assert!(imported.changed.is_empty());
        assert_eq!(imported.text, text);
        let mut scheduled = untouched.clone();
        scheduled.rows[triggered + 1][1] = "T+6h".into();
        let imported = import(&scheduled, &scenario, &text, "new.ron").expect("imports");
        let merged = crate::scenario::parse("new.ron", imported.text.as_bytes()).expect("loads");
        assert_eq!(merged.injects[triggered].when, When::At(At::Offset(360)));
    }
}
