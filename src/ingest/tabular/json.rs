//! `.json` exports: consumes a stream of UTF-8 text (an array of objects,
//! an object holding one under a wrapper key, a single object, or misnamed
//! JSON Lines); produces the [`JsonRecord`]s it holds with their lines,
//! then their documents, handing them to a sink as it goes. A syntax error
//! keeps the records before it.
//!
//! The array is never held whole: [`Scanner`] splits it into its elements
//! (string-aware bracket matching over a buffered reader, counting lines),
//! each element is parsed on its own with serde_json, and the records of
//! the first [`HEAD_BYTES`] decide the file's kind and columns, as for JSON
//! Lines. Memory is one element (at most [`MAX_RECORD_BYTES`]) and the
//! documents not yet handed on, whatever the file's size.

use super::json_plan::JsonPlan;
use super::jsonl::read_jsonl;
use super::kind::detect_kind;
use super::{FEED_CHUNK, HEAD_BYTES, MAX_RECORD_BYTES, SINK_DOCUMENTS};
use crate::ingest::fields::{decode_bytes, normalize_bytes};
use crate::ingest::options::IngestOptions;
use crate::ingest::{Parsed, Sink};
use crate::model::{SourceKind, SourceRef};
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Read};

/// Keys under which a JSON export object holds its records.
#[rustfmt::skip]
const WRAPPER_KEYS: &[&str] = &[
    "data", "items", "results", "reviews", "records", "tickets", "posts", "responses", "rows",
    "entries", "conversations", "mentions", "tweets",
];

/// A parsed JSON record before it becomes a document.
pub(super) struct JsonRecord {
    pub(super) line: u64,
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
    /// The text of that line, for the rejects file.
    text: String,
}

impl JsonError {
    fn new(line: u64, reason: impl Into<String>) -> JsonError {
        JsonError {
            line,
            reason: reason.into(),
            text: String::new(),
        }
    }

    /// serde's error in a value that starts on line `start`.
    fn serde(start: u64, e: &serde_json::Error) -> JsonError {
        JsonError::new(
            start + e.line().saturating_sub(1) as u64,
            format!("invalid JSON: {}", json_message(e)),
        )
    }
}

/// Where a scanner is in the text, apart from the reader it reads.
#[derive(Default)]
struct Position {
    /// Line of the next byte (1-based).
    line: u64,
    /// Whether the last byte consumed was a line break.
    after_newline: bool,
    /// The current line up to here (at most [`MAX_RECORD_BYTES`]), for the
    /// text of a syntax error.
    current: Vec<u8>,
    /// Every byte consumed, while the records are still being looked for
    /// (to read a single object or JSON Lines from the start again).
    tee: Option<Vec<u8>>,
}

impl Position {
    /// Notes `bytes` as consumed; appends them to `keep` (up to `cap`
    /// bytes in all; returns false when some did not fit).
    fn consumed(&mut self, bytes: &[u8], keep: Option<&mut Vec<u8>>, cap: usize) -> bool {
        let mut fits = true;
        if let Some(k) = keep {
            let room = cap.saturating_sub(k.len());
            fits = bytes.len() <= room;
            k.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        if let Some(t) = self.tee.as_mut() {
            if t.len() <= MAX_RECORD_BYTES {
                t.extend_from_slice(bytes);
            }
        }
        let tail = match bytes.iter().rposition(|&c| c == b'\n') {
            Some(i) => {
                self.line += bytes.iter().filter(|&&c| c == b'\n').count() as u64;
                self.current.clear();
                &bytes[i + 1..]
            }
            None => bytes,
        };
        let room = MAX_RECORD_BYTES.saturating_sub(self.current.len());
        self.current
            .extend_from_slice(&tail[..tail.len().min(room)]);
        if let Some(&last) = bytes.last() {
            self.after_newline = last == b'\n';
        }
        fits
    }

    /// The line of the last byte consumed.
    fn last_line(&self) -> u64 {
        if self.after_newline {
            self.line - 1
        } else {
            self.line
        }
    }
}

/// How a value's bytes end, while [`Scanner::take_value`] reads them.
#[derive(Default)]
struct ValueState {
    depth: usize,
    in_string: bool,
    escaped: bool,
    started: bool,
    scalar: bool,
}

impl ValueState {
    /// The offset just past the value's end in `chunk`, if it ends there.
    fn end_in(&mut self, chunk: &[u8]) -> Option<usize> {
        for (i, &c) in chunk.iter().enumerate() {
            if !self.started {
                self.started = true;
                self.scalar = !matches!(c, b'{' | b'[' | b'"');
            }
            if self.scalar {
                if matches!(c, b',' | b']' | b'}') || c.is_ascii_whitespace() {
                    return Some(i);
                }
                continue;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                continue;
            }
            match c {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// Splits a JSON text into values without parsing them, counting lines.
struct Scanner<R> {
    r: R,
    at: Position,
    /// A read error, after which the scanner sees the end of the text.
    error: Option<std::io::Error>,
}

impl<R: BufRead> Scanner<R> {
    fn new(r: R) -> Scanner<R> {
        Scanner {
            r,
            at: Position {
                line: 1,
                tee: Some(Vec::new()),
                ..Position::default()
            },
            error: None,
        }
    }

    /// The next byte, not consumed; `None` at the end.
    fn peek(&mut self) -> Option<u8> {
        loop {
            match self.r.fill_buf() {
                Ok(b) => return b.first().copied(),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.error.get_or_insert(e);
                    return None;
                }
            }
        }
    }

    /// Consumes one byte (the one [`Scanner::peek`] saw).
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.at.consumed(&[c], None, 0);
            self.r.consume(1);
        }
    }

    fn skip_ws(&mut self) {
        loop {
            let Ok(chunk) = self.r.fill_buf() else {
                let _ = self.peek();
                return;
            };
            if chunk.is_empty() {
                return;
            }
            let n = chunk
                .iter()
                .position(|c| !c.is_ascii_whitespace())
                .unwrap_or(chunk.len());
            self.at.consumed(&chunk[..n], None, 0);
            let done = n < chunk.len();
            self.r.consume(n);
            if done {
                return;
            }
        }
    }

    /// Consumes the value that starts here, appending its bytes to `keep`
    /// (at most `cap` of them). Returns false when it was longer than that.
    /// A value cut by the end of the text ends there (serde then says
    /// what is wrong with it).
    fn take_value(&mut self, keep: &mut Vec<u8>, cap: usize) -> bool {
        let mut state = ValueState::default();
        let mut fits = true;
        loop {
            let Ok(chunk) = self.r.fill_buf() else {
                let _ = self.peek();
                return fits;
            };
            if chunk.is_empty() {
                return fits;
            }
            let end = state.end_in(chunk);
            let n = end.unwrap_or(chunk.len());
            fits &= self.at.consumed(&chunk[..n], Some(keep), cap);
            self.r.consume(n);
            if end.is_some() {
                return fits;
            }
        }
    }

    /// The text of line `line` for a syntax error there: the current line
    /// (read on to its end), or the line inside `value` (which started on
    /// `start`).
    fn line_text(&mut self, line: u64, value: &[u8], start: u64) -> String {
        let bytes = if line >= self.at.line {
            let mut text = std::mem::take(&mut self.at.current);
            let mut rest = Vec::new();
            let _ = (&mut self.r)
                .take(MAX_RECORD_BYTES as u64)
                .read_until(b'\n', &mut rest);
            text.extend_from_slice(rest.strip_suffix(b"\n").unwrap_or(&rest));
            text
        } else {
            value
                .split(|&c| c == b'\n')
                .nth(line.saturating_sub(start) as usize)
                .unwrap_or_default()
                .to_vec()
        };
        let text = decode_bytes(&bytes).0.into_owned();
        text.trim_end_matches('\r').to_string()
    }
}

/// What was found at the top of a `.json` file.
enum Top {
    /// The `[` of the records array is next.
    Array,
    /// One object, no records array in it.
    Object,
}

/// In the object whose `{` is next, finds a records array held under one
/// of [`WRAPPER_KEYS`] (also one object deeper, as in `{"data": {"items":
/// [...]}}`), consuming the object up to its `[`; or consumes the whole
/// object when none is there.
fn find_wrapped_array<R: BufRead>(
    sc: &mut Scanner<R>,
    depth: u8,
    scratch: &mut Vec<u8>,
) -> Result<Top, JsonError> {
    let unexpected = |sc: &Scanner<R>, what: &str| {
        JsonError::new(sc.at.line, format!("invalid JSON: expected {what}"))
    };
    sc.bump();
    sc.skip_ws();
    if sc.peek() == Some(b'}') {
        sc.bump();
        return Ok(Top::Object);
    }
    loop {
        if sc.peek() != Some(b'"') {
            return Err(unexpected(sc, "a key"));
        }
        let start = sc.at.line;
        scratch.clear();
        sc.take_value(scratch, MAX_RECORD_BYTES);
        let key: String = serde_json::from_str(&decode_bytes(scratch).0)
            .map_err(|e| JsonError::serde(start, &e))?;
        sc.skip_ws();
        if sc.peek() != Some(b':') {
            return Err(unexpected(sc, "':'"));
        }
        sc.bump();
        sc.skip_ws();
        let wanted = WRAPPER_KEYS.contains(&key.to_lowercase().as_str());
        match sc.peek() {
            Some(b'[') if wanted => return Ok(Top::Array),
            Some(b'{') if wanted && depth < 2 => {
                if let Top::Array = find_wrapped_array(sc, depth + 1, scratch)? {
                    return Ok(Top::Array);
                }
            }
            _ => {
                let start = sc.at.line;
                scratch.clear();
                if sc.take_value(scratch, MAX_RECORD_BYTES) {
                    let text = decode_bytes(scratch);
                    serde_json::from_str::<serde::de::IgnoredAny>(&text.0)
                        .map_err(|e| JsonError::serde(start, &e))?;
                }
            }
        }
        sc.skip_ws();
        match sc.peek() {
            Some(b',') => {
                sc.bump();
                sc.skip_ws();
            }
            Some(b'}') => {
                sc.bump();
                return Ok(Top::Object);
            }
            _ => return Err(unexpected(sc, "',' or '}'")),
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
    let data = normalize_bytes(bytes);
    read_json(path, &data[..], opts, None)
        .unwrap_or_else(|_| unreachable!("no sink, so no sink error"))
}

/// The records read so far and how they become documents: the records of
/// the first [`HEAD_BYTES`] decide the plan, then each is built as read.
struct Records<'a> {
    path: &'a str,
    opts: &'a IngestOptions,
    out: Parsed,
    head: Vec<JsonRecord>,
    head_bytes: usize,
    plan: Option<JsonPlan<'a>>,
    count: usize,
}

impl<'a> Records<'a> {
    fn push(
        &mut self,
        record: JsonRecord,
        sink: Option<&mut Sink<'_>>,
    ) -> crate::error::Result<()> {
        self.count += 1;
        self.head_bytes += record.raw.len();
        match self.plan.as_mut() {
            Some(p) => p.build(&record, &mut self.out),
            None => {
                self.head.push(record);
                if self.head_bytes > HEAD_BYTES {
                    self.plan_now();
                }
            }
        }
        if let Some(sink) = sink {
            if self.out.documents.len() >= SINK_DOCUMENTS {
                sink(&mut self.out)?;
            }
        }
        Ok(())
    }

    fn plan_now(&mut self) {
        let mut p = JsonPlan::new(
            self.path,
            &self.head,
            &mut self.out,
            self.opts,
            "generic-json",
        );
        for r in self.head.drain(..) {
            p.build(&r, &mut self.out);
        }
        self.plan = Some(p);
    }

    fn finish(mut self) -> Parsed {
        if self.plan.is_none() {
            self.plan_now();
        }
        let mut out = self.out;
        if self.count == 0 && out.skipped.is_empty() {
            out.note = Some("no records".to_string());
        }
        out.skipped.sort_by_key(|s| s.source.line);
        out.warnings.sort_by_key(|s| s.source.line);
        out
    }
}

/// Reads the elements of the array whose `[` is next, one at a time. Stops
/// at the first syntax error, returning it.
fn read_array<R: BufRead>(
    sc: &mut Scanner<R>,
    recs: &mut Records<'_>,
    mut sink: Option<&mut Sink<'_>>,
) -> crate::error::Result<Option<JsonError>> {
    let path = recs.path;
    sc.at.tee = None;
    sc.bump();
    sc.skip_ws();
    let mut row = 0u64;
    let mut value = Vec::new();
    loop {
        match sc.peek() {
            None => {
                let e = JsonError::new(
                    sc.at.last_line(),
                    "invalid JSON: the array is not closed (file truncated?)",
                );
                let start = sc.at.last_line() + 1 - value.split(|&c| c == b'\n').count() as u64;
                return Ok(Some(with_text(sc, e, &value, start)));
            }
            Some(b']') => return Ok(None),
            _ => {}
        }
        row += 1;
        let line = sc.at.line;
        value.clear();
        let whole = sc.take_value(&mut value, MAX_RECORD_BYTES);
        if !whole {
            recs.out.skip(
                source_at(path, line, row),
                format!(
                    "record longer than {} MiB: not read",
                    MAX_RECORD_BYTES >> 20
                ),
            );
        } else {
            let (text, repaired) = decode_bytes(&value);
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(object)) => recs.push(
                    JsonRecord {
                        line,
                        row,
                        object,
                        repaired,
                        raw: text.into_owned(),
                    },
                    sink.as_deref_mut(),
                )?,
                Ok(_) => recs
                    .out
                    .skip_raw(source_at(path, line, row), "not a JSON object", text),
                Err(e) => {
                    let e = JsonError::serde(line, &e);
                    return Ok(Some(with_text(sc, e, &value, line)));
                }
            }
        }
        sc.skip_ws();
        match sc.peek() {
            Some(b',') => {
                sc.bump();
                sc.skip_ws();
            }
            Some(b']') => return Ok(None),
            None => continue,
            Some(_) => {
                let e = JsonError::new(
                    sc.at.line,
                    "invalid JSON: expected ',' or ']' between records",
                );
                return Ok(Some(with_text(sc, e, &[], 0)));
            }
        }
    }
}

/// A syntax error with the text of its line, taken while the scanner is
/// still at the error (`value`, which started on line `start`, is the
/// value being read).
fn with_text<R: BufRead>(
    sc: &mut Scanner<R>,
    mut e: JsonError,
    value: &[u8],
    start: u64,
) -> JsonError {
    e.text = sc.line_text(e.line, value, start);
    e
}

/// Reads a `.json` export from a stream of UTF-8 text (already decoded),
/// record by record: an array of objects, an object holding one under a
/// wrapper key, a single object, or (misnamed) JSON Lines. With a `sink`,
/// documents are handed to it every [`SINK_DOCUMENTS`] records; an error
/// from the sink stops the read and is returned.
pub(crate) fn read_json(
    path: &str,
    input: impl Read,
    opts: &IngestOptions,
    mut sink: Option<&mut Sink<'_>>,
) -> crate::error::Result<Parsed> {
    let mut sc = Scanner::new(BufReader::with_capacity(FEED_CHUNK, input));
    let mut recs = Records {
        path,
        opts,
        out: Parsed::new(detect_kind(&[], path).unwrap_or(SourceKind::Ticket)),
        head: Vec::new(),
        head_bytes: 0,
        plan: None,
        count: 0,
    };
    sc.skip_ws();
    let error = match sc.peek() {
        None => None,
        Some(b'[') => read_array(&mut sc, &mut recs, sink.as_deref_mut())?,
        Some(b'{') => {
            let p = sc.at.tee.as_ref().map_or(0, Vec::len);
            let mut scratch = Vec::new();
            match find_wrapped_array(&mut sc, 0, &mut scratch) {
                Ok(Top::Array) => read_array(&mut sc, &mut recs, sink.as_deref_mut())?,
                Ok(Top::Object) => {
                    sc.skip_ws();
                    let tee = sc.at.tee.take().unwrap_or_default();
                    if sc.peek() == Some(b'{') {
                        // JSON Lines in a `.json` file: read it from the start.
                        let again = std::io::Cursor::new(tee).chain(sc.r);
                        return read_jsonl(path, again, opts, sink);
                    }
                    single_object(&tee, p, &mut recs, sink)?
                }
                Err(e) => Some(with_text(&mut sc, e, &[], 0)),
            }
        }
        Some(_) => {
            let e = JsonError::new(
                sc.at.line,
                "invalid JSON: expected an array of records or an object",
            );
            Some(with_text(&mut sc, e, &[], 0))
        }
    };
    if let Some(e) = sc.error.take() {
        recs.out.skip(
            source_at(path, sc.at.line, 0),
            format!("cannot read file: {e}"),
        );
    }
    if let Some(e) = error {
        report_error(e, &mut recs);
    }
    Ok(recs.finish())
}

/// The one object of a file that holds no records array: `tee` is the text
/// up to its end, the object starting at `p`.
fn single_object(
    tee: &[u8],
    p: usize,
    recs: &mut Records<'_>,
    sink: Option<&mut Sink<'_>>,
) -> crate::error::Result<Option<JsonError>> {
    let lines = Lines::new(tee);
    let (text, repaired) = decode_bytes(&tee[p.min(tee.len())..]);
    let mut it = serde_json::Deserializer::from_str(&text).into_iter::<Map<String, Value>>();
    match it.next() {
        Some(Ok(object)) => {
            let after = it.byte_offset();
            let raw = text[..after].to_string();
            recs.push(
                JsonRecord {
                    line: lines.of(p),
                    row: 1,
                    object,
                    repaired,
                    raw,
                },
                sink,
            )?;
            Ok(None)
        }
        Some(Err(e)) => {
            let line = lines.of(p) + e.line().saturating_sub(1) as u64;
            let text = String::from_utf8_lossy(tee)
                .split('\n')
                .nth(line.saturating_sub(1) as usize)
                .unwrap_or_default()
                .trim_end_matches('\r')
                .to_string();
            Ok(Some(JsonError {
                line,
                reason: format!("invalid JSON: {}", json_message(&e)),
                text,
            }))
        }
        None => Ok(Some(JsonError::new(
            lines.of(p),
            "invalid JSON: unexpected end of file",
        ))),
    }
}

/// The syntax error as one skip at its line, saying how many records
/// before it were kept.
fn report_error(e: JsonError, recs: &mut Records<'_>) {
    let reason = if recs.count == 0 {
        e.reason
    } else {
        format!(
            "{}; kept the {} records before it, the rest of the file was not read",
            e.reason, recs.count
        )
    };
    recs.out.skip_raw(
        SourceRef {
            path: recs.path.to_string(),
            line: e.line,
            row: None,
            timestamp: None,
        },
        reason,
        e.text,
    );
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
