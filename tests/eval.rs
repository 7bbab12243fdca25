//! `cairn eval` driven through the real binary on a small hand-labelled
//! gold file (`tests/fixtures/eval/sentiment.csv`: 12 customer sentences,
//! 8 in the `test` split).

mod util;

use serde_json::Value;
use util::*;

const GOLD: &str = "tests/fixtures/eval/sentiment.csv";

fn eval(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["eval", "--gold", GOLD, "--text-col", "text"];
    args.extend_from_slice(extra);
    cairn(&repo(), &args)
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn eval_json_has_the_documented_keys_and_counts_rows() {
    let o = eval(&["--dimension", "sentiment", "--label-col", "label", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = json(&o);
    for key in [
        "n",
        "accuracy",
        "macro_f1",
        "kappa",
        "per_class",
        "confusion",
    ] {
        assert!(j.get(key).is_some(), "no {key} in {j}");
    }
    assert_eq!(j["n"], 12);
    assert_eq!(j["engine"], "lexicon");
    let acc = j["accuracy"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&acc), "{acc}");
    let labels = &j["confusion"]["labels"];
    assert_eq!(labels[0], "negative");
    let support: u64 = j["per_class"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["support"].as_u64().unwrap())
        .sum();
    assert_eq!(support, 12);
    assert_eq!(j["confidence_buckets"].as_array().unwrap().len(), 4);
}

#[test]
fn eval_where_and_gold_scores_and_vader_baseline() {
    let o = eval(&[
        "--dimension",
        "sentiment",
        "--label-col",
        "label",
        "--gold-score-col",
        "score",
        "--where",
        "split=test",
        "--baseline",
        "vader",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = json(&o);
    assert_eq!(
        (j["n"].as_u64(), j["filtered"].as_u64()),
        (Some(8), Some(4))
    );
    for key in ["pearson", "spearman"] {
        assert!(j[key].is_f64(), "{key} in {j}");
    }
    let b = &j["baseline"];
    assert_eq!(b["engine"], "vader");
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
        assert!(b.get(key).is_some(), "no baseline {key} in {j}");
    }
    assert_eq!(b["n"], 8);
    // The difference is the two macro-F1s apart, inside its own interval.
    let d = &j["vs_baseline"];
    let gap = j["macro_f1"].as_f64().unwrap() - b["macro_f1"].as_f64().unwrap();
    assert!((d["macro_f1"].as_f64().unwrap() - gap).abs() < 1e-9, "{d}");
    let (lo, hi) = (
        d["ci95"][0].as_f64().unwrap(),
        d["ci95"][1].as_f64().unwrap(),
    );
    assert!(lo <= gap && gap <= hi && lo < hi, "{d}");
    assert_eq!(d["resamples"], 1000);
}

#[test]
fn eval_text_output_is_a_readable_block() {
    let o = eval(&[
        "--dimension",
        "sentiment",
        "--label-col",
        "label",
        "--baseline",
        "vader",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "sentiment · engine lexicon (baseline vader)",
        "n = 12 (12 records, 0 filtered out, 0 skipped)",
        "accuracy",
        "macro-F1",
        "Cohen's κ",
        "confusion, lexicon (rows = gold, columns = predicted)",
        "confusion, vader",
        "accuracy by confidence, lexicon",
    ] {
        assert!(out.contains(needle), "{needle:?} not in\n{out}");
    }
}

#[test]
fn eval_unknown_label_exits_2_listing_the_allowed_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let gold = tmp.path().join("gold.csv");
    std::fs::write(&gold, "text,label\nLove it,positive\nSo-so,mixed\n").unwrap();
    let o = cairn(
        tmp.path(),
        &[
            "eval",
            "--gold",
            "gold.csv",
            "--dimension",
            "sentiment",
            "--text-col",
            "text",
            "--label-col",
            "label",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("gold.csv:3: unknown sentiment label \"mixed\"; expected one of: negative, neutral, positive"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn eval_skipped_rows_are_listed_and_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("gold.tsv"),
        "text\tstage\nWe compared three tools before picking one\tconsideration\n\tdecision\n",
    )
    .unwrap();
    let o = cairn(
        tmp.path(),
        &[
            "eval",
            "--gold",
            "gold.tsv",
            "--dimension",
            "stage",
            "--text-col",
            "text",
            "--label-col",
            "stage",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("gold.tsv:3: skipped: empty text in column \"text\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)["n"], 1);
}

#[test]
fn eval_unknown_engine_and_dimension_exit_2() {
    let o = eval(&[
        "--dimension",
        "sentiment",
        "--label-col",
        "label",
        "--engine",
        "bert",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("expected one of: auto, neural, lexicon"),
        "{}",
        stderr(&o)
    );
    let o = eval(&["--dimension", "emotion", "--label-col", "label"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("expected one of: sentiment, stage"),
        "{}",
        stderr(&o)
    );
}
