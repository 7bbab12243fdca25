//! Prediction: a gold text in, the [`Classifier`]'s label, confidence and
//! sentiment score for one [`Dimension`] out.
//!
//! The text goes through what `cairn run` does to a record before tagging
//! (redaction, whitespace collapsed) and is tagged as one customer snippet,
//! whole: a gold label describes the whole text, so it is not split into
//! sentences. When the gold row says which message the text came from (the
//! whole turn), that message is the snippet's context, as in `cairn run`;
//! otherwise the text is its own context.

use super::labels::{Dimension, NONE};
use crate::classify::Classifier;
use crate::model::{stable_id, Role, Snippet, SourceKind, SourceRef, Tags};
use crate::segment::{normalize_space, redact};

/// What a classifier said about one text, for one dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub label: String,
    /// The tag's confidence; `None` when nothing was tagged (no cluster or
    /// no theme), which has no confidence of its own.
    pub confidence: Option<f64>,
    /// The sentiment score in [-1, 1] (every dimension carries it).
    pub score: f64,
    /// The kind of evidence behind the label (see `classify::calibration`);
    /// `None` when nothing was tagged.
    pub evidence_kind: Option<&'static str>,
}

/// The snippet `cairn run` would tag for this text, from a message
/// (`context`, the whole turn) of this kind.
pub fn snippet(
    text: &str,
    context: Option<&str>,
    kind: SourceKind,
    path: &str,
    line: u64,
) -> Snippet {
    let text = normalize_space(&redact(text));
    let context = context.map_or_else(|| text.clone(), |c| normalize_space(&redact(c)));
    let id = stable_id(&[path, &line.to_string()]);
    Snippet {
        id: id.clone(),
        doc_id: id,
        kind,
        source: SourceRef {
            path: path.to_string(),
            line,
            row: None,
            timestamp: None,
        },
        speaker: None,
        role: Role::Customer,
        customer: None,
        date: None,
        rating: None,
        score: None,
        channel: None,
        topic: None,
        context,
        text,
    }
}

/// The label and confidence `tags` give for `dimension`.
pub fn label_of(tags: &Tags, dimension: Dimension) -> Prediction {
    use crate::classify::calibration::{evidence_kind, sentiment_kind};
    let tag = |t: Option<&crate::model::Tag>| match t {
        Some(t) => (
            t.value.clone(),
            Some(t.confidence),
            Some(evidence_kind(&t.evidence)),
        ),
        None => (NONE.to_string(), None, None),
    };
    let (label, confidence, kind) = match dimension {
        Dimension::Sentiment => (
            tags.sentiment.label.as_str().to_string(),
            Some(tags.sentiment.confidence),
            Some(sentiment_kind(&tags.sentiment)),
        ),
        Dimension::Stage => tag(Some(&tags.stage)),
        Dimension::IntentSignal => tag(Some(&tags.intent_signal)),
        Dimension::IntentCluster => tag(tags.intent_cluster.as_ref()),
        Dimension::Quadrant => tag(Some(&tags.quadrant)),
        Dimension::Theme => tag(tags.themes.first()),
    };
    Prediction {
        label,
        confidence,
        score: tags.sentiment.score,
        evidence_kind: kind,
    }
}

/// Tag one snippet and read off `dimension`.
pub fn predict(classifier: &dyn Classifier, snippet: &Snippet, dimension: Dimension) -> Prediction {
    label_of(&classifier.classify(snippet), dimension)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Codebook, LexiconEngine, SentimentLexicon};
    use crate::model::Polarity;

    #[test]
    fn snippets_are_redacted_customer_text() {
        let s = snippet(
            "Mail me at ann@example.com\n  about the   refund",
            None,
            SourceKind::Survey,
            "g.csv",
            4,
        );
        assert_eq!(s.text, "Mail me at [EMAIL] about the refund");
        assert_eq!(s.context, s.text);
        let t = snippet(
            "Still no refund.",
            Some("Hi, call me on 555-201-3344.\nStill no refund."),
            SourceKind::Ticket,
            "g.csv",
            5,
        );
        assert_eq!(t.text, "Still no refund.");
        assert!(!t.context.contains("3344"), "{}", t.context);
        assert!(t.context.ends_with("Still no refund."), "{}", t.context);
        assert_eq!(
            (s.role, s.kind, s.source.line),
            (Role::Customer, SourceKind::Survey, 4)
        );
    }

    #[test]
    fn every_dimension_reads_its_tag() {
        let engine = LexiconEngine::new(&Codebook::embedded(), SentimentLexicon::embedded());
        let s = snippet(
            "I was charged twice this month and still no refund.",
            None,
            SourceKind::Ticket,
            "g.csv",
            2,
        );
        let tags = engine.classify(&s);
        let p = predict(&engine, &s, Dimension::Sentiment);
        assert_eq!(p.label, Polarity::Negative.as_str());
        assert_eq!(p.confidence, Some(tags.sentiment.confidence));
        assert_eq!(p.score, tags.sentiment.score);
        assert_eq!(label_of(&tags, Dimension::Stage).label, tags.stage.value);
        assert_eq!(
            label_of(&tags, Dimension::Quadrant).confidence,
            Some(tags.quadrant.confidence)
        );
        assert_eq!(
            label_of(&tags, Dimension::Theme).label,
            tags.themes[0].value
        );
        let mut none = tags.clone();
        none.themes.clear();
        none.intent_cluster = None;
        let p = label_of(&none, Dimension::Theme);
        assert_eq!((p.label.as_str(), p.confidence), ("none", None));
        assert_eq!(label_of(&none, Dimension::IntentCluster).label, "none");
    }
}
