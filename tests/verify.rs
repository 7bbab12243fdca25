//! `cairn verify`: every cited quote in the reports is checked against its
//! source file; a changed quote, a wrong line or an uncited quote fails,
//! naming the report line.

mod util;

use std::path::Path;
use util::*;

/// Copy the committed reports into `dir`.
fn copy_reports(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(repo().join("reports")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// "N quotes checked, M failed" from stderr.
fn counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.contains(" quotes checked, "))
        .unwrap_or_else(|| panic!("no summary in {stderr}"));
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    (nums[0], nums[1])
}

/// 1-based line numbers of cited list-item quotes in a report.
fn quote_lines(md: &str) -> Vec<usize> {
    md.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- “") && l.contains("` · `s:"))
        .map(|(i, _)| i + 1)
        .collect()
}

fn replace_line(path: &Path, line: usize, f: impl Fn(&str) -> String) -> String {
    let md = read(path);
    let mut lines: Vec<String> = md.lines().map(str::to_string).collect();
    let new = f(&lines[line - 1]);
    assert_ne!(new, lines[line - 1], "the edit changed nothing");
    lines[line - 1] = new.clone();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    new
}

#[test]
fn verify_passes_on_the_committed_reports() {
    let o = cairn(&repo(), &["verify", "reports"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{}\n{err}", stdout(&o));
    let (checked, failed) = counts(&err);
    assert!(checked >= 100, "{checked} quotes");
    assert_eq!(failed, 0);
    assert!(stdout(&o).is_empty(), "only failures are printed");
    // --verbose prints one verdict per quote.
    let o = cairn(&repo(), &["verify", "reports", "--verbose"]);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), checked);
    assert!(out.lines().all(|l| l.ends_with(": ok")), "{out}");
    assert!(out.contains("reports/pain-points.md:"), "{out}");
}

#[test]
fn verify_checks_snippet_ids_against_an_index() {
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    let idx = tmp.path().join("index");
    let reports = tmp.path().join("reports");
    let o = cairn(
        &repo(),
        &[
            "verify",
            reports.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // An id that is not in the index fails, even though the quote holds.
    let file = reports.join("journey-map.md");
    let md = read(&file);
    let line = md
        .lines()
        .position(|l| l.starts_with("| ") && l.contains("` · `s:"))
        .unwrap()
        + 1;
    replace_line(&file, line, |l| {
        let at = l.find("`s:").unwrap() + 3;
        format!("{}ffffffffffffffff{}", &l[..at], &l[at + 16..])
    });
    let o = cairn(
        &repo(),
        &[
            "verify",
            reports.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "journey-map.md:{line}: snippet s:ffffffffffffffff is not in the index"
        )),
        "{out}"
    );
}

#[test]
fn a_changed_word_in_a_quote_fails_naming_the_report_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    copy_reports(&dir);
    let file = dir.join("pain-points.md");
    let line = quote_lines(&read(&file))[0];
    // Change one word of the quote (the first word of four letters or more).
    let edited = replace_line(&file, line, |l| {
        let start = l.find('“').unwrap() + '“'.len_utf8();
        let end = l.find('”').unwrap();
        let quote = &l[start..end];
        let word = quote
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| w.len() >= 4)
            .unwrap();
        let quote = quote.replacen(word, "zzzz", 1);
        format!("{}{}{}", &l[..start], quote, &l[end..])
    });
    let o = cairn(&repo(), &["verify", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let cited = edited.split('`').nth(1).unwrap();
    let (path, rest) = cited.split_once(':').unwrap();
    let cited_line = rest.split(|c: char| !c.is_ascii_digit()).next().unwrap();
    let expected = format!(
        "{}:{line}: quote not found in {path}:{cited_line}: \"",
        file.display()
    );
    assert!(out.contains(&expected), "want {expected:?} in:\n{out}");
    assert!(out.contains("zzzz"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(counts(&stderr(&o)).1, 1);
}

#[test]
fn a_citation_pointing_at_the_wrong_line_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    copy_reports(&dir);
    let file = dir.join("pain-points.md");
    let md = read(&file);
    // Two quotes cited from the same CSV file: point the first at the second's line.
    let csv_quotes: Vec<(usize, String)> = quote_lines(&md)
        .into_iter()
        .map(|n| (n, md.lines().nth(n - 1).unwrap().to_string()))
        .filter(|(_, l)| l.contains(".csv:"))
        .collect();
    let origin = |l: &str| l.split('`').nth(1).unwrap().to_string();
    let line_of = |o: &str| {
        o.split_once(':')
            .unwrap()
            .1
            .split(' ')
            .next()
            .unwrap()
            .to_string()
    };
    let (first, a) = &csv_quotes[0];
    let file_of = |o: &str| o.split_once(':').unwrap().0.to_string();
    let b = csv_quotes[1..]
        .iter()
        .map(|(_, l)| origin(l))
        .find(|o| {
            let row_of = |o: &str| o.split("(row ").nth(1).map(str::to_string);
            file_of(o) == file_of(&origin(a))
                && line_of(o) != line_of(&origin(a))
                && row_of(o) != row_of(&origin(a))
        })
        .unwrap();
    let (path, wrong) = (file_of(&b), line_of(&b));
    replace_line(&file, *first, |l| {
        l.replacen(
            &format!("{path}:{}", line_of(&origin(a))),
            &format!("{path}:{wrong}"),
            1,
        )
    });
    let o = cairn(&repo(), &["verify", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let expected = format!(
        "{}:{first}: quote not found in {path}:{wrong}: \"",
        file.display()
    );
    assert!(out.contains(&expected), "want {expected:?} in:\n{out}");
}

#[test]
fn a_quote_without_a_citation_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    copy_reports(&dir);
    let file = dir.join("empathy-maps.md");
    let line = quote_lines(&read(&file))[0];
    replace_line(&file, line, |l| l[..l.find(" · `").unwrap()].to_string());
    let o = cairn(&repo(), &["verify", file.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains(&format!(
            "{}:{line}: quote without a citation: - “",
            file.display()
        )),
        "{}",
        stdout(&o)
    );
}

#[test]
fn verify_reads_sources_as_ingest_does() {
    // Reports on the fixtures (a UTF-16 export, Windows-1252 bytes, Word,
    // subtitles, JSON APIs) verify, run from the repository root.
    let tmp = tempfile::tempdir().unwrap();
    let reports = tmp.path().join("reports");
    let o = cairn(
        &repo(),
        &[
            "run",
            "--corpus",
            "tests/fixtures/formats",
            "--index",
            tmp.path().join("index").to_str().unwrap(),
            "--out",
            reports.to_str().unwrap(),
        ],
    );
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    let o = cairn(&repo(), &["verify", reports.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(counts(&stderr(&o)).0 > 10, "{}", stderr(&o));
    // From elsewhere, the cited paths do not resolve unless --root says where.
    let o = cairn(tmp.path(), &["verify", "reports"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("cannot read tests/fixtures/formats/"),
        "{}",
        stdout(&o)
    );
    let o = cairn(
        tmp.path(),
        &["verify", "reports", "--root", repo().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}
