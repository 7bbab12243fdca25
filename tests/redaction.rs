//! Redaction measured on a labelled set of support, review and survey
//! lines (`tests/fixtures/pii/`): per-kind recall, precision and the share
//! of lines without personal data that lose anything.
//!
//! Each line of `dev.tsv` and `test.tsv` is `industry<TAB>text`, the text
//! with `\n` for a line break and every piece of personal data marked
//! `{{KIND|value}}` (kinds as in [`cairn::redact::Kind`]). `dev.tsv` was
//! written first and the rules tuned on it; `test.tsv` was written after,
//! and no rule changed once it was scored (docs/QUALITY.md, "Redaction").
//! Print the figures with
//! `cargo test --release --test redaction -- --nocapture`.

use cairn::redact::{spans, Kind, Span};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One labelled line: the plain text and the personal data in it.
struct Line {
    text: String,
    gold: Vec<Span>,
}

fn load(name: &str) -> Vec<Line> {
    let path = format!("{}/tests/fixtures/pii/{name}", env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    data.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            let (_, marked) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{path}:{}: no tab", n + 1));
            parse(&marked.replace("\\n", "\n")).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1))
        })
        .collect()
}

/// `a {{EMAIL|x@y.z}} b` → text `a x@y.z b` with one gold span.
fn parse(marked: &str) -> Result<Line, String> {
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find("{{") {
        text.push_str(&rest[..open]);
        let close = rest[open..].find("}}").ok_or("unclosed {{")? + open;
        let (kind, value) = rest[open + 2..close]
            .split_once('|')
            .ok_or("no | in {{…}}")?;
        let kind = Kind::parse(kind).ok_or_else(|| format!("unknown kind {kind}"))?;
        gold.push(Span {
            start: text.len(),
            end: text.len() + value.len(),
            kind,
        });
        text.push_str(value);
        rest = &rest[close + 2..];
    }
    text.push_str(rest);
    Ok(Line { text, gold })
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start < b.end && b.start < a.end
}

#[derive(Default)]
struct Counts {
    gold: usize,
    found_typed: usize,
    found_any: usize,
    predicted: usize,
    predicted_true: usize,
}

/// The figures for one split.
struct Scores {
    lines: usize,
    by_kind: BTreeMap<Kind, Counts>,
    negative_lines: usize,
    negative_lines_hit: usize,
    misses: Vec<String>,
    false_positives: Vec<String>,
}

impl Scores {
    fn total(&self) -> Counts {
        let mut t = Counts::default();
        for c in self.by_kind.values() {
            t.gold += c.gold;
            t.found_typed += c.found_typed;
            t.found_any += c.found_any;
            t.predicted += c.predicted;
            t.predicted_true += c.predicted_true;
        }
        t
    }

    fn negative_rate(&self) -> f64 {
        self.negative_lines_hit as f64 / self.negative_lines.max(1) as f64
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn score(lines: &[Line]) -> Scores {
    let mut s = Scores {
        lines: lines.len(),
        by_kind: BTreeMap::new(),
        negative_lines: 0,
        negative_lines_hit: 0,
        misses: Vec::new(),
        false_positives: Vec::new(),
    };
    for line in lines {
        let pred = spans(&line.text);
        for g in &line.gold {
            let c = s.by_kind.entry(g.kind).or_default();
            c.gold += 1;
            let hit: Vec<&Span> = pred.iter().filter(|p| overlaps(p, g)).collect();
            if hit.iter().any(|p| p.kind == g.kind) {
                c.found_typed += 1;
            } else {
                s.misses.push(format!(
                    "{} {:?} as {:?} in {:?}",
                    g.kind,
                    &line.text[g.start..g.end],
                    hit.iter().map(|p| p.kind).collect::<Vec<_>>(),
                    line.text
                ));
            }
            if !hit.is_empty() {
                c.found_any += 1;
            }
        }
        for p in &pred {
            let c = s.by_kind.entry(p.kind).or_default();
            c.predicted += 1;
            if line.gold.iter().any(|g| overlaps(g, p)) {
                c.predicted_true += 1;
            } else {
                s.false_positives.push(format!(
                    "{} {:?} in {:?}",
                    p.kind,
                    &line.text[p.start..p.end],
                    line.text
                ));
            }
        }
        if line.gold.is_empty() {
            s.negative_lines += 1;
            if !pred.is_empty() {
                s.negative_lines_hit += 1;
            }
        }
    }
    s
}

fn table(name: &str, s: &Scores) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{name}: {} lines, {} without personal data\n| kind | gold | recall (kind right) | recall (redacted) | predicted | precision |\n| --- | --- | --- | --- | --- | --- |",
        s.lines, s.negative_lines
    );
    let row = |o: &mut String, k: &str, c: &Counts| {
        let _ = writeln!(
            o,
            "| {k} | {} | {:.3} | {:.3} | {} | {:.3} |",
            c.gold,
            ratio(c.found_typed, c.gold),
            ratio(c.found_any, c.gold),
            c.predicted,
            ratio(c.predicted_true, c.predicted)
        );
    };
    for (k, c) in &s.by_kind {
        row(&mut o, k.as_str(), c);
    }
    row(&mut o, "**all**", &s.total());
    let _ = writeln!(
        o,
        "lines without personal data that lost text: {} of {} ({:.3})",
        s.negative_lines_hit,
        s.negative_lines,
        s.negative_rate()
    );
    for m in &s.misses {
        let _ = writeln!(o, "  missed: {m}");
    }
    for f in &s.false_positives {
        let _ = writeln!(o, "  false positive: {f}");
    }
    o
}

#[test]
fn the_labelled_set_is_large_and_varied_enough() {
    let dev = load("dev.tsv");
    let test = load("test.tsv");
    assert!(
        dev.len() + test.len() >= 300,
        "{} lines",
        dev.len() + test.len()
    );
    for (name, lines) in [("dev", &dev), ("test", &test)] {
        let negatives = lines.iter().filter(|l| l.gold.is_empty()).count();
        assert!(
            negatives * 3 >= lines.len(),
            "{name}: {negatives} negatives"
        );
        for kind in Kind::ALL {
            let n = lines
                .iter()
                .flat_map(|l| &l.gold)
                .filter(|g| g.kind == kind)
                .count();
            assert!(n >= 3, "{name}: only {n} {kind}");
        }
    }
}

/// The lowest figures a split may give.
struct Floors {
    redacted: f64,
    right_kind: f64,
    precision: f64,
    clean_lines_touched: f64,
}

/// Scores `file`, prints its table and checks it against `floors`.
fn check(file: &str, floors: Floors) {
    let s = score(&load(file));
    let shown = table(file, &s);
    println!("{shown}");
    let t = s.total();
    assert!(ratio(t.found_any, t.gold) >= floors.redacted, "{shown}");
    assert!(ratio(t.found_typed, t.gold) >= floors.right_kind, "{shown}");
    assert!(
        ratio(t.predicted_true, t.predicted) >= floors.precision,
        "{shown}"
    );
    assert!(s.negative_rate() <= floors.clean_lines_touched, "{shown}");
}

/// Floors the rules meet on the split they were tuned on.
#[test]
fn redaction_on_the_dev_split() {
    check(
        "dev.tsv",
        Floors {
            redacted: 0.95,
            right_kind: 0.93,
            precision: 0.95,
            clean_lines_touched: 0.03,
        },
    );
}

/// Floors on the split written after the rules were frozen: below the dev
/// figures, at what the rules measured when it was first scored (0.932
/// redacted, 0.898 with the right kind, precision 0.953, 4 of 86 clean
/// lines touched; docs/QUALITY.md).
#[test]
fn redaction_on_the_held_back_test_split() {
    check(
        "test.tsv",
        Floors {
            redacted: 0.93,
            right_kind: 0.89,
            precision: 0.95,
            clean_lines_touched: 0.05,
        },
    );
}

#[test]
fn the_markup_parser_keeps_offsets() {
    let l = parse("mail {{EMAIL|a@b.io}} or call {{PHONE|0113 496 0000}}.").unwrap();
    assert_eq!(l.text, "mail a@b.io or call 0113 496 0000.");
    assert_eq!(&l.text[l.gold[1].start..l.gold[1].end], "0113 496 0000");
    assert!(parse("{{NOPE|x}}").is_err());
}
