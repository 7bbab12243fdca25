//! Who is speaking: author names that are not people, and company accounts
//! that are not customers.
//!
//! Consumes author names (for customer keys) and a file's [`Document`]s
//! (for social posts); produces a yes/no for a name and, for posts by the
//! brand's own account, [`Role::Agent`] turns without a customer key.
//!
//! - **Placeholder authors** ([`PLACEHOLDER_AUTHORS`]): stores print "A
//!   Google user", "Verified User in Germany", "Amazon Customer" or
//!   "[deleted]" for anonymous reviewers. Many people share each name, so
//!   [`is_placeholder_author`] names are never a customer key: such a record
//!   is an anonymous author of its own, like a record with no author.
//! - **Company accounts** on social: an export may say so (a role column,
//!   Reddit's `distinguished`); otherwise [`mark_company_accounts`] finds an
//!   author who replies (a post starting with `@someone`) to at least
//!   [`MIN_REPLIED`] different people and speaks customer-service language
//!   ([`SERVICE_PHRASES`]: "DM us", "sorry for the wait", "our team" …) in at
//!   least [`MIN_SERVICE_POSTS`] posts. All of that author's posts in the
//!   file become agent turns: indexed and searchable, never counted as
//!   customer voice.

use crate::model::{Document, Role, SourceKind};
use std::collections::{BTreeMap, BTreeSet};

/// Author names that stores and review sites print for anonymous reviewers
/// (Google Play, G2, Trustpilot, Amazon, the App Store, Reddit), and filler
/// values exports write for a missing name. Matched case-insensitively on
/// the whole trimmed name; `*` at the end matches any ending (`verified
/// user*`: G2's "Verified User in Accounting").
pub const PLACEHOLDER_AUTHORS: &[&str] = &[
    "anonymous*",
    "anon",
    "a google user",
    "a customer",
    "customer",
    "amazon customer",
    "kindle customer",
    "app store user",
    "verified user*",
    "verified reviewer*",
    "verified buyer*",
    "verified purchaser*",
    "small business owner",
    "[deleted]",
    "deleted user",
    "guest",
    "user",
    "unknown",
    "n/a",
    "none",
    "null",
];

/// Whether an author name (or key) is a placeholder, not a person.
pub fn is_placeholder_author(name: &str) -> bool {
    let k = name.trim().to_lowercase();
    let k = k.trim_start_matches("u/");
    PLACEHOLDER_AUTHORS
        .iter()
        .any(|p| match p.strip_suffix('*') {
            Some(prefix) => k.starts_with(prefix),
            None => k == *p,
        })
}

/// Phrases a company account answers customers with. Matched in lowercase
/// text with typographic apostrophes straightened, at word boundaries.
pub const SERVICE_PHRASES: &[&str] = &[
    "dm us",
    "message us",
    "send us",
    "email us",
    "contact us",
    "reach out to us",
    "call us",
    "we're sorry",
    "we are sorry",
    "we apologise",
    "we apologize",
    "sorry for the wait",
    "sorry for the trouble",
    "sorry for the inconvenience",
    "sorry to hear",
    "sorry about this",
    "our team",
    "our billing team",
    "our support team",
    "the team is on it",
    "we're looking into",
    "we are looking into",
    "we're aware",
    "we are aware",
    "we'll escalate",
    "we will escalate",
    "happy to help",
    "thanks for reaching out",
    "not the experience we want",
    "we hear you",
];

/// Different people an author must reply to before counting as a company.
pub const MIN_REPLIED: usize = 2;
/// Posts in customer-service language an author must write to count as a
/// company.
pub const MIN_SERVICE_POSTS: usize = 2;

/// The customer-service phrase a text uses, if any.
pub fn service_phrase(text: &str) -> Option<&'static str> {
    let t = format!(
        " {} ",
        text.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'")
    );
    SERVICE_PHRASES.iter().copied().find(|p| {
        t.match_indices(p).any(|(i, _)| {
            let before = t[..i].chars().next_back();
            let after = t[i + p.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            edge(before) && edge(after)
        })
    })
}

/// The handles a post opens with (`@dana @sam thanks …` → `dana`, `sam`),
/// lowercased: whom a social reply answers.
fn reply_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let Some(h) = word.strip_prefix('@') else {
            break;
        };
        let h: String = h
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.'))
            .collect();
        let h = h.trim_end_matches('.').to_lowercase();
        if !h.is_empty() {
            out.push(h);
        }
    }
    out
}

/// An author name as a comparable handle: lowercased, without `@` or `u/`.
fn handle(name: &str) -> String {
    let n = name.trim().to_lowercase();
    n.trim_start_matches('@')
        .trim_start_matches("u/")
        .to_string()
}

/// Turns every social post by a company account into agent turns without a
/// customer key (the rule is in the module docs). Other documents are left
/// as they are. Returns the handles found, sorted.
pub(crate) fn mark_company_accounts(docs: &mut [Document]) -> Vec<String> {
    #[derive(Default)]
    struct Seen {
        replied: BTreeSet<String>,
        service: usize,
    }
    let mut by_author: BTreeMap<String, Seen> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.kind == SourceKind::Social) {
        let Some(first) = d.turns.first().filter(|t| t.role == Role::Customer) else {
            continue;
        };
        let Some(author) = first
            .speaker
            .as_deref()
            .map(handle)
            .filter(|a| !a.is_empty())
        else {
            continue;
        };
        let seen = by_author.entry(author.clone()).or_default();
        seen.replied.extend(
            reply_targets(&first.text)
                .into_iter()
                .filter(|h| *h != author),
        );
        if service_phrase(&first.text).is_some() {
            seen.service += 1;
        }
    }
    let company: Vec<String> = by_author
        .into_iter()
        .filter(|(_, s)| s.replied.len() >= MIN_REPLIED && s.service >= MIN_SERVICE_POSTS)
        .map(|(a, _)| a)
        .collect();
    if company.is_empty() {
        return company;
    }
    for d in docs.iter_mut().filter(|d| d.kind == SourceKind::Social) {
        let Some(speaker) = d.turns.first().and_then(|t| t.speaker.clone()) else {
            continue;
        };
        if company.binary_search(&handle(&speaker)).is_ok() {
            to_agent(d, &speaker);
        }
    }
    company
}

/// Makes a document's turns agent turns; a customer key that was only the
/// author's name is dropped (an explicit id is kept).
pub(crate) fn to_agent(d: &mut Document, speaker: &str) {
    for t in &mut d.turns {
        t.role = Role::Agent;
    }
    if d.customer.as_deref() == Some(speaker) {
        d.customer = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceRef, Turn};

    #[test]
    fn placeholder_names_match_whole_or_by_prefix_in_any_case() {
        for p in [
            "A Google user",
            "Verified User in Germany",
            "verified reviewer",
            "ANONYMOUS",
            "Anonymous Reviewer",
            "Amazon Customer",
            "Kindle Customer",
            "App Store user",
            "Guest",
            "N/A",
            "Unknown",
            "Deleted user",
            "[deleted]",
            "u/[deleted]",
            " a customer ",
        ] {
            assert!(is_placeholder_author(p), "{p}");
        }
        for p in [
            "Zoe M.",
            "C0007",
            "Guest House Ltd",
            "Unknown Pleasures Records",
            "@userbob",
        ] {
            assert!(!is_placeholder_author(p), "{p}");
        }
    }

    #[test]
    fn service_phrases_match_whole_words_only() {
        assert_eq!(
            service_phrase("Please DM us your ticket number"),
            Some("dm us")
        );
        assert_eq!(
            service_phrase("We\u{2019}re sorry, Sasha"),
            Some("we're sorry")
        );
        assert_eq!(service_phrase("ask our teammates"), None);
        assert_eq!(service_phrase("I love this app"), None);
    }

    fn post(author: &str, text: &str, customer: Option<&str>) -> Document {
        Document {
            id: text.to_string(),
            kind: SourceKind::Social,
            source: SourceRef {
                path: "m.jsonl".into(),
                line: 1,
                row: None,
                timestamp: None,
            },
            customer: customer.map(str::to_string),
            date: None,
            rating: None,
            score: None,
            channel: Some("twitter".into()),
            title: None,
            status: None,
            turns: vec![Turn {
                speaker: Some(author.to_string()),
                role: Role::Customer,
                text: text.to_string(),
                source: SourceRef {
                    path: "m.jsonl".into(),
                    line: 1,
                    row: None,
                    timestamp: None,
                },
                topic: None,
                verbatim: false,
                exact_lines: false,
            }],
        }
    }

    #[test]
    fn a_brand_replying_to_several_people_in_service_language_is_an_agent() {
        let mut docs = vec![
            post(
                "@dana",
                "@Acme the export broke again, sorry to hear it's not just me",
                Some("@dana"),
            ),
            post(
                "@Acme",
                "@dana Sorry for the wait. Please DM us your ticket number.",
                Some("@Acme"),
            ),
            post("@Acme", "@sam Thanks for the shout-out!", Some("@Acme")),
            post(
                "@Acme",
                "@lee We're aware of an issue and our team is on it.",
                Some("@Acme"),
            ),
            // A customer who answers two people kindly, once in service words.
            post("@kim", "@dana sorry to hear that, same here", Some("@kim")),
            post("@kim", "@lee try the CSV export instead", Some("@kim")),
        ];
        assert_eq!(mark_company_accounts(&mut docs), vec!["acme".to_string()]);
        let roles: Vec<(Role, Option<&str>)> = docs
            .iter()
            .map(|d| (d.turns[0].role, d.customer.as_deref()))
            .collect();
        assert_eq!(
            roles,
            vec![
                (Role::Customer, Some("@dana")),
                (Role::Agent, None),
                (Role::Agent, None),
                (Role::Agent, None),
                (Role::Customer, Some("@kim")),
                (Role::Customer, Some("@kim")),
            ]
        );
    }

    #[test]
    fn service_language_to_one_person_only_is_not_a_company() {
        let mut docs = vec![
            post("@acme", "@dana Sorry for the wait, DM us", None),
            post("@acme", "@dana We're aware, our team is on it", None),
        ];
        assert!(mark_company_accounts(&mut docs).is_empty());
        assert!(docs.iter().all(|d| d.turns[0].role == Role::Customer));
    }
}
