//! Where the console looks for scenarios and writes sessions, and its frame budget.

use std::path::PathBuf;

use crate::host::FrameBudget;

#[derive(Clone, Debug)]
pub struct AppOptions {
    /// The shipped scenarios (`scenarios/*.ron`).
    pub scenarios_dir: PathBuf,
    /// Where new sessions go by default, with a timestamped name.
    pub sessions_dir: PathBuf,
    /// A scenario to open on the start screen (`tabletop gui FILE`).
    pub file: Option<PathBuf>,
    /// The start screen's signing key (`tabletop gui --sign KEY`).
    pub sign_key: Option<PathBuf>,
    /// The start screen's public key for resume and review (`tabletop gui --verify PUBKEY`).
    pub verify_key: Option<PathBuf>,
    pub budget: FrameBudget,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            scenarios_dir: PathBuf::from("scenarios"),
            sessions_dir: PathBuf::from("sessions"),
            file: None,
            sign_key: None,
            verify_key: None,
            budget: FrameBudget::default(),
        }
    }
}
