//! The outer quadrants of Dave Gray's Empathy Map Canvas, which the
//! codebook's says / thinks / does / feels tags do not cover: what a
//! segment **sees** (the market, competitors, screens and prices in front of
//! them) and what it **hears** (friends, colleagues, accountants, reviews).
//! A segment's snippets in, lines backed by cited quotes out.

use super::accounts::cue_in;
use super::quotes::pick;
use super::MapLine;
use crate::model::TaggedSnippet;

/// Wording that reports something seen: compared apps, prices, screens.
pub const SEE_CUES: &[&str] = &[
    "i see",
    "i saw",
    "i've seen",
    "noticed",
    "i notice",
    "looked at",
    "looking at",
    "compared",
    "comparing",
    "compare",
    "other apps",
    "other tools",
    "alternatives",
    "competitor*",
    "pricing page",
    "your website",
    "the website",
    "the dashboard",
    "on screen",
    "the screen",
    "ads",
];

/// Wording that reports something heard from others.
pub const HEAR_CUES: &[&str] = &[
    "heard",
    "told me",
    "tells me",
    "friend*",
    "colleague*",
    "my accountant said",
    "my accountant says",
    "accountant told",
    "accountant recommended",
    "recommended",
    "recommended it",
    "word of mouth",
    "people say",
    "everyone says",
    "reviews say",
    "read reviews",
    "reddit",
    "podcast",
    "a post",
    "youtube",
    "my partner",
    "my boss",
];

/// Up to three lines for one outer quadrant: the segment's snippets carrying
/// one of `cues`, strongest feeling first, one per person. `count` on each
/// line is the number of the segment's snippets that match.
pub fn lines(snips: &[&TaggedSnippet], cues: &[&'static str]) -> Vec<MapLine> {
    let pool: Vec<&TaggedSnippet> = snips
        .iter()
        .copied()
        .filter(|t| cue_in(&t.snippet.text, cues).is_some())
        .collect();
    let count = pool.len();
    pick(pool, 3, |t| {
        t.tags.sentiment.score.abs() + 0.5 * (!t.tags.themes.is_empty()) as u8 as f64
    })
    .into_iter()
    .map(|quote| MapLine {
        theme: String::new(),
        count,
        quote,
    })
    .collect()
}
