//! `.json` exports: consumes a file's bytes (an array of objects, an object
//! holding one under a wrapper key, a single object, or misnamed JSON
//! Lines); produces the [`JsonRecord`]s it holds with their lines, then
//! their documents. A syntax error keeps the records before it.

use super::json_plan::finish_records;
use super::jsonl::parse_jsonl_with;
use super::kind::detect_kind;
use crate::ingest::fields::decode_text;
use crate::ingest::options::IngestOptions;
use crate::ingest::Parsed;
use crate::model::{SourceKind, SourceRef};
use serde_json::{Map, Value};

/// Keys under which a JSON export object holds its records.
#[rustfmt::skip]
const WRAPPER_KEYS: &[&str] = &[
    "data", "items", "results", "reviews", "records", "tickets", "posts", "responses", "rows",
    "entries", "conversations", "mentions", "tweets",
];

/// A parsed JSON record before it becomes a document.
pub(super) struct JsonRecord {
    pub(super) line: u64,
    pub(super) end_line: u64,
    pub(super) row: u64,
    pub(super) object: Map<String, Value>,
    pub(super) repaired: bool,
    /// The record's source text, for the rejects file.
    pub(super) raw: String,
}

/// 1-based line numbers of byte offsets.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(b: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            b.iter()
                .enumerate()
                .filter(|(_, &c)| c == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    pub(crate) fn of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }
}

fn skip_ws(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && b[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

/// serde_json's message without its " at line L column C" (relative to a
/// slice, so misleading here).
pub(super) fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A JSON syntax problem at an absolute line.
struct JsonError {
    line: u64,
    reason: String,
}

impl JsonError {
    fn at(lines: &Lines, slice_start: usize, e: &serde_json::Error) -> JsonError {
        JsonError {
            line: lines.of(slice_start) + e.line().saturating_sub(1) as u64,
            reason: format!("invalid JSON: {}", json_message(e)),
        }
    }
}

/// Parses one value starting at `p`; returns it and the offset after it.
fn value_at<T: serde::de::DeserializeOwned>(
    b: &[u8],
    p: usize,
    lines: &Lines,
) -> Result<(T, usize), JsonError> {
    let mut it = serde_json::Deserializer::from_slice(&b[p..]).into_iter::<T>();
    match it.next() {
        Some(Ok(v)) => Ok((v, p + it.byte_offset())),
        Some(Err(e)) => Err(JsonError::at(lines, p, &e)),
        None => Err(JsonError {
            line: lines.of(p),
            reason: "invalid JSON: unexpected end of file".into(),
        }),
    }
}

/// In an object starting at `p`, the offset of the `[` of a records array
/// held under one of [`WRAPPER_KEYS`] (also one object deeper, as in
/// `{"data": {"items": [...]}}`).
fn find_wrapped_array(
    b: &[u8],
    p: usize,
    lines: &Lines,
    depth: u8,
) -> Result<Option<usize>, JsonError> {
    let unexpected = |p: usize, what: &str| JsonError {
        line: lines.of(p),
        reason: format!("invalid JSON: expected {what}"),
    };
    let mut p = skip_ws(b, p + 1);
    if b.get(p) == Some(&b'}') {
        return Ok(None);
    }
    loop {
        if b.get(p) != Some(&b'"') {
            return Err(unexpected(p, "a key"));
        }
        let (key, after): (String, usize) = value_at(b, p, lines)?;
        p = skip_ws(b, after);
        if b.get(p) != Some(&b':') {
            return Err(unexpected(p, "':'"));
        }
        p = skip_ws(b, p + 1);
        let wanted = WRAPPER_KEYS.contains(&key.to_lowercase().as_str());
        match b.get(p) {
            Some(b'[') if wanted => return Ok(Some(p)),
            Some(b'{') if wanted && depth < 2 => {
                if let Some(found) = find_wrapped_array(b, p, lines, depth + 1)? {
                    return Ok(Some(found));
                }
            }
            _ => {}
        }
        let (_, after): (serde::de::IgnoredAny, usize) = value_at(b, p, lines)?;
        p = skip_ws(b, after);
        match b.get(p) {
            Some(b',') => p = skip_ws(b, p + 1),
            Some(b'}') => return Ok(None),
            _ => return Err(unexpected(p, "',' or '}'")),
        }
    }
}

/// Reads the elements of the array whose `[` is at `p`. Stops at the first
/// syntax error, returning it with the records read so far.
fn read_array(
    b: &[u8],
    p: usize,
    lines: &Lines,
    records: &mut Vec<JsonRecord>,
    out: &mut Parsed,
    path: &str,
) -> Option<JsonError> {
    let mut p = skip_ws(b, p + 1);
    let mut row = 0u64;
    loop {
        match b.get(p) {
            None => {
                return Some(JsonError {
                    line: lines.of(b.len().saturating_sub(1)),
                    reason: "invalid JSON: the array is not closed (file truncated?)".into(),
                })
            }
            Some(b']') => return None,
            _ => {}
        }
        row += 1;
        let line = lines.of(p);
        let (value, after): (Value, usize) = match value_at(b, p, lines) {
            Ok(v) => v,
            Err(e) => return Some(e),
        };
        let raw = String::from_utf8_lossy(&b[p..after]).into_owned();
        match value {
            Value::Object(object) => records.push(JsonRecord {
                line,
                end_line: lines.of(after.saturating_sub(1)),
                row,
                object,
                repaired: false,
                raw,
            }),
            _ => out.skip_raw(source_at(path, line, row), "not a JSON object", raw),
        }
        p = skip_ws(b, after);
        match b.get(p) {
            Some(b',') => p = skip_ws(b, p + 1),
            Some(b']') => return None,
            None => continue,
            Some(_) => {
                return Some(JsonError {
                    line: lines.of(p),
                    reason: "invalid JSON: expected ',' or ']' between records".into(),
                })
            }
        }
    }
}

pub(super) fn source_at(path: &str, line: u64, row: u64) -> SourceRef {
    SourceRef {
        path: path.to_string(),
        line,
        row: Some(row),
        timestamp: None,
    }
}

/// Parses a `.json` export: an array of objects, an object holding one under
/// a wrapper key, a single object, or (misnamed) JSON Lines.
#[cfg(test)]
pub(crate) fn parse_json(path: &str, bytes: &[u8]) -> Parsed {
    parse_json_with(path, bytes, &IngestOptions::default())
}

/// [`parse_json`] with overrides: a forced kind, a mapping of fields to keys.
pub(crate) fn parse_json_with(path: &str, bytes: &[u8], opts: &IngestOptions) -> Parsed {
    let (text, repaired_lines) = decode_text(bytes);
    let b = text.as_bytes();
    let lines = Lines::new(b);
    let mut out = Parsed::new(detect_kind(&[], path).unwrap_or(SourceKind::Ticket));
    let mut records = Vec::new();
    let p = skip_ws(b, 0);
    let error = match b.get(p) {
        None => None,
        Some(b'[') => read_array(b, p, &lines, &mut records, &mut out, path),
        Some(b'{') => match find_wrapped_array(b, p, &lines, 0) {
            Ok(Some(a)) => read_array(b, a, &lines, &mut records, &mut out, path),
            Ok(None) => match value_at::<Map<String, Value>>(b, p, &lines) {
                Ok((object, after)) => {
                    if b.get(skip_ws(b, after)) == Some(&b'{') {
                        return parse_jsonl_with(path, bytes, opts);
                    }
                    records.push(JsonRecord {
                        line: lines.of(p),
                        end_line: lines.of(after.saturating_sub(1)),
                        row: 1,
                        object,
                        repaired: false,
                        raw: String::from_utf8_lossy(&b[p..after]).into_owned(),
                    });
                    None
                }
                Err(e) => Some(e),
            },
            Err(e) => Some(e),
        },
        Some(_) => Some(JsonError {
            line: lines.of(p),
            reason: "invalid JSON: expected an array of records or an object".into(),
        }),
    };
    if let Some(e) = error {
        let reason = if records.is_empty() {
            e.reason
        } else {
            format!(
                "{}; kept the {} records before it, the rest of the file was not read",
                e.reason,
                records.len()
            )
        };
        let line_text = text
            .split('\n')
            .nth((e.line as usize).saturating_sub(1))
            .unwrap_or_default();
        out.skip_raw(
            SourceRef {
                path: path.to_string(),
                line: e.line,
                row: None,
                timestamp: None,
            },
            reason,
            line_text.trim_end_matches('\r').to_string(),
        );
    }
    for r in &mut records {
        r.repaired = repaired_lines
            .iter()
            .any(|&l| l >= r.line && l <= r.end_line);
    }
    finish_records(path, records, out, opts, "generic-json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_array_records_cite_their_lines() {
        let json = r#"[
  {
    "review_id": "g2-1",
    "rating": "4/5",
    "title": "Solid",
    "review_text": "Does what it says.",
    "date": "03/02/2026"
  },
  {"review_id": "g2-2", "rating": 7, "review_text": "Too many clicks {sic]"},
  "oops",
  {
    "review_id": "g2-3", "rating": 1,
    "review_text": "Lost my data", "author": {"name": "K. Obi"}
  }
]
"#;
        let p = parse_json("reviews.json", json.as_bytes());
        assert_eq!(p.kind, SourceKind::Review);
        let d = &p.documents;
        let got: Vec<_> = d.iter().map(|d| (d.source.line, d.source.row)).collect();
        assert_eq!(got, vec![(2, Some(1)), (9, Some(2)), (11, Some(4))]);
        assert_eq!(d[0].rating, Some(4.0));
        assert_eq!(d[0].date.unwrap().format("%F").to_string(), "2026-03-02");
        assert_eq!(d[1].rating, None);
        assert_eq!(d[2].customer.as_deref(), Some("K. Obi"));
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(
            (p.skipped[0].source.line, p.skipped[0].reason.as_str()),
            (10, "not a JSON object")
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 9);
    }

    #[test]
    fn json_wrapped_truncated_and_single_object() {
        let json = "{\"meta\": {\"count\": 2, \"tags\": [\"a\", {\"b\": 1}]},\n \"results\": [\n  {\"id\": 1, \"subject\": \"Refund\", \"body\": \"Please refund\"},\n  {\"id\": 2, \"body\": \"Broken";
        let p = parse_json("tickets.json", json.as_bytes());
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.documents[0].source.line, 3);
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].source.line, 4);
        assert!(
            p.skipped[0].reason.contains("kept the 1 records before it"),
            "{}",
            p.skipped[0].reason
        );

        let p = parse_json("one.json", b"{\"text\": \"Just one\", \"stars\": 3}");
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.documents[0].rating, Some(3.0));

        let p = parse_json("lines.json", b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[1].source.line, 2);

        let p = parse_json("bad.json", b"\n\n  {\"text\": \"a\",, }");
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].source.line, 3);
    }

    #[test]
    fn json_non_utf8_bytes_warn_on_the_record() {
        // UTF-8 (the `é` of line 2) with one Windows-1252 line.
        let bytes = b"[\n{\"text\": \"caf\xc3\xa9\"},\n{\"text\": \"na\xefve\"}\n]";
        let p = parse_json("x.json", bytes);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[1].turns[0].text, "naïve");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 3);
    }
}
