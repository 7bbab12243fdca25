//! The reports on a small study: insta snapshots of every report and the
//! run manifest, hand-computed impact figures, trends only when the dates
//! span enough months, and byte-identical reports whatever order the
//! inputs arrive in.

mod util;

use cairn::classify::{classify_all, Codebook, LexiconEngine, SentimentLexicon};
use cairn::ingest::ingest_path;
use cairn::report::{render_all, ReportMeta};
use cairn::segment::segment;
use cairn::synth::synthesize;
use cairn::synth::themes::{find_and_apply, no_embeddings, ThemeOptions};
use std::path::Path;
use util::{cairn, read, repo, stderr, OUTPUTS};

const STUDY: &str = "tests/fixtures/study";

/// `cairn run` on a corpus, from `cwd`, into `tmp`; the reports' texts.
fn run_in(cwd: &Path, corpus: &str, tmp: &Path) -> Vec<(&'static str, String)> {
    let index = tmp.join("index");
    let out = tmp.join("reports");
    let o = cairn(
        cwd,
        &[
            "run",
            "--corpus",
            corpus,
            "--index",
            index.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    OUTPUTS.iter().map(|f| (*f, read(&out.join(f)))).collect()
}

#[test]
fn every_report_on_the_small_study_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in run_in(&repo(), STUDY, tmp.path()) {
        insta::assert_snapshot!(format!("study-{name}"), text);
    }
}

fn line_with<'a>(md: &'a str, start: &str) -> &'a str {
    md.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in:\n{md}"))
}

#[test]
fn impact_is_the_leave_theme_out_delta_computed_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let reports = run_in(&repo(), STUDY, tmp.path());
    let pains = &reports[1].1;
    // nps_2026.csv: scores 3 2 10 4 9 8 0 6 7 10 → 3 promoters, 5
    // detractors of 10: NPS −20. The study's Billing theme (seeded by the
    // codebook's) holds the 3 ("Charged twice") and the 0 ("You charged
    // me"); without them 2 10 4 9 8 6 7 10 leave 3 promoters and 3
    // detractors: NPS 0, so the impact is −20. No review is in it.
    // CSAT: 4 of 10 tickets "good" = 40 %; billing's two tickets are
    // "bad", so without them 4 of 8 = 50 % and the impact is −10.
    assert!(pains.contains("Scores in this study: NPS −20.0 over 10 answers"));
    assert!(pains.contains("CSAT 40.0 % over 10 rated tickets"));
    let billing = line_with(pains, "| 2 | Billing |");
    assert!(
        billing.starts_with(
            "| 2 | Billing | −20.0 (too few to bound) · 2 of 10 ⚠ | – | −10.0 (too few to bound) · 2 of 10 ⚠ |"
        ),
        "{billing}"
    );
    assert!(pains.contains(
        "- NPS impact −20.0 (too few to bound) points: 2 of 10 answers with a 0–10 score and a comment voice it; −20.0 over all of them, 0.0 without those"
    ));
    // Impact is printed beside the rank, not in it: the priority formula is
    // unchanged.
    assert!(pains.contains("**Priority 5.0** = 3 people × (0.5 + 0.62) × 1.50."));
}

#[test]
fn trends_appear_only_when_dates_span_three_months() {
    let tmp = tempfile::tempdir().unwrap();
    let pains = &run_in(&repo(), STUDY, tmp.path())[1].1;
    // January to April: four months, each listed.
    assert!(pains.contains("## Trend by month"));
    for m in ["2026-01", "2026-02", "2026-03", "2026-04"] {
        assert!(pains.contains(&format!("| {m} | ")), "{m}");
    }
    // 2026-03: tickets of C006, C007, C003; reviews of C010, C004, C011;
    // answers of C007, C008, C009 → 8 people. The top theme, Pricing, is
    // voiced as a pain by one of them, and so is Billing (C007, ticket and
    // answer) → 1 of 8 each.
    assert!(
        line_with(pains, "| 2026-03 |").starts_with("| 2026-03 | 8 | 1 (12 %) | 1 (12 %) |"),
        "{}",
        line_with(pains, "| 2026-03 |")
    );

    // The mini fixture is dated within one week: no trend at all.
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let out = tmp.path().join("reports");
    cairn(
        &repo(),
        &[
            "run",
            "--corpus",
            "tests/fixtures/mini",
            "--index",
            index.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let mini = read(&out.join("pain-points.md"));
    assert!(mini.contains("## Ranking"), "{mini}");
    assert!(!mini.contains("Trend"), "{mini}");
}

#[test]
fn the_manifest_hashes_inputs_and_reports_and_names_the_engine() {
    let tmp = tempfile::tempdir().unwrap();
    let reports = run_in(&repo(), STUDY, tmp.path());
    let m: serde_json::Value = serde_json::from_str(&reports[6].1).unwrap();
    assert_eq!(m["cairn_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["corpus"], STUDY);
    assert_eq!(m["engine"]["name"], "lexicon");
    assert!(m["engine"]["model_hash"].is_null());
    assert!(m["engine"].get("adapter_hash").is_none(), "{}", m["engine"]);
    assert_eq!(m["codebook"]["origin"], "<embedded>");
    let inputs = m["inputs"].as_array().unwrap();
    let paths: Vec<&str> = inputs.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "interviews/2026-02-03_C001_ana-lima.txt",
            "nps_2026.csv",
            "reviews.csv",
            "tickets.csv"
        ]
    );
    for i in inputs {
        let bytes = std::fs::read(repo().join(STUDY).join(i["path"].as_str().unwrap())).unwrap();
        assert_eq!(i["blake3"], blake3::hash(&bytes).to_hex().to_string());
        assert_eq!(i["bytes"], bytes.len());
    }
    let listed: Vec<&str> = m["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(listed, OUTPUTS[..6]);
    for (r, (_, text)) in m["reports"].as_array().unwrap().iter().zip(&reports) {
        assert_eq!(
            r["blake3"],
            blake3::hash(text.as_bytes()).to_hex().to_string()
        );
    }
    assert_eq!(m["settings"]["impact"]["resamples"], 1000);
    assert!(!reports[6].1.contains(tmp.path().to_str().unwrap()));
}

/// Copy the study into `dir/corpus`, creating the files in `order`.
fn copy_study(dir: &Path, reverse: bool) {
    let src = repo().join(STUDY);
    let mut files = vec![
        "interviews/2026-02-03_C001_ana-lima.txt",
        "nps_2026.csv",
        "reviews.csv",
        "tickets.csv",
    ];
    if reverse {
        files.reverse();
    }
    for f in files {
        let to = dir.join("corpus").join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(src.join(f), to).unwrap();
    }
}

#[test]
fn reports_do_not_depend_on_the_order_inputs_arrive_in() {
    // A: a fresh run. B: the files created in the opposite order, first
    // ingested one by one in reverse path order, then the same run (which
    // replaces every document, so the index holds them in another order).
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    copy_study(a.path(), false);
    copy_study(b.path(), true);
    let index = b.path().join("out/index");
    let mut args = vec!["ingest", "--index", index.to_str().unwrap()];
    let reversed = [
        "corpus/tickets.csv",
        "corpus/reviews.csv",
        "corpus/nps_2026.csv",
        "corpus/interviews",
    ];
    args.extend(reversed);
    let o = cairn(b.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let x = run_in(a.path(), "corpus", &a.path().join("out"));
    let y = run_in(b.path(), "corpus", &b.path().join("out"));
    for ((name, x), (_, y)) in x.iter().zip(&y) {
        assert_eq!(x, y, "{name} depends on input order");
    }
}

#[test]
fn synthesis_does_not_depend_on_snippet_order() {
    // The whole sample study, tagged, then synthesized from the snippets in
    // three orders: the reports (impact intervals included) are identical.
    let codebook = Codebook::embedded();
    let engine = LexiconEngine::new(&codebook, SentimentLexicon::embedded());
    let report = ingest_path(&repo().join("corpus")).unwrap();
    let snippets: Vec<_> = report.documents.iter().flat_map(segment).collect();
    let tagged = classify_all(&engine, snippets);
    let meta = ReportMeta::default();
    let render = |t: &[cairn::model::TaggedSnippet]| {
        let mut t = t.to_vec();
        let found = find_and_apply(
            &mut t,
            &no_embeddings,
            &codebook,
            None,
            &ThemeOptions::default(),
        );
        render_all(
            &synthesize(&t, &found.codebook, &found.discovery),
            &found.codebook,
            &meta,
        )
    };
    let first = render(&tagged);
    let mut reversed = tagged.clone();
    reversed.reverse();
    // A fixed interleaving: odd positions first, then even ones.
    let interleaved: Vec<_> = tagged
        .iter()
        .skip(1)
        .step_by(2)
        .chain(tagged.iter().step_by(2))
        .cloned()
        .collect();
    for other in [render(&reversed), render(&interleaved)] {
        for ((name, x), (_, y)) in first.iter().zip(&other) {
            assert_eq!(x, y, "{name} depends on snippet order");
        }
    }
    // The sample study has scores, so the impact section is there.
    assert!(first[1].1.contains("## Impact on scores"));
}
