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
    "friend",
    "friends",
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

/// Wording that looks like hearing but is the customer telling others
/// (referrals): left out of *hears*.
pub const HEAR_NOT: &[&str] = &[
    "referral*",
    "referred",
    "refer a friend",
    "told a friend",
    "told my",
];

/// Whether a text carries one of `cues` and none of `not`.
pub fn matches(text: &str, cues: &[&'static str], not: &[&'static str]) -> bool {
    cue_in(text, cues).is_some() && cue_in(text, not).is_none()
}

/// Up to three lines for one outer quadrant: the segment's snippets carrying
/// one of `cues`, strongest feeling first, one per person. `count` on each
/// line is the number of the segment's snippets that match.
pub fn lines(
    snips: &[&TaggedSnippet],
    cues: &[&'static str],
    not: &[&'static str],
) -> Vec<MapLine> {
    let pool: Vec<&TaggedSnippet> = snips
        .iter()
        .copied()
        .filter(|t| matches(&t.snippet.text, cues, not))
        .collect();
    let count = pool.len();
    pick(pool, 3, |t| {
        t.tags.sentiment.score.abs() + 0.5 * (!t.themes.is_empty()) as u8 as f64
    })
    .into_iter()
    .map(|quote| MapLine {
        theme: String::new(),
        count,
        quote,
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hearing_is_told_apart_from_referring() {
        let hears = |t: &str| matches(t, HEAR_CUES, HEAR_NOT);
        assert!(hears(
            "A friend of mine kept showing me how fast she sends invoices."
        ));
        assert!(hears(
            "Someone in my freelancers Slack recommended Ledgerly."
        ));
        assert!(hears(
            "I had to find out about the price increase from a Reddit thread."
        ));
        assert!(!hears(
            "Used my referral link to get a friend a free month, we both win"
        ));
        assert!(!hears("The export is broken again."));
        // "friendly" is not a friend.
        assert!(hears("my friends use it") && !hears("the UI is friendly"));
    }

    #[test]
    fn seeing_needs_wording_about_something_in_view() {
        let sees = |t: &str| matches(t, SEE_CUES, &[]);
        assert!(sees(
            "The pricing page is confusing, I can't tell which plan has bank sync."
        ));
        assert!(sees("I compared three other apps before picking this one."));
        assert!(!sees("Support fixed it in ten minutes."));
    }
}
