//! Terms of a snippet for theme discovery and theme labels: text in, the
//! stemmed content terms (words, two- and three-word phrases) with the words
//! the customer wrote them in out.
//!
//! Words are split, lowercased and stemmed by tantivy's own filters (the
//! same English stemmer search uses, so "refund" and "refunds" are one
//! term), and stop-worded with tantivy's English list plus the function
//! words of conversational English ([`CONVERSATIONAL`]). Never a term:
//! @handles and #tags, URLs, anything with a digit, redaction placeholders
//! (`[EMAIL]`), words of one or two letters.

use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;
use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, TokenStream,
};

/// Function words of spoken and written customer English that tantivy's
/// (Lucene's) short English list leaves in: pronouns, auxiliaries, fillers,
/// contraction stubs. General English, not any study's vocabulary.
pub const CONVERSATIONAL: &[&str] = &[
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "any",
    "anyone",
    "anything",
    "because",
    "been",
    "before",
    "being",
    "can",
    "could",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "don",
    "even",
    "every",
    "from",
    "get",
    "gets",
    "getting",
    "got",
    "had",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "im",
    "isn",
    "its",
    "just",
    "let",
    "ll",
    "me",
    "more",
    "most",
    "much",
    "my",
    "now",
    "only",
    "our",
    "out",
    "over",
    "re",
    "really",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "someone",
    "something",
    "still",
    "than",
    "them",
    "those",
    "too",
    "up",
    "us",
    "ve",
    "very",
    "wasn",
    "we",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "won",
    "would",
    "wouldn",
    "you",
    "your",
    "yours",
    "yes",
    "yeah",
    "um",
    "uh",
    "oh",
    "ok",
    "okay",
    "hi",
    "hello",
    "hey",
    "thanks",
    "thank",
    "please",
    "lol",
    "though",
    "also",
    "actually",
    "literally",
    "basically",
    "maybe",
    "lot",
    "lots",
    "bit",
    "kind",
    "sort",
    "thing",
    "things",
    "way",
    "well",
    "one",
    "ones",
    "other",
    "another",
    "same",
    "like",
    "said",
    "say",
    "says",
    "tell",
    "told",
    "think",
    "know",
    "see",
    "want",
    "wanted",
    "need",
    "needed",
    "make",
    "made",
    "going",
    "go",
    "went",
    "come",
    "came",
    "take",
    "took",
    "give",
    "gave",
    "put",
    "try",
    "tried",
    "use",
    "used",
    "using",
    "back",
    "off",
    "down",
    "many",
    "few",
    "ever",
    "never",
    "always",
    "yet",
    "already",
    "since",
    "until",
    "ago",
    "day",
    "days",
    "time",
    "times",
    "today",
    "yesterday",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "etc",
    "via",
    "per",
    "able",
    "sure",
    "guys",
    "folks",
    "whom",
    "whose",
    "may",
    "might",
    "must",
    "shall",
    "last",
    "next",
    "under",
    "above",
    "between",
    "through",
    "during",
    "without",
    "within",
    "against",
    "among",
    "across",
    "around",
    "behind",
    "beyond",
    "toward",
    "towards",
    "upon",
    "onto",
    "look",
    "looks",
    "looked",
    "looking",
    "feel",
    "feels",
    "felt",
    "seem",
    "seems",
    "seemed",
    "keep",
    "keeps",
    "kept",
    "everyone",
    "everything",
    "nothing",
    "somebody",
    "nobody",
    "anybody",
    "morning",
    "afternoon",
    "evening",
    "regards",
    "cheers",
    "dear",
    "sincerely",
    "greetings",
    "best",
    "kindly",
    "concern",
    "whatever",
    "whenever",
    "either",
    "neither",
    "instead",
    "rather",
    "quite",
    "enough",
    "almost",
    "probably",
    "definitely",
    "absolutely",
    "totally",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "hundred",
    "thousand",
    "million",
    "half",
    "couple",
    "several",
    "each",
    "both",
    "own",
    "takes",
    "taking",
    "taken",
    "gets",
    "goes",
    "put",
    "thing",
    "stuff",
    "point",
    "part",
    "whole",
    "seriously",
    "honestly",
    "pretty",
    "sometimes",
    "usually",
    "often",
    "generally",
    "recently",
    "currently",
    "finally",
    "eventually",
    "apparently",
    "genuinely",
    "anyway",
    "otherwise",
    "customer",
    "customers",
    "matter",
    "matters",
    "mattered",
];

/// The words a phrase may hold between its two content words: "hold for
/// hours", "cup of coffee", "charged on cancellation".
const LINKS: &[&str] = &[
    "for", "of", "on", "in", "at", "to", "with", "from", "after", "by",
];

/// Words that say how a customer feels rather than what about (the
/// embedded sentiment lexicon's words of valence 1.5 or more either way:
/// "great", "terrible", "love"). They weigh less in the vectors, and a
/// label is never made of them alone.
static OPINION: LazyLock<BTreeSet<String>> =
    LazyLock::new(|| crate::classify::SentimentLexicon::embedded().strong_words(1.5));

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9.-]+\.(?:com|net|org|io|co|uk|de|fr|app)\b(?:/\S*)?")
        .expect("valid regex")
});
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[[A-Z_]+\]").expect("valid regex"));

/// One word of a text as discovery sees it.
#[derive(Debug, Clone)]
struct Word {
    stem: String,
    lower: String,
    /// A word that carries content (not a stop word, handle, number …).
    content: bool,
    /// Byte span in the text.
    from: usize,
    to: usize,
}

/// A term of one snippet: its key (stems joined by spaces) and the words
/// the snippet wrote it in (lowercased).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Term {
    pub key: String,
    pub surface: String,
    /// Words in the term: 1, 2 or 3.
    pub n: usize,
    /// Made only of opinion words ("great", "so slow"): never a label.
    pub opinion: bool,
}

/// The analyzer: tantivy's tokenizer, lowercaser and stop-word and stemming
/// filters, built once per thread.
pub struct Analyzer {
    lower: TextAnalyzer,
    stemmed: TextAnalyzer,
    stop: BTreeSet<String>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    pub fn new() -> Analyzer {
        let lower = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build();
        let stemmed = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        // tantivy's English list, read back through its own filter.
        let mut english = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(StopWordFilter::new(Language::English).expect("tantivy has English"))
            .build();
        let probe = LUCENE_PROBE.join(" ");
        let mut kept = BTreeSet::new();
        let mut s = english.token_stream(&probe);
        while s.advance() {
            kept.insert(s.token().text.clone());
        }
        let mut stop: BTreeSet<String> = LUCENE_PROBE
            .iter()
            .filter(|w| !kept.contains(**w))
            .map(|w| w.to_string())
            .collect();
        stop.extend(CONVERSATIONAL.iter().map(|w| w.to_string()));
        Analyzer {
            lower,
            stemmed,
            stop,
        }
    }

    fn words(&mut self, text: &str) -> Vec<Word> {
        // Blank out URLs and placeholders, keeping byte offsets.
        let mut clean = text.to_string();
        for re in [&*URL, &*PLACEHOLDER] {
            let spans: Vec<(usize, usize)> =
                re.find_iter(&clean).map(|m| (m.start(), m.end())).collect();
            for (a, b) in spans {
                clean.replace_range(a..b, &" ".repeat(b - a));
            }
        }
        let mut lower = Vec::new();
        let mut s = self.lower.token_stream(&clean);
        while s.advance() {
            let t = s.token();
            lower.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        let mut stems = Vec::new();
        let mut s = self.stemmed.token_stream(&clean);
        while s.advance() {
            stems.push(s.token().text.clone());
        }
        let bytes = clean.as_bytes();
        lower
            .into_iter()
            .zip(stems)
            .map(|((w, from, to), stem)| {
                let handle = from > 0 && matches!(bytes[from - 1], b'@' | b'#');
                let content = !handle
                    && w.chars().count() > 2
                    && !w.chars().any(|c| c.is_ascii_digit())
                    && !self.stop.contains(&w);
                Word {
                    stem,
                    lower: w,
                    content,
                    from,
                    to,
                }
            })
            .collect()
    }

    /// The content terms of `text`: content words, two content words in a
    /// row, and three-word phrases whose ends are content words ("hold for
    /// hours", "cold oat latte"). Each key once, with its first surface.
    pub fn terms(&mut self, text: &str) -> Vec<Term> {
        let words = self.words(text);
        let lower = text.to_lowercase();
        // Lowercasing can shift byte offsets for a few scripts; fall back to
        // the stems when it does.
        let same_len = lower.len() == text.len();
        let surface = |a: &Word, b: &Word| -> String {
            if same_len && lower.is_char_boundary(a.from) && lower.is_char_boundary(b.to) {
                lower[a.from..b.to]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                String::new()
            }
        };
        let mut out: Vec<Term> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut push = |key: String, surf: String, n: usize, opinion: bool, out: &mut Vec<Term>| {
            if seen.insert(key.clone()) {
                let surface = if surf.is_empty() { key.clone() } else { surf };
                out.push(Term {
                    key,
                    surface,
                    n,
                    opinion,
                });
            }
        };
        let opinion = |w: &Word| OPINION.contains(&w.lower);
        for (i, w) in words.iter().enumerate() {
            if !w.content {
                continue;
            }
            push(w.stem.clone(), surface(w, w), 1, opinion(w), &mut out);
            if let Some(b) = words.get(i + 1) {
                // Words separated by punctuation are not a phrase.
                let joined = same_len && only_space(&lower, w.to, b.from);
                if b.content && joined {
                    push(
                        format!("{} {}", w.stem, b.stem),
                        surface(w, b),
                        2,
                        opinion(w) && opinion(b),
                        &mut out,
                    );
                }
                if let Some(c) = words.get(i + 2) {
                    let linked = b.content || LINKS.contains(&b.lower.as_str());
                    let joined = joined && only_space(&lower, b.to, c.from);
                    if c.content && joined && linked {
                        push(
                            format!("{} {} {}", w.stem, b.stem, c.stem),
                            surface(w, c),
                            3,
                            opinion(w) && opinion(c) && (!b.content || opinion(b)),
                            &mut out,
                        );
                    }
                }
            }
        }
        out
    }

    /// How many content words `text` has: below two, a snippet says
    /// nothing a theme could be about ("ok.", "🤬🤬", "Love it!").
    pub fn content_words(&mut self, text: &str) -> usize {
        self.words(text).iter().filter(|w| w.content).count()
    }
}

fn only_space(text: &str, from: usize, to: usize) -> bool {
    from <= to
        && text.is_char_boundary(from)
        && text.is_char_boundary(to)
        && text[from..to].chars().all(|c| c == ' ' || c == '-')
}

/// Every word of Lucene's English stop list that tantivy ships; passed
/// through tantivy's filter in [`Analyzer::new`], so the list in force is
/// tantivy's (a word tantivy does not drop is not a stop word here).
const LUCENE_PROBE: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        Analyzer::new()
            .terms(text)
            .into_iter()
            .map(|t| t.key)
            .collect()
    }

    #[test]
    fn plural_and_singular_are_one_term() {
        let a = keys("Refunds never arrive");
        let b = keys("The refund did not arrive");
        assert!(a.contains(&"refund".to_string()), "{a:?}");
        assert!(b.contains(&"refund".to_string()), "{b:?}");
    }

    #[test]
    fn handles_urls_numbers_and_placeholders_are_never_terms() {
        let k = keys("@AcmeAir my flight 2041 got cancelled, see https://acme.com/help or mail [EMAIL] #fail");
        for bad in ["acmeair", "2041", "acm", "com", "help", "email", "fail"] {
            assert!(
                !k.iter().any(|t| t.split(' ').any(|w| w == bad)),
                "{bad} in {k:?}"
            );
        }
        assert!(k.iter().any(|t| t.starts_with("flight")), "{k:?}");
    }

    #[test]
    fn phrases_keep_the_customers_words() {
        let mut a = Analyzer::new();
        let terms = a.terms("I was on hold for hours, then the cold latte arrived.");
        let surf: Vec<&str> = terms.iter().map(|t| t.surface.as_str()).collect();
        assert!(surf.contains(&"hold for hours"), "{surf:?}");
        assert!(surf.contains(&"cold latte"), "{surf:?}");
        // No phrase across the comma.
        assert!(!surf
            .iter()
            .any(|s| s.contains("hours") && s.contains("cold")));
    }

    #[test]
    fn content_free_snippets_have_no_content_words() {
        let mut a = Analyzer::new();
        assert_eq!(a.content_words("ok."), 0);
        assert_eq!(a.content_words("🤬🤬"), 0);
        assert!(a.content_words("The check-in queue was slow") >= 2);
    }
}
