//! Tabular exports: `.csv` / `.tsv` (header row; delimiter by extension or
//! sniffed among `,` `;` tab `|`) and `.json` (an array of objects, or an
//! object holding one under `data`, `items`, `results`, …) / `.jsonl` /
//! `.ndjson` (one object per line).
//!
//! Consumes a file's bytes; produces one [`Document`] per record (ticket,
//! review, post or survey answer) with a single customer [`Turn`] holding the
//! body, and the record's id, customer key, date, rating, score, channel,
//! title and status found through column aliases. The file's
//! [`SourceKind`] comes from its columns, then its path ([`detect_kind`]).
//!
//! A vendor export (Zendesk, Freshdesk, Google Play, Trustpilot, G2,
//! Delighted, Typeform, SurveyMonkey, Qualtrics) is recognised by its columns and read
//! with that vendor's [`Plan`](super::vendors::Plan); a user mapping
//! ([`IngestOptions`]) pins fields to columns on top of both.
//!
//! A bad record costs only itself: a CSV record whose field count is off
//! (typically an unbalanced quote swallowing the lines after it) is skipped
//! and parsing resumes on the next line; a bad JSON Lines line is skipped; a
//! broken JSON array keeps the objects before the error. Non-UTF-8 bytes are
//! decoded as Windows-1252 with a warning, never dropped.
//!
//! The work is split by stage:
//!
//! - `columns`: header normalisation, column aliases, [`Field`]s and the
//!   columns that hold them;
//! - `kind`: the source kind and vendor of a file from its columns and path;
//! - `header`: a generic second header row (sub-labels under merged
//!   titles) read into the column names;
//! - `record`: one record's values → a [`Document`];
//! - `delimited`: CSV / TSV syntax helpers and the whole-file entry points;
//! - `delimited_stream`: the streaming CSV / TSV reader and its [`Limits`];
//! - `json`: `.json` files; `jsonl`: JSON Lines;
//! - `json_plan`: flattened JSON records → documents.
//!
//! [`Document`]: crate::model::Document
//! [`Turn`]: crate::model::Turn
//! [`SourceKind`]: crate::model::SourceKind
//! [`IngestOptions`]: super::options::IngestOptions

mod columns;
mod delimited;
mod delimited_stream;
mod header;
mod json;
mod json_plan;
mod jsonl;
mod kind;
mod record;

pub(crate) use columns::{normalize_column, Field};
#[cfg(test)]
pub(crate) use delimited::parse_delimited;
pub(crate) use delimited::parse_delimited_with;
pub(crate) use delimited::quotes_well_formed;
pub(crate) use delimited_stream::{read_delimited, read_delimited_in, Limits};
#[cfg(test)]
pub(crate) use json::parse_json;
pub(crate) use json::{parse_json_with, read_json, Lines};
#[cfg(test)]
pub(crate) use jsonl::parse_jsonl;
pub(crate) use jsonl::{parse_jsonl_with, read_jsonl};
pub use kind::detect_kind;

/// Bytes read before records are built, to detect a file's layout: its
/// header, a SurveyMonkey sub-header, the first 200 CSV records a vendor is
/// recognised by, the keys of the first JSON Lines records. A file no
/// longer than this is read exactly as if it were read whole.
pub(crate) const HEAD_BYTES: usize = 4 << 20;

/// Bytes read from a stream at a time after the head.
const FEED_CHUNK: usize = 256 << 10;

/// The longest record (CSV record or JSON line) read whole. A CSV quote
/// left open near the top of a big file would otherwise read the rest of
/// the file as one record.
pub(crate) const MAX_RECORD_BYTES: usize = 8 << 20;

/// Documents built before a streaming reader hands them to its sink.
pub(crate) const SINK_DOCUMENTS: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_panics_on_awkward_input() {
        let deep_array = "[".repeat(10_000) + &"]".repeat(10_000);
        let deep_object = "{\"data\":".repeat(5_000) + "[]" + &"}".repeat(5_000);
        let deep_value = format!(
            "[{{\"text\": {}1{}}}]",
            "[".repeat(5_000),
            "]".repeat(5_000)
        );
        let inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\"".to_vec(),
            b"id,body\n".to_vec(),
            b"id,body".to_vec(),
            b"\n\n\n".to_vec(),
            b"\"\n\"\n\"".to_vec(),
            b",,,\n,,,\n".to_vec(),
            b"[".to_vec(),
            b"]".to_vec(),
            b"{".to_vec(),
            b"{}".to_vec(),
            b"[]".to_vec(),
            b"null".to_vec(),
            b"{\"data\": 5}".to_vec(),
            b"{\"data\": [1, {\"text\": 2}, null]}".to_vec(),
            b"[{\"text\": \"\\ud800\"}]".to_vec(),
            deep_array.into_bytes(),
            deep_object.into_bytes(),
            deep_value.into_bytes(),
            (0u8..=255).collect(),
            (0u8..=255).rev().cycle().take(5000).collect(),
            vec![0xFF, 0xFE, 0x00],
            vec![0xFE, 0xFF, 0xD8],
        ];
        for b in &inputs {
            let _ = parse_delimited("x.csv", b, None);
            let _ = parse_delimited("x.tsv", b, Some(b'\t'));
            let _ = parse_json("x.json", b);
            let _ = parse_jsonl("x.jsonl", b);
        }
    }
}
