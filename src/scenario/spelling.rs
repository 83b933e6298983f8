//! Near misses: the known name a small typo away from a name that matches nothing, for
//! "did you mean" hints on field names and ids alike.

/// The name of `names` closest to `found`, ignoring case, if it is at most a third of
/// `found`'s length (and at least one edit) away; the first of equally close ones.
pub fn near_miss<'a>(found: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = found.chars().count();
    let limit = (length / 3).max(1);
    let found = found.to_lowercase();
    names
        .into_iter()
        // The distance is at least the difference in length: skip the quadratic work for
        // names that cannot be close (a long untrusted id against short known ones).
        .filter(|name| name.chars().count().abs_diff(length) <= limit)
        .map(|name| (edit_distance(&found, &name.to_lowercase()), name))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance, counting characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// A value as the designer writes it in the scenario file (`Finance`, `Cvd`), for
/// diagnostics that point back at the file.
pub fn ron_word<T: serde::Serialize>(value: &T) -> String {
    // Unit variants and plain values always serialise; were one ever to fail, the message
    // says so rather than showing nothing.
    ron::to_string(value).unwrap_or_else(|e| format!("(unprintable value: {e})"))
}

#[cfg(test)]
mod tests {
    use super::near_miss;

    #[test]
    fn a_typo_is_a_near_miss_and_a_stranger_is_not() {
        assert_eq!(near_miss("banc", ["bank", "ncsc"]), Some("bank"));
        assert_eq!(near_miss("Analyst", ["analysts"]), Some("analysts"));
        assert_eq!(near_miss("press", ["bank", "ncsc"]), None);
    }
}
