//! Evaluation: a gold file of texts with human labels (or numeric sentiment
//! scores) and a [`Classifier`] in, an [`EvalReport`] out: how well the
//! classifier's tags agree with people on one [`Dimension`].
//!
//! Each gold text is tagged as `cairn run` would tag it ([`predict`]), the
//! pairs are scored ([`metrics`]): n, accuracy, macro-F1, per-class
//! precision/recall/F1, the confusion matrix, Cohen's κ and accuracy per
//! confidence bucket for labels; Pearson and Spearman correlation for
//! scores. A [`SentimentBaseline`] (VADER) can be scored on the same rows.
//!
//! ```no_run
//! use cairn::classify::{Codebook, LexiconEngine, SentimentLexicon};
//! use cairn::eval::{evaluate, Dimension, EvalOptions, GoldSpec};
//! use cairn::model::SourceKind;
//!
//! let codebook = Codebook::embedded();
//! let engine = LexiconEngine::new(&codebook, SentimentLexicon::embedded());
//! let opts = EvalOptions {
//!     gold: "gold.csv".into(),
//!     spec: GoldSpec { text_col: "text".into(), label_col: Some("label".into()), ..Default::default() },
//!     dimension: Dimension::Sentiment,
//!     kind: SourceKind::Review,
//!     coder: None,
//! };
//! let report = evaluate(&opts, &codebook, &engine, None)?;
//! println!("accuracy {:.3}", report.scores.classes.as_ref().unwrap().accuracy);
//! # Ok::<(), cairn::Error>(())
//! ```

pub mod discovery;
pub mod gold;
pub mod labels;
pub mod metrics;
pub mod predict;
pub mod train;
pub mod tune;
pub mod vader;

use crate::classify::{Classifier, Codebook};
use crate::error::{Error, Result};
use crate::model::{Skipped, SourceKind};
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use std::path::PathBuf;

pub use gold::{read_gold, GoldRow, GoldSet, GoldSpec};
pub use labels::{Dimension, LabelSet};
pub use metrics::{Bucket, ClassReport, Correlation};
pub use vader::{baseline, SentimentBaseline, Vader, BASELINES};

/// What to evaluate, already validated by the caller.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// The gold file (`.csv`, `.tsv`, `.tab`, `.jsonl`, `.ndjson`).
    pub gold: PathBuf,
    /// Its columns and row filters.
    pub spec: GoldSpec,
    pub dimension: Dimension,
    /// Source kind the texts are tagged as, where [`GoldSpec::kind_col`]
    /// gives none.
    pub kind: SourceKind,
    /// Score this coder's labels instead of the classifier's tags.
    pub coder: Option<Coder>,
}

/// A second coder's labels (or another tool's) for the same rows, in a
/// file of its own, matched to the gold rows by id: scoring them against
/// the gold labels gives the agreement between two coders.
#[derive(Debug, Clone)]
pub struct Coder {
    /// `.csv`, `.tsv`, `.tab`, `.jsonl` or `.ndjson`.
    pub file: PathBuf,
    /// The id column, in both files.
    pub id_col: String,
    /// The coder's label column.
    pub label_col: String,
}

/// One engine's figures on the gold rows.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    /// `lexicon`, `vader` …
    pub engine: String,
    /// Rows scored.
    pub n: usize,
    /// Label agreement, when the gold file has labels.
    #[serde(flatten)]
    pub classes: Option<ClassReport>,
    /// Accuracy per confidence bucket, when the engine reports confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence_buckets: Option<Vec<Bucket>>,
    /// Accuracy per kind of evidence (phrase cue, word cue, context, rule,
    /// prior …): what `models/calibration.toml` is made from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_evidence: Option<Vec<metrics::KindAccuracy>>,
    /// Predictions with no confidence (`none` for a cluster or theme), left
    /// out of the buckets.
    #[serde(skip_serializing_if = "is_zero")]
    pub without_confidence: usize,
    /// Score correlation, when the gold file has scores.
    #[serde(flatten)]
    pub correlation: Option<Correlation>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Everything `cairn eval` reports.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// The gold file, as given.
    pub file: String,
    pub dimension: Dimension,
    pub kind: SourceKind,
    /// Records in the file.
    pub records: usize,
    /// Records left out by the row filters.
    pub filtered: usize,
    /// Records that could not be used (serialized as their count).
    #[serde(serialize_with = "count")]
    pub skipped: Vec<Skipped>,
    /// The classifier's figures (flattened into the top level).
    #[serde(flatten)]
    pub scores: Scores,
    /// The baseline's figures on the same rows, if one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Scores>,
    /// The classifier's macro-F1 minus the baseline's, with a paired
    /// bootstrap interval (labels only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs_baseline: Option<metrics::Difference>,
    /// The rows where the engine's label differs from the human one, in
    /// file order (labels only). Serialized only when the caller keeps them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreements: Option<Vec<Disagreement>>,
}

/// One gold row the engine labels differently from the human coder: what a
/// researcher reads to see where the engine goes wrong (or the label does).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// The row's line in the gold file.
    pub line: u64,
    pub gold: String,
    pub predicted: String,
    /// The engine's confidence in its label, when it gives one.
    pub confidence: Option<f64>,
    pub text: String,
}

fn count<S: Serializer>(v: &[Skipped], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_u64(v.len() as u64)
}

impl Serialize for Dimension {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One gold row with what each engine said about it.
struct Scored {
    gold_label: Option<String>,
    gold_score: Option<f64>,
    pred: predict::Prediction,
    base: Option<(String, f64)>,
}

/// Tag every gold row with `classifier` (and `baseline`) and score the
/// agreement on `opts.dimension`.
///
/// Errors: a missing column, an unknown label (`path:line`, listing the
/// allowed labels), no usable row, or a score column or baseline asked for
/// on a dimension other than sentiment. Unusable rows are skipped and
/// listed in [`EvalReport::skipped`].
pub fn evaluate(
    opts: &EvalOptions,
    codebook: &Codebook,
    classifier: &dyn Classifier,
    baseline: Option<&dyn SentimentBaseline>,
) -> Result<EvalReport> {
    let dim = opts.dimension;
    if opts.spec.label_col.is_none() && opts.spec.score_col.is_none() {
        return Err(Error::Invalid(
            "nothing to compare: give a label column or a gold score column".into(),
        ));
    }
    if dim != Dimension::Sentiment {
        if opts.spec.score_col.is_some() {
            return Err(Error::Invalid(format!(
                "a gold score column only applies to sentiment, not {dim}"
            )));
        }
        if let Some(b) = baseline {
            return Err(Error::Invalid(format!(
                "the {} baseline only scores sentiment, not {dim}",
                b.name()
            )));
        }
    }
    let mut spec = opts.spec.clone();
    if let Some(c) = &opts.coder {
        spec.id_col = Some(c.id_col.clone());
    }
    let mut gold = read_gold(&opts.gold, &spec)?;
    let labels = LabelSet::new(dim, codebook);
    let coder = match &opts.coder {
        None => None,
        Some(c) => Some(coder_labels(c, &labels, &opts.gold, &mut gold)?),
    };
    let mut resolved = Vec::with_capacity(gold.rows.len());
    for row in &gold.rows {
        let label = match &row.label {
            None => None,
            Some(raw) => Some(
                labels
                    .resolve(raw)
                    .ok_or_else(|| Error::Parse {
                        path: opts.gold.clone(),
                        line: row.line,
                        reason: labels.unknown(raw),
                    })?
                    .to_string(),
            ),
        };
        resolved.push(label);
    }
    if gold.rows.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no rows to evaluate ({} read, {} filtered out, {} skipped)",
            opts.gold.display(),
            gold.records,
            gold.filtered,
            gold.skipped.len()
        )));
    }

    let path = opts.gold.to_string_lossy().replace('\\', "/");
    let snippets: Vec<_> = gold
        .rows
        .par_iter()
        .map(|row| {
            predict::snippet(
                &row.text,
                row.context.as_deref(),
                row.kind.unwrap_or(opts.kind),
                &path,
                row.line,
            )
        })
        .collect();
    let preds: Vec<predict::Prediction> = match coder {
        Some(labels) => labels
            .into_iter()
            .map(|label| predict::Prediction {
                label,
                confidence: None,
                score: 0.0,
                evidence_kind: None,
            })
            .collect(),
        None => classifier
            .classify_batch(&snippets)
            .iter()
            .map(|t| predict::label_of(t, dim))
            .collect(),
    };
    let engine = match &opts.coder {
        Some(_) => "coder",
        None => classifier.name(),
    };
    let scored: Vec<Scored> = gold
        .rows
        .par_iter()
        .zip(resolved)
        .zip(snippets.par_iter().zip(preds))
        .map(|((row, gold_label), (snippet, pred))| {
            let base = baseline.map(|b| {
                let s = b.score(&snippet.text);
                (b.label(s).as_str().to_string(), s)
            });
            Scored {
                gold_label,
                gold_score: row.score,
                pred,
                base,
            }
        })
        .collect();

    let gold_labels: Option<Vec<&str>> = scored.iter().map(|s| s.gold_label.as_deref()).collect();
    let gold_scores: Option<Vec<f64>> = scored.iter().map(|s| s.gold_score).collect();

    let pred_labels: Vec<&str> = scored.iter().map(|s| s.pred.label.as_str()).collect();
    let pred_scores: Vec<f64> = scored.iter().map(|s| s.pred.score).collect();
    let disagreements = gold_labels.as_ref().map(|gl| {
        scored
            .iter()
            .zip(gl)
            .zip(&gold.rows)
            .filter(|((s, g), _)| s.pred.label.as_str() != **g)
            .map(|((s, g), row)| Disagreement {
                line: row.line,
                gold: g.to_string(),
                predicted: s.pred.label.clone(),
                confidence: s.pred.confidence,
                text: row.text.clone(),
            })
            .collect()
    });
    let mut scores = score(
        engine,
        gold_labels.as_deref(),
        gold_scores.as_deref(),
        &pred_labels,
        &pred_scores,
    );
    // A coder's labels carry no confidence or evidence to bucket.
    if let (Some(gl), None) = (&gold_labels, &opts.coder) {
        let pairs = scored
            .iter()
            .zip(gl)
            .filter_map(|(s, g)| s.pred.confidence.map(|c| (c, s.pred.label.as_str() == *g)));
        let buckets = metrics::confidence_buckets(pairs);
        scores.without_confidence = scored
            .iter()
            .filter(|s| s.pred.confidence.is_none())
            .count();
        scores.confidence_buckets = Some(buckets);
        scores.by_evidence = Some(metrics::by_kind(scored.iter().zip(gl).filter_map(
            |(s, g)| {
                s.pred
                    .evidence_kind
                    .map(|k| (k, s.pred.label.as_str() == *g))
            },
        )));
    }

    // The baseline on the same rows, and how far the engine is ahead of it.
    let (baseline, vs_baseline) = match baseline {
        None => (None, None),
        Some(b) => {
            let labels: Vec<&str> = scored
                .iter()
                .map(|s| s.base.as_ref().map_or("", |x| x.0.as_str()))
                .collect();
            let values: Vec<f64> = scored
                .iter()
                .map(|s| s.base.as_ref().map_or(0.0, |x| x.1))
                .collect();
            let gap = gold_labels
                .as_deref()
                .and_then(|gl| metrics::macro_f1_difference(gl, &pred_labels, &labels));
            let scores = score(
                b.name(),
                gold_labels.as_deref(),
                gold_scores.as_deref(),
                &labels,
                &values,
            );
            (Some(scores), gap)
        }
    };

    Ok(EvalReport {
        file: path,
        dimension: dim,
        kind: opts.kind,
        records: gold.records,
        filtered: gold.filtered,
        skipped: gold.skipped,
        scores,
        baseline,
        vs_baseline,
        disagreements,
    })
}

/// The coder's label for each gold row, in order. Gold rows the coder file
/// has no label for move to `gold.skipped`.
///
/// The coder's file is read with the gold reader (every format it reads),
/// the id column standing in for the text: each row's `text` is its id.
///
/// Errors: a missing column, an unknown label or an id given twice in the
/// coder's file (`path:line`).
fn coder_labels(
    c: &Coder,
    labels: &LabelSet,
    gold_path: &std::path::Path,
    gold: &mut GoldSet,
) -> Result<Vec<String>> {
    let spec = GoldSpec {
        text_col: c.id_col.clone(),
        label_col: Some(c.label_col.clone()),
        ..GoldSpec::default()
    };
    let theirs = read_gold(&c.file, &spec)?;
    let parse = |line: u64, reason: String| Error::Parse {
        path: c.file.clone(),
        line,
        reason,
    };
    let mut by_id = std::collections::HashMap::new();
    for row in &theirs.rows {
        let raw = row.label.as_deref().unwrap_or_default();
        let label = labels
            .resolve(raw)
            .ok_or_else(|| parse(row.line, labels.unknown(raw)))?;
        if by_id.insert(row.text.clone(), label.to_string()).is_some() {
            return Err(parse(row.line, format!("id {:?} appears twice", row.text)));
        }
    }
    let shown = c.file.to_string_lossy().replace('\\', "/");
    let mut out = Vec::with_capacity(gold.rows.len());
    let mut kept = Vec::with_capacity(gold.rows.len());
    for row in std::mem::take(&mut gold.rows) {
        let id = row.id.clone().unwrap_or_default();
        match by_id.get(&id) {
            Some(l) => {
                out.push(l.clone());
                kept.push(row);
            }
            None => gold.skipped.push(Skipped {
                source: crate::model::SourceRef {
                    path: gold_path.to_string_lossy().replace('\\', "/"),
                    line: row.line,
                    row: None,
                    timestamp: None,
                },
                reason: format!("no label for id {id:?} in {shown}").into(),
            }),
        }
    }
    gold.rows = kept;
    gold.skipped.sort();
    Ok(out)
}

fn score(
    engine: &str,
    gold_labels: Option<&[&str]>,
    gold_scores: Option<&[f64]>,
    labels: &[&str],
    values: &[f64],
) -> Scores {
    Scores {
        engine: engine.to_string(),
        n: labels.len(),
        classes: gold_labels.map(|g| ClassReport::new(g, labels)),
        confidence_buckets: None,
        by_evidence: None,
        without_confidence: 0,
        correlation: gold_scores.map(|g| Correlation::new(g, values)),
    }
}

#[cfg(test)]
mod tests;
