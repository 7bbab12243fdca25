//! No personal data outside the redacted text: a corpus whose bad fields
//! (a date, a rating, a broken row) and text hold personal data is run,
//! ingested dry, exported and searched, and none of the raw values appears
//! in stdout, stderr, the reports, the manifest, the index folder's text
//! files (the rejects file) or the export.

mod util;

use std::path::Path;
use util::{cairn, stderr, stdout};

/// Every raw value of the corpus below that must never get out.
const RAW: &[&str] = &[
    "jane@example.com",
    "555-010-9999",
    "07700 900123",
    "GB82 WEST 1234",
    "GB82WEST",
    "536-22-1748",
    "Jane Smith",
    "12 High Street",
    "LS1 4DY",
    "192.168.14.77",
    "tom(at)example(dot)com",
    "14/07/1982",
    "+44 7700 900456",
];

/// A ticket export: a bad date and a bad rating that quote personal data
/// (kept, with a warning), text full of it, a phone number as the
/// customer id, and a row whose unquoted commas break it (skipped).
const TICKETS: &str = "id,customer_id,date,rating,body\n\
1,C-1,jane@example.com 555-010-9999,4,\"The refund never came. Please call 07700 900123.\"\n\
2,C-2,2026-01-05,call 07700 900123,\"Send it to IBAN GB82 WEST 1234 5698 7654 32, my SSN is 536-22-1748.\"\n\
3,+44 7700 900456,2026-01-06,2,\"Logged in from 192.168.14.77 and got locked out. Mail tom(at)example(dot)com, DOB 14/07/1982.\n\nBest regards,\nJane Smith\n12 High Street\nLeeds LS1 4DY\"\n\
4,C-4,2026-01-07,1,write to jane@example.com, or 12 High Street, Leeds LS1 4DY\n\
5,C-5,2026-01-08,3,\"Works again, thanks.\"\n";

fn assert_clean(what: &str, text: &str) {
    for raw in RAW {
        assert!(!text.contains(raw), "{what} holds {raw:?}:\n{text}");
    }
}

/// Every text file under `dir`, by path.
fn text_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(text_files(&p));
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            out.push((p.display().to_string(), text));
        }
    }
    out
}

fn study() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("corpus")).unwrap();
    std::fs::write(tmp.path().join("corpus/tickets.csv"), TICKETS).unwrap();
    tmp
}

/// The bug: `invalid date 'jane@example.com 555-010-9999'` was printed on
/// stderr and written into reports/README.md's data-quality table.
#[test]
fn warnings_and_skips_quoting_personal_data_are_redacted_in_every_output() {
    let tmp = study();
    let dir = tmp.path();
    let run = cairn(
        dir,
        &[
            "run", "--corpus", "corpus", "--index", "index", "--out", "reports",
        ],
    );
    let err = stderr(&run);
    assert_clean("run stderr", &err);
    assert_clean("run stdout", &stdout(&run));
    // The warnings are still there, with the value redacted.
    assert!(err.contains("invalid date '[EMAIL] [PHONE]'"), "{err}");
    assert!(err.contains("invalid rating 'call [PHONE]'"), "{err}");
    assert!(err.contains("skipped: record has 7 fields"), "{err}");

    let reports = text_files(&dir.join("reports"));
    assert!(reports.iter().any(|(p, _)| p.ends_with("manifest.json")));
    for (path, text) in &reports {
        assert_clean(path, text);
    }
    let readme = util::read(&dir.join("reports/README.md"));
    assert!(
        readme.contains(r"invalid date '\[EMAIL\] \[PHONE\]'"),
        "{readme}"
    );

    let index_texts = text_files(&dir.join("index"));
    let rejects = index_texts
        .iter()
        .find(|(p, _)| p.ends_with("rejects.jsonl"))
        .expect("a rejects file");
    assert!(
        rejects.1.contains("write to [EMAIL], or [ADDRESS]"),
        "{}",
        rejects.1
    );
    for (path, text) in &index_texts {
        assert_clean(path, text);
    }

    for format in ["jsonl", "csv"] {
        let export = cairn(dir, &["export", "--format", format, "--index", "index"]);
        assert!(export.status.success(), "{}", stderr(&export));
        let out = stdout(&export);
        assert!(out.contains("[IBAN]") && out.contains("[NAME]"), "{out}");
        assert_clean(format, &out);
        assert_clean(format, &stderr(&export));
    }

    let search = cairn(dir, &["search", "refund", "--index", "index"]);
    assert_clean("search", &stdout(&search));
}

#[test]
fn a_dry_run_shows_records_redacted_as_they_would_be_stored() {
    let tmp = study();
    for extra in [&[][..], &["--json"][..]] {
        let mut args = vec![
            "ingest",
            "corpus/tickets.csv",
            "--dry-run",
            "--records",
            "5",
        ];
        args.extend_from_slice(extra);
        let out = cairn(tmp.path(), &args);
        let text = stdout(&out);
        assert!(text.contains("[SSN]"), "{text}");
        assert_clean("dry-run stdout", &text);
        assert_clean("dry-run stderr", &stderr(&out));
    }
}
