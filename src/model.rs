//! Shared types that flow between the stages.
//!
//! ingest produces [`Document`]s, segment turns them into [`Snippet`]s,
//! classify attaches [`Tags`], index stores [`TaggedSnippet`]s and synth and
//! report read them back. No stage depends on another stage's internals, only
//! on these types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The five kinds of customer voice cairn reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Interview,
    Ticket,
    Review,
    Social,
    Survey,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Interview,
        SourceKind::Ticket,
        SourceKind::Review,
        SourceKind::Social,
        SourceKind::Survey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Interview => "interview",
            SourceKind::Ticket => "ticket",
            SourceKind::Review => "review",
            SourceKind::Social => "social",
            SourceKind::Survey => "survey",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "interview" | "interviews" | "transcript" => Some(SourceKind::Interview),
            "ticket" | "tickets" | "support" => Some(SourceKind::Ticket),
            "review" | "reviews" => Some(SourceKind::Review),
            "social" | "mention" | "mentions" => Some(SourceKind::Social),
            "survey" | "surveys" | "nps" => Some(SourceKind::Survey),
            _ => None,
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who is speaking in a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The customer, participant, reviewer, respondent or poster: the voice
    /// the reports are about.
    Customer,
    /// An interviewer or moderator. Kept for context, never counted.
    Interviewer,
    /// A support agent or company account replying. Kept, never counted.
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Interviewer => "interviewer",
            Role::Agent => "agent",
        }
    }

    /// Whether this role is customer voice (what reports count).
    pub fn is_voice(self) -> bool {
        self == Role::Customer
    }
}

/// Where a piece of text came from: the file (relative to the corpus root,
/// with `/` separators) and the 1-based line on which the record or turn
/// starts. Tabular sources also carry the 1-based data row (header excluded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    pub path: String,
    pub line: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// Media timestamp of a transcript cue, e.g. `00:03:12.400`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)?;
        if let Some(row) = self.row {
            write!(f, " (row {row})")?;
        }
        if let Some(ts) = &self.timestamp {
            write!(f, " @{ts}")?;
        }
        Ok(())
    }
}

/// One speaker turn (or the single body of a ticket, review, post, answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// Speaker name as written in the source, if any.
    pub speaker: Option<String>,
    pub role: Role,
    /// Raw text of the turn (not yet redacted).
    pub text: String,
    /// Where the turn starts.
    pub source: SourceRef,
    /// The section heading the turn sits under (Markdown notes), if any.
    pub topic: Option<String>,
    /// True for text marked as a verbatim quote (Markdown blockquote).
    pub verbatim: bool,
    /// The text's line breaks are the file's own, so a sentence's line is
    /// the turn's line plus the breaks before it (`.txt` turns, CSV fields).
    /// False where breaks are not file lines: JSON strings, subtitle cues,
    /// joined paragraphs.
    #[serde(default)]
    pub exact_lines: bool,
}

/// One source record: an interview, a ticket, a review, a post or a survey
/// answer, with its metadata and turns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: a hash of the path and the record's own id or position.
    pub id: String,
    pub kind: SourceKind,
    /// Where the record starts.
    pub source: SourceRef,
    /// Participant, customer or account key, used to join across channels.
    /// An explicit id column wins; otherwise a hash of the email; otherwise
    /// the author or speaker name.
    pub customer: Option<String>,
    pub date: Option<DateTime<Utc>>,
    /// Star rating 1–5 (reviews) or CSAT as 1–5.
    pub rating: Option<f64>,
    /// NPS score 0–10 (surveys).
    pub score: Option<f64>,
    /// Channel or platform: "zendesk", "app store", "twitter", "zoom" …
    pub channel: Option<String>,
    /// Title or subject line, if any (also segmented as customer text).
    pub title: Option<String>,
    /// Ticket status (open, solved …), if any.
    pub status: Option<String>,
    pub turns: Vec<Turn>,
}

impl Document {
    /// A hash of what the record says (who, when, the scores and every
    /// turn's text, speaker, role and topic), not where it sits: its id,
    /// kind, channel, path and lines are left out, so the same record in a
    /// renamed or moved file, or shifted down by a row inserted above it,
    /// hashes the same. Never 0 (the index's "none").
    pub fn content_hash(&self) -> u64 {
        /// A turn's speaker, role, text, topic and verbatim flag.
        type TurnView<'a> = (Option<&'a str>, Role, &'a str, Option<&'a str>, bool);
        #[derive(Serialize)]
        struct View<'a> {
            customer: Option<&'a str>,
            date: Option<DateTime<Utc>>,
            rating: Option<f64>,
            score: Option<f64>,
            title: Option<&'a str>,
            status: Option<&'a str>,
            turns: Vec<TurnView<'a>>,
        }
        let view = View {
            customer: self.customer.as_deref(),
            date: self.date,
            rating: self.rating,
            score: self.score,
            title: self.title.as_deref(),
            status: self.status.as_deref(),
            turns: self
                .turns
                .iter()
                .map(|t| {
                    (
                        t.speaker.as_deref(),
                        t.role,
                        t.text.as_str(),
                        t.topic.as_deref(),
                        t.verbatim,
                    )
                })
                .collect(),
        };
        let bytes = serde_json::to_vec(&view).unwrap_or_default();
        short_hash(&blake3::hash(&bytes))
    }
}

/// The first 8 bytes of a blake3 hash as a number, never 0.
pub(crate) fn short_hash(hash: &blake3::Hash) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first).max(1)
}

/// A sentence (or short span) of one turn: the unit cairn tags and cites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snippet {
    /// Stable id: hash of document id, turn index and sentence index.
    pub id: String,
    pub doc_id: String,
    pub kind: SourceKind,
    pub source: SourceRef,
    pub speaker: Option<String>,
    pub role: Role,
    pub customer: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub rating: Option<f64>,
    pub score: Option<f64>,
    pub channel: Option<String>,
    pub topic: Option<String>,
    /// Redacted text: this is what is stored, indexed and quoted.
    pub text: String,
    /// The whole redacted turn this sentence came from, for context.
    pub context: String,
}

/// Sentiment polarity label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Negative,
    Neutral,
    Positive,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
            Polarity::Positive => "positive",
        }
    }

    pub fn parse(s: &str) -> Option<Polarity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "negative" | "neg" => Some(Polarity::Negative),
            "neutral" | "neu" => Some(Polarity::Neutral),
            "positive" | "pos" => Some(Polarity::Positive),
            _ => None,
        }
    }
}

/// A categorical tag with its confidence in [0, 1] and the evidence (matched
/// cue, rule or prior) that produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub value: String,
    pub confidence: f64,
    pub evidence: String,
}

/// Sentiment: score in [-1, 1], label, and the cues behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    pub score: f64,
    pub label: Polarity,
    pub confidence: f64,
    pub evidence: String,
}

/// Everything classify says about one snippet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tags {
    pub sentiment: Sentiment,
    /// Journey stage id from the codebook.
    pub stage: Tag,
    /// informational / navigational / transactional.
    pub intent_signal: Tag,
    /// Intent cluster id from the codebook, if any cue fired.
    pub intent_cluster: Option<Tag>,
    /// says / thinks / does / feels.
    pub quadrant: Tag,
    pub pain: bool,
    pub gain: bool,
    /// Codebook themes (ids) the engine heard, strongest first: the seeds
    /// theme discovery matches the study's themes to.
    pub themes: Vec<Tag>,
    /// Which engine produced these tags ("lexicon", "neural").
    pub engine: String,
}

/// A snippet with its tags: what the index stores and synthesis reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedSnippet {
    pub snippet: Snippet,
    pub tags: Tags,
    /// The study's themes this snippet speaks of, strongest first (ids from
    /// the study's theme file), each with its confidence: set by theme
    /// discovery when `cairn run` synthesizes the study, never by an engine.
    /// (`tags.themes` are the codebook themes the engine heard: the seeds.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Tag>,
}

/// A record that could not be read: reported, counted, skipped. Also
/// the type of a warning (a record kept with a field dropped or repaired).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    /// File and line (and row) of the bad record, or just the file.
    pub source: SourceRef,
    /// Why, often quoting the bad value: redacted when made.
    pub reason: Redacted,
}

impl Skipped {
    pub fn new(source: SourceRef, reason: impl Into<String>) -> Skipped {
        Skipped {
            source,
            reason: Redacted::from(reason.into()),
        }
    }
}

/// Text that may quote customer input (a skip or warning reason), with
/// its personal data replaced as in snippets ([`crate::redact`]). It can
/// only be made by redacting, so a message that quotes a bad field
/// (`invalid date 'jane@example.com'`) reaches stderr, the reports and the
/// rejects file as `invalid date '[EMAIL]'`, whichever reader made it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String")]
pub struct Redacted(String);

impl Redacted {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Redacted {
    fn from(s: String) -> Redacted {
        match crate::redact::redact(&s) {
            std::borrow::Cow::Borrowed(_) => Redacted(s),
            std::borrow::Cow::Owned(r) => Redacted(r),
        }
    }
}

impl From<&str> for Redacted {
    fn from(s: &str) -> Redacted {
        Redacted(crate::redact::redact(s).into_owned())
    }
}

impl std::ops::Deref for Redacted {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Redacted {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Redacted {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

/// A short stable hex id from any parts (blake3, first 16 hex chars).
pub fn stable_id(parts: &[&str]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(&[0x1f]);
    }
    h.finalize().to_hex()[..16].to_string()
}
