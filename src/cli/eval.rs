//! `cairn eval`: score cairn's tags against a gold file of human labels.
//! The figures go to stdout (a readable block, or one JSON object with
//! `--json`); skipped rows go to stderr as `path:line: skipped: reason`.

use super::{lexicon_engine, load_codebook, EngineFlags, Status};
use crate::classify::Classifier;
use crate::eval::{
    baseline, evaluate, metrics::ClassStats, Coder, Dimension, Disagreement, EvalOptions,
    EvalReport, GoldSpec, Scores, BASELINES,
};
use crate::model::SourceKind;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

/// Where `eval` caches embeddings (the texts of gold files do not change).
const EVAL_CACHE: &str = ".cairn/cache";

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold file: .csv, .tsv/.tab (with a header row) or .jsonl/.ndjson.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// What to score: sentiment, stage, intent_signal, intent_cluster,
    /// quadrant; theme (the study's discovered themes against the gold's
    /// categories, which may be several per row, split on `;`); or
    /// codebook-theme (the engine's codebook theme tag per text).
    #[arg(long, value_name = "DIM")]
    pub dimension: String,
    /// Column holding the text to tag.
    #[arg(long, value_name = "COL")]
    pub text_col: String,
    /// Column holding the human label (codebook id or label, any case).
    #[arg(long, value_name = "COL", required_unless_present = "gold_score_col")]
    pub label_col: Option<String>,
    /// Column holding a numeric sentiment score on any scale (e.g. a −4…+4
    /// mean rating): reports Pearson and Spearman correlation with cairn's
    /// sentiment score.
    #[arg(long, value_name = "COL")]
    pub gold_score_col: Option<String>,
    /// Keep only rows whose COL equals VALUE (case-insensitive). Repeat to
    /// require several.
    #[arg(long = "where", value_name = "COL=VALUE")]
    pub filters: Vec<String>,
    /// Source kind to tag the texts as: interview, ticket, review, social,
    /// survey.
    #[arg(long, default_value = "review")]
    pub kind: String,
    /// Column holding each row's source kind (wins over --kind), for gold
    /// files that mix channels.
    #[arg(long, value_name = "COL")]
    pub kind_col: Option<String>,
    /// Column holding the message each text came from (the whole turn):
    /// the text is tagged with it as context, as `cairn run` tags a
    /// sentence of a longer message.
    #[arg(long, value_name = "COL")]
    pub context_col: Option<String>,
    #[command(flatten)]
    pub engine: EngineFlags,
    /// Also score a baseline on the same rows (sentiment only): vader.
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    /// Codebook whose ids are the labels (default: the embedded one).
    #[arg(long)]
    pub codebook: Option<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Score a second coder's labels (or another tool's) from this file
    /// instead of cairn's tags: their agreement with --label-col. Rows are
    /// matched by --id-col; the label column is --coder-col.
    #[arg(
        long,
        value_name = "FILE",
        requires = "label_col",
        conflicts_with = "gold_score_col"
    )]
    pub coder: Option<PathBuf>,
    /// With --coder: the column holding each row's id, in both files.
    #[arg(long, value_name = "COL", default_value = "id", requires = "coder")]
    pub id_col: String,
    /// With --coder: the coder's label column (default: --label-col).
    #[arg(long, value_name = "COL", requires = "coder")]
    pub coder_col: Option<String>,
    /// Also list every row where cairn's label differs from the human one
    /// (line, gold label, cairn's label and confidence, text); with --json
    /// under the key `disagreements`.
    #[arg(long)]
    pub disagreements: bool,
}

fn parse_filter(s: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((c, v)) if !c.trim().is_empty() => Ok((c.trim().to_string(), v.trim().to_string())),
        _ => bail!("--where {s:?}: expected COL=VALUE, e.g. split=test"),
    }
}

/// The gold file's columns and filters, as the flags name them.
fn gold_spec(
    a: &EvalArgs,
    label_col: Option<String>,
    score_col: Option<String>,
) -> Result<GoldSpec> {
    Ok(GoldSpec {
        text_col: a.text_col.clone(),
        label_col,
        score_col,
        id_col: None,
        kind_col: a.kind_col.clone(),
        context_col: a.context_col.clone(),
        filters: a
            .filters
            .iter()
            .map(|f| parse_filter(f))
            .collect::<Result<_>>()?,
    })
}

/// Turn flags into validated options.
fn options(a: &EvalArgs) -> Result<EvalOptions> {
    let Some(dimension) = Dimension::parse(&a.dimension) else {
        bail!(
            "unknown --dimension {:?}; expected one of: {}",
            a.dimension,
            Dimension::allowed()
        );
    };
    let kind = SourceKind::parse(&a.kind).with_context(|| {
        format!(
            "unknown --kind {:?}; expected one of: interview, ticket, review, social, survey",
            a.kind
        )
    })?;
    a.engine.choice()?;
    if a.baseline.is_some() && dimension != Dimension::Sentiment {
        bail!("--baseline only applies to --dimension sentiment");
    }
    if a.gold_score_col.is_some() && dimension != Dimension::Sentiment {
        bail!("--gold-score-col only applies to --dimension sentiment");
    }
    Ok(EvalOptions {
        gold: a.gold.clone(),
        spec: gold_spec(a, a.label_col.clone(), a.gold_score_col.clone())?,
        dimension,
        kind,
        coder: a.coder.clone().map(|file| Coder {
            file,
            id_col: a.id_col.clone(),
            label_col: a
                .coder_col
                .clone()
                .or_else(|| a.label_col.clone())
                .unwrap_or_default(),
        }),
    })
}

pub fn run(mut a: EvalArgs, quiet: bool) -> Result<Status> {
    let dim = a.dimension.trim().to_ascii_lowercase().replace('_', "-");
    if dim == "theme" || dim == "themes" {
        return themes(a, quiet);
    }
    if dim == "codebook-theme" {
        a.dimension = "theme".into();
    }
    let opts = options(&a)?;
    let base = match &a.baseline {
        None => None,
        Some(name) => Some(baseline(name).with_context(|| {
            format!(
                "unknown --baseline {name:?}; expected one of: {}",
                BASELINES.join(", ")
            )
        })?),
    };
    let codebook = load_codebook(a.codebook.as_deref())?;
    // A coder's labels are scored instead of tags: no engine is run.
    let engine: Box<dyn Classifier> = if opts.coder.is_some() {
        Box::new(lexicon_engine(&codebook))
    } else {
        a.engine
            .build(&codebook, Some(std::path::Path::new(EVAL_CACHE)), quiet)?
    };
    let mut report = evaluate(&opts, &codebook, engine.as_ref(), base.as_deref())?;
    if !a.disagreements {
        report.disagreements = None;
    }

    // Skipped rows always go to stderr: they are left out of every figure.
    for s in &report.skipped {
        eprintln!("{}: skipped: {}", s.source, s.reason);
    }
    let text = if a.json {
        let mut s = serde_json::to_string_pretty(&report)?;
        s.push('\n');
        s
    } else {
        render(&report)
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    if report.skipped.is_empty() {
        Ok(Status::Ok)
    } else {
        if !quiet {
            eprintln!(
                "cairn: {} rows skipped and left out of the figures (exit status 3)",
                report.skipped.len()
            );
        }
        Ok(Status::Partial)
    }
}

/// `eval --dimension theme`: discover the gold texts' themes and score
/// them (and the k-means baselines) against the gold categories.
fn themes(a: EvalArgs, quiet: bool) -> Result<Status> {
    let Some(label_col) = a.label_col.clone() else {
        bail!("--dimension theme needs --label-col (the human category, several split by ';')");
    };
    let kind =
        SourceKind::parse(&a.kind).with_context(|| format!("unknown --kind {:?}", a.kind))?;
    let codebook = load_codebook(a.codebook.as_deref())?;
    let engine = a
        .engine
        .build(&codebook, Some(std::path::Path::new(EVAL_CACHE)), quiet)?;
    let opts = crate::eval::discovery::ThemeEvalOptions {
        gold: a.gold.clone(),
        spec: gold_spec(&a, Some(label_col), None)?,
        kind,
    };
    let r = crate::eval::discovery::evaluate_themes(&opts, &codebook, engine.as_ref())?;
    for s in &r.skipped {
        eprintln!("{}: skipped: {}", s.source, s.reason);
    }
    let text = if a.json {
        serde_json::to_string_pretty(&r)? + "\n"
    } else {
        render_themes(&r)
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    Ok(if r.skipped.is_empty() {
        Status::Ok
    } else {
        Status::Partial
    })
}

fn render_themes(r: &crate::eval::discovery::ThemeEval) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: {} rows, {} categories ({} rows with several); engine {}, vectors: {}",
        r.gold, r.rows, r.categories, r.multi_label_rows, r.engine, r.space
    );
    let _ = writeln!(
        o,
        "\n{:<28} {:>8} {:>8} {:>6} {:>6} {:>6} {:>8}",
        "", "clusters", "coverage", "NMI", "ARI", "purity", "best F1"
    );
    let mut row = |name: &str, s: &crate::eval::discovery::ClusterScores| {
        let _ = writeln!(
            o,
            "{:<28} {:>8} {:>8.3} {:>6.3} {:>6.3} {:>6.3} {:>8.3}",
            name, s.clusters, s.coverage, s.nmi, s.ari, s.purity, s.mean_best_f1
        );
    };
    row("cairn themes", &r.cairn);
    row("k-means, same vectors", &r.kmeans_same_vectors);
    if let Some(t) = &r.kmeans_tfidf {
        row("k-means, plain TF-IDF", t);
    }
    let _ = writeln!(
        o,
        "\nbest theme per category (precision / recall over rows carrying it):"
    );
    for m in &r.matches {
        let _ = writeln!(
            o,
            "  {:<24} {:>5} rows  {:<32} {:.2} / {:.2}",
            m.category, m.rows, m.theme, m.precision, m.recall
        );
    }
    let _ = writeln!(o, "\nthemes: {}", r.themes.join(" · "));
    o
}

fn fixed(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

/// The readable block: summary (engines side by side), per-class table,
/// confusion matrices and confidence buckets.
pub fn render(r: &EvalReport) -> String {
    let mut o = String::new();
    let engines: Vec<&Scores> = std::iter::once(&r.scores).chain(&r.baseline).collect();
    let mut head = format!("{} · {} · engine {}", r.file, r.dimension, r.scores.engine);
    if let Some(b) = &r.baseline {
        let _ = write!(head, " (baseline {})", b.engine);
    }
    let _ = writeln!(
        o,
        "{head} · kind {} · n = {} ({} records, {} filtered out, {} skipped)",
        r.kind,
        r.scores.n,
        r.records,
        r.filtered,
        r.skipped.len()
    );
    let _ = writeln!(o);

    // Summary: one column per engine.
    let mut rows: Vec<(&str, Vec<String>)> = Vec::new();
    if r.scores.classes.is_some() {
        let get = |f: fn(&crate::eval::ClassReport) -> Option<f64>| {
            engines
                .iter()
                .map(|e| fixed(e.classes.as_ref().and_then(f)))
                .collect()
        };
        rows.push(("accuracy", get(|c| Some(c.accuracy))));
        rows.push(("macro-F1", get(|c| Some(c.macro_f1))));
        rows.push(("Cohen's κ", get(|c| c.kappa)));
    }
    if r.scores.correlation.is_some() {
        let get = |f: fn(&crate::eval::Correlation) -> Option<f64>| {
            engines
                .iter()
                .map(|e| fixed(e.correlation.as_ref().and_then(f)))
                .collect()
        };
        rows.push(("Pearson r", get(|c| c.pearson)));
        rows.push(("Spearman ρ", get(|c| c.spearman)));
    }
    let _ = write!(o, "{:<12}", "");
    for e in &engines {
        let _ = write!(o, " {:>9}", e.engine);
    }
    let _ = writeln!(o);
    for (name, values) in rows {
        let _ = write!(o, "{name}{}", pad(name, 12));
        for v in values {
            let _ = write!(o, " {v:>9}");
        }
        let _ = writeln!(o);
    }

    if let (Some(d), Some(b)) = (&r.vs_baseline, &r.baseline) {
        let _ = writeln!(
            o,
            "\nmacro-F1 {} − {}: {:+.3} (95 % CI {:+.3} to {:+.3}; {} ahead in {:.1} % of {} paired bootstrap resamples of the rows)",
            r.scores.engine,
            b.engine,
            d.macro_f1,
            d.ci95[0],
            d.ci95[1],
            r.scores.engine,
            d.a_better * 100.0,
            d.resamples
        );
    }
    let Some(classes) = &r.scores.classes else {
        return o;
    };

    // Per class: support, then precision/recall/F1 per engine.
    let labels: Vec<&String> = {
        let mut l: Vec<&String> = engines
            .iter()
            .filter_map(|e| e.classes.as_ref())
            .flat_map(|c| c.per_class.keys())
            .collect();
        l.sort();
        l.dedup();
        l
    };
    let w = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(o);
    if engines.len() > 1 {
        let mut line = format!("{:<w$} {:>7}", "", "");
        for e in &engines {
            let _ = write!(line, "  {:<25}", e.engine);
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
    let _ = write!(o, "{:<w$} {:>7}", "class", "support");
    for _ in &engines {
        let _ = write!(o, "  {:>9} {:>7} {:>7}", "precision", "recall", "F1");
    }
    let _ = writeln!(o);
    for l in &labels {
        let support = classes.per_class.get(*l).map_or(0, |s| s.support);
        let _ = write!(o, "{l:<w$} {support:>7}");
        for e in &engines {
            let s: Option<&ClassStats> = e.classes.as_ref().and_then(|c| c.per_class.get(*l));
            let _ = write!(
                o,
                "  {:>9} {:>7} {:>7}",
                fixed(s.map(|s| s.precision)),
                fixed(s.map(|s| s.recall)),
                fixed(s.map(|s| s.f1))
            );
        }
        let _ = writeln!(o);
    }
    let absent: Vec<&str> = labels
        .iter()
        .filter(|l| classes.per_class.get(**l).map_or(0, |s| s.support) == 0)
        .map(|l| l.as_str())
        .collect();
    if !absent.is_empty() {
        let _ = writeln!(
            o,
            "note: no gold row is {}; macro-F1 averages every class in the gold labels or the predictions (as scikit-learn does), so an engine that predicts {} scores F1 0 on it. Compare accuracy, κ and the per-class F1 of the classes present.",
            absent.join(" or "),
            if absent.len() == 1 { "it" } else { "one" }
        );
    }

    // Confusion matrices: rows = gold, columns = predicted.
    for e in &engines {
        let Some(c) = &e.classes else { continue };
        let m = &c.confusion;
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "confusion, {} (rows = gold, columns = predicted)",
            e.engine
        );
        let first = m
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .max("gold \\ predicted".len());
        let _ = write!(o, "{:<first$}", "gold \\ predicted");
        for l in &m.labels {
            let _ = write!(o, "  {l:>5}");
        }
        let _ = writeln!(o);
        for (l, row) in m.labels.iter().zip(&m.matrix) {
            let _ = write!(o, "{l:<first$}");
            for (col, n) in m.labels.iter().zip(row) {
                let cw = col.chars().count().max(5);
                let _ = write!(o, "  {n:>cw$}");
            }
            let _ = writeln!(o);
        }
    }

    // Does confidence mean something?
    for e in &engines {
        let Some(buckets) = &e.confidence_buckets else {
            continue;
        };
        let _ = writeln!(o);
        let _ = writeln!(o, "accuracy by confidence, {}", e.engine);
        let _ = writeln!(
            o,
            "{:<12} {:>6} {:>8} {:>9}",
            "confidence", "n", "correct", "accuracy"
        );
        for (i, b) in buckets.iter().enumerate() {
            let close = if i + 1 == buckets.len() { ']' } else { ')' };
            let range = format!("[{:.1}, {:.1}{close}", b.min, b.max);
            let _ = writeln!(
                o,
                "{range:<12} {:>6} {:>8} {:>9}",
                b.n,
                b.correct,
                fixed(b.accuracy)
            );
        }
        if e.without_confidence > 0 {
            let _ = writeln!(
                o,
                "({} predictions of none carry no confidence and are not bucketed)",
                e.without_confidence
            );
        }
        if let Some(kinds) = &e.by_evidence {
            let _ = writeln!(o);
            let _ = writeln!(o, "accuracy by evidence kind, {}", e.engine);
            let _ = writeln!(
                o,
                "{:<15} {:>6} {:>8} {:>9}",
                "evidence", "n", "correct", "accuracy"
            );
            for k in kinds {
                let _ = writeln!(
                    o,
                    "{:<15} {:>6} {:>8} {:>9}",
                    k.kind,
                    k.n,
                    k.correct,
                    fixed(Some(k.accuracy))
                );
            }
        }
    }
    if let Some(d) = &r.disagreements {
        render_disagreements(&mut o, r, d);
    }
    o
}

/// Longest text shown per disagreement, in characters.
const TEXT_SHOWN: usize = 160;

/// One line per row cairn (or the second coder) labels differently from
/// the gold.
fn render_disagreements(o: &mut String, r: &EvalReport, rows: &[Disagreement]) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "disagreements, {e} ({} of {} rows; line · gold → {e} (confidence) · text)",
        rows.len(),
        r.scores.n,
        e = r.scores.engine,
    );
    for d in rows {
        let flat = d.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = match flat.char_indices().nth(TEXT_SHOWN) {
            Some((cut, _)) => format!("{}…", &flat[..cut]),
            None => flat,
        };
        let conf = d
            .confidence
            .map(|c| format!(" ({c:.2})"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "{}:{}  {} → {}{conf}  {text}",
            r.file, d.line, d.gold, d.predicted
        );
    }
}

/// Spaces to pad `s` to `width` display characters.
fn pad(s: &str, width: usize) -> String {
    " ".repeat(width.saturating_sub(s.chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        eval: EvalArgs,
    }

    fn args(extra: &[&str]) -> Result<EvalArgs, clap::Error> {
        let mut v = vec!["eval", "--gold", "g.csv", "--text-col", "text"];
        v.extend_from_slice(extra);
        Cli::try_parse_from(v).map(|c| c.eval)
    }

    #[test]
    fn flags_become_options() {
        let a = args(&[
            "--dimension",
            "Intent-Cluster",
            "--label-col",
            "label",
            "--where",
            "split = test",
            "--kind",
            "tickets",
        ])
        .unwrap();
        let o = options(&a).unwrap();
        assert_eq!(o.dimension, Dimension::IntentCluster);
        assert_eq!(o.kind, SourceKind::Ticket);
        assert_eq!(o.spec.filters, [("split".to_string(), "test".to_string())]);
    }

    #[test]
    fn bad_flags_list_what_is_allowed() {
        // A label column or a score column is required.
        assert!(args(&["--dimension", "sentiment"]).is_err());
        let err = |extra: &[&str]| options(&args(extra).unwrap()).unwrap_err().to_string();
        let e = err(&["--dimension", "mood", "--label-col", "l"]);
        assert!(
            e.ends_with("intent_signal, intent_cluster, quadrant, theme"),
            "{e}"
        );
        let e = err(&[
            "--dimension",
            "stage",
            "--label-col",
            "l",
            "--engine",
            "bert",
        ]);
        assert!(e.contains("expected one of: auto, neural, lexicon"), "{e}");
        let e = err(&["--dimension", "stage", "--gold-score-col", "s"]);
        assert!(e.contains("only applies to --dimension sentiment"), "{e}");
        let e = err(&[
            "--dimension",
            "theme",
            "--label-col",
            "l",
            "--baseline",
            "vader",
        ]);
        assert!(e.contains("only applies to --dimension sentiment"), "{e}");
        let e = err(&[
            "--dimension",
            "sentiment",
            "--label-col",
            "l",
            "--where",
            "split",
        ]);
        assert!(e.contains("expected COL=VALUE"), "{e}");
    }

    #[test]
    fn renders_every_section() {
        use crate::eval::{metrics, ClassReport, Correlation};
        let classes = ClassReport::new(&["negative", "positive"], &["negative", "neutral"]);
        let scores = |engine: &str, buckets: bool| Scores {
            engine: engine.into(),
            n: 2,
            classes: Some(classes.clone()),
            confidence_buckets: buckets
                .then(|| metrics::confidence_buckets([(0.9, true), (0.3, false)])),
            by_evidence: buckets.then(|| metrics::by_kind([("cue-word", true), ("prior", false)])),
            without_confidence: 0,
            correlation: Some(Correlation::new(&[-1.0, 1.0], &[-0.5, 0.0])),
        };
        let r = EvalReport {
            file: "gold.csv".into(),
            dimension: Dimension::Sentiment,
            kind: SourceKind::Review,
            records: 3,
            filtered: 1,
            skipped: vec![],
            scores: scores("lexicon", true),
            baseline: Some(scores("vader", false)),
            vs_baseline: Some(crate::eval::metrics::Difference {
                macro_f1: 0.25,
                ci95: [-0.125, 0.5],
                resamples: 1000,
                a_better: 0.75,
            }),
            disagreements: Some(vec![
                Disagreement {
                    line: 3,
                    gold: "positive".into(),
                    predicted: "neutral".into(),
                    confidence: Some(0.42),
                    text: "Fine,\n  I guess".into(),
                },
                Disagreement {
                    line: 9,
                    gold: "negative".into(),
                    predicted: "neutral".into(),
                    confidence: None,
                    text: "é".repeat(200),
                },
            ]),
        };
        let text = render(&r);
        for needle in [
            "gold.csv · sentiment · engine lexicon (baseline vader) · kind review · n = 2 (3 records, 1 filtered out, 0 skipped)",
            "accuracy         0.500     0.500",
            "Cohen's κ",
            "Spearman ρ       1.000     1.000",
            "class    support  precision  recall      F1  precision  recall      F1",
            "negative       1      1.000   1.000   1.000      1.000   1.000   1.000",
            "confusion, vader (rows = gold, columns = predicted)",
            "gold \\ predicted  negative  neutral  positive",
            "positive                 0        1         0",
            "accuracy by confidence, lexicon",
            "accuracy by evidence kind, lexicon",
            "[0.8, 1.0]        1        1     1.000",
            "macro-F1 lexicon − vader: +0.250 (95 % CI -0.125 to +0.500; lexicon ahead in 75.0 % of 1000 paired bootstrap resamples of the rows)",
            // Gold holds no neutral row, which macro-F1 still averages.
            "note: no gold row is neutral; macro-F1 averages every class",
            "disagreements, lexicon (2 of 2 rows; line · gold → lexicon (confidence) · text)",
            "gold.csv:3  positive → neutral (0.42)  Fine, I guess\n",
            // Long texts are cut at 160 characters, on a character boundary.
            &format!("gold.csv:9  negative → neutral  {}…\n", "é".repeat(160)),
        ] {
            assert!(text.contains(needle), "{needle:?} not in\n{text}");
        }
        assert!(!text.contains("accuracy by confidence, vader"));
    }
}
