//! Lexicon sentiment: tokens in, a [`Sentiment`] (score in [-1, 1], label,
//! confidence, evidence) out.
//!
//! Phrases are matched first (leftmost-longest), then words and emoji. Each
//! hit is shaped by the three tokens before it in the same clause (boosters,
//! negators), by capitals, by a contrast word ("love it but…": the clause
//! after the contrast weighs 1.5×, the one before 0.5×), by sarcasm ("great,
//! another outage": a positive opener followed by a negative event turns
//! negative), by `!` and by questions (a question without strong cues is an
//! ask, not a feeling). The sum is squashed into [-1, 1] with
//! `s / sqrt(s² + 15)`.

use super::cues::{tokenize, CueSet, TokKind, Token};
use crate::error::{Error, Result};
use crate::model::{Polarity, Sentiment};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The sentiment lexicon shipped with cairn.
pub const DEFAULT_LEXICON: &str = include_str!("../../../models/lexicon.toml");

/// Scores at or above this are positive, at or below its negative negative.
pub const LABEL_THRESHOLD: f64 = 0.2;
const NEGATION: f64 = -0.7;
const CAPS_BOOST: f64 = 0.7;
const EXCLAMATION: f64 = 0.25;
const SQUASH: f64 = 15.0;

#[derive(Debug, Deserialize)]
struct WordList {
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SarcasmFile {
    #[serde(default)]
    openers: Vec<String>,
    #[serde(default)]
    markers: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct NeutralFile {
    #[serde(default)]
    question_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct LexiconFile {
    words: BTreeMap<String, f64>,
    phrases: BTreeMap<String, f64>,
    negators: WordList,
    boosters: BTreeMap<String, f64>,
    contrast: WordList,
    sarcasm: SarcasmFile,
    emoji: BTreeMap<String, f64>,
    neutral: NeutralFile,
}

/// A compiled sentiment lexicon.
#[derive(Debug, Clone)]
pub struct SentimentLexicon {
    words: HashMap<String, f64>,
    phrases: CueSet<f64>,
    boosters: CueSet<f64>,
    negators: HashSet<String>,
    contrast: HashSet<String>,
    openers: CueSet<()>,
    markers: CueSet<()>,
    question_words: HashSet<String>,
}

#[derive(Debug, Clone)]
struct Hit {
    pos: usize,
    end: usize,
    valence: f64,
    cue: String,
    notes: Vec<&'static str>,
}

impl SentimentLexicon {
    pub fn embedded() -> SentimentLexicon {
        SentimentLexicon::parse(DEFAULT_LEXICON, Path::new("<embedded>"))
            .expect("the embedded lexicon is valid (tested)")
    }

    pub fn parse(text: &str, origin: &Path) -> Result<SentimentLexicon> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| Error::Codebook {
            path: origin.to_path_buf(),
            reason: format!("lexicon: {e}"),
        })?;
        let mut phrases = CueSet::default();
        for (p, v) in &file.phrases {
            phrases.add(p, *v);
        }
        let mut words = HashMap::new();
        for (w, v) in &file.words {
            let toks = tokenize(w);
            if toks.len() == 1 {
                words.insert(toks[0].text.clone(), *v);
            } else if !toks.is_empty() {
                phrases.add(w, *v);
            }
        }
        for (e, v) in &file.emoji {
            let e = e.replace('\u{fe0f}', "");
            let toks = tokenize(&e);
            if toks.len() == 1 {
                words.insert(toks[0].text.clone(), *v);
            }
        }
        let mut boosters = CueSet::default();
        for (b, v) in &file.boosters {
            boosters.add(b, *v);
        }
        let mut openers = CueSet::default();
        for o in &file.sarcasm.openers {
            openers.add(o, ());
        }
        let mut markers = CueSet::default();
        for m in &file.sarcasm.markers {
            let m = m.replace('\u{fe0f}', "");
            if tokenize(&m).is_empty() {
                continue;
            }
            markers.add(&m, ());
        }
        let lower = |v: &Vec<String>| {
            v.iter()
                .map(|w| w.to_lowercase().replace('’', "'"))
                .collect()
        };
        Ok(SentimentLexicon {
            words,
            phrases,
            boosters,
            negators: lower(&file.negators.words),
            contrast: lower(&file.contrast.words),
            openers,
            markers,
            question_words: lower(&file.neutral.question_words),
        })
    }

    /// Valence of a single word or emoji, if listed.
    /// The words whose valence is at least `min` either way.
    pub fn strong_words(&self, min: f64) -> std::collections::BTreeSet<String> {
        self.words
            .iter()
            .filter(|(_, v)| v.abs() >= min)
            .map(|(w, _)| w.clone())
            .collect()
    }

    pub fn word(&self, w: &str) -> Option<f64> {
        self.words.get(w).copied()
    }

    /// Score a piece of text.
    pub fn score(&self, text: &str) -> Sentiment {
        let toks = tokenize(text);
        let spans = sentence_spans(&toks);
        let mut hits = self.hits(&toks);
        self.apply_modifiers(&toks, &mut hits);
        self.apply_contrast(&toks, &spans, &mut hits);
        self.apply_past_praise(&toks, &mut hits);
        self.apply_sarcasm(&toks, &mut hits);

        let question = self.damp_questions(&toks, &spans, &mut hits);
        let mut sum: f64 = hits.iter().map(|h| h.valence).sum();
        let bangs = toks.iter().filter(|t| t.text == "!").count().min(3) as f64;
        if sum != 0.0 {
            sum += sum.signum() * EXCLAMATION * bangs;
        }
        let score = sum / (sum * sum + SQUASH).sqrt();
        let label = if score >= LABEL_THRESHOLD {
            Polarity::Positive
        } else if score <= -LABEL_THRESHOLD {
            Polarity::Negative
        } else {
            Polarity::Neutral
        };
        let confidence = match label {
            Polarity::Neutral if hits.is_empty() => 0.6,
            Polarity::Neutral => 0.5 - 0.5 * (score.abs() / LABEL_THRESHOLD).min(1.0) * 0.5,
            _ => (0.5 + score.abs() / 2.0).min(0.95),
        };
        Sentiment {
            score: round3(score),
            label,
            confidence: round3(confidence),
            evidence: evidence(&hits, question),
        }
    }

    fn hits(&self, toks: &[Token]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut used = vec![false; toks.len()];
        for m in self.phrases.find_longest(toks) {
            for u in &mut used[m.start..m.start + m.len] {
                *u = true;
            }
            hits.push(Hit {
                pos: m.start,
                end: m.start + m.len,
                valence: *self.phrases.payload(m.cue),
                cue: self.phrases.text(m.cue).to_string(),
                notes: Vec::new(),
            });
        }
        for (i, t) in toks.iter().enumerate() {
            if used[i] || t.kind == TokKind::Punct {
                continue;
            }
            let Some(v) = self.words.get(&t.text) else {
                continue;
            };
            if t.text == "like" && !likes_as_verb(toks, i) {
                continue;
            }
            hits.push(Hit {
                pos: i,
                end: i + 1,
                valence: *v,
                cue: t.text.clone(),
                notes: Vec::new(),
            });
        }
        hits.sort_by_key(|h| h.pos);
        hits
    }

    /// Boosters and negators in the three words before a hit (same clause),
    /// and capitals.
    fn apply_modifiers(&self, toks: &[Token], hits: &mut [Hit]) {
        let boosts = self.boosters.find_longest(toks);
        let mostly_caps = {
            let words: Vec<&Token> = toks.iter().filter(|t| t.kind == TokKind::Word).collect();
            !words.is_empty() && words.iter().filter(|t| t.caps).count() * 2 > words.len()
        };
        for h in hits.iter_mut() {
            let mut scope_start = h.pos;
            let mut n = 0;
            while scope_start > 0 && n < 3 {
                let t = &toks[scope_start - 1];
                if t.kind == TokKind::Punct || self.contrast.contains(&t.text) {
                    break;
                }
                scope_start -= 1;
                if t.kind == TokKind::Word {
                    n += 1;
                }
            }
            for b in &boosts {
                if b.start >= scope_start && b.start + b.len <= h.pos {
                    let dist = (h.pos - (b.start + b.len)) as f64;
                    let factor = 1.0 + self.boosters.payload(b.cue) * (1.0 - 0.05 * dist);
                    h.valence *= factor;
                    h.notes.push("boosted");
                }
            }
            // An emoji says how the writer feels whatever precedes it:
            // "not again 🤬" is angry, not the opposite of angry.
            let emoji = toks[h.pos..h.end].iter().all(|t| t.kind == TokKind::Emoji);
            let negated = !emoji
                && toks[scope_start..h.pos]
                    .iter()
                    .any(|t| self.negators.contains(&t.text) || t.text.ends_with("n't"));
            if negated {
                h.valence *= NEGATION;
                h.notes.push("negated");
            }
            if !mostly_caps && toks[h.pos..h.end].iter().any(|t| t.caps) {
                h.valence += h.valence.signum() * CAPS_BOOST;
                h.notes.push("caps");
            }
        }
    }

    /// "X but Y": Y counts 1.5×, X 0.5×. "Although X, Y": same, split at the
    /// comma. Applied within each sentence: a "but" in the last sentence of a
    /// review says nothing about its first sentence.
    fn apply_contrast(&self, toks: &[Token], spans: &[(usize, usize)], hits: &mut [Hit]) {
        for &(from, to) in spans {
            let sentence = &toks[from..to];
            let Some(k) = sentence
                .iter()
                .rposition(|t| t.kind == TokKind::Word && self.contrast.contains(&t.text))
            else {
                continue;
            };
            let first_word = sentence.iter().position(|t| t.kind == TokKind::Word);
            let split = if Some(k) == first_word {
                // Subordinate clause first: split at the first comma after it.
                match sentence[k..].iter().position(|t| t.text == ",") {
                    Some(c) => from + k + c,
                    None => continue,
                }
            } else {
                from + k
            };
            for h in hits.iter_mut().filter(|h| h.pos >= from && h.pos < to) {
                if h.pos < split {
                    h.valence *= 0.5;
                    h.notes.push("before contrast");
                } else {
                    h.valence *= 1.5;
                    h.notes.push("after contrast");
                }
            }
        }
    }

    /// "It used to be great", "I once loved it": praise of the past is a
    /// complaint about the present.
    fn apply_past_praise(&self, toks: &[Token], hits: &mut [Hit]) {
        for h in hits.iter_mut().filter(|h| h.valence > 0.0) {
            let start = h.pos.saturating_sub(4);
            let window = &toks[start..h.pos];
            if window.iter().any(|t| t.kind == TokKind::Punct) {
                continue;
            }
            let texts: Vec<&str> = window.iter().map(|t| t.text.as_str()).collect();
            let past = texts.windows(2).any(|w| w == ["used", "to"])
                || texts
                    .iter()
                    .any(|t| matches!(*t, "once" | "formerly" | "previously"));
            if past {
                h.valence *= -0.5;
                h.notes.push("past praise");
            }
        }
    }

    /// "Great, another outage": a positive opener in the first four words,
    /// followed by a sarcasm marker ("another", "again", "still", 🙃) or by a
    /// clearly negative event after a clause break, turns negative.
    fn apply_sarcasm(&self, toks: &[Token], hits: &mut Vec<Hit>) {
        let words: Vec<usize> = toks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind != TokKind::Punct)
            .map(|(i, _)| i)
            .collect();
        let Some(&limit) = words.get(3).or(words.last()) else {
            return;
        };
        let Some(opener) = self
            .openers
            .find_longest(toks)
            .into_iter()
            .find(|m| m.start <= limit)
        else {
            return;
        };
        let after = opener.start + opener.len;
        let marker = self.markers.find_all(toks).iter().any(|m| m.start >= after)
            || toks[after..]
                .iter()
                .any(|t| t.text == "🙃" || t.text == "🙄");
        let clause_break = toks.get(after).is_some_and(|t| t.kind == TokKind::Punct);
        let bad_news = hits.iter().any(|h| h.pos >= after && h.valence <= -1.5);
        if !(marker || (clause_break && bad_news)) {
            return;
        }
        let mut flipped = false;
        for h in hits.iter_mut() {
            if h.pos >= opener.start && h.pos < after && h.valence > 0.0 {
                h.valence = -h.valence * 0.8;
                h.notes.push("sarcasm");
                flipped = true;
            }
        }
        if !flipped && marker {
            hits.push(Hit {
                pos: opener.start,
                end: after,
                valence: -1.5,
                cue: self.openers.text(opener.cue).to_string(),
                notes: vec!["sarcasm"],
            });
            hits.sort_by_key(|h| h.pos);
        }
    }

    /// "Is the Pro plan good for teams?" asks; it does not judge: the cues
    /// of a question sentence count 0.3 unless they are strong (sum over
    /// 2.5). Per sentence, so the "Can you help me?" that closes a ticket
    /// does not soften the complaint before it. True if any sentence asks.
    fn damp_questions(&self, toks: &[Token], spans: &[(usize, usize)], hits: &mut [Hit]) -> bool {
        let mut asked = false;
        for &(a, b) in spans {
            if !self.is_question(&toks[a..b]) {
                continue;
            }
            asked = true;
            let inside = |h: &Hit| (a..b).contains(&h.pos);
            let sum: f64 = hits.iter().filter(|h| inside(h)).map(|h| h.valence).sum();
            if sum.abs() <= 2.5 {
                for h in hits.iter_mut().filter(|h| inside(h)) {
                    h.valence *= 0.3;
                }
            }
        }
        asked
    }

    /// A question: a `?`, or a question word followed by a pronoun, article
    /// or auxiliary ("how do I export", not "do not buy").
    fn is_question(&self, toks: &[Token]) -> bool {
        const SECOND: &[&str] = &[
            "i", "you", "it", "we", "they", "the", "this", "that", "there", "a", "an", "my",
            "your", "he", "she", "anyone", "someone", "do", "does", "is", "are", "can", "i'm",
        ];
        if toks.iter().any(|t| t.text == "?") {
            return true;
        }
        let mut words = toks.iter().filter(|t| t.kind == TokKind::Word);
        match (words.next(), words.next()) {
            (Some(a), Some(b)) => {
                self.question_words.contains(&a.text) && SECOND.contains(&b.text.as_str())
            }
            _ => false,
        }
    }
}

/// Token ranges of the sentences in `toks` (split after `.`, `!`, `?`).
fn sentence_spans(toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if t.kind == TokKind::Punct && matches!(t.text.as_str(), "." | "!" | "?" | "…") {
            let next_is_end = toks.get(i + 1).is_some_and(|n| {
                n.kind == TokKind::Punct && matches!(n.text.as_str(), "." | "!" | "?")
            });
            if !next_is_end {
                out.push((start, i + 1));
                start = i + 1;
            }
        }
    }
    if start < toks.len() {
        out.push((start, toks.len()));
    }
    out
}

/// "like" is a sentiment verb in "I like it", not in "looks like" or "like a".
fn likes_as_verb(toks: &[Token], i: usize) -> bool {
    const BEFORE: &[&str] = &[
        "feel",
        "feels",
        "felt",
        "look",
        "looks",
        "looked",
        "seem",
        "seems",
        "seemed",
        "just",
        "is",
        "was",
        "it's",
        "something",
        "anything",
        "stuff",
        "things",
        "more",
        "much",
        "sounds",
        "sounded",
        "be",
        "been",
        "would",
        "i'd",
        "not",
    ];
    const AFTER: &[&str] = &[
        "a", "an", "the", "this", "that", "when", "how", "what", "to", "i", "you",
    ];
    let prev = i.checked_sub(1).map(|p| toks[p].text.as_str());
    let next = toks.get(i + 1).map(|t| t.text.as_str());
    !(prev.is_some_and(|p| BEFORE.contains(&p)) || next.is_some_and(|n| AFTER.contains(&n)))
        || prev.is_some_and(|p| matches!(p, "i" | "we" | "really" | "don't" | "dont" | "didn't"))
}

fn evidence(hits: &[Hit], question: bool) -> String {
    let mut sorted: Vec<&Hit> = hits.iter().filter(|h| h.valence != 0.0).collect();
    sorted.sort_by(|a, b| {
        b.valence
            .abs()
            .total_cmp(&a.valence.abs())
            .then(a.pos.cmp(&b.pos))
    });
    let mut parts: Vec<String> = sorted
        .iter()
        .take(4)
        .map(|h| {
            let notes = if h.notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", h.notes.join(", "))
            };
            format!("\"{}\" {:+.1}{}", h.cue, h.valence, notes)
        })
        .collect();
    if question {
        parts.push("question".into());
    }
    if parts.is_empty() {
        "no sentiment cue".into()
    } else {
        parts.join("; ")
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
