//! Scoring discovered themes against human categories: a gold file of
//! texts with one category (or several, split on `;`) in, agreement figures
//! out, for cairn's theme discovery and for the two baselines a skeptic
//! tries first, k-means on the same vectors and k-means on plain TF-IDF,
//! each with as many clusters as cairn found.
//!
//! Discovery is not told the number of categories. Every text is tagged
//! as the pipeline tags a snippet, then all of them are one study whose
//! themes are discovered as `cairn run` discovers them. Figures: NMI
//! (arithmetic normalisation), adjusted Rand index and purity over every
//! row with its first category (an unthemed row counts as one more
//! cluster, so leaving rows out is not free); coverage; and, per category,
//! the theme that matches it best with its precision and recall over rows
//! that carry the category among their labels (multi-label gold).

use super::gold::{read_gold, GoldSpec};
use super::predict::snippet;
use crate::classify::{classify_all, Classifier, Codebook};
use crate::error::Result;
use crate::model::{Skipped, SourceKind, TaggedSnippet};
use crate::synth::themes::space::{kmeans, Space};
use crate::synth::themes::text::Analyzer;
use crate::synth::themes::{find_and_apply, ThemeOptions};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// What to score.
#[derive(Debug, Clone)]
pub struct ThemeEvalOptions {
    pub gold: PathBuf,
    pub spec: GoldSpec,
    pub kind: SourceKind,
}

/// Agreement of one clustering with the categories.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterScores {
    pub clusters: usize,
    /// Share of rows with a cluster.
    pub coverage: f64,
    pub nmi: f64,
    pub ari: f64,
    pub purity: f64,
    /// Mean over categories of the best-matching cluster's F1.
    pub mean_best_f1: f64,
}

/// The best theme for one category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryMatch {
    pub category: String,
    pub rows: usize,
    pub theme: String,
    pub precision: f64,
    pub recall: f64,
}

/// Everything `eval --dimension theme` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeEval {
    pub gold: String,
    pub engine: String,
    pub space: String,
    pub rows: usize,
    pub categories: usize,
    pub multi_label_rows: usize,
    pub cairn: ClusterScores,
    pub kmeans_same_vectors: ClusterScores,
    /// Plain TF-IDF (lowercased words, no stemming) k-means; only when
    /// cairn's vectors are embeddings (otherwise it is the row above).
    pub kmeans_tfidf: Option<ClusterScores>,
    pub matches: Vec<CategoryMatch>,
    pub themes: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// Discover themes in the gold texts and score them.
pub fn evaluate_themes(
    opts: &ThemeEvalOptions,
    codebook: &Codebook,
    classifier: &dyn Classifier,
) -> Result<ThemeEval> {
    let gold = read_gold(&opts.gold, &opts.spec)?;
    let path = opts.gold.display().to_string();
    let rows: Vec<(String, Vec<String>)> = gold
        .rows
        .iter()
        .map(|r| {
            let cats: Vec<String> = r
                .label
                .as_deref()
                .unwrap_or("")
                .split(';')
                .map(|c| c.trim().to_lowercase())
                .filter(|c| !c.is_empty())
                .collect();
            (r.text.clone(), cats)
        })
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let snippets: Vec<_> = gold
        .rows
        .iter()
        .filter(|r| r.label.as_deref().is_some_and(|l| !l.trim().is_empty()))
        .map(|r| {
            let kind = r.kind.unwrap_or(opts.kind);
            let mut s = snippet(&r.text, r.context.as_deref(), kind, &path, r.line);
            // One person per row: discovery counts people, not rows.
            s.customer = Some(format!("row{}", r.line));
            s
        })
        .collect();
    let mut tagged: Vec<TaggedSnippet> = classify_all(classifier, snippets);
    let embed = |texts: &[&str]| classifier.embed_texts(texts);
    let found = find_and_apply(
        &mut tagged,
        &embed,
        codebook,
        None,
        &ThemeOptions::default(),
    );
    let first: Vec<String> = rows.iter().map(|(_, c)| c[0].clone()).collect();
    let labels: Vec<BTreeSet<String>> = rows
        .iter()
        .map(|(_, c)| c.iter().cloned().collect())
        .collect();
    let theme_of: Vec<Option<String>> = tagged
        .iter()
        .map(|t| t.themes.first().map(|x| x.value.clone()))
        .collect();
    let k = found.discovery.file.themes.len().max(1);
    let cairn = scores(&first, &labels, &theme_of);
    // Baselines on every row, with cairn's number of clusters.
    let texts: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    let embedded = classifier.embed_texts(&texts);
    let space = found.discovery.file.space.clone();
    let same = match &embedded {
        Some(v) => Space::Dense(v.clone()),
        None => plain_tfidf(&texts, true),
    };
    let kmeans_same_vectors = scores(&first, &labels, &plain_kmeans(&same, k));
    let kmeans_tfidf = embedded.as_ref().map(|_| {
        let s = plain_tfidf(&texts, false);
        scores(&first, &labels, &plain_kmeans(&s, k))
    });
    let names: HashMap<&str, &str> = found
        .discovery
        .file
        .themes
        .iter()
        .map(|t| (t.id.as_str(), t.label.as_str()))
        .collect();
    let matches = best_matches(&labels, &theme_of)
        .into_iter()
        .map(|mut m| {
            m.theme = names
                .get(m.theme.as_str())
                .map_or(m.theme.clone(), |l| l.to_string());
            m
        })
        .collect();
    Ok(ThemeEval {
        gold: path,
        engine: classifier.name().to_string(),
        space,
        rows: rows.len(),
        categories: labels.iter().flatten().collect::<BTreeSet<_>>().len(),
        multi_label_rows: labels.iter().filter(|l| l.len() > 1).count(),
        cairn,
        kmeans_same_vectors,
        kmeans_tfidf,
        matches,
        themes: found
            .discovery
            .file
            .themes
            .iter()
            .map(|t| t.label.clone())
            .collect(),
        skipped: gold.skipped,
    })
}

/// Plain k-means (k-means++ seeding, one run) over every row.
fn plain_kmeans(space: &Space, k: usize) -> Vec<Option<String>> {
    let items: Vec<usize> = (0..space.len()).collect();
    let c = kmeans(space, &items, k, 42, 100);
    c.labels.iter().map(|l| Some(format!("k{l}"))).collect()
}

/// TF-IDF over lowercased words (with `stem`, over cairn's stemmed terms
/// and phrases instead), unit length: the baseline vectors.
fn plain_tfidf(texts: &[&str], stem: bool) -> Space {
    let mut analyzer = Analyzer::new();
    let docs: Vec<Vec<String>> = texts
        .iter()
        .map(|t| {
            if stem {
                analyzer
                    .terms(t)
                    .into_iter()
                    .filter(|x| x.n <= 2)
                    .map(|x| x.key)
                    .collect()
            } else {
                t.split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            }
        })
        .collect();
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &docs {
        for w in d.iter().collect::<BTreeSet<_>>() {
            *df.entry(w).or_default() += 1;
        }
    }
    let n = docs.len() as f32;
    let vocab: BTreeMap<&str, (u32, f32)> = df
        .iter()
        .enumerate()
        .map(|(i, (w, d))| (*w, (i as u32, ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0)))
        .collect();
    let rows = docs
        .iter()
        .map(|d| {
            let mut r: Vec<(u32, f32)> = d.iter().map(|w| vocab[w.as_str()]).collect();
            r.sort_by_key(|x| x.0);
            r.dedup_by_key(|x| x.0);
            let norm = r.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            r.iter_mut().for_each(|x| x.1 /= norm.max(1e-12));
            r
        })
        .collect();
    Space::Sparse {
        rows,
        dim: vocab.len(),
    }
}

fn scores(first: &[String], labels: &[BTreeSet<String>], pred: &[Option<String>]) -> ClusterScores {
    let clusters: Vec<String> = pred
        .iter()
        .map(|p| p.clone().unwrap_or_else(|| "(unthemed)".into()))
        .collect();
    let matches = best_matches(labels, pred);
    let f1 = |m: &CategoryMatch| {
        if m.precision + m.recall > 0.0 {
            2.0 * m.precision * m.recall / (m.precision + m.recall)
        } else {
            0.0
        }
    };
    ClusterScores {
        clusters: pred.iter().flatten().collect::<BTreeSet<_>>().len(),
        coverage: pred.iter().filter(|p| p.is_some()).count() as f64 / pred.len().max(1) as f64,
        nmi: nmi(first, &clusters),
        ari: ari(first, &clusters),
        purity: purity(first, &clusters),
        mean_best_f1: matches.iter().map(f1).sum::<f64>() / matches.len().max(1) as f64,
    }
}

/// Joint and marginal counts of two labelings.
type Counts<'a> = (
    BTreeMap<(&'a str, &'a str), usize>,
    BTreeMap<&'a str, usize>,
    BTreeMap<&'a str, usize>,
);

/// Contingency counts of two labelings.
fn table<'a>(a: &'a [String], b: &'a [String]) -> Counts<'a> {
    let mut joint = BTreeMap::new();
    let mut ma = BTreeMap::new();
    let mut mb = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        *joint.entry((x.as_str(), y.as_str())).or_insert(0) += 1;
        *ma.entry(x.as_str()).or_insert(0) += 1;
        *mb.entry(y.as_str()).or_insert(0) += 1;
    }
    (joint, ma, mb)
}

/// Normalised mutual information, arithmetic mean of the entropies (as
/// scikit-learn's default).
pub fn nmi(a: &[String], b: &[String]) -> f64 {
    let n = a.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let (joint, ma, mb) = table(a, b);
    let h = |m: &BTreeMap<&str, usize>| -> f64 {
        m.values()
            .map(|&c| {
                let p = c as f64 / n;
                -p * p.ln()
            })
            .sum()
    };
    let mi: f64 = joint
        .iter()
        .map(|((x, y), &c)| {
            let pxy = c as f64 / n;
            let px = ma[x] as f64 / n;
            let py = mb[y] as f64 / n;
            pxy * (pxy / (px * py)).ln()
        })
        .sum();
    let (ha, hb) = (h(&ma), h(&mb));
    if ha + hb == 0.0 {
        1.0
    } else {
        (2.0 * mi / (ha + hb)).max(0.0)
    }
}

/// Adjusted Rand index.
pub fn ari(a: &[String], b: &[String]) -> f64 {
    let c2 = |x: usize| (x * x.saturating_sub(1)) as f64 / 2.0;
    let (joint, ma, mb) = table(a, b);
    let index: f64 = joint.values().map(|&c| c2(c)).sum();
    let sa: f64 = ma.values().map(|&c| c2(c)).sum();
    let sb: f64 = mb.values().map(|&c| c2(c)).sum();
    let total = c2(a.len());
    if total == 0.0 {
        return 0.0;
    }
    let expected = sa * sb / total;
    let max = (sa + sb) / 2.0;
    if max == expected {
        0.0
    } else {
        (index - expected) / (max - expected)
    }
}

/// Share of rows in their cluster's most common category.
pub fn purity(a: &[String], b: &[String]) -> f64 {
    let (joint, _, _) = table(a, b);
    let mut best: BTreeMap<&str, usize> = BTreeMap::new();
    for ((_, y), c) in joint {
        let e = best.entry(y).or_insert(0);
        *e = (*e).max(c);
    }
    best.values().sum::<usize>() as f64 / a.len().max(1) as f64
}

/// For each category, the cluster with the best F1 against the rows that
/// carry it.
fn best_matches(labels: &[BTreeSet<String>], pred: &[Option<String>]) -> Vec<CategoryMatch> {
    let cats: BTreeSet<&String> = labels.iter().flatten().collect();
    let mut size: BTreeMap<&str, usize> = BTreeMap::new();
    for p in pred.iter().flatten() {
        *size.entry(p.as_str()).or_default() += 1;
    }
    cats.into_iter()
        .map(|cat| {
            let rows = labels.iter().filter(|l| l.contains(cat)).count();
            let mut hit: BTreeMap<&str, usize> = BTreeMap::new();
            for (l, p) in labels.iter().zip(pred) {
                if let (true, Some(p)) = (l.contains(cat), p) {
                    *hit.entry(p.as_str()).or_default() += 1;
                }
            }
            let best = hit
                .iter()
                .map(|(t, &h)| {
                    let p = h as f64 / size[t] as f64;
                    let r = h as f64 / rows.max(1) as f64;
                    let f = if p + r > 0.0 {
                        2.0 * p * r / (p + r)
                    } else {
                        0.0
                    };
                    (f, p, r, *t)
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.3.cmp(a.3)));
            match best {
                Some((_, p, r, t)) => CategoryMatch {
                    category: cat.clone(),
                    rows,
                    theme: t.to_string(),
                    precision: p,
                    recall: r,
                },
                None => CategoryMatch {
                    category: cat.clone(),
                    rows,
                    theme: "(none)".into(),
                    precision: 0.0,
                    recall: 0.0,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn agreement_figures_match_hand_computed_values() {
        // Identical partitions under other names: perfect on every figure.
        let a = s(&["x", "x", "y", "y", "z", "z"]);
        let b = s(&["1", "1", "2", "2", "3", "3"]);
        assert!((nmi(&a, &b) - 1.0).abs() < 1e-12);
        assert!((ari(&a, &b) - 1.0).abs() < 1e-12);
        assert_eq!(purity(&a, &b), 1.0);
        // One cluster for everything: no information, chance agreement.
        let one = s(&["1"; 6]);
        assert!(nmi(&a, &one).abs() < 1e-12);
        assert!(ari(&a, &one).abs() < 1e-12);
        assert!((purity(&a, &one) - 2.0 / 6.0).abs() < 1e-12);
        // scikit-learn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714…,
        // normalized_mutual_info_score(...) = 0.8.
        let g = s(&["a", "a", "b", "b"]);
        let p = s(&["1", "1", "2", "3"]);
        assert!(
            (ari(&g, &p) - 0.571_428_571_4).abs() < 1e-9,
            "{}",
            ari(&g, &p)
        );
        assert!((nmi(&g, &p) - 0.8).abs() < 1e-9, "{}", nmi(&g, &p));
    }
}
