//! CSV as RFC 4180 writes it, safe to open in a spreadsheet.
//!
//! A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
//! spreadsheets skip before reading one) would run as a formula when the file is opened
//! (CSV injection): such a cell gets a leading `'`, which spreadsheets show as text.
//! Scenario text comes from other organisations, so every cell is treated so.

/// Neutralises a cell a spreadsheet would run as a formula. A cell that starts with `'`
/// gets one too, so reading back takes exactly one off whatever the text was.
pub fn neutralised(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// One field, quoted when it holds a comma, a quote or a line break.
fn field(cell: &str) -> String {
    let cell = neutralised(cell);
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// The CSV text of a header and rows: UTF-8 with a byte-order mark (so spreadsheets read
/// "Financiële" as written), CRLF line ends.
pub fn write(header: &[&str], rows: &[impl AsRef<[String]>]) -> String {
    let mut out = String::from('\u{feff}');
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| field(h)).collect()));
    for row in rows {
        out.push_str(&line(row.as_ref().iter().map(|c| field(c)).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_quoted() {
        assert_eq!(neutralised("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralised("+31 20 000"), "'+31 20 000");
        assert_eq!(neutralised("-1"), "'-1");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("T+4h"), "T+4h");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        let text = write(&["a", "b"], &[vec!["1".to_owned(), "=2".to_owned()]]);
        assert_eq!(text, "\u{feff}a,b\r\n1,'=2\r\n");
    }
}
