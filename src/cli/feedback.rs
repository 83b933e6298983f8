//! `tabletop feedback SESSION --file ANSWERS`: add hot-wash answers to a session.

use std::path::Path;

use super::{Failure, signing};
use crate::session::{append_hotwash, load, load_answers, shown};

pub fn feedback(session: &Path, answers: &Path, sign: Option<&Path>) -> Result<(), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let signer = signing::signer(sign)?;
    let signed = signer.is_some();
    let answers = load_answers(answers).map_err(|e| bad(&e))?;
    append_hotwash(session, &answers, signer).map_err(|e| bad(&e))?;
    let loaded = load(session).map_err(|e| bad(&e))?;
    let note = match (&loaded.header.signer, signed) {
        (Some(_), true) => " and signed".to_owned(),
        (Some(key), false) => format!(
            " unsigned (the session is signed by key {}: add --sign with that key to sign them; the report marks them unsigned)",
            shown(key)
        ),
        (None, _) => String::new(),
    };
    eprintln!(
        "{}: {} hot-wash answers added{note} ({} in the session)",
        session.display(),
        answers.len(),
        loaded.hotwash.len()
    );
    Ok(())
}
