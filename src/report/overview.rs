//! `README.md`: the study at a glance and links to the other reports.

use super::md::{code, escape, share};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::index::changes::totals;
use crate::model::SourceKind;
use crate::synth::Synthesis;
use std::fmt::Write;

pub fn render(s: &Synthesis, _cb: &Codebook, meta: &ReportMeta) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", escape(&meta.title));
    o.push_str(&provenance(s, meta));

    o.push_str("## At a glance\n\n");
    let t = &s.totals;
    let _ = writeln!(
        o,
        "- **{}** people spoke in **{}** customer-voice snippets; {} of those snippets voice a pain and {} a gain.",
        t.people, t.voice_snippets, t.pain_snippets, t.gain_snippets
    );
    if let Some(k) = t
        .by_kind
        .get(&SourceKind::Interview)
        .filter(|k| k.documents > 0)
    {
        let plural = |n: usize, one: &str, many: &str| {
            format!("**{n}** {}", if n == 1 { one } else { many })
        };
        let _ = writeln!(
            o,
            "- {} with {}; interviewers' turns are kept for context, never counted as customer voice.",
            plural(k.documents, "interview", "interviews"),
            plural(k.people, "participant", "participants")
        );
    }
    if !s.themes.is_empty() {
        let top: Vec<String> = s
            .themes
            .iter()
            .take(3)
            .map(|th| format!("**{}** ({} people)", escape(&th.label), th.reach))
            .collect();
        let _ = writeln!(o, "- Biggest pains by priority: {}.", top.join(", "));
    }
    if let Some(first) = s.themes.first() {
        let _ = writeln!(
            o,
            "- The top pain, {}, was voiced by {} who gave customer voice.",
            escape(&first.label),
            share(first.reach, t.people)
        );
    }
    if !s.segments.is_empty() {
        let segs: Vec<String> = s
            .segments
            .iter()
            .map(|g| format!("{} ({})", escape(&g.label), g.people))
            .collect();
        let _ = writeln!(
            o,
            "- Segments (people per intent cluster): {}; {} people showed no cluster cue.",
            segs.join(", "),
            s.unsegmented_people
        );
    }
    let clear: Vec<String> = s
        .scores
        .keys()
        .filter_map(|m| {
            let places = if *m == crate::synth::impact::Metric::Stars {
                2
            } else {
                1
            };
            s.themes
                .iter()
                .filter_map(|th| th.impact.iter().find(|i| i.metric == *m).map(|i| (th, i)))
                .filter(|(_, i)| i.delta < 0.0 && i.clear(places))
                .min_by(|a, b| a.1.delta.total_cmp(&b.1.delta).then(a.0.id.cmp(&b.0.id)))
                .map(|(th, i)| {
                    let (lo, hi) = i.ci.unwrap_or((i.delta, i.delta));
                    format!(
                        "{} on {} ({} {}, 95 % CI {} to {})",
                        escape(&th.label),
                        m.label(),
                        super::md::signed_to(i.delta, places),
                        m.unit(),
                        super::md::signed_to(lo, places),
                        super::md::signed_to(hi, places)
                    )
                })
        })
        .collect();
    if !clear.is_empty() {
        let _ = writeln!(
            o,
            "- Largest clear drag on each score (leave-theme-out impact, see [pain points](pain-points.md#impact-on-scores)): {}.",
            clear.join("; ")
        );
    }
    if let Some(worst) = s.stages.iter().filter(|st| st.volume > 0).min_by(|a, b| {
        a.mean_sentiment
            .total_cmp(&b.mean_sentiment)
            .then(a.id.cmp(&b.id))
    }) {
        let _ = writeln!(
            o,
            "- The journey is at its lowest in **{}** (mean sentiment {} over {} snippets).",
            escape(&worst.label),
            super::md::signed(worst.mean_sentiment),
            worst.volume
        );
    }
    let acc = &s.accounts;
    if acc.scored > 0 {
        let top = acc.listed.first().map_or(String::new(), |a| {
            let theme = a.top_theme.as_ref().map_or(String::new(), |(_, l, _)| {
                format!(", top pain {}", escape(l))
            });
            format!(
                "; the highest is {} (risk {}{theme})",
                escape(&a.account),
                a.score
            )
        });
        let _ = writeln!(
            o,
            "- **{}** of {} accounts are at risk (risk score ≥ {}){top}.",
            acc.at_risk,
            acc.scored,
            crate::synth::accounts::RISK_THRESHOLD
        );
    }
    o.push('\n');

    o.push_str("## Reports\n\n");
    o.push_str("- [Pain points](pain-points.md): themes ranked by reach, severity and spread, with their impact on scores, who voices them and where, monthly trend, and quotes.\n");
    o.push_str("- [Segments](segments.md): every person's intent cluster from all their snippets, segment sizes, and the evidence for each assignment.\n");
    o.push_str("- [Empathy maps](empathy-maps.md): says, thinks, does, feels, pains and gains per intent cluster.\n");
    o.push_str("- [Journey map](journey-map.md): volume, sentiment, pains and channels per journey stage.\n");
    o.push_str("- [Accounts at risk](accounts-at-risk.md): accounts scored by leaving signals, retention complaints, falling sentiment and repeated contacts, with evidence and a suggested intervention.\n\n");

    o.push_str("## Sources\n\n");
    o.push_str(
        "| Source kind | Files | Documents | Snippets | Customer-voice snippets | People |\n",
    );
    o.push_str("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for kind in SourceKind::ALL {
        let Some(k) = t.by_kind.get(&kind) else {
            continue;
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            kind,
            meta.files.get(&kind).copied().unwrap_or(0),
            k.documents,
            k.snippets,
            k.voice_snippets,
            k.people
        );
    }
    let _ = writeln!(
        o,
        "| **all** | {} | {} | {} | {} | {} |\n",
        meta.files.values().sum::<usize>(),
        t.documents,
        t.snippets,
        t.voice_snippets,
        t.people
    );
    o.push_str(
        "Interviewer and agent turns are indexed for context but never counted as customer voice. ",
    );
    o.push_str(
        "Personal data (emails, phone numbers, cards, IBANs, IP addresses, national ids, street addresses, postcodes, labelled dates of birth, names under a sign-off) was redacted before anything was stored; names in running text are not.\n\n",
    );

    changes(&mut o, meta);

    o.push_str("## Data quality\n\n");
    let mut left_out = match meta.empty {
        0 => String::new(),
        1 => "1 survey response was empty (no text and no score) and was not stored.\n\n".into(),
        n => format!(
            "{n} survey responses were empty (no text and no score) and were not stored.\n\n"
        ),
    };
    if !meta.unread.is_empty() {
        let files: Vec<String> = meta
            .unread
            .iter()
            .map(|(path, why)| format!("{} ({})", code(path), escape(why)))
            .collect();
        let _ = writeln!(
            left_out,
            "Files that gave no records: {}.\n",
            files.join(", ")
        );
    }
    if meta.skipped.is_empty() && meta.warnings.is_empty() {
        o.push_str("Every record was read in full.\n\n");
        o.push_str(&left_out);
    } else {
        let _ = writeln!(
            o,
            "{} records were skipped; {} warnings were noted: records kept with a field dropped or repaired, and notes on whole files. Each is listed with its file and line.\n",
            meta.skipped.len(),
            meta.warnings.len()
        );
        o.push_str("| Outcome | Where | Reason |\n| --- | --- | --- |\n");
        for (what, list) in [("skipped", &meta.skipped), ("warning", &meta.warnings)] {
            for r in list.iter() {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} |",
                    what,
                    code(&r.source.to_string()),
                    escape(&r.reason)
                );
            }
        }
        o.push('\n');
        o.push_str(&left_out);
    }

    o.push_str("## Citations\n\n");
    o.push_str("Every quote ends with its origin (`file:line`, the data row for tables, the timestamp for recordings) ");
    o.push_str(
        "and its snippet id (`s:…`). Find any quote again with `cairn search`, for example ",
    );
    o.push_str("`cairn search \"charged twice\" --theme billing`.\n");
    o
}

/// "Changes since the last run": per file, the records added, changed,
/// moved and removed (nothing when `meta.changes` is empty).
fn changes(o: &mut String, meta: &ReportMeta) {
    if meta.changes.is_empty() {
        return;
    }
    let t = totals(&meta.changes);
    o.push_str("## Changes since the last run\n\n");
    let _ = writeln!(
        o,
        "Since the last run, {} records were added, {} changed, {} moved to another file and {} removed; the rest are as they were. Every count in these reports is of the corpus as it is now.\n",
        t.added, t.changed, t.moved, t.removed
    );
    o.push_str("| File | Added | Changed | Moved | Removed | Unchanged |\n");
    o.push_str("| --- | ---: | ---: | --- | ---: | ---: |\n");
    for f in &meta.changes {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} |",
            f.path,
            f.added,
            f.changed,
            escape(&f.moves().unwrap_or_else(|| "0".to_string())),
            f.removed,
            f.unchanged
        );
    }
    o.push('\n');
}
