//! Reading untrusted input files: scenarios, sessions, command scripts, hot-wash answers and
//! sweep shards come from other organisations. Only regular files are read (a FIFO would
//! block forever, `/dev/zero` would never end), and never more than a limit, whatever size
//! the file claims.

use std::io::Read;
use std::path::Path;

/// Session files, command scripts and shards larger than this are not ones tabletop
/// wrote: a 30-day, 10,000-organisation session with hourly checkpoints is a few MB.
pub const MAX_RECORD_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file could not be read: one line, without the path (the caller names it).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(String),
    #[error("it is a directory; expected {0}")]
    Directory(&'static str),
    #[error("it is not a regular file (a FIFO, socket or device); expected {0}")]
    NotRegular(&'static str),
    #[error("more than the {limit}-byte limit for {what}")]
    TooLarge { limit: u64, what: &'static str },
}

/// Reads a regular file of at most `limit` bytes; `what` names what was expected ("a
/// session file").
pub fn read_regular(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::Directory(what));
    }
    if !meta.is_file() {
        return Err(ReadError::NotRegular(what));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit, what });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The file may have been swapped since the look above: check what was opened.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(ReadError::NotRegular(what));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit, what });
    }
    Ok(bytes)
}

/// As [`read_regular`], for text: invalid UTF-8 is an error naming the byte offset.
pub fn read_regular_text(path: &Path, limit: u64, what: &'static str) -> Result<String, ReadError> {
    let bytes = read_regular(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(format!(
            "not UTF-8 text (at byte {}); expected {what}",
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_without_reading_them() {
        assert_eq!(
            read_regular(Path::new("/dev/zero"), 1024, "a session file"),
            Err(ReadError::NotRegular("a session file"))
        );
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_regular(dir.path(), 1024, "a session file"),
            Err(ReadError::Directory("a session file"))
        );
    }

    #[test]
    fn a_fifo_is_refused_instead_of_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        assert_eq!(
            read_regular(&fifo, 1024, "a scenario file"),
            Err(ReadError::NotRegular("a scenario file"))
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 2048]).unwrap();
        assert!(matches!(
            read_regular(&path, 1024, "a shard"),
            Err(ReadError::TooLarge { limit: 1024, .. })
        ));
        assert_eq!(read_regular(&path, 4096, "a shard").unwrap().len(), 2048);
    }
}
