//! Synthesis: tagged snippets in, a [`Synthesis`] out — study totals, the
//! study's own themes ([`themes`]: discovered, named, ranked by their pains
//! with a stated formula and by their gains), segments (intent clusters assigned per
//! person from all their snippets) with empathy-map content, journey stages,
//! frequent terms in pain snippets that no theme covers, and the accounts at
//! risk ([`accounts`]).
//!
//! Only customer voice counts: interviewer and agent snippets are skipped
//! here. Everything is ordered deterministically (BTreeMaps, id tiebreaks).

pub mod accounts;
mod canvas;
pub mod impact;
pub mod quotes;
pub mod stats;
mod terms;
#[cfg(test)]
pub(crate) mod testing;
pub mod themes;
pub mod trends;

use crate::classify::Codebook;
use crate::model::{SourceKind, TaggedSnippet};
use chrono::NaiveDate;
use impact::{Impact, Metric};
use quotes::{pick, Quote};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The pain ranking formula, printed in the report and implemented by
/// [`priority`].
pub const PRIORITY_FORMULA: &str =
    "priority = reach × (0.5 + severity) × (1 + 0.25 × (source kinds − 1))";

/// Below this many people, a figure is flagged as a small base.
pub const SMALL_BASE: usize = 5;

/// Counts for one source kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindTotals {
    pub documents: usize,
    pub snippets: usize,
    pub voice_snippets: usize,
    pub people: usize,
}

/// Study-wide counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub documents: usize,
    pub snippets: usize,
    pub voice_snippets: usize,
    pub people: usize,
    pub pain_snippets: usize,
    pub gain_snippets: usize,
    pub by_kind: BTreeMap<SourceKind, KindTotals>,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub engines: BTreeSet<String>,
}

/// A theme with the evidence of its pains.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeSummary {
    pub id: String,
    pub label: String,
    /// One sentence on what it covers.
    pub description: String,
    /// Its distinctive terms, in the customers' words.
    pub terms: Vec<String>,
    /// seed, discovered or required.
    pub origin: String,
    pub priority: f64,
    /// Distinct people who voiced this pain.
    pub reach: usize,
    /// Pain snippets tagged with this theme.
    pub frequency: usize,
    /// Mean negativity of those snippets: mean of max(0, −sentiment), 0–1.
    pub severity: f64,
    pub by_kind: BTreeMap<SourceKind, usize>,
    pub by_stage: BTreeMap<String, usize>,
    /// People per segment (segment id → people).
    pub by_segment: BTreeMap<String, usize>,
    /// Mean star rating of reviews voicing this pain, and their count.
    pub mean_rating: Option<(f64, usize)>,
    /// Leave-theme-out impact on each score the responses carry.
    pub impact: Vec<Impact>,
    pub quotes: Vec<Quote>,
}

/// One line of an empathy map: a statement backed by a quote.
#[derive(Debug, Clone, Serialize)]
pub struct MapLine {
    /// Theme label for pains and gains; empty for quadrants.
    pub theme: String,
    /// How many of the segment's snippets back this line.
    pub count: usize,
    pub quote: Quote,
}

/// One person's intent cluster, with the evidence for it.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// The person key (customer key, or `doc:…` for an anonymous author).
    pub person: String,
    /// How the reports name them: the customer key, else the author or
    /// speaker name, else "anonymous".
    pub name: String,
    /// Share of the person's cluster-cue weight that went to their cluster.
    pub strength: f64,
    /// The runner-up cluster when it carries at least half the winner's
    /// weight: people who are both.
    pub also: Option<String>,
    /// Source kinds in which cues for their cluster were heard.
    pub kinds: BTreeSet<SourceKind>,
    /// Their snippets with a cue for their cluster.
    pub cue_snippets: usize,
    /// The strongest quotable cue snippet.
    pub evidence: Option<Quote>,
}

/// An intent cluster with the people assigned to it and their empathy map.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub id: String,
    pub label: String,
    pub description: String,
    pub goal: String,
    pub people: usize,
    /// Everyone assigned, by person key.
    pub members: Vec<Member>,
    /// Members whose cluster cues came from two or more source kinds.
    pub multi_channel: usize,
    /// Members with a runner-up cluster (see [`Member::also`]).
    pub mixed: usize,
    /// The strongest cue quotes across members.
    pub evidence: Vec<Quote>,
    pub by_kind: BTreeMap<SourceKind, usize>,
    pub snippets: usize,
    pub mean_sentiment: f64,
    /// What they see (Gray's canvas): snippets reporting what is in front
    /// of them; `theme` holds the cue that matched.
    pub sees: Vec<MapLine>,
    /// What they hear from others; `theme` holds the cue that matched.
    pub hears: Vec<MapLine>,
    pub says: Vec<MapLine>,
    pub thinks: Vec<MapLine>,
    pub does: Vec<MapLine>,
    pub feels: Vec<MapLine>,
    pub pains: Vec<MapLine>,
    pub gains: Vec<MapLine>,
    /// The segment's own journey: its snippets by stage.
    pub journey: Vec<StageSummary>,
}

/// One journey stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageSummary {
    pub id: String,
    pub label: String,
    pub volume: usize,
    pub people: usize,
    pub mean_sentiment: f64,
    pub negative: usize,
    pub positive: usize,
    /// (theme label, pain snippets) strongest first.
    pub top_pains: Vec<(String, usize)>,
    pub channels: BTreeMap<SourceKind, usize>,
    pub quote: Option<Quote>,
    /// The most frequent intent signal (the mindset: looking for
    /// information, finding their way, or transacting) and its snippets.
    pub signal: Option<(String, usize)>,
    /// Scores of the responses with a snippet at this stage.
    pub scores: BTreeMap<Metric, (f64, usize)>,
    /// People with a leaving cue (cancel, switch to, refund …) at this stage:
    /// the drop-off signal.
    pub leaving: usize,
    /// What they do here, in their words.
    pub does: Option<Quote>,
    /// What they think here (inferred from the wording).
    pub thinks: Option<Quote>,
}

/// A distinctive term in pain snippets that no codebook theme covers.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub term: String,
    pub people: usize,
    pub snippets: usize,
    pub example: Quote,
}

/// Everything the reports show.
#[derive(Debug, Clone, Serialize)]
pub struct Synthesis {
    pub totals: Totals,
    pub themes: Vec<ThemeSummary>,
    pub segments: Vec<Segment>,
    /// People with no intent-cluster cue in any of their snippets.
    pub unsegmented_people: usize,
    pub stages: Vec<StageSummary>,
    pub unthemed_pain_snippets: usize,
    pub terms: Vec<Term>,
    /// Journey health per account: the accounts at risk.
    pub accounts: accounts::Accounts,
    /// Each score over all rated responses: (value, responses).
    pub scores: BTreeMap<Metric, (f64, usize)>,
    /// Monthly counts for the top themes, when dates span enough months.
    pub trend: Option<trends::Trend>,
    /// Every theme of the study with its pains, gains and neutral mentions.
    pub catalogue: Vec<ThemeRow>,
    /// Themes ranked by their gains: the pleasure peaks.
    pub peaks: Vec<Peak>,
    /// What theme discovery left out, and why.
    pub theme_coverage: Coverage,
}

/// One theme of the study, however customers feel about it.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeRow {
    pub id: String,
    pub label: String,
    pub origin: String,
    pub terms: Vec<String>,
    /// Customer-voice snippets in it, and the people behind them.
    pub snippets: usize,
    pub people: usize,
    pub pains: usize,
    pub gains: usize,
    pub neutral: usize,
}

/// A theme customers are pleased with.
#[derive(Debug, Clone, Serialize)]
pub struct Peak {
    pub id: String,
    pub label: String,
    /// People who voiced a gain in it.
    pub reach: usize,
    pub gains: usize,
    /// Mean positivity of those snippets, 0–1.
    pub delight: f64,
    pub by_stage: BTreeMap<String, usize>,
    pub quotes: Vec<Quote>,
}

/// How much of the customer voice the themes cover.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// How snippets were compared: "terms" or "embeddings".
    pub space: String,
    /// Customer-voice snippets with content (two or more content words).
    pub with_content: usize,
    pub themed: usize,
    /// Snippets with fewer than two content words ("ok.", "🤬🤬").
    pub content_free: usize,
    /// With content, near no theme.
    pub unthemed: usize,
    pub unthemed_examples: Vec<Quote>,
    /// Pain snippets with content, and those themed.
    pub pain_with_content: usize,
    pub pain_themed: usize,
    /// Codebook themes no study theme matched: (label, snippets the engine
    /// tagged with it).
    pub not_heard: Vec<(String, usize)>,
}

/// Themes followed month by month in the trend.
pub const TREND_THEMES: usize = 5;

/// The ranking formula, see [`PRIORITY_FORMULA`].
pub fn priority(reach: usize, severity: f64, source_kinds: usize) -> f64 {
    let spread = 1.0 + 0.25 * (source_kinds.max(1) - 1) as f64;
    reach as f64 * (0.5 + severity) * spread
}

/// The person a snippet belongs to: the customer key, or its document for
/// anonymous records (one anonymous review = one person).
pub fn person(t: &TaggedSnippet) -> String {
    t.snippet
        .customer
        .clone()
        .unwrap_or_else(|| format!("doc:{}", t.snippet.doc_id))
}

fn negativity(t: &TaggedSnippet) -> f64 {
    (-t.tags.sentiment.score).max(0.0)
}

/// Build the synthesis from every stored snippet.
///
/// The result does not depend on the order of `all`: snippets are taken in
/// snippet-id order, so sums, ties and resamples come out the same however
/// the index returns them.
///
/// `codebook` carries the study's themes (see [`themes::codebook_with`]) and
/// each snippet its themes ([`TaggedSnippet::themes`]); `found` says what
/// discovery left out.
pub fn synthesize(
    all: &[TaggedSnippet],
    codebook: &Codebook,
    found: &themes::Discovery,
) -> Synthesis {
    let mut voice: Vec<&TaggedSnippet> = all.iter().filter(|t| t.snippet.role.is_voice()).collect();
    voice.sort_by(|a, b| a.snippet.id.cmp(&b.snippet.id));
    let totals = totals(all, &voice);
    let assigned = assign_segments(&voice, codebook);
    let segment_of: BTreeMap<String, String> = assigned
        .iter()
        .map(|(p, a)| (p.clone(), a.cluster.clone()))
        .collect();
    let responses = impact::responses(&voice);
    let themes = rank_themes(&voice, codebook, found, &segment_of, &responses);
    let segments = segments(&voice, codebook, &assigned);
    let top: Vec<(String, String)> = themes
        .iter()
        .take(TREND_THEMES)
        .map(|t| (t.id.clone(), t.label.clone()))
        .collect();
    let trend = trends::monthly(&voice, &top);
    let people: BTreeSet<String> = voice.iter().map(|t| person(t)).collect();
    let unsegmented_people = people
        .iter()
        .filter(|p| !segment_of.contains_key(*p))
        .count();
    let stages = stages(&voice, codebook);
    let unthemed: Vec<&TaggedSnippet> = voice
        .iter()
        .copied()
        .filter(|t| t.tags.pain && t.themes.is_empty())
        .collect();
    let terms = terms::distinctive_terms(&unthemed, &voice, 10);
    let accounts = accounts::assess(&voice, codebook);
    let catalogue = catalogue(&voice, codebook, found);
    let peaks = peaks(&voice, codebook);
    let theme_coverage = coverage(&voice, found);
    Synthesis {
        totals,
        themes,
        segments,
        unsegmented_people,
        stages,
        unthemed_pain_snippets: unthemed.len(),
        terms,
        accounts,
        scores: impact::overall(&responses),
        trend,
        catalogue,
        peaks,
        theme_coverage,
    }
}

fn totals(all: &[TaggedSnippet], voice: &[&TaggedSnippet]) -> Totals {
    let mut t = Totals {
        snippets: all.len(),
        voice_snippets: voice.len(),
        ..Totals::default()
    };
    let mut docs: BTreeMap<SourceKind, BTreeSet<&str>> = BTreeMap::new();
    let mut people: BTreeMap<SourceKind, BTreeSet<String>> = BTreeMap::new();
    let mut all_people = BTreeSet::new();
    for s in all {
        docs.entry(s.snippet.kind)
            .or_default()
            .insert(&s.snippet.doc_id);
        let k = t.by_kind.entry(s.snippet.kind).or_default();
        k.snippets += 1;
        t.engines.insert(s.tags.engine.clone());
        if let Some(d) = s.snippet.date {
            let d = d.date_naive();
            t.first_date = Some(t.first_date.map_or(d, |f| f.min(d)));
            t.last_date = Some(t.last_date.map_or(d, |l| l.max(d)));
        }
    }
    for s in voice {
        let k = t.by_kind.entry(s.snippet.kind).or_default();
        k.voice_snippets += 1;
        people.entry(s.snippet.kind).or_default().insert(person(s));
        all_people.insert(person(s));
        if s.tags.pain {
            t.pain_snippets += 1;
        }
        if s.tags.gain {
            t.gain_snippets += 1;
        }
    }
    for (kind, d) in &docs {
        t.by_kind.entry(*kind).or_default().documents = d.len();
        t.documents += d.len();
    }
    for (kind, p) in &people {
        t.by_kind.entry(*kind).or_default().people = p.len();
    }
    t.people = all_people.len();
    t
}

/// One person's cluster assignment, before quotes are picked.
struct Assignment {
    cluster: String,
    strength: f64,
    also: Option<String>,
}

/// Each person's intent cluster: the cluster whose cues carry the most
/// confidence across all their snippets, in every channel. Ties go to the
/// codebook's order. People with no cluster cue are left out.
fn assign_segments(voice: &[&TaggedSnippet], codebook: &Codebook) -> BTreeMap<String, Assignment> {
    let order: BTreeMap<&str, usize> = codebook
        .cluster
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut weight: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for t in voice {
        if let Some(c) = &t.tags.intent_cluster {
            *weight
                .entry(person(t))
                .or_default()
                .entry(c.value.clone())
                .or_default() += c.confidence;
        }
    }
    weight
        .into_iter()
        .filter_map(|(p, w)| {
            let total: f64 = w.values().sum();
            // Rounded, so equal weights tie however the sums were ordered.
            let mut ranked: Vec<(String, f64)> = w
                .into_iter()
                .map(|(c, x)| (c, (x * 1e6).round() / 1e6))
                .collect();
            ranked.sort_by(|a, b| {
                b.1.total_cmp(&a.1).then_with(|| {
                    let oa = order.get(a.0.as_str()).unwrap_or(&usize::MAX);
                    let ob = order.get(b.0.as_str()).unwrap_or(&usize::MAX);
                    oa.cmp(ob).then(a.0.cmp(&b.0))
                })
            });
            let mut it = ranked.into_iter();
            let (cluster, top) = it.next()?;
            let also = it.next().filter(|(_, w)| *w >= 0.5 * top).map(|(c, _)| c);
            Some((
                p,
                Assignment {
                    cluster,
                    strength: if total > 0.0 { top / total } else { 1.0 },
                    also,
                },
            ))
        })
        .collect()
}

fn rank_themes(
    voice: &[&TaggedSnippet],
    codebook: &Codebook,
    found: &themes::Discovery,
    segment_of: &BTreeMap<String, String>,
    responses: &BTreeMap<Metric, Vec<impact::Response>>,
) -> Vec<ThemeSummary> {
    let found_entry = |theme: &crate::classify::codebook::Entry| {
        found
            .file
            .themes
            .iter()
            .find(|e| e.id == theme.id)
            .map_or((Vec::new(), String::new()), |e| {
                (e.terms.clone(), e.origin.as_str().to_string())
            })
    };
    let mut out = Vec::new();
    for theme in &codebook.theme {
        let hits: Vec<&TaggedSnippet> = voice
            .iter()
            .copied()
            .filter(|t| t.tags.pain && t.themes.iter().any(|x| x.value == theme.id))
            .collect();
        if hits.is_empty() {
            continue;
        }
        let people: BTreeSet<String> = hits.iter().map(|t| person(t)).collect();
        let severity =
            stats::mean(&hits.iter().map(|t| negativity(t)).collect::<Vec<_>>()).unwrap_or(0.0);
        let mut by_kind = BTreeMap::new();
        let mut by_stage = BTreeMap::new();
        for t in &hits {
            *by_kind.entry(t.snippet.kind).or_insert(0) += 1;
            *by_stage.entry(t.tags.stage.value.clone()).or_insert(0) += 1;
        }
        let mut by_segment = BTreeMap::new();
        for p in &people {
            let seg = segment_of
                .get(p)
                .cloned()
                .unwrap_or_else(|| "unsegmented".into());
            *by_segment.entry(seg).or_insert(0) += 1;
        }
        let ratings: BTreeMap<&str, f64> = hits
            .iter()
            .filter(|t| t.snippet.kind == SourceKind::Review)
            .filter_map(|t| t.snippet.rating.map(|r| (t.snippet.doc_id.as_str(), r)))
            .collect();
        let mean_rating =
            stats::mean(&ratings.values().copied().collect::<Vec<_>>()).map(|m| (m, ratings.len()));
        let theme_conf = |t: &TaggedSnippet| {
            t.tags
                .themes
                .iter()
                .find(|x| x.value == theme.id)
                .map_or(0.0, |x| x.confidence)
        };
        // A quote should name the theme itself: a snippet themed only by the
        // message around it ("how does this keep happening") comes last.
        let own_words = |t: &TaggedSnippet| {
            let from_context = t
                .tags
                .themes
                .iter()
                .any(|x| x.value == theme.id && x.evidence.starts_with("context:"));
            if from_context {
                -2.0
            } else {
                0.0
            }
        };
        let quotes = pick(hits.iter().copied(), 3, |t| {
            negativity(t) + theme_conf(t) + own_words(t)
        });
        let entry = found_entry(theme);
        out.push(ThemeSummary {
            id: theme.id.clone(),
            label: theme.label.clone(),
            description: theme.description.clone(),
            terms: entry.0,
            origin: entry.1,
            priority: round1(priority(people.len(), severity, by_kind.len())),
            reach: people.len(),
            frequency: hits.len(),
            severity: round2(severity),
            by_kind,
            by_stage,
            by_segment,
            mean_rating,
            impact: impact::theme_impact(responses, &theme.id),
            quotes,
        });
    }
    out.sort_by(|a, b| {
        b.priority
            .total_cmp(&a.priority)
            .then(b.reach.cmp(&a.reach))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// Every theme with how customers feel about it, by snippets.
fn catalogue(
    voice: &[&TaggedSnippet],
    codebook: &Codebook,
    found: &themes::Discovery,
) -> Vec<ThemeRow> {
    let mut rows: Vec<ThemeRow> = codebook
        .theme
        .iter()
        .map(|th| {
            let hits: Vec<&TaggedSnippet> = voice
                .iter()
                .copied()
                .filter(|t| t.themes.iter().any(|x| x.value == th.id))
                .collect();
            let pains = hits.iter().filter(|t| t.tags.pain).count();
            let gains = hits.iter().filter(|t| t.tags.gain && !t.tags.pain).count();
            let entry = found.file.themes.iter().find(|e| e.id == th.id);
            ThemeRow {
                id: th.id.clone(),
                label: th.label.clone(),
                origin: entry.map_or(String::new(), |e| e.origin.as_str().to_string()),
                terms: entry.map_or(Vec::new(), |e| e.terms.clone()),
                snippets: hits.len(),
                people: hits
                    .iter()
                    .map(|t| person(t))
                    .collect::<BTreeSet<_>>()
                    .len(),
                pains,
                gains,
                neutral: hits.len() - pains - gains,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.people
            .cmp(&a.people)
            .then(b.snippets.cmp(&a.snippets))
            .then(a.id.cmp(&b.id))
    });
    rows
}

/// Themes ranked by the people who voiced a gain in them.
fn peaks(voice: &[&TaggedSnippet], codebook: &Codebook) -> Vec<Peak> {
    let mut out: Vec<Peak> = codebook
        .theme
        .iter()
        .filter_map(|th| {
            let hits: Vec<&TaggedSnippet> = voice
                .iter()
                .copied()
                .filter(|t| t.tags.gain && !t.tags.pain)
                .filter(|t| t.themes.iter().any(|x| x.value == th.id))
                .collect();
            if hits.is_empty() {
                return None;
            }
            let mut by_stage = BTreeMap::new();
            for t in &hits {
                *by_stage.entry(t.tags.stage.value.clone()).or_insert(0) += 1;
            }
            let delight = stats::mean(
                &hits
                    .iter()
                    .map(|t| t.tags.sentiment.score.max(0.0))
                    .collect::<Vec<_>>(),
            )
            .unwrap_or(0.0);
            Some(Peak {
                id: th.id.clone(),
                label: th.label.clone(),
                reach: hits
                    .iter()
                    .map(|t| person(t))
                    .collect::<BTreeSet<_>>()
                    .len(),
                gains: hits.len(),
                delight: round2(delight),
                by_stage,
                quotes: pick(hits.iter().copied(), 2, |t| t.tags.sentiment.score),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.reach
            .cmp(&a.reach)
            .then(b.gains.cmp(&a.gains))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// What the themes cover of the customer voice.
fn coverage(voice: &[&TaggedSnippet], found: &themes::Discovery) -> Coverage {
    let content_free = voice
        .iter()
        .filter(|t| found.content_free.contains(&t.snippet.id))
        .count();
    let with: Vec<&&TaggedSnippet> = voice
        .iter()
        .filter(|t| !found.content_free.contains(&t.snippet.id))
        .collect();
    let unthemed: Vec<&TaggedSnippet> = with
        .iter()
        .map(|t| **t)
        .filter(|t| t.themes.is_empty())
        .collect();
    let pain: Vec<&&&TaggedSnippet> = with.iter().filter(|t| t.tags.pain).collect();
    Coverage {
        space: found.file.space.clone(),
        with_content: with.len(),
        themed: with.len() - unthemed.len(),
        content_free,
        unthemed: unthemed.len(),
        unthemed_examples: pick(unthemed.iter().copied(), 3, |t| {
            (-t.tags.sentiment.score).max(0.0) + t.snippet.text.len().min(200) as f64 / 400.0
        }),
        pain_with_content: pain.len(),
        pain_themed: pain.iter().filter(|t| !t.themes.is_empty()).count(),
        not_heard: found
            .not_heard
            .iter()
            .map(|(_, label, n)| (label.clone(), *n))
            .collect(),
    }
}

fn segments(
    voice: &[&TaggedSnippet],
    codebook: &Codebook,
    assigned: &BTreeMap<String, Assignment>,
) -> Vec<Segment> {
    let mut out = Vec::new();
    for c in &codebook.cluster {
        let members: BTreeSet<&String> = assigned
            .iter()
            .filter(|(_, a)| a.cluster == c.id)
            .map(|(p, _)| p)
            .collect();
        if members.is_empty() {
            continue;
        }
        let snips: Vec<&TaggedSnippet> = voice
            .iter()
            .copied()
            .filter(|t| members.contains(&person(t)))
            .collect();
        let cue_conf = |t: &TaggedSnippet| {
            t.tags
                .intent_cluster
                .as_ref()
                .filter(|x| x.value == c.id)
                .map(|x| x.confidence)
        };
        let mut by_person: BTreeMap<String, Vec<&TaggedSnippet>> = BTreeMap::new();
        for t in &snips {
            by_person.entry(person(t)).or_default().push(t);
        }
        let member_list: Vec<Member> = by_person
            .iter()
            .map(|(p, ts)| {
                let cues: Vec<&TaggedSnippet> = ts
                    .iter()
                    .copied()
                    .filter(|t| cue_conf(t).is_some())
                    .collect();
                let a = &assigned[p];
                Member {
                    person: p.clone(),
                    name: ts
                        .iter()
                        .find_map(|t| t.snippet.customer.clone().or(t.snippet.speaker.clone()))
                        .unwrap_or_else(|| "anonymous".into()),
                    strength: round2(a.strength),
                    also: a.also.clone(),
                    kinds: cues.iter().map(|t| t.snippet.kind).collect(),
                    cue_snippets: cues.len(),
                    evidence: pick(cues.iter().copied(), 1, |t| cue_conf(t).unwrap_or(0.0))
                        .into_iter()
                        .next(),
                }
            })
            .collect();
        let evidence = pick(
            snips.iter().copied().filter(|t| cue_conf(t).is_some()),
            3,
            |t| cue_conf(t).unwrap_or(0.0) + 0.1 * t.tags.sentiment.score.abs(),
        );
        let mut by_kind = BTreeMap::new();
        for t in &snips {
            *by_kind.entry(t.snippet.kind).or_insert(0) += 1;
        }
        let quadrant = |q: &str| -> Vec<MapLine> {
            let pool: Vec<&TaggedSnippet> = snips
                .iter()
                .copied()
                .filter(|t| t.tags.quadrant.value == q)
                .collect();
            let count = pool.len();
            // Prefer snippets that say something: a theme, a feeling, a cue.
            pick(pool, 3, |t| {
                t.tags.sentiment.score.abs()
                    + 0.5 * (!t.themes.is_empty()) as u8 as f64
                    + t.tags.quadrant.confidence
            })
            .into_iter()
            .map(|quote| MapLine {
                theme: String::new(),
                count,
                quote,
            })
            .collect()
        };
        let themed = |pred: &dyn Fn(&TaggedSnippet) -> bool,
                      weight: &dyn Fn(&TaggedSnippet) -> f64| {
            let mut by_theme: BTreeMap<String, Vec<&TaggedSnippet>> = BTreeMap::new();
            for t in snips.iter().copied().filter(|t| pred(t)) {
                if let Some(th) = t.themes.first() {
                    by_theme.entry(th.value.clone()).or_default().push(t);
                }
            }
            let mut ranked: Vec<(String, Vec<&TaggedSnippet>)> = by_theme.into_iter().collect();
            ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
            ranked
                .into_iter()
                .filter_map(|(theme, ts)| {
                    let count = ts.len();
                    pick(ts, 1, weight).into_iter().next().map(|quote| MapLine {
                        theme: codebook.label(&theme).to_string(),
                        count,
                        quote,
                    })
                })
                .take(4)
                .collect::<Vec<_>>()
        };
        let pains = themed(&|t| t.tags.pain, &|t| negativity(t));
        let gains = themed(&|t| t.tags.gain && !t.tags.pain, &|t| {
            t.tags.sentiment.score
        });
        let mean_sentiment = stats::mean(
            &snips
                .iter()
                .map(|t| t.tags.sentiment.score)
                .collect::<Vec<_>>(),
        )
        .unwrap_or(0.0);
        out.push(Segment {
            id: c.id.clone(),
            label: c.label.clone(),
            description: c.description.clone(),
            goal: c.goal.clone().unwrap_or_default(),
            people: members.len(),
            multi_channel: member_list.iter().filter(|m| m.kinds.len() >= 2).count(),
            mixed: member_list.iter().filter(|m| m.also.is_some()).count(),
            members: member_list,
            evidence,
            by_kind,
            snippets: snips.len(),
            mean_sentiment: round2(mean_sentiment),
            says: quadrant("says"),
            thinks: quadrant("thinks"),
            does: quadrant("does"),
            feels: quadrant("feels"),
            sees: canvas::lines(&snips, canvas::SEE_CUES, &[]),
            hears: canvas::lines(&snips, canvas::HEAR_CUES, canvas::HEAR_NOT),
            pains,
            gains,
            journey: stages(&snips, codebook),
        });
    }
    out.sort_by(|a, b| b.people.cmp(&a.people).then(a.id.cmp(&b.id)));
    out
}

fn stages(voice: &[&TaggedSnippet], codebook: &Codebook) -> Vec<StageSummary> {
    codebook
        .stage
        .iter()
        .map(|st| {
            let snips: Vec<&TaggedSnippet> = voice
                .iter()
                .copied()
                .filter(|t| t.tags.stage.value == st.id)
                .collect();
            let scores: Vec<f64> = snips.iter().map(|t| t.tags.sentiment.score).collect();
            let mean = stats::mean(&scores).unwrap_or(0.0);
            let mut pains: BTreeMap<String, usize> = BTreeMap::new();
            let mut channels = BTreeMap::new();
            for t in &snips {
                *channels.entry(t.snippet.kind).or_insert(0) += 1;
                if t.tags.pain {
                    if let Some(th) = t.themes.first() {
                        *pains
                            .entry(codebook.label(&th.value).to_string())
                            .or_insert(0) += 1;
                    }
                }
            }
            let mut top_pains: Vec<(String, usize)> = pains.into_iter().collect();
            top_pains.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            top_pains.truncate(3);
            // The quote that best carries the stage's mood and names a theme.
            let direction = if mean < 0.0 { -1.0 } else { 1.0 };
            let quote = pick(snips.iter().copied(), 1, |t| {
                direction * t.tags.sentiment.score
                    + 0.3 * (!t.themes.is_empty()) as u8 as f64
                    + 0.3 * (t.tags.stage.confidence > 0.5) as u8 as f64
            })
            .into_iter()
            .next();
            let mut signals: BTreeMap<&str, usize> = BTreeMap::new();
            for t in &snips {
                *signals
                    .entry(t.tags.intent_signal.value.as_str())
                    .or_insert(0) += 1;
            }
            let signal = signals
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(s, n)| (s.to_string(), n));
            let in_quadrant = |q: &str| {
                pick(
                    snips.iter().copied().filter(|t| t.tags.quadrant.value == q),
                    1,
                    |t| t.tags.quadrant.confidence + 0.3 * (!t.themes.is_empty()) as u8 as f64,
                )
                .into_iter()
                .next()
            };
            let leaving = snips
                .iter()
                .filter(|t| accounts::leaving_cue(&t.snippet.text).is_some())
                .map(|t| person(t))
                .collect::<BTreeSet<_>>()
                .len();
            StageSummary {
                id: st.id.clone(),
                label: st.label.clone(),
                volume: snips.len(),
                people: snips
                    .iter()
                    .map(|t| person(t))
                    .collect::<BTreeSet<_>>()
                    .len(),
                mean_sentiment: round2(mean),
                negative: snips
                    .iter()
                    .filter(|t| {
                        t.tags.sentiment.score <= -crate::classify::sentiment::LABEL_THRESHOLD
                    })
                    .count(),
                positive: snips
                    .iter()
                    .filter(|t| {
                        t.tags.sentiment.score >= crate::classify::sentiment::LABEL_THRESHOLD
                    })
                    .count(),
                top_pains,
                channels,
                quote,
                signal,
                scores: impact::overall(&impact::responses(&snips)),
                leaving,
                does: in_quadrant("does"),
                thinks: in_quadrant("thinks"),
            }
        })
        .collect()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_follows_the_printed_formula() {
        // 10 people, severity 0.5, 3 source kinds: 10 × 1.0 × 1.5 = 15.
        assert_eq!(priority(10, 0.5, 3), 15.0);
        // One kind: no spread bonus; zero severity still counts half.
        assert_eq!(priority(4, 0.0, 1), 2.0);
    }
}
