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
use std::io::Read;

/// The largest `document.xml` read (a guard against zip bombs).
const MAX_XML: u64 = 64 * 1024 * 1024;

/// Reads `word/document.xml` out of the archive.
fn document_xml(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a Word document (cannot open it as a zip archive: {e})"))?;
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|_| "not a Word document (no word/document.xml inside)".to_string())?;
    let mut xml = String::new();
    entry
        .take(MAX_XML)
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    Ok(xml)
}

/// The text of each paragraph, in document order (a paragraph nested in a
/// text box comes before the one holding it). Line breaks are `\n`, tabs
/// `\t`.
fn paragraphs(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut open: Vec<String> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    let mut in_text = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("invalid word/document.xml: {e}"))?;
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
    let mut out = Parsed::new(SourceKind::Interview);
    out.layout = "word-docx".to_string();
    let paras = match document_xml(bytes).and_then(|xml| paragraphs(&xml)) {
        Ok(p) => p,
        Err(reason) => {
            out.skip(at(path, 0), reason);
            return out;
        }
    };
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
        let p = paragraphs(xml).unwrap();
        assert_eq!(p, vec!["Ana\t0:03", "Fish & chips \u{2013} \ntwice", ""]);
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
