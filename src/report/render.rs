//! Rendering the report data as Markdown (for wikis) or self-contained HTML (inline CSS
//! and SVG, print-friendly), through minijinja templates compiled into the binary.
//!
//! Templates keep the layout in one readable place and escape every value for HTML (the
//! `.html` template name turns auto-escaping on); Markdown gets an `md` filter that keeps
//! free text (titles, comments, answers) from breaking tables or adding markup.

use std::path::Path;

use minijinja::value::{Serde, Value};
use minijinja::{Environment, HtmlEscape, UndefinedBehavior, syntax::SyntaxConfig};
use serde::Serialize;

use super::Report;

const MARKDOWN: &str = include_str!("templates/report.md.jinja");
const HTML: &str = include_str!("templates/report.html.jinja");
/// The report stylesheet (DESIGN: assets/ holds it), inlined into every HTML report.
const CSS: &str = include_str!("../../assets/report.css");

/// The report's output format, chosen by the output file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

impl Format {
    /// `.md`/`.markdown` or `.html`/`.htm`, in any case; None for anything else.
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(Self::Markdown),
            "html" | "htm" => Some(Self::Html),
            _ => None,
        }
    }
}

/// A template failed to render: a bug in the templates, never in the input.
#[derive(Debug, thiserror::Error)]
#[error("the report template failed: {0}")]
pub struct RenderError(String);

impl From<minijinja::Error> for RenderError {
    fn from(error: minijinja::Error) -> Self {
        Self(format!("{error:#}"))
    }
}

/// Escapes free text for Markdown: table pipes, emphasis and link characters, raw HTML,
/// and line breaks (which would end a table row).
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Whether a character may change how the text around it reads without being seen:
/// control characters (NUL, escape, …), bidirectional overrides and isolates (U+202E can
/// make `exe.pdf` read as `fdp.exe`), zero-width spaces and joiners that hide in ids.
/// Zero-width (non-)joiners stay: scripts and emoji need them.
fn is_deceptive(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Shows every deceptive character as its code point, `[U+202E]`, so the report reads as
/// the text was written, whoever wrote it. Applied to the whole rendered report: the
/// templates hold no such character, so every one came from the input.
fn defuse(text: &str) -> String {
    if !text.chars().any(is_deceptive) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_deceptive(c) {
            out.push_str(&format!("[U+{:04X}]", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes our own explanatory text for HTML and sets its `command` spans as code.
fn prose(text: &str) -> Value {
    let escaped = HtmlEscape(text).to_string();
    let mut out = String::with_capacity(escaped.len());
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    Value::from_safe_string(out)
}

fn environment() -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    // A misspelt field is an error, not an empty cell.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    env.add_filter("md", |text: String| md(&text));
    env.add_filter("prose", |text: String| prose(&text));
    // "1 incident", "2 incidents": the same words as every other face.
    env.add_filter("count", |n: u64, singular: String| {
        crate::words::count(n, &singular)
    });
    env.add_template("report.md", MARKDOWN)?;
    env.add_template("report.html", HTML)?;
    Ok(env)
}

#[derive(Serialize)]
struct Page<'a> {
    r: &'a Report,
    css: &'static str,
}

/// Renders the report in `format`.
pub fn render(report: &Report, format: Format) -> Result<String, RenderError> {
    let env = environment()?;
    let name = match format {
        Format::Markdown => "report.md",
        Format::Html => "report.html",
    };
    let page = Page {
        r: report,
        css: CSS,
    };
    Ok(defuse(&env.get_template(name)?.render(Serde(&page))?))
}

/// The report as Markdown, for wikis.
pub fn markdown(report: &Report) -> Result<String, RenderError> {
    render(report, Format::Markdown)
}

/// The report as one self-contained HTML page.
pub fn html(report: &Report) -> Result<String, RenderError> {
    render(report, Format::Html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(Format::from_path(Path::new("r.md")), Some(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("R.HTML")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("r.pdf")), None);
        assert_eq!(Format::from_path(Path::new("report")), None);
    }

    #[test]
    fn prose_sets_commands_as_code_and_escapes_the_rest() {
        assert_eq!(
            prose("run `a --b` <now>").to_string(),
            "run <code>a --b</code> &lt;now&gt;"
        );
    }

    #[test]
    fn deceptive_characters_are_shown_not_obeyed() {
        assert_eq!(
            defuse("invoice\u{202E}fdp.exe\u{0} ok\n"),
            "invoice[U+202E]fdp.exe[U+0000] ok\n"
        );
        assert_eq!(
            defuse("שלום — café 👩\u{200D}💻"),
            "שלום — café 👩\u{200D}💻"
        );
    }

    #[test]
    fn markdown_escaping_keeps_tables_whole() {
        assert_eq!(md("a|b\nc"), "a\\|b c");
        assert_eq!(md("<b>_x_</b>"), "&lt;b&gt;\\_x\\_&lt;/b&gt;");
    }
}
