//! The signature block of an email or ticket: the name (and the address,
//! company or title lines under it) after a sign-off at the end.
//!
//! Only a block that ends the text counts: a sign-off (`Best regards,`,
//! `Thanks,`, `Cheers` …) on a line of its own or at the start of one,
//! then at most [`MAX_LINES`] short lines and nothing else. The name is the
//! first of them (or the words after the sign-off on its own line:
//! `Thanks, Jane`); the lines after it that hold a number or something
//! another detector took become `[ADDRESS]`, apart from the labels left
//! (`Tel:`, `Email:`); a job title, a company name and footers such as
//! "Sent from my iPhone" stay. A sign-off in the middle of a
//! message, or one followed by more prose, redacts nothing.

use super::{compile, Kind, Span, MASK, PLACEHOLDER};
use regex::Regex;
use std::sync::LazyLock;

/// At most this many non-blank lines after the sign-off.
const MAX_LINES: usize = 6;
/// A signature line is at most this long (bytes, trimmed).
const MAX_LINE: usize = 60;

const SIGN_OFF: &str = r"(?:(?:best|kind|warm|warmest|many|with)[ \t]+)?(?:regards|wishes|thanks)|thanks(?:[ \t]+(?:so[ \t]+much|again|in[ \t]+advance|a[ \t]+lot))?|thank[ \t]+you(?:[ \t]+(?:so[ \t]+much|again|in[ \t]+advance))?|cheers|sincerely|yours[ \t]+(?:sincerely|faithfully|truly)|best(?:[ \t]+wishes)?|all[ \t]+the[ \t]+best|respectfully|take[ \t]+care|rgds|thx";

/// A sign-off alone on its line.
static BARE: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!(r"(?i)^[ \t]*(?:{SIGN_OFF})[ \t]*[,.!]?[ \t]*$")));

/// A sign-off and a name on one line (`Thanks, Jane`), at the line's start
/// or after a sentence, then nothing but what other detectors took.
static WITH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?:^|[.!?][ \t]+)[ \t]*(?i:{SIGN_OFF})[ \t]*[,\-–—][ \t]*(\p{{Lu}}[\p{{L}}'’\-]+(?:[ \t]+\p{{Lu}}[\p{{L}}'’\-]*\.?){{0,2}})[ \t]*\.?(?P<rest>[^\n]*)$"
    ))
});

/// A name on its own line: capitalised words and particles, or one
/// lowercase word (`jane`).
static NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^(?:\p{Lu}[\p{L}'’\-]*\.?(?:[ \t]+(?:\p{Lu}[\p{L}'’\-]*\.?|van|von|de|der|den|la|le|da|di|du|del|bin|al)){0,3}|\p{Ll}{2,15})$",
    )
});

/// Labels left over once a phone or email on a signature line is masked.
const LABELS: &[&str] = &[
    "tel", "phone", "mobile", "mob", "cell", "m", "t", "e", "p", "f", "fax", "email", "e-mail",
    "mail", "web", "w",
];

/// Any sign-off anywhere: most texts have none, and then nothing else runs.
static ANY_SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| compile(&format!(r"(?i)(?:{SIGN_OFF})")));

pub(super) fn signature(text: &str) -> Vec<Span> {
    if !ANY_SIGN_OFF.is_match(text) {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = line_starts(text);
    let last = match lines.iter().rposition(|(_, l)| !l.trim().is_empty()) {
        Some(i) => i,
        None => return Vec::new(),
    };
    // The sign-off is within MAX_LINES + 1 lines of the last one.
    let first = last.saturating_sub(MAX_LINES + 1);
    for i in (first..=last).rev() {
        let (at, line) = lines[i];
        let after = &lines[i + 1..=last];
        if !is_block(after) {
            continue;
        }
        if BARE.is_match(line) {
            let mut rest = after.iter().filter(|(_, l)| !l.trim().is_empty());
            let Some(&(name_at, name)) = rest.next() else {
                return Vec::new();
            };
            let trimmed = name.trim();
            if !NAME_LINE.is_match(trimmed) || is_footer(trimmed) {
                return Vec::new();
            }
            let start = name_at + (name.len() - name.trim_start().len());
            let mut out = vec![Span {
                start,
                end: start + trimmed.len(),
                kind: Kind::Name,
            }];
            out.extend(rest.flat_map(|&(a, l)| address_line(a, l)));
            return out;
        }
        if let Some(c) = WITH_NAME.captures(line) {
            let rest = &c["rest"];
            let rest_ok = rest.trim().is_empty() || (rest.len() <= 80 && rest.contains(MASK));
            if !rest_ok {
                return Vec::new();
            }
            let name = c.get(1).expect("name group");
            let mut out = vec![Span {
                start: at + name.start(),
                end: at + name.end(),
                kind: Kind::Name,
            }];
            out.extend(after.iter().flat_map(|&(a, l)| address_line(a, l)));
            return out;
        }
    }
    Vec::new()
}

/// The lines of `text` with their byte offsets.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut at = 0;
    text.split('\n')
        .map(|l| {
            let start = at;
            at += l.len() + 1;
            (start, l)
        })
        .collect()
}

/// Whether `lines` can be a signature: few, short, no sentences.
fn is_block(lines: &[(usize, &str)]) -> bool {
    let filled: Vec<&str> = lines
        .iter()
        .map(|(_, l)| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    filled.len() <= MAX_LINES
        && filled.iter().all(|l| {
            let l = visible(l);
            let words = l.split_whitespace().count();
            l.len() <= MAX_LINE && !(words >= 5 && l.ends_with(['.', '?', '!']))
        })
}

/// A line without what detectors took or replaced (masked text and
/// placeholders), so a block is judged the same before and after
/// redaction.
fn visible(line: &str) -> String {
    let unmasked: String = line.chars().filter(|&c| c != MASK).collect();
    PLACEHOLDER.replace_all(&unmasked, "").trim().to_string()
}

fn is_footer(line: &str) -> bool {
    let l = line.to_lowercase();
    l.starts_with("sent from") || l.starts_with("get outlook") || l.starts_with("sent via")
}

/// The parts of a signature line that no detector took and that are more
/// than a label, as addresses.
fn address_line(at: usize, line: &str) -> Vec<Span> {
    // A job title or a company name ("Head of Operations, Brightline
    // Ltd") is no address: a line counts when it has a number in it or
    // holds something another detector took (a postcode, a phone).
    let has_number = line.contains(|c: char| c.is_ascii_digit() || c == MASK);
    if !has_number || is_footer(line.trim()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for part in line.split(MASK) {
        let start = offset;
        offset += part.len() + MASK.len_utf8();
        let word = part.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() || LABELS.contains(&word.to_lowercase().as_str()) {
            continue;
        }
        let lead = part.find(word).expect("trimmed from part");
        out.push(Span {
            start: at + start + lead,
            end: at + start + lead + word.len(),
            kind: Kind::Address,
        });
    }
    out
}
