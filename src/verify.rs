//! Citation check: Markdown reports in, one verdict per cited quote out.
//!
//! Every quote a report prints carries its origin and snippet id:
//!
//! ```text
//! - “TEXT” — who, kind, date · `path:line (row N) @ts` · `s:ID`      (list items)
//! | … | “TEXT” (`path:line (row N)` · `s:ID`) |                      (table cells)
//! ```
//!
//! [`parse_report`] finds them (and quote lines that carry no citation);
//! [`Verifier`] re-reads each cited file the way ingest does (same
//! decoding, same readers, through [`crate::ingest::ingest_path_with`]),
//! redacts and normalises each record's text as segmentation does, and
//! checks that the quote occurs in the record (transcript turn, ticket,
//! review, post, answer) that starts at or spans the cited line, and that
//! its row and timestamp agree. With the index's snippet ids it also checks
//! that the cited snippet exists. Origins are read back from the escaped
//! code spans reports print ([`crate::report::md::code`]), and a file
//! whose name is not valid UTF-8 is found again by its lossy name.

use crate::ingest::IngestOptions;
use crate::model::SourceRef;
use crate::report::md::{uncode, unescape};
use crate::segment::{normalize_space, redact};
use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A quote as a report cites it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// 1-based line of the report the quote is on.
    pub line: usize,
    /// The quote as stored (unescaped).
    pub text: String,
    /// The cited origin.
    pub source: SourceRef,
    pub snippet_id: String,
}

/// What a report holds: its cited quotes, and the lines that look like a
/// quote (a list item or table row with “…”) but carry no citation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportQuotes {
    pub cited: Vec<Citation>,
    /// (line, text of the line).
    pub uncited: Vec<(usize, String)>,
}

fn quote_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // “TEXT”, then either " — attribution · " (list item) or " (" (table
        // cell), then `origin` · `s:ID`. The attribution is escaped Markdown:
        // no bare backtick.
        Regex::new(r"“(.+?)”(?: — (?:\\.|[^`\\])*? · | \()`([^`]+)` · `s:([0-9A-Za-z_-]+)`")
            .expect("valid regex")
    })
}

/// Parse a cited origin as [`SourceRef`]'s `Display` writes it:
/// `path:line`, then optionally ` (row N)` and ` @timestamp`.
pub fn parse_origin(s: &str) -> Option<SourceRef> {
    let (rest, timestamp) = match s.rsplit_once(" @") {
        Some((r, ts)) if !ts.is_empty() && !ts.contains(' ') => (r, Some(ts.to_string())),
        _ => (s, None),
    };
    let (rest, row) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once(" (row ")) {
        Some((r, n)) => (r, Some(n.parse().ok()?)),
        None => (rest, None),
    };
    let (path, line) = rest.rsplit_once(':')?;
    if path.is_empty() {
        return None;
    }
    Some(SourceRef {
        path: path.to_string(),
        line: line.parse().ok()?,
        row,
        timestamp,
    })
}

/// Every cited quote in a Markdown report, and the quote-like lines
/// without a citation.
pub fn parse_report(md: &str) -> ReportQuotes {
    let mut out = ReportQuotes::default();
    for (i, line) in md.lines().enumerate() {
        let mut found = false;
        for cap in quote_re().captures_iter(line) {
            found = true;
            match parse_origin(&uncode(&cap[2])) {
                Some(source) => out.cited.push(Citation {
                    line: i + 1,
                    text: unescape(&cap[1]),
                    source,
                    snippet_id: cap[3].to_string(),
                }),
                None => out.uncited.push((i + 1, line.to_string())),
            }
        }
        let looks_like_quote = (line.starts_with("- ") || line.starts_with("| "))
            && line.contains('“')
            && line.contains('”');
        if !found && looks_like_quote {
            out.uncited.push((i + 1, line.to_string()));
        }
    }
    out
}

/// One record of a source file as segmentation sees it.
#[derive(Debug, Clone)]
struct Record {
    /// First and last file line the record's text covers.
    start: u64,
    end: u64,
    row: Option<u64>,
    timestamp: Option<String>,
    /// Redacted, whitespace-normalised text.
    text: String,
}

/// Checks citations against their source files, reading each file once.
#[derive(Debug)]
pub struct Verifier {
    root: PathBuf,
    opts: IngestOptions,
    files: HashMap<String, Result<Vec<Record>, String>>,
    ids: Option<BTreeSet<String>>,
}

impl Verifier {
    /// Cited paths are resolved against `root` (the folder `cairn run` ran
    /// in); files are read with `opts` (the run's `--kind` and mapping).
    pub fn new(root: impl Into<PathBuf>, opts: IngestOptions) -> Verifier {
        Verifier {
            root: root.into(),
            opts,
            files: HashMap::new(),
            ids: None,
        }
    }

    /// Also check that every cited snippet id is one of `ids`.
    pub fn with_snippet_ids(mut self, ids: BTreeSet<String>) -> Verifier {
        self.ids = Some(ids);
        self
    }

    fn records(&mut self, path: &str) -> &Result<Vec<Record>, String> {
        if !self.files.contains_key(path) {
            let loaded = load(&resolve(&self.root, path), &self.opts);
            self.files.insert(path.to_string(), loaded);
        }
        &self.files[path]
    }

    /// `None` when the citation holds; otherwise what is wrong, as the
    /// message after `REPORT:LINE: `.
    pub fn check(&mut self, c: &Citation) -> Option<String> {
        let src = &c.source;
        let quote = normalize_space(&c.text);
        let problem = match self.records(&src.path) {
            Err(e) => Some(format!("cannot read {}: {e}", src.path)),
            Ok(records) => {
                let spanning: Vec<&Record> = records
                    .iter()
                    .filter(|r| r.start <= src.line && src.line <= r.end)
                    .collect();
                let holding: Vec<&Record> = spanning
                    .iter()
                    .copied()
                    .filter(|r| !quote.is_empty() && r.text.contains(&quote))
                    .collect();
                let agrees = |r: &Record| {
                    (src.row.is_none() || r.row.is_none() || src.row == r.row)
                        && (src.timestamp.is_none()
                            || r.timestamp.is_none()
                            || src.timestamp == r.timestamp)
                };
                if holding.is_empty() {
                    Some(format!(
                        "quote not found in {}:{}: \"{}\"",
                        src.path,
                        src.line,
                        shorten(&quote, 100)
                    ))
                } else if !holding.iter().any(|r| agrees(r)) {
                    let r = holding[0];
                    Some(format!(
                        "citation `{src}` disagrees with the record at {}:{}: {}",
                        src.path,
                        src.line,
                        SourceRef {
                            path: src.path.clone(),
                            line: src.line,
                            row: r.row,
                            timestamp: r.timestamp.clone(),
                        }
                    ))
                } else {
                    None
                }
            }
        };
        if problem.is_some() {
            return problem;
        }
        match &self.ids {
            Some(ids) if !ids.contains(&c.snippet_id) => {
                Some(format!("snippet s:{} is not in the index", c.snippet_id))
            }
            _ => None,
        }
    }
}

/// The file a cited path names under `root`. A name that was not valid
/// UTF-8 is cited lossily (`�` for each bad byte): each part of the path
/// that does not exist as written is matched against the lossy names in
/// its folder.
fn resolve(root: &Path, cited: &str) -> PathBuf {
    let plain = root.join(cited);
    if plain.exists() || !cited.contains('\u{fffd}') {
        return plain;
    }
    let mut at = root.to_path_buf();
    for part in Path::new(cited).components() {
        let next = at.join(part);
        let std::path::Component::Normal(name) = part else {
            at = next;
            continue;
        };
        if next.exists() {
            at = next;
            continue;
        }
        let found = std::fs::read_dir(&at).ok().and_then(|entries| {
            entries
                .filter_map(|e| e.ok())
                .find(|e| e.file_name().to_string_lossy() == name.to_string_lossy())
        });
        match found {
            Some(e) => at = e.path(),
            None => return plain,
        }
    }
    at
}

/// Read one file with ingest and list its records.
fn load(path: &Path, opts: &IngestOptions) -> Result<Vec<Record>, String> {
    if !path.is_file() {
        return Err("no such file".to_string());
    }
    let report = crate::ingest::ingest_path_with(path, opts).map_err(|e| e.to_string())?;
    if report.documents.is_empty() {
        if let Some(s) = report.skipped.iter().find(|s| s.source.line == 0) {
            return Err(s.reason.to_string());
        }
    }
    let mut out = Vec::new();
    for doc in &report.documents {
        if let Some(title) = doc.title.as_deref().filter(|t| !t.trim().is_empty()) {
            out.push(Record {
                start: doc.source.line,
                end: doc.source.line,
                row: doc.source.row,
                timestamp: doc.source.timestamp.clone(),
                text: normalize_space(&redact(title)),
            });
        }
        for turn in &doc.turns {
            let redacted = redact(&turn.text);
            let extra = if turn.exact_lines {
                redacted.matches('\n').count() as u64
            } else {
                0
            };
            out.push(Record {
                start: turn.source.line,
                end: turn.source.line + extra,
                row: turn.source.row,
                timestamp: turn.source.timestamp.clone(),
                text: normalize_space(&redacted),
            });
        }
    }
    Ok(out)
}

/// At most `n` characters, with an ellipsis when cut.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_parse_back_from_their_display() {
        for s in [
            SourceRef {
                path: "corpus/tickets/zendesk_tickets.csv".into(),
                line: 52,
                row: Some(11),
                timestamp: None,
            },
            SourceRef {
                path: "corpus/interviews/call one.vtt".into(),
                line: 40,
                row: None,
                timestamp: Some("00:03:12.400".into()),
            },
            SourceRef {
                path: "c:/data/x.txt".into(),
                line: 3,
                row: None,
                timestamp: None,
            },
        ] {
            assert_eq!(parse_origin(&s.to_string()), Some(s));
        }
        assert_eq!(parse_origin("no line here"), None);
        assert_eq!(parse_origin("a.csv:x"), None);
    }

    #[test]
    fn list_items_and_table_cells_are_found() {
        let md = "# T\n\n\
            - “Charged \\*twice\\* — why?” — C0032, ticket, 2025-07-24 · `corpus/t.csv:52 (row 11)` · `s:0e9ec7aaba868641`\n\
            - **Billing** (3 snippets): “A \\| b” — @x\\_y, social · `corpus/s.jsonl:7 (row 7)` · `s:abc`\n\
            | Retention | 4 | “Locked out.” (`corpus/n.csv:27 (row 26)` · `s:03d9`) |\n\
            - “An uncited quote”\n\
            Prose with “quotes” is not a quote line.\n";
        let q = parse_report(md);
        assert_eq!(q.cited.len(), 3, "{q:?}");
        assert_eq!(q.cited[0].text, "Charged *twice* — why?");
        assert_eq!(q.cited[0].line, 3);
        assert_eq!(q.cited[0].source.row, Some(11));
        assert_eq!(q.cited[0].snippet_id, "0e9ec7aaba868641");
        assert_eq!(q.cited[1].text, "A | b");
        assert_eq!(q.cited[2].text, "Locked out.");
        assert_eq!(q.cited[2].source.line, 27);
        assert_eq!(q.uncited, vec![(6, "- “An uncited quote”".to_string())]);
    }
}
