//! Reading the first sheet of an .xlsx workbook back into text cells, as Excel,
//! LibreOffice, openpyxl or [`super::xlsx`] save it: a ZIP archive (stored or deflated
//! parts) of SpreadsheetML, with shared or inline strings.
//!
//! Only what an MSEL needs is read: cell text and numbers as written, no formulas (a
//! formula cell gives its cached value), no styles. The archive is read within limits (no
//! ZIP64, each part at most [`MAX_PART_BYTES`] inflated), since sheets come from other
//! organisations.

use super::read::{ReadError, Sheet};

/// A part inflated beyond this is refused (a ZIP bomb rather than an MSEL), and so are
/// parts beyond [`MAX_TOTAL_BYTES`] together.
pub const MAX_PART_BYTES: usize = 64 << 20;
pub const MAX_TOTAL_BYTES: usize = 256 << 20;

fn bad(what: &str) -> ReadError {
    ReadError::NotXlsx(what.to_owned())
}

fn u16_at(bytes: &[u8], at: usize) -> Result<usize, ReadError> {
    bytes
        .get(at..at + 2)
        .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
        .ok_or_else(|| bad("the archive is cut short"))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<usize, ReadError> {
    let b = bytes
        .get(at..at + 4)
        .ok_or_else(|| bad("the archive is cut short"))?;
    usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .map_err(|_| bad("an offset too large"))
}

/// The parts of a ZIP archive: (name, bytes), stored or deflated.
fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ReadError> {
    const END: [u8; 4] = 0x0605_4b50u32.to_le_bytes();
    let end = (0..bytes.len().saturating_sub(21))
        .rev()
        .take(65_557)
        .find(|&at| bytes[at..].starts_with(&END))
        .ok_or_else(|| bad("not a ZIP archive (no end of central directory)"))?;
    let count = u16_at(bytes, end + 10)?;
    let mut at = u32_at(bytes, end + 16)?;
    let mut parts = Vec::new();
    let mut total = 0usize;
    for _ in 0..count {
        if u32_at(bytes, at)? != 0x0201_4b50 {
            return Err(bad("a broken central directory"));
        }
        let method = u16_at(bytes, at + 10)?;
        let compressed = u32_at(bytes, at + 20)?;
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        let local = u32_at(bytes, at + 42)?;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| bad("the archive is cut short"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if compressed == 0xFFFF_FFFF {
            return Err(bad("a ZIP64 part (larger than any MSEL)"));
        }
        let data_at = local + 30 + u16_at(bytes, local + 26)? + u16_at(bytes, local + 28)?;
        let data = bytes
            .get(data_at..data_at + compressed)
            .ok_or_else(|| bad("the archive is cut short"))?;
        let data = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, MAX_PART_BYTES)
                .map_err(|_| bad(&format!("{name}: cannot be inflated")))?,
            _ => return Err(bad(&format!("{name}: compressed by method {method}"))),
        };
        total += data.len();
        if total > MAX_TOTAL_BYTES {
            return Err(bad("its parts inflate to more than any MSEL"));
        }
        parts.push((name, data));
    }
    Ok(parts)
}

/// One piece of XML: a tag (its name, attributes, whether it closes, whether it is empty)
/// or text.
#[derive(Debug)]
enum Token<'a> {
    Tag {
        name: &'a str,
        attrs: &'a str,
        closing: bool,
        empty: bool,
    },
    Text(&'a str),
}

/// The tokens of an XML document; declarations, comments and processing instructions are
/// skipped.
fn tokens(xml: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = xml;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            out.push(Token::Text(&after[..end]));
            rest = after.get(end + 3..).unwrap_or("");
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').unwrap_or(after.len());
            let inner = &after[..end];
            let closing = inner.starts_with('/');
            let empty = inner.ends_with('/');
            let inner = inner.trim_start_matches('/').trim_end_matches('/');
            let (name, attrs) = inner
                .split_once(|c: char| c.is_whitespace())
                .unwrap_or((inner, ""));
            // Namespace prefixes (x:c) do not matter here.
            let name = name.rsplit(':').next().unwrap_or(name);
            out.push(Token::Tag {
                name,
                attrs,
                closing,
                empty,
            });
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// An attribute's value, unescaped.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let value_end = after[1..].find(quote)? + 1;
        if key == name || key.rsplit(':').next() == Some(name) && !key.contains("xmlns") {
            return Some(unescape(&after[1..value_end]));
        }
        rest = &after[value_end + 1..];
    }
    None
}

/// XML text with its five entities and character references resolved.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';') else {
            out.push_str(&rest[amp..]);
            return out;
        };
        let entity = &after[..semi];
        let resolved = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match resolved {
            Some(c) => out.push(c),
            None => out.push_str(&rest[amp..=amp + semi + 1]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

/// The text of every `<t>` in a run of tokens (an `<si>` or an `<is>`), phonetic runs
/// (`<rPh>`) left out.
fn string_items(tokens: &[Token<'_>], item: &str) -> Vec<String> {
    let mut items = Vec::new();
    let (mut current, mut inside, mut in_t, mut phonetic) = (String::new(), false, false, false);
    for token in tokens {
        match *token {
            Token::Tag {
                name,
                closing,
                empty,
                ..
            } if name == item => {
                if closing || empty {
                    items.push(std::mem::take(&mut current));
                    inside = false;
                } else {
                    inside = true;
                }
            }
            Token::Tag {
                name: "rPh",
                closing,
                empty,
                ..
            } if inside && !empty => phonetic = !closing,
            Token::Tag {
                name: "t",
                closing,
                empty,
                ..
            } if inside && !empty => in_t = !closing,
            Token::Text(text) if inside && in_t && !phonetic => current.push_str(&unescape(text)),
            _ => {}
        }
    }
    items
}

/// The most rows and columns a spreadsheet has (Excel's limits): a reference beyond them
/// is refused rather than making room for it.
const MAX_ROWS: usize = 1 << 20;
const MAX_COLUMNS: usize = 1 << 14;

/// "B12" → (11, 1): the 0-based row and column of a cell reference.
fn reference(r: &str) -> Option<(usize, usize)> {
    let letters: Vec<u8> = r.bytes().take_while(u8::is_ascii_alphabetic).collect();
    if letters.len() > 3 {
        return None;
    }
    let row: usize = r[letters.len()..].parse().ok()?;
    let mut column = 0usize;
    for c in letters {
        column = column * 26 + usize::from(c.to_ascii_uppercase() - b'A') + 1;
    }
    let (row, column) = (row.checked_sub(1)?, column.checked_sub(1)?);
    (row < MAX_ROWS && column < MAX_COLUMNS).then_some((row, column))
}

fn part<'a>(parts: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a [u8]> {
    parts
        .iter()
        .find(|(n, _)| n.trim_start_matches('/') == name)
        .map(|(_, data)| data.as_slice())
}

/// The first sheet of an .xlsx workbook.
pub fn read(bytes: &[u8]) -> Result<Sheet, ReadError> {
    let parts = unzip(bytes)?;
    let text = |name: &str| -> Result<Option<String>, ReadError> {
        part(&parts, name)
            .map(|data| String::from_utf8(data.to_vec()).map_err(|_| ReadError::NotUtf8))
            .transpose()
    };
    let workbook = text("xl/workbook.xml")?.ok_or_else(|| bad("no xl/workbook.xml"))?;
    let first = tokens(&workbook).into_iter().find_map(|t| match t {
        Token::Tag {
            name: "sheet",
            attrs,
            closing: false,
            ..
        } => Some((attr(attrs, "name"), attr(attrs, "id"))),
        _ => None,
    });
    let (sheet_name, rel) = first.ok_or_else(|| bad("a workbook without sheets"))?;
    let rels = text("xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let target = tokens(&rels)
        .into_iter()
        .find_map(|t| match t {
            Token::Tag {
                name: "Relationship",
                attrs,
                ..
            } if attr(attrs, "Id") == rel => attr(attrs, "Target"),
            _ => None,
        })
        .map_or_else(
            || "xl/worksheets/sheet1.xml".to_owned(),
            |t| match t.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{t}"),
            },
        );
    let shared = text("xl/sharedStrings.xml")?
        .map(|xml| string_items(&tokens(&xml), "si"))
        .unwrap_or_default();
    let sheet = text(&target)?.ok_or_else(|| bad(&format!("no {target}")))?;
    let tokens = tokens(&sheet);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let (mut row, mut column) = (0usize, 0usize);
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            Token::Tag {
                name: "row",
                attrs,
                closing: false,
                ..
            } => {
                row = attr(attrs, "r")
                    .and_then(|r| r.parse::<usize>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or(rows.len());
                if row >= MAX_ROWS {
                    return Err(bad("a row beyond the last a spreadsheet has"));
                }
                column = 0;
            }
            Token::Tag {
                name: "c",
                attrs,
                closing: false,
                empty,
            } => {
                match attr(attrs, "r") {
                    Some(r) => {
                        (row, column) = reference(&r)
                            .ok_or_else(|| bad(&format!("\"{r}\" is no cell reference")))?;
                    }
                    None if column >= MAX_COLUMNS => {
                        return Err(bad("a cell beyond the last column a spreadsheet has"));
                    }
                    None => {}
                }
                let kind = attr(attrs, "t").unwrap_or_default();
                // The cell's own tokens, to its closing tag.
                let end = if empty {
                    i
                } else {
                    (i + 1..tokens.len())
                        .find(|&j| {
                            matches!(
                                tokens[j],
                                Token::Tag {
                                    name: "c",
                                    closing: true,
                                    ..
                                }
                            )
                        })
                        .unwrap_or(tokens.len() - 1)
                };
                let inner = &tokens[i + 1..=end.max(i)];
                let value = || {
                    let mut in_v = false;
                    let mut v = String::new();
                    for token in inner {
                        match *token {
                            Token::Tag {
                                name: "v",
                                closing,
                                empty: false,
                                ..
                            } => in_v = !closing,
                            Token::Text(text) if in_v => v.push_str(&unescape(text)),
                            _ => {}
                        }
                    }
                    v
                };
                let cell = match kind.as_str() {
                    "s" => value()
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| shared.get(n).cloned())
                        .ok_or_else(|| bad("a cell names a shared string that is not there"))?,
                    "inlineStr" => string_items(inner, "is").concat(),
                    _ => value(),
                };
                if rows.len() <= row {
                    rows.resize(row + 1, Vec::new());
                }
                let cells = &mut rows[row];
                if cells.len() <= column {
                    cells.resize(column + 1, String::new());
                }
                cells[column] = cell;
                column += 1;
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(Sheet {
        name: sheet_name.unwrap_or_else(|| "Sheet1".into()),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_writer_writes_reads_back() {
        let rows = vec![vec![
            "=1".to_owned(),
            "a & <b>\n\"c\"".to_owned(),
            String::new(),
        ]];
        let bytes = super::super::xlsx::write(&["x", "y", "z"], &rows);
        let sheet = read(&bytes).expect("a workbook");
        assert_eq!(sheet.name, "MSEL");
        assert_eq!(sheet.rows[0], ["x", "y", "z"]);
        assert_eq!(sheet.rows[1], rows[0]);
    }

    /// Sheets come from other organisations: a damaged workbook is an error, never a
    /// panic.
    #[test]
    fn damaged_workbooks_are_refused_without_a_panic() {
        let rows = vec![vec!["a".to_owned(), "b".to_owned()]];
        let good = super::super::xlsx::write(&["x", "y"], &rows);
        for at in (0..good.len()).step_by(3) {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[at] ^= flip;
                let _ = read(&bad);
            }
            let _ = read(&good[..at]);
        }
    }

    #[test]
    fn references_and_entities() {
        assert_eq!(reference("A1"), Some((0, 0)));
        assert_eq!(reference("AB12"), Some((11, 27)));
        assert_eq!(unescape("a&amp;b&#233;&#x41;&bogus;"), "a&béA&bogus;");
        assert!(read(b"not a zip").is_err());
        assert_eq!(reference("AAAA1"), None);
        assert_eq!(reference("A99999999"), None);
    }
}
