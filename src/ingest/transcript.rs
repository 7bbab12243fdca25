//! Interview transcripts: `.txt` (`Name: text` turns, also `[00:01:02]
//! Name: text` and Otter-style `Name  0:03` header lines), WebVTT (`<v Name>`
//! voices or Zoom's `Name: text`) and SRT (`Name: text`, continuation cues
//! inherit the speaker). The line-based turn finder is shared with Word
//! transcripts (`docx`).
//!
//! Consumes a file's bytes; produces one interview [`Document`] per file with
//! one [`Turn`] per speaker turn (consecutive cues by the same speaker merged),
//! each citing the line it starts on and, for cues, its start time. Also hosts
//! the speaker-line recogniser and the interviewer detection that Markdown
//! notes share.

use super::fields::{customer_key, decode_text, parse_date, repaired_lines_reason};
use super::{at, Parsed};
use crate::model::{stable_id, Document, Role, SourceKind, SourceRef, Turn};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

// ------------------------------------------------------ speaker lines

/// A line that starts a turn: `Name: text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpeakerLine<'a> {
    pub name: &'a str,
    pub timestamp: Option<&'a str>,
    pub text: &'a str,
}

static TURN_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^\s*
        (?: [\[(]? (?P<ts1>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?) [\])]? \s* (?:[-–]\s*)? )?
        (?:\*\*)?
        (?P<name>[^:\[\]()*\n]{1,40}?(?:\s*\([^()\n]{1,30}\))?)
        \s* (?: [\[(] (?P<ts2>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?) [\])] )?
        \s* (?:\*\*)? \s* : (?:\*\*)? (?:\s+|$)
        (?P<text>.*)$",
    )
    .expect("valid regex")
});

/// Otter.ai style: a line with only the speaker and a time; text follows.
static NAME_TIME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?P<name>[^:\[\]()\n]{1,40}?(?:\s*\([^()\n]{1,30}\))?)\s+(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)\s*$",
    )
    .expect("valid regex")
});

/// Words that end a line's "name" but are labels or prose, not speakers:
/// `Note: the price…`, `Date: 2026-03-01`, `Key insight: …`.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "note", "notes", "nb", "ps", "update", "edit", "edited", "example", "examples", "e.g", "eg",
    "i.e", "ie", "tip", "todo", "warning", "caution", "important", "summary", "reason", "result",
    "results", "subject", "re", "fwd", "fw", "from", "to", "cc", "bcc", "sent", "date", "time",
    "location", "duration", "title", "topic", "agenda", "attendees", "participants", "source",
    "link", "url", "price", "pricing", "cost", "total", "step", "steps", "problem", "issue",
    "solution", "context", "background", "goal", "goals", "quote", "conclusion", "takeaway",
    "takeaways", "action", "actions", "status", "priority", "also", "but", "and", "so", "then",
    "yes", "no", "ok", "okay", "well", "because", "however", "basically", "honestly", "like",
    "anyway", "plus", "email", "phone", "website", "tldr", "pros", "cons", "verdict", "rating",
    "score", "fyi", "oh", "hmm", "um", "uh", "first", "second", "third", "finally", "next",
    "today", "yesterday", "tomorrow", "now", "here", "there", "this", "that", "it", "what", "why",
    "how", "who", "when", "where", "which", "insight", "insights", "observation", "observations",
    "finding", "findings", "theme", "themes", "idea", "ideas", "feedback", "plan", "persona",
    "segment", "role", "company", "team", "product", "tool", "tools", "hypothesis", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "point", "points", "item",
    "items", "questions", "line", "name", "size", "stage", "type", "level", "version", "number",
    "count", "amount", "tier", "setting", "context", "recording", "transcript", "interview",
    "session", "study", "project", "attachment", "attachments",
];

/// Lowercase particles allowed inside a multi-word name.
#[rustfmt::skip]
const NAME_PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "di", "du", "del", "della", "la", "le", "y", "bin",
    "al", "ibn", "st.", "dos", "das",
];

/// Strips a trailing `(Researcher)`-style parenthetical from a label.
pub(crate) fn base_name(label: &str) -> &str {
    let l = label.trim();
    match (l.ends_with(')'), l.rfind('(')) {
        (true, Some(i)) if i > 0 => l[..i].trim_end(),
        _ => l,
    }
}

/// Whether `label` reads as a speaker: 1–4 words, ≤ 40 characters, each
/// capitalised, a number (`Speaker 1`), an id (`P03`), a handle or a name
/// particle; no URL; not a common label word (`Note`, `Date`, `Key insight`).
pub(crate) fn is_speaker_name(label: &str) -> bool {
    let base = base_name(label);
    if base.is_empty() || base.chars().count() > 40 {
        return false;
    }
    let lower = base.to_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || lower.contains("http") {
        return false;
    }
    let words: Vec<&str> = base.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return false;
    }
    let last = words[words.len() - 1].to_lowercase();
    if NOT_NAMES.contains(&last.as_str()) && (words.len() > 1 || last != "question") {
        return false;
    }
    words.iter().enumerate().all(|(i, w)| {
        let chars_ok = w
            .chars()
            .all(|c| c.is_alphanumeric() || "'’-._@".contains(c));
        let first = w.chars().next().unwrap_or(' ');
        let digits = w.chars().all(|c| c.is_ascii_digit());
        let shape_ok = first.is_uppercase()
            || (first == '@' && w.chars().count() > 1)
            || (i > 0 && digits)
            || (i > 0 && NAME_PARTICLES.contains(&w.to_lowercase().as_str()));
        chars_ok && shape_ok
    })
}

/// Recognises a line that starts a turn (`Name: text`, `[00:01:02] Name:
/// text`, `Name (Researcher): text`, `**Name:** text`).
pub(crate) fn split_speaker(line: &str) -> Option<SpeakerLine<'_>> {
    let c = TURN_LINE.captures(line)?;
    let name = c.name("name")?.as_str().trim();
    if !is_speaker_name(name) {
        return None;
    }
    let timestamp = c.name("ts1").or_else(|| c.name("ts2")).map(|m| m.as_str());
    let text = c.name("text").map_or("", |m| m.as_str()).trim();
    Some(SpeakerLine {
        name,
        timestamp,
        text,
    })
}

/// Recognises an Otter-style `Name  0:03` line (speaker and time only).
fn split_name_time(line: &str) -> Option<SpeakerLine<'_>> {
    let c = NAME_TIME_LINE.captures(line)?;
    let name = c.name("name")?.as_str().trim();
    if !is_speaker_name(name) {
        return None;
    }
    Some(SpeakerLine {
        name,
        timestamp: c.name("ts").map(|m| m.as_str()),
        text: "",
    })
}

// -------------------------------------------------- interviewer detection

/// Whether a speaker label names the interviewer: it contains interviewer,
/// moderator, researcher, facilitator or host (also as a `(Researcher)`
/// suffix), or is exactly `Q`, `Question`, `I` or `Int` (Q/A and I/R styles).
pub(crate) fn is_interviewer_label(label: &str) -> bool {
    let lower = label.trim().to_lowercase();
    if matches!(lower.as_str(), "q" | "question" | "i" | "int") {
        return true;
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .any(|t| {
            ["interviewer", "moderator", "researcher", "facilitator"]
                .iter()
                .any(|r| t.starts_with(r))
                || matches!(t, "host" | "cohost" | "uxr")
        })
}

fn ends_with_question(text: &str) -> bool {
    text.trim_end_matches(|c: char| c.is_whitespace() || "\"'”’)]".contains(c))
        .ends_with('?')
}

/// Header lines such as `Interviewer: Sam Lee` or `Participant: Maya
/// (Acme)` declare who plays which role instead of saying something: when
/// the text names another speaker of the file, the line is dropped. Returns
/// the speakers declared as interviewers.
fn take_role_declarations(turns: &mut Vec<Turn>) -> Vec<String> {
    let mut speakers: Vec<String> = Vec::new();
    for s in turns.iter().filter_map(|t| t.speaker.as_ref()) {
        if !speakers.contains(s) {
            speakers.push(s.clone());
        }
    }
    let participant_label = |label: &str| {
        let l = label.trim().to_lowercase();
        [
            "participant",
            "interviewee",
            "customer",
            "respondent",
            "guest",
        ]
        .iter()
        .any(|w| l == *w)
    };
    let declares = |text: &str, name: &str| {
        let (t, n) = (text.to_lowercase(), name.to_lowercase());
        t.len() <= 80
            && t.strip_prefix(n.as_str()).is_some_and(|rest| {
                rest.is_empty()
                    || [" (", ",", " -", " –", " —"]
                        .iter()
                        .any(|p| rest.starts_with(p))
            })
    };
    let mut declared = Vec::new();
    turns.retain(|t| {
        let Some(label) = t.speaker.as_deref() else {
            return true;
        };
        let interviewer = is_interviewer_label(label);
        if !interviewer && !participant_label(label) {
            return true;
        }
        let text = t.text.trim();
        match speakers
            .iter()
            .find(|s| s.as_str() != label && declares(text, s))
        {
            Some(name) => {
                if interviewer {
                    declared.push(name.clone());
                }
                false
            }
            None => true,
        }
    });
    declared
}

/// Sets each turn's role and returns the document's customer: the one
/// non-interviewer speaker's name (without a parenthetical; hashed if it is
/// an email), or `None` when there are several or none.
///
/// Interviewers are the speakers whose label says so (or who are in
/// `declared`); failing that, with at
/// least two speakers, the speaker with the highest share of turns ending in
/// `?` if that share is ≥ 0.4 over ≥ 3 turns. Turns without a speaker are
/// customer voice.
pub(crate) fn assign_roles(turns: &mut [Turn], declared: &[String]) -> Option<String> {
    // (label, turns, questions) in order of first appearance.
    let mut speakers: Vec<(String, usize, usize)> = Vec::new();
    for t in turns.iter() {
        let Some(s) = &t.speaker else { continue };
        let i = match speakers.iter().position(|(n, _, _)| n == s) {
            Some(i) => i,
            None => {
                speakers.push((s.clone(), 0, 0));
                speakers.len() - 1
            }
        };
        speakers[i].1 += 1;
        if ends_with_question(&t.text) {
            speakers[i].2 += 1;
        }
    }
    let mut interviewers: HashSet<&str> = speakers
        .iter()
        .filter(|(n, _, _)| is_interviewer_label(n) || declared.contains(n))
        .map(|(n, _, _)| n.as_str())
        .collect();
    if interviewers.is_empty() && speakers.len() >= 2 {
        let share = |(_, n, q): &(String, usize, usize)| *q as f64 / *n as f64;
        let mut best: Option<&(String, usize, usize)> = None;
        for s in &speakers {
            let better = match best {
                None => true,
                Some(b) => share(s) > share(b) || (share(s) == share(b) && s.2 > b.2),
            };
            if better {
                best = Some(s);
            }
        }
        if let Some(b) = best.filter(|b| b.1 >= 3 && share(b) >= 0.4) {
            interviewers.insert(b.0.as_str());
        }
    }
    for t in turns.iter_mut() {
        let is_int = t
            .speaker
            .as_deref()
            .is_some_and(|s| interviewers.contains(s));
        t.role = if is_int {
            Role::Interviewer
        } else {
            Role::Customer
        };
    }
    let customers: Vec<&str> = speakers
        .iter()
        .map(|(n, _, _)| n.as_str())
        .filter(|n| !interviewers.contains(n))
        .collect();
    match customers.as_slice() {
        // An email used as a speaker name is hashed like any customer key.
        [one] => customer_key(None, None, Some(base_name(one))),
        _ => None,
    }
}

// ----------------------------------------------------------- documents

/// A turn being accumulated: paragraphs of wrapped lines.
struct TurnBuf {
    speaker: Option<String>,
    line: u64,
    timestamp: Option<String>,
    paragraphs: Vec<String>,
    current: String,
    /// `.txt` lines are file lines; merged subtitle cues are not.
    exact_lines: bool,
}

impl TurnBuf {
    fn new(speaker: Option<String>, line: u64, timestamp: Option<String>) -> TurnBuf {
        TurnBuf {
            speaker,
            line,
            timestamp,
            paragraphs: Vec::new(),
            current: String::new(),
            exact_lines: true,
        }
    }

    /// Add a physical line of a `.txt` turn. Wrapped lines are joined with
    /// a newline so segmentation can give each sentence its own line number.
    fn add_line(&mut self, line: &str) {
        self.add(line, '\n');
    }

    /// Add the text of a subtitle cue. Cues are joined with a space: their
    /// lines are not contiguous in the file, the cue time locates them.
    fn add_cue(&mut self, text: &str) {
        self.exact_lines = false;
        self.add(text, ' ');
    }

    fn add(&mut self, line: &str, joiner: char) {
        let line = line.trim();
        if line.is_empty() {
            self.break_paragraph();
        } else {
            if !self.current.is_empty() {
                self.current.push(joiner);
            }
            self.current.push_str(line);
        }
    }

    fn break_paragraph(&mut self) {
        if !self.current.is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.current));
        }
    }

    fn finish(mut self, path: &str) -> Option<Turn> {
        self.break_paragraph();
        let text = self.paragraphs.join("\n\n");
        if text.is_empty() {
            return None;
        }
        Some(Turn {
            speaker: self.speaker,
            role: Role::Customer,
            text,
            source: SourceRef {
                path: path.to_string(),
                line: self.line,
                row: None,
                timestamp: self.timestamp,
            },
            topic: None,
            verbatim: false,
            exact_lines: self.exact_lines,
        })
    }
}

/// The interview document for a whole file.
pub(crate) fn interview_document(
    path: &str,
    turns: Vec<Turn>,
    customer: Option<String>,
    date: Option<chrono::DateTime<chrono::Utc>>,
) -> Document {
    Document {
        id: stable_id(&[path]),
        kind: SourceKind::Interview,
        source: at(path, 1),
        customer,
        date,
        rating: None,
        score: None,
        channel: None,
        title: None,
        status: None,
        turns,
    }
}

/// Decodes the file, noting a warning if any line was not UTF-8.
fn decode(path: &str, bytes: &[u8], out: &mut Parsed) -> String {
    let (text, repaired) = decode_text(bytes);
    if let Some(&first) = repaired.first() {
        out.warn(at(path, first), repaired_lines_reason(&repaired));
    }
    text
}

pub(crate) fn finish_document(
    path: &str,
    mut turns: Vec<Turn>,
    date: Option<chrono::DateTime<chrono::Utc>>,
    mut out: Parsed,
) -> Parsed {
    if turns.is_empty() {
        out.warnings.clear();
        out.skip(
            at(path, 0),
            "no speaker turns found (expected lines like `Name: text` or timed cues)",
        );
        return out;
    }
    let declared = take_role_declarations(&mut turns);
    let customer = assign_roles(&mut turns, &declared);
    out.documents
        .push(interview_document(path, turns, customer, date));
    out
}

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
/// starts a turn when it reads `Name: text` (also `[00:01:02] Name: text`)
/// or is Otter's and Teams' `Name  0:03` (the text follows on the next
/// lines); after a cue timing line (`0:0:5.100 --> 0:0:8.250`, as older
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
        let named = split_speaker(line);
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

// ---------------------------------------------------------------- cues

/// One caption cue: its timing line, start time and text lines.
struct Cue {
    line: u64,
    start: String,
    text: Vec<String>,
}

static TIMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})\s*-->\s*(?:\d{1,3}:)?\d{1,2}:\d{1,2}[.,]\d{1,3}",
    )
    .expect("valid regex")
});

/// The normalised start time (`HH:MM:SS.mmm`) of a timing line.
fn timing_start(line: &str) -> Option<String> {
    let c = TIMING.captures(line)?;
    let h: u32 = c.get(1).map_or(Some(0), |m| m.as_str().parse().ok())?;
    let m: u32 = c[2].parse().ok()?;
    let s: u32 = c[3].parse().ok()?;
    let frac = &c[4];
    let ms: u32 = format!("{frac:0<3}").parse().ok()?;
    Some(format!("{h:02}:{m:02}:{s:02}.{ms:03}"))
}

/// Splits caption text into cues. Blocks are separated by blank lines;
/// `NOTE`, `STYLE` and `REGION` blocks and the `WEBVTT` header are dropped; a
/// block without a timing line is ignored; a timing line inside a block (a
/// missing blank line) starts a new cue, taking a preceding number line as
/// its index.
fn parse_cues(text: &str) -> Vec<Cue> {
    let mut cues: Vec<Cue> = Vec::new();
    let mut block: Vec<(u64, &str)> = Vec::new();
    let lines = text.lines().enumerate().map(|(i, l)| (i as u64 + 1, l));
    for (no, line) in lines.chain(std::iter::once((0, ""))) {
        if !line.trim().is_empty() {
            block.push((no, line));
            continue;
        }
        if block.is_empty() {
            continue;
        }
        let first = block[0].1.trim_start_matches('\u{feff}').trim();
        let meta = first.starts_with("WEBVTT")
            || ["NOTE", "STYLE", "REGION"].iter().any(|k| {
                first == *k
                    || first.starts_with(&format!("{k} "))
                    || first.starts_with(&format!("{k}\t"))
            });
        if !meta {
            let mut current: Option<Cue> = None;
            for &(no, l) in &block {
                if let Some(start) = timing_start(l) {
                    if let Some(mut c) = current.take() {
                        if c.text
                            .last()
                            .is_some_and(|t| t.trim().bytes().all(|b| b.is_ascii_digit()))
                        {
                            c.text.pop();
                        }
                        cues.push(c);
                    }
                    current = Some(Cue {
                        line: no,
                        start,
                        text: Vec::new(),
                    });
                } else if let Some(c) = current.as_mut() {
                    c.text.push(l.to_string());
                }
            }
            cues.extend(current);
        }
        block.clear();
    }
    cues
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<[^>\n]*>|\{\\[^}\n]*\}").expect("valid regex"));
static VOICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<v(?:\.[^\s>]*)?\s+([^>\n]*)>").expect("valid regex"));

/// Strips markup (`<c>`, `<i>`, `<b>`, `<font>`, `{\an8}`), decodes the
/// common entities and collapses whitespace.
fn clean_cue_text(s: &str) -> String {
    let s = TAG.replace_all(s, " ");
    let s = s
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let s = s.trim_start_matches(">>").trim_start_matches("- ");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cue's text split by speaker. `None` means "whoever spoke last".
fn cue_segments(cue: &Cue, vtt: bool) -> Vec<(Option<String>, String)> {
    let raw = cue.text.join("\n");
    let mut segs = Vec::new();
    if vtt && VOICE.is_match(&raw) {
        let voices: Vec<_> = VOICE.captures_iter(&raw).collect();
        let first = voices[0].get(0).map_or(0, |m| m.start());
        let lead = clean_cue_text(&raw[..first]);
        if !lead.is_empty() {
            segs.push((None, lead));
        }
        for (i, c) in voices.iter().enumerate() {
            let whole = c.get(0).expect("match");
            let end = voices
                .get(i + 1)
                .and_then(|n| n.get(0))
                .map_or(raw.len(), |m| m.start());
            let text = clean_cue_text(&raw[whole.end()..end]);
            let name = c[1].trim();
            let name = (!name.is_empty()).then(|| name.to_string());
            segs.push((name, text));
        }
        return segs;
    }
    let text = clean_cue_text(&raw);
    match split_speaker(&text) {
        Some(sp) => segs.push((Some(sp.name.to_string()), sp.text.to_string())),
        None => segs.push((None, text)),
    }
    segs
}

/// Turns cues into turns: each segment's speaker is its own or the previous
/// one; consecutive segments by the same speaker merge, citing the first
/// cue's timing line and start time.
fn cues_to_turns(path: &str, cues: &[Cue], vtt: bool) -> Vec<Turn> {
    let mut bufs: Vec<TurnBuf> = Vec::new();
    let mut speaker: Option<String> = None;
    for cue in cues {
        for (name, text) in cue_segments(cue, vtt) {
            if name.is_some() {
                speaker = name;
            }
            if text.is_empty() {
                continue;
            }
            match bufs.last_mut() {
                Some(b) if b.speaker == speaker => b.add_cue(&text),
                _ => {
                    let mut b = TurnBuf::new(speaker.clone(), cue.line, Some(cue.start.clone()));
                    b.add_cue(&text);
                    bufs.push(b);
                }
            }
        }
    }
    bufs.into_iter().filter_map(|b| b.finish(path)).collect()
}

/// Parses a WebVTT file.
///
/// Layouts: `teams-vtt` follows Microsoft Teams' transcript download (.vtt):
/// cues with an id line, `HH:MM:SS.mmm --> …` timings and the text in
/// `<v Speaker Name>…</v>` voice spans; `zoom-vtt` follows Zoom's cloud
/// recording transcript: numbered cues whose text starts `Speaker Name:`;
/// `webvtt` is any other WebVTT (no speakers: one customer voice).
pub(crate) fn parse_vtt(path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    let text = decode(path, bytes, &mut out);
    let cues = parse_cues(&text);
    let raw = |c: &Cue| c.text.join("\n");
    out.layout = if cues.iter().any(|c| VOICE.is_match(&raw(c))) {
        "teams-vtt"
    } else if cues
        .iter()
        .any(|c| split_speaker(&clean_cue_text(&raw(c))).is_some())
    {
        "zoom-vtt"
    } else {
        "webvtt"
    }
    .to_string();
    let turns = cues_to_turns(path, &cues, true);
    finish_document(path, turns, None, out)
}

/// Parses an SRT file (layout `srt`: numbered cues, `HH:MM:SS,mmm -->`
/// timings, `Name: text` where the tool writes speakers, as Zoom and Otter
/// do).
pub(crate) fn parse_srt(path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    out.layout = "srt".to_string();
    let text = decode(path, bytes, &mut out);
    let turns = cues_to_turns(path, &parse_cues(&text), false);
    finish_document(path, turns, None, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speakers(d: &Document) -> Vec<(Option<&str>, Role, u64)> {
        d.turns
            .iter()
            .map(|t| (t.speaker.as_deref(), t.role, t.source.line))
            .collect()
    }

    #[test]
    fn speaker_names() {
        for ok in [
            "Jane",
            "Jane Doe",
            "P03",
            "Participant 3",
            "Speaker 1",
            "JANE DOE",
            "Ana de la Cruz",
            "Jane (Researcher)",
            "@jdoe",
            "Q",
            "Dr. Lee",
            "Søren Kierkegaard",
        ] {
            assert!(is_speaker_name(ok), "{ok}");
        }
        for bad in [
            "Note",
            "note",
            "the price",
            "Date",
            "Key Insight",
            "Next Steps",
            "http",
            "So what I mean",
            "One Two Three Four Five",
            "and then he said",
            "Hello, Jane",
            "https",
            "12",
            "Bottom line",
        ] {
            assert!(!is_speaker_name(bad), "{bad}");
        }
    }

    #[test]
    fn speaker_lines() {
        let s = split_speaker("Jane Doe: I pay by card.").unwrap();
        assert_eq!((s.name, s.text), ("Jane Doe", "I pay by card."));
        let s = split_speaker("[00:01:02] P03: mostly on mobile").unwrap();
        assert_eq!((s.name, s.timestamp), ("P03", Some("00:01:02")));
        let s = split_speaker("Sam (Researcher) [00:03:10]: Why?").unwrap();
        assert_eq!(
            (s.name, s.timestamp),
            ("Sam (Researcher)", Some("00:03:10"))
        );
        let s = split_speaker("**Ana:** it was slow").unwrap();
        assert_eq!((s.name, s.text), ("Ana", "it was slow"));
        assert!(split_speaker("Note: the price went up").is_none());
        assert!(split_speaker("see https://example.com: it").is_none());
        assert!(split_speaker("we met at 10:30 and talked").is_none());
        assert!(split_speaker("Ratio 3:1 is fine").is_none());
        assert!(split_speaker("and what she said was: no").is_none());
    }

    #[test]
    fn txt_with_interviewer_found_by_question_share() {
        let txt = "\
Onboarding interview — Acme
Date: 2026-03-04

Sam: Thanks for joining. How long have you used the app?
Maya: About a year. We switched from spreadsheets
because the team kept overwriting each other.
Sam: What made you pick us?
Maya: Price, honestly.

It was half of what the others charged.
Sam: And what's the worst part today?
Maya: Note: the export. It times out on big projects.
Sam: Anything else?
";
        let p = parse_txt("i/maya.txt", txt.as_bytes());
        assert!(p.skipped.is_empty());
        let d = &p.documents[0];
        assert_eq!(d.kind, SourceKind::Interview);
        assert_eq!(d.customer.as_deref(), Some("Maya"));
        assert_eq!(d.date.unwrap().format("%F").to_string(), "2026-03-04");
        assert_eq!(
            speakers(d),
            vec![
                (Some("Sam"), Role::Interviewer, 4),
                (Some("Maya"), Role::Customer, 5),
                (Some("Sam"), Role::Interviewer, 7),
                (Some("Maya"), Role::Customer, 8),
                (Some("Sam"), Role::Interviewer, 11),
                (Some("Maya"), Role::Customer, 12),
                (Some("Sam"), Role::Interviewer, 13),
            ]
        );
        assert_eq!(
            d.turns[1].text,
            "About a year. We switched from spreadsheets\nbecause the team kept overwriting each other."
        );
        assert_eq!(
            d.turns[3].text,
            "Price, honestly.\n\nIt was half of what the others charged."
        );
        assert_eq!(
            d.turns[5].text,
            "Note: the export. It times out on big projects."
        );
    }

    #[test]
    fn txt_with_labels_and_several_participants() {
        let txt = "Moderator: Welcome both.\nP01: Hi.\nP02: Hello!\nP01: We use it daily.\n";
        let d = &parse_txt("g.txt", txt.as_bytes()).documents[0];
        assert_eq!(d.customer, None);
        assert_eq!(d.turns[0].role, Role::Interviewer);
        assert!(d.turns[1..].iter().all(|t| t.role == Role::Customer));

        let txt = "Jane (Researcher): Hi\nBo: hey\n";
        let d = &parse_txt("g.txt", txt.as_bytes()).documents[0];
        assert_eq!(d.turns[0].role, Role::Interviewer);
        assert_eq!(d.customer.as_deref(), Some("Bo"));

        let txt = "Host: Hi\nBo@acme.com: hey\n";
        let d = &parse_txt("g.txt", txt.as_bytes()).documents[0];
        assert!(d.customer.as_deref().unwrap().starts_with("e:"));
    }

    #[test]
    fn header_lines_declare_roles() {
        let txt = "\
Interviewer: Sam Lee
Participant: Maya Chen (Acme)

Sam Lee: Thanks for joining.
Maya Chen: Happy to help.
Sam Lee: Let's start with billing.
";
        let d = &parse_txt("h.txt", txt.as_bytes()).documents[0];
        assert_eq!(
            speakers(d),
            vec![
                (Some("Sam Lee"), Role::Interviewer, 4),
                (Some("Maya Chen"), Role::Customer, 5),
                (Some("Sam Lee"), Role::Interviewer, 6),
            ]
        );
        assert_eq!(d.customer.as_deref(), Some("Maya Chen"));
    }

    #[test]
    fn question_share_needs_three_turns() {
        let txt = "A1: Why?\nB2: Because.\nA1: Really?\nB2: Yes.\n";
        let d = &parse_txt("t.txt", txt.as_bytes()).documents[0];
        assert!(d.turns.iter().all(|t| t.role == Role::Customer));
        assert_eq!(d.customer, None);
    }

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
        let p = parse_txt("l.txt", b"Ana: caf\xe9 is fine\nBo: ok\n");
        assert_eq!(p.documents[0].turns[0].text, "café is fine");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 1);
    }

    #[test]
    fn teams_vtt_with_voices_and_merged_cues() {
        let vtt = "\
WEBVTT
Kind: captions

NOTE recorded in Teams
speaker names from the meeting roster

STYLE
::cue { color: yellow }

1f3a-0
00:00:01.000 --> 00:00:04.200
<v Priya Shah (Researcher)>How did the rollout go?</v>

1f3a-1
00:00:04.500 --> 00:00:07.000
<v.loud Tom Berg>Rough at first.</v>

1f3a-2
00:00:07.100 --> 00:00:09.900
<v Tom Berg>The <i>import</i> kept <c.yellow>failing</c> &amp; support was slow.</v>

00:10.000 --> 00:12.000
we lost a week

1f3a-4
00:00:12.500 --> 00:00:14.000
<v Priya Shah (Researcher)>A week?</v>
";
        let p = parse_vtt("i/tom.vtt", vtt.as_bytes());
        let d = &p.documents[0];
        assert_eq!(
            speakers(d),
            vec![
                (Some("Priya Shah (Researcher)"), Role::Interviewer, 11),
                (Some("Tom Berg"), Role::Customer, 15),
                (Some("Priya Shah (Researcher)"), Role::Interviewer, 26),
            ]
        );
        assert_eq!(
            d.turns[1].text,
            "Rough at first. The import kept failing & support was slow. we lost a week"
        );
        assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("00:00:04.500"));
        assert_eq!(d.customer.as_deref(), Some("Tom Berg"));
    }

    #[test]
    fn zoom_vtt_with_name_prefixes_and_two_voices_in_one_cue() {
        let vtt = "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\nHost: Can you hear me?\n\n2\n00:00:02.100 --> 00:00:03.000\nLi Wei: Yes.\n\n3\n00:00:03.000 --> 00:00:05.000\n<v Host>Great.</v>\n<v Li Wei>Let's start.</v>\n";
        let d = &parse_vtt("z.vtt", vtt.as_bytes()).documents[0];
        let got: Vec<_> = d
            .turns
            .iter()
            .map(|t| (t.speaker.as_deref().unwrap(), t.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Host", "Can you hear me?"),
                ("Li Wei", "Yes."),
                ("Host", "Great."),
                ("Li Wei", "Let's start."),
            ]
        );
        assert_eq!(d.turns[3].source.line, 12);
        assert_eq!(d.turns[0].role, Role::Interviewer);
    }

    #[test]
    fn zoom_srt_with_continuation_cues() {
        let srt = "\
1
00:00:01,000 --> 00:00:04,000
Interviewer: What slows you down?

2
00:00:04,500 --> 00:00:07,250
Carla Diaz: Honestly the sync.
It drops every afternoon.

3
00:00:07,300 --> 00:00:09,000
<i>And nobody answers tickets.</i>
4
00:00:09,500 --> 00:00:10,000
Interviewer: Since when?
";
        let d = &parse_srt("c.srt", srt.as_bytes()).documents[0];
        assert_eq!(
            speakers(d),
            vec![
                (Some("Interviewer"), Role::Interviewer, 2),
                (Some("Carla Diaz"), Role::Customer, 6),
                (Some("Interviewer"), Role::Interviewer, 14),
            ]
        );
        assert_eq!(
            d.turns[1].text,
            "Honestly the sync. It drops every afternoon. And nobody answers tickets."
        );
        assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("00:00:04.500"));
        assert_eq!(d.customer.as_deref(), Some("Carla Diaz"));
    }

    #[test]
    fn cue_timing_normalised() {
        assert_eq!(
            timing_start("01:02.5 --> 01:03.000").as_deref(),
            Some("00:01:02.500")
        );
        assert_eq!(
            timing_start("1:00:00,040 --> 1:00:01,000").as_deref(),
            Some("01:00:00.040")
        );
        assert_eq!(
            timing_start("0:0:5.100 --> 0:0:8.250").as_deref(),
            Some("00:00:05.100")
        );
        assert_eq!(timing_start("not a timing"), None);
    }

    #[test]
    fn never_panics_on_awkward_input() {
        let inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"WEBVTT".to_vec(),
            b"\"".to_vec(),
            b":".to_vec(),
            b"-->".to_vec(),
            b"00:00:01.000 --> 00:00:02.000".to_vec(),
            b"<v>\n<v \n</v>".to_vec(),
            b"1\n\n2\n00:00 --> \n".to_vec(),
            (0u8..=255).collect(),
            "\u{feff}Ä: ü\r\n\r\n".as_bytes().to_vec(),
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ä"
                .as_bytes()
                .to_vec(),
            vec![b'\n'; 1000],
            "é:".repeat(1000).into_bytes(),
        ];
        for b in &inputs {
            let _ = parse_txt("x.txt", b);
            let _ = parse_vtt("x.vtt", b);
            let _ = parse_srt("x.srt", b);
        }
    }
}
