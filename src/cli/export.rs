//! `tabletop export SESSION --as misp|stix|navigator [--role ROLE] [--at DURATION] -o FILE`:
//! replay a session (verifying it) to a moment and write what was known then, for MISP,
//! a STIX 2.1 consumer or the ATT&CK Navigator.

use std::path::Path;

use super::{Failure, signing};
use crate::export::{self, Format, Scope, SessionKey};
use crate::scenario::Duration;
use crate::scenario::time::format_offset;
use crate::session::{Review, load, scenario_for};

/// What `tabletop export` was asked to do.
pub struct ExportOptions<'a> {
    pub session: &'a Path,
    pub format: Format,
    pub role: Option<&'a str>,
    pub at: Option<Duration>,
    pub output: &'a Path,
    pub scenario: Option<&'a Path>,
    pub verify: Option<&'a Path>,
}

fn bad(error: &dyn std::fmt::Display) -> Failure {
    Failure::BadInput(error.to_string())
}

pub fn export(options: &ExportOptions<'_>) -> Result<(), Failure> {
    if options.format == Format::Navigator && options.role.is_some() {
        return Err(Failure::Usage(
            "a role's view holds no ATT&CK technique, so a role has no Navigator layer; export it without --role (the facilitator's layer), or a role's --as misp or --as stix".into(),
        ));
    }
    let key = signing::public_key(options.verify)?;
    let loaded = load(options.session).map_err(|e| bad(&e))?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    signing::check(&loaded, key.as_ref())?;
    let scenario = scenario_for(&loaded, options.scenario).map_err(|e| bad(&e))?;
    if let Some(role) = options.role
        && !scenario.roles.iter().any(|r| r.id == role)
    {
        let known: Vec<&str> = scenario.roles.iter().map(|r| r.id.as_str()).collect();
        return Err(Failure::Usage(format!(
            "--role {role}: the scenario has no such role; its roles: {}",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    }
    let session_key = SessionKey::new(&loaded.header.digest, loaded.header.seed, &loaded.commands);
    let mut review = Review::open(loaded, &scenario).map_err(|e| bad(&e))?;
    if let Some(at) = options.at {
        if at.minutes > review.end() {
            eprintln!(
                "warning: the recording stops at {}; exporting what was known then, not at {}",
                format_offset(review.end()),
                format_offset(at.minutes)
            );
        }
        review.seek(at.minutes).map_err(|e| bad(&e))?;
    }
    let scope = options.role.map_or(Scope::Facilitator, Scope::Role);
    let exported = export::export(&scenario, review.sim(), &session_key, options.format, scope)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    for note in &exported.left_out {
        eprintln!("left out: {note}");
    }
    std::fs::write(options.output, &exported.text).map_err(|e| {
        Failure::Usage(format!(
            "cannot write the export to {}: {e}",
            options.output.display()
        ))
    })?;
    eprintln!(
        "{}: EXERCISE export of {} at {}, {}",
        options.output.display(),
        options.session.display(),
        format_offset(review.at()),
        options.role.map_or_else(
            || "exercise control's full picture".to_owned(),
            |role| format!("what role {role} knew")
        )
    );
    Ok(())
}
