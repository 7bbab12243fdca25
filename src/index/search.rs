//! Query building, ranking and highlighting over a cairn index.
//!
//! Consumes a [`SearchQuery`] and an open searcher; produces ranked [`Hit`]s:
//! the stored [`TaggedSnippet`] read back from its JSON record, its BM25
//! score, and a short highlight with the matched terms in `**bold**`.
//!
//! The free text goes through tantivy's `QueryParser` on the stemmed `text`
//! field, with AND between words. Every filter becomes an exact term query
//! or an inclusive range query, wrapped so that it narrows the hits without
//! changing their scores. With text, hits come by score; without, newest
//! first, then by path, line and id, so the listing is the same every run.

use std::cmp::{Ordering, Reverse};
use std::ops::Bound;

use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{Count, SegmentSortKeyComputer, SortKeyComputer, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DateTime, DocAddress, DocId, Index, Score, Searcher, SegmentReader, Term};

use super::schema::{self, Fields};
use super::{Hit, SearchQuery};
use crate::error::{Error, Result};
use crate::model::TaggedSnippet;

/// Longest highlight, in characters.
pub(crate) const HIGHLIGHT_CHARS: usize = 160;

/// A query ready to run: the parsed free text (kept apart for highlighting)
/// and the whole query with filters.
struct Built {
    text: Option<Box<dyn Query>>,
    query: Box<dyn Query>,
}

/// Runs `q` and returns its hits, best first.
pub(crate) fn run(
    index: &Index,
    searcher: &Searcher,
    fields: &Fields,
    q: &SearchQuery,
) -> Result<Vec<Hit>, SearchError> {
    let Some(built) = build(index, fields, q)? else {
        return Ok(Vec::new());
    };
    // TopDocs reserves room for twice its limit in every segment, so "no
    // cap" is the number of matches, not the size of the index.
    let limit = match q.limit {
        0 => searcher.search(&*built.query, &Count)?,
        n => n,
    };
    if limit == 0 {
        return Ok(Vec::new());
    }

    match &built.text {
        Some(text_query) => {
            let top =
                searcher.search(&*built.query, &TopDocs::with_limit(limit).order_by_score())?;
            let mut generator = SnippetGenerator::create(searcher, &**text_query, fields.text)?;
            generator.set_max_num_chars(HIGHLIGHT_CHARS);
            let mut hits = Vec::with_capacity(top.len());
            for (score, address) in top {
                let snippet = read_record(searcher, fields, address)?;
                let text = &snippet.snippet.text;
                let highlight = highlight(text, &generator.snippet(text))
                    .unwrap_or_else(|| prefix(&snippet.snippet.text));
                hits.push(Hit {
                    snippet,
                    score,
                    highlight,
                });
            }
            // tantivy breaks score ties by document address, which changes as
            // segments merge; break them by citation instead.
            hits.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| citation_order(&a.snippet, &b.snippet))
            });
            Ok(hits)
        }
        None => {
            let top = searcher.search(
                &*built.query,
                &TopDocs::with_limit(limit).order_by(Chronological),
            )?;
            top.into_iter()
                .map(|(_, address)| {
                    let snippet = read_record(searcher, fields, address)?;
                    let highlight = prefix(&snippet.snippet.text);
                    Ok(Hit {
                        snippet,
                        score: 0.0,
                        highlight,
                    })
                })
                .collect()
        }
    }
}

/// Why a search failed, before the caller adds the index path.
pub(crate) enum SearchError {
    /// The user's query is wrong: reported as [`Error::Query`].
    Query(String),
    /// The index failed or holds something unreadable.
    Index(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}

impl SearchError {
    pub(crate) fn into_error(self, path: &std::path::Path) -> Error {
        match self {
            SearchError::Query(msg) => Error::Query(msg),
            SearchError::Index(reason) => Error::Index {
                path: path.to_path_buf(),
                reason,
            },
        }
    }
}

/// Builds the query for `q`, or `None` when its ranges are empty.
fn build(index: &Index, f: &Fields, q: &SearchQuery) -> Result<Option<Built>, SearchError> {
    let text = match q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let mut parser = QueryParser::for_index(index, vec![f.text]);
            parser.set_conjunction_by_default();
            let parsed = parser
                .parse_query(t)
                .map_err(|e| SearchError::Query(e.to_string()))?;
            Some(parsed)
        }
        None => None,
    };

    let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let exact = [
        (f.stage, q.stage.as_deref()),
        (f.cluster, q.cluster.as_deref()),
        (f.theme, q.theme.as_deref()),
        (f.signal, q.signal.as_deref()),
        (f.quadrant, q.quadrant.as_deref()),
        (f.kind, q.kind.map(|k| k.as_str())),
        (f.role, q.role.map(|r| r.as_str())),
        (f.customer, q.customer.as_deref()),
        (f.sentiment_label, q.sentiment.map(|p| p.as_str())),
    ];
    for (field, value) in exact {
        if let Some(value) = value {
            filters.push((Occur::Must, term_query(Term::from_field_text(field, value))));
        }
    }
    if q.pain_only {
        filters.push((Occur::Must, term_query(Term::from_field_bool(f.pain, true))));
    }

    for (name, bound) in [
        ("sentiment_min", q.sentiment_min),
        ("sentiment_max", q.sentiment_max),
    ] {
        if bound.is_some_and(f64::is_nan) {
            return Err(SearchError::Query(format!("{name} is not a number")));
        }
    }
    if let (Some(lo), Some(hi)) = (q.sentiment_min, q.sentiment_max) {
        if lo > hi {
            return Ok(None);
        }
    }
    if q.sentiment_min.is_some() || q.sentiment_max.is_some() {
        let bound = |v: Option<f64>| match v {
            Some(v) => Bound::Included(Term::from_field_f64(f.sentiment, v)),
            None => Bound::Unbounded,
        };
        filters.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                bound(q.sentiment_min),
                bound(q.sentiment_max),
            )),
        ));
    }

    if let (Some(from), Some(to)) = (q.date_from, q.date_to) {
        if from > to {
            return Ok(None);
        }
    }
    if q.date_from.is_some() || q.date_to.is_some() {
        let bound = |v: Option<chrono::DateTime<chrono::Utc>>| match v {
            Some(v) => Bound::Included(Term::from_field_date(f.date, to_tantivy_date(v))),
            None => Bound::Unbounded,
        };
        filters.push((
            Occur::Must,
            Box::new(RangeQuery::new(bound(q.date_from), bound(q.date_to))),
        ));
    }

    let query: Box<dyn Query> = match (&text, filters.is_empty()) {
        (None, true) => Box::new(AllQuery),
        (None, false) => Box::new(BooleanQuery::new(filters)),
        (Some(text), true) => text.box_clone(),
        (Some(text), false) => {
            // Filters must match but add nothing to the score, so the ranking
            // is the text's BM25 alone.
            let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(filters)), 0.0);
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, text.box_clone()),
                (Occur::Must, Box::new(filter)),
            ]))
        }
    };
    Ok(Some(Built { text, query }))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// A chrono instant as a tantivy date, clamped to what tantivy can hold
/// (nanoseconds in an i64: years 1677 to 2262).
fn to_tantivy_date(v: chrono::DateTime<chrono::Utc>) -> DateTime {
    let nanos = v.timestamp_nanos_opt().unwrap_or(if v.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    });
    DateTime::from_timestamp_nanos(nanos)
}

/// Reads the stored JSON record of one document.
pub(crate) fn read_record(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> Result<TaggedSnippet, SearchError> {
    let doc: tantivy::TantivyDocument = searcher.doc(address)?;
    let json = doc
        .get_first(fields.record)
        .and_then(|v| v.as_str())
        .ok_or_else(|| SearchError::Index("a stored snippet has no record".to_string()))?;
    serde_json::from_str(json)
        .map_err(|e| SearchError::Index(format!("a stored snippet record is unreadable: {e}")))
}

/// The order of [`SnippetIndex::all`](super::SnippetIndex::all) and of
/// ties: source path, then line, then snippet id.
pub(crate) fn citation_order(a: &TaggedSnippet, b: &TaggedSnippet) -> Ordering {
    let (a, b) = (&a.snippet, &b.snippet);
    (&a.source.path, a.source.line, &a.id).cmp(&(&b.source.path, b.source.line, &b.id))
}

/// `text` with the matched terms of `snippet` wrapped in `**`: the whole
/// text when it fits in [`HIGHLIGHT_CHARS`], otherwise the generator's best
/// fragment with `…` where it was cut. `None` when nothing matched.
fn highlight(text: &str, snippet: &Snippet) -> Option<String> {
    let fragment = snippet.fragment_range();
    if snippet.highlighted().is_empty() || text.get(fragment.clone()).is_none() {
        return None;
    }
    let (start, mut end) = if text.chars().count() <= HIGHLIGHT_CHARS {
        (0, text.len())
    } else {
        (fragment.start, fragment.end)
    };
    // The fragment stops at its last word; keep the punctuation after it.
    end += text[end..]
        .chars()
        .take_while(char::is_ascii_punctuation)
        .map(char::len_utf8)
        .sum::<usize>();

    let mut out = String::with_capacity(end - start + 16);
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    // Adjacent matched words ("third time I'm asking") become one marked run.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for range in tantivy::snippet::collapse_overlapped_ranges(snippet.highlighted()) {
        let (from, to) = (range.start + fragment.start, range.end + fragment.start);
        match runs.last_mut() {
            Some(last)
                if text.get(last.1..from).is_some_and(|gap| {
                    gap.chars()
                        .all(|c| c.is_whitespace() || c == '\'' || c == '’')
                }) =>
            {
                last.1 = to
            }
            _ => runs.push((from, to)),
        }
    }
    for (from, to) in runs {
        let (Some(before), Some(term)) = (text.get(at..from), text.get(from..to)) else {
            continue;
        };
        out.push_str(before);
        out.push_str("**");
        out.push_str(term);
        out.push_str("**");
        at = to;
    }
    out.push_str(text.get(at..end).unwrap_or_default());
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

/// The first [`HIGHLIGHT_CHARS`] characters of `text`.
pub(crate) fn prefix(text: &str) -> String {
    match text.char_indices().nth(HIGHLIGHT_CHARS) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}

/// Sort key of the text-less listing: date (newest first, undated last),
/// then path, line and id ascending. Larger keys come first.
type ChronoKey = (Option<i64>, Reverse<String>, Reverse<u64>, Reverse<String>);

/// Orders hits by [`ChronoKey`], read from the fast fields.
struct Chronological;

struct ChronologicalSegment {
    date: Option<Column<DateTime>>,
    path: Option<StrColumn>,
    line: Option<Column<u64>>,
    id: Option<StrColumn>,
}

impl SortKeyComputer for Chronological {
    type SortKey = ChronoKey;
    type Child = ChronologicalSegment;
    type Comparator = NaturalComparator;

    fn segment_sort_key_computer(
        &self,
        reader: &SegmentReader,
    ) -> tantivy::Result<ChronologicalSegment> {
        let fast = reader.fast_fields();
        Ok(ChronologicalSegment {
            date: fast.column_opt(schema::DATE)?,
            path: fast.str(schema::PATH)?,
            line: fast.column_opt(schema::LINE)?,
            id: fast.str(schema::ID)?,
        })
    }
}

impl SegmentSortKeyComputer for ChronologicalSegment {
    type SortKey = ChronoKey;
    type SegmentSortKey = ChronoKey;
    type SegmentComparator = NaturalComparator;

    fn segment_sort_key(&mut self, doc: DocId, _score: Score) -> ChronoKey {
        let date = self
            .date
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(DateTime::into_timestamp_nanos);
        let line = self.line.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        (
            date,
            Reverse(first_str(self.path.as_ref(), doc)),
            Reverse(line),
            Reverse(first_str(self.id.as_ref(), doc)),
        )
    }

    fn convert_segment_sort_key(&self, key: ChronoKey) -> ChronoKey {
        key
    }
}

/// First value of a string fast field. A read error only weakens a
/// tie-break (the key cannot carry it), so it reads as the empty string.
fn first_str(column: Option<&StrColumn>, doc: DocId) -> String {
    let mut out = String::new();
    if let Some(column) = column {
        if let Some(ord) = column.term_ords(doc).next() {
            if column.ord_to_str(ord, &mut out).is_err() {
                out.clear();
            }
        }
    }
    out
}
