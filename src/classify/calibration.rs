//! Confidence calibration: a tag's evidence kind in, a confidence that is the
//! measured accuracy of that kind of evidence out.
//!
//! Raw confidences from cue scores are not probabilities; measured on the
//! gold dev split, a prior can be right more often than a matched cue. So
//! every tag's evidence is sorted into a kind (a phrase cue, a single-word
//! cue, the message's context, a rule, a prior), and the confidence is the
//! accuracy that kind reached on dev, from `models/calibration.toml`
//! (produced with `cairn eval … --where split=dev`, see its header). Kinds
//! missing from the table keep their raw confidence.

use crate::error::{Error, Result};
use crate::model::{Polarity, Sentiment, Tags};
use std::collections::BTreeMap;
use std::path::Path;

/// The calibration shipped with cairn.
pub const DEFAULT_CALIBRATION: &str = include_str!("../../models/calibration.toml");

/// The kind of evidence behind a categorical tag, from its evidence string.
pub fn evidence_kind(evidence: &str) -> &'static str {
    if let Some(rest) = evidence.strip_prefix("cue \"") {
        let cue = rest.split('"').next().unwrap_or("");
        return if cue.split_whitespace().count() >= 2 {
            "cue-phrase"
        } else {
            "cue-word"
        };
    }
    if evidence.starts_with("neural") {
        "neural"
    } else if evidence.starts_with("context:") {
        "context"
    } else if evidence.starts_with("rule:") {
        "rule"
    } else if evidence.starts_with("problem report") {
        "problem-report"
    } else {
        // "prior: …", "default: …"
        "prior"
    }
}

/// The kind of evidence behind a sentiment.
pub fn sentiment_kind(s: &Sentiment) -> &'static str {
    if s.evidence.starts_with("neural") {
        "neural"
    } else if s.evidence.starts_with("problem report") {
        "problem-report"
    } else if s.evidence == "no sentiment cue" {
        "no-cue"
    } else if s.label == Polarity::Neutral {
        "weak-cues"
    } else if s.score.abs() >= 0.5 {
        "strong"
    } else {
        "moderate"
    }
}

/// Measured accuracy per dimension and evidence kind.
#[derive(Debug, Clone, Default)]
pub struct Calibration {
    table: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Calibration {
    pub fn embedded() -> Calibration {
        Calibration::parse(DEFAULT_CALIBRATION, Path::new("<embedded>"))
            .expect("the embedded calibration is valid (tested)")
    }

    pub fn parse(text: &str, origin: &Path) -> Result<Calibration> {
        let table: BTreeMap<String, BTreeMap<String, f64>> =
            toml::from_str(text).map_err(|e| Error::Codebook {
                path: origin.to_path_buf(),
                reason: format!("calibration: {e}"),
            })?;
        for (dim, kinds) in &table {
            for (kind, v) in kinds {
                if !(0.0..=1.0).contains(v) {
                    return Err(Error::Codebook {
                        path: origin.to_path_buf(),
                        reason: format!("calibration: {dim}.{kind} = {v} is not in [0, 1]"),
                    });
                }
            }
        }
        Ok(Calibration { table })
    }

    pub fn get(&self, dimension: &str, kind: &str) -> Option<f64> {
        self.table.get(dimension)?.get(kind).copied()
    }

    /// Replace raw confidences with calibrated ones where the table has them.
    pub fn apply(&self, tags: &mut Tags) {
        if let Some(c) = self.get("sentiment", sentiment_kind(&tags.sentiment)) {
            tags.sentiment.confidence = c;
        }
        let set = |dim: &str, tag: &mut crate::model::Tag| {
            if let Some(c) = self.get(dim, evidence_kind(&tag.evidence)) {
                tag.confidence = c;
            }
        };
        set("stage", &mut tags.stage);
        set("intent_signal", &mut tags.intent_signal);
        set("quadrant", &mut tags.quadrant);
        if let Some(t) = tags.intent_cluster.as_mut() {
            set("intent_cluster", t);
        }
        for t in &mut tags.themes {
            set("theme", t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_kinds_are_read_from_evidence_strings() {
        assert_eq!(evidence_kind("cue \"on hold\""), "cue-phrase");
        assert_eq!(
            evidence_kind("cue \"refund*\" (section heading)"),
            "cue-word"
        );
        assert_eq!(evidence_kind("context: cue \"trial\" elsewhere"), "context");
        assert_eq!(
            evidence_kind("prior: no stage cue in a ticket message"),
            "prior"
        );
        assert_eq!(evidence_kind("default: a plain statement"), "prior");
        assert_eq!(
            evidence_kind("rule: an evaluation (\"great\" +2.0)"),
            "rule"
        );
    }

    #[test]
    fn embedded_calibration_is_valid_and_bad_values_are_refused() {
        let c = Calibration::embedded();
        assert!(c.get("stage", "prior").is_some());
        let e = Calibration::parse("[stage]\nprior = 1.5\n", Path::new("cal.toml")).unwrap_err();
        assert!(e.to_string().contains("cal.toml"), "{e}");
    }
}
