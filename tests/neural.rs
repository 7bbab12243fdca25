//! The neural engine, on the real model. `models/fetch` installs it (as
//! `.ci/run` does); these tests fail, saying so, when it is missing.

mod util;

use cairn::classify::head::{best, Head};
use cairn::embed::{self, Adapter, Embedder};
use cairn::eval::tune::{tune, Progress, TuneOptions, TuneRow};
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
    // One cache: the shipped heads read the general embedding only.
    let caches = || -> Vec<(String, u64)> {
        let mut v: Vec<_> = std::fs::read_dir(&index)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("embeddings-"))
            .map(|e| {
                let len = e.metadata().unwrap().len();
                (e.file_name().to_string_lossy().into_owned(), len)
            })
            .collect();
        v.sort();
        v
    };
    let cached = caches();
    assert_eq!(cached.len(), 1, "{cached:?}");

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
    assert_eq!(caches(), cached);
}

/// Complaints without feeling words, sarcasm and contrast (the step's own
/// examples) beside plain neutral and positive sentences: the shipped head
/// may miss a few, but never calls a complaint praise. A fine-tuned head
/// that did was not shipped (docs/QUALITY.md).
#[test]
fn the_sentiment_head_never_reads_a_complaint_as_praise() {
    let model = model();
    let o = cairn(
        &repo(),
        &[
            "eval",
            "--gold",
            "tests/fixtures/neural/probe.csv",
            "--dimension",
            "sentiment",
            "--text-col",
            "text",
            "--label-col",
            "sentiment",
            "--kind",
            "ticket",
            "--engine",
            "neural",
            "--model",
            &model.display().to_string(),
            "--disagreements",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["engine"], "neural");
    let wrong = j["disagreements"].as_array().unwrap();
    let praise: Vec<_> = wrong
        .iter()
        .filter(|d| d["gold"] == "negative" && d["predicted"] == "positive")
        .collect();
    assert!(praise.is_empty(), "complaints read as praise: {praise:?}");
    assert!(wrong.len() <= 2, "{} of 16 wrong: {wrong:?}", wrong.len());
}

#[test]
fn the_encoder_matches_the_reference_implementation() {
    // The first six components of these texts' vectors as computed by
    // candle-transformers' BertModel, which cairn's encoder replaced (it
    // keeps its top layers private, and the adapter needs them).
    let e = Embedder::load(&model()).unwrap();
    let want: [(&str, [f32; 6]); 2] = [
        (
            "It's mostly just me, with a bit of help at busy times.",
            [
                0.032878518,
                -0.071984045,
                0.115133464,
                0.014529689,
                0.15120868,
                0.00730295,
            ],
        ),
        (
            "Which works until it really doesn't.",
            [
                0.041595608,
                -0.04336557,
                0.024676282,
                -0.023856308,
                0.016489508,
                -0.0349387,
            ],
        ),
    ];
    let got = e.embed(&[want[0].0, want[1].0]).unwrap();
    for ((text, w), g) in want.iter().zip(&got) {
        for (a, b) in w.iter().zip(g) {
            assert!((a - b).abs() < 1e-5, "{text}: {:?} vs {w:?}", &g[..6]);
        }
    }
}

/// Short labeled texts: (text, 0 negative / 1 neutral / 2 positive).
const TUNE_ROWS: [(&str, usize); 12] = [
    ("Still no refund after three weeks.", 0),
    ("On hold for forty minutes, again.", 0),
    ("The update broke sync for everyone.", 0),
    ("Third time I'm asking about this invoice.", 0),
    ("How do I export my data to CSV?", 1),
    ("We switched plans in March.", 1),
    ("Is there a discount for nonprofits?", 1),
    ("The order shipped on Tuesday.", 1),
    ("Support sorted it out in five minutes, thank you!", 2),
    ("Love how simple the new dashboard is.", 2),
    ("Setup was painless and the team is happy.", 2),
    ("Best checkout flow we have used.", 2),
];

fn tune_rows(e: &Embedder) -> Vec<TuneRow> {
    TUNE_ROWS
        .iter()
        .enumerate()
        .map(|(i, (t, y))| TuneRow {
            ids: e.token_ids(t).unwrap(),
            // No lexicon features: whatever is learned is in the vector.
            extra: vec![0.0; 4],
            label: *y,
            group: i % 2,
            held_out: false,
        })
        .collect()
}

#[test]
fn an_adapter_starts_from_the_frozen_model_learns_and_round_trips() {
    let e = Embedder::load(&model()).unwrap();
    let rows = tune_rows(&e);
    let texts: Vec<&str> = TUNE_ROWS.iter().map(|(t, _)| *t).collect();
    let tmp = tempfile::tempdir().unwrap();
    let quiet = |_: Progress<'_>| {};

    // Untrained, the update is zero: the adapted vector is the general one.
    let opts = TuneOptions {
        layers: 1,
        rank: 2,
        epochs: 0,
        ..TuneOptions::default()
    };
    let t = tune(e.bert(), &rows, 3, &opts, &quiet).unwrap();
    assert_eq!(t.from, 5);
    let path = tmp.path().join("zero.safetensors");
    let hash = Adapter::write(&path, t.from, &t.loras).unwrap();
    let a = Adapter::read(&path, e.bert()).unwrap();
    assert_eq!(a.hash(), hash);
    assert_eq!(a.from(), 5);
    for (g, t) in e.embed_adapted(&texts, &a).unwrap() {
        let drift: f32 = g.iter().zip(&t).map(|(x, y)| (x - y).abs()).sum();
        assert!(drift < 1e-4, "a zero update moved the vector by {drift}");
    }

    // Trained, the written adapter and head reproduce what was learned:
    // the training rows come out right from the vector alone.
    let opts = TuneOptions {
        layers: 1,
        rank: 2,
        epochs: 12,
        learning_rate: 5e-3,
        head_learning_rate: 2e-2,
        batch: 4,
        ..TuneOptions::default()
    };
    let t = tune(e.bert(), &rows, 3, &opts, &quiet).unwrap();
    let path = tmp.path().join("tuned.safetensors");
    let hash = Adapter::write(&path, t.from, &t.loras).unwrap();
    let a = Adapter::read(&path, e.bert()).unwrap();
    let head = Head {
        dimension: "sentiment".into(),
        labels: vec!["negative".into(), "neutral".into(), "positive".into()],
        model_hash: e.hash().into(),
        trained_on: String::new(),
        l2: 0.0,
        cv_macro_f1: None,
        weights: t.weights.clone(),
        bias: t.bias.clone(),
        adapter: Some(hash.clone()),
    };
    let vecs = e.embed_adapted(&texts, &a).unwrap();
    let mut right = 0;
    let mut moved = 0.0f32;
    for ((g, v), (_, y)) in vecs.iter().zip(&TUNE_ROWS) {
        let mut x = v.clone();
        x.extend([0.0; 4]);
        right += usize::from(best(&head.probs(&x)).0 == *y);
        moved += g.iter().zip(v).map(|(p, q)| (p - q).abs()).sum::<f32>();
    }
    assert!(right >= 11, "{right} of 12 training rows right");
    assert!(moved > 0.1, "the update did not move the vectors ({moved})");

    // Same rows, same seed: the same adapter, byte for byte.
    let again = tune(e.bert(), &rows, 3, &opts, &quiet).unwrap();
    let path2 = tmp.path().join("again.safetensors");
    assert_eq!(
        Adapter::write(&path2, again.from, &again.loras).unwrap(),
        hash
    );
    assert_eq!(again.weights, t.weights);
}

#[test]
fn a_sentiment_head_reads_its_own_adapter_or_none() {
    let model = model();
    let tmp = tempfile::tempdir().unwrap();
    let cairn_with = |heads: Option<&std::path::Path>, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cairn"));
        c.args(args)
            .current_dir(tmp.path())
            .env_remove("CAIRN_HEADS");
        if let Some(h) = heads {
            c.env("CAIRN_HEADS", h);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let model_arg = model.display().to_string();
    let check = |heads: Option<&std::path::Path>| {
        cairn_with(heads, &["model", "check", "--model", &model_arg])
    };
    let in_use = |out: &str| {
        out.lines()
            .find(|l| l.starts_with("heads in use:"))
            .unwrap()
            .contains("sentiment")
    };
    // The embedded heads read the embedding: no adapter, nothing to note.
    let out = check(None);
    assert!(in_use(&out) && !out.contains("note:"), "{out}");

    // A head fine-tuned with an adapter, in a heads folder beside it.
    let heads = tmp.path().join("heads");
    std::fs::create_dir(&heads).unwrap();
    for f in std::fs::read_dir(repo().join("models/heads")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), heads.join(f.file_name())).unwrap();
    }
    let e = Embedder::load(&model).unwrap();
    let rows = tune_rows(&e);
    let tuned = |seed: u64| {
        let opts = TuneOptions {
            epochs: 1,
            seed,
            ..TuneOptions::default()
        };
        tune(e.bert(), &rows, 3, &opts, &|_| {}).unwrap()
    };
    let t = tuned(7);
    let adapter = heads.join("sentiment.adapter.safetensors");
    let hash = Adapter::write(&adapter, t.from, &t.loras).unwrap();
    let head = Head {
        dimension: "sentiment".into(),
        labels: vec!["negative".into(), "neutral".into(), "positive".into()],
        model_hash: e.hash().into(),
        trained_on: "tests/neural.rs".into(),
        l2: 0.0,
        cv_macro_f1: None,
        weights: t.weights,
        bias: t.bias,
        adapter: Some(hash.clone()),
    };
    std::fs::write(
        heads.join("sentiment.json"),
        serde_json::to_string(&head).unwrap(),
    )
    .unwrap();
    let out = check(Some(&heads));
    assert!(in_use(&out) && !out.contains("note:"), "{out}");
    // A run with it caches the adapter's vectors apart from the general
    // ones (two caches, one entry per snippet in the adapter's), and its
    // manifest names the adapter.
    std::fs::create_dir(tmp.path().join("corpus")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/neural/feedback.csv"),
        tmp.path().join("corpus/feedback.csv"),
    )
    .unwrap();
    cairn_with(
        Some(&heads),
        &[
            "run", "--corpus", "corpus", "--out", "reports", "--index", "idx", "--engine",
            "neural", "--model", &model_arg,
        ],
    );
    let mut lens: Vec<u64> = std::fs::read_dir(tmp.path().join("idx"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("embeddings-"))
        .map(|e| e.metadata().unwrap().len())
        .collect();
    lens.sort();
    assert_eq!(lens.len(), 2, "{lens:?}");
    // 7 snippets of a 16-byte key and 384 floats, after a 12-byte header;
    // the general cache also holds the codebook's prototype texts.
    assert_eq!(lens[0], 12 + 7 * (16 + 4 * 384), "{lens:?}");
    assert!(lens[1] > lens[0], "{lens:?}");
    let manifest = std::fs::read_to_string(tmp.path().join("reports/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["engine"]["adapter_hash"], hash.as_str());

    // Another adapter beside the same head is refused, and said so.
    let other = tuned(8);
    Adapter::write(&adapter, other.from, &other.loras).unwrap();
    let out = check(Some(&heads));
    assert!(
        out.contains("note: the sentiment adapter is not the one its head was trained with"),
        "{out}"
    );
    assert!(!in_use(&out), "{out}");
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
fn neural_themes_come_from_embeddings_cite_their_quotes_and_repeat_exactly() {
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
                "--themes-file",
                &tmp.path()
                    .join(name)
                    .join("themes.toml")
                    .display()
                    .to_string(),
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
    // Themes found in the sentence embeddings, named from the words.
    assert!(
        pain.contains("spherical k-means on the neural engine's sentence embeddings"),
        "{pain}"
    );
    let ranked = pain
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("](#"))
        .count();
    assert!(ranked >= 2, "{pain}");
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

    // Every cited quote is found again in its source.
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
