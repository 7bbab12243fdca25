//! Impact of themes on scores: rated responses in, per theme and metric the
//! leave-theme-out delta with a bootstrap 95 % interval out.
//!
//! A response is one document (survey answer, review, ticket) that carries
//! a score. The delta is the metric over all responses minus the metric over
//! the responses that do not voice the theme as a pain (Thematic's
//! "impact"): −4 NPS points means NPS would be 4 points higher without the
//! responses voicing it. The interval resamples responses with replacement
//! from a fixed-seed generator, so the same input gives the same bytes.

use crate::model::{SourceKind, TaggedSnippet};
use crate::stats::{percentile, SplitMix64};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Bootstrap resamples per theme and metric.
pub const RESAMPLES: usize = 1000;

/// Seed of the bootstrap generator (mixed with the metric and theme ids, so
/// one theme's interval does not depend on which other themes exist).
pub const SEED: u64 = 0x00C0_FFEE_CA1F;

/// Fewer responses than this voicing a theme: its delta is a small base.
pub const SMALL_BASE: usize = 5;

/// A score the study's responses carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Net Promoter Score from 0–10 answers: % promoters (9–10) − %
    /// detractors (0–6), −100…+100.
    Nps,
    /// Mean star rating of reviews, 1–5.
    Stars,
    /// CSAT: % of rated tickets and surveys scoring 4–5 on a 1–5 scale
    /// ("good" = 5, "bad" = 1).
    Csat,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::Nps, Metric::Stars, Metric::Csat];

    pub fn id(self) -> &'static str {
        match self {
            Metric::Nps => "nps",
            Metric::Stars => "stars",
            Metric::Csat => "csat",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::Nps => "NPS",
            Metric::Stars => "Mean ★",
            Metric::Csat => "CSAT",
        }
    }

    /// How a delta reads: "points" or "★".
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Nps | Metric::Csat => "points",
            Metric::Stars => "★",
        }
    }

    /// The metric over a set of values; `None` when there are none.
    pub fn value(self, xs: impl Iterator<Item = f64> + Clone) -> Option<f64> {
        let n = xs.clone().count();
        if n == 0 {
            return None;
        }
        let n = n as f64;
        Some(match self {
            Metric::Nps => {
                let promoters = xs.clone().filter(|x| *x >= 9.0).count() as f64;
                let detractors = xs.filter(|x| *x <= 6.0).count() as f64;
                100.0 * (promoters - detractors) / n
            }
            Metric::Stars => xs.sum::<f64>() / n,
            Metric::Csat => 100.0 * xs.filter(|x| *x >= 4.0).count() as f64 / n,
        })
    }

    /// Which metric a snippet's record feeds, with its value.
    fn of(t: &TaggedSnippet) -> Option<(Metric, f64)> {
        let s = &t.snippet;
        if let Some(score) = s.score {
            return Some((Metric::Nps, score));
        }
        let rating = s.rating?;
        Some(match s.kind {
            SourceKind::Review => (Metric::Stars, rating),
            _ => (Metric::Csat, rating),
        })
    }
}

/// One rated response: its value and the themes it voices as a pain.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub doc_id: String,
    pub value: f64,
    pub themes: BTreeSet<String>,
}

/// Rated responses per metric, from customer-voice snippets grouped by
/// document, in document-id order (so resampling does not depend on the
/// order snippets arrive in).
pub fn responses(voice: &[&TaggedSnippet]) -> BTreeMap<Metric, Vec<Response>> {
    let mut by_doc: BTreeMap<(Metric, &str), Response> = BTreeMap::new();
    for t in voice {
        let Some((metric, value)) = Metric::of(t) else {
            continue;
        };
        let r = by_doc
            .entry((metric, t.snippet.doc_id.as_str()))
            .or_insert_with(|| Response {
                doc_id: t.snippet.doc_id.clone(),
                value,
                themes: BTreeSet::new(),
            });
        if t.tags.pain {
            r.themes.extend(t.themes.iter().map(|th| th.value.clone()));
        }
    }
    let mut out: BTreeMap<Metric, Vec<Response>> = BTreeMap::new();
    for ((metric, _), r) in by_doc {
        out.entry(metric).or_default().push(r);
    }
    out
}

/// The metric over all responses minus the metric over those not voicing
/// the theme; `None` when no response, or every response, voices it.
/// `values` holds (value, voices the theme).
pub fn leave_out_delta(metric: Metric, values: &[(f64, bool)]) -> Option<f64> {
    if !values.iter().any(|v| v.1) {
        return None;
    }
    let all = metric.value(values.iter().map(|v| v.0))?;
    let without = metric.value(values.iter().filter(|v| !v.1).map(|v| v.0))?;
    Some(all - without)
}

/// Percentile bootstrap 95 % interval of [`leave_out_delta`]: `resamples`
/// resamples of all responses with replacement. Resamples in which no
/// response (or every one) voices the theme have no delta and are dropped;
/// with fewer than half left there is no interval.
pub fn bootstrap(
    metric: Metric,
    values: &[(f64, bool)],
    resamples: usize,
    seed: u64,
) -> Option<(f64, f64)> {
    if values.is_empty() || resamples == 0 {
        return None;
    }
    let mut rng = SplitMix64::new(seed);
    let mut sample = Vec::with_capacity(values.len());
    let mut deltas = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        sample.clear();
        for _ in 0..values.len() {
            sample.push(values[rng.below(values.len())]);
        }
        if let Some(d) = leave_out_delta(metric, &sample) {
            deltas.push(d);
        }
    }
    if deltas.len() * 2 < resamples {
        return None;
    }
    deltas.sort_by(f64::total_cmp);
    Some((percentile(&deltas, 0.025), percentile(&deltas, 0.975)))
}

/// The seed for one metric and theme: [`SEED`] mixed with a hash of both
/// ids.
pub fn seed_for(metric: Metric, theme: &str) -> u64 {
    let h = blake3::hash(format!("{}\u{1f}{theme}", metric.id()).as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    SEED ^ u64::from_le_bytes(b)
}

/// A theme's impact on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    pub metric: Metric,
    /// The metric over all responses.
    pub overall: f64,
    /// The metric over the responses not voicing the theme.
    pub without: f64,
    /// Rated responses in all.
    pub responses: usize,
    /// Rated responses voicing the theme as a pain.
    pub voicing: usize,
    /// overall − without.
    pub delta: f64,
    /// Bootstrap 95 % interval of the delta; `None` below [`SMALL_BASE`]
    /// responses voicing the theme, where resampling a handful of answers
    /// gives an interval that means nothing.
    pub ci: Option<(f64, f64)>,
}

impl Impact {
    /// The interval lies wholly below or above zero once rounded to
    /// `places` decimals (as printed, so a bound shown as 0.0 never counts).
    pub fn clear(&self, places: usize) -> bool {
        let r = |x: f64| (x * 10f64.powi(places as i32)).round();
        self.ci.is_some_and(|(lo, hi)| r(hi) < 0.0 || r(lo) > 0.0)
    }
}

/// The impact of `theme` on every metric with at least one response voicing
/// it (and one not voicing it).
pub fn theme_impact(all: &BTreeMap<Metric, Vec<Response>>, theme: &str) -> Vec<Impact> {
    let mut out = Vec::new();
    for (metric, rs) in all {
        let values: Vec<(f64, bool)> = rs
            .iter()
            .map(|r| (r.value, r.themes.contains(theme)))
            .collect();
        let Some(delta) = leave_out_delta(*metric, &values) else {
            continue;
        };
        let overall = metric.value(values.iter().map(|v| v.0)).unwrap_or(0.0);
        let voicing = values.iter().filter(|v| v.1).count();
        out.push(Impact {
            metric: *metric,
            overall,
            without: overall - delta,
            responses: values.len(),
            voicing,
            delta,
            ci: (voicing >= SMALL_BASE)
                .then(|| bootstrap(*metric, &values, RESAMPLES, seed_for(*metric, theme)))
                .flatten(),
        });
    }
    out
}

/// The metric over every response, per metric (for the report's base line).
pub fn overall(all: &BTreeMap<Metric, Vec<Response>>) -> BTreeMap<Metric, (f64, usize)> {
    all.iter()
        .filter_map(|(m, rs)| {
            m.value(rs.iter().map(|r| r.value))
                .map(|v| (*m, (v, rs.len())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_delta_by_hand() {
        // Scores 10, 9, 0, 5, 8; the theme is voiced by the 0 and the 5.
        // All: 2 promoters, 2 detractors of 5 → NPS 0.
        // Without the theme: 10, 9, 8 → 2 promoters, 0 detractors of 3 → 66.67.
        // Delta = 0 − 66.67 = −66.67 points.
        let v = [
            (10.0, false),
            (9.0, false),
            (0.0, true),
            (5.0, true),
            (8.0, false),
        ];
        let d = leave_out_delta(Metric::Nps, &v).unwrap();
        assert!((d + 200.0 / 3.0).abs() < 1e-9, "{d}");
    }

    #[test]
    fn mean_and_csat_deltas_by_hand() {
        // Stars 5, 4, 1, 2 with the theme on the 1: mean 3.0 vs 11/3 → −0.667.
        let v = [(5.0, false), (4.0, false), (1.0, true), (2.0, false)];
        let d = leave_out_delta(Metric::Stars, &v).unwrap();
        assert!((d - (3.0 - 11.0 / 3.0)).abs() < 1e-12, "{d}");
        // CSAT: 2 of 4 satisfied = 50 %; without the theme 2 of 3 = 66.67 %.
        let d = leave_out_delta(Metric::Csat, &v).unwrap();
        assert!((d - (50.0 - 200.0 / 3.0)).abs() < 1e-9, "{d}");
        // No response voices it, or all do: no delta.
        assert_eq!(leave_out_delta(Metric::Stars, &[(5.0, false)]), None);
        assert_eq!(leave_out_delta(Metric::Stars, &[(5.0, true)]), None);
    }

    #[test]
    fn bootstrap_is_deterministic_and_brackets_the_estimate() {
        // 40 reviews: the 10 voicing the theme give 1 ★, the rest 4 or 5 ★.
        let v: Vec<(f64, bool)> = (0..40)
            .map(|i| {
                if i < 10 {
                    (1.0, true)
                } else {
                    (if i % 2 == 0 { 4.0 } else { 5.0 }, false)
                }
            })
            .collect();
        let d = leave_out_delta(Metric::Stars, &v).unwrap();
        // All: (10 + 15×4 + 15×5)/40 = 145/40 = 3.625; without: 4.5.
        assert!((d + 0.875).abs() < 1e-12, "{d}");
        let a = bootstrap(Metric::Stars, &v, 1000, 7).unwrap();
        let b = bootstrap(Metric::Stars, &v, 1000, 7).unwrap();
        assert_eq!(a, b);
        assert!(a.0 < d && d < a.1, "{a:?} around {d}");
        // Clearly negative: the whole interval is below zero.
        assert!(a.1 < 0.0, "{a:?}");
        // A different seed moves the interval only a little.
        let c = bootstrap(Metric::Stars, &v, 1000, 8).unwrap();
        assert_ne!(a, c);
        assert!((a.0 - c.0).abs() < 0.15 && (a.1 - c.1).abs() < 0.15);
    }

    #[test]
    fn a_theme_with_no_effect_has_a_zero_interval() {
        // Everyone gives 4 ★: removing anyone changes nothing.
        let v: Vec<(f64, bool)> = (0..20).map(|i| (4.0, i % 4 == 0)).collect();
        assert_eq!(leave_out_delta(Metric::Stars, &v), Some(0.0));
        assert_eq!(bootstrap(Metric::Stars, &v, 200, 1), Some((0.0, 0.0)));
    }
}
