//! The seats file: which token opens which role, and which tokens were revoked.
//!
//! Kept beside the session (`x.ron` → `x.seats.ron`), never in it: the session and its
//! journal go to other organisations for the review, and a token in them would open a seat
//! to anyone who reads them. The file is its owner's alone (mode 0600) and is refused if
//! the group or others may read it, the way ssh treats a private key. Records are only
//! appended or marked revoked, so a seat's number (its index) stays the same for the whole
//! exercise and across `resume`.

use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::token::{NoRandomness, Token};

/// A seats file larger than this is not one this program wrote (a few hundred seats).
const MAX_SEATS_BYTES: u64 = 256 * 1024;
/// Links handed out over one exercise, revoked ones included: a bound on the file.
pub const MAX_SEATS: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum SeatsError {
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error(
        "{path}: the seats file may be read by others (mode {mode:o}); it holds the join links' secrets — `chmod 600 {path}` and start again"
    )]
    Exposed { path: String, mode: u32 },
    #[error("{path}: not a seats file this program wrote: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(transparent)]
    Random(#[from] NoRandomness),
    #[error(
        "no seat \"{0}\" in this exercise (a role, an evaluator's or controller's name, or projector)"
    )]
    NoRole(String),
    #[error("{MAX_SEATS} links have been handed out for this exercise; no more")]
    Full,
    #[error(
        "\"{0}\" is a role's id (or the projector's seat): give the evaluator or controller another name"
    )]
    NameTaken(String),
}

/// Who sits on a seat, and so what its page shows and what it may send.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SeatKind {
    /// Plays one of the scenario's roles and sees only what that role may know.
    #[default]
    Trainee,
    /// Reads what the facilitator sees; writes observations and P/S/M/U ratings.
    Evaluator,
    /// The white cell: an evaluator who may also message and answer trainees.
    Controller,
    /// The room's projector: the public picture only; sends nothing.
    Projector,
}

impl SeatKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Trainee => "trainee",
            Self::Evaluator => "evaluator",
            Self::Controller => "controller (white cell)",
            Self::Projector => "projector",
        }
    }

    /// Reads the exercise-control page (everything the facilitator sees but the seats'
    /// secrets).
    pub fn is_staff(self) -> bool {
        matches!(self, Self::Evaluator | Self::Controller)
    }
}

/// How a seat appears in the terminal and on its card: a role's id, `evaluator:NAME`,
/// `controller:NAME`, `projector`; `revoke` takes the same.
pub fn seat_label(kind: SeatKind, name: &str) -> String {
    match kind {
        SeatKind::Trainee | SeatKind::Projector => name.to_owned(),
        SeatKind::Evaluator => format!("evaluator:{name}"),
        SeatKind::Controller => format!("controller:{name}"),
    }
}

/// The seat's name in a label [`seat_label`] made (`evaluator:Ann` → `Ann`).
pub fn seat_name(label: &str) -> &str {
    label
        .strip_prefix("evaluator:")
        .or_else(|| label.strip_prefix("controller:"))
        .unwrap_or(label)
}

/// One handed-out link.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeatRecord {
    /// The role a trainee's seat plays; for the others, the name their notes are recorded
    /// under ("projector" for the projector).
    pub role: String,
    /// Absent in seats files written before there were other seats than trainees'.
    #[serde(default)]
    pub kind: SeatKind,
    pub token: Token,
    pub revoked: bool,
}

/// The one projector seat's name.
pub const PROJECTOR: &str = "projector";
/// Longest evaluator or controller name, and most such seats.
pub const MAX_STAFF_NAME: usize = 80;
pub const MAX_STAFF: usize = 100;

/// A seat that should exist: its kind and name (the role, for a trainee's).
pub type Wanted = (SeatKind, String);

/// Checks the evaluators' and controllers' names given on the command line.
pub fn staff(evaluators: &[String], controllers: &[String]) -> Result<Vec<Wanted>, String> {
    if evaluators.len() + controllers.len() > MAX_STAFF {
        return Err(format!(
            "at most {MAX_STAFF} evaluator and controller seats"
        ));
    }
    let mut wanted = Vec::new();
    for (kind, names) in [
        (SeatKind::Evaluator, evaluators),
        (SeatKind::Controller, controllers),
    ] {
        for name in names {
            let name = name.trim();
            if name.is_empty()
                || name.chars().count() > MAX_STAFF_NAME
                || name.chars().any(char::is_control)
            {
                return Err(format!(
                    "--{} \"{name}\": a name of 1 to {MAX_STAFF_NAME} printable characters, as it should appear in the report",
                    if kind == SeatKind::Evaluator {
                        "evaluator"
                    } else {
                        "controller"
                    }
                ));
            }
            wanted.push((kind, name.to_owned()));
        }
    }
    Ok(wanted)
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeatsFile {
    seats: Vec<SeatRecord>,
}

/// The seats of one exercise.
#[derive(Debug)]
pub struct SeatBook {
    path: Option<PathBuf>,
    seats: Vec<SeatRecord>,
}

/// The seats file of a session: `x.ron` → `x.seats.ron`.
pub fn path_for(session: &Path) -> PathBuf {
    let stem = session
        .file_stem()
        .map_or_else(|| "session".into(), |s| s.to_string_lossy().into_owned());
    session.with_file_name(format!("{stem}.seats.ron"))
}

impl SeatBook {
    /// Seats kept only in memory (a run that records nothing): links die with the process.
    pub fn in_memory(wanted: &[Wanted]) -> Result<Self, SeatsError> {
        let mut book = Self {
            path: None,
            seats: Vec::new(),
        };
        book.seat_everyone(wanted)?;
        Ok(book)
    }

    /// Reads the seats file beside `session` (the same links after a resume), or creates
    /// it; every seat wanted without a live link gets one.
    pub fn open(session: &Path, wanted: &[Wanted]) -> Result<Self, SeatsError> {
        let path = path_for(session);
        let seats = if path.exists() {
            read(&path)?.seats
        } else {
            Vec::new()
        };
        let mut book = Self {
            path: Some(path),
            seats,
        };
        if book.seat_everyone(wanted)? || book.seats.is_empty() {
            book.save()?;
        }
        Ok(book)
    }

    fn seat_everyone(&mut self, wanted: &[Wanted]) -> Result<bool, SeatsError> {
        let mut added = false;
        for (kind, name) in wanted {
            if !self
                .seats
                .iter()
                .any(|s| s.kind == *kind && s.role == *name && !s.revoked)
            {
                self.push(*kind, name)?;
                added = true;
            }
        }
        Ok(added)
    }

    fn push(&mut self, kind: SeatKind, name: &str) -> Result<Token, SeatsError> {
        if self.seats.len() >= MAX_SEATS {
            return Err(SeatsError::Full);
        }
        let token = Token::new()?;
        self.seats.push(SeatRecord {
            role: name.to_owned(),
            kind,
            token: token.clone(),
            revoked: false,
        });
        Ok(token)
    }

    /// The seat a token opens: its number and record. Every live token is compared, each
    /// in constant time, so the answer takes as long whichever seat matched, or none.
    pub fn find(&self, offered: &str) -> Option<(usize, &SeatRecord)> {
        let mut found = None;
        for (n, seat) in self.seats.iter().enumerate() {
            if seat.token.matches(offered) && !seat.revoked && found.is_none() {
                found = Some((n, seat));
            }
        }
        found
    }

    pub fn role_of(&self, seat: usize) -> Option<&str> {
        self.seats
            .get(seat)
            .filter(|s| !s.revoked)
            .map(|s| s.role.as_str())
    }

    /// Revokes every live link of the seat named `role` (a role, an evaluator's or
    /// controller's name, or "projector") and hands out a new one. Returns the seats
    /// revoked (their streams must close) and the new token. Saved before it returns, so a
    /// revoked link stays revoked after a crash and a resume.
    pub fn revoke(&mut self, role: &str) -> Result<(Vec<usize>, Token), SeatsError> {
        let Some(kind) = self.seats.iter().find(|s| s.role == role).map(|s| s.kind) else {
            return Err(SeatsError::NoRole(role.to_owned()));
        };
        let mut revoked = Vec::new();
        for (n, seat) in self.seats.iter_mut().enumerate() {
            if seat.role == role && seat.kind == kind && !seat.revoked {
                seat.revoked = true;
                revoked.push(n);
            }
        }
        let token = self.push(kind, role)?;
        self.save()?;
        Ok((revoked, token))
    }

    /// Live links in order of first issue: (seat number, record).
    pub fn live(&self) -> impl Iterator<Item = (usize, &SeatRecord)> {
        self.seats.iter().enumerate().filter(|(_, s)| !s.revoked)
    }

    /// Every token ever handed out, revoked ones included (tests grep sessions for them).
    pub fn all_tokens(&self) -> impl Iterator<Item = &Token> {
        self.seats.iter().map(|s| &s.token)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Writes the whole file afresh beside the old one, then renames it into place: a
    /// crash leaves the old file or the new one, never half of one; mode 0600 from the
    /// moment it exists.
    fn save(&self) -> Result<(), SeatsError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let io = |e: std::io::Error| SeatsError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let text = ron::ser::to_string_pretty(
            &SeatsFile {
                seats: self.seats.clone(),
            },
            ron::ser::PrettyConfig::default(),
        )
        .map_err(|e| SeatsError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let temporary = path.with_extension("ron.new");
        let _ = std::fs::remove_file(&temporary);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)
            .map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&temporary, path).map_err(io)?;
        Ok(())
    }
}

fn read(path: &Path) -> Result<SeatsFile, SeatsError> {
    let shown = path.display().to_string();
    let io = |e: std::io::Error| SeatsError::Io {
        path: shown.clone(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(SeatsError::Exposed {
            path: shown.clone(),
            mode,
        });
    }
    if meta.len() > MAX_SEATS_BYTES {
        return Err(SeatsError::Unreadable {
            path: shown.clone(),
            reason: format!("it is larger than {MAX_SEATS_BYTES} bytes"),
        });
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    let file: SeatsFile = ron::from_str(&text).map_err(|e| SeatsError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    if file.seats.len() > MAX_SEATS {
        return Err(SeatsError::Unreadable {
            path: shown.clone(),
            reason: format!("more than {MAX_SEATS} seats"),
        });
    }
    if let Some(bad) = file
        .seats
        .iter()
        .find(|s| Token::parse(s.token.reveal()).is_none())
    {
        return Err(SeatsError::Unreadable {
            path: shown.clone(),
            reason: format!("the token of a \"{}\" seat is not 32 hex digits", bad.role),
        });
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles() -> Vec<Wanted> {
        vec![
            (SeatKind::Trainee, "ciso".to_owned()),
            (SeatKind::Trainee, "analyst".to_owned()),
        ]
    }

    #[test]
    fn the_same_links_open_after_a_restart_and_revoked_ones_stay_revoked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let session = dir.path().join("x.ron");
        let mut book = SeatBook::open(&session, &roles()).expect("created");
        let ciso: String = book
            .live()
            .next()
            .expect("a seat")
            .1
            .token
            .reveal()
            .to_owned();
        assert_eq!(book.find(&ciso).map(|(_, r)| r.role.as_str()), Some("ciso"));
        let mode = std::fs::metadata(path_for(&session))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);

        let (revoked, fresh) = book.revoke("ciso").expect("revoked");
        assert_eq!(revoked, vec![0]);
        let again = SeatBook::open(&session, &roles()).expect("reopened");
        assert!(again.find(&ciso).is_none(), "a revoked link stays revoked");
        assert_eq!(
            again.find(fresh.reveal()).map(|(_, r)| r.role.as_str()),
            Some("ciso")
        );
        assert_eq!(again.live().count(), 2);
    }

    #[test]
    fn a_seats_file_others_may_read_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let session = dir.path().join("x.ron");
        SeatBook::open(&session, &roles()).expect("created");
        let path = path_for(&session);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let error = SeatBook::open(&session, &roles()).expect_err("refused");
        assert!(error.to_string().contains("chmod 600"), "{error}");
    }

    #[test]
    fn revoking_an_unknown_role_changes_nothing() {
        let mut book = SeatBook::in_memory(&roles()).expect("book");
        assert!(matches!(book.revoke("nobody"), Err(SeatsError::NoRole(_))));
        assert_eq!(book.live().count(), 2);
    }
}
