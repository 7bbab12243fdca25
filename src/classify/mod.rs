//! Classification: [`Snippet`]s in, [`TaggedSnippet`]s out.
//!
//! A [`Classifier`] turns one snippet into [`Tags`]; engines are
//! interchangeable and every engine reports the same tags. The lexicon
//! engine (cue phrases from the codebook plus a sentiment lexicon) is the
//! embedded default.

pub mod calibration;
pub mod codebook;
pub mod cues;
pub mod lexicon;
pub mod sentiment;

use crate::model::{Snippet, TaggedSnippet, Tags};
use rayon::prelude::*;

pub use calibration::Calibration;
pub use codebook::Codebook;
pub use lexicon::LexiconEngine;
pub use sentiment::SentimentLexicon;

/// Tags one snippet. Implementations are pure and thread-safe.
pub trait Classifier: Send + Sync {
    /// Engine name recorded in every tag set and report.
    fn name(&self) -> &'static str;
    fn classify(&self, snippet: &Snippet) -> Tags;
}

/// Tag many snippets in parallel, keeping their order.
pub fn classify_all(classifier: &dyn Classifier, snippets: Vec<Snippet>) -> Vec<TaggedSnippet> {
    snippets
        .into_par_iter()
        .map(|snippet| {
            let tags = classifier.classify(&snippet);
            TaggedSnippet { snippet, tags }
        })
        .collect()
}
