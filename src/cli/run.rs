//! `cairn run`: the whole pipeline on a corpus folder, with a summary on
//! stderr.

use super::{
    load_codebook, EngineFlags, IngestFlags, Status, DEFAULT_CORPUS, DEFAULT_INDEX,
    DEFAULT_REPORTS, DEFAULT_THEMES,
};
use crate::ingest::Progress;
use crate::model::SourceKind;
use crate::pipeline::{self, IngestSummary, RunOptions};
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Folder (or file) of customer voices to read.
    #[arg(long, default_value = DEFAULT_CORPUS)]
    pub corpus: PathBuf,
    /// Where the search index lives. The records a run skips are written
    /// to INDEX/rejects.jsonl (one JSON object per record: path, line, row,
    /// reason, raw text), replaced on every run.
    #[arg(long, default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Where to write the Markdown reports.
    #[arg(long, default_value = DEFAULT_REPORTS)]
    pub out: PathBuf,
    /// A codebook TOML file to use instead of the embedded default.
    #[arg(long)]
    pub codebook: Option<PathBuf>,
    /// Title for the reports.
    #[arg(long, default_value = "Customer voice report")]
    pub title: String,
    /// The study's theme file: read first (its themes keep their ids and
    /// labels), rewritten after every run. Edit labels and descriptions
    /// in it; delete it to discover the themes afresh.
    #[arg(long, default_value = DEFAULT_THEMES)]
    pub themes_file: PathBuf,
    /// Find exactly N new themes instead of choosing the number from the
    /// data (at most 30).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=200))]
    pub themes: Option<u16>,
    #[command(flatten)]
    pub ingest: IngestFlags,
    #[command(flatten)]
    pub engine: EngineFlags,
}

pub fn run(a: RunArgs, quiet: bool) -> Result<Status> {
    if !a.corpus.exists() {
        anyhow::bail!(
            "the corpus {} does not exist (pass --corpus PATH, a folder of transcripts and exports)",
            a.corpus.display()
        );
    }
    crate::ingest::check_path(&a.corpus)?;
    let codebook = load_codebook(a.codebook.as_deref())?;
    let engine = a.engine.build(&codebook, Some(&a.index), quiet)?;
    let bar = progress_bar(quiet);
    let report = |p: Progress<'_>| bar.update(p);
    let opts = RunOptions {
        corpus: a.corpus.clone(),
        index_dir: a.index.clone(),
        reports_dir: a.out.clone(),
        codebook: &codebook,
        classifier: engine.as_ref(),
        engine: crate::report::manifest::EngineInfo {
            name: engine.name().to_string(),
            model_hash: engine.model_hash(),
            adapter_hash: engine.adapter_hash(),
        },
        title: a.title.clone(),
        ingest: a.ingest.resolve()?,
        themes_file: a.themes_file.clone(),
        themes: crate::synth::themes::ThemeOptions {
            forced: a.themes.map(usize::from),
            ..Default::default()
        },
        progress: &report,
    };
    if !quiet {
        eprintln!(
            "cairn: reading {} (engine: {}, codebook: {})",
            a.corpus.display(),
            engine.name(),
            codebook.origin.display()
        );
    }
    let s = pipeline::run(&opts);
    bar.finish();
    let s = s.with_context(|| format!("run on {} failed", a.corpus.display()))?;
    print_summary(&s.ingest, &a.index, quiet);
    if !quiet {
        eprintln!(
            "themes: {} ({} ranked as pains), written to {}",
            s.themes_total,
            s.themes_found,
            a.themes_file.display()
        );
        eprintln!(
            "reports: {}",
            s.reports
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        eprintln!("done in {:.2} s", s.elapsed.as_secs_f64());
    }
    Ok(finish(&s.ingest, quiet))
}

/// A progress bar on stderr for the bytes read: drawn only when stderr is a
/// terminal and not `--quiet`, cleared when the read ends.
pub(super) struct Bar(indicatif::ProgressBar);

pub(super) fn progress_bar(quiet: bool) -> Bar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return Bar(indicatif::ProgressBar::hidden());
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(0),
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} reading [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {wide_msg}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    Bar(bar)
}

impl Bar {
    /// Follows a read's progress.
    pub(super) fn update(&self, p: Progress<'_>) {
        match p {
            Progress::Start { bytes, .. } => self.0.inc_length(bytes),
            Progress::File { path } => self.0.set_message(path.to_string()),
            Progress::Read { bytes } => self.0.inc(bytes),
        }
    }

    /// Clears the bar (the summary follows on stderr).
    pub(super) fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The exit status after a read: partial when records were skipped.
pub(super) fn finish(s: &IngestSummary, quiet: bool) -> Status {
    if s.skipped.is_empty() {
        return Status::Ok;
    }
    if !quiet {
        eprintln!(
            "cairn: finished with {} skipped records (exit status 3)",
            s.skipped.len()
        );
    }
    Status::Partial
}

/// Bad records, then per-kind counts and what the index holds, on stderr.
pub(super) fn print_summary(s: &IngestSummary, index: &std::path::Path, quiet: bool) {
    // Bad records always go to stderr (even with --quiet): they are data the
    // user must know was not stored.
    for r in &s.skipped {
        eprintln!("{}: skipped: {}", r.source, r.reason);
    }
    if quiet {
        return;
    }
    for r in &s.warnings {
        eprintln!("{}: warning: {}", r.source, r.reason);
    }
    eprintln!();
    eprintln!(
        "{:<10} {:>6} {:>10} {:>9}",
        "source", "files", "documents", "snippets"
    );
    for kind in SourceKind::ALL {
        if let Some(c) = s.by_kind.get(&kind) {
            eprintln!(
                "{:<10} {:>6} {:>10} {:>9}",
                kind.as_str(),
                c.files,
                c.documents,
                c.snippets
            );
        }
    }
    let (f, d, n) = s.by_kind.values().fold((0, 0, 0), |acc, c| {
        (acc.0 + c.files, acc.1 + c.documents, acc.2 + c.snippets)
    });
    eprintln!("{:<10} {:>6} {:>10} {:>9}", "total", f, d, n);
    eprintln!();
    for p in &s.participants {
        eprintln!(
            "participants sheet {}: {} interviews joined to a customer id ({} rows)",
            p.path, p.joined, p.rows
        );
    }
    let empty = s.files.iter().map(|f| f.empty).sum();
    eprintln!(
        "skipped {} records, {} warnings (records kept with a field dropped or repaired, notes on files){}{}",
        s.skipped.len(),
        s.warnings.len(),
        empty_responses(empty, ", "),
        if s.ignored.is_empty() {
            String::new()
        } else {
            format!(", ignored {} files of unsupported formats", s.ignored.len())
        }
    );
    let mut reasons: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in &s.skipped {
        *reasons.entry(reason_class(&r.reason)).or_default() += 1;
    }
    for (reason, n) in reasons {
        eprintln!("  {n} × {reason}");
    }
    if let Some(old) = s.rebuilt {
        eprintln!(
            "index {}: written by an older cairn (schema version {old}), so it was emptied and rebuilt from the corpus",
            index.display()
        );
    }
    eprintln!(
        "index {}: {} snippets ({} new, {} already indexed{})",
        index.display(),
        s.indexed_total,
        s.added,
        s.replaced,
        if s.removed > 0 {
            format!(", {} removed", s.removed)
        } else {
            String::new()
        }
    );
    print_changes(s);
}

/// Records added, changed, moved and removed since the last completed
/// run, in all and per file that changed (at most [`CHANGED_FILES_SHOWN`]).
fn print_changes(s: &IngestSummary) {
    let t = crate::index::changes::totals(&s.changes);
    if !s.baseline {
        eprintln!("records: {} added (the first run on this index)", t.added);
        return;
    }
    eprintln!(
        "records since the last run: {} added, {} changed, {} moved, {} removed, {} unchanged",
        t.added, t.changed, t.moved, t.removed, t.unchanged
    );
    let changed: Vec<_> = s.changes.iter().filter(|c| c.any()).collect();
    for c in changed.iter().take(CHANGED_FILES_SHOWN) {
        eprintln!("  {}: {}", c.path, c.describe());
    }
    if changed.len() > CHANGED_FILES_SHOWN {
        eprintln!("  … and {} more files", changed.len() - CHANGED_FILES_SHOWN);
    }
}

/// How many changed files the summary on stderr names.
const CHANGED_FILES_SHOWN: usize = 30;

/// How many empty survey responses were left out (not an error), after
/// `sep`; nothing when there were none.
pub(super) fn empty_responses(n: usize, sep: &str) -> String {
    match n {
        0 => String::new(),
        1 => format!("{sep}1 empty survey response (no text or score) not stored"),
        n => format!("{sep}{n} empty survey responses (no text or score) not stored"),
    }
}

/// The reason without its specifics, to group the summary.
fn reason_class(reason: &str) -> &str {
    reason
        .split([':', '(', '\''])
        .next()
        .unwrap_or(reason)
        .trim()
}
