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
//! Each run that writes (a `cairn run` or `cairn ingest`) has a number,
//! kept in the commit payload with the number of the last run that
//! completed (called its *baseline*). Every snippet carries its file, a
//! hash of its document's content (`doc_hash`), the run that wrote it
//! (`run`) and, when that run did not complete, the hash its document had
//! at the baseline (`base_hash`). So a run, even one resumed after a kill,
//! can say what changed since the baseline, and [`SnippetIndex::stale`]
//! finds the documents it did not write: those of files gone from the
//! corpus, or rows gone from a file, which [`SnippetIndex::complete`]
//! removes in the run's last commit. `changes.rs` matches what was
//! removed against what was added, to tell moved and edited records from
//! new ones.
//!
//! Memory stays bounded however large the index grows: one writer (one
//! indexing thread, one merge thread) lives as long as the
//! [`SnippetIndex`] and commits every upsert; which documents are already
//! stored is answered from an in-memory set of 64-bit hashes of their ids,
//! so a batch of new documents never looks anything up in the segments
//! (on disk, and mapped into memory when read).

pub mod changes;
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
use tantivy::directory::error::LockError;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::query::{AllQuery, TermSetQuery};
use tantivy::{
    index::SegmentId, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, SegmentMeta,
    TantivyDocument, TantivyError, Term,
};

use crate::error::{Error, Result};
use crate::model::{short_hash, Polarity, Role, SourceKind, TaggedSnippet};
pub use schema::DocEntry;
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
    /// This run's number, stamped on every snippet it writes.
    run: u64,
    /// The number of the last run that completed (0: none did).
    completed: u64,
}

/// The run numbers a commit records (its payload).
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
struct Runs {
    /// The last run that completed ([`SnippetIndex::complete`]).
    completed: u64,
    /// The highest run number written.
    latest: u64,
}

/// What a document was at the baseline (the last completed run), given
/// what is stored for it: written by the baseline or before, its stored
/// hash; written since, the hash it carried over (0: none, it is new).
fn baseline(run: u64, hash: u64, base: u64, completed: u64) -> Option<u64> {
    if run <= completed {
        Some(hash)
    } else {
        (base != 0).then_some(base)
    }
}

/// One document an upsert wrote, and what it was at the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocChange {
    pub file: String,
    pub hash: u64,
    /// Its content hash at the baseline; `None` when it was not there.
    pub before: Option<u64>,
}

/// A stored document this run has not written (see [`SnippetIndex::stale`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleDoc {
    pub id: String,
    pub file: String,
    /// Its content hash at the baseline; `None` when a run that did not
    /// complete added it.
    pub before: Option<u64>,
    pub snippets: usize,
}

/// A stored document's bookkeeping.
#[derive(Debug, Clone)]
struct Stored {
    hash: u64,
    base: u64,
    run: u64,
    /// The file as ingest named it.
    file: Option<String>,
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
    /// there is none. Refuses a folder written with another schema version
    /// (an older one with the advice to rebuild it with `cairn run`), or
    /// holding an index cairn did not write.
    pub fn open_or_create(dir: &Path) -> Result<SnippetIndex> {
        let err = |reason: String| index_error(dir, reason);
        fs::create_dir_all(dir).map_err(|e| err(format!("cannot create the folder: {e}")))?;
        let version_written = match check_version(dir)? {
            Version::Current => true,
            Version::Missing => false,
            Version::Older(v) => {
                return Err(err(format!(
                    "written by an older cairn (schema version {v}; this one reads version \
                     {SCHEMA_VERSION}); `cairn run` rebuilds it from the corpus"
                )))
            }
        };
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

    /// [`open_or_create`](SnippetIndex::open_or_create), except that an
    /// index an older cairn wrote is emptied first (its snippets' ids and
    /// bookkeeping are not this version's, so they could only be counted
    /// twice): returns the old schema version when it was. Only the index's
    /// own files go; the embedding caches and rejects file beside them stay.
    /// Refused, like any write, while another run holds the index.
    pub fn open_or_rebuild(dir: &Path) -> Result<(SnippetIndex, Option<u64>)> {
        let Ok(Version::Older(old)) = check_version(dir) else {
            return Ok((SnippetIndex::open_or_create(dir)?, None));
        };
        let err = |reason: String| index_error(dir, reason);
        let directory =
            MmapDirectory::open(dir).map_err(|e| err(format!("cannot open the folder: {e}")))?;
        {
            let _lock = tantivy::Directory::acquire_lock(
                &directory,
                &tantivy::directory::INDEX_WRITER_LOCK,
            )
            .map_err(|e| match e {
                LockError::LockBusy => Error::Busy {
                    path: dir.to_path_buf(),
                },
                e => err(e.to_string()),
            })?;
            // Every file tantivy wrote is listed in `.managed.json`.
            let managed: Vec<String> = fs::read_to_string(dir.join(".managed.json"))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            for name in managed.iter().map(String::as_str).chain([
                "meta.json",
                ".managed.json",
                VERSION_FILE,
            ]) {
                if name.contains('/') || name.starts_with(".tantivy-") {
                    continue;
                }
                match fs::remove_file(dir.join(name)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(err(format!("cannot remove the old {name}: {e}")))
                    }
                    _ => {}
                }
            }
        }
        Ok((SnippetIndex::open_or_create(dir)?, Some(old)))
    }

    /// Adds `snippets`, replacing every snippet already indexed for the
    /// documents they come from, in one commit. When a snippet id appears
    /// twice in the batch, the last one wins. Each document's file is its
    /// first snippet's path and its content hash one of its snippets' texts;
    /// [`upsert_docs`](SnippetIndex::upsert_docs) takes them from the
    /// caller.
    ///
    /// A batch must hold *all* the snippets of each document it touches: a
    /// document split across two calls keeps only the second call's part.
    /// A snippet with a NaN or infinite number is an [`Error::Invalid`] and
    /// nothing of the batch is written.
    pub fn upsert(&mut self, snippets: &[TaggedSnippet]) -> Result<UpsertStats> {
        let mut order: Vec<&str> = Vec::new();
        let mut by_doc: HashMap<&str, (&str, blake3::Hasher)> = HashMap::new();
        for s in snippets {
            let doc = s.snippet.doc_id.as_str();
            let (_, h) = by_doc.entry(doc).or_insert_with(|| {
                order.push(doc);
                (s.snippet.source.path.as_str(), blake3::Hasher::new())
            });
            h.update(s.snippet.text.as_bytes());
            h.update(&[0x1f]);
        }
        let entries: Vec<DocEntry> = order
            .iter()
            .map(|id| {
                let (file, h) = &by_doc[id];
                DocEntry {
                    id: id.to_string(),
                    file: file.to_string(),
                    hash: short_hash(&h.finalize()),
                }
            })
            .collect();
        Ok(self.upsert_docs(&entries, snippets)?.0)
    }

    /// Store already-indexed snippets again with what changed about them
    /// (the study's themes), keeping what reconciliation knows of their
    /// documents (file, content hash, run, baseline), so the next run's
    /// change counts are not disturbed. `snippets` must hold all the
    /// snippets of each document; documents not stored are left out. One
    /// commit.
    pub fn rewrite(&mut self, snippets: &[TaggedSnippet]) -> Result<()> {
        if snippets.is_empty() {
            return Ok(());
        }
        self.writer()?;
        let doc_ids: BTreeSet<&str> = snippets.iter().map(|s| s.snippet.doc_id.as_str()).collect();
        let (stored, _) = self.stored(&doc_ids)?;
        let docs = snippets
            .iter()
            .filter_map(|s| {
                let st = stored.get(&s.snippet.doc_id)?;
                let entry = DocEntry {
                    id: s.snippet.doc_id.clone(),
                    file: st
                        .file
                        .clone()
                        .unwrap_or_else(|| s.snippet.source.path.clone()),
                    hash: st.hash,
                };
                Some(self.fields.document(s, &entry, st.base, st.run))
            })
            .collect::<Result<Vec<TantivyDocument>, String>>()
            .map_err(Error::Invalid)?;
        let deletes = doc_ids
            .iter()
            .filter(|d| stored.contains_key(**d))
            .map(|id| Term::from_field_text(self.fields.doc_id, id))
            .collect();
        self.replace(deletes, docs)
    }

    /// Deletes `deletes`, adds `docs` and commits, in one commit (the
    /// writer must be open). After a failed commit the writer is dropped:
    /// the index is still at its last commit.
    fn replace(&mut self, deletes: Vec<Term>, docs: Vec<TantivyDocument>) -> Result<()> {
        let dir = &self.dir;
        let err = |e: tantivy::TantivyError| index_error(dir, e.to_string());
        let w = self.writer.as_mut().expect("the writer is open");
        for t in deletes {
            w.writer.delete_term(t);
        }
        for doc in docs {
            w.writer.add_document(doc).map_err(err)?;
        }
        let completed = w.completed;
        if let Err(e) = commit(w, completed) {
            self.writer = None;
            return Err(err(e));
        }
        self.stale.store(true, Ordering::Release);
        Ok(())
    }

    /// [`upsert`](SnippetIndex::upsert) with each document's file and
    /// content hash given (`docs` must name every document of `snippets`;
    /// documents without a snippet are not stored). Also returns, for each
    /// document written, what it was at the baseline, in id order.
    pub fn upsert_docs(
        &mut self,
        docs: &[DocEntry],
        snippets: &[TaggedSnippet],
    ) -> Result<(UpsertStats, Vec<DocChange>)> {
        if snippets.is_empty() {
            return Ok((UpsertStats::default(), Vec::new()));
        }
        let entry: HashMap<&str, &DocEntry> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
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
        if let Some(s) = batch
            .iter()
            .find(|s| !entry.contains_key(s.snippet.doc_id.as_str()))
        {
            return Err(Error::Invalid(format!(
                "snippet {} ({}): its document {} was not given",
                s.snippet.id, s.snippet.source, s.snippet.doc_id
            )));
        }

        let (run, completed) = {
            let w = self.writer()?;
            (w.run, w.completed)
        };
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
        let (stored, existing) = if known.is_empty() {
            (HashMap::new(), HashSet::new())
        } else {
            self.stored(&known)?
        };
        let mut changes = Vec::with_capacity(doc_ids.len());
        let mut bases: HashMap<&str, u64> = HashMap::with_capacity(doc_ids.len());
        for id in &doc_ids {
            let e = entry[id];
            let before = stored
                .get(*id)
                .and_then(|s| baseline(s.run, s.hash, s.base, completed));
            bases.insert(id, before.unwrap_or(0));
            changes.push(DocChange {
                file: e.file.clone(),
                hash: e.hash,
                before,
            });
        }
        let docs = batch
            .iter()
            .map(|s| {
                let id = s.snippet.doc_id.as_str();
                self.fields.document(s, entry[id], bases[id], run)
            })
            .collect::<Result<Vec<TantivyDocument>, String>>()
            .map_err(Error::Invalid)?;
        let of_known: Vec<&str> = batch
            .iter()
            .filter(|s| known.contains(s.snippet.doc_id.as_str()))
            .map(|s| s.snippet.id.as_str())
            .collect();
        let replaced = of_known.iter().filter(|id| existing.contains(**id)).count();
        let stats = UpsertStats {
            added: batch.len() - replaced,
            replaced,
        };

        let deletes = known
            .iter()
            .map(|d| Term::from_field_text(self.fields.doc_id, d))
            .chain(
                of_known
                    .iter()
                    .map(|id| Term::from_field_text(self.fields.id, id)),
            )
            .collect();
        self.replace(deletes, docs)?;
        let w = self.writer.as_mut().expect("open after a commit");
        w.docs.extend(doc_ids.iter().map(|d| id_key(d)));
        Ok((stats, changes))
    }

    /// Takes the writer (and its lock) now, rather than at the first
    /// upsert: a second run on the same index is refused before it reads
    /// anything, with [`Error::Busy`].
    pub fn begin(&mut self) -> Result<()> {
        self.writer().map(|_| ())
    }

    /// The documents stored before this run began (written by earlier
    /// runs, not by this one) for which `pick(file, content hash)` holds,
    /// sorted by file and id. Opens the writer.
    pub fn stale(&mut self, pick: &dyn Fn(&str, u64) -> bool) -> Result<Vec<StaleDoc>> {
        let (run, completed) = {
            let w = self.writer()?;
            (w.run, w.completed)
        };
        let err = |e: String| self.error(e);
        let searcher = self.fresh_searcher()?;
        let mut found: HashMap<String, StaleDoc> = HashMap::new();
        for reader in searcher.segment_readers() {
            let ff = reader.fast_fields();
            let u64_col = |name: &str| ff.u64(name).map_err(|e| err(e.to_string()));
            let str_col = |name: &str| {
                ff.str(name)
                    .map_err(|e| err(e.to_string()))?
                    .ok_or_else(|| err(format!("the index has no fast `{name}` column")))
            };
            let (runs, hashes, bases) = (
                u64_col(schema::RUN)?,
                u64_col(schema::DOC_HASH)?,
                u64_col(schema::BASE_HASH)?,
            );
            let (files, doc_ids) = (str_col(schema::FILE)?, str_col(schema::DOC_ID)?);
            let mut file_names: HashMap<u64, String> = HashMap::new();
            let text = |col: &tantivy::columnar::StrColumn, ord: u64| {
                let mut s = String::new();
                col.ord_to_str(ord, &mut s)
                    .map_err(|e| err(format!("cannot read a stored name: {e}")))?;
                Ok::<String, Error>(s)
            };
            for doc in reader.doc_ids_alive() {
                let written = runs.first(doc).unwrap_or(0);
                if written >= run {
                    continue;
                }
                let hash = hashes.first(doc).unwrap_or(0);
                let Some(file_ord) = files.term_ords(doc).next() else {
                    continue;
                };
                let file = match file_names.entry(file_ord) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(text(&files, file_ord)?)
                    }
                };
                if !pick(file, hash) {
                    continue;
                }
                let Some(doc_ord) = doc_ids.term_ords(doc).next() else {
                    continue;
                };
                let id = text(&doc_ids, doc_ord)?;
                let base = bases.first(doc).unwrap_or(0);
                found
                    .entry(id.clone())
                    .or_insert_with(|| StaleDoc {
                        id,
                        file: file.clone(),
                        before: baseline(written, hash, base, completed),
                        snippets: 0,
                    })
                    .snippets += 1;
            }
        }
        let mut out: Vec<StaleDoc> = found.into_values().collect();
        out.sort_by(|a, b| (&a.file, &a.id).cmp(&(&b.file, &b.id)));
        Ok(out)
    }

    /// Removes `stale` documents and marks this run complete, in one
    /// commit: until it, the index is at the last batch this run committed,
    /// and the next run (which takes this one's baseline) finishes the job.
    /// Returns the snippets removed.
    pub fn complete(&mut self, stale: &[StaleDoc]) -> Result<usize> {
        let doc_id = self.fields.doc_id;
        let dir = self.dir.clone();
        let w = self.writer()?;
        for d in stale {
            w.writer.delete_term(Term::from_field_text(doc_id, &d.id));
        }
        let run = w.run;
        if let Err(e) = commit(w, run) {
            self.writer = None;
            return Err(index_error(&dir, e.to_string()));
        }
        w.completed = w.run;
        self.stale.store(true, Ordering::Release);
        Ok(stale.iter().map(|d| d.snippets).sum())
    }

    /// Whether a run completed on this index before this one (so that what
    /// this run changed is worth telling). Opens the writer.
    pub fn had_baseline(&mut self) -> Result<bool> {
        Ok(self.writer()?.completed > 0)
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
            let writer: IndexWriter<TantivyDocument> = self
                .index
                .writer_with_options(options)
                .map_err(|e| match e {
                    TantivyError::LockFailure(LockError::LockBusy, _) => Error::Busy {
                        path: self.dir.clone(),
                    },
                    e => err(e),
                })?;
            writer.set_merge_policy(Box::<BoundedMergePolicy>::default());
            let docs = self.stored_doc_ids()?;
            let runs = self.runs()?;
            self.writer = Some(Writer {
                writer,
                docs,
                run: runs.latest + 1,
                completed: runs.completed,
            });
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

    /// The run numbers of the last commit (none on a fresh index).
    fn runs(&self) -> Result<Runs> {
        let metas = self
            .index
            .load_metas()
            .map_err(|e| self.error(format!("cannot read the index's metadata: {e}")))?;
        match metas.payload {
            None => Ok(Runs::default()),
            Some(p) => serde_json::from_str(&p)
                .map_err(|e| self.error(format!("unreadable commit payload {p:?}: {e}"))),
        }
    }

    /// What is stored for the documents `doc_ids`: each one's bookkeeping,
    /// and the ids of their snippets.
    fn stored(
        &self,
        doc_ids: &BTreeSet<&str>,
    ) -> Result<(HashMap<String, Stored>, HashSet<String>)> {
        let err = |e: tantivy::TantivyError| self.error(e.to_string());
        let searcher = self.fresh_searcher()?;
        let mut docs = HashMap::new();
        let mut snippets = HashSet::new();
        if searcher.num_docs() == 0 {
            return Ok((docs, snippets));
        }
        let terms = doc_ids
            .iter()
            .map(|id| Term::from_field_text(self.fields.doc_id, id));
        let found = searcher
            .search(&TermSetQuery::new(terms), &DocSetCollector)
            .map_err(err)?;
        let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
        for a in found {
            by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
        }
        let read = |col: &tantivy::columnar::StrColumn, doc: u32| -> Result<Option<String>> {
            let Some(ord) = col.term_ords(doc).next() else {
                return Ok(None);
            };
            let mut s = String::new();
            col.ord_to_str(ord, &mut s)
                .map_err(|e| self.error(format!("cannot read a stored id: {e}")))?;
            Ok(Some(s))
        };
        for (segment_ord, in_segment) in by_segment {
            let ff = searcher.segment_reader(segment_ord).fast_fields();
            let (Some(ids), Some(doc_col)) = (
                ff.str(schema::ID).map_err(err)?,
                ff.str(schema::DOC_ID).map_err(err)?,
            ) else {
                continue;
            };
            let hashes = ff.u64(schema::DOC_HASH).map_err(err)?;
            let bases = ff.u64(schema::BASE_HASH).map_err(err)?;
            let runs = ff.u64(schema::RUN).map_err(err)?;
            let files = ff.str(schema::FILE).map_err(err)?;
            for doc in in_segment {
                if let Some(id) = read(&ids, doc)? {
                    snippets.insert(id);
                }
                if let Some(doc_id) = read(&doc_col, doc)? {
                    if let std::collections::hash_map::Entry::Vacant(e) = docs.entry(doc_id) {
                        let file = match &files {
                            Some(f) => read(f, doc)?,
                            None => None,
                        };
                        e.insert(Stored {
                            hash: hashes.first(doc).unwrap_or(0),
                            base: bases.first(doc).unwrap_or(0),
                            run: runs.first(doc).unwrap_or(0),
                            file,
                        });
                    }
                }
            }
        }
        Ok((docs, snippets))
    }

    fn error(&self, reason: String) -> Error {
        index_error(&self.dir, reason)
    }
}

/// Commits what the writer holds, recording run numbers in the payload:
/// this run as the latest, and `completed` as the last that completed.
fn commit(w: &mut Writer, completed: u64) -> tantivy::Result<()> {
    let runs = Runs {
        completed,
        latest: w.run,
    };
    let payload = serde_json::to_string(&runs).expect("two numbers serialize");
    let mut prepared = w.writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
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

/// What the schema version file in `dir` says.
enum Version {
    /// No index yet.
    Missing,
    Current,
    /// Written by an older cairn with this schema version.
    Older(u64),
}

/// Checks the schema version file in `dir`; refuses a newer version, an
/// unreadable file, or a tantivy index without the file.
fn check_version(dir: &Path) -> Result<Version> {
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
            return Ok(Version::Missing);
        }
        Err(e) => return Err(index_error(dir, format!("cannot read {VERSION_FILE}: {e}"))),
    };
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64));
    match version {
        Some(SCHEMA_VERSION) => Ok(Version::Current),
        Some(old) if old < SCHEMA_VERSION => Ok(Version::Older(old)),
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
