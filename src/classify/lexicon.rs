//! The lexicon engine: a [`Snippet`] in, [`Tags`] out, from the codebook's
//! cue phrases and the sentiment lexicon. Deterministic and explainable:
//! every tag names the cue or rule that produced it.

use super::calibration::Calibration;
use super::codebook::{Codebook, Entry};
use super::cues::{tokenize, CueSet, Token};
use super::sentiment::SentimentLexicon;
use super::Classifier;
use crate::model::{Polarity, Sentiment, Snippet, Tag, Tags};

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

    fn stage(&self, toks: &[Token], snippet: &Snippet) -> Tag {
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
        match self.stages.best(&scores) {
            Some((i, best, second)) => Tag {
                value: self.stages.ids[i].clone(),
                confidence: confidence(best, second),
                evidence: format!(
                    "cue \"{}\"{}",
                    self.stages.cue_text(scores[i].1),
                    evidence_extra
                ),
            },
            None => {
                // No stage cue in the sentence: take the stage its message
                // (the whole turn) speaks of, with less confidence.
                if snippet.context.len() > snippet.text.len() {
                    let ctx = self.stages.score(&tokenize(&snippet.context));
                    if let Some((i, best, second)) = self.stages.best(&ctx) {
                        return Tag {
                            value: self.stages.ids[i].clone(),
                            confidence: round2((confidence(best, second) - 0.2).max(0.3)),
                            evidence: format!(
                                "context: cue \"{}\" elsewhere in the same message",
                                self.stages.cue_text(ctx[i].1)
                            ),
                        };
                    }
                }
                // Nothing in the message either: who sends tickets, reviews
                // and survey answers is mostly existing customers, so
                // retention is the prior.
                let id = self
                    .stages
                    .ids
                    .iter()
                    .find(|s| *s == "retention")
                    .unwrap_or(&self.stages.ids[0])
                    .clone();
                Tag {
                    value: id,
                    confidence: 0.3,
                    evidence: format!("prior: no stage cue in a {} message", snippet.kind),
                }
            }
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
        match self.signals.best(&scores) {
            Some((i, best, second)) => Tag {
                value: self.signals.ids[i].clone(),
                confidence: confidence(best, second),
                evidence: format!("cue \"{}\"", self.signals.cue_text(scores[i].1)),
            },
            None => {
                let id = self
                    .signals
                    .ids
                    .iter()
                    .find(|s| *s == "informational")
                    .unwrap_or(&self.signals.ids[0])
                    .clone();
                Tag {
                    value: id,
                    confidence: if question { 0.5 } else { 0.3 },
                    evidence: if question {
                        "rule: a question with no navigational or transactional cue".into()
                    } else {
                        "prior: no intent cue".into()
                    },
                }
            }
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
        match self.quadrants.best(&scores) {
            Some((i, best, second)) => Tag {
                value: self.quadrants.ids[i].clone(),
                confidence: confidence(best, second),
                evidence: format!("cue \"{}\"", self.quadrants.cue_text(scores[i].1)),
            },
            None => Tag {
                value: "says".into(),
                confidence: 0.4,
                evidence: "default: a plain statement".into(),
            },
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
        let mut quadrant = self.quadrant(&toks);
        if quadrant.value == "says"
            && sentiment.label != Polarity::Neutral
            && !sentiment.evidence.starts_with("problem report")
            && !question
        {
            // An evaluation ("the export is clunky", "support was great") is
            // what the person thinks of the product, not a plain statement.
            quadrant = Tag {
                value: "thinks".into(),
                confidence: 0.45,
                evidence: format!("rule: an evaluation ({})", sentiment.evidence),
            };
        }
        let mut tags = Tags {
            stage: self.stage(&toks, snippet),
            intent_signal: self.signal(&toks, question),
            intent_cluster: self.cluster(&toks),
            quadrant,
            themes: self.themes(&toks, context),
            pain,
            gain,
            sentiment,
            engine: self.name().to_string(),
        };
        self.calibration.apply(&mut tags);
        tags
    }
}
