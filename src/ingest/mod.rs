//! The ingest stage: files → [`Document`]s.
//!
//! Consumes a file or a folder (walked recursively, sorted, hidden entries
//! skipped) and produces an [`IngestReport`]: the documents in path order,
//! the records that were skipped and the ones stored with a repaired field,
//! each with `path:line` and a reason, a summary per file, and the files
//! ignored for their extension. Files are read in parallel; one reader per
//! format family:
//!
//! - `transcript`: `.txt` (`Name: text` turns, Otter's `Name  0:03`
//!   lines), `.vtt` (Zoom's `Name: text`, Teams' `<v Name>`), `.srt`;
//! - `docx`: Word `.docx` transcripts;
//! - `pdf`: transcripts saved as PDF (text extracted, page furniture
//!   dropped, then read as a `.txt` transcript);
//! - `markdown`: `.md` / `.markdown` interview notes;
//! - `tabular`: `.csv`, `.tsv`, `.json`, `.jsonl`, `.ndjson` exports, with
//!   `vendors` recognising the CSV exports of Zendesk, Freshdesk, Google
//!   Play, Trustpilot, G2, Delighted, Typeform, SurveyMonkey and Qualtrics;
//! - `xlsx`: `.xlsx`, `.xlsm`, `.xls` and `.ods` workbooks, each sheet read
//!   by `tabular` as CSV;
//! - `api_json`: the JSON of Zendesk tickets, Intercom conversations, App
//!   Store Connect reviews, X (Twitter) API v2 and Reddit listings.
//!
//! Every file is first decoded to UTF-8 (BOM or not, UTF-16 LE/BE with or
//! without a BOM, Windows-1252 for a file that is not UTF-8 anywhere).
//! [`IngestOptions`] force the kind or map fields to columns;
//! [`FileSummary`] tells, per file, the layout detected and the columns used
//! (what `--dry-run` shows).
//!
//! Other extensions, and `README` / `LICENSE`-style files, are listed in
//! [`IngestReport::ignored`].
//!
//! A bad record or file never stops the run: it becomes a [`Skipped`] (with
//! the record's source text in [`IngestReport::raw_records`], for the
//! rejects file). Only a root that does not exist, or that is a FIFO,
//! socket or device rather than a file or folder, is an error; such an
//! entry inside a folder is a warning naming it, and so is a file or
//! folder whose name is not valid UTF-8 (it is read and cited by its lossy
//! name, `�` for each bad byte).
//!
//! Memory: [`ingest_path_each`] hands documents to a callback in batches.
//! CSV, TSV, JSON and JSON Lines files larger than [`STREAM_ABOVE_BYTES`]
//! are streamed: decoded on the fly and read record by record (a JSON
//! array element by element), so a 1 GB export costs a few megabytes of
//! buffers, not its size. Other files (and smaller ones) are read whole,
//! several in parallel; a Word document's XML is streamed either way.
//!
//! The work is split by stage:
//!
//! - `walk`: the files under a folder, sorted, and the paths reports show;
//! - `format`: which reader a file's extension selects;
//! - `read`: reading one file, whole or streamed, into its records and
//!   summary;
//! - `participants`: `participants.csv` sheets, read before the other files,
//!   which join each interview to the customer it was with;
//!
//! and this file holds the report types, the entry points that read a root
//! (small files in parallel groups, large ones streamed), `Parsed` (what
//! every reader produces) and `at`.

mod api_json;
mod authors;
mod docx;
mod fields;
mod format;
mod markdown;
mod options;
mod participants;
mod pdf;
mod read;
mod rejects;
mod tabular;
mod transcript;
mod vendors;
mod walk;
mod xlsx;

pub use authors::{
    is_placeholder_author, service_phrase, MIN_REPLIED, MIN_SERVICE_POSTS, PLACEHOLDER_AUTHORS,
    SERVICE_PHRASES,
};
pub(crate) use fields::customer_key;
pub use options::{parse_mapping, read_mapping_file, IngestOptions, MAPPABLE_FIELDS};
pub use participants::{SheetSummary, SHEET_NAMES};
pub use rejects::{write_rejects, RawRecord, REJECTS_FILE};
pub use tabular::detect_kind;
pub(crate) use tabular::quotes_well_formed;
pub use transcript::{person_key, SpeakerRole, Why};
pub use walk::study_path;

use crate::error::{Error, Result};
use crate::model::{Document, Skipped, SourceKind, SourceRef};
use format::Format;
use participants::Participants;
use rayon::prelude::*;
use read::{parse_raw, read_file, stream_file};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;
pub(crate) use walk::check_path;
use walk::{check_root, display_root, walk};

/// Result of reading a folder or file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestReport {
    /// In deterministic order: by path, then position in the file.
    pub documents: Vec<Document>,
    /// Records not stored, with `path:line` and the reason.
    pub skipped: Vec<Skipped>,
    /// Notes on the read: records stored with a field dropped or repaired
    /// (bad date, rating or score, non-UTF-8 bytes decoded as Windows-1252,
    /// duplicate id), and notes on whole files (the encoding chosen, a
    /// second header row, a participants sheet row that names no file).
    pub warnings: Vec<Skipped>,
    /// One per ingested file, by path.
    pub files: Vec<FileSummary>,
    /// Files with unsupported extensions (paths); not an error.
    pub ignored: Vec<String>,
    /// The participants sheets read (see `participants`): which customer
    /// each interview was with.
    pub participants: Vec<SheetSummary>,
    /// The source text of skipped records (by their [`SourceRef`]), for
    /// the rejects file; a skip without one (a whole file) has none.
    pub raw_records: Vec<RawRecord>,
    /// Every interview speaker, file by file: who was taken for the
    /// interviewer and why, and the person each participant counts as.
    pub speakers: Vec<SpeakerRole>,
}

/// How far a read has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// About to read `files` files of `bytes` bytes in all.
    Start { files: usize, bytes: u64 },
    /// Started on a file.
    File { path: &'a str },
    /// `bytes` more bytes of input read.
    Read { bytes: u64 },
}

/// A progress callback; it may be called from several threads.
pub type ProgressFn<'a> = dyn Fn(Progress<'_>) + Sync + 'a;

/// CSV, TSV, JSON and JSON Lines files larger than this are streamed
/// rather than read whole.
pub const STREAM_ABOVE_BYTES: u64 = 16 << 20;

/// Small files read whole are parsed in parallel groups of at most this
/// many bytes, so memory stays bounded however many files there are.
const GROUP_BYTES: u64 = 64 << 20;

/// Where a streaming reader hands its documents: drains `parsed.documents`.
pub(crate) type Sink<'a> = dyn FnMut(&mut Parsed) -> Result<()> + 'a;

/// What one file contributed, and how it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    pub path: String,
    pub kind: SourceKind,
    /// `txt`, `vtt`, `srt`, `docx`, `pdf`, `markdown`, `csv`, `tsv`, `json`,
    /// `jsonl` or `spreadsheet`.
    pub format: &'static str,
    /// The layout recognised: `zendesk-csv`, `intercom-json`,
    /// `google-play-csv`, `otter-txt`, `teams-vtt`, `generic-csv` …
    pub layout: String,
    /// The text encoding read: `utf-8`, `utf-8 (BOM)`, `utf-16le (BOM)`,
    /// `utf-16be (no BOM)`, `windows-1252` … (`binary` for `.docx`, `.pdf`
    /// and workbooks).
    pub encoding: &'static str,
    /// The columns (or JSON keys) used, as (field, column): `("body",
    /// "Description")`. Tabular layouts only; `answer` and `reply` name
    /// columns read as further customer turns and as the company's reply.
    pub columns: Vec<(String, String)>,
    /// Why a file gave nothing without an error: `empty file`, `empty
    /// document` (a Word file without text), `header only: no records`, `no
    /// records` (an empty JSON array).
    pub note: Option<String>,
    pub documents: usize,
    pub skipped: usize,
    /// Empty survey responses: no text answer and no score or rating
    /// (abandoned before the first question, every question left blank, or
    /// only choice questions answered). Counted, not stored, and not an
    /// error: nothing in them is customer voice. A response whose score
    /// cannot be read and that has no text is skipped instead.
    pub empty: usize,
}

/// Reads `root`, a supported file or a folder, into documents.
///
/// Paths in every [`SourceRef`] are relative to the study folder (the
/// current directory) when `root` is inside it, however `root` was given
/// (`corpus`, `./corpus/`, `$PWD/corpus`), and absolute otherwise, joined
/// with the path below `root`, with `/` separators. Errors only when `root`
/// does not exist or is a FIFO, socket or device (reading one could wait
/// forever); anything wrong at or below it is reported in
/// the [`IngestReport`] (an unreadable folder or file is one [`Skipped`]
/// with line 0) and the run goes on.
pub fn ingest_path(root: &Path) -> Result<IngestReport> {
    ingest_path_with(root, &IngestOptions::default())
}

/// [`ingest_path`] with overrides: `opts.kind` forces every file's kind and
/// `opts.mapping` pins fields to columns in tabular files (a mapped column a
/// file lacks is a [`Skipped`] for that file naming the column and listing
/// the file's columns).
pub fn ingest_path_with(root: &Path, opts: &IngestOptions) -> Result<IngestReport> {
    let mut documents = Vec::new();
    let mut report = ingest_path_each(root, opts, &|_| {}, &mut |_, docs| {
        documents.extend(docs);
        Ok(())
    })?;
    // Transcripts were handed on after the study-level pass: back in
    // path order.
    let order: std::collections::HashMap<&str, usize> = report
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let file_of = |d: &Document| {
        let p = d.source.path.as_str();
        let base = p.split_once('#').map_or(p, |(b, _)| b);
        order
            .get(p)
            .or_else(|| order.get(base))
            .copied()
            .unwrap_or(usize::MAX)
    };
    documents.sort_by_key(file_of);
    report.documents = documents;
    Ok(report)
}

/// [`ingest_path_with`] in bounded memory: documents are handed to `each`
/// in batches, in the same order, instead of being collected (the returned
/// report's `documents` is empty), with the path of the file they come
/// from (every batch is of one file; for a workbook, the workbook's path,
/// not its sheets'). An error from `each` stops the read and is returned.
/// `progress` hears of the files and bytes read.
pub fn ingest_path_each(
    root: &Path,
    opts: &IngestOptions,
    progress: &ProgressFn<'_>,
    each: &mut dyn FnMut(&str, Vec<Document>) -> Result<()>,
) -> Result<IngestReport> {
    let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    let mut report = IngestReport::default();
    report.warnings.extend(check_root(root, &meta)?);
    let base = display_root(root);
    let mut files = Vec::new();
    if meta.is_dir() {
        let mut seen = HashSet::new();
        if let Ok(c) = root.canonicalize() {
            seen.insert(c);
        }
        let (skipped, warnings) = (&mut report.skipped, &mut report.warnings);
        if let Err(e) = walk(root, &base, &mut files, skipped, warnings, &mut seen) {
            let shown = if base.is_empty() { "." } else { &base };
            report.skipped.push(Skipped {
                source: at(shown, 0),
                reason: format!("cannot read folder: {e}").into(),
            });
        }
    } else {
        files.push((base, root.to_path_buf()));
    }

    // Participants sheets are read first: they say which customer each
    // interview read below them was with.
    let mut sheets = Participants::default();
    let mut work = Vec::new();
    for (display, path) in files {
        if participants::is_sheet(&path) {
            if let Err(skip) = sheets.read(&display, &path) {
                report.skipped.push(skip);
            }
            continue;
        }
        match Format::of(&path) {
            Some(format) => {
                let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                work.push((display, path, format, size));
            }
            None => report.ignored.push(display),
        }
    }
    progress(Progress::Start {
        files: work.len(),
        bytes: work.iter().map(|w| w.3).sum(),
    });

    let mut each = |file: &str, mut docs: Vec<Document>| -> Result<()> {
        sheets.apply(&mut docs);
        each(file, docs)
    };
    let add = |report: &mut IngestReport, summary: FileSummary, parsed: Parsed| {
        report.files.push(summary);
        report.skipped.extend(parsed.skipped);
        report.warnings.extend(parsed.warnings);
        report.raw_records.extend(parsed.raw);
        report.speakers.extend(parsed.roles);
    };
    // Transcripts wait for the study-level pass (the study's interviewer
    // is known only once every one is read); they are small.
    let mut transcripts: Vec<Document> = Vec::new();
    // The file each of them came from.
    let mut transcript_files: Vec<String> = Vec::new();
    let mut i = 0;
    while i < work.len() {
        let (display, path, format, size) = &work[i];
        if format.streams() && *size > STREAM_ABOVE_BYTES {
            progress(Progress::File { path: display });
            let (summary, mut parsed) =
                stream_file(display, path, *format, opts, progress, &mut |docs| {
                    each(display, docs)
                })?;
            each(display, std::mem::take(&mut parsed.documents))?;
            add(&mut report, summary, parsed);
            i += 1;
            continue;
        }
        // A group of files read whole, in parallel.
        let mut j = i;
        let mut bytes = 0;
        while j < work.len() && !(work[j].2.streams() && work[j].3 > STREAM_ABOVE_BYTES) {
            if j > i && bytes + work[j].3 > GROUP_BYTES {
                break;
            }
            bytes += work[j].3;
            j += 1;
        }
        let results: Vec<(FileSummary, Parsed)> = work[i..j]
            .par_iter()
            .map(|(display, path, format, size)| {
                progress(Progress::File { path: display });
                let r = read_file(display, path, *format, opts);
                progress(Progress::Read { bytes: *size });
                r
            })
            .collect();
        for ((summary, mut parsed), w) in results.into_iter().zip(&work[i..j]) {
            let docs = std::mem::take(&mut parsed.documents);
            if w.2.is_transcript() {
                transcript_files.extend(std::iter::repeat_n(summary.path.clone(), docs.len()));
                transcripts.extend(docs);
            } else {
                each(&summary.path, docs)?;
            }
            add(&mut report, summary, parsed);
        }
        i = j;
    }
    transcript::settle_roles(
        &mut transcripts,
        &mut report.speakers,
        &opts.interviewers,
        &opts.participants,
    );
    // Each file's documents go on as they came, one call a file.
    let mut docs = transcripts.into_iter().zip(transcript_files).peekable();
    while let Some((d, file)) = docs.next() {
        let mut batch = vec![d];
        while let Some((d, _)) = docs.next_if(|(_, f)| *f == file) {
            batch.push(d);
        }
        each(&file, batch)?;
    }
    let (summaries, warnings) = sheets.finish();
    report.participants = summaries;
    report.warnings.extend(warnings);
    Ok(report)
}

/// What a reader produces for one file.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub kind: SourceKind,
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Skipped>,
    /// See [`FileSummary::layout`].
    pub layout: String,
    /// See [`FileSummary::columns`].
    pub columns: Vec<(String, String)>,
    /// See [`FileSummary::note`].
    pub note: Option<String>,
    /// The source text of skipped records.
    pub raw: Vec<RawRecord>,
    /// Documents already handed to a sink (streaming readers).
    pub emitted: usize,
    /// See [`FileSummary::empty`].
    pub empty: usize,
    /// Interview transcripts: each speaker's role and why.
    pub roles: Vec<SpeakerRole>,
}

impl Parsed {
    pub(crate) fn new(kind: SourceKind) -> Parsed {
        Parsed {
            kind,
            documents: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            layout: String::new(),
            columns: Vec::new(),
            note: None,
            raw: Vec::new(),
            emitted: 0,
            empty: 0,
            roles: Vec::new(),
        }
    }

    /// A skipped record, with its source text for the rejects file.
    pub(crate) fn skip_raw(
        &mut self,
        source: SourceRef,
        reason: impl Into<String>,
        raw: impl Into<String>,
    ) {
        self.raw.push(RawRecord {
            source: source.clone(),
            text: raw.into(),
        });
        self.skip(source, reason);
    }

    /// Gives the last skip its record's source text.
    pub(crate) fn attach_raw(&mut self, raw: impl Into<String>) {
        if let Some(s) = self.skipped.last() {
            self.raw.push(RawRecord {
                source: s.source.clone(),
                text: raw.into(),
            });
        }
    }

    pub(crate) fn skip(&mut self, source: SourceRef, reason: impl Into<String>) {
        self.skipped.push(Skipped::new(source, reason));
    }

    pub(crate) fn warn(&mut self, source: SourceRef, reason: impl Into<String>) {
        self.warnings.push(Skipped::new(source, reason));
    }
}

/// A `SourceRef` for a line of a file, without row or timestamp.
pub(crate) fn at(path: &str, line: u64) -> SourceRef {
    SourceRef {
        path: path.to_string(),
        line,
        row: None,
        timestamp: None,
    }
}

/// Runs the reader `path_hint`'s extension selects on `bytes`, as for a
/// file read whole, without catching a panic: the entry point of the fuzz
/// targets (`fuzz/`). CSV, TSV and JSON Lines also go through the streaming
/// reader with tiny buffers. Not part of the stable API.
#[doc(hidden)]
pub fn parse_bytes(path_hint: &str, bytes: &[u8]) -> (Vec<Document>, Vec<Skipped>) {
    let Some(format) = Format::of(Path::new(path_hint)) else {
        return (Vec::new(), Vec::new());
    };
    let opts = IngestOptions::default();
    let (p, _) = parse_raw(path_hint, bytes, format, &opts);
    if matches!(format, Format::Csv | Format::Tsv) {
        let delimiter = (format == Format::Tsv).then_some(b'\t');
        let data = fields::normalize_bytes(bytes);
        let limits = tabular::Limits {
            head: 64,
            chunk: 7,
            max_record: 512,
        };
        let _ = tabular::read_delimited_in(path_hint, &data[..], delimiter, &opts, None, limits);
    }
    (p.documents, p.skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use std::fs;

    /// Every reader on many inputs stitched from the pieces that trip
    /// parsers up (quotes, delimiters, brackets, cue timings, speaker
    /// prefixes, front matter, invalid UTF-8): none may panic.
    #[test]
    fn readers_never_panic_on_stitched_input() {
        let pieces: &[&[u8]] = &[
            b"\"",
            b",",
            b";",
            b"\t",
            b"\n",
            b"\r\n",
            b":",
            b"[",
            b"]",
            b"{",
            b"}",
            b"\"id\":",
            b"\"text\": \"",
            b"<v Ann>",
            b"</v>",
            b"-->",
            b"00:00:01.000",
            b"00:01,5",
            b"Ann: ",
            b"P03: ",
            b"> ",
            b"- ",
            b"---\n",
            b"# ",
            b"**",
            b"WEBVTT\n\n",
            b"NOTE ",
            b"1\n",
            b"id,body,rating\n",
            "é".as_bytes(),
            b"\xff\xfe",
            b"\xe9",
            b"\\",
            b"  ",
            b"123",
            b"\"requester_id\": 7, \"via\": {}, \"subject\": ",
            b"\"conversation_parts\": ",
            b"\"kind\": \"Listing\", \"data\": {\"children\": ",
            b"\"author_id\": \"1\", \"text\": ",
            b"\"attributes\": {\"reviewerNickname\": ",
            b"Respondent ID,Collector ID,Q\n,,Open-Ended Response\n",
            b"Package Name,Star Rating,Review Text\n",
            b"<p>",
            b"\x00",
            b"Transcribed by https://otter.ai",
            b"0:0:5.100 --> 0:0:8.250\n",
        ];
        let opts = IngestOptions::default();
        let mapped = IngestOptions {
            kind: Some(SourceKind::Survey),
            mapping: parse_mapping("body=text,date=\"Q\"").unwrap(),
            ..Default::default()
        };
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..400 {
            let mut input = Vec::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for _ in 0..(seed % 60) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                input.extend_from_slice(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let _ = transcript::parse_txt("f.txt", &input);
            let _ = transcript::parse_vtt("f.vtt", &input);
            let _ = transcript::parse_srt("f.srt", &input);
            let _ = markdown::parse_markdown("f.md", &input);
            let _ = tabular::parse_delimited("f.csv", &input, None);
            let _ = tabular::parse_json("f.json", &input);
            let _ = tabular::parse_jsonl("f.jsonl", &input);
            let _ = api_json::parse_vendor_json("f.json", &input, &opts);
            let _ = docx::parse_docx("f.docx", &input);
            let _ = fields::decode_file(&input);
            for o in [&opts, &mapped] {
                let _ = tabular::parse_delimited_with("f.csv", &input, None, o);
                let _ = tabular::parse_json_with("f.json", &input, o);
                let _ = tabular::parse_jsonl_with("f.jsonl", &input, o);
            }
        }
    }

    #[test]
    fn skipped_records_keep_their_source_text() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("t.csv");
        fs::write(
            &csv,
            "id,body\n1,fine\n2,\"open quote\n3,next\n4,\n5,a,b,c\n",
        )
        .unwrap();
        let jsonl = dir.path().join("u.jsonl");
        fs::write(
            &jsonl,
            "{\"text\": \"ok\"}\n{\"text\": \"cut\n[1]\n{\"id\": 4}\n",
        )
        .unwrap();
        let r = ingest_path(dir.path()).unwrap();
        let text = |line: u64, file: &str| {
            r.raw_records
                .iter()
                .find(|x| x.source.line == line && x.source.path.ends_with(file))
                .map(|x| x.text.as_str())
        };
        let lines: Vec<(String, u64)> = r
            .skipped
            .iter()
            .map(|s| {
                (
                    s.source.path.rsplit('/').next().unwrap().to_string(),
                    s.source.line,
                )
            })
            .collect();
        let want: Vec<(String, u64)> = [
            ("t.csv", 3),
            ("t.csv", 5),
            ("t.csv", 6),
            ("u.jsonl", 2),
            ("u.jsonl", 3),
            ("u.jsonl", 4),
        ]
        .iter()
        .map(|(f, l)| (f.to_string(), *l))
        .collect();
        assert_eq!(lines, want, "{:?}", r.skipped);
        assert_eq!(text(3, "t.csv"), Some("2,\"open quote"));
        assert_eq!(text(5, "t.csv"), Some("4,"));
        assert_eq!(text(6, "t.csv"), Some("5,a,b,c"));
        assert_eq!(text(2, "u.jsonl"), Some("{\"text\": \"cut"));
        assert_eq!(text(3, "u.jsonl"), Some("[1]"));
        assert_eq!(text(4, "u.jsonl"), Some("{\"id\": 4}"));
        assert_eq!(r.documents.len(), 3);
    }

    #[test]
    fn missing_root_is_an_error() {
        assert!(ingest_path(Path::new("/definitely/not/here/cairn")).is_err());
    }

    #[test]
    fn walks_a_folder_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        fs::create_dir_all(root.join("tickets")).unwrap();
        fs::create_dir_all(root.join("interviews")).unwrap();
        fs::create_dir_all(root.join(".cache")).unwrap();
        fs::write(
            root.join("tickets/zendesk.csv"),
            "id,subject,description,status\n1,Login,Can't log in,open\n2,Billing,,solved\n3,,,open\n",
        )
        .unwrap();
        fs::write(
            root.join("interviews/p01.txt"),
            "Interview 1\nInterviewer: How do you pay?\nAna: By card, mostly.\n",
        )
        .unwrap();
        fs::write(root.join(".cache/x.csv"), "id,body\n1,hidden\n").unwrap();
        fs::write(root.join(".hidden.txt"), "A: b\n").unwrap();
        fs::write(root.join("notes.pages"), "%PDF").unwrap();
        fs::write(
            root.join("README.md"),
            "# The study\n\nAbout this corpus.\n",
        )
        .unwrap();

        let r = ingest_path(&root).unwrap();
        let base = display_root(&root);
        let paths: Vec<_> = r.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            paths,
            vec![
                format!("{base}/interviews/p01.txt"),
                format!("{base}/tickets/zendesk.csv")
            ]
        );
        assert_eq!(
            r.ignored,
            vec![format!("{base}/README.md"), format!("{base}/notes.pages")]
        );
        assert_eq!(r.files[0].kind, SourceKind::Interview);
        assert_eq!(r.files[0].format, "txt");
        assert_eq!(r.files[1].kind, SourceKind::Ticket);
        assert_eq!((r.files[1].documents, r.files[1].skipped), (2, 1));
        assert_eq!(r.documents.len(), 3);
        assert_eq!(r.documents[0].turns[1].role, Role::Customer);
        assert_eq!(r.documents[0].customer.as_deref(), Some("Ana"));
        assert_eq!(
            r.documents[1].source.to_string(),
            format!("{base}/tickets/zendesk.csv:2 (row 1)")
        );
        assert_eq!(r.documents[1].channel.as_deref(), Some("zendesk"));
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].reason, "empty body");
        assert_eq!(r.skipped[0].source.line, 4);

        // Same input, same output.
        assert_eq!(ingest_path(&root).unwrap(), r);
    }

    #[test]
    fn a_single_file_root_uses_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviews.jsonl");
        fs::write(&file, "{\"rating\": 2, \"text\": \"Slow sync\"}\n").unwrap();
        let r = ingest_path(&file).unwrap();
        assert_eq!(r.documents.len(), 1);
        assert_eq!(r.documents[0].source.path, display_root(&file));
        assert_eq!(r.documents[0].kind, SourceKind::Review);
        assert_eq!(r.files[0].format, "jsonl");
    }
}
