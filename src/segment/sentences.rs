//! Sentence splitting: a redacted turn in, byte spans of its sentences out.
//!
//! Splits at `.`, `!`, `?` (and runs of them, with closing quotes or
//! brackets) followed by whitespace, at line breaks that end a paragraph or
//! start a list item, and after emoji that end a clause. Abbreviations,
//! decimals, URLs and initials do not end a sentence. Fragments of fewer
//! than two words are merged into the following sentence so greetings and
//! sign-offs ("Hi team,") do not become snippets of their own.

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "eg", "ie",
    "approx", "dept", "inc", "ltd", "co", "corp", "no", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "min", "mins", "hr",
    "hrs", "fig", "approx", "est",
];

/// Byte ranges `(start, end)` of the sentences of `text`, trimmed, in order.
pub fn split(text: &str) -> Vec<(usize, usize)> {
    let mut raw = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let mut cut: Option<usize> = None;
        if c == '.' || c == '!' || c == '?' || c == '…' {
            // Swallow runs of terminators and closing quotes/brackets.
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | ')' | ']'
                )
            {
                j += 1;
            }
            let end = if j < chars.len() {
                chars[j].0
            } else {
                text.len()
            };
            let next_ws = j >= chars.len() || chars[j].1.is_whitespace();
            if next_ws && !(c == '.' && j == i + 1 && is_abbreviation(&text[start..pos])) {
                cut = Some(end);
            }
            if cut.is_some() {
                i = j;
            } else {
                i += 1;
            }
        } else if is_emoji(c) {
            // "ghosted me 🙄 Sorry, …": an emoji followed by a capital ends a
            // sentence, like a full stop would.
            let mut j = i + 1;
            while j < chars.len()
                && (is_emoji(chars[j].1) || matches!(chars[j].1, '\u{fe0f}' | '\u{200d}'))
            {
                j += 1;
            }
            let next_upper = chars.get(j).is_some_and(|c| c.1 == ' ')
                && chars.get(j + 1).is_some_and(|c| c.1.is_uppercase());
            if next_upper {
                cut = Some(chars[j].0);
            }
            i = j;
        } else if c == '\n' {
            // A blank line or a list item / new line starting with a capital
            // after a line that already ended a clause ends the sentence.
            let next = text[pos + 1..].trim_start_matches([' ', '\t']);
            let blank = next.starts_with('\n') || next.starts_with("\r\n");
            let bullet = next.starts_with("- ") || next.starts_with("* ") || next.starts_with("• ");
            let prev = text[start..pos].trim_end();
            let prev_ends_clause = prev.ends_with([',', ';', ':']) || prev.is_empty();
            let capital = next.chars().next().is_some_and(|c| c.is_uppercase());
            if blank || bullet || (capital && !prev_ends_clause) {
                cut = Some(pos);
            }
            i += 1;
        } else {
            i += 1;
        }
        if let Some(end) = cut {
            raw.push((start, end));
            start = end;
        }
    }
    if start < bytes.len() {
        raw.push((start, bytes.len()));
    }
    let trimmed: Vec<(usize, usize)> = raw
        .into_iter()
        .filter_map(|(s, e)| trim_span(text, s, e))
        .collect();
    merge_fragments(text, trimmed)
}

fn is_emoji(c: char) -> bool {
    let u = c as u32;
    (0x1F300..=0x1FAFF).contains(&u) || (0x2600..=0x27BF).contains(&u)
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if word.is_empty() {
        return false;
    }
    // Single initials ("J. Smith") and decimals are handled by the caller's
    // whitespace check; here: known abbreviations and single letters.
    (word.len() == 1 && word.chars().all(|c| c.is_alphabetic()))
        || ABBREVIATIONS.contains(&word.as_str())
}

fn trim_span(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let piece = &text[s..e];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let (s2, e2) = (s + lead, e - trail);
    if s2 >= e2 {
        return None;
    }
    // Drop spans with no letters, digits or emoji at all (stray punctuation).
    if !text[s2..e2]
        .chars()
        .any(|c| c.is_alphanumeric() || (c as u32) > 0x2000)
    {
        return None;
    }
    Some((s2, e2))
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn merge_fragments(text: &str, spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    let mut pending: Option<usize> = None;
    let mut pending_end = 0;
    for (s, e) in spans {
        let s = pending.take().unwrap_or(s);
        if word_count(&text[s..e]) < 2 {
            pending = Some(s);
            pending_end = e;
            continue;
        }
        out.push((s, e));
    }
    if let Some(s) = pending {
        match out.last_mut() {
            Some(last) => last.1 = pending_end,
            None => out.push((s, pending_end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        split(t).into_iter().map(|(s, e)| &t[s..e]).collect()
    }

    #[test]
    fn splits_on_terminators() {
        assert_eq!(
            sents("The sync broke again. I lost a day!! Why does this keep happening?"),
            vec![
                "The sync broke again.",
                "I lost a day!!",
                "Why does this keep happening?"
            ]
        );
    }

    #[test]
    fn keeps_abbreviations_decimals_and_urls() {
        assert_eq!(
            sents("I pay $29.99 vs. $24 before, e.g. for Pro. See https://ledgerly.app/pricing.html today."),
            vec!["I pay $29.99 vs. $24 before, e.g. for Pro.", "See https://ledgerly.app/pricing.html today."]
        );
    }

    #[test]
    fn merges_one_word_fragments_forward() {
        assert_eq!(
            sents("Hi! The export fails every time."),
            vec!["Hi! The export fails every time."]
        );
        assert_eq!(sents("Thanks."), vec!["Thanks."]);
    }

    #[test]
    fn splits_paragraphs_and_bullets() {
        assert_eq!(
            sents("Sync is broken\n\nAlso the app logs me out\n- no 2FA codes\n- no reply"),
            vec![
                "Sync is broken",
                "Also the app logs me out",
                "- no 2FA codes",
                "- no reply"
            ]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            sents("She said \"it's fixed.\" It was not."),
            vec!["She said \"it's fixed.\"", "It was not."]
        );
    }

    #[test]
    fn an_emoji_before_a_capital_ends_a_sentence() {
        assert_eq!(
            sents("support ghosted me 🙄 Sorry, not your fault. sync is fine 👍 and fast"),
            vec![
                "support ghosted me 🙄",
                "Sorry, not your fault.",
                "sync is fine 👍 and fast"
            ]
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        for t in ["", ".", "...", "?!", "😡😡", "a.b.c", "\n\n\n", "é. É! ü?"] {
            let _ = split(t);
        }
    }
}
