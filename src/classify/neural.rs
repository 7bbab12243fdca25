//! The neural engine: sentence embeddings (see [`crate::embed`]) read by
//! few-shot heads, with the lexicon engine's answer as extra features.
//!
//! For each dimension a trained head from `models/heads/` decides when it
//! fits the codebook and the model (same labels, same weights hash);
//! otherwise the dimension is tagged zero-shot, by the nearest codebook
//! entry (its description and examples, embedded), and a cue match of the
//! lexicon engine wins over a weak zero-shot guess. Every pain snippet gets
//! a theme: its most likely one, with that probability as confidence.
//!
//! A sentiment head trained with `cairn model train --adapter` reads the
//! vector of its fine-tuned adapter (see [`crate::embed::adapter`]) instead
//! of the general embedding; both are computed in one pass and cached
//! apart. The shipped head reads the embedding (docs/QUALITY.md says why).

use super::head::{best, softmax, Head};
use super::lexicon::round2;
use super::{Classifier, Codebook, LexiconEngine};
use crate::embed::{cache, dot, unit_mean, Adapter, Embedder, EmbeddingCache};
use crate::error::Result;
use crate::model::{Polarity, Sentiment, Snippet, SourceKind, Tag, Tags};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// The dimensions a head can tag, in file-name form.
pub const DIMENSIONS: [&str; 6] = [
    "sentiment",
    "stage",
    "intent_signal",
    "intent_cluster",
    "quadrant",
    "theme",
];

/// The label for "no cluster" / "no theme".
pub const NONE: &str = "none";

/// The heads shipped in `models/heads/` (`null` when not trained).
pub const SHIPPED_HEADS: [(&str, &str); 6] = [
    (
        "sentiment",
        include_str!("../../models/heads/sentiment.json"),
    ),
    ("stage", include_str!("../../models/heads/stage.json")),
    (
        "intent_signal",
        include_str!("../../models/heads/intent_signal.json"),
    ),
    (
        "intent_cluster",
        include_str!("../../models/heads/intent_cluster.json"),
    ),
    ("quadrant", include_str!("../../models/heads/quadrant.json")),
    ("theme", include_str!("../../models/heads/theme.json")),
];

/// The adapter file of a head for `dim`, in a heads folder.
pub fn adapter_file(dim: &str) -> String {
    format!("{dim}.adapter.safetensors")
}

/// Environment variable naming a folder of heads to use instead of the
/// embedded ones.
pub const HEADS_ENV: &str = "CAIRN_HEADS";

/// Temperature for zero-shot similarities: cosine gaps between entries are
/// small, so they are sharpened before the softmax.
const ZERO_SHOT_TEMPERATURE: f32 = 0.05;

/// The labels a head for `dim` must have, in order, for `codebook`.
pub fn labels_for(dim: &str, codebook: &Codebook) -> Vec<String> {
    let ids = |e: &[super::codebook::Entry]| e.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    let mut v = match dim {
        "sentiment" => [Polarity::Negative, Polarity::Neutral, Polarity::Positive]
            .map(|p| p.as_str().to_string())
            .to_vec(),
        "stage" => ids(&codebook.stage),
        "intent_signal" => ids(&codebook.signal),
        "intent_cluster" => ids(&codebook.cluster),
        "quadrant" => ids(&codebook.quadrant),
        "theme" => ids(&codebook.theme),
        _ => Vec::new(),
    };
    if matches!(dim, "intent_cluster" | "theme") {
        v.push(NONE.to_string());
    }
    v
}

/// The lexicon engine's answer for `dim`.
pub fn lexicon_label(tags: &Tags, dim: &str) -> String {
    match dim {
        "sentiment" => tags.sentiment.label.as_str().to_string(),
        "stage" => tags.stage.value.clone(),
        "intent_signal" => tags.intent_signal.value.clone(),
        "intent_cluster" => tags
            .intent_cluster
            .as_ref()
            .map_or(NONE.to_string(), |t| t.value.clone()),
        "quadrant" => tags.quadrant.value.clone(),
        "theme" => tags
            .themes
            .first()
            .map_or(NONE.to_string(), |t| t.value.clone()),
        _ => String::new(),
    }
}

/// Whether the head for `dim` reads the snippet in its message: stage,
/// intent and driver depend on the record and the channel, not only on
/// one sentence. Sentiment and theme read the sentence alone.
pub fn reads_context(dim: &str) -> bool {
    matches!(
        dim,
        "stage" | "intent_signal" | "intent_cluster" | "quadrant"
    )
}

/// What a snippet is read in: its message's embedding (see
/// [`super::message`]) and its source kind (`None` for a text of no
/// channel, such as a codebook example).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub message: &'a [f32],
    pub kind: Option<SourceKind>,
}

/// The width of a head's input for `dim` on `dim_emb`-wide embeddings.
pub fn feature_width(dim: &str, dim_emb: usize, labels: usize) -> usize {
    let context = if reads_context(dim) {
        dim_emb + SourceKind::ALL.len()
    } else {
        0
    };
    dim_emb + context + labels + usize::from(dim == "sentiment")
}

/// A head's input: the embedding; for the dimensions that read context
/// ([`reads_context`]) the message's embedding and the source kind one-hot;
/// the lexicon's label one-hot over `labels`; and for sentiment the
/// lexicon's score.
pub fn features(
    dim: &str,
    emb: &[f32],
    context: &Context<'_>,
    lexicon: &Tags,
    labels: &[String],
) -> Vec<f32> {
    let said = lexicon_label(lexicon, dim);
    let mut x = Vec::with_capacity(feature_width(dim, emb.len(), labels.len()));
    x.extend_from_slice(emb);
    if reads_context(dim) {
        x.extend_from_slice(context.message);
        x.extend(
            SourceKind::ALL
                .iter()
                .map(|k| if Some(*k) == context.kind { 1.0 } else { 0.0 }),
        );
    }
    x.extend(labels.iter().map(|l| if *l == said { 1.0 } else { 0.0 }));
    if dim == "sentiment" {
        x.push(lexicon.sentiment.score as f32);
    }
    x
}

/// The neural engine.
pub struct NeuralEngine {
    lexicon: LexiconEngine,
    embedder: Embedder,
    cache: Mutex<Option<EmbeddingCache>>,
    /// The sentiment head's adapter, and the cache of its vectors.
    adapter: Option<Adapter>,
    tuned_cache: Mutex<Option<EmbeddingCache>>,
    heads: BTreeMap<&'static str, Head>,
    /// Per dimension: (entry id, unit prototype) from the codebook.
    prototypes: BTreeMap<&'static str, Vec<(String, Vec<f32>)>>,
    notices: Vec<String>,
}

impl NeuralEngine {
    /// An engine on `embedder` with the shipped heads, caching embeddings
    /// in `cache_dir` when given.
    pub fn new(
        codebook: &Codebook,
        lexicon: LexiconEngine,
        embedder: Embedder,
        cache_dir: Option<&Path>,
    ) -> Result<NeuralEngine> {
        let cache = match cache_dir {
            Some(d) => Some(EmbeddingCache::open(d, embedder.hash(), embedder.dim())?),
            None => None,
        };
        let mut notices = Vec::new();
        let mut heads = BTreeMap::new();
        // $CAIRN_HEADS names a folder of retrained heads to use instead of
        // the embedded ones (to measure them without a rebuild).
        let override_dir = std::env::var_os(HEADS_ENV).filter(|d| !d.is_empty());
        for (dim, shipped) in SHIPPED_HEADS {
            let loaded;
            let json = match &override_dir {
                Some(d) => {
                    let p = Path::new(d).join(format!("{dim}.json"));
                    loaded = std::fs::read_to_string(&p).map_err(|e| crate::Error::io(&p, e))?;
                    loaded.as_str()
                }
                None => shipped,
            };
            if json.trim() == "null" {
                notices.push(format!("no trained {dim} head: {dim} is tagged zero-shot"));
                continue;
            }
            let head = Head::parse(json)?;
            let labels = labels_for(dim, codebook);
            let width = feature_width(dim, embedder.dim(), labels.len());
            if head.labels != labels {
                notices.push(format!(
                    "the {dim} head was trained on other labels than this codebook's: {dim} is tagged zero-shot"
                ));
            } else if head.model_hash != embedder.hash() || head.width() != width {
                notices.push(format!(
                    "the {dim} head was trained on another model: {dim} is tagged zero-shot"
                ));
            } else {
                heads.insert(dim, head);
            }
        }
        // A head that reads an adapter (`cairn model train --adapter`)
        // needs exactly the adapter it was trained with, from its folder.
        // No adapter is shipped: the embedded heads read the embedding.
        let mut adapter = None;
        if let Some(hash) = heads.get("sentiment").and_then(|h| h.adapter.clone()) {
            let found = match &override_dir {
                Some(d) => {
                    let p = Path::new(d).join(adapter_file("sentiment"));
                    std::fs::read(&p)
                        .map_err(|e| format!("{}: {e}", p.display()))
                        .and_then(|b| {
                            Adapter::from_bytes(&b, embedder.bert()).map_err(|e| e.to_string())
                        })
                }
                None => Err("no adapter is embedded in cairn".to_string()),
            };
            match found {
                Ok(a) if a.hash() == hash => adapter = Some(a),
                Ok(_) => notices.push(
                    "the sentiment adapter is not the one its head was trained with: sentiment is tagged by the lexicon".into(),
                ),
                Err(e) => notices.push(format!(
                    "the sentiment head reads an adapter ({e}): sentiment is tagged by the lexicon"
                )),
            }
            if adapter.is_none() {
                heads.remove("sentiment");
            }
        }
        let tuned_cache = match (cache_dir, &adapter) {
            (Some(d), Some(a)) => {
                let both = format!("{}{}", embedder.hash(), a.hash());
                let key = blake3::hash(both.as_bytes()).to_hex().to_string();
                Some(EmbeddingCache::open(d, &key, embedder.dim())?)
            }
            _ => None,
        };
        let mut engine = NeuralEngine {
            lexicon,
            embedder,
            cache: Mutex::new(cache),
            adapter,
            tuned_cache: Mutex::new(tuned_cache),
            heads,
            prototypes: BTreeMap::new(),
            notices,
        };
        let sections: [(&'static str, &[super::codebook::Entry]); 5] = [
            ("stage", &codebook.stage),
            ("intent_signal", &codebook.signal),
            ("intent_cluster", &codebook.cluster),
            ("quadrant", &codebook.quadrant),
            ("theme", &codebook.theme),
        ];
        for (dim, entries) in sections {
            let mut protos = Vec::with_capacity(entries.len());
            for e in entries {
                let mut texts: Vec<&str> = vec![e.description.as_str()];
                texts.extend(e.examples.iter().map(String::as_str));
                let vecs = engine.embed(&texts)?;
                protos.push((e.id.clone(), unit_mean(vecs.iter().map(Vec::as_slice))));
            }
            engine.prototypes.insert(dim, protos);
        }
        Ok(engine)
    }

    /// What the engine could not use (heads that do not fit), one line each.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Dimensions tagged by a trained head.
    pub fn head_dimensions(&self) -> Vec<&'static str> {
        self.heads.keys().copied().collect()
    }

    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// The sentiment head's adapter, when it reads one.
    pub fn adapter(&self) -> Option<&Adapter> {
        self.adapter.as_ref()
    }

    /// Embeddings of `texts`, from the cache where possible; new ones are
    /// added to it.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        Ok(self.vectors(texts, false)?.0)
    }

    /// The general embeddings of `texts` and, with `tuned` and an adapter,
    /// the adapter's vectors, from the caches where possible. Texts missing
    /// from either cache are embedded once, for both.
    #[allow(clippy::type_complexity)]
    fn vectors(
        &self,
        texts: &[&str],
        tuned: bool,
    ) -> Result<(Vec<Vec<f32>>, Option<Vec<Vec<f32>>>)> {
        let adapter = self.adapter.as_ref().filter(|_| tuned);
        let mut general = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let mut adapted = self.tuned_cache.lock().unwrap_or_else(|p| p.into_inner());
        let keys: Vec<_> = texts.iter().map(|t| cache::key(t)).collect();
        let mut out = lookup(general.as_ref(), &keys)?;
        let mut out_tuned = match adapter {
            Some(_) => lookup(adapted.as_ref(), &keys)?,
            None => vec![Some(Vec::new()); texts.len()],
        };
        let mut missing: Vec<usize> = (0..texts.len())
            .filter(|&i| out[i].is_none() || out_tuned[i].is_none())
            .collect();
        // The same text twice in one batch is embedded once.
        missing.sort_by_key(|&i| (keys[i], i));
        missing.dedup_by_key(|i| keys[*i]);
        if !missing.is_empty() {
            let batch: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
            let (vecs, tuned_vecs): (Vec<_>, Vec<_>) = match adapter {
                Some(a) => self.embedder.embed_adapted(&batch, a)?.into_iter().unzip(),
                None => (self.embedder.embed(&batch)?, vec![Vec::new(); batch.len()]),
            };
            let fresh_keys: Vec<_> = missing.iter().map(|&i| keys[i]).collect();
            store(general.as_mut(), &fresh_keys, &vecs)?;
            if adapter.is_some() {
                store(adapted.as_mut(), &fresh_keys, &tuned_vecs)?;
            }
            let fresh: BTreeMap<_, _> = fresh_keys
                .into_iter()
                .zip(vecs.into_iter().zip(tuned_vecs))
                .collect();
            for i in 0..texts.len() {
                if let Some((v, t)) = fresh.get(&keys[i]) {
                    out[i].get_or_insert_with(|| v.clone());
                    out_tuned[i].get_or_insert_with(|| t.clone());
                }
            }
        }
        let general = out.into_iter().map(Option::unwrap_or_default).collect();
        let tuned = adapter.map(|_| {
            out_tuned
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect()
        });
        Ok((general, tuned))
    }

    /// Tags for one snippet from its text, its embedding, its adapter's
    /// vector (when the sentiment head reads one) and the lexicon's tags.
    fn tag(
        &self,
        text: &str,
        emb: &[f32],
        context: &Context<'_>,
        tuned: Option<&[f32]>,
        lex: Tags,
    ) -> Tags {
        let sentiment = match self.heads.get("sentiment") {
            Some(h) => {
                let p = h.probs(&features(
                    "sentiment",
                    tuned.unwrap_or(emb),
                    context,
                    &lex,
                    &h.labels,
                ));
                let (i, pmax) = best(&p);
                let label = Polarity::parse(&h.labels[i]).unwrap_or(Polarity::Neutral);
                let prob = |l: &str| h.labels.iter().position(|x| x == l).map_or(0.0, |j| p[j]);
                Sentiment {
                    score: round2(f64::from(prob("positive") - prob("negative"))),
                    label,
                    confidence: round2(f64::from(pmax)),
                    evidence: format!(
                        "neural: {} p {:.2}; lexicon: {}",
                        label.as_str(),
                        pmax,
                        lex.sentiment.evidence
                    ),
                }
            }
            None => lex.sentiment.clone(),
        };
        let pain = sentiment.label == Polarity::Negative || (lex.pain && sentiment.score < 0.3);
        let gain = sentiment.label == Polarity::Positive || (lex.gain && sentiment.score > -0.3);
        let single = |dim: &'static str, fallback: &Tag| -> Tag {
            match self.decide(dim, emb, context, &lex, false) {
                Some(t) => t,
                None => fallback.clone(),
            }
        };
        let stage = single("stage", &lex.stage);
        let intent_signal = single("intent_signal", &lex.intent_signal);
        let quadrant = single("quadrant", &lex.quadrant);
        let intent_cluster = match self.heads.contains_key("intent_cluster") {
            true => self.decide("intent_cluster", emb, context, &lex, false),
            false => lex.intent_cluster.clone(),
        };
        let themes = match self.heads.contains_key("theme") {
            true => self
                .decide("theme", emb, context, &lex, pain && has_topic(text))
                .into_iter()
                .collect(),
            false if !lex.themes.is_empty() => lex.themes.clone(),
            false if pain && has_topic(text) => self.nearest("theme", emb).into_iter().collect(),
            false => Vec::new(),
        };
        Tags {
            sentiment,
            stage,
            intent_signal,
            intent_cluster,
            quadrant,
            pain,
            gain,
            themes,
            engine: self.name().to_string(),
        }
    }

    /// The head's answer for `dim` (`None` for "none"); with `force`, the
    /// best label other than "none", its probability renormalised. Without
    /// a head: the lexicon's cue match, else the nearest codebook entry.
    fn decide(
        &self,
        dim: &'static str,
        emb: &[f32],
        context: &Context<'_>,
        lex: &Tags,
        force: bool,
    ) -> Option<Tag> {
        let Some(h) = self.heads.get(dim) else {
            let lexicon = lexicon_tag(lex, dim);
            return match lexicon {
                Some(t) if t.evidence.starts_with("cue ") => Some(t),
                _ => self.nearest(dim, emb),
            };
        };
        let p = h.probs(&features(dim, emb, context, lex, &h.labels));
        let (i, pmax) = best(&p);
        if h.labels[i] != NONE {
            return Some(Tag {
                value: h.labels[i].clone(),
                confidence: round2(f64::from(pmax)),
                evidence: format!("neural: head p {pmax:.2}"),
            });
        }
        if !force {
            return None;
        }
        let none = p[i];
        let (j, pj) = p.iter().enumerate().filter(|(j, _)| *j != i).fold(
            (i, f32::NEG_INFINITY),
            |b, (j, &v)| if v > b.1 { (j, v) } else { b },
        );
        (j != i).then(|| {
            let conf = pj / (1.0 - none).max(1e-6);
            Tag {
                value: h.labels[j].clone(),
                confidence: round2(f64::from(conf)),
                evidence: format!("neural: nearest theme of a pain, p {conf:.2}"),
            }
        })
    }

    /// Zero-shot: the codebook entry whose prototype is closest.
    fn nearest(&self, dim: &str, emb: &[f32]) -> Option<Tag> {
        let protos = self.prototypes.get(dim)?;
        let sims: Vec<f32> = protos.iter().map(|(_, p)| dot(emb, p)).collect();
        let p = softmax(
            &sims
                .iter()
                .map(|s| s / ZERO_SHOT_TEMPERATURE)
                .collect::<Vec<_>>(),
        );
        let (i, pmax) = best(&p);
        Some(Tag {
            value: protos.get(i)?.0.clone(),
            confidence: round2(f64::from(pmax)),
            evidence: format!("neural: nearest entry, cos {:.2}", sims[i]),
        })
    }
}

/// The cached vectors for `keys` (`None` where missing, or without a cache).
fn lookup(cache: Option<&EmbeddingCache>, keys: &[[u8; 16]]) -> Result<Vec<Option<Vec<f32>>>> {
    keys.iter()
        .map(|k| match cache {
            Some(c) => c.get(k),
            None => Ok(None),
        })
        .collect()
}

/// Add fresh vectors to `cache`, when there is one.
fn store(cache: Option<&mut EmbeddingCache>, keys: &[[u8; 16]], vecs: &[Vec<f32>]) -> Result<()> {
    match cache {
        Some(c) => {
            let items: Vec<_> = keys
                .iter()
                .copied()
                .zip(vecs.iter().map(Vec::as_slice))
                .collect();
            c.put(&items)
        }
        None => Ok(()),
    }
}

/// Words a pain needs before it is given its nearest theme: "🤬🤬🤬" or
/// "not again" is a pain about nothing in particular.
pub const MIN_TOPIC_WORDS: usize = 3;

/// Whether `text` has enough words to be about something.
fn has_topic(text: &str) -> bool {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
        >= MIN_TOPIC_WORDS
}

fn lexicon_tag(lex: &Tags, dim: &str) -> Option<Tag> {
    match dim {
        "stage" => Some(lex.stage.clone()),
        "intent_signal" => Some(lex.intent_signal.clone()),
        "quadrant" => Some(lex.quadrant.clone()),
        "intent_cluster" => lex.intent_cluster.clone(),
        "theme" => lex.themes.first().cloned(),
        _ => None,
    }
}

impl Classifier for NeuralEngine {
    fn name(&self) -> &'static str {
        "neural"
    }

    fn embed_texts(&self, texts: &[&str]) -> Option<Vec<Vec<f32>>> {
        match self.embed(texts) {
            Ok(v) => Some(v),
            Err(e) => {
                eprintln!("cairn: warning: embedding failed ({e}); no pain clusters");
                None
            }
        }
    }

    fn model_hash(&self) -> Option<String> {
        Some(self.embedder.hash().to_string())
    }

    fn adapter_hash(&self) -> Option<String> {
        self.adapter.as_ref().map(|a| a.hash().to_string())
    }

    fn classify(&self, snippet: &Snippet) -> Tags {
        self.classify_batch(std::slice::from_ref(snippet))
            .pop()
            .unwrap_or_else(|| self.lexicon.classify(snippet))
    }

    fn classify_batch(&self, snippets: &[Snippet]) -> Vec<Tags> {
        let messages = super::message::messages(snippets);
        let lex: Vec<Tags> = snippets
            .par_iter()
            .zip(messages.par_iter())
            .map(|(s, m)| self.lexicon.classify_in(s, m))
            .collect();
        // Sentences first, then their messages: one pass embeds both (the
        // cache and the batch skip texts seen before).
        let n = snippets.len();
        let texts: Vec<&str> = snippets
            .iter()
            .map(|s| s.text.as_str())
            .chain(messages.iter().map(String::as_str))
            .collect();
        match self.vectors(&texts, true) {
            Ok((embs, tuned)) => lex
                .into_par_iter()
                .zip(snippets.par_iter())
                .enumerate()
                .map(|(i, (l, s))| {
                    let t = tuned.as_ref().map(|t| t[i].as_slice());
                    let context = Context {
                        message: &embs[n + i],
                        kind: Some(s.kind),
                    };
                    self.tag(&s.text, &embs[i], &context, t, l)
                })
                .collect(),
            Err(e) => {
                eprintln!("cairn: warning: embedding failed ({e}); these snippets are tagged by the lexicon engine");
                lex
            }
        }
    }
}
