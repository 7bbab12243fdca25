//! Hand-built snippets for the synthesis unit tests.

use crate::model::{
    Polarity, Role, Sentiment, Snippet, SourceKind, SourceRef, Tag, TaggedSnippet, Tags,
};
use chrono::TimeZone;

pub(crate) fn tag(value: &str) -> Tag {
    Tag {
        value: value.into(),
        confidence: 0.9,
        evidence: "test".into(),
    }
}

/// A customer-voice snippet with hand-set tags.
#[allow(clippy::too_many_arguments)]
pub(crate) fn snip(
    customer: Option<&str>,
    doc: &str,
    kind: SourceKind,
    day: u32,
    text: &str,
    score: f64,
    stage: &str,
    theme: Option<&str>,
) -> TaggedSnippet {
    let label = if score <= -0.05 {
        Polarity::Negative
    } else if score >= 0.05 {
        Polarity::Positive
    } else {
        Polarity::Neutral
    };
    TaggedSnippet {
        snippet: Snippet {
            id: crate::model::stable_id(&[doc, text]),
            doc_id: doc.into(),
            kind,
            source: SourceRef {
                path: "t.csv".into(),
                line: 2,
                row: Some(1),
                timestamp: None,
            },
            speaker: None,
            role: Role::Customer,
            customer: customer.map(str::to_string),
            date: Some(chrono::Utc.with_ymd_and_hms(2026, 1, day, 9, 0, 0).unwrap()),
            rating: None,
            score: None,
            channel: Some("zendesk".into()),
            topic: None,
            text: text.into(),
            context: text.into(),
        },
        tags: Tags {
            sentiment: Sentiment {
                score,
                label,
                confidence: 0.8,
                evidence: "test".into(),
            },
            stage: tag(stage),
            intent_signal: tag("informational"),
            intent_cluster: None,
            quadrant: tag("says"),
            pain: score < 0.0,
            gain: score > 0.0,
            themes: Vec::new(),
            engine: "test".into(),
        },
        themes: theme.map(tag).into_iter().collect(),
    }
}
