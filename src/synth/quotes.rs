//! Representative quotes: candidate snippets in, a few diverse, citable
//! quotes out (one per person, spread across source kinds, deterministic).

use crate::model::{SourceKind, SourceRef, TaggedSnippet};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A quote as reports print it, with everything needed to cite and find it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub text: String,
    pub snippet_id: String,
    pub source: SourceRef,
    pub kind: SourceKind,
    pub customer: Option<String>,
    pub speaker: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub sentiment: f64,
}

impl Quote {
    pub fn from(t: &TaggedSnippet) -> Quote {
        Quote {
            text: t.snippet.text.clone(),
            snippet_id: t.snippet.id.clone(),
            source: t.snippet.source.clone(),
            kind: t.snippet.kind,
            customer: t.snippet.customer.clone(),
            speaker: t.snippet.speaker.clone(),
            date: t.snippet.date,
            sentiment: t.tags.sentiment.score,
        }
    }
}

/// Whether a snippet reads well as a quote on its own.
pub fn quotable(t: &TaggedSnippet) -> bool {
    let words = t.snippet.text.split_whitespace().count();
    (5..=60).contains(&words) && !t.snippet.text.contains("[EMAIL]")
}

/// Lowercase word set of a text, for near-duplicate checks.
fn words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Jaccard similarity of two word sets.
fn similarity(
    a: &std::collections::BTreeSet<String>,
    b: &std::collections::BTreeSet<String>,
) -> f64 {
    let inter = a.intersection(b).count() as f64;
    let union = a.union(b).count() as f64;
    if union == 0.0 {
        1.0
    } else {
        inter / union
    }
}

/// Quotes sharing at least this share of their words say the same thing.
const NEAR_DUPLICATE: f64 = 0.5;

/// Pick up to `n` quotes from `candidates`, best `weight` first, at most one
/// per person, preferring a source kind not yet used, and never two that say
/// nearly the same thing (copy-pasted complaints, templated replies). Ties
/// break on snippet id, so the choice is deterministic.
pub fn pick<'a>(
    candidates: impl IntoIterator<Item = &'a TaggedSnippet>,
    n: usize,
    weight: impl Fn(&TaggedSnippet) -> f64,
) -> Vec<Quote> {
    let mut pool: Vec<(f64, &TaggedSnippet)> = candidates
        .into_iter()
        .filter(|t| quotable(t))
        .map(|t| (weight(t), t))
        .collect();
    pool.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.snippet.id.cmp(&b.1.snippet.id))
    });
    let mut chosen: Vec<&TaggedSnippet> = Vec::new();
    let mut chosen_words: Vec<std::collections::BTreeSet<String>> = Vec::new();
    let person = |t: &TaggedSnippet| {
        t.snippet
            .customer
            .clone()
            .unwrap_or_else(|| format!("doc:{}", t.snippet.doc_id))
    };
    // Pass 1: new person and new source kind; pass 2: new person; pass 3: anything.
    for pass in 0..3 {
        for (_, t) in &pool {
            if chosen.len() >= n {
                break;
            }
            if chosen.iter().any(|c| c.snippet.id == t.snippet.id) {
                continue;
            }
            let new_person = chosen.iter().all(|c| person(c) != person(t));
            let new_kind = chosen.iter().all(|c| c.snippet.kind != t.snippet.kind);
            let ok = match pass {
                0 => new_person && new_kind,
                1 => new_person,
                _ => true,
            };
            if !ok {
                continue;
            }
            let w = words(&t.snippet.text);
            if chosen_words
                .iter()
                .any(|c| similarity(c, &w) >= NEAR_DUPLICATE)
            {
                continue;
            }
            chosen.push(t);
            chosen_words.push(w);
        }
    }
    chosen.into_iter().map(Quote::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_are_detected() {
        let a = words("I asked for a refund on Saturday and got an email saying refunds take 5-10 business days");
        let b = words("i asked for a refund on friday and got an email saying refunds take 5-10 business days");
        let c = words("The bank sync dropped three weeks of transactions");
        assert!(similarity(&a, &b) >= NEAR_DUPLICATE);
        assert!(similarity(&a, &c) < NEAR_DUPLICATE);
    }
}
