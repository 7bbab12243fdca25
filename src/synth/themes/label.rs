//! Names for themes: a theme's snippets and the whole study in, a label, a
//! one-sentence description, its distinctive terms and exemplar quotes out.
//!
//! Terms are scored by class-based TF-IDF: the share of the theme's
//! snippets that use the term times ln(1 + mean theme size / the snippets in
//! the study that use it), so a word every theme shares (the brand, the
//! product, "order") scores low. A term used by more than [`SPREAD`] of all
//! snippets is never a label. Phrases read better than single words, so the
//! best two- or three-word phrase wins when it scores at least half the
//! best term. Two themes never share a label.

use super::space::Space;
use super::Ctx;
use crate::synth::quotes::pick;
use std::collections::{BTreeMap, BTreeSet};

/// Most snippets of a theme whose terms are counted (a deterministic
/// sample: rows are in content-hash order).
const COUNTED: usize = 3000;
/// Snippets of the study the background counts are taken over.
const BACKGROUND: usize = 50_000;
/// A term used by more than this share of all snippets (or by more than
/// one and a half mean themes' worth) names no theme: it is the study's
/// subject.
const SPREAD: f64 = 0.2;
/// Share of a theme's snippets that must use its label.
const LABEL_SHARE: f64 = 0.08;
/// Terms listed per theme.
const TERMS: usize = 6;

/// How many snippets of the study use each term.
pub(crate) struct Background {
    df: BTreeMap<String, usize>,
    n: usize,
}

impl Background {
    pub(crate) fn new(ctx: &Ctx) -> Background {
        let n = ctx.content.len().min(BACKGROUND);
        let mut df: BTreeMap<String, usize> = BTreeMap::new();
        for c in 0..n {
            for t in ctx.terms_of(c) {
                *df.entry(t.key.clone()).or_default() += 1;
            }
        }
        Background { df, n: n.max(1) }
    }

    fn share(&self, key: &str) -> f64 {
        self.df.get(key).copied().unwrap_or(0) as f64 / self.n as f64
    }
}

/// Terms used by at least 3 % of the snippets of a fifth or more of the
/// themes (and of three or more): the brand, the product, the study's
/// subject. They name no one theme.
pub(crate) fn spread(ctx: &Ctx, members: &[Vec<usize>]) -> BTreeSet<String> {
    let mut present: BTreeMap<&str, usize> = BTreeMap::new();
    for rows in members {
        let counted = &rows[..rows.len().min(COUNTED)];
        let mut df: BTreeMap<&str, usize> = BTreeMap::new();
        for &c in counted {
            for t in ctx.terms_of(c) {
                *df.entry(t.key.as_str()).or_default() += 1;
            }
        }
        let need = ((0.03 * counted.len() as f64).ceil() as usize).max(2);
        for (k, n) in df {
            if n >= need {
                *present.entry(k).or_default() += 1;
            }
        }
    }
    let bar = (members.len() / 5).max(3);
    present
        .into_iter()
        .filter(|(_, n)| *n >= bar)
        .map(|(k, _)| k.to_string())
        .collect()
}

/// A theme's name and words.
pub(crate) struct Described {
    pub label: String,
    /// The label's term key (stems), for exemplars.
    pub key: String,
    pub description: String,
    pub terms: Vec<String>,
}

/// Label (when `name` is given), description and terms of the theme made of
/// `rows`; the label is added to `used`.
// The study, the theme and how to name it: each argument is one of them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn describe(
    ctx: &Ctx,
    bg: &Background,
    spread: &BTreeSet<String>,
    rows: &[usize],
    used: &mut BTreeSet<String>,
    themes: usize,
    name: bool,
    label_of: &str,
) -> Described {
    let counted = &rows[..rows.len().min(COUNTED)];
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    let mut surfaces: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut opinion: BTreeSet<&str> = BTreeSet::new();
    for &c in counted {
        for t in ctx.terms_of(c) {
            if t.opinion {
                opinion.insert(t.key.as_str());
            }
            *df.entry(t.key.as_str()).or_default() += 1;
            *surfaces
                .entry(t.key.as_str())
                .or_default()
                .entry(t.surface.as_str())
                .or_default() += 1;
        }
    }
    let size = counted.len().max(1) as f64;
    // A mean theme's share of the study.
    let avg = 1.0 / themes.max(1) as f64;
    let need = ((0.03 * size).ceil() as usize).max(2);
    let too_common = SPREAD.max(1.5 * avg);
    let mut scored: Vec<(f64, &str, usize)> = df
        .iter()
        .filter(|(_, &k)| k >= need.min(rows.len().max(1)))
        .filter(|(key, _)| bg.share(key) <= too_common)
        .filter(|(key, _)| !opinion.contains(*key))
        // A word spread over many themes (the brand, the product) names
        // none of them, alone or in a phrase.
        .filter(|(key, _)| !key.split(' ').any(|w| spread.contains(w)) && !spread.contains(**key))
        .map(|(&key, &k)| {
            let n = key.split(' ').count();
            let tf = k as f64 / size;
            let idf = (1.0 + avg / bg.share(key).max(1e-6)).ln();
            (tf * idf * (1.0 + 0.25 * (n as f64 - 1.0)), key, n)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let surface = |key: &str| -> String {
        surfaces
            .get(key)
            .and_then(|m| m.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))))
            .map_or(key.to_string(), |(s, _)| s.to_string())
    };
    let mut label = String::new();
    let mut key = String::new();
    if name {
        // A label is a term at least LABEL_SHARE of the theme's snippets use.
        let common = (LABEL_SHARE * size).ceil() as usize;
        let fit: Vec<&(f64, &str, usize)> = scored
            .iter()
            .filter(|s| df.get(s.1).copied().unwrap_or(0) >= common.max(2))
            .collect();
        let top = fit.first().map_or(0.0, |s| s.0);
        let phrase_first = fit
            .iter()
            .copied()
            .filter(|s| s.2 >= 2 && s.0 >= 0.5 * top)
            .chain(fit.iter().copied())
            .chain(scored.iter());
        for s in phrase_first {
            let l = surface(s.1);
            if !used.contains(&l.to_lowercase()) {
                label = l;
                key = s.1.to_string();
                break;
            }
        }
        if label.is_empty() {
            let base = scored.first().map_or("other".to_string(), |s| surface(s.1));
            label = (2..)
                .map(|k| format!("{base} ({k})"))
                .find(|l| !used.contains(&l.to_lowercase()))
                .expect("a free label");
        }
        used.insert(label.to_lowercase());
    } else {
        label = label_of.to_string();
        key = label_key(label_of);
    }
    let mut terms: Vec<String> = Vec::new();
    let mut term_keys: Vec<&str> = Vec::new();
    for s in &scored {
        // A phrase and the words inside it say one thing once.
        if term_keys
            .iter()
            .any(|k| k.split(' ').any(|w| s.1.split(' ').any(|x| x == w)))
        {
            continue;
        }
        term_keys.push(s.1);
        terms.push(surface(s.1));
        if terms.len() == TERMS {
            break;
        }
    }
    let others: Vec<&String> = terms
        .iter()
        .filter(|t| !label.is_empty() && !label.contains(t.as_str()) && !t.contains(label.as_str()))
        .take(3)
        .collect();
    let description = match others.as_slice() {
        [] => format!("Customers talking about {label}."),
        [a] => format!("Customers talking about {label}, often with {a}."),
        [a, b] => format!("Customers talking about {label}, often with {a} and {b}."),
        [a, b, c, ..] => format!("Customers talking about {label}, often with {a}, {b} and {c}."),
    };
    Described {
        label,
        key,
        description,
        terms,
    }
}

/// The term key of an existing label: its longest term.
fn label_key(label: &str) -> String {
    super::text::Analyzer::new()
        .terms(label)
        .into_iter()
        .max_by(|a, b| a.n.cmp(&b.n).then(b.key.cmp(&a.key)))
        .map_or(String::new(), |t| t.key)
}

/// Up to three quotes of the theme, from different people, that use its
/// label's words where they can, nearest the theme's centre first.
pub(crate) fn exemplars(ctx: &Ctx, rows: &[usize], centroid: &[f32], key: &str) -> Vec<String> {
    let space: &Space = ctx.space;
    let uses = |c: usize| !key.is_empty() && ctx.terms_of(c).iter().any(|t| t.key == key);
    let cos: BTreeMap<&str, f64> = rows
        .iter()
        .map(|&c| {
            (
                ctx.id(c),
                f64::from(space.dot(c, centroid)) + if uses(c) { 1.0 } else { 0.0 },
            )
        })
        .collect();
    pick(rows.iter().map(|&c| ctx.snippet(c)), 3, |t| {
        cos.get(t.snippet.id.as_str()).copied().unwrap_or(0.0)
    })
    .into_iter()
    .map(|q| q.snippet_id)
    .collect()
}
