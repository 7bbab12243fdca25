//! HTML message bodies: consumes the HTML of a ticket or conversation
//! message (Zendesk `html_body`, Intercom `body`); produces its plain text,
//! block ends as line breaks, tags dropped, entities decoded.

use regex::Regex;
use std::sync::LazyLock;

/// HTML block ends and tags, for message bodies.
static BLOCK_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</h[1-6]\s*>|</blockquote\s*>")
        .expect("valid regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));
static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});").expect("valid regex")
});

/// Plain text of an HTML message body (`<p>Hi</p><p>there &amp; you</p>` →
/// `Hi\nthere & you`); text without tags is only trimmed.
pub(super) fn html_text(s: &str) -> String {
    let markup = (s.contains('<') && s.contains('>')) || s.contains('&');
    if !markup {
        return s.trim().to_string();
    }
    let s = BLOCK_END.replace_all(s, "\n");
    let s = TAG.replace_all(&s, "");
    let s = ENTITY.replace_all(&s, |c: &regex::Captures| {
        let e = &c[1];
        let ch = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = e.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match e {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => None,
            }
        };
        ch.map_or_else(|| c[0].to_string(), String::from)
    });
    let mut out: Vec<&str> = Vec::new();
    for line in s.lines().map(str::trim) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_become_text() {
        assert_eq!(
            html_text("<p>Hi there,</p><p>the export &amp; the <b>sync</b> fail.</p>"),
            "Hi there,\nthe export & the sync fail."
        );
        assert_eq!(html_text("a<br>b<br/>&#8212;&#x41;&nbsp;z"), "a\nb\n—A z");
        assert_eq!(html_text("  plain  "), "plain");
        assert_eq!(html_text("<p></p>"), "");
    }
}
