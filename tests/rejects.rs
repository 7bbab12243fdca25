//! The rejects file: every skipped record, with its source text, in
//! `INDEX/rejects.jsonl`, replaced on every run.

use std::path::Path;
use std::process::{Command, Output};

fn ingest(dir: &Path, file: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["ingest", file, "--index", "index", "-q"])
        .current_dir(dir)
        .output()
        .unwrap()
}

fn rejects(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("index/rejects.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn skipped_records_are_written_to_the_rejects_file_fresh_each_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("tickets.csv"),
        "id,body\n1,fine\n2,\"never closed\n3,next\n4,\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("mentions.jsonl"),
        "{\"text\": \"ok\"}\n{\"text\": \"cut\n",
    )
    .unwrap();

    let out = ingest(dir, "tickets.csv");
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tickets.csv:3 (row 2): skipped: unbalanced quote"),
        "{stderr}"
    );
    let r = rejects(dir);
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!(r[0]["path"], "tickets.csv");
    assert_eq!(r[0]["line"], 3);
    assert_eq!(r[0]["row"], 2);
    assert_eq!(r[0]["raw"], "2,\"never closed");
    assert!(r[0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("unbalanced quote: record spans lines 3–"));
    assert_eq!(r[1]["line"], 5);
    assert_eq!(r[1]["reason"], "empty body");
    assert_eq!(r[1]["raw"], "4,");

    // The next run replaces the file.
    let out = ingest(dir, "mentions.jsonl");
    assert_eq!(out.status.code(), Some(3));
    let r = rejects(dir);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0]["path"], "mentions.jsonl");
    assert_eq!(r[0]["line"], 2);
    assert_eq!(r[0]["raw"], "{\"text\": \"cut");

    // A clean run leaves it empty.
    std::fs::write(dir.join("ok.csv"), "id,body\n1,fine\n").unwrap();
    let out = ingest(dir, "ok.csv");
    assert_eq!(out.status.code(), Some(0));
    assert!(rejects(dir).is_empty());
}
