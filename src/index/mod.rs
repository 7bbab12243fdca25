//! The index stage: tagged snippets in, a searchable tantivy index out.
//!
//! Consumes [`TaggedSnippet`]s from classify and produces an on-disk tantivy
//! index (one folder, `--index`) that `cairn search`, synthesis and reports
//! read back through [`SnippetIndex::search`] and [`SnippetIndex::all`].
//!
//! Re-ingesting is idempotent: [`SnippetIndex::upsert`] first deletes every
//! snippet of the documents in the batch, then adds the batch, so the same
//! file indexed twice adds nothing and a re-segmented document leaves no
//! stale snippets behind. The field layout lives in `schema.rs`; query
//! building, ranking and highlighting in `search.rs`.
//!
//! Memory stays bounded however large the index grows: one writer (one
//! indexing thread, one merge thread) lives as long as the
//! [`SnippetIndex`] and commits every upsert; which documents are already
//! stored is answered from an in-memory set of 64-bit hashes of their ids,
//! so a batch of new documents never looks anything up in the segments
//! (on disk, and mapped into memory when read).

mod schema;
mod search;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use tantivy::collector::DocSetCollector;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::query::{AllQuery, TermSetQuery};
use tantivy::{
    index::SegmentId, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, SegmentMeta,
    TantivyDocument, Term,
};

use crate::error::{Error, Result};
use crate::model::{Polarity, Role, SourceKind, TaggedSnippet};
use schema::{Fields, SCHEMA_VERSION, VERSION_FILE};

/// Memory the writer may buffer before it flushes a segment (tantivy wants
/// at least 15 MB). A batch of a few thousand documents is committed well
/// before it fills.
const WRITER_BUDGET_BYTES: usize = 32_000_000;

/// One thread indexes and one merges: each more costs its own buffers (and
/// allocator arenas), while segmenting and tagging, not indexing, is what
/// limits an ingest's speed.
const WRITER_THREADS: usize = 1;
const MERGE_THREADS: usize = 1;

/// The most snippets one merge may write. tantivy's merge memory grows
/// with the documents merged (about 300 bytes each here: the `id` fast
/// column is remapped in memory), so an unbounded merge of a multi-million
/// snippet index would break ingest's memory bound.
const MAX_DOCS_PER_MERGE: u32 = 300_000;

/// tantivy's [`LogMergePolicy`] with each merge cut into groups of at most
/// [`MAX_DOCS_PER_MERGE`] snippets (a segment that large is left alone).
#[derive(Debug, Default)]
struct BoundedMergePolicy {
    inner: LogMergePolicy,
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        let mut out = Vec::new();
        for candidate in self.inner.compute_merge_candidates(segments) {
            let mut group = Vec::new();
            let mut sum = 0u32;
            for id in candidate.0 {
                let n = docs.get(&id).copied().unwrap_or(0);
                if sum.saturating_add(n) > MAX_DOCS_PER_MERGE {
                    if group.len() >= 2 {
                        out.push(MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    sum = 0;
                }
                if n <= MAX_DOCS_PER_MERGE {
                    group.push(id);
                    sum += n;
                }
            }
            if group.len() >= 2 {
                out.push(MergeCandidate(group));
            }
        }
        out
    }
}

/// An on-disk index of tagged snippets.
///
/// The first [`upsert`](SnippetIndex::upsert) takes the index's writer lock
/// and keeps it (and the writer) until [`finish`](SnippetIndex::finish) or
/// drop: one process writes to an index at a time.
pub struct SnippetIndex {
    dir: PathBuf,
    index: Index,
    /// Opened on first read. An ingest never reads through it (the writer's
    /// lookups use readers of their own), so it maps no segment meanwhile.
    reader: OnceLock<IndexReader>,
    /// Whether a commit happened since `reader` was last reloaded.
    stale: AtomicBool,
    fields: Fields,
    writer: Option<Writer>,
}

/// The long-lived writer and what it knows of the index.
struct Writer {
    writer: IndexWriter<TantivyDocument>,
    /// [`id_key`] of the `doc_id` of every document stored (and, after a
    /// delete, maybe a few that no longer are: a stale entry only costs a
    /// lookup). About 3.4 million documents take 40 MB.
    docs: HashSet<u64>,
}

/// What one [`SnippetIndex::upsert`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertStats {
    /// Snippet ids that were not in the index before.
    pub added: usize,
    /// Snippet ids that were already there (re-ingest) and were rewritten.
    pub replaced: usize,
}

/// A search over the index. Every field left `None` (or `false`) is no
/// constraint; the default query lists every snippet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    /// tantivy query syntax over the snippet text: words (all required),
    /// `"phrases"`, `OR`, `-word`. `None` or blank matches every snippet.
    pub text: Option<String>,
    /// Journey stage id from the codebook, exactly.
    pub stage: Option<String>,
    /// Intent cluster id, exactly (`""` finds snippets with none).
    pub cluster: Option<String>,
    /// One of the snippet's theme ids, exactly.
    pub theme: Option<String>,
    /// Intent signal id, exactly.
    pub signal: Option<String>,
    /// Empathy quadrant id, exactly.
    pub quadrant: Option<String>,
    pub kind: Option<SourceKind>,
    pub role: Option<Role>,
    /// Customer or participant key, exactly.
    pub customer: Option<String>,
    /// Sentiment label.
    pub sentiment: Option<Polarity>,
    /// Lowest sentiment score, inclusive.
    pub sentiment_min: Option<f64>,
    /// Highest sentiment score, inclusive.
    pub sentiment_max: Option<f64>,
    /// Earliest date, inclusive. Undated snippets never match a date range.
    pub date_from: Option<DateTime<Utc>>,
    /// Latest date, inclusive.
    pub date_to: Option<DateTime<Utc>>,
    /// Only snippets flagged as a pain.
    pub pain_only: bool,
    /// Most hits to return; 0 returns them all.
    pub limit: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub snippet: TaggedSnippet,
    /// BM25 relevance of the text query; 0 when there is no text query.
    pub score: f32,
    /// The snippet text with matched terms in `**bold**`: all of it when it
    /// fits in 160 characters, else the best ~160-character fragment, with
    /// `…` where it was cut. Without a text query, the first 160 characters.
    pub highlight: String,
}

impl fmt::Debug for SnippetIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SnippetIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SnippetIndex {
    /// Opens the index in `dir`, creating the folder and an empty index when
    /// there is none. Refuses a folder written with another schema version,
    /// or holding an index cairn did not write.
    pub fn open_or_create(dir: &Path) -> Result<SnippetIndex> {
        let err = |reason: String| index_error(dir, reason);
        fs::create_dir_all(dir).map_err(|e| err(format!("cannot create the folder: {e}")))?;
        let version_written = check_version(dir)?;
        let directory =
            MmapDirectory::open(dir).map_err(|e| err(format!("cannot open the folder: {e}")))?;
        let index = Index::open_or_create(directory, schema::build()).map_err(|e| {
            err(format!(
                "cannot open the index: {e}; delete the folder or use another --index"
            ))
        })?;
        if !version_written {
            let version = serde_json::json!({ "version": SCHEMA_VERSION }).to_string();
            fs::write(dir.join(VERSION_FILE), version + "\n")
                .map_err(|e| err(format!("cannot write {VERSION_FILE}: {e}")))?;
        }
        let fields = Fields::resolve(&index.schema()).map_err(err)?;
        Ok(SnippetIndex {
            dir: dir.to_path_buf(),
            index,
            reader: OnceLock::new(),
            stale: AtomicBool::new(false),
            fields,
            writer: None,
        })
    }

    /// Adds `snippets`, replacing every snippet already indexed for the
    /// documents they come from, in one commit. When a snippet id appears
    /// twice in the batch, the last one wins.
    ///
    /// A batch must hold *all* the snippets of each document it touches: a
    /// document split across two calls keeps only the second call's part.
    /// A snippet with a NaN or infinite number is an [`Error::Invalid`] and
    /// nothing of the batch is written.
    pub fn upsert(&mut self, snippets: &[TaggedSnippet]) -> Result<UpsertStats> {
        if snippets.is_empty() {
            return Ok(UpsertStats::default());
        }
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(snippets.len());
        for (i, s) in snippets.iter().enumerate() {
            last.insert(s.snippet.id.as_str(), i);
        }
        let batch: Vec<&TaggedSnippet> = snippets
            .iter()
            .enumerate()
            .filter(|(i, s)| last[s.snippet.id.as_str()] == *i)
            .map(|(_, s)| s)
            .collect();
        let docs = batch
            .iter()
            .map(|s| self.fields.document(s))
            .collect::<Result<Vec<TantivyDocument>, String>>()
            .map_err(Error::Invalid)?;

        self.writer()?;
        // Only documents already stored need deleting first, and only their
        // snippets can be replaced: a fresh batch touches no segment. (A
        // snippet id is derived from its document's id, so a snippet of a
        // new document cannot already be stored under another one.)
        let doc_ids: BTreeSet<&str> = batch.iter().map(|s| s.snippet.doc_id.as_str()).collect();
        let known: BTreeSet<&str> = {
            let docs = &self.writer.as_ref().expect("opened above").docs;
            doc_ids
                .iter()
                .copied()
                .filter(|d| docs.contains(&id_key(d)))
                .collect()
        };
        let of_known: Vec<&str> = batch
            .iter()
            .filter(|s| known.contains(s.snippet.doc_id.as_str()))
            .map(|s| s.snippet.id.as_str())
            .collect();
        let existing = if of_known.is_empty() {
            HashSet::new()
        } else {
            self.existing_ids(of_known.iter().copied())?
        };
        let replaced = existing.len();
        let stats = UpsertStats {
            added: batch.len() - replaced,
            replaced,
        };

        let dir = &self.dir;
        let err = |e: tantivy::TantivyError| index_error(dir, e.to_string());
        let w = self.writer.as_mut().expect("opened above");
        for doc_id in &known {
            w.writer
                .delete_term(Term::from_field_text(self.fields.doc_id, doc_id));
        }
        for id in &of_known {
            w.writer
                .delete_term(Term::from_field_text(self.fields.id, id));
        }
        for doc in docs {
            w.writer.add_document(doc).map_err(err)?;
        }
        if let Err(e) = w.writer.commit() {
            // The writer is unusable after a failed commit; the index is
            // still at its last commit.
            self.writer = None;
            return Err(err(e));
        }
        self.stale.store(true, Ordering::Release);
        w.docs.extend(doc_ids.iter().map(|d| id_key(d)));
        Ok(stats)
    }

    /// Waits for the merges under way and releases the writer (and its
    /// lock). Every upsert is already committed; this only lets the index
    /// settle into fewer segments. Dropping the index without calling it
    /// is safe.
    pub fn finish(&mut self) -> Result<()> {
        if let Some(w) = self.writer.take() {
            w.writer
                .wait_merging_threads()
                .map_err(|e| self.error(e.to_string()))?;
            self.stale.store(true, Ordering::Release);
        }
        Ok(())
    }

    /// The writer, opened on first use with the `doc_id`s already stored.
    fn writer(&mut self) -> Result<&mut Writer> {
        if self.writer.is_none() {
            let err = |e: tantivy::TantivyError| self.error(e.to_string());
            let options = IndexWriterOptions::builder()
                .memory_budget_per_thread(WRITER_BUDGET_BYTES)
                .num_worker_threads(WRITER_THREADS)
                .num_merge_threads(MERGE_THREADS)
                .build();
            let writer: IndexWriter<TantivyDocument> =
                self.index.writer_with_options(options).map_err(err)?;
            writer.set_merge_policy(Box::<BoundedMergePolicy>::default());
            let docs = self.stored_doc_ids()?;
            self.writer = Some(Writer { writer, docs });
        }
        Ok(self.writer.as_mut().expect("just opened"))
    }

    /// [`id_key`]s of every `doc_id` term in the index, read once from the
    /// term dictionaries (deleted documents' terms linger there until a
    /// merge: harmless, see [`Writer::docs`]).
    fn stored_doc_ids(&self) -> Result<HashSet<u64>> {
        let err = |e: String| self.error(e);
        let searcher = self.fresh_searcher()?;
        let mut out = HashSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.doc_id)
                .map_err(|e| err(e.to_string()))?;
            let mut terms = inverted.terms().stream().map_err(|e| err(e.to_string()))?;
            while terms.advance() {
                let key = std::str::from_utf8(terms.key())
                    .map_err(|e| err(format!("a stored doc_id is not UTF-8: {e}")))?;
                out.insert(id_key(key));
            }
        }
        Ok(out)
    }

    /// A searcher over the last commit, through the long-lived reader
    /// (opened, or reloaded if a commit happened since it was last loaded).
    fn searcher(&self) -> Result<Searcher> {
        if let Some(reader) = self.reader.get() {
            if self.stale.swap(false, Ordering::AcqRel) {
                if let Err(e) = reader.reload() {
                    self.stale.store(true, Ordering::Release);
                    return Err(self.error(e.to_string()));
                }
            }
            return Ok(reader.searcher());
        }
        let reader = self.open_reader()?;
        self.stale.store(false, Ordering::Release);
        Ok(self.reader.get_or_init(|| reader).searcher())
    }

    /// A searcher over the last commit from a reader of its own, for the
    /// writer's lookups: the segment files it maps (and the pages it reads,
    /// which count in the process's resident memory) are released when it
    /// is dropped, rather than held until the long-lived reader reloads.
    fn fresh_searcher(&self) -> Result<Searcher> {
        Ok(self.open_reader()?.searcher())
    }

    fn open_reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| self.error(format!("cannot open a reader: {e}")))
    }

    /// Number of snippets in the index.
    pub fn len(&self) -> Result<u64> {
        Ok(self.searcher()?.num_docs())
    }

    /// Whether the index holds no snippet.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Every stored snippet, sorted by source path, line and id.
    pub fn all(&self) -> Result<Vec<TaggedSnippet>> {
        let searcher = self.searcher()?;
        let mut addresses: Vec<_> = searcher
            .search(&AllQuery, &DocSetCollector)
            .map_err(|e| self.error(e.to_string()))?
            .into_iter()
            .collect();
        // Store order reads each compressed block once.
        addresses.sort();
        let mut out = addresses
            .into_iter()
            .map(|a| search::read_record(&searcher, &self.fields, a))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.into_error(&self.dir))?;
        out.sort_by(search::citation_order);
        Ok(out)
    }

    /// Runs `q`: by relevance when it has text, otherwise newest first (then
    /// by path and line). A malformed text query is an [`Error::Query`].
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        let searcher = self.searcher()?;
        search::run(&self.index, &searcher, &self.fields, q).map_err(|e| e.into_error(&self.dir))
    }

    /// Which of `ids` are in the index now.
    fn existing_ids<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Result<HashSet<String>> {
        let err = |e: tantivy::TantivyError| self.error(e.to_string());
        let searcher = self.fresh_searcher()?;
        if searcher.num_docs() == 0 {
            return Ok(HashSet::new());
        }
        let terms = ids.map(|id| Term::from_field_text(self.fields.id, id));
        let found = searcher
            .search(&TermSetQuery::new(terms), &DocSetCollector)
            .map_err(err)?;
        let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
        for a in found {
            by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
        }
        let mut out = HashSet::new();
        for (segment_ord, docs) in by_segment {
            let reader = searcher.segment_reader(segment_ord);
            let Some(column) = reader.fast_fields().str(schema::ID).map_err(err)? else {
                continue;
            };
            for doc in docs {
                for ord in column.term_ords(doc) {
                    let mut id = String::new();
                    column
                        .ord_to_str(ord, &mut id)
                        .map_err(|e| self.error(format!("cannot read a snippet id: {e}")))?;
                    out.insert(id);
                }
            }
        }
        Ok(out)
    }

    fn error(&self, reason: String) -> Error {
        index_error(&self.dir, reason)
    }
}

/// The key of an id in [`Writer::docs`]: a 64-bit hash (SipHash with fixed
/// keys). Two ids sharing a key only cost a lookup that finds nothing.
fn id_key(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

fn index_error(dir: &Path, reason: String) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        reason,
    }
}

/// Checks the schema version file in `dir`. Returns whether it exists (with
/// the right version); refuses another version, an unreadable file, or a
/// tantivy index without the file.
fn check_version(dir: &Path) -> Result<bool> {
    let advice = "delete the folder or use another --index";
    let file = dir.join(VERSION_FILE);
    let text = match fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if dir.join("meta.json").exists() {
                return Err(index_error(
                    dir,
                    format!(
                        "holds a search index cairn did not write (no {VERSION_FILE}); {advice}"
                    ),
                ));
            }
            return Ok(false);
        }
        Err(e) => return Err(index_error(dir, format!("cannot read {VERSION_FILE}: {e}"))),
    };
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64));
    match version {
        Some(SCHEMA_VERSION) => Ok(true),
        Some(other) => Err(index_error(
            dir,
            format!(
                "written with schema version {other}, but this cairn reads version {SCHEMA_VERSION}; {advice}"
            ),
        )),
        None => Err(index_error(
            dir,
            format!("{VERSION_FILE} has no readable version; {advice}"),
        )),
    }
}
