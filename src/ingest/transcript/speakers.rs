//! Speaker lines: consumes one line of a transcript or notes file; tells
//! whether it starts a turn (`Name: text`, `Name:` alone, `[00:01:02]
//! Name: text`, `**Name:** text`, `[Name] text`, Otter's `Name  0:03`) and produces its
//! [`SpeakerLine`]; also judges whether a label reads as a person's name.

use regex::Regex;
use std::sync::LazyLock;

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

/// `[Name] text` (also `[Name]` alone, the text on the next lines, and a
/// time before or after: `[00:01:02] [Name]`, `[Name] 00:01:02`).
static BRACKET_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^\s*
        (?: [\[(]? (?P<ts1>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?) [\])]? \s* (?:[-–]\s*)? )?
        \[ (?P<name>[^\[\]\n:]{1,40}) \]
        \s* (?P<ts2>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)?
        \s* :? (?:\s+|$)
        (?P<text>.*)$",
    )
    .expect("valid regex")
});

/// Bracketed notes a transcriber writes that are not speakers: `[Laughs]`,
/// `[Crosstalk]`, `[Inaudible]`.
#[rustfmt::skip]
const ANNOTATIONS: &[&str] = &[
    "laughter", "laughs", "laughing", "laugh", "chuckles", "chuckle", "inaudible", "crosstalk",
    "cross talk", "cross-talk", "music", "silence", "pause", "pauses", "long pause", "noise",
    "background noise", "applause", "unintelligible", "indiscernible", "unclear", "overlapping",
    "overlap", "coughs", "cough", "sighs", "sigh", "redacted", "break", "beep", "interruption",
    "off mic", "off-mic", "phone rings", "audio cuts out", "silent", "sic", "end", "start",
];

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
    // Fields of a researcher's notes (`Severity: high`), not speakers.
    "severity", "impact", "frequency", "evidence", "recommendation", "recommendations",
    "opportunity", "opportunities", "need", "needs", "workaround", "workarounds", "sentiment",
    "confidence", "jtbd", "observed", "quotes", "verbatim", "follow-up", "followup",
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
    let mut timestamp = c.name("ts1").or_else(|| c.name("ts2")).map(|m| m.as_str());
    // `Sarah (00:01:02):` is Sarah at that time, not a new speaker each
    // turn.
    let mut name = name;
    if let (Some(open), None) = (name.rfind('('), timestamp) {
        let inner = name[open + 1..].trim_end_matches(')').trim();
        if open > 0 && TIME.is_match(inner) {
            timestamp = Some(inner);
            name = name[..open].trim_end();
        }
    }
    let text = c.name("text").map_or("", |m| m.as_str()).trim();
    Some(SpeakerLine {
        name,
        timestamp,
        text,
    })
}

/// A time of the recording: `00:01:02`, `1:02`, `00:01:02.500`.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?$").expect("valid regex")
});

/// Recognises a `[Name] text` line (also `[Name]` alone, and with a time
/// before or after the name); not a transcriber's note such as `[Laughs]`.
pub(crate) fn split_bracketed(line: &str) -> Option<SpeakerLine<'_>> {
    let c = BRACKET_LINE.captures(line)?;
    let name = c.name("name")?.as_str().trim();
    if !is_speaker_name(name) || ANNOTATIONS.contains(&name.to_lowercase().as_str()) {
        return None;
    }
    Some(SpeakerLine {
        name,
        timestamp: c.name("ts1").or_else(|| c.name("ts2")).map(|m| m.as_str()),
        text: c.name("text").map_or("", |m| m.as_str()).trim(),
    })
}

/// Recognises an Otter-style `Name  0:03` line (speaker and time only).
pub(super) fn split_name_time(line: &str) -> Option<SpeakerLine<'_>> {
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

/// Whether a line is only a speaker label, the text to follow on the next
/// lines (`Participant:`, `[Sarah]`, `Sarah Lee  00:01:02`).
pub(crate) fn speaker_only(line: &str) -> bool {
    split_speaker(line)
        .or_else(|| split_bracketed(line))
        .is_some_and(|s| s.text.is_empty())
        || split_name_time(line).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // A time in parentheses is the turn's time, not part of the name.
        let s = split_speaker("Sarah (00:01:02):").unwrap();
        assert_eq!(
            (s.name, s.timestamp, s.text),
            ("Sarah", Some("00:01:02"), "")
        );
        let s = split_speaker("Participant (12:40): It broke.").unwrap();
        assert_eq!((s.name, s.timestamp), ("Participant", Some("12:40")));
    }

    #[test]
    fn bracketed_speakers() {
        let s = split_bracketed("[Dana] How do you book?").unwrap();
        assert_eq!((s.name, s.text), ("Dana", "How do you book?"));
        let s = split_bracketed("[Respondent 2]").unwrap();
        assert_eq!((s.name, s.text), ("Respondent 2", ""));
        let s = split_bracketed("[00:01:02] [Speaker 1] Hi").unwrap();
        assert_eq!(
            (s.name, s.timestamp, s.text),
            ("Speaker 1", Some("00:01:02"), "Hi")
        );
        let s = split_bracketed("[Kai Whitfield] 00:04:10").unwrap();
        assert_eq!((s.name, s.timestamp), ("Kai Whitfield", Some("00:04:10")));
        assert!(split_bracketed("[Laughs] that was bad").is_none());
        assert!(split_bracketed("[inaudible] and then").is_none());
        assert!(split_bracketed("[00:01:02] no speaker here").is_none());
        assert!(speaker_only("[Dana]"));
        assert!(speaker_only("Participant:"));
        assert!(!speaker_only("Participant: yes"));
    }
}
