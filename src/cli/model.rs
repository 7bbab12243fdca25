//! `cairn model`: check the neural engine's model and heads, and retrain
//! the heads from the labeled data.

use super::{lexicon_engine, load_codebook, Status};
use crate::classify::neural::adapter_file;
use crate::classify::NeuralEngine;
use crate::embed::Adapter;
use crate::embed::{self, Embedder};
use crate::eval::train::{train_head, TrainData, Training};
use crate::eval::tune::{Progress, TuneOptions};
use crate::eval::Dimension;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Load the model, embed a test pair, list the heads in use.
    Check {
        /// Model folder (default: $CAIRN_MODEL or .cairn/models/all-MiniLM-L6-v2).
        #[arg(long, value_name = "DIR")]
        model: Option<PathBuf>,
    },
    /// Retrain every head on the dev split and write models/heads/*.json
    /// (rebuild cairn to embed them).
    Train {
        #[arg(long, value_name = "DIR")]
        model: Option<PathBuf>,
        /// Hand-labeled gold file; its split=dev rows are used.
        #[arg(long, default_value = "models/gold/gold.csv")]
        gold: PathBuf,
        /// Also learn sentiment from the split=dev rows of this file of
        /// hand-labeled support queries (models/gold/tickets.csv), as part
        /// of the gold source. Not used for the shipped heads
        /// (docs/QUALITY.md).
        #[arg(long, value_name = "FILE")]
        tickets: Option<PathBuf>,
        /// Prepared shared sets (models/gold/prepare_shared.py).
        #[arg(long, default_value = ".cairn/gold")]
        shared: PathBuf,
        /// Where to write the heads.
        #[arg(long, default_value = DEFAULT_HEADS)]
        out: PathBuf,
        /// Only these dimensions (default: all).
        #[arg(long = "dimension", value_name = "DIM")]
        dimensions: Vec<String>,
        /// Fine-tune the sentiment head with a low-rank adapter on the
        /// model's top layers, written beside it (about 4 minutes an epoch
        /// on two cores). Use it through $CAIRN_HEADS; no adapter is
        /// embedded in cairn.
        #[arg(long)]
        adapter: bool,
        /// With --adapter: hold out every N-th sentiment row of each source
        /// and print its macro-F1 after each epoch, per source: gold (with
        /// --tickets), TweetEval, Amazon; – for one not found (0: none).
        #[arg(long, value_name = "N", default_value_t = 0, requires = "adapter")]
        holdout: usize,
        /// With --adapter: passes over the sentiment rows.
        #[arg(long, value_name = "N", default_value_t = TuneOptions::default().epochs, requires = "adapter")]
        epochs: usize,
        /// With --adapter: the adapter's learning rate.
        #[arg(long, value_name = "RATE", default_value_t = TuneOptions::default().learning_rate, requires = "adapter")]
        learning_rate: f64,
        /// With --adapter: weight of the gold file's rows against each
        /// shared set (1: every source weighs the same).
        #[arg(long, value_name = "W", default_value_t = 1.0, requires = "adapter")]
        gold_weight: f32,
    },
}

/// Where the embedded heads are kept.
const DEFAULT_HEADS: &str = "models/heads";

pub fn run(c: ModelCommand, quiet: bool) -> Result<Status> {
    match c {
        ModelCommand::Check { model } => check(model, quiet),
        ModelCommand::Train {
            model,
            gold,
            tickets,
            shared,
            out,
            dimensions,
            adapter,
            holdout,
            epochs,
            learning_rate,
            gold_weight,
        } => {
            if adapter && out == std::path::Path::new(DEFAULT_HEADS) {
                anyhow::bail!(
                    "--adapter: pass --out DIR (not {DEFAULT_HEADS}): cairn embeds no adapter, so a head that reads one is used through $CAIRN_HEADS=DIR"
                );
            }
            let training = Training {
                tune: TuneOptions {
                    epochs,
                    learning_rate,
                    first_group_weight: gold_weight,
                    ..TuneOptions::default()
                },
                adapter,
                holdout,
                ..Training::default()
            };
            let data = TrainData {
                gold,
                tickets,
                shared,
            };
            train(model, &data, out, dimensions, &training, quiet)
        }
    }
}

fn load(model: Option<PathBuf>) -> Result<(Embedder, PathBuf)> {
    let dir = embed::model_dir(model.as_deref());
    let e =
        Embedder::load(&dir).with_context(|| format!("no usable model in {}", dir.display()))?;
    Ok((e, dir))
}

fn check(model: Option<PathBuf>, _quiet: bool) -> Result<Status> {
    let (embedder, dir) = load(model)?;
    let pair = embedder.embed(&[
        "The bill keeps creeping up every month.",
        "The price went up again.",
        "The app crashed when I opened it.",
    ])?;
    let codebook = load_codebook(None)?;
    let hash = embedder.hash().to_string();
    let dim = embedder.dim();
    let engine = NeuralEngine::new(&codebook, lexicon_engine(&codebook), embedder, None)?;
    println!(
        "model: {} ({dim} dimensions, blake3 {})",
        dir.display(),
        &hash[..16]
    );
    println!(
        "similarity: related pair {:.3}, unrelated pair {:.3}",
        embed::dot(&pair[0], &pair[1]),
        embed::dot(&pair[0], &pair[2])
    );
    println!("heads in use: {}", engine.head_dimensions().join(", "));
    for n in engine.notices() {
        println!("note: {n}");
    }
    Ok(Status::Ok)
}

fn train(
    model: Option<PathBuf>,
    data: &TrainData,
    out: PathBuf,
    dimensions: Vec<String>,
    training: &Training,
    quiet: bool,
) -> Result<Status> {
    let dims: Vec<Dimension> = if dimensions.is_empty() {
        Dimension::ALL.to_vec()
    } else {
        dimensions
            .iter()
            .map(|d| {
                Dimension::parse(d).with_context(|| {
                    format!(
                        "unknown --dimension {d:?}; expected one of: {}",
                        Dimension::allowed()
                    )
                })
            })
            .collect::<Result<_>>()?
    };
    let (embedder, _) = load(model)?;
    let codebook = load_codebook(None)?;
    let engine = NeuralEngine::new(
        &codebook,
        lexicon_engine(&codebook),
        embedder,
        Some(std::path::Path::new(".cairn/cache")),
    )?;
    let lexicon = lexicon_engine(&codebook);
    std::fs::create_dir_all(&out).with_context(|| format!("could not create {}", out.display()))?;
    let progress = |p: Progress<'_>| match p {
        _ if quiet => {}
        Progress::Step { epoch, step, steps } => {
            eprintln!("  fine-tuning: epoch {}, step {step}/{steps}", epoch + 1)
        }
        Progress::Epoch { epoch, held_out_f1 } if !held_out_f1.is_empty() => {
            let f1: Vec<String> = held_out_f1
                .iter()
                .map(|f| f.map_or_else(|| "–".into(), |f| format!("{f:.3}")))
                .collect();
            eprintln!(
                "  held-out macro-F1 by source after epoch {}: {}",
                epoch + 1,
                f1.join(" ")
            );
        }
        Progress::Epoch { .. } => {}
    };
    for dim in dims {
        let mut t = train_head(dim, data, &codebook, &engine, &lexicon, training, &progress)
            .with_context(|| format!("training the {dim} head failed"))?;
        if let Some(tuned) = &t.tuned {
            let path = out.join(adapter_file(dim.as_str()));
            t.head.adapter = Some(Adapter::write(&path, tuned.from, &tuned.loras)?);
            if !quiet {
                eprintln!("  adapter → {}", path.display());
            }
        }
        let path = out.join(format!("{}.json", dim.as_str()));
        let json = serde_json::to_string(&t.head)?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("could not write {}", path.display()))?;
        if !quiet {
            let score = match (t.head.cv_macro_f1, &t.tuned) {
                (Some(f), None) => format!("L2 {}, dev CV macro-F1 {f:.3}", t.head.l2),
                (Some(f), Some(_)) => format!("fine-tuned, held-out macro-F1 {f:.3}"),
                (None, _) => "fine-tuned on every row".to_string(),
            };
            eprintln!(
                "{dim}: {} rows, {} labels, {score} → {}",
                t.rows,
                t.head.labels.len(),
                path.display()
            );
            eprintln!("  trained on {}", t.head.trained_on);
        }
    }
    Ok(Status::Ok)
}
