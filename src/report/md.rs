//! Markdown building blocks shared by the reports: escaping, quotes with
//! citations, counts with their base.

use crate::synth::quotes::Quote;
use crate::synth::stats::wilson;

/// Escape text so it renders verbatim inline (and inside table cells).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Undo [`escape`]: the quote text as stored.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The citation: origin and snippet id, both searchable.
pub fn citation(q: &Quote) -> String {
    format!("`{}` · `s:{}`", q.source, q.snippet_id)
}

/// Who said it and when: "C0042, ticket, 2026-03-02".
pub fn attribution(q: &Quote) -> String {
    let mut parts = Vec::new();
    if let Some(c) = q.customer.as_deref().or(q.speaker.as_deref()) {
        parts.push(escape(c));
    }
    parts.push(q.kind.to_string());
    if let Some(d) = q.date {
        parts.push(d.format("%Y-%m-%d").to_string());
    }
    parts.join(", ")
}

/// A quote as a list item: “text” — who, kind, date · citation.
pub fn quote_item(q: &Quote) -> String {
    format!(
        "- “{}” — {} · {}\n",
        escape(&q.text),
        attribution(q),
        citation(q)
    )
}

/// A short quote for a table cell.
pub fn quote_cell(q: &Quote) -> String {
    format!("“{}” ({})", escape(&q.text), citation(q))
}

/// "14 of 40 (35 %, 95 % CI 22–50 %)".
pub fn share(k: usize, n: usize) -> String {
    if n == 0 {
        return format!("{k} of 0");
    }
    let (lo, hi) = wilson(k, n);
    format!(
        "{k} of {n} ({:.0} %, 95 % CI {:.0}–{:.0} %)",
        100.0 * k as f64 / n as f64,
        100.0 * lo,
        100.0 * hi
    )
}

/// A signed score: "+0.25" / "−0.40".
pub fn signed(x: f64) -> String {
    signed_to(x, 2)
}

/// A signed number with `places` decimals and a true minus sign; zero (at
/// that precision) has no sign.
pub fn signed_to(x: f64, places: usize) -> String {
    let s = format!("{:.*}", places, x.abs());
    if s.chars().all(|c| c == '0' || c == '.') {
        s
    } else if x < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_round_trips() {
        for s in ["a*b_c [x](y) <b> | #1 `code` \\ ~", "plain text, 100 %"] {
            assert_eq!(unescape(&escape(s)), s);
        }
    }

    #[test]
    fn signed_numbers_use_a_true_minus_and_no_signed_zero() {
        assert_eq!(signed(-0.4), "−0.40");
        assert_eq!(signed(0.25), "+0.25");
        assert_eq!(signed(-0.001), "0.00");
        assert_eq!(signed_to(-66.666, 1), "−66.7");
        assert_eq!(signed_to(0.04, 1), "0.0");
    }

    #[test]
    fn share_gives_base_and_interval() {
        assert_eq!(share(14, 40), "14 of 40 (35 %, 95 % CI 22–50 %)");
    }
}
