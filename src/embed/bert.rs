//! The BERT encoder behind the sentence embeddings, written out so that
//! its top layers can run a second time with a low-rank adapter (see
//! [`super::adapter`]) and so that training can reach each layer.
//!
//! Same arithmetic as the reference implementation (post-LayerNorm BERT,
//! exact-erf GELU, absolute positions, token type 0). Built from composed
//! tensor ops only, so every step also has a backward pass for training.

use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::VarBuilder;
use serde::Deserialize;

/// The fields of a model's `config.json` the encoder needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "two")]
    pub type_vocab_size: usize,
    #[serde(default = "eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "gelu")]
    pub hidden_act: String,
}

fn two() -> usize {
    2
}
fn eps() -> f64 {
    1e-12
}
fn gelu() -> String {
    "gelu".into()
}

/// The six weight matrices of a layer, in adapter order.
pub const LINEARS: [&str; 6] = ["query", "key", "value", "attn_out", "inter", "out"];

/// A low-rank update `scale · B·A` to one weight matrix.
#[derive(Debug, Clone)]
pub struct Lora {
    /// rank × in.
    pub a: Tensor,
    /// out × rank.
    pub b: Tensor,
    pub scale: f64,
}

/// A dense layer's weights.
#[derive(Debug, Clone)]
pub struct Linear {
    w: Tensor,
    b: Tensor,
}

impl Linear {
    /// `x·Wᵀ + b`, plus the adapter's update when given.
    pub fn forward(&self, x: &Tensor, lora: Option<&Lora>) -> Result<Tensor> {
        let y = x.broadcast_matmul(&self.w.t()?)?.broadcast_add(&self.b)?;
        match lora {
            Some(l) => y + (x.broadcast_matmul(&l.a.t()?)?.broadcast_matmul(&l.b.t()?)? * l.scale)?,
            None => Ok(y),
        }
    }

    /// (out, in).
    pub fn shape(&self) -> (usize, usize) {
        let d = self.w.dims();
        (d[0], d[1])
    }
}

#[derive(Debug, Clone)]
struct LayerNorm {
    w: Tensor,
    b: Tensor,
    eps: f64,
}

impl Module for LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let xc = x.broadcast_sub(&mean)?;
        let var = xc.sqr()?.mean_keepdim(D::Minus1)?;
        xc.broadcast_div(&(var + self.eps)?.sqrt()?)?
            .broadcast_mul(&self.w)?
            .broadcast_add(&self.b)
    }
}

/// One transformer layer.
#[derive(Debug, Clone)]
pub struct Layer {
    /// In [`LINEARS`] order.
    linears: [Linear; 6],
    ln_attn: LayerNorm,
    ln_out: LayerNorm,
    heads: usize,
}

impl Layer {
    pub fn linears(&self) -> &[Linear; 6] {
        &self.linears
    }

    /// `x`: (batch, tokens, hidden); `mask`: additive, (batch, 1, 1, tokens).
    /// `loras`, when given, adapts the six matrices in [`LINEARS`] order.
    pub fn forward(&self, x: &Tensor, mask: &Tensor, loras: Option<&[Lora]>) -> Result<Tensor> {
        let (b, t, h) = x.dims3()?;
        let lin = |i: usize, x: &Tensor| self.linears[i].forward(x, loras.map(|l| &l[i]));
        let heads = |y: Tensor| {
            y.reshape((b, t, self.heads, h / self.heads))?
                .transpose(1, 2)
        };
        let q = heads(lin(0, x)?)?.contiguous()?;
        let k = heads(lin(1, x)?)?.contiguous()?;
        let v = heads(lin(2, x)?)?.contiguous()?;
        let scores =
            (q.matmul(&k.t()?)? / ((h / self.heads) as f64).sqrt())?.broadcast_add(mask)?;
        let max = scores.max_keepdim(D::Minus1)?.detach();
        let e = scores.broadcast_sub(&max)?.exp()?;
        let attn = e.broadcast_div(&e.sum_keepdim(D::Minus1)?)?;
        let ctx = attn.matmul(&v)?.transpose(1, 2)?.reshape((b, t, h))?;
        let x = self.ln_attn.forward(&(lin(3, &ctx)? + x)?)?;
        let f = lin(4, &x)?.gelu_erf()?;
        self.ln_out.forward(&(lin(5, &f)? + x)?)
    }
}

/// The encoder: token embeddings and the transformer layers.
#[derive(Debug, Clone)]
pub struct Bert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    ln: LayerNorm,
    layers: Vec<Layer>,
    hidden: usize,
}

impl Bert {
    pub fn load(vb: &VarBuilder, c: &Config) -> Result<Bert> {
        if c.hidden_act != "gelu" {
            candle_core::bail!("hidden_act {:?} is not supported (gelu only)", c.hidden_act);
        }
        let h = c.hidden_size;
        let ln = |p: &str| -> Result<LayerNorm> {
            Ok(LayerNorm {
                w: vb.get(h, &format!("{p}.weight"))?,
                b: vb.get(h, &format!("{p}.bias"))?,
                eps: c.layer_norm_eps,
            })
        };
        let lin = |p: &str, out: usize, inp: usize| -> Result<Linear> {
            Ok(Linear {
                w: vb.get((out, inp), &format!("{p}.weight"))?,
                b: vb.get(out, &format!("{p}.bias"))?,
            })
        };
        let mut layers = Vec::with_capacity(c.num_hidden_layers);
        for i in 0..c.num_hidden_layers {
            let p = format!("encoder.layer.{i}");
            let m = c.intermediate_size;
            layers.push(Layer {
                linears: [
                    lin(&format!("{p}.attention.self.query"), h, h)?,
                    lin(&format!("{p}.attention.self.key"), h, h)?,
                    lin(&format!("{p}.attention.self.value"), h, h)?,
                    lin(&format!("{p}.attention.output.dense"), h, h)?,
                    lin(&format!("{p}.intermediate.dense"), m, h)?,
                    lin(&format!("{p}.output.dense"), h, m)?,
                ],
                ln_attn: ln(&format!("{p}.attention.output.LayerNorm"))?,
                ln_out: ln(&format!("{p}.output.LayerNorm"))?,
                heads: c.num_attention_heads,
            });
        }
        Ok(Bert {
            word: vb.get((c.vocab_size, h), "embeddings.word_embeddings.weight")?,
            position: vb.get(
                (c.max_position_embeddings, h),
                "embeddings.position_embeddings.weight",
            )?,
            token_type: vb.get(
                (c.type_vocab_size, h),
                "embeddings.token_type_embeddings.weight",
            )?,
            ln: ln("embeddings.LayerNorm")?,
            layers,
            hidden: h,
        })
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// Token states entering layer 0, for token ids of shape (batch, tokens).
    pub fn embeddings(&self, ids: &Tensor) -> Result<Tensor> {
        let (b, t) = ids.dims2()?;
        let words = self
            .word
            .index_select(&ids.flatten_all()?, 0)?
            .reshape((b, t, self.hidden))?;
        let x = words
            .broadcast_add(&self.position.narrow(0, 0, t)?)?
            .broadcast_add(&self.token_type.get(0)?)?;
        self.ln.forward(&x)
    }

    /// Run layers `from..to` on `x`, unadapted.
    pub fn layers_from_to(
        &self,
        mut x: Tensor,
        mask: &Tensor,
        from: usize,
        to: usize,
    ) -> Result<Tensor> {
        for layer in &self.layers[from..to] {
            x = layer.forward(&x, mask, None)?;
        }
        Ok(x)
    }

    /// Run layers `from..` on `x`; `loras[i]` adapts layer `from + i` when
    /// present.
    pub fn layers_from(
        &self,
        mut x: Tensor,
        mask: &Tensor,
        from: usize,
        loras: &[Vec<Lora>],
    ) -> Result<Tensor> {
        for (i, layer) in self.layers[from..].iter().enumerate() {
            x = layer.forward(&x, mask, loras.get(i).map(Vec::as_slice))?;
        }
        Ok(x)
    }
}

/// The additive attention mask for a (batch, tokens) 0/1 mask: 0 where a
/// token is real, a large negative number on padding.
pub fn attention_mask(mask: &Tensor) -> Result<Tensor> {
    let m = mask.to_dtype(DType::F32)?;
    ((m.ones_like()? - m)? * -1e9)?.unsqueeze(1)?.unsqueeze(1)
}

/// Mean of the real tokens' states, scaled to unit length: (batch, hidden).
pub fn mean_pool(states: &Tensor, mask: &Tensor) -> Result<Tensor> {
    let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let mean = states
        .broadcast_mul(&m)?
        .sum(1)?
        .broadcast_div(&m.sum(1)?)?;
    let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f32::MAX)?;
    mean.broadcast_div(&norm)
}

/// A (batch, tokens) id tensor and its 0/1 mask from token id lists,
/// padded with 0 to the longest.
pub fn pad_ids(ids: &[&[u32]], device: &Device) -> Result<(Tensor, Tensor)> {
    let t = ids.iter().map(|i| i.len()).max().unwrap_or(0);
    let mut flat = Vec::with_capacity(ids.len() * t);
    let mut mask = Vec::with_capacity(ids.len() * t);
    for i in ids {
        flat.extend_from_slice(i);
        flat.extend(std::iter::repeat_n(0, t - i.len()));
        mask.extend(std::iter::repeat_n(1u32, i.len()));
        mask.extend(std::iter::repeat_n(0u32, t - i.len()));
    }
    Ok((
        Tensor::from_vec(flat, (ids.len(), t), device)?,
        Tensor::from_vec(mask, (ids.len(), t), device)?,
    ))
}
