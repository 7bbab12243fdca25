//! `cairn model`: check the neural engine's model and heads, and retrain
//! the heads from the labeled data.

use super::{lexicon_engine, load_codebook, Status};
use crate::classify::head::TrainOptions;
use crate::classify::NeuralEngine;
use crate::embed::{self, Embedder};
use crate::eval::train::{train_head, TrainData};
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
        /// Prepared shared sets (models/gold/prepare_shared.py).
        #[arg(long, default_value = ".cairn/gold")]
        shared: PathBuf,
        /// Where to write the heads.
        #[arg(long, default_value = "models/heads")]
        out: PathBuf,
        /// Only these dimensions (default: all).
        #[arg(long = "dimension", value_name = "DIM")]
        dimensions: Vec<String>,
    },
}

pub fn run(c: ModelCommand, quiet: bool) -> Result<Status> {
    match c {
        ModelCommand::Check { model } => check(model, quiet),
        ModelCommand::Train {
            model,
            gold,
            shared,
            out,
            dimensions,
        } => train(model, gold, shared, out, dimensions, quiet),
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
    gold: PathBuf,
    shared: PathBuf,
    out: PathBuf,
    dimensions: Vec<String>,
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
    let data = TrainData { gold, shared };
    std::fs::create_dir_all(&out).with_context(|| format!("could not create {}", out.display()))?;
    for dim in dims {
        let t = train_head(
            dim,
            &data,
            &codebook,
            &engine,
            &lexicon,
            &TrainOptions::default(),
        )
        .with_context(|| format!("training the {dim} head failed"))?;
        let path = out.join(format!("{}.json", dim.as_str()));
        let json = serde_json::to_string(&t.head)?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("could not write {}", path.display()))?;
        if !quiet {
            eprintln!(
                "{dim}: {} rows, {} labels, L2 {}, dev CV macro-F1 {:.3} → {}",
                t.rows,
                t.head.labels.len(),
                t.head.l2,
                t.head.cv_macro_f1,
                path.display()
            );
            eprintln!("  trained on {}", t.head.trained_on);
        }
    }
    Ok(Status::Ok)
}
