//! Spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.ods`): survey, ticket and
//! review exports saved from Excel or downloaded as a workbook.
//!
//! Consumes a workbook's bytes (read by `calamine`) and produces the same
//! [`Document`](crate::model::Document)s the CSV reader would: each sheet
//! is written out as CSV and read by the tabular reader, so column
//! detection, vendor layouts (Qualtrics, SurveyMonkey, Zendesk …) and
//! `--map` apply unchanged. Every line a record, a turn or a skipped row
//! reports is the sheet's own row number, as Excel shows it. A workbook
//! with several sheets names the sheet after the file (`survey.xlsx#Q3`),
//! so the same row of two sheets stays two records. Hidden sheets (lookup
//! tables, pivots' data, a colleague's scratch work) are not read, with a
//! warning naming them.

use super::options::IngestOptions;
use super::{at, tabular, Parsed};
use crate::model::{SourceKind, SourceRef};
use calamine::{open_workbook_auto_from_rs, Data, Range, Reader, SheetVisible};
use std::io::Cursor;

/// Reads every sheet of the workbook in `bytes`. An unreadable workbook is
/// one skipped record naming the file; a sheet no table can be read from
/// is reported like a CSV file without a text column.
pub(crate) fn parse_workbook(path: &str, bytes: &[u8], opts: &IngestOptions) -> Parsed {
    let mut out = Parsed::new(SourceKind::Survey);
    out.layout = "spreadsheet".to_string();
    let mut book = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            let reason = if password_protected(bytes) {
                "a password-protected workbook: open it and save a copy without a password"
                    .to_string()
            } else {
                format!("not a readable spreadsheet: {e}")
            };
            out.skip(at(path, 0), reason);
            return out;
        }
    };
    let hidden: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        if hidden.contains(&name) {
            out.warn(at(path, 0), format!("sheet {name:?} is hidden: not read"));
            continue;
        }
        match book.worksheet_range(&name) {
            Ok(range) if !range.is_empty() => sheets.push((name, range)),
            Ok(_) => {}
            Err(e) => out.skip(at(path, 0), format!("sheet {name:?} cannot be read: {e}")),
        }
    }
    if sheets.is_empty() {
        out.note = Some("empty workbook".to_string());
        return out;
    }
    let named = sheets.len() > 1;
    let mut first = true;
    for (name, range) in &sheets {
        let sheet_path = if named {
            format!("{path}#{name}")
        } else {
            path.to_string()
        };
        let (csv, rows, title) = to_csv(range);
        let mut p = tabular::parse_delimited_with(&sheet_path, &csv, Some(b','), opts);
        renumber(&mut p, &rows);
        // Added after renumbering: its line is a sheet row already.
        if let Some(last) = title {
            let header = rows.get(1).copied().unwrap_or(last + 1);
            p.warn(
                at(&sheet_path, header),
                format!("rows 1–{last} above the header are a title, not records"),
            );
        }
        // The file's summary describes its first sheet with records.
        if first && !p.documents.is_empty() {
            out.kind = p.kind;
            out.layout = format!("spreadsheet, {}", p.layout);
            out.columns = std::mem::take(&mut p.columns);
            first = false;
        }
        if let Some(note) = p.note.take() {
            out.warn(at(&sheet_path, 0), note);
        }
        out.empty += p.empty;
        out.documents.append(&mut p.documents);
        out.skipped.append(&mut p.skipped);
        out.warnings.append(&mut p.warnings);
        out.raw.append(&mut p.raw);
    }
    out
}

/// Whether `bytes` are an encrypted workbook: Excel wraps a password-
/// protected `.xlsx` in an OLE compound file with an `EncryptedPackage`
/// stream, and marks a protected `.xls` with a FILEPASS record.
fn password_protected(bytes: &[u8]) -> bool {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if !bytes.starts_with(OLE) {
        return false;
    }
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
        || matches!(
            calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes)),
            Err(calamine::XlsError::Password)
        )
}

/// Rows searched for the header below a title.
const HEADER_SEARCH: usize = 10;

/// The sheet as CSV from its header row on; for each CSV line (1-based,
/// index 0 unused) the sheet row it came from (a cell with line breaks
/// spans several CSV lines but one sheet row); and the last sheet row of a
/// title above the header, if any.
///
/// The header is the first row with two or more filled cells: people put a
/// title ("NPS survey, January 2026") and a blank line above their tables,
/// which exports never do.
fn to_csv(range: &Range<Data>) -> (Vec<u8>, Vec<u64>, Option<u64>) {
    let top = range.start().map_or(0, |(r, _)| u64::from(r));
    let filled = |row: &[Data]| row.iter().filter(|c| !cell(c).trim().is_empty()).count();
    let skip = range
        .rows()
        .take(HEADER_SEARCH)
        .position(|r| filled(r) >= 2)
        .unwrap_or(0);
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut rows = vec![0];
    for (i, row) in range.rows().enumerate().skip(skip) {
        let cells: Vec<String> = row.iter().map(cell).collect();
        let breaks = cells.iter().map(|c| c.matches('\n').count()).sum::<usize>();
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&cells);
        rows.extend(std::iter::repeat_n(top + i as u64 + 1, breaks + 1));
    }
    let title = (skip > 0).then(|| top + skip as u64);
    (w.into_inner().unwrap_or_default(), rows, title)
}

/// A cell as text: numbers as written (9, not 9.0), dates as ISO 8601,
/// error cells (`#N/A`) empty.
fn cell(d: &Data) -> String {
    match d {
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            None => String::new(),
        },
        Data::Error(_) | Data::Empty => String::new(),
        other => other.to_string().replace("\r\n", "\n"),
    }
}

/// Replaces the CSV lines the tabular reader reports with sheet rows. A
/// cell's own line breaks are not sheet rows, so sentences keep their
/// record's row rather than counting breaks.
fn renumber(p: &mut Parsed, rows: &[u64]) {
    let row = |line: u64| rows.get(line as usize).copied().unwrap_or(line);
    let fix = |s: &mut SourceRef| {
        if s.line > 0 {
            s.line = row(s.line);
            s.row = None;
        }
    };
    for d in &mut p.documents {
        fix(&mut d.source);
        for t in &mut d.turns {
            fix(&mut t.source);
            t.exact_lines = false;
        }
    }
    for s in p.skipped.iter_mut().chain(&mut p.warnings) {
        fix(&mut s.source);
    }
    for r in &mut p.raw {
        fix(&mut r.source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    /// An NPS export as Excel saves it: a title row above the header, real
    /// dates and numbers, a two-line answer, a `#N/A` from a lookup, and a
    /// second sheet of codes that is not customer voice.
    fn survey_workbook() -> Vec<u8> {
        let mut book = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let s = book.add_worksheet();
        s.set_name("Responses").unwrap();
        s.write_string(0, 0, "NPS survey, January 2026").unwrap();
        for (c, h) in ["customer_id", "date", "score", "comment"]
            .iter()
            .enumerate()
        {
            s.write_string(2, c as u16, *h).unwrap();
        }
        let rows = [
            ("C0059", 12, 8.0, "The increase was not communicated."),
            (
                "C0028",
                13,
                3.0,
                "Billing charged me twice.\nSupport took a week to refund it.",
            ),
            ("C0098", 14, 10.0, "Setup took five minutes, love it."),
        ];
        for (i, (id, day, score, comment)) in rows.iter().enumerate() {
            let r = 3 + i as u32;
            s.write_string(r, 0, *id).unwrap();
            let dt = ExcelDateTime::from_ymd(2026, 1, *day).unwrap();
            s.write_datetime_with_format(r, 1, &dt, &date).unwrap();
            s.write_number(r, 2, *score).unwrap();
            s.write_string(r, 3, *comment).unwrap();
        }
        let codes = book.add_worksheet();
        codes.set_name("Codes").unwrap();
        codes.write_string(0, 0, "code").unwrap();
        codes.write_string(0, 1, "count").unwrap();
        codes.write_number(1, 0, 1.0).unwrap();
        codes.write_number(1, 1, 12.0).unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_survey_sheet_reads_like_its_csv_with_sheet_rows() {
        let p = parse_workbook("nps.xlsx", &survey_workbook(), &IngestOptions::default());
        assert_eq!(p.kind, SourceKind::Survey);
        assert_eq!(p.documents.len(), 3, "{:?}", p.skipped);
        let d = &p.documents[1];
        // Excel shows the header on row 3, so the second answer is row 5.
        assert_eq!(d.source.path, "nps.xlsx#Responses");
        assert_eq!((d.source.line, d.source.row), (5, None));
        assert_eq!(d.customer.as_deref(), Some("C0028"));
        assert_eq!(d.score, Some(3.0));
        assert_eq!(
            d.date.map(|t| t.format("%Y-%m-%d").to_string()).as_deref(),
            Some("2026-01-13")
        );
        let text: Vec<&str> = d.turns.iter().map(|t| t.text.as_str()).collect();
        assert!(
            text.iter().any(|t| t.contains("charged me twice")),
            "{text:?}"
        );
        assert!(d.turns.iter().all(|t| t.source.line == 5 && !t.exact_lines));
        // The row after the two-line answer is still its own sheet row.
        assert_eq!(p.documents[2].source.line, 6);
        assert_eq!(p.documents[2].score, Some(10.0));
        assert!(p.layout.starts_with("spreadsheet"), "{}", p.layout);
        // The title is named, and the codes sheet reported, not read.
        let warned: Vec<String> = p.warnings.iter().map(ToString::to_string).collect();
        assert!(
            warned.contains(
                &"nps.xlsx#Responses:3: rows 1–2 above the header are a title, not records"
                    .to_string()
            ),
            "{warned:?}"
        );
        let skipped: Vec<String> = p.skipped.iter().map(ToString::to_string).collect();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(
            skipped[0].starts_with("nps.xlsx#Codes:1: no text column"),
            "{skipped:?}"
        );
    }

    #[test]
    fn one_sheet_keeps_the_file_name_and_ids_differ_by_sheet() {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        s.write_string(0, 0, "review").unwrap();
        s.write_string(0, 1, "rating").unwrap();
        s.write_string(1, 0, "The app crashes every time I export.")
            .unwrap();
        s.write_number(1, 1, 1.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let p = parse_workbook("reviews.xlsx", &bytes, &IngestOptions::default());
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.documents[0].source.path, "reviews.xlsx");
        assert_eq!(p.documents[0].source.line, 2);

        let two = parse_workbook("nps.xlsx", &survey_workbook(), &IngestOptions::default());
        let ids: std::collections::BTreeSet<_> = two.documents.iter().map(|d| &d.id).collect();
        assert_eq!(ids.len(), two.documents.len());
    }

    /// Lookup tables kept on a hidden sheet ("Codes", with a description
    /// column) are not customer voice: warned about, not read, and the one
    /// visible sheet keeps the file's name.
    #[test]
    fn a_hidden_sheet_is_not_read() {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        s.set_name("Responses").unwrap();
        s.write_string(0, 0, "comment").unwrap();
        s.write_string(0, 1, "score").unwrap();
        s.write_string(1, 0, "Exports time out every Friday.")
            .unwrap();
        s.write_number(1, 1, 4.0).unwrap();
        let codes = book.add_worksheet();
        codes.set_name("Codes").unwrap();
        codes.write_string(0, 0, "code").unwrap();
        codes.write_string(0, 1, "description").unwrap();
        codes.write_string(1, 0, "BIL").unwrap();
        codes
            .write_string(1, 1, "Customer finds billing confusing and expensive")
            .unwrap();
        codes.set_hidden(true);
        let bytes = book.save_to_buffer().unwrap();
        let p = parse_workbook("nps.xlsx", &bytes, &IngestOptions::default());
        assert_eq!(p.documents.len(), 1, "{:?}", p.documents);
        assert_eq!(p.documents[0].source.path, "nps.xlsx");
        assert_eq!(p.documents[0].source.line, 2);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let warned: Vec<String> = p.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warned, ["nps.xlsx:0: sheet \"Codes\" is hidden: not read"]);
    }

    #[test]
    fn a_broken_workbook_is_one_skipped_record_naming_the_file() {
        let p = parse_workbook(
            "export.xlsx",
            b"PK\x03\x04 not really a zip",
            &IngestOptions::default(),
        );
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].source.path, "export.xlsx");
        assert!(
            p.skipped[0].reason.contains("not a readable spreadsheet"),
            "{}",
            p.skipped[0].reason
        );
    }
}
