//! Ids are plain: they name things in reports, journals and file names that other
//! organisations read, so an id may not hide or reorder text. No control or format
//! characters (NUL, zero-width spaces and joiners, soft hyphens), no bidirectional
//! controls (U+202E can make `exe.pdf` read as `fdp.exe`), no leading or trailing white
//! space. Every other Unicode character stays allowed: ids may be written in any script.

/// Why `id` is not plain, or `Ok`.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.trim() != id {
        return Err(format!(
            "id \"{}\" starts or ends with white space; expected an id without it",
            id.escape_debug()
        ));
    }
    if let Some(c) = id.chars().find(|c| hides(*c)) {
        return Err(format!(
            "id \"{}\" holds U+{:04X}, a control, format or direction character that hides or reorders text; expected visible characters only",
            id.escape_debug(),
            u32::from(c)
        ));
    }
    Ok(())
}

/// Control characters, and the format (Cf) characters people meet: direction marks,
/// embeddings, overrides and isolates, zero-width spaces and joiners, the soft hyphen,
/// the word joiner and invisible operators, the byte-order mark.
fn hides(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_in_any_script_pass() {
        for id in ["fin-csirt", "ducksends", "ncsc-nl", "банк-1", "بنك", "銀行"] {
            assert_eq!(check_id(id), Ok(()), "{id}");
        }
    }

    #[test]
    fn hidden_and_reordering_characters_are_refused_by_code_point() {
        let error = check_id("invoice\u{202E}fdp").unwrap_err();
        assert!(error.contains("U+202E"), "{error}");
        assert!(check_id("a\0b").unwrap_err().contains("U+0000"));
        assert!(
            check_id("zilver\u{200B}bank")
                .unwrap_err()
                .contains("U+200B")
        );
        assert!(check_id(" ducksends").unwrap_err().contains("white space"));
        assert!(check_id("ducksends\t").is_err());
    }
}
