//! Fine-tuning the sentiment adapter: a low-rank update to the encoder's
//! top layers and a logistic head on the adapted vector and the lexicon's
//! answer, trained together (see [`crate::embed::adapter`]).
//!
//! The frozen embedding's head could not tell a plain review from a mild
//! one (docs/QUALITY.md); tuning the top layers could. The lower layers
//! stay frozen, so their token states are computed once; each epoch then
//! runs only the adapted top layers, forward and backward, in batches of
//! similar length, with learning rates that fall linearly to zero.
//! Everything random (the update's starting values, the batch order) comes
//! from one seed.

use crate::classify::head::{macro_f1, row_weights};
use crate::embed::bert::{attention_mask, mean_pool, pad_ids, Bert, Lora, LINEARS};
use crate::embed::{adapter, BATCH};
use crate::error::{Error, Result};
use crate::stats::SplitMix64;
use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};

/// Fine-tuning settings.
#[derive(Debug, Clone)]
pub struct TuneOptions {
    /// Adapted layers, counted from the top.
    pub layers: usize,
    /// Rank of each low-rank update.
    pub rank: usize,
    pub epochs: usize,
    /// Learning rate of the update, and of the head.
    pub learning_rate: f64,
    pub head_learning_rate: f64,
    /// Texts per training step.
    pub batch: usize,
    pub seed: u64,
    /// Weight of group 0 (the hand-labeled customer snippets) against each
    /// other source: 1 weighs every source equally.
    pub first_group_weight: f32,
}

impl Default for TuneOptions {
    /// The settings of the dev experiment in docs/QUALITY.md.
    fn default() -> Self {
        TuneOptions {
            layers: 3,
            rank: 8,
            epochs: 4,
            learning_rate: 5e-4,
            head_learning_rate: 1e-3,
            batch: 16,
            seed: 7,
            first_group_weight: 1.0,
        }
    }
}

/// One training text.
#[derive(Debug, Clone)]
pub struct TuneRow {
    /// Token ids, as [`crate::embed::Embedder::token_ids`] gives them.
    pub ids: Vec<u32>,
    /// The head's features after the vector (the lexicon's answer).
    pub extra: Vec<f32>,
    pub label: usize,
    /// Data source (sources and classes are weighted equally).
    pub group: usize,
    /// Held out: scored after each epoch, never trained on.
    pub held_out: bool,
}

/// What fine-tuning produced.
#[derive(Debug, Clone)]
pub struct Tuned {
    /// The first adapted layer.
    pub from: usize,
    pub loras: Vec<Vec<Lora>>,
    /// Head over [unit adapted vector, extra features]: `[class][feature]`.
    pub weights: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
    /// Per epoch, macro-F1 on the held-out rows of each group (`None` for
    /// a group with no rows; empty without held-out rows).
    pub held_out_f1: Vec<Vec<Option<f64>>>,
}

/// What [`tune`] reports as it goes (epochs count from 0).
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    Step {
        epoch: usize,
        step: usize,
        steps: usize,
    },
    /// An epoch ended: macro-F1 on each group's held-out rows.
    Epoch {
        epoch: usize,
        held_out_f1: &'a [Option<f64>],
    },
}

/// The head reads the unit vector scaled by this, so that it starts on
/// the same footing as the lexicon's 0/1 features; the factor is folded
/// into the written weights.
const VECTOR_SCALE: f64 = 10.0;

/// Fine-tune on `rows` (`classes` labels), telling `progress` how it goes.
pub fn tune(
    bert: &Bert,
    rows: &[TuneRow],
    classes: usize,
    opts: &TuneOptions,
    progress: &dyn Fn(Progress<'_>),
) -> Result<Tuned> {
    tune_inner(bert, rows, classes, opts, progress)
        .map_err(|e| Error::Invalid(format!("fine-tuning the sentiment adapter: {e}")))
}

fn tune_inner(
    bert: &Bert,
    rows: &[TuneRow],
    classes: usize,
    opts: &TuneOptions,
    progress: &dyn Fn(Progress<'_>),
) -> candle_core::Result<Tuned> {
    let dev = Device::Cpu;
    let n_layers = bert.layers().len();
    let from = n_layers - opts.layers.clamp(1, n_layers);
    let hidden = bert.hidden();
    let extra = rows.first().map_or(0, |r| r.extra.len());
    let mut rng = SplitMix64::new(opts.seed);

    // The low-rank updates: A small and random, B zero, so training starts
    // from the frozen model exactly.
    let mut vars = Vec::new();
    let mut loras = Vec::new();
    for layer in &bert.layers()[from..] {
        let mut per = Vec::with_capacity(LINEARS.len());
        for lin in layer.linears() {
            let (out, inp) = lin.shape();
            let bound = 1.0 / (inp as f64).sqrt();
            let a: Vec<f32> = (0..opts.rank * inp)
                .map(|_| ((rng.unit() * 2.0 - 1.0) * bound) as f32)
                .collect();
            let a = Var::from_tensor(&Tensor::from_vec(a, (opts.rank, inp), &dev)?)?;
            let b = Var::zeros((out, opts.rank), DType::F32, &dev)?;
            per.push(Lora {
                a: a.as_tensor().clone(),
                b: b.as_tensor().clone(),
                scale: adapter::SCALE,
            });
            vars.push(a);
            vars.push(b);
        }
        loras.push(per);
    }
    let head_w = Var::zeros((classes, hidden + extra), DType::F32, &dev)?;
    let head_b = Var::zeros(classes, DType::F32, &dev)?;

    // The frozen lower layers, once per text.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rows[i].ids.len(), i));
    let mut states: Vec<Option<Tensor>> = vec![None; rows.len()];
    for chunk in order.chunks(BATCH) {
        let ids: Vec<&[u32]> = chunk.iter().map(|&i| rows[i].ids.as_slice()).collect();
        let (ids, mask) = pad_ids(&ids, &dev)?;
        let x = bert.embeddings(&ids)?;
        let x = bert.layers_from_to(x, &attention_mask(&mask)?, 0, from)?;
        for (j, &i) in chunk.iter().enumerate() {
            states[i] = Some(x.get(j)?.narrow(0, 0, rows[i].ids.len())?.contiguous()?);
        }
    }
    let states: Vec<Tensor> = states.into_iter().flatten().collect();

    let forward = |idx: &[usize]| -> candle_core::Result<Tensor> {
        let t = idx.iter().map(|&i| rows[i].ids.len()).max().unwrap_or(0);
        let mut xs = Vec::with_capacity(idx.len());
        let mut mask = Vec::with_capacity(idx.len() * t);
        for &i in idx {
            let n = rows[i].ids.len();
            xs.push(states[i].pad_with_zeros(0, 0, t - n)?);
            mask.extend(std::iter::repeat_n(1u32, n));
            mask.extend(std::iter::repeat_n(0u32, t - n));
        }
        let mask = Tensor::from_vec(mask, (idx.len(), t), &dev)?;
        let x = bert.layers_from(
            Tensor::stack(&xs, 0)?,
            &attention_mask(&mask)?,
            from,
            &loras,
        )?;
        let pooled = (mean_pool(&x, &mask)? * VECTOR_SCALE)?;
        let ex: Vec<f32> = idx.iter().flat_map(|&i| rows[i].extra.clone()).collect();
        let ex = Tensor::from_vec(ex, (idx.len(), extra), &dev)?;
        Tensor::cat(&[&pooled, &ex], 1)?
            .matmul(&head_w.as_tensor().t()?)?
            .broadcast_add(head_b.as_tensor())
    };

    let train: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| !rows[i].held_out)
        .collect();
    let held: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| rows[i].held_out)
        .collect();
    let weights = {
        let y: Vec<usize> = train.iter().map(|&i| rows[i].label).collect();
        let g: Vec<usize> = train.iter().map(|&i| rows[i].group).collect();
        let mut w = vec![0f32; rows.len()];
        for (&i, x) in train.iter().zip(row_weights(&y, &g)) {
            w[i] = x * if rows[i].group == 0 {
                opts.first_group_weight
            } else {
                1.0
            };
        }
        let mean = w.iter().sum::<f32>() / train.len().max(1) as f32;
        w.iter()
            .map(|x| x / mean.max(f32::EPSILON))
            .collect::<Vec<f32>>()
    };
    let mut opt = AdamW::new(
        vars,
        ParamsAdamW {
            lr: opts.learning_rate,
            weight_decay: 0.01,
            ..Default::default()
        },
    )?;
    let mut opt_head = AdamW::new(
        vec![head_w.clone(), head_b.clone()],
        ParamsAdamW {
            lr: opts.head_learning_rate,
            weight_decay: 0.0,
            ..Default::default()
        },
    )?;
    let mut batches: Vec<Vec<usize>> = train
        .chunks(opts.batch.max(1))
        .map(<[usize]>::to_vec)
        .collect();
    let mut held_out_f1 = Vec::new();
    // Learning rates fall linearly to zero over the whole run, so the last
    // epoch settles instead of jumping.
    let total = (opts.epochs * batches.len()).max(1) as f64;
    let mut done = 0usize;
    for epoch in 0..opts.epochs {
        for i in (1..batches.len()).rev() {
            batches.swap(i, rng.below(i + 1));
        }
        for (step, b) in batches.iter().enumerate() {
            if step % 25 == 0 {
                progress(Progress::Step {
                    epoch,
                    step,
                    steps: batches.len(),
                });
            }
            let y: Vec<u32> = b.iter().map(|&i| rows[i].label as u32).collect();
            let y = Tensor::from_vec(y, (b.len(), 1), &dev)?;
            let w: Vec<f32> = b.iter().map(|&i| weights[i]).collect();
            let w = Tensor::from_vec(w, b.len(), &dev)?;
            let logp = candle_nn::ops::log_softmax(&forward(b)?, D::Minus1)?
                .gather(&y, 1)?
                .squeeze(1)?;
            let loss = ((logp * w)?.sum_all()?.neg()? / b.len() as f64)?;
            let grads = loss.backward()?;
            let left = 1.0 - done as f64 / total;
            opt.set_learning_rate(opts.learning_rate * left);
            opt_head.set_learning_rate(opts.head_learning_rate * left);
            opt.step(&grads)?;
            opt_head.step(&grads)?;
            done += 1;
        }
        if !held.is_empty() {
            let mut pred = vec![0usize; rows.len()];
            for c in held.chunks(BATCH) {
                let p = forward(c)?.argmax(D::Minus1)?.to_vec1::<u32>()?;
                for (&i, p) in c.iter().zip(p) {
                    pred[i] = p as usize;
                }
            }
            let groups = rows.iter().map(|r| r.group).max().map_or(0, |g| g + 1);
            let f1 = (0..groups)
                .map(|g| {
                    let ix: Vec<usize> = held
                        .iter()
                        .copied()
                        .filter(|&i| rows[i].group == g)
                        .collect();
                    let gold: Vec<usize> = ix.iter().map(|&i| rows[i].label).collect();
                    let p: Vec<usize> = ix.iter().map(|&i| pred[i]).collect();
                    (!ix.is_empty()).then(|| macro_f1(&gold, &p, classes))
                })
                .collect();
            held_out_f1.push(f1);
        }
        progress(Progress::Epoch {
            epoch,
            held_out_f1: held_out_f1.last().map_or(&[], Vec::as_slice),
        });
    }
    let mut weights = head_w.as_tensor().to_vec2::<f32>()?;
    for row in &mut weights {
        for w in &mut row[..hidden] {
            *w *= VECTOR_SCALE as f32;
        }
    }
    let loras = loras
        .into_iter()
        .map(|per| {
            per.into_iter()
                .map(|l| {
                    Ok(Lora {
                        a: l.a.detach().copy()?,
                        b: l.b.detach().copy()?,
                        scale: l.scale,
                    })
                })
                .collect::<candle_core::Result<Vec<_>>>()
        })
        .collect::<candle_core::Result<Vec<_>>>()?;
    Ok(Tuned {
        from,
        loras,
        weights,
        bias: head_b.as_tensor().to_vec1::<f32>()?,
        held_out_f1,
    })
}
