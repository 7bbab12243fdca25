//! The lexicon engine: a [`Snippet`] in, [`Tags`] out, from the codebook's
//! cue phrases and the sentiment lexicon. Deterministic and explainable:
//! every tag names the cue or rule that produced it.

use super::calibration::Calibration;
use super::codebook::{Codebook, Entry};
use super::cues::{tokenize, CueSet, TokKind, Token};
use super::message::messages;
use super::sentiment::SentimentLexicon;
use super::Classifier;
use crate::model::{Polarity, Sentiment, Snippet, Tag, Tags};
use rayon::prelude::*;

/// Cues compiled per codebook section; payload = entry index.
#[derive(Debug, Clone)]
struct Section {
    ids: Vec<String>,
    cues: CueSet<usize>,
}

impl Section {
    fn new(entries: &[Entry]) -> Section {
        let mut cues = CueSet::default();
        for (i, e) in entries.iter().enumerate() {
            for c in &e.cues {
                cues.add(c, i);
            }
        }
        Section {
            ids: entries.iter().map(|e| e.id.clone()).collect(),
            cues,
        }
    }

    /// Score per entry: each distinct cue that matches adds its word count
    /// (a prefix cue of one word adds 0.8). Returns (score, best cue) per entry.
    fn score(&self, toks: &[Token]) -> Vec<(f64, Option<usize>)> {
        let mut out = vec![(0.0, None::<usize>); self.ids.len()];
        let mut seen = Vec::new();
        for m in self.cues.find_all(toks) {
            if seen.contains(&m.cue) {
                continue;
            }
            seen.push(m.cue);
            let entry = *self.cues.payload(m.cue);
            let text = self.cues.text(m.cue);
            let w = if m.len == 1 && text.ends_with('*') {
                0.8
            } else {
                m.len as f64
            };
            let slot = &mut out[entry];
            slot.0 += w;
            let better = match slot.1 {
                None => true,
                Some(b) => self.cues.words(m.cue) > self.cues.words(b),
            };
            if better {
                slot.1 = Some(m.cue);
            }
        }
        out
    }

    fn best(&self, scores: &[(f64, Option<usize>)]) -> Option<(usize, f64, f64)> {
        let mut order: Vec<usize> = (0..scores.len()).filter(|&i| scores[i].0 > 0.0).collect();
        order.sort_by(|&a, &b| scores[b].0.total_cmp(&scores[a].0).then(a.cmp(&b)));
        let first = *order.first()?;
        let second = order.get(1).map_or(0.0, |&i| scores[i].0);
        Some((first, scores[first].0, second))
    }

    fn cue_text(&self, cue: Option<usize>) -> &str {
        cue.map_or("", |c| self.cues.text(c))
    }
}

/// A neutral snippet with a problem cue and at most this score becomes a
/// negative problem report …
const PROBLEM_MAX_SCORE: f64 = 0.1;
/// … with this score (mildly negative).
const PROBLEM_SCORE: f64 = -0.3;

/// Words that may open a clause before its subject or verb: fillers,
/// greetings and time adverbs ("um, so I exported…", "finally ditched…").
const CLAUSE_OPENERS: &[&str] = &[
    "um",
    "uh",
    "so",
    "well",
    "and",
    "but",
    "like",
    "ok",
    "okay",
    "yeah",
    "yes",
    "hey",
    "hi",
    "hello",
    "update",
    "edit",
    "also",
    "then",
    "honestly",
    "basically",
    "just",
    "finally",
    "already",
    "eventually",
    "actually",
    "recently",
    "today",
    "yesterday",
    "anyway",
    "first",
    "once",
    "even",
    "still",
    "never",
    "always",
    "usually",
    "immediately",
    "literally",
];

/// The writer as subject.
const WRITER: &[&str] = &["i", "we", "i've", "we've", "i'd", "we'd"];

/// Past forms of action verbs that do not end in -ed.
const IRREGULAR_ACTIONS: &[&str] = &[
    "went", "made", "sent", "got", "took", "paid", "bought", "gave", "put", "left", "kept",
    "spent", "found", "ran", "drove", "wrote", "rang", "did", "brought", "sold", "built",
    "rebuilt", "redid", "chose", "came", "flew", "ate", "drank", "threw", "broke", "set",
];

/// -ed words that are states, feelings, thoughts or things done to the
/// writer, not the writer's actions.
const NOT_ACTIONS: &[&str] = &[
    "needed",
    "wanted",
    "tired",
    "interested",
    "excited",
    "confused",
    "annoyed",
    "frustrated",
    "worried",
    "surprised",
    "pleased",
    "satisfied",
    "disappointed",
    "impressed",
    "amazed",
    "shocked",
    "scared",
    "bored",
    "based",
    "charged",
    "billed",
    "expected",
    "assumed",
    "hoped",
    "wondered",
    "liked",
    "loved",
    "hated",
    "enjoyed",
    "preferred",
    "believed",
    "figured",
    "guessed",
    "seemed",
    "noticed",
    "realized",
    "realised",
    "learned",
    "supposed",
    "concerned",
    "involved",
    "limited",
    "located",
    "required",
    "delivered",
    "shipped",
    "received",
    "packaged",
    "priced",
    "talked",
    "mentioned",
    "told",
    "heard",
    "stuck",
    "blocked",
    "locked",
    "declined",
    "denied",
    "refunded",
    "overcharged",
    "used",
];

/// Present-tense routines a writer reports after "I" or "we" ("we send
/// about eight invoices a month").
const ROUTINE_ACTIONS: &[&str] = &[
    "send",
    "use",
    "export",
    "keep",
    "run",
    "track",
    "pay",
    "book",
    "order",
    "check",
    "open",
    "write",
    "call",
    "email",
    "buy",
    "copy",
    "spend",
    "print",
    "reconcile",
    "invoice",
    "shop",
    "fly",
    "stay",
    "drive",
    "commute",
];

fn past_action(word: &str) -> bool {
    IRREGULAR_ACTIONS.contains(&word)
        || (word.len() >= 5
            && word.ends_with("ed")
            && !NOT_ACTIONS.contains(&word)
            && word.chars().all(char::is_alphabetic))
}

/// The verb of a clause in which the writer reports their own action
/// ("I exported…", "we send…", "Cancelled today."), if one leads a clause.
fn action_clause(toks: &[Token]) -> Option<String> {
    let word = |i: usize| {
        toks.get(i)
            .filter(|t| t.kind == TokKind::Word)
            .map(|t| t.text.as_str())
    };
    let starts = std::iter::once(0).chain(
        toks.iter()
            .enumerate()
            .filter(|(_, t)| t.kind == TokKind::Punct)
            .map(|(i, _)| i + 1),
    );
    for (n, start) in starts.enumerate() {
        let mut i = start;
        while word(i).is_some_and(|w| CLAUSE_OPENERS.contains(&w)) && i < start + 3 {
            i += 1;
        }
        let Some(w) = word(i) else { continue };
        if WRITER.contains(&w) {
            let mut v = i + 1;
            while word(v).is_some_and(|w| CLAUSE_OPENERS.contains(&w)) && v < i + 3 {
                v += 1;
            }
            let Some(verb) = word(v) else { continue };
            let used_to = verb == "used" && word(v + 1) == Some("to");
            if (past_action(verb) || verb == "used" || ROUTINE_ACTIONS.contains(&verb)) && !used_to
            {
                return Some(verb.to_string());
            }
        } else if n <= 1 && word(i + 1).is_some_and(|o| o != "by") {
            // Subject left out, as reviews and posts do ("Cancelled today",
            // "Exported everything"): a past action with words after it, not
            // a passive ("charged by…").
            let used = w == "used" && word(i + 1) != Some("to");
            if past_action(w) || used {
                return Some(w.to_string());
            }
        }
    }
    None
}

/// A snippet with no quadrant cue and a sentiment at least this strong is
/// an evaluation (*thinks*).
const EVALUATION_SCORE: f64 = 0.5;

/// A theme is kept when its cue score is at least this share of the top one.
const THEME_KEEP: f64 = 0.5;
/// At most this many themes per snippet.
const MAX_THEMES: usize = 2;

/// Confidence from the winning score and the runner-up's.
fn confidence(best: f64, second: f64) -> f64 {
    let margin = (best - second) / best;
    let strength = (best / 3.0).min(1.0);
    round2((0.35 + 0.35 * margin + 0.25 * strength).min(0.95))
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The lexicon engine.
#[derive(Debug, Clone)]
pub struct LexiconEngine {
    sentiment: SentimentLexicon,
    stages: Section,
    signals: Section,
    clusters: Section,
    quadrants: Section,
    themes: Section,
    pain: CueSet<()>,
    gain: CueSet<()>,
    calibration: Calibration,
}

impl LexiconEngine {
    pub fn new(codebook: &Codebook, sentiment: SentimentLexicon) -> LexiconEngine {
        let list = |cues: &[String]| {
            let mut set = CueSet::default();
            for c in cues {
                set.add(c, ());
            }
            set
        };
        LexiconEngine {
            sentiment,
            stages: Section::new(&codebook.stage),
            signals: Section::new(&codebook.signal),
            clusters: Section::new(&codebook.cluster),
            quadrants: Section::new(&codebook.quadrant),
            themes: Section::new(&codebook.theme),
            pain: list(&codebook.pain.cues),
            gain: list(&codebook.gain.cues),
            calibration: Calibration::embedded(),
        }
    }

    fn stage(
        &self,
        toks: &[Token],
        snippet: &Snippet,
        message: Option<&[Token]>,
        asks: bool,
    ) -> Tag {
        let mut scores = self.stages.score(toks);
        let mut evidence_extra = "";
        if let Some(topic) = &snippet.topic {
            let topic_scores = self.stages.score(&tokenize(topic));
            for (s, t) in scores.iter_mut().zip(topic_scores) {
                if t.0 > 0.0 {
                    s.0 += 0.5 * t.0;
                    if s.1.is_none() {
                        s.1 = t.1;
                        evidence_extra = " (section heading)";
                    }
                }
            }
        }
        if let Some((i, best, second)) = self.stages.best(&scores) {
            return Tag {
                value: self.stages.ids[i].clone(),
                confidence: confidence(best, second),
                evidence: format!(
                    "cue \"{}\"{}",
                    self.stages.cue_text(scores[i].1),
                    evidence_extra
                ),
            };
        }
        // No stage cue in the sentence. Whether the writer is a customer
        // yet carries across their message; the events of the other
        // sentences (a purchase, a recommendation) do not. In a message
        // that speaks of a trial or of comparing, and not of using the
        // product, a question or a condition ("if I start on the basic
        // plan…") is a prospect's: consideration. Its statements keep
        // the prior (on gold dev, statements taken from such messages were
        // mostly about the product in use).
        let id = |name: &str| self.stages.ids.iter().position(|s| s == name);
        let prospect_message = message.filter(|_| asks);
        if let (Some(msg), Some(cons), Some(ret)) =
            (prospect_message, id("consideration"), id("retention"))
        {
            let ctx = self.stages.score(msg);
            let customer = ["retention", "decision"]
                .iter()
                .filter_map(|n| id(n))
                .any(|i| ctx[i].0 > 0.0);
            if ctx[cons].0 > 0.0 && !customer && ctx[ret].0 == 0.0 {
                return Tag {
                    value: self.stages.ids[cons].clone(),
                    confidence: 0.5,
                    evidence: format!(
                        "context: a prospect's message (cue \"{}\" elsewhere in it)",
                        self.stages.cue_text(ctx[cons].1)
                    ),
                };
            }
        }
        // Who sends tickets, reviews and survey answers is mostly existing
        // customers, so retention is the prior.
        let i = id("retention").unwrap_or(0);
        Tag {
            value: self.stages.ids[i].clone(),
            confidence: 0.3,
            evidence: format!("prior: no stage cue in a {} message", snippet.kind),
        }
    }

    fn signal(&self, toks: &[Token], question: bool) -> Tag {
        let mut scores = self.signals.score(toks);
        // Question frames ("can I", "why is") are informational by default;
        // a transaction or a place named in the same snippet says what the
        // question is for ("why is there a charge", "can I move to Pro").
        if let Some(info) = self.signals.ids.iter().position(|id| id == "informational") {
            let others = scores
                .iter()
                .enumerate()
                .any(|(i, s)| i != info && s.0 > 0.0);
            if others {
                scores[info].0 = 0.0;
            }
        }
        if let Some((i, best, second)) = self.signals.best(&scores) {
            return Tag {
                value: self.signals.ids[i].clone(),
                confidence: confidence(best, second),
                evidence: format!("cue \"{}\"", self.signals.cue_text(scores[i].1)),
            };
        }
        let id = |name: &str| self.signals.ids.iter().position(|s| s == name);
        let i = id("informational").unwrap_or(0);
        Tag {
            value: self.signals.ids[i].clone(),
            confidence: if question { 0.5 } else { 0.3 },
            evidence: if question {
                "rule: a question with no navigational or transactional cue".into()
            } else {
                "prior: no intent cue".into()
            },
        }
    }

    fn cluster(&self, toks: &[Token]) -> Option<Tag> {
        let scores = self.clusters.score(toks);
        self.clusters.best(&scores).map(|(i, best, second)| Tag {
            value: self.clusters.ids[i].clone(),
            confidence: confidence(best, second),
            evidence: format!("cue \"{}\"", self.clusters.cue_text(scores[i].1)),
        })
    }

    fn quadrant(&self, toks: &[Token]) -> Tag {
        let scores = self.quadrants.score(toks);
        if let Some((i, best, second)) = self.quadrants.best(&scores) {
            return Tag {
                value: self.quadrants.ids[i].clone(),
                confidence: confidence(best, second),
                evidence: format!("cue \"{}\"", self.quadrants.cue_text(scores[i].1)),
            };
        }
        if self.quadrants.ids.iter().any(|q| q == "does") {
            if let Some(verb) = action_clause(toks) {
                return Tag {
                    value: "does".into(),
                    confidence: 0.5,
                    evidence: format!("rule: the writer's own action (\"{verb}\") leads"),
                };
            }
        }
        Tag {
            value: "says".into(),
            confidence: 0.4,
            evidence: "default: a plain statement".into(),
        }
    }

    fn themes(&self, toks: &[Token], context: Option<&[Token]>) -> Vec<Tag> {
        let scores = self.themes.score(toks);
        let mut tags: Vec<(f64, Tag)> = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| s.0 > 0.0)
            .map(|(i, s)| {
                (
                    s.0,
                    Tag {
                        value: self.themes.ids[i].clone(),
                        confidence: round2((0.5 + 0.15 * s.0).min(0.95)),
                        evidence: format!("cue \"{}\"", self.themes.cue_text(s.1)),
                    },
                )
            })
            .collect();
        if tags.is_empty() {
            if let Some(ctx) = context {
                // A pain sentence with no theme word ("it happened again")
                // takes the theme its turn is about, with less confidence.
                let scores = self.themes.score(ctx);
                if let Some((i, best, _)) = self.themes.best(&scores) {
                    tags.push((
                        best,
                        Tag {
                            value: self.themes.ids[i].clone(),
                            confidence: round2((0.3 + 0.1 * best).min(0.6)),
                            evidence: format!(
                                "context: cue \"{}\" elsewhere in the same message",
                                self.themes.cue_text(scores[i].1)
                            ),
                        },
                    ));
                }
            }
        }
        // Keep the dominant themes only: a passing single-word match next to
        // a strong multi-word one is noise, not a second theme.
        tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.value.cmp(&b.1.value)));
        let top = tags.first().map_or(0.0, |t| t.0);
        tags.into_iter()
            .filter(|(score, _)| *score >= THEME_KEEP * top)
            .take(MAX_THEMES)
            .map(|(_, t)| t)
            .collect()
    }
}

impl Classifier for LexiconEngine {
    fn name(&self) -> &'static str {
        "lexicon"
    }

    fn classify(&self, snippet: &Snippet) -> Tags {
        self.classify_in(snippet, &snippet.context)
    }

    fn classify_batch(&self, snippets: &[Snippet]) -> Vec<Tags> {
        let messages = messages(snippets);
        snippets
            .par_iter()
            .zip(messages.par_iter())
            .map(|(s, m)| self.classify_in(s, m))
            .collect()
    }
}

impl LexiconEngine {
    /// Tag `snippet` read in `message`, the text it came from (see
    /// [`super::message`]): the whole record, or an interview turn.
    pub fn classify_in(&self, snippet: &Snippet, message: &str) -> Tags {
        let toks = tokenize(&snippet.text);
        let mut sentiment = self.sentiment.score(&snippet.text);
        let question = snippet.text.contains('?');
        let pain_match = self
            .pain
            .find_all(&toks)
            .into_iter()
            .max_by(|a, b| a.len.cmp(&b.len).then(b.start.cmp(&a.start)));
        let pain_cue = pain_match.is_some();
        if let Some(m) = pain_match {
            // A problem report carries sentiment without sentiment words
            // ("some transactions came in twice", "it hasn't posted yet").
            if sentiment.label == Polarity::Neutral && sentiment.score <= PROBLEM_MAX_SCORE {
                sentiment = Sentiment {
                    score: sentiment.score.min(PROBLEM_SCORE),
                    label: Polarity::Negative,
                    confidence: 0.55,
                    evidence: format!(
                        "problem report: cue \"{}\"; {}",
                        self.pain.text(m.cue),
                        sentiment.evidence
                    ),
                };
            }
        }
        let gain_cue = !self.gain.find_all(&toks).is_empty();
        let pain = sentiment.label == Polarity::Negative || (pain_cue && sentiment.score < 0.3);
        let gain = sentiment.label == Polarity::Positive || (gain_cue && sentiment.score > -0.3);
        let context_toks;
        let context = if pain && snippet.context.len() > snippet.text.len() {
            context_toks = tokenize(&snippet.context);
            Some(context_toks.as_slice())
        } else {
            None
        };
        let message_toks = (message.len() > snippet.text.len()).then(|| tokenize(message));
        let message = message_toks.as_deref();
        let asks = question || toks.first().is_some_and(|t| t.text == "if");
        let mut quadrant = self.quadrant(&toks);
        if quadrant.evidence.starts_with("default")
            && sentiment.label != Polarity::Neutral
            && sentiment.score.abs() >= EVALUATION_SCORE
            && !sentiment.evidence.starts_with("problem report")
            && !question
        {
            // A strong evaluation ("the export is clunky", "support was
            // great") is what the person thinks of the product, not a plain
            // statement; a milder tone over a fact ("sync has been broken
            // all morning") stays what they say.
            quadrant = Tag {
                value: "thinks".into(),
                confidence: 0.45,
                evidence: format!("rule: an evaluation ({})", sentiment.evidence),
            };
        }
        let mut tags = Tags {
            stage: self.stage(&toks, snippet, message, asks),
            intent_signal: self.signal(&toks, question),
            intent_cluster: self.cluster(&toks),
            quadrant,
            themes: self.themes(&toks, context),
            pain,
            gain,
            sentiment,
            engine: "lexicon".to_string(),
        };
        self.calibration.apply(&mut tags);
        tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::predict::snippet;
    use crate::model::SourceKind;

    fn engine() -> LexiconEngine {
        LexiconEngine::new(&Codebook::embedded(), SentimentLexicon::embedded())
    }

    fn tag(text: &str, message: Option<&str>, kind: SourceKind) -> Tags {
        let s = snippet(text, message, kind, "t.csv", 2);
        engine().classify_batch(std::slice::from_ref(&s)).remove(0)
    }

    #[test]
    fn a_prospects_question_is_consideration_and_a_customers_stays_retention() {
        let q = "Is there a limit on how many rooms I can book at once?";
        let prospect = format!("Question before booking\nHi, {q} The free trial looks nice.");
        let t = tag(q, Some(&prospect), SourceKind::Ticket);
        assert_eq!(t.stage.value, "consideration", "{}", t.stage.evidence);
        assert!(
            t.stage.evidence.starts_with("context:"),
            "{}",
            t.stage.evidence
        );
        // The same question from someone who says they use the product.
        let customer = format!("{q} I've been using it for years.");
        let t = tag(q, Some(&customer), SourceKind::Ticket);
        assert_eq!(t.stage.value, "retention", "{}", t.stage.evidence);
        // A statement in the prospect's message keeps the prior.
        let t = tag(
            "The app crashed twice.",
            Some(&prospect),
            SourceKind::Ticket,
        );
        assert_eq!(t.stage.value, "retention", "{}", t.stage.evidence);
    }

    #[test]
    fn journey_moments_are_read_from_their_own_words() {
        for (text, stage) in [
            ("Just switched to you from my old carrier.", "decision"),
            ("What got me to buy was that it plays DVD-Rs.", "decision"),
            ("Told my friends about your flights to Lisbon.", "advocacy"),
            ("I first heard of you from an ad on the radio.", "awareness"),
            ("I want a refund for this month.", "retention"),
        ] {
            let t = tag(text, None, SourceKind::Review);
            assert_eq!(t.stage.value, stage, "{text}: {}", t.stage.evidence);
        }
    }

    #[test]
    fn transactions_and_wishes_are_tagged_in_plain_customer_words() {
        for text in [
            "I want a refund for this month.",
            "My card was declined at the hotel.",
            "Can I rebook my flight to Friday?",
        ] {
            let t = tag(text, None, SourceKind::Ticket);
            assert_eq!(t.intent_signal.value, "transactional", "{text}");
        }
        let t = tag(
            "Is there a phone number I can call?",
            None,
            SourceKind::Ticket,
        );
        assert_eq!(t.intent_signal.value, "navigational");
        for text in [
            "If only you had flights from my city.",
            "What got me to buy was that it plays DVD-Rs.",
        ] {
            let t = tag(text, None, SourceKind::Review);
            let cluster = t.intent_cluster.map(|c| c.value);
            assert_eq!(cluster.as_deref(), Some("feature-driven-buyer"), "{text}");
        }
    }

    #[test]
    fn the_writers_own_action_is_does_and_an_evaluation_is_thinks() {
        for text in [
            "Cancelled today and moved my number to another carrier.",
            "We switched banks in June.",
            "Um, so I exported everything into a spreadsheet.",
        ] {
            let t = tag(text, None, SourceKind::Review);
            assert_eq!(t.quadrant.value, "does", "{text}: {}", t.quadrant.evidence);
        }
        // Something done to the writer is not their action.
        let t = tag(
            "Charged by the hotel for a room I never used.",
            None,
            SourceKind::Ticket,
        );
        assert_ne!(t.quadrant.value, "does", "{}", t.quadrant.evidence);
        let t = tag(
            "The check-in process is confusing.",
            None,
            SourceKind::Review,
        );
        assert_eq!(t.quadrant.value, "thinks");
    }
}
