//! Tokens and cue phrases: text in, tokens out; cue lists in, matches out.
//!
//! A cue is a lowercase phrase of words; a word ending in `*` matches any
//! word with that prefix (`cancel*` matches "cancelled"). Cues match whole
//! word sequences and never span clause punctuation.

use std::collections::HashMap;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    /// An emoji or emoticon, kept as written.
    Emoji,
    /// Clause punctuation: `. , ; : ! ? ( )`.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lowercased text (words), or the symbol itself.
    pub text: String,
    pub kind: TokKind,
    /// Written in capitals (two letters or more), for emphasis.
    pub caps: bool,
}

const EMOTICONS: &[&str] = &[
    ":-)", ":)", ":-(", ":(", ":/", ":-/", ":D", ":-D", ";)", ";-)", ":P", ":p", "<3", ":'(", ":|",
    "xD", "XD", "=)", "=(", ":o", ":O",
];

fn is_emoji(c: char) -> bool {
    let u = c as u32;
    (0x1F000..=0x1FAFF).contains(&u)
        || (0x2600..=0x27BF).contains(&u)
        || matches!(
            u,
            0x2B50 | 0x2B55 | 0x2B06 | 0x2B07 | 0x2B05 | 0x27A1 | 0x2705 | 0x274C
        )
}

/// Split text into words, emoji and clause punctuation.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut raw_word = String::new();
    let flush = |word: &mut String, raw: &mut String, out: &mut Vec<Token>| {
        let w = word.trim_matches('\'');
        if !w.is_empty() {
            let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
            let caps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
            out.push(Token {
                text: w.to_string(),
                kind: TokKind::Word,
                caps,
            });
        }
        word.clear();
        raw.clear();
    };
    let mut rest = text;
    while let Some(orig) = rest.chars().next() {
        // Emoticons only at a word boundary.
        if word.is_empty() {
            if let Some(e) = EMOTICONS.iter().find(|e| {
                rest.starts_with(**e)
                    && rest[e.len()..]
                        .chars()
                        .next()
                        .is_none_or(|n| n.is_whitespace() || n == '.' || n == ',' || n == '!')
            }) {
                out.push(Token {
                    text: (*e).to_string(),
                    kind: TokKind::Emoji,
                    caps: false,
                });
                rest = &rest[e.len()..];
                continue;
            }
        }
        let c = if matches!(orig, '’' | '‘' | '`') {
            '\''
        } else {
            orig
        };
        if c.is_alphanumeric() || c == '\'' {
            for l in c.to_lowercase() {
                word.push(l);
            }
            raw_word.push(c);
        } else {
            flush(&mut word, &mut raw_word, &mut out);
            if is_emoji(c) {
                out.push(Token {
                    text: c.to_string(),
                    kind: TokKind::Emoji,
                    caps: false,
                });
            } else if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '…') {
                out.push(Token {
                    text: c.to_string(),
                    kind: TokKind::Punct,
                    caps: false,
                });
            }
        }
        rest = &rest[orig.len_utf8()..];
    }
    flush(&mut word, &mut raw_word, &mut out);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum WordPat {
    Exact(String),
    Prefix(String),
}

impl WordPat {
    fn matches(&self, t: &Token) -> bool {
        match self {
            WordPat::Exact(w) => t.text == *w,
            WordPat::Prefix(p) => t.kind == TokKind::Word && t.text.starts_with(p.as_str()),
        }
    }
}

/// A cue that matched: which cue, and which tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueMatch {
    pub cue: usize,
    pub start: usize,
    pub len: usize,
}

/// A set of cue phrases, each with a payload (a category index, a valence).
#[derive(Debug, Clone)]
pub struct CueSet<T> {
    cues: Vec<(Vec<WordPat>, String, T)>,
    by_first: HashMap<String, Vec<usize>>,
    prefix_first: Vec<usize>,
}

impl<T> Default for CueSet<T> {
    fn default() -> Self {
        CueSet {
            cues: Vec::new(),
            by_first: HashMap::new(),
            prefix_first: Vec::new(),
        }
    }
}

impl<T> CueSet<T> {
    /// Add a cue. Returns false (and adds nothing) for a cue with no words.
    pub fn add(&mut self, cue: &str, payload: T) -> bool {
        let pats: Vec<WordPat> = cue
            .split_whitespace()
            .flat_map(|w| {
                let prefix = w.ends_with('*');
                let toks = tokenize(w.trim_end_matches('*'));
                let n = toks.len();
                toks.into_iter().enumerate().map(move |(i, t)| {
                    if prefix && i + 1 == n {
                        WordPat::Prefix(t.text)
                    } else {
                        WordPat::Exact(t.text)
                    }
                })
            })
            .collect();
        if pats.is_empty() {
            return false;
        }
        let idx = self.cues.len();
        match &pats[0] {
            WordPat::Exact(w) => self.by_first.entry(w.clone()).or_default().push(idx),
            WordPat::Prefix(_) => self.prefix_first.push(idx),
        }
        self.cues.push((pats, cue.trim().to_string(), payload));
        true
    }

    pub fn len(&self) -> usize {
        self.cues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cues.is_empty()
    }

    /// The cue's text as written.
    pub fn text(&self, cue: usize) -> &str {
        &self.cues[cue].1
    }

    pub fn payload(&self, cue: usize) -> &T {
        &self.cues[cue].2
    }

    /// Number of words in the cue (its strength as evidence).
    pub fn words(&self, cue: usize) -> usize {
        self.cues[cue].0.len()
    }

    /// Every match of every cue, in token order.
    pub fn find_all(&self, toks: &[Token]) -> Vec<CueMatch> {
        let mut out = Vec::new();
        for start in 0..toks.len() {
            if toks[start].kind == TokKind::Punct {
                continue;
            }
            let candidates = self
                .by_first
                .get(&toks[start].text)
                .into_iter()
                .flatten()
                .chain(self.prefix_first.iter());
            for &ci in candidates {
                let pats = &self.cues[ci].0;
                if start + pats.len() <= toks.len()
                    && pats
                        .iter()
                        .zip(&toks[start..])
                        .all(|(p, t)| t.kind != TokKind::Punct && p.matches(t))
                {
                    out.push(CueMatch {
                        cue: ci,
                        start,
                        len: pats.len(),
                    });
                }
            }
        }
        out
    }

    /// Leftmost-longest, non-overlapping matches.
    pub fn find_longest(&self, toks: &[Token]) -> Vec<CueMatch> {
        let mut all = self.find_all(toks);
        all.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.len.cmp(&a.len))
                .then(a.cue.cmp(&b.cue))
        });
        let mut out: Vec<CueMatch> = Vec::new();
        let mut next_free = 0;
        for m in all {
            if m.start >= next_free {
                next_free = m.start + m.len;
                out.push(m);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<String> {
        tokenize(t).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokenizes_words_emoji_and_punctuation() {
        assert_eq!(
            words("Can’t log in!! 😡 sign-up was OK :)"),
            vec!["can't", "log", "in", "!", "!", "😡", "sign", "up", "was", "ok", ":)"]
        );
        let t = tokenize("this is TERRIBLE");
        assert!(t[2].caps && !t[0].caps);
    }

    #[test]
    fn matches_phrases_and_prefixes_within_clauses() {
        let mut set = CueSet::default();
        set.add("cancel* my subscription", 1);
        set.add("on hold", 2);
        set.add("hold", 3);
        let toks = tokenize("I cancelled my subscription after an hour on hold.");
        let m = set.find_longest(&toks);
        let found: Vec<&str> = m.iter().map(|m| set.text(m.cue)).collect();
        assert_eq!(found, vec!["cancel* my subscription", "on hold"]);
        // Never across punctuation.
        let toks = tokenize("put it on. Hold on");
        assert!(set
            .find_all(&toks)
            .iter()
            .all(|m| set.text(m.cue) != "on hold"));
    }
}
