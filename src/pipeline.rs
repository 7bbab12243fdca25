//! Wires the stages: corpus → ingest → segment → classify → index → synth →
//! report. The only place that knows the order; each stage stays ignorant
//! of the others.

use crate::classify::{classify_all, Classifier, Codebook};
use crate::error::Result;
use crate::index::changes::{ChangeLog, FileChange};
use crate::index::{DocEntry, SnippetIndex};
use crate::ingest::{
    ingest_path_each, study_path, write_rejects, FileSummary, IngestOptions, IngestReport,
    ProgressFn, SheetSummary, REJECTS_FILE,
};
use crate::model::{Document, Skipped, SourceKind, TaggedSnippet};
use crate::report::manifest::{self, CodebookInfo, EngineInfo, RunInfo};
use crate::report::{write_all, ReportMeta};
use crate::segment::segment;
use crate::synth::synthesize;
use crate::synth::themes::{self, file::ThemeFile, ThemeOptions};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Documents per index commit. A batch of tickets or reviews is a few
/// thousand snippets: large enough that commits cost little, small enough
/// that a killed run keeps most of its work.
pub const BATCH_DOCUMENTS: usize = 2000;

/// What `run` needs, already validated.
pub struct RunOptions<'a> {
    pub corpus: PathBuf,
    pub index_dir: PathBuf,
    pub reports_dir: PathBuf,
    pub codebook: &'a Codebook,
    pub classifier: &'a dyn Classifier,
    /// The engine as the run manifest records it (name and model hash).
    pub engine: EngineInfo,
    pub title: String,
    /// Forced kind and column mapping for the files read.
    pub ingest: IngestOptions,
    /// The study's theme file: read first, written after discovery.
    pub themes_file: PathBuf,
    /// How many themes to look for.
    pub themes: ThemeOptions,
    /// Told how far the read has got (for a progress bar).
    pub progress: &'a ProgressFn<'a>,
}

/// Per source kind: what this run read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindCount {
    pub files: usize,
    pub documents: usize,
    pub snippets: usize,
}

/// What reading and indexing did, for the summary on stderr.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    pub by_kind: BTreeMap<SourceKind, KindCount>,
    /// Every file read, in the order read.
    pub files: Vec<FileSummary>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Skipped>,
    pub ignored: Vec<String>,
    /// The participants sheets read, and the interviews they joined to a
    /// customer.
    pub participants: Vec<SheetSummary>,
    /// Snippets new to the index.
    pub added: usize,
    /// Snippets that were already indexed (re-ingest) and were replaced.
    pub replaced: usize,
    /// Snippets removed: their record is gone from its file, or their file
    /// from the corpus.
    pub removed: usize,
    /// Per file read or reconciled, in path order: records added, changed,
    /// moved, removed and unchanged since the last completed run.
    pub changes: Vec<FileChange>,
    /// Whether a run had completed on this index before this one (when not,
    /// every record is simply new).
    pub baseline: bool,
    /// The schema version of an index an older cairn wrote, emptied and
    /// rebuilt by this run.
    pub rebuilt: Option<u64>,
    pub indexed_total: u64,
}

/// Which stored records a read answers for, and so may remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Everything in the index (`run`: the index becomes the corpus).
    All,
    /// The files and folders read (`ingest`), and any file gone from disk
    /// whose records turn up in them (it was moved).
    Given,
}

/// What `run` did, for the summary on stderr.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub ingest: IngestSummary,
    /// Themes ranked as pains.
    pub themes_found: usize,
    /// Every theme of the study.
    pub themes_total: usize,
    pub reports: Vec<PathBuf>,
    pub elapsed: Duration,
}

/// Read `paths` and index what they hold, without writing reports.
pub fn ingest(
    paths: &[PathBuf],
    opts: &IngestOptions,
    classifier: &dyn Classifier,
    index_dir: &Path,
) -> Result<IngestSummary> {
    ingest_with_progress(paths, opts, classifier, index_dir, &|_| {})
}

/// [`ingest`], telling `progress` how far the read has got.
///
/// Memory stays bounded: documents arrive from the readers in batches and
/// are segmented, tagged and committed [`BATCH_DOCUMENTS`] at a time (large
/// CSV, TSV and JSON Lines files are streamed). The records skipped are
/// written to [`REJECTS_FILE`] inside `index_dir`, replacing the previous
/// run's.
///
/// The index then answers for what `paths` hold now: the records of a file
/// read that are no longer in it, and the files under a folder read that
/// are gone, are removed; so are the records of a file gone from disk that
/// turn up in the files read (it was moved or renamed). Files not given are
/// left as they are, as are the records of a file that could not be read
/// this time.
pub fn ingest_with_progress(
    paths: &[PathBuf],
    opts: &IngestOptions,
    classifier: &dyn Classifier,
    index_dir: &Path,
    progress: &ProgressFn<'_>,
) -> Result<IngestSummary> {
    let index = SnippetIndex::open_or_create(index_dir)?;
    read_into(
        index,
        Scope::Given,
        paths,
        opts,
        classifier,
        index_dir,
        progress,
    )
}

/// Reads `paths` into `index` and reconciles it (see [`Scope`]).
fn read_into(
    mut index: SnippetIndex,
    scope: Scope,
    paths: &[PathBuf],
    opts: &IngestOptions,
    classifier: &dyn Classifier,
    index_dir: &Path,
    progress: &ProgressFn<'_>,
) -> Result<IngestSummary> {
    // Take the writer's lock before reading anything: a second run on the
    // same study is refused at once.
    index.begin()?;
    let mut summary = IngestSummary {
        baseline: index.had_baseline()?,
        ..IngestSummary::default()
    };
    let mut log = ChangeLog::new(summary.baseline);
    let mut pending: Vec<(Arc<str>, Document)> = Vec::new();
    let mut raw_records = Vec::new();
    let roots: Vec<(String, bool)> = paths.iter().map(|p| (study_path(p), p.is_dir())).collect();
    for path in paths {
        let mut each = |file: &str, docs: Vec<Document>| -> Result<()> {
            let file: Arc<str> = Arc::from(file);
            pending.extend(docs.into_iter().map(|d| (file.clone(), d)));
            while pending.len() >= BATCH_DOCUMENTS {
                let rest = pending.split_off(BATCH_DOCUMENTS);
                let batch = std::mem::replace(&mut pending, rest);
                index_batch(&batch, classifier, &mut index, &mut summary, &mut log)?;
            }
            Ok(())
        };
        let IngestReport {
            documents: _,
            skipped,
            warnings,
            files,
            ignored,
            participants,
            raw_records: raw,
            speakers: _,
        } = ingest_path_each(path, opts, progress, &mut each)?;
        for f in &files {
            summary.by_kind.entry(f.kind).or_default().files += 1;
        }
        summary.files.extend(files);
        summary.skipped.extend(skipped);
        summary.warnings.extend(warnings);
        summary.ignored.extend(ignored);
        summary.participants.extend(participants);
        raw_records.extend(raw);
    }
    index_batch(&pending, classifier, &mut index, &mut summary, &mut log)?;

    // Reconcile: what the index holds from before this run and this run
    // did not write is gone from the corpus.
    // A file or folder that could not be read this time keeps its records.
    let unreadable: Vec<(&str, bool)> = summary
        .skipped
        .iter()
        .filter(|s| s.source.line == 0 && s.reason.starts_with("cannot read"))
        .map(|s| {
            let folder = s.reason.starts_with("cannot read folder");
            (s.source.path.as_str(), folder)
        })
        .collect();
    let in_scope = |file: &str| {
        !unreadable
            .iter()
            .any(|(path, folder)| holds(path, *folder, file))
            && (scope == Scope::All || roots.iter().any(|(root, dir)| holds(root, *dir, file)))
    };
    let mut stale = index.stale(&|file, _| in_scope(file))?;
    if scope == Scope::Given {
        let fresh = log.fresh();
        if !fresh.is_empty() {
            let moved: BTreeSet<String> = index
                .stale(&|file, hash| !in_scope(file) && fresh.contains(&hash))?
                .into_iter()
                .map(|d| d.file)
                .filter(|f| !Path::new(f).exists())
                .collect();
            if !moved.is_empty() {
                stale.extend(index.stale(&|file, _| moved.contains(file))?);
            }
        }
    }
    for d in &stale {
        log.removed(d);
    }
    // The last commit: the removals and the mark that this run completed.
    summary.removed = index.complete(&stale)?;
    summary.changes = log.finish();
    index.finish()?;
    // The rejects file is stored next to the index: it gets the same
    // redaction as everything else (the source file still has the original).
    for r in &mut raw_records {
        r.text = crate::segment::redact(&r.text).into_owned();
    }
    write_rejects(
        &index_dir.join(REJECTS_FILE),
        &summary.skipped,
        &raw_records,
    )?;
    summary.indexed_total = index.len()?;
    Ok(summary)
}

/// Whether `file` is the root `root` (a folder when `dir`) or under it.
fn holds(root: &str, dir: bool, file: &str) -> bool {
    if !dir {
        return file == root;
    }
    if root.is_empty() {
        // The study folder: every path inside it is relative.
        return !file.starts_with('/');
    }
    file.strip_prefix(root.trim_end_matches('/'))
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Segment, tag and index one batch in one commit.
///
/// The crash guarantee: a run killed at any point leaves the index at its
/// last commit, and running again completes it. Documents are upserted by
/// id, so nothing is duplicated; what a killed run did not reach is still
/// there from before; records whose file or row is gone are removed only by
/// the run's last commit ([`SnippetIndex::complete`]), so a killed run
/// removes nothing and its rerun removes them. Each snippet also carries
/// what its document was at the last completed run, so the rerun counts
/// what changed since then, not since the kill.
fn index_batch(
    batch: &[(Arc<str>, Document)],
    classifier: &dyn Classifier,
    index: &mut SnippetIndex,
    summary: &mut IngestSummary,
    log: &mut ChangeLog,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    for (_, d) in batch {
        summary.by_kind.entry(d.kind).or_default().documents += 1;
    }
    let snippets: Vec<_> = batch
        .par_iter()
        .flat_map_iter(|(_, d)| segment(d))
        .collect();
    for s in &snippets {
        summary.by_kind.entry(s.kind).or_default().snippets += 1;
    }
    let docs: Vec<DocEntry> = batch
        .iter()
        .map(|(file, d)| DocEntry {
            id: d.id.clone(),
            file: file.to_string(),
            hash: d.content_hash(),
        })
        .collect();
    let tagged = classify_all(classifier, snippets);
    let (stats, changes) = index.upsert_docs(&docs, &tagged)?;
    for c in &changes {
        log.wrote(c);
    }
    summary.added += stats.added;
    summary.replaced += stats.replaced;
    Ok(())
}

/// Run the whole pipeline once: ingest and index the corpus, make the
/// index hold exactly the corpus (records of files or rows gone from it
/// are removed), then write the reports from the index. An index an older
/// cairn wrote is rebuilt ([`IngestSummary::rebuilt`]).
pub fn run(opts: &RunOptions) -> Result<RunSummary> {
    let start = Instant::now();
    // A mistake in a hand-edited theme file stops the run before anything
    // is read or written.
    let previous = ThemeFile::read(&opts.themes_file)?;
    let (index, rebuilt) = SnippetIndex::open_or_rebuild(&opts.index_dir)?;
    let mut summary = read_into(
        index,
        Scope::All,
        std::slice::from_ref(&opts.corpus),
        &opts.ingest,
        opts.classifier,
        &opts.index_dir,
        opts.progress,
    )?;
    summary.rebuilt = rebuilt;
    let mut index = SnippetIndex::open_or_create(&opts.index_dir)?;
    let mut all = index.all()?;
    let embed = |texts: &[&str]| opts.classifier.embed_texts(texts);
    let found = themes::find_and_apply(
        &mut all,
        &embed,
        opts.codebook,
        previous.as_ref(),
        &opts.themes,
    );
    store_themes(&mut index, &all, &found.changed)?;
    found.discovery.file.write(&opts.themes_file)?;
    let codebook = &found.codebook;
    let synthesis = synthesize(&all, codebook, &found.discovery);

    let meta = ReportMeta {
        title: opts.title.clone(),
        corpus: study_path(&opts.corpus),
        codebook: format!(
            "{} ({})",
            crate::report::md::code(&codebook.origin.display().to_string()),
            codebook.hash
        ),
        files: summary.by_kind.iter().map(|(k, c)| (*k, c.files)).collect(),
        skipped: summary.skipped.clone(),
        warnings: summary.warnings.clone(),
        empty: summary.files.iter().map(|f| f.empty).sum(),
        unread: summary
            .files
            .iter()
            .filter(|f| f.documents == 0)
            .filter_map(|f| Some((f.path.clone(), f.note.clone()?)))
            .chain(summary.ignored.iter().map(|p| {
                (
                    p.clone(),
                    "not read: not a supported format, or a README".to_string(),
                )
            }))
            .collect(),
        // A first run adds everything, and a run that changed nothing has
        // nothing to say: only real changes are told (so those two runs
        // write the same bytes).
        changes: if summary.baseline {
            summary
                .changes
                .iter()
                .filter(|c| c.any())
                .cloned()
                .collect()
        } else {
            Vec::new()
        },
    };
    let corpus = study_path(&opts.corpus);
    let run = RunInfo {
        inputs: manifest::inputs(&corpus, &summary.files, &summary.participants),
        corpus,
        codebook: CodebookInfo {
            origin: opts.codebook.origin.display().to_string(),
            hash: opts.codebook.hash.clone(),
        },
        engine: opts.engine.clone(),
        title: opts.title.clone(),
        ingest: opts.ingest.clone(),
    };
    let reports = write_all(&opts.reports_dir, &synthesis, codebook, &meta, Some(&run))?;
    Ok(RunSummary {
        ingest: summary,
        themes_found: synthesis.themes.len(),
        themes_total: synthesis.catalogue.len(),
        reports,
        elapsed: start.elapsed(),
    })
}

/// Store the study's themes in the index, so `search --theme` and `export`
/// see what the reports say: the documents whose snippets' themes changed
/// are re-stored whole, [`BATCH_DOCUMENTS`] per commit. A run killed here
/// leaves some documents with last run's themes; the next run, finding them
/// different, stores them again.
fn store_themes(
    index: &mut SnippetIndex,
    all: &[TaggedSnippet],
    changed: &std::collections::BTreeSet<String>,
) -> Result<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let mut by_doc: BTreeMap<&str, Vec<&TaggedSnippet>> = BTreeMap::new();
    for t in all.iter().filter(|t| changed.contains(&t.snippet.doc_id)) {
        by_doc.entry(&t.snippet.doc_id).or_default().push(t);
    }
    let docs: Vec<Vec<&TaggedSnippet>> = by_doc.into_values().collect();
    for chunk in docs.chunks(BATCH_DOCUMENTS) {
        let batch: Vec<TaggedSnippet> = chunk.iter().flatten().map(|t| (*t).clone()).collect();
        index.rewrite(&batch)?;
    }
    index.finish()
}

#[cfg(test)]
mod tests {
    use super::holds;

    #[test]
    fn a_root_holds_its_own_files_only() {
        assert!(holds("corpus", true, "corpus/a.csv"));
        assert!(holds("corpus/", true, "corpus/x/b.csv"));
        assert!(!holds("corpus", true, "corpus2/a.csv"));
        assert!(!holds("corpus", true, "corpus"));
        assert!(holds("corpus/a.csv", false, "corpus/a.csv"));
        assert!(!holds("corpus/a.csv", false, "corpus/a.csv.bak"));
        // The study folder itself holds every relative path.
        assert!(holds("", true, "corpus/a.csv"));
        assert!(!holds("", true, "/elsewhere/a.csv"));
        assert!(holds("/", true, "/elsewhere/a.csv"));
    }
}
