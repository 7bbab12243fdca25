//! The streaming CSV / TSV reader: consumes a stream of UTF-8 text and
//! [`Limits`] on its buffers; produces a [`Parsed`] record by record,
//! holding only the head (to detect the layout) and one record in memory,
//! and handing documents to a sink as it goes.

use super::columns::Columns;
use super::delimited::{
    csv_reader, first_line, quotes_well_formed, sample_rows, scan_quotes, sniff_delimiter,
};
use super::header;
use super::kind::detect_kind;
use super::record::{build_record, fallback_kind, has_text_columns, no_text_reason, Ctx};
use super::{normalize_column, FEED_CHUNK, HEAD_BYTES, MAX_RECORD_BYTES, SINK_DOCUMENTS};
use crate::ingest::fields::decode_bytes;
use crate::ingest::options::IngestOptions;
use crate::ingest::vendors;
use crate::ingest::{Parsed, Sink};
use crate::model::{SourceKind, SourceRef};
use std::io::Read;

/// The buffer sizes of a streaming CSV read (small in tests, to cross
/// chunk boundaries everywhere).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub head: usize,
    pub chunk: usize,
    pub max_record: usize,
}

impl Limits {
    pub(crate) const DEFAULT: Limits = Limits {
        head: HEAD_BYTES,
        chunk: FEED_CHUNK,
        max_record: MAX_RECORD_BYTES,
    };
}

/// Reads the start of a stream: up to [`HEAD_BYTES`], and whether more
/// follows. An I/O error ends the head early and is returned with it.
fn read_head(input: &mut impl Read, limit: usize) -> (Vec<u8>, bool, Option<std::io::Error>) {
    let mut head = Vec::new();
    let mut limited = input.take(limit as u64 + 1);
    let err = limited.read_to_end(&mut head).err();
    let more = head.len() > limit;
    (head, more, err)
}

/// The bytes of a stream, fed to a parser in chunks; bytes can be pushed
/// back to be read again (a CSV reader resuming after a bad record).
struct Feed<R> {
    buf: Vec<u8>,
    pos: usize,
    chunk: usize,
    src: R,
    eof: bool,
    err: Option<std::io::Error>,
}

impl<R: Read> Feed<R> {
    fn new(head: Vec<u8>, src: R, chunk: usize, eof: bool, err: Option<std::io::Error>) -> Feed<R> {
        Feed {
            buf: head,
            pos: 0,
            chunk,
            src,
            eof: eof || err.is_some(),
            err,
        }
    }

    /// The next unread bytes; empty only at the end of the stream.
    fn available(&mut self) -> &[u8] {
        if self.pos == self.buf.len() && !self.eof {
            self.buf.clear();
            self.buf.resize(self.chunk, 0);
            self.pos = 0;
            let n = loop {
                match self.src.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.err = Some(e);
                        break 0;
                    }
                }
            };
            self.buf.truncate(n);
            self.eof = n == 0;
        }
        &self.buf[self.pos..]
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
    }

    /// Puts `bytes` before the unread bytes.
    fn push_front(&mut self, bytes: &[u8]) {
        let mut buf = Vec::with_capacity(bytes.len() + self.buf.len() - self.pos);
        buf.extend_from_slice(bytes);
        buf.extend_from_slice(&self.buf[self.pos..]);
        self.buf = buf;
        self.pos = 0;
    }

    /// Drops bytes up to and including the next line break; false if the
    /// stream ended first.
    fn skip_line(&mut self) -> bool {
        loop {
            let b = self.available();
            if b.is_empty() {
                return false;
            }
            if let Some(i) = b.iter().position(|&c| c == b'\n') {
                self.consume(i + 1);
                return true;
            }
            let n = b.len();
            self.consume(n);
        }
    }
}

/// Reads a CSV or TSV export from a stream of UTF-8 text (already decoded),
/// record by record: memory holds the first [`HEAD_BYTES`] (to detect the
/// layout) and one record at a time, whatever the file's size. With a
/// `sink`, documents are handed to it every [`SINK_DOCUMENTS`] records; an
/// error from the sink stops the read and is returned.
pub(crate) fn read_delimited(
    path: &str,
    input: impl Read,
    delimiter: Option<u8>,
    opts: &IngestOptions,
    sink: Option<&mut Sink<'_>>,
) -> crate::error::Result<Parsed> {
    read_delimited_in(path, input, delimiter, opts, sink, Limits::DEFAULT)
}

/// [`read_delimited`] with the given buffer sizes.
pub(crate) fn read_delimited_in(
    path: &str,
    mut input: impl Read,
    delimiter: Option<u8>,
    opts: &IngestOptions,
    mut sink: Option<&mut Sink<'_>>,
    limits: Limits,
) -> crate::error::Result<Parsed> {
    let (head, more, head_err) = read_head(&mut input, limits.head);
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&head));
    let generic = if delimiter == b'\t' {
        "generic-tsv"
    } else {
        "generic-csv"
    };
    // The layout is judged on whole records: drop a record cut by the end
    // of the head.
    let sample_data: &[u8] = if more {
        head.iter()
            .rposition(|&c| c == b'\n')
            .map_or(&head[..], |i| &head[..=i])
    } else {
        &head
    };

    let mut rdr = csv_reader(sample_data, delimiter);
    let mut record = csv::ByteRecord::new();
    let header_ok = matches!(rdr.read_byte_record(&mut record), Ok(true));
    if !header_ok {
        let kind = opts
            .kind
            .or_else(|| detect_kind(&[], path))
            .unwrap_or(SourceKind::Ticket);
        let mut out = Parsed::new(kind);
        out.layout = generic.to_string();
        out.note = Some("empty file".to_string());
        if let Some(e) = head_err {
            out.skip(crate::ingest::at(path, 0), format!("cannot read file: {e}"));
        }
        return Ok(out);
    }
    let decode_row = |r: &csv::ByteRecord| -> Vec<String> {
        r.iter()
            .map(|f| decode_bytes(f).0.trim().to_string())
            .collect()
    };
    let mut names = decode_row(&record);

    // SurveyMonkey writes a second header row under the questions;
    // Qualtrics a second and a third; other sheets may have a row of
    // sub-labels under merged titles.
    let mut sub: Option<vendors::SubHeader> = None;
    let mut header_rows = 1;
    let mut merged_header = false;
    if let Ok(true) = rdr.read_byte_record(&mut record) {
        let second = decode_row(&record);
        if let Some((merged, open)) = vendors::surveymonkey_headers(&names, &second) {
            names = merged;
            sub = Some(vendors::SubHeader::SurveyMonkey(open));
            header_rows = 2;
        } else {
            let third = match rdr.read_byte_record(&mut record) {
                Ok(true) => Some(decode_row(&record)),
                _ => None,
            };
            if let Some((merged, open, rows)) =
                vendors::qualtrics_headers(&names, &second, third.as_deref())
            {
                names = merged;
                sub = Some(vendors::SubHeader::Qualtrics(open));
                header_rows = rows;
            } else if let Some(merged) =
                header::second_header_row(&names, &second, third.as_deref())
            {
                names = merged;
                header_rows = 2;
                merged_header = true;
            }
        }
    }
    drop(rdr);
    let normalized: Vec<String> = names.iter().map(|n| normalize_column(n)).collect();
    let sample = sample_rows(sample_data, delimiter, header_rows);
    let plan = vendors::detect_csv(&names, &normalized, sub.as_ref(), &sample);
    drop(sample);
    let mut cols = Columns::new(&normalized);
    if let Some(plan) = &plan {
        cols.apply_plan(plan);
    }
    let mapped = cols.apply_mapping(&names, &normalized, &opts.mapping, true);
    let kind = opts
        .kind
        .or(plan.as_ref().map(|p| p.kind))
        .or_else(|| detect_kind(&names, path))
        .unwrap_or_else(|| fallback_kind(&cols));
    let mut out = Parsed::new(kind);
    out.layout = plan.as_ref().map_or(generic, |p| p.layout).to_string();
    out.columns = cols.describe(&names, plan.as_ref());
    if merged_header {
        out.warn(
            crate::ingest::at(path, 2),
            "a second header row (labels under merged titles): read into the column \
             names, not as a record",
        );
    }
    let header_src = SourceRef {
        path: path.to_string(),
        line: 1,
        row: None,
        timestamp: None,
    };
    if let Err(reason) = mapped {
        out.skip(header_src, reason);
        return Ok(out);
    }
    if !has_text_columns(&cols, kind, plan.as_ref()) {
        out.skip(header_src, no_text_reason(&names));
        return Ok(out);
    }
    let expected = names.len();
    let mut ctx = Ctx::new(path, kind, &normalized, true);
    if let Some(plan) = &plan {
        ctx = ctx.with_plan(plan, &cols, &names);
    }

    let mut feed = Feed::new(head, input, limits.chunk, !more, head_err);
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // The record being read: its raw bytes (from the end of the previous
    // record, so leading line breaks included), its unescaped fields and
    // their ends.
    let mut span: Vec<u8> = Vec::new();
    let mut fields = vec![0u8; 16 * 1024];
    let mut ends = vec![0usize; 64];
    let (mut n_out, mut n_ends) = (0usize, 0usize);
    // The line the first byte of `span` is on.
    let mut line_next = 1u64;
    let mut headers_left = header_rows;
    let mut row = 0u64;

    loop {
        let input = feed.available();
        let (result, n_in, nout, nend) =
            core.read_record(input, &mut fields[n_out..], &mut ends[n_ends..]);
        span.extend_from_slice(&input[..n_in]);
        feed.consume(n_in);
        n_out += nout;
        n_ends += nend;
        match result {
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::OutputFull => {
                let len = fields.len() * 2;
                fields.resize(len, 0);
            }
            csv_core::ReadRecordResult::OutputEndsFull => {
                let len = ends.len() * 2;
                ends.resize(len, 0);
            }
            csv_core::ReadRecordResult::End => break,
            csv_core::ReadRecordResult::Record => {}
        }
        if result != csv_core::ReadRecordResult::Record {
            if span.len() > limits.max_record {
                // A quote left open at the top of a big file would read the
                // rest of it as one record: give up on it here.
                let mut start = 0;
                let mut line = line_next;
                while let Some(&b) = span.get(start).filter(|b| matches!(b, b'\r' | b'\n')) {
                    line += u64::from(b == b'\n');
                    start += 1;
                }
                row += 1;
                let reason = format!(
                    "record longer than {} bytes (an unbalanced quote?)",
                    limits.max_record
                );
                out.skip_raw(ctx.source(line, row), reason, first_line(&span[start..]));
                match span[start..].iter().position(|&c| c == b'\n') {
                    Some(nl) => feed.push_front(&span[start + nl + 1..]),
                    None => {
                        if !feed.skip_line() {
                            break;
                        }
                    }
                }
                line_next = line + 1;
                core.reset();
                span.clear();
                (n_out, n_ends) = (0, 0);
            }
            continue;
        }

        // A whole record: where it starts (after the CRLF's `\n` or blank
        // lines before it) and ends.
        let mut start = 0usize;
        let mut line = line_next;
        while let Some(&b) = span.get(start).filter(|b| matches!(b, b'\r' | b'\n')) {
            line += u64::from(b == b'\n');
            start += 1;
        }
        let body = &span[start..];
        let body = body.strip_suffix(b"\n").unwrap_or(body);
        let end_line = line + body.iter().filter(|&&b| b == b'\n').count() as u64;
        let record: Vec<&[u8]> = (0..n_ends)
            .map(|i| &fields[if i == 0 { 0 } else { ends[i - 1] }..ends[i]])
            .collect();
        let mut next_line = line_next + span.iter().filter(|&&b| b == b'\n').count() as u64;
        let mut resume: Option<usize> = None;

        'record: {
            if headers_left > 0 {
                headers_left -= 1;
                break 'record;
            }
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                break 'record; // a line of bare delimiters: not a record
            }
            row += 1;
            let n = record.len();
            let mut warnings = Vec::new();
            let multi_line = end_line > line;
            let malformed = multi_line && !quotes_well_formed(body, delimiter);
            if n != expected || malformed {
                if multi_line {
                    let what = if n != expected {
                        format!("has {n} fields, expected {expected}")
                    } else {
                        "a quoted field closes in the middle of a value".to_string()
                    };
                    out.skip_raw(
                        ctx.source(line, row),
                        format!(
                            "unbalanced quote: record spans lines {line}–{end_line} and {what}"
                        ),
                        first_line(body),
                    );
                    // Resume on the line after the one the record started on.
                    resume = body
                        .iter()
                        .position(|&b| b == b'\n')
                        .map(|nl| start + nl + 1);
                    next_line = line + 1;
                    break 'record;
                }
                let extra_filled = record
                    .iter()
                    .skip(expected)
                    .any(|f| !f.trim_ascii().is_empty());
                if n > expected && extra_filled {
                    out.skip_raw(
                        ctx.source(line, row),
                        format!(
                            "record has {n} fields, expected {expected} (an unquoted delimiter \
                             inside a field?)"
                        ),
                        decode_bytes(body.strip_suffix(b"\r").unwrap_or(body))
                            .0
                            .into_owned(),
                    );
                    break 'record;
                }
                if n < expected && !scan_quotes(body, delimiter).open {
                    warnings.push(format!(
                        "record has {n} fields, expected {expected}; the missing ones were left empty"
                    ));
                }
            }
            if scan_quotes(body, delimiter).open {
                // Only the last record of a file can: an open quote anywhere
                // else runs on over the next lines.
                let missing = if n < expected {
                    format!("; record has {n} fields, expected {expected}, the missing ones were left empty")
                } else {
                    String::new()
                };
                warnings.push(format!(
                    "the file ends inside a quoted field (a cut-off export?){missing}"
                ));
            }
            let mut values: Vec<Option<String>> = Vec::with_capacity(expected);
            for (i, field) in record.iter().take(expected).enumerate() {
                let (text, repaired) = decode_bytes(field);
                if repaired {
                    let column = names.get(i).map_or("?", String::as_str);
                    warnings.push(format!(
                        "non-UTF-8 bytes in column '{column}' decoded as Windows-1252"
                    ));
                }
                // A quoted field of a CRLF file keeps its `\r\n`s: make them `\n`.
                let text = if text.contains('\r') {
                    text.replace("\r\n", "\n")
                } else {
                    text.into_owned()
                };
                values.push(Some(text));
            }
            values.resize(expected, None);
            let skipped_before = out.skipped.len();
            build_record(&mut ctx, &cols, &values, line, row, warnings, &mut out);
            if out.skipped.len() > skipped_before {
                let private = plan.as_ref().map_or(&[][..], |p| &p.private[..]);
                let text = if private.is_empty() {
                    decode_bytes(body.strip_suffix(b"\r").unwrap_or(body))
                        .0
                        .replace("\r\n", "\n")
                } else {
                    without_private(&values, private, delimiter)
                };
                out.attach_raw(text);
            }
        }
        drop(record);
        if let Some(at) = resume {
            feed.push_front(&span[at..]);
            core.reset();
        }
        line_next = next_line;
        span.clear();
        (n_out, n_ends) = (0, 0);
        if let Some(sink) = sink.as_deref_mut() {
            if out.documents.len() >= SINK_DOCUMENTS {
                sink(&mut out)?;
            }
        }
    }
    if let Some(e) = feed.err.take() {
        out.skip(
            ctx.source(line_next, row + 1),
            format!("cannot read file: {e}"),
        );
    }
    if row == 0 && out.skipped.is_empty() {
        out.note = Some("header only: no records".to_string());
    }
    Ok(out)
}

/// A record's fields written back as a line, the `private` ones empty: the
/// raw text of a skipped record of a layout that never reads them.
fn without_private(values: &[Option<String>], private: &[usize], delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let fields = values.iter().enumerate().map(|(i, v)| match v {
        Some(v) if !private.contains(&i) => v.as_str(),
        _ => "",
    });
    // Writing to a Vec cannot fail.
    let _ = w.write_record(fields);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::tabular::delimited::parse_delimited;

    /// Records written by the csv crate (quotes, commas, line breaks in the
    /// body) read back with the same bodies, rows and first lines, read whole
    /// or streamed through tiny buffers.
    mod round_trip {
        use super::*;
        use proptest::prelude::*;

        fn streamed(data: &[u8], head: usize, chunk: usize) -> Parsed {
            let limits = Limits {
                head,
                chunk,
                max_record: 1 << 20,
            };
            let opts = IngestOptions::default();
            read_delimited_in("r.csv", data, None, &opts, None, limits).unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            #[test]
            fn csv_records_round_trip(
                bodies in prop::collection::vec("[a-z][a-zA-Z0-9 ,;\"\n]{0,40}", 1..25),
                crlf in any::<bool>(),
                head in 0usize..40,
                chunk in 1usize..9,
            ) {
                let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
                let mut w = csv::WriterBuilder::new().terminator(terminator).from_writer(vec![]);
                w.write_record(["id", "body", "rating"]).unwrap();
                for (i, b) in bodies.iter().enumerate() {
                    w.write_record([(i + 1).to_string().as_str(), b, "4"]).unwrap();
                }
                let data = w.into_inner().unwrap();
                let whole = parse_delimited("r.csv", &data, None);
                prop_assert!(whole.skipped.is_empty(), "{:?}", whole.skipped);
                prop_assert_eq!(whole.documents.len(), bodies.len());
                let mut line = 2;
                for (i, (d, b)) in whole.documents.iter().zip(&bodies).enumerate() {
                    prop_assert_eq!(d.turns[0].text.as_str(), b.trim());
                    prop_assert_eq!(d.source.row, Some(i as u64 + 1));
                    prop_assert_eq!(d.source.line, line);
                    line += 1 + b.matches('\n').count() as u64;
                }
                let s = streamed(&data, "id,body,rating".len() + 1 + head, chunk);
                prop_assert_eq!(s.documents, whole.documents);
            }

            /// Broken files too: streaming through tiny buffers (records
            /// cut anywhere, resumes after an unbalanced quote crossing
            /// chunks) gives what reading whole gives.
            #[test]
            fn streaming_matches_reading_whole(
                lines in prop::collection::vec(
                    prop::collection::vec(
                        prop::sample::select(&["a", "b c", "\"", "\"\"", ",", "\r", " ", "é", "\u{e9}x"][..]),
                        0..8,
                    ).prop_map(|p| p.concat()),
                    0..30,
                ),
                head in 0usize..40,
                chunk in 1usize..9,
            ) {
                let mut data = String::from("id,body,rating\n");
                for (i, l) in lines.iter().enumerate() {
                    data.push_str(&format!("{i},{l},3\n"));
                }
                let whole = parse_delimited("r.csv", data.as_bytes(), None);
                let s = streamed(data.as_bytes(), "id,body,rating".len() + 1 + head, chunk);
                prop_assert_eq!(s.documents, whole.documents);
                prop_assert_eq!(s.skipped, whole.skipped);
                prop_assert_eq!(s.warnings, whole.warnings);
                prop_assert_eq!(s.raw, whole.raw);
            }
        }
    }

    #[test]
    fn a_quote_left_open_in_a_big_file_costs_one_line() {
        // The quote on line 3 never closes: past the record limit the reader
        // gives up on it and resumes on line 4.
        let mut csv = String::from("id,body\n1,ok\n2,\"open\n");
        for i in 3..200 {
            csv.push_str(&format!("{i},row {i}\n"));
        }
        let limits = Limits {
            head: 64,
            chunk: 16,
            max_record: 256,
        };
        let opts = IngestOptions::default();
        let p = read_delimited_in("r.csv", csv.as_bytes(), None, &opts, None, limits).unwrap();
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 3);
        assert!(p.skipped[0]
            .reason
            .starts_with("record longer than 256 bytes"));
        assert_eq!(p.raw[0].text, "2,\"open");
        assert_eq!(p.documents.len(), 198);
        assert_eq!(p.documents[1].source.line, 4);
    }
}
