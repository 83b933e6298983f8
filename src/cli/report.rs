//! `tabletop report SESSION -o FILE.html|FILE.md [--tlp T] [--baseline N] [--compare PARENT]`:
//! replay a session and write its after-action report.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::report::{self, Format, Inputs, ParentRun, baseline};
use crate::scenario::{Scenario, Tlp};
use crate::session::{
    LoadedSession, PublicKey, Replayed, Verified, file_digest, load, replay, scenario_for,
};

/// Baselines larger than this take minutes; the report is meant to be quick.
pub const MAX_BASELINE: u32 = 10_000;

/// What `tabletop report` was asked to do.
pub struct ReportOptions<'a> {
    pub session: &'a Path,
    pub output: &'a Path,
    pub tlp: Tlp,
    pub baseline: Option<u32>,
    pub compare: Option<&'a Path>,
    pub scenario: Option<&'a Path>,
    pub verify: Option<&'a Path>,
}

/// Parses a TLP 2.0 marking as people write it: `AMBER`, `tlp:amber+strict`, `Red`.
pub fn parse_tlp(text: &str) -> Result<Tlp, String> {
    let upper = text.trim().to_ascii_uppercase();
    let bare = upper.strip_prefix("TLP:").unwrap_or(&upper);
    match bare {
        "CLEAR" => Ok(Tlp::Clear),
        "GREEN" => Ok(Tlp::Green),
        "AMBER" => Ok(Tlp::Amber),
        "AMBER+STRICT" => Ok(Tlp::AmberStrict),
        "RED" => Ok(Tlp::Red),
        _ => Err(format!(
            "\"{text}\" is not a TLP 2.0 marking; expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED"
        )),
    }
}

/// Parses `--baseline N`: at least one seed, at most [`MAX_BASELINE`].
pub fn parse_baseline(text: &str) -> Result<u32, String> {
    let n: u32 = text
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a number of seeds"))?;
    match n {
        0 => Err("a baseline needs at least 1 seed".to_owned()),
        n if n > MAX_BASELINE => Err(format!("at most {MAX_BASELINE} seeds")),
        n => Ok(n),
    }
}

fn bad(error: &dyn std::fmt::Display) -> Failure {
    Failure::BadInput(error.to_string())
}

/// What a session replayed for its report is: as loaded, its scenario, the replay, and
/// how far its signatures verified (under `--verify`).
type Played = (LoadedSession, Scenario, Replayed, Option<Verified>);

/// Loads and replays a session, verifying its signatures first (with `key`) and then its
/// checksums.
fn replayed(
    path: &Path,
    scenario: Option<&Path>,
    key: Option<&PublicKey>,
) -> Result<Played, Failure> {
    let loaded = load(path).map_err(|e| bad(&e))?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    let verified = super::signing::check(&loaded, key)?;
    let scenario = scenario_for(&loaded, scenario).map_err(|e| bad(&e))?;
    let replayed = replay(&loaded, &scenario).map_err(|e| bad(&e))?;
    Ok((loaded, scenario, replayed, verified))
}

/// Where the parent named in a branch's header is: as written (relative to the working
/// directory), else beside the branch.
fn locate_parent(session: &Path, recorded: &str) -> Option<PathBuf> {
    let recorded = Path::new(recorded);
    let beside = session.parent().map(|dir| dir.join(recorded));
    let by_name = recorded
        .file_name()
        .and_then(|name| session.parent().map(|dir| dir.join(name)));
    [Some(recorded.to_path_buf()), beside, by_name]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
}

/// The parent to set beside this session: `--compare`, else the header's parent.
/// A missing header parent is reported in the comparison section, not as a failure.
fn parent_run(
    options: &ReportOptions<'_>,
    loaded: &LoadedSession,
) -> Result<Option<(LoadedSession, Replayed, String)>, String> {
    let path = match (options.compare, &loaded.header.parent) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(parent)) => locate_parent(options.session, &parent.path).ok_or_else(|| {
            format!(
                "The parent session {} named in the header cannot be found (looked beside the branch too); pass it with `--compare PARENT`.",
                parent.path
            )
        })?,
        (None, None) => return Ok(None),
    };
    let (parent, _, replayed, _) =
        replayed(&path, options.scenario, None).map_err(|f| match f {
            Failure::BadInput(m) | Failure::Usage(m) | Failure::Unmet(m) => m,
        })?;
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Some((parent, replayed, file_digest(&bytes))))
}

pub fn report(options: &ReportOptions<'_>) -> Result<(), Failure> {
    let format = Format::from_path(options.output).ok_or_else(|| {
        Failure::Usage(format!(
            "cannot tell the report format from \"{}\": name the output FILE.html (self-contained HTML) or FILE.md (Markdown)",
            options.output.display()
        ))
    })?;
    let key = super::signing::public_key(options.verify)?;
    let (loaded, scenario, replayed, verified) =
        replayed(options.session, options.scenario, key.as_ref())?;
    let (parent, parent_unavailable) = match parent_run(options, &loaded) {
        Ok(parent) => (parent, None),
        // Asked for explicitly: a wrong parent is wrong input.
        Err(reason) if options.compare.is_some() => return Err(Failure::BadInput(reason)),
        Err(reason) => {
            eprintln!("warning: {reason}");
            (None, Some(reason))
        }
    };
    let baseline = match options.baseline {
        Some(n) => Some(
            baseline::play(&scenario, 0..u64::from(n))
                .map_err(|e| bad(&format!("{}: {e}", loaded.header.scenario)))?,
        ),
        None => None,
    };
    let data = report::gather(&Inputs {
        session: &loaded,
        scenario: &scenario,
        sim: &replayed.sim,
        checksums_verified: replayed.verified,
        tlp: options.tlp,
        baseline: baseline.as_ref(),
        parent: parent.as_ref().map(|(session, run, digest)| ParentRun {
            session,
            sim: &run.sim,
            digest: digest.clone(),
        }),
        parent_unavailable,
        verified: verified.as_ref(),
    });
    let text = report::render(&data, format).map_err(|e| bad(&e))?;
    std::fs::write(options.output, text).map_err(|e| {
        Failure::Usage(format!(
            "cannot write the report to {}: {e}",
            options.output.display()
        ))
    })?;
    eprintln!(
        "{}: {} after-action report of {} — objectives {}; {} improvement-plan items",
        options.output.display(),
        data.marking.label,
        options.session.display(),
        data.overview.objectives_summary,
        data.improvement_plan.rows.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlp_markings_parse_as_people_write_them() {
        assert_eq!(parse_tlp("amber"), Ok(Tlp::Amber));
        assert_eq!(parse_tlp("TLP:AMBER+STRICT"), Ok(Tlp::AmberStrict));
        assert_eq!(parse_tlp("Red"), Ok(Tlp::Red));
        assert!(parse_tlp("white").unwrap_err().contains("expected CLEAR"));
    }

    #[test]
    fn baselines_need_at_least_one_seed() {
        assert_eq!(parse_baseline("50"), Ok(50));
        assert!(parse_baseline("0").unwrap_err().contains("at least 1 seed"));
        assert!(parse_baseline("many").is_err());
        assert!(parse_baseline("100001").is_err());
    }
}
