//! Tabular exports: `.csv` / `.tsv` (header row; delimiter by extension or
//! sniffed among `,` `;` tab `|`) and `.json` (an array of objects, or an
//! object holding one under `data`, `items`, `results`, …) / `.jsonl` /
//! `.ndjson` (one object per line).
//!
//! Consumes a file's bytes; produces one [`Document`] per record (ticket,
//! review, post or survey answer) with a single customer [`Turn`] holding the
//! body, and the record's id, customer key, date, rating, score, channel,
//! title and status found through column aliases. The file's
//! [`SourceKind`] comes from its columns, then its path ([`detect_kind`]).
//!
//! A vendor export (Zendesk, Freshdesk, Google Play, Trustpilot, G2,
//! Delighted, Typeform, SurveyMonkey) is recognised by its columns and read
//! with that vendor's [`Plan`](super::vendors::Plan); a user mapping
//! ([`IngestOptions`]) pins fields to columns on top of both.
//!
//! A bad record costs only itself: a CSV record whose field count is off
//! (typically an unbalanced quote swallowing the lines after it) is skipped
//! and parsing resumes on the next line; a bad JSON Lines line is skipped; a
//! broken JSON array keeps the objects before the error. Non-UTF-8 bytes are
//! decoded as Windows-1252 with a warning, never dropped.

use super::fields::{
    customer_key, decode_bytes, decode_text, extract_email, normalize_bytes, parse_date,
    parse_rating, parse_satisfaction, parse_score,
};
use super::options::IngestOptions;
use super::vendors::{self, Plan};
use super::{Parsed, Sink};
use crate::model::{stable_id, Document, Role, SourceKind, SourceRef, Turn};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

/// Bytes read before records are built, to detect a file's layout: its
/// header, a SurveyMonkey sub-header, the first 200 CSV records a vendor is
/// recognised by, the keys of the first JSON Lines records. A file no
/// longer than this is read exactly as if it were read whole.
pub(crate) const HEAD_BYTES: usize = 4 << 20;

/// Bytes read from a stream at a time after the head.
const FEED_CHUNK: usize = 256 << 10;

/// The longest record (CSV record or JSON line) read whole. A CSV quote
/// left open near the top of a big file would otherwise read the rest of
/// the file as one record.
pub(crate) const MAX_RECORD_BYTES: usize = 8 << 20;

/// Documents built before a streaming reader hands them to its sink.
pub(crate) const SINK_DOCUMENTS: usize = 256;

/// The buffer sizes of a streaming CSV read (small in tests, to cross
/// chunk boundaries everywhere).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub head: usize,
    pub chunk: usize,
    pub max_record: usize,
}

impl Limits {
    pub(crate) const DEFAULT: Limits = Limits {
        head: HEAD_BYTES,
        chunk: FEED_CHUNK,
        max_record: MAX_RECORD_BYTES,
    };
}

// ------------------------------------------------------------- columns

/// What a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Id,
    Body,
    Title,
    CustomerId,
    Email,
    Author,
    Date,
    Rating,
    Score,
    Status,
    Satisfaction,
    Channel,
    Role,
}

const FIELD_COUNT: usize = 13;

impl Field {
    /// The field a user mapping names (see [`options::MAPPABLE_FIELDS`]).
    ///
    /// [`options::MAPPABLE_FIELDS`]: super::options::MAPPABLE_FIELDS
    fn from_mapping(name: &str) -> Option<Field> {
        Some(match name {
            "body" => Field::Body,
            "title" => Field::Title,
            "customer" => Field::CustomerId,
            "email" => Field::Email,
            "author" => Field::Author,
            "date" => Field::Date,
            "rating" => Field::Rating,
            "score" => Field::Score,
            "id" => Field::Id,
            "status" => Field::Status,
            "channel" => Field::Channel,
            _ => return None,
        })
    }

    /// The name a dry run shows for the field.
    fn label(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Body => "body",
            Field::Title => "title",
            Field::CustomerId => "customer",
            Field::Email => "email",
            Field::Author => "author",
            Field::Date => "date",
            Field::Rating | Field::Satisfaction => "rating",
            Field::Score => "score",
            Field::Status => "status",
            Field::Channel => "channel",
            Field::Role => "role",
        }
    }
}

/// The fields in the order a dry run lists them.
const REPORT_ORDER: [Field; 13] = [
    Field::Body,
    Field::Title,
    Field::CustomerId,
    Field::Email,
    Field::Author,
    Field::Date,
    Field::Rating,
    Field::Satisfaction,
    Field::Score,
    Field::Id,
    Field::Status,
    Field::Channel,
    Field::Role,
];

/// Column aliases per field, most preferred first (after normalisation:
/// lowercase, camelCase split, runs of other characters → `_`).
#[rustfmt::skip]
const ALIASES: [(Field, &[&str]); FIELD_COUNT] = [
    (Field::Id, &[
        "id", "ticket_id", "review_id", "response_id", "post_id", "conversation_id", "tweet_id",
        "comment_id", "message_id", "record_id",
    ]),
    (Field::Body, &[
        "description", "body", "text", "comment", "comments", "content", "review", "message",
        "verbatim", "feedback", "review_text", "tweet", "full_text", "review_body", "comment_text",
        "post_text", "feedback_text",
    ]),
    (Field::Title, &[
        "title", "subject", "summary", "headline", "review_title",
    ]),
    (Field::CustomerId, &[
        "customer_id", "account_id", "user_id", "customer", "account", "external_id",
        "requester_id", "contact_id",
    ]),
    (Field::Email, &[
        "email", "requester", "requester_email", "respondent", "respondent_email", "user_email",
        "customer_email", "author_email", "email_address", "contact_email",
    ]),
    (Field::Author, &[
        "author", "name", "user", "username", "handle", "reviewer", "respondent", "reviewer_name",
        "author_name", "user_name", "screen_name", "user_screen_name", "display_name",
        "customer_name", "requester_name", "author_username", "nickname",
    ]),
    (Field::Date, &[
        "created_at", "date", "created", "timestamp", "submitted_at", "time", "review_date",
        "posted_at", "date_created", "creation_date", "created_date", "published_at",
        "response_date", "submitted", "updated_at",
    ]),
    (Field::Rating, &[
        "rating", "stars", "star_rating", "review_rating",
    ]),
    (Field::Score, &[
        "score", "nps", "nps_score", "likelihood_to_recommend", "recommend",
    ]),
    (Field::Status, &[
        "status", "ticket_status",
    ]),
    (Field::Satisfaction, &[
        "satisfaction", "satisfaction_rating", "csat", "satisfaction_score", "csat_score",
    ]),
    (Field::Channel, &[
        "channel", "store", "platform", "source", "network", "app_store",
    ]),
    (Field::Role, &[
        "role", "author_type", "sender_type", "author_role", "from_type", "speaker_role",
    ]),
];

/// Lowercases, splits camelCase and turns runs of anything but letters and
/// digits into one `_`: `Ticket ID` → `ticket_id`, `createdAt` →
/// `created_at`.
pub(crate) fn normalize_column(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Which columns hold which field, in order of preference.
#[derive(Debug, Default)]
struct Columns {
    by_field: [Vec<usize>; FIELD_COUNT],
}

impl Columns {
    /// Maps normalised column names to fields: exact aliases first, then a
    /// few loose matches (`How likely are you to recommend us?` → score,
    /// `Additional comments` → body, `Requester email address` → email).
    fn new(names: &[String]) -> Columns {
        let mut cols = Columns::default();
        for (slot, (_, aliases)) in ALIASES.iter().enumerate() {
            let mut found: Vec<(usize, usize)> = names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| aliases.iter().position(|a| a == n).map(|rank| (rank, i)))
                .collect();
            found.sort();
            cols.by_field[slot] = found.into_iter().map(|(_, i)| i).collect();
        }
        let mapped: Vec<bool> = (0..names.len())
            .map(|i| cols.by_field.iter().any(|v| v.contains(&i)))
            .collect();
        let loose = |cols: &mut Columns, field: Field, test: &dyn Fn(&str) -> bool| {
            let slot = field as usize;
            if cols.by_field[slot].is_empty() {
                cols.by_field[slot] = names
                    .iter()
                    .enumerate()
                    .filter(|&(i, n)| !mapped[i] && test(n))
                    .map(|(i, _)| i)
                    .collect();
            }
        };
        loose(&mut cols, Field::Score, &|n| {
            n.contains("recommend") || n.starts_with("nps") || n.ends_with("_nps")
        });
        // Open-ended survey questions: `What is the main reason for your
        // score?`, `Anything else you'd like to tell us?`.
        loose(&mut cols, Field::Body, &|n| {
            [
                "comment",
                "feedback",
                "verbatim",
                "reason",
                "why",
                "tell_us",
                "anything_else",
                "improve",
                "explain",
                "describe",
                "open_ended",
                "answer",
            ]
            .iter()
            .any(|w| n.contains(w))
        });
        loose(&mut cols, Field::Email, &|n| n.contains("email"));
        // Dates: `Review Submit Date and Time`, `solved_at` … preferring
        // creation over update, close or due dates.
        let later = |n: &str| {
            ["updat", "modif", "solved", "closed", "due", "resolved"]
                .iter()
                .any(|w| n.contains(w))
        };
        let datey = |n: &str| n.contains("date") || n.ends_with("_at") || n.contains("timestamp");
        loose(&mut cols, Field::Date, &|n| datey(n) && !later(n));
        loose(&mut cols, Field::Date, &|n| datey(n));
        cols
    }

    fn has(&self, f: Field) -> bool {
        !self.by_field[f as usize].is_empty()
    }

    /// Replaces the columns of a field.
    fn set(&mut self, f: Field, cols: Vec<usize>) {
        self.by_field[f as usize] = cols;
    }

    /// Removes a column from every field (before pinning it to one).
    fn release(&mut self, col: usize) {
        for v in &mut self.by_field {
            v.retain(|&c| c != col);
        }
    }

    /// Applies a vendor plan's pins.
    fn apply_plan(&mut self, plan: &Plan) {
        for (field, cols) in &plan.pins {
            for &c in cols {
                self.release(c);
            }
            self.set(*field, cols.clone());
        }
        for &c in plan.answers.iter().chain(&plan.reply) {
            self.release(c);
        }
    }

    /// Pins each mapped field to its column. `names` are the columns as
    /// written, `norm` their normalised forms. With `require`, a mapped
    /// column the file lacks is an error naming it and listing the columns;
    /// without, the field is left empty (a JSON record without that key).
    fn apply_mapping(
        &mut self,
        names: &[String],
        norm: &[String],
        mapping: &BTreeMap<String, String>,
        require: bool,
    ) -> Result<(), String> {
        for (field, column) in mapping {
            let Some(f) = Field::from_mapping(field) else {
                return Err(format!(
                    "mapping names unknown field '{field}' (expected one of {})",
                    super::options::MAPPABLE_FIELDS.join(", ")
                ));
            };
            let want = column.trim();
            let wanted_norm = normalize_column(want);
            let col = names
                .iter()
                .position(|n| n.trim().eq_ignore_ascii_case(want))
                .or_else(|| {
                    (!wanted_norm.is_empty())
                        .then(|| norm.iter().position(|n| *n == wanted_norm))
                        .flatten()
                });
            match col {
                Some(c) => {
                    self.release(c);
                    self.set(f, vec![c]);
                    if f == Field::Rating {
                        self.set(Field::Satisfaction, Vec::new());
                    }
                }
                None if require => {
                    return Err(format!(
                        "mapped column '{column}' (for {field}) is not in this file; its columns are: {}",
                        names.join(", ")
                    ))
                }
                None => self.set(f, Vec::new()),
            }
        }
        Ok(())
    }

    /// The column used for each field, as (field, column name), for a dry
    /// run.
    fn describe(&self, names: &[String], plan: Option<&Plan>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for f in REPORT_ORDER {
            if f == Field::Satisfaction && self.has(Field::Rating) {
                continue;
            }
            if let Some(name) = self.by_field[f as usize]
                .first()
                .and_then(|&i| names.get(i))
            {
                out.push((f.label().to_string(), name.clone()));
            }
        }
        if let Some(plan) = plan {
            for &i in &plan.answers {
                if let Some(n) = names.get(i) {
                    out.push(("answer".to_string(), n.clone()));
                }
            }
            if let Some(n) = plan.reply.and_then(|i| names.get(i)) {
                out.push(("reply".to_string(), n.clone()));
            }
        }
        out
    }

    /// Non-empty trimmed values of a field, most preferred column first.
    fn values<'a>(
        &'a self,
        f: Field,
        values: &'a [Option<String>],
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.by_field[f as usize]
            .iter()
            .filter_map(move |&i| values.get(i).and_then(|v| v.as_deref()))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    fn get<'a>(&'a self, f: Field, values: &'a [Option<String>]) -> Option<&'a str> {
        self.values(f, values).next()
    }
}

// ------------------------------------------------------- kind detection

#[rustfmt::skip]
const TICKET_COLUMNS: &[&str] = &[
    "satisfaction", "satisfaction_rating", "status", "ticket_status", "requester",
    "requester_email", "requester_id", "requester_name", "priority", "assignee", "ticket_id",
];
#[rustfmt::skip]
const REVIEW_COLUMNS: &[&str] = &[
    "rating", "stars", "star_rating", "review_rating", "review_id", "review_text", "review_title",
];
#[rustfmt::skip]
const SOCIAL_COLUMNS: &[&str] = &[
    "platform", "likes", "like_count", "retweets", "retweet_count", "reach", "shares",
    "share_count", "impressions", "followers", "tweet", "tweet_id", "post_id", "network",
];

/// The source kind of a tabular file: first from its columns (satisfaction,
/// status, requester, priority → ticket; rating, stars → review; platform,
/// likes, retweets, reach → social; a score or CSAT column with a comment
/// column → survey), then from its path (the file stem, then its folders,
/// innermost first: ticket/support/zendesk/intercom → ticket, review →
/// review, social/mention/tweet/post → social, survey/nps/csat → survey).
/// `None` if neither says.
pub fn detect_kind(columns: &[String], path: &str) -> Option<SourceKind> {
    let cols: Vec<String> = columns.iter().map(|c| normalize_column(c)).collect();
    kind_from_columns(&cols).or_else(|| kind_from_path(path))
}

fn kind_from_columns(cols: &[String]) -> Option<SourceKind> {
    let has = |set: &[&str]| cols.iter().any(|c| set.contains(&c.as_str()));
    if has(TICKET_COLUMNS) {
        return Some(SourceKind::Ticket);
    }
    if has(REVIEW_COLUMNS) {
        return Some(SourceKind::Review);
    }
    if has(SOCIAL_COLUMNS) {
        return Some(SourceKind::Social);
    }
    let map = Columns::new(cols);
    if (map.has(Field::Score) || map.has(Field::Satisfaction)) && map.has(Field::Body) {
        return Some(SourceKind::Survey);
    }
    None
}

fn kind_from_path(path: &str) -> Option<SourceKind> {
    let lower = path.to_lowercase();
    let mut parts: Vec<&str> = lower.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.rsplit_once('.').map_or(*last, |(stem, _)| stem);
    }
    const WORDS: [(SourceKind, &[&str]); 4] = [
        (
            SourceKind::Ticket,
            &[
                "ticket",
                "support",
                "zendesk",
                "intercom",
                "freshdesk",
                "helpdesk",
            ],
        ),
        (SourceKind::Review, &["review"]),
        (SourceKind::Social, &["social", "mention", "tweet", "post"]),
        (SourceKind::Survey, &["survey", "nps", "csat"]),
    ];
    parts.iter().rev().find_map(|part| {
        WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| part.contains(w)))
            .map(|(k, _)| *k)
    })
}

/// A help-desk vendor named in the path or the columns.
fn detect_vendor(path: &str, cols: &[String]) -> Option<&'static str> {
    let lower = path.to_lowercase();
    ["zendesk", "intercom", "freshdesk"]
        .into_iter()
        .find(|v| lower.contains(v) || cols.iter().any(|c| c.contains(v)))
}

// -------------------------------------------------------------- records

/// What a file's records share.
struct Ctx<'a> {
    path: &'a str,
    kind: SourceKind,
    vendor: Option<&'static str>,
    /// Record ids seen so far (a 64-bit hash of each: a big file has
    /// millions) and the line each was first seen on.
    seen: HashMap<u64, u64>,
    /// Answer columns (index, header) that become turns of their own.
    answers: Vec<(usize, String)>,
    /// The body column's header, when it is the body turn's topic.
    body_topic: Option<String>,
    /// The company reply column: an agent turn.
    reply: Option<usize>,
    /// Line breaks inside fields are file lines (CSV), not escapes (JSON).
    exact_lines: bool,
}

impl<'a> Ctx<'a> {
    fn new(path: &'a str, kind: SourceKind, columns: &[String], exact_lines: bool) -> Ctx<'a> {
        Ctx {
            exact_lines,
            path,
            kind,
            vendor: detect_vendor(path, columns),
            seen: HashMap::new(),
            answers: Vec::new(),
            body_topic: None,
            reply: None,
        }
    }

    /// Takes a vendor plan's channel, answer and reply columns.
    fn with_plan(mut self, plan: &Plan, cols: &Columns, names: &[String]) -> Ctx<'a> {
        self.vendor = Some(plan.channel);
        self.answers = plan
            .answers
            .iter()
            .filter_map(|&i| names.get(i).map(|n| (i, n.clone())))
            .collect();
        self.body_topic = plan
            .body_topic
            .then(|| cols.by_field[Field::Body as usize].first())
            .flatten()
            .and_then(|&i| names.get(i).cloned());
        self.reply = plan.reply;
        self
    }

    fn source(&self, line: u64, row: u64) -> SourceRef {
        SourceRef {
            path: self.path.to_string(),
            line,
            row: Some(row),
            timestamp: None,
        }
    }
}

/// A record id's key in [`Ctx::seen`]: deterministic (SipHash with fixed
/// keys).
fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

fn role_of(value: Option<&str>) -> Role {
    let v = value.unwrap_or("").to_lowercase();
    let agent = [
        "agent", "admin", "staff", "support", "operator", "bot", "teammate", "company", "employee",
        "brand",
    ];
    if agent.iter().any(|w| v.contains(w)) {
        Role::Agent
    } else if ["interviewer", "moderator", "researcher"]
        .iter()
        .any(|w| v.contains(w))
    {
        Role::Interviewer
    } else {
        Role::Customer
    }
}

/// Builds the document for one record, pushing it and its warnings, or the
/// reason it was skipped, into `out`. `warnings` are the record's decoding
/// warnings, kept only if the record is stored.
fn build_record(
    ctx: &mut Ctx,
    cols: &Columns,
    values: &[Option<String>],
    line: u64,
    row: u64,
    mut warnings: Vec<String>,
    out: &mut Parsed,
) {
    let source = ctx.source(line, row);
    let body = cols.get(Field::Body, values);
    let title = cols.get(Field::Title, values);

    let date = cols.get(Field::Date, values).and_then(|raw| {
        let d = parse_date(raw);
        if d.is_none() {
            warnings.push(format!(
                "invalid date '{raw}' (kept the record without a date)"
            ));
        }
        d
    });
    let rating = match cols.get(Field::Rating, values) {
        Some(raw) => {
            let r = parse_rating(raw).or_else(|| parse_satisfaction(raw));
            if r.is_none() {
                warnings.push(format!(
                    "invalid rating '{raw}' (expected 1–5; kept the record without a rating)"
                ));
            }
            r
        }
        None => cols
            .values(Field::Satisfaction, values)
            .find_map(parse_satisfaction),
    };
    let score = cols.get(Field::Score, values).and_then(|raw| {
        let s = parse_score(raw);
        if s.is_none() {
            warnings.push(format!(
                "invalid score '{raw}' (expected 0–10; kept the record without a score)"
            ));
        }
        s
    });

    let cell = |i: usize| -> Option<&str> {
        values
            .get(i)
            .and_then(|v| v.as_deref())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let answers: Vec<(&str, &str)> = ctx
        .answers
        .iter()
        .filter_map(|(i, topic)| cell(*i).map(|v| (topic.as_str(), v)))
        .collect();
    let reply = ctx.reply.and_then(cell);

    if body.is_none()
        && title.is_none()
        && answers.is_empty()
        && !(ctx.kind == SourceKind::Survey && score.is_some())
    {
        out.skip(source, "empty body");
        return;
    }

    let role = role_of(cols.get(Field::Role, values));
    let is_email = |v: &&str| extract_email(v).is_some();
    let email = cols
        .values(Field::Email, values)
        .chain(cols.values(Field::Author, values))
        .find(is_email);
    let author = cols
        .values(Field::Author, values)
        .chain(cols.values(Field::Email, values))
        .find(|v| !is_email(v));
    let customer_id = cols.get(Field::CustomerId, values);
    let customer = if role == Role::Agent {
        customer_key(customer_id, None, None)
    } else {
        customer_key(customer_id, email, author)
    };

    let channel = cols
        .get(Field::Channel, values)
        .map(str::to_lowercase)
        .or_else(|| ctx.vendor.map(str::to_string))
        .unwrap_or_else(|| ctx.kind.as_str().to_string());

    let line_id = || stable_id(&[ctx.path, "line", &line.to_string()]);
    let id = match cols.get(Field::Id, values) {
        Some(rid) => match ctx.seen.get(&id_hash(rid)) {
            Some(first) => {
                warnings.push(format!(
                    "duplicate id '{rid}' (first at line {first}); stored with a line-based id"
                ));
                line_id()
            }
            None => {
                ctx.seen.insert(id_hash(rid), line);
                stable_id(&[ctx.path, "id", rid])
            }
        },
        None => line_id(),
    };

    let turn = |text: &str, role: Role, speaker: Option<&str>, topic: Option<&str>| Turn {
        speaker: speaker.map(str::to_string),
        role,
        text: text.to_string(),
        source: source.clone(),
        topic: topic.map(str::to_string),
        verbatim: false,
        exact_lines: ctx.exact_lines,
    };
    let mut turns: Vec<Turn> = body
        .map(|text| turn(text, role, author, ctx.body_topic.as_deref()))
        .into_iter()
        .collect();
    for (topic, text) in answers {
        turns.push(turn(text, role, author, Some(topic)));
    }
    if let Some(text) = reply {
        turns.push(turn(text, Role::Agent, None, None));
    }
    for w in warnings {
        out.warn(source.clone(), w);
    }
    out.documents.push(Document {
        id,
        kind: ctx.kind,
        source,
        customer,
        date,
        rating,
        score,
        channel: Some(channel),
        title: title.map(str::to_string),
        status: cols.get(Field::Status, values).map(str::to_string),
        turns,
    });
}

/// The kind to use when [`detect_kind`] cannot say: review if there is a
/// rating column, else ticket.
fn fallback_kind(cols: &Columns) -> SourceKind {
    if cols.has(Field::Rating) {
        SourceKind::Review
    } else {
        SourceKind::Ticket
    }
}

/// Whether records of this shape can carry any text (or a bare score).
fn has_text_columns(cols: &Columns, kind: SourceKind, plan: Option<&Plan>) -> bool {
    cols.has(Field::Body)
        || cols.has(Field::Title)
        || plan.is_some_and(|p| !p.answers.is_empty())
        || (kind == SourceKind::Survey && cols.has(Field::Score))
}

fn no_text_reason(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
    format!(
        "no text column (expected one of description, body, text, comment, content, review, \
         message, feedback, title, subject …; found: {})",
        shown.join(", ")
    )
}

// ------------------------------------------------------------------ CSV

/// Picks the delimiter that occurs most often outside quotes on the first
/// line: `,`, `;`, tab or `|` (`,` on a tie or when none occur).
fn sniff_delimiter(data: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in data.iter().take(64 * 1024) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// Whether every quoted field in a raw record closes right before a
/// delimiter or the end of the record. A quote that "closes" mid-value is
/// really the opening quote of a later field: an earlier quote was never
/// closed and swallowed the lines in between.
fn quotes_well_formed(raw: &[u8], delimiter: u8) -> bool {
    let mut i = 0;
    let mut field_start = true;
    while i < raw.len() {
        if field_start && raw[i] == b'"' {
            i += 1;
            loop {
                match raw.get(i) {
                    None => return false,
                    Some(b'"') if raw.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        match raw.get(i) {
                            None | Some(b'\r' | b'\n') => {}
                            Some(&b) if b == delimiter => {}
                            Some(_) => return false,
                        }
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        let b = raw[i];
        field_start = b == delimiter || b == b'\n';
        i += 1;
    }
    true
}

fn csv_reader(data: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(data)
}

/// Parses a CSV or TSV export. `delimiter` is `None` to sniff it.
#[cfg(test)]
pub(crate) fn parse_delimited(path: &str, bytes: &[u8], delimiter: Option<u8>) -> Parsed {
    parse_delimited_with(path, bytes, delimiter, &IngestOptions::default())
}

/// The first data rows (after `header_rows`), decoded, for layouts that
/// judge columns by content.
fn sample_rows(data: &[u8], delimiter: u8, header_rows: usize) -> Vec<Vec<String>> {
    let mut rdr = csv_reader(data, delimiter);
    rdr.byte_records()
        .skip(header_rows)
        .take(200)
        .filter_map(Result::ok)
        .map(|r| r.iter().map(|f| decode_bytes(f).0.into_owned()).collect())
        .collect()
}

/// Parses a CSV or TSV export held in memory, with overrides: a forced
/// kind, a mapping of fields to columns.
pub(crate) fn parse_delimited_with(
    path: &str,
    bytes: &[u8],
    delimiter: Option<u8>,
    opts: &IngestOptions,
) -> Parsed {
    let data = normalize_bytes(bytes);
    read_delimited(path, &data[..], delimiter, opts, None)
        .unwrap_or_else(|_| unreachable!("no sink, so no sink error"))
}

/// Reads the start of a stream: up to [`HEAD_BYTES`], and whether more
/// follows. An I/O error ends the head early and is returned with it.
fn read_head(input: &mut impl Read, limit: usize) -> (Vec<u8>, bool, Option<std::io::Error>) {
    let mut head = Vec::new();
    let mut limited = input.take(limit as u64 + 1);
    let err = limited.read_to_end(&mut head).err();
    let more = head.len() > limit;
    (head, more, err)
}

/// The bytes of a stream, fed to a parser in chunks; bytes can be pushed
/// back to be read again (a CSV reader resuming after a bad record).
struct Feed<R> {
    buf: Vec<u8>,
    pos: usize,
    chunk: usize,
    src: R,
    eof: bool,
    err: Option<std::io::Error>,
}

impl<R: Read> Feed<R> {
    fn new(head: Vec<u8>, src: R, chunk: usize, eof: bool, err: Option<std::io::Error>) -> Feed<R> {
        Feed {
            buf: head,
            pos: 0,
            chunk,
            src,
            eof: eof || err.is_some(),
            err,
        }
    }

    /// The next unread bytes; empty only at the end of the stream.
    fn available(&mut self) -> &[u8] {
        if self.pos == self.buf.len() && !self.eof {
            self.buf.clear();
            self.buf.resize(self.chunk, 0);
            self.pos = 0;
            let n = loop {
                match self.src.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.err = Some(e);
                        break 0;
                    }
                }
            };
            self.buf.truncate(n);
            self.eof = n == 0;
        }
        &self.buf[self.pos..]
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
    }

    /// Puts `bytes` before the unread bytes.
    fn push_front(&mut self, bytes: &[u8]) {
        let mut buf = Vec::with_capacity(bytes.len() + self.buf.len() - self.pos);
        buf.extend_from_slice(bytes);
        buf.extend_from_slice(&self.buf[self.pos..]);
        self.buf = buf;
        self.pos = 0;
    }

    /// Drops bytes up to and including the next line break; false if the
    /// stream ended first.
    fn skip_line(&mut self) -> bool {
        loop {
            let b = self.available();
            if b.is_empty() {
                return false;
            }
            if let Some(i) = b.iter().position(|&c| c == b'\n') {
                self.consume(i + 1);
                return true;
            }
            let n = b.len();
            self.consume(n);
        }
    }
}

/// A record's text for the rejects file: its first line, without the line
/// break.
fn first_line(span: &[u8]) -> String {
    let line = span.split(|&c| c == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    decode_bytes(line).0.into_owned()
}

/// Reads a CSV or TSV export from a stream of UTF-8 text (already decoded),
/// record by record: memory holds the first [`HEAD_BYTES`] (to detect the
/// layout) and one record at a time, whatever the file's size. With a
/// `sink`, documents are handed to it every [`SINK_DOCUMENTS`] records; an
/// error from the sink stops the read and is returned.
pub(crate) fn read_delimited(
    path: &str,
    input: impl Read,
    delimiter: Option<u8>,
    opts: &IngestOptions,
    sink: Option<&mut Sink<'_>>,
) -> crate::error::Result<Parsed> {
    read_delimited_in(path, input, delimiter, opts, sink, Limits::DEFAULT)
}

/// [`read_delimited`] with the given buffer sizes.
pub(crate) fn read_delimited_in(
    path: &str,
    mut input: impl Read,
    delimiter: Option<u8>,
    opts: &IngestOptions,
    mut sink: Option<&mut Sink<'_>>,
    limits: Limits,
) -> crate::error::Result<Parsed> {
    let (head, more, head_err) = read_head(&mut input, limits.head);
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&head));
    let generic = if delimiter == b'\t' {
        "generic-tsv"
    } else {
        "generic-csv"
    };
    // The layout is judged on whole records: drop a record cut by the end
    // of the head.
    let sample_data: &[u8] = if more {
        head.iter()
            .rposition(|&c| c == b'\n')
            .map_or(&head[..], |i| &head[..=i])
    } else {
        &head
    };

    let mut rdr = csv_reader(sample_data, delimiter);
    let mut record = csv::ByteRecord::new();
    let header_ok = matches!(rdr.read_byte_record(&mut record), Ok(true));
    if !header_ok {
        let kind = opts
            .kind
            .or_else(|| detect_kind(&[], path))
            .unwrap_or(SourceKind::Ticket);
        let mut out = Parsed::new(kind);
        out.layout = generic.to_string();
        out.note = Some("empty file".to_string());
        if let Some(e) = head_err {
            out.skip(super::at(path, 0), format!("cannot read file: {e}"));
        }
        return Ok(out);
    }
    let decode_row = |r: &csv::ByteRecord| -> Vec<String> {
        r.iter()
            .map(|f| decode_bytes(f).0.trim().to_string())
            .collect()
    };
    let mut names = decode_row(&record);

    // SurveyMonkey writes a second header row under the questions.
    let mut open_ended: Option<Vec<bool>> = None;
    let mut header_rows = 1;
    if let Ok(true) = rdr.read_byte_record(&mut record) {
        if let Some((merged, open)) = vendors::surveymonkey_headers(&names, &decode_row(&record)) {
            names = merged;
            open_ended = Some(open);
            header_rows = 2;
        }
    }
    drop(rdr);
    let normalized: Vec<String> = names.iter().map(|n| normalize_column(n)).collect();
    let sample = sample_rows(sample_data, delimiter, header_rows);
    let plan = vendors::detect_csv(&names, &normalized, open_ended.as_deref(), &sample);
    drop(sample);
    let mut cols = Columns::new(&normalized);
    if let Some(plan) = &plan {
        cols.apply_plan(plan);
    }
    let mapped = cols.apply_mapping(&names, &normalized, &opts.mapping, true);
    let kind = opts
        .kind
        .or(plan.as_ref().map(|p| p.kind))
        .or_else(|| detect_kind(&names, path))
        .unwrap_or_else(|| fallback_kind(&cols));
    let mut out = Parsed::new(kind);
    out.layout = plan.as_ref().map_or(generic, |p| p.layout).to_string();
    out.columns = cols.describe(&names, plan.as_ref());
    let header_src = SourceRef {
        path: path.to_string(),
        line: 1,
        row: None,
        timestamp: None,
    };
    if let Err(reason) = mapped {
        out.skip(header_src, reason);
        return Ok(out);
    }
    if !has_text_columns(&cols, kind, plan.as_ref()) {
        out.skip(header_src, no_text_reason(&names));
        return Ok(out);
    }
    let expected = names.len();
    let mut ctx = Ctx::new(path, kind, &normalized, true);
    if let Some(plan) = &plan {
        ctx = ctx.with_plan(plan, &cols, &names);
    }

    let mut feed = Feed::new(head, input, limits.chunk, !more, head_err);
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // The record being read: its raw bytes (from the end of the previous
    // record, so leading line breaks included), its unescaped fields and
    // their ends.
    let mut span: Vec<u8> = Vec::new();
    let mut fields = vec![0u8; 16 * 1024];
    let mut ends = vec![0usize; 64];
    let (mut n_out, mut n_ends) = (0usize, 0usize);
    // The line the first byte of `span` is on.
    let mut line_next = 1u64;
    let mut headers_left = header_rows;
    let mut row = 0u64;

    loop {
        let input = feed.available();
        let (result, n_in, nout, nend) =
            core.read_record(input, &mut fields[n_out..], &mut ends[n_ends..]);
        span.extend_from_slice(&input[..n_in]);
        feed.consume(n_in);
        n_out += nout;
        n_ends += nend;
        match result {
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::OutputFull => {
                let len = fields.len() * 2;
                fields.resize(len, 0);
            }
            csv_core::ReadRecordResult::OutputEndsFull => {
                let len = ends.len() * 2;
                ends.resize(len, 0);
            }
            csv_core::ReadRecordResult::End => break,
            csv_core::ReadRecordResult::Record => {}
        }
        if result != csv_core::ReadRecordResult::Record {
            if span.len() > limits.max_record {
                // A quote left open at the top of a big file would read the
                // rest of it as one record: give up on it here.
                let mut start = 0;
                let mut line = line_next;
                while let Some(&b) = span.get(start).filter(|b| matches!(b, b'\r' | b'\n')) {
                    line += u64::from(b == b'\n');
                    start += 1;
                }
                row += 1;
                let reason = format!(
                    "record longer than {} bytes (an unbalanced quote?)",
                    limits.max_record
                );
                out.skip_raw(ctx.source(line, row), reason, first_line(&span[start..]));
                match span[start..].iter().position(|&c| c == b'\n') {
                    Some(nl) => feed.push_front(&span[start + nl + 1..]),
                    None => {
                        if !feed.skip_line() {
                            break;
                        }
                    }
                }
                line_next = line + 1;
                core.reset();
                span.clear();
                (n_out, n_ends) = (0, 0);
            }
            continue;
        }

        // A whole record: where it starts (after the CRLF's `\n` or blank
        // lines before it) and ends.
        let mut start = 0usize;
        let mut line = line_next;
        while let Some(&b) = span.get(start).filter(|b| matches!(b, b'\r' | b'\n')) {
            line += u64::from(b == b'\n');
            start += 1;
        }
        let body = &span[start..];
        let body = body.strip_suffix(b"\n").unwrap_or(body);
        let end_line = line + body.iter().filter(|&&b| b == b'\n').count() as u64;
        let record: Vec<&[u8]> = (0..n_ends)
            .map(|i| &fields[if i == 0 { 0 } else { ends[i - 1] }..ends[i]])
            .collect();
        let mut next_line = line_next + span.iter().filter(|&&b| b == b'\n').count() as u64;
        let mut resume: Option<usize> = None;

        'record: {
            if headers_left > 0 {
                headers_left -= 1;
                break 'record;
            }
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                break 'record; // a line of bare delimiters: not a record
            }
            row += 1;
            let n = record.len();
            let mut warnings = Vec::new();
            let multi_line = end_line > line;
            let malformed = multi_line && !quotes_well_formed(body, delimiter);
            if n != expected || malformed {
                if multi_line {
                    let what = if n != expected {
                        format!("has {n} fields, expected {expected}")
                    } else {
                        "a quoted field closes in the middle of a value".to_string()
                    };
                    out.skip_raw(
                        ctx.source(line, row),
                        format!(
                            "unbalanced quote: record spans lines {line}–{end_line} and {what}"
                        ),
                        first_line(body),
                    );
                    // Resume on the line after the one the record started on.
                    resume = body
                        .iter()
                        .position(|&b| b == b'\n')
                        .map(|nl| start + nl + 1);
                    next_line = line + 1;
                    break 'record;
                }
                let extra_filled = record
                    .iter()
                    .skip(expected)
                    .any(|f| !f.trim_ascii().is_empty());
                if n > expected && extra_filled {
                    out.skip_raw(
                        ctx.source(line, row),
                        format!(
                            "record has {n} fields, expected {expected} (an unquoted delimiter \
                             inside a field?)"
                        ),
                        decode_bytes(body.strip_suffix(b"\r").unwrap_or(body))
                            .0
                            .into_owned(),
                    );
                    break 'record;
                }
                if n < expected {
                    warnings.push(format!(
                        "record has {n} fields, expected {expected}; the missing ones were left empty"
                    ));
                }
            }
            let mut values: Vec<Option<String>> = Vec::with_capacity(expected);
            for (i, field) in record.iter().take(expected).enumerate() {
                let (text, repaired) = decode_bytes(field);
                if repaired {
                    let column = names.get(i).map_or("?", String::as_str);
                    warnings.push(format!(
                        "non-UTF-8 bytes in column '{column}' decoded as Windows-1252"
                    ));
                }
                // A quoted field of a CRLF file keeps its `\r\n`s: make them `\n`.
                let text = if text.contains('\r') {
                    text.replace("\r\n", "\n")
                } else {
                    text.into_owned()
                };
                values.push(Some(text));
            }
            values.resize(expected, None);
            let skipped_before = out.skipped.len();
            build_record(&mut ctx, &cols, &values, line, row, warnings, &mut out);
            if out.skipped.len() > skipped_before {
                let text = decode_bytes(body.strip_suffix(b"\r").unwrap_or(body))
                    .0
                    .replace("\r\n", "\n");
                out.attach_raw(text);
            }
        }
        drop(record);
        if let Some(at) = resume {
            feed.push_front(&span[at..]);
            core.reset();
        }
        line_next = next_line;
        span.clear();
        (n_out, n_ends) = (0, 0);
        if let Some(sink) = sink.as_deref_mut() {
            if out.documents.len() >= SINK_DOCUMENTS {
                sink(&mut out)?;
            }
        }
    }
    if let Some(e) = feed.err.take() {
        out.skip(
            ctx.source(line_next, row + 1),
            format!("cannot read file: {e}"),
        );
    }
    if row == 0 && out.skipped.is_empty() {
        out.note = Some("header only: no records".to_string());
    }
    Ok(out)
}

// ----------------------------------------------------------------- JSON

/// Keys under which a JSON export object holds its records.
#[rustfmt::skip]
const WRAPPER_KEYS: &[&str] = &[
    "data", "items", "results", "reviews", "records", "tickets", "posts", "responses", "rows",
    "entries", "conversations", "mentions", "tweets",
];

/// A parsed JSON record before it becomes a document.
struct JsonRecord {
    line: u64,
    end_line: u64,
    row: u64,
    object: Map<String, Value>,
    repaired: bool,
    /// The record's source text, for the rejects file.
    raw: String,
}

/// 1-based line numbers of byte offsets.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(b: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            b.iter()
                .enumerate()
                .filter(|(_, &c)| c == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    pub(crate) fn of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }
}

fn skip_ws(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && b[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

/// serde_json's message without its " at line L column C" (relative to a
/// slice, so misleading here).
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A JSON syntax problem at an absolute line.
struct JsonError {
    line: u64,
    reason: String,
}

impl JsonError {
    fn at(lines: &Lines, slice_start: usize, e: &serde_json::Error) -> JsonError {
        JsonError {
            line: lines.of(slice_start) + e.line().saturating_sub(1) as u64,
            reason: format!("invalid JSON: {}", json_message(e)),
        }
    }
}

/// Parses one value starting at `p`; returns it and the offset after it.
fn value_at<T: serde::de::DeserializeOwned>(
    b: &[u8],
    p: usize,
    lines: &Lines,
) -> Result<(T, usize), JsonError> {
    let mut it = serde_json::Deserializer::from_slice(&b[p..]).into_iter::<T>();
    match it.next() {
        Some(Ok(v)) => Ok((v, p + it.byte_offset())),
        Some(Err(e)) => Err(JsonError::at(lines, p, &e)),
        None => Err(JsonError {
            line: lines.of(p),
            reason: "invalid JSON: unexpected end of file".into(),
        }),
    }
}

/// In an object starting at `p`, the offset of the `[` of a records array
/// held under one of [`WRAPPER_KEYS`] (also one object deeper, as in
/// `{"data": {"items": [...]}}`).
fn find_wrapped_array(
    b: &[u8],
    p: usize,
    lines: &Lines,
    depth: u8,
) -> Result<Option<usize>, JsonError> {
    let unexpected = |p: usize, what: &str| JsonError {
        line: lines.of(p),
        reason: format!("invalid JSON: expected {what}"),
    };
    let mut p = skip_ws(b, p + 1);
    if b.get(p) == Some(&b'}') {
        return Ok(None);
    }
    loop {
        if b.get(p) != Some(&b'"') {
            return Err(unexpected(p, "a key"));
        }
        let (key, after): (String, usize) = value_at(b, p, lines)?;
        p = skip_ws(b, after);
        if b.get(p) != Some(&b':') {
            return Err(unexpected(p, "':'"));
        }
        p = skip_ws(b, p + 1);
        let wanted = WRAPPER_KEYS.contains(&key.to_lowercase().as_str());
        match b.get(p) {
            Some(b'[') if wanted => return Ok(Some(p)),
            Some(b'{') if wanted && depth < 2 => {
                if let Some(found) = find_wrapped_array(b, p, lines, depth + 1)? {
                    return Ok(Some(found));
                }
            }
            _ => {}
        }
        let (_, after): (serde::de::IgnoredAny, usize) = value_at(b, p, lines)?;
        p = skip_ws(b, after);
        match b.get(p) {
            Some(b',') => p = skip_ws(b, p + 1),
            Some(b'}') => return Ok(None),
            _ => return Err(unexpected(p, "',' or '}'")),
        }
    }
}

/// Reads the elements of the array whose `[` is at `p`. Stops at the first
/// syntax error, returning it with the records read so far.
fn read_array(
    b: &[u8],
    p: usize,
    lines: &Lines,
    records: &mut Vec<JsonRecord>,
    out: &mut Parsed,
    path: &str,
) -> Option<JsonError> {
    let mut p = skip_ws(b, p + 1);
    let mut row = 0u64;
    loop {
        match b.get(p) {
            None => {
                return Some(JsonError {
                    line: lines.of(b.len().saturating_sub(1)),
                    reason: "invalid JSON: the array is not closed (file truncated?)".into(),
                })
            }
            Some(b']') => return None,
            _ => {}
        }
        row += 1;
        let line = lines.of(p);
        let (value, after): (Value, usize) = match value_at(b, p, lines) {
            Ok(v) => v,
            Err(e) => return Some(e),
        };
        let raw = String::from_utf8_lossy(&b[p..after]).into_owned();
        match value {
            Value::Object(object) => records.push(JsonRecord {
                line,
                end_line: lines.of(after.saturating_sub(1)),
                row,
                object,
                repaired: false,
                raw,
            }),
            _ => out.skip_raw(source_at(path, line, row), "not a JSON object", raw),
        }
        p = skip_ws(b, after);
        match b.get(p) {
            Some(b',') => p = skip_ws(b, p + 1),
            Some(b']') => return None,
            None => continue,
            Some(_) => {
                return Some(JsonError {
                    line: lines.of(p),
                    reason: "invalid JSON: expected ',' or ']' between records".into(),
                })
            }
        }
    }
}

fn source_at(path: &str, line: u64, row: u64) -> SourceRef {
    SourceRef {
        path: path.to_string(),
        line,
        row: Some(row),
        timestamp: None,
    }
}

/// Parses a `.json` export: an array of objects, an object holding one under
/// a wrapper key, a single object, or (misnamed) JSON Lines.
#[cfg(test)]
pub(crate) fn parse_json(path: &str, bytes: &[u8]) -> Parsed {
    parse_json_with(path, bytes, &IngestOptions::default())
}

/// [`parse_json`] with overrides: a forced kind, a mapping of fields to keys.
pub(crate) fn parse_json_with(path: &str, bytes: &[u8], opts: &IngestOptions) -> Parsed {
    let (text, repaired_lines) = decode_text(bytes);
    let b = text.as_bytes();
    let lines = Lines::new(b);
    let mut out = Parsed::new(detect_kind(&[], path).unwrap_or(SourceKind::Ticket));
    let mut records = Vec::new();
    let p = skip_ws(b, 0);
    let error = match b.get(p) {
        None => None,
        Some(b'[') => read_array(b, p, &lines, &mut records, &mut out, path),
        Some(b'{') => match find_wrapped_array(b, p, &lines, 0) {
            Ok(Some(a)) => read_array(b, a, &lines, &mut records, &mut out, path),
            Ok(None) => match value_at::<Map<String, Value>>(b, p, &lines) {
                Ok((object, after)) => {
                    if b.get(skip_ws(b, after)) == Some(&b'{') {
                        return parse_jsonl_with(path, bytes, opts);
                    }
                    records.push(JsonRecord {
                        line: lines.of(p),
                        end_line: lines.of(after.saturating_sub(1)),
                        row: 1,
                        object,
                        repaired: false,
                        raw: String::from_utf8_lossy(&b[p..after]).into_owned(),
                    });
                    None
                }
                Err(e) => Some(e),
            },
            Err(e) => Some(e),
        },
        Some(_) => Some(JsonError {
            line: lines.of(p),
            reason: "invalid JSON: expected an array of records or an object".into(),
        }),
    };
    if let Some(e) = error {
        let reason = if records.is_empty() {
            e.reason
        } else {
            format!(
                "{}; kept the {} records before it, the rest of the file was not read",
                e.reason,
                records.len()
            )
        };
        let line_text = text
            .split('\n')
            .nth((e.line as usize).saturating_sub(1))
            .unwrap_or_default();
        out.skip_raw(
            SourceRef {
                path: path.to_string(),
                line: e.line,
                row: None,
                timestamp: None,
            },
            reason,
            line_text.trim_end_matches('\r').to_string(),
        );
    }
    for r in &mut records {
        r.repaired = repaired_lines
            .iter()
            .any(|&l| l >= r.line && l <= r.end_line);
    }
    finish_records(path, records, out, opts, "generic-json")
}

/// Parses JSON Lines: one object per line; a bad line is skipped with its
/// line number; a non-UTF-8 line is decoded as Windows-1252 with a warning.
#[cfg(test)]
pub(crate) fn parse_jsonl(path: &str, bytes: &[u8]) -> Parsed {
    parse_jsonl_with(path, bytes, &IngestOptions::default())
}

/// [`parse_jsonl`] with overrides: a forced kind, a mapping of fields to keys.
pub(crate) fn parse_jsonl_with(path: &str, bytes: &[u8], opts: &IngestOptions) -> Parsed {
    let data = normalize_bytes(bytes);
    read_jsonl(path, &data[..], opts, None)
        .unwrap_or_else(|_| unreachable!("no sink, so no sink error"))
}

/// Reads one line into `buf` (without its `\n`), keeping at most
/// [`MAX_RECORD_BYTES`] of it. Returns `None` at the end of the stream, else
/// whether the line was cut.
fn read_line_capped(
    r: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut any = false;
    let mut cut = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any.then_some(cut));
        }
        any = true;
        let (piece, used, done) = match chunk.iter().position(|&c| c == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        let room = MAX_RECORD_BYTES.saturating_sub(buf.len());
        cut |= piece.len() > room;
        buf.extend_from_slice(&piece[..piece.len().min(room)]);
        r.consume(used);
        if done {
            return Ok(Some(cut));
        }
    }
}

/// Reads JSON Lines from a stream of UTF-8 text (already decoded), line by
/// line: the records of the first [`HEAD_BYTES`] decide the file's kind and
/// columns, then every record becomes a document as it is read. With a
/// `sink`, documents are handed to it every [`SINK_DOCUMENTS`] records; an
/// error from the sink stops the read and is returned.
pub(crate) fn read_jsonl(
    path: &str,
    input: impl Read,
    opts: &IngestOptions,
    mut sink: Option<&mut Sink<'_>>,
) -> crate::error::Result<Parsed> {
    let mut reader = std::io::BufReader::with_capacity(FEED_CHUNK, input);
    let mut out = Parsed::new(detect_kind(&[], path).unwrap_or(SourceKind::Ticket));
    let mut head: Vec<JsonRecord> = Vec::new();
    let mut head_bytes = 0usize;
    let mut plan: Option<JsonPlan> = None;
    let mut records = 0usize;
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut row = 0u64;
    loop {
        let cut = match read_line_capped(&mut reader, &mut buf) {
            Ok(Some(cut)) => cut,
            Ok(None) => break,
            Err(e) => {
                out.skip(
                    source_at(path, line + 1, row + 1),
                    format!("cannot read file: {e}"),
                );
                break;
            }
        };
        line += 1;
        head_bytes += buf.len() + 1;
        let raw = buf.trim_ascii();
        if raw.is_empty() && !cut {
            continue;
        }
        row += 1;
        if cut {
            out.skip(
                source_at(path, line, row),
                format!("line longer than {} MiB: not read", MAX_RECORD_BYTES >> 20),
            );
            continue;
        }
        let (s, repaired) = decode_bytes(raw);
        let record = match serde_json::from_str::<Value>(&s) {
            Ok(Value::Object(object)) => JsonRecord {
                line,
                end_line: line,
                row,
                object,
                repaired,
                raw: s.into_owned(),
            },
            Ok(_) => {
                out.skip_raw(
                    source_at(path, line, row),
                    "not a JSON object",
                    s.into_owned(),
                );
                continue;
            }
            Err(e) => {
                let reason = format!(
                    "invalid JSON at column {}: {}",
                    e.column(),
                    json_message(&e)
                );
                out.skip_raw(source_at(path, line, row), reason, s.into_owned());
                continue;
            }
        };
        records += 1;
        match plan.as_mut() {
            Some(p) => p.build(&record, &mut out),
            None => {
                head.push(record);
                if head_bytes > HEAD_BYTES {
                    let mut p = JsonPlan::new(path, &head, &mut out, opts, "generic-jsonl");
                    for r in head.drain(..) {
                        p.build(&r, &mut out);
                    }
                    plan = Some(p);
                }
            }
        }
        if let Some(sink) = sink.as_deref_mut() {
            if out.documents.len() >= SINK_DOCUMENTS {
                sink(&mut out)?;
            }
        }
    }
    if plan.is_none() {
        let mut p = JsonPlan::new(path, &head, &mut out, opts, "generic-jsonl");
        for r in head.drain(..) {
            p.build(&r, &mut out);
        }
    }
    if records == 0 && out.skipped.is_empty() {
        out.note = Some("no records".to_string());
    }
    out.skipped.sort_by_key(|s| s.source.line);
    out.warnings.sort_by_key(|s| s.source.line);
    Ok(out)
}

/// Flattens an object into normalised keys and string values: nested
/// objects become `parent_child` keys (three levels deep), arrays of scalars
/// are joined with `, `, `null` is empty.
fn flatten(object: &Map<String, Value>) -> (Vec<String>, Vec<Option<String>>) {
    fn walk(
        prefix: &str,
        value: &Value,
        depth: usize,
        keys: &mut Vec<String>,
        values: &mut Vec<Option<String>>,
    ) {
        let v = match value {
            Value::Object(m) => {
                if depth < 3 {
                    for (k, v) in m {
                        walk(&format!("{prefix}_{k}"), v, depth + 1, keys, values);
                    }
                }
                return;
            }
            Value::Array(a) => {
                let parts: Vec<String> = a
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            }
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
        };
        keys.push(normalize_column(prefix));
        values.push(v);
    }
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for (k, v) in object {
        walk(k, v, 0, &mut keys, &mut values);
    }
    (keys, values)
}

/// How a JSON file's records become documents, decided from the union of
/// the keys of its (first) records.
struct JsonPlan<'a> {
    ctx: Ctx<'a>,
    opts: &'a IngestOptions,
    /// False when the file cannot give documents (a mapped key it lacks, no
    /// text key): its records are read, not stored.
    usable: bool,
}

impl<'a> JsonPlan<'a> {
    /// Detects the kind and columns from `records`, setting them on `out`;
    /// a mapping the keys cannot satisfy, or keys without text, is one
    /// skip at the first record.
    fn new(
        path: &'a str,
        records: &[JsonRecord],
        out: &mut Parsed,
        opts: &'a IngestOptions,
        layout: &str,
    ) -> JsonPlan<'a> {
        let mut union: Vec<String> = Vec::new();
        let mut known: std::collections::HashSet<String> = Default::default();
        for r in records {
            for k in flatten(&r.object).0 {
                if known.insert(k.clone()) {
                    union.push(k);
                }
            }
        }
        let mut union_cols = Columns::new(&union);
        let mapped = union_cols.apply_mapping(&union, &union, &opts.mapping, true);
        let kind = opts
            .kind
            .or_else(|| detect_kind(&union, path))
            .unwrap_or_else(|| fallback_kind(&union_cols));
        out.kind = kind;
        out.layout = layout.to_string();
        out.columns = union_cols.describe(&union, None);
        let mut usable = true;
        if let (Err(reason), Some(first)) = (mapped, records.first()) {
            out.skip(source_at(path, first.line, first.row), reason);
            usable = false;
        } else if !records.is_empty() && !has_text_columns(&union_cols, kind, None) {
            out.skip(
                source_at(path, records[0].line, records[0].row),
                no_text_reason(&union),
            );
            usable = false;
        }
        JsonPlan {
            ctx: Ctx::new(path, kind, &union, false),
            opts,
            usable,
        }
    }

    /// Builds one record's document (or skip) into `out`.
    fn build(&mut self, r: &JsonRecord, out: &mut Parsed) {
        if !self.usable {
            return;
        }
        let (keys, values) = flatten(&r.object);
        let mut cols = Columns::new(&keys);
        // Keys absent from this record leave their field empty.
        let _ = cols.apply_mapping(&keys, &keys, &self.opts.mapping, false);
        let mut warnings = Vec::new();
        if r.repaired {
            warnings.push("non-UTF-8 bytes decoded as Windows-1252".to_string());
        }
        let skipped_before = out.skipped.len();
        build_record(&mut self.ctx, &cols, &values, r.line, r.row, warnings, out);
        if out.skipped.len() > skipped_before {
            out.attach_raw(r.raw.clone());
        }
    }
}

/// Detects the file's kind from the union of its records' keys, then builds
/// every record's document.
fn finish_records(
    path: &str,
    records: Vec<JsonRecord>,
    mut out: Parsed,
    opts: &IngestOptions,
    layout: &str,
) -> Parsed {
    let mut plan = JsonPlan::new(path, &records, &mut out, opts, layout);
    if records.is_empty() && out.skipped.is_empty() {
        out.note = Some("no records".to_string());
    }
    for r in &records {
        plan.build(r, &mut out);
    }
    out.skipped.sort_by_key(|s| s.source.line);
    out.warnings.sort_by_key(|s| s.source.line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn column_names_normalise() {
        assert_eq!(normalize_column("Ticket ID"), "ticket_id");
        assert_eq!(normalize_column("  created_at "), "created_at");
        assert_eq!(normalize_column("createdAt"), "created_at");
        assert_eq!(normalize_column("Review-Text"), "review_text");
        assert_eq!(normalize_column("\u{feff}id"), "id");
        assert_eq!(
            normalize_column("How likely are you to recommend us? (0-10)"),
            "how_likely_are_you_to_recommend_us_0_10"
        );
    }

    #[test]
    fn kind_from_columns_then_path() {
        let k = |c: &[&str], p: &str| detect_kind(&cols(c), p);
        assert_eq!(
            k(
                &["id", "Subject", "Description", "Status", "Satisfaction"],
                "x.csv"
            ),
            Some(SourceKind::Ticket)
        );
        assert_eq!(
            k(&["review_id", "Stars", "Title", "Body"], "x.csv"),
            Some(SourceKind::Review)
        );
        assert_eq!(
            k(&["handle", "text", "likes", "retweets"], "x.csv"),
            Some(SourceKind::Social)
        );
        assert_eq!(
            k(&["respondent", "NPS", "Comment"], "x.csv"),
            Some(SourceKind::Survey)
        );
        assert_eq!(
            k(
                &[
                    "How likely are you to recommend us?",
                    "Anything else? (comments)"
                ],
                "x.csv"
            ),
            Some(SourceKind::Survey)
        );
        // Columns say nothing: the path decides, innermost part first.
        assert_eq!(
            k(&["id", "text"], "corpus/zendesk/export.csv"),
            Some(SourceKind::Ticket)
        );
        assert_eq!(
            k(&["id", "text"], "corpus/app_reviews.csv"),
            Some(SourceKind::Review)
        );
        assert_eq!(
            k(&["id", "text"], "corpus/mentions.jsonl"),
            Some(SourceKind::Social)
        );
        assert_eq!(
            k(&["id", "text"], "corpus/q1-nps.csv"),
            Some(SourceKind::Survey)
        );
        assert_eq!(
            k(&["id", "text"], "support/reviews/g2.csv"),
            Some(SourceKind::Review)
        );
        assert_eq!(k(&["id", "text"], "corpus/export.csv"), None);
        assert_eq!(k(&[], "corpus/export.csv"), None);
    }

    const TICKETS: &str = "\
ticket_id,created_at,subject,description,status,requester,satisfaction
101,2026-03-01T09:00:00Z,Export fails,\"The CSV export times out,
every single time.\",open,ana@acme.com,bad
102,2026-03-02,Invoice,Wrong VAT on my invoice,solved,Bo Lund,good
103,not a date,Login,\"Cannot log in, \"\"SSO\"\" error\",open,,
";

    #[test]
    fn csv_tickets_with_quoted_newlines() {
        let p = parse_delimited("t/zendesk.csv", TICKETS.as_bytes(), None);
        assert_eq!(p.kind, SourceKind::Ticket);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let d = &p.documents;
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[0].turns[0].text,
            "The CSV export times out,\nevery single time."
        );
        assert_eq!((d[0].source.line, d[0].source.row), (2, Some(1)));
        assert_eq!((d[1].source.line, d[1].source.row), (4, Some(2)));
        assert_eq!((d[2].source.line, d[2].source.row), (5, Some(3)));
        assert_eq!(d[0].id, stable_id(&["t/zendesk.csv", "id", "101"]));
        assert_eq!(d[0].title.as_deref(), Some("Export fails"));
        assert_eq!(d[0].status.as_deref(), Some("open"));
        assert_eq!(d[0].rating, Some(1.0));
        assert_eq!(d[1].rating, Some(5.0));
        assert_eq!(d[0].channel.as_deref(), Some("zendesk"));
        assert_eq!(
            d[0].customer,
            Some(crate::ingest::fields::email_key("ana@acme.com"))
        );
        assert_eq!(d[1].customer.as_deref(), Some("Bo Lund"));
        assert_eq!(d[1].turns[0].speaker.as_deref(), Some("Bo Lund"));
        assert_eq!(d[2].customer, None);
        assert_eq!(d[2].turns[0].text, "Cannot log in, \"SSO\" error");
        assert_eq!(d[2].date, None);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 5);
        assert_eq!(
            p.warnings[0].reason,
            "invalid date 'not a date' (kept the record without a date)"
        );
        assert!(d
            .iter()
            .all(|d| !d.customer.as_deref().unwrap_or("").contains('@')));
    }

    #[test]
    fn csv_unbalanced_quote_keeps_the_rows_after_it() {
        let mut csv = String::from("id,date,rating,review\n");
        for i in 1..=5 {
            csv.push_str(&format!("{i},2026-01-0{i},4,Fine app number {i}\n"));
        }
        // Line 7: the quote never closes, so a naive reader swallows the rest.
        csv.push_str("6,2026-01-06,1,\"Crashes on launch, every time\n");
        for i in 7..=12 {
            csv.push_str(&format!("{i},2026-01-07,5,Great sync {i}\n"));
        }
        csv.push_str("13,2026-01-08,2,\"Quoted, with comma\"\n");
        let p = parse_delimited("reviews.csv", csv.as_bytes(), None);
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 7);
        assert_eq!(p.skipped[0].source.row, Some(6));
        assert!(
            p.skipped[0]
                .reason
                .starts_with("unbalanced quote: record spans lines 7–"),
            "{}",
            p.skipped[0].reason
        );
        let ids: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(ids, vec![2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]);
        let last = p.documents.last().unwrap();
        assert_eq!(last.turns[0].text, "Quoted, with comma");
        assert_eq!(last.source.row, Some(13));
        assert_eq!(p.kind, SourceKind::Review);

        // The same file with Windows line endings and blank lines.
        let crlf = csv
            .replace('\n', "\r\n")
            .replacen("\r\n2,", "\r\n\r\n\r\n2,", 1);
        let p = parse_delimited("reviews.csv", crlf.as_bytes(), None);
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 9);
        let lines: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(lines, vec![2, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(p.documents[5].turns[0].text, "Great sync 7");
    }

    #[test]
    fn csv_unbalanced_quote_closed_by_a_later_record() {
        let csv = "id,body,stars\n1,\"opens here,3\n2,plain,4\n3,\"closes\" here,5\n4,after,2\n";
        let p = parse_delimited("r.csv", csv.as_bytes(), None);
        let lines: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 2);
        assert_eq!(lines, vec![3, 4, 5]);
    }

    #[test]
    fn csv_latin1_field_is_decoded_with_a_warning() {
        let mut bytes = b"id;comment;nps\n1;Tr\xe8s bien, merci;9\n".to_vec();
        bytes.extend_from_slice("2;Très lent;3\n".as_bytes());
        let p = parse_delimited("survey.csv", &bytes, None);
        assert_eq!(p.kind, SourceKind::Survey);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].turns[0].text, "Très bien, merci");
        assert_eq!(p.documents[1].turns[0].text, "Très lent");
        assert_eq!(p.documents[0].score, Some(9.0));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 2);
        assert!(p.warnings[0].reason.contains("'comment'"));
    }

    #[test]
    fn csv_survey_score_only_rows_are_kept() {
        let csv = "response_id,submitted_at,score,comment\nr1,2026-02-01,10,\nr2,2026-02-01,,\nr3,2026-02-02,eleven,Too pricey\n";
        let p = parse_delimited("nps.csv", csv.as_bytes(), None);
        assert_eq!(p.kind, SourceKind::Survey);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].score, Some(10.0));
        assert!(p.documents[0].turns.is_empty());
        assert_eq!(p.documents[1].score, None);
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(
            (p.skipped[0].source.line, p.skipped[0].reason.as_str()),
            (3, "empty body")
        );
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].reason.starts_with("invalid score 'eleven'"));
    }

    #[test]
    fn csv_tsv_crlf_bom_short_and_long_rows() {
        let tsv = "\u{feff}Review ID\tStar Rating\tReview Text\tStore\r\nA1\t5 stars\tLove it\tApp Store\r\nA2\t9\tMeh\r\nA3\t2\tSlow\tPlay\textra\r\n\t\t\t\r\nA4\t4\tOk\tPlay\t\r\n";
        let p = parse_delimited("x.tsv", tsv.as_bytes(), Some(b'\t'));
        let lines: Vec<u64> = p.documents.iter().map(|d| d.source.line).collect();
        assert_eq!(lines, vec![2, 3, 6]);
        assert_eq!(p.documents[0].rating, Some(5.0));
        assert_eq!(p.documents[0].channel.as_deref(), Some("app store"));
        assert_eq!(p.documents[1].rating, None);
        assert_eq!(p.documents[1].channel.as_deref(), Some("review"));
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].source.line, 4);
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert!(p.warnings[0]
            .reason
            .starts_with("record has 3 fields, expected 4"));
        assert!(p.warnings[1].reason.starts_with("invalid rating '9'"));
    }

    #[test]
    fn csv_without_text_columns_is_one_skip() {
        let p = parse_delimited("x.csv", b"id,amount\n1,3\n2,4\n", None);
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].reason.starts_with("no text column"));
    }

    #[test]
    fn csv_duplicate_ids_and_agent_rows() {
        let csv = "conversation_id,author_type,author,email,body\nc1,user,Ana,ana@x.io,Help!\nc1,admin,Sam,sam@vendor.com,On it\n";
        let p = parse_delimited("intercom.csv", csv.as_bytes(), None);
        assert_eq!(p.documents.len(), 2);
        assert_ne!(p.documents[0].id, p.documents[1].id);
        assert_eq!(p.documents[0].turns[0].role, Role::Customer);
        assert_eq!(p.documents[1].turns[0].role, Role::Agent);
        assert_eq!(p.documents[1].customer, None);
        assert_eq!(p.documents[0].channel.as_deref(), Some("intercom"));
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].reason.starts_with("duplicate id 'c1'"));
    }

    #[test]
    fn quote_shapes() {
        assert!(quotes_well_formed(b"1,\"a,\nb\",3\n", b','));
        assert!(quotes_well_formed(b"1,\"say \"\"hi\"\"\",3", b','));
        assert!(quotes_well_formed(b"1,\"\",3", b','));
        assert!(!quotes_well_formed(
            b"1,\"opens,3\n2,\"closes\" here,5",
            b','
        ));
        assert!(!quotes_well_formed(b"1,\"never closes", b','));
    }

    #[test]
    fn survey_with_question_headers() {
        let csv = "Respondent,Submitted At,How likely are you to recommend Acme? (0-10),\
                   What is the main reason for your score?\n\
                   r@x.io,2026-02-01,9,Fast support\n\
                   q@x.io,2026-02-02,3,\n";
        let p = parse_delimited("export.csv", csv.as_bytes(), None);
        assert_eq!(p.kind, SourceKind::Survey);
        let d = &p.documents;
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].score, d[0].turns[0].text.as_str()),
            (Some(9.0), "Fast support")
        );
        assert_eq!(d[0].turns[0].speaker, None);
        assert!(d[0].customer.as_deref().unwrap().starts_with("e:"));
        assert!(d[1].turns.is_empty());
    }

    #[test]
    fn google_play_style_columns() {
        let csv = "Package Name,App Version Name,Reviewer Language,Review Submit Date and Time,\
                   Last Updated Date,Star Rating,Review Title,Review Text\n\
                   com.acme,4.2,en,2026-02-03T10:00:00Z,2026-02-09T10:00:00Z,2,,Keeps logging me out\n";
        let p = parse_delimited("play.csv", csv.as_bytes(), None);
        let d = &p.documents[0];
        assert_eq!(p.kind, SourceKind::Review);
        assert_eq!(d.rating, Some(2.0));
        assert_eq!(d.date.unwrap().format("%F").to_string(), "2026-02-03");
        assert_eq!(d.turns[0].text, "Keeps logging me out");
        assert_eq!(d.customer, None);
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"single\n"), b',');
    }

    #[test]
    fn jsonl_skips_a_truncated_line_and_keeps_the_rest() {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(
            b"{\"id\": \"t1\", \"handle\": \"@mia\", \"text\": \"Love the new editor\", \"likes\": 12, \"created_at\": 1772531200}\n",
        );
        bytes.extend_from_slice(
            b"\n{\"id\": \"t2\", \"handle\": \"@raj\", \"text\": \"Sync is bro\n",
        );
        bytes.extend_from_slice(b"{\"id\": \"t3\", \"user\": {\"screen_name\": \"lea\"}, \"text\": \"Caf\xe9 wifi kills the app\", \"platform\": \"Twitter\"}\n");
        bytes.extend_from_slice(b"[1, 2]\n");
        let p = parse_jsonl("social/x.jsonl", &bytes);
        assert_eq!(p.kind, SourceKind::Social);
        assert_eq!(p.documents.len(), 2);
        let d = &p.documents;
        assert_eq!((d[0].source.line, d[0].source.row), (1, Some(1)));
        assert_eq!((d[1].source.line, d[1].source.row), (4, Some(3)));
        assert_eq!(d[0].customer.as_deref(), Some("@mia"));
        assert!(d[0].date.is_some());
        assert_eq!(d[1].turns[0].text, "Café wifi kills the app");
        assert_eq!(d[1].customer.as_deref(), Some("lea"));
        assert_eq!(d[1].channel.as_deref(), Some("twitter"));
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.skipped[0].source.line, 3);
        assert!(
            p.skipped[0].reason.starts_with("invalid JSON"),
            "{}",
            p.skipped[0].reason
        );
        assert_eq!(p.skipped[1].reason, "not a JSON object");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 4);
    }

    #[test]
    fn json_array_records_cite_their_lines() {
        let json = r#"[
  {
    "review_id": "g2-1",
    "rating": "4/5",
    "title": "Solid",
    "review_text": "Does what it says.",
    "date": "03/02/2026"
  },
  {"review_id": "g2-2", "rating": 7, "review_text": "Too many clicks {sic]"},
  "oops",
  {
    "review_id": "g2-3", "rating": 1,
    "review_text": "Lost my data", "author": {"name": "K. Obi"}
  }
]
"#;
        let p = parse_json("reviews.json", json.as_bytes());
        assert_eq!(p.kind, SourceKind::Review);
        let d = &p.documents;
        let got: Vec<_> = d.iter().map(|d| (d.source.line, d.source.row)).collect();
        assert_eq!(got, vec![(2, Some(1)), (9, Some(2)), (11, Some(4))]);
        assert_eq!(d[0].rating, Some(4.0));
        assert_eq!(d[0].date.unwrap().format("%F").to_string(), "2026-03-02");
        assert_eq!(d[1].rating, None);
        assert_eq!(d[2].customer.as_deref(), Some("K. Obi"));
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(
            (p.skipped[0].source.line, p.skipped[0].reason.as_str()),
            (10, "not a JSON object")
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 9);
    }

    #[test]
    fn json_wrapped_truncated_and_single_object() {
        let json = "{\"meta\": {\"count\": 2, \"tags\": [\"a\", {\"b\": 1}]},\n \"results\": [\n  {\"id\": 1, \"subject\": \"Refund\", \"body\": \"Please refund\"},\n  {\"id\": 2, \"body\": \"Broken";
        let p = parse_json("tickets.json", json.as_bytes());
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.documents[0].source.line, 3);
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].source.line, 4);
        assert!(
            p.skipped[0].reason.contains("kept the 1 records before it"),
            "{}",
            p.skipped[0].reason
        );

        let p = parse_json("one.json", b"{\"text\": \"Just one\", \"stars\": 3}");
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.documents[0].rating, Some(3.0));

        let p = parse_json("lines.json", b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[1].source.line, 2);

        let p = parse_json("bad.json", b"\n\n  {\"text\": \"a\",, }");
        assert!(p.documents.is_empty());
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].source.line, 3);
    }

    #[test]
    fn json_non_utf8_bytes_warn_on_the_record() {
        let bytes = b"[\n{\"text\": \"ok\"},\n{\"text\": \"na\xefve\"}\n]";
        let p = parse_json("x.json", bytes);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[1].turns[0].text, "naïve");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].source.line, 3);
    }

    /// Records written by the csv crate (quotes, commas, line breaks in the
    /// body) read back with the same bodies, rows and first lines, read whole
    /// or streamed through tiny buffers.
    mod round_trip {
        use super::*;
        use proptest::prelude::*;

        fn streamed(data: &[u8], head: usize, chunk: usize) -> Parsed {
            let limits = Limits {
                head,
                chunk,
                max_record: 1 << 20,
            };
            let opts = IngestOptions::default();
            read_delimited_in("r.csv", data, None, &opts, None, limits).unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            #[test]
            fn csv_records_round_trip(
                bodies in prop::collection::vec("[a-z][a-zA-Z0-9 ,;\"\n]{0,40}", 1..25),
                crlf in any::<bool>(),
                head in 0usize..40,
                chunk in 1usize..9,
            ) {
                let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
                let mut w = csv::WriterBuilder::new().terminator(terminator).from_writer(vec![]);
                w.write_record(["id", "body", "rating"]).unwrap();
                for (i, b) in bodies.iter().enumerate() {
                    w.write_record([(i + 1).to_string().as_str(), b, "4"]).unwrap();
                }
                let data = w.into_inner().unwrap();
                let whole = parse_delimited("r.csv", &data, None);
                prop_assert!(whole.skipped.is_empty(), "{:?}", whole.skipped);
                prop_assert_eq!(whole.documents.len(), bodies.len());
                let mut line = 2;
                for (i, (d, b)) in whole.documents.iter().zip(&bodies).enumerate() {
                    prop_assert_eq!(d.turns[0].text.as_str(), b.trim());
                    prop_assert_eq!(d.source.row, Some(i as u64 + 1));
                    prop_assert_eq!(d.source.line, line);
                    line += 1 + b.matches('\n').count() as u64;
                }
                let s = streamed(&data, "id,body,rating".len() + 1 + head, chunk);
                prop_assert_eq!(s.documents, whole.documents);
            }

            /// Broken files too: streaming through tiny buffers (records
            /// cut anywhere, resumes after an unbalanced quote crossing
            /// chunks) gives what reading whole gives.
            #[test]
            fn streaming_matches_reading_whole(
                lines in prop::collection::vec(
                    prop::collection::vec(
                        prop::sample::select(&["a", "b c", "\"", "\"\"", ",", "\r", " ", "é", "\u{e9}x"][..]),
                        0..8,
                    ).prop_map(|p| p.concat()),
                    0..30,
                ),
                head in 0usize..40,
                chunk in 1usize..9,
            ) {
                let mut data = String::from("id,body,rating\n");
                for (i, l) in lines.iter().enumerate() {
                    data.push_str(&format!("{i},{l},3\n"));
                }
                let whole = parse_delimited("r.csv", data.as_bytes(), None);
                let s = streamed(data.as_bytes(), "id,body,rating".len() + 1 + head, chunk);
                prop_assert_eq!(s.documents, whole.documents);
                prop_assert_eq!(s.skipped, whole.skipped);
                prop_assert_eq!(s.warnings, whole.warnings);
                prop_assert_eq!(s.raw, whole.raw);
            }
        }
    }

    #[test]
    fn a_quote_left_open_in_a_big_file_costs_one_line() {
        // The quote on line 3 never closes: past the record limit the reader
        // gives up on it and resumes on line 4.
        let mut csv = String::from("id,body\n1,ok\n2,\"open\n");
        for i in 3..200 {
            csv.push_str(&format!("{i},row {i}\n"));
        }
        let limits = Limits {
            head: 64,
            chunk: 16,
            max_record: 256,
        };
        let opts = IngestOptions::default();
        let p = read_delimited_in("r.csv", csv.as_bytes(), None, &opts, None, limits).unwrap();
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].source.line, 3);
        assert!(p.skipped[0]
            .reason
            .starts_with("record longer than 256 bytes"));
        assert_eq!(p.raw[0].text, "2,\"open");
        assert_eq!(p.documents.len(), 198);
        assert_eq!(p.documents[1].source.line, 4);
    }

    #[test]
    fn never_panics_on_awkward_input() {
        let deep_array = "[".repeat(10_000) + &"]".repeat(10_000);
        let deep_object = "{\"data\":".repeat(5_000) + "[]" + &"}".repeat(5_000);
        let deep_value = format!(
            "[{{\"text\": {}1{}}}]",
            "[".repeat(5_000),
            "]".repeat(5_000)
        );
        let inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\"".to_vec(),
            b"id,body\n".to_vec(),
            b"id,body".to_vec(),
            b"\n\n\n".to_vec(),
            b"\"\n\"\n\"".to_vec(),
            b",,,\n,,,\n".to_vec(),
            b"[".to_vec(),
            b"]".to_vec(),
            b"{".to_vec(),
            b"{}".to_vec(),
            b"[]".to_vec(),
            b"null".to_vec(),
            b"{\"data\": 5}".to_vec(),
            b"{\"data\": [1, {\"text\": 2}, null]}".to_vec(),
            b"[{\"text\": \"\\ud800\"}]".to_vec(),
            deep_array.into_bytes(),
            deep_object.into_bytes(),
            deep_value.into_bytes(),
            (0u8..=255).collect(),
            (0u8..=255).rev().cycle().take(5000).collect(),
            vec![0xFF, 0xFE, 0x00],
            vec![0xFE, 0xFF, 0xD8],
        ];
        for b in &inputs {
            let _ = parse_delimited("x.csv", b, None);
            let _ = parse_delimited("x.tsv", b, Some(b'\t'));
            let _ = parse_json("x.json", b);
            let _ = parse_jsonl("x.jsonl", b);
        }
    }
}
