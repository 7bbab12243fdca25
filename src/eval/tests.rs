//! `evaluate` end to end on tiny gold files in temp dirs, with a stub
//! classifier whose answers are written into each text.

use super::*;
use crate::model::{Polarity, Sentiment, Snippet, Tag, Tags};
use std::path::Path;

/// Reads its answer from the text: `<label> <confidence> <score> words…`.
/// The label is used for sentiment, stage and theme (`none` = no theme).
struct Stub;

impl Classifier for Stub {
    fn name(&self) -> &'static str {
        "stub"
    }

    fn classify(&self, snippet: &Snippet) -> Tags {
        let mut words = snippet.text.split_whitespace();
        let label = words.next().unwrap_or("neutral").to_string();
        let confidence: f64 = words.next().and_then(|w| w.parse().ok()).unwrap_or(0.5);
        let score: f64 = words.next().and_then(|w| w.parse().ok()).unwrap_or(0.0);
        let tag = |value: &str| Tag {
            value: value.to_string(),
            confidence,
            evidence: "stub".into(),
        };
        Tags {
            sentiment: Sentiment {
                score,
                label: Polarity::parse(&label).unwrap_or(Polarity::Neutral),
                confidence,
                evidence: "stub".into(),
            },
            stage: tag(&label),
            intent_signal: tag("informational"),
            intent_cluster: None,
            quadrant: tag("says"),
            pain: false,
            gain: false,
            themes: if label == "none" {
                vec![]
            } else {
                vec![tag(&label)]
            },
            engine: "stub".into(),
        }
    }
}

fn opts(path: &Path, dimension: Dimension, label: bool, score: bool) -> EvalOptions {
    EvalOptions {
        gold: path.to_path_buf(),
        spec: GoldSpec {
            text_col: "text".into(),
            label_col: label.then(|| "label".into()),
            score_col: score.then(|| "score".into()),
            ..GoldSpec::default()
        },
        dimension,
        kind: SourceKind::Review,
        coder: None,
    }
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// The worked example of `metrics::tests`: gold and predicted sentiment
///
/// ```text
/// gold \ pred  negative neutral positive
/// negative         2       1       0
/// neutral          0       1       1
/// positive         1       0       2
/// ```
///
/// accuracy = 5/8, macro-F1 = 11/18, κ = 3/7. Gold labels are spelled in
/// mixed case and short forms; two rows are skipped (empty text, empty
/// label) and one is filtered out by `split`.
const GOLD_CSV: &str = "\
text,label,split,score
negative 0.9 -0.8 charged twice,Negative,test,-3
negative 0.7 -0.5 slow refund,negative,test,-2
neutral 0.5 0.0 meh,NEG,test,-1
neutral 0.45 0.1 fine I guess,neutral,test,0
positive 0.65 0.4 nice enough,neu,test,1
positive 0.85 0.7 love it,positive,test,3
positive 0.95 0.9 best app,Positive,test,4
negative 0.3 -0.2 sarcastic great,pos,test,2
,negative,test,0
neutral 0.5 0.0 no label,,test,0
positive 0.9 0.9 other split,positive,train,4
";

#[test]
fn evaluate_scores_a_tiny_gold_file_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gold.csv");
    std::fs::write(&p, GOLD_CSV).unwrap();
    let mut o = opts(&p, Dimension::Sentiment, true, false);
    o.spec.filters = vec![("split".into(), "test".into())];
    let r = evaluate(&o, &Codebook::embedded(), &Stub, None).unwrap();
    assert_eq!(r.scores.engine, "stub");
    assert_eq!(r.scores.n, 8);
    assert_eq!((r.records, r.filtered, r.skipped.len()), (11, 1, 2));
    let c = r.scores.classes.as_ref().unwrap();
    close(c.accuracy, 0.625);
    close(c.macro_f1, 11.0 / 18.0);
    close(c.kappa.unwrap(), 3.0 / 7.0);
    assert_eq!(c.confusion.labels, ["negative", "neutral", "positive"]);
    assert_eq!(
        c.confusion.matrix,
        vec![vec![2, 1, 0], vec![0, 1, 1], vec![1, 0, 2]]
    );
    // Confidence buckets: [0,.4): 0.3 ✗; [.4,.6): 0.5 ✗, 0.45 ✓;
    // [.6,.8): 0.7 ✓, 0.65 ✗; [.8,1]: 0.9 ✓, 0.85 ✓, 0.95 ✓.
    let b: Vec<(u64, u64)> = r
        .scores
        .confidence_buckets
        .as_ref()
        .unwrap()
        .iter()
        .map(|b| (b.n, b.correct))
        .collect();
    assert_eq!(b, [(1, 0), (2, 1), (2, 1), (3, 3)]);
    assert!(r.scores.correlation.is_none());
    assert!(r.baseline.is_none());

    let json = serde_json::to_value(&r).unwrap();
    for key in [
        "n",
        "accuracy",
        "macro_f1",
        "kappa",
        "per_class",
        "confusion",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    assert_eq!(json["skipped"], 2);
    assert_eq!(json["dimension"], "sentiment");
    assert!(json.get("pearson").is_none());
}

#[test]
fn gold_scores_correlate_with_the_engine_score() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gold.csv");
    std::fs::write(&p, GOLD_CSV).unwrap();
    let mut o = opts(&p, Dimension::Sentiment, false, true);
    o.spec.filters = vec![("split".into(), "test".into())];
    let r = evaluate(&o, &Codebook::embedded(), &Stub, None).unwrap();
    // Rows without a label are fine here; the empty text is still skipped.
    assert_eq!((r.scores.n, r.skipped.len()), (9, 1));
    assert!(r.scores.classes.is_none());
    let gold = [-3.0, -2.0, -1.0, 0.0, 1.0, 3.0, 4.0, 2.0, 0.0];
    let pred = [-0.8, -0.5, 0.0, 0.1, 0.4, 0.7, 0.9, -0.2, 0.0];
    let corr = r.scores.correlation.as_ref().unwrap();
    close(
        corr.pearson.unwrap(),
        metrics::pearson(&gold, &pred).unwrap(),
    );
    close(
        corr.spearman.unwrap(),
        metrics::spearman(&gold, &pred).unwrap(),
    );
    let json = serde_json::to_value(&r).unwrap();
    assert!(
        json["pearson"].is_f64() && json["spearman"].is_f64(),
        "{json}"
    );
    assert!(json.get("accuracy").is_none());
}

#[test]
fn an_unknown_label_is_an_error_naming_line_and_allowed_labels() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gold.jsonl");
    std::fs::write(
        &p,
        "{\"text\": \"fine\", \"label\": \"neutral\"}\n{\"text\": \"so-so\", \"label\": \"Mixed\"}\n",
    )
    .unwrap();
    let e = evaluate(
        &opts(&p, Dimension::Sentiment, true, false),
        &Codebook::embedded(),
        &Stub,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.ends_with("gold.jsonl:2: unknown sentiment label \"Mixed\"; expected one of: negative, neutral, positive"), "{e}");

    std::fs::write(&p, "{\"text\": \"x\", \"label\": \"purchase\"}\n").unwrap();
    let e = evaluate(
        &opts(&p, Dimension::Stage, true, false),
        &Codebook::embedded(),
        &Stub,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.ends_with("expected one of: awareness, consideration, decision, retention, advocacy"),
        "{e}"
    );
}

#[test]
fn themes_take_codebook_labels_and_none() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gold.tsv");
    std::fs::write(
        &p,
        "text\tlabel\n\
         pricing 0.8 too expensive\tPricing\n\
         none 0.5 hello there\tnone\n\
         billing 0.7 double charge\tMissing feature\n",
    )
    .unwrap();
    let r = evaluate(
        &opts(&p, Dimension::Theme, true, false),
        &Codebook::embedded(),
        &Stub,
        None,
    )
    .unwrap();
    let c = r.scores.classes.unwrap();
    close(c.accuracy, 2.0 / 3.0);
    assert_eq!(
        c.confusion.labels,
        ["billing", "missing-feature", "none", "pricing"]
    );
    // The `none` prediction has no confidence and stays out of the buckets.
    assert_eq!(r.scores.without_confidence, 1);
    let in_buckets: u64 = r
        .scores
        .confidence_buckets
        .unwrap()
        .iter()
        .map(|b| b.n)
        .sum();
    assert_eq!(in_buckets, 2);
}

#[test]
fn vader_baseline_scores_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gold.csv");
    std::fs::write(
        &p,
        "text,label,score\n\
         \"neutral 0.5 0.0 I love this app, it is wonderful!\",positive,3\n\
         \"neutral 0.5 0.0 Terrible support, I hate waiting.\",negative,-3\n",
    )
    .unwrap();
    let vader = Vader::new();
    let r = evaluate(
        &opts(&p, Dimension::Sentiment, true, true),
        &Codebook::embedded(),
        &Stub,
        Some(&vader),
    )
    .unwrap();
    let b = r.baseline.as_ref().unwrap();
    assert_eq!((b.engine.as_str(), b.n), ("vader", 2));
    close(b.classes.as_ref().unwrap().accuracy, 1.0);
    close(r.scores.classes.as_ref().unwrap().accuracy, 0.0);
    close(b.correlation.as_ref().unwrap().pearson.unwrap(), 1.0);
    assert!(b.confidence_buckets.is_none());
    let json = serde_json::to_value(&r).unwrap();
    for key in [
        "n",
        "accuracy",
        "macro_f1",
        "kappa",
        "per_class",
        "confusion",
        "pearson",
        "spearman",
    ] {
        assert!(json["baseline"].get(key).is_some(), "{key} in {json}");
    }
}

#[test]
fn bad_combinations_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gold.csv");
    std::fs::write(&p, "text,label,score\nhi,says,1\n").unwrap();
    let cb = Codebook::embedded();
    let e = evaluate(&opts(&p, Dimension::Quadrant, true, true), &cb, &Stub, None).unwrap_err();
    assert!(e.to_string().contains("only applies to sentiment"), "{e}");
    let vader = Vader::new();
    let e = evaluate(
        &opts(&p, Dimension::Quadrant, true, false),
        &cb,
        &Stub,
        Some(&vader),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("vader baseline only scores sentiment"),
        "{e}"
    );
    let e = evaluate(
        &opts(&p, Dimension::Sentiment, false, false),
        &cb,
        &Stub,
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("nothing to compare"), "{e}");
    std::fs::write(&p, "text,label\n,positive\n").unwrap();
    let e = evaluate(
        &opts(&p, Dimension::Sentiment, true, false),
        &cb,
        &Stub,
        None,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("no rows to evaluate (1 read, 0 filtered out, 1 skipped)"),
        "{e}"
    );
}
