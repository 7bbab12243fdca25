//! Wires the stages: corpus → ingest → segment → classify → index → synth →
//! report. The only place that knows the order; each stage stays ignorant
//! of the others.

use crate::classify::{classify_all, Classifier, Codebook};
use crate::error::Result;
use crate::index::SnippetIndex;
use crate::ingest::{ingest_path, IngestReport};
use crate::model::{Skipped, SourceKind};
use crate::report::{write_all, ReportMeta};
use crate::segment::segment;
use crate::synth::synthesize;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What `run` needs, already validated.
pub struct RunOptions<'a> {
    pub corpus: PathBuf,
    pub index_dir: PathBuf,
    pub reports_dir: PathBuf,
    pub codebook: &'a Codebook,
    pub classifier: &'a dyn Classifier,
    pub title: String,
}

/// Per source kind: what this run read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindCount {
    pub files: usize,
    pub documents: usize,
    pub snippets: usize,
}

/// What `run` did, for the summary on stderr.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub by_kind: BTreeMap<SourceKind, KindCount>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Skipped>,
    pub ignored: Vec<String>,
    /// Snippets new to the index.
    pub added: usize,
    /// Snippets that were already indexed (re-ingest) and were replaced.
    pub replaced: usize,
    pub indexed_total: u64,
    pub themes_found: usize,
    pub reports: Vec<PathBuf>,
    pub elapsed: Duration,
}

/// Run the whole pipeline once.
pub fn run(opts: &RunOptions) -> Result<RunSummary> {
    let start = Instant::now();
    let IngestReport {
        documents,
        skipped,
        warnings,
        files,
        ignored,
    } = ingest_path(&opts.corpus)?;

    let mut by_kind: BTreeMap<SourceKind, KindCount> = BTreeMap::new();
    for f in &files {
        by_kind.entry(f.kind).or_default().files += 1;
    }
    let snippets: Vec<_> = documents.par_iter().flat_map_iter(segment).collect();
    for d in &documents {
        by_kind.entry(d.kind).or_default().documents += 1;
    }
    for s in &snippets {
        by_kind.entry(s.kind).or_default().snippets += 1;
    }
    let tagged = classify_all(opts.classifier, snippets);

    let mut index = SnippetIndex::open_or_create(&opts.index_dir)?;
    let stats = index.upsert(&tagged)?;
    let all = index.all()?;
    let synthesis = synthesize(&all, opts.codebook);

    let meta = ReportMeta {
        title: opts.title.clone(),
        corpus: display_path(&opts.corpus),
        codebook: format!(
            "`{}` ({})",
            opts.codebook.origin.display(),
            opts.codebook.hash
        ),
        files: by_kind.iter().map(|(k, c)| (*k, c.files)).collect(),
        skipped: skipped.clone(),
        warnings: warnings.clone(),
    };
    let reports = write_all(&opts.reports_dir, &synthesis, opts.codebook, &meta)?;
    Ok(RunSummary {
        by_kind,
        skipped,
        warnings,
        ignored,
        added: stats.added,
        replaced: stats.replaced,
        indexed_total: index.len()?,
        themes_found: synthesis.themes.len(),
        reports,
        elapsed: start.elapsed(),
    })
}

/// A path as the user gave it, with `/` separators and no leading `./`.
pub fn display_path(p: &std::path::Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./")
        .unwrap_or(&s)
        .trim_end_matches('/')
        .to_string()
}
