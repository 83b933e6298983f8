//! The session file: its records, chained line to line ([`super::chain`]), loaded with
//! tolerance for a cut-off last line and none for an edited one. Writing them is
//! [`super::writer`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::chain::{self, Link};
use super::keys::{PublicKey, Signer};
use super::sign::{self, SignError, SignatureLine, Signatures, Verified};
use crate::files::{max_file_bytes, read_regular};
use crate::scenario::{Minute, time::format_offset};
use crate::sim::{CHECKSUM_INTERVAL, Checksum, Command, Stamped};

/// The session format this program writes unsigned sessions in. Format 2 chains its
/// records ([`super::chain`]); format 1 files still load, and are reported as unchained.
pub const SESSION_FORMAT: u32 = 2;

/// The format of signed sessions ([`super::sign`]): format 2 with a signer in the header and
/// signature records, so an older tabletop says "update tabletop" instead of failing on
/// a record it does not know. The newest format this program reads.
pub const SIGNED_FORMAT: u32 = 3;

/// The first format whose records are chained.
pub const CHAINED_FORMAT: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Session format version.
    pub format: u32,
    /// Version of the tabletop program that recorded the session.
    pub program: String,
    /// The scenario file, as given when recording.
    pub scenario: String,
    /// `scenario::digest` of the scenario's content.
    pub digest: String,
    pub seed: u64,
    /// The simulation version that recorded it ([`crate::sim::ENGINE_VERSION`]); sessions
    /// from before it was recorded were played by version 1.
    #[serde(default = "first_engine")]
    pub engine: u32,
    /// Set on a what-if branch (`tabletop branch`): the session it was branched from.
    /// Absent in ordinary sessions, so sessions written before branches existed load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Parent>,
    /// The fingerprint of the key that signs the session ([`super::keys`]); absent in
    /// unsigned sessions. Named here so that removing every signature is noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

impl Header {
    /// The header as written for `signer`: naming its key, in the signed format.
    pub fn signed_by(self, signer: Option<&Signer>) -> Self {
        match signer {
            Some(signer) => Self {
                format: SIGNED_FORMAT,
                signer: Some(signer.fingerprint().to_owned()),
                ..self
            },
            None => self,
        }
    }
}

fn first_engine() -> u32 {
    1
}

/// Where a what-if branch comes from: the parent session and the branch time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parent {
    /// The parent session file, as given when branching.
    pub path: String,
    /// blake3 of the parent file's bytes when the branch was made (32 hex digits), so a
    /// report can tell whether the parent changed since.
    pub digest: String,
    /// The branch time: the parent's commands before this minute were kept.
    pub at: Minute,
    /// The parent's seed; differs from the header's seed unless the branch kept it.
    pub seed: u64,
}

/// One line of a session file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Record {
    Header(Header),
    /// A command given at simulated minute `at`, the `seq`-th of the session.
    Command {
        at: Minute,
        seq: u64,
        command: Command,
    },
    /// The state checksum after every minute up to `t` was played.
    Checkpoint {
        t: Minute,
        checksum: Checksum,
    },
    /// The exercise was played to its end.
    End {
        t: Minute,
        checksum_final: Checksum,
    },
    /// A participant's answer in the hot wash after the exercise (`tabletop feedback`).
    /// Not a command: it never reaches the simulation, and replay ignores it.
    Hotwash {
        participant: String,
        role: String,
        question: String,
        answer: String,
    },
    /// The signer's ed25519 signature over the chain link of the record before it
    /// ([`super::sign`]): after the header, every checkpoint, the end and each batch of
    /// hot-wash answers. `upto` is the minute the recording had reached.
    Signature {
        upto: Minute,
        key: String,
        sig: String,
    },
}

/// One hot-wash answer, as loaded from a session; written `Answer(...)` in answers files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Answer")]
pub struct HotwashAnswer {
    pub participant: String,
    pub role: String,
    pub question: String,
    pub answer: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("cannot write {path}: {reason}")]
    Unwritable { path: String, reason: String },
    #[error("{path}:{line}:{col}: {message}")]
    Malformed {
        path: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{path}: written by a newer tabletop (session format {found}, this program reads up to {SIGNED_FORMAT}); update tabletop"
    )]
    NewerFormat { path: String, found: u32 },
    #[error(
        "{path}: recorded unsigned, so it cannot be signed from here on; sign a new session or a branch of it (--sign KEY)"
    )]
    SignedLate { path: String },
    #[error("{path}: signed by key {}, but --sign gave key {}: continue it with the key that signed it", sign::shown(.signer), sign::shown(.given))]
    OtherSigner {
        path: String,
        signer: String,
        given: String,
    },
    #[error(
        "{path}: signed by key {}: continue it with --sign and that key (the console: its signing key field), or what follows would go unsigned", sign::shown(.signer)
    )]
    SignerNeeded { path: String, signer: String },
    #[error(
        "{path}: another tabletop is writing this session (a second resume, or feedback while it is recorded); wait for it to finish"
    )]
    Busy { path: String },
}

/// A session as read from its file.
#[derive(Clone, Debug)]
pub struct LoadedSession {
    pub path: PathBuf,
    pub header: Header,
    pub commands: Vec<Stamped>,
    pub checkpoints: Vec<(Minute, Checksum)>,
    pub end: Option<(Minute, Checksum)>,
    /// Hot-wash answers appended after the exercise, in file order.
    pub hotwash: Vec<HotwashAnswer>,
    /// Things worth telling the user that do not stop the load (a cut-off last line).
    pub warnings: Vec<String>,
    /// Number of whole lines read.
    pub lines: usize,
    /// Whether every record is chained to the one before (format 2 and later): then no
    /// record can have been changed, inserted, removed or moved since it was written
    /// without the load failing.
    pub chained: bool,
    /// The signer the header names and the signature records, unchecked: `--verify`
    /// checks them ([`super::sign::verify`]).
    pub signatures: Signatures,
}

impl LoadedSession {
    /// Checks the session's signatures against `key` ([`super::sign::verify`]): how far it
    /// verified, or why it is refused.
    pub fn verify(&self, key: &PublicKey) -> Result<Verified, SignError> {
        sign::verify(
            &self.path.display().to_string(),
            self.chained,
            &self.signatures,
            self.lines,
            key,
        )
    }
}

/// Reads a session file.
pub fn load(path: &Path) -> Result<LoadedSession, SessionError> {
    let label = path.display().to_string();
    let unreadable = |reason: String| SessionError::Unreadable {
        path: label.clone(),
        reason,
    };
    let bytes = read_regular(path, max_file_bytes(), "a session file")
        .map_err(|e| unreadable(e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut warnings = Vec::new();
    // A line without its newline was being written when the recorder stopped.
    let (whole, partial) = match text.rfind('\n') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", &text[..]),
    };
    let malformed = |line: usize, col: usize, message: String| SessionError::Malformed {
        path: label.clone(),
        line,
        col,
        message,
    };
    if !partial.trim().is_empty() {
        let line = whole.lines().count() + 1;
        // A link is the last thing written: a line that holds a whole one was not cut off.
        if chain::holds_whole_link(partial) {
            return Err(malformed(
                line,
                1,
                "the last line is a whole record without its newline: the file was changed after it was written".into(),
            ));
        }
        warnings.push(format!("{label}:{line}: the last line is cut off (the recorder stopped while writing it); ignored"));
    }
    // A scenario given where a session is expected (`tabletop export SCENARIO`) is a
    // common slip: say what it is and what plays it, not which record was expected.
    let is_scenario = !whole.trim_start().starts_with("Header(")
        && whole
            .lines()
            .take(500)
            .any(|l| l.trim_start().starts_with("Scenario("));
    if is_scenario {
        return Err(malformed(
            1,
            1,
            "this is a scenario, not a recorded session; record one with `tabletop run FILE --session PATH` (or `tabletop serve FILE`, or the console)".into(),
        ));
    }
    let mut header = None;
    let mut session = LoadedSession {
        path: path.to_path_buf(),
        header: Header {
            format: 0,
            program: String::new(),
            scenario: String::new(),
            digest: String::new(),
            seed: 0,
            engine: 1,
            parent: None,
            signer: None,
        },
        commands: Vec::new(),
        checkpoints: Vec::new(),
        end: None,
        hotwash: Vec::new(),
        warnings: Vec::new(),
        lines: 0,
        chained: false,
        signatures: Signatures::default(),
    };
    let mut link = Link::origin();
    // How far the recording reached before each line: its last checkpoint or end.
    let mut reached = 0;
    for (index, line) in whole.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            if session.chained {
                return Err(malformed(
                    number,
                    1,
                    "an empty line inside a chained session: lines were inserted".into(),
                ));
            }
            continue;
        }
        let (body, found) = chain::split(line);
        let record: Record = ron::from_str(body).map_err(|e| {
            malformed(
                number,
                e.span.start.col,
                format!(
                    "{}; expected one session record such as `Checkpoint(t: 60, checksum: \"…\")`",
                    e.code
                ),
            )
        })?;
        if let (None, Record::Header(h)) = (&header, &record) {
            // A newer format may chain differently: say so before checking links.
            if h.format > SIGNED_FORMAT {
                return Err(SessionError::NewerFormat {
                    path: label.clone(),
                    found: h.format,
                });
            }
            session.chained = h.format >= CHAINED_FORMAT;
        }
        // What a signature on this line signs: the link of the line before.
        let signed_link = link.as_str().to_owned();
        if session.chained {
            let expected = link.next(body);
            if found != Some(expected.as_str()) {
                return Err(malformed(
                    number,
                    body.len() + 1,
                    "the chain breaks here: this line was changed, inserted, removed or moved since it was recorded".into(),
                ));
            }
            link = expected;
        }
        if session.end.is_some()
            && !matches!(record, Record::Hotwash { .. } | Record::Signature { .. })
        {
            return Err(malformed(
                number,
                1,
                "a record after the end of the exercise; only hot-wash answers (and signatures) may follow `End`"
                    .into(),
            ));
        }
        match (record, &header) {
            (Record::Header(h), None) => {
                session.signatures.signer = h.signer.clone();
                header = Some(h);
            }
            (Record::Header(_), Some(_)) => {
                return Err(malformed(
                    number,
                    1,
                    "a second header; a session has one, on its first line".into(),
                ));
            }
            (_, None) => {
                return Err(malformed(
                    number,
                    1,
                    "expected the session header `Header(format: 2, ...)` on the first line".into(),
                ));
            }
            (Record::Command { at, seq, command }, Some(_)) => {
                // Numbered in the order given: a branch keeps its parent's numbers, with gaps
                // where it dropped commands, but never goes back.
                if let Some(previous) = session.commands.last().map(|c| c.seq)
                    && seq <= previous
                {
                    return Err(malformed(
                        number,
                        1,
                        format!(
                            "command #{seq} after #{previous}: commands are numbered in the order they were given"
                        ),
                    ));
                }
                session.commands.push(Stamped { at, seq, command });
            }
            (Record::Checkpoint { t, checksum }, Some(_)) => {
                let hours = i64::try_from(session.checkpoints.len()).unwrap_or(i64::MAX);
                let expected = hours.saturating_add(1).saturating_mul(CHECKSUM_INTERVAL);
                if t != expected {
                    return Err(malformed(
                        number,
                        1,
                        format!(
                            "a checkpoint at {} where {} was expected: one every simulated hour, in order",
                            format_offset(t),
                            format_offset(expected)
                        ),
                    ));
                }
                session.checkpoints.push((t, checksum));
                reached = t;
            }
            (Record::End { t, checksum_final }, Some(_)) => {
                session.end = Some((t, checksum_final));
                reached = t;
            }
            (Record::Signature { upto, key, sig }, Some(_)) => {
                session.signatures.lines.push(SignatureLine {
                    line: number,
                    upto,
                    key,
                    sig,
                    signed_link,
                    reached,
                    after_end: session.end.is_some(),
                    answers_before: session.hotwash.len(),
                });
            }
            (
                Record::Hotwash {
                    participant,
                    role,
                    question,
                    answer,
                },
                Some(_),
            ) => session.hotwash.push(HotwashAnswer {
                participant,
                role,
                question,
                answer,
            }),
        }
        session.lines = number;
    }
    session.header = header.ok_or_else(|| {
        malformed(
            1,
            1,
            "empty session; expected the header `Header(format: 2, ...)`".into(),
        )
    })?;
    session.warnings = warnings;
    Ok(session)
}

/// Reads scripted commands: lines in the session record format, of which the `Command`
/// records are taken (so a recorded session's commands can be played again). Blank lines
/// and lines starting with `//` are skipped.
pub fn load_commands(path: &Path) -> Result<Vec<Stamped>, SessionError> {
    let label = path.display().to_string();
    let text = crate::files::read_regular_text(path, max_file_bytes(), "a commands file").map_err(
        |e| SessionError::Unreadable {
            path: label.clone(),
            reason: e.to_string(),
        },
    )?;
    let mut commands = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        let record: Record = ron::from_str(trimmed).map_err(|e| SessionError::Malformed {
            path: label.clone(),
            line: index + 1,
            col: e.span.start.col,
            message: format!("{}; expected a record such as `Command(at: 90, seq: 0, command: SkipInject(inject: \"helpdesk-tip\"))`", e.code),
        })?;
        if let Record::Command { at, seq, command } = record {
            commands.push(Stamped { at, seq, command });
        }
    }
    Ok(commands)
}
