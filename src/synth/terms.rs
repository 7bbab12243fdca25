//! Distinctive terms in pain snippets that no codebook theme covers: those
//! snippets and all customer voice in, terms out. A term must be used by three
//! or more people and be at least twice as common in unthemed pain as in
//! customer voice overall (lift ≥ 2, the class-based TF-IDF idea), so the
//! product's own name and everyday words drop out. Ranked by
//! people × ln(lift). A prompt for researchers to extend the codebook, not a
//! theme of its own.

use super::quotes::{pick, Quote};
use super::{person, Term};
use crate::classify::cues::{tokenize, TokKind};
use crate::model::TaggedSnippet;
use std::collections::{BTreeMap, BTreeSet};

pub(super) const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "can't",
    "could",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "don't",
    "even",
    "every",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "just",
    "like",
    "me",
    "more",
    "my",
    "no",
    "not",
    "now",
    "of",
    "on",
    "one",
    "only",
    "or",
    "our",
    "out",
    "over",
    "really",
    "same",
    "she",
    "so",
    "some",
    "still",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "up",
    "us",
    "very",
    "was",
    "wasn't",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "won't",
    "would",
    "you",
    "your",
    "yes",
    "yeah",
    "um",
    "uh",
    "oh",
    "ok",
    "okay",
    "know",
    "think",
    "thing",
    "things",
    "way",
    "much",
    "many",
    "well",
    "going",
    "go",
    "make",
    "made",
    "want",
    "need",
    "use",
    "using",
    "used",
    "time",
    "day",
    "days",
    "week",
    "back",
    "another",
    "other",
    "something",
    "anything",
    "nothing",
    "everything",
    "someone",
    "anyone",
    "lot",
    "bit",
    "kind",
    "sort",
    "pretty",
    "actually",
    "literally",
    "basically",
    "though",
    "since",
    "until",
    "never",
    "ever",
    "always",
    "it'll",
    "i'd",
    "you're",
    "we're",
    "they're",
    "there's",
    "what's",
    "let",
    "see",
    "say",
    "said",
    "tell",
    "told",
    "try",
    "tried",
    "hi",
    "hello",
    "thanks",
    "thank",
    "please",
    "team",
    "guys",
    "email",
    "phone",
    "card",
];

/// Minimum lift over the background for a term to be shown.
const MIN_LIFT: f64 = 2.0;
/// Minimum people using a term.
const MIN_PEOPLE: usize = 3;

pub(super) fn terms_of(text: &str, stop: &BTreeSet<&str>) -> BTreeSet<String> {
    let words: Vec<String> = tokenize(text)
        .into_iter()
        .filter(|w| w.kind == TokKind::Word)
        .map(|w| w.text)
        .filter(|w| {
            w.len() > 2 && !stop.contains(w.as_str()) && !w.chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    let mut terms: BTreeSet<String> = words.iter().cloned().collect();
    for pair in words.windows(2) {
        terms.insert(format!("{} {}", pair[0], pair[1]));
    }
    terms
}

pub(super) fn distinctive_terms(
    snippets: &[&TaggedSnippet],
    background: &[&TaggedSnippet],
    n: usize,
) -> Vec<Term> {
    let stop: BTreeSet<&str> = STOPWORDS.iter().copied().collect();
    let mut bg_df: BTreeMap<String, usize> = BTreeMap::new();
    for t in background {
        for term in terms_of(&t.snippet.text, &stop) {
            *bg_df.entry(term).or_default() += 1;
        }
    }
    let mut people: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut where_: BTreeMap<String, Vec<&TaggedSnippet>> = BTreeMap::new();
    for t in snippets {
        for term in terms_of(&t.snippet.text, &stop) {
            people.entry(term.clone()).or_default().insert(person(t));
            where_.entry(term).or_default().push(t);
        }
    }
    let (n_fg, n_bg) = (snippets.len().max(1) as f64, background.len().max(1) as f64);
    let mut ranked: Vec<(String, usize, f64)> = people
        .into_iter()
        .map(|(term, p)| {
            let fg = where_[&term].len() as f64 / n_fg;
            let bg = bg_df.get(&term).copied().unwrap_or(0).max(1) as f64 / n_bg;
            let reach = p.len();
            (term, reach, fg / bg)
        })
        .filter(|(_, p, lift)| *p >= MIN_PEOPLE && *lift >= MIN_LIFT)
        .collect();
    // By people × ln(lift); bigrams first at a tie, they read better.
    let key = |r: &(String, usize, f64)| r.1 as f64 * r.2.ln();
    ranked.sort_by(|a, b| {
        key(b)
            .total_cmp(&key(a))
            .then(b.0.contains(' ').cmp(&a.0.contains(' ')))
            .then(a.0.cmp(&b.0))
    });
    let mut out: Vec<Term> = Vec::new();
    for (term, reach, _) in ranked {
        if out.len() >= n {
            break;
        }
        // Skip a word already shown inside a bigram, and vice versa.
        if out
            .iter()
            .any(|t| t.term.split(' ').any(|w| term.split(' ').any(|x| x == w)))
        {
            continue;
        }
        let snips = &where_[&term];
        let example: Option<Quote> = pick(snips.iter().copied(), 1, |t| -t.tags.sentiment.score)
            .into_iter()
            .next();
        if let Some(example) = example {
            out.push(Term {
                term,
                people: reach,
                snippets: snips.len(),
                example,
            });
        }
    }
    out
}
