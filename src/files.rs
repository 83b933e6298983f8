//! Reading untrusted input files: scenarios, sessions, command scripts, hot-wash answers and
//! sweep shards come from other organisations. Only regular files are read (a FIFO would
//! block forever, `/dev/zero` would never end), and never more than a limit, whatever size
//! the file claims.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The one limit on the data files tabletop reads (scenarios, sessions, command scripts,
/// hot-wash answers, sweep shards), unless `--max-file-size` raises it. A 30-day
/// 10,000-organisation scenario is about 6 MB and its session a few MB; loading a
/// scenario takes roughly 25 times its size in memory, so 64 MiB is about 1.5 GB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The limit in force: set once by the command line (`--max-file-size`) before any file is
/// read. A process-wide setting: every reader, in every face, applies the same one.
static MAX_FILE_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_BYTES);

/// The size limit every data-file reader applies.
pub fn max_file_bytes() -> u64 {
    MAX_FILE_BYTES.load(Ordering::Relaxed)
}

/// Raises (or lowers) the limit for this process.
pub fn set_max_file_bytes(limit: u64) {
    MAX_FILE_BYTES.store(limit, Ordering::Relaxed);
}

/// `"64M"`, `"1.5G"`, `"600000"`: a size in bytes, with an optional K, M or G (powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (number, unit) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&t[..i], t[i..].to_ascii_uppercase()),
        None => (t, String::new()),
    };
    let factor: u64 = match unit.trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => {
            return Err(format!(
                "\"{text}\": expected a size such as 64M, 1G or 600000 (bytes)"
            ));
        }
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\": expected a size such as 64M, 1G or 600000 (bytes)"))?;
    let bytes = value * factor as f64;
    if !(1.0..=(1u64 << 40) as f64).contains(&bytes) {
        return Err(format!("\"{text}\": expected a size from 1 byte to 1T"));
    }
    // In range and positive: the conversion cannot wrap.
    Ok(bytes as u64)
}

/// `limit` in words, as the flag takes it: "64M".
pub fn size_words(limit: u64) -> String {
    if limit.is_multiple_of(1 << 30) {
        format!("{}G", limit >> 30)
    } else if limit.is_multiple_of(1 << 20) {
        format!("{}M", limit >> 20)
    } else if limit.is_multiple_of(1 << 10) {
        format!("{}K", limit >> 10)
    } else {
        limit.to_string()
    }
}

/// Why a file could not be read: one line, without the path (the caller names it).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(String),
    #[error("it is a directory; expected {0}")]
    Directory(&'static str),
    #[error("it is not a regular file (a FIFO, socket or device); expected {0}")]
    NotRegular(&'static str),
    #[error(
        "larger than the {} limit for {what}; if you trust it, raise the limit with --max-file-size",
        size_words(*limit)
    )]
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
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
        assert_eq!(parse_size("600000"), Ok(600_000));
        assert_eq!(parse_size("100k"), Ok(100 << 10));
        assert_eq!(parse_size("2MiB"), Ok(2 << 20));
        for bad in ["", "lots", "12X", "-1M", "0", "2T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(size_words(64 << 20), "64M");
        assert_eq!(size_words(100 << 10), "100K");
    }

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
