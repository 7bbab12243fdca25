//! Line-based transcripts: consumes numbered text lines (a `.txt` file's,
//! or a Word transcript's paragraphs, for `docx`); finds the speaker turns
//! in them ([`turns_from_lines`]) and produces the `.txt` file's interview
//! document ([`parse_txt`]).

use super::cues::timing_start;
use super::speakers::{is_speaker_name, split_bracketed, split_name_time, split_speaker};
use super::turn_buf::TurnBuf;
use super::{decode, finish_document};
use crate::ingest::fields::parse_date;
use crate::ingest::Parsed;
use crate::model::{SourceKind, Turn};
use regex::Regex;
use std::sync::LazyLock;

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:date|recorded|interview date)\s*:\s*(.+?)\s*$").expect("valid regex")
});

/// What [`turns_from_lines`] found.
pub(crate) struct LineTurns {
    pub turns: Vec<Turn>,
    /// From a `Date: …` line before the first turn.
    pub date: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether turns started with Otter-style `Name  0:03` lines.
    pub otter: bool,
}

/// Otter's export footer, not part of the last turn.
static OTTER_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*transcribed by\s+(?:https?://)?otter\.ai\s*$").expect("valid regex")
});

/// Finds turns in transcript lines, given as (line number, text); several
/// lines may share a number (a Word paragraph with line breaks). A line
/// starts a turn when it reads `Name: text` (also `[00:01:02] Name: text`,
/// `[Name] text`, and `Name:` or `[Name]` alone, the text following on the
/// next lines until the next label) or is Otter's and Teams' `Name  0:03`
/// (the text follows on the next lines); after a cue timing line (`0:0:5.100 --> 0:0:8.250`, as older
/// Teams transcripts have) a bare name line starts a turn at that time.
/// Other lines continue the current turn; lines before the first turn are
/// ignored, except a `Date: …` line, which dates the interview.
pub(crate) fn turns_from_lines<'a>(
    path: &str,
    lines: impl IntoIterator<Item = (u64, &'a str)>,
) -> LineTurns {
    let mut bufs: Vec<TurnBuf> = Vec::new();
    let mut date = None;
    let mut otter = false;
    let mut cue_time: Option<String> = None;
    for (no, line) in lines {
        if OTTER_FOOTER.is_match(line) {
            continue;
        }
        if let Some(start) = timing_start(line) {
            cue_time = Some(start);
            continue;
        }
        let after_timing = cue_time.take();
        let bare_name =
            after_timing.is_some() && !line.contains(':') && is_speaker_name(line.trim());
        if bare_name {
            let b = TurnBuf::new(Some(line.trim().to_string()), no, after_timing);
            bufs.push(b);
            continue;
        }
        let named = split_speaker(line).or_else(|| split_bracketed(line));
        let timed = named.is_none().then(|| split_name_time(line)).flatten();
        if let Some(sp) = named.or(timed.clone()) {
            otter |= timed.is_some();
            let mut b = TurnBuf::new(
                Some(sp.name.to_string()),
                no,
                sp.timestamp.map(str::to_string).or(after_timing),
            );
            b.add_line(sp.text);
            bufs.push(b);
        } else if let Some(b) = bufs.last_mut() {
            b.add_line(line);
        } else if date.is_none() {
            date = DATE_LINE.captures(line).and_then(|c| parse_date(&c[1]));
        }
    }
    LineTurns {
        turns: bufs.into_iter().filter_map(|b| b.finish(path)).collect(),
        date,
        otter,
    }
}

/// Parses a `.txt` transcript of `Name: text` turns (see
/// [`turns_from_lines`]).
///
/// Layouts: `otter-txt` follows Otter.ai's Export → TXT (each turn a
/// `Speaker Name  0:03` line, exactly two spaces before the time, then its
/// text on the following lines, a blank line between turns, an optional
/// `Transcribed by https://otter.ai` footer); `speaker-txt` is `Name: text`
/// lines, as written by hand or pasted from Zoom's and Google Meet's
/// transcript panels.
pub(crate) fn parse_txt(path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    let text = decode(path, bytes, &mut out);
    let found = turns_from_lines(
        path,
        text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l)),
    );
    out.layout = if found.otter {
        "otter-txt"
    } else {
        "speaker-txt"
    }
    .to_string();
    finish_document(path, found.turns, found.date, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otter_style_name_and_time_lines() {
        let txt = "Speaker 1  0:03\nSo tell me about billing?\n\nDana Wu  0:09\nIt is confusing.\nVery.\n";
        let d = &parse_txt("o.txt", txt.as_bytes()).documents[0];
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.turns[1].speaker.as_deref(), Some("Dana Wu"));
        assert_eq!(d.turns[1].source.line, 4);
        assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("0:09"));
        assert_eq!(d.turns[1].text, "It is confusing.\nVery.");
    }

    #[test]
    fn txt_without_turns_is_skipped() {
        let p = parse_txt("readme.txt", b"Just some prose.\nNothing else.\n");
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
    }

    #[test]
    fn txt_latin1_line_is_decoded_with_a_warning() {
        // UTF-8 (Bo's `ï`) with one Windows-1252 line.
        let p = parse_txt("l.txt", b"Ana: caf\xe9 is fine\nBo: na\xc3\xafve\n");
        assert_eq!(p.documents[0].turns[0].text, "café is fine");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 1);
    }
}
