//! Sessions: every exercise recorded as it goes, replayable bit for bit.
//!
//! A session file holds one RON record per line: a header (format and program versions,
//! scenario path and digest, seed), every command with its minute and sequence number,
//! and a state checksum every simulated hour. Each record is written and fsync'ed as it
//! is given, so a killed process loses nothing already given, and a file cut off in the
//! middle of a line still loads up to its last whole line. A what-if branch is a session
//! whose header names its parent; hot-wash answers are appended after the exercise as
//! records that replay ignores. A signed session carries its signer's signature after
//! every checkpoint ([`sign`]), made with a key from `tabletop keygen` ([`keys`]). A [`Review`] stands a recorded session at any minute of
//! its recording, read-only, for the after-action review.

mod branch;
mod chain;
mod file;
mod hotwash;
mod keys;
mod recorder;
mod replay;
mod review;
mod sign;
mod writer;

pub use branch::{BranchError, Branched, branch, branch_seed, file_digest};
pub use file::{
    Header, HotwashAnswer, LoadedSession, Parent, Record, SESSION_FORMAT, SIGNED_FORMAT,
    SessionError, load, load_commands,
};
pub use hotwash::{HOTWASH_QUESTIONS, append_hotwash, load_answers};
pub use keys::{KeyError, KeyPair, PublicKey, SHORT_FINGERPRINT, Signer, key_paths, keygen};
pub use recorder::{RecordError, Recorder};
pub use replay::{Divergence, ReplayError, Replayed, rebuild, replay, scenario_for, verify};
pub use review::{Moved, Review};
pub use sign::{MESSAGE_PREFIX, SignError, SignatureLine, Signatures, Verified, shown};
pub use writer::SessionWriter;
