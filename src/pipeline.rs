//! Wires the stages: corpus → ingest → segment → classify → index → synth →
//! report. The only place that knows the order; each stage stays ignorant
//! of the others.

use crate::classify::{classify_all, Classifier, Codebook};
use crate::error::Result;
use crate::index::SnippetIndex;
use crate::ingest::{
    ingest_path_each, write_rejects, FileSummary, IngestOptions, IngestReport, ProgressFn,
    SheetSummary, REJECTS_FILE,
};
use crate::model::{Document, Skipped, SourceKind, TaggedSnippet};
use crate::report::manifest::{self, CodebookInfo, EngineInfo, RunInfo};
use crate::report::{write_all, ReportMeta};
use crate::segment::segment;
use crate::synth::clusters::{discover, PainCluster};
use crate::synth::synthesize;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
    pub indexed_total: u64,
}

/// What `run` did, for the summary on stderr.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub ingest: IngestSummary,
    pub themes_found: usize,
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
pub fn ingest_with_progress(
    paths: &[PathBuf],
    opts: &IngestOptions,
    classifier: &dyn Classifier,
    index_dir: &Path,
    progress: &ProgressFn<'_>,
) -> Result<IngestSummary> {
    let mut summary = IngestSummary::default();
    let mut index = SnippetIndex::open_or_create(index_dir)?;
    let mut pending: Vec<Document> = Vec::new();
    let mut raw_records = Vec::new();
    for path in paths {
        let mut each = |docs: Vec<Document>| -> Result<()> {
            pending.extend(docs);
            while pending.len() >= BATCH_DOCUMENTS {
                let rest = pending.split_off(BATCH_DOCUMENTS);
                let batch = std::mem::replace(&mut pending, rest);
                index_batch(&batch, classifier, &mut index, &mut summary)?;
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
    index_batch(&pending, classifier, &mut index, &mut summary)?;
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

/// Segment, tag and index one batch in one commit: a run killed at any
/// point leaves the index at its last commit, and running again replaces
/// what was there (documents are upserted by id), so nothing is duplicated
/// and nothing is missing.
fn index_batch(
    batch: &[Document],
    classifier: &dyn Classifier,
    index: &mut SnippetIndex,
    summary: &mut IngestSummary,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    for d in batch {
        summary.by_kind.entry(d.kind).or_default().documents += 1;
    }
    let snippets: Vec<_> = batch.par_iter().flat_map_iter(segment).collect();
    for s in &snippets {
        summary.by_kind.entry(s.kind).or_default().snippets += 1;
    }
    let tagged = classify_all(classifier, snippets);
    let stats = index.upsert(&tagged)?;
    summary.added += stats.added;
    summary.replaced += stats.replaced;
    Ok(())
}

/// Run the whole pipeline once: ingest and index the corpus, then write the
/// reports from everything in the index.
pub fn run(opts: &RunOptions) -> Result<RunSummary> {
    let start = Instant::now();
    let summary = ingest_with_progress(
        std::slice::from_ref(&opts.corpus),
        &opts.ingest,
        opts.classifier,
        &opts.index_dir,
        opts.progress,
    )?;
    let index = SnippetIndex::open_or_create(&opts.index_dir)?;
    let all = index.all()?;
    let mut synthesis = synthesize(&all, opts.codebook);
    synthesis.pain_clusters = pain_clusters(&all, opts.classifier);

    let meta = ReportMeta {
        title: opts.title.clone(),
        corpus: display_path(&opts.corpus),
        codebook: format!(
            "{} ({})",
            crate::report::md::code(&opts.codebook.origin.display().to_string()),
            opts.codebook.hash
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
    };
    let corpus = display_path(&opts.corpus);
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
    let reports = write_all(
        &opts.reports_dir,
        &synthesis,
        opts.codebook,
        &meta,
        Some(&run),
    )?;
    Ok(RunSummary {
        ingest: summary,
        themes_found: synthesis.themes.len(),
        reports,
        elapsed: start.elapsed(),
    })
}

/// Customer-voice pain clustered by meaning, when the engine embeds.
fn pain_clusters(all: &[TaggedSnippet], classifier: &dyn Classifier) -> Vec<PainCluster> {
    let pain: Vec<&TaggedSnippet> = all
        .iter()
        .filter(|t| t.snippet.role.is_voice() && t.tags.pain)
        .collect();
    let texts: Vec<&str> = pain.iter().map(|t| t.snippet.text.as_str()).collect();
    match classifier.embed_texts(&texts) {
        Some(embs) => discover(&pain, &embs),
        None => Vec::new(),
    }
}

/// A path as the user gave it, with `/` separators and no leading `./`.
pub fn display_path(p: &std::path::Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./")
        .unwrap_or(&s)
        .trim_end_matches('/')
        .to_string()
}
