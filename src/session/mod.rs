//! Sessions: every exercise recorded as it goes, replayable bit for bit.
//!
//! A session file holds one RON record per line: a header (format and program versions,
//! scenario path and digest, seed), every command with its minute and sequence number,
//! and a state checksum every simulated hour. Each record is written and fsync'ed as it
//! is given, so a killed process loses nothing already given, and a file cut off in the
//! middle of a line still loads up to its last whole line.

mod file;
mod recorder;
mod replay;

pub use file::{Header, LoadedSession, Record, SESSION_FORMAT, SessionError, SessionWriter, load, load_commands};
pub use recorder::{Recorder, RecordError};
pub use replay::{Divergence, ReplayError, Replayed, rebuild, replay, scenario_for, verify};
