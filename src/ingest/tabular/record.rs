//! Record → [`Document`]: consumes one record's values (a CSV row or a
//! flattened JSON object) and the [`Columns`] that say what each holds;
//! produces the record's document with its warnings, or the reason it was
//! skipped, into a [`Parsed`]. [`Ctx`] carries what a file's records share
//! (path, kind, vendor, ids seen so far).

use super::columns::{Columns, Field};
use super::kind::detect_vendor;
use crate::ingest::fields::{
    customer_key, extract_email, parse_date, parse_rating, parse_satisfaction, parse_score,
};
use crate::ingest::vendors::{Plan, TestKind};
use crate::ingest::Parsed;
use crate::model::{stable_id, Document, Role, SourceKind, SourceRef, Turn};
use std::collections::HashMap;

/// What a file's records share.
pub(super) struct Ctx<'a> {
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
    /// The layout's test-response column and its reading (Qualtrics'
    /// Response Type): test responses are skipped.
    test_flag: Option<(usize, TestKind)>,
    /// Line breaks inside fields are file lines (CSV), not escapes (JSON).
    exact_lines: bool,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        path: &'a str,
        kind: SourceKind,
        columns: &[String],
        exact_lines: bool,
    ) -> Ctx<'a> {
        Ctx {
            exact_lines,
            path,
            kind,
            vendor: detect_vendor(path, columns),
            seen: HashMap::new(),
            answers: Vec::new(),
            body_topic: None,
            reply: None,
            test_flag: None,
        }
    }

    /// Takes a vendor plan's channel, answer and reply columns.
    pub(super) fn with_plan(mut self, plan: &Plan, cols: &Columns, names: &[String]) -> Ctx<'a> {
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
        self.test_flag = plan.test_flag;
        self
    }

    pub(super) fn source(&self, line: u64, row: u64) -> SourceRef {
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
pub(super) fn build_record(
    ctx: &mut Ctx,
    cols: &Columns,
    values: &[Option<String>],
    line: u64,
    row: u64,
    mut warnings: Vec<String>,
    out: &mut Parsed,
) {
    let source = ctx.source(line, row);
    let test = ctx
        .test_flag
        .and_then(|(i, kind)| values.get(i).and_then(|v| v.as_deref()).and_then(kind));
    if let Some(test) = test {
        out.skip(
            source,
            format!("a {test} response (a researcher's test, not a respondent)"),
        );
        return;
    }
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
        if ctx.kind == SourceKind::Survey && unanswered(cols, values) {
            // Abandoned or left blank: nothing to store, nothing wrong.
            out.empty += 1;
        } else {
            out.skip(source, "empty body");
        }
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

/// Whether a survey response with no text and no usable score is empty
/// ([`FileSummary::empty`]): its score, rating and satisfaction cells are
/// blank too. One that holds something cairn cannot read (a score of
/// "eleven" and no comment) is skipped as broken instead.
///
/// [`FileSummary::empty`]: crate::ingest::FileSummary::empty
fn unanswered(cols: &Columns, values: &[Option<String>]) -> bool {
    [Field::Score, Field::Rating, Field::Satisfaction]
        .into_iter()
        .all(|f| cols.get(f, values).is_none())
}

/// The kind to use when [`detect_kind`](super::detect_kind) cannot say:
/// review if there is a rating column, else ticket.
pub(super) fn fallback_kind(cols: &Columns) -> SourceKind {
    if cols.has(Field::Rating) {
        SourceKind::Review
    } else {
        SourceKind::Ticket
    }
}

/// Whether records of this shape can carry any text (or a bare score).
pub(super) fn has_text_columns(cols: &Columns, kind: SourceKind, plan: Option<&Plan>) -> bool {
    cols.has(Field::Body)
        || cols.has(Field::Title)
        || plan.is_some_and(|p| !p.answers.is_empty())
        || (kind == SourceKind::Survey && cols.has(Field::Score))
}

pub(super) fn no_text_reason(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
    format!(
        "no text column (expected one of description, body, text, comment, content, review, \
         message, feedback, title, subject …; found: {}); name it with --map body=COLUMN",
        shown.join(", ")
    )
}
