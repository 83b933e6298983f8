//! The scenario format: RON types, time as humans write it, TLP, loading with diagnostics
//! and semantic validation. Knows nothing of the simulation, the terminal or the GUI.

mod load;
pub mod locate;
mod model;
pub mod time;
pub mod tlp;
mod validate;

pub use load::{Diagnostics, LoadError, MAX_FILE_BYTES, Problem, load_path, parse};
pub use model::*;
pub use time::{At, ClockTime, Duration, DurationRange, Minute, WallClock, Weekday};
pub use tlp::{Relation, Tlp};
