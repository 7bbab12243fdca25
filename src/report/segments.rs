//! `segments.md`: every person assigned to an intent cluster from all their
//! snippets across channels — segment sizes with their uncertainty, then per
//! segment the strongest cue quotes and each member with their evidence.

use super::md::{escape, quote_cell, quote_item, share, signed};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::synth::Synthesis;
use std::fmt::Write;

pub fn render(s: &Synthesis, cb: &Codebook, meta: &ReportMeta) -> String {
    let mut o = String::new();
    o.push_str("# Segments\n\n");
    o.push_str(&provenance(s, meta));
    let _ = writeln!(
        o,
        "Each person (interview participant, customer key, or anonymous author) is assigned the intent cluster whose cues carry the most confidence across **all** their snippets, in every channel; ties go to the codebook's order. \
         *Strength* is the share of the person's cluster-cue weight that went to their cluster (1.00 = every cue pointed one way); \
         *also* names a runner-up cluster that carries at least half the winner's weight. \
         {} of {} people showed no cluster cue and are in no segment.\n",
        s.unsegmented_people, s.totals.people
    );
    if s.segments.is_empty() {
        o.push_str("No person could be assigned to an intent cluster.\n");
        return o;
    }
    o.push_str("## Sizes\n\n");
    o.push_str("| Segment | People (share of all, 95 % CI) | Cues heard in 2+ channels | Also another cluster | Snippets | Mean sentiment |\n");
    o.push_str("| --- | --- | ---: | ---: | ---: | ---: |\n");
    for g in &s.segments {
        let _ = writeln!(
            o,
            "| [{}](#{}) | {} | {} | {} | {} | {} |",
            escape(&g.label),
            anchor(&g.label),
            share(g.people, s.totals.people),
            g.multi_channel,
            g.mixed,
            g.snippets,
            signed(g.mean_sentiment)
        );
    }
    o.push('\n');
    for g in &s.segments {
        let _ = writeln!(o, "## {}\n", escape(&g.label));
        let _ = writeln!(
            o,
            "{} **Goal:** {}\n",
            escape(&g.description),
            if g.goal.is_empty() {
                "–".to_string()
            } else {
                escape(&g.goal)
            }
        );
        let _ = writeln!(
            o,
            "{} people; cues for this cluster came from two or more channels for {} of them, and {} of them also lean to another cluster. Snippets with this cluster's cues: `cairn search --cluster {}`.\n",
            g.people, g.multi_channel, g.mixed, g.id
        );
        if !g.evidence.is_empty() {
            o.push_str("Strongest cues:\n\n");
            for q in &g.evidence {
                o.push_str(&quote_item(q));
            }
            o.push('\n');
        }
        o.push_str(
            "| Person | Strength | Also | Cue snippets | Channels of the cues | Evidence |\n",
        );
        o.push_str("| --- | ---: | --- | ---: | --- | --- |\n");
        for m in &g.members {
            let kinds: Vec<&str> = m.kinds.iter().map(|k| k.as_str()).collect();
            let _ = writeln!(
                o,
                "| {} | {:.2} | {} | {} | {} | {} |",
                escape(&m.name),
                m.strength,
                m.also
                    .as_deref()
                    .map_or("–".to_string(), |c| escape(cb.label(c))),
                m.cue_snippets,
                if kinds.is_empty() {
                    "–".to_string()
                } else {
                    kinds.join(", ")
                },
                m.evidence.as_ref().map_or("–".to_string(), quote_cell)
            );
        }
        o.push('\n');
    }
    o
}

/// GitHub-style heading anchor for "## {label}".
fn anchor(label: &str) -> String {
    label
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}
