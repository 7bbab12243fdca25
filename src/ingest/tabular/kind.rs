//! Source-kind and vendor detection: consumes a tabular file's column
//! names and its path; produces its [`SourceKind`] (ticket, review, social,
//! survey) and the help-desk vendor named in either, if any.

use super::columns::{Columns, Field};
use super::normalize_column;
use crate::model::SourceKind;

/// Columns only a help desk writes: they make a ticket file whatever else
/// is there.
#[rustfmt::skip]
const TICKET_COLUMNS: &[&str] = &[
    "ticket_status", "requester", "requester_email", "requester_id", "requester_name",
    "priority", "assignee", "ticket_id",
];
/// Columns a help desk writes that other exports have too (a review's
/// moderation status): a ticket file unless a column names reviews.
#[rustfmt::skip]
const WEAK_TICKET_COLUMNS: &[&str] = &["satisfaction", "satisfaction_rating", "status"];
/// Words that, as a whole word of a short column name (`review`, `Review
/// Text`, `reviewer_name`, `Date of review`), say the rows are reviews.
const REVIEW_WORDS: &[&str] = &["review", "reviews", "reviewer"];
#[rustfmt::skip]
const REVIEW_COLUMNS: &[&str] = &[
    "rating", "stars", "star_rating", "review_rating", "review_id", "review_text", "review_title",
];
#[rustfmt::skip]
const SOCIAL_COLUMNS: &[&str] = &[
    "platform", "likes", "like_count", "retweets", "retweet_count", "reach", "shares",
    "share_count", "impressions", "followers", "tweet", "tweet_id", "post_id", "network",
];

/// The source kind of a tabular file: first from its columns (requester,
/// priority, assignee, ticket id → ticket; a column named for reviews —
/// `review`, `review_text`, `Review Title`, `reviewer` — → review;
/// satisfaction, status → ticket; rating, stars → review; platform, likes,
/// retweets, reach → social; a score or CSAT column with a comment column →
/// survey), then from its path (the file stem, then its folders,
/// innermost first: ticket/support/zendesk/intercom → ticket, review →
/// review, social/mention/tweet/post → social, survey/nps/csat → survey).
/// `None` if neither says.
pub fn detect_kind(columns: &[String], path: &str) -> Option<SourceKind> {
    let cols: Vec<String> = columns.iter().map(|c| normalize_column(c)).collect();
    kind_from_columns(&cols).or_else(|| kind_from_path(path))
}

fn kind_from_columns(cols: &[String]) -> Option<SourceKind> {
    let has = |set: &[&str]| cols.iter().any(|c| set.contains(&c.as_str()));
    if has(TICKET_COLUMNS) {
        return Some(SourceKind::Ticket);
    }
    // Short names only: a survey question ("Did you read our reviews
    // before buying?") is a column name too, and no review column.
    let names_reviews = cols.iter().any(|c| {
        let words: Vec<&str> = c.split('_').collect();
        words.len() <= 4 && words.iter().any(|w| REVIEW_WORDS.contains(w))
    });
    if names_reviews {
        return Some(SourceKind::Review);
    }
    if has(WEAK_TICKET_COLUMNS) {
        return Some(SourceKind::Ticket);
    }
    if has(REVIEW_COLUMNS) {
        return Some(SourceKind::Review);
    }
    if has(SOCIAL_COLUMNS) {
        return Some(SourceKind::Social);
    }
    let map = Columns::new(cols);
    if (map.has(Field::Score) || map.has(Field::Satisfaction)) && map.has(Field::Body) {
        return Some(SourceKind::Survey);
    }
    None
}

fn kind_from_path(path: &str) -> Option<SourceKind> {
    let lower = path.to_lowercase();
    let mut parts: Vec<&str> = lower.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.rsplit_once('.').map_or(*last, |(stem, _)| stem);
    }
    const WORDS: [(SourceKind, &[&str]); 4] = [
        (
            SourceKind::Ticket,
            &[
                "ticket",
                "support",
                "zendesk",
                "intercom",
                "freshdesk",
                "helpdesk",
            ],
        ),
        (SourceKind::Review, &["review"]),
        (SourceKind::Social, &["social", "mention", "tweet", "post"]),
        (SourceKind::Survey, &["survey", "nps", "csat"]),
    ];
    parts.iter().rev().find_map(|part| {
        WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| part.contains(w)))
            .map(|(k, _)| *k)
    })
}

/// A help-desk vendor named in the path or the columns.
pub(super) fn detect_vendor(path: &str, cols: &[String]) -> Option<&'static str> {
    let lower = path.to_lowercase();
    ["zendesk", "intercom", "freshdesk"]
        .into_iter()
        .find(|v| lower.contains(v) || cols.iter().any(|c| c.contains(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    /// Review exports kept by hand or by tools cairn has no layout for:
    /// columns that name reviews make a review file, even beside a
    /// moderation `status`, and whatever the file is called.
    #[test]
    fn review_shaped_headers_read_as_reviews() {
        for c in [
            &["author", "review"][..],
            &["Author", "Review", "Date"],
            &["reviewer", "comment", "date"],
            &["Reviewer Name", "Review Title", "Review Text", "Status"],
            &["review_text", "created_at", "status"],
            &["id", "reviewBody", "author"],
            &["Date of review", "Body", "Stars"],
            &["author", "body", "stars"],
        ] {
            assert_eq!(
                detect_kind(&cols(c), "corpus/export.csv"),
                Some(SourceKind::Review),
                "{c:?}"
            );
        }
        // A survey question that mentions reviews is no review column.
        assert_ne!(
            detect_kind(
                &cols(&[
                    "Respondent ID",
                    "How likely are you to recommend us?",
                    "Did you read our reviews before buying?"
                ]),
                "corpus/export.csv"
            ),
            Some(SourceKind::Review)
        );
        // A column that merely contains the letters is no review column.
        assert_eq!(
            detect_kind(
                &cols(&["id", "reviewed_by", "subject", "description", "status"]),
                "x.csv"
            ),
            Some(SourceKind::Ticket)
        );
    }

    #[test]
    fn kind_from_columns_then_path() {
        let k = |c: &[&str], p: &str| detect_kind(&cols(c), p);
        assert_eq!(
            k(
                &["id", "Subject", "Description", "Status", "Satisfaction"],
                "x.csv"
            ),
            Some(SourceKind::Ticket)
        );
        assert_eq!(
            k(&["review_id", "Stars", "Title", "Body"], "x.csv"),
            Some(SourceKind::Review)
        );
        assert_eq!(
            k(&["handle", "text", "likes", "retweets"], "x.csv"),
            Some(SourceKind::Social)
        );
        assert_eq!(
            k(&["respondent", "NPS", "Comment"], "x.csv"),
            Some(SourceKind::Survey)
        );
        assert_eq!(
            k(
                &[
                    "How likely are you to recommend us?",
                    "Anything else? (comments)"
                ],
                "x.csv"
            ),
            Some(SourceKind::Survey)
        );
        // Columns say nothing: the path decides, innermost part first.
        assert_eq!(
            k(&["id", "text"], "corpus/zendesk/export.csv"),
            Some(SourceKind::Ticket)
        );
        assert_eq!(
            k(&["id", "text"], "corpus/app_reviews.csv"),
            Some(SourceKind::Review)
        );
        assert_eq!(
            k(&["id", "text"], "corpus/mentions.jsonl"),
            Some(SourceKind::Social)
        );
        assert_eq!(
            k(&["id", "text"], "corpus/q1-nps.csv"),
            Some(SourceKind::Survey)
        );
        assert_eq!(
            k(&["id", "text"], "support/reviews/g2.csv"),
            Some(SourceKind::Review)
        );
        assert_eq!(k(&["id", "text"], "corpus/export.csv"), None);
        // Help-desk-only columns win over a review-ish one.
        assert_eq!(
            k(&["Ticket ID", "Review status", "Description"], "x.csv"),
            Some(SourceKind::Ticket)
        );
        assert_eq!(k(&[], "corpus/export.csv"), None);
    }
}
