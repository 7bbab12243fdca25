//! One reader per vendor: consumes the records [`shapes`](super::shapes)
//! found (Zendesk tickets, Intercom conversations, App Store reviews, X API
//! tweets, Reddit posts and comments); turns each into a [`Rec`] with its
//! id, customer, date, rating, title, status and one [`Turn`] per message,
//! and stores it through the [`Reader`]. Each method documents the export
//! it reads.
//!
//! [`Turn`]: crate::model::Turn

use super::html::html_text;
use super::json::{Node, J};
use super::shapes::reddit_official;
use super::{Reader, Rec};
use crate::ingest::fields::{customer_key, parse_rating, parse_satisfaction};
use crate::model::{Role, SourceKind};
use std::collections::HashMap;

impl Reader<'_> {
    /// Zendesk Support tickets as the Tickets API returns them (`GET
    /// /api/v2/tickets.json`: `{"tickets": [...]}`, or `{"ticket": {...}}`)
    /// and as Admin Center → Account → Tools → Reports → Export → JSON
    /// writes them (one ticket per line): `id, subject, description, status,
    /// requester_id, via {channel}, tags [...], created_at, satisfaction_rating
    /// {score: good|bad|offered|unoffered, comment}`, and `comments [{author_id,
    /// body, plain_body, public}]` when the export includes them. The
    /// requester's comments are customer turns, everyone else's agent turns
    /// (private notes are left out); the CSAT comment is a customer turn with
    /// the topic `satisfaction comment`. Tags are read but not stored: the
    /// document model has no field for them.
    pub(super) fn zendesk(&mut self, tickets: &[&Node]) {
        self.describe(
            "zendesk-json",
            SourceKind::Ticket,
            &[
                ("body", "description / comments[].plain_body"),
                ("title", "subject"),
                ("customer", "requester_id"),
                ("email", "requester.email"),
                ("date", "created_at"),
                ("rating", "satisfaction_rating.score"),
                ("id", "id"),
                ("status", "status"),
            ],
        );
        for (i, t) in tickets.iter().enumerate() {
            let mut rec = Rec::new(self.line(t), i as u64 + 1);
            rec.id = t.field("id");
            rec.title = t.field("subject").or_else(|| t.field("raw_subject"));
            rec.status = t.field("status");
            rec.date = self.date(t, "created_at", &mut rec);
            let requester = t.field("requester_id");
            let email = t
                .path(&["requester", "email"])
                .or_else(|| t.path(&["via", "source", "from", "address"]))
                .and_then(Node::text);
            let name = t
                .path(&["requester", "name"])
                .or_else(|| t.path(&["via", "source", "from", "name"]))
                .and_then(Node::text);
            rec.customer = customer_key(
                t.path(&["requester", "external_id"])
                    .and_then(Node::text)
                    .as_deref(),
                email.as_deref(),
                None,
            )
            .or(requester.clone())
            .or_else(|| customer_key(None, None, name.as_deref()));
            if let Some(s) = t.get("satisfaction_rating") {
                let score = s.field("score").or_else(|| s.text());
                rec.rating = score.as_deref().and_then(parse_satisfaction);
            }
            let row = rec.row;
            let comments: Vec<&Node> = t
                .get("comments")
                .map(|c| c.items().iter().collect())
                .unwrap_or_default();
            if comments.is_empty() {
                if let Some(d) = t.get("description") {
                    if let Some(text) = d.text().map(|s| html_text(&s)).filter(|s| !s.is_empty()) {
                        rec.turns
                            .push(self.turn(d, row, text, Role::Customer, name.clone(), None));
                    }
                }
            }
            for c in comments {
                if c.get("public").and_then(|p| p.text()).as_deref() == Some("false") {
                    continue;
                }
                let body = c
                    .field("plain_body")
                    .or_else(|| c.field("body"))
                    .or_else(|| c.field("html_body"))
                    .map(|s| html_text(&s))
                    .filter(|s| !s.is_empty());
                let Some(body) = body else { continue };
                let by_requester = requester.is_some() && c.field("author_id") == requester;
                let (role, speaker) = if by_requester {
                    (Role::Customer, name.clone())
                } else {
                    (Role::Agent, None)
                };
                rec.turns.push(self.turn(c, row, body, role, speaker, None));
            }
            if let Some(c) = t.path(&["satisfaction_rating", "comment"]) {
                if let Some(text) = c.text() {
                    rec.turns.push(self.turn(
                        c,
                        row,
                        text,
                        Role::Customer,
                        name.clone(),
                        Some("satisfaction comment"),
                    ));
                }
            }
            self.push(SourceKind::Ticket, "zendesk", rec);
        }
    }

    /// Intercom conversations as the Conversations API returns them (`GET
    /// /conversations/{id}`, or a `conversation.list`) and as exports built
    /// on it save them: `{type: "conversation", id, created_at (epoch
    /// seconds), state, source {subject, body (HTML), author {type, name,
    /// email}}, conversation_parts {conversation_parts: [{part_type, body,
    /// author {type, name}}]}, conversation_rating {rating, remark}}`. One
    /// document per conversation dated by its `created_at`, one turn per
    /// message: authors of type `user`, `lead` or `contact` are the customer;
    /// `admin`, `bot`, `team` (and any other) are agents. Parts without a
    /// body (assignments, closes) are left out.
    pub(super) fn intercom(&mut self, convs: &[&Node]) {
        self.describe(
            "intercom-json",
            SourceKind::Ticket,
            &[
                ("body", "source.body / conversation_parts[].body"),
                ("title", "source.subject"),
                ("customer", "author.email / author.name"),
                ("author", "author.name"),
                ("date", "created_at"),
                ("rating", "conversation_rating.rating"),
                ("id", "id"),
                ("status", "state"),
            ],
        );
        for (i, c) in convs.iter().enumerate() {
            let mut rec = Rec::new(self.line(c), i as u64 + 1);
            let row = rec.row;
            rec.id = c.field("id");
            rec.date = self.date(c, "created_at", &mut rec);
            rec.title = c
                .path(&["source", "subject"])
                .and_then(Node::text)
                .map(|s| html_text(&s))
                .filter(|s| !s.is_empty());
            rec.status = c.field("state").or_else(|| {
                c.field("open")
                    .map(|o| if o == "true" { "open" } else { "closed" }.to_string())
            });
            let contact_ext = c
                .path(&["contacts", "contacts"])
                .and_then(|l| l.items().first())
                .and_then(|first| first.field("external_id"));
            let parts = c
                .get("conversation_parts")
                .map(|p| match &p.v {
                    J::Arr(items) => items.iter().collect::<Vec<_>>(),
                    _ => p
                        .get("conversation_parts")
                        .map(|l| l.items().iter().collect())
                        .unwrap_or_default(),
                })
                .unwrap_or_default();
            let messages = c.get("source").into_iter().chain(parts);
            for m in messages {
                let Some(body) = m
                    .field("body")
                    .map(|b| html_text(&b))
                    .filter(|b| !b.is_empty())
                else {
                    continue;
                };
                let author = m.get("author");
                let kind = author.and_then(|a| a.field("type")).unwrap_or_default();
                let role = match kind.as_str() {
                    "user" | "lead" | "contact" => Role::Customer,
                    _ => Role::Agent,
                };
                let name = author.and_then(|a| a.field("name"));
                let email = author.and_then(|a| a.field("email"));
                if role == Role::Customer && rec.customer.is_none() {
                    rec.customer =
                        customer_key(contact_ext.as_deref(), email.as_deref(), name.as_deref());
                }
                let speaker = name.or(email.filter(|_| role == Role::Agent));
                rec.turns.push(self.turn(m, row, body, role, speaker, None));
            }
            if let Some(r) = c.get("conversation_rating") {
                rec.rating = r.field("rating").as_deref().and_then(parse_rating);
                if let Some(remark) = r.get("remark") {
                    if let Some(text) = remark.text() {
                        rec.turns.push(self.turn(
                            remark,
                            row,
                            text,
                            Role::Customer,
                            None,
                            Some("rating remark"),
                        ));
                    }
                }
            }
            self.push(SourceKind::Ticket, "intercom", rec);
        }
    }

    /// App Store Connect API customer reviews (`GET
    /// /v1/apps/{id}/customerReviews`, saved as returned): `{"data": [{type:
    /// "customerReviews", id, attributes {rating, title, body,
    /// reviewerNickname, createdDate, territory}, relationships {response
    /// {data {id}}}}], "included": [{type: "customerReviewResponses", id,
    /// attributes {responseBody}}]}`. The developer's response, when
    /// included, is an agent turn.
    pub(super) fn app_store(&mut self, reviews: &[&Node], tops: &[Node]) {
        self.describe(
            "app-store-json",
            SourceKind::Review,
            &[
                ("body", "attributes.body"),
                ("title", "attributes.title"),
                ("customer", "attributes.reviewerNickname"),
                ("author", "attributes.reviewerNickname"),
                ("date", "attributes.createdDate"),
                ("rating", "attributes.rating"),
                ("id", "id"),
                (
                    "reply",
                    "included[customerReviewResponses].attributes.responseBody",
                ),
            ],
        );
        let mut responses: HashMap<String, &Node> = HashMap::new();
        for top in tops {
            for inc in top.get("included").map(Node::items).unwrap_or_default() {
                if inc.get("type").and_then(Node::str) == Some("customerReviewResponses") {
                    if let (Some(id), Some(body)) =
                        (inc.field("id"), inc.path(&["attributes", "responseBody"]))
                    {
                        responses.insert(id, body);
                    }
                }
            }
        }
        for (i, r) in reviews.iter().enumerate() {
            let mut rec = Rec::new(self.line(r), i as u64 + 1);
            let row = rec.row;
            rec.id = r.field("id");
            let Some(a) = r.get("attributes") else {
                self.push(SourceKind::Review, "app store", rec);
                continue;
            };
            rec.date = self.date(a, "createdDate", &mut rec);
            if let Some(raw) = a.field("rating") {
                rec.rating = parse_rating(&raw);
                if rec.rating.is_none() {
                    rec.warnings.push(format!(
                        "invalid rating '{raw}' (expected 1–5; kept the record without a rating)"
                    ));
                }
            }
            rec.title = a.field("title");
            let nick = a.field("reviewerNickname");
            rec.customer = customer_key(None, None, nick.as_deref());
            if let Some(b) = a.get("body") {
                if let Some(text) = b.text() {
                    rec.turns
                        .push(self.turn(b, row, text, Role::Customer, nick.clone(), None));
                }
            }
            let reply = r
                .path(&["relationships", "response", "data", "id"])
                .and_then(Node::text)
                .and_then(|id| responses.get(&id).copied());
            if let Some(body) = reply {
                if let Some(text) = body.text() {
                    rec.turns
                        .push(self.turn(body, row, text, Role::Agent, None, None));
                }
            }
            self.push(SourceKind::Review, "app store", rec);
        }
    }

    /// X (Twitter) API v2 tweets (`GET /2/tweets/search/recent` and friends
    /// with `expansions=author_id`, saved as returned): `{"data": [{id, text,
    /// author_id, created_at, public_metrics {like_count, retweet_count …},
    /// note_tweet {text}}], "includes": {"users": [{id, username, name}]}}`.
    /// The author's `@username` (from `includes.users`, else the author id)
    /// is the speaker and customer key; a long post's `note_tweet.text`
    /// replaces the truncated `text`. Public metrics are read but not
    /// stored: the document model has no engagement field.
    pub(super) fn twitter(&mut self, top: &Node) {
        self.describe(
            "twitter-json",
            SourceKind::Social,
            &[
                ("body", "data[].text"),
                ("customer", "data[].author_id → includes.users[].username"),
                ("author", "includes.users[].username"),
                ("date", "data[].created_at"),
                ("id", "data[].id"),
            ],
        );
        let mut users: HashMap<String, String> = HashMap::new();
        for u in top
            .path(&["includes", "users"])
            .map(Node::items)
            .unwrap_or_default()
        {
            if let (Some(id), Some(name)) = (u.field("id"), u.field("username")) {
                users.insert(id, format!("@{}", name.trim_start_matches('@')));
            }
        }
        let Some(data) = top.get("data") else { return };
        let tweets: Vec<&Node> = match &data.v {
            J::Arr(items) => items.iter().collect(),
            _ => vec![data],
        };
        for (i, t) in tweets.iter().enumerate() {
            let mut rec = Rec::new(self.line(t), i as u64 + 1);
            let row = rec.row;
            rec.id = t.field("id");
            rec.date = self.date(t, "created_at", &mut rec);
            let author = t.field("author_id");
            let handle = author.as_ref().and_then(|a| users.get(a)).cloned();
            rec.customer = customer_key(None, None, handle.as_deref().or(author.as_deref()));
            let body = t.path(&["note_tweet", "text"]).or_else(|| t.get("text"));
            if let Some(b) = body {
                if let Some(text) = b.text() {
                    rec.turns
                        .push(self.turn(b, row, text, Role::Customer, handle.clone(), None));
                }
            }
            self.push(SourceKind::Social, "twitter", rec);
        }
    }

    /// Reddit listings as `reddit.com/…/comments/<id>.json` (an array of two
    /// listings: the post, then its comment tree) and `/r/<sub>/comments.json`
    /// or a user's `/comments.json` (one listing) return them: `{kind:
    /// "Listing", data: {children: [{kind: "t1", data: {id, name, author,
    /// body, created_utc, score, subreddit, replies}}]}}`. Posts (`t3`) give
    /// their title and `selftext`; nested replies are read too; deleted and
    /// removed bodies are skipped. The vote `score` is read but not stored:
    /// the document's score is an NPS score (0–10), not votes. A post the
    /// export marks as official ([`reddit_official`]) is an agent turn with
    /// no customer key.
    pub(super) fn reddit(&mut self, listings: &[&Node]) {
        self.describe(
            "reddit-json",
            SourceKind::Social,
            &[
                ("body", "data.children[].data.body / selftext"),
                ("title", "data.children[].data.title"),
                ("customer", "data.children[].data.author"),
                ("author", "data.children[].data.author"),
                ("date", "data.children[].data.created_utc"),
                ("id", "data.children[].data.name"),
            ],
        );
        let mut things: Vec<&Node> = Vec::new();
        fn walk<'n>(listing: &'n Node, out: &mut Vec<&'n Node>, depth: usize) {
            if depth > 64 {
                return;
            }
            for child in listing
                .path(&["data", "children"])
                .map(Node::items)
                .unwrap_or_default()
            {
                let kind = child.get("kind").and_then(Node::str);
                if matches!(kind, Some("t1") | Some("t3")) {
                    out.push(child);
                    if let Some(replies) = child.path(&["data", "replies"]) {
                        if replies.is_obj() {
                            walk(replies, out, depth + 1);
                        }
                    }
                }
            }
        }
        for l in listings {
            walk(l, &mut things, 0);
        }
        for (i, thing) in things.iter().enumerate() {
            let Some(d) = thing.get("data") else { continue };
            let mut rec = Rec::new(self.line(thing), i as u64 + 1);
            let row = rec.row;
            rec.id = d.field("name").or_else(|| d.field("id"));
            rec.date = self.date(d, "created_utc", &mut rec);
            let author = d
                .field("author")
                .filter(|a| a != "[deleted]")
                .map(|a| format!("u/{}", a.trim_start_matches("u/")));
            let role = if reddit_official(d) {
                Role::Agent
            } else {
                rec.customer = customer_key(None, None, author.as_deref());
                Role::Customer
            };
            rec.title = d.field("title");
            let body = d.get("body").or_else(|| d.get("selftext"));
            if let Some(b) = body {
                if let Some(text) = b.text().filter(|t| t != "[deleted]" && t != "[removed]") {
                    rec.turns
                        .push(self.turn(b, row, text, role, author.clone(), None));
                }
            }
            self.push(SourceKind::Social, "reddit", rec);
        }
    }
}
