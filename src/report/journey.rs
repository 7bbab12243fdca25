//! `journey-map.md`: stages × (volume, sentiment, top pains, channels, a
//! representative quote), with a Mermaid `journey` diagram.

use super::md::{escape, quote_cell, signed};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::synth::Synthesis;
use std::fmt::Write;

/// Mermaid journey scores run 1–5: map mean sentiment −1…+1 onto them.
fn mermaid_score(mean: f64) -> i64 {
    (3.0 + 2.0 * mean).round().clamp(1.0, 5.0) as i64
}

pub fn render(s: &Synthesis, _cb: &Codebook, meta: &ReportMeta) -> String {
    let mut o = String::new();
    o.push_str("# Journey map\n\n");
    o.push_str(&provenance(s, meta));
    let total: usize = s.stages.iter().map(|st| st.volume).sum();
    o.push_str("Each customer-voice snippet is tagged with one journey stage. The diagram plots each stage's mean sentiment on Mermaid's 1–5 scale (1 = very negative, 3 = neutral, 5 = very positive).\n\n");
    o.push_str("```mermaid\njourney\n    title Customer journey: mean sentiment by stage\n");
    for st in &s.stages {
        let _ = writeln!(o, "    section {}", st.label.replace(':', " "));
        let pain = st
            .top_pains
            .first()
            .map_or("no themed pain".to_string(), |(p, _)| {
                format!("top pain {}", p.to_lowercase())
            });
        let _ = writeln!(
            o,
            "      {} snippets, {}: {}: Customers",
            st.volume,
            pain.replace(':', " "),
            mermaid_score(st.mean_sentiment)
        );
    }
    o.push_str("```\n\n");

    o.push_str("| Stage | Volume (share) | People | Mean sentiment | Negative / positive | Top pains (pain snippets) | Channels | Representative quote |\n");
    o.push_str("| --- | ---: | ---: | ---: | --- | --- | --- | --- |\n");
    for st in &s.stages {
        let share = if total == 0 {
            0.0
        } else {
            100.0 * st.volume as f64 / total as f64
        };
        let pains = if st.top_pains.is_empty() {
            "–".to_string()
        } else {
            st.top_pains
                .iter()
                .map(|(p, n)| format!("{} ({n})", escape(p)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut ch: Vec<(&crate::model::SourceKind, &usize)> = st.channels.iter().collect();
        ch.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let channels = if ch.is_empty() {
            "–".to_string()
        } else {
            ch.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let quote = st.quote.as_ref().map_or("–".to_string(), quote_cell);
        let _ = writeln!(
            o,
            "| {} | {} ({:.0} %) | {} | {} | {} / {} | {} | {} | {} |",
            escape(&st.label),
            st.volume,
            share,
            st.people,
            signed(st.mean_sentiment),
            st.negative,
            st.positive,
            pains,
            channels,
            quote
        );
    }
    o.push('\n');
    o.push_str("Find a stage's quotes with `cairn search --stage <stage>`, for example `cairn search --stage decision --sentiment negative`.\n");
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
