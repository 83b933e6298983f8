//! Writing a session file: one record per line, chained to the line before, fsync'ed
//! before `write` returns, by one writer at a time; signed as it goes when given a signer.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::chain::{self, Link};
use super::file::{CHAINED_FORMAT, Header, LoadedSession, Record, SessionError, load};
use super::keys::Signer;
use super::sign;
use crate::files::{max_file_bytes, read_regular};
use crate::scenario::Minute;

/// Appends records to a session file, each flushed to disk before `write` returns. Holds
/// an advisory lock on the file while it lives: one writer per session. With a signer it
/// signs the header, every checkpoint and the end as it writes them ([`super::sign`]).
pub struct SessionWriter {
    file: File,
    path: PathBuf,
    /// The link of the last record written; `None` for an unchained (format 1) file,
    /// which is continued unchained.
    link: Option<Link>,
    signer: Option<Signer>,
    /// The minute the recording has reached: its last checkpoint or end, else 0.
    reached: Minute,
    /// Whether a record was written since the last signature.
    unsigned: bool,
}

/// Takes the session's writer lock, or says who holds it.
fn lock(file: &File, path: &Path) -> Result<(), SessionError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(SessionError::Busy {
            path: path.display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(SessionError::Unwritable {
            path: path.display().to_string(),
            reason: format!("cannot lock it: {e}"),
        }),
    }
}

impl SessionWriter {
    /// Starts a new session file; refuses to overwrite an existing one. With a signer, the
    /// header is written [`Header::signed_by`] it.
    pub fn create(
        path: &Path,
        header: &Header,
        signer: Option<Signer>,
    ) -> Result<Self, SessionError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| SessionError::Unwritable {
                path: path.display().to_string(),
                reason: if e.kind() == std::io::ErrorKind::AlreadyExists {
                    "it already exists; choose another name, or continue it with `tabletop resume`"
                        .into()
                } else {
                    e.to_string()
                },
            })?;
        lock(&file, path)?;
        let header = header.clone().signed_by(signer.as_ref());
        let mut writer = Self {
            file,
            path: path.to_path_buf(),
            link: (header.format >= CHAINED_FORMAT).then(Link::origin),
            signer,
            reached: 0,
            unsigned: false,
        };
        writer.write(&Record::Header(header))?;
        Ok(writer)
    }

    /// Continues an existing session file after its last whole line, whose chain it
    /// checks first (a session that does not load is not continued). A signer must be the
    /// one the header names; without one, what is appended goes unsigned.
    pub fn append(path: &Path, signer: Option<Signer>) -> Result<Self, SessionError> {
        let unwritable = |reason: String| SessionError::Unwritable {
            path: path.display().to_string(),
            reason,
        };
        let mut file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| unwritable(e.to_string()))?;
        lock(&file, path)?;
        // Read under the lock: nobody appends between this look and the next record.
        let loaded = load(path)?;
        check_signer(&loaded, signer.as_ref())?;
        let bytes = read_regular(path, max_file_bytes(), "a session file")
            .map_err(|e| unwritable(e.to_string()))?;
        // Drop a cut-off last line so the next record starts on a line of its own.
        let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        file.set_len(keep as u64)
            .map_err(|e| unwritable(e.to_string()))?;
        file.flush().map_err(|e| unwritable(e.to_string()))?;
        let link = loaded.chained.then(|| {
            let text = String::from_utf8_lossy(&bytes[..keep]);
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .fold(Link::origin(), |link, line| link.next(chain::split(line).0))
        });
        let reached = loaded
            .end
            .or(loaded.checkpoints.last().copied())
            .map_or(0, |(t, _)| t);
        Ok(Self {
            file,
            path: path.to_path_buf(),
            link,
            signer,
            reached,
            unsigned: false,
        })
    }

    /// Writes one record as one line and waits until it is on disk; a header, checkpoint or
    /// end record is then signed at once, so a killed process leaves it signed.
    pub fn write(&mut self, record: &Record) -> Result<(), SessionError> {
        self.write_line(record)?;
        self.unsigned = true;
        match record {
            Record::Checkpoint { t, .. } | Record::End { t, .. } => self.reached = *t,
            _ => {}
        }
        if matches!(
            record,
            Record::Header(_) | Record::Checkpoint { .. } | Record::End { .. }
        ) {
            self.seal()?;
        }
        Ok(())
    }

    /// Signs everything written so far, if there is a signer and something unsigned: after
    /// a batch of hot-wash answers, or the last record of a branch.
    pub fn seal(&mut self) -> Result<(), SessionError> {
        let (Some(signer), Some(link), true) = (&self.signer, &self.link, self.unsigned) else {
            return Ok(());
        };
        let sig = sign::to_hex(&signer.sign(&sign::message(link.as_str())));
        let record = Record::Signature {
            upto: self.reached,
            key: signer.fingerprint().to_owned(),
            sig,
        };
        self.write_line(&record)?;
        self.unsigned = false;
        Ok(())
    }

    fn write_line(&mut self, record: &Record) -> Result<(), SessionError> {
        let unwritable = |e: &dyn std::fmt::Display| SessionError::Unwritable {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        };
        let mut line = ron::to_string(record).map_err(|e| unwritable(&e))?;
        if let Some(link) = &mut self.link {
            *link = link.next(&line);
            line.push_str(chain::MARKER);
            line.push_str(link.as_str());
        }
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| unwritable(&e))?;
        self.file.sync_data().map_err(|e| unwritable(&e))
    }
}

/// A session is signed on only by the key its header names, and one recorded unsigned is
/// never signed from the middle on.
fn check_signer(loaded: &LoadedSession, signer: Option<&Signer>) -> Result<(), SessionError> {
    let path = loaded.path.display().to_string();
    match (&loaded.header.signer, signer) {
        (None, Some(_)) => Err(SessionError::SignedLate { path }),
        (Some(named), Some(given)) if named != given.fingerprint() => {
            Err(SessionError::OtherSigner {
                path,
                signer: named.clone(),
                given: given.fingerprint().to_owned(),
            })
        }
        _ => Ok(()),
    }
}
