//! Participants sheets: which customer each interview was with.
//!
//! A transcript names its speakers, not the account they belong to, so an
//! interview cannot be joined to the same customer's tickets, reviews and
//! survey answers by itself. Research teams keep that join in a tracker;
//! cairn reads it from a `participants.csv` (or `.tsv`) anywhere under the
//! folder it reads: one row per interview file, a `file` column and a
//! `customer_id` column (other columns, such as name or segment, are not
//! read).
//!
//! ```text
//! file,customer_id,name
//! 2026-03-04_C0069_kai-whitfield.txt,C0069,Kai Whitfield
//! 2026-03-19_northlight-digital.vtt,C0120,Stefan Schmidt; Jonas
//! ```
//!
//! A row applies to the interview documents (transcripts and notes) below
//! the sheet's own folder whose path below that folder, file name or file
//! name without extension is `file` (case-insensitive), or whose file name
//! is the last part of an absolute `file` path (a path on the machine the
//! tracker was kept on). When several rows name a file, the sheet nearest
//! to it decides, then the row that names it most precisely (path below
//! the sheet, name, last part of a path, name without extension).
//!
//! The sheet is the researcher's declaration, so it wins over a
//! participant name read from the file; a differing id declared inside the
//! file (front matter) is replaced with a warning. A row without a customer id declares nothing
//! (a prospect has no account). A row that names no file read, or repeats
//! a file, is a warning on the sheet's line, and so is one that names
//! several files (each is given its id); a sheet without the two columns is
//! skipped whole, naming the columns it has.

use super::at;
use super::fields::{customer_key, decode_file};
use super::tabular::normalize_column;
use super::transcript::person_key;
use crate::model::{Document, Skipped, SourceKind};
use serde::Serialize;
use std::path::Path;

/// File names (without extension, case-insensitive) read as participants
/// sheets rather than as customer voices.
pub const SHEET_NAMES: [&str; 1] = ["participants"];

/// Column names (normalised) holding the interview file.
const FILE_COLUMNS: [&str; 6] = [
    "file",
    "filename",
    "file_name",
    "transcript",
    "interview",
    "recording",
];

/// Column names (normalised) holding the customer id.
const CUSTOMER_COLUMNS: [&str; 5] = [
    "customer_id",
    "customer",
    "account_id",
    "account",
    "client_id",
];

/// Whether `path` is a participants sheet.
pub(super) fn is_sheet(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase());
    matches!(ext.as_deref(), Some("csv" | "tsv"))
        && stem.is_some_and(|s| SHEET_NAMES.contains(&s.as_str()))
}

/// Whether `file` (lowercased, `/`-separated) is an absolute path:
/// `/…`, `~/…`, `c:/…` or `//server/…`.
fn absolute(file: &str) -> bool {
    let b = file.as_bytes();
    file.starts_with('/')
        || file.starts_with("~/")
        || (b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/')
}

/// What one sheet declared and joined, for the run's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetSummary {
    pub path: String,
    /// Rows that declare a customer id for a file.
    pub rows: usize,
    /// Interview documents given a customer id by the sheet.
    pub joined: usize,
}

/// One declared interview.
#[derive(Debug)]
struct Row {
    line: u64,
    /// Lowercased, `/`-separated.
    file: String,
    customer: String,
    /// Documents it was applied to.
    matched: usize,
}

/// One sheet, read.
#[derive(Debug)]
struct Sheet {
    path: String,
    /// The sheet's folder as shown in paths, `/`-terminated ("" for the
    /// current folder).
    dir: String,
    rows: Vec<Row>,
    joined: usize,
}

/// The participants sheets of one read, applied to its documents.
#[derive(Debug, Default)]
pub(super) struct Participants {
    sheets: Vec<Sheet>,
    warnings: Vec<Skipped>,
}

impl Participants {
    /// Read the sheet at `path` (shown as `display`); a sheet that cannot
    /// be used is returned as a [`Skipped`].
    pub(super) fn read(&mut self, display: &str, path: &Path) -> Result<(), Skipped> {
        let whole = |reason: String| Skipped {
            source: at(display, 0),
            reason: reason.into(),
        };
        let bytes = std::fs::read(path).map_err(|e| whole(format!("cannot read file: {e}")))?;
        let (bytes, _) = decode_file(&bytes);
        // Excel in many locales saves "CSV" with semicolons: the header
        // line's most frequent separator decides.
        let header = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| header.iter().filter(|b| *b == d).count())
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(bytes.as_ref());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| whole(format!("participants sheet: {e}")))?
            .iter()
            .map(normalize_column)
            .collect();
        let find = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| headers.iter().position(|h| h == n))
        };
        let (Some(file_col), Some(customer_col)) = (find(&FILE_COLUMNS), find(&CUSTOMER_COLUMNS))
        else {
            return Err(whole(format!(
                "participants sheet needs a `file` and a `customer_id` column; it has: {}",
                headers.join(", ")
            )));
        };
        let dir = match display.rfind('/') {
            Some(i) => display[..=i].to_string(),
            None => String::new(),
        };
        let mut rows: Vec<Row> = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    self.warn(display, line, format!("participants sheet: {e}"));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line());
            let cell = |i: usize| record.get(i).map(str::trim).unwrap_or("");
            // An email as the id is hashed, as everywhere else: the
            // address itself is never stored.
            let (file, customer) = (
                cell(file_col),
                customer_key(Some(cell(customer_col)), None, None),
            );
            let Some(customer) = customer.filter(|_| !file.is_empty()) else {
                continue;
            };
            let file = file.replace('\\', "/").to_lowercase();
            if let Some(first) = rows.iter().find(|r| r.file == file) {
                let reason = format!(
                    "\"{file}\" is already given customer {} on line {}; this row is not used",
                    first.customer, first.line
                );
                self.warn(display, line, reason);
                continue;
            }
            rows.push(Row {
                line,
                file,
                customer,
                matched: 0,
            });
        }
        self.sheets.push(Sheet {
            path: display.to_string(),
            dir,
            rows,
            joined: 0,
        });
        Ok(())
    }

    /// Give the interview documents in `docs` the customer ids the sheets
    /// declare for their files.
    pub(super) fn apply(&mut self, docs: &mut [Document]) {
        if self.sheets.is_empty() {
            return;
        }
        for doc in docs.iter_mut().filter(|d| d.kind == SourceKind::Interview) {
            let path = doc.source.path.clone();
            let mut found = Vec::new();
            for (s, sheet) in self.sheets.iter().enumerate() {
                let Some(rel) = path.strip_prefix(sheet.dir.as_str()) else {
                    continue;
                };
                let rel = rel.to_lowercase();
                let name = rel.rsplit('/').next().unwrap_or(&rel);
                let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
                for (r, row) in sheet.rows.iter().enumerate() {
                    // An absolute path from the tracker's machine
                    // (`C:\Research\p01.txt`) still names the file by its
                    // last part; a relative one must match as a path.
                    let row_name = match absolute(&row.file) {
                        true => row.file.rsplit('/').next().unwrap_or(&row.file),
                        false => "",
                    };
                    let precision = if row.file == rel {
                        4
                    } else if row.file == name {
                        3
                    } else if row_name == name {
                        2
                    } else if row.file == stem {
                        1
                    } else {
                        continue;
                    };
                    found.push((sheet.dir.len(), precision, s, r));
                }
            }
            // The sheet nearest the file decides (the longest folder), then
            // the row naming it most precisely.
            let Some(&(_, _, s, r)) = found.iter().max() else {
                continue;
            };
            let sheet = &mut self.sheets[s];
            let row = &mut sheet.rows[r];
            row.matched += 1;
            let customer = row.customer.clone();
            let (line, sheet_path) = (row.line, sheet.path.clone());
            sheet.joined += 1;
            // A participant read from the file's speakers (a name, or a
            // generic label's per-file key) is not a declaration.
            let named_in_file = doc.turns.iter().any(|t| {
                t.speaker.as_deref() == doc.customer.as_deref()
                    || t.speaker.as_deref().and_then(|s| person_key(&path, s)) == doc.customer
            });
            if let Some(old) = doc.customer.as_deref() {
                if old != customer && !named_in_file {
                    self.warnings.push(Skipped {
                        source: at(&path, 1),
                        reason: format!(
                            "customer {old} declared in the file is replaced by {customer} from {sheet_path}:{line}"
                        )
                        .into(),
                    });
                }
            }
            doc.customer = Some(customer);
        }
    }

    /// Warn about rows that named no file or several; the summary per
    /// sheet.
    pub(super) fn finish(mut self) -> (Vec<SheetSummary>, Vec<Skipped>) {
        let mut warnings = std::mem::take(&mut self.warnings);
        for sheet in &self.sheets {
            for row in &sheet.rows {
                let shown = if sheet.dir.is_empty() {
                    "."
                } else {
                    sheet.dir.trim_end_matches('/')
                };
                let reason = match row.matched {
                    0 => format!("no interview file \"{}\" under {shown}", row.file),
                    1 => continue,
                    n => format!(
                        "\"{}\" names {n} interview files under {shown}; each was given customer {} (name them by their path below {shown} to tell them apart)",
                        row.file, row.customer
                    ),
                };
                warnings.push(Skipped {
                    source: at(&sheet.path, row.line),
                    reason: reason.into(),
                });
            }
        }
        let summaries = self
            .sheets
            .into_iter()
            .map(|s| SheetSummary {
                path: s.path,
                rows: s.rows.len(),
                joined: s.joined,
            })
            .collect();
        (summaries, warnings)
    }

    fn warn(&mut self, path: &str, line: u64, reason: String) {
        self.warnings.push(Skipped {
            source: at(path, line),
            reason: reason.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest_path;
    use std::fs;

    const KAI: &str = "Interviewer: How do you send invoices today?\nKai Whitfield: By hand, and the reminders never go out.\n";

    /// A study folder with the given files (path, contents).
    fn study(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    fn customers(r: &crate::ingest::IngestReport) -> Vec<(String, Option<String>)> {
        r.documents
            .iter()
            .map(|d| {
                let name = d.source.path.rsplit('/').next().unwrap().to_string();
                (name, d.customer.clone())
            })
            .collect()
    }

    #[test]
    fn sheets_are_named_participants_and_tabular() {
        assert!(is_sheet(Path::new("study/participants.csv")));
        assert!(is_sheet(Path::new("Participants.TSV")));
        assert!(!is_sheet(Path::new("participants.txt")));
        assert!(!is_sheet(Path::new("participants_old.csv")));
        assert!(!is_sheet(Path::new("tickets.csv")));
    }

    #[test]
    fn a_sheet_joins_each_interview_to_its_customer() {
        let dir = study(&[
            ("interviews/2026-03-04_kai.txt", KAI),
            (
                "interviews/acme.vtt",
                "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Maya Chen>Thanks both for joining.</v>\n\n00:00:05.000 --> 00:00:09.000\n<v Stefan>Our exports keep failing.</v>\n\n00:00:10.000 --> 00:00:14.000\n<v Jonas>And nobody answers the tickets.</v>\n",
            ),
            ("interviews/prospect.txt", "Interviewer: What do you use now?\nDana: Spreadsheets.\n"),
            ("interviews/by-email.txt", "Interviewer: And invoices?\nLee: Late, always.\n"),
            (
                "interviews/participants.csv",
                "File,Customer ID,Name\n2026-03-04_kai.txt,C0069,Kai Whitfield\nACME,C0120,Stefan; Jonas\nprospect.txt,,Dana\nby-email.txt,Lee.Ng@Example.com,Lee\n",
            ),
            ("tickets.csv", "id,customer_id,description\n1,C0069,Reminders never go out\n"),
        ]);
        let r = ingest_path(dir.path()).unwrap();
        assert_eq!(
            customers(&r),
            vec![
                ("2026-03-04_kai.txt".into(), Some("C0069".into())),
                // By name without extension; both speakers are the account.
                ("acme.vtt".into(), Some("C0120".into())),
                // An email as the id is hashed, never stored.
                (
                    "by-email.txt".into(),
                    Some(crate::ingest::fields::email_key("lee.ng@example.com")),
                ),
                // No id declared: the participant's name stays.
                ("prospect.txt".into(), Some("Dana".into())),
                ("tickets.csv".into(), Some("C0069".into())),
            ]
        );
        // The sheet is not read as customer voice, nor listed as ignored.
        assert_eq!(r.files.len(), 5);
        assert!(r.ignored.is_empty());
        assert_eq!(r.participants.len(), 1);
        let sheet = &r.participants[0];
        assert!(sheet.path.ends_with("interviews/participants.csv"));
        assert_eq!((sheet.rows, sheet.joined), (3, 3));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    }

    #[test]
    fn rows_that_name_no_file_or_repeat_one_are_warnings_on_their_line() {
        let dir = study(&[
            ("a/notes.txt", KAI),
            ("b/notes.txt", KAI),
            ("c/notes.txt", KAI),
            (
                "participants.tsv",
                "file\taccount\nnotes\tC1\nmissing.txt\tC2\nNOTES\tC3\nb/notes.txt\tC4\n",
            ),
        ]);
        let r = ingest_path(dir.path()).unwrap();
        // "notes" names all three files; the path below the sheet's folder
        // names one more precisely.
        assert_eq!(
            customers(&r),
            vec![
                ("notes.txt".into(), Some("C1".into())),
                ("notes.txt".into(), Some("C4".into())),
                ("notes.txt".into(), Some("C1".into())),
            ]
        );
        let said: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
        let line = |n: u64, text: &str| {
            said.iter()
                .any(|w| w.contains(&format!("participants.tsv:{n}")) && w.contains(text))
        };
        assert!(line(4, "already given customer C1 on line 2"), "{said:?}");
        assert!(line(2, "names 2 interview files"), "{said:?}");
        assert!(line(3, "no interview file \"missing.txt\""), "{said:?}");
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(r.skipped.is_empty());
    }

    #[test]
    fn the_sheet_nearest_the_file_decides_and_front_matter_yields_with_a_warning() {
        let dir = study(&[
            (
                "study/interviews/p01.md",
                "---\nparticipant: Ana\ncustomer_id: ACME-042\n---\n\nAna said the export keeps failing.\n",
            ),
            ("study/interviews/p02.txt", KAI),
            ("study/participants.csv", "file,customer_id\ninterviews/p01.md,C9\np02,C8\n"),
            ("study/interviews/participants.csv", "file,customer_id\np01.md,C1\n"),
        ]);
        let r = ingest_path(dir.path()).unwrap();
        assert_eq!(
            customers(&r),
            vec![
                ("p01.md".into(), Some("C1".into())),
                ("p02.txt".into(), Some("C8".into())),
            ]
        );
        let said: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            said.iter().any(|w| w.contains("p01.md:1")
                && w.contains("customer ACME-042 declared in the file is replaced by C1")),
            "{said:?}"
        );
        // The outer sheet's row for p01 matched nothing it decided.
        assert!(
            said.iter().any(|w| w.contains("study/participants.csv:2")),
            "{said:?}"
        );
    }

    #[test]
    fn a_sheet_saved_by_excel_with_semicolons_and_a_bom_is_read() {
        let dir = study(&[
            ("p01.txt", KAI),
            ("p02.txt", KAI),
            (
                "Participants.csv",
                "\u{feff}Transcript;Account ID;Segment\r\np01.txt;C0069;freelancer\r\nC:\\Research\\Acme\\P02.txt;C0070;agency\r\n",
            ),
        ]);
        let r = ingest_path(dir.path()).unwrap();
        // The second row is a path on the machine the tracker was kept on.
        assert_eq!(
            customers(&r),
            vec![
                ("p01.txt".into(), Some("C0069".into())),
                ("p02.txt".into(), Some("C0070".into())),
            ]
        );
        assert!(r.skipped.is_empty() && r.warnings.is_empty(), "{r:?}");
    }

    #[test]
    fn a_sheet_without_the_columns_is_skipped_naming_its_columns() {
        let dir = study(&[
            ("p01.txt", KAI),
            ("participants.csv", "name,segment\nKai,freelancer\n"),
        ]);
        let r = ingest_path(dir.path()).unwrap();
        assert_eq!(r.skipped.len(), 1);
        let s = r.skipped[0].to_string();
        assert!(s.contains("participants.csv"), "{s}");
        assert!(
            s.contains("needs a `file` and a `customer_id` column; it has: name, segment"),
            "{s}"
        );
        // The interviews are still read, as before.
        assert_eq!(
            customers(&r),
            vec![("p01.txt".into(), Some("Kai Whitfield".into()))]
        );
    }
}
