//! The rejects file: every record a run skipped, with its source text, so
//! it can be fixed and read again.
//!
//! Consumes the [`Skipped`] records of an ingest and the [`RawRecord`]s the
//! readers kept for them; produces `rejects.jsonl`, one JSON object per
//! skipped record in the order they were reported (files in path order,
//! then position in the file):
//!
//! ```json
//! {"path":"corpus/tickets.csv","line":7,"row":6,"reason":"unbalanced quote: …","raw":"6,2026-01-06,1,\"Crashes on launch"}
//! ```
//!
//! `row` is the data row for tables (`null` otherwise); `raw` is the
//! record's source text: its line for a CSV record or JSON line (for a CSV
//! record whose quote swallowed the lines after it, only its first line:
//! reading resumed on the next one), the element for a JSON array, `null`
//! for a skip that is about a whole file (unreadable, no text column).

use crate::error::{Error, Result};
use crate::model::{Skipped, SourceRef};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// The rejects file's name, inside the index folder.
pub const REJECTS_FILE: &str = "rejects.jsonl";

/// The source text of a skipped record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawRecord {
    pub source: SourceRef,
    pub text: String,
}

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    line: u64,
    row: Option<u64>,
    reason: &'a str,
    raw: Option<&'a str>,
}

/// Writes `skipped` as JSON Lines to `path`, replacing the file (written
/// beside it, then renamed: a reader never sees half a file).
pub fn write_rejects(path: &Path, skipped: &[Skipped], raw: &[RawRecord]) -> Result<()> {
    let texts: HashMap<&SourceRef, &str> =
        raw.iter().map(|r| (&r.source, r.text.as_str())).collect();
    let tmp = path.with_extension("jsonl.tmp");
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        for s in skipped {
            let line = Line {
                path: &s.source.path,
                line: s.source.line,
                row: s.source.row,
                reason: &s.reason,
                raw: texts.get(&s.source).copied(),
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| Error::io(path, e))
}
