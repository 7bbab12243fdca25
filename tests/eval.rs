//! `cairn eval` driven through the real binary on a small hand-labelled
//! gold file (`tests/fixtures/eval/sentiment.csv`: 12 customer sentences,
//! 8 in the `test` split).

mod util;

use serde_json::Value;
use util::*;

const GOLD: &str = "tests/fixtures/eval/sentiment.csv";

fn eval(extra: &[&str]) -> std::process::Output {
    eval_on(GOLD, extra)
}

/// `cairn eval` on `gold` (its text in column `text`), from the repository.
fn eval_on(gold: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["eval", "--gold", gold, "--text-col", "text"];
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

#[test]
fn eval_lists_the_rows_it_disagrees_on_when_asked() {
    let base = ["--dimension", "sentiment", "--label-col", "label", "--json"];
    let o = eval(&base);
    assert!(json(&o).get("disagreements").is_none(), "only when asked");

    let o = eval(&[&base[..], &["--disagreements"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = json(&o);
    let rows = j["disagreements"].as_array().unwrap();
    let wrong = j["confusion"]["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            let r = r.as_array().unwrap().clone();
            r.into_iter()
                .enumerate()
                .filter(move |(k, _)| *k != i)
                .map(|(_, n)| n.as_u64().unwrap())
        })
        .sum::<u64>();
    assert_eq!(rows.len() as u64, wrong, "{j}");
    // Each one names the file's own line, and that line holds its text.
    let file = std::fs::read_to_string(repo().join(GOLD)).unwrap();
    let lines: Vec<&str> = file.lines().collect();
    for d in rows {
        assert_ne!(d["gold"], d["predicted"], "{d}");
        let line = d["line"].as_u64().unwrap() as usize;
        let text = d["text"].as_str().unwrap();
        assert!(lines[line - 1].contains(text), "line {line}: {d}");
    }

    let o = eval(&[
        "--dimension",
        "sentiment",
        "--label-col",
        "label",
        "--disagreements",
    ]);
    let out = stdout(&o);
    let header = format!("disagreements, lexicon ({} of 12 rows;", rows.len());
    assert!(out.contains(&header), "{out}");
    let first = &rows[0];
    let shown = format!(
        "{GOLD}:{}  {} → {}",
        first["line"],
        first["gold"].as_str().unwrap(),
        first["predicted"].as_str().unwrap()
    );
    assert!(out.contains(&shown), "{shown:?} not in\n{out}");
}

#[test]
fn the_shipped_gold_files_parse_with_known_labels_split_dev_and_test() {
    for (file, rows) in [
        ("models/gold/gold.csv", 474),
        ("models/gold/tickets.csv", 308),
    ] {
        let mut n = 0;
        for split in ["dev", "test"] {
            let o = eval_on(
                file,
                &[
                    "--dimension",
                    "sentiment",
                    "--label-col",
                    "sentiment",
                    "--where",
                    &format!("split={split}"),
                    "--engine",
                    "lexicon",
                    "--json",
                ],
            );
            assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
            let j = json(&o);
            assert_eq!(
                (j["records"].as_u64(), j["skipped"].as_u64()),
                (Some(rows), Some(0))
            );
            let half = j["n"].as_u64().unwrap();
            // Each split holds about half the rows.
            assert!(
                half * 5 >= rows * 2 && half * 5 <= rows * 3,
                "{file} {split}: {half}"
            );
            n += half;
        }
        assert_eq!(n, rows, "{file}: every row is dev or test");
    }
    // Every gold row carries a kind cairn knows and its message.
    let o = eval_on(
        "models/gold/gold.csv",
        &[
            "--dimension",
            "stage",
            "--label-col",
            "stage",
            "--kind-col",
            "kind",
            "--context-col",
            "context",
            "--engine",
            "lexicon",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["n"], 474);
}

#[test]
fn eval_scores_a_second_coders_labels_matched_by_id() {
    let tmp = tempfile::tempdir().unwrap();
    // The second coder agrees on 9 of rows 1–11, calls 3 positive and 6
    // negative (both neutral in gold), and has no label for row 12.
    let coder = tmp.path().join("coder.csv");
    std::fs::write(
        &coder,
        "id,sentiment\n1,negative\n2,positive\n3,Positive\n4,negative\n5,positive\n6,negative\n\
         7,negative\n8,positive\n9,neutral\n10,negative\n11,positive\n",
    )
    .unwrap();
    let c = coder.to_str().unwrap();
    let args = [
        "--dimension",
        "sentiment",
        "--label-col",
        "label",
        "--coder",
        c,
        "--coder-col",
        "sentiment",
    ];
    let o = eval(&[&args[..], &["--json"]].concat());
    // Row 12 has no second label: skipped, named, exit 3.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{GOLD}:13: skipped: no label for id \"12\"")),
        "{}",
        stderr(&o)
    );
    let j = json(&o);
    assert_eq!(j["engine"], "coder");
    assert_eq!(
        (j["n"].as_u64(), j["skipped"].as_u64()),
        (Some(11), Some(1))
    );
    // Agreement 9/11; chance 43/121 (gold 4/4/3, coder 5/5/1 over
    // negative/positive/neutral): κ = (99 − 43) / (121 − 43) = 56/78.
    let close = |k: &str, v: f64| {
        let got = j[k].as_f64().unwrap();
        assert!((got - v).abs() < 1e-9, "{k}: {got} != {v}");
    };
    close("accuracy", 9.0 / 11.0);
    close("kappa", 56.0 / 78.0);
    // Labels carry no confidence: nothing to bucket.
    assert!(j.get("confidence_buckets").is_none(), "{j}");

    // A label the codebook does not know, or an id given twice, is an
    // error naming the coder's file and line.
    std::fs::write(&coder, "id,sentiment\n1,negative\n2,mixed\n").unwrap();
    let o = eval(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("coder.csv:3: unknown sentiment label \"mixed\""),
        "{}",
        stderr(&o)
    );
    std::fs::write(&coder, "id,sentiment\n1,negative\n1,positive\n").unwrap();
    let o = eval(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("coder.csv:3: id \"1\" appears twice"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_second_coding_covers_every_gold_test_row_with_known_labels() {
    for dim in [
        "sentiment",
        "stage",
        "intent_signal",
        "intent_cluster",
        "quadrant",
        "theme",
    ] {
        let o = eval_on(
            "models/gold/gold.csv",
            &[
                "--dimension",
                // The gold's theme column holds codebook themes.
                if dim == "theme" {
                    "codebook-theme"
                } else {
                    dim
                },
                "--label-col",
                dim,
                "--where",
                "split=test",
                "--coder",
                "models/gold/second_coder.csv",
                "--json",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{dim}: {}", stderr(&o));
        let j = json(&o);
        assert_eq!(
            (j["n"].as_u64(), j["skipped"].as_u64()),
            (Some(236), Some(0)),
            "{dim}"
        );
    }
}

/// A gold row is tagged with its own source kind and the message it came
/// from, as `cairn run` tags a snippet: a question reads as a prospect's
/// in a message about a free trial or comparing, and as a customer's
/// otherwise. A row whose kind is not one cairn knows is skipped and named.
#[test]
fn eval_tags_each_row_in_its_kind_and_message() {
    let gold = "tests/fixtures/eval/in_context.csv";
    let stage = ["--dimension", "stage", "--label-col", "stage", "--json"];
    let alone = eval_on(gold, &stage);
    let in_context = eval_on(
        gold,
        &[
            &stage[..],
            &["--kind-col", "kind", "--context-col", "context"],
        ]
        .concat(),
    );
    // Alone, every question is a customer's (retention): 2 of 4 rows right.
    assert_eq!(json(&alone)["n"], 4, "{}", stderr(&alone));
    assert_eq!(json(&alone)["accuracy"], 0.5, "{}", stdout(&alone));
    assert_eq!(in_context.status.code(), Some(3), "{}", stderr(&in_context));
    assert!(
        stderr(&in_context).contains(
            "in_context.csv:6: skipped: kind \"phone\" in column \"kind\" is not one of: interview, ticket, review, social, survey"
        ),
        "{}",
        stderr(&in_context)
    );
    let r = json(&in_context);
    assert_eq!(r["n"], 3);
    assert_eq!(r["accuracy"], 1.0, "{}", stdout(&in_context));
}
