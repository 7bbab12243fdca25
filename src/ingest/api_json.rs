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

use super::fields::{customer_key, decode_text, parse_date, parse_rating, parse_satisfaction};
use super::options::IngestOptions;
use super::tabular::Lines;
use super::Parsed;
use crate::model::{stable_id, Document, Role, SourceKind, SourceRef, Turn};
use chrono::{DateTime, Utc};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

// ------------------------------------------------- JSON with positions

/// A JSON value.
#[derive(Debug)]
enum J {
    Null,
    Bool(bool),
    /// A number as written (ids stay exact).
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

/// A JSON value and the byte offset it starts at.
#[derive(Debug)]
struct Node {
    at: usize,
    v: J,
}

impl Node {
    /// The value under `key`, unless absent or `null`.
    fn get(&self, key: &str) -> Option<&Node> {
        match &self.v {
            J::Obj(m) => m
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, n)| n)
                .filter(|n| !matches!(n.v, J::Null)),
            _ => None,
        }
    }

    fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |n, k| n.get(k))
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A string (trimmed, non-empty), number or boolean as text.
    fn text(&self) -> Option<String> {
        match &self.v {
            J::Str(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            J::Num(n) => Some(n.clone()),
            J::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn str(&self) -> Option<&str> {
        match &self.v {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    fn items(&self) -> &[Node] {
        match &self.v {
            J::Arr(a) => a,
            _ => &[],
        }
    }

    fn is_obj(&self) -> bool {
        matches!(self.v, J::Obj(_))
    }

    /// `get(key)` as text.
    fn field(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Node::text)
    }
}

/// Nesting deeper than this is not an export this module reads.
const MAX_DEPTH: usize = 128;

fn ws(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && b[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

fn value(b: &[u8], p: usize, depth: usize) -> Result<(Node, usize), String> {
    if depth > MAX_DEPTH {
        return Err("nested too deep".into());
    }
    let lit = |word: &[u8], v: J| -> Result<(Node, usize), String> {
        if b[p..].starts_with(word) {
            Ok((Node { at: p, v }, p + word.len()))
        } else {
            Err(format!("unexpected character at byte {p}"))
        }
    };
    match b.get(p) {
        None => Err("unexpected end".into()),
        Some(b'{') => {
            let mut members = Vec::new();
            let mut q = ws(b, p + 1);
            if b.get(q) == Some(&b'}') {
                return Ok((
                    Node {
                        at: p,
                        v: J::Obj(members),
                    },
                    q + 1,
                ));
            }
            loop {
                let (key, after) = value(b, q, depth + 1)?;
                let J::Str(key) = key.v else {
                    return Err("expected a key".into());
                };
                q = ws(b, after);
                if b.get(q) != Some(&b':') {
                    return Err("expected ':'".into());
                }
                let (v, after) = value(b, ws(b, q + 1), depth + 1)?;
                members.push((key, v));
                q = ws(b, after);
                match b.get(q) {
                    Some(b',') => q = ws(b, q + 1),
                    Some(b'}') => {
                        return Ok((
                            Node {
                                at: p,
                                v: J::Obj(members),
                            },
                            q + 1,
                        ))
                    }
                    _ => return Err("expected ',' or '}'".into()),
                }
            }
        }
        Some(b'[') => {
            let mut items = Vec::new();
            let mut q = ws(b, p + 1);
            if b.get(q) == Some(&b']') {
                return Ok((
                    Node {
                        at: p,
                        v: J::Arr(items),
                    },
                    q + 1,
                ));
            }
            loop {
                let (v, after) = value(b, q, depth + 1)?;
                items.push(v);
                q = ws(b, after);
                match b.get(q) {
                    Some(b',') => q = ws(b, q + 1),
                    Some(b']') => {
                        return Ok((
                            Node {
                                at: p,
                                v: J::Arr(items),
                            },
                            q + 1,
                        ))
                    }
                    _ => return Err("expected ',' or ']'".into()),
                }
            }
        }
        Some(b'"') => {
            let mut q = p + 1;
            loop {
                match b.get(q) {
                    None => return Err("unclosed string".into()),
                    Some(b'\\') => q += 2,
                    Some(b'"') => break,
                    Some(_) => q += 1,
                }
            }
            let s: String =
                serde_json::from_slice(&b[p..=q]).map_err(|e| format!("bad string: {e}"))?;
            Ok((
                Node {
                    at: p,
                    v: J::Str(s),
                },
                q + 1,
            ))
        }
        Some(b't') => lit(b"true", J::Bool(true)),
        Some(b'f') => lit(b"false", J::Bool(false)),
        Some(b'n') => lit(b"null", J::Null),
        Some(c) if *c == b'-' || c.is_ascii_digit() => {
            let mut q = p + 1;
            while q < b.len() && matches!(b[q], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                q += 1;
            }
            let text = std::str::from_utf8(&b[p..q]).map_err(|e| e.to_string())?;
            text.parse::<f64>()
                .map_err(|e| format!("bad number: {e}"))?;
            Ok((
                Node {
                    at: p,
                    v: J::Num(text.to_string()),
                },
                q,
            ))
        }
        Some(_) => Err(format!("unexpected character at byte {p}")),
    }
}

/// The top-level values of a file: one, or several (JSON Lines).
fn parse_all(b: &[u8]) -> Result<Vec<Node>, String> {
    let mut out = Vec::new();
    let mut p = ws(b, 0);
    while p < b.len() {
        let (v, after) = value(b, p, 0)?;
        out.push(v);
        p = ws(b, after);
    }
    Ok(out)
}

// ----------------------------------------------------------- detection

/// The candidate records of a file: every top-level value of JSON Lines; a
/// top-level array's items; a top-level object's array (or object) under
/// one of `keys`; or the object itself. `Some` only when there is at least
/// one and every one passes `test`.
fn records<'a>(tops: &'a [Node], keys: &[&str], test: fn(&Node) -> bool) -> Option<Vec<&'a Node>> {
    let found: Vec<&Node> = match tops {
        [] => return None,
        [top] if test(top) => vec![top],
        [top] => match &top.v {
            J::Arr(items) => items.iter().collect(),
            J::Obj(_) => {
                let inner = keys.iter().find_map(|k| top.get(k))?;
                match &inner.v {
                    J::Arr(items) => items.iter().collect(),
                    J::Obj(_) => vec![inner],
                    _ => return None,
                }
            }
            _ => return None,
        },
        many => many.iter().collect(),
    };
    (!found.is_empty() && found.iter().all(|n| test(n))).then_some(found)
}

fn zendesk_ticket(n: &Node) -> bool {
    n.is_obj()
        && (n.has("satisfaction_rating")
            || (n.has("requester_id") && (n.has("via") || n.has("submitter_id"))))
        && (n.has("subject") || n.has("description") || n.has("comments"))
}

fn intercom_conversation(n: &Node) -> bool {
    n.is_obj()
        && (n.get("type").and_then(Node::str) == Some("conversation")
            || n.has("conversation_parts"))
        && (n.has("source") || n.has("conversation_parts"))
}

fn app_store_review(n: &Node) -> bool {
    n.is_obj()
        && (n.get("type").and_then(Node::str) == Some("customerReviews")
            || n.path(&["attributes", "reviewerNickname"]).is_some())
        && n.has("attributes")
}

fn tweet(n: &Node) -> bool {
    n.is_obj() && n.has("text") && (n.has("author_id") || n.has("edit_history_tweet_ids"))
}

/// The response object of the X API: tweets under `data`.
fn twitter_top(tops: &[Node]) -> Option<&Node> {
    let [top] = tops else { return None };
    let data = top.get("data")?;
    let ok = match &data.v {
        J::Arr(items) => !items.is_empty() && items.iter().all(tweet),
        J::Obj(_) => tweet(data),
        _ => false,
    };
    ok.then_some(top)
}

fn reddit_listing(n: &Node) -> bool {
    n.is_obj()
        && n.get("kind").and_then(Node::str) == Some("Listing")
        && matches!(n.path(&["data", "children"]).map(|c| &c.v), Some(J::Arr(_)))
}

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

// -------------------------------------------------------------- readers

/// HTML block ends and tags, for message bodies.
static BLOCK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</h[1-6]\s*>|</blockquote\s*>")
        .expect("valid regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));
static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});").expect("valid regex")
});

/// Plain text of an HTML message body (`<p>Hi</p><p>there &amp; you</p>` →
/// `Hi\nthere & you`); text without tags is only trimmed.
fn html_text(s: &str) -> String {
    let markup = (s.contains('<') && s.contains('>')) || s.contains('&');
    if !markup {
        return s.trim().to_string();
    }
    let s = BLOCK_END.replace_all(s, "\n");
    let s = TAG.replace_all(&s, "");
    let s = ENTITY.replace_all(&s, |c: &regex::Captures| {
        let e = &c[1];
        let ch = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = e.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match e {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => None,
            }
        };
        ch.map_or_else(|| c[0].to_string(), String::from)
    });
    let mut out: Vec<&str> = Vec::new();
    for line in s.lines().map(str::trim) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
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

    /// Zendesk Support tickets as the Tickets API returns them (`GET
    /// /api/v2/tickets.json`: `{"tickets": [...]}`, or `{"ticket": {...}}`)
    /// and as Admin Center → Account → Tools → Reports → Export → JSON
    /// writes them (one ticket per line): `id, subject, description, status,
    /// requester_id, via {channel}, tags [...], created_at, satisfaction_rating
    /// {score: good|bad|offered|unoffered, comment}`, and `comments [{author_id,
    /// body, plain_body, public}]` when the export includes them. The
    /// requester's comments are customer turns, everyone else's agent turns
    /// (private notes are left out); the CSAT comment is a customer turn with
    /// the topic `satisfaction comment`. Tags are read but not stored: the
    /// document model has no field for them.
    fn zendesk(&mut self, tickets: &[&Node]) {
        self.describe(
            "zendesk-json",
            SourceKind::Ticket,
            &[
                ("body", "description / comments[].plain_body"),
                ("title", "subject"),
                ("customer", "requester_id"),
                ("email", "requester.email"),
                ("date", "created_at"),
                ("rating", "satisfaction_rating.score"),
                ("id", "id"),
                ("status", "status"),
            ],
        );
        for (i, t) in tickets.iter().enumerate() {
            let mut rec = Rec::new(self.line(t), i as u64 + 1);
            rec.id = t.field("id");
            rec.title = t.field("subject").or_else(|| t.field("raw_subject"));
            rec.status = t.field("status");
            rec.date = self.date(t, "created_at", &mut rec);
            let requester = t.field("requester_id");
            let email = t
                .path(&["requester", "email"])
                .or_else(|| t.path(&["via", "source", "from", "address"]))
                .and_then(Node::text);
            let name = t
                .path(&["requester", "name"])
                .or_else(|| t.path(&["via", "source", "from", "name"]))
                .and_then(Node::text);
            rec.customer = customer_key(
                t.path(&["requester", "external_id"])
                    .and_then(Node::text)
                    .as_deref(),
                email.as_deref(),
                None,
            )
            .or(requester.clone())
            .or_else(|| customer_key(None, None, name.as_deref()));
            if let Some(s) = t.get("satisfaction_rating") {
                let score = s.field("score").or_else(|| s.text());
                rec.rating = score.as_deref().and_then(parse_satisfaction);
            }
            let row = rec.row;
            let comments: Vec<&Node> = t
                .get("comments")
                .map(|c| c.items().iter().collect())
                .unwrap_or_default();
            if comments.is_empty() {
                if let Some(d) = t.get("description") {
                    if let Some(text) = d.text().map(|s| html_text(&s)).filter(|s| !s.is_empty()) {
                        rec.turns
                            .push(self.turn(d, row, text, Role::Customer, name.clone(), None));
                    }
                }
            }
            for c in comments {
                if c.get("public").and_then(|p| p.text()).as_deref() == Some("false") {
                    continue;
                }
                let body = c
                    .field("plain_body")
                    .or_else(|| c.field("body"))
                    .or_else(|| c.field("html_body"))
                    .map(|s| html_text(&s))
                    .filter(|s| !s.is_empty());
                let Some(body) = body else { continue };
                let by_requester = requester.is_some() && c.field("author_id") == requester;
                let (role, speaker) = if by_requester {
                    (Role::Customer, name.clone())
                } else {
                    (Role::Agent, None)
                };
                rec.turns.push(self.turn(c, row, body, role, speaker, None));
            }
            if let Some(c) = t.path(&["satisfaction_rating", "comment"]) {
                if let Some(text) = c.text() {
                    rec.turns.push(self.turn(
                        c,
                        row,
                        text,
                        Role::Customer,
                        name.clone(),
                        Some("satisfaction comment"),
                    ));
                }
            }
            self.push(SourceKind::Ticket, "zendesk", rec);
        }
    }

    /// Intercom conversations as the Conversations API returns them (`GET
    /// /conversations/{id}`, or a `conversation.list`) and as exports built
    /// on it save them: `{type: "conversation", id, created_at (epoch
    /// seconds), state, source {subject, body (HTML), author {type, name,
    /// email}}, conversation_parts {conversation_parts: [{part_type, body,
    /// author {type, name}}]}, conversation_rating {rating, remark}}`. One
    /// document per conversation dated by its `created_at`, one turn per
    /// message: authors of type `user`, `lead` or `contact` are the customer;
    /// `admin`, `bot`, `team` (and any other) are agents. Parts without a
    /// body (assignments, closes) are left out.
    fn intercom(&mut self, convs: &[&Node]) {
        self.describe(
            "intercom-json",
            SourceKind::Ticket,
            &[
                ("body", "source.body / conversation_parts[].body"),
                ("title", "source.subject"),
                ("customer", "author.email / author.name"),
                ("author", "author.name"),
                ("date", "created_at"),
                ("rating", "conversation_rating.rating"),
                ("id", "id"),
                ("status", "state"),
            ],
        );
        for (i, c) in convs.iter().enumerate() {
            let mut rec = Rec::new(self.line(c), i as u64 + 1);
            let row = rec.row;
            rec.id = c.field("id");
            rec.date = self.date(c, "created_at", &mut rec);
            rec.title = c
                .path(&["source", "subject"])
                .and_then(Node::text)
                .map(|s| html_text(&s))
                .filter(|s| !s.is_empty());
            rec.status = c.field("state").or_else(|| {
                c.field("open")
                    .map(|o| if o == "true" { "open" } else { "closed" }.to_string())
            });
            let contact_ext = c
                .path(&["contacts", "contacts"])
                .and_then(|l| l.items().first())
                .and_then(|first| first.field("external_id"));
            let parts = c
                .get("conversation_parts")
                .map(|p| match &p.v {
                    J::Arr(items) => items.iter().collect::<Vec<_>>(),
                    _ => p
                        .get("conversation_parts")
                        .map(|l| l.items().iter().collect())
                        .unwrap_or_default(),
                })
                .unwrap_or_default();
            let messages = c.get("source").into_iter().chain(parts);
            for m in messages {
                let Some(body) = m
                    .field("body")
                    .map(|b| html_text(&b))
                    .filter(|b| !b.is_empty())
                else {
                    continue;
                };
                let author = m.get("author");
                let kind = author.and_then(|a| a.field("type")).unwrap_or_default();
                let role = match kind.as_str() {
                    "user" | "lead" | "contact" => Role::Customer,
                    _ => Role::Agent,
                };
                let name = author.and_then(|a| a.field("name"));
                let email = author.and_then(|a| a.field("email"));
                if role == Role::Customer && rec.customer.is_none() {
                    rec.customer =
                        customer_key(contact_ext.as_deref(), email.as_deref(), name.as_deref());
                }
                let speaker = name.or(email.filter(|_| role == Role::Agent));
                rec.turns.push(self.turn(m, row, body, role, speaker, None));
            }
            if let Some(r) = c.get("conversation_rating") {
                rec.rating = r.field("rating").as_deref().and_then(parse_rating);
                if let Some(remark) = r.get("remark") {
                    if let Some(text) = remark.text() {
                        rec.turns.push(self.turn(
                            remark,
                            row,
                            text,
                            Role::Customer,
                            None,
                            Some("rating remark"),
                        ));
                    }
                }
            }
            self.push(SourceKind::Ticket, "intercom", rec);
        }
    }

    /// App Store Connect API customer reviews (`GET
    /// /v1/apps/{id}/customerReviews`, saved as returned): `{"data": [{type:
    /// "customerReviews", id, attributes {rating, title, body,
    /// reviewerNickname, createdDate, territory}, relationships {response
    /// {data {id}}}}], "included": [{type: "customerReviewResponses", id,
    /// attributes {responseBody}}]}`. The developer's response, when
    /// included, is an agent turn.
    fn app_store(&mut self, reviews: &[&Node], tops: &[Node]) {
        self.describe(
            "app-store-json",
            SourceKind::Review,
            &[
                ("body", "attributes.body"),
                ("title", "attributes.title"),
                ("customer", "attributes.reviewerNickname"),
                ("author", "attributes.reviewerNickname"),
                ("date", "attributes.createdDate"),
                ("rating", "attributes.rating"),
                ("id", "id"),
                (
                    "reply",
                    "included[customerReviewResponses].attributes.responseBody",
                ),
            ],
        );
        let mut responses: HashMap<String, &Node> = HashMap::new();
        for top in tops {
            for inc in top.get("included").map(Node::items).unwrap_or_default() {
                if inc.get("type").and_then(Node::str) == Some("customerReviewResponses") {
                    if let (Some(id), Some(body)) =
                        (inc.field("id"), inc.path(&["attributes", "responseBody"]))
                    {
                        responses.insert(id, body);
                    }
                }
            }
        }
        for (i, r) in reviews.iter().enumerate() {
            let mut rec = Rec::new(self.line(r), i as u64 + 1);
            let row = rec.row;
            rec.id = r.field("id");
            let Some(a) = r.get("attributes") else {
                self.push(SourceKind::Review, "app store", rec);
                continue;
            };
            rec.date = self.date(a, "createdDate", &mut rec);
            if let Some(raw) = a.field("rating") {
                rec.rating = parse_rating(&raw);
                if rec.rating.is_none() {
                    rec.warnings.push(format!(
                        "invalid rating '{raw}' (expected 1–5; kept the record without a rating)"
                    ));
                }
            }
            rec.title = a.field("title");
            let nick = a.field("reviewerNickname");
            rec.customer = customer_key(None, None, nick.as_deref());
            if let Some(b) = a.get("body") {
                if let Some(text) = b.text() {
                    rec.turns
                        .push(self.turn(b, row, text, Role::Customer, nick.clone(), None));
                }
            }
            let reply = r
                .path(&["relationships", "response", "data", "id"])
                .and_then(Node::text)
                .and_then(|id| responses.get(&id).copied());
            if let Some(body) = reply {
                if let Some(text) = body.text() {
                    rec.turns
                        .push(self.turn(body, row, text, Role::Agent, None, None));
                }
            }
            self.push(SourceKind::Review, "app store", rec);
        }
    }

    /// X (Twitter) API v2 tweets (`GET /2/tweets/search/recent` and friends
    /// with `expansions=author_id`, saved as returned): `{"data": [{id, text,
    /// author_id, created_at, public_metrics {like_count, retweet_count …},
    /// note_tweet {text}}], "includes": {"users": [{id, username, name}]}}`.
    /// The author's `@username` (from `includes.users`, else the author id)
    /// is the speaker and customer key; a long post's `note_tweet.text`
    /// replaces the truncated `text`. Public metrics are read but not
    /// stored: the document model has no engagement field.
    fn twitter(&mut self, top: &Node) {
        self.describe(
            "twitter-json",
            SourceKind::Social,
            &[
                ("body", "data[].text"),
                ("customer", "data[].author_id → includes.users[].username"),
                ("author", "includes.users[].username"),
                ("date", "data[].created_at"),
                ("id", "data[].id"),
            ],
        );
        let mut users: HashMap<String, String> = HashMap::new();
        for u in top
            .path(&["includes", "users"])
            .map(Node::items)
            .unwrap_or_default()
        {
            if let (Some(id), Some(name)) = (u.field("id"), u.field("username")) {
                users.insert(id, format!("@{}", name.trim_start_matches('@')));
            }
        }
        let Some(data) = top.get("data") else { return };
        let tweets: Vec<&Node> = match &data.v {
            J::Arr(items) => items.iter().collect(),
            _ => vec![data],
        };
        for (i, t) in tweets.iter().enumerate() {
            let mut rec = Rec::new(self.line(t), i as u64 + 1);
            let row = rec.row;
            rec.id = t.field("id");
            rec.date = self.date(t, "created_at", &mut rec);
            let author = t.field("author_id");
            let handle = author.as_ref().and_then(|a| users.get(a)).cloned();
            rec.customer = customer_key(None, None, handle.as_deref().or(author.as_deref()));
            let body = t.path(&["note_tweet", "text"]).or_else(|| t.get("text"));
            if let Some(b) = body {
                if let Some(text) = b.text() {
                    rec.turns
                        .push(self.turn(b, row, text, Role::Customer, handle.clone(), None));
                }
            }
            self.push(SourceKind::Social, "twitter", rec);
        }
    }

    /// Reddit listings as `reddit.com/…/comments/<id>.json` (an array of two
    /// listings: the post, then its comment tree) and `/r/<sub>/comments.json`
    /// or a user's `/comments.json` (one listing) return them: `{kind:
    /// "Listing", data: {children: [{kind: "t1", data: {id, name, author,
    /// body, created_utc, score, subreddit, replies}}]}}`. Posts (`t3`) give
    /// their title and `selftext`; nested replies are read too; deleted and
    /// removed bodies are skipped. The vote `score` is read but not stored:
    /// the document's score is an NPS score (0–10), not votes. A post the
    /// export marks as official ([`reddit_official`]) is an agent turn with
    /// no customer key.
    fn reddit(&mut self, listings: &[&Node]) {
        self.describe(
            "reddit-json",
            SourceKind::Social,
            &[
                ("body", "data.children[].data.body / selftext"),
                ("title", "data.children[].data.title"),
                ("customer", "data.children[].data.author"),
                ("author", "data.children[].data.author"),
                ("date", "data.children[].data.created_utc"),
                ("id", "data.children[].data.name"),
            ],
        );
        let mut things: Vec<&Node> = Vec::new();
        fn walk<'n>(listing: &'n Node, out: &mut Vec<&'n Node>, depth: usize) {
            if depth > 64 {
                return;
            }
            for child in listing
                .path(&["data", "children"])
                .map(Node::items)
                .unwrap_or_default()
            {
                let kind = child.get("kind").and_then(Node::str);
                if matches!(kind, Some("t1") | Some("t3")) {
                    out.push(child);
                    if let Some(replies) = child.path(&["data", "replies"]) {
                        if replies.is_obj() {
                            walk(replies, out, depth + 1);
                        }
                    }
                }
            }
        }
        for l in listings {
            walk(l, &mut things, 0);
        }
        for (i, thing) in things.iter().enumerate() {
            let Some(d) = thing.get("data") else { continue };
            let mut rec = Rec::new(self.line(thing), i as u64 + 1);
            let row = rec.row;
            rec.id = d.field("name").or_else(|| d.field("id"));
            rec.date = self.date(d, "created_utc", &mut rec);
            let author = d
                .field("author")
                .filter(|a| a != "[deleted]")
                .map(|a| format!("u/{}", a.trim_start_matches("u/")));
            let role = if reddit_official(d) {
                Role::Agent
            } else {
                rec.customer = customer_key(None, None, author.as_deref());
                Role::Customer
            };
            rec.title = d.field("title");
            let body = d.get("body").or_else(|| d.get("selftext"));
            if let Some(b) = body {
                if let Some(text) = b.text().filter(|t| t != "[deleted]" && t != "[removed]") {
                    rec.turns
                        .push(self.turn(b, row, text, role, author.clone(), None));
                }
            }
            self.push(SourceKind::Social, "reddit", rec);
        }
    }
}

/// Flair words that mark a Reddit author as speaking for the company.
const OFFICIAL_FLAIR: &[&str] = &[
    "official",
    "staff",
    "employee",
    "founder",
    "ceo",
    "support team",
    "customer support",
    "community manager",
];

/// Whether a Reddit post or comment speaks for the company or the
/// subreddit, not as a customer: `distinguished` as `moderator` or `admin`
/// (a moderator or Reddit employee posting officially), or an author flair
/// naming staff ("Official", "Ledgerly Staff", "Community Manager").
/// `is_submitter` (the thread's poster) is a customer like anyone else.
fn reddit_official(d: &Node) -> bool {
    let distinguished = d.field("distinguished").unwrap_or_default();
    if matches!(distinguished.as_str(), "moderator" | "admin") {
        return true;
    }
    let flair: Vec<String> = d
        .field("author_flair_text")
        .unwrap_or_default()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let flair = format!(" {} ", flair.join(" "));
    OFFICIAL_FLAIR
        .iter()
        .any(|w| flair.contains(&format!(" {w} ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reddit_official_posts_are_distinguished_or_staff_flaired() {
        let official = |json: &str| reddit_official(&parse_all(json.as_bytes()).unwrap()[0]);
        assert!(official(r#"{"distinguished": "moderator"}"#));
        assert!(official(r#"{"distinguished": "admin"}"#));
        assert!(official(r#"{"author_flair_text": "Acme Staff"}"#));
        assert!(official(
            r#"{"author_flair_text": "Official Acme account"}"#
        ));
        assert!(official(r#"{"author_flair_text": "Community Manager"}"#));
        assert!(!official(
            r#"{"distinguished": null, "is_submitter": true}"#
        ));
        assert!(!official(r#"{"author_flair_text": "Freelance designer"}"#));
        assert!(!official(
            r#"{"author_flair_text": "Staffing agency owner"}"#
        ));
    }

    #[test]
    fn positioned_json_keeps_offsets_and_exact_numbers() {
        let b = br#"{"a": [1, {"b": "x\"y"}], "id": 1234567890123456789, "n": null}"#;
        let tops = parse_all(b).unwrap();
        assert_eq!(tops.len(), 1);
        let a = tops[0].get("a").unwrap();
        assert_eq!(a.at, 6);
        assert_eq!(a.items()[1].field("b").as_deref(), Some("x\"y"));
        assert_eq!(tops[0].field("id").as_deref(), Some("1234567890123456789"));
        assert!(tops[0].get("n").is_none());
        assert_eq!(parse_all(b"{\"a\":1}\n{\"a\":2}\n").unwrap().len(), 2);
        for bad in [
            &b"{"[..],
            b"[1,]",
            b"{\"a\" 1}",
            b"tru",
            b"\"open",
            b"[1 2]",
        ] {
            assert!(parse_all(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        assert!(parse_all(deep.as_bytes()).is_err());
    }

    #[test]
    fn html_bodies_become_text() {
        assert_eq!(
            html_text("<p>Hi there,</p><p>the export &amp; the <b>sync</b> fail.</p>"),
            "Hi there,\nthe export & the sync fail."
        );
        assert_eq!(html_text("a<br>b<br/>&#8212;&#x41;&nbsp;z"), "a\nb\n—A z");
        assert_eq!(html_text("  plain  "), "plain");
        assert_eq!(html_text("<p></p>"), "");
    }

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
