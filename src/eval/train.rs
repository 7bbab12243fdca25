//! Training the neural engine's heads: labeled texts in, one [`Head`] per
//! dimension out (`models/heads/*.json`).
//!
//! Every head learns from the dev split only: the `dev` rows of the gold
//! file, the codebook's own examples (stage, signal, cluster, quadrant,
//! theme), and for sentiment the dev halves of the shared sets prepared by
//! `models/gold/prepare_shared.py` when present (and, when asked, the dev
//! rows of the ticket set). Test rows are never read.
//!
//! Heads are logistic regressions on the frozen embedding; with
//! [`Training::adapter`], the sentiment head is instead fine-tuned together
//! with a low-rank adapter on the encoder's top layers ([`super::tune`]).

use super::gold::{read_gold, GoldSpec};
use super::labels::{Dimension, LabelSet};
use super::predict::snippet;
use super::tune::{tune, Progress, TuneOptions, TuneRow, Tuned};
use crate::classify::head::{train, Head, TrainOptions};
use crate::classify::message::messages;
use crate::classify::neural::{features, labels_for, reads_context, Context};
use crate::classify::{Codebook, LexiconEngine, NeuralEngine};
use crate::error::{Error, Result};
use crate::model::SourceKind;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Where the training data is.
#[derive(Debug, Clone)]
pub struct TrainData {
    /// The hand-labeled gold file (its `split=dev` rows are used).
    pub gold: PathBuf,
    /// Hand-labeled support queries, sentiment only (their `split=dev`
    /// rows join the gold file's).
    pub tickets: Option<PathBuf>,
    /// Folder of prepared shared sets (`tweeteval_dev.csv`,
    /// `amazon_dev.csv`); missing files are left out and reported.
    pub shared: PathBuf,
}

/// One labeled text.
struct Example {
    text: String,
    /// The message it came from and its source kind, when the file says.
    context: Option<String>,
    kind: Option<SourceKind>,
    label: String,
    /// Which data source it came from (sources are weighted equally).
    source: usize,
}

/// One trained head and what it learned from.
#[derive(Debug, Clone)]
pub struct Trained {
    pub head: Head,
    pub rows: usize,
    /// The fine-tuned adapter the head reads (sentiment only).
    pub tuned: Option<Tuned>,
}

/// Training settings: the logistic heads', and the sentiment adapter's.
#[derive(Debug, Clone, Default)]
pub struct Training {
    pub head: TrainOptions,
    pub tune: TuneOptions,
    /// Fine-tune the sentiment head with an adapter.
    pub adapter: bool,
    /// Hold out every n-th sentiment row of each source and score it after
    /// each epoch (0: train on every row).
    pub holdout: usize,
}

fn round5(x: f32) -> f32 {
    (x * 1e5).round() / 1e5
}

/// The gold file's columns for each row's source kind and message: its
/// rows are tagged in context, as `cairn run` and `cairn eval` tag them.
pub const GOLD_KIND_COL: &str = "kind";
pub const GOLD_CONTEXT_COL: &str = "context";

/// Shared sentiment sets used when present (dev halves only).
const SHARED_SENTIMENT: [&str; 2] = ["tweeteval_dev.csv", "amazon_dev.csv"];

fn gold_rows(
    path: &Path,
    text_col: &str,
    label_col: &str,
    split: &str,
    source: usize,
    in_context: bool,
) -> Result<Vec<Example>> {
    let spec = GoldSpec {
        text_col: text_col.into(),
        label_col: Some(label_col.into()),
        filters: if split.is_empty() {
            Vec::new()
        } else {
            vec![("split".into(), split.into())]
        },
        kind_col: in_context.then(|| GOLD_KIND_COL.into()),
        context_col: in_context.then(|| GOLD_CONTEXT_COL.into()),
        ..GoldSpec::default()
    };
    Ok(read_gold(path, &spec)?
        .rows
        .into_iter()
        .filter_map(|r| {
            Some(Example {
                text: r.text,
                context: r.context,
                kind: r.kind,
                label: r.label?,
                source,
            })
        })
        .collect())
}

/// The training examples for `dim`, and where they came from.
fn examples(
    dim: Dimension,
    data: &TrainData,
    codebook: &Codebook,
) -> Result<(Vec<Example>, String)> {
    let mut ex = gold_rows(&data.gold, "text", dim.as_str(), "dev", 0, true)?;
    let mut from = vec![format!(
        "{} split=dev ({} rows)",
        data.gold.display(),
        ex.len()
    )];
    if dim == Dimension::Sentiment {
        if let Some(tickets) = &data.tickets {
            // Labeled by the same guide as the gold file: one source with it.
            let rows = gold_rows(tickets, "text", "sentiment", "dev", 0, false)?;
            from.push(format!(
                "{} split=dev ({} rows)",
                tickets.display(),
                rows.len()
            ));
            ex.extend(rows);
        }
        for (i, name) in SHARED_SENTIMENT.iter().enumerate() {
            let p = data.shared.join(name);
            if p.is_file() {
                let rows = gold_rows(&p, "text", "label", "", i + 1, false)?;
                from.push(format!("{} ({} rows)", p.display(), rows.len()));
                ex.extend(rows);
            }
        }
    } else {
        let entries = match dim {
            Dimension::Stage => &codebook.stage,
            Dimension::IntentSignal => &codebook.signal,
            Dimension::IntentCluster => &codebook.cluster,
            Dimension::Quadrant => &codebook.quadrant,
            _ => &codebook.theme,
        };
        let before = ex.len();
        for e in entries {
            for x in &e.examples {
                ex.push(Example {
                    text: x.clone(),
                    context: None,
                    kind: None,
                    label: e.id.clone(),
                    // The codebook's few examples count as gold rows do.
                    source: 0,
                });
            }
        }
        from.push(format!("codebook examples ({} rows)", ex.len() - before));
    }
    Ok((ex, from.join(" + ")))
}

/// Train the head for `dim` with `engine`'s embeddings.
pub fn train_head(
    dim: Dimension,
    data: &TrainData,
    codebook: &Codebook,
    engine: &NeuralEngine,
    lexicon: &LexiconEngine,
    training: &Training,
    progress: &dyn Fn(Progress<'_>),
) -> Result<Trained> {
    let (ex, from) = examples(dim, data, codebook)?;
    let labels = labels_for(dim.as_str(), codebook);
    let set = LabelSet::new(dim, codebook);
    let mut y = Vec::with_capacity(ex.len());
    for e in &ex {
        let id = set
            .resolve(&e.label)
            .ok_or_else(|| Error::Invalid(format!("training {dim}: {}", set.unknown(&e.label))))?;
        y.push(labels.iter().position(|l| l == id).unwrap_or(0));
    }
    let snippets: Vec<_> = ex
        .iter()
        .enumerate()
        .map(|(i, e)| {
            snippet(
                &e.text,
                e.context.as_deref(),
                e.kind.unwrap_or(SourceKind::Review),
                "train",
                i as u64 + 1,
            )
        })
        .collect();
    // Each text is read in its message, as `cairn run` and `cairn eval`
    // read it.
    let messages = messages(&snippets);
    let lex: Vec<_> = snippets
        .par_iter()
        .zip(messages.par_iter())
        .map(|(s, m)| lexicon.classify_in(s, m))
        .collect();
    let texts: Vec<&str> = snippets.iter().map(|s| s.text.as_str()).collect();
    if dim == Dimension::Sentiment && training.adapter {
        let embedder = engine.embedder();
        let mut seen = std::collections::BTreeMap::new();
        let mut rows = Vec::with_capacity(ex.len());
        for (i, e) in ex.iter().enumerate() {
            let nth = seen.entry(e.source).or_insert(0usize);
            rows.push(TuneRow {
                ids: embedder.token_ids(texts[i])?,
                // The lexicon's answer only: the vector comes from the adapter.
                extra: features(
                    dim.as_str(),
                    &[],
                    &Context {
                        message: &[],
                        kind: None,
                    },
                    &lex[i],
                    &labels,
                ),
                label: y[i],
                group: e.source,
                held_out: training.holdout > 0 && *nth % training.holdout == 0,
            });
            *nth += 1;
        }
        let o = &training.tune;
        let tuned = tune(embedder.bert(), &rows, labels.len(), o, progress)?;
        let held = tuned.held_out_f1.last().map(|f| {
            let f: Vec<f64> = f.iter().flatten().copied().collect();
            (f.iter().sum::<f64>() / f.len().max(1) as f64 * 1000.0).round() / 1000.0
        });
        let trained_on = format!(
            "{from}; fine-tuned with a rank-{} adapter on the top {} layers, {} epochs, learning rate {}, gold weight {}, seed {}{}",
            o.rank,
            o.layers,
            o.epochs,
            o.learning_rate,
            o.first_group_weight,
            o.seed,
            match training.holdout {
                0 => String::from(", on every row"),
                n => format!(", every {n}th row of each source held out"),
            }
        );
        return Ok(Trained {
            head: Head {
                dimension: dim.as_str().to_string(),
                labels,
                model_hash: embedder.hash().to_string(),
                trained_on,
                l2: 0.0,
                cv_macro_f1: held,
                weights: tuned
                    .weights
                    .iter()
                    .map(|r| r.iter().map(|&w| round5(w)).collect())
                    .collect(),
                bias: tuned.bias.iter().map(|&b| round5(b)).collect(),
                // Set once the adapter is written (its hash names it).
                adapter: None,
            },
            rows: ex.len(),
            tuned: Some(tuned),
        });
    }
    let embs = engine.embed(&texts)?;
    let message_embs = if reads_context(dim.as_str()) {
        engine.embed(&messages.iter().map(String::as_str).collect::<Vec<_>>())?
    } else {
        embs.clone()
    };
    let x: Vec<Vec<f32>> = embs
        .iter()
        .zip(&message_embs)
        .zip(ex.iter().zip(&lex))
        .map(|((e, m), (ex, l))| {
            let context = Context {
                message: m,
                kind: ex.kind,
            };
            features(dim.as_str(), e, &context, l, &labels)
        })
        .collect();
    let group: Vec<usize> = ex.iter().map(|e| e.source).collect();
    let fitted = train(&x, &y, &group, labels.len(), &training.head)?;
    Ok(Trained {
        head: Head {
            dimension: dim.as_str().to_string(),
            labels,
            model_hash: engine.embedder().hash().to_string(),
            trained_on: from,
            l2: fitted.l2,
            cv_macro_f1: Some((fitted.cv_macro_f1 * 1000.0).round() / 1000.0),
            weights: fitted
                .weights
                .into_iter()
                .map(|r| r.into_iter().map(round5).collect())
                .collect(),
            bias: fitted.bias.into_iter().map(round5).collect(),
            adapter: None,
        },
        rows: ex.len(),
        tuned: None,
    })
}
