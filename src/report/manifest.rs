//! `manifest.json`: what produced the reports beside it — every input file
//! with its blake3 hash, the codebook, the tagging engine (and model hash
//! when an engine has one), cairn's version, the settings, and the hash of
//! each report. Deterministic like the reports: no clock, no absolute
//! paths, inputs sorted by their path relative to the corpus.

use crate::ingest::{FileSummary, IngestOptions, SheetSummary};
use crate::model::SourceKind;
use crate::synth::{impact, trends, Synthesis, PRIORITY_FORMULA, SMALL_BASE, TREND_THEMES};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest's file name, written beside the reports.
pub const FILE: &str = "manifest.json";

/// The engine that tagged the snippets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineInfo {
    /// `lexicon`, `neural` …
    pub name: String,
    /// blake3 of the model files, for engines that load one.
    pub model_hash: Option<String>,
    /// blake3 of the sentiment adapter, when a head reads one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapter_hash: Option<String>,
}

/// One file read by the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// Relative to the corpus, `/`-separated.
    pub path: String,
    pub kind: SourceKind,
    pub format: &'static str,
    pub layout: String,
    pub bytes: u64,
    /// blake3 of the file's bytes; `None` when it could not be read.
    pub blake3: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodebookInfo {
    pub origin: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImpactSettings {
    pub formula: &'static str,
    pub resamples: usize,
    pub seed: u64,
    pub interval: &'static str,
    pub small_base: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendSettings {
    pub period: &'static str,
    pub min_periods: usize,
    pub themes: usize,
}

/// The settings the reports depend on.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub title: String,
    pub forced_kind: Option<SourceKind>,
    pub column_mapping: BTreeMap<String, String>,
    /// `--interviewer` names: the interviewer in every transcript.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interviewers: Vec<String>,
    /// `--participant` names: never taken for the interviewer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    pub priority_formula: &'static str,
    pub small_base: usize,
    pub impact: ImpactSettings,
    pub trend: TrendSettings,
}

/// What the reports were computed over (the whole index, which may hold
/// files ingested by earlier runs besides this run's inputs).
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    pub documents: usize,
    pub snippets: usize,
    pub voice_snippets: usize,
    pub people: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportFile {
    pub file: String,
    pub blake3: String,
}

/// The run manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub cairn_version: &'static str,
    /// The corpus as given.
    pub corpus: String,
    pub inputs: Vec<InputFile>,
    pub codebook: CodebookInfo,
    pub engine: EngineInfo,
    pub settings: Settings,
    pub base: Base,
    pub reports: Vec<ReportFile>,
}

/// `path` relative to the corpus as given (`corpus/a/b.csv` → `a/b.csv`).
fn relative(corpus: &str, path: &str) -> String {
    match path.strip_prefix(corpus) {
        Some(rest) if rest.starts_with('/') => rest.trim_start_matches('/').to_string(),
        Some("") => Path::new(path)
            .file_name()
            .map_or(path.to_string(), |n| n.to_string_lossy().into_owned()),
        _ => path.to_string(),
    }
}

/// Hash each input file (read again: the readers stream and do not keep
/// the bytes), sorted by relative path. A participants sheet is an input
/// too (it joins interviews to customers): kind interview, layout
/// `participants-sheet`.
pub fn inputs(corpus: &str, files: &[FileSummary], sheets: &[SheetSummary]) -> Vec<InputFile> {
    let input = |path: &str, kind, format, layout: String| {
        let bytes = std::fs::read(path).ok();
        InputFile {
            path: relative(corpus, path),
            kind,
            format,
            layout,
            bytes: bytes.as_ref().map_or(0, |b| b.len() as u64),
            blake3: bytes.map(|b| blake3::hash(&b).to_hex().to_string()),
        }
    };
    let mut out: Vec<InputFile> = files
        .iter()
        .map(|f| input(&f.path, f.kind, f.format, f.layout.clone()))
        .collect();
    for s in sheets {
        let format = if s.path.to_ascii_lowercase().ends_with(".tsv") {
            "tsv"
        } else {
            "csv"
        };
        out.push(input(
            &s.path,
            SourceKind::Interview,
            format,
            "participants-sheet".into(),
        ));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// What the run knows that the synthesis does not.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The corpus as given.
    pub corpus: String,
    pub inputs: Vec<InputFile>,
    pub codebook: CodebookInfo,
    pub engine: EngineInfo,
    pub title: String,
    pub ingest: IngestOptions,
}

/// The manifest for reports rendered from `s` during `run`.
pub fn build(s: &Synthesis, run: &RunInfo, reports: &[(&str, String)]) -> Manifest {
    Manifest {
        cairn_version: env!("CARGO_PKG_VERSION"),
        corpus: run.corpus.clone(),
        inputs: run.inputs.clone(),
        codebook: run.codebook.clone(),
        engine: run.engine.clone(),
        settings: Settings {
            title: run.title.clone(),
            forced_kind: run.ingest.kind,
            column_mapping: run.ingest.mapping.clone(),
            interviewers: run.ingest.interviewers.clone(),
            participants: run.ingest.participants.clone(),
            priority_formula: PRIORITY_FORMULA,
            small_base: SMALL_BASE,
            impact: ImpactSettings {
                formula: "score(all responses) − score(responses not voicing the theme as a pain)",
                resamples: impact::RESAMPLES,
                seed: impact::SEED,
                interval: "percentile bootstrap 95 %, SplitMix64 seeded per metric and theme",
                small_base: impact::SMALL_BASE,
            },
            trend: TrendSettings {
                period: "calendar month",
                min_periods: trends::MIN_PERIODS,
                themes: TREND_THEMES,
            },
        },
        base: Base {
            documents: s.totals.documents,
            snippets: s.totals.snippets,
            voice_snippets: s.totals.voice_snippets,
            people: s.totals.people,
        },
        reports: reports
            .iter()
            .map(|(name, text)| ReportFile {
                file: name.to_string(),
                blake3: blake3::hash(text.as_bytes()).to_hex().to_string(),
            })
            .collect(),
    }
}

/// The manifest as pretty JSON with a final newline.
pub fn to_json(m: &Manifest) -> String {
    let mut s = serde_json::to_string_pretty(m).expect("the manifest serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn input_paths_are_relative_to_the_corpus() {
        assert_eq!(relative("corpus", "corpus/tickets/a.csv"), "tickets/a.csv");
        assert_eq!(relative("corpus", "corpus2/a.csv"), "corpus2/a.csv");
        assert_eq!(relative("data/a.csv", "data/a.csv"), "a.csv");
    }
}
