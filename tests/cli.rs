//! Integration tests: drive the real `cairn` binary on the sample study and
//! on small fixtures in temp dirs.

mod util;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::path::Path;
use util::*;

/// Headings (level, text) and the number of tables in a Markdown document.
fn outline(md: &str) -> (Vec<(HeadingLevel, String)>, usize) {
    let mut headings = Vec::new();
    let mut tables = 0;
    let mut current: Option<(HeadingLevel, String)> = None;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s)) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            Event::Start(Tag::Table(_)) => tables += 1,
            _ => {}
        }
    }
    (headings, tables)
}

fn h2(md: &str) -> Vec<String> {
    outline(md)
        .0
        .into_iter()
        .filter(|(l, _)| *l == HeadingLevel::H2)
        .map(|(_, t)| t)
        .collect()
}

fn reports(dir: &Path) -> Vec<(String, String)> {
    OUTPUTS
        .iter()
        .map(|f| (f.to_string(), read(&dir.join(f))))
        .collect()
}

#[test]
fn sample_study_runs_reports_broken_records_and_keeps_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_sample(tmp.path());
    let err = stderr(&o);
    // Deliberately broken records: partial success, exit status 3.
    assert_eq!(o.status.code(), Some(3), "{err}");
    for expected in [
        "corpus/tickets/zendesk_tickets.csv:533 (row 153): skipped: empty body",
        "corpus/tickets/zendesk_tickets.csv:794 (row 232): skipped: unbalanced quote",
        "corpus/social/mentions.jsonl:177 (row 177): skipped: invalid JSON",
        "corpus/reviews/app_reviews.json:862 (row 87): skipped: empty body",
        "corpus/tickets/zendesk_tickets.csv:1036 (row 297): warning: invalid date",
        "corpus/reviews/app_reviews.json:1752 (row 176): warning: invalid rating '7'",
        "corpus/reviews/app_reviews.json:2652 (row 266): warning: invalid date 'last tuesday'",
        "corpus/social/mentions.jsonl:311 (row 311): warning: non-UTF-8 bytes",
        "corpus/surveys/nps_2026.csv:99 (row 98): warning: invalid score 'eleven'",
        "corpus/surveys/nps_2026.csv:181 (row 180): warning: invalid date '31/31/2026'",
        "corpus/tickets/zendesk_tickets.csv:1296 (row 372): warning: non-UTF-8 bytes",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(
        err.contains("skipped 4 records, 8 warnings (records kept with a field dropped or repaired, notes on files)"),
        "{err}"
    );
    // The record right after the unbalanced quote survives.
    let idx = tmp.path().join("index");
    let o = cairn(
        &repo(),
        &[
            "search",
            "--kind",
            "ticket",
            "--limit",
            "0",
            "--json",
            "--index",
            idx.to_str().unwrap(),
        ],
    );
    let rows: std::collections::BTreeSet<u64> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|v| v["snippet"]["source"]["row"].as_u64())
        .collect();
    assert!(
        rows.contains(&231) && rows.contains(&233),
        "rows around the broken one"
    );
    assert!(!rows.contains(&232));
    // The summary names every kind.
    for kind in ["interview", "ticket", "review", "social", "survey"] {
        assert!(
            err.lines().any(|l| l.starts_with(kind)),
            "{kind} in summary"
        );
    }
}

#[test]
fn reports_are_deterministic_and_match_the_committed_ones() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run_sample(a.path());
    run_sample(b.path());
    for ((name, x), (_, y)) in reports(&a.path().join("reports"))
        .iter()
        .zip(reports(&b.path().join("reports")))
    {
        assert_eq!(x, &y, "{name} differs between two runs");
        let committed = read(&repo().join("reports").join(name));
        if x != &committed {
            let (n, (new, old)) = x
                .lines()
                .zip(committed.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b)
                .unwrap_or((0, ("(length differs)", "")));
            panic!(
                "reports/{name} is stale (first difference on line {}):\n  generated: {new}\n  committed: {old}\nregenerate with `cargo run --release -- run` and commit it",
                n + 1
            );
        }
    }
}

#[test]
fn re_ingesting_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let first = stderr(&run_sample(tmp.path()));
    let second = stderr(&run_sample(tmp.path()));
    let indexed = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("index "))
            .map(|l| l.split(": ").nth(1).unwrap().to_string())
            .unwrap()
    };
    let (a, b) = (indexed(&first), indexed(&second));
    let total: usize = a.split_whitespace().next().unwrap().parse().unwrap();
    assert!(
        a.contains(&format!("({total} new, 0 already indexed)")),
        "{a}"
    );
    assert_eq!(
        b,
        format!("{total} snippets (0 new, {total} already indexed)")
    );
}

#[test]
fn reports_are_valid_markdown_with_expected_structure() {
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    let dir = tmp.path().join("reports");
    let readme = read(&dir.join("README.md"));
    let (_, tables) = outline(&readme);
    assert!(tables >= 2, "sources and data-quality tables");
    assert_eq!(
        h2(&readme),
        [
            "At a glance",
            "Reports",
            "Sources",
            "Data quality",
            "Citations"
        ]
    );

    let pains = read(&dir.join("pain-points.md"));
    let heads = h2(&pains);
    assert_eq!(
        heads[..4],
        [
            "How themes are ranked",
            "Ranking",
            "Impact on scores",
            "Trend by month"
        ]
    );
    assert!(heads.iter().any(|h| h.starts_with("1. ")));
    assert_eq!(heads.last().unwrap(), "Pain without a theme");
    assert!(pains.contains("priority = reach × (0.5 + severity) × (1 + 0.25 × (source kinds − 1))"));

    let maps = read(&dir.join("empathy-maps.md"));
    let (heads, _) = outline(&maps);
    let h3: Vec<&str> = heads
        .iter()
        .filter(|(l, _)| *l == HeadingLevel::H3)
        .map(|(_, t)| t.as_str())
        .take(10)
        .collect();
    // Dave Gray's Empathy Map Canvas, inferred quadrants marked as such.
    assert_eq!(
        h3,
        [
            "Who",
            "Goal",
            "Sees",
            "Says",
            "Does",
            "Hears",
            "Thinks (inferred)",
            "Feels (inferred)",
            "Pains",
            "Gains"
        ]
    );
    for seg in ["Price-sensitive researcher", "Feature-driven buyer"] {
        assert!(h2(&maps).iter().any(|h| h == seg), "map for {seg}");
    }

    let journey = read(&dir.join("journey-map.md"));
    assert!(journey.contains("```mermaid\njourney\n"));
    for stage in [
        "Awareness",
        "Consideration",
        "Decision",
        "Retention",
        "Advocacy",
    ] {
        assert!(
            journey.contains(&format!("    section {stage}\n")),
            "{stage}"
        );
        assert!(journey.contains(&format!("| {stage} | ")), "{stage} row");
    }
    // One journey per intent cluster (the actor) besides the overall one,
    // each with its diagram and opportunities.
    let clusters = h2(&maps).len();
    assert_eq!(
        journey.matches("```mermaid\njourney\n").count(),
        h2(&journey).len(),
        "one diagram per map"
    );
    assert_eq!(h2(&journey)[0], "All customers");
    assert_eq!(journey.matches("**Opportunities**").count(), clusters);
    // Every quote line in every report carries a citation with a snippet id.
    for (name, md) in reports(&dir) {
        for line in md.lines().filter(|l| {
            l.starts_with("- “")
                || l.contains("): “")
                || (l.starts_with("- **") && l.contains(": “"))
        }) {
            assert!(line.contains("` · `s:"), "{name}: uncited quote: {line}");
        }
    }
}

#[test]
fn search_filters_combine_and_report_origins() {
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    let idx = tmp.path().join("index");
    let idx = idx.to_str().unwrap();
    let o = cairn(
        &repo(),
        &[
            "search",
            "refund",
            "--stage",
            "retention",
            "--sentiment",
            "negative",
            "--json",
            "--limit",
            "0",
            "--index",
            idx,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let hits: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(hits.len() >= 5, "{} hits", hits.len());
    for h in &hits {
        assert_eq!(h["tags"]["stage"]["value"], "retention");
        assert_eq!(h["tags"]["sentiment"]["label"], "negative");
        assert!(h["highlight"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("**refund"));
        assert!(h["snippet"]["source"]["path"]
            .as_str()
            .unwrap()
            .starts_with("corpus/"));
        assert!(h["snippet"]["source"]["line"].as_u64().unwrap() >= 1);
        assert_eq!(h["tags"]["engine"], "lexicon");
    }
    // Theme + kind + score range + dates.
    let o = cairn(
        &repo(),
        &[
            "search",
            "--theme",
            "pricing",
            "--kind",
            "review",
            "--sentiment",
            "-1..-0.3",
            "--from",
            "2026-02-01",
            "--to",
            "2026-06-30",
            "--json",
            "--limit",
            "0",
            "--index",
            idx,
        ],
    );
    let hits: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!hits.is_empty(), "{}", stderr(&o));
    for h in &hits {
        // The study's themes, as search filters on them.
        assert!(h["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["value"] == "pricing"));
        assert_eq!(h["snippet"]["kind"], "review");
        let s = h["tags"]["sentiment"]["score"].as_f64().unwrap();
        assert!((-1.0..=-0.3).contains(&s), "{s}");
        let d = h["snippet"]["date"].as_str().unwrap();
        assert!(("2026-02-01".."2026-07-01").contains(&d), "{d}");
    }
    // Text output: origin line, tags line, highlighted fragment.
    let o = cairn(
        &repo(),
        &[
            "search",
            "\"charged twice\"",
            "--limit",
            "1",
            "--index",
            idx,
        ],
    );
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("corpus/") && lines[0].contains("  s:"),
        "{out}"
    );
    assert!(
        lines[2].to_lowercase().contains("**charged twice**"),
        "{out}"
    );
}

#[test]
fn search_without_matches_exits_1_and_bad_queries_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    let idx = tmp.path().join("index");
    let idx = idx.to_str().unwrap();
    let o = cairn(&repo(), &["search", "xylophonequartz", "--index", idx]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no matching snippets"));
    assert!(stdout(&o).is_empty());

    let o = cairn(&repo(), &["search", "\"refund", "--index", idx]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid query"), "{}", stderr(&o));

    let o = cairn(&repo(), &["search", "--stage", "purchase", "--index", idx]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o)
        .contains("expected one of: awareness, consideration, decision, retention, advocacy"));

    let o = cairn(
        &repo(),
        &["search", "--sentiment", "very bad", "--index", idx],
    );
    assert_eq!(o.status.code(), Some(2));

    let o = cairn(
        &repo(),
        &[
            "search",
            "refund",
            "--index",
            tmp.path().join("nope").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no index at"), "{}", stderr(&o));
}

fn run_fixture(tmp: &Path, extra: &[&str]) -> std::process::Output {
    let index = tmp.join("index");
    let out = tmp.join("reports");
    let mut args = vec![
        "run",
        "--corpus",
        "tests/fixtures/mini",
        "--index",
        index.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cairn(&repo(), &args)
}

fn all_hits(tmp: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let index = tmp.join("index");
    let mut args = vec![
        "search",
        "--json",
        "--limit",
        "0",
        "--index",
        index.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = cairn(&repo(), &args);
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn personal_data_is_redacted_before_it_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_fixture(tmp.path(), &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("tests/fixtures/mini/tickets.csv:4 (row 3): skipped: empty body"));
    let hits = all_hits(tmp.path(), &[]);
    assert!(!hits.is_empty());
    for h in &hits {
        let json = h.to_string();
        for secret in [
            "sam.ortiz@example.com",
            "555-0134",
            "4111 1111",
            "lee@example.org",
        ] {
            assert!(!json.contains(secret), "{secret} leaked in {json}");
        }
    }
    let texts: Vec<&str> = hits
        .iter()
        .map(|h| h["snippet"]["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Call me on [PHONE] or write to [EMAIL].")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("on card [CARD] and I want a refund")),
        "{texts:?}"
    );
    // The skipped row is kept in the rejects file, redacted like everything stored.
    let rejects = read(&tmp.path().join("index/rejects.jsonl"));
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
    assert!(
        rejects.contains("\"line\":4") && rejects.contains("[EMAIL]"),
        "{rejects}"
    );
    assert!(!rejects.contains("kim@example.net"), "{rejects}");
    // The same requester joins across tickets by a hash of the email.
    let lee: std::collections::BTreeSet<&str> = hits
        .iter()
        .filter(|h| h["snippet"]["text"].as_str().unwrap().contains("refund"))
        .map(|h| h["snippet"]["customer"].as_str().unwrap())
        .collect();
    assert_eq!(lee.len(), 1, "{lee:?}");
    assert!(lee.iter().all(|c| c.starts_with("e:")));
    // Searching by the email finds the customer it was hashed into.
    let key = *lee.iter().next().unwrap();
    let by_key = all_hits(tmp.path(), &["--customer", key]);
    let by_email = all_hits(tmp.path(), &["--customer", "Lee@Example.org"]);
    assert!(!by_key.is_empty());
    assert_eq!(by_email, by_key);
}

#[test]
fn interviewer_turns_are_indexed_but_never_counted_as_customer_voice() {
    let tmp = tempfile::tempdir().unwrap();
    run_fixture(tmp.path(), &[]);
    let interviewer = all_hits(tmp.path(), &["--role", "interviewer"]);
    assert_eq!(interviewer.len(), 6, "{interviewer:?}");
    assert!(interviewer
        .iter()
        .all(|h| h["snippet"]["speaker"] == "Priya Nair"));
    // Her question about pricing must not appear as a quote in any report.
    for (name, md) in reports(&tmp.path().join("reports")) {
        assert!(
            !md.contains("how do you feel about the price"),
            "{name} quotes the interviewer"
        );
    }
    // The participant's multi-line turn keeps its own line numbers.
    let sam = all_hits(tmp.path(), &["\"two evenings\""]);
    assert_eq!(sam.len(), 1);
    assert_eq!(sam[0]["snippet"]["source"]["line"], 9);
    assert_eq!(sam[0]["snippet"]["role"], "customer");
}

#[test]
fn a_custom_codebook_replaces_the_embedded_one() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_fixture(
        tmp.path(),
        &["--codebook", "tests/fixtures/mini/custom-codebook.toml"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // The custom codebook's themes are the seeds: its cues tag the
    // snippets, and a study theme whose snippets carry one takes its name.
    let hits = all_hits(
        tmp.path(),
        &["--codebook", "tests/fixtures/mini/custom-codebook.toml"],
    );
    assert!(
        hits.iter().any(|h| h["tags"]["themes"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x["value"] == "exports"))),
        "no snippet carries the custom codebook's theme"
    );
    let pains = read(&tmp.path().join("reports/pain-points.md"));
    assert!(
        !pains.contains("Billing"),
        "the embedded codebook's themes leaked in"
    );
    // A broken codebook is an error that names the file.
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "version = 1\n[[stage]]\nid = \"Bad Id\"\n").unwrap();
    let o = run_fixture(tmp.path(), &["--codebook", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.toml"), "{}", stderr(&o));
}

#[test]
fn sample_study_reports_say_what_the_data_says() {
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    let pains = read(&tmp.path().join("reports/pain-points.md"));
    // The ranking is the study's own themes, not the codebook's list: some
    // are named from the customers' words, codebook themes it never raises
    // are a footnote, and no label is used twice.
    let ranked: Vec<&str> = pains
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("](#"))
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert!(ranked.len() >= 5, "{ranked:?}");
    let cb = cairn::classify::Codebook::embedded();
    assert!(
        ranked
            .iter()
            .any(|l| !cb.theme.iter().any(|t| t.label == *l)),
        "every ranked theme is a codebook label: {ranked:?}"
    );
    let unique: std::collections::BTreeSet<String> =
        ranked.iter().map(|l| l.to_lowercase()).collect();
    assert_eq!(unique.len(), ranked.len(), "{ranked:?}");
    assert!(pains.contains("In the codebook, not heard in this study as a theme of its own:"));
    assert!(pains.contains("**Where the themes come from.**"));
    // The rank-1 line follows the printed formula.
    let first = pains.lines().find(|l| l.starts_with("| 1 |")).unwrap();
    let cells: Vec<&str> = first.split('|').map(str::trim).collect();
    let (priority, reach, severity, kinds): (f64, f64, f64, f64) = (
        cells[3].parse().unwrap(),
        cells[4].split(' ').next().unwrap().parse().unwrap(),
        cells[7].parse().unwrap(),
        cells[8].parse().unwrap(),
    );
    let expect = reach * (0.5 + severity) * (1.0 + 0.25 * (kinds - 1.0));
    assert!((priority - expect).abs() <= 0.05 * reach, "{first}");
    // The theme file is written beside the reports' folder and lists them.
    let themes = read(&tmp.path().join("themes.toml"));
    for l in &ranked {
        assert!(
            themes.contains(&format!("label = {:?}", l)),
            "{l} not in themes.toml"
        );
    }
    // Every theme is findable again by its label.
    let o = cairn(
        &repo(),
        &[
            "search",
            "--index",
            tmp.path().join("index").to_str().unwrap(),
            "--themes-file",
            tmp.path().join("themes.toml").to_str().unwrap(),
            "--theme",
            &ranked[0].to_uppercase(),
            "--limit",
            "0",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).lines().count() >= 3);
    // Segments: sizes with their base and interval.
    let segs = read(&tmp.path().join("reports/segments.md"));
    assert!(
        segs.contains("| [Support seeker](#support-seeker) | 83 of 458 (18 %, 95 % CI 15–22 %) |")
    );
    // The brand's own replies on social ("Please DM us your ticket
    // number") are agent turns: no segment evidence, no quote anywhere.
    for report in [
        "segments.md",
        "pain-points.md",
        "empathy-maps.md",
        "journey-map.md",
    ] {
        let md = read(&tmp.path().join("reports").join(report));
        for brand in [
            "— @Ledgerly,",
            "— @LedgerlyHelp,",
            "| @Ledgerly |",
            "| @LedgerlyHelp |",
        ] {
            assert!(!md.contains(brand), "{report} quotes {brand}");
        }
    }
    // A known quote, cited with its origin and snippet id.
    assert!(pains.contains(
        "- “I was charged TWICE for July and I can't see why.” — C0032, ticket, 2025-07-24 · `corpus/tickets/zendesk_tickets.csv:52 (row 11)` · `s:0e9ec7aaba868641`"
    ));
    // The cited quote is found again by search, at the same origin.
    let idx = tmp.path().join("index");
    let o = cairn(
        &repo(),
        &[
            "search",
            "\"charged TWICE for July\"",
            "--json",
            "--index",
            idx.to_str().unwrap(),
        ],
    );
    let hit: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(hit["snippet"]["id"], "0e9ec7aaba868641");
    assert_eq!(hit["snippet"]["source"]["line"], 52);
    // The churn story of C0007 is traceable across channels.
    let o = cairn(
        &repo(),
        &[
            "search",
            "--customer",
            "C0007",
            "--json",
            "--limit",
            "0",
            "--index",
            idx.to_str().unwrap(),
        ],
    );
    let kinds: std::collections::BTreeSet<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["snippet"]["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    // corpus/interviews/participants.csv joins Kai Whitfield's interview to
    // account C0069, so it is found with the account's tickets.
    let o = cairn(
        &repo(),
        &[
            "search",
            "--customer",
            "C0069",
            "--kind",
            "interview",
            "--role",
            "customer",
            "--json",
            "--limit",
            "0",
            "--index",
            idx.to_str().unwrap(),
        ],
    );
    let paths: std::collections::BTreeSet<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["snippet"]["source"]["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["corpus/interviews/2026-03-04_C0069_kai-whitfield.txt"]
    );
}

/// Write a corpus of `files` ticket exports with `rows` tickets each.
fn big_corpus(dir: &Path, files: usize, rows: usize) {
    let phrases = [
        "I was charged twice this month and still no refund.",
        "The bank sync dropped a week of transactions again.",
        "Support took four days to answer my ticket.",
        "Love the invoice templates, clients notice them.",
        "How do I export my data to a spreadsheet?",
        "The app crashes when I scan a receipt on Android.",
    ];
    std::fs::create_dir_all(dir).unwrap();
    for f in 0..files {
        let mut csv = String::from("id,created_at,requester,subject,description,status\n");
        for r in 0..rows {
            let id = f * rows + r;
            let a = phrases[id % phrases.len()];
            let b = phrases[(id / 7) % phrases.len()];
            csv.push_str(&format!(
                "{id},2026-0{}-1{}T10:00:00Z,user{}@example.com,Ticket {id},\"{a} {b} Ref {id}.\",open\n",
                1 + id % 9,
                id % 10,
                id % 997
            ));
        }
        std::fs::write(dir.join(format!("tickets_{f:03}.csv")), csv).unwrap();
    }
}

fn indexed_total(stderr: &str) -> (u64, u64, u64) {
    // "index PATH: N snippets (A new, R already indexed)"
    let line = stderr
        .lines()
        .find(|l| l.starts_with("index "))
        .unwrap_or_else(|| panic!("{stderr}"));
    let nums: Vec<u64> = line
        .rsplit(": ")
        .next()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    (nums[0], nums[1], nums[2])
}

#[test]
fn a_run_killed_mid_way_resumes_without_duplicates_or_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    big_corpus(&corpus, 24, 500);
    let args = |name: &str| {
        vec![
            "run".to_string(),
            "--corpus".into(),
            corpus.to_str().unwrap().into(),
            "--index".into(),
            tmp.path().join(name).join("index").to_str().unwrap().into(),
            "--out".into(),
            tmp.path()
                .join(name)
                .join("reports")
                .to_str()
                .unwrap()
                .into(),
        ]
    };
    // A clean run gives the expected total.
    let clean = cairn(
        tmp.path(),
        &args("clean").iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let (expected, _, _) = indexed_total(&stderr(&clean));
    assert!(expected > 30_000, "{expected}");

    // Start a run and kill it (SIGKILL) as soon as its first batch is committed.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args("killed"))
        .current_dir(tmp.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let meta = tmp.path().join("killed/index/meta.json");
    let start = std::time::Instant::now();
    loop {
        let committed = std::fs::read_to_string(&meta)
            .ok()
            .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
            .is_some_and(|m| m["segments"].as_array().is_some_and(|s| !s.is_empty()));
        if committed || start.elapsed() > std::time::Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the run finished before it could be killed"
    );

    // The index holds the committed part only, and opens fine.
    let killed_index = tmp.path().join("killed/index");
    let partial = cairn(
        tmp.path(),
        &[
            "search",
            "--json",
            "--limit",
            "0",
            "--index",
            killed_index.to_str().unwrap(),
        ],
    );
    let partial = stdout(&partial).lines().count() as u64;
    assert!(
        partial > 0 && partial < expected,
        "partial {partial} of {expected}"
    );

    // Running again completes it: every snippet once, the committed ones replaced.
    let resumed = cairn(
        tmp.path(),
        &args("killed")
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    let (total, added, replaced) = indexed_total(&stderr(&resumed));
    assert_eq!(total, expected, "{}", stderr(&resumed));
    assert_eq!(replaced, partial);
    assert_eq!(added + replaced, expected);
    // Same reports as the clean run.
    for (name, md) in reports(&tmp.path().join("killed/reports")) {
        let clean_md = read(&tmp.path().join("clean/reports").join(&name));
        let strip = |s: &str| s.replace("killed/", "").replace("clean/", "");
        assert_eq!(strip(&md), strip(&clean_md), "{name}");
    }
}

#[test]
fn dry_run_shows_detection_and_redacted_records_and_stores_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let o = cairn(
        &repo(),
        &[
            "ingest",
            "--dry-run",
            "tests/fixtures/mini/tickets.csv",
            "--index",
            index.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "the empty ticket is skipped: {}",
        stderr(&o)
    );
    let out = stdout(&o);
    assert!(out.contains("kind ticket · layout generic-csv"), "{out}");
    assert!(out.contains("columns: body=\"description\""), "{out}");
    assert!(
        out.contains("Call me on [PHONE] or write to [EMAIL]."),
        "{out}"
    );
    assert!(
        !out.contains("555-0134") && !out.contains("sam.ortiz@example.com"),
        "{out}"
    );
    assert!(!index.exists(), "a dry run must not create the index");
}

/// An abandoned Qualtrics response is no broken record: the run says how
/// many empty responses it left out and exits 0.
#[test]
fn an_abandoned_survey_response_does_not_make_the_run_partial() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let file = tmp.path().join("qualtrics.csv");
    let csv = std::fs::read_to_string(repo().join("tests/fixtures/formats/qualtrics-nps.csv"))
        .unwrap()
        .trim_end()
        .to_string();
    // Progress 5 %, not finished, no answers: what Qualtrics records when
    // someone opens the survey and leaves.
    let header_cols = csv.lines().next().unwrap().split(',').count();
    let row: Vec<&str> = (0..header_cols)
        .map(|i| match i {
            0 => "2026-02-08 07:00:00",
            1 => "2026-02-08 07:00:40",
            2 => "IP Address",
            4 => "5",
            6 => "False",
            7 => "2026-02-15 07:00:41",
            8 => "R_5abandoned0004",
            _ => "",
        })
        .collect();
    std::fs::write(&file, format!("{csv}\n{}\n", row.join(","))).unwrap();
    let o = cairn(
        tmp.path(),
        &[
            "ingest",
            "qualtrics.csv",
            "--index",
            index.to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("skipped:"), "{err}");
    assert!(
        err.contains(
            "skipped 0 records, 0 warnings (records kept with a field dropped or repaired, notes on files), \
             1 empty survey response (no text or score) not stored"
        ),
        "{err}"
    );
    let o = cairn(tmp.path(), &["ingest", "--dry-run", "qualtrics.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("3 documents, 0 skipped, 1 empty survey response"),
        "{out}"
    );
    // The reports' data-quality section counts it too.
    let reports = tmp.path().join("reports");
    let o = cairn(
        tmp.path(),
        &[
            "run",
            "--corpus",
            "qualtrics.csv",
            "--index",
            tmp.path().join("index2").to_str().unwrap(),
            "--out",
            reports.to_str().unwrap(),
            "--engine",
            "lexicon",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let readme = read(&reports.join("README.md"));
    assert!(
        readme.contains("Every record was read in full.\n\n1 survey response was empty (no text and no score) and was not stored."),
        "{readme}"
    );
}

/// A file that gives nothing is named in the overview's data quality, so
/// a reader of the reports knows an input was never read.
#[test]
fn files_that_give_no_records_are_named_in_the_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("tickets.csv"),
        "id,created_at,requester,subject,description,status\n1,2026-03-02T10:00:00Z,ann@example.com,Refund,Still no refund after two weeks.,open\n",
    )
    .unwrap();
    std::fs::write(corpus.join("empty.csv"), "").unwrap();
    std::fs::write(corpus.join("csat_q2.csv"), "id,score,comment\n").unwrap();
    std::fs::write(corpus.join("notes.pages"), "%PDF-1.7").unwrap();
    let o = cairn(
        tmp.path(),
        &["run", "--corpus", "corpus", "--engine", "lexicon"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let readme = read(&tmp.path().join("reports/README.md"));
    assert!(
        readme.contains(
            "Files that gave no records: `corpus/csat_q2.csv` (header only: no records), \
             `corpus/empty.csv` (empty file), \
             `corpus/notes.pages` (not read: not a supported format, or a README)."
        ),
        "{readme}"
    );
}

#[test]
fn a_column_mapping_reads_files_detection_cannot() {
    let tmp = tempfile::tempdir().unwrap();
    let file = "tests/fixtures/formats/generic-feedback.csv";
    let index = tmp.path().join("index");
    let index = index.to_str().unwrap();
    // Without a mapping: no text column, the file is skipped with its columns listed.
    let o = cairn(&repo(), &["ingest", file, "--index", index]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no text column"), "{}", stderr(&o));
    // … and says how to name the text column.
    assert!(
        stderr(&o).contains("); name it with --map body=COLUMN"),
        "{}",
        stderr(&o)
    );
    // With one: read as reviews, text from the named column.
    let o = cairn(
        &repo(),
        &[
            "ingest",
            file,
            "--kind",
            "review",
            "--map",
            "body=\"Notes from customer\",rating=\"Stars (1-5)\"",
            "--index",
            index,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = cairn(
        &repo(),
        &[
            "search", "--kind", "review", "--json", "--limit", "0", "--index", index,
        ],
    );
    let hits: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["snippet"]["source"]["path"] == file));
    assert!(hits.iter().any(|h| h["snippet"]["rating"].is_number()));
    // A mapped column that does not exist names itself and the columns there are.
    let o = cairn(
        &repo(),
        &["ingest", "--dry-run", file, "--map", "body=Comments"],
    );
    assert!(stderr(&o).contains("Comments"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Notes from customer"), "{}", stderr(&o));
}

#[test]
fn adapter_training_refuses_to_overwrite_the_embedded_heads() {
    let tmp = tempfile::tempdir().unwrap();
    // A head that reads an adapter cannot be embedded: --out is required.
    let o = cairn(tmp.path(), &["model", "train", "--adapter"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("pass --out DIR (not models/heads)"),
        "{}",
        stderr(&o)
    );
    // The adapter's settings mean nothing without it.
    let o = cairn(tmp.path(), &["model", "train", "--holdout", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--adapter"), "{}", stderr(&o));
    assert!(!tmp.path().join("models").exists(), "nothing written");
}
