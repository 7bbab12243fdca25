//! Messages: the text a snippet is read in. Snippets in, for each one the
//! message it came from out.
//!
//! A sentence's stage, intent and driver draw on more than its own words:
//! "Is there a limit on clients?" is a prospect's question in a ticket
//! titled "Trial question" and an existing customer's in a bank chat. For a
//! ticket, review, post or survey answer the message is the whole record:
//! its title (or subject) and its body, in order, which `segment` gives as
//! the contexts of the record's snippets. For an interview or notes it is
//! the speaker's turn: one interview spans the whole journey, so the rest
//! of it says nothing about one answer.

use crate::model::{Snippet, SourceKind};
use std::collections::HashMap;

/// Whether a snippet of this kind is read in its whole record (true) or in
/// its turn only (interviews).
pub fn whole_record(kind: SourceKind) -> bool {
    kind != SourceKind::Interview
}

/// The message of each snippet, in order. Snippets of one record must be
/// in the same call (`cairn run` tags whole records at a time): their
/// distinct contexts (title, body) make the message, in the order met.
pub fn messages(snippets: &[Snippet]) -> Vec<String> {
    let mut parts: HashMap<&str, Vec<&str>> = HashMap::new();
    for s in snippets.iter().filter(|s| whole_record(s.kind)) {
        let p = parts.entry(s.doc_id.as_str()).or_default();
        if !p.contains(&s.context.as_str()) {
            p.push(s.context.as_str());
        }
    }
    snippets
        .iter()
        .map(|s| match parts.get(s.doc_id.as_str()) {
            Some(p) if whole_record(s.kind) => p.join("\n"),
            _ => s.context.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::predict::snippet;

    fn in_doc(text: &str, context: &str, kind: SourceKind, doc: &str) -> Snippet {
        let mut s = snippet(text, Some(context), kind, "t.csv", 2);
        s.doc_id = doc.into();
        s
    }

    #[test]
    fn a_ticket_is_read_with_its_subject_and_an_interview_answer_in_its_turn() {
        let body = "Is there a limit on clients? Thanks.";
        let turn = "I signed up in May. The export is slow.";
        let snippets = vec![
            in_doc("Trial question", "Trial question", SourceKind::Ticket, "t1"),
            in_doc(
                "Is there a limit on clients?",
                body,
                SourceKind::Ticket,
                "t1",
            ),
            in_doc("Thanks.", body, SourceKind::Ticket, "t1"),
            in_doc("Refund", "Refund", SourceKind::Ticket, "t2"),
            in_doc("The export is slow.", turn, SourceKind::Interview, "i1"),
            in_doc(
                "We use it daily.",
                "We use it daily.",
                SourceKind::Interview,
                "i1",
            ),
        ];
        let m = messages(&snippets);
        assert_eq!(m[1], format!("Trial question\n{body}"));
        assert_eq!(m[0], m[2]);
        assert_eq!(m[3], "Refund");
        assert_eq!(m[4], turn);
        assert_eq!(m[5], "We use it daily.");
    }
}
