//! Accounts at risk: customer-voice snippets in, a journey health score per
//! account out — the accounts whose sentiment is falling, who complain in
//! the retention stage, who signal leaving or who keep chasing unresolved
//! tickets, each with the evidence behind the score, their top pain theme
//! and a suggested intervention for it.
//!
//! An account is a person as [`super::person`] keys them (customer id, email
//! hash or author name). Anonymous one-off records (`doc:` keys) and the
//! placeholder names stores give anonymous reviewers ([`PLACEHOLDER_AUTHORS`],
//! which pool many people's reviews under one name) are not accounts and are
//! left out, and counted. The score is [`RISK_FORMULA`]; the cue lists it
//! reads are [`LEAVING_CUES`] and [`CHASING_CUES`].

use super::quotes::{pick, Quote};
use super::{person, stats};
use crate::classify::Codebook;
use crate::model::{Polarity, SourceKind, TaggedSnippet};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The risk score, printed in the report and implemented by [`risk_score`].
pub const RISK_FORMULA: &str = "risk = 100 × (0.35 × leaving + 0.25 × retention negatives + 0.25 × falling sentiment + 0.15 × repeated contacts)";

/// Weights of the four components, in the order of [`RISK_FORMULA`].
pub const WEIGHTS: [f64; 4] = [0.35, 0.25, 0.25, 0.15];

/// Leaving signals at which the leaving component saturates.
pub const LEAVING_FULL: usize = 4;
/// Negative retention-stage snippets at which that component saturates.
pub const RETENTION_FULL: usize = 10;
/// Drop in mean sentiment (later half minus earlier half) that saturates
/// the falling-sentiment component.
pub const FALL_FULL: f64 = 0.5;
/// Extra tickets plus chasing snippets at which repeated contacts saturate.
pub const CONTACTS_FULL: usize = 4;
/// Tickets an account may open before further ones count as repeated.
pub const TICKETS_FREE: usize = 2;
/// Accounts scoring this or more are at risk.
pub const RISK_THRESHOLD: u32 = 60;
/// At most this many accounts are listed.
pub const MAX_LISTED: usize = 25;
/// Below this many dated snippets (or on a single day) there is no trend.
pub const MIN_DATED: usize = 3;

/// The intent cluster whose tag on a snippet counts as a leaving signal.
pub const CHURN_CLUSTER: &str = "churn-risk";

/// Phrases that signal leaving: cancelling, switching to a competitor,
/// asking for money back, downgrading, closing the account, giving up.
/// Matched on whole lowercase words; `*` at the end of a word matches any
/// ending (`cancel*`: cancel, cancelled, cancelling, cancellation).
pub const LEAVING_CUES: &[&str] = &[
    "cancel*",
    "switch to",
    "switching to",
    "switched to",
    "moving to",
    "going back to",
    "refund*",
    "chargeback*",
    "downgrad*",
    "close my account",
    "delete my account",
    "not renewing",
    "won't renew",
    "last straw",
    "done with",
];

/// Phrases that mark a ticket as chasing an earlier, unresolved contact.
/// Only pain snippets from tickets count.
pub const CHASING_CUES: &[&str] = &[
    "still",
    "again",
    "second time",
    "third time",
    "no reply",
    "no response",
    "no answer",
    "following up",
    "chasing",
];

/// Author names that stores print for anonymous reviewers: one list, kept
/// by ingest, which never makes them a customer key. Synthesis still leaves
/// them out of accounts for indexes written before it did.
pub use crate::ingest::PLACEHOLDER_AUTHORS;

/// What to do for an account, by its top pain theme (codebook id). Themes
/// not listed (a researcher's own codebook) get [`GENERIC_INTERVENTION`].
pub const INTERVENTIONS: &[(&str, &str)] = &[
    ("billing", "Proactive refund or credit for the disputed charges, and a billing review of the account within 48 h."),
    ("pricing", "Plan-fit call: move them to the plan that fits their use, or hold their legacy price for the next term."),
    ("reliability", "Engineering follow-up on the failures they hit, with a status update and a date for the fix."),
    ("support", "Senior agent callback within 24 h who owns every open ticket until it is closed."),
    ("onboarding", "Guided setup session (30 minutes, screen share) to get them to a working setup."),
    ("integrations", "Integration specialist fixes the connection with them and checks back after a week."),
    ("performance", "Engineering looks at the slow paths on their account and reports back what changed."),
    ("usability", "Walkthrough of the workflows they struggle with; log the friction for the design team."),
    ("missing-feature", "Product manager call: the roadmap for the gap and a workaround that works today."),
    ("account-access", "Priority account-recovery help from a senior agent, then a check of their sign-in and 2FA setup."),
    ("mobile-app", "Mobile team follow-up with their device and app version, and the fix or a beta build when there is one."),
    ("notifications", "Go through their notification settings with them and fix the alerts they rely on."),
    ("data-privacy", "A written answer from the privacy lead: what is stored, where, and how to delete it."),
    ("documentation", "Send the guide that answers their question with a short walkthrough; log the gap for the docs."),
    ("delivery", "Confirm what was sent and when, and make good on anything late or lost."),
    ("connectivity", "Technical support session to diagnose their connection problems."),
    ("product-quality", "Quality follow-up: fix or replace, and ask what went wrong."),
];

/// The fallback intervention.
pub const GENERIC_INTERVENTION: &str =
    "Customer-success call: hear the issue out, agree a fix and a date, and follow up in writing.";

/// The intervention for a top pain theme.
pub fn intervention(theme: Option<&str>) -> &'static str {
    theme
        .and_then(|t| INTERVENTIONS.iter().find(|(id, _)| *id == t))
        .map_or(GENERIC_INTERVENTION, |(_, what)| what)
}

/// Mean sentiment of the earlier and later halves of an account's dated
/// snippets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    pub earlier: f64,
    pub later: f64,
    /// Dated snippets it was computed from.
    pub dated: usize,
}

impl Trend {
    /// Later minus earlier: negative when sentiment is falling.
    pub fn delta(&self) -> f64 {
        self.later - self.earlier
    }
}

/// The four score components, each from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Components {
    pub leaving: f64,
    pub retention: f64,
    pub falling: f64,
    pub contacts: f64,
}

/// One scored account with the evidence behind its score.
#[derive(Debug, Clone, Serialize)]
pub struct AccountRisk {
    /// The person key (customer id, `e:` email hash or author name).
    pub account: String,
    /// 0–100, see [`RISK_FORMULA`].
    pub score: u32,
    pub components: Components,
    pub snippets: usize,
    pub documents: usize,
    /// Snippets per source kind.
    pub by_kind: BTreeMap<SourceKind, usize>,
    /// Platforms ("zendesk", "twitter" …).
    pub channels: BTreeSet<String>,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub trend: Option<Trend>,
    /// Snippets with a leaving cue or the churn-risk cluster tag.
    pub leaving_signals: usize,
    /// The leaving cues that fired, with the snippets each fired in.
    pub leaving_cues: BTreeMap<String, usize>,
    /// Snippets tagged with the churn-risk intent cluster.
    pub churn_tagged: usize,
    pub retention_negative: usize,
    pub retention_snippets: usize,
    /// Ticket documents.
    pub tickets: usize,
    /// Ticket pain snippets with a chasing cue.
    pub chasing: usize,
    /// Pain snippets.
    pub pain_snippets: usize,
    /// (theme id, label, pain snippets) of the most frequent pain theme.
    pub top_theme: Option<(String, String, usize)>,
    pub intervention: String,
    pub evidence: Vec<Quote>,
}

/// The accounts-at-risk view.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Accounts {
    /// Accounts scored.
    pub scored: usize,
    /// Anonymous one-off records (`doc:` keys) left out.
    pub anonymous: usize,
    /// Placeholder author names left out, with the documents under each.
    pub placeholders: Vec<(String, usize)>,
    /// Accounts scoring [`RISK_THRESHOLD`] or more.
    pub at_risk: usize,
    /// The highest-scoring at-risk accounts, at most [`MAX_LISTED`], by
    /// score then account key.
    pub listed: Vec<AccountRisk>,
    /// The highest score of all, with its account, when none is at risk.
    pub highest: Option<(String, u32)>,
}

/// The formula, see [`RISK_FORMULA`].
pub fn risk_score(c: &Components) -> u32 {
    let s = WEIGHTS[0] * c.leaving
        + WEIGHTS[1] * c.retention
        + WEIGHTS[2] * c.falling
        + WEIGHTS[3] * c.contacts;
    (100.0 * s).round().clamp(0.0, 100.0) as u32
}

/// The components from raw counts; a missing trend counts as not falling.
pub fn components(
    leaving_signals: usize,
    retention_negative: usize,
    trend: Option<&Trend>,
    tickets: usize,
    chasing: usize,
) -> Components {
    let ratio = |n: usize, full: usize| (n as f64 / full as f64).min(1.0);
    Components {
        leaving: ratio(leaving_signals, LEAVING_FULL),
        retention: ratio(retention_negative, RETENTION_FULL),
        falling: trend.map_or(0.0, |t| (-t.delta() / FALL_FULL).clamp(0.0, 1.0)),
        contacts: ratio(
            tickets.saturating_sub(TICKETS_FREE) + chasing,
            CONTACTS_FULL,
        ),
    }
}

/// Marks punctuation between words, so a phrase cue never matches across
/// it ("bait and switch, to be honest" has no "switch to").
const BREAK: &str = "|";

/// Lowercase words of a text (letters, digits, inner apostrophes), with a
/// [`BREAK`] wherever punctuation separates two words.
fn words(text: &str) -> Vec<String> {
    let text = text.to_lowercase().replace(['’', '‘'], "'");
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut pending_break = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' {
            if pending_break && !out.is_empty() {
                out.push(BREAK.to_string());
            }
            pending_break = false;
            word.push(c);
            continue;
        }
        let w = word.trim_matches('\'');
        if !w.is_empty() {
            out.push(w.to_string());
        }
        word.clear();
        if !c.is_whitespace() {
            pending_break = true;
        }
    }
    let w = word.trim_matches('\'');
    if !w.is_empty() {
        out.push(w.to_string());
    }
    out
}

fn word_matches(word: &str, cue: &str) -> bool {
    match cue.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == cue,
    }
}

/// The first cue of `cues` that occurs in `words` as a run of whole words.
fn find_cue<'a>(words: &[String], cues: &[&'a str]) -> Option<&'a str> {
    cues.iter().copied().find(|cue| {
        let parts: Vec<&str> = cue.split_whitespace().collect();
        !parts.is_empty()
            && words.windows(parts.len()).any(|w| {
                w.iter()
                    .zip(&parts)
                    .all(|(word, part)| word_matches(word, part))
            })
    })
}

/// The first of `cues` (whole lowercase words, `*` for any ending) that a
/// text carries, if any.
pub fn cue_in(text: &str, cues: &[&'static str]) -> Option<&'static str> {
    find_cue(&words(text), cues)
}

/// The leaving cue a text carries, if any.
pub fn leaving_cue(text: &str) -> Option<&'static str> {
    find_cue(&words(text), LEAVING_CUES)
}

/// The chasing cue a text carries, if any.
pub fn chasing_cue(text: &str) -> Option<&'static str> {
    find_cue(&words(text), CHASING_CUES)
}

/// Whether a person key is a placeholder author name, not an account.
pub fn is_placeholder(key: &str) -> bool {
    crate::ingest::is_placeholder_author(key)
}

/// Mean sentiment of the later half of the dated snippets against the
/// earlier half, ordered by date then snippet id (the middle one is left
/// out when the count is odd). `None` below [`MIN_DATED`] or on one day.
pub fn trend(snippets: &[&TaggedSnippet]) -> Option<Trend> {
    let mut dated: Vec<(chrono::DateTime<chrono::Utc>, &str, f64)> = snippets
        .iter()
        .filter_map(|t| {
            t.snippet
                .date
                .map(|d| (d, t.snippet.id.as_str(), t.tags.sentiment.score))
        })
        .collect();
    if dated.len() < MIN_DATED {
        return None;
    }
    dated.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    let days: BTreeSet<NaiveDate> = dated.iter().map(|d| d.0.date_naive()).collect();
    if days.len() < 2 {
        return None;
    }
    let half = dated.len() / 2;
    let mean = |xs: &[(chrono::DateTime<chrono::Utc>, &str, f64)]| {
        stats::mean(&xs.iter().map(|x| x.2).collect::<Vec<_>>()).unwrap_or(0.0)
    };
    Some(Trend {
        earlier: mean(&dated[..half]),
        later: mean(&dated[dated.len() - half..]),
        dated: dated.len(),
    })
}

fn is_negative(t: &TaggedSnippet) -> bool {
    t.tags.sentiment.label == Polarity::Negative
}

/// Score one account from its customer-voice snippets.
fn assess_one(account: &str, snips: &[&TaggedSnippet], codebook: &Codebook) -> AccountRisk {
    let mut by_kind = BTreeMap::new();
    let mut channels = BTreeSet::new();
    let mut docs = BTreeSet::new();
    let mut tickets = BTreeSet::new();
    let mut leaving_cues: BTreeMap<String, usize> = BTreeMap::new();
    let mut leaving_ids = BTreeSet::new();
    let mut chasing_ids = BTreeSet::new();
    let (mut retention_negative, mut retention_snippets, mut pain_snippets) = (0, 0, 0);
    let mut churn_tagged = 0;
    let mut themes: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut first_date, mut last_date) = (None::<NaiveDate>, None::<NaiveDate>);
    for t in snips {
        let s = &t.snippet;
        *by_kind.entry(s.kind).or_insert(0) += 1;
        if let Some(c) = s.channel.as_deref().filter(|c| !c.trim().is_empty()) {
            channels.insert(c.to_string());
        }
        docs.insert(s.doc_id.as_str());
        if s.kind == SourceKind::Ticket {
            tickets.insert(s.doc_id.as_str());
        }
        if let Some(d) = s.date {
            let d = d.date_naive();
            first_date = Some(first_date.map_or(d, |f| f.min(d)));
            last_date = Some(last_date.map_or(d, |l| l.max(d)));
        }
        let w = words(&s.text);
        if let Some(cue) = find_cue(&w, LEAVING_CUES) {
            *leaving_cues.entry(cue.to_string()).or_insert(0) += 1;
            leaving_ids.insert(s.id.as_str());
        }
        if t.tags
            .intent_cluster
            .as_ref()
            .is_some_and(|c| c.value == CHURN_CLUSTER)
        {
            churn_tagged += 1;
            leaving_ids.insert(s.id.as_str());
        }
        if t.tags.stage.value == "retention" {
            retention_snippets += 1;
            if is_negative(t) {
                retention_negative += 1;
            }
        }
        if t.tags.pain {
            pain_snippets += 1;
            for th in &t.themes {
                *themes.entry(th.value.as_str()).or_insert(0) += 1;
            }
            if s.kind == SourceKind::Ticket && find_cue(&w, CHASING_CUES).is_some() {
                chasing_ids.insert(s.id.as_str());
            }
        }
    }
    let order = |id: &str| {
        codebook
            .theme
            .iter()
            .position(|e| e.id == id)
            .unwrap_or(usize::MAX)
    };
    let top_theme = themes
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| order(b.0).cmp(&order(a.0))))
        .map(|(id, n)| (id.to_string(), codebook.label(id).to_string(), *n));
    let trend = trend(snips);
    let comps = components(
        leaving_ids.len(),
        retention_negative,
        trend.as_ref(),
        tickets.len(),
        chasing_ids.len(),
    );
    let evidence = pick(snips.iter().copied(), 3, |t| {
        let id = t.snippet.id.as_str();
        (leaving_ids.contains(id) as u8 as f64)
            + 0.5 * (chasing_ids.contains(id) as u8 as f64)
            + 0.5 * ((t.tags.stage.value == "retention" && is_negative(t)) as u8 as f64)
            + (-t.tags.sentiment.score).max(0.0)
    });
    AccountRisk {
        account: account.to_string(),
        score: risk_score(&comps),
        components: comps,
        snippets: snips.len(),
        documents: docs.len(),
        by_kind,
        channels,
        first_date,
        last_date,
        trend,
        leaving_signals: leaving_ids.len(),
        leaving_cues,
        churn_tagged,
        retention_negative,
        retention_snippets,
        tickets: tickets.len(),
        chasing: chasing_ids.len(),
        pain_snippets,
        intervention: intervention(top_theme.as_ref().map(|t| t.0.as_str())).to_string(),
        top_theme,
        evidence,
    }
}

/// Score every account in `voice` (customer-voice snippets) and list the
/// ones at risk.
pub fn assess(voice: &[&TaggedSnippet], codebook: &Codebook) -> Accounts {
    let mut by_person: BTreeMap<String, Vec<&TaggedSnippet>> = BTreeMap::new();
    for t in voice.iter().copied().filter(|t| t.snippet.role.is_voice()) {
        by_person.entry(person(t)).or_default().push(t);
    }
    let mut out = Accounts::default();
    let mut scored = Vec::new();
    for (key, snips) in &by_person {
        if key.starts_with("doc:") {
            out.anonymous += 1;
        } else if is_placeholder(key) {
            let docs: BTreeSet<&str> = snips.iter().map(|t| t.snippet.doc_id.as_str()).collect();
            out.placeholders.push((key.clone(), docs.len()));
        } else {
            scored.push(assess_one(key, snips, codebook));
        }
    }
    scored.sort_by(|a, b| b.score.cmp(&a.score).then(a.account.cmp(&b.account)));
    out.scored = scored.len();
    out.highest = scored.first().map(|a| (a.account.clone(), a.score));
    out.at_risk = scored.iter().filter(|a| a.score >= RISK_THRESHOLD).count();
    scored.truncate(out.at_risk.min(MAX_LISTED));
    out.listed = scored;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::testing::snip;

    #[test]
    fn a_leaving_customer_is_listed_with_evidence_and_the_rest_are_not() {
        use SourceKind::*;
        let cb = Codebook::embedded();
        let mut all = vec![
            snip(
                Some("C1"),
                "t1",
                Ticket,
                2,
                "Love the invoices, setup was quick and easy.",
                0.6,
                "decision",
                None,
            ),
            snip(
                Some("C1"),
                "t2",
                Ticket,
                5,
                "The bank sync dropped a week of transactions.",
                -0.4,
                "retention",
                Some("reliability"),
            ),
            snip(
                Some("C1"),
                "t3",
                Ticket,
                9,
                "Still waiting on the refund you promised last week.",
                -0.5,
                "retention",
                Some("billing"),
            ),
            snip(
                Some("C1"),
                "t4",
                Ticket,
                12,
                "I was charged twice again and nobody replies to me.",
                -0.6,
                "retention",
                Some("billing"),
            ),
            snip(
                Some("C1"),
                "t5",
                Social,
                20,
                "Cancelling today and switching to Countwise, this was the last straw.",
                -0.8,
                "retention",
                Some("billing"),
            ),
            snip(
                Some("C2"),
                "u1",
                Review,
                3,
                "Sending invoices from my phone is a real lifesaver.",
                0.7,
                "advocacy",
                None,
            ),
            snip(
                Some("C2"),
                "u2",
                Review,
                8,
                "Best invoicing app I have used in years, honestly.",
                0.8,
                "advocacy",
                None,
            ),
            snip(
                None,
                "a1",
                Review,
                4,
                "Refund me now, I am cancelling this rubbish app today.",
                -0.9,
                "retention",
                Some("billing"),
            ),
            snip(
                Some("A Google user"),
                "g1",
                Review,
                6,
                "Cancelled, switching to another app, refund please.",
                -0.9,
                "retention",
                Some("billing"),
            ),
        ];
        // More negative retention snippets for C1, so it crosses the threshold.
        for i in 0..8 {
            all.push(snip(
                Some("C1"),
                &format!("t{}", 10 + i),
                Ticket,
                21 + i,
                &format!("The export failed again on attempt number {i} today."),
                -0.5,
                "retention",
                Some("reliability"),
            ));
        }
        let voice: Vec<&TaggedSnippet> = all.iter().collect();
        let acc = assess(&voice, &cb);
        assert_eq!(acc.scored, 2);
        assert_eq!(acc.anonymous, 1);
        assert_eq!(acc.placeholders, vec![("A Google user".to_string(), 1)]);
        assert_eq!(acc.at_risk, 1, "{acc:#?}");
        let c1 = &acc.listed[0];
        assert_eq!(c1.account, "C1");
        assert!(c1.score >= RISK_THRESHOLD, "{}", c1.score);
        assert_eq!(
            c1.leaving_signals, 2,
            "refund + cancelling/switching/last straw"
        );
        assert_eq!(c1.tickets, 12);
        assert!(c1.chasing >= 2, "still / again");
        assert!(c1.trend.unwrap().delta() < 0.0);
        assert_eq!(c1.top_theme.as_ref().unwrap().0, "reliability");
        assert!(c1.intervention.contains("Engineering"));
        assert_eq!(c1.evidence.len(), 3);
        assert!(c1
            .evidence
            .iter()
            .any(|q| q.text.starts_with("Cancelling today")));
        assert_eq!(acc.highest, Some(("C1".to_string(), c1.score)));
    }

    #[test]
    fn the_score_follows_the_printed_formula() {
        let c = Components {
            leaving: 1.0,
            retention: 0.5,
            falling: 0.0,
            contacts: 1.0,
        };
        // 100 × (0.35 + 0.125 + 0 + 0.15) = 62.5 → 63.
        assert_eq!(risk_score(&c), 63);
        assert_eq!(risk_score(&Components::default()), 0);
        let t = Trend {
            earlier: 0.3,
            later: -0.2,
            dated: 6,
        };
        let c = components(2, 20, Some(&t), 3, 1);
        assert_eq!(c.leaving, 0.5);
        assert_eq!(c.retention, 1.0);
        assert!((c.falling - 1.0).abs() < 1e-9);
        assert_eq!(c.contacts, 0.5);
        // A rising trend is not a risk.
        let up = Trend {
            earlier: -0.2,
            later: 0.3,
            dated: 6,
        };
        assert_eq!(components(0, 0, Some(&up), 0, 0).falling, 0.0);
    }

    #[test]
    fn cues_match_whole_words_and_prefixes() {
        assert_eq!(leaving_cue("I'm CANCELLING today."), Some("cancel*"));
        assert_eq!(
            leaving_cue("Switching to Countwise next month"),
            Some("switching to")
        );
        assert_eq!(leaving_cue("I want my money refunded"), Some("refund*"));
        assert_eq!(leaving_cue("This was the last straw"), Some("last straw"));
        assert_eq!(leaving_cue("I won’t renew"), Some("won't renew"));
        assert_eq!(leaving_cue("The switch works fine"), None);
        assert_eq!(leaving_cue("I'm undone with joy"), None);
        assert_eq!(leaving_cue("A bait and switch, to be honest."), None);
        assert_eq!(leaving_cue("Done. With that sorted"), None);
        assert_eq!(
            chasing_cue("Third time asking about this"),
            Some("third time")
        );
        assert_eq!(chasing_cue("It keeps happening"), None);
    }

    #[test]
    fn placeholder_authors_are_not_accounts() {
        assert!(is_placeholder("A Google user"));
        assert!(is_placeholder("Verified User in Accounting"));
        assert!(is_placeholder("anonymous"));
        assert!(!is_placeholder("C0007"));
        assert!(!is_placeholder("Zoe M."));
    }

    #[test]
    fn interventions_follow_the_top_theme_with_a_fallback() {
        assert!(intervention(Some("billing")).contains("refund"));
        assert!(intervention(Some("support")).contains("24 h"));
        assert_eq!(intervention(Some("my-own-theme")), GENERIC_INTERVENTION);
        assert_eq!(intervention(None), GENERIC_INTERVENTION);
    }
}
