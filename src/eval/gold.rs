//! Gold files: a CSV (`.csv`), TSV (`.tsv`, `.tab`) or JSON Lines
//! (`.jsonl`, `.ndjson`) file of texts with human labels in, [`GoldRow`]s
//! (line, text, raw label, numeric score) out.
//!
//! CSV and TSV need a header row; fields may be quoted (`"…"`, `""` for a
//! quote). JSON Lines holds one object per line; numbers and booleans are
//! read as their text. Non-UTF-8 bytes are replaced, never fatal.
//!
//! A missing column is an error that lists the columns the file has. A row
//! that cannot be used (empty text, empty label, a score that is not a
//! number, a line that is not a JSON object, a CSV record with extra
//! fields) is skipped with `path:line: reason` and counted; the rest are
//! read.

use crate::error::{Error, Result};
use crate::ingest::quotes_well_formed;
use crate::model::{Skipped, SourceKind, SourceRef};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// How a gold file is laid out, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Tsv,
    Jsonl,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// Which columns to read and which rows to keep.
#[derive(Debug, Clone, Default)]
pub struct GoldSpec {
    /// Column holding the text to tag.
    pub text_col: String,
    /// Column holding the human label, if labels are evaluated.
    pub label_col: Option<String>,
    /// Column holding a numeric sentiment score, if scores are evaluated.
    pub score_col: Option<String>,
    /// Column holding the row's id, if rows are matched to another file.
    pub id_col: Option<String>,
    /// Column holding each row's source kind (interview, ticket, review,
    /// social, survey), when rows come from several channels.
    pub kind_col: Option<String>,
    /// Column holding the message each text came from (the whole turn, as
    /// `cairn run` gives a snippet its context).
    pub context_col: Option<String>,
    /// Keep only rows where each column equals its value (trimmed,
    /// case-insensitive).
    pub filters: Vec<(String, String)>,
}

/// One usable gold row.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldRow {
    /// 1-based line the record starts on.
    pub line: u64,
    pub text: String,
    /// The label as written (resolved against the codebook later).
    pub label: Option<String>,
    pub score: Option<f64>,
    /// The row's id, when [`GoldSpec::id_col`] names one.
    pub id: Option<String>,
    /// The row's source kind, when [`GoldSpec::kind_col`] names a column.
    pub kind: Option<SourceKind>,
    /// The message the text came from, when [`GoldSpec::context_col`]
    /// names a column and the row has one.
    pub context: Option<String>,
}

/// What a gold file gave.
#[derive(Debug, Clone, Default)]
pub struct GoldSet {
    pub rows: Vec<GoldRow>,
    /// Records read (before filtering and skipping).
    pub records: usize,
    /// Records left out by the filters.
    pub filtered: usize,
    /// Records that could not be used, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Read the gold rows of `path` as `spec` says.
pub fn read_gold(path: &Path, spec: &GoldSpec) -> Result<GoldSet> {
    let format = Format::from_path(path).ok_or_else(|| {
        Error::Invalid(format!(
            "{}: unknown gold file type; use .csv, .tsv, .tab, .jsonl or .ndjson",
            path.display()
        ))
    })?;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let shown = path.to_string_lossy().replace('\\', "/");
    let raw = match format {
        Format::Csv => read_delimited(&shown, text, b',')?,
        Format::Tsv => read_delimited(&shown, text, b'\t')?,
        Format::Jsonl => read_jsonl(&shown, text),
    };
    select(path, &shown, raw, spec)
}

/// Records as column → value, before any column is interpreted.
#[derive(Debug, Default)]
struct Raw {
    /// Header order (CSV/TSV) or first-seen key order (JSON Lines).
    columns: Vec<String>,
    rows: Vec<(u64, HashMap<String, String>)>,
    bad: Vec<Skipped>,
}

fn source(path: &str, line: u64) -> SourceRef {
    SourceRef {
        path: path.to_string(),
        line,
        row: None,
        timestamp: None,
    }
}

fn read_delimited(path: &str, text: &str, delimiter: u8) -> Result<Raw> {
    fn reader(from: &str, delimiter: u8) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(from.as_bytes())
    }
    let mut rdr = reader(text, delimiter);
    let mut buf = csv::StringRecord::new();
    let header = match rdr.read_record(&mut buf) {
        Ok(false) => return Ok(Raw::default()),
        Ok(true) => buf.clone(),
        Err(e) => {
            return Err(Error::Parse {
                path: path.into(),
                line: 1,
                reason: format!("unreadable header: {e}"),
            })
        }
    };
    let columns: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let mut raw = Raw {
        columns,
        ..Raw::default()
    };
    // Where the reader's input starts in `text`, and the line it is on: an
    // unbalanced quote restarts the reader on the line after its record.
    let (mut offset, mut first_line) = (0usize, 1u64);
    loop {
        let rest = &text[offset..];
        let begin = rdr.position().byte() as usize;
        let rec = match rdr.read_record(&mut buf) {
            Ok(false) => break,
            Ok(true) => &buf,
            Err(e) => {
                let line = e.position().map_or(0, |p| first_line - 1 + p.line());
                raw.bad.push(Skipped {
                    source: source(path, line),
                    reason: format!("unreadable record: {e}").into(),
                });
                continue;
            }
        };
        let line = rec
            .position()
            .map_or(0, |p| first_line - 1 + start_line(rest, p));
        let end = (rdr.position().byte() as usize).min(rest.len());
        let span = rest[begin.min(end)..end].trim_start_matches(['\r', '\n']);
        let body = span.strip_suffix('\n').unwrap_or(span);
        let body = body.strip_suffix('\r').unwrap_or(body);
        if body.contains('\n')
            && (rec.len() != raw.columns.len() || !quotes_well_formed(body.as_bytes(), delimiter))
        {
            // A quote left open swallows the lines after it: skip the
            // record and read on from the line after the one it starts on.
            let end_line = line + body.matches('\n').count() as u64;
            raw.bad.push(Skipped {
                source: source(path, line),
                reason: format!(
                    "unbalanced quote: record spans lines {line}–{end_line} and has {} fields, \
                     the header {}",
                    rec.len(),
                    raw.columns.len()
                )
                .into(),
            });
            let nl = body.find('\n').unwrap_or(body.len());
            offset += (span.as_ptr() as usize - rest.as_ptr() as usize) + nl + 1;
            first_line = line + 1;
            rdr = reader(&text[offset.min(text.len())..], delimiter);
            continue;
        }
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let extra = rec
            .iter()
            .skip(raw.columns.len())
            .any(|f| !f.trim().is_empty());
        if extra {
            raw.bad.push(Skipped {
                source: source(path, line),
                reason: format!(
                    "record has {} fields, the header {} (an unquoted delimiter or quote?)",
                    rec.len(),
                    raw.columns.len()
                )
                .into(),
            });
            continue;
        }
        let mut values = HashMap::new();
        for (name, value) in raw.columns.iter().zip(rec.iter()) {
            values
                .entry(name.clone())
                .or_insert_with(|| value.to_string());
        }
        raw.rows.push((line, values));
    }
    Ok(raw)
}

/// The line a record's first byte is on. After a CRLF or blank lines the
/// csv crate's position sits on the line break before the record.
fn start_line(text: &str, pos: &csv::Position) -> u64 {
    let skipped = text.as_bytes()[(pos.byte() as usize).min(text.len())..]
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|&&b| b == b'\n')
        .count();
    pos.line() + skipped as u64
}

fn read_jsonl(path: &str, text: &str) -> Raw {
    let mut raw = Raw::default();
    for (i, l) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if l.trim().is_empty() {
            continue;
        }
        let obj = match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                raw.bad.push(Skipped {
                    source: source(path, line),
                    reason: "not a JSON object".into(),
                });
                continue;
            }
            Err(e) => {
                raw.bad.push(Skipped {
                    source: source(path, line),
                    reason: format!("invalid JSON: {e}").into(),
                });
                continue;
            }
        };
        let mut values = HashMap::new();
        for (k, v) in obj {
            if !raw.columns.contains(&k) {
                raw.columns.push(k.clone());
            }
            let v = match v {
                Value::Null => String::new(),
                Value::String(s) => s,
                other => other.to_string(),
            };
            values.insert(k, v);
        }
        raw.rows.push((line, values));
    }
    raw
}

/// A numeric score: `2`, `-1.5`, `+3`, `−4` (Unicode minus), `0,5`.
fn parse_score(s: &str) -> Option<f64> {
    let s = s.trim().replace('−', "-").replace(',', ".");
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

fn select(path: &Path, shown: &str, raw: Raw, spec: &GoldSpec) -> Result<GoldSet> {
    let mut wanted: Vec<(&str, &str)> = vec![("--text-col", spec.text_col.as_str())];
    if let Some(c) = &spec.label_col {
        wanted.push(("--label-col", c));
    }
    if let Some(c) = &spec.score_col {
        wanted.push(("--gold-score-col", c));
    }
    if let Some(c) = &spec.id_col {
        wanted.push(("--id-col", c));
    }
    if let Some(c) = &spec.kind_col {
        wanted.push(("--kind-col", c));
    }
    if let Some(c) = &spec.context_col {
        wanted.push(("--context-col", c));
    }
    for (c, _) in &spec.filters {
        wanted.push(("--where", c));
    }
    if !raw.rows.is_empty() || !raw.columns.is_empty() {
        for (flag, col) in wanted {
            if !raw.columns.iter().any(|c| c == col) {
                return Err(Error::Invalid(format!(
                    "{}: no column {col:?} (from {flag}); the file has: {}",
                    path.display(),
                    raw.columns.join(", ")
                )));
            }
        }
    }
    let mut set = GoldSet {
        records: raw.rows.len() + raw.bad.len(),
        skipped: raw.bad,
        ..GoldSet::default()
    };
    let value = |row: &HashMap<String, String>, col: &str| -> String {
        row.get(col).map_or("", |v| v.trim()).to_string()
    };
    for (line, row) in raw.rows {
        let keep = spec
            .filters
            .iter()
            .all(|(c, v)| value(&row, c).eq_ignore_ascii_case(v.trim()));
        if !keep {
            set.filtered += 1;
            continue;
        }
        let skip = |reason: String| Skipped {
            source: source(shown, line),
            reason: reason.into(),
        };
        let text = value(&row, &spec.text_col);
        if text.is_empty() {
            set.skipped
                .push(skip(format!("empty text in column {:?}", spec.text_col)));
            continue;
        }
        let label = match &spec.label_col {
            None => None,
            Some(c) => {
                let l = value(&row, c);
                if l.is_empty() {
                    set.skipped
                        .push(skip(format!("empty label in column {c:?}")));
                    continue;
                }
                Some(l)
            }
        };
        let score = match &spec.score_col {
            None => None,
            Some(c) => {
                let s = value(&row, c);
                match parse_score(&s) {
                    Some(v) => Some(v),
                    None => {
                        set.skipped
                            .push(skip(format!("score {s:?} in column {c:?} is not a number")));
                        continue;
                    }
                }
            }
        };
        let kind = match &spec.kind_col {
            None => None,
            Some(c) => {
                let k = value(&row, c);
                match SourceKind::parse(&k) {
                    Some(k) => Some(k),
                    None => {
                        set.skipped.push(skip(format!(
                            "kind {k:?} in column {c:?} is not one of: interview, ticket, review, social, survey"
                        )));
                        continue;
                    }
                }
            }
        };
        let context = spec
            .context_col
            .as_ref()
            .map(|c| value(&row, c))
            .filter(|c| !c.is_empty());
        let id = spec.id_col.as_ref().map(|c| value(&row, c));
        set.rows.push(GoldRow {
            line,
            text,
            label,
            score,
            id,
            kind,
            context,
        });
    }
    set.skipped.sort();
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn spec(label: bool, score: bool) -> GoldSpec {
        GoldSpec {
            text_col: "text".into(),
            label_col: label.then(|| "label".into()),
            score_col: score.then(|| "score".into()),
            filters: vec![],
            ..GoldSpec::default()
        }
    }

    fn lines(set: &GoldSet) -> Vec<u64> {
        set.rows.iter().map(|r| r.line).collect()
    }

    fn reasons(set: &GoldSet) -> Vec<String> {
        set.skipped.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn format_comes_from_the_extension() {
        assert_eq!(Format::from_path(Path::new("a.CSV")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("a.tab")), Some(Format::Tsv));
        assert_eq!(
            Format::from_path(Path::new("a.ndjson")),
            Some(Format::Jsonl)
        );
        assert_eq!(Format::from_path(Path::new("a.json")), None);
        assert_eq!(Format::from_path(Path::new("gold")), None);
    }

    #[test]
    fn reads_csv_with_quotes_multiline_records_and_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "g.csv",
            "\u{feff}id,text,label,score\r\n\
             1,\"Love it, truly\",positive,3.5\r\n\
             2,\"Broke on day one.\nStill broken.\",negative,−2\r\n\
             \r\n\
             3,,neutral,0\r\n\
             4,It is fine,,0\r\n\
             5,Meh,neutral,n/a\r\n\
             6,\"Works\",positive,1,extra\r\n\
             7,\"Shipped late\",negative,-1\r\n",
        );
        let set = read_gold(&p, &spec(true, true)).unwrap();
        assert_eq!(lines(&set), [2, 3, 10]);
        assert_eq!(set.rows[0].text, "Love it, truly");
        assert_eq!(set.rows[1].text, "Broke on day one.\nStill broken.");
        assert_eq!(set.rows[1].score, Some(-2.0));
        assert_eq!(set.rows[2].label.as_deref(), Some("negative"));
        assert_eq!(set.records, 7);
        let shown = p.to_string_lossy().replace('\\', "/");
        assert_eq!(
            reasons(&set),
            [
                format!("{shown}:6: empty text in column \"text\""),
                format!("{shown}:7: empty label in column \"label\""),
                format!("{shown}:8: score \"n/a\" in column \"score\" is not a number"),
                format!(
                    "{shown}:9: record has 5 fields, the header 4 (an unquoted delimiter or quote?)"
                ),
            ]
        );
    }

    #[test]
    fn an_unbalanced_quote_skips_its_record_and_keeps_the_rows_after_it() {
        let dir = tempfile::tempdir().unwrap();
        for eol in ["\n", "\r\n"] {
            let p = write(
                dir.path(),
                "g.csv",
                &[
                    "text,label",
                    "\"ok good\",positive",
                    "\"she said \"\"fine,negative",
                    "awful,negative",
                    "\"Broke on day one.\nStill broken.\",negative",
                    "great,positive",
                    "",
                ]
                .join(eol),
            );
            let set = read_gold(&p, &spec(true, false)).unwrap();
            assert_eq!(lines(&set), [2, 4, 5, 7], "{eol:?}");
            assert_eq!(set.rows[2].text, "Broke on day one.\nStill broken.");
            assert_eq!(set.records, 5);
            let shown = p.to_string_lossy().replace('\\', "/");
            assert_eq!(
                reasons(&set),
                [format!(
                    "{shown}:3: unbalanced quote: record spans lines 3–5 and has 1 fields, the header 2"
                )]
            );
        }
    }

    #[test]
    fn reads_tsv_and_filters_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "g.tsv",
            "text\tlabel\tsplit\n\
             Great support team\tpositive\ttest\n\
             Where is the export button?\tneutral\ttrain\n\
             Charged twice again\tnegative\tTEST\n\
             \tnegative\ttest\n",
        );
        let mut s = spec(true, false);
        s.filters = vec![("split".into(), "test".into())];
        let set = read_gold(&p, &s).unwrap();
        assert_eq!(lines(&set), [2, 4]);
        assert_eq!(set.rows[1].text, "Charged twice again");
        assert_eq!((set.records, set.filtered), (4, 1));
        assert_eq!(set.skipped.len(), 1);
        assert!(reasons(&set)[0].ends_with("g.tsv:5: empty text in column \"text\""));
    }

    #[test]
    fn reads_jsonl_numbers_and_skips_bad_lines_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "g.jsonl",
            "{\"text\": \"Refund took three weeks\", \"label\": \"negative\", \"score\": -3}\n\
             \n\
             {\"text\": \"ok\", \"label\": \"neutral\", \"score\": null}\n\
             [1, 2]\n\
             {\"text\": \"broken\n\
             {\"text\": \"Fast and friendly\", \"label\": \"POSITIVE\", \"score\": 2.5}\n",
        );
        let set = read_gold(&p, &spec(true, true)).unwrap();
        assert_eq!(lines(&set), [1, 6]);
        assert_eq!(set.rows[0].score, Some(-3.0));
        assert_eq!(set.rows[1].label.as_deref(), Some("POSITIVE"));
        let r = reasons(&set);
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r[0].contains("g.jsonl:3: score \"\""), "{r:?}");
        assert!(r[1].ends_with("g.jsonl:4: not a JSON object"), "{r:?}");
        assert!(r[2].contains("g.jsonl:5: invalid JSON"), "{r:?}");
    }

    #[test]
    fn a_missing_column_is_an_error_listing_the_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "g.csv", "body,sentiment\nhello,neutral\n");
        let e = read_gold(&p, &spec(true, false)).unwrap_err().to_string();
        assert!(e.contains("no column \"text\" (from --text-col)"), "{e}");
        assert!(e.ends_with("the file has: body, sentiment"), "{e}");
        let p = write(dir.path(), "g.txt", "x");
        let e = read_gold(&p, &spec(true, false)).unwrap_err().to_string();
        assert!(e.contains("unknown gold file type"), "{e}");
    }

    #[test]
    fn scores_parse_leniently() {
        assert_eq!(parse_score(" +2 "), Some(2.0));
        assert_eq!(parse_score("−4"), Some(-4.0));
        assert_eq!(parse_score("0,5"), Some(0.5));
        assert_eq!(parse_score("NaN"), None);
        assert_eq!(parse_score(""), None);
    }
}
