//! Small helpers for text people read: counts with the right plural, in thousands.
//!
//! Labels of domain values live beside their types (`Sector::label`, `ReportKind::label`);
//! this file holds only what is not about one type.

/// "1 analyst", "2 analysts", "0 analysts".
pub fn count(n: impl std::fmt::Display, singular: &str) -> String {
    // Display rather than a number type: callers hold usize, u32 and u64 counts alike.
    let n = n.to_string();
    if n == "1" {
        format!("1 {singular}")
    } else {
        format!("{n} {singular}s")
    }
}

/// 12345 as "12,345": counts of organisations and runs are read at a glance.
pub fn thousands(n: impl std::fmt::Display) -> String {
    // Display for the same reason as `count`.
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `count` for nouns whose plural is not "+s": "1 inquiry", "3 inquiries".
pub fn count_as(n: impl std::fmt::Display, singular: &str, plural: &str) -> String {
    let n = n.to_string();
    if n == "1" {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_zero_is_plural() {
        assert_eq!(count(1u32, "analyst"), "1 analyst");
        assert_eq!(count(0u32, "analyst"), "0 analysts");
        assert_eq!(count(12u64, "command"), "12 commands");
        assert_eq!(count_as(3u32, "inquiry", "inquiries"), "3 inquiries");
    }

    #[test]
    fn counts_read_in_thousands() {
        assert_eq!(thousands(0u32), "0");
        assert_eq!(thousands(999u32), "999");
        assert_eq!(thousands(1_000usize), "1,000");
        assert_eq!(thousands(100_000u64), "100,000");
        assert_eq!(thousands(1_234_567u64), "1,234,567");
    }
}
