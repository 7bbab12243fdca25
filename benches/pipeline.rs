//! Stage timings on the shipped sample study: `cargo bench --bench pipeline`.
//!
//! Runs each stage of `cairn run` separately, several times, and prints the
//! median wall time per stage and snippets per second. Peak memory of the
//! whole command is measured outside, with `/usr/bin/time -v` (see
//! docs/BENCHMARKS.md).

use cairn::classify::{classify_all, Codebook, LexiconEngine, NeuralEngine, SentimentLexicon};
use cairn::index::SnippetIndex;
use cairn::ingest::ingest_path;
use cairn::report::{render_all, ReportMeta};
use cairn::segment::segment;
use cairn::synth::synthesize;
use cairn::synth::themes::{find_and_apply, no_embeddings, ThemeOptions};
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 7;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn time<T>(label: &str, items: usize, mut f: impl FnMut() -> T) -> T {
    let mut times = Vec::with_capacity(RUNS);
    let mut out = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        out = Some(f());
        times.push(start.elapsed());
    }
    report(label, items, median(times));
    out.expect("ran at least once")
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let report = ingest_path(&corpus).expect("corpus is readable");
    let snippets: Vec<_> = report.documents.iter().flat_map(segment).collect();
    let n = snippets.len();
    println!(
        "sample study: {} documents, {n} snippets, {} threads, {RUNS} runs per stage",
        report.documents.len(),
        rayon::current_num_threads()
    );
    time("ingest", n, || {
        ingest_path(&corpus).expect("corpus is readable")
    });
    time("segment", n, || {
        report.documents.iter().flat_map(segment).count()
    });
    let codebook = Codebook::embedded();
    let engine = LexiconEngine::new(&codebook, SentimentLexicon::embedded());
    let tagged = time("classify", n, || classify_all(&engine, snippets.clone()));
    let dir = tempfile::tempdir().expect("temp dir");
    time("index", n, || {
        let mut index =
            SnippetIndex::open_or_create(&dir.path().join("index")).expect("index opens");
        index.upsert(&tagged).expect("upsert works")
    });
    let index = SnippetIndex::open_or_create(&dir.path().join("index")).expect("index opens");
    let mut all = time("read back", n, || index.all().expect("index reads"));
    let found = time("discover themes", n, || {
        find_and_apply(
            &mut all,
            &no_embeddings,
            &codebook,
            None,
            &ThemeOptions::default(),
        )
    });
    let synthesis = time("synthesize", n, || {
        synthesize(&all, &found.codebook, &found.discovery)
    });
    time("report", n, || {
        render_all(&synthesis, &found.codebook, &ReportMeta::default()).len()
    });
    neural(&snippets, &codebook);
}

/// The neural engine, uncached, on the first [`NEURAL_SNIPPETS`] snippets
/// (when `models/fetch` has installed the model).
fn neural(snippets: &[cairn::model::Snippet], codebook: &Codebook) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(cairn::embed::DEFAULT_MODEL_DIR);
    if !cairn::embed::missing_files(&dir).is_empty() {
        println!(
            "neural     skipped: no model in {} (run models/fetch)",
            dir.display()
        );
        return;
    }
    let embedder = cairn::embed::Embedder::load(&dir).expect("the model loads");
    let engine = NeuralEngine::new(
        codebook,
        LexiconEngine::new(codebook, SentimentLexicon::embedded()),
        embedder,
        None,
    )
    .expect("the engine builds");
    let some: Vec<_> = snippets.iter().take(NEURAL_SNIPPETS).cloned().collect();
    let texts: Vec<&str> = some.iter().map(|s| s.text.as_str()).collect();
    let mut times = Vec::new();
    for _ in 0..NEURAL_RUNS {
        let start = Instant::now();
        engine.embedder().embed(&texts).expect("embeds");
        times.push(start.elapsed());
    }
    report("embed", some.len(), median(times));
    if let Some(adapter) = engine.adapter() {
        let mut times = Vec::new();
        for _ in 0..NEURAL_RUNS {
            let start = Instant::now();
            engine
                .embedder()
                .embed_adapted(&texts, adapter)
                .expect("embeds");
            times.push(start.elapsed());
        }
        report("embed+adapter", some.len(), median(times));
    }
    let mut times = Vec::new();
    for _ in 0..NEURAL_RUNS {
        let start = Instant::now();
        classify_all(&engine, some.clone());
        times.push(start.elapsed());
    }
    report("neural tag", some.len(), median(times));
}

const NEURAL_SNIPPETS: usize = 1000;
const NEURAL_RUNS: usize = 3;

fn report(label: &str, items: usize, m: Duration) {
    println!(
        "{label:<13} median {:>9.2} ms   {:>10.0} snippets/s",
        m.as_secs_f64() * 1e3,
        items as f64 / m.as_secs_f64()
    );
}
