//! Numbers that identify a person or their money: IP addresses, IBANs
//! (mod-97), payment cards (Luhn), US social security numbers, national
//! identity numbers and phone numbers.

use super::{compile, digits, matches, words_before, Kind, Span};
use regex::Regex;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

// ------------------------------------------------------------------ IPs

static IPV4: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"));

/// Hex groups with at least two colons; [`Ipv6Addr`] decides.
static IPV6: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)(?:[0-9a-f]{1,4}|:)?(?::[0-9a-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}"));

pub(super) fn ips(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    if text.contains('.') {
        out.extend(matches(&IPV4, text, Kind::Ip, |t, c| {
            let m = c.get(0).expect("whole match");
            let before = &t[..m.start()];
            let after = &t[m.end()..];
            // A fifth group or a version label make it a version number.
            let dotted_on = before.ends_with('.')
                || after.starts_with(['.', '-'])
                    && after[1..].starts_with(|c: char| c.is_ascii_digit());
            let version = words_before(t, m.start(), 1)
                .first()
                .is_some_and(|w| VERSION_WORDS.contains(&w.as_str()));
            !dotted_on && !version && m.as_str().parse::<Ipv4Addr>().is_ok()
        }));
    }
    if text.matches(':').nth(1).is_some() {
        for m in IPV6.find_iter(text) {
            let s = m.as_str();
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let joined = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == ':');
            if joined(before) || joined(after) {
                continue;
            }
            let groups = s.split(':').filter(|g| !g.is_empty()).count();
            if groups >= 2 && s.parse::<Ipv6Addr>().is_ok() {
                out.push(Span {
                    start: m.start(),
                    end: m.end(),
                    kind: Kind::Ip,
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------- IBANs

/// A country code, two check digits, then groups of letters and digits
/// with optional single spaces.
static IBAN: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b[a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){2,7}(?:[ ]?[a-z0-9]{1,3})?\b")
});

pub(super) fn ibans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for m in IBAN.find_iter(text) {
        // The pattern may run on into the next word ("… 32 plea"): try the
        // longest prefix that ends at a group boundary and checks out.
        let s = m.as_str();
        let mut ends: Vec<usize> = s.match_indices(' ').map(|(i, _)| i).collect();
        ends.push(s.len());
        if let Some(&end) = ends.iter().rev().find(|&&e| iban_valid(&s[..e])) {
            out.push(Span {
                start: m.start(),
                end: m.start() + end,
                kind: Kind::Iban,
            });
        }
    }
    out
}

/// ISO 13616: 15–34 characters, and the number made by moving the first
/// four to the end (letters as 10–35) is 1 modulo 97.
pub(super) fn iban_valid(s: &str) -> bool {
    let compact: Vec<char> = s
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(15..=34).contains(&compact.len())
        || !compact[..2].iter().all(char::is_ascii_uppercase)
        || !compact[2..4].iter().all(char::is_ascii_digit)
        || !compact.iter().all(char::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rem: u32 = 0;
    for c in compact[4..].iter().chain(&compact[..4]) {
        let v = c.to_digit(36).expect("alphanumeric");
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

// ---------------------------------------------------------------- cards

/// 13–19 digits, optionally grouped by single spaces or dashes.
static CARD: LazyLock<Regex> = LazyLock::new(|| compile(r"\b\d(?:[ \-]?\d){12,18}\b"));

pub(super) fn cards(text: &str) -> Vec<Span> {
    matches(&CARD, text, Kind::Card, |t, c| {
        let m = c.get(0).expect("whole match");
        // A '+' in front makes it an international phone number.
        luhn_valid(m.as_str()) && !t[..m.start()].ends_with('+')
    })
}

fn luhn_valid(s: &str) -> bool {
    let d = digits(s);
    if !(13..=19).contains(&d.len()) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| match (i % 2, x * 2) {
            (1, y) if y > 9 => y - 9,
            (1, y) => y,
            _ => x,
        })
        .sum();
    sum.is_multiple_of(10)
}

// ------------------------------------------------------ national ids

/// `123-45-6789`, or nine digits after an SSN label.
static SSN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?:\b(?:ssn|ss#|social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?)[ \t]*(?:is|:|#|=)?[ \t]*(\d{3}[ \-]?\d{2}[ \-]?\d{4})\b|\b(\d{3}-\d{2}-\d{4})\b)",
    )
});

pub(super) fn ssns(text: &str) -> Vec<Span> {
    SSN.captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1).or_else(|| c.get(2))?;
            let d: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
            let (area, group, serial) = (&d[..3], &d[3..5], &d[5..]);
            let valid = area != "000"
                && area != "666"
                && !area.starts_with('9')
                && group != "00"
                && serial != "0000";
            valid.then_some(Span {
                start: m.start(),
                end: m.end(),
                kind: Kind::Ssn,
            })
        })
        .collect()
}

/// UK National Insurance numbers (`QQ 12 34 56 C`), Spanish DNI and NIE
/// (checked by their letter), and any value after a national-id label.
static NINO: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
});
static DNI: LazyLock<Regex> = LazyLock::new(|| compile(r"\b[XYZ]?\d{7,8}-?[A-Z]\b"));
static LABELLED_ID: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?x)\b(?:
            (?i:passport|national[\ \t]+(?:id|identity|insurance)(?:[\ \t]+card)?|id[\ \t]+card|identity[\ \t]+card
               |driver'?s?[\ \t]+licen[cs]e|driving[\ \t]+licen[cs]e|tax[\ \t]+(?:id|number|file[\ \t]+number)
               |personnummer|codice[\ \t]+fiscale|steuer-?id|aadhaar|id[\ \t]+number)
            |SIN|NIN|NINO|BSN|CPR|PESEL|NIF|NIE|DNI|CURP|CPF|TFN|PAN|TIN|NI)
        (?:[\ \t]+(?i:no\.?|number|num|\#))?[\ \t]*(?i:is|:|\#|=)?[\ \t]*
        (?P<pii>\d{2,6}(?:[\ ]\d{2,6}){1,4}|[A-Za-z0-9][A-Za-z0-9\-.]{4,19})\b",
    )
});

pub(super) fn national_ids(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    out.extend(matches(&NINO, text, Kind::NationalId, |_, c| {
        !matches!(&c[0][..2], "BG" | "GB" | "NK" | "KN" | "TN" | "NT" | "ZZ")
    }));
    out.extend(matches(&DNI, text, Kind::NationalId, |_, c| {
        dni_valid(&c[0])
    }));
    out.extend(matches(&LABELLED_ID, text, Kind::NationalId, |_, c| {
        c["pii"].chars().filter(char::is_ascii_digit).count() >= 4
    }));
    out.sort();
    out.dedup_by(|b, a| b.start < a.end);
    out
}

/// A DNI's letter is its number modulo 23 in a fixed table; an NIE's
/// leading X, Y or Z counts as 0, 1 or 2.
fn dni_valid(s: &str) -> bool {
    const LETTERS: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let s = s.replace('-', "");
    let (num, letter) = s.split_at(s.len() - 1);
    let num = match num.chars().next() {
        Some('X') => format!("0{}", &num[1..]),
        Some('Y') => format!("1{}", &num[1..]),
        Some('Z') => format!("2{}", &num[1..]),
        _ => num.to_string(),
    };
    num.len() == 8
        && num
            .parse::<u64>()
            .is_ok_and(|n| LETTERS[(n % 23) as usize] == letter.as_bytes()[0])
}

// --------------------------------------------------------------- phones

/// International or national phone numbers: an optional `+CC`, optional
/// parenthesised area code, then groups of digits separated by spaces,
/// dots or dashes; 7–15 digits in all (checked after matching).
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d{2,5}(?:[ .\-]\d{2,6}){1,4}\b|\+\d{8,15}\b|\b\d{10,11}\b",
    )
});

/// Words that, just before a number, say it is a reference, not a phone.
const REFERENCE_WORDS: &[&str] = &[
    "order",
    "ticket",
    "case",
    "invoice",
    "booking",
    "reservation",
    "confirmation",
    "tracking",
    "reference",
    "ref",
    "transaction",
    "serial",
    "policy",
    "claim",
    "membership",
    "receipt",
    "pnr",
    "shipment",
    "parcel",
    "sku",
    "model",
    "part",
    "inv",
    "flyer",
    "loyalty",
    "member",
    "contract",
];

/// Words that, just before a dotted number, make it a version.
const VERSION_WORDS: &[&str] = &[
    "version", "ver", "v", "release", "build", "firmware", "windows", "ios", "android", "chrome",
    "firefox", "safari", "macos", "update", "patch",
];

pub(super) fn phones(text: &str) -> Vec<Span> {
    // Digits inside something shaped like an IBAN that failed its check
    // are a mistyped IBAN, not a phone ("GB82 WEST [PHONE]" was the bug).
    let iban_shaped: Vec<(usize, usize)> =
        IBAN.find_iter(text).map(|m| (m.start(), m.end())).collect();
    matches(&PHONE, text, Kind::Phone, |t, c| {
        let m = c.get(0).expect("whole match");
        if iban_shaped
            .iter()
            .any(|&(s, e)| s < m.start() && m.start() < e)
        {
            return false;
        }
        // The tail of a longer number ("112-3344556-7788") is no phone.
        let mut back = t[..m.start()].chars().rev();
        let (prev, prev2) = (back.next(), back.next());
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if word(prev) || (matches!(prev, Some('-' | '.' | '/')) && word(prev2)) {
            return false;
        }
        let version = m.as_str().contains('.')
            && words_before(t, m.start(), 1)
                .first()
                .is_some_and(|w| VERSION_WORDS.contains(&w.as_str()));
        looks_like_phone(m.as_str()) && !version && !is_reference(t, m.start())
    })
}

/// Whether the number at `at` follows a reference label ("order no.",
/// "tracking #", "booking ref:").
fn is_reference(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end().trim_end_matches(['#', ':', '.']);
    let words = words_before(before, before.len(), 2);
    let is_ref = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| REFERENCE_WORDS.contains(&w.as_str()))
    };
    let is_no = words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "no" | "number" | "num" | "id"));
    is_ref(0) || (is_no && is_ref(1))
}

/// Tell phone numbers from dates, prices, versions, ids and amounts.
fn looks_like_phone(m: &str) -> bool {
    let n = digits(m).len();
    if !(7..=15).contains(&n) {
        return false;
    }
    let t = m.trim();
    let groups: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    // Dates: 2026-03-04, 2026.03.04, 04.03.2026, 04-03-2026.
    if groups.len() == 3 {
        let l: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        if (l[0] == 4 && l[1] <= 2 && l[2] <= 2) || (l[0] <= 2 && l[1] <= 2 && l[2] == 4) {
            return false;
        }
    }
    // A date and time (2026-02-03 10:00:00, as survey and ticket exports
    // write them): the match stops at the hour, after a dashed date.
    if is_iso_date(t) {
        return false;
    }
    // Dotted groups are versions or amounts unless there is a '+' or '('.
    if t.contains('.') && !t.starts_with('+') && !t.contains('(') && groups.len() < 3 {
        return false;
    }
    // A bare run of digits is a phone only at typical lengths.
    if groups.len() == 1 && !t.starts_with('+') {
        return (10..=11).contains(&n);
    }
    true
}

/// Whether `t` starts with a `YYYY-MM-DD` date (dashes or slashes) of
/// this or the last century.
fn is_iso_date(t: &str) -> bool {
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<u32>().ok());
    b.len() >= 10
        && b[4] == b[7]
        && matches!(b[4], b'-' | b'/')
        && num(0..4).is_some_and(|y| (1900..2100).contains(&y))
        && num(5..7).is_some_and(|m| (1..=12).contains(&m))
        && num(8..10).is_some_and(|d| (1..=31).contains(&d))
}
