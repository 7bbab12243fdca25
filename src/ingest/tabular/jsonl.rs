//! `.jsonl` / `.ndjson` exports: consumes a stream of UTF-8 text, one
//! object per line; produces a [`Parsed`] line by line, skipping a bad line
//! with its line number and handing documents to a sink as it goes.

use super::json::{json_message, source_at, JsonRecord};
use super::json_plan::JsonPlan;
use super::kind::detect_kind;
use super::{FEED_CHUNK, HEAD_BYTES, MAX_RECORD_BYTES, SINK_DOCUMENTS};
use crate::ingest::fields::{decode_bytes, normalize_bytes};
use crate::ingest::options::IngestOptions;
use crate::ingest::{Parsed, Sink};
use crate::model::SourceKind;
use serde_json::Value;
use std::io::Read;

/// Parses JSON Lines: one object per line; a bad line is skipped with its
/// line number; a non-UTF-8 line is decoded as Windows-1252 with a warning.
#[cfg(test)]
pub(crate) fn parse_jsonl(path: &str, bytes: &[u8]) -> Parsed {
    parse_jsonl_with(path, bytes, &IngestOptions::default())
}

/// [`parse_jsonl`] with overrides: a forced kind, a mapping of fields to keys.
pub(crate) fn parse_jsonl_with(path: &str, bytes: &[u8], opts: &IngestOptions) -> Parsed {
    let data = normalize_bytes(bytes);
    read_jsonl(path, &data[..], opts, None)
        .unwrap_or_else(|_| unreachable!("no sink, so no sink error"))
}

/// Reads one line into `buf` (without its `\n`), keeping at most
/// [`MAX_RECORD_BYTES`] of it. Returns `None` at the end of the stream, else
/// whether the line was cut.
fn read_line_capped(
    r: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut any = false;
    let mut cut = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any.then_some(cut));
        }
        any = true;
        let (piece, used, done) = match chunk.iter().position(|&c| c == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        let room = MAX_RECORD_BYTES.saturating_sub(buf.len());
        cut |= piece.len() > room;
        buf.extend_from_slice(&piece[..piece.len().min(room)]);
        r.consume(used);
        if done {
            return Ok(Some(cut));
        }
    }
}

/// Reads JSON Lines from a stream of UTF-8 text (already decoded), line by
/// line: the records of the first [`HEAD_BYTES`] decide the file's kind and
/// columns, then every record becomes a document as it is read. With a
/// `sink`, documents are handed to it every [`SINK_DOCUMENTS`] records; an
/// error from the sink stops the read and is returned.
pub(crate) fn read_jsonl(
    path: &str,
    input: impl Read,
    opts: &IngestOptions,
    mut sink: Option<&mut Sink<'_>>,
) -> crate::error::Result<Parsed> {
    let mut reader = std::io::BufReader::with_capacity(FEED_CHUNK, input);
    let mut out = Parsed::new(detect_kind(&[], path).unwrap_or(SourceKind::Ticket));
    let mut head: Vec<JsonRecord> = Vec::new();
    let mut head_bytes = 0usize;
    let mut plan: Option<JsonPlan> = None;
    let mut records = 0usize;
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut row = 0u64;
    loop {
        let cut = match read_line_capped(&mut reader, &mut buf) {
            Ok(Some(cut)) => cut,
            Ok(None) => break,
            Err(e) => {
                out.skip(
                    source_at(path, line + 1, row + 1),
                    format!("cannot read file: {e}"),
                );
                break;
            }
        };
        line += 1;
        head_bytes += buf.len() + 1;
        let raw = buf.trim_ascii();
        if raw.is_empty() && !cut {
            continue;
        }
        row += 1;
        if cut {
            out.skip(
                source_at(path, line, row),
                format!("line longer than {} MiB: not read", MAX_RECORD_BYTES >> 20),
            );
            continue;
        }
        let (s, repaired) = decode_bytes(raw);
        let record = match serde_json::from_str::<Value>(&s) {
            Ok(Value::Object(object)) => JsonRecord {
                line,
                row,
                object,
                repaired,
                raw: s.into_owned(),
            },
            Ok(_) => {
                out.skip_raw(
                    source_at(path, line, row),
                    "not a JSON object",
                    s.into_owned(),
                );
                continue;
            }
            Err(e) => {
                let reason = format!(
                    "invalid JSON at column {}: {}",
                    e.column(),
                    json_message(&e)
                );
                out.skip_raw(source_at(path, line, row), reason, s.into_owned());
                continue;
            }
        };
        records += 1;
        match plan.as_mut() {
            Some(p) => p.build(&record, &mut out),
            None => {
                head.push(record);
                if head_bytes > HEAD_BYTES {
                    let mut p = JsonPlan::new(path, &head, &mut out, opts, "generic-jsonl");
                    for r in head.drain(..) {
                        p.build(&r, &mut out);
                    }
                    plan = Some(p);
                }
            }
        }
        if let Some(sink) = sink.as_deref_mut() {
            if out.documents.len() >= SINK_DOCUMENTS {
                sink(&mut out)?;
            }
        }
    }
    if plan.is_none() {
        let mut p = JsonPlan::new(path, &head, &mut out, opts, "generic-jsonl");
        for r in head.drain(..) {
            p.build(&r, &mut out);
        }
    }
    if records == 0 && out.skipped.is_empty() {
        out.note = Some("no records".to_string());
    }
    out.skipped.sort_by_key(|s| s.source.line);
    out.warnings.sort_by_key(|s| s.source.line);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_skips_a_truncated_line_and_keeps_the_rest() {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(
            b"{\"id\": \"t1\", \"handle\": \"@mia\", \"text\": \"Love the new editor \xe2\x9c\xa8\", \"likes\": 12, \"created_at\": 1772531200}\n",
        );
        bytes.extend_from_slice(
            b"\n{\"id\": \"t2\", \"handle\": \"@raj\", \"text\": \"Sync is bro\n",
        );
        bytes.extend_from_slice(b"{\"id\": \"t3\", \"user\": {\"screen_name\": \"lea\"}, \"text\": \"Caf\xe9 wifi kills the app\", \"platform\": \"Twitter\"}\n");
        bytes.extend_from_slice(b"[1, 2]\n");
        let p = parse_jsonl("social/x.jsonl", &bytes);
        assert_eq!(p.kind, SourceKind::Social);
        assert_eq!(p.documents.len(), 2);
        let d = &p.documents;
        assert_eq!((d[0].source.line, d[0].source.row), (1, Some(1)));
        assert_eq!((d[1].source.line, d[1].source.row), (4, Some(3)));
        assert_eq!(d[0].customer.as_deref(), Some("@mia"));
        assert!(d[0].date.is_some());
        assert_eq!(d[1].turns[0].text, "Café wifi kills the app");
        assert_eq!(d[1].customer.as_deref(), Some("lea"));
        assert_eq!(d[1].channel.as_deref(), Some("twitter"));
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.skipped[0].source.line, 3);
        assert!(
            p.skipped[0].reason.starts_with("invalid JSON"),
            "{}",
            p.skipped[0].reason
        );
        assert_eq!(p.skipped[1].reason, "not a JSON object");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 4);
    }
}
