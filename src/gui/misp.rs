//! A role window's "Download for MISP": what `tabletop export --as misp --role ROLE` writes,
//! of the world as the console stands, saved beside the session file.
//!
//! Trainees practise with their real tools; the button spares them a terminal. The export
//! is the same library call as the command line's, so it holds what the role's view holds
//! and is marked as exercise data in the same ways.

use std::path::{Path, PathBuf};

use crate::export::{Format, Scope, SessionKey, export};
use crate::host::Host;
use crate::scenario::time::format_offset;

/// Saves `role`'s MISP export as `SESSION-ROLE-misp-T+1d12h.json` beside the session file
/// (in the working directory when there is none); returns its path.
pub fn save(host: &Host, role: &str) -> Result<PathBuf, String> {
    let sim = host.sim();
    let scenario = host.scenario();
    let digest = crate::scenario::digest(scenario).map_err(|e| e.to_string())?;
    let key = SessionKey::new(&digest, sim.seed(), host.given());
    let exported =
        export(scenario, sim, &key, Format::Misp, Scope::Role(role)).map_err(|e| e.to_string())?;
    let session = host.session_path();
    let dir = session.and_then(Path::parent).unwrap_or(Path::new("."));
    let stem = session.and_then(Path::file_stem).map_or_else(
        || "tabletop".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let at = format_offset(sim.played_to()).replace(' ', "");
    let path = dir.join(format!("{stem}-{role}-misp-{at}.json"));
    std::fs::write(&path, exported.text)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
