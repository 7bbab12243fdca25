//! Vendor JSON exports: Zendesk tickets, Intercom conversations, App Store
//! Connect customer reviews, X (Twitter) API v2 tweets and Reddit listings.
//!
//! Consumes a `.json` / `.jsonl` file's bytes; recognises the vendor by the
//! shape of its objects and produces its [`Document`]s: one per ticket,
//! conversation, review, tweet, or Reddit post and comment. Conversations
//! keep one [`Turn`] per message with its own role (customer or agent) and
//! line. Files no vendor claims, files that are not valid JSON, and reads
//! with a user mapping go to the generic tabular reader instead (which
//! recovers from broken JSON record by record).
//!
//! Lines are exact: the JSON is parsed into a tree that keeps each value's
//! byte offset.
//!
//! The work is split by stage:
//!
//! - `json`: the JSON parser that keeps each value's position;
//! - `shapes`: which vendor's export a file is, by the shape of its objects;
//! - `readers`: one reader per vendor, records → [`Rec`]s;
//! - `html`: HTML message bodies → plain text;
//!
//! and this file holds the entry points and the [`Reader`] that turns a
//! [`Rec`] into a document.

mod html;
mod json;
mod readers;
mod shapes;

use super::fields::{decode_text, parse_date};
use super::options::IngestOptions;
use super::tabular::Lines;
use super::Parsed;
use crate::model::{stable_id, Document, Role, SourceKind, SourceRef, Turn};
use chrono::{DateTime, Utc};
use json::{parse_all, Node};
use shapes::{
    app_store_review, intercom_conversation, records, reddit_listing, twitter_top, zendesk_ticket,
};
use std::collections::HashMap;

/// Quick test before parsing: a marker only these exports have.
const MARKERS: &[&str] = &[
    "\"conversation_parts\"",
    "\"satisfaction_rating\"",
    "\"requester_id\"",
    "\"reviewerNickname\"",
    "\"author_id\"",
    "\"Listing\"",
];

/// Whether text may be a vendor's JSON export (the cheap test
/// [`parse_vendor_json`] starts with).
pub(crate) fn has_vendor_markers(text: &[u8]) -> bool {
    MARKERS
        .iter()
        .any(|m| text.windows(m.len()).any(|w| w == m.as_bytes()))
}

/// Reads a vendor JSON export; `None` when the file is not one (or a
/// mapping asks for the generic reader).
pub(crate) fn parse_vendor_json(path: &str, bytes: &[u8], opts: &IngestOptions) -> Option<Parsed> {
    if !opts.mapping.is_empty() {
        return None;
    }
    let (text, repaired) = decode_text(bytes);
    if !MARKERS.iter().any(|m| text.contains(m)) {
        return None;
    }
    let tops = parse_all(text.as_bytes()).ok()?;
    let mut r = Reader {
        path,
        lines: Lines::new(text.as_bytes()),
        out: Parsed::new(SourceKind::Ticket),
        seen: HashMap::new(),
    };
    if let Some(recs) = records(&tops, &[], reddit_listing) {
        r.reddit(&recs);
    } else if let Some(top) = twitter_top(&tops) {
        r.twitter(top);
    } else if let Some(recs) = records(&tops, &["data"], app_store_review) {
        r.app_store(&recs, &tops);
    } else if let Some(recs) = records(&tops, &["conversations", "data"], intercom_conversation) {
        r.intercom(&recs);
    } else if let Some(recs) = records(&tops, &["tickets", "ticket", "results"], zendesk_ticket) {
        r.zendesk(&recs);
    } else {
        return None;
    }
    let mut out = r.out;
    if let Some(&first) = repaired.first() {
        out.warn(
            at(path, first),
            super::fields::repaired_lines_reason(&repaired),
        );
    }
    if out.documents.is_empty() && out.skipped.is_empty() {
        out.note = Some("no records".to_string());
    }
    Some(out)
}

fn at(path: &str, line: u64) -> SourceRef {
    super::at(path, line)
}

/// Shared state of one file's read.
struct Reader<'a> {
    path: &'a str,
    lines: Lines,
    out: Parsed,
    /// Record ids seen, with the line each was first seen on.
    seen: HashMap<String, u64>,
}

/// What a reader gathered for one record.
struct Rec {
    line: u64,
    row: u64,
    id: Option<String>,
    customer: Option<String>,
    date: Option<DateTime<Utc>>,
    rating: Option<f64>,
    title: Option<String>,
    status: Option<String>,
    turns: Vec<Turn>,
    warnings: Vec<String>,
}

impl Rec {
    fn new(line: u64, row: u64) -> Rec {
        Rec {
            line,
            row,
            id: None,
            customer: None,
            date: None,
            rating: None,
            title: None,
            status: None,
            turns: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

impl Reader<'_> {
    fn line(&self, n: &Node) -> u64 {
        self.lines.of(n.at)
    }

    fn source(&self, line: u64, row: u64) -> SourceRef {
        SourceRef {
            path: self.path.to_string(),
            line,
            row: Some(row),
            timestamp: None,
        }
    }

    /// A turn citing the line of `n`.
    fn turn(
        &self,
        n: &Node,
        row: u64,
        text: String,
        role: Role,
        speaker: Option<String>,
        topic: Option<&str>,
    ) -> Turn {
        Turn {
            speaker,
            role,
            text,
            source: self.source(self.line(n), row),
            topic: topic.map(str::to_string),
            verbatim: false,
            exact_lines: false,
        }
    }

    /// A date field, with a warning when it does not parse.
    fn date(&self, n: &Node, key: &str, rec: &mut Rec) -> Option<DateTime<Utc>> {
        let raw = n.field(key)?;
        let d = parse_date(&raw);
        if d.is_none() {
            rec.warnings.push(format!(
                "invalid date '{raw}' (kept the record without a date)"
            ));
        }
        d
    }

    /// Stores a record (or skips it when it holds no text).
    fn push(&mut self, kind: SourceKind, channel: &str, rec: Rec) {
        let source = self.source(rec.line, rec.row);
        if rec.turns.is_empty() && rec.title.is_none() {
            self.out.skip(source, "empty body");
            return;
        }
        let line_id = stable_id(&[self.path, "line", &rec.line.to_string()]);
        let mut warnings = rec.warnings;
        let id = match rec.id {
            Some(rid) => match self.seen.get(&rid) {
                Some(first) => {
                    warnings.push(format!(
                        "duplicate id '{rid}' (first at line {first}); stored with a line-based id"
                    ));
                    line_id
                }
                None => {
                    self.seen.insert(rid.clone(), rec.line);
                    stable_id(&[self.path, "id", &rid])
                }
            },
            None => line_id,
        };
        for w in warnings {
            self.out.warn(source.clone(), w);
        }
        self.out.documents.push(Document {
            id,
            kind,
            source,
            customer: rec.customer,
            date: rec.date,
            rating: rec.rating,
            score: None,
            channel: Some(channel.to_string()),
            title: rec.title,
            status: rec.status,
            turns: rec.turns,
        });
    }

    fn describe(&mut self, layout: &str, kind: SourceKind, columns: &[(&str, &str)]) {
        self.out.layout = layout.to_string();
        self.out.kind = kind;
        self.out.columns = columns
            .iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zendesk_full_export_is_one_ticket_per_line() {
        let ndjson = concat!(
            r#"{"id": 1, "subject": "A", "description": "First", "requester_id": 5, "via": {"channel": "web"}, "satisfaction_rating": {"score": "good"}, "tags": ["x"]}"#,
            "\n",
            r#"{"id": 2, "subject": "B", "description": "Second", "requester_id": 6, "via": {"channel": "email"}, "created_at": "2026-03-01T10:00:00Z"}"#,
            "\n",
        );
        let p = parse_vendor_json("tickets.json", ndjson.as_bytes(), &IngestOptions::default())
            .unwrap();
        assert_eq!(p.layout, "zendesk-json");
        let lines: Vec<_> = p
            .documents
            .iter()
            .map(|d| (d.source.line, d.source.row))
            .collect();
        assert_eq!(lines, vec![(1, Some(1)), (2, Some(2))]);
        assert_eq!(p.documents[0].rating, Some(5.0));
        assert_eq!(p.documents[1].customer.as_deref(), Some("6"));
    }

    #[test]
    fn a_single_intercom_conversation_and_invalid_dates() {
        let json = r#"{"type": "conversation", "id": "9", "created_at": "soon",
            "source": {"body": "Help", "author": {"type": "contact", "name": "Ana"}},
            "conversation_parts": [{"body": "<p>On it</p>", "author": {"type": "admin", "email": "sam@x.io"}}]}"#;
        let p = parse_vendor_json("c.json", json.as_bytes(), &IngestOptions::default()).unwrap();
        let d = &p.documents[0];
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.turns[1].speaker.as_deref(), Some("sam@x.io"));
        assert_eq!(d.turns[1].role, Role::Agent);
        assert_eq!(d.customer.as_deref(), Some("Ana"));
        assert_eq!(d.date, None);
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].reason.starts_with("invalid date 'soon'"));
    }

    #[test]
    fn generic_json_is_not_claimed() {
        let opts = IngestOptions::default();
        for json in [
            &br#"[{"id": 1, "author_id": 3, "body": "x"}]"#[..],
            br#"{"data": [{"rating": 4, "title": "t", "body": "b"}]}"#,
            br#"[{"requester_id": 1, "description": "no via"}]"#,
            br#"{"kind": "Listing", "data": {}}"#,
        ] {
            assert!(
                parse_vendor_json("x.json", json, &opts).is_none(),
                "{}",
                String::from_utf8_lossy(json)
            );
        }
    }
}
