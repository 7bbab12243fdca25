//! Sentence embeddings: texts in, unit vectors out, in-process and offline.
//!
//! A sentence-transformers model (all-MiniLM-L6-v2 by default) is read from
//! a folder holding `config.json`, `tokenizer.json` and `model.safetensors`
//! (`models/fetch` puts one in [`DEFAULT_MODEL_DIR`]) and run with candle on
//! the CPU. Inputs are padded to the longest text of their batch (the
//! shipped `tokenizer.json` pads everything to 128 tokens) and mean-pooled
//! over the attention mask, then L2-normalised, so a dot product is the
//! cosine similarity. With an [`Adapter`], the top layers run a second
//! time, adapted, for a task-tuned vector beside the general one.

pub mod adapter;
pub mod bert;
pub mod cache;

use crate::error::{Error, Result};
use bert::{Bert, Config};
use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use std::path::{Path, PathBuf};
use tokenizers::{Tokenizer, TruncationParams};

pub use adapter::Adapter;
pub use cache::EmbeddingCache;

/// Where `models/fetch` installs the model, relative to the working folder.
pub const DEFAULT_MODEL_DIR: &str = ".cairn/models/all-MiniLM-L6-v2";

/// Environment variable naming a model folder (wins over the default).
pub const MODEL_ENV: &str = "CAIRN_MODEL";

/// The files a model folder must hold.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Longest input in tokens (the model's `max_seq_length`); longer snippets
/// are truncated.
pub const MAX_TOKENS: usize = 256;

/// Texts per forward pass. Texts are sorted by length first, so a batch
/// pads little.
pub const BATCH: usize = 32;

/// The model folder to use: `explicit`, else `$CAIRN_MODEL`, else
/// [`DEFAULT_MODEL_DIR`].
pub fn model_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    match std::env::var_os(MODEL_ENV) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(DEFAULT_MODEL_DIR),
    }
}

/// The files missing from `dir` (empty when it holds a usable model).
pub fn missing_files(dir: &Path) -> Vec<&'static str> {
    MODEL_FILES
        .into_iter()
        .filter(|f| !dir.join(f).is_file())
        .collect()
}

/// A text's general vector, and its adapted one when an adapter ran.
type Vectors = (Vec<f32>, Option<Vec<f32>>);

/// A loaded sentence-embedding model.
pub struct Embedder {
    bert: Bert,
    tokenizer: Tokenizer,
    device: Device,
    dim: usize,
    /// blake3 of `model.safetensors`, hex (recorded with every run).
    hash: String,
    dir: PathBuf,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("dim", &self.dim)
            .field("hash", &self.hash)
            .finish()
    }
}

fn model_err(dir: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Model {
        path: dir.to_path_buf(),
        reason: reason.to_string(),
    }
}

impl Embedder {
    /// Load the model in `dir`. Fails with a message naming the missing
    /// files when the folder is incomplete.
    pub fn load(dir: &Path) -> Result<Embedder> {
        let missing = missing_files(dir);
        if !missing.is_empty() {
            return Err(model_err(
                dir,
                format!(
                    "missing {} (run `models/fetch`, or pass --model DIR)",
                    missing.join(", ")
                ),
            ));
        }
        let read =
            |name: &str| std::fs::read(dir.join(name)).map_err(|e| Error::io(dir.join(name), e));
        let config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| model_err(dir, format!("config.json: {e}")))?;
        let dim = config.hidden_size;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| model_err(dir, format!("tokenizer.json: {e}")))?;
        // Batches are padded by [`bert::pad_ids`].
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| model_err(dir, format!("tokenizer.json: {e}")))?;
        let weights = read("model.safetensors")?;
        let hash = blake3::hash(&weights).to_hex().to_string();
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| model_err(dir, format!("model.safetensors: {e}")))?;
        let bert = Bert::load(&vb, &config)
            .map_err(|e| model_err(dir, format!("model.safetensors: {e}")))?;
        Ok(Embedder {
            bert,
            tokenizer,
            device,
            dim,
            hash,
            dir: dir.to_path_buf(),
        })
    }

    /// Embedding width (384 for MiniLM).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// blake3 of the weights file, hex.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The encoder.
    pub fn bert(&self) -> &Bert {
        &self.bert
    }

    /// The token ids of `text`, as the model reads it (truncated to
    /// [`MAX_TOKENS`]).
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>> {
        let enc = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| model_err(&self.dir, format!("tokenizer: {e}")))?;
        Ok(enc.get_ids().to_vec())
    }

    /// Embed `texts`, in order: one unit vector of [`Embedder::dim`] floats
    /// each. Texts are grouped by length into batches of [`BATCH`].
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(self.run(texts, None)?.into_iter().map(|(v, _)| v).collect())
    }

    /// Embed `texts` twice in one pass: the general vector, and the vector
    /// of the top layers run again with `adapter`.
    pub fn embed_adapted(
        &self,
        texts: &[&str],
        adapter: &Adapter,
    ) -> Result<Vec<(Vec<f32>, Vec<f32>)>> {
        Ok(self
            .run(texts, Some(adapter))?
            .into_iter()
            .map(|(v, a)| (v, a.unwrap_or_default()))
            .collect())
    }

    fn run(&self, texts: &[&str], adapter: Option<&Adapter>) -> Result<Vec<Vectors>> {
        // One call for the whole input: the tokenizer works in parallel.
        let ids: Vec<Vec<u32>> = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| model_err(&self.dir, format!("tokenizer: {e}")))?
            .iter()
            .map(|e| e.get_ids().to_vec())
            .collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (ids[i].len(), i));
        let mut out = vec![(Vec::new(), None); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            let vecs = self
                .run_batch(&batch, adapter)
                .map_err(|e| model_err(&self.dir, format!("inference: {e}")))?;
            for (&i, v) in chunk.iter().zip(vecs) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    fn run_batch(
        &self,
        ids: &[&[u32]],
        adapter: Option<&Adapter>,
    ) -> candle_core::Result<Vec<Vectors>> {
        let (ids, mask) = bert::pad_ids(ids, &self.device)?;
        let add = bert::attention_mask(&mask)?;
        let x = self.bert.embeddings(&ids)?;
        let split = adapter.map_or(self.bert.layers().len(), Adapter::from);
        let lower = self.bert.layers_from_to(x, &add, 0, split)?;
        let general = self.bert.layers_from(lower.clone(), &add, split, &[])?;
        let general = bert::mean_pool(&general, &mask)?.to_vec2::<f32>()?;
        let tuned = match adapter {
            Some(a) => {
                let t = self.bert.layers_from(lower, &add, split, a.loras())?;
                Some(bert::mean_pool(&t, &mask)?.to_vec2::<f32>()?)
            }
            None => None,
        };
        Ok(general
            .into_iter()
            .enumerate()
            .map(|(i, g)| (g, tuned.as_ref().map(|t| t[i].clone())))
            .collect())
    }
}

/// The unit-length mean of `vecs` (a centroid, or a prototype).
pub fn unit_mean<'a>(vecs: impl IntoIterator<Item = &'a [f32]>) -> Vec<f32> {
    let mut m: Vec<f32> = Vec::new();
    for v in vecs {
        if m.is_empty() {
            m = vec![0.0; v.len()];
        }
        for (a, b) in m.iter_mut().zip(v) {
            *a += b;
        }
    }
    let norm = dot(&m, &m).sqrt().max(1e-12);
    m.iter().map(|x| x / norm).collect()
}

/// Cosine similarity of two unit vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
