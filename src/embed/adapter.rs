//! A low-rank adapter (LoRA) on the encoder's top layers, fine-tuned for
//! one task (sentiment) by `cairn model train`.
//!
//! The frozen model gives the general embedding that search, clustering
//! and the other heads read; the adapter gives a second vector, from the
//! same lower layers and a second pass through the top ones with each
//! weight matrix `W` read as `W + scale·B·A`. It is a small safetensors
//! file (`sentiment.adapter.safetensors` beside its head), named by its
//! blake3 hash in the head that reads its vectors.

use super::bert::{Bert, Lora, LINEARS};
use crate::error::{Error, Result};
use candle_core::{Device, Tensor};
use std::collections::BTreeMap;
use std::path::Path;

/// Scale of the low-rank update (LoRA's alpha over rank).
pub const SCALE: f64 = 2.0;

/// The adapter's tensor name for matrix `linear` of layer `layer`.
fn name(layer: usize, linear: &str, part: &str) -> String {
    format!("layer.{layer}.{linear}.{part}")
}

/// A loaded adapter.
#[derive(Debug, Clone)]
pub struct Adapter {
    /// The first adapted layer; all layers above it are adapted.
    from: usize,
    /// Per adapted layer, one update per matrix in [`LINEARS`] order.
    loras: Vec<Vec<Lora>>,
    hash: String,
}

impl Adapter {
    /// Read an adapter for `bert` from safetensors bytes.
    pub fn from_bytes(bytes: &[u8], bert: &Bert) -> Result<Adapter> {
        let bad = |why: String| Error::Invalid(format!("sentiment adapter: {why}"));
        let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)
            .map_err(|e| bad(e.to_string()))?;
        let n = bert.layers().len();
        let from = (0..n)
            .find(|&l| tensors.contains_key(&name(l, LINEARS[0], "a")))
            .ok_or_else(|| bad("no adapted layer".into()))?;
        let mut loras = Vec::new();
        for l in from..n {
            let mut per = Vec::with_capacity(LINEARS.len());
            for (i, linear) in LINEARS.iter().enumerate() {
                let get = |part: &str| {
                    tensors
                        .get(&name(l, linear, part))
                        .cloned()
                        .ok_or_else(|| bad(format!("missing {}", name(l, linear, part))))
                };
                let (a, b) = (get("a")?, get("b")?);
                let (out, inp) = bert.layers()[l].linears()[i].shape();
                let (ra, ia) = a.dims2().map_err(|e| bad(e.to_string()))?;
                let (ob, rb) = b.dims2().map_err(|e| bad(e.to_string()))?;
                if ia != inp || ob != out || ra != rb {
                    return Err(bad(format!(
                        "{} does not fit the model's {out}×{inp} matrix",
                        name(l, linear, "a")
                    )));
                }
                per.push(Lora { a, b, scale: SCALE });
            }
            loras.push(per);
        }
        Ok(Adapter {
            from,
            loras,
            hash: blake3::hash(bytes).to_hex().to_string(),
        })
    }

    /// Read the adapter file at `path`.
    pub fn read(path: &Path, bert: &Bert) -> Result<Adapter> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Adapter::from_bytes(&bytes, bert)
    }

    /// Write `loras` (for layers `from..`) to `path`; returns the file's
    /// blake3 hash, hex.
    pub fn write(path: &Path, from: usize, loras: &[Vec<Lora>]) -> Result<String> {
        let mut tensors: BTreeMap<String, Tensor> = BTreeMap::new();
        for (i, per) in loras.iter().enumerate() {
            for (lora, linear) in per.iter().zip(LINEARS) {
                tensors.insert(name(from + i, linear, "a"), lora.a.clone());
                tensors.insert(name(from + i, linear, "b"), lora.b.clone());
            }
        }
        candle_core::safetensors::save(&tensors.into_iter().collect(), path)
            .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Ok(blake3::hash(&bytes).to_hex().to_string())
    }

    /// The first adapted layer.
    pub fn from(&self) -> usize {
        self.from
    }

    pub fn loras(&self) -> &[Vec<Lora>] {
        &self.loras
    }

    /// blake3 of the adapter file, hex.
    pub fn hash(&self) -> &str {
        &self.hash
    }
}
