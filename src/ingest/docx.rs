//! Word transcripts (`.docx`).
//!
//! Consumes a `.docx` file (a zip archive); reads the paragraphs of its
//! `word/document.xml` (text runs `<w:t>`, line breaks `<w:br/>`, tabs
//! `<w:tab/>`) and produces one interview [`Document`](crate::model::Document)
//! with a turn per speaker, found as in `.txt` transcripts: `Name: text`
//! paragraphs, or a `Name  0:03` line with the text on the lines after it.
//! Turns cite the 1-based paragraph they start in (as `line`). Deleted text
//! of tracked changes is not read.

use super::transcript::{finish_document, turns_from_lines};
use super::{at, Parsed};
use crate::model::SourceKind;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{BufRead, BufReader, Read};

/// The most of `word/document.xml` read: a guard against zip bombs, not a
/// limit real transcripts meet. The XML is streamed (only the paragraphs'
/// text is kept, not the markup), so this costs no memory of its own; a
/// document over it is read up to it, with a warning naming its size.
const MAX_XML: u64 = 1 << 30;

/// What was read out of `word/document.xml`.
#[derive(Debug, Default)]
struct DocumentText {
    paragraphs: Vec<String>,
    /// The XML's size when it was over the limit and was read only up to it.
    cut: Option<u64>,
}

/// Streams `word/document.xml` out of the archive, reading at most `limit`
/// bytes of it.
fn document_text(bytes: &[u8], limit: u64) -> Result<DocumentText, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a Word document (cannot open it as a zip archive: {e})"))?;
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|_| "not a Word document (no word/document.xml inside)".to_string())?;
    let declared = entry.size();
    let mut capped = Capped {
        inner: entry,
        left: limit,
        hit: false,
    };
    let result = paragraphs(BufReader::with_capacity(64 << 10, &mut capped));
    match result {
        Ok(paragraphs) if !capped.hit => Ok(DocumentText {
            paragraphs,
            cut: None,
        }),
        // Cut at the limit: the text up to it is kept (a tag open at the
        // cut is the cut, not a broken file).
        Ok(paragraphs) | Err((paragraphs, _)) if capped.hit => Ok(DocumentText {
            paragraphs,
            cut: Some(declared.max(limit + 1)),
        }),
        Ok(_) => unreachable!("handled above"),
        Err((_, e)) => Err(e),
    }
}

/// A reader that gives at most `left` bytes and notes when there were more.
struct Capped<R> {
    inner: R,
    left: u64,
    hit: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more tells a file exactly at the limit from a longer one.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? > 0 {
                self.hit = true;
            }
            return Ok(0);
        }
        let want = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The text of each paragraph, in document order (a paragraph nested in a
/// text box comes before the one holding it). Line breaks are `\n`, tabs
/// `\t`. The XML is read event by event from `input`: memory holds the
/// text, never the markup. On a syntax error, the paragraphs read so far
/// come back with it.
fn paragraphs(input: impl BufRead) -> Result<Vec<String>, (Vec<String>, String)> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    let mut in_text = false;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                done.extend(open);
                return Err((done, format!("invalid word/document.xml: {e}")));
            }
        };
        let push = |open: &mut Vec<String>, s: &str| {
            if let Some(p) = open.last_mut() {
                p.push_str(s);
            }
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "p" => open.push(String::new()),
                "t" => in_text = true,
                "tab" => push(&mut open, "\t"),
                "br" | "cr" => push(&mut open, "\n"),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "p" => done.push(String::new()),
                "tab" => push(&mut open, "\t"),
                "br" | "cr" => push(&mut open, "\n"),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "p" => done.extend(open.pop()),
                "t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => push(&mut open, &t.xml10_content()),
            Event::CData(t) if in_text => push(&mut open, &t),
            Event::GeneralRef(r) if in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    push(&mut open, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    done.extend(open);
    Ok(done)
}

/// Parses a Word transcript.
///
/// Layout `word-docx` follows the transcripts Microsoft Teams downloads as
/// .docx (a paragraph `Speaker Name   0:03` with the words in the
/// paragraph or line after it; older ones have `0:0:5.100 --> 0:0:8.250`,
/// the name, then the words), Otter's Export → DOCX (`Speaker Name  0:03`
/// then the text) and hand-typed `Name: text` transcripts.
pub(crate) fn parse_docx(path: &str, bytes: &[u8]) -> Parsed {
    parse_docx_within(path, bytes, MAX_XML)
}

/// [`parse_docx`] reading at most `limit` bytes of `word/document.xml`.
fn parse_docx_within(path: &str, bytes: &[u8], limit: u64) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    out.layout = "word-docx".to_string();
    let doc = match document_text(bytes, limit) {
        Ok(d) => d,
        Err(reason) => {
            out.skip(at(path, 0), reason);
            return out;
        }
    };
    if let Some(size) = doc.cut {
        out.warn(
            at(path, doc.paragraphs.len() as u64),
            format!(
                "word/document.xml is {} MiB, over the {} MiB read from one Word document: read its first {} paragraphs only",
                size.div_ceil(1 << 20),
                limit >> 20,
                doc.paragraphs.len()
            ),
        );
    }
    let paras = doc.paragraphs;
    if paras.iter().all(|p| p.trim().is_empty()) {
        out.note = Some("empty document".to_string());
        return out;
    }
    let lines = paras
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.split('\n').map(move |l| (i as u64 + 1, l)));
    let found = turns_from_lines(path, lines);
    finish_document(path, found.turns, found.date, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    #[test]
    fn paragraphs_runs_breaks_and_entities() {
        let xml = r#"<?xml version="1.0"?>
<w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>Ana</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">0:03</w:t></w:r></w:p>
<w:p><w:r><w:t>Fish &amp; chips &#8211; </w:t><w:br/><w:t>twice</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>
<w:p/>
</w:body></w:document>"#;
        let p = paragraphs(xml.as_bytes()).unwrap();
        assert_eq!(p, vec!["Ana\t0:03", "Fish & chips \u{2013} \ntwice", ""]);
    }

    /// A `.docx` whose `word/document.xml` holds `paragraphs` of roughly
    /// `para_bytes` of markup each, numbered, alternating two speakers.
    fn docx_of(paragraphs: usize, para_bytes: usize) -> Vec<u8> {
        use std::io::Write;
        let filler = "<w:r><w:rPr><w:rFonts w:ascii=\"Calibri\"/><w:sz w:val=\"22\"/></w:rPr><w:t xml:space=\"preserve\"> and the invoice was wrong again</w:t></w:r>";
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
        for i in 1..=paragraphs {
            let who = if i % 2 == 1 { "Interviewer" } else { "Ana" };
            xml.push_str(&format!("<w:p><w:r><w:t>{who}: paragraph {i}</w:t></w:r>"));
            let start = xml.len();
            while xml.len() - start < para_bytes {
                xml.push_str(filler);
            }
            xml.push_str("</w:p>");
        }
        xml.push_str(
            "<w:p><w:r><w:t>Ana: the last paragraph.</w:t></w:r></w:p></w:body></w:document>",
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(xml.len() > u32::MAX as usize);
        zip.start_file("word/document.xml", o).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    /// Issue 16: a `document.xml` over 64 MiB lost its last paragraph with
    /// no warning (cut at 64 MiB), and at 70 MB the file was skipped as
    /// "syntax error: tag not closed". It is streamed now and read whole.
    #[test]
    fn a_document_xml_over_64_mib_is_read_whole() {
        let bytes = docx_of(9_000, 8 << 10);
        let p = parse_docx("big.docx", &bytes);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let d = &p.documents[0];
        let last = d.turns.last().unwrap();
        assert!(
            last.text.ends_with("the last paragraph."),
            "{}",
            &last.text[..80]
        );
        assert_eq!(last.source.line, 9_001);
        assert!(d
            .turns
            .iter()
            .any(|t| t.text.starts_with("paragraph 8999 ")));
    }

    /// Past the zip-bomb guard the text up to it is kept, and a warning
    /// names the size and the limit (at the paragraph where it stopped).
    #[test]
    fn a_document_xml_over_the_limit_is_read_up_to_it_with_a_warning() {
        let bytes = docx_of(300, 10 << 10);
        let p = parse_docx_within("corpus/huge.docx", &bytes, 1 << 20);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        let w = &p.warnings[0];
        assert_eq!(w.source.path, "corpus/huge.docx");
        assert!(
            w.reason.starts_with("word/document.xml is 3 MiB, over the 1 MiB read from one Word document: read its first "),
            "{}",
            w.reason
        );
        let turns = &p.documents[0].turns;
        assert!((90..110).contains(&turns.len()), "{}", turns.len());
        assert!(!turns.iter().any(|t| t.text.contains("last paragraph")));
        // The same file within the limit is read whole, without a warning.
        let p = parse_docx_within("corpus/huge.docx", &bytes, 8 << 20);
        assert!(p.warnings.is_empty());
        assert!(p.documents[0]
            .turns
            .last()
            .unwrap()
            .text
            .contains("last paragraph"));
    }

    #[test]
    fn not_a_zip_is_one_skip() {
        let p = parse_docx("x.docx", b"PK\x03\x04 not really");
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].reason.starts_with("not a Word document"));
        let p = parse_docx("x.docx", b"");
        assert_eq!(p.skipped.len(), 1);
    }

    #[test]
    fn timing_lines_then_bare_names() {
        let lines = [
            (1, "Interview with Bo"),
            (2, "0:0:5.100 --> 0:0:8.250"),
            (3, "Sam Lee (Researcher)"),
            (4, "How do you pay?"),
            (5, "0:0:8.500 --> 0:0:10.300"),
            (6, "Bo Sand"),
            (7, "By card."),
        ];
        let mut found = turns_from_lines("t.docx", lines);
        let who: Vec<_> = found
            .turns
            .iter()
            .map(|t| (t.speaker.as_deref(), t.source.line, t.text.as_str()))
            .collect();
        assert_eq!(
            who,
            vec![
                (Some("Sam Lee (Researcher)"), 3, "How do you pay?"),
                (Some("Bo Sand"), 6, "By card."),
            ]
        );
        assert_eq!(
            found.turns[1].source.timestamp.as_deref(),
            Some("00:00:08.500")
        );
        let (customer, _) = crate::ingest::transcript::assign_roles(
            "t.docx",
            &mut found.turns,
            crate::ingest::transcript::Known::default(),
        );
        assert_eq!(found.turns[0].role, Role::Interviewer);
        assert_eq!(customer.as_deref(), Some("Bo Sand"));
    }
}
