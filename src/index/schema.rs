//! The tantivy schema of a cairn index.
//!
//! Consumes [`TaggedSnippet`]s and produces tantivy documents: one document
//! per snippet, with every tag as an exact-match field, the snippet text as a
//! stemmed full-text field, sentiment, date, rating and score as fast fields,
//! and the whole snippet as JSON in `record`, which is what searches and
//! [`SnippetIndex::all`](super::SnippetIndex::all) read back.
//!
//! Bump [`SCHEMA_VERSION`] whenever a field is added, removed or changes its
//! options: indexes written with another version are refused, not misread.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

use crate::model::TaggedSnippet;

/// Version of the field layout below, written to [`VERSION_FILE`].
///
/// Version 2 added the bookkeeping fields `file`, `doc_hash`, `base_hash`
/// and `run` (see [`DocEntry`]) and made `doc_id` fast.
pub(crate) const SCHEMA_VERSION: u64 = 2;

/// File in the index folder that records [`SCHEMA_VERSION`].
pub(crate) const VERSION_FILE: &str = "cairn-schema.json";

/// tantivy's built-in English analyzer: simple tokenizer, long-token filter,
/// lowercasing and Snowball English stemming ("refunds" → "refund").
const TEXT_ANALYZER: &str = "en_stem";

// Field names, shared by the schema builder, the fast-field readers in
// `search.rs` and anyone exporting the index with the same names.
pub(crate) const ID: &str = "id";
pub(crate) const DOC_ID: &str = "doc_id";
pub(crate) const KIND: &str = "kind";
pub(crate) const ROLE: &str = "role";
pub(crate) const STAGE: &str = "stage";
pub(crate) const SIGNAL: &str = "signal";
pub(crate) const CLUSTER: &str = "cluster";
pub(crate) const THEME: &str = "theme";
pub(crate) const QUADRANT: &str = "quadrant";
pub(crate) const SENTIMENT_LABEL: &str = "sentiment_label";
pub(crate) const CUSTOMER: &str = "customer";
pub(crate) const SPEAKER: &str = "speaker";
pub(crate) const CHANNEL: &str = "channel";
pub(crate) const PATH: &str = "path";
pub(crate) const LINE: &str = "line";
pub(crate) const ENGINE: &str = "engine";
pub(crate) const PAIN: &str = "pain";
pub(crate) const TEXT: &str = "text";
pub(crate) const SENTIMENT: &str = "sentiment";
pub(crate) const DATE: &str = "date";
pub(crate) const RATING: &str = "rating";
pub(crate) const SCORE: &str = "score";
pub(crate) const RECORD: &str = "record";
// Bookkeeping, per snippet (the same for every snippet of a document): not
// part of the stored record, read back only by the writer (see `DocEntry`).
pub(crate) const FILE: &str = "file";
pub(crate) const DOC_HASH: &str = "doc_hash";
pub(crate) const BASE_HASH: &str = "base_hash";
pub(crate) const RUN: &str = "run";

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub doc_id: Field,
    pub kind: Field,
    pub role: Field,
    pub stage: Field,
    pub signal: Field,
    pub cluster: Field,
    pub theme: Field,
    pub quadrant: Field,
    pub sentiment_label: Field,
    pub customer: Field,
    pub speaker: Field,
    pub channel: Field,
    pub path: Field,
    pub line: Field,
    pub engine: Field,
    pub pain: Field,
    pub text: Field,
    pub sentiment: Field,
    pub date: Field,
    pub rating: Field,
    pub score: Field,
    pub record: Field,
    pub file: Field,
    pub doc_hash: Field,
    pub base_hash: Field,
    pub run: Field,
}

/// What the index keeps about a document beside its snippets, so that a
/// run can tell what it added, changed, moved and removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocEntry {
    /// The document's id (the `doc_id` of its snippets).
    pub id: String,
    /// The file it was read from, as ingest names it (for a workbook, the
    /// workbook, not `book.xlsx#Sheet`).
    pub file: String,
    /// A hash of what the record says, not where it sits (see
    /// [`content_hash`](crate::model::Document::content_hash)); never 0.
    pub hash: u64,
}

/// Builds the schema of a fresh index.
pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    // Exact-match keys. `id` and `path` are also fast, for the date-ordered
    // listing's tie-breaks and for finding which ids an upsert replaces.
    b.add_text_field(ID, STRING | FAST);
    b.add_text_field(DOC_ID, STRING | FAST);
    for name in [
        KIND,
        ROLE,
        STAGE,
        SIGNAL,
        CLUSTER,
        THEME,
        QUADRANT,
        SENTIMENT_LABEL,
        CUSTOMER,
        SPEAKER,
        CHANNEL,
    ] {
        b.add_text_field(name, STRING);
    }
    b.add_text_field(PATH, STRING | FAST);
    b.add_u64_field(LINE, FAST);
    b.add_text_field(ENGINE, STRING);
    b.add_bool_field(PAIN, INDEXED);

    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    b.add_text_field(TEXT, text);

    b.add_f64_field(SENTIMENT, INDEXED | FAST);
    // Nanosecond fast values, so an inclusive `date_from`/`date_to` compares
    // against the exact instant rather than a truncated one.
    let date = DateOptions::default()
        .set_indexed()
        .set_fast()
        .set_precision(DateTimePrecision::Nanoseconds);
    b.add_date_field(DATE, date);
    let stored_fast = NumericOptions::default().set_fast().set_stored();
    b.add_f64_field(RATING, stored_fast.clone());
    b.add_f64_field(SCORE, stored_fast);
    b.add_text_field(RECORD, STORED);
    b.add_text_field(FILE, STRING | FAST);
    b.add_u64_field(DOC_HASH, FAST);
    b.add_u64_field(BASE_HASH, FAST);
    b.add_u64_field(RUN, FAST);
    b.build()
}

impl Fields {
    /// Resolves every field by name in `schema` (the one an opened index
    /// carries), failing on the first one missing.
    pub(crate) fn resolve(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("the index has no `{name}` field"))
        };
        Ok(Fields {
            id: get(ID)?,
            doc_id: get(DOC_ID)?,
            kind: get(KIND)?,
            role: get(ROLE)?,
            stage: get(STAGE)?,
            signal: get(SIGNAL)?,
            cluster: get(CLUSTER)?,
            theme: get(THEME)?,
            quadrant: get(QUADRANT)?,
            sentiment_label: get(SENTIMENT_LABEL)?,
            customer: get(CUSTOMER)?,
            speaker: get(SPEAKER)?,
            channel: get(CHANNEL)?,
            path: get(PATH)?,
            line: get(LINE)?,
            engine: get(ENGINE)?,
            pain: get(PAIN)?,
            text: get(TEXT)?,
            sentiment: get(SENTIMENT)?,
            date: get(DATE)?,
            rating: get(RATING)?,
            score: get(SCORE)?,
            record: get(RECORD)?,
            file: get(FILE)?,
            doc_hash: get(DOC_HASH)?,
            base_hash: get(BASE_HASH)?,
            run: get(RUN)?,
        })
    }

    /// The tantivy document for one snippet of the document `doc`, written
    /// by run `run` with the document's baseline hash `base` (0: none). Fails
    /// only if the snippet holds a number JSON cannot carry (NaN or
    /// infinite), which would make its stored record unreadable.
    pub(crate) fn document(
        &self,
        ts: &TaggedSnippet,
        doc: &DocEntry,
        base: u64,
        run: u64,
    ) -> Result<TantivyDocument, String> {
        if let Some(what) = non_finite(ts) {
            return Err(format!(
                "snippet {} ({}): {what} is not a finite number",
                ts.snippet.id, ts.snippet.source
            ));
        }
        let s = &ts.snippet;
        let t = &ts.tags;
        let mut d = TantivyDocument::new();
        d.add_text(self.id, &s.id);
        d.add_text(self.doc_id, &s.doc_id);
        d.add_text(self.kind, s.kind.as_str());
        d.add_text(self.role, s.role.as_str());
        d.add_text(self.stage, &t.stage.value);
        d.add_text(self.signal, &t.intent_signal.value);
        let cluster = t.intent_cluster.as_ref().map_or("", |c| c.value.as_str());
        d.add_text(self.cluster, cluster);
        // The study's themes, which `search --theme` filters on.
        for theme in &ts.themes {
            d.add_text(self.theme, &theme.value);
        }
        d.add_text(self.quadrant, &t.quadrant.value);
        d.add_text(self.sentiment_label, t.sentiment.label.as_str());
        if let Some(customer) = &s.customer {
            d.add_text(self.customer, customer);
        }
        if let Some(speaker) = &s.speaker {
            d.add_text(self.speaker, speaker);
        }
        if let Some(channel) = &s.channel {
            d.add_text(self.channel, channel);
        }
        d.add_text(self.path, &s.source.path);
        d.add_u64(self.line, s.source.line);
        d.add_text(self.engine, &t.engine);
        d.add_bool(self.pain, t.pain);
        d.add_text(self.text, &s.text);
        d.add_f64(self.sentiment, t.sentiment.score);
        // A date tantivy cannot represent (outside 1677–2262) is left out of
        // the date field; the record still carries it.
        if let Some(nanos) = s.date.and_then(|d| d.timestamp_nanos_opt()) {
            d.add_date(self.date, DateTime::from_timestamp_nanos(nanos));
        }
        if let Some(rating) = s.rating {
            d.add_f64(self.rating, rating);
        }
        if let Some(score) = s.score {
            d.add_f64(self.score, score);
        }
        let record = serde_json::to_string(ts)
            .map_err(|e| format!("snippet {}: cannot serialize: {e}", s.id))?;
        d.add_text(self.record, record);
        d.add_text(self.file, &doc.file);
        d.add_u64(self.doc_hash, doc.hash);
        d.add_u64(self.base_hash, base);
        d.add_u64(self.run, run);
        Ok(d)
    }
}

/// Names the first number in `ts` that serde_json would write as `null`.
fn non_finite(ts: &TaggedSnippet) -> Option<&'static str> {
    let t = &ts.tags;
    let checks = [
        ("sentiment score", Some(t.sentiment.score)),
        ("sentiment confidence", Some(t.sentiment.confidence)),
        ("rating", ts.snippet.rating),
        ("score", ts.snippet.score),
        ("stage confidence", Some(t.stage.confidence)),
        ("intent signal confidence", Some(t.intent_signal.confidence)),
        (
            "intent cluster confidence",
            t.intent_cluster.as_ref().map(|c| c.confidence),
        ),
        ("quadrant confidence", Some(t.quadrant.confidence)),
    ];
    checks
        .into_iter()
        .find(|(_, v)| v.is_some_and(|v| !v.is_finite()))
        .map(|(what, _)| what)
        .or_else(|| {
            t.themes
                .iter()
                .chain(&ts.themes)
                .any(|th| !th.confidence.is_finite())
                .then_some("theme confidence")
        })
}
