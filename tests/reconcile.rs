//! The index holds the corpus as it is now, once: re-runs by another path,
//! renamed, moved and deleted files, rows removed and edited, runs split
//! into `ingest` calls, two runs at once and an index an older cairn wrote.
//! Each sequence drives the real binary in a study folder of its own and
//! ends with `cairn verify`.

mod util;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use util::{cairn, read, stderr, stdout};

const TICKETS: &str = "\
id,created_at,requester,subject,description,status
T-101,2026-03-02T09:14:00Z,ana@example.com,Charged twice,I was charged twice for the March invoice and nobody has refunded me.,open
T-102,2026-03-03T11:02:00Z,ben@example.com,Sync broken,The bank sync dropped a week of transactions again.,open
T-103,2026-03-04T16:40:00Z,cleo@example.com,Export,How do I export my invoices to a spreadsheet?,solved
T-104,2026-03-05T08:05:00Z,dev@example.com,Slow support,Support took four days to answer my ticket about the login loop.,open
T-105,2026-03-06T13:30:00Z,eli@example.com,Thanks,Love the invoice templates; my clients notice them.,solved
";

const POSTS: &str = r#"{"id": "p1", "author": "@mara_k", "platform": "twitter", "created_at": "2026-03-07T10:00:00Z", "text": "Third outage this week, my whole team is locked out of the dashboard."}
{"id": "p2", "author": "@tomw", "platform": "twitter", "created_at": "2026-03-08T12:00:00Z", "text": "Switched our studio to this app last month and reconciliation takes minutes now."}
{"id": "p3", "author": "@jen_ops", "platform": "twitter", "created_at": "2026-03-09T15:30:00Z", "text": "Why does the mobile app log me out every single time I open it?"}
"#;

/// Reviews without an id column: each record is known by its line.
const REVIEWS: &str = "\
rating,date,title,review
2,2026-02-01,Crashes,The app crashes whenever I scan a receipt on Android.
5,2026-02-02,Great,Setting up recurring invoices took five minutes.
1,2026-02-03,Hidden fees,The price went up at renewal without any warning email.
4,2026-02-04,Solid,Reports are clear but the export to Excel drops the currency column.
";

/// A study folder with `corpus/tickets.csv`, `corpus/social/posts.jsonl`
/// and `corpus/reviews.csv`.
fn study() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    fs::create_dir_all(corpus.join("social")).unwrap();
    fs::write(corpus.join("tickets.csv"), TICKETS).unwrap();
    fs::write(corpus.join("social/posts.jsonl"), POSTS).unwrap();
    fs::write(corpus.join("reviews.csv"), REVIEWS).unwrap();
    tmp
}

fn run(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["run"];
    args.extend_from_slice(extra);
    let o = cairn(dir, &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    err
}

/// Every stored snippet as (id, origin, text), from `search --json`.
fn snippets(dir: &Path) -> Vec<(String, String, String)> {
    let o = cairn(dir, &["search", "--json", "--limit", "0"]);
    let mut out: Vec<(String, String, String)> = stdout(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = &v["snippet"];
            let src = &s["source"];
            (
                s["id"].as_str().unwrap().to_string(),
                format!("{}:{}", src["path"].as_str().unwrap(), src["line"]),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// How many snippets each file holds.
fn per_file(dir: &Path) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (_, origin, _) in snippets(dir) {
        let file = origin.rsplit_once(':').unwrap().0.to_string();
        *out.entry(file).or_default() += 1;
    }
    out
}

/// `cairn verify` on the reports, with the index's snippet ids: exit 0.
fn verify(dir: &Path) {
    let o = cairn(dir, &["verify", "reports", "--index", ".cairn/index"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

/// The "records since the last run" line of a run's summary.
fn records_line(err: &str) -> String {
    err.lines()
        .find(|l| l.starts_with("records"))
        .unwrap_or_else(|| panic!("no records line in\n{err}"))
        .to_string()
}

#[test]
fn a_rerun_by_another_path_to_the_same_corpus_adds_no_copies() {
    let tmp = study();
    let first = run(tmp.path(), &[]);
    assert!(records_line(&first).contains("(the first run on this index)"));
    let before = snippets(tmp.path());
    assert!(before.len() >= 12, "{before:?}");
    let readme = read(&tmp.path().join("reports/README.md"));

    for corpus in [
        tmp.path().join("corpus").to_str().unwrap().to_string(),
        "./corpus/".to_string(),
        "corpus/../corpus".to_string(),
    ] {
        let again = run(tmp.path(), &["--corpus", &corpus]);
        assert_eq!(snippets(tmp.path()), before, "--corpus {corpus}");
        assert_eq!(
            records_line(&again),
            format!(
                "records since the last run: 0 added, 0 changed, 0 moved, 0 removed, {} unchanged",
                12
            )
        );
        // Nothing changed, so the reports are the first run's, byte for byte.
        assert_eq!(read(&tmp.path().join("reports/README.md")), readme);
    }
    verify(tmp.path());
}

#[test]
fn a_renamed_file_is_the_same_records_reported_as_moved() {
    let tmp = study();
    run(tmp.path(), &[]);
    let before = per_file(tmp.path());
    let corpus = tmp.path().join("corpus");
    fs::rename(corpus.join("tickets.csv"), corpus.join("support.csv")).unwrap();

    let err = run(tmp.path(), &[]);
    assert!(
        records_line(&err).contains("0 added, 0 changed, 5 moved, 0 removed"),
        "{err}"
    );
    assert!(
        err.contains("corpus/support.csv: moved 5 from corpus/tickets.csv"),
        "{err}"
    );
    assert!(
        err.contains("corpus/tickets.csv: moved 5 to corpus/support.csv"),
        "{err}"
    );
    let after = per_file(tmp.path());
    assert_eq!(after.get("corpus/tickets.csv"), None, "{after:?}");
    assert_eq!(
        after.get("corpus/support.csv"),
        before.get("corpus/tickets.csv")
    );
    assert_eq!(
        after.values().sum::<usize>(),
        before.values().sum::<usize>()
    );
    let readme = read(&tmp.path().join("reports/README.md"));
    assert!(readme.contains("## Changes since the last run"), "{readme}");
    assert!(
        readme.contains("| `corpus/support.csv` | 0 | 0 | 5 from corpus/tickets.csv | 0 | 0 |"),
        "{readme}"
    );
    verify(tmp.path());
}

#[test]
fn a_file_moved_into_another_folder_keeps_its_records_and_cites_its_new_place() {
    let tmp = study();
    run(tmp.path(), &[]);
    let corpus = tmp.path().join("corpus");
    fs::create_dir_all(corpus.join("archive/2026")).unwrap();
    fs::rename(
        corpus.join("reviews.csv"),
        corpus.join("archive/2026/reviews.csv"),
    )
    .unwrap();
    let err = run(tmp.path(), &[]);
    assert!(
        err.contains("corpus/archive/2026/reviews.csv: moved 4 from corpus/reviews.csv"),
        "{err}"
    );
    let moved: Vec<_> = snippets(tmp.path())
        .into_iter()
        .filter(|(_, _, text)| text.contains("scan a receipt"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    // The citation is the file's new place, at the record's line.
    assert_eq!(moved[0].1, "corpus/archive/2026/reviews.csv:2");
    verify(tmp.path());
}

#[test]
fn a_deleted_file_leaves_search_counts_and_reports() {
    let tmp = study();
    run(tmp.path(), &[]);
    fs::remove_file(tmp.path().join("corpus/social/posts.jsonl")).unwrap();
    let err = run(tmp.path(), &[]);
    assert!(
        records_line(&err).contains("0 added, 0 changed, 0 moved, 3 removed"),
        "{err}"
    );
    assert!(
        err.contains("corpus/social/posts.jsonl: 3 removed"),
        "{err}"
    );
    let o = cairn(tmp.path(), &["search", "locked out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(!per_file(tmp.path()).contains_key("corpus/social/posts.jsonl"));
    let readme = read(&tmp.path().join("reports/README.md"));
    assert!(!readme.contains("| social |"), "{readme}");
    assert!(!readme.contains("locked out of the dashboard"));
    verify(tmp.path());
}

#[test]
fn rows_removed_from_a_file_go_and_an_edited_record_is_counted_as_changed() {
    let tmp = study();
    run(tmp.path(), &[]);
    let path = tmp.path().join("corpus/tickets.csv");
    // T-102 removed, T-104 edited.
    let edited: String = TICKETS
        .lines()
        .filter(|l| !l.starts_with("T-102"))
        .map(|l| {
            l.replace(
                "Support took four days to answer my ticket about the login loop.",
                "Support answered within the hour and fixed the login loop.",
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&path, edited + "\n").unwrap();

    let err = run(tmp.path(), &[]);
    assert!(
        records_line(&err).contains("0 added, 1 changed, 0 moved, 1 removed, 10 unchanged"),
        "{err}"
    );
    assert!(
        err.contains("corpus/tickets.csv: 1 changed, 1 removed"),
        "{err}"
    );
    let texts: Vec<String> = snippets(tmp.path()).into_iter().map(|s| s.2).collect();
    assert!(!texts.iter().any(|t| t.contains("bank sync")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("four days")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("within the hour")));
    let readme = read(&tmp.path().join("reports/README.md"));
    assert!(
        readme.contains("| `corpus/tickets.csv` | 0 | 1 | 0 | 1 | 3 |"),
        "{readme}"
    );
    verify(tmp.path());
}

#[test]
fn a_row_removed_from_a_file_without_ids_is_one_removal_not_a_shift_of_edits() {
    let tmp = study();
    run(tmp.path(), &[]);
    let path = tmp.path().join("corpus/reviews.csv");
    let without: Vec<&str> = REVIEWS.lines().filter(|l| !l.contains("Crashes")).collect();
    fs::write(&path, without.join("\n") + "\n").unwrap();
    let err = run(tmp.path(), &[]);
    assert!(err.contains("corpus/reviews.csv: 1 removed"), "{err}");
    assert!(
        records_line(&err).contains("0 added, 0 changed, 0 moved, 1 removed, 11 unchanged"),
        "{err}"
    );
    // The rows below it moved up a line, and are cited there.
    let fees: Vec<_> = snippets(tmp.path())
        .into_iter()
        .filter(|s| s.2.contains("without any warning"))
        .collect();
    assert_eq!(fees.len(), 1);
    assert_eq!(fees[0].1, "corpus/reviews.csv:3");
    verify(tmp.path());
}

#[test]
fn ingest_calls_split_by_folder_give_what_one_run_gives() {
    let whole = study();
    run(whole.path(), &[]);

    let split = study();
    for part in ["corpus/social", "corpus/tickets.csv", "corpus/reviews.csv"] {
        let o = cairn(split.path(), &["ingest", part]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert_eq!(snippets(split.path()), snippets(whole.path()));

    // Ingesting one file again touches nothing else.
    fs::remove_file(split.path().join("corpus/reviews.csv")).unwrap();
    let o = cairn(split.path(), &["ingest", "corpus/tickets.csv"]);
    assert!(
        stderr(&o).contains("0 added, 0 changed, 0 moved, 0 removed, 5 unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snippets(split.path()), snippets(whole.path()));
    // A run reconciles the whole corpus: the deleted file goes.
    run(split.path(), &[]);
    assert!(!per_file(split.path()).contains_key("corpus/reviews.csv"));
    verify(split.path());
}

#[test]
fn ingesting_a_renamed_file_moves_its_records_from_the_old_name() {
    let tmp = study();
    run(tmp.path(), &[]);
    let corpus = tmp.path().join("corpus");
    fs::rename(corpus.join("tickets.csv"), corpus.join("tickets-march.csv")).unwrap();
    let o = cairn(tmp.path(), &["ingest", "corpus/tickets-march.csv"]);
    let err = stderr(&o);
    assert!(
        err.contains("corpus/tickets-march.csv: moved 5 from corpus/tickets.csv"),
        "{err}"
    );
    let files = per_file(tmp.path());
    assert!(!files.contains_key("corpus/tickets.csv"), "{files:?}");
    assert!(files.contains_key("corpus/social/posts.jsonl"));
}

#[test]
fn a_run_while_another_writes_the_study_says_so_and_exits_2() {
    let tmp = study();
    run(tmp.path(), &[]);
    let index_dir = tmp.path().join(".cairn/index");
    // Hold the index's writer lock, as a run in progress does.
    let index = tantivy::Index::open_in_dir(&index_dir).unwrap();
    let writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    for args in [&["run"][..], &["ingest", "corpus"][..]] {
        let o = cairn(tmp.path(), args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("another cairn run is writing this study"),
            "{err}"
        );
        assert!(err.contains(".cairn/index"), "{err}");
        assert!(
            !err.contains("LockBusy") && !err.contains("Lockfile"),
            "{err}"
        );
    }
    drop(writer);
    run(tmp.path(), &[]);
    verify(tmp.path());
}

#[test]
fn an_index_an_older_cairn_wrote_is_rebuilt_by_run_not_double_counted() {
    let tmp = study();
    run(tmp.path(), &[]);
    let before = snippets(tmp.path());
    let version = tmp.path().join(".cairn/index/cairn-schema.json");
    fs::write(&version, "{\"version\":1}\n").unwrap();

    let o = cairn(tmp.path(), &["search", "invoice"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`cairn run` rebuilds it"),
        "{}",
        stderr(&o)
    );

    let err = run(tmp.path(), &[]);
    assert!(
        err.contains("written by an older cairn (schema version 1), so it was emptied and rebuilt"),
        "{err}"
    );
    assert_eq!(snippets(tmp.path()), before);
    verify(tmp.path());
}
