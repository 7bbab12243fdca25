//! Personal-data redaction: text in, text with emails, phone numbers and
//! payment card numbers replaced by `[EMAIL]`, `[PHONE]` and `[CARD]` out.
//!
//! Runs before anything is stored or indexed. Newlines are never removed, so
//! line offsets inside a turn stay valid after redaction.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b").unwrap()
});

/// 13–19 digits, optionally grouped by single spaces or dashes.
static CARD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d(?:[ \-]?\d){12,18}\b").unwrap());

/// International or national phone numbers: an optional `+CC`, optional
/// parenthesised area code, then groups of digits separated by spaces,
/// dots or dashes; 7–15 digits in all (checked after matching).
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d{2,5}(?:[ .\-]\d{2,6}){1,4}\b|\+\d{8,15}\b|\b\d{10,11}\b")
        .unwrap()
});

/// Replace emails, card numbers (Luhn-valid) and phone numbers.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if EMAIL.is_match(&out) {
        out = Cow::Owned(EMAIL.replace_all(&out, "[EMAIL]").into_owned());
    }
    if CARD.is_match(&out) {
        // A '+' in front makes it an international phone number, not a card.
        let text = out.clone();
        let replaced = CARD.replace_all(&text, |c: &regex::Captures| {
            let m = c.get(0).expect("whole match");
            let after_plus = text[..m.start()].ends_with('+');
            if luhn_valid(m.as_str()) && !after_plus {
                "[CARD]".to_string()
            } else {
                m.as_str().to_string()
            }
        });
        if replaced != text {
            out = Cow::Owned(replaced.into_owned());
        }
    }
    if PHONE.is_match(&out) {
        let replaced = PHONE.replace_all(&out, |c: &regex::Captures| {
            let m = &c[0];
            if looks_like_phone(m) {
                "[PHONE]".to_string()
            } else {
                m.to_string()
            }
        });
        if replaced != out {
            out = Cow::Owned(replaced.into_owned());
        }
    }
    out
}

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
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
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Tell phone numbers from dates, prices, versions, ids and amounts.
fn looks_like_phone(m: &str) -> bool {
    let n = digits(m).len();
    if !(7..=15).contains(&n) {
        return false;
    }
    let t = m.trim();
    // Dates like 2026-03-04 or 2026.03.04: four-digit year groups.
    let groups: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    if groups.len() == 3 && groups[0].len() == 4 && groups[1].len() <= 2 && groups[2].len() <= 2 {
        return false;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_emails() {
        assert_eq!(
            redact("write to jo.smith+billing@example.co.uk today"),
            "write to [EMAIL] today"
        );
    }

    #[test]
    fn redacts_phone_numbers_in_common_formats() {
        for p in [
            "+1 (415) 555-0134",
            "415-555-0134",
            "(415) 555 0134",
            "07700 900123",
            "+44 7700 900123",
            "+4915112345678",
            "4155550134",
        ] {
            let text = format!("call me on {p} please");
            assert_eq!(redact(&text), "call me on [PHONE] please", "{p}");
        }
    }

    /// Exports write dates with times; the phone pattern matched
    /// `2026-02-03 10` and left `[PHONE]:00:00` in rejects and quotes.
    #[test]
    fn date_times_are_not_phone_numbers() {
        for t in [
            "2026-02-03 10:00:00",
            "charged on 2026-02-03 10:15 and again",
            "2026/02/03 09:05",
        ] {
            assert_eq!(redact(t), t);
        }
        assert_eq!(redact("call 0301 23 45 67"), "call [PHONE]");
    }

    #[test]
    fn redacts_luhn_valid_cards_only() {
        assert_eq!(
            redact("card 4111 1111 1111 1111 was charged"),
            "card [CARD] was charged"
        );
        assert_eq!(redact("used 5555-5555-5555-4444"), "used [CARD]");
        // Not Luhn-valid: an order number, left alone (but too long to be a phone).
        assert_eq!(
            redact("order 1234567812345678 shipped"),
            "order 1234567812345678 shipped"
        );
    }

    #[test]
    fn leaves_dates_prices_versions_and_short_numbers() {
        for t in [
            "charged $29.99 on 2026-03-04",
            "version 4.2.1 broke sync",
            "ticket 10231 is still open",
            "paid 1,200 last year",
            "on hold for 45 minutes",
        ] {
            assert_eq!(redact(t), t);
        }
    }

    #[test]
    fn keeps_newlines() {
        let t = "line one\nmail me at a@b.io\nline three";
        assert_eq!(redact(t).lines().count(), 3);
    }
}
