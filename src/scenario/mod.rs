//! The scenario format: RON types, time as humans write it, TLP, loading with diagnostics
//! and semantic validation. Knows nothing of the simulation, the terminal or the GUI.

pub mod bounds;
mod load;
pub mod locate;
mod model;
pub mod plain;
pub mod regimes;
mod spelling;
pub mod time;
pub mod tlp;
pub mod validate;
pub mod zone;

pub use load::{Diagnostics, LoadError, Problem, load_path, parse};
pub use model::*;
pub use time::{At, ClockTime, Duration, DurationRange, Minute, WallClock, Weekday};
pub use tlp::{Relation, Tlp};
pub use zone::{LocalClock, TimeZone};

/// A digest of the scenario's canonical content: the parsed value re-encoded, so comments,
/// layout and field order in the file do not change it, and any change of content does.
///
/// # Errors
/// When the scenario cannot be re-encoded. An empty encoding in its place would give every
/// such scenario the same digest, and a session would replay against the wrong one.
pub fn digest(scenario: &Scenario) -> Result<String, DigestError> {
    let canonical = ron::to_string(scenario)?;
    let hash = blake3::hash(canonical.as_bytes());
    Ok(hash.to_hex()[..32].to_owned())
}

/// The scenario could not be re-encoded as RON to compute its digest.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode the scenario to compute its digest: {0}")]
pub struct DigestError(#[from] ron::Error);
