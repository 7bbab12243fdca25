//! Inputs that tried to turn cairn's outputs against their reader, or to
//! hang or exhaust it (issue 16): hostile file names in the reports, a FIFO
//! named on the command line, reports replaced whole, a JSON array too big
//! to read at once.

mod util;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use util::*;

/// Every heading of a report, and the cell count of each table row beside
/// its table's header's.
fn structure(md: &str) -> (Vec<String>, Vec<(usize, usize)>) {
    let mut headings = Vec::new();
    let mut rows = Vec::new();
    let mut heading: Option<String> = None;
    let (mut head_cells, mut cells) = (0, 0);
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => cells = 0,
            Event::End(TagEnd::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead) => head_cells = cells,
            Event::End(TagEnd::TableRow) => rows.push((cells, head_cells)),
            _ => {}
        }
    }
    (headings, rows)
}

/// Issue 16: file names with `|`, a backtick, a newline and other control
/// characters put a `# Injected` heading into segments.md, gave table rows
/// extra columns and made `verify` fail; a name that is not UTF-8 was
/// "not a supported format". Now every path is printed escaped, `verify`
/// reads the citations back, and the non-UTF-8 name is read, cited by its
/// lossy name and named in a warning.
#[cfg(unix)]
#[test]
fn hostile_file_names_cannot_break_the_reports_and_verify_still_passes() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("tickets|export.csv"),
        "id,customer_id,subject,description\n\
         1,C1,Refund,I was charged twice for my order and nobody answers.\n\
         2,C2,,\n\
         3,C3,Slow,The checkout is so slow that I gave up and went elsewhere.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("notes\n# Injected.txt"),
        "Interviewer: How was the checkout?\nAna: Awful, the payment page kept failing and I almost cancelled.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("tick`et | x.jsonl"),
        "{\"id\": \"p1\", \"handle\": \"@mia\", \"text\": \"The app keeps crashing when I pay, so frustrating\"}\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("red\u{1b}[31m\ttab.txt"),
        "Interviewer: Anything else?\nBo: The delivery was late again and support never called back.\n",
    )
    .unwrap();
    let latin1 = corpus.join(std::ffi::OsStr::from_bytes(b"caf\xe9 review.txt"));
    std::fs::write(
        &latin1,
        "Interviewer: What went wrong?\nCy: The refund took six weeks and the app lost my receipts.\n",
    )
    .unwrap();

    let o = cairn(
        tmp.path(),
        &[
            "run", "--corpus", "corpus", "--index", "index", "--out", "reports",
        ],
    );
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(3),
        "one empty ticket is skipped: {err}"
    );
    assert!(
        err.contains("corpus/caf\u{fffd} review.txt:0: warning: the file name is not valid UTF-8"),
        "{err}"
    );
    assert!(!err.contains("not a supported format"), "{err}");

    let mut cited = String::new();
    for name in OUTPUTS.iter().filter(|n| n.ends_with(".md")) {
        let md = read(&tmp.path().join("reports").join(name));
        let (headings, rows) = structure(&md);
        assert!(
            !headings.iter().any(|h| h.contains("Injected")),
            "{name}: {headings:?}"
        );
        for (cells, head) in rows {
            assert_eq!(
                cells, head,
                "{name}: a table row with {cells} cells under {head} headers"
            );
        }
        cited.push_str(&md);
    }
    for shown in [
        "corpus/tickets\\u{7c}export.csv:3 (row 2)",
        "corpus/notes\\n# Injected.txt:2",
        "corpus/caf\u{fffd} review.txt",
    ] {
        assert!(cited.contains(shown), "{shown} is not cited");
    }
    let readme = read(&tmp.path().join("reports/README.md"));
    assert!(
        readme.contains("the file name is not valid UTF-8"),
        "{readme}"
    );

    let o = cairn(tmp.path(), &["verify", "reports", "--index", "index"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let checked: usize = err
        .lines()
        .find_map(|l| l.strip_suffix(" quotes checked, 0 failed"))
        .unwrap_or_else(|| panic!("{err}"))
        .parse()
        .unwrap();
    assert!(checked >= 5, "{err}");
}

/// Runs cairn with `args` in `dir`, killing it if it has not exited within
/// a minute (the bug this pins was a hang).
fn cairn_or_hang(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(dir)
        .env("CAIRN_ENGINE", "lexicon")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            let o = child.wait_with_output().unwrap();
            return (o.status.code(), stderr(&o));
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            let o = child.wait_with_output().unwrap();
            panic!("cairn {args:?} hung: {}", stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 16: a FIFO named on the command line hung `ingest` and `run`
/// until killed. It is refused, naming it; inside a folder it is passed
/// over with a warning naming it.
#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_refused_and_one_in_a_folder_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("t.csv"),
        "id,description\n1,The invoice was wrong and support never replied.\n",
    )
    .unwrap();
    let made = Command::new("mkfifo")
        .arg(corpus.join("pipe.csv"))
        .status()
        .unwrap();
    assert!(made.success());

    let (code, err) = cairn_or_hang(
        tmp.path(),
        &["ingest", "corpus/pipe.csv", "--index", "index"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("corpus/pipe.csv is a FIFO (named pipe), not a file or folder"),
        "{err}"
    );
    assert!(!tmp.path().join("index").exists(), "nothing was stored");
    let (code, err) = cairn_or_hang(
        tmp.path(),
        &[
            "run",
            "--corpus",
            "corpus/pipe.csv",
            "--index",
            "index",
            "--out",
            "reports",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("corpus/pipe.csv is a FIFO (named pipe)"),
        "{err}"
    );

    let (code, err) = cairn_or_hang(
        tmp.path(),
        &[
            "run", "--corpus", "corpus", "--index", "index", "--out", "reports",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "corpus/pipe.csv:0: warning: not read: a FIFO (named pipe), not a regular file"
        ),
        "{err}"
    );
    let readme = read(&tmp.path().join("reports/README.md"));
    assert!(
        readme.contains(
            "| warning | `corpus/pipe.csv:0` | not read: a FIFO (named pipe), not a regular file |"
        ),
        "{readme}"
    );
}

/// Issue 16: reports were written in place, so a kill while writing left
/// half a report. They are written beside it and renamed: an old report is
/// replaced whole and no temporary file is left.
#[test]
fn reports_are_replaced_whole_and_leave_no_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let reports = tmp.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::write(reports.join("README.md"), "# Half a rep").unwrap();
    std::fs::write(reports.join("manifest.json"), "{\"inputs\": [").unwrap();
    let index = tmp.path().join("index");
    let args = [
        "run",
        "--corpus",
        "tests/fixtures/mini",
        "--index",
        index.to_str().unwrap(),
        "--out",
        reports.to_str().unwrap(),
    ];
    for _ in 0..2 {
        let o = cairn(&repo(), &args);
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        let readme = read(&reports.join("README.md"));
        assert!(
            readme.starts_with("# ") && readme.contains("## Citations"),
            "{readme}"
        );
        let manifest: serde_json::Value =
            serde_json::from_str(&read(&reports.join("manifest.json"))).unwrap();
        assert!(manifest["inputs"].as_array().is_some_and(|a| !a.is_empty()));
        let mut names: Vec<String> = std::fs::read_dir(&reports)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut want: Vec<String> = OUTPUTS.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(names, want, "no temporary file is left");
    }
}

/// Issue 16: a 36 MB JSON array took 2.65 GB, read whole. A JSON array
/// over the streaming threshold is now read element by element; every
/// record is kept and cites the line its object starts on.
#[test]
fn a_json_array_over_the_streaming_threshold_is_read_record_by_record() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("reviews.json");
    let mut json = String::from(
        "{\"meta\": {\"count\": 0, \"tags\": [\"a]\", {\"b\": \"}\"}]},\n \"reviews\": [\n",
    );
    let mut want = Vec::new();
    let mut n = 0u64;
    let mut line = 3;
    while json.len() < (cairn::ingest::STREAM_ABOVE_BYTES as usize) + (1 << 20) {
        n += 1;
        if n > 1 {
            json.push_str(",\n");
            line += 1;
        }
        want.push(line);
        line += 5;
        json.push_str(&format!(
            "  {{\n    \"review_id\": \"r{n}\",\n    \"rating\": {},\n    \"title\": \"Review {n}\",\n    \"review_text\": \"Order {n}: the app crashed at checkout, \\\"again\\\" [sic] {{twice}}.\\nSecond line.\"\n  }}",
            1 + n % 5
        ));
    }
    json.push_str("\n ]\n}\n");
    std::fs::write(&file, &json).unwrap();

    let mut lines = Vec::new();
    let mut batches = 0;
    let r =
        cairn::ingest::ingest_path_each(&file, &Default::default(), &|_| {}, &mut |_file, docs| {
            batches += 1;
            lines.extend(docs.iter().map(|d| (d.source.line, d.source.row)));
            Ok(())
        })
        .unwrap();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(r.files[0].format, "json");
    assert_eq!(r.files[0].documents as u64, n);
    let want: Vec<(u64, Option<u64>)> = want
        .iter()
        .zip(1..)
        .map(|(l, row)| (*l, Some(row)))
        .collect();
    assert_eq!(lines, want);
    assert!(
        batches > 10,
        "documents are handed on as they are read: {batches} batches"
    );
}
