//! Transcripts saved as PDF: consumes a `.pdf` file's bytes; extracts each
//! page's text (the `pdf-extract` crate), drops the page furniture (running
//! headers and footers repeated on most pages, bare page numbers, `Page 3
//! of 12`) and produces the interview document the `.txt` turn finder
//! reads from what is left.
//!
//! Lines are those of the extracted text, pages one after the other: a
//! citation's line is the line of that text (what `pdftotext -layout`
//! shows is close, not always the same). A PDF without a text layer (a
//! scan) is skipped with a reason that says so.

use super::transcript::{finish_document, speaker_only, turns_from_lines};
use super::{at, Parsed};
use crate::model::SourceKind;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A line that is only a page number: `3`, `- 3 -`, `Page 3`, `Page 3 of
/// 12`, `3 / 12`.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,4})?\s*$")
        .expect("valid regex")
});

/// `Page 3 of 12` (also `page 3/12`), wherever on the page.
static PAGE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*page\s+\d{1,4}\s*(?:of|/)\s*\d{1,4}\s*$").expect("valid regex")
});

/// How many lines at the top and at the bottom of a page can be furniture.
const EDGE: usize = 3;

/// A line with its digits made alike (`Page 3` ~ `Page 4`), for spotting
/// lines repeated page after page.
fn shape(line: &str) -> String {
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// The indexes of a page's first and last [`EDGE`] non-empty lines.
fn edges(lines: &[&str]) -> Vec<usize> {
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let mut out: Vec<usize> = filled.iter().take(EDGE).copied().collect();
    out.extend(filled.iter().rev().take(EDGE).copied());
    out.sort_unstable();
    out.dedup();
    out
}

/// The pages' lines, numbered through the whole text (pages one after the
/// other), without page furniture: a line at a page's top or bottom that
/// is a page number, or that recurs (digits aside) at the top or bottom of
/// at least two pages and half of them; `Page 3 of 12` anywhere. A bare
/// speaker label (`Participant:`) is never furniture, however often it
/// starts a page.
pub(crate) fn strip_page_furniture(pages: &[String]) -> Vec<(u64, String)> {
    let split: Vec<Vec<&str>> = pages.iter().map(|p| p.lines().collect()).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for lines in &split {
        let mut on_page: Vec<String> = edges(lines).iter().map(|&i| shape(lines[i])).collect();
        on_page.sort();
        on_page.dedup();
        for s in on_page {
            *seen.entry(s).or_default() += 1;
        }
    }
    let repeated = |line: &str| {
        let n = seen.get(&shape(line)).copied().unwrap_or(0);
        n >= 2 && n * 2 >= pages.len() && !speaker_only(line)
    };
    let mut out = Vec::new();
    let mut no = 0u64;
    for lines in &split {
        let edge = edges(lines);
        for (i, line) in lines.iter().enumerate() {
            no += 1;
            let furniture = PAGE_OF.is_match(line)
                || (edge.contains(&i) && (PAGE_NUMBER.is_match(line) || repeated(line)));
            if !furniture {
                out.push((no, line.to_string()));
            }
        }
    }
    out
}

/// The text of each page, or why there is none.
fn pages(bytes: &[u8]) -> Result<Vec<String>, String> {
    // The extractor is third-party code reading untrusted bytes: a panic
    // in it costs this file, with a reason, not the run.
    let run = || pdf_extract::extract_text_from_mem_by_pages(bytes);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(e)) => Err(format!("cannot read PDF: {e}")),
        Err(_) => Err("cannot read PDF: its text could not be extracted".to_string()),
    }
}

/// Parses a transcript saved as PDF (layout `pdf-transcript`): every
/// layout the `.txt` reader knows (`Name: text`, `Name:` alone on a line
/// with the text below, Otter's `Name  0:03`), after page furniture is
/// dropped.
pub(crate) fn parse_pdf(path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    out.layout = "pdf-transcript".to_string();
    let pages = match pages(bytes) {
        Ok(p) => p,
        Err(reason) => {
            out.skip(at(path, 0), reason);
            return out;
        }
    };
    if pages.iter().all(|p| p.trim().is_empty()) {
        out.skip(
            at(path, 0),
            format!(
                "PDF without a text layer ({} pages, no text): a scan or images of text; run OCR on it (e.g. `ocrmypdf`) and read the result",
                pages.len()
            ),
        );
        return out;
    }
    let lines = strip_page_furniture(&pages);
    let found = turns_from_lines(path, lines.iter().map(|(no, l)| (*no, l.as_str())));
    finish_document(path, found.turns, found.date, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_headers_page_numbers_and_footers_are_dropped() {
        let pages: Vec<String> = (1..=3usize)
            .map(|n| {
                let question = ["Why then?", "And the price?", "Anything else?"][n - 1];
                format!(
                    "Acme onboarding study: session 4\nCONFIDENTIAL\n\nParticipant:\nLine {n} of what she said.\nSarah:\n{question}\n\n{n}\nPage {n} of 3\n"
                )
            })
            .collect();
        let kept: Vec<String> = strip_page_furniture(&pages)
            .into_iter()
            .map(|(_, l)| l)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(
            kept,
            [
                "Participant:",
                "Line 1 of what she said.",
                "Sarah:",
                "Why then?",
                "Participant:",
                "Line 2 of what she said.",
                "Sarah:",
                "And the price?",
                "Participant:",
                "Line 3 of what she said.",
                "Sarah:",
                "Anything else?",
            ]
        );
        // Numbers run through the pages: page 2 starts after page 1's lines.
        let numbered = strip_page_furniture(&pages);
        let second = numbered
            .iter()
            .find(|(_, l)| l == "Line 2 of what she said.")
            .unwrap();
        assert_eq!(second.0, 10 + 5);
    }

    #[test]
    fn one_page_keeps_its_lines_but_not_its_page_number() {
        let pages =
            vec!["Interviewer: Why?\nBo: Because it was 3\ntimes the price.\n1\n".to_string()];
        let kept: Vec<String> = strip_page_furniture(&pages)
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            kept,
            [
                "Interviewer: Why?",
                "Bo: Because it was 3",
                "times the price."
            ]
        );
    }

    #[test]
    fn not_a_pdf_is_one_skip() {
        let p = parse_pdf("x.pdf", b"%PDF-1.4 truncated");
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert!(
            p.skipped[0].reason.starts_with("cannot read PDF"),
            "{:?}",
            p.skipped
        );
    }
}
