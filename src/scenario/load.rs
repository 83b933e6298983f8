//! Turning the bytes of a scenario file into a checked [`Scenario`], or into every problem
//! found in it, each with its line and column.

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::locate::{self, BracketFault, ItemPath, LineIndex, Node, Position};
use super::model::{Adversary, Authority, Csirt, Inject, Objective, Organisation, Scenario};
use super::spelling::near_miss;
use super::time::{Duration, WallClock};
use super::validate;

/// One thing wrong with a file: where, which item, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub position: Position,
    /// Item path, e.g. `entities[2].csirt`; empty for syntax errors.
    pub item: String,
    pub message: String,
}

impl Problem {
    pub fn new(position: Position, item: &ItemPath, message: impl Into<String>) -> Self {
        Self {
            position,
            item: item.to_string(),
            message: message.into(),
        }
    }
}

/// Every problem found in one file, with the text needed to show each in context.
#[derive(Clone, Debug)]
pub struct Diagnostics {
    pub file: String,
    pub problems: Vec<Problem>,
    source: String,
    /// Warnings about a valid file (what can never happen), not problems that stop it.
    warning: bool,
}

impl Diagnostics {
    fn new(file: &str, source: &str, mut problems: Vec<Problem>) -> Self {
        problems.sort_by(|a, b| a.position.cmp(&b.position).then(a.message.cmp(&b.message)));
        problems.dedup();
        Self {
            file: file.to_owned(),
            problems,
            source: source.to_owned(),
            warning: false,
        }
    }

    /// Warnings about the valid scenario in `source`, each at the item path it is about.
    pub fn warnings(file: &str, source: &str, found: Vec<(ItemPath, String)>) -> Self {
        let tree = locate::structure(source).ok();
        let problems = found
            .into_iter()
            .map(|(path, message)| {
                let position = tree
                    .as_ref()
                    .map_or(Position { line: 1, col: 1 }, |tree| tree.locate(&path));
                Problem::new(position, &path, message)
            })
            .collect();
        Self {
            warning: true,
            ..Self::new(file, source, problems)
        }
    }

    fn single(file: &str, position: Position, message: impl Into<String>) -> Self {
        Self::new(
            file,
            "",
            vec![Problem {
                position,
                item: String::new(),
                message: message.into(),
            }],
        )
    }
}

impl fmt::Display for Diagnostics {
    /// `FILE:LINE:COL: item: message`, then the source line with a caret under the column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One index of line starts for all problems: a file with thousands of problems
        // must not be scanned from the top for each.
        let lines = LineIndex::new(&self.source);
        for problem in &self.problems {
            let Position { line, col } = problem.position;
            write!(f, "{}:{line}:{col}: ", self.file)?;
            if self.warning {
                f.write_str("warning: ")?;
            }
            if !problem.item.is_empty() {
                write!(f, "{}: ", problem.item)?;
            }
            writeln!(f, "{}", problem.message)?;
            if let Some(text) = lines.line(line) {
                let shown: String = text.chars().take(160).collect();
                let gutter = line.to_string();
                writeln!(f, "{gutter} | {shown}")?;
                let pad: String = shown
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{} | {pad}^", " ".repeat(gutter.len()))?;
            }
        }
        let noun = if self.warning { "warning" } else { "problem" };
        write!(
            f,
            "{}: {}",
            self.file,
            crate::words::count(self.problems.len(), noun)
        )
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// Reads and checks a scenario file.
pub fn load_path(path: &Path) -> Result<(Scenario, String), LoadError> {
    let label = path.display().to_string();
    let unreadable = |reason: String| LoadError::Unreadable {
        path: label.clone(),
        reason,
    };
    let bytes = crate::files::read_regular(
        path,
        crate::files::max_file_bytes(),
        "a scenario file (.ron)",
    )
    .map_err(|e| unreadable(e.to_string()))?;
    let scenario = parse(&label, &bytes).map_err(LoadError::Invalid)?;
    // `parse` has refused bytes that are not UTF-8, so this cannot fail; if it did, an
    // error beats an empty text that diagnostics and the console would show as the file.
    let text = String::from_utf8(bytes).map_err(|e| unreadable(e.to_string()))?;
    Ok((scenario, text))
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Parses and validates scenario text. `file` names the source in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Scenario, Diagnostics> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let line = text.matches('\n').count() + 1;
            let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let problem = Problem {
                position: Position { line, col },
                item: String::new(),
                message: format!(
                    "byte 0x{:02x} is not UTF-8 text; expected a RON scenario saved as UTF-8",
                    bytes[e.valid_up_to()]
                ),
            };
            // Shown with U+FFFD in place of the bad bytes, so the caret has a line to sit under.
            return Err(Diagnostics::new(
                file,
                &String::from_utf8_lossy(bytes),
                vec![problem],
            ));
        }
    };
    if text.trim().is_empty() {
        return Err(Diagnostics::single(
            file,
            Position { line: 1, col: 1 },
            "the file is empty; expected a scenario such as `Scenario(version: 1, name: \"...\", ...)`",
        ));
    }
    // A session file given where a scenario is expected (`tabletop run SESSION`) is a
    // common slip: say what it is and what reads it, not which RON struct was found.
    if text.trim_start().starts_with("Header(") {
        return Err(Diagnostics::single(
            file,
            Position { line: 1, col: 1 },
            "this is a recorded session, not a scenario; replay it with `tabletop replay FILE`, continue it with `tabletop resume FILE`, or give the scenario it was recorded from",
        ));
    }
    // The file's structure locates problems by line and column; a file without any (the
    // usual case, and a large one at that) is never tokenized for it.
    let scenario = match ron_options().from_str::<Scenario>(text) {
        Ok(scenario) => scenario,
        Err(error) => {
            let tree = locate::structure(text).ok();
            let source = Source {
                text,
                lines: LineIndex::new(text),
                tree: tree.as_ref(),
                // Only when the structure is unreadable: a bracket fault is then the likely cause.
                brackets: if tree.is_none() {
                    locate::bracket_fault(text)
                } else {
                    None
                },
            };
            let mut problems = vec![ron_problem(&source, &error, Position { line: 1, col: 1 })];
            if let Some(tree) = &tree {
                problems.extend(item_problems(&source, tree));
            }
            return Err(Diagnostics::new(file, text, problems));
        }
    };
    let problems = validate::validate(&scenario);
    if problems.is_empty() {
        return Ok(scenario);
    }
    let tree = locate::structure(text).ok();
    let problems = problems
        .into_iter()
        .map(|finding| {
            let position = tree.as_ref().map_or(Position { line: 1, col: 1 }, |tree| {
                tree.locate(&finding.path)
            });
            Problem::new(position, &finding.path, finding.kind.to_string())
        })
        .collect();
    Err(Diagnostics::new(file, text, problems))
}

/// The whole file, as RON errors are explained against it.
struct Source<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    tree: Option<&'a Node>,
    brackets: Option<BracketFault>,
}

/// A RON error as a problem; `origin` is where the parsed text starts in the file.
fn ron_problem(source: &Source<'_>, error: &ron::error::SpannedError, origin: Position) -> Problem {
    let text = source.text;
    let start = error.span.start;
    let raw = if start.line <= 1 {
        Position {
            line: origin.line,
            col: origin.col + start.col.saturating_sub(1),
        }
    } else {
        Position {
            line: origin.line + start.line - 1,
            col: start.col,
        }
    };
    // RON's span may start at the whitespace before the offending value.
    let mut byte = source.lines.byte(raw);
    byte += text[byte..].len() - text[byte..].trim_start().len();
    let mut position = source.lines.position(byte);
    let found = found_at(text, byte);
    let whole_file = origin == Position { line: 1, col: 1 };

    if whole_file
        && let Some(fault) = &source.brackets
        && (fault.at <= position || matches!(error.code, ron::Error::Eof))
    {
        return Problem {
            position: fault.at,
            item: String::new(),
            message: bracket_message(fault),
        };
    }

    let message = match &error.code {
        ron::Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unknown field `{found}`{}{} expected one of {}",
            within(outer.as_deref()),
            did_you_mean(found, expected),
            one_of(expected)
        ),
        ron::Error::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unknown variant `{found}`{}{} expected one of {}",
            outer
                .as_deref()
                .map_or(String::new(), |o| format!(" of {o}")),
            did_you_mean(found, expected),
            one_of(expected)
        ),
        ron::Error::MissingStructField { field, outer } => format!(
            "missing field `{field}`{}; expected `{field}: ...` before this `)`",
            within(outer.as_deref())
        ),
        ron::Error::DuplicateStructField { field, outer } => format!(
            "field `{field}` is given twice{}; expected each field once",
            within(outer.as_deref())
        ),
        ron::Error::ExpectedComma => {
            // The comma is missing after the previous value, not at the next one.
            let before = text[..byte].trim_end().len();
            let after = source.lines.position(before);
            let next_line = if after.line < position.line {
                " on the next line"
            } else {
                ""
            };
            position = after;
            let mut message = format!("expected `,` after this value, found {found}{next_line}");
            if let Some(opened) = locate::multiline_string_ending_at(text, before) {
                message.push_str(&format!(
                    "; this value is a string begun at {opened}, so a closing `\"` may be missing on line {}",
                    opened.line
                ));
            }
            message
        }
        ron::Error::Eof => {
            "the file ends in the middle of the scenario; expected the rest of it".into()
        }
        ron::Error::ExceededRecursionLimit => {
            "brackets are nested too deeply (more than 128 levels)".into()
        }
        // Errors of our own types (durations, times) already say what they found.
        ron::Error::Message(message) => {
            // Point at the opening quote of the value, as validation does.
            if text[..byte].ends_with('"') {
                position = source.lines.position(byte - 1);
            }
            message.clone()
        }
        other => {
            let message = lower_first(&other.to_string());
            if message.starts_with("expected") && !message.contains(" found ") {
                format!("{message}, found {found}")
            } else {
                message
            }
        }
    };
    let mut message = message;
    if whole_file && text.trim_start().starts_with(['{', '[']) {
        message.push_str(
            "; this looks like JSON, but scenarios are RON: `Scenario(version: 1, name: \"...\", ...)`",
        );
    }
    let item = source.tree.map_or(String::new(), |tree| {
        tree.path_at(position, &source.lines).to_string()
    });
    Problem {
        position,
        item,
        message,
    }
}

/// " in Csirt" for a struct's name.
fn within(outer: Option<&str>) -> String {
    outer.map_or(String::new(), |o| format!(" in {o}"))
}

fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing here".into(),
        [only] => format!("`{only}`"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(|n| format!("`{n}`")).collect();
            format!("{} or `{last}`", rest.join(", "))
        }
    }
}

/// "; did you mean `analysts`?" when one name is a small typo away, else ";".
fn did_you_mean(found: &str, names: &[&str]) -> String {
    near_miss(found, names.iter().copied()).map_or_else(
        || ";".to_owned(),
        |name| format!("; did you mean `{name}`?"),
    )
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// The token at `byte`, quoted for a message: `class`, `"four"`, `]`, or the end of the file.
fn found_at(text: &str, byte: usize) -> String {
    let rest = &text[byte..];
    let Some(first) = rest.chars().next() else {
        return "the end of the file".into();
    };
    let token: String = if first == '"' {
        let end = rest[1..].find(['"', '\n']).map_or(rest.len(), |i| i + 2);
        rest[..end.min(rest.len())].to_owned()
    } else if first.is_alphanumeric() || matches!(first, '_' | '-' | '+' | '.') {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '.'))
            .collect()
    } else {
        first.to_string()
    };
    let shown: String = token.chars().take(40).collect();
    if shown.len() < token.len() {
        format!("`{shown}…`")
    } else {
        format!("`{shown}`")
    }
}

fn bracket_message(fault: &BracketFault) -> String {
    let opener = |(open, at, name): &(char, Position, Option<String>)| {
        let name = name.as_deref().unwrap_or("");
        format!("`{name}{open}` opened at {at}")
    };
    match (fault.found, &fault.open) {
        (Some(found), Some(open)) => format!(
            "{} is not closed; expected `{}` before this `{found}`",
            opener(open),
            locate::closer(open.0)
        ),
        (Some(found), None) => {
            format!("`{found}` closes nothing; expected no closing bracket here")
        }
        (None, Some(open)) => format!(
            "the file ends but {} is not closed; expected `{}`",
            opener(open),
            locate::closer(open.0)
        ),
        (None, None) => "unbalanced brackets".into(),
    }
}

/// Parses each top-level item on its own so that one bad entity does not hide another.
fn item_problems(source: &Source<'_>, tree: &Node) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, _, node) in tree.fields() {
        match name.as_str() {
            "csirts" => each::<Csirt>(source, node, &mut problems),
            "authorities" => each::<Authority>(source, node, &mut problems),
            "entities" => each::<Organisation>(source, node, &mut problems),
            "adversaries" => each::<Adversary>(source, node, &mut problems),
            "injects" => each::<Inject>(source, node, &mut problems),
            "objectives" => each::<Objective>(source, node, &mut problems),
            "version" => one::<u32>(source, node, &mut problems),
            "name" | "summary" => one::<String>(source, node, &mut problems),
            "start" => one::<WallClock>(source, node, &mut problems),
            "duration" => one::<Duration>(source, node, &mut problems),
            _ => {}
        }
    }
    problems
}

fn each<T: DeserializeOwned>(source: &Source<'_>, list: &Node, problems: &mut Vec<Problem>) {
    for item in list.items() {
        one::<T>(source, item, problems);
    }
}

fn one<T: DeserializeOwned>(source: &Source<'_>, node: &Node, problems: &mut Vec<Problem>) {
    let Some(slice) = source.text.get(node.start_byte..node.end_byte) else {
        return;
    };
    if let Err(error) = ron_options().from_str::<T>(slice) {
        problems.push(ron_problem(source, &error, node.start));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match parse("t.ron", text.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(d) => d
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.position, p.message))
                .collect(),
        }
    }

    #[test]
    fn empty_binary_and_json_inputs_are_explained() {
        assert!(problems("")[0].contains("empty"));
        assert!(problems("{\"version\": 1}")[0].contains("looks like JSON"));
        let err = parse("t.ron", b"Scen\xffario").unwrap_err();
        assert_eq!(err.problems[0].position, Position { line: 1, col: 5 });
        for deep in [
            "(".repeat(100_000),
            format!("Scenario(version: 1, summary: {}", "[".repeat(100_000)),
        ] {
            assert!(!problems(&deep).is_empty());
        }
    }

    #[test]
    fn every_bad_item_is_reported_not_only_the_first() {
        let text = r#"Scenario(
    version: 1, name: "x", start: "2026-03-13 16:30", duration: "5d",
    csirts: [
        Csirt(id: "a", name: "A", kind: National, country: "NL", analyts: 3, hours: Always),
        Csirt(id: "b", name: "B", kind: Nationol, country: "NL", analysts: 3, hours: Always),
    ],
    entities: [], adversaries: [],
)"#;
        let found = problems(text);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("4:") && p.contains("analyts")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("5:") && p.contains("Nationol")),
            "{found:?}"
        );
    }
}
