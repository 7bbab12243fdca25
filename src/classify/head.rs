//! Few-shot heads: multinomial logistic regression on sentence embeddings
//! (plus the lexicon engine's own answer as features), one per dimension.
//!
//! A head is a small JSON file in `models/heads/`, written by
//! `cairn model train` and embedded in the binary. Training is full-batch
//! Adam on a class-balanced cross-entropy with an L2 penalty chosen by
//! k-fold cross-validation on the training rows only; weights start at
//! zero, so training the same rows gives the same head.

use crate::error::{Error, Result};
use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use serde::{Deserialize, Serialize};

/// A trained head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    /// The dimension it tags (`sentiment`, `stage`, …).
    pub dimension: String,
    /// Class labels, in weight-row order.
    pub labels: Vec<String>,
    /// blake3 of the embedding model's weights the head was trained on.
    pub model_hash: String,
    /// What it was trained on (files, split, rows).
    pub trained_on: String,
    /// The L2 penalty chosen by cross-validation, and its CV macro-F1
    /// (for a fine-tuned head: its held-out macro-F1, when rows were held
    /// out).
    pub l2: f64,
    pub cv_macro_f1: Option<f64>,
    /// `[class][feature]`.
    pub weights: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
    /// blake3 of the adapter file whose vectors the head reads instead of
    /// the general embedding (see [`crate::embed::adapter`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adapter: Option<String>,
}

impl Head {
    /// Class probabilities for one feature vector.
    pub fn probs(&self, x: &[f32]) -> Vec<f32> {
        let logits: Vec<f32> = self
            .weights
            .iter()
            .zip(&self.bias)
            .map(|(w, b)| b + w.iter().zip(x).map(|(a, c)| a * c).sum::<f32>())
            .collect();
        softmax(&logits)
    }

    /// Feature width the head expects.
    pub fn width(&self) -> usize {
        self.weights.first().map_or(0, Vec::len)
    }

    pub fn parse(json: &str) -> Result<Head> {
        let h: Head =
            serde_json::from_str(json).map_err(|e| Error::Invalid(format!("head: {e}")))?;
        if h.weights.len() != h.labels.len()
            || h.bias.len() != h.labels.len()
            || h.weights.iter().any(|w| w.len() != h.width())
        {
            return Err(Error::Invalid(format!(
                "head {}: weights do not match its {} labels",
                h.dimension,
                h.labels.len()
            )));
        }
        Ok(h)
    }
}

/// Softmax of `logits`.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = exp.iter().sum();
    exp.into_iter().map(|e| e / sum).collect()
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f64,
    /// L2 penalties tried by cross-validation.
    pub l2_grid: Vec<f64>,
    pub folds: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 250,
            learning_rate: 0.05,
            l2_grid: vec![1e-4, 1e-3, 1e-2],
            folds: 5,
        }
    }
}

/// Fit weights and bias for `k` classes on rows `x` with labels `y` from
/// data sources `group` (L2 penalty `l2`). Rows are weighted so that every
/// class, and every source, carries the same total weight: a small
/// in-domain set is not drowned by a large public one.
pub fn fit(
    x: &[Vec<f32>],
    y: &[usize],
    group: &[usize],
    k: usize,
    l2: f64,
    opts: &TrainOptions,
) -> Result<(Vec<Vec<f32>>, Vec<f32>)> {
    fit_inner(x, y, group, k, l2, opts).map_err(|e| Error::Invalid(format!("training a head: {e}")))
}

/// Per-row weights, mean 1: balanced over classes and over groups.
pub fn row_weights(y: &[usize], group: &[usize]) -> Vec<f32> {
    let share = |v: &[usize]| {
        let mut counts = std::collections::BTreeMap::new();
        for &c in v {
            *counts.entry(c).or_insert(0usize) += 1;
        }
        let n = v.len() as f32;
        let present = counts.len() as f32;
        v.iter()
            .map(|c| n / (present * counts[c] as f32))
            .collect::<Vec<f32>>()
    };
    let w: Vec<f32> = share(y)
        .into_iter()
        .zip(share(group))
        .map(|(a, b)| a * b)
        .collect();
    let mean = w.iter().sum::<f32>() / w.len().max(1) as f32;
    w.into_iter().map(|x| x / mean).collect()
}

fn fit_inner(
    x: &[Vec<f32>],
    y: &[usize],
    group: &[usize],
    k: usize,
    l2: f64,
    opts: &TrainOptions,
) -> candle_core::Result<(Vec<Vec<f32>>, Vec<f32>)> {
    let dev = Device::Cpu;
    let n = x.len();
    let d = x.first().map_or(0, Vec::len);
    let flat: Vec<f32> = x.iter().flatten().copied().collect();
    let xt = Tensor::from_vec(flat, (n, d), &dev)?;
    let row_w = row_weights(y, group);
    let wt = Tensor::from_vec(row_w, (n,), &dev)?;
    let yt = Tensor::from_vec(
        y.iter().map(|&c| c as u32).collect::<Vec<_>>(),
        (n, 1),
        &dev,
    )?;
    let w = Var::zeros((d, k), DType::F32, &dev)?;
    let b = Var::zeros((k,), DType::F32, &dev)?;
    let mut opt = AdamW::new(
        vec![w.clone(), b.clone()],
        ParamsAdamW {
            lr: opts.learning_rate,
            weight_decay: 0.0,
            ..Default::default()
        },
    )?;
    for _ in 0..opts.epochs {
        let logits = xt.matmul(w.as_tensor())?.broadcast_add(b.as_tensor())?;
        let logp = candle_nn::ops::log_softmax(&logits, D::Minus1)?;
        let picked = logp.gather(&yt, 1)?.squeeze(1)?;
        let nll = (picked * &wt)?
            .sum_all()?
            .neg()?
            .affine(1.0 / n as f64, 0.0)?;
        let penalty = w.as_tensor().sqr()?.sum_all()?.affine(l2, 0.0)?;
        let loss = (nll + penalty)?;
        opt.backward_step(&loss)?;
    }
    let weights = w.as_tensor().t()?.to_vec2::<f32>()?;
    let bias = b.as_tensor().to_vec1::<f32>()?;
    Ok((weights, bias))
}

/// Macro-F1 of `pred` against `gold` over `k` classes (classes absent from
/// both are left out).
pub fn macro_f1(gold: &[usize], pred: &[usize], k: usize) -> f64 {
    let mut f1s = Vec::new();
    for c in 0..k {
        let tp = gold
            .iter()
            .zip(pred)
            .filter(|(g, p)| **g == c && **p == c)
            .count() as f64;
        let fp = gold
            .iter()
            .zip(pred)
            .filter(|(g, p)| **g != c && **p == c)
            .count() as f64;
        let fn_ = gold
            .iter()
            .zip(pred)
            .filter(|(g, p)| **g == c && **p != c)
            .count() as f64;
        if tp + fp + fn_ == 0.0 {
            continue;
        }
        f1s.push(2.0 * tp / (2.0 * tp + fp + fn_));
    }
    if f1s.is_empty() {
        0.0
    } else {
        f1s.iter().sum::<f64>() / f1s.len() as f64
    }
}

/// The index and value of the largest probability (the first on ties).
pub fn best(p: &[f32]) -> (usize, f32) {
    p.iter().enumerate().fold(
        (0, f32::NEG_INFINITY),
        |b, (i, &v)| if v > b.1 { (i, v) } else { b },
    )
}

/// A trained head's parameters and how they were chosen.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub weights: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
    /// The L2 penalty chosen.
    pub l2: f64,
    /// Its cross-validated macro-F1.
    pub cv_macro_f1: f64,
}

/// Choose the L2 penalty by k-fold cross-validation (rows dealt to folds
/// round-robin, so the folds are fixed), then fit on all rows. Returns the
/// weights, bias, penalty and its CV macro-F1.
pub fn train(
    x: &[Vec<f32>],
    y: &[usize],
    group: &[usize],
    k: usize,
    opts: &TrainOptions,
) -> Result<Fitted> {
    if x.len() < opts.folds * 2 {
        return Err(Error::Invalid(format!(
            "training a head: {} rows are too few",
            x.len()
        )));
    }
    let mut chosen = (f64::NEG_INFINITY, opts.l2_grid[0]);
    for &l2 in &opts.l2_grid {
        let mut pred = vec![0usize; x.len()];
        for f in 0..opts.folds {
            let (tr, te): (Vec<usize>, Vec<usize>) =
                (0..x.len()).partition(|i| i % opts.folds != f);
            let xs: Vec<Vec<f32>> = tr.iter().map(|&i| x[i].clone()).collect();
            let ys: Vec<usize> = tr.iter().map(|&i| y[i]).collect();
            let gs: Vec<usize> = tr.iter().map(|&i| group[i]).collect();
            let (w, b) = fit(&xs, &ys, &gs, k, l2, opts)?;
            let head = Head {
                dimension: String::new(),
                labels: vec![String::new(); k],
                model_hash: String::new(),
                trained_on: String::new(),
                l2,
                cv_macro_f1: None,
                weights: w,
                bias: b,
                adapter: None,
            };
            for &i in &te {
                pred[i] = best(&head.probs(&x[i])).0;
            }
        }
        let f1 = macro_f1(y, &pred, k);
        if f1 > chosen.0 {
            chosen = (f1, l2);
        }
    }
    let (weights, bias) = fit(x, y, group, k, chosen.1, opts)?;
    Ok(Fitted {
        weights,
        bias,
        l2: chosen.1,
        cv_macro_f1: chosen.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_separable_problem_is_learned_and_scored_by_hand() {
        // Two features; class = which one is larger.
        let x: Vec<Vec<f32>> = (0..40)
            .map(|i| {
                let a = (i % 7) as f32 / 7.0;
                if i % 2 == 0 {
                    vec![a + 0.5, a]
                } else {
                    vec![a, a + 0.5]
                }
            })
            .collect();
        let y: Vec<usize> = (0..40).map(|i| i % 2).collect();
        let f = train(&x, &y, &vec![0; 40], 2, &TrainOptions::default()).unwrap();
        let cv = f.cv_macro_f1;
        assert!(cv > 0.95, "cv macro-F1 {cv}");
        let head = Head {
            dimension: "t".into(),
            labels: vec!["a".into(), "b".into()],
            model_hash: String::new(),
            trained_on: String::new(),
            l2: 0.0,
            cv_macro_f1: Some(cv),
            weights: f.weights,
            bias: f.bias,
            adapter: None,
        };
        assert!(head.probs(&[1.0, 0.2])[0] > 0.8);
        assert!(head.probs(&[0.2, 1.0])[1] > 0.8);
        // Macro-F1 by hand: class 0 P=1/2 R=1 F1=2/3; class 1 P=1 R=1/2 F1=2/3.
        let f = macro_f1(&[0, 1, 1], &[0, 0, 1], 2);
        assert!((f - 2.0 / 3.0).abs() < 1e-12);
        // Weights by hand: classes [0, 0, 0, 1] from groups [0, 1, 1, 1].
        // Class shares 4/(2·3), 4/(2·1); group shares 4/(2·1), 4/(2·3).
        // Products 4/3, 4/9, 4/9, 4/3; mean 8/9; so 1.5, 0.5, 0.5, 1.5.
        let w = row_weights(&[0, 0, 0, 1], &[0, 1, 1, 1]);
        for (got, want) in w.iter().zip([1.5, 0.5, 0.5, 1.5]) {
            assert!((got - want).abs() < 1e-6, "{w:?}");
        }
    }
}
