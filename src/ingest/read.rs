//! Reading one file: consumes a file's path and [`Format`]; decodes it,
//! runs its reader (whole, a panic costing that file only, or streamed in
//! bounded memory for a large CSV, TSV, JSON or JSON Lines file) and produces its
//! [`Parsed`] records with the [`FileSummary`] that describes the read.

use super::format::Format;
use super::options::IngestOptions;
use super::{
    api_json, at, authors, docx, fields, markdown, pdf, tabular, transcript, xlsx, FileSummary,
    Parsed, Progress, ProgressFn,
};
use crate::error::{Error, Result};
use crate::model::{Document, Skipped};
use std::path::Path;

/// Reads and parses one file; never fails (a failure is a `Skipped`).
pub(super) fn read_file(
    display: &str,
    path: &Path,
    format: Format,
    opts: &IngestOptions,
) -> (FileSummary, Parsed) {
    let mut encoding = "binary";
    let parsed = match std::fs::read(path) {
        Err(e) => {
            let mut p = Parsed::new(format.fallback_kind(display));
            p.skip(at(display, 0), format!("cannot read file: {e}"));
            p
        }
        Ok(raw) => {
            let run = || parse_raw(display, &raw, format, opts);
            // A reader bug must cost one file, not the run.
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
                Ok((p, enc)) => {
                    encoding = enc;
                    p
                }
                Err(_) => {
                    let mut p = Parsed::new(format.fallback_kind(display));
                    p.skip(at(display, 0), "internal error while reading this file");
                    p
                }
            }
        }
    };
    finish_file(display, format, encoding, opts, parsed)
}

/// Applies a forced kind and describes what a file gave.
fn finish_file(
    display: &str,
    format: Format,
    encoding: &'static str,
    opts: &IngestOptions,
    mut parsed: Parsed,
) -> (FileSummary, Parsed) {
    if let Some(kind) = opts.kind {
        parsed.kind = kind;
        for d in &mut parsed.documents {
            d.kind = kind;
        }
    }
    if parsed.layout.is_empty() {
        parsed.layout = format.name().to_string();
    }
    let summary = FileSummary {
        path: display.to_string(),
        kind: parsed.kind,
        format: format.name(),
        layout: parsed.layout.clone(),
        encoding,
        // Headers are the file's own text: a headerless export's first
        // record is read as its header, so they are redacted too.
        columns: parsed
            .columns
            .iter()
            .map(|(role, header)| (role.clone(), crate::redact::redact(header).into_owned()))
            .collect(),
        note: parsed.note.clone(),
        documents: parsed.emitted + parsed.documents.len(),
        skipped: parsed.skipped.len(),
        empty: parsed.empty,
    };
    (summary, parsed)
}

/// Counts the bytes read through it, for progress.
struct Counted<'a, R> {
    inner: R,
    progress: &'a ProgressFn<'a>,
}

impl<R: std::io::Read> std::io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(Progress::Read { bytes: n as u64 });
        Ok(n)
    }
}

/// Reads a large CSV, TSV, JSON or JSON Lines file in bounded memory: one
/// pass to find its encoding, one to decode and parse it record by record
/// (a JSON array element by element), handing documents to `each` as they
/// are built. Gives what [`read_file`] gives; a vendor JSON export is read
/// whole, as it has to be.
pub(super) fn stream_file(
    display: &str,
    path: &Path,
    format: Format,
    opts: &IngestOptions,
    progress: &ProgressFn<'_>,
    each: &mut dyn FnMut(Vec<Document>) -> Result<()>,
) -> Result<(FileSummary, Parsed)> {
    use std::io::Read;
    let open = || std::fs::File::open(path);
    let scan = open().and_then(|mut f| fields::scan_encoding(&mut std::io::BufReader::new(&mut f)));
    let (file, scan) = match scan.and_then(|s| Ok((open()?, s))) {
        Ok(v) => v,
        Err(e) => {
            let mut p = Parsed::new(format.fallback_kind(display));
            p.skip(at(display, 0), format!("cannot read file: {e}"));
            return Ok(finish_file(display, format, "binary", opts, p));
        }
    };
    if matches!(format, Format::Json | Format::Jsonl) && opts.mapping.is_empty() {
        // A vendor's JSON (Twitter, Reddit …) is recognised by its keys.
        let mut head = Vec::new();
        let decoded =
            fields::DecodeReader::new(open().map_err(|e| Error::io(path, e))?, scan.encoding);
        let _ = decoded
            .take(tabular::HEAD_BYTES as u64)
            .read_to_end(&mut head);
        if api_json::has_vendor_markers(&head) {
            let (summary, parsed) = read_file(display, path, format, opts);
            progress(Progress::Read {
                bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
            });
            return Ok((summary, parsed));
        }
    }
    let input = fields::DecodeReader::new(
        std::io::BufReader::with_capacity(
            256 << 10,
            Counted {
                inner: file,
                progress,
            },
        ),
        scan.encoding,
    );
    let kind = opts.kind;
    let mut sink = |p: &mut Parsed| -> Result<()> {
        let mut docs = std::mem::take(&mut p.documents);
        authors::mark_company_accounts(&mut docs);
        if let Some(kind) = kind {
            for d in &mut docs {
                d.kind = kind;
            }
        }
        p.emitted += docs.len();
        each(docs)
    };
    let mut p = match format {
        Format::Csv => tabular::read_delimited(display, input, None, opts, Some(&mut sink))?,
        Format::Tsv => tabular::read_delimited(display, input, Some(b'\t'), opts, Some(&mut sink))?,
        Format::Json => tabular::read_json(display, input, opts, Some(&mut sink))?,
        _ => tabular::read_jsonl(display, input, opts, Some(&mut sink))?,
    };
    authors::mark_company_accounts(&mut p.documents);
    if scan.encoding == fields::Encoding::Windows1252 {
        p.warnings.insert(
            0,
            Skipped {
                source: at(display, scan.first_non_ascii_line),
                reason: "the file is not UTF-8: decoded as Windows-1252".into(),
            },
        );
    }
    Ok(finish_file(display, format, scan.encoding.name(), opts, p))
}

/// Decodes a file's bytes and runs its reader; returns what it read and the
/// encoding's name.
pub(super) fn parse_raw(
    display: &str,
    raw: &[u8],
    format: Format,
    opts: &IngestOptions,
) -> (Parsed, &'static str) {
    match format {
        Format::Docx => return (docx::parse_docx(display, raw), "binary"),
        Format::Pdf => return (pdf::parse_pdf(display, raw), "binary"),
        Format::Spreadsheet => return (xlsx::parse_workbook(display, raw, opts), "binary"),
        _ => {}
    }
    let (bytes, encoding) = fields::decode_file(raw);
    let bytes: &[u8] = &bytes;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let mut p = Parsed::new(format.fallback_kind(display));
        if let Some(kind) = opts.kind {
            p.kind = kind;
        }
        p.note = Some("empty file".to_string());
        return (p, encoding.name());
    }
    let mut p = match format {
        Format::Txt => transcript::parse_txt(display, bytes),
        Format::Vtt => transcript::parse_vtt(display, bytes),
        Format::Srt => transcript::parse_srt(display, bytes),
        Format::Docx | Format::Pdf | Format::Spreadsheet => unreachable!("handled above"),
        Format::Markdown => markdown::parse_markdown(display, bytes),
        Format::Csv => tabular::parse_delimited_with(display, bytes, None, opts),
        Format::Tsv => tabular::parse_delimited_with(display, bytes, Some(b'\t'), opts),
        Format::Json | Format::Jsonl => match api_json::parse_vendor_json(display, bytes, opts) {
            Some(p) => p,
            None if format == Format::Json => tabular::parse_json_with(display, bytes, opts),
            None => tabular::parse_jsonl_with(display, bytes, opts),
        },
    };
    authors::mark_company_accounts(&mut p.documents);
    if encoding == fields::Encoding::Windows1252 {
        let first = raw
            .split(|&c| c == b'\n')
            .position(|l| !l.is_ascii())
            .map_or(1, |i| i as u64 + 1);
        p.warnings.insert(
            0,
            Skipped {
                source: at(display, first),
                reason: "the file is not UTF-8: decoded as Windows-1252".into(),
            },
        );
    }
    (p, encoding.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use std::fs;

    /// Every CSV, TSV and JSON Lines fixture (UTF-16 with and without a
    /// BOM, Windows-1252, a BOM with CRLF, vendor layouts, broken records)
    /// streamed gives what reading it whole gives: documents, skips with
    /// their text, warnings and the file summary.
    #[test]
    fn streaming_reads_a_file_as_reading_it_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "tests/fixtures/formats",
            "corpus/tickets",
            "corpus/surveys",
            "corpus/social",
        ] {
            for e in fs::read_dir(root.join(dir)).unwrap() {
                files.push(e.unwrap().path());
            }
        }
        files.sort();
        let mut checked = 0;
        for path in files {
            let Some(format) = Format::of(&path).filter(|f| f.streams()) else {
                continue;
            };
            let raw = fs::read(&path).unwrap();
            if raw.iter().all(u8::is_ascii_whitespace) {
                continue; // an empty file is noted before any reader runs
            }
            let display = path.to_string_lossy().into_owned();
            for opts in [
                IngestOptions::default(),
                IngestOptions {
                    kind: Some(SourceKind::Survey),
                    ..Default::default()
                },
            ] {
                let (whole_summary, whole) = read_file(&display, &path, format, &opts);
                let mut docs = Vec::new();
                let (summary, parsed) =
                    stream_file(&display, &path, format, &opts, &|_| {}, &mut |d| {
                        docs.extend(d);
                        Ok(())
                    })
                    .unwrap();
                docs.extend(parsed.documents);
                assert_eq!(summary, whole_summary, "{display}");
                assert_eq!(docs, whole.documents, "{display}");
                assert_eq!(parsed.skipped, whole.skipped, "{display}");
                assert_eq!(parsed.warnings, whole.warnings, "{display}");
                assert_eq!(parsed.raw, whole.raw, "{display}");
            }
            checked += 1;
        }
        assert!(checked >= 15, "{checked}");
    }
}
