//! `cairn export`: JSON Lines round-trips to the stored snippets, CSV has
//! one row per snippet, and the codebook exports as well-formed REFI-QDA.

mod util;

use cairn::classify::Codebook;
use cairn::export::{code_guid, CSV_COLUMNS, QDC_NAMESPACE};
use cairn::index::SnippetIndex;
use cairn::model::TaggedSnippet;
use quick_xml::events::Event;
use std::path::Path;
use util::*;

/// Run the mini fixture into `tmp/index` and return what the index holds.
fn indexed(tmp: &Path) -> Vec<TaggedSnippet> {
    let o = cairn(
        &repo(),
        &[
            "run",
            "--corpus",
            "tests/fixtures/mini",
            "--index",
            tmp.join("index").to_str().unwrap(),
            "--out",
            tmp.join("reports").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    SnippetIndex::open_or_create(&tmp.join("index"))
        .unwrap()
        .all()
        .unwrap()
}

#[test]
fn jsonl_round_trips_to_the_stored_snippets() {
    let tmp = tempfile::tempdir().unwrap();
    let stored = indexed(tmp.path());
    assert!(stored.len() > 10);
    let idx = tmp.path().join("index");
    let o = cairn(
        &repo(),
        &[
            "export",
            "--format",
            "jsonl",
            "--index",
            idx.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{} snippets written to stdout", stored.len())),
        "{}",
        stderr(&o)
    );
    let out = stdout(&o);
    let back: Vec<TaggedSnippet> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, stored);
    // Writing them again gives the same bytes.
    for (line, t) in out.lines().zip(&back) {
        assert_eq!(serde_json::to_string(t).unwrap(), line);
    }
    // --out writes the same to a file.
    let file = tmp.path().join("snippets.jsonl");
    let o = cairn(
        &repo(),
        &[
            "export",
            "--format",
            "jsonl",
            "--index",
            idx.to_str().unwrap(),
            "--out",
            file.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).is_empty() && stderr(&o).is_empty());
    assert_eq!(read(&file), out);
}

#[test]
fn csv_has_a_row_per_snippet_with_every_field() {
    let tmp = tempfile::tempdir().unwrap();
    let stored = indexed(tmp.path());
    let file = tmp.path().join("snippets.csv");
    let o = cairn(
        &repo(),
        &[
            "export",
            "--format",
            "csv",
            "--index",
            tmp.path().join("index").to_str().unwrap(),
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut r = csv::Reader::from_path(&file).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(headers, CSV_COLUMNS);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), stored.len());
    for (row, t) in rows.iter().zip(&stored) {
        let s = &t.snippet;
        assert_eq!(row.len(), CSV_COLUMNS.len());
        assert_eq!(&row[col("id")], s.id);
        assert_eq!(&row[col("text")], s.text, "line breaks and quotes survive");
        assert_eq!(&row[col("path")], s.source.path);
        assert_eq!(row[col("line")].parse::<u64>().unwrap(), s.source.line);
        assert_eq!(&row[col("role")], s.role.as_str());
        assert_eq!(
            row[col("sentiment_score")].parse::<f64>().unwrap(),
            t.tags.sentiment.score
        );
        assert_eq!(&row[col("stage")], t.tags.stage.value);
        assert_eq!(&row[col("stage_evidence")], t.tags.stage.evidence);
        assert_eq!(&row[col("pain")], t.tags.pain.to_string());
        // The study's themes, then the codebook themes the engine heard.
        let themes: Vec<&str> = t.themes.iter().map(|x| x.value.as_str()).collect();
        assert_eq!(&row[col("themes")], themes.join(";"));
        let heard: Vec<&str> = t.tags.themes.iter().map(|x| x.value.as_str()).collect();
        assert_eq!(&row[col("codebook_themes")], heard.join(";"));
        assert_eq!(
            &row[col("intent_cluster")],
            t.tags
                .intent_cluster
                .as_ref()
                .map_or("", |c| c.value.as_str())
        );
        assert_eq!(&row[col("engine")], "lexicon");
    }
    assert!(rows.iter().any(|r| !r[col("row")].is_empty()));
    assert!(rows.iter().any(|r| r[col("role")] == *"interviewer"));
}

/// Parse a .qdc: the (depth, name, guid, isCodable) of every Code, and the
/// root's namespace. Panics if the XML is not well-formed.
fn qdc_codes(xml: &str) -> (String, Vec<(usize, String, String, bool)>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut codes = Vec::new();
    let mut ns = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_string();
                let attr = |k: &str| {
                    e.attributes()
                        .map(|a| a.unwrap())
                        .find(|a| AsRef::<str>::as_ref(&a.key) == k)
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                .unwrap()
                                .into_owned()
                        })
                };
                if stack.is_empty() {
                    assert_eq!(name, "CodeBook");
                    ns = attr("xmlns").unwrap();
                    assert!(attr("origin").unwrap().starts_with("cairn "));
                }
                if name == "Code" {
                    let depth = stack.iter().filter(|s| *s == "Code").count();
                    codes.push((
                        depth,
                        attr("name").unwrap(),
                        attr("guid").unwrap(),
                        attr("isCodable").unwrap() == "true",
                    ));
                }
                stack.push(name);
            }
            Event::End(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_string();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    (ns, codes)
}

#[test]
fn the_codebook_exports_as_refi_qda() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("codebook.qdc");
    let o = cairn(
        &repo(),
        // No theme file: the codebook's own themes are exported.
        &[
            "export",
            "--format",
            "qdc",
            "--out",
            file.to_str().unwrap(),
            "--themes-file",
            tmp.path().join("none.toml").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let xml = read(&file);
    let (ns, codes) = qdc_codes(&xml);
    assert_eq!(ns, QDC_NAMESPACE);
    let parents: Vec<&str> = codes
        .iter()
        .filter(|c| c.0 == 0)
        .map(|c| c.1.as_str())
        .collect();
    assert_eq!(
        parents,
        [
            "Journey stage",
            "Intent signal",
            "Intent cluster",
            "Empathy quadrant",
            "Theme"
        ]
    );
    assert!(
        codes.iter().all(|c| c.3 == (c.0 == 1)),
        "entries are codable, sections not"
    );
    let cb = Codebook::embedded();
    let children = codes.iter().filter(|c| c.0 == 1).count();
    assert_eq!(
        children,
        cb.stage.len() + cb.signal.len() + cb.cluster.len() + cb.quadrant.len() + cb.theme.len()
    );
    // GUIDs: UUID-shaped, unique, derived from the ids.
    let guids: std::collections::BTreeSet<&str> = codes.iter().map(|c| c.2.as_str()).collect();
    assert_eq!(guids.len(), codes.len());
    let billing = codes.iter().find(|c| c.1 == "Billing").unwrap();
    assert_eq!(billing.2, code_guid("theme", "billing"));
    assert!(xml.contains("<Description>"));
    // Same codebook, same bytes.
    let none = tmp.path().join("none.toml");
    let o = cairn(
        &repo(),
        &[
            "export",
            "--format",
            "qdc",
            "--themes-file",
            none.to_str().unwrap(),
        ],
    );
    assert_eq!(stdout(&o), xml);
    // A researcher's own codebook exports its own codes.
    let o = cairn(
        &repo(),
        &[
            "export",
            "--format",
            "qdc",
            "--codebook",
            "tests/fixtures/mini/custom-codebook.toml",
            "--themes-file",
            none.to_str().unwrap(),
        ],
    );
    let (_, codes) = qdc_codes(&stdout(&o));
    assert!(codes.iter().any(|c| c.1 == "Exports"), "{codes:?}");
    // A study that has been run exports its own themes as the theme codes.
    let o = cairn(
        &repo(),
        &["export", "--format", "qdc", "--themes-file", "themes.toml"],
    );
    let (_, codes) = qdc_codes(&stdout(&o));
    let study = cairn::synth::themes::file::ThemeFile::read(&repo().join("themes.toml"))
        .unwrap()
        .unwrap();
    for t in &study.themes {
        assert!(codes.iter().any(|c| c.1 == t.label), "{} missing", t.label);
    }
}

#[test]
fn exporting_without_an_index_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let o = cairn(
        &repo(),
        &[
            "export",
            "--format",
            "csv",
            "--index",
            tmp.path().join("nope").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no index at"), "{}", stderr(&o));
    let o = cairn(&repo(), &["export", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Issue 16: a ticket whose body was `=HYPERLINK(…)` came out of
/// `export --format csv` as a live formula. Every text cell that begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return now starts with
/// `'`; the numbers cairn writes stay numbers.
#[test]
fn csv_export_neutralises_cells_a_spreadsheet_would_run() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("tickets.csv"),
        "id,customer_id,subject,description\n\
         1,@mia,Refund,\"=HYPERLINK(\"\"https://evil.example/r\"\",\"\"Refund here\"\") I was charged twice and I am furious\"\n\
         2,+44 20 7946 0000,Login,\"+1 and still locked out of my account, this is terrible\"\n\
         3,=1+1,Billing,\"-2+3+cmd|' /C calc'!A0 the invoice is wrong again\"\n\
         4,C0042,Thanks,\"Great support, thank you so much\"\n",
    )
    .unwrap();
    let o = cairn(
        tmp.path(),
        &[
            "run", "--corpus", "corpus", "--index", "index", "--out", "reports",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = tmp.path().join("snippets.csv");
    let o = cairn(
        tmp.path(),
        &[
            "export",
            "--format",
            "csv",
            "--index",
            "index",
            "--out",
            "snippets.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut r = csv::Reader::from_path(&file).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert!(rows.len() >= 4, "{rows:?}");
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let numeric = cairn::export::NUMERIC_COLUMNS.contains(&headers[i].as_str());
            if !numeric {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: {cell:?}",
                    headers[i]
                );
            }
        }
        row[col("sentiment_score")].parse::<f64>().unwrap();
    }
    let texts: Vec<&str> = rows.iter().map(|r| &r[col("text")]).collect();
    assert!(
        texts.iter().any(|t| t.starts_with("'=HYPERLINK(")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("'+1 and")), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.starts_with("'-2+3+cmd")),
        "{texts:?}"
    );
    let customers: Vec<&str> = rows.iter().map(|r| &r[col("customer")]).collect();
    assert!(customers.contains(&"'@mia"), "{customers:?}");
    assert!(customers.contains(&"C0042"), "{customers:?}");
    assert!(
        rows.iter()
            .any(|r| r[col("sentiment_score")].starts_with('-')),
        "a negative sentiment stays a bare number"
    );
}
