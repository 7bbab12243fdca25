//! Emails (plain and obfuscated) and labelled dates of birth.

use super::{compile, matches, Kind, Span};
use regex::Regex;
use std::sync::LazyLock;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b")
});

pub(super) fn emails(text: &str) -> Vec<Span> {
    if !text.contains('@') {
        return Vec::new();
    }
    matches(&EMAIL, text, Kind::Email, |_, _| true)
}

/// A local part, an "at" (`@`, `(at)`, `[at]`, ` at `), then labels joined
/// by dots (`.`, `(dot)`, `[dot]`, ` dot `). Which mixes count is decided
/// in [`obfuscated_emails`].
static OBFUSCATED: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?ix)\b[a-z0-9][a-z0-9._%+\-]*
        (?P<at>[\ \t]*[(\[{<][\ \t]*at[\ \t]*[)\]}>][\ \t]*|[\ \t]+at[\ \t]+|@)
        [a-z0-9\-]+
        (?:(?:[\ \t]*[(\[{<][\ \t]*dot[\ \t]*[)\]}>][\ \t]*|[\ \t]+dot[\ \t]+|\.)[a-z0-9\-]+)+\b",
    )
});

/// Top-level domains accepted after a spelled-out ` at ` … ` dot `, where
/// the words alone would match ordinary prose.
const TLDS: &[&str] = &[
    "com", "net", "org", "io", "co", "uk", "de", "fr", "es", "it", "nl", "be", "ch", "at", "ie",
    "ca", "au", "nz", "us", "edu", "gov", "info", "biz", "me", "app", "dev",
];

pub(super) fn obfuscated_emails(text: &str) -> Vec<Span> {
    let lower = text.to_ascii_lowercase();
    let brackets = lower.contains(['(', '[', '{', '<']);
    if !(lower.contains("at") || lower.contains('@')) || !(lower.contains("dot") || brackets) {
        return Vec::new();
    }
    matches(&OBFUSCATED, text, Kind::Email, |_, c| {
        let m = c[0].to_ascii_lowercase();
        let at = c["at"].trim().to_ascii_lowercase();
        let bracket_at = at.len() > 2;
        let squeezed: String = m.chars().filter(|c| !c.is_whitespace()).collect();
        let bracket_dot = ["(dot)", "[dot]", "{dot}", "<dot>"]
            .iter()
            .any(|d| squeezed.contains(d));
        let word_dot = m.contains(" dot ") || m.contains("\tdot\t");
        let tld = m
            .rsplit(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("");
        if bracket_at {
            (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic())
        } else if at == "@" {
            bracket_dot || word_dot
        } else {
            (bracket_dot || word_dot) && TLDS.contains(&tld)
        }
    })
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

/// A label (`DOB`, `D.O.B.`, `date of birth`, `birth date`, `birthday`,
/// `born on`), then a full date with a year.
static DOB: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)\b(?:d\.o\.b\.?|dob\b|date[ \t]+of[ \t]+birth\b|birth[ \t]?date\b|birthday\b|born(?:[ \t]+on)?\b)[ \t]*(?:is|was|[:=\-–])?[ \t]*(?:is[ \t]+|on[ \t]+|the[ \t]+)?(?P<pii>(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+{MONTH},?[ \t]+\d{{4}}|{MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}})\b)"
    ))
});

pub(super) fn dobs(text: &str) -> Vec<Span> {
    matches(&DOB, text, Kind::Dob, |_, _| true)
}
