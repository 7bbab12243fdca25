//! What is evaluated: a [`Dimension`] name in, the [`LabelSet`] of labels a
//! gold file may use for it (from the codebook) out, with gold spellings
//! resolved to canonical ids.

use crate::classify::codebook::{Codebook, Entry};
use crate::model::Polarity;
use std::fmt;

/// One tag dimension that can be scored against gold labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Sentiment,
    Stage,
    IntentSignal,
    IntentCluster,
    Quadrant,
    Theme,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Sentiment,
        Dimension::Stage,
        Dimension::IntentSignal,
        Dimension::IntentCluster,
        Dimension::Quadrant,
        Dimension::Theme,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Sentiment => "sentiment",
            Dimension::Stage => "stage",
            Dimension::IntentSignal => "intent_signal",
            Dimension::IntentCluster => "intent_cluster",
            Dimension::Quadrant => "quadrant",
            Dimension::Theme => "theme",
        }
    }

    /// Case-insensitive; `-` and `_` interchangeable; `signal`, `cluster`
    /// and `themes` accepted as short forms.
    pub fn parse(s: &str) -> Option<Dimension> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "sentiment" => Some(Dimension::Sentiment),
            "stage" | "journey_stage" => Some(Dimension::Stage),
            "intent_signal" | "signal" => Some(Dimension::IntentSignal),
            "intent_cluster" | "cluster" => Some(Dimension::IntentCluster),
            "quadrant" => Some(Dimension::Quadrant),
            "theme" | "themes" => Some(Dimension::Theme),
            _ => None,
        }
    }

    /// The names [`Dimension::parse`] documents, comma-separated.
    pub fn allowed() -> String {
        Dimension::ALL.map(Dimension::as_str).join(", ")
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The label a cluster or theme gold row uses for "no cluster / no theme".
pub const NONE: &str = "none";

/// The canonical labels of one dimension and the spellings that map to them.
#[derive(Debug, Clone)]
pub struct LabelSet {
    dimension: Dimension,
    /// Canonical labels, in codebook order.
    ids: Vec<String>,
    /// (normalized spelling, canonical label).
    spellings: Vec<(String, String)>,
}

impl LabelSet {
    /// Labels of `dimension`: fixed for sentiment; the codebook's ids for the
    /// rest, plus `none` for intent clusters and themes. A gold label may be
    /// the id or the codebook label text, in any case, with spaces, `_` or
    /// `-` between words.
    pub fn new(dimension: Dimension, codebook: &Codebook) -> LabelSet {
        let entries = |e: &[Entry]| -> Vec<(String, String)> {
            e.iter().map(|e| (e.id.clone(), e.label.clone())).collect()
        };
        let mut pairs = match dimension {
            Dimension::Sentiment => {
                return LabelSet::fixed(
                    dimension,
                    [Polarity::Negative, Polarity::Neutral, Polarity::Positive]
                        .map(|p| p.as_str().to_string())
                        .to_vec(),
                )
            }
            Dimension::Stage => entries(&codebook.stage),
            Dimension::IntentSignal => entries(&codebook.signal),
            Dimension::IntentCluster => entries(&codebook.cluster),
            Dimension::Quadrant => entries(&codebook.quadrant),
            Dimension::Theme => entries(&codebook.theme),
        };
        if matches!(dimension, Dimension::IntentCluster | Dimension::Theme) {
            pairs.push((NONE.to_string(), NONE.to_string()));
        }
        let mut spellings = Vec::new();
        for (id, label) in &pairs {
            spellings.push((normalize(id), id.clone()));
            spellings.push((normalize(label), id.clone()));
        }
        LabelSet {
            dimension,
            ids: pairs.into_iter().map(|(id, _)| id).collect(),
            spellings,
        }
    }

    fn fixed(dimension: Dimension, ids: Vec<String>) -> LabelSet {
        LabelSet {
            dimension,
            spellings: ids.iter().map(|id| (normalize(id), id.clone())).collect(),
            ids,
        }
    }

    pub fn dimension(&self) -> Dimension {
        self.dimension
    }

    /// Canonical labels, in codebook order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The canonical label a gold spelling stands for, if any. Sentiment
    /// also takes `neg`, `neu` and `pos`.
    pub fn resolve(&self, gold: &str) -> Option<&str> {
        if self.dimension == Dimension::Sentiment {
            if let Some(p) = Polarity::parse(gold) {
                return self
                    .ids
                    .iter()
                    .find(|id| *id == p.as_str())
                    .map(String::as_str);
            }
        }
        let key = normalize(gold);
        self.spellings
            .iter()
            .find(|(s, _)| *s == key)
            .map(|(_, id)| id.as_str())
    }

    /// Why `gold` was rejected, listing the allowed labels.
    pub fn unknown(&self, gold: &str) -> String {
        format!(
            "unknown {} label {:?}; expected one of: {}",
            self.dimension,
            gold.trim(),
            self.ids.join(", ")
        )
    }
}

/// Lowercase, with runs of spaces, `_` and `-` collapsed into one `-`.
fn normalize(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_parse_loosely() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.as_str()), Some(d));
        }
        assert_eq!(
            Dimension::parse("Intent-Signal"),
            Some(Dimension::IntentSignal)
        );
        assert_eq!(Dimension::parse("cluster"), Some(Dimension::IntentCluster));
        assert_eq!(Dimension::parse("mood"), None);
    }

    #[test]
    fn gold_spellings_resolve_to_ids() {
        let cb = Codebook::embedded();
        let clusters = LabelSet::new(Dimension::IntentCluster, &cb);
        for s in [
            "price-sensitive-researcher",
            "Price-sensitive researcher",
            "PRICE_SENSITIVE_RESEARCHER",
            "price sensitive  researcher",
        ] {
            assert_eq!(
                clusters.resolve(s),
                Some("price-sensitive-researcher"),
                "{s}"
            );
        }
        assert_eq!(clusters.resolve("None"), Some("none"));
        let themes = LabelSet::new(Dimension::Theme, &cb);
        assert_eq!(themes.resolve("Missing feature"), Some("missing-feature"));
        assert_eq!(themes.resolve(" none "), Some("none"));
        let stages = LabelSet::new(Dimension::Stage, &cb);
        assert_eq!(stages.resolve("Decision"), Some("decision"));
        assert_eq!(stages.resolve("none"), None);
        let s = LabelSet::new(Dimension::Sentiment, &cb);
        assert_eq!(s.resolve("POSITIVE"), Some("positive"));
        assert_eq!(s.resolve("neg"), Some("negative"));
        assert_eq!(s.resolve("mixed"), None);
    }

    #[test]
    fn unknown_label_lists_the_allowed_ones() {
        let cb = Codebook::embedded();
        let s = LabelSet::new(Dimension::Sentiment, &cb);
        assert_eq!(
            s.unknown("Mixed "),
            "unknown sentiment label \"Mixed\"; expected one of: negative, neutral, positive"
        );
        let q = LabelSet::new(Dimension::Quadrant, &cb);
        assert!(q.unknown("x").ends_with("says, thinks, does, feels"));
    }
}
