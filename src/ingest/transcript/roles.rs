//! Interviewer detection: consumes a document's turns; drops header lines
//! that only declare who plays which role (`Interviewer: Sam Lee`), sets
//! each turn's role (interviewer or customer, from its label, a
//! declaration or the share of questions a speaker asks) and produces the
//! document's customer key.

use super::speakers::base_name;
use crate::ingest::fields::customer_key;
use crate::model::{Role, Turn};
use std::collections::HashSet;

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
pub(super) fn take_role_declarations(turns: &mut Vec<Turn>) -> Vec<String> {
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
/// `declared`); failing that, with at least two speakers, the speaker with
/// the highest share of turns ending in `?` if that share is ≥ 0.4 over ≥ 3
/// turns. A short two-person exchange is read too when it is clear: one
/// speaker asks in every one of two or more turns and the other asks in
/// at most one turn in five. Turns without a speaker are customer voice.
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
        // Two speakers, one only asking and the other (almost) only
        // answering: the asker is the interviewer however short the talk.
        let clear = |b: &(String, usize, usize)| {
            speakers.len() == 2
                && b.1 >= 2
                && b.2 == b.1
                && speakers
                    .iter()
                    .filter(|s| s.0 != b.0)
                    .all(|s| share(s) <= 0.2)
        };
        if let Some(b) = best.filter(|b| (b.1 >= 3 && share(b) >= 0.4) || clear(b)) {
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

#[cfg(test)]
mod tests {
    use super::super::tests::speakers;
    use super::super::txt::parse_txt;
    use crate::model::{Role, SourceKind};

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
    fn question_share_needs_three_turns_unless_the_exchange_is_clear() {
        // Both ask: nobody is taken for the interviewer in four turns.
        let txt = "A1: Why?\nB2: Because. And you?\nA1: Really?\nB2: Yes, why not?\n";
        let d = &parse_txt("t.txt", txt.as_bytes()).documents[0];
        assert!(d.turns.iter().all(|t| t.role == Role::Customer));
        assert_eq!(d.customer, None);
        // One question is not enough to tell.
        let txt = "A1: Why?\nB2: Because.\n";
        let d = &parse_txt("t.txt", txt.as_bytes()).documents[0];
        assert!(d.turns.iter().all(|t| t.role == Role::Customer));
        // A short interview: she only asks, he only answers.
        let txt = "Priya Shah: How did you first hear about Ledgerly?\n\
                   Tom Berg: A friend who runs a bakery uses it.\n\
                   Priya Shah: What would make you switch away?\n\
                   Tom Berg: If the bank sync keeps dropping transactions.\n";
        let d = &parse_txt("t.txt", txt.as_bytes()).documents[0];
        let roles: Vec<_> = d.turns.iter().map(|t| t.role).collect();
        assert_eq!(
            roles,
            [
                Role::Interviewer,
                Role::Customer,
                Role::Interviewer,
                Role::Customer
            ]
        );
        assert_eq!(d.customer.as_deref(), Some("Tom Berg"));
    }
}
