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

/// A file path (or a whole origin, `path:line (row N)`) as a code span
/// that nothing in the name can break out of: `\\` for a backslash, `\n`,
/// `\r`, `\t` for line breaks and tabs, and `\u{HEX}` for a backtick, a
/// `|` (it would split a table cell even inside code), any other control
/// character and the bidirectional-text controls (which can make a name
/// read as another). Every other character is as written; [`uncode`]
/// reads it back. A newline in a file name once started a `# Heading` in
/// the middle of a report.
pub fn code(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('`');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '`' | '|' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// The characters that reorder text around them (U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Undo [`code`] on the text between the backticks: the path as stored.
/// A backslash that starts no escape is kept.
pub fn uncode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let (c, used) = match tail.chars().next() {
            Some('\\') => (Some('\\'), 1),
            Some('n') => (Some('\n'), 1),
            Some('r') => (Some('\r'), 1),
            Some('t') => (Some('\t'), 1),
            Some('u') => match tail[1..].strip_prefix('{').and_then(|t| t.split_once('}')) {
                Some((hex, _)) => {
                    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                        Some(c) => (Some(c), hex.len() + 3),
                        None => (None, 0),
                    }
                }
                None => (None, 0),
            },
            _ => (None, 0),
        };
        match c {
            Some(c) => out.push(c),
            None => out.push('\\'),
        }
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

/// The citation: origin and snippet id, both searchable.
pub fn citation(q: &Quote) -> String {
    format!("{} · `s:{}`", code(&q.source.to_string()), q.snippet_id)
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
    fn paths_in_code_spans_cannot_break_out_and_read_back() {
        for (path, shown) in [
            (
                "corpus/tickets/zendesk.csv:52 (row 11)",
                "`corpus/tickets/zendesk.csv:52 (row 11)`",
            ),
            ("corpus/a|b.csv:3", "`corpus/a\\u{7c}b.csv:3`"),
            (
                "corpus/x\n# Injected.txt:2",
                "`corpus/x\\n# Injected.txt:2`",
            ),
            ("corpus/tick`et.jsonl:1", "`corpus/tick\\u{60}et.jsonl:1`"),
            ("c:\\data\\n.txt", "`c:\\\\data\\\\n.txt`"),
            (
                "corpus/\u{1b}[31mred\t\r.txt",
                "`corpus/\\u{1b}[31mred\\t\\r.txt`",
            ),
            ("corpus/\u{202e}txt.exe", "`corpus/\\u{202e}txt.exe`"),
            ("corpus/caf\u{fffd}.txt", "`corpus/caf\u{fffd}.txt`"),
        ] {
            let c = code(path);
            assert_eq!(c, shown);
            let inner = &c[1..c.len() - 1];
            assert!(!inner.contains(['`', '|', '\n', '\r']), "{c}");
            assert_eq!(uncode(inner), path);
        }
        // A stray backslash (not one `code` wrote) is kept.
        assert_eq!(uncode("a\\qb\\u{zz}\\"), "a\\qb\\u{zz}\\");
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
