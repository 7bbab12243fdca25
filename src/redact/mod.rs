//! Personal-data redaction: text in, the same text with each piece of
//! personal data replaced by a placeholder naming its kind out.
//!
//! Runs before anything is stored, indexed, printed or written: on every
//! turn and title (segment), on the source text kept for skipped records
//! (the rejects file), and on every warning or skip reason
//! ([`crate::model::Skipped`] redacts its reason when it is made), so the
//! same rules hold in the index, the reports, the export and on stderr.
//!
//! | kind | placeholder | what is found |
//! | --- | --- | --- |
//! | [`Kind::Email`] | `[EMAIL]` | addresses, also written `jane(at)example(dot)com`, `jane [at] example [dot] com`, `jane at example dot com` |
//! | [`Kind::Phone`] | `[PHONE]` | 7–15 digits in phone layouts (`+CC`, `(area)`, groups), not dates, versions or labelled order numbers |
//! | [`Kind::Card`] | `[CARD]` | 13–19 digits that pass the Luhn check |
//! | [`Kind::Iban`] | `[IBAN]` | IBANs with or without spaces that pass the mod-97 check |
//! | [`Kind::Ip`] | `[IP]` | IPv4 and IPv6 addresses (parsed, so `999.1.1.1` and `version 1.2.3.4` are not) |
//! | [`Kind::Ssn`] | `[SSN]` | US social security numbers `123-45-6789` (valid area/group/serial), or labelled without dashes |
//! | [`Kind::NationalId`] | `[NATIONAL_ID]` | UK National Insurance numbers, Spanish DNI/NIE (check letter), and values labelled passport, national ID, driving licence, tax ID … |
//! | [`Kind::Address`] | `[ADDRESS]` | street number + name + street type (`12 High Street`, `400 W Main St, Apt 4B, Springfield, IL 62704`), continental forms (`Hauptstraße 5`, `10 rue de Rivoli`, `Calle Mayor 12`), PO boxes, and the address lines of a signature |
//! | [`Kind::Postcode`] | `[POSTCODE]` | UK and Canadian postcodes, US ZIP codes after a state code, Dutch postcodes before a town, and values labelled zip / postal code |
//! | [`Kind::Dob`] | `[DOB]` | a full date after a label: `DOB`, `date of birth`, `born on`, `birthday` |
//! | [`Kind::Name`] | `[NAME]` | the name under a sign-off (`Best regards,` / `Thanks,` …) at the end of a message |
//!
//! Names of people anywhere else are not redacted: telling "Jane said"
//! from "Java said" needs a model, and cairn keeps speakers' names as the
//! researcher's own data. Birth years alone, bank account numbers and sort
//! codes, MAC addresses and free-text places (a town named on its own) are
//! not redacted either. `docs/QUALITY.md` ("Redaction") has the measured
//! recall and false positives.
//!
//! Each detector runs on the text with the spans found before it masked,
//! in a fixed order (emails first, the signature block last), so two
//! detectors never claim the same characters. Newlines are never removed,
//! so line offsets inside a turn stay valid after redaction. Every pattern
//! is compiled once ([`LazyLock`]).

mod contact;
mod numbers;
mod places;
mod signature;

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

/// What kind of personal data a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Email,
    Phone,
    Card,
    Iban,
    Ip,
    Ssn,
    NationalId,
    Address,
    Postcode,
    Dob,
    Name,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Email,
        Kind::Phone,
        Kind::Card,
        Kind::Iban,
        Kind::Ip,
        Kind::Ssn,
        Kind::NationalId,
        Kind::Address,
        Kind::Postcode,
        Kind::Dob,
        Kind::Name,
    ];

    /// The text that replaces a span of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Email => "[EMAIL]",
            Kind::Phone => "[PHONE]",
            Kind::Card => "[CARD]",
            Kind::Iban => "[IBAN]",
            Kind::Ip => "[IP]",
            Kind::Ssn => "[SSN]",
            Kind::NationalId => "[NATIONAL_ID]",
            Kind::Address => "[ADDRESS]",
            Kind::Postcode => "[POSTCODE]",
            Kind::Dob => "[DOB]",
            Kind::Name => "[NAME]",
        }
    }

    /// The kind's name: its placeholder without the brackets.
    pub fn as_str(self) -> &'static str {
        let p = self.placeholder();
        &p[1..p.len() - 1]
    }

    /// The kind named `s` (`EMAIL`, `NATIONAL_ID` …, any case).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A piece of personal data: byte offsets into the text and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// The byte that stands in for text already claimed by a detector: not a
/// word character, not whitespace, in no pattern.
const MASK: char = '\u{1}';

/// A detector: the masked text in, the spans it finds out.
type Detect = fn(&str) -> Vec<Span>;

/// The detectors, in the order they claim text, each with whether it can
/// only match text that has a digit (most sentences have none: skipping
/// those detectors there keeps redaction cheap).
const DETECTORS: &[(Detect, bool)] = &[
    (contact::emails, false),
    (contact::obfuscated_emails, false),
    (numbers::ips, true),
    (numbers::ibans, true),
    (numbers::cards, true),
    (numbers::ssns, true),
    (numbers::national_ids, true),
    (contact::dobs, true),
    (places::addresses, true),
    (places::postcodes, true),
    (numbers::phones, true),
    (signature::signature, false),
];

/// Every piece of personal data in `text`, in order, never overlapping.
pub fn spans(text: &str) -> Vec<Span> {
    let mut found: Vec<Span> = Vec::new();
    let mut masked = Cow::Borrowed(text);
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    for (detect, needs_digit) in DETECTORS {
        if *needs_digit && !has_digit {
            continue;
        }
        let mut new: Vec<Span> = detect(&masked)
            .into_iter()
            .filter(|s| s.start < s.end && !masked[s.start..s.end].contains(MASK))
            .collect();
        // Two patterns of one detector may find the same text (an IPv6
        // address ending in an IPv4 one): the earlier, longer span wins.
        new.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        new.dedup_by(|b, a| b.start < a.end);
        if new.is_empty() {
            continue;
        }
        let m = masked.to_mut();
        for s in &new {
            let fill: String = masked_fill(&m[s.start..s.end]);
            m.replace_range(s.start..s.end, &fill);
        }
        found.extend(new);
    }
    found.sort();
    found
}

/// As many mask bytes as `s` has, keeping its newlines.
fn masked_fill(s: &str) -> String {
    s.bytes()
        .map(|b| if b == b'\n' { '\n' } else { MASK })
        .collect()
}

/// Replace every piece of personal data with its kind's placeholder.
pub fn redact(text: &str) -> Cow<'_, str> {
    let spans = spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        out.push_str(s.kind.placeholder());
        for _ in text[s.start..s.end].matches('\n') {
            out.push('\n');
        }
        at = s.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The spans of `re`'s matches (or of their `pii` group, when the pattern
/// has one: the label before a value is not redacted) that `keep`
/// accepts, as `kind`.
fn matches(
    re: &regex::Regex,
    text: &str,
    kind: Kind,
    keep: impl Fn(&str, &regex::Captures) -> bool,
) -> Vec<Span> {
    re.captures_iter(text)
        .filter_map(|c| {
            let m = c.name("pii").or_else(|| c.get(0))?;
            keep(text, &c).then_some(Span {
                start: m.start(),
                end: m.end(),
                kind,
            })
        })
        .collect()
}

/// A pattern compiled once; the patterns are literals, so a failure is a
/// bug caught by the first test that redacts anything.
fn compile(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("valid redaction pattern")
}

/// The digits of `s`, as numbers.
fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// The lowercased words just before byte `at` in `text` (at most `n`).
fn words_before(text: &str, at: usize, n: usize) -> Vec<String> {
    text[..at]
        .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_lowercase)
        .collect()
}

/// A placeholder, as [`redact`] writes them.
static PLACEHOLDER: LazyLock<regex::Regex> = LazyLock::new(|| compile(r"\[[A-Z_]+\]"));

#[cfg(test)]
mod tests;
