//! Turning the bytes of a scenario file into a checked [`Scenario`], or into every problem
//! found in it, each with its line and column.

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::locate::{self, ItemPath, Node, Position};
use super::model::{Adversary, Authority, Csirt, Inject, Objective, Organisation, Scenario};
use super::time::{Duration, WallClock};
use super::validate;

/// Scenario files larger than this are refused before parsing (the largest generated
/// scenario, 10,000 entities, is about 4 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

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
}

impl Diagnostics {
    fn new(file: &str, source: &str, mut problems: Vec<Problem>) -> Self {
        problems.sort_by(|a, b| a.position.cmp(&b.position).then(a.message.cmp(&b.message)));
        problems.dedup();
        Self {
            file: file.to_owned(),
            problems,
            source: source.to_owned(),
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
        for problem in &self.problems {
            let Position { line, col } = problem.position;
            write!(f, "{}:{line}:{col}: ", self.file)?;
            if !problem.item.is_empty() {
                write!(f, "{}: ", problem.item)?;
            }
            writeln!(f, "{}", problem.message)?;
            if let Some(text) = self.source.lines().nth(line.saturating_sub(1)) {
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
        let count = self.problems.len();
        write!(
            f,
            "{}: {count} problem{}",
            self.file,
            if count == 1 { "" } else { "s" }
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
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if meta.is_dir() {
        return Err(unreadable("it is a directory; expected a scenario file (.ron)".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(unreadable(format!(
            "{} bytes is more than the {MAX_FILE_BYTES}-byte limit for scenario files",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let scenario = parse(&label, &bytes).map_err(LoadError::Invalid)?;
    let text = String::from_utf8(bytes).unwrap_or_default();
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
            return Err(Diagnostics::single(
                file,
                Position { line, col },
                format!(
                    "byte 0x{:02x} is not UTF-8 text; expected a RON scenario saved as UTF-8",
                    bytes[e.valid_up_to()]
                ),
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
    let tree = locate::structure(text).ok();
    let scenario = match ron_options().from_str::<Scenario>(text) {
        Ok(scenario) => scenario,
        Err(error) => {
            let mut problems = vec![ron_problem(text, &error, Position { line: 1, col: 1 })];
            if let Some(tree) = &tree {
                problems.extend(item_problems(text, tree));
            }
            return Err(Diagnostics::new(file, text, problems));
        }
    };
    let problems = validate::validate(&scenario);
    if problems.is_empty() {
        return Ok(scenario);
    }
    let problems = problems
        .into_iter()
        .map(|(path, message)| {
            let position = tree
                .as_ref()
                .map_or(Position { line: 1, col: 1 }, |tree| tree.locate(&path));
            Problem::new(position, &path, message)
        })
        .collect();
    Err(Diagnostics::new(file, text, problems))
}

/// A RON error as a problem; `origin` is where the parsed text starts in the file.
fn ron_problem(text: &str, error: &ron::error::SpannedError, origin: Position) -> Problem {
    let start = error.span.start;
    let position = if start.line <= 1 {
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
    let mut message = error.code.to_string();
    if origin.line == 1 && origin.col == 1 && text.trim_start().starts_with(['{', '[']) {
        message.push_str(
            "; this looks like JSON, but scenarios are RON: `Scenario(version: 1, name: \"...\", ...)`",
        );
    } else if matches!(error.code, ron::Error::ExceededRecursionLimit) {
        message = "brackets are nested too deeply (more than 128 levels)".into();
    }
    Problem {
        position,
        item: String::new(),
        message,
    }
}

/// Parses each top-level item on its own so that one bad entity does not hide another.
fn item_problems(text: &str, tree: &Node) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, _, node) in tree.fields() {
        match name.as_str() {
            "csirts" => each::<Csirt>(text, node, &mut problems),
            "authorities" => each::<Authority>(text, node, &mut problems),
            "entities" => each::<Organisation>(text, node, &mut problems),
            "adversaries" => each::<Adversary>(text, node, &mut problems),
            "injects" => each::<Inject>(text, node, &mut problems),
            "objectives" => each::<Objective>(text, node, &mut problems),
            "version" => one::<u32>(text, node, &mut problems),
            "name" | "summary" => one::<String>(text, node, &mut problems),
            "start" => one::<WallClock>(text, node, &mut problems),
            "duration" => one::<Duration>(text, node, &mut problems),
            _ => {}
        }
    }
    problems
}

fn each<T: DeserializeOwned>(text: &str, list: &Node, problems: &mut Vec<Problem>) {
    for item in list.items() {
        one::<T>(text, item, problems);
    }
}

fn one<T: DeserializeOwned>(text: &str, node: &Node, problems: &mut Vec<Problem>) {
    let Some(slice) = text.get(node.start_byte..node.end_byte) else {
        return;
    };
    if let Err(error) = ron_options().from_str::<T>(slice) {
        problems.push(ron_problem(slice, &error, node.start));
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
        for deep in ["(".repeat(100_000), format!("Scenario(version: 1, summary: {}", "[".repeat(100_000))] {
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
        assert!(found.iter().any(|p| p.starts_with("4:") && p.contains("analyts")), "{found:?}");
        assert!(found.iter().any(|p| p.starts_with("5:") && p.contains("Nationol")), "{found:?}");
    }
}
