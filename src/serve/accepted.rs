//! Intents already accepted, by seat and client id: a POST retried after a lost
//! connection (or after the host was killed and resumed) is answered with the first
//! answer instead of sharing or reporting twice.
//!
//! Kept beside the session (`x.ron` → `x.accepted.jsonl`) rather than in it, because the
//! session is the exercise's evidence and a browser's request id is not. The order of
//! writes makes a crash harmless: the line naming the sequence number the command *will*
//! get is written and synced first, then the command goes to the session. On a resume a
//! line counts only if the session holds that very command (same number, same seat, same
//! kind); a line whose command never reached the session is forgotten, so the retry is
//! accepted as new: nothing lost, nothing doubled.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sim::{Command, Stamped};

/// Longest client id the page may send (it sends 32 hex digits).
pub const MAX_CLIENT_ID: usize = 64;
/// Accepted intents remembered over one exercise.
const MAX_LINES: usize = 200_000;

/// Whether a client id has the shape the page gives it: short, plain characters.
pub fn is_client_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_CLIENT_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Serialize, Deserialize)]
struct Line {
    role: String,
    client: String,
    seq: u64,
    label: String,
}

/// What a seat's retried intent is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Earlier {
    pub seq: u64,
}

#[derive(Debug, Default)]
pub struct Accepted {
    file: Option<(PathBuf, File)>,
    by: BTreeMap<(String, String), u64>,
}

/// The accepted-intents file of a session.
pub fn path_for(session: &Path) -> PathBuf {
    let stem = session
        .file_stem()
        .map_or_else(|| "session".into(), |s| s.to_string_lossy().into_owned());
    session.with_file_name(format!("{stem}.accepted.jsonl"))
}

fn seat_of(command: &Command) -> Option<&str> {
    match command {
        Command::Decide { by, .. } | Command::Answer { by, .. } => Some(by),
        Command::Act { role, .. } | Command::ToControl { role, .. } => Some(role),
        Command::FromControl { by, .. } => Some(by),
        Command::Observe { author, .. } => Some(author),
        Command::Rate { evaluator, .. } | Command::RateAnswer { evaluator, .. } => Some(evaluator),
        _ => None,
    }
}

impl Accepted {
    /// Reads what was accepted before (a resume), keeping only lines whose command is in
    /// `given`, and opens the file to append.
    pub fn open(session: &Path, given: &[Stamped]) -> Result<Self, String> {
        let path = path_for(session);
        let mut by = BTreeMap::new();
        if path.exists() {
            let limit = crate::files::max_file_bytes();
            let file = File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let reader = BufReader::new(file.take(limit));
            for (n, line) in reader.lines().enumerate() {
                if n >= MAX_LINES {
                    return Err(format!("{}: more than {MAX_LINES} lines", path.display()));
                }
                let Ok(line) = line else { break };
                // A line cut off by a crash is the one whose command never reached the
                // session: it is skipped like any line that does not parse.
                let Ok(line) = serde_json::from_str::<Line>(&line) else {
                    continue;
                };
                let held = given
                    .binary_search_by_key(&line.seq, |s| s.seq)
                    .ok()
                    .map(|i| &given[i].command)
                    .is_some_and(|c| {
                        seat_of(c) == Some(line.role.as_str()) && c.label() == line.label
                    });
                if held {
                    by.insert((line.role, line.client), line.seq);
                }
            }
        }
        let file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self {
            file: Some((path, file)),
            by,
        })
    }

    /// The intent this seat already sent under `client`, if any.
    pub fn earlier(&self, role: &str, client: &str) -> Option<Earlier> {
        self.by
            .get(&(role.to_owned(), client.to_owned()))
            .map(|&seq| Earlier { seq })
    }

    /// Notes, durably, that `client`'s intent is about to become command `seq` (call
    /// before the command is given; see the module's note on order).
    pub fn reserve(
        &mut self,
        role: &str,
        client: &str,
        seq: u64,
        label: &str,
    ) -> Result<(), String> {
        if let Some((path, file)) = &mut self.file {
            let line = serde_json::to_string(&Line {
                role: role.to_owned(),
                client: client.to_owned(),
                seq,
                label: label.to_owned(),
            })
            .map_err(|e| e.to_string())?;
            file.write_all(format!("{line}\n").as_bytes())
                .and_then(|()| file.sync_data())
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// The command was given: later retries get its number.
    pub fn confirm(&mut self, role: &str, client: &str, seq: u64) {
        self.by.insert((role.to_owned(), client.to_owned()), seq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::PlayerAction;

    fn stamped(seq: u64, role: &str) -> Stamped {
        Stamped {
            at: 0,
            seq,
            command: Command::Act {
                role: role.to_owned(),
                action: PlayerAction::RequestScan { entity: None },
            },
        }
    }

    #[test]
    fn only_lines_whose_command_reached_the_session_count_after_a_resume() {
        let dir = tempfile::tempdir().expect("dir");
        let session = dir.path().join("x.ron");
        let mut accepted = Accepted::open(&session, &[]).expect("open");
        accepted
            .reserve("ciso", "a1", 0, "player_request_scan")
            .expect("written");
        accepted.confirm("ciso", "a1", 0);
        // Reserved, then the process died before the session took it:
        accepted
            .reserve("ciso", "b2", 1, "player_request_scan")
            .expect("written");
        drop(accepted);

        let again = Accepted::open(&session, &[stamped(0, "ciso")]).expect("reopen");
        assert_eq!(again.earlier("ciso", "a1"), Some(Earlier { seq: 0 }));
        assert_eq!(again.earlier("ciso", "b2"), None);
        assert_eq!(again.earlier("analyst", "a1"), None, "ids are per seat");

        // Seq 1 later went to another seat's command: still not b2's.
        let other =
            Accepted::open(&session, &[stamped(0, "ciso"), stamped(1, "analyst")]).expect("reopen");
        assert_eq!(other.earlier("ciso", "b2"), None);
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        assert!(is_client_id("0f3a-b_9"));
        assert!(!is_client_id(""));
        assert!(!is_client_id("a b"));
        assert!(!is_client_id("../x"));
        assert!(!is_client_id(&"a".repeat(MAX_CLIENT_ID + 1)));
    }
}
