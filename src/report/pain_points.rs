//! `pain-points.md`: themes ranked by the stated priority formula, each with
//! reach, frequency, severity, sources, stages, segments and quotes.

use super::md::{escape, quote_item, share};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::model::SourceKind;
use crate::synth::{Synthesis, PRIORITY_FORMULA, SMALL_BASE};
use std::collections::BTreeMap;
use std::fmt::Write;

fn counts_by_kind(m: &BTreeMap<SourceKind, usize>) -> String {
    let mut v: Vec<(&SourceKind, &usize)> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn counts_by_label(m: &BTreeMap<String, usize>, cb: &Codebook) -> String {
    let mut v: Vec<(&String, &usize)> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{} {n}", escape(cb.label(k))))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(s: &Synthesis, cb: &Codebook, meta: &ReportMeta) -> String {
    let mut o = String::new();
    o.push_str("# Pain points\n\n");
    o.push_str(&provenance(s, meta));
    o.push_str("## How themes are ranked\n\n");
    let _ = writeln!(o, "`{PRIORITY_FORMULA}`\n");
    o.push_str("- **reach**: distinct people (interview participants, customers, anonymous authors) who voiced the pain;\n");
    o.push_str("- **severity**: mean of max(0, −sentiment) over the theme's pain snippets, from 0 (mild) to 1 (very negative);\n");
    o.push_str("- **source kinds**: in how many of interviews, tickets, reviews, social posts and surveys it appears (1–5).\n\n");
    let _ = writeln!(
        o,
        "A snippet is a pain when its sentiment is negative or it carries a problem cue; it counts toward every theme it is tagged with. \
         Base: {} people, {} pain snippets, {} of which match no theme (see [the end](#pain-without-a-theme)). \
         Reach below {SMALL_BASE} people is flagged as a small base.\n",
        s.totals.people, s.totals.pain_snippets, s.unthemed_pain_snippets
    );

    o.push_str("## Ranking\n\n");
    o.push_str("| # | Theme | Priority | Reach (people) | Share of people (95 % CI) | Pain snippets | Severity | Sources | Main stage | Mean ★ of reviews voicing it |\n");
    o.push_str("| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |\n");
    for (i, th) in s.themes.iter().enumerate() {
        let main_stage = th
            .by_stage
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map_or("–".to_string(), |(st, _)| escape(cb.label(st)));
        let rating = th
            .mean_rating
            .map_or("–".to_string(), |(m, n)| format!("{m:.1} (n = {n})"));
        let _ = writeln!(
            o,
            "| {} | [{}](#{}) | {:.1} | {}{} | {} | {} | {:.2} | {} | {} | {} |",
            i + 1,
            escape(&th.label),
            anchor(i + 1, &th.label),
            th.priority,
            th.reach,
            if th.reach < SMALL_BASE {
                " ⚠ small base"
            } else {
                ""
            },
            share(th.reach, s.totals.people),
            th.frequency,
            th.severity,
            th.by_kind.len(),
            main_stage,
            rating
        );
    }
    o.push('\n');

    for (i, th) in s.themes.iter().enumerate() {
        let _ = writeln!(o, "## {}. {}\n", i + 1, escape(&th.label));
        let spread = 1.0 + 0.25 * (th.by_kind.len().max(1) - 1) as f64;
        let _ = writeln!(
            o,
            "**Priority {:.1}** = {} people × (0.5 + {:.2}) × {:.2}. Reach: {}{}. Frequency: {} pain snippets.\n",
            th.priority,
            th.reach,
            th.severity,
            spread,
            share(th.reach, s.totals.people),
            if th.reach < SMALL_BASE { " (small base: read as anecdotal)" } else { "" },
            th.frequency
        );
        let _ = writeln!(o, "- Sources: {}", counts_by_kind(&th.by_kind));
        let _ = writeln!(o, "- Journey stages: {}", counts_by_label(&th.by_stage, cb));
        let seg: BTreeMap<String, usize> = th.by_segment.clone();
        let _ = writeln!(o, "- People by segment: {}", counts_by_label(&seg, cb));
        if let Some((m, n)) = th.mean_rating {
            let _ = writeln!(o, "- Reviews voicing it average {m:.1} ★ (n = {n})");
        }
        let _ = writeln!(o, "- Find all: `cairn search --theme {} --pain`\n", th.id);
        o.push_str("Representative quotes:\n\n");
        for q in &th.quotes {
            o.push_str(&quote_item(q));
        }
        o.push('\n');
    }

    o.push_str("## Pain without a theme\n\n");
    if s.terms.is_empty() {
        let _ = writeln!(
            o,
            "{} pain snippets match no codebook theme, and no term recurs across three or more people among them.\n",
            s.unthemed_pain_snippets
        );
    } else {
        let _ = writeln!(
            o,
            "{} pain snippets match no codebook theme. Terms that recur among them (by people) are candidates for new themes or cues in the codebook:\n",
            s.unthemed_pain_snippets
        );
        o.push_str("| Term | People | Snippets | Example |\n| --- | ---: | ---: | --- |\n");
        for t in &s.terms {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                escape(&t.term),
                t.people,
                t.snippets,
                super::md::quote_cell(&t.example)
            );
        }
        o.push('\n');
    }
    o
}

/// GitHub-style heading anchor for "## {n}. {label}".
fn anchor(n: usize, label: &str) -> String {
    let text = format!("{n}. {label}").to_lowercase();
    text.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}
