//! The neural engine, on the real model. `models/fetch` installs it (as
//! `.ci/run` does); these tests fail, saying so, when it is missing.

mod util;

use cairn::embed::{self, Embedder};
use std::path::PathBuf;
use std::process::Command;
use util::{repo, stderr, stdout};

fn model() -> PathBuf {
    let dir = match std::env::var_os(embed::MODEL_ENV) {
        Some(d) => PathBuf::from(d),
        None => repo().join(embed::DEFAULT_MODEL_DIR),
    };
    let missing = embed::missing_files(&dir);
    assert!(
        missing.is_empty(),
        "no model in {} (missing {}): run `models/fetch` first",
        dir.display(),
        missing.join(", ")
    );
    dir
}

/// cairn with an explicit engine and model, in `dir`.
fn cairn(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(dir)
        .env_remove("CAIRN_ENGINE")
        .env_remove(embed::MODEL_ENV)
        .output()
        .unwrap()
}

#[test]
fn paraphrases_are_closer_than_unrelated_sentences() {
    let e = Embedder::load(&model()).unwrap();
    let texts = [
        "The bill keeps creeping up every month.",
        "They raised the price again this year.",
        "The app crashes whenever I open a PDF.",
        "I waited forty minutes on hold to talk to someone.",
        "Nobody from support has answered my ticket.",
    ];
    let v = e.embed(&texts).unwrap();
    assert_eq!(v.len(), 5);
    for x in &v {
        assert_eq!(x.len(), 384);
        assert!((embed::dot(x, x) - 1.0).abs() < 1e-4, "unit length");
    }
    let cos = |a: usize, b: usize| embed::dot(&v[a], &v[b]);
    assert!(
        cos(0, 1) > cos(0, 2) + 0.1,
        "price pair {} vs crash {}",
        cos(0, 1),
        cos(0, 2)
    );
    assert!(
        cos(3, 4) > cos(3, 2) + 0.1,
        "support pair {} vs crash {}",
        cos(3, 4),
        cos(3, 2)
    );
    // Padding must not change a text's vector: alone, or batched with a
    // much longer text, it comes out the same.
    let alone = e.embed(&texts[..1]).unwrap();
    let long = "word ".repeat(120);
    let batched = e.embed(&[texts[0], long.as_str()]).unwrap();
    let drift: f32 = alone[0]
        .iter()
        .zip(&batched[0])
        .map(|(a, b)| (a - b).abs())
        .sum();
    assert!(drift < 1e-3, "padding changed the embedding by {drift}");
}

#[test]
fn the_neural_engine_tags_paraphrased_pains_and_says_so() {
    let model = model();
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/fixtures/neural/feedback.csv");
    let index = tmp.path().join("index");
    let args = |engine: &str| -> Vec<String> {
        vec![
            "ingest".into(),
            fixture.display().to_string(),
            "--index".into(),
            index.display().to_string(),
            "--engine".into(),
            engine.into(),
            "--model".into(),
            model.display().to_string(),
        ]
    };
    let a = args("neural");
    let o = cairn(
        tmp.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let cache = std::fs::read_dir(&index)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("embeddings-"))
        .expect("an embedding cache in the index")
        .path();
    let cached = std::fs::metadata(&cache).unwrap().len();

    let o = cairn(
        tmp.path(),
        &[
            "search",
            "--index",
            &index.display().to_string(),
            "--json",
            "",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Rows whose pain has no theme cue word, with the themes a researcher
    // would accept.
    let expected: [(&str, &[&str]); 6] = [
        ("The bill keeps creeping up", &["pricing", "billing"]),
        (
            "Every time I open the app it freezes",
            &["performance", "reliability", "mobile-app"],
        ),
        ("waiting nine days", &["support"]),
        ("talk to our accounting software", &["integrations"]),
        ("can't get back into my account", &["account-access"]),
        ("Setting it up the first week", &["onboarding"]),
    ];
    let hits: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.len(), 7);
    // A pain about nothing in particular gets no theme.
    let vague = hits
        .iter()
        .find(|h| {
            h["snippet"]["text"]
                .as_str()
                .unwrap()
                .starts_with("Not again")
        })
        .expect("the vague row");
    assert_eq!(vague["tags"]["pain"], true, "{vague}");
    assert_eq!(
        vague["tags"]["themes"].as_array().map(Vec::len),
        Some(0),
        "{vague}"
    );
    let mut right = 0;
    let mut misses = Vec::new();
    for (start, themes) in expected {
        let h = hits
            .iter()
            .find(|h| h["snippet"]["text"].as_str().unwrap().contains(start))
            .unwrap_or_else(|| panic!("no hit for {start:?}"));
        assert_eq!(h["tags"]["engine"], "neural");
        let got = h["tags"]["themes"][0]["value"].as_str().unwrap_or("none");
        if themes.contains(&got) {
            right += 1;
            let c = h["tags"]["themes"][0]["confidence"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&c));
        } else {
            misses.push(format!("{start:?} → {got}"));
        }
    }
    assert!(right >= 5, "only {right} of 6 themes right: {misses:?}");

    // Re-ingesting embeds nothing new: the cache does not grow.
    let o = cairn(
        tmp.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&cache).unwrap().len(), cached);
}

#[test]
fn without_a_model_auto_falls_back_and_neural_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/fixtures/neural/feedback.csv");
    let fixture = fixture.display().to_string();
    let o = cairn(
        tmp.path(),
        &[
            "ingest",
            &fixture,
            "--index",
            "idx",
            "--model",
            "no-such-model",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("no model in no-such-model"), "{err}");
    assert!(err.contains("models/fetch"), "{err}");
    let o = cairn(tmp.path(), &["search", "--index", "idx", "--json", "bill"]);
    assert!(
        stdout(&o).contains("\"engine\":\"lexicon\""),
        "{}",
        stdout(&o)
    );

    let o = cairn(
        tmp.path(),
        &[
            "ingest",
            &fixture,
            "--index",
            "idx2",
            "--engine",
            "neural",
            "--model",
            "no-such-model",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("--engine neural: no model in no-such-model"),
        "{err}"
    );
    assert!(!tmp.path().join("idx2").exists(), "nothing is indexed");
}

#[test]
fn neural_reports_cluster_pain_by_meaning_cite_it_and_repeat_exactly() {
    let model = model();
    let model = model.display().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let run = |engine: &str, name: &str| {
        let index = tmp.path().join(name).join("index");
        let out = tmp.path().join(name).join("reports");
        let o = cairn(
            &repo(),
            &[
                "run",
                "--corpus",
                "tests/fixtures/study",
                "--index",
                &index.display().to_string(),
                "--out",
                &out.display().to_string(),
                "--engine",
                engine,
                "--model",
                &model,
                "-q",
            ],
        );
        assert!(
            o.status.code() == Some(0) || o.status.code() == Some(3),
            "{}",
            stderr(&o)
        );
        out
    };
    let first = run("neural", "a");
    let pain = std::fs::read_to_string(first.join("pain-points.md")).unwrap();
    let section = pain
        .split("## Pain by meaning")
        .nth(1)
        .expect("a pain-by-meaning section");
    let rows: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| 1 ") || l.starts_with("| 2 "))
        .collect();
    assert_eq!(rows.len(), 2, "{section}");
    assert!(
        rows.iter()
            .any(|r| r.contains("Pricing") && r.contains("price")),
        "{section}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Billing") && r.contains("charged")),
        "{section}"
    );
    assert!(
        pain.contains("Tags by the neural engine"),
        "the report names its engine"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(first.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["engine"]["name"], "neural");
    assert_eq!(
        manifest["engine"]["model_hash"].as_str().map(str::len),
        Some(64)
    );

    // Every cited quote, clusters included, is found again in its source.
    let o = cairn(&repo(), &["verify", &first.display().to_string()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));

    // A second index (the embeddings now cached) writes the same bytes.
    let second = run("neural", "b");
    for f in [
        "pain-points.md",
        "README.md",
        "journey-map.md",
        "manifest.json",
    ] {
        assert_eq!(
            std::fs::read_to_string(first.join(f)).unwrap(),
            std::fs::read_to_string(second.join(f)).unwrap(),
            "{f} differs between two neural runs"
        );
    }
    // The lexicon engine has no embeddings: no such section.
    let lexicon = run("lexicon", "c");
    let pain = std::fs::read_to_string(lexicon.join("pain-points.md")).unwrap();
    assert!(!pain.contains("## Pain by meaning"));
}
