//! `pain-points.md`: themes ranked by the stated priority formula, each with
//! reach, frequency, severity, sources, stages, segments and quotes.

use super::md::{escape, quote_item, share, signed_to};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::model::SourceKind;
use crate::synth::impact::{self, Impact, Metric};
use crate::synth::trends;
use crate::synth::{Synthesis, ThemeSummary, PRIORITY_FORMULA, SMALL_BASE};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Decimals a metric's figures are printed with.
fn places(m: Metric) -> usize {
    match m {
        Metric::Stars => 2,
        Metric::Nps | Metric::Csat => 1,
    }
}

/// The score as printed: "+12.3" (NPS), "3.10 ★", "36.1 %".
fn score(m: Metric, x: f64) -> String {
    match m {
        Metric::Nps => signed_to(x, 1),
        Metric::Stars => format!("{x:.2} ★"),
        Metric::Csat => format!("{x:.1} %"),
    }
}

/// What a metric is computed over.
fn base(m: Metric) -> &'static str {
    match m {
        Metric::Nps => "answers with a 0–10 score and a comment",
        Metric::Stars => "reviews with a star rating and text",
        Metric::Csat => "rated tickets and CSAT answers with text",
    }
}

/// "−4.2 (−7.1 to −1.5)", bold when the interval excludes zero.
fn delta(i: &Impact) -> String {
    let p = places(i.metric);
    let d = signed_to(i.delta, p);
    let d = if i.clear(p) { format!("**{d}**") } else { d };
    match i.ci {
        Some((lo, hi)) => format!("{d} ({} to {})", signed_to(lo, p), signed_to(hi, p)),
        None if i.voicing < impact::SMALL_BASE => format!("{d} (too few to bound)"),
        None => format!("{d} (no interval)"),
    }
}

/// A table cell: delta, interval, and how many responses voice the theme.
fn impact_cell(i: Option<&Impact>) -> String {
    match i {
        None => "–".to_string(),
        Some(i) => format!(
            "{} · {} of {}{}",
            delta(i),
            i.voicing,
            i.responses,
            if i.voicing < impact::SMALL_BASE {
                " ⚠"
            } else {
                ""
            }
        ),
    }
}

/// Labelled shares, largest first: "41 % Price-sensitive researcher (36)".
fn shares(m: &BTreeMap<String, usize>, cb: &Codebook, extra: impl Fn(&str) -> String) -> String {
    let total: usize = m.values().sum();
    let mut v: Vec<(&String, &usize)> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| {
            format!(
                "{:.0} % {} ({n}{})",
                100.0 * **n as f64 / total.max(1) as f64,
                escape(cb.label(k)),
                extra(k)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The largest entry of a count map (ties to the smaller key).
fn largest(m: &BTreeMap<String, usize>) -> Option<(&String, usize)> {
    m.iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, n)| (k, *n))
}

/// One sentence: who voices the theme and where in the journey.
fn split_sentence(
    th: &ThemeSummary,
    cb: &Codebook,
    lift: &dyn Fn(&str, usize) -> Option<f64>,
) -> String {
    let mut out = format!("{} pain", escape(&th.label));
    let segmented: BTreeMap<String, usize> = th
        .by_segment
        .iter()
        .filter(|(k, _)| k.as_str() != "unsegmented")
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    // Segments tied on people are told apart by lift (how far above their
    // share of all people they voice it), then by id.
    let top = segmented.values().copied().max().unwrap_or(0);
    let tied: Vec<&String> = segmented
        .iter()
        .filter(|(_, n)| **n == top && top > 0)
        .map(|(k, _)| k)
        .collect();
    let lift_of = |k: &str| lift(k, top).unwrap_or(0.0);
    let best = tied
        .iter()
        .copied()
        .max_by(|a, b| lift_of(a).total_cmp(&lift_of(b)).then(b.cmp(a)));
    if let Some(seg) = best {
        let n = top;
        let _ = write!(
            out,
            " is voiced most by {} ({n} of {} people, {:.0} %",
            escape(cb.label(seg)),
            th.reach,
            100.0 * n as f64 / th.reach.max(1) as f64
        );
        if let Some(l) = lift(seg, n) {
            let _ = write!(out, "; {l:.1}× their share of all people");
        }
        match tied.len() {
            1 => {}
            2 => out.push_str("; one other segment has as many people, at no higher ratio"),
            k => {
                let _ = write!(
                    out,
                    "; {} other segments have as many people, at no higher ratio",
                    k - 1
                );
            }
        }
        out.push(')');
    } else {
        out.push_str(" comes from people with no intent-cluster cue");
    }
    if let Some((stage, n)) = largest(&th.by_stage) {
        let _ = write!(
            out,
            ", mostly at {} ({:.0} % of its pain snippets)",
            escape(cb.label(stage)).to_lowercase(),
            100.0 * n as f64 / th.frequency.max(1) as f64
        );
    }
    out.push('.');
    out
}

fn counts_by_kind(m: &BTreeMap<SourceKind, usize>) -> String {
    let mut v: Vec<(&SourceKind, &usize)> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| format!("{k} {n}"))
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
    origin_paragraph(&mut o, s);
    if !s.scores.is_empty() {
        o.push_str("**Impact on scores** (shown beside the rank, [below](#impact-on-scores)): `impact = score over all responses − score over the responses that do not voice the theme as a pain`. ");
        o.push_str("A response is one survey answer, review or ticket that carries a score; NPS = % promoters (9–10) − % detractors (0–6); CSAT = % scoring 4–5 of 5 (\"good\" = 5, \"bad\" = 1). ");
        o.push_str("A negative impact means the theme pulls the score down: without the responses voicing it, the score would be that much higher. ");
        let _ = write!(
            o,
            "The 95 % interval is the 2.5th–97.5th percentile of the impact over {} bootstrap resamples of the responses (drawn with replacement from a fixed-seed SplitMix64 generator, so a rerun prints the same figures); \
             an impact in **bold** has an interval that excludes zero, and ⚠ marks fewer than {} responses voicing the theme (no interval is drawn for those). \
             Responses without text are not stored, so each score is over the responses with a comment. ",
            impact::RESAMPLES,
            impact::SMALL_BASE
        );
        o.push_str("Impact does not enter the priority: only the responses that carry a score can show it, and how many of a theme's voices those are depends on the channel it is voiced in (interviews and social posts carry none), so adding it would rank themes by channel rather than by harm.\n\n");
    }

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
    impact_section(&mut o, s);
    trend_section(&mut o, s);

    let all_people = s.totals.people;
    let seg_size: BTreeMap<&str, usize> = s
        .segments
        .iter()
        .map(|g| (g.id.as_str(), g.people))
        .collect();
    // How over-represented a segment is among a theme's people.
    let seg_size = &seg_size;
    let lift_for = |reach: usize| {
        move |seg: &str, n: usize| -> Option<f64> {
            let size = *seg_size.get(seg)?;
            (size > 0 && reach > 0 && all_people > 0)
                .then(|| (n as f64 / reach as f64) / (size as f64 / all_people as f64))
        }
    };
    for (i, th) in s.themes.iter().enumerate() {
        let _ = writeln!(o, "## {}. {}\n", i + 1, escape(&th.label));
        if !th.description.is_empty() {
            let _ = writeln!(o, "{}\n", escape(&th.description));
        }
        if !th.terms.is_empty() {
            let _ = writeln!(
                o,
                "Distinctive terms: {} · theme `{}` ({}).\n",
                escape(&th.terms.join(", ")),
                escape(&th.id),
                if th.origin.is_empty() {
                    "discovered"
                } else {
                    th.origin.as_str()
                }
            );
        }
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
        let lift = lift_for(th.reach);
        let _ = writeln!(o, "{}\n", split_sentence(th, cb, &lift));
        let _ = writeln!(o, "- Sources: {}", counts_by_kind(&th.by_kind));
        let _ = writeln!(
            o,
            "- By journey stage (pain snippets): {}",
            shares(&th.by_stage, cb, |_| String::new())
        );
        let _ = writeln!(
            o,
            "- By segment (people): {}",
            shares(&th.by_segment, cb, |k| {
                let n = th.by_segment.get(k).copied().unwrap_or(0);
                lift(k, n).map_or(String::new(), |l| format!(", {l:.1}×"))
            })
        );
        if let Some((m, n)) = th.mean_rating {
            let _ = writeln!(o, "- Reviews voicing it average {m:.1} ★ (n = {n})");
        }
        for i in &th.impact {
            let _ = writeln!(
                o,
                "- {} impact {} {}: {} of {} {} voice it; {} over all of them, {} without those",
                i.metric.label(),
                delta(i),
                i.metric.unit(),
                i.voicing,
                i.responses,
                base(i.metric),
                score(i.metric, i.overall),
                score(i.metric, i.without),
            );
        }
        let _ = writeln!(o, "- Find all: `cairn search --theme {} --pain`\n", th.id);
        o.push_str("Representative quotes:\n\n");
        for q in &th.quotes {
            o.push_str(&quote_item(q));
        }
        o.push('\n');
    }

    peaks_section(&mut o, s, cb);
    catalogue_section(&mut o, s);
    o.push_str("## Pain without a theme\n\n");
    let c = &s.theme_coverage;
    let _ = writeln!(
        o,
        "{} pain snippets are near no theme of the study{}; {} customer-voice snippets in all have content and no theme, and {} have fewer than two content words, so no theme could be about them.\n",
        s.unthemed_pain_snippets,
        if c.pain_with_content > 0 {
            format!(" ({} of the pain snippets with content)", share_plain(c.pain_with_content - c.pain_themed, c.pain_with_content))
        } else {
            String::new()
        },
        c.unthemed,
        c.content_free
    );
    if !c.unthemed_examples.is_empty() {
        o.push_str("Examples of snippets with no theme:\n\n");
        for q in &c.unthemed_examples {
            o.push_str(&quote_item(q));
        }
        o.push('\n');
    }
    if !s.terms.is_empty() {
        o.push_str("Terms that recur among the pain snippets with no theme (by people):\n\n");
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

/// Where the themes come from and what they cover.
fn origin_paragraph(o: &mut String, s: &Synthesis) {
    let c = &s.theme_coverage;
    let space = if c.space == "embeddings" {
        "the neural engine's sentence embeddings"
    } else {
        "TF-IDF vectors over stemmed words and phrases"
    };
    let _ = writeln!(
        o,
        "**Where the themes come from.** They are this study's own: found in its {} customer-voice snippets with content by spherical k-means on {space} (the number of themes chosen by silhouette, at most 30), named by the words most distinctive of each (class-based TF-IDF), and kept from run to run in the study's theme file (`themes.toml`), where they can be renamed. \
         A theme that most of whose snippets the engine tagged with one codebook theme takes that theme's name. \
         Themed: {} of {} pain snippets with content and {} of {} snippets with content; {} snippets with fewer than two content words (\"ok.\", an emoji) are unthemed by rule.\n",
        c.with_content,
        share_plain(c.pain_themed, c.pain_with_content),
        c.pain_with_content,
        share_plain(c.themed, c.with_content),
        c.with_content,
        c.content_free
    );
}

fn share_plain(k: usize, n: usize) -> String {
    if n == 0 {
        k.to_string()
    } else {
        format!("{k} ({:.0} %)", 100.0 * k as f64 / n as f64)
    }
}

/// The themes customers are pleased with.
fn peaks_section(o: &mut String, s: &Synthesis, cb: &Codebook) {
    o.push_str("## Pleasure peaks\n\n");
    if s.peaks.is_empty() {
        o.push_str("No theme carries a gain in this study.\n\n");
        return;
    }
    o.push_str("Themes by the people who voiced a gain in them (a positive snippet that is not a pain); delight is the mean positive sentiment of those snippets, 0–1.\n\n");
    o.push_str("| Theme | People | Gain snippets | Delight | Main stage | Quote |\n| --- | ---: | ---: | ---: | --- | --- |\n");
    for p in s.peaks.iter().take(10) {
        let stage = largest(&p.by_stage).map_or("–".to_string(), |(st, _)| escape(cb.label(st)));
        let quote = p
            .quotes
            .first()
            .map_or(String::new(), super::md::quote_cell);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {:.2} | {} | {} |",
            escape(&p.label),
            p.reach,
            p.gains,
            p.delight,
            stage,
            quote
        );
    }
    o.push('\n');
}

/// Every theme, however customers feel about it.
fn catalogue_section(o: &mut String, s: &Synthesis) {
    o.push_str("## Every theme of the study\n\n");
    o.push_str("Each theme with its pain, gain and neutral snippets (a snippet may speak of two themes). `cairn search --theme ID` lists its quotes.\n\n");
    o.push_str("| Theme | Id | Origin | People | Snippets | Pain | Gain | Neutral | Distinctive terms |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for r in &s.catalogue {
        let _ = writeln!(
            o,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |",
            escape(&r.label),
            escape(&r.id),
            r.origin,
            r.people,
            r.snippets,
            r.pains,
            r.gains,
            r.neutral,
            escape(&r.terms.join(", "))
        );
    }
    o.push('\n');
    let c = &s.theme_coverage;
    if !c.not_heard.is_empty() {
        let list: Vec<String> = c
            .not_heard
            .iter()
            .map(|(label, n)| {
                if *n == 0 {
                    escape(label)
                } else {
                    format!("{} ({n} snippets with its cues)", escape(label))
                }
            })
            .collect();
        let _ = writeln!(
            o,
            "In the codebook, not heard in this study as a theme of its own: {}. Mark a codebook theme `required = true` to report it whatever its size.\n",
            list.join(", ")
        );
    }
}

/// The impact table: one row per theme, one column per score.
fn impact_section(o: &mut String, s: &Synthesis) {
    if s.scores.is_empty() {
        return;
    }
    o.push_str("## Impact on scores\n\n");
    let scores: Vec<String> = s
        .scores
        .iter()
        .map(|(m, (v, n))| format!("{} {} over {n} {}", m.label(), score(*m, *v), base(*m)))
        .collect();
    let _ = writeln!(
        o,
        "Scores in this study: {}. Each cell: impact (95 % CI) · responses voicing the theme of all responses with that score. See [how themes are ranked](#how-themes-are-ranked) for the formula.\n",
        scores.join("; ")
    );
    let metrics: Vec<Metric> = s.scores.keys().copied().collect();
    o.push_str("| # | Theme |");
    for m in &metrics {
        let _ = write!(o, " {} impact ({}) |", m.label(), m.unit());
    }
    o.push_str("\n| ---: | --- |");
    for _ in &metrics {
        o.push_str(" --- |");
    }
    o.push('\n');
    for (i, th) in s.themes.iter().enumerate() {
        let _ = write!(o, "| {} | {} |", i + 1, escape(&th.label));
        for m in &metrics {
            let _ = write!(
                o,
                " {} |",
                impact_cell(th.impact.iter().find(|x| x.metric == *m))
            );
        }
        o.push('\n');
    }
    o.push('\n');
}

/// Month by month, how many of the people who spoke voiced each top theme.
fn trend_section(o: &mut String, s: &Synthesis) {
    let Some(t) = &s.trend else {
        return;
    };
    o.push_str("## Trend by month\n\n");
    let _ = writeln!(
        o,
        "People voicing each of the top {} themes as a pain, per calendar month, as a share of the people who spoke that month \
         (so a survey wave or a busy month does not read as a rising pain). Months with fewer than {SMALL_BASE} people are flagged; \
         {} undated customer-voice snippets are left out.\n",
        t.themes.len(),
        t.undated
    );
    o.push_str("| Month | People who spoke |");
    for (_, label) in &t.themes {
        let _ = write!(o, " {} |", escape(label));
    }
    o.push_str("\n| --- | ---: |");
    for _ in &t.themes {
        o.push_str(" ---: |");
    }
    o.push('\n');
    for p in &t.periods {
        let _ = write!(
            o,
            "| {} | {}{} |",
            p.month,
            p.people,
            if p.people > 0 && p.people < SMALL_BASE {
                " ⚠"
            } else {
                ""
            }
        );
        for n in &p.voicing {
            if p.people == 0 {
                o.push_str(" – |");
            } else {
                let _ = write!(o, " {n} ({:.0} %) |", 100.0 * *n as f64 / p.people as f64);
            }
        }
        o.push('\n');
    }
    o.push('\n');
    let changes = trends::changes(t, TREND_WINDOW);
    if let Some(c) = changes.first() {
        let _ = writeln!(
            o,
            "Recent against earlier: the share of people voicing each theme in {} to {} against {} to {} (people summed over the months, so someone who spoke in two months counts twice; \
             95 % interval of the difference by Newcombe's method; **bold** when it excludes zero).\n",
            c.recent_months.0, c.recent_months.1, c.earlier_months.0, c.earlier_months.1
        );
        for c in &changes {
            let d = format!("{} points", signed_to(100.0 * c.delta, 0));
            // Judged as printed: a bound shown as 0 does not exclude zero.
            let clear = (100.0 * c.ci.0).round() > 0.0 || (100.0 * c.ci.1).round() < 0.0;
            let _ = writeln!(
                o,
                "- {}: {:.0} % ({} of {}) against {:.0} % ({} of {}): {} (95 % CI {} to {})",
                escape(&c.label),
                100.0 * c.recent.0 as f64 / c.recent.1.max(1) as f64,
                c.recent.0,
                c.recent.1,
                100.0 * c.earlier.0 as f64 / c.earlier.1.max(1) as f64,
                c.earlier.0,
                c.earlier.1,
                if clear { format!("**{d}**") } else { d },
                signed_to(100.0 * c.ci.0, 0),
                signed_to(100.0 * c.ci.1, 0)
            );
        }
        o.push('\n');
    }
}

/// Months in each window of the recent-against-earlier comparison.
const TREND_WINDOW: usize = 3;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_tied_on_people_are_told_apart_by_lift_and_the_tie_is_said() {
        let th = ThemeSummary {
            id: "reliability".into(),
            label: "Reliability".into(),
            description: String::new(),
            terms: Vec::new(),
            origin: "seed".into(),
            priority: 1.0,
            reach: 4,
            frequency: 4,
            severity: 0.5,
            by_kind: BTreeMap::new(),
            by_stage: BTreeMap::from([("retention".to_string(), 4)]),
            by_segment: ["advocate", "churn-risk", "support-seeker"]
                .into_iter()
                .map(|s| (s.to_string(), 1))
                .collect(),
            mean_rating: None,
            impact: Vec::new(),
            quotes: Vec::new(),
        };
        // Support seekers are the rarest segment, so one of them voicing it
        // is the furthest above their share.
        let lift = |seg: &str, _n: usize| match seg {
            "support-seeker" => Some(2.5),
            "churn-risk" => Some(2.0),
            _ => Some(1.7),
        };
        let s = split_sentence(&th, &Codebook::embedded(), &lift);
        assert_eq!(
            s,
            "Reliability pain is voiced most by Support seeker (1 of 4 people, 25 %; 2.5× their share of all people; 2 other segments have as many people, at no higher ratio), mostly at retention (100 % of its pain snippets)."
        );
    }
}
