//! `empathy-maps.md`: one map per intent cluster — who, goal, says, thinks,
//! does, feels, pains and gains — every line backed by a cited quote.

use super::md::{attribution, citation, escape, signed};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::synth::{MapLine, Synthesis};
use std::fmt::Write;

fn lines(o: &mut String, heading: &str, note: &str, items: &[MapLine], empty: &str) {
    let _ = writeln!(o, "### {heading}\n");
    if !note.is_empty() {
        let _ = writeln!(o, "_{note}_\n");
    }
    if items.is_empty() {
        let _ = writeln!(o, "{empty}\n");
        return;
    }
    for l in items {
        let q = &l.quote;
        if l.theme.is_empty() {
            let _ = writeln!(
                o,
                "- “{}” — {} · {}",
                escape(&q.text),
                attribution(q),
                citation(q)
            );
        } else {
            let _ = writeln!(
                o,
                "- **{}** ({} snippets): “{}” — {} · {}",
                escape(&l.theme),
                l.count,
                escape(&q.text),
                attribution(q),
                citation(q)
            );
        }
    }
    o.push('\n');
}

pub fn render(s: &Synthesis, _cb: &Codebook, meta: &ReportMeta) -> String {
    let mut o = String::new();
    o.push_str("# Empathy maps\n\n");
    o.push_str(&provenance(s, meta));
    let _ = writeln!(
        o,
        "One map per intent cluster. Each person is assigned the cluster whose cues carry the most weight across **all** their snippets, in every channel; \
         {} people showed no cluster cue and are not mapped. *Says* lines are verbatim quotes; *thinks* and *feels* are inferred from the wording \
         (\"I think…\", \"so frustrated\") and marked as such. Every line cites its quote.\n",
        s.unsegmented_people
    );
    if s.segments.is_empty() {
        o.push_str("No person could be assigned to an intent cluster.\n");
        return o;
    }
    o.push_str("| Segment | People | Snippets | Mean sentiment |\n| --- | ---: | ---: | ---: |\n");
    for g in &s.segments {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            escape(&g.label),
            g.people,
            g.snippets,
            signed(g.mean_sentiment)
        );
    }
    o.push('\n');
    for g in &s.segments {
        let _ = writeln!(o, "## {}\n", escape(&g.label));
        let channels: Vec<String> = g.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(
            o,
            "**Who:** {} people. {} Their snippets: {} (mean sentiment {}).\n",
            g.people,
            escape(&g.description),
            channels.join(", "),
            signed(g.mean_sentiment)
        );
        if !g.goal.is_empty() {
            let _ = writeln!(o, "**Goal:** {}\n", escape(&g.goal));
        }
        let none = |q: &str| format!("_No snippet in this segment was tagged {q}._");
        lines(&mut o, "Says", "", &g.says, &none("says"));
        lines(
            &mut o,
            "Thinks",
            "Inferred from wording that signals belief or doubt.",
            &g.thinks,
            &none("thinks"),
        );
        lines(&mut o, "Does", "", &g.does, &none("does"));
        lines(
            &mut o,
            "Feels",
            "Inferred from emotion words.",
            &g.feels,
            &none("feels"),
        );
        lines(
            &mut o,
            "Pains",
            "",
            &g.pains,
            "_No pain snippets with a theme._",
        );
        lines(
            &mut o,
            "Gains",
            "",
            &g.gains,
            "_No gain snippets with a theme._",
        );
    }
    o
}
