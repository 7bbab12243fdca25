//! `accounts-at-risk.md`: accounts ranked by the printed risk formula, each
//! with its score's components, channels, top pain theme, cited evidence
//! and a suggested intervention.

use super::md::{escape, quote_item, share, signed};
use super::{provenance, ReportMeta};
use crate::classify::Codebook;
use crate::synth::accounts::{
    AccountRisk, Accounts, CHASING_CUES, CHURN_CLUSTER, CONTACTS_FULL, FALL_FULL, LEAVING_CUES,
    LEAVING_FULL, MAX_LISTED, MIN_DATED, PLACEHOLDER_AUTHORS, RETENTION_FULL, RISK_FORMULA,
    RISK_THRESHOLD, TICKETS_FREE, WEIGHTS,
};
use crate::synth::Synthesis;
use std::fmt::Write;

fn cue_list(cues: &[&str]) -> String {
    cues.iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn trend_text(a: &AccountRisk) -> String {
    match &a.trend {
        Some(t) => format!(
            "{} → {} ({}, {} dated snippets)",
            signed(t.earlier),
            signed(t.later),
            signed(t.delta()),
            t.dated
        ),
        None => "n/a (fewer than 3 dated snippets, or one day)".to_string(),
    }
}

fn short_trend(a: &AccountRisk) -> String {
    a.trend
        .as_ref()
        .map_or("n/a".to_string(), |t| signed(t.delta()))
}

fn channels(a: &AccountRisk) -> String {
    let mut kinds: Vec<(&crate::model::SourceKind, &usize)> = a.by_kind.iter().collect();
    kinds.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let mut s = kinds.join(", ");
    if !a.channels.is_empty() {
        let names: Vec<String> = a.channels.iter().map(|c| escape(c)).collect();
        let _ = write!(s, " ({})", names.join(", "));
    }
    s
}

/// How to find the account's snippets with `cairn search`.
fn search_hint(account: &str) -> String {
    let plain = account
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_:.@/".contains(c));
    if plain {
        format!("`cairn search --customer {account}`")
    } else {
        format!(
            "`cairn search --customer \"{}\"`",
            account.replace('`', "'")
        )
    }
}

fn method(o: &mut String, acc: &Accounts) {
    o.push_str("## How risk is scored\n\n");
    let _ = writeln!(o, "`{RISK_FORMULA}`\n");
    let _ = writeln!(
        o,
        "Each component runs from 0 to 1 and is computed from the account's customer-voice snippets in every channel:\n"
    );
    let _ = writeln!(
        o,
        "- **leaving** = min(1, leaving signals ÷ {LEAVING_FULL}). A leaving signal is a snippet with one of the cues {} (whole words; `*` matches any ending), or tagged with the `{CHURN_CLUSTER}` intent cluster;",
        cue_list(LEAVING_CUES)
    );
    let _ = writeln!(
        o,
        "- **retention negatives** = min(1, negative retention-stage snippets ÷ {RETENTION_FULL});"
    );
    let _ = writeln!(
        o,
        "- **falling sentiment** = min(1, max(0, −trend) ÷ {FALL_FULL}), where the trend is the mean sentiment of the later half of the account's dated snippets minus that of the earlier half; with fewer than {MIN_DATED} dated snippets, or all on one day, the trend is n/a and counts as 0;"
    );
    let _ = writeln!(
        o,
        "- **repeated contacts** = min(1, (tickets beyond the first {TICKETS_FREE} + chasing snippets) ÷ {CONTACTS_FULL}), where a chasing snippet is a ticket pain snippet saying {}.\n",
        cue_list(CHASING_CUES)
    );
    let _ = writeln!(
        o,
        "An account scoring **{RISK_THRESHOLD}** or more is at risk; at most {MAX_LISTED} are listed, highest first (ties by account key). \
         The suggested intervention follows the account's top pain theme: the theme tagged on most of its pain snippets.\n"
    );
    let _ = write!(
        o,
        "**Who is scored:** an account is a customer id, a hashed email or a named author, joined across channels. {} accounts were scored. ",
        acc.scored
    );
    let _ = write!(
        o,
        "Left out: {} anonymous one-off records (no customer id, email or author name; a placeholder name stores print for anonymous reviewers, such as “A Google user”, is no name), which are not accounts",
        acc.anonymous
    );
    if acc.placeholders.is_empty() {
        o.push_str(".\n\n");
    } else {
        let names: Vec<String> = acc
            .placeholders
            .iter()
            .map(|(n, docs)| format!("“{}” ({docs} documents)", escape(n)))
            .collect();
        let _ = writeln!(
            o,
            "; and {} placeholder author names that stores print for anonymous reviewers and that pool many people's reviews: {}. \
             Placeholder names checked: {}.\n",
            acc.placeholders.len(),
            names.join(", "),
            cue_list(PLACEHOLDER_AUTHORS)
        );
    }
}

fn account_section(o: &mut String, rank: usize, a: &AccountRisk) {
    let c = &a.components;
    let _ = writeln!(o, "## {}. {}\n", rank, escape(&a.account));
    let _ = writeln!(
        o,
        "**Risk {}** = 100 × ({:.2} × {:.2} + {:.2} × {:.2} + {:.2} × {:.2} + {:.2} × {:.2}).\n",
        a.score,
        WEIGHTS[0],
        c.leaving,
        WEIGHTS[1],
        c.retention,
        WEIGHTS[2],
        c.falling,
        WEIGHTS[3],
        c.contacts
    );
    let dates = match (a.first_date, a.last_date) {
        (Some(f), Some(l)) if f == l => format!(", on {f}"),
        (Some(f), Some(l)) => format!(", {f} to {l}"),
        _ => String::new(),
    };
    let _ = writeln!(
        o,
        "- Voice: {} snippets in {} documents{}; channels: {}",
        a.snippets,
        a.documents,
        dates,
        channels(a)
    );
    let mut cues: Vec<String> = a
        .leaving_cues
        .iter()
        .map(|(cue, n)| format!("`{cue}` {n}"))
        .collect();
    if a.churn_tagged > 0 {
        cues.push(format!("{CHURN_CLUSTER} cluster tag {}", a.churn_tagged));
    }
    let _ = writeln!(
        o,
        "- Leaving signals: {} of {} snippets{}",
        a.leaving_signals,
        a.snippets,
        if cues.is_empty() {
            String::new()
        } else {
            format!(" ({})", cues.join(", "))
        }
    );
    let _ = writeln!(
        o,
        "- Retention: {} of {} retention-stage snippets negative",
        a.retention_negative, a.retention_snippets
    );
    let _ = writeln!(o, "- Sentiment trend: {}", trend_text(a));
    let _ = writeln!(
        o,
        "- Contacts: {} tickets, {} ticket snippets chasing an earlier contact",
        a.tickets, a.chasing
    );
    match &a.top_theme {
        Some((_, label, n)) => {
            let _ = writeln!(
                o,
                "- Top pain: {} ({} of {} pain snippets)",
                escape(label),
                n,
                a.pain_snippets
            );
        }
        None => {
            let _ = writeln!(
                o,
                "- Top pain: none themed ({} pain snippets)",
                a.pain_snippets
            );
        }
    }
    let _ = writeln!(
        o,
        "- **Suggested intervention{}:** {}",
        a.top_theme
            .as_ref()
            .map_or(String::new(), |(_, l, _)| format!(" ({})", escape(l))),
        escape(&a.intervention)
    );
    let _ = writeln!(o, "- Find all: {}\n", search_hint(&a.account));
    if !a.evidence.is_empty() {
        o.push_str("Evidence:\n\n");
        for q in &a.evidence {
            o.push_str(&quote_item(q));
        }
        o.push('\n');
    }
}

pub fn render(s: &Synthesis, _cb: &Codebook, meta: &ReportMeta) -> String {
    let acc = &s.accounts;
    let mut o = String::new();
    o.push_str("# Accounts at risk\n\n");
    o.push_str(&provenance(s, meta));
    o.push_str("A journey health score per account, from what the account said in every channel: signals of leaving, complaints in the retention stage, sentiment falling over time and repeated, unresolved contacts. Higher is more at risk.\n\n");
    method(&mut o, acc);

    o.push_str("## At-risk accounts\n\n");
    if acc.listed.is_empty() {
        let highest = acc.highest.as_ref().map_or(String::new(), |(a, sc)| {
            format!(" The highest score is {} ({sc}).", escape(a))
        });
        let _ = writeln!(
            o,
            "No account of {} scores {RISK_THRESHOLD} or more.{highest}\n",
            acc.scored
        );
        return o;
    }
    let _ = writeln!(
        o,
        "Accounts scoring {RISK_THRESHOLD} or more: {}{}.\n",
        share(acc.at_risk, acc.scored),
        if acc.at_risk > acc.listed.len() {
            format!("; the {} highest are listed", acc.listed.len())
        } else {
            String::new()
        }
    );
    o.push_str("| # | Account | Risk | Leaving signals | Negative retention snippets | Sentiment trend | Tickets (chasing) | Top pain |\n");
    o.push_str("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (i, a) in acc.listed.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} ({}) | {} |",
            i + 1,
            escape(&a.account),
            a.score,
            a.leaving_signals,
            a.retention_negative,
            short_trend(a),
            a.tickets,
            a.chasing,
            a.top_theme
                .as_ref()
                .map_or("–".to_string(), |(_, l, _)| escape(l))
        );
    }
    o.push('\n');
    for (i, a) in acc.listed.iter().enumerate() {
        account_section(&mut o, i + 1, a);
    }
    o
}
