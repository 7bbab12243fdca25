//! Sentiment baselines: a text in, a polarity score in [-1, 1] and a label
//! out, to set cairn's sentiment beside a well-known reference. The one
//! shipped is VADER (Hutto & Gilbert 2014) through the `vader_sentiment`
//! crate, with its standard thresholds.

use crate::model::Polarity;
use vader_sentiment::SentimentIntensityAnalyzer;

/// A sentiment scorer to compare against.
pub trait SentimentBaseline: Send + Sync {
    /// Name shown in the output (`vader`).
    fn name(&self) -> &'static str;
    /// Polarity score in [-1, 1].
    fn score(&self, text: &str) -> f64;
    /// The label for a score.
    fn label(&self, score: f64) -> Polarity;
}

/// VADER's compound score; ≥ 0.05 positive, ≤ −0.05 negative, else neutral.
pub struct Vader {
    analyzer: SentimentIntensityAnalyzer<'static>,
}

impl Vader {
    pub const THRESHOLD: f64 = 0.05;

    pub fn new() -> Vader {
        Vader {
            analyzer: SentimentIntensityAnalyzer::new(),
        }
    }
}

impl Default for Vader {
    fn default() -> Vader {
        Vader::new()
    }
}

impl std::fmt::Debug for Vader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vader")
    }
}

impl SentimentBaseline for Vader {
    fn name(&self) -> &'static str {
        "vader"
    }

    fn score(&self, text: &str) -> f64 {
        if text.trim().is_empty() {
            return 0.0;
        }
        self.analyzer
            .polarity_scores(text)
            .get("compound")
            .copied()
            .unwrap_or(0.0)
    }

    fn label(&self, score: f64) -> Polarity {
        if score >= Vader::THRESHOLD {
            Polarity::Positive
        } else if score <= -Vader::THRESHOLD {
            Polarity::Negative
        } else {
            Polarity::Neutral
        }
    }
}

/// The baselines `--baseline` accepts.
pub const BASELINES: [&str; 1] = ["vader"];

/// A baseline by name (case-insensitive).
pub fn baseline(name: &str) -> Option<Box<dyn SentimentBaseline>> {
    match name.trim().to_ascii_lowercase().as_str() {
        "vader" => Some(Box::new(Vader::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vader_scores_and_thresholds() {
        let v = Vader::new();
        let pos = v.score("The support team was great and super helpful!");
        let neg = v.score("Terrible app, it crashes and I hate it.");
        assert!(pos > 0.5, "{pos}");
        assert!(neg < -0.5, "{neg}");
        assert_eq!(v.label(pos), Polarity::Positive);
        assert_eq!(v.label(neg), Polarity::Negative);
        assert_eq!(v.label(0.05), Polarity::Positive);
        assert_eq!(v.label(-0.05), Polarity::Negative);
        assert_eq!(v.label(0.049), Polarity::Neutral);
        assert_eq!(v.score("   "), 0.0);
        assert_eq!(
            v.label(v.score("The invoice is attached.")),
            Polarity::Neutral
        );
    }

    #[test]
    fn baselines_by_name() {
        assert_eq!(baseline("VADER").map(|b| b.name()), Some("vader"));
        assert!(baseline("textblob").is_none());
    }
}
