//! Classification: [`Snippet`]s in, [`TaggedSnippet`]s out.
//!
//! A [`Classifier`] turns one snippet into [`Tags`]; engines are
//! interchangeable and every engine reports the same tags. The lexicon
//! engine (cue phrases from the codebook plus a sentiment lexicon) needs
//! nothing but the binary; the neural engine ([`NeuralEngine`]) reads
//! sentence embeddings with trained heads when a model is installed.

pub mod calibration;
pub mod codebook;
pub mod cues;
pub mod head;
pub mod lexicon;
pub mod message;
pub mod neural;
pub mod sentiment;

use crate::model::{Snippet, TaggedSnippet, Tags};
use rayon::prelude::*;

pub use calibration::Calibration;
pub use codebook::Codebook;
pub use lexicon::LexiconEngine;
pub use neural::NeuralEngine;
pub use sentiment::SentimentLexicon;

/// Tags one snippet. Implementations are pure and thread-safe.
pub trait Classifier: Send + Sync {
    /// Engine name recorded in every tag set and report.
    fn name(&self) -> &'static str;
    fn classify(&self, snippet: &Snippet) -> Tags;
    /// Sentence embeddings of `texts` (unit vectors), for engines that have
    /// them; `None` otherwise.
    fn embed_texts(&self, _texts: &[&str]) -> Option<Vec<Vec<f32>>> {
        None
    }
    /// blake3 of the model weights, for engines that load a model.
    fn model_hash(&self) -> Option<String> {
        None
    }
    /// blake3 of a fine-tuned adapter the engine reads, if any.
    fn adapter_hash(&self) -> Option<String> {
        None
    }
    /// Tag many snippets at once, in order. Engines that work in batches
    /// (the neural engine embeds many texts per forward pass) override it.
    fn classify_batch(&self, snippets: &[Snippet]) -> Vec<Tags> {
        snippets.par_iter().map(|s| self.classify(s)).collect()
    }
}

/// Tag many snippets in parallel, keeping their order.
pub fn classify_all(classifier: &dyn Classifier, snippets: Vec<Snippet>) -> Vec<TaggedSnippet> {
    let tags = classifier.classify_batch(&snippets);
    snippets
        .into_iter()
        .zip(tags)
        .map(|(snippet, tags)| TaggedSnippet {
            snippet,
            tags,
            themes: Vec::new(),
        })
        .collect()
}
