//! `empathy-maps.md`: one map per intent cluster on Dave Gray's Empathy Map
//! Canvas — who, goal, sees, says, does, hears, thinks and feels (with pains
//! and gains) — every line backed by a cited quote, inferred lines marked.

use super::md::{attribution, citation, escape, share, signed};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::synth::{MapLine, Segment, Synthesis};
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

/// "12 of their snippets match" for a quadrant's note.
fn matched(items: &[MapLine]) -> String {
    items.first().map_or(String::new(), |l| {
        format!(" {} of their snippets match.", l.count)
    })
}

/// The segment's situation: channels, the stage they speak from most, mood.
fn situation(g: &Segment, cb: &Codebook) -> String {
    let mut channels: Vec<(&crate::model::SourceKind, &usize)> = g.by_kind.iter().collect();
    channels.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let channels: Vec<String> = channels.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let total: usize = g.journey.iter().map(|st| st.volume).sum();
    let stage = g
        .journey
        .iter()
        .max_by(|a, b| a.volume.cmp(&b.volume).then(b.id.cmp(&a.id)))
        .filter(|st| st.volume > 0)
        .map_or(String::new(), |st| {
            format!(
                " Most of what they say is about {} ({:.0} % of their snippets).",
                escape(cb.label(&st.id)).to_lowercase(),
                100.0 * st.volume as f64 / total.max(1) as f64
            )
        });
    format!(
        "Heard through {} snippets: {} (mean sentiment {}).{stage}",
        g.snippets,
        channels.join(", "),
        signed(g.mean_sentiment)
    )
}

pub fn render(s: &Synthesis, cb: &Codebook, meta: &ReportMeta) -> String {
    let mut o = String::new();
    o.push_str("# Empathy maps\n\n");
    o.push_str(&provenance(s, meta));
    let _ = writeln!(
        o,
        "One map per intent cluster, laid out as Dave Gray's Empathy Map Canvas: **who** and their **goal**, then what they **see**, **say**, **do** and **hear**, and what they **think and feel**, split into pains and gains. \
         Each person is assigned the cluster whose cues carry the most weight across **all** their snippets, in every channel ([segments](segments.md) lists everyone with their evidence); \
         {} people showed no cluster cue and are not mapped.\n",
        s.unsegmented_people
    );
    o.push_str("*Says* lines are verbatim quotes. *Sees* and *hears* are snippets whose wording reports something seen (\"compared\", \"other apps\", \"pricing page\") or heard from others (\"a friend\", \"my accountant\", \"recommended\"). \
                *Thinks* and *feels* are **inferred** from wording that signals belief, doubt or emotion (\"I think…\", \"so frustrated\"): the quote is real, the reading of it is cairn's. Every line cites its quote.\n\n");
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
        o.push_str("### Who\n\n");
        let _ = writeln!(
            o,
            "People: {}. {} {}\n",
            share(g.people, s.totals.people),
            escape(&g.description),
            situation(g, cb)
        );
        o.push_str("### Goal\n\n");
        if g.goal.is_empty() {
            o.push_str("_The codebook states no goal for this cluster._\n\n");
        } else {
            let _ = writeln!(
                o,
                "{} _(the codebook's statement of what this cluster is trying to get done)_\n",
                escape(&g.goal)
            );
        }
        let none = |q: &str| format!("_No snippet in this segment was tagged {q}._");
        lines(
            &mut o,
            "Sees",
            &format!(
                "What is in front of them: apps compared, prices, screens.{}",
                matched(&g.sees)
            ),
            &g.sees,
            "_No snippet in this segment reports something seen._",
        );
        lines(&mut o, "Says", "Verbatim.", &g.says, &none("says"));
        lines(&mut o, "Does", "", &g.does, &none("does"));
        lines(
            &mut o,
            "Hears",
            &format!(
                "What others tell them: friends, colleagues, accountants, reviews.{}",
                matched(&g.hears)
            ),
            &g.hears,
            "_No snippet in this segment reports something heard from others._",
        );
        lines(
            &mut o,
            "Thinks (inferred)",
            "Inferred from wording that signals belief or doubt.",
            &g.thinks,
            &none("thinks"),
        );
        lines(
            &mut o,
            "Feels (inferred)",
            "Inferred from emotion words.",
            &g.feels,
            &none("feels"),
        );
        lines(
            &mut o,
            "Pains",
            "Think and feel, negative: their most frequent pain themes, each with its strongest quote.",
            &g.pains,
            "_No pain snippets with a theme._",
        );
        lines(
            &mut o,
            "Gains",
            "Think and feel, positive: what they value.",
            &g.gains,
            "_No gain snippets with a theme._",
        );
    }
    o
}
