//! The library's error type. Parse and I/O errors carry the path (and line)
//! they came from, so the binary can print `path:line: reason`.

use std::path::PathBuf;

/// Errors the cairn library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    Parse {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error("codebook {path}: {reason}")]
    Codebook { path: PathBuf, reason: String },
    #[error("index {path}: {reason}")]
    Index { path: PathBuf, reason: String },
    /// The index's writer lock is held: another process writes to it.
    #[error(
        "another cairn run is writing this study: the index {path} is locked until it \
         finishes; wait for it, or pass another --index"
    )]
    Busy { path: PathBuf },
    #[error("model {path}: {reason}")]
    Model { path: PathBuf, reason: String },
    #[error("invalid query: {0}")]
    Query(String),
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with cairn's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
