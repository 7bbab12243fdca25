//! Vendor shape detection: consumes a file's parsed top-level [`Node`]s;
//! tells which vendor's export they are by the shape of their objects
//! (Zendesk ticket, Intercom conversation, App Store review, X API
//! response, Reddit listing) and yields the candidate records; also tells a
//! Reddit post that speaks for the company from a customer's.

use super::json::{Node, J};

/// The candidate records of a file: every top-level value of JSON Lines; a
/// top-level array's items; a top-level object's array (or object) under
/// one of `keys`; or the object itself. `Some` only when there is at least
/// one and every one passes `test`.
pub(super) fn records<'a>(
    tops: &'a [Node],
    keys: &[&str],
    test: fn(&Node) -> bool,
) -> Option<Vec<&'a Node>> {
    let found: Vec<&Node> = match tops {
        [] => return None,
        [top] if test(top) => vec![top],
        [top] => match &top.v {
            J::Arr(items) => items.iter().collect(),
            J::Obj(_) => {
                let inner = keys.iter().find_map(|k| top.get(k))?;
                match &inner.v {
                    J::Arr(items) => items.iter().collect(),
                    J::Obj(_) => vec![inner],
                    _ => return None,
                }
            }
            _ => return None,
        },
        many => many.iter().collect(),
    };
    (!found.is_empty() && found.iter().all(|n| test(n))).then_some(found)
}

pub(super) fn zendesk_ticket(n: &Node) -> bool {
    n.is_obj()
        && (n.has("satisfaction_rating")
            || (n.has("requester_id") && (n.has("via") || n.has("submitter_id"))))
        && (n.has("subject") || n.has("description") || n.has("comments"))
}

pub(super) fn intercom_conversation(n: &Node) -> bool {
    n.is_obj()
        && (n.get("type").and_then(Node::str) == Some("conversation")
            || n.has("conversation_parts"))
        && (n.has("source") || n.has("conversation_parts"))
}

pub(super) fn app_store_review(n: &Node) -> bool {
    n.is_obj()
        && (n.get("type").and_then(Node::str) == Some("customerReviews")
            || n.path(&["attributes", "reviewerNickname"]).is_some())
        && n.has("attributes")
}

fn tweet(n: &Node) -> bool {
    n.is_obj() && n.has("text") && (n.has("author_id") || n.has("edit_history_tweet_ids"))
}

/// The response object of the X API: tweets under `data`.
pub(super) fn twitter_top(tops: &[Node]) -> Option<&Node> {
    let [top] = tops else { return None };
    let data = top.get("data")?;
    let ok = match &data.v {
        J::Arr(items) => !items.is_empty() && items.iter().all(tweet),
        J::Obj(_) => tweet(data),
        _ => false,
    };
    ok.then_some(top)
}

pub(super) fn reddit_listing(n: &Node) -> bool {
    n.is_obj()
        && n.get("kind").and_then(Node::str) == Some("Listing")
        && matches!(n.path(&["data", "children"]).map(|c| &c.v), Some(J::Arr(_)))
}

/// Flair words that mark a Reddit author as speaking for the company.
const OFFICIAL_FLAIR: &[&str] = &[
    "official",
    "staff",
    "employee",
    "founder",
    "ceo",
    "support team",
    "customer support",
    "community manager",
];

/// Whether a Reddit post or comment speaks for the company or the
/// subreddit, not as a customer: `distinguished` as `moderator` or `admin`
/// (a moderator or Reddit employee posting officially), or an author flair
/// naming staff ("Official", "Ledgerly Staff", "Community Manager").
/// `is_submitter` (the thread's poster) is a customer like anyone else.
pub(super) fn reddit_official(d: &Node) -> bool {
    let distinguished = d.field("distinguished").unwrap_or_default();
    if matches!(distinguished.as_str(), "moderator" | "admin") {
        return true;
    }
    let flair: Vec<String> = d
        .field("author_flair_text")
        .unwrap_or_default()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let flair = format!(" {} ", flair.join(" "));
    OFFICIAL_FLAIR
        .iter()
        .any(|w| flair.contains(&format!(" {w} ")))
}

#[cfg(test)]
mod tests {
    use super::super::json::parse_all;
    use super::*;

    #[test]
    fn reddit_official_posts_are_distinguished_or_staff_flaired() {
        let official = |json: &str| reddit_official(&parse_all(json.as_bytes()).unwrap()[0]);
        assert!(official(r#"{"distinguished": "moderator"}"#));
        assert!(official(r#"{"distinguished": "admin"}"#));
        assert!(official(r#"{"author_flair_text": "Acme Staff"}"#));
        assert!(official(
            r#"{"author_flair_text": "Official Acme account"}"#
        ));
        assert!(official(r#"{"author_flair_text": "Community Manager"}"#));
        assert!(!official(
            r#"{"distinguished": null, "is_submitter": true}"#
        ));
        assert!(!official(r#"{"author_flair_text": "Freelance designer"}"#));
        assert!(!official(
            r#"{"author_flair_text": "Staffing agency owner"}"#
        ));
    }
}
