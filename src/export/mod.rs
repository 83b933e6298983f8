//! Exports into the tools CSIRTs already use (issue 19): a MISP event, a STIX 2.1 bundle,
//! an ATT&CK Navigator layer, of what a session's actors knew at a moment.
//!
//! [`gather`] decides what is exported (a role's export: what its actor knew, under the
//! marking it held it; the facilitator's: everything); one file per format writes it.
//! Exports are deterministic (ids from the session, times from exercise minutes) and
//! marked as exercise data so they never feed a production blocklist. Nothing here prints
//! or touches a file: the CLI does.

mod gather;
mod ids;
mod misp;
mod navigator;
mod observable;
mod stix;

pub use gather::{Author, GatherError, Gathered, Indicator, Scope, Sighting, Technique, gather};
pub use ids::SessionKey;
pub use misp::{EXERCISE_TAG, tlp_tag};
pub use stix::{EXERCISE_LABEL, marking};

use crate::scenario::Scenario;
use crate::sim::Simulation;

/// The formats `tabletop export --as` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A MISP event in the MISP core format.
    Misp,
    /// A STIX 2.1 bundle.
    Stix,
    /// An ATT&CK Navigator layer (format 4.5).
    Navigator,
}

impl Format {
    /// Reads `misp`, `stix` or `navigator`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "misp" => Ok(Self::Misp),
            "stix" | "stix2" | "stix2.1" => Ok(Self::Stix),
            "navigator" | "attack-navigator" => Ok(Self::Navigator),
            _ => Err(format!(
                "\"{text}\" is not an export format; expected misp, stix or navigator"
            )),
        }
    }
}

/// Why an export cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExportError {
    #[error(transparent)]
    Gather(#[from] GatherError),
    /// A role's view holds no technique, so a role has no Navigator layer.
    #[error(
        "a role's view holds no ATT&CK technique (trainees see detections, not the adversary's stages), so there is no Navigator layer of role {0}; export the layer without --role, as the facilitator"
    )]
    NoTechniquesForRole(String),
}

/// An export's bytes, and what it had to leave out (in words, for the one who exports).
pub struct Exported {
    pub text: String,
    pub left_out: Vec<String>,
}

/// Exports `sim` (stood at the moment exported; its session's ids from `key`) in `format`
/// for `scope`.
pub fn export(
    scenario: &Scenario,
    sim: &Simulation,
    key: &SessionKey,
    format: Format,
    scope: Scope<'_>,
) -> Result<Exported, ExportError> {
    let data = gather(scenario, sim, scope)?;
    Ok(match format {
        Format::Misp => Exported {
            text: misp::write(&data, key),
            left_out: Vec::new(),
        },
        Format::Stix => {
            let bundle = stix::write(&data, key);
            Exported {
                text: bundle.text,
                left_out: bundle.left_out,
            }
        }
        Format::Navigator => {
            if let Some(role) = &data.role {
                return Err(ExportError::NoTechniquesForRole(role.clone()));
            }
            Exported {
                text: navigator::write(&data),
                left_out: Vec::new(),
            }
        }
    })
}
