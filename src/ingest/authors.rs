//! Who is speaking: author names that are not people.
//!
//! Consumes author names (for customer keys); produces a yes/no for a name.
//!
//! - **Placeholder authors** ([`PLACEHOLDER_AUTHORS`]): stores print "A
//!   Google user", "Verified User in Germany", "Amazon Customer" or
//!   "[deleted]" for anonymous reviewers. Many people share each name, so
//!   [`is_placeholder_author`] names are never a customer key: such a record
//!   is an anonymous author of its own, like a record with no author.

/// Author names that stores and review sites print for anonymous reviewers
/// (Google Play, G2, Trustpilot, Amazon, the App Store, Reddit), and filler
/// values exports write for a missing name. Matched case-insensitively on
/// the whole trimmed name; `*` at the end matches any ending (`verified
/// user*`: G2's "Verified User in Accounting").
pub const PLACEHOLDER_AUTHORS: &[&str] = &[
    "anonymous*",
    "anon",
    "a google user",
    "a customer",
    "customer",
    "amazon customer",
    "kindle customer",
    "app store user",
    "verified user*",
    "verified reviewer*",
    "verified buyer*",
    "verified purchaser*",
    "small business owner",
    "[deleted]",
    "deleted user",
    "guest",
    "user",
    "unknown",
    "n/a",
    "none",
    "null",
];

/// Whether an author name (or key) is a placeholder, not a person.
pub fn is_placeholder_author(name: &str) -> bool {
    let k = name.trim().to_lowercase();
    let k = k.trim_start_matches("u/");
    PLACEHOLDER_AUTHORS
        .iter()
        .any(|p| match p.strip_suffix('*') {
            Some(prefix) => k.starts_with(prefix),
            None => k == *p,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_names_match_whole_or_by_prefix_in_any_case() {
        for p in [
            "A Google user",
            "Verified User in Germany",
            "verified reviewer",
            "ANONYMOUS",
            "Anonymous Reviewer",
            "Amazon Customer",
            "Kindle Customer",
            "App Store user",
            "Guest",
            "N/A",
            "Unknown",
            "Deleted user",
            "[deleted]",
            "u/[deleted]",
            " a customer ",
        ] {
            assert!(is_placeholder_author(p), "{p}");
        }
        for p in [
            "Zoe M.",
            "C0007",
            "Guest House Ltd",
            "Unknown Pleasures Records",
            "@userbob",
        ] {
            assert!(!is_placeholder_author(p), "{p}");
        }
    }
}
