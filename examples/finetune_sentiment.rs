//! Experiment: fine-tune the top layers of all-MiniLM-L6-v2 for sentiment
//! and compare with the shipped logistic-regression head on the frozen
//! embedding (docs/QUALITY.md, "Fine-tuning the encoder"). Not part of the
//! engine: nothing here is shipped or read at run time.
//!
//! Data: the dev rows only (gold `split=dev`, TweetEval val, Amazon odd
//! Ids; run `models/fetch` and `python3 models/gold/prepare_shared.py`
//! first). Every fifth row of each source is held out and scored after
//! each epoch; the rest train. Test rows are never read.
//!
//! ```sh
//! cargo run --release --example finetune_sentiment -- LAYERS EPOCHS LR
//! cargo run --release --example finetune_sentiment -- 3 4 5e-5
//! ```
//!
//! Prints macro-F1 on the held-out gold, TweetEval and Amazon rows.
use cairn::classify::head::{macro_f1, row_weights};
use cairn::eval::gold::{read_gold, GoldSpec};
use cairn::eval::predict::snippet;
use cairn::model::SourceKind;
use cairn::stats::SplitMix64;
use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW, VarBuilder};
use tokenizers::{Tokenizer, TruncationParams};

type R<T> = candle_core::Result<T>;
const H: usize = 384;
const NH: usize = 12;

struct Lin {
    w: Tensor,
    b: Tensor,
}
impl Lin {
    fn fwd(&self, x: &Tensor) -> R<Tensor> {
        x.broadcast_matmul(&self.w.t()?)?.broadcast_add(&self.b)
    }
}
struct Ln {
    w: Tensor,
    b: Tensor,
}
impl Ln {
    fn fwd(&self, x: &Tensor) -> R<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let xc = x.broadcast_sub(&mean)?;
        let var = xc.sqr()?.mean_keepdim(D::Minus1)?;
        xc.broadcast_div(&(var + 1e-12)?.sqrt()?)?
            .broadcast_mul(&self.w)?
            .broadcast_add(&self.b)
    }
}
struct Layer {
    q: Lin,
    k: Lin,
    v: Lin,
    o: Lin,
    ln1: Ln,
    i: Lin,
    out: Lin,
    ln2: Ln,
}
impl Layer {
    fn fwd(&self, x: &Tensor, mask: &Tensor) -> R<Tensor> {
        let (b, t, _) = x.dims3()?;
        let split = |y: Tensor| -> R<Tensor> {
            y.reshape((b, t, NH, H / NH))?.transpose(1, 2)?.contiguous()
        };
        let q = split(self.q.fwd(x)?)?;
        let k = split(self.k.fwd(x)?)?;
        let v = split(self.v.fwd(x)?)?;
        let s = (q.matmul(&k.t()?)? / ((H / NH) as f64).sqrt())?.broadcast_add(mask)?;
        let m = s.max_keepdim(D::Minus1)?.detach();
        let e = s.broadcast_sub(&m)?.exp()?;
        let a = e.broadcast_div(&e.sum_keepdim(D::Minus1)?)?;
        let ctx = a.matmul(&v)?.transpose(1, 2)?.reshape((b, t, H))?;
        let h = self.ln1.fwd(&(self.o.fwd(&ctx)? + x)?)?;
        let f = self.i.fwd(&h)?.gelu_erf()?;
        self.ln2.fwd(&(self.out.fwd(&f)? + h)?)
    }
}
fn load_layer(vb: &VarBuilder, i: usize, train: bool, vars: &mut Vec<Var>) -> R<Layer> {
    let p = format!("encoder.layer.{i}.");
    let mut get = |n: &str, shape: &[usize]| -> R<Tensor> {
        let t = vb.get(shape, &format!("{p}{n}"))?;
        if train {
            let v = Var::from_tensor(&t)?;
            let tt = v.as_tensor().clone();
            vars.push(v);
            Ok(tt)
        } else {
            Ok(t)
        }
    };
    let lin =
        |get: &mut dyn FnMut(&str, &[usize]) -> R<Tensor>, n: &str, o: usize, i: usize| -> R<Lin> {
            Ok(Lin {
                w: get(&format!("{n}.weight"), &[o, i])?,
                b: get(&format!("{n}.bias"), &[o])?,
            })
        };
    let ln = |get: &mut dyn FnMut(&str, &[usize]) -> R<Tensor>, n: &str| -> R<Ln> {
        Ok(Ln {
            w: get(&format!("{n}.weight"), &[H])?,
            b: get(&format!("{n}.bias"), &[H])?,
        })
    };
    Ok(Layer {
        q: lin(&mut get, "attention.self.query", H, H)?,
        k: lin(&mut get, "attention.self.key", H, H)?,
        v: lin(&mut get, "attention.self.value", H, H)?,
        o: lin(&mut get, "attention.output.dense", H, H)?,
        ln1: ln(&mut get, "attention.output.LayerNorm")?,
        i: lin(&mut get, "intermediate.dense", 4 * H, H)?,
        out: lin(&mut get, "output.dense", H, 4 * H)?,
        ln2: ln(&mut get, "output.LayerNorm")?,
    })
}

/// One labeled dev text: token ids, label, source, held out or not, and
/// the lexicon engine's answer (one-hot label and score) as extra features.
struct Row {
    ids: Vec<u32>,
    y: usize,
    g: usize,
    hold: bool,
    lex: [f32; 4],
}

/// Pads token states to one batch: (states, mask, additive attention mask).
fn pad(states: &[&Tensor]) -> R<(Tensor, Tensor, Tensor)> {
    let t = states.iter().map(|s| s.dim(0).unwrap()).max().unwrap();
    let dev = Device::Cpu;
    let mut xs = Vec::new();
    let mut ms = Vec::new();
    for s in states {
        let n = s.dim(0)?;
        let x = if n < t {
            Tensor::cat(&[*s, &Tensor::zeros((t - n, H), DType::F32, &dev)?], 0)?
        } else {
            (*s).clone()
        };
        xs.push(x);
        let mut m = vec![1f32; n];
        m.extend(vec![0f32; t - n]);
        ms.push(Tensor::new(m, &dev)?);
    }
    let x = Tensor::stack(&xs, 0)?;
    let m = Tensor::stack(&ms, 0)?; // (B,T)
    let add = ((m.ones_like()? - &m)? * -1e9)?
        .unsqueeze(1)?
        .unsqueeze(1)?;
    Ok((x, m, add))
}

fn main() -> R<()> {
    let a: Vec<String> = std::env::args().collect();
    let trainable: usize = a.get(1).map_or(2, |s| s.parse().unwrap());
    let epochs: usize = a.get(2).map_or(3, |s| s.parse().unwrap());
    let lr: f64 = a.get(3).map_or(5e-5, |s| s.parse().unwrap());
    let limit_amazon: usize = a.get(4).map_or(2500, |s| s.parse().unwrap());
    let dev = Device::Cpu;
    let dir = std::path::Path::new(".cairn/models/all-MiniLM-L6-v2");
    let w = std::fs::read(dir.join("model.safetensors")).unwrap();
    let vb = VarBuilder::from_buffered_safetensors(w, DType::F32, &dev)?;
    let mut tok = Tokenizer::from_file(dir.join("tokenizer.json")).unwrap();
    tok.with_truncation(Some(TruncationParams {
        max_length: 256,
        ..Default::default()
    }))
    .unwrap();
    tok.with_padding(None);
    let word = vb.get((30522, H), "embeddings.word_embeddings.weight")?;
    let pos = vb.get((512, H), "embeddings.position_embeddings.weight")?;
    let typ = vb.get((2, H), "embeddings.token_type_embeddings.weight")?;
    let eln = Ln {
        w: vb.get(H, "embeddings.LayerNorm.weight")?,
        b: vb.get(H, "embeddings.LayerNorm.bias")?,
    };
    let mut vars = Vec::new();
    let layers: Vec<Layer> = (0..6)
        .map(|i| load_layer(&vb, i, i >= 6 - trainable, &mut vars))
        .collect::<R<_>>()?;
    let head_w = Var::zeros((3, H + 4), DType::F32, &dev)?;
    let head_b = Var::zeros(3, DType::F32, &dev)?;

    // data
    let sets = [
        ("models/gold/gold.csv", "sentiment", "split=dev"),
        (".cairn/gold/tweeteval_dev.csv", "label", ""),
        (".cairn/gold/amazon_dev.csv", "label", ""),
    ];
    let labels = ["negative", "neutral", "positive"];
    let mut rows = Vec::new();
    let cb = cairn::classify::Codebook::embedded();
    let lexe = cairn::classify::LexiconEngine::new(
        &cb,
        cairn::classify::sentiment::SentimentLexicon::embedded(),
    );
    use cairn::classify::Classifier;
    for (g, (p, col, f)) in sets.iter().enumerate() {
        let spec = GoldSpec {
            text_col: "text".into(),
            label_col: Some(col.to_string()),
            score_col: None,
            filters: if f.is_empty() {
                vec![]
            } else {
                let (k, v) = f.split_once('=').unwrap();
                vec![(k.into(), v.into())]
            },
        };
        let gr = read_gold(std::path::Path::new(p), &spec).unwrap().rows;
        for (i, r) in gr.iter().enumerate() {
            if g == 2 && i >= limit_amazon {
                break;
            }
            let s = snippet(&r.text, SourceKind::Review, "t", i as u64 + 1);
            let enc = tok.encode(s.text.as_str(), true).unwrap();
            let y = labels
                .iter()
                .position(|l| l.eq_ignore_ascii_case(r.label.as_deref().unwrap().trim()))
                .unwrap();
            let t = lexe.classify(&s);
            let li = labels
                .iter()
                .position(|l| *l == t.sentiment.label.as_str())
                .unwrap();
            let mut lex = [0f32; 4];
            lex[li] = 1.0;
            lex[3] = t.sentiment.score as f32;
            rows.push(Row {
                ids: enc.get_ids().to_vec(),
                y,
                g,
                hold: i % 5 == 0,
                lex,
            });
        }
    }
    eprintln!("{} rows", rows.len());
    // frozen part
    let t0 = std::time::Instant::now();
    let frozen = 6 - trainable;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| rows[i].ids.len());
    let mut states: Vec<Option<Tensor>> = vec![None; rows.len()];
    for chunk in order.chunks(32) {
        let t = chunk.iter().map(|&i| rows[i].ids.len()).max().unwrap();
        let mut emb = Vec::new();
        let mut ms = Vec::new();
        for &i in chunk {
            let n = rows[i].ids.len();
            let ids = Tensor::new(rows[i].ids.as_slice(), &dev)?;
            let e = (word.index_select(&ids, 0)? + pos.narrow(0, 0, n)?)?
                .broadcast_add(&typ.get(0)?)?;
            let e = eln.fwd(&e)?;
            let e = if n < t {
                Tensor::cat(&[&e, &Tensor::zeros((t - n, H), DType::F32, &dev)?], 0)?
            } else {
                e
            };
            emb.push(e);
            let mut m = vec![1f32; n];
            m.extend(vec![0f32; t - n]);
            ms.push(Tensor::new(m, &dev)?);
        }
        let mut x = Tensor::stack(&emb, 0)?;
        let m = Tensor::stack(&ms, 0)?;
        let add = ((m.ones_like()? - &m)? * -1e9)?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        for l in &layers[..frozen] {
            x = l.fwd(&x, &add)?;
        }
        for (j, &i) in chunk.iter().enumerate() {
            states[i] = Some(x.get(j)?.narrow(0, 0, rows[i].ids.len())?.contiguous()?);
        }
    }
    eprintln!("frozen part {:.1}s", t0.elapsed().as_secs_f64());
    let states: Vec<Tensor> = states.into_iter().map(|s| s.unwrap()).collect();
    let train: Vec<usize> = (0..rows.len()).filter(|&i| !rows[i].hold).collect();
    let hold: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].hold).collect();
    let ty: Vec<usize> = train.iter().map(|&i| rows[i].y).collect();
    let tg: Vec<usize> = train.iter().map(|&i| rows[i].g).collect();
    let rw = row_weights(&ty, &tg);
    let mut wmap = vec![0f32; rows.len()];
    for (k, &i) in train.iter().enumerate() {
        wmap[i] = rw[k];
    }
    let mut opt_l = AdamW::new(
        vars.clone(),
        ParamsAdamW {
            lr,
            weight_decay: 0.01,
            ..Default::default()
        },
    )?;
    let mut opt_h = AdamW::new(
        vec![head_w.clone(), head_b.clone()],
        ParamsAdamW {
            lr: 1e-3,
            weight_decay: 0.0,
            ..Default::default()
        },
    )?;
    let fwd = |idx: &[usize]| -> R<Tensor> {
        let st: Vec<&Tensor> = idx.iter().map(|&i| &states[i]).collect();
        let (mut x, m, add) = pad(&st)?;
        for l in &layers[frozen..] {
            x = l.fwd(&x, &add)?;
        }
        let m3 = m.unsqueeze(2)?;
        let pooled = x.broadcast_mul(&m3)?.sum(1)?.broadcast_div(&m3.sum(1)?)?;
        let norm = pooled.sqr()?.sum_keepdim(1)?.sqrt()?;
        let pooled = (pooled.broadcast_div(&norm)? * 10.0)?;
        let lx: Vec<f32> = idx.iter().flat_map(|&i| rows[i].lex).collect();
        let lx = Tensor::from_vec(lx, (idx.len(), 4), &Device::Cpu)?;
        let pooled = Tensor::cat(&[&pooled, &lx], 1)?;
        pooled
            .matmul(&head_w.as_tensor().t()?)?
            .broadcast_add(head_b.as_tensor())
    };
    let evaluate = |tag: &str| -> R<()> {
        let mut sorted = hold.clone();
        sorted.sort_by_key(|&i| rows[i].ids.len());
        let mut pred = vec![0usize; rows.len()];
        for c in sorted.chunks(32) {
            let lg = fwd(c)?.argmax(D::Minus1)?.to_vec1::<u32>()?;
            for (j, &i) in c.iter().enumerate() {
                pred[i] = lg[j] as usize;
            }
        }
        let mut out = format!("{tag}:");
        for g in 0..3 {
            let ix: Vec<usize> = hold.iter().copied().filter(|&i| rows[i].g == g).collect();
            let gy: Vec<usize> = ix.iter().map(|&i| rows[i].y).collect();
            let py: Vec<usize> = ix.iter().map(|&i| pred[i]).collect();
            out += &format!(" {:.3}", macro_f1(&gy, &py, 3));
        }
        eprintln!("{out}");
        Ok(())
    };
    let mut rng = SplitMix64::new(7);
    let mut sorted = train.clone();
    sorted.sort_by_key(|&i| rows[i].ids.len());
    let mut batches: Vec<Vec<usize>> = sorted.chunks(16).map(|c| c.to_vec()).collect();
    for ep in 0..epochs {
        for i in (1..batches.len()).rev() {
            let j = rng.below(i + 1);
            batches.swap(i, j);
        }
        let t1 = std::time::Instant::now();
        for (bi, b) in batches.iter().enumerate() {
            let logits = fwd(b)?;
            let y = Tensor::new(
                b.iter().map(|&i| rows[i].y as u32).collect::<Vec<_>>(),
                &dev,
            )?
            .unsqueeze(1)?;
            let w = Tensor::new(b.iter().map(|&i| wmap[i]).collect::<Vec<_>>(), &dev)?;
            let lp = candle_nn::ops::log_softmax(&logits, D::Minus1)?
                .gather(&y, 1)?
                .squeeze(1)?;
            let loss = ((lp * &w)?.sum_all()?.neg()? / b.len() as f64)?;
            let grads = loss.backward()?;
            opt_l.step(&grads)?;
            opt_h.step(&grads)?;
            if bi % 50 == 0 {
                eprintln!(
                    "ep {ep} batch {bi}/{} {:.0}s",
                    batches.len(),
                    t1.elapsed().as_secs_f64()
                );
            }
        }
        evaluate(&format!("epoch {ep}"))?;
    }
    Ok(())
}
