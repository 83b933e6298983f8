//! The session chain: every record's line ends in a link, a digest over the line's bytes as
//! written and the previous record's link, so any edit, insertion, deletion or reordering
//! of a record breaks every link after it.
//!
//! A line reads `Command(at: 90, seq: 0, command: …) //~ 5f3a…`: the link follows the
//! record after ` //~ `, which RON reads as a comment, so the record itself stays plain RON.
//! What a chain does not stop: someone who rewrites the file and recomputes every link
//! (the links are not a signature), or who cuts whole records off the end (the session
//! then reads as cut off, not finished).

/// What separates a record from its link.
pub const MARKER: &str = " //~ ";

/// Hex digits of a link: 128 bits.
pub const LINK_HEX: usize = 32;

/// A link in the chain: the first 128 bits of a blake3 digest, as hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link(String);

impl Link {
    /// Where every chain starts: nothing before the header.
    pub fn origin() -> Self {
        Self::of(&Self(String::new()), b"tabletop session chain")
    }

    /// The link of a record whose line (without the link) is `body`, after `previous`.
    pub fn next(&self, body: &str) -> Self {
        Self::of(self, body.as_bytes())
    }

    fn of(previous: &Self, bytes: &[u8]) -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(previous.0.as_bytes());
        hasher.update(&[0]);
        hasher.update(bytes);
        let hex = hasher.finalize().to_hex();
        Self(hex.as_str()[..LINK_HEX].to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A line split into its record and its link, if it has one.
pub fn split(line: &str) -> (&str, Option<&str>) {
    match line.rfind(MARKER) {
        Some(i) => (&line[..i], Some(&line[i + MARKER.len()..])),
        None => (line, None),
    }
}

/// Whether a last line without its newline still holds a whole link: then it is not a line
/// the recorder was cut off writing (a link is the last thing written), but a damaged one.
pub fn holds_whole_link(partial: &str) -> bool {
    split(partial)
        .1
        .is_some_and(|link| link.trim_end().len() >= LINK_HEX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_of_a_record_and_its_place_count() {
        let origin = Link::origin();
        let a = origin.next("Header(format: 2)");
        assert_eq!(a.as_str().len(), LINK_HEX);
        assert_ne!(a, origin.next("Header(format: 3)"));
        let b = a.next("Checkpoint(t: 60)");
        assert_ne!(
            b,
            origin.next("Checkpoint(t: 60)"),
            "the same record elsewhere"
        );
    }

    #[test]
    fn a_line_splits_at_its_last_marker() {
        let (body, link) = split(r#"Command(text: "a //~ b") //~ 0123"#);
        assert_eq!(body, r#"Command(text: "a //~ b")"#);
        assert_eq!(link, Some("0123"));
        assert_eq!(split("Header()"), ("Header()", None));
    }
}
