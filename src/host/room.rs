//! The room as the facilitator arranged it: speed, auto-pause, open seats, zoom.
//!
//! Kept in a small file beside the session (`x.ron` → `x.room.ron`), not in the session:
//! the session is the exercise's evidence and travels between organisations, while the
//! room is one console's arrangement. Resume reads it back so the room comes back as it
//! was; a missing or unreadable room file only costs the defaults, with a warning.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::clock::Speed;

/// A room file larger than this is not one this program wrote.
const MAX_ROOM_BYTES: u64 = 64 * 1024;

/// What to restore when a session is resumed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Room {
    pub speed: Speed,
    pub pause_on_inject: bool,
    pub pause_on_decision: bool,
    /// Roles whose seats were open, in the order they were opened.
    pub seats: Vec<String>,
    pub projector: bool,
    /// The console's zoom in percent (100 = egui's default size).
    pub zoom_percent: u32,
    /// The light theme, for bright rooms.
    pub light: bool,
    /// The projector's own text scale in percent (100 = its designed size), whatever the
    /// console's zoom. Room files written before it was kept read as 100.
    pub projector_percent: u32,
}

impl Default for Room {
    fn default() -> Self {
        Self {
            speed: Speed::DEFAULT,
            pause_on_inject: false,
            pause_on_decision: true,
            seats: Vec::new(),
            projector: false,
            zoom_percent: 100,
            light: false,
            projector_percent: 100,
        }
    }
}

/// The room file of a session: `x.ron` → `x.room.ron`.
pub fn path_for(session: &Path) -> PathBuf {
    let stem = session
        .file_stem()
        .map_or_else(|| "session".into(), |s| s.to_string_lossy().into_owned());
    session.with_file_name(format!("{stem}.room.ron"))
}

/// Why a room file could not be read or written. The room is a comfort (zoom, seats,
/// speed), never the record: a face reports this and goes on.
#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: larger than {MAX_ROOM_BYTES} bytes; not a room file", path.display())]
    TooLarge { path: PathBuf },
    #[error("{}:{source}", path.display())]
    Invalid {
        path: PathBuf,
        // Boxed: the error is large, and rare.
        source: Box<ron::error::SpannedError>,
    },
    #[error("cannot encode the room: {0}")]
    Encode(ron::Error),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Room {
    /// Reads the room saved beside `session`. `Ok(None)` when there is none.
    pub fn load(session: &Path) -> Result<Option<Self>, RoomError> {
        let path = path_for(session);
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(RoomError::Read { path, source }),
        };
        let mut text = String::new();
        if let Err(source) = file.take(MAX_ROOM_BYTES + 1).read_to_string(&mut text) {
            return Err(RoomError::Read { path, source });
        }
        if text.len() as u64 > MAX_ROOM_BYTES {
            return Err(RoomError::TooLarge { path });
        }
        ron::from_str(&text)
            .map(Some)
            .map_err(|source| RoomError::Invalid {
                path,
                source: Box::new(source),
            })
    }

    /// Writes the room beside `session`, whole or not at all (a temporary file renamed).
    pub fn save(&self, session: &Path) -> Result<(), RoomError> {
        let path = path_for(session);
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(RoomError::Encode)?;
        let temporary = path.with_extension("ron.tmp");
        std::fs::write(&temporary, text + "\n")
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|source| RoomError::Write { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_room_file_sits_beside_the_session() {
        assert_eq!(
            path_for(Path::new("sessions/ducksends-1.ron")),
            Path::new("sessions/ducksends-1.room.ron")
        );
    }

    #[test]
    fn a_room_comes_back_as_it_was_saved() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("s.ron");
        assert_eq!(Room::load(&session).unwrap(), None);
        let room = Room {
            speed: Speed::Times(600),
            pause_on_inject: true,
            pause_on_decision: false,
            seats: vec!["ciso".into(), "fin-duty".into()],
            projector: true,
            zoom_percent: 150,
            light: true,
            projector_percent: 175,
        };
        room.save(&session).unwrap();
        assert_eq!(Room::load(&session).unwrap(), Some(room));
    }

    #[test]
    fn a_garbled_room_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("s.ron");
        std::fs::write(path_for(&session), "Room(speed: Warp)").unwrap();
        let error = Room::load(&session).unwrap_err().to_string();
        assert!(error.contains("s.room.ron:"), "{error}");
    }
}
