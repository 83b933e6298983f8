//! The house keeps itself (issue 13, STYLE.md "The house"): one concept per room, and rooms
//! that do not lean on each other in a circle.
//!
//! Three checks over the source text under `src/`, with no parser beyond what is written here:
//!
//! 1. A source file over [`MAX_LINES`] lines says at its top why it is long, with a
//!    `//! Long because: …` line among its leading `//!` lines.
//! 2. No import cycle between the files of one folder. In every folder of `src/` (and `src/`
//!    itself) each entry is a node: a file `x.rs`, or a subfolder `x/` taken as a whole. An
//!    edge A → B means some file of A names a path into sibling B: `super::B…`,
//!    `super::super::B…`, `crate::folder::B…` or `self::B…`, in a `use` (braces expanded) or
//!    inline. The folder's own `mod.rs` (`lib.rs`, `main.rs` for `src/`) is its door: it
//!    declares and wires its children, so it is no node and its edges are not counted.
//! 3. No Debug text where people read (issue 16): no `{…:?}` format in library code outside
//!    tests. The journal holds serde names and every face shows the labels beside the types;
//!    `clippy::use_debug` catches `print!`/`write!` but not `format!`, hence this check. Test
//!    code is what follows a file's first `#[cfg(test)]`, and files named `tests.rs`.
//!
//! Rooms that another change of issue 13 is rebuilding are listed in [`PENDING`] with who
//! rebuilds them; the test passes over them until then, and fails on an entry that is no
//! longer needed, so the list only shrinks.
//!
//! Known simplifications: paths are read as if written at the top of the file (an inline
//! `mod tests { use super::*; }` resolves one level too high, and a glob names no sibling,
//! so it adds no edge); `use` renames and macros are not followed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Over this, a file must say why it is long.
const MAX_LINES: usize = 650;

/// Long files (a path) and folders with a cycle (`src/…: `) that another change is
/// rebuilding, and why they may wait (a folder is passed over as a whole). Remove an entry
/// when that change lands.
const PENDING: &[(&str, &str)] = &[];

/// Whether `finding` (a file, or a folder's cycle) is on the [`PENDING`] list.
fn pending(finding: &str) -> bool {
    PENDING
        .iter()
        .any(|(what, _)| finding == *what || (what.ends_with(": ") && finding.starts_with(what)))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A file's module path below the crate root: `src/sim/desk/queue.rs` is `[sim, desk, queue]`,
/// `src/sim/desk/mod.rs` is `[sim, desk]`, `src/lib.rs` is `[]`.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src()).unwrap_or(file);
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The text without `//` comments (doc comments included), so prose never makes an edge.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands one `use` tree (`a::{b::C, d}`) into its paths, each a list of segments.
fn expand(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or("");
        return vec![path.split("::").map(str::to_string).collect()];
    };
    let prefix: Vec<String> = tree[..open]
        .trim_end_matches("::")
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(expand)
        .map(|rest| prefix.iter().cloned().chain(rest).collect())
        .collect()
}

/// Every path in `code` that starts with `crate`, `super` or `self`: the trees of `use`
/// statements, and paths written inline.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 4..];
        if before.is_none_or(|c| !is_ident(c)) {
            let end = after.find(';').unwrap_or(after.len());
            out.extend(expand(&after[..end]));
        }
        rest = after;
    }
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_path = (i == 0 || !is_ident(chars[i - 1]) && chars[i - 1] != ':')
            && ["crate::", "super::", "self::"]
                .iter()
                .any(|p| chars[i..].iter().take(p.len()).copied().eq(p.chars()));
        if !starts_path {
            i += 1;
            continue;
        }
        let mut segments = Vec::new();
        loop {
            let begin = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            segments.push(chars[begin..i].iter().collect::<String>());
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                i += 2;
                if chars.get(i).is_some_and(|c| is_ident(*c)) {
                    continue;
                }
            }
            break;
        }
        // `super::{…}` is a use tree, read above; a lone keyword names nothing.
        if segments.len() > 1 {
            out.push(segments);
        }
    }
    out
}

/// `path`, written in module `module`, as an absolute module path (`None` if it does not
/// start at `crate`, `super` or `self`).
fn resolve(module: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("super" | "self") => module.to_vec(),
        _ => return None,
    };
    let mut rest = path.iter().peekable();
    if path[0] == "crate" {
        rest.next();
    }
    while let Some(segment) = rest.peek() {
        match segment.as_str() {
            "super" => {
                base.pop()?;
            }
            "self" => {}
            _ => break,
        }
        rest.next();
    }
    Some(base.into_iter().chain(rest.cloned()).collect())
}

/// The sibling entries of every folder, and for each folder its edges between them.
fn folder_graphs() -> BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> {
    let files = rust_files(&src());
    let mut siblings: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(src()).unwrap_or(file);
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        for depth in 0..parts.len() {
            let entry = &parts[depth];
            if depth + 1 == parts.len() && matches!(entry.as_str(), "mod" | "lib" | "main") {
                continue;
            }
            siblings
                .entry(parts[..depth].to_vec())
                .or_default()
                .insert(entry.clone());
        }
    }
    let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for path in paths_in(&code_of(&text)) {
            let Some(target) = resolve(&module, &path) else {
                continue;
            };
            // Each folder that holds both the file and the target below it.
            for depth in 0..module.len() {
                let folder = &module[..depth];
                if target.len() <= depth || target[..depth] != *folder {
                    break;
                }
                let (from, to) = (&module[depth], &target[depth]);
                let is_sibling = siblings.get(folder).is_some_and(|s| s.contains(to));
                if from != to && is_sibling {
                    graphs
                        .entry(folder.to_vec())
                        .or_default()
                        .entry(from.clone())
                        .or_default()
                        .insert(to.clone());
                }
            }
        }
    }
    graphs
}

/// One cycle in `edges`, if there is one, as the nodes around it.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut done, &mut Vec::new()))
}

#[test]
fn long_files_say_why() {
    let (mut unexplained, mut long) = (Vec::new(), Vec::new());
    for file in rust_files(&src()) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let lines = text.lines().count();
        let explained = text
            .lines()
            .take_while(|l| l.starts_with("//!") || l.trim().is_empty())
            .any(|l| l.starts_with("//! Long because: "));
        let relative = file.strip_prefix(src()).unwrap_or(&file).to_path_buf();
        let name = format!("src/{}", relative.display());
        if lines > MAX_LINES && !explained {
            long.push(name.clone());
            if !pending(&name) {
                unexplained.push(format!("{name} ({lines} lines)"));
            }
        }
    }
    let stale: Vec<&str> = PENDING
        .iter()
        .map(|(what, _)| *what)
        .filter(|what| what.ends_with(".rs") && !long.iter().any(|l| l == what))
        .collect();
    assert!(
        stale.is_empty(),
        "no longer long (or explained): remove from PENDING: {stale:?}"
    );
    assert!(
        unexplained.is_empty(),
        "over {MAX_LINES} lines without a `//! Long because: …` line at the top: split them, \
         or say why the length is one concept:\n  {}",
        unexplained.join("\n  ")
    );
}

/// The `{…:?}` formats in a line of code, if any (comments and doc comments aside).
fn debug_formats(line: &str) -> bool {
    let code = line.trim_start();
    !code.starts_with("//") && (code.contains(":?}") || code.contains(":#?}"))
}

#[test]
fn no_debug_text_outside_tests() {
    let mut found = Vec::new();
    for file in rust_files(&src()) {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let relative = file
            .strip_prefix(src())
            .unwrap_or(&file)
            .display()
            .to_string();
        for (n, line) in text
            .lines()
            .take_while(|l| l.trim() != "#[cfg(test)]")
            .enumerate()
        {
            if debug_formats(line) {
                found.push(format!("src/{relative}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Debug text in library code: use the label beside the type (`.label()`), or serde \
         names in the journal:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_debug_check_reads_code_not_comments() {
    assert!(debug_formats(r#"format!("{level:?}")"#));
    assert!(debug_formats(r#"    write!(f, "{:#?}", x)"#));
    assert!(!debug_formats(r#"/// shows `{x:?}` in a doc comment"#));
    assert!(!debug_formats(r#"format!("{}", level.label())"#));
}

#[test]
fn no_import_cycle_between_files_of_one_folder() {
    let found: Vec<String> = folder_graphs()
        .iter()
        .filter_map(|(folder, edges)| {
            find_cycle(edges).map(|cycle| {
                let folder = if folder.is_empty() {
                    "src".to_string()
                } else {
                    format!("src/{}", folder.join("/"))
                };
                format!("{folder}: {}", cycle.join(" → "))
            })
        })
        .collect();
    let stale: Vec<&str> = PENDING
        .iter()
        .map(|(what, _)| *what)
        .filter(|what| what.ends_with(": ") && !found.iter().any(|f| f.starts_with(what)))
        .collect();
    assert!(
        stale.is_empty(),
        "no longer in a cycle: remove from PENDING: {stale:?}"
    );
    let cycles: Vec<&String> = found.iter().filter(|c| !pending(c)).collect();
    assert!(
        cycles.is_empty(),
        "import cycles between the files of one folder:\n  {}",
        cycles
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

#[test]
fn the_checker_reads_paths_and_finds_cycles() {
    let paths = paths_in(&code_of(
        "use super::{ctx::Ctx, journal::{Event, Ref}};\n\
         // use super::desk::x;\n\
         let s = crate::scenario::Sector::Other; super::super::plan::X;",
    ));
    let module: Vec<String> = ["sim", "desk", "queue"].map(String::from).to_vec();
    let resolved: BTreeSet<String> = paths
        .iter()
        .filter_map(|p| resolve(&module, p))
        .map(|p| p.join("::"))
        .collect();
    let expected: BTreeSet<String> = [
        "sim::desk::ctx::Ctx",
        "sim::desk::journal::Event",
        "sim::desk::journal::Ref",
        "scenario::Sector::Other",
        "sim::plan::X",
    ]
    .map(String::from)
    .into();
    assert_eq!(resolved, expected);
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), ["b".to_string()].into()),
        ("b".to_string(), ["c".to_string()].into()),
        ("c".to_string(), ["a".to_string()].into()),
    ]
    .into();
    assert_eq!(
        find_cycle(&edges),
        Some(["a", "b", "c", "a"].map(String::from).to_vec())
    );
}
