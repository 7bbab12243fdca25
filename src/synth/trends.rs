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
                if t.tags.themes.iter().any(|x| &x.value == id) {
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
