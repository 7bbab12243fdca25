//! Pain by meaning: pain snippets clustered by their embeddings, each
//! cluster labeled by its distinctive words and reconciled with the
//! codebook themes its members carry. Only engines that embed (the neural
//! engine) give clusters; the lexicon engine gives none.
//!
//! Clustering is agglomerative with average linkage on cosine distance
//! (kodama), cut at [`CUT`]. At most [`MAX_CLUSTERED`] snippets enter the
//! tree (the pairwise matrix grows with the square); the rest join the
//! cluster whose centroid is nearest. Words are ranked by class-based
//! TF-IDF: a word's share of a cluster's words times ln(1 + average words
//! per cluster / the word's count over all clusters). A cluster whose
//! members mostly carry no single codebook theme is a candidate for a new
//! theme.

use super::person;
use super::quotes::{pick, Quote};
use super::terms::{terms_of, STOPWORDS};
use crate::model::TaggedSnippet;
use std::collections::{BTreeMap, BTreeSet};

/// Cosine distance at which the tree is cut: members of a cluster are on
/// average at least this similar (cosine ≥ 1 − CUT).
pub const CUT: f32 = 0.6;
/// Pain snippets clustered directly (the distance matrix holds n² / 2
/// floats: 8 MB at 2,000).
pub const MAX_CLUSTERED: usize = 2000;
/// Fewest people for a cluster to be reported.
pub const MIN_PEOPLE: usize = 3;
/// Clusters listed in the report.
pub const MAX_LISTED: usize = 12;
/// Words shown per cluster.
const WORDS: usize = 5;
/// A cluster is "mostly one theme" when this share of its members carry it.
pub const THEME_MAJORITY: f64 = 0.5;

/// One cluster of pain snippets.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PainCluster {
    pub snippets: usize,
    pub people: usize,
    /// Distinctive words and phrases, best first.
    pub words: Vec<String>,
    /// The codebook theme most members carry, and the share that do.
    pub theme: Option<(String, f64)>,
    /// The members closest to the centroid, cited.
    pub quotes: Vec<Quote>,
}

impl PainCluster {
    /// No codebook theme covers a majority of the members.
    pub fn is_new(&self) -> bool {
        self.theme
            .as_ref()
            .is_none_or(|(_, share)| *share < THEME_MAJORITY)
    }
}

/// Cluster `pain` (customer-voice pain snippets, any order) with their
/// embeddings `embs` (unit vectors, same order).
pub fn discover(pain: &[&TaggedSnippet], embs: &[Vec<f32>]) -> Vec<PainCluster> {
    if pain.len() < MIN_PEOPLE || pain.len() != embs.len() {
        return Vec::new();
    }
    // A fixed order (snippet ids are content hashes) makes the sample and
    // the tree the same whatever order the index returned.
    let mut order: Vec<usize> = (0..pain.len()).collect();
    order.sort_by(|&a, &b| pain[a].snippet.id.cmp(&pain[b].snippet.id));
    let (tree, rest) = order.split_at(order.len().min(MAX_CLUSTERED));
    let n = tree.len();
    let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let cos = crate::embed::dot(&embs[tree[i]], &embs[tree[j]]);
            condensed.push((1.0 - cos).max(0.0));
        }
    }
    let dendrogram = kodama::linkage(&mut condensed, n, kodama::Method::Average);
    // Union the merges below the cut.
    let mut parent: Vec<usize> = (0..2 * n).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for (k, step) in dendrogram.steps().iter().enumerate() {
        if step.dissimilarity > CUT {
            break;
        }
        let new = n + k;
        let (a, b) = (
            root(&mut parent, step.cluster1),
            root(&mut parent, step.cluster2),
        );
        parent[a] = new;
        parent[b] = new;
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &idx) in tree.iter().enumerate() {
        groups.entry(root(&mut parent, i)).or_default().push(idx);
    }
    let mut groups: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|g| distinct_people(pain, g) >= MIN_PEOPLE)
        .collect();
    // The snippets past the sample join the nearest centroid, if close.
    let centroids: Vec<Vec<f32>> = groups.iter().map(|g| centroid(embs, g)).collect();
    for &idx in rest {
        let best = centroids
            .iter()
            .enumerate()
            .map(|(c, v)| (c, crate::embed::dot(&embs[idx], v)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((c, cos)) = best {
            if 1.0 - cos <= CUT {
                groups[c].push(idx);
            }
        }
    }
    let words = ctfidf(pain, &groups);
    let mut clusters: Vec<PainCluster> = groups
        .iter()
        .zip(words)
        .map(|(g, words)| {
            let c = centroid(embs, g);
            let members: Vec<&TaggedSnippet> = g.iter().map(|&i| pain[i]).collect();
            let closeness: BTreeMap<&str, f32> = g
                .iter()
                .map(|&i| (pain[i].snippet.id.as_str(), crate::embed::dot(&embs[i], &c)))
                .collect();
            let quotes = pick(members.iter().copied(), 2, |t| {
                f64::from(closeness[t.snippet.id.as_str()])
            });
            PainCluster {
                snippets: g.len(),
                people: distinct_people(pain, g),
                words,
                theme: dominant_theme(&members),
                quotes,
            }
        })
        .collect();
    clusters.sort_by(|a, b| {
        b.people
            .cmp(&a.people)
            .then(b.snippets.cmp(&a.snippets))
            .then(a.words.cmp(&b.words))
    });
    clusters.truncate(MAX_LISTED);
    clusters
}

fn distinct_people(pain: &[&TaggedSnippet], g: &[usize]) -> usize {
    g.iter()
        .map(|&i| person(pain[i]))
        .collect::<BTreeSet<_>>()
        .len()
}

fn centroid(embs: &[Vec<f32>], g: &[usize]) -> Vec<f32> {
    crate::embed::unit_mean(g.iter().map(|&i| embs[i].as_slice()))
}

fn dominant_theme(members: &[&TaggedSnippet]) -> Option<(String, f64)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in members {
        if let Some(th) = t.tags.themes.first() {
            *counts.entry(th.value.as_str()).or_default() += 1;
        }
    }
    let (id, k) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
    Some((id.to_string(), k as f64 / members.len() as f64))
}

/// The [`WORDS`] most distinctive terms of each group (class-based TF-IDF;
/// a term must occur in two or more of the group's snippets).
fn ctfidf(pain: &[&TaggedSnippet], groups: &[Vec<usize>]) -> Vec<Vec<String>> {
    let stop: BTreeSet<&str> = STOPWORDS.iter().copied().collect();
    let counts: Vec<BTreeMap<String, usize>> = groups
        .iter()
        .map(|g| {
            let mut m = BTreeMap::new();
            for &i in g {
                for term in terms_of(&pain[i].snippet.text, &stop) {
                    *m.entry(term).or_default() += 1;
                }
            }
            m
        })
        .collect();
    let mut overall: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &counts {
        for (t, k) in m {
            *overall.entry(t.as_str()).or_default() += k;
        }
    }
    let totals: Vec<usize> = counts.iter().map(|m| m.values().sum()).collect();
    let avg = totals.iter().sum::<usize>() as f64 / totals.len().max(1) as f64;
    counts
        .iter()
        .zip(&totals)
        .map(|(m, &total)| {
            let mut scored: Vec<(f64, &String)> = m
                .iter()
                .filter(|(_, &k)| k >= 2)
                .map(|(t, &k)| {
                    let tf = k as f64 / total.max(1) as f64;
                    (tf * (1.0 + avg / overall[t.as_str()] as f64).ln(), t)
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            let mut out: Vec<String> = Vec::new();
            for (_, t) in scored {
                // A phrase and the words inside it say the same thing once.
                if out
                    .iter()
                    .any(|o| o.contains(t.as_str()) || t.contains(o.as_str()))
                {
                    continue;
                }
                out.push(t.clone());
                if out.len() == WORDS {
                    break;
                }
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::synth::testing::snip;

    /// A unit vector near axis `axis`, nudged by `k`.
    fn near(axis: usize, k: usize) -> Vec<f32> {
        let mut v = vec![0.0f32; 8];
        v[axis] = 1.0;
        v[(axis + 1 + k % 3) % 8] = 0.15;
        let n = crate::embed::dot(&v, &v).sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn snippets_that_mean_the_same_cluster_and_are_labeled_by_their_words() {
        let mut pain = Vec::new();
        let mut embs = Vec::new();
        for k in 0..6 {
            pain.push(snip(
                Some(&format!("C{k}")),
                &format!("t{k}"),
                SourceKind::Ticket,
                1 + k as u32,
                [
                    "Bank sync stopped again and transactions are missing",
                    "My bank sync has been broken since Monday",
                    "Why does sync keep dropping my card account",
                    "Sync with the credit union fails every night",
                    "Half my transactions never sync",
                    "The bank feed sync says error 502",
                ][k],
                -0.6,
                "retention",
                Some("integrations"),
            ));
            embs.push(near(0, k));
        }
        for k in 0..4 {
            pain.push(snip(
                Some(&format!("D{k}")),
                &format!("r{k}"),
                SourceKind::Review,
                1 + k as u32,
                &format!("Exporting the tax report takes forever, export {k} failed"),
                -0.5,
                "retention",
                if k < 3 { None } else { Some("performance") },
            ));
            embs.push(near(4, k));
        }
        // Two people only: below the bar, not reported.
        for k in 0..2 {
            pain.push(snip(
                Some("E1"),
                &format!("s{k}"),
                SourceKind::Social,
                1,
                "The widget colour is ugly",
                -0.4,
                "retention",
                None,
            ));
            embs.push(near(7, k));
        }
        let refs: Vec<&TaggedSnippet> = pain.iter().collect();
        let clusters = discover(&refs, &embs);
        assert_eq!(clusters.len(), 2, "{clusters:#?}");
        let sync = &clusters[0];
        assert_eq!((sync.people, sync.snippets), (6, 6));
        assert_eq!(sync.theme, Some(("integrations".to_string(), 1.0)));
        assert!(!sync.is_new());
        assert!(
            sync.words.iter().any(|w| w.contains("sync")),
            "{:?}",
            sync.words
        );
        assert_eq!(sync.quotes.len(), 2, "two quotes that say different things");
        let export = &clusters[1];
        assert_eq!(export.people, 4);
        // One of four carries a theme: a candidate new theme.
        assert_eq!(export.theme, Some(("performance".to_string(), 0.25)));
        assert!(export.is_new());
        assert!(
            export.words.iter().any(|w| w.contains("export")),
            "{:?}",
            export.words
        );
        // Any input order gives the same clusters.
        let mut rev = refs.clone();
        rev.reverse();
        let mut rev_embs = embs.clone();
        rev_embs.reverse();
        assert_eq!(discover(&rev, &rev_embs), clusters);
    }
}
