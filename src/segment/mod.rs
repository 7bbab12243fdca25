//! Segmentation: a [`Document`] in, its [`Snippet`]s out.
//!
//! Each turn (and the title, if any) is redacted first, then split into
//! sentences. A snippet keeps the line it starts on (the turn's line plus
//! the line breaks before it), its speaker and role, its person (the
//! document's customer, or in a focus group the speaker's own person key)
//! and the whole redacted turn as context. Ids are stable: the same document always gives the same
//! snippet ids, so re-ingesting replaces rather than duplicates.

pub mod sentences;

use crate::ingest::{customer_key, person_key};
use crate::model::{stable_id, Document, Role, Snippet, SourceKind, SourceRef, Turn};

pub use crate::redact::redact;

/// Split a document into redacted sentence snippets.
pub fn segment(doc: &Document) -> Vec<Snippet> {
    let mut out = Vec::new();
    if let Some(title) = doc.title.as_deref().filter(|t| !t.trim().is_empty()) {
        let turn = Turn {
            speaker: None,
            role: Role::Customer,
            text: title.to_string(),
            source: doc.source.clone(),
            topic: None,
            verbatim: false,
            exact_lines: false,
        };
        push_turn(doc, "title", &turn, &mut out);
    }
    for (i, turn) in doc.turns.iter().enumerate() {
        push_turn(doc, &i.to_string(), turn, &mut out);
    }
    out
}

fn push_turn(doc: &Document, turn_key: &str, turn: &Turn, out: &mut Vec<Snippet>) {
    let redacted = redact(&turn.text);
    let context = normalize_space(&redacted);
    for (n, (s, e)) in sentences::split(&redacted).into_iter().enumerate() {
        let text = normalize_space(&redacted[s..e]);
        if text.is_empty() {
            continue;
        }
        let line_offset = if turn.exact_lines {
            redacted[..s].matches('\n').count() as u64
        } else {
            0
        };
        let source = SourceRef {
            line: turn.source.line + line_offset,
            ..turn.source.clone()
        };
        out.push(Snippet {
            id: stable_id(&[&doc.id, turn_key, &n.to_string()]),
            doc_id: doc.id.clone(),
            kind: doc.kind,
            source,
            speaker: redact_opt(&turn.speaker),
            role: turn.role,
            customer: doc.customer.clone().or_else(|| speaker_person(doc, turn)),
            date: doc.date,
            rating: doc.rating,
            score: doc.score,
            channel: redact_opt(&doc.channel),
            topic: redact_opt(&turn.topic),
            text,
            context: context.clone(),
        });
    }
}

/// The person a customer turn of a document without one customer counts
/// as: in an interview (a focus group), the speaker's person key, so a
/// generic label (`Participant`, `Speaker 2`) is a different person in
/// every file; elsewhere the speaker's name. A placeholder name ("A Google
/// user") is nobody in particular.
fn speaker_person(doc: &Document, turn: &Turn) -> Option<String> {
    if turn.role != Role::Customer {
        return None;
    }
    let speaker = turn.speaker.as_deref()?;
    match doc.kind {
        SourceKind::Interview => person_key(&doc.source.path, speaker),
        // An email or phone number where a name goes is hashed.
        _ => customer_key(None, None, Some(speaker)),
    }
}

/// A speaker, channel or topic as stored: names stay, but an email or a
/// phone number written where a name goes (`jane@example.com: hi`) does not.
fn redact_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|s| redact(s).into_owned())
}

/// `doc` as it may be shown: its title, turns and speakers redacted as
/// [`segment`] stores them (for `ingest --dry-run --json`, which prints
/// the record beside its snippets).
pub fn redact_document(doc: &Document) -> Document {
    let mut d = doc.clone();
    d.title = redact_opt(&d.title);
    d.channel = redact_opt(&d.channel);
    d.status = redact_opt(&d.status);
    for t in &mut d.turns {
        t.text = redact(&t.text).into_owned();
        t.speaker = redact_opt(&t.speaker);
        t.topic = redact_opt(&t.topic);
    }
    d
}

/// Collapse runs of whitespace (including line breaks) into single spaces.
pub fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;

    fn doc(text: &str) -> Document {
        Document {
            id: "d1".into(),
            kind: SourceKind::Ticket,
            source: SourceRef {
                path: "corpus/t.csv".into(),
                line: 10,
                row: Some(9),
                timestamp: None,
            },
            customer: Some("C0001".into()),
            date: None,
            rating: None,
            score: None,
            channel: Some("zendesk".into()),
            title: Some("Charged twice".into()),
            status: None,
            turns: vec![Turn {
                speaker: None,
                role: Role::Customer,
                text: text.into(),
                source: SourceRef {
                    path: "corpus/t.csv".into(),
                    line: 10,
                    row: Some(9),
                    timestamp: None,
                },
                topic: None,
                verbatim: false,
                exact_lines: true,
            }],
        }
    }

    #[test]
    fn a_speaker_is_the_customer_unless_a_placeholder_name() {
        let mut d = doc("The export broke.");
        d.customer = None;
        d.turns[0].speaker = Some("Zoe M.".into());
        assert_eq!(segment(&d)[1].customer.as_deref(), Some("Zoe M."));
        d.turns[0].speaker = Some("A Google user".into());
        assert_eq!(segment(&d)[1].customer, None);
        assert_eq!(segment(&d)[1].speaker.as_deref(), Some("A Google user"));
    }

    #[test]
    fn title_and_sentences_become_snippets_with_lines() {
        let d = doc("Hi team,\nmy card 4111 1111 1111 1111 was charged twice.\n\nPlease call +1 (415) 555-0134 asap.");
        let s = segment(&d);
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Charged twice",
                "Hi team, my card [CARD] was charged twice.",
                "Please call [PHONE] asap."
            ]
        );
        assert_eq!(s[1].source.line, 10);
        assert_eq!(s[2].source.line, 13);
        assert!(s.iter().all(|s| !s.context.contains("4111")));
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = segment(&doc("One thing broke. Another thing broke."));
        let b = segment(&doc("One thing broke. Another thing broke."));
        assert_eq!(a, b);
        let mut ids: Vec<_> = a.iter().map(|s| &s.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 3);
    }
}
