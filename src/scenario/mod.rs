//! The scenario format: RON types, time as humans write it, TLP, loading with diagnostics
//! and semantic validation. Knows nothing of the simulation, the terminal or the GUI.

mod load;
pub mod locate;
mod model;
mod spelling;
pub mod time;
pub mod tlp;
pub mod validate;

pub use load::{Diagnostics, LoadError, MAX_FILE_BYTES, Problem, load_path, parse};
pub use model::*;
pub use time::{At, ClockTime, Duration, DurationRange, Minute, WallClock, Weekday};
pub use tlp::{Relation, Tlp};

/// A digest of the scenario's canonical content: the parsed value re-encoded, so comments,
/// layout and field order in the file do not change it, and any change of content does.
pub fn digest(scenario: &Scenario) -> String {
    let canonical = ron::to_string(scenario).unwrap_or_default();
    let hash = blake3::hash(canonical.as_bytes());
    hash.to_hex()[..32].to_owned()
}
