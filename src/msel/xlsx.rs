//! The MSEL as an Office Open XML workbook (.xlsx): one sheet, the header row frozen, every
//! cell an inline string.
//!
//! A cell typed as a string is never run as a formula, whatever it starts with, so the
//! text stays as written (CSV, which has no types, needs [`super::csv::neutralised`]).
//! The package is a ZIP archive of stored (uncompressed) parts with a fixed timestamp,
//! written here: the same MSEL gives the same bytes, and no archive crate is needed for
//! six small files.

/// The workbook of a header and rows, as the bytes of an .xlsx file.
pub fn write(header: &[&str], rows: &[impl AsRef<[String]>]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#,
    );
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for (r, cells) in std::iter::once(header.as_slice())
        .chain(rows.iter().map(AsRef::as_ref))
        .enumerate()
    {
        let number = r + 1;
        sheet.push_str(&format!("<row r=\"{number}\">"));
        for (c, cell) in cells.iter().enumerate() {
            // The header row uses the bold font of styles.xml (cellXfs index 1).
            let style = if r == 0 { " s=\"1\"" } else { "" };
            sheet.push_str(&format!(
                "<c r=\"{}{number}\" t=\"inlineStr\"{style}><is><t xml:space=\"preserve\">{}</t></is></c>",
                column(c),
                escaped(cell)
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts: [(&str, &str); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet1.xml", &sheet),
    ];
    zip_stored(&parts)
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub(super) fn column(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + u8::try_from(index % 26).unwrap_or(0));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Text as XML character data: markup escaped, and the control characters XML 1.0 cannot
/// hold dropped (a tab and line breaks stay).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="MSEL" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// CRC-32 (IEEE 802.3, as ZIP uses it), bit by bit: the parts are small.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A ZIP archive of `parts` (name, text), stored without compression, every entry dated
/// 1980-01-01 00:00 (the earliest a ZIP can say) so the bytes never depend on a clock.
fn zip_stored(parts: &[(&str, &str)]) -> Vec<u8> {
    const DATE_1980_01_01: u16 = (1 << 5) | 1;
    let u16le = |v: usize| u16::try_from(v).unwrap_or(u16::MAX).to_le_bytes();
    let u32le = |v: usize| u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes();
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, text) in parts {
        let data = text.as_bytes();
        let crc = crc32(data).to_le_bytes();
        let offset = out.len();
        // Local file header: version 2.0, no flags, stored, time 00:00, the date.
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend([20, 0, 0, 0, 0, 0, 0, 0]);
        out.extend(DATE_1980_01_01.to_le_bytes());
        out.extend(crc);
        out.extend(u32le(data.len()));
        out.extend(u32le(data.len()));
        out.extend(u16le(name.len()));
        out.extend([0, 0]);
        out.extend(name.as_bytes());
        out.extend(data);
        // Its central directory entry.
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0]);
        central.extend(DATE_1980_01_01.to_le_bytes());
        central.extend(crc);
        central.extend(u32le(data.len()));
        central.extend(u32le(data.len()));
        central.extend(u16le(name.len()));
        central.extend([0; 12]);
        central.extend(u32le(offset));
        central.extend(name.as_bytes());
    }
    let directory_at = out.len();
    let directory_len = central.len();
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend(u16le(parts.len()));
    out.extend(u16le(parts.len()));
    out.extend(u32le(directory_len));
    out.extend(u32le(directory_at));
    out.extend([0, 0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_letters_and_escapes() {
        assert_eq!(column(0), "A");
        assert_eq!(column(13), "N");
        assert_eq!(column(26), "AA");
        assert_eq!(
            escaped("a < b & \"c\"\u{1}"),
            "a &lt; b &amp; &quot;c&quot;"
        );
    }

    #[test]
    fn crc32_matches_the_reference_value() {
        // The check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn the_same_rows_give_the_same_bytes() {
        let rows = vec![vec!["=1".to_owned(), "Financiële".to_owned()]];
        let a = write(&["a", "b"], &rows);
        assert_eq!(a, write(&["a", "b"], &rows));
        assert_eq!(&a[..4], b"PK\x03\x04");
    }
}
