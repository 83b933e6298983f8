//! Reading an MSEL spreadsheet back into rows of text cells: CSV as [`super::csv`] writes
//! it (or a spreadsheet saves it) here; workbooks in [`super::workbook`].

/// A sheet's rows, each a list of cells, with the name messages give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// Why a file is not a sheet at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("row {row}: a quoted cell is never closed")]
    Unclosed { row: usize },
    #[error("not UTF-8 text; save the sheet as CSV UTF-8")]
    NotUtf8,
    #[error("not an .xlsx workbook that can be read: {0}")]
    NotXlsx(String),
}

/// A cell as written before [`super::csv::neutralised`] guarded it: the `'` it put before
/// `=`, `+`, `-`, `@`, a tab, a carriage return or another `'` is taken off.
fn unguarded(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) => rest.to_owned(),
        _ => cell,
    }
}

/// Reads RFC 4180 CSV (a byte-order mark, CRLF or LF line ends, quoted cells with `""`).
pub fn csv(bytes: &[u8]) -> Result<Sheet, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(unguarded(std::mem::take(&mut cell))),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(unguarded(std::mem::take(&mut cell)));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(ReadError::Unclosed {
            row: rows.len() + 1,
        });
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(unguarded(cell));
        rows.push(row);
    }
    Ok(Sheet {
        name: "CSV".into(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_back_what_the_writer_wrote() {
        let rows = vec![vec![
            "=1".to_owned(),
            "'=2".to_owned(),
            "a, \"b\"\n\nc".to_owned(),
            String::new(),
        ]];
        let text = super::super::csv::write(&["w", "x", "y", "z"], &rows);
        let sheet = csv(text.as_bytes()).expect("readable");
        assert_eq!(sheet.rows[0], ["w", "x", "y", "z"]);
        assert_eq!(sheet.rows[1], rows[0]);
        assert_eq!(
            csv(b"a,\"b").expect_err("unclosed"),
            ReadError::Unclosed { row: 1 }
        );
    }
}
