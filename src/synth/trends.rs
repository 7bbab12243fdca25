//! Trends over time: dated customer-voice snippets and the top themes in,
//! per calendar month the people who spoke and how many of them voiced each
//! theme as a pain out. Nothing when the dates cover fewer than
//! [`MIN_PERIODS`] months.

use super::person;
use crate::model::TaggedSnippet;
use chrono::Datelike;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A trend needs at least this many months with data.
pub const MIN_PERIODS: usize = 3;

/// One calendar month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// `YYYY-MM`.
    pub month: String,
    /// People with a dated customer-voice snippet this month.
    pub people: usize,
    /// Per theme (in [`Trend::themes`] order): people voicing it as a pain.
    pub voicing: Vec<usize>,
}

/// Monthly counts for the top themes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// (theme id, label), in rank order.
    pub themes: Vec<(String, String)>,
    /// Every month from the first to the last dated one, empty ones included.
    pub periods: Vec<Period>,
    /// Customer-voice snippets without a date (left out).
    pub undated: usize,
}

fn month_index(year: i32, month: u32) -> i64 {
    year as i64 * 12 + month as i64 - 1
}

/// The monthly trend of `themes` (id, label), or `None` when fewer than
/// [`MIN_PERIODS`] months have dated snippets.
pub fn monthly(voice: &[&TaggedSnippet], themes: &[(String, String)]) -> Option<Trend> {
    let mut people: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    let mut voicing: BTreeMap<(i64, &str), BTreeSet<String>> = BTreeMap::new();
    let mut undated = 0;
    for t in voice {
        let Some(d) = t.snippet.date else {
            undated += 1;
            continue;
        };
        let m = month_index(d.year(), d.month());
        people.entry(m).or_default().insert(person(t));
        if t.tags.pain {
            for (id, _) in themes {
                if t.themes.iter().any(|x| &x.value == id) {
                    voicing
                        .entry((m, id.as_str()))
                        .or_default()
                        .insert(person(t));
                }
            }
        }
    }
    if people.len() < MIN_PERIODS {
        return None;
    }
    let (first, last) = (*people.keys().next()?, *people.keys().next_back()?);
    let periods = (first..=last)
        .map(|m| Period {
            month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
            people: people.get(&m).map_or(0, BTreeSet::len),
            voicing: themes
                .iter()
                .map(|(id, _)| voicing.get(&(m, id.as_str())).map_or(0, BTreeSet::len))
                .collect(),
        })
        .collect();
    Some(Trend {
        themes: themes.to_vec(),
        periods,
        undated,
    })
}

/// One theme's share in the most recent months against the months before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub label: String,
    /// First and last month of each window.
    pub recent_months: (String, String),
    pub earlier_months: (String, String),
    /// (people voicing it, people who spoke), summed over the window's
    /// months (person-months).
    pub recent: (usize, usize),
    pub earlier: (usize, usize),
    /// Recent share − earlier share, and its Newcombe 95 % interval.
    pub delta: f64,
    pub ci: (f64, f64),
}

/// Newcombe's hybrid score interval (method 10) for the difference of two
/// proportions `k1/n1 − k2/n2`, built from their Wilson intervals.
pub fn newcombe(k1: usize, n1: usize, k2: usize, n2: usize) -> (f64, f64) {
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let (l1, u1) = super::stats::wilson(k1, n1);
    let (l2, u2) = super::stats::wilson(k2, n2);
    let d = p1 - p2;
    (
        d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
        d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
    )
}

/// Per theme: the last `window` months with data against the `window`
/// before them (fewer when the data has fewer than twice as many months).
pub fn changes(t: &Trend, window: usize) -> Vec<Change> {
    let with_data: Vec<&Period> = t.periods.iter().filter(|p| p.people > 0).collect();
    let w = window.min(with_data.len() / 2);
    if w == 0 {
        return Vec::new();
    }
    let recent = &with_data[with_data.len() - w..];
    let earlier = &with_data[with_data.len() - 2 * w..with_data.len() - w];
    let span = |ps: &[&Period]| (ps[0].month.clone(), ps[ps.len() - 1].month.clone());
    let people = |ps: &[&Period]| ps.iter().map(|p| p.people).sum::<usize>();
    t.themes
        .iter()
        .enumerate()
        .map(|(i, (_, label))| {
            let k1: usize = recent.iter().map(|p| p.voicing[i]).sum();
            let k2: usize = earlier.iter().map(|p| p.voicing[i]).sum();
            let (n1, n2) = (people(recent), people(earlier));
            Change {
                label: label.clone(),
                recent_months: span(recent),
                earlier_months: span(earlier),
                recent: (k1, n1),
                earlier: (k2, n2),
                delta: k1 as f64 / n1 as f64 - k2 as f64 / n2 as f64,
                ci: newcombe(k1, n1, k2, n2),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newcombe_matches_the_published_example() {
        // Newcombe (1998), Table II example (b): 56/70 − 48/80 = 0.200,
        // method 10 interval 0.0524 to 0.3339.
        let (lo, hi) = newcombe(56, 70, 48, 80);
        assert!((lo - 0.0524).abs() < 0.0005, "{lo}");
        assert!((hi - 0.3339).abs() < 0.0005, "{hi}");
    }

    fn period(month: &str, people: usize, voicing: usize) -> Period {
        Period {
            month: month.into(),
            people,
            voicing: vec![voicing],
        }
    }

    #[test]
    fn recent_months_are_compared_with_the_months_before() {
        let t = Trend {
            themes: vec![("billing".into(), "Billing".into())],
            periods: vec![
                period("2026-01", 10, 1),
                period("2026-02", 0, 0),
                period("2026-03", 10, 2),
                period("2026-04", 20, 8),
                period("2026-05", 20, 6),
            ],
            undated: 0,
        };
        // Four months with data, window 3 → 2: (04, 05) against (01, 03).
        let c = &changes(&t, 3)[0];
        assert_eq!(c.recent, (14, 40));
        assert_eq!(c.earlier, (3, 20));
        assert_eq!(c.recent_months, ("2026-04".into(), "2026-05".into()));
        assert_eq!(c.earlier_months, ("2026-01".into(), "2026-03".into()));
        assert!((c.delta - (0.35 - 0.15)).abs() < 1e-12);
        assert!(c.ci.0 < c.delta && c.delta < c.ci.1);
        // One month of data: nothing to compare.
        let one = Trend {
            periods: vec![period("2026-01", 5, 1)],
            ..t
        };
        assert!(changes(&one, 3).is_empty());
    }
}
