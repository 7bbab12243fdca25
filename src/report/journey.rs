//! `journey-map.md`: stages × (volume, sentiment, mindset, top pains,
//! touchpoints and channels, scores, leaving signals, a representative
//! quote) with a Mermaid `journey` diagram — for all customers, then one map
//! per intent cluster (the actor) with its scenario, expectations, actions
//! and mindsets per stage, and opportunities drawn from its top pains.

use super::md::{escape, quote_cell, quote_item, signed, signed_to};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::model::SourceKind;
use crate::synth::impact::Metric;
use crate::synth::{Segment, StageSummary, Synthesis, SMALL_BASE};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Mermaid journey scores run 1–5: map mean sentiment −1…+1 onto them.
fn mermaid_score(mean: f64) -> i64 {
    (3.0 + 2.0 * mean).round().clamp(1.0, 5.0) as i64
}

fn mermaid(o: &mut String, title: &str, actor: &str, stages: &[StageSummary]) {
    let _ = writeln!(o, "```mermaid\njourney\n    title {title}");
    // A stage with no snippets has no mood: plotting it as neutral would
    // invent one, so it is left out of the diagram (the table shows the 0).
    for st in stages.iter().filter(|st| st.volume > 0) {
        let _ = writeln!(o, "    section {}", st.label.replace(':', " "));
        let pain = st
            .top_pains
            .first()
            .map_or("no themed pain".to_string(), |(p, _)| {
                format!("top pain {}", p.to_lowercase())
            });
        let _ = writeln!(
            o,
            "      {} snippets, {}: {}: {}",
            st.volume,
            pain.replace(':', " "),
            mermaid_score(st.mean_sentiment),
            actor.replace([':', ','], " ")
        );
    }
    o.push_str("```\n\n");
}

fn channels(m: &BTreeMap<SourceKind, usize>) -> String {
    let mut ch: Vec<(&SourceKind, &usize)> = m.iter().collect();
    ch.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if ch.is_empty() {
        return "–".to_string();
    }
    ch.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pains(st: &StageSummary) -> String {
    if st.top_pains.is_empty() {
        return "–".to_string();
    }
    st.top_pains
        .iter()
        .map(|(p, n)| format!("{} ({n})", escape(p)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "NPS +12.0 (n = 40); CSAT 35.0 % (n = 20)", or "–".
fn scores(st: &StageSummary) -> String {
    if st.scores.is_empty() {
        return "–".to_string();
    }
    st.scores
        .iter()
        .map(|(m, (v, n))| {
            let small = if *n < SMALL_BASE { " ⚠" } else { "" };
            match m {
                Metric::Nps => format!("NPS {} (n = {n}{small})", signed_to(*v, 1)),
                Metric::Stars => format!("{v:.2} ★ (n = {n}{small})"),
                Metric::Csat => format!("CSAT {v:.1} % (n = {n}{small})"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn mindset(st: &StageSummary, cb: &Codebook) -> String {
    st.signal.as_ref().map_or("–".to_string(), |(s, n)| {
        format!(
            "{} ({:.0} %)",
            escape(cb.label(s)),
            100.0 * *n as f64 / st.volume.max(1) as f64
        )
    })
}

/// The stage table with KPIs; `quotes` adds the representative quote column.
fn table(o: &mut String, stages: &[StageSummary], cb: &Codebook, quotes: bool) {
    let total: usize = stages.iter().map(|st| st.volume).sum();
    o.push_str("| Stage | Volume (share) | People | Emotion: mean sentiment | Negative / positive | Mindset: main intent signal | Top pains (pain snippets) | Touchpoints: channels | Scores of responses at this stage | Leaving signals (people) |");
    o.push_str(if quotes {
        " Representative quote |\n"
    } else {
        "\n"
    });
    o.push_str("| --- | ---: | ---: | ---: | --- | --- | --- | --- | --- | ---: |");
    o.push_str(if quotes { " --- |\n" } else { "\n" });
    for st in stages {
        let share = if total == 0 {
            0.0
        } else {
            100.0 * st.volume as f64 / total as f64
        };
        let _ = write!(
            o,
            "| {} | {} ({:.0} %) | {} | {} | {} / {} | {} | {} | {} | {} | {} |",
            escape(&st.label),
            st.volume,
            share,
            st.people,
            signed(st.mean_sentiment),
            st.negative,
            st.positive,
            mindset(st, cb),
            pains(st),
            channels(&st.channels),
            scores(st),
            st.leaving,
        );
        if quotes {
            let quote = st.quote.as_ref().map_or("–".to_string(), quote_cell);
            let _ = write!(o, " {quote} |");
        }
        o.push('\n');
    }
    o.push('\n');
}

/// The metrics a theme clearly pulls down, as "NPS (−5.5 points)".
fn moves(s: &Synthesis, theme_label: &str) -> Vec<String> {
    let Some(th) = s.themes.iter().find(|t| t.label == theme_label) else {
        return Vec::new();
    };
    th.impact
        .iter()
        .filter(|i| {
            let p = if i.metric == Metric::Stars { 2 } else { 1 };
            i.delta < 0.0 && i.clear(p)
        })
        .map(|i| {
            let p = if i.metric == Metric::Stars { 2 } else { 1 };
            format!(
                "{} ({} {} across the study)",
                i.metric.label(),
                signed_to(i.delta, p),
                i.metric.unit()
            )
        })
        .collect()
}

fn cluster_map(o: &mut String, s: &Synthesis, g: &Segment, cb: &Codebook) {
    let _ = writeln!(o, "## {}\n", escape(&g.label));
    let _ = writeln!(
        o,
        "**Scenario:** {} {} people in this segment, heard in {} snippets. **Expectations:** {}\n",
        escape(&g.description),
        g.people,
        g.snippets,
        if g.goal.is_empty() {
            "–".to_string()
        } else {
            escape(&g.goal)
        }
    );
    mermaid(
        o,
        &format!("{}: mean sentiment by stage", g.label),
        &g.label,
        &g.journey,
    );
    table(o, &g.journey, cb, false);
    o.push_str("Actions and mindsets in their words (*thinks* is inferred from the wording):\n\n");
    let mut any = false;
    for st in g.journey.iter().filter(|st| st.volume > 0) {
        for (what, q) in [("does", &st.does), ("thinks", &st.thinks)] {
            if let Some(q) = q {
                any = true;
                let item = quote_item(q);
                let _ = write!(o, "- **{}**, {what}: {}", escape(&st.label), &item[2..]);
            }
        }
    }
    if !any {
        o.push_str("- _No does or thinks snippet quotable at any stage._\n");
    }
    o.push('\n');
    o.push_str("**Opportunities** (the top pain at each stage, largest first):\n\n");
    let mut opps: Vec<(&StageSummary, &String, usize)> = g
        .journey
        .iter()
        .filter_map(|st| st.top_pains.first().map(|(p, n)| (st, p, *n)))
        .filter(|(_, _, n)| *n >= 2)
        .collect();
    opps.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.id.cmp(&b.0.id)));
    if opps.is_empty() {
        o.push_str("- _No stage has a pain theme voiced twice or more by this segment._\n");
    }
    for (st, pain, n) in opps.iter().take(3) {
        let m = moves(s, pain);
        let metric = if m.is_empty() {
            format!(
                "no score shows a clear impact of {} yet; watch this stage's sentiment ({}) and leaving signals ({} people)",
                escape(&pain.to_lowercase()),
                signed(st.mean_sentiment),
                st.leaving
            )
        } else {
            format!("would move {}", m.join(", "))
        };
        let _ = writeln!(
            o,
            "- **Fix {} at {}** ({n} of this segment's pain snippets there): {}.",
            escape(&pain.to_lowercase()),
            escape(&st.label).to_lowercase(),
            metric
        );
    }
    o.push('\n');
}

pub fn render(s: &Synthesis, cb: &Codebook, meta: &ReportMeta) -> String {
    let mut o = String::new();
    o.push_str("# Journey map\n\n");
    o.push_str(&provenance(s, meta));
    o.push_str("Each customer-voice snippet is tagged with one journey stage. The diagrams plot each stage's mean sentiment on Mermaid's 1–5 scale (1 = very negative, 3 = neutral, 5 = very positive). ");
    o.push_str("*Mindset* is the most frequent intent signal at the stage (informational: looking for answers; navigational: finding their way; transactional: paying, upgrading, cancelling). ");
    let _ = write!(o, "*Scores* are over the responses (survey answers, reviews, rated tickets) with a snippet at the stage; ⚠ marks fewer than {SMALL_BASE} responses. *Leaving signals* count people who talk of cancelling, switching, refunds or downgrading there: the drop-off signal.\n\n");
    o.push_str("## All customers\n\n");
    mermaid(
        &mut o,
        "Customer journey: mean sentiment by stage",
        "Customers",
        &s.stages,
    );
    table(&mut o, &s.stages, cb, true);
    o.push_str("Find a stage's quotes with `cairn search --stage <stage>`, for example `cairn search --stage decision --sentiment negative`.\n\n");
    if !s.segments.is_empty() {
        o.push_str("The maps below take each intent cluster as the actor: its scenario and expectations, its journey, and the opportunities its top pains point to. An opportunity names the scores its theme clearly pulls down across the study (see the [pain points](pain-points.md#impact-on-scores)).\n\n");
    }
    for g in &s.segments {
        cluster_map(&mut o, s, g, cb);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::mermaid_score;

    #[test]
    fn mermaid_scores_stay_in_range() {
        assert_eq!(mermaid_score(-1.0), 1);
        assert_eq!(mermaid_score(0.0), 3);
        assert_eq!(mermaid_score(0.3), 4);
        assert_eq!(mermaid_score(1.0), 5);
    }
}
