//! Markdown interview notes (`.md`, `.markdown`).
//!
//! Consumes a researcher's notes: optional YAML-style front matter
//! (`participant`, `customer_id`, `date`, `channel`, `segment` as simple
//! `key: value` lines), headings, blockquotes and paragraphs or list items.
//! Produces one interview [`Document`] whose turns are, in order:
//!
//! - blockquotes: the participant's verbatim words (`Role::Customer`,
//!   `verbatim`, speaker = participant), surrounding quote marks and a
//!   trailing `— Name` attribution stripped;
//! - paragraphs and list items starting `Name: text` or `**Name:** text`:
//!   a turn by that speaker, roles detected as for transcripts;
//! - any other paragraph or list item: the researcher's notes
//!   (`Role::Interviewer`, kept for context, never customer voice).
//!
//! Each turn carries the latest heading as its `topic` and the 1-based line
//! its block starts on.

use super::fields::{customer_key, decode_text, parse_date, repaired_lines_reason};
use super::transcript::{
    assign_roles, base_name, interview_document, is_speaker_name, person_key, split_speaker, Known,
    Why,
};
use super::{at, Parsed};
use crate::model::{Role, SourceKind, SourceRef, Turn};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// The front matter fields cairn reads.
#[derive(Debug, Default)]
struct FrontMatter {
    participant: Option<String>,
    customer_id: Option<String>,
    /// The date value and the line it is on.
    date: Option<(String, u64)>,
    channel: Option<String>,
}

/// Parses `key: value` lines; `first_line` is the line of the first one.
fn parse_front_matter(text: &str, first_line: u64) -> FrontMatter {
    let mut fm = FrontMatter::default();
    for (i, line) in text.lines().enumerate() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().to_lowercase().replace([' ', '-'], "_");
        let value = value.trim();
        let value = strip_matching(value, &[('"', '"'), ('\'', '\'')]).trim();
        if value.is_empty() {
            continue;
        }
        let v = Some(value.to_string());
        match key.as_str() {
            "participant" | "interviewee" => fm.participant = v,
            "customer_id" | "customer" | "account_id" | "account" => fm.customer_id = v,
            "date" | "interview_date" => fm.date = Some((value.to_string(), first_line + i as u64)),
            "channel" | "medium" => fm.channel = Some(value.to_lowercase()),
            // `segment` and anything else: not stored (Document has no field).
            _ => {}
        }
    }
    fm
}

/// Strips one pair of surrounding delimiters, if `s` starts and ends with one.
fn strip_matching<'a>(s: &'a str, pairs: &[(char, char)]) -> &'a str {
    for &(open, close) in pairs {
        if s.chars().count() >= 2 && s.starts_with(open) && s.ends_with(close) {
            return &s[open.len_utf8()..s.len() - close.len_utf8()];
        }
    }
    s
}

const QUOTE_PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('"', '"'),
    ('„', '“'),
    ('«', '»'),
    ('‘', '’'),
    ('”', '”'),
    ('\'', '\''),
];

static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^(.*\S)\s*(?:—|–|--|~)\s*([^—–~\n]{1,40})$").expect("valid regex")
});

/// Splits a trailing `— Name` attribution off a quote.
fn split_attribution(text: &str) -> (&str, Option<&str>) {
    if let Some(c) = ATTRIBUTION.captures(text) {
        let name = c.get(2).map_or("", |m| m.as_str()).trim();
        if is_speaker_name(name) {
            return (c.get(1).map_or(text, |m| m.as_str()), Some(name));
        }
    }
    (text, None)
}

/// Collapses whitespace inside paragraphs; paragraphs are joined by a blank
/// line.
fn normalize(buf: &str) -> String {
    buf.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Meta,
    Heading,
    Quote,
    Item,
    Para,
    /// Code and HTML blocks: their text is dropped.
    Ignore,
    /// A nested block whose text flows into the enclosing one.
    Inner,
}

struct Open {
    block: Block,
    start: usize,
    buf: String,
}

enum Kind {
    Quote(Option<String>),
    Named(String),
    Note,
}

struct RawTurn {
    kind: Kind,
    text: String,
    line: u64,
    topic: Option<String>,
}

/// Parses Markdown interview notes into one interview document.
///
/// Layout `markdown-notes`: a researcher's notes as Obsidian, Notion
/// (Export → Markdown) and Dovetail write them, with optional YAML front
/// matter between `---` lines.
pub(crate) fn parse_markdown(path: &str, bytes: &[u8]) -> Parsed {
    let mut out = Parsed::new(SourceKind::Interview);
    out.layout = "markdown-notes".to_string();
    let (text, repaired) = decode_text(bytes);
    if let Some(&first) = repaired.first() {
        out.warn(at(path, first), repaired_lines_reason(&repaired));
    }
    let mut line_starts = vec![0usize];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) as u64;

    let mut fm = FrontMatter::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut topic: Option<String> = None;
    let mut raw: Vec<RawTurn> = Vec::new();
    let parser = Parser::new_ext(&text, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let inside = |b: Block| stack.iter().any(|o| o.block == b);
                let collecting = stack.iter().any(|o| o.block != Block::Inner);
                let block = match tag {
                    Tag::MetadataBlock(_) => Block::Meta,
                    Tag::Heading { .. } => Block::Heading,
                    Tag::CodeBlock(_) | Tag::HtmlBlock => Block::Ignore,
                    Tag::BlockQuote(_) if !inside(Block::Quote) => Block::Quote,
                    Tag::Item if !inside(Block::Quote) => Block::Item,
                    Tag::Paragraph if !collecting => Block::Para,
                    Tag::BlockQuote(_) | Tag::Item | Tag::Paragraph => Block::Inner,
                    _ => continue,
                };
                stack.push(Open {
                    block,
                    start: range.start,
                    buf: String::new(),
                });
            }
            Event::End(tag) => {
                if !matches!(
                    tag,
                    TagEnd::MetadataBlock(_)
                        | TagEnd::Heading(_)
                        | TagEnd::CodeBlock
                        | TagEnd::HtmlBlock
                        | TagEnd::BlockQuote(_)
                        | TagEnd::Item
                        | TagEnd::Paragraph
                ) {
                    continue;
                }
                let Some(open) = stack.pop() else { continue };
                let line = line_of(open.start);
                match open.block {
                    Block::Inner => append(&mut stack, "\n\n"),
                    Block::Ignore => {}
                    Block::Meta => fm = parse_front_matter(&open.buf, line + 1),
                    Block::Heading => {
                        let h = normalize(&open.buf);
                        topic = (!h.is_empty()).then_some(h);
                    }
                    Block::Quote => {
                        let text = normalize(&open.buf);
                        let (text, by) = split_attribution(&text);
                        let text = text
                            .split("\n\n")
                            .map(|p| strip_matching(p.trim(), QUOTE_PAIRS).trim())
                            .filter(|p| !p.is_empty())
                            .collect::<Vec<_>>()
                            .join("\n\n");
                        if !text.is_empty() {
                            raw.push(RawTurn {
                                kind: Kind::Quote(by.map(str::to_string)),
                                text,
                                line,
                                topic: topic.clone(),
                            });
                        }
                    }
                    Block::Item | Block::Para => {
                        let text = normalize(&open.buf);
                        if text.is_empty() {
                            continue;
                        }
                        let (head, tail) = text.split_once('\n').unwrap_or((&text, ""));
                        let turn = match split_speaker(head) {
                            Some(sp) => {
                                let body = format!("{}\n{}", sp.text, tail.trim());
                                RawTurn {
                                    kind: Kind::Named(sp.name.to_string()),
                                    text: body.trim().to_string(),
                                    line,
                                    topic: topic.clone(),
                                }
                            }
                            None => RawTurn {
                                kind: Kind::Note,
                                text: text.clone(),
                                line,
                                topic: topic.clone(),
                            },
                        };
                        if !turn.text.is_empty() {
                            raw.push(turn);
                        }
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => append(&mut stack, &t),
            Event::SoftBreak => append(&mut stack, " "),
            Event::HardBreak => append(&mut stack, "\n"),
            _ => {}
        }
    }

    let date = fm.date.as_ref().and_then(|(value, line)| {
        let d = parse_date(value);
        if d.is_none() {
            out.warn(
                at(path, *line),
                format!("invalid date '{value}' (kept the record without a date)"),
            );
        }
        d
    });
    if raw.is_empty() {
        out.warnings.clear();
        out.skip(at(path, 0), "empty notes: no text outside front matter");
        return out;
    }

    let turn = |r: &RawTurn, speaker: Option<String>, role: Role, verbatim: bool| Turn {
        speaker,
        role,
        text: r.text.clone(),
        source: SourceRef {
            path: path.to_string(),
            line: r.line,
            row: None,
            timestamp: None,
        },
        topic: r.topic.clone(),
        verbatim,
        exact_lines: false,
    };
    // Roles of named turns: the participant is the customer; the rest are
    // found as in transcripts.
    let mut named: Vec<Turn> = raw
        .iter()
        .filter_map(|r| match &r.kind {
            Kind::Named(n) => Some(turn(r, Some(n.clone()), Role::Customer, false)),
            _ => None,
        })
        .collect();
    let (detected, mut decisions) = assign_roles(path, &mut named, Known::default());
    let participant = fm.participant.clone();
    // The participant's full name or first name.
    let is_participant = |name: &str| {
        participant.as_deref().is_some_and(|p| {
            let (name, p) = (base_name(name).to_lowercase(), p.trim().to_lowercase());
            name == p || p.split_whitespace().next() == Some(name.as_str())
        })
    };
    // With a known participant, another speaker who mostly asks questions
    // is the interviewer even over fewer than three turns.
    if participant.is_some() {
        let mut askers: Vec<(String, usize, usize)> = Vec::new();
        for t in named.iter().filter(|t| t.role == Role::Customer) {
            let Some(s) = t.speaker.as_deref().filter(|s| !is_participant(s)) else {
                continue;
            };
            let i = match askers.iter().position(|(n, _, _)| n == s) {
                Some(i) => i,
                None => {
                    askers.push((s.to_string(), 0, 0));
                    askers.len() - 1
                }
            };
            askers[i].1 += 1;
            askers[i].2 += usize::from(t.text.trim_end().ends_with('?'));
        }
        for t in named.iter_mut() {
            let asks = askers
                .iter()
                .any(|(n, total, q)| t.speaker.as_deref() == Some(n.as_str()) && *q * 2 >= *total);
            if asks {
                t.role = Role::Interviewer;
            }
        }
    }
    let one_participant = {
        let mut p = decisions.iter().filter(|d| d.role == Role::Customer);
        match (p.next(), p.next()) {
            (Some(one), None) => Some(one.speaker.clone()),
            _ => None,
        }
    };
    let speaker_of_quotes = participant.clone().or(one_participant);
    let mut named = named.into_iter();
    let turns: Vec<Turn> = raw
        .iter()
        .filter_map(|r| match &r.kind {
            Kind::Named(_) => named.next().map(|mut t| {
                if t.speaker.as_deref().is_some_and(is_participant) {
                    t.role = Role::Customer;
                }
                t
            }),
            Kind::Quote(by) => Some(turn(
                r,
                speaker_of_quotes.clone().or_else(|| by.clone()),
                Role::Customer,
                true,
            )),
            Kind::Note => Some(turn(r, None, Role::Interviewer, false)),
        })
        .collect();
    // The decisions say what the front matter changed.
    for d in &mut decisions {
        let Some(role) = turns
            .iter()
            .find(|t| t.speaker.as_deref() == Some(d.speaker.as_str()) && !t.verbatim)
            .map(|t| t.role)
        else {
            continue;
        };
        if role != d.role {
            d.role = role;
            d.why = match role {
                Role::Interviewer => Why::AsksBesideParticipant,
                _ => Why::FrontMatter,
            };
            d.person = (role == Role::Customer)
                .then(|| person_key(path, &d.speaker))
                .flatten();
        }
    }
    out.roles = decisions;

    let customer =
        customer_key(fm.customer_id.as_deref(), None, participant.as_deref()).or(detected);
    let mut doc = interview_document(path, turns, customer, date);
    doc.channel = fm.channel;
    out.documents.push(doc);
    out
}

/// Appends text to the innermost collecting block (dropped inside code).
fn append(stack: &mut [Open], s: &str) {
    if let Some(open) = stack.iter_mut().rev().find(|o| o.block != Block::Inner) {
        if open.block != Block::Ignore {
            open.buf.push_str(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: &str = "\
---
participant: Maya Chen
customer_id: ACME-042
date: 2026-03-04
segment: mid-market
---

# Interview — Acme

Context: ops lead, 12 seats, on the Team plan since 2024.

## Onboarding

> \u{201c}Honestly the first week was brutal.
> Nobody told us about the CSV import.\u{201d}

- She rebuilt the project list by hand.
- Sam: Did anyone from support reach out?
- Maya Chen: No, I had to find the docs myself.

## Pricing

**Maya Chen:** The per-seat price is fine, the add-ons are not.

> \"We almost churned over the SSO upsell.\"
> — Maya

```
not a turn: code
```
";

    #[test]
    fn notes_with_front_matter_headings_and_quotes() {
        let p = parse_markdown("i/maya.md", NOTES.as_bytes());
        assert!(p.skipped.is_empty() && p.warnings.is_empty());
        let d = &p.documents[0];
        assert_eq!(d.customer.as_deref(), Some("ACME-042"));
        assert_eq!(d.date.unwrap().format("%F").to_string(), "2026-03-04");
        let got: Vec<_> = d
            .turns
            .iter()
            .map(|t| {
                (
                    t.source.line,
                    t.role,
                    t.verbatim,
                    t.speaker.as_deref(),
                    t.topic.as_deref(),
                    t.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    10,
                    Role::Interviewer,
                    false,
                    None,
                    Some("Interview — Acme"),
                    "Context: ops lead, 12 seats, on the Team plan since 2024."
                ),
                (
                    14,
                    Role::Customer,
                    true,
                    Some("Maya Chen"),
                    Some("Onboarding"),
                    "Honestly the first week was brutal. Nobody told us about the CSV import."
                ),
                (
                    17,
                    Role::Interviewer,
                    false,
                    None,
                    Some("Onboarding"),
                    "She rebuilt the project list by hand."
                ),
                (
                    18,
                    Role::Interviewer,
                    false,
                    Some("Sam"),
                    Some("Onboarding"),
                    "Did anyone from support reach out?"
                ),
                (
                    19,
                    Role::Customer,
                    false,
                    Some("Maya Chen"),
                    Some("Onboarding"),
                    "No, I had to find the docs myself."
                ),
                (
                    23,
                    Role::Customer,
                    false,
                    Some("Maya Chen"),
                    Some("Pricing"),
                    "The per-seat price is fine, the add-ons are not."
                ),
                (
                    25,
                    Role::Customer,
                    true,
                    Some("Maya Chen"),
                    Some("Pricing"),
                    "We almost churned over the SSO upsell."
                ),
            ]
        );
    }

    #[test]
    fn named_turns_use_interviewer_detection() {
        let md = "\
Researcher: What do you use it for?

Bo: Invoices.

- Researcher: Anything else?
- Bo: Reports, sometimes.
";
        let d = &parse_markdown("n.md", md.as_bytes()).documents[0];
        let roles: Vec<_> = d.turns.iter().map(|t| t.role).collect();
        assert_eq!(
            roles,
            vec![
                Role::Interviewer,
                Role::Customer,
                Role::Interviewer,
                Role::Customer
            ]
        );
        assert_eq!(d.customer.as_deref(), Some("Bo"));
        assert_eq!(d.turns[2].source.line, 5);
    }

    #[test]
    fn participant_without_customer_id_and_bad_date() {
        let md = "---\nparticipant: \"P07\"\ndate: someday\n---\n> 'It just works.' \n";
        let p = parse_markdown("p.md", md.as_bytes());
        let d = &p.documents[0];
        assert_eq!(d.customer.as_deref(), Some("P07"));
        assert_eq!(d.date, None);
        assert_eq!(d.turns[0].text, "It just works.");
        assert_eq!(d.turns[0].speaker.as_deref(), Some("P07"));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 3);
        assert!(p.warnings[0].reason.starts_with("invalid date 'someday'"));
    }

    #[test]
    fn email_customer_id_is_hashed() {
        let md = "---\ncustomer_id: maya@acme.com\n---\nA note.\n";
        let d = &parse_markdown("p.md", md.as_bytes()).documents[0];
        assert!(d.customer.as_deref().unwrap().starts_with("e:"));
    }

    #[test]
    fn attribution_splitting() {
        assert_eq!(
            split_attribution("Love it — Jane"),
            ("Love it", Some("Jane"))
        );
        assert_eq!(
            split_attribution("Fast — really fast"),
            ("Fast — really fast", None)
        );
    }

    #[test]
    fn empty_notes_are_skipped_and_awkward_input_does_not_panic() {
        let p = parse_markdown("e.md", b"---\nparticipant: X\n---\n");
        assert_eq!(p.documents.len(), 0);
        assert_eq!(p.skipped.len(), 1);
        let deep = "> ".repeat(500) + "x";
        let list = "- ".repeat(500) + "x";
        let inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"---".to_vec(),
            b"---\n---".to_vec(),
            b"\"".to_vec(),
            b">".to_vec(),
            b"# \n## \n".to_vec(),
            deep.into_bytes(),
            list.into_bytes(),
            (0u8..=255).collect(),
            "**:** x\n> \u{201c}\n".as_bytes().to_vec(),
        ];
        for b in &inputs {
            let _ = parse_markdown("x.md", b);
        }
    }
}
