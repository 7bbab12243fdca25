//! File formats: consumes a path; tells which reader its extension selects
//! (a [`Format`]), skipping a folder's own documentation (`README`,
//! `LICENSE` …) and Word lock files; also tells which formats are streamed
//! when large, the name a [`FileSummary`](super::FileSummary) shows, and the
//! kind assumed for a file that cannot be read.

use super::tabular::detect_kind;
use crate::model::SourceKind;
use std::path::Path;

/// A supported file format, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Txt,
    Vtt,
    Srt,
    Docx,
    Pdf,
    Markdown,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Spreadsheet,
}

impl Format {
    pub(super) fn of(path: &Path) -> Option<Format> {
        // A folder's own documentation is not customer voice.
        let stem = path.file_stem()?.to_string_lossy().to_ascii_lowercase();
        if matches!(
            stem.as_str(),
            "readme" | "license" | "changelog" | "contributing"
        ) {
            return None;
        }
        // Word's lock file beside an open document.
        if stem.starts_with("~$") {
            return None;
        }
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Txt,
            "vtt" => Format::Vtt,
            "srt" => Format::Srt,
            "docx" => Format::Docx,
            "pdf" => Format::Pdf,
            "md" | "markdown" => Format::Markdown,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "xlsx" | "xlsm" | "xls" | "ods" => Format::Spreadsheet,
            _ => return None,
        })
    }

    /// Whether the format is read as an interview transcript (its speakers
    /// go through the study-level pass; Markdown notes decide theirs from
    /// their front matter).
    pub(super) fn is_transcript(self) -> bool {
        matches!(
            self,
            Format::Txt | Format::Vtt | Format::Srt | Format::Docx | Format::Pdf
        )
    }

    /// Whether a large file of this format is streamed.
    pub(super) fn streams(self) -> bool {
        matches!(
            self,
            Format::Csv | Format::Tsv | Format::Json | Format::Jsonl
        )
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Spreadsheet => "spreadsheet",
        }
    }

    /// The kind assumed when the file cannot be read at all.
    pub(super) fn fallback_kind(self, display: &str) -> SourceKind {
        match self {
            Format::Txt
            | Format::Vtt
            | Format::Srt
            | Format::Docx
            | Format::Pdf
            | Format::Markdown => SourceKind::Interview,
            _ => detect_kind(&[], display).unwrap_or(SourceKind::Ticket),
        }
    }
}
