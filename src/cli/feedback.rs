//! `tabletop feedback SESSION --file ANSWERS`: add hot-wash answers to a session.

use std::path::Path;

use super::Failure;
use crate::session::{append_hotwash, load, load_answers};

pub fn feedback(session: &Path, answers: &Path) -> Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let answers = load_answers(answers).map_err(|e| bad(&e))?;
    append_hotwash(session, &answers).map_err(|e| bad(&e))?;
    let total = load(session).map_err(|e| bad(&e))?.hotwash.len();
    eprintln!(
        "{}: {} hot-wash answers added ({total} in the session)",
        session.display(),
        answers.len()
    );
    Ok(())
}
