//! Hot-wash feedback: participants' answers gathered right after the exercise (HSEEP),
//! appended to the session so the after-action report can quote them.
//!
//! Answers are records of their own, never commands: they do not reach the simulation,
//! replay skips them, and appending them leaves every checksum valid.

use std::path::Path;

use super::file::{HotwashAnswer, Record, SessionError, load};
use super::keys::Signer;
use super::writer::SessionWriter;

/// The hot wash's standing questions (HSEEP's): asked on every seat's page once the
/// exercise ends.
pub const HOTWASH_QUESTIONS: [&str; 3] = [
    "What went well?",
    "What could have gone better?",
    "What will you change in your procedures?",
];

/// What an answers file looks like, for error messages.
const EXPECTED: &str = "expected a list of hot-wash answers such as `[Answer(participant: \"Nessie Woo\", role: \"CISO, DuckSends\", question: \"What went well?\", answer: \"...\")]`";

/// Reads an answers file: a RON list of `Answer(participant, role, question, answer)`.
/// Every answer needs a participant, a question and an answer; the role may be empty.
pub fn load_answers(path: &Path) -> Result<Vec<HotwashAnswer>, SessionError> {
    let label = path.display().to_string();
    let text = crate::files::read_regular_text(
        path,
        crate::files::max_file_bytes(),
        "a hot-wash answers file",
    )
    .map_err(|e| SessionError::Unreadable {
        path: label.clone(),
        reason: e.to_string(),
    })?;
    let answers: Vec<HotwashAnswer> =
        ron::from_str(&text).map_err(|e| SessionError::Malformed {
            path: label.clone(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: format!("{}; {EXPECTED}", e.code),
        })?;
    if answers.is_empty() {
        return Err(SessionError::Malformed {
            path: label,
            line: 1,
            col: 1,
            message: format!("no answers; {EXPECTED}"),
        });
    }
    for (index, answer) in answers.iter().enumerate() {
        let missing = [
            ("participant", &answer.participant),
            ("question", &answer.question),
            ("answer", &answer.answer),
        ]
        .into_iter()
        .find(|(_, value)| value.trim().is_empty());
        if let Some((field, _)) = missing {
            let line = locate_answer(&text, index);
            return Err(SessionError::Malformed {
                path: label,
                line,
                col: 1,
                message: format!("answer #{} has an empty `{field}`", index + 1),
            });
        }
    }
    Ok(answers)
}

/// The line on which the `index`-th `Answer(` starts (1-based), or 1 if not found.
fn locate_answer(text: &str, index: usize) -> usize {
    text.match_indices("Answer(")
        .nth(index)
        .map_or(1, |(offset, _)| text[..offset].lines().count().max(1))
}

/// Appends hot-wash answers to a session file, after checking that it is one. With a
/// signer (the session's own), a signature follows them; without, they stay unsigned and
/// the report says so.
pub fn append_hotwash(
    session: &Path,
    answers: &[HotwashAnswer],
    signer: Option<Signer>,
) -> Result<(), SessionError> {
    load(session)?;
    let mut writer = SessionWriter::append(session, signer)?;
    for answer in answers {
        writer.write(&Record::Hotwash {
            participant: answer.participant.clone(),
            role: answer.role.clone(),
            question: answer.question.clone(),
            answer: answer.answer.clone(),
        })?;
    }
    writer.seal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.ron");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn answers_load_from_a_ron_list() {
        let (_dir, path) = write(
            "[\n  Answer(participant: \"Nessie Woo\", role: \"CISO\", question: \"What went well?\", answer: \"Early detection\"),\n]\n",
        );
        let answers = load_answers(&path).unwrap();
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0].participant, "Nessie Woo");
    }

    #[test]
    fn bad_answers_name_file_line_and_what_is_expected() {
        let (_dir, path) = write(
            "[\n  Answer(participant: \"A\", role: \"\", question: \"Q\", answer: \" \"),\n]\n",
        );
        let error = load_answers(&path).unwrap_err().to_string();
        assert!(error.contains("answers.ron:2:1"), "{error}");
        assert!(error.contains("empty `answer`"), "{error}");
        let (_dir, path) = write("[Answer(participant: \"A\")]");
        let error = load_answers(&path).unwrap_err().to_string();
        assert!(
            error.contains("expected a list of hot-wash answers"),
            "{error}"
        );
        let (_dir, path) = write("[]");
        assert!(
            load_answers(&path)
                .unwrap_err()
                .to_string()
                .contains("no answers")
        );
    }
}
