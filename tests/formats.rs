//! The exports people already have, read as they come: one test per layout
//! on a small fixture in `tests/fixtures/formats/` modeled on the vendor's
//! documented layout (see the comment on the reader of each layout), plus
//! encodings, empty files, overrides and the dry-run details.
//!
//! The binary fixtures were written byte by byte: `google-play-reviews.csv`
//! is UTF-16 LE with a BOM (as Google Play writes it), `reviews-utf16be.tsv`
//! UTF-16 BE with a BOM, `reviews-utf16le-nobom.tsv` UTF-16 LE without one,
//! `survey-windows-1252.csv` Windows-1252 throughout, and
//! `teams-transcript.docx` a minimal Word package (`[Content_Types].xml`,
//! `_rels/.rels`, `word/document.xml`).

use cairn::ingest::{
    ingest_path, ingest_path_with, parse_mapping, read_mapping_file, FileSummary, IngestOptions,
    IngestReport,
};
use cairn::model::{stable_id, Document, Role, SourceKind};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

/// How ingest names a fixture: relative to the study folder, which is the
/// current directory (cargo runs tests at the package root).
fn shown(name: &str) -> String {
    format!("tests/fixtures/formats/{name}")
}

fn read(name: &str) -> IngestReport {
    ingest_path(&fixture(name)).expect("fixture exists")
}

/// The one file's summary.
fn summary(r: &IngestReport) -> &FileSummary {
    assert_eq!(r.files.len(), 1);
    &r.files[0]
}

/// A document's date in UTC, `YYYY-MM-DD HH:MM:SS`.
fn utc(d: &Document) -> String {
    d.date
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "none".into())
}

/// (speaker, role, text) of each turn.
fn turns(d: &Document) -> Vec<(Option<&str>, Role, &str)> {
    d.turns
        .iter()
        .map(|t| (t.speaker.as_deref(), t.role, t.text.as_str()))
        .collect()
}

/// The customer key cairn stores for an email address.
fn email_key(email: &str) -> String {
    format!("e:{}", stable_id(&[&email.to_lowercase()]))
}

fn column<'a>(s: &'a FileSummary, field: &str) -> Option<&'a str> {
    s.columns
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, c)| c.as_str())
}

// ------------------------------------------------------------ interviews

#[test]
fn zoom_vtt_name_prefixes_in_cues() {
    let r = read("zoom-transcript.vtt");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.format, s.layout.as_str()),
        (SourceKind::Interview, "vtt", "zoom-vtt")
    );
    let d = &r.documents[0];
    assert_eq!(
        turns(d),
        vec![
            (
                Some("Priya Shah"),
                Role::Interviewer,
                "Thanks for making time today. How do you send invoices right now?"
            ),
            (
                Some("Marco Diaz"),
                Role::Customer,
                "Mostly from my phone, in the van, between two jobs. The app logs me out every \
                 single time, so I retype my password."
            ),
            (
                Some("Priya Shah"),
                Role::Interviewer,
                "How often does that happen?"
            ),
            (
                Some("Marco Diaz"),
                Role::Customer,
                "Every day. I lost a client last month because an invoice went out late."
            ),
            (
                Some("Priya Shah"),
                Role::Interviewer,
                "What would fix it for you?"
            ),
            (
                Some("Marco Diaz"),
                Role::Customer,
                "Staying logged in. That's it."
            ),
        ]
    );
    assert_eq!(d.customer.as_deref(), Some("Marco Diaz"));
    assert_eq!(d.turns[1].source.line, 8);
    assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("00:00:04.900"));
}

#[test]
fn teams_vtt_voice_spans() {
    let r = read("teams-transcript.vtt");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Interview, "teams-vtt")
    );
    let d = &r.documents[0];
    let who: Vec<_> = d
        .turns
        .iter()
        .map(|t| (t.speaker.as_deref(), t.role))
        .collect();
    assert_eq!(
        who,
        vec![
            (Some("Priya Shah"), Role::Interviewer),
            (Some("Hannah Okafor"), Role::Customer),
            (Some("Priya Shah"), Role::Interviewer),
            (Some("Hannah Okafor"), Role::Customer),
            (Some("Priya Shah"), Role::Interviewer),
            (Some("Hannah Okafor"), Role::Customer),
        ]
    );
    assert_eq!(
        d.turns[1].text,
        "Honestly, rough. The bank import kept failing for our Dutch account. Support answered \
         after four days & by then we had paid late fees."
    );
    assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("00:00:06.300"));
    assert_eq!(d.customer.as_deref(), Some("Hannah Okafor"));
}

#[test]
fn otter_txt_name_and_time_lines() {
    let r = read("otter-export.txt");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.format, s.layout.as_str()),
        (SourceKind::Interview, "txt", "otter-txt")
    );
    let d = &r.documents[0];
    assert_eq!(d.turns.len(), 6);
    assert_eq!(d.turns[0].speaker.as_deref(), Some("Speaker 1"));
    assert_eq!(d.turns[0].role, Role::Interviewer);
    assert_eq!(
        (
            d.turns[1].speaker.as_deref(),
            d.turns[1].role,
            d.turns[1].source.line
        ),
        (Some("Lena Ferreira"), Role::Customer, 4)
    );
    assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("0:09"));
    assert_eq!(
        d.turns[1].text,
        "Oh, last week. I sent three reminders by hand because the automatic ones never went \
         out.\nI only noticed when the client said he got nothing."
    );
    // The export footer is not part of the last turn.
    assert_eq!(
        d.turns[5].text,
        "Reminders that actually send. That is all I want."
    );
    assert_eq!(d.customer.as_deref(), Some("Lena Ferreira"));
}

#[test]
fn word_docx_transcript() {
    let r = read("teams-transcript.docx");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.format, s.layout.as_str(), s.encoding),
        (SourceKind::Interview, "docx", "word-docx", "binary")
    );
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let d = &r.documents[0];
    assert_eq!(utc(d), "2026-03-10 00:00:00");
    let got: Vec<_> = d
        .turns
        .iter()
        .map(|t| (t.speaker.as_deref().unwrap(), t.role, t.source.line))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Priya Shah", Role::Interviewer, 3),
            ("Tom Berg", Role::Customer, 5),
            ("Priya Shah", Role::Interviewer, 7),
            ("Tom Berg", Role::Customer, 9),
            ("Priya Shah", Role::Interviewer, 11),
            ("Tom Berg", Role::Customer, 13),
        ]
    );
    assert_eq!(
        d.turns[1].text,
        "Our old tool could not do recurring invoices.\nWe bill the same 40 clients every month."
    );
    assert_eq!(d.turns[1].source.timestamp.as_deref(), Some("0:11"));
    // Entities decoded; deleted text of a tracked change left out.
    assert_eq!(
        d.turns[3].text,
        "Recurring works, but the reminder emails land in spam & clients say they never got them."
    );
    assert_eq!(d.customer.as_deref(), Some("Tom Berg"));
}

#[test]
fn markdown_notes_with_front_matter() {
    let r = read("interview-notes.md");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Interview, "markdown-notes")
    );
    let d = &r.documents[0];
    assert_eq!(d.customer.as_deref(), Some("C0069"));
    assert_eq!(utc(d), "2026-03-04 00:00:00");
    assert_eq!(d.channel.as_deref(), Some("zoom"));
    let quote = d.turns.iter().find(|t| t.verbatim).unwrap();
    assert_eq!(
        quote.text,
        "The first week I almost gave up, the bank feed would not connect."
    );
    assert_eq!(quote.topic.as_deref(), Some("Onboarding"));
}

// ------------------------------------------------------- tickets

#[test]
fn zendesk_csv_account_export() {
    let r = read("zendesk-export.csv");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Ticket, "zendesk-csv")
    );
    assert_eq!(column(s, "title"), Some("Subject"));
    assert_eq!(column(s, "customer"), Some("Requester external id"));
    assert_eq!(column(s, "email"), Some("Requester email"));
    assert_eq!(column(s, "rating"), Some("Satisfaction Score"));
    assert_eq!(column(s, "date"), Some("Created at"));
    assert_eq!(column(s, "body"), None);
    let d = &r.documents;
    assert_eq!(d.len(), 3);
    assert_eq!(
        d[0].title.as_deref(),
        Some("Charged twice for March, please refund")
    );
    assert_eq!(d[0].customer.as_deref(), Some("CUST-0042"));
    assert_eq!(d[0].rating, Some(1.0));
    assert_eq!(d[0].status.as_deref(), Some("Solved"));
    assert_eq!(utc(&d[0]), "2026-03-02 14:05:00");
    assert_eq!(d[0].channel.as_deref(), Some("zendesk"));
    assert_eq!(d[1].customer, Some(email_key("bo.lund@example.se")));
    assert_eq!(d[1].rating, None, "offered is not a rating");
    assert_eq!(d[2].customer.as_deref(), Some("Chen Wei"));
    assert_eq!(d[2].rating, Some(5.0));
}

#[test]
fn zendesk_json_tickets_with_comments_and_csat() {
    let r = read("zendesk-tickets.json");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Ticket, "zendesk-json")
    );
    assert_eq!((s.documents, s.skipped), (2, 1));
    assert_eq!(r.skipped[0].reason, "empty body");
    let d = &r.documents[0];
    assert_eq!(d.title.as_deref(), Some("Reminder emails never arrive"));
    assert_eq!(d.rating, Some(1.0));
    assert_eq!(d.status.as_deref(), Some("solved"));
    assert_eq!(utc(d), "2026-03-07 09:14:02");
    assert_eq!(d.customer, Some(email_key("rosa@delgadocleaning.co")));
    assert_eq!(
        turns(d),
        vec![
            (
                Some("Rosa Delgado"),
                Role::Customer,
                "Hi,\n\nnone of my payment reminders went out this month. Clients say they got \
                 nothing.\n\nRosa"
            ),
            (
                None,
                Role::Agent,
                "Sorry Rosa, a DNS change broke sending. Fixed now."
            ),
            (
                Some("Rosa Delgado"),
                Role::Customer,
                "Took three days to get an answer."
            ),
        ]
    );
    assert_eq!(d.turns[2].topic.as_deref(), Some("satisfaction comment"));
    // Each turn cites its own line in the file.
    let lines: Vec<u64> = d.turns.iter().map(|t| t.source.line).collect();
    assert_eq!(lines, vec![26, 28, 24]);
    let d = &r.documents[1];
    assert_eq!(utc(d), "2026-03-08 15:40:00");
    assert_eq!(d.rating, Some(5.0));
    assert_eq!(d.customer.as_deref(), Some("900188"));
}

#[test]
fn intercom_conversations_one_turn_per_part() {
    let r = read("intercom-conversations.json");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Ticket, "intercom-json")
    );
    assert_eq!(r.documents.len(), 2);
    let d = &r.documents[0];
    assert_eq!(utc(d), "2026-03-03 09:46:40");
    assert_eq!(d.customer.as_deref(), Some("C0025"));
    assert_eq!(d.rating, Some(2.0));
    assert_eq!(d.status.as_deref(), Some("closed"));
    assert_eq!(d.channel.as_deref(), Some("intercom"));
    assert_eq!(
        turns(d),
        vec![
            (
                Some("Jasmine Ibarra"),
                Role::Customer,
                "Hi! I can't connect my Chase account.\nIt says \"token expired\" every time."
            ),
            (
                Some("Operator"),
                Role::Agent,
                "Thanks for reaching out! Have you tried reconnecting the bank from Settings?"
            ),
            (
                Some("Jasmine Ibarra"),
                Role::Customer,
                "Yes, three times. Same error."
            ),
            (
                Some("Marcus Lee"),
                Role::Agent,
                "Chase changed their login flow; a fix shipped an hour ago. Could you try again?"
            ),
            (None, Role::Customer, "Fixed in the end, but slow."),
        ]
    );
    assert!(d.turns[0].source.line < d.turns[1].source.line);
    let d = &r.documents[1];
    assert_eq!(utc(d), "2026-03-04 09:46:40");
    assert_eq!(d.title.as_deref(), Some("Question about VAT"));
    assert_eq!(d.customer, Some(email_key("tamsin@mensah.example")));
    assert_eq!(
        turns(d),
        vec![
            (
                Some("Tamsin Mensah"),
                Role::Customer,
                "Does the Pro plan handle reverse-charge VAT?"
            ),
            (
                Some("Billing team"),
                Role::Agent,
                "It does, from version 4.2."
            ),
        ]
    );
}

#[test]
fn freshdesk_csv_with_crlf_and_quoted_newlines() {
    let r = read("freshdesk-tickets.csv");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Ticket, "freshdesk-csv")
    );
    assert_eq!(column(s, "rating"), Some("Survey results"));
    let d = &r.documents;
    assert_eq!(d.len(), 2);
    assert_eq!(
        d[0].turns[0].text,
        "I invited my bookkeeper twice.\nThe email says \"invitation expired\" straight away.\n\
         Please help, month end is Friday."
    );
    assert_eq!(d[0].turns[0].speaker.as_deref(), Some("Dana Wu"));
    assert_eq!(d[0].customer, Some(email_key("dana@wu-studio.example")));
    assert_eq!((d[0].source.line, d[0].source.row), (2, Some(1)));
    assert_eq!(utc(&d[0]), "2026-03-11 09:20:00");
    assert_eq!(d[0].channel.as_deref(), Some("freshdesk"));
    assert_eq!(d[0].rating, None);
    assert_eq!((d[1].source.line, d[1].source.row), (5, Some(2)));
    assert_eq!(d[1].rating, Some(5.0));
    assert_eq!(d[1].status.as_deref(), Some("Closed"));
}

// ------------------------------------------------------------ reviews

#[test]
fn google_play_csv_in_utf16_le() {
    let r = read("google-play-reviews.csv");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str(), s.encoding),
        (SourceKind::Review, "google-play-csv", "utf-16le (BOM)")
    );
    assert_eq!(column(s, "reply"), Some("Developer Reply Text"));
    // The star-only review has no text.
    assert_eq!((s.documents, s.skipped), (3, 1));
    let d = &r.documents;
    assert_eq!(d[0].rating, Some(2.0));
    assert_eq!(utc(&d[0]), "2026-03-01 08:15:30");
    assert_eq!(d[0].channel.as_deref(), Some("google play"));
    assert_eq!(d[0].customer, None);
    assert_eq!(
        turns(&d[0]),
        vec![
            (
                None,
                Role::Customer,
                "Keeps logging me out after every update. Fix it please!"
            ),
            (
                None,
                Role::Agent,
                "Sorry about that! Version 4.1.3 fixes the logout bug."
            ),
        ]
    );
    assert_eq!(
        d[1].turns[0].text,
        "Endlich Rechnungen vom Handy – schnell und übersichtlich. 👍"
    );
    assert_eq!(d[1].title.as_deref(), Some("Super"));
    // No date and time: the millis column dates it.
    assert_eq!(utc(&d[2]), "2026-03-04 19:00:00");
    assert_eq!(
        d[2].turns[0].text,
        "Good app, but the \"send reminder\" button is hidden, took me ages to find."
    );
}

#[test]
fn app_store_connect_json() {
    let r = read("app-store-reviews.json");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Review, "app-store-json")
    );
    let d = &r.documents;
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].rating, Some(5.0));
    assert_eq!(d[0].title.as_deref(), Some("Finally, invoices on the go"));
    assert_eq!(utc(&d[0]), "2026-03-06 16:10:34");
    assert_eq!(d[0].customer.as_deref(), Some("plumbkai"));
    assert_eq!(d[0].channel.as_deref(), Some("app store"));
    assert_eq!(
        turns(&d[0]),
        vec![
            (
                Some("plumbkai"),
                Role::Customer,
                "I send invoices from the job site now. The PDF looks professional."
            ),
            (
                None,
                Role::Agent,
                "Thank you, Kai! Glad the app helps on site."
            ),
        ]
    );
    assert_eq!(d[1].rating, Some(1.0));
    assert_eq!(utc(&d[1]), "2026-03-07 22:30:00");
    assert_eq!(d[1].turns.len(), 1);
}

#[test]
fn trustpilot_csv_with_company_reply() {
    let r = read("trustpilot-reviews.csv");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Review, "trustpilot-csv")
    );
    let d = &r.documents;
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].customer.as_deref(), Some("C0022"));
    assert_eq!(d[0].rating, Some(5.0));
    assert_eq!(utc(&d[0]), "2026-03-02 10:00:00");
    assert_eq!(d[0].channel.as_deref(), Some("trustpilot"));
    assert_eq!(
        turns(&d[0]),
        vec![
            (
                Some("Rachel Jansen"),
                Role::Customer,
                "Setup took an afternoon. The recurring invoices alone are worth it."
            ),
            (None, Role::Agent, "Thanks Rachel, happy invoicing!"),
        ]
    );
    assert_eq!(d[1].customer.as_deref(), Some("Felix U."));
    assert_eq!(d[1].rating, Some(2.0));
    assert_eq!(d[1].turns.len(), 1);
}

#[test]
fn g2_csv_answers_are_turns_with_their_questions() {
    let r = read("g2-reviews.csv");
    let s = summary(&r);
    assert_eq!((s.kind, s.layout.as_str()), (SourceKind::Review, "g2-csv"));
    let d = &r.documents;
    assert_eq!(d[0].rating, Some(4.0));
    assert_eq!(
        d[0].title.as_deref(),
        Some("Simple invoicing, weak reporting")
    );
    assert_eq!(utc(&d[0]), "2026-03-08 14:22:00");
    assert_eq!(d[0].customer.as_deref(), Some("Sasha J."));
    assert_eq!(d[0].channel.as_deref(), Some("g2"));
    let topics: Vec<_> = d[0]
        .turns
        .iter()
        .map(|t| (t.topic.as_deref().unwrap(), t.text.as_str()))
        .collect();
    assert_eq!(
        topics,
        vec![
            (
                "What do you like best about Acme Invoices?",
                "Creating and sending an invoice takes a minute, even from my phone."
            ),
            (
                "What do you dislike about Acme Invoices?",
                "The reports are too basic, I export everything to Excel."
            ),
            (
                "What problems is Acme Invoices solving and how is that benefiting you?",
                "We stopped chasing payments by hand."
            ),
        ]
    );
    assert!(d[0].turns.iter().all(|t| t.role == Role::Customer));
    assert_eq!(d[1].rating, Some(2.0));
    assert_eq!(d[1].turns.len(), 2);
    // G2's "Verified User in …" names many reviewers: no customer key, so
    // each review counts as its own anonymous author; the name stays the
    // speaker.
    assert_eq!(d.len(), 4);
    assert_eq!(d[1].customer.as_deref(), Some("Liam W."));
    assert_eq!(
        (d[2].customer.as_deref(), d[3].customer.as_deref()),
        (None, None)
    );
    assert_eq!(
        d[2].turns[0].speaker.as_deref(),
        Some("Verified User in Accounting")
    );
    assert_eq!(d[2].turns[0].role, Role::Customer);
}

// ------------------------------------------------------------- social

#[test]
fn x_api_v2_tweets_with_included_users() {
    let r = read("x-search-recent.json");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Social, "twitter-json")
    );
    let d = &r.documents;
    assert_eq!(d.len(), 5);
    assert_eq!(d[0].customer.as_deref(), Some("@miakowalski"));
    assert_eq!(d[0].turns[0].speaker.as_deref(), Some("@miakowalski"));
    assert_eq!(utc(&d[0]), "2026-03-05 14:31:09");
    assert_eq!(d[0].channel.as_deref(), Some("twitter"));
    assert!(d[0].turns[0]
        .text
        .starts_with("Day 3 of @AcmeInvoices bank sync"));
    assert_eq!((d[0].rating, d[0].score), (None, None));
    // A long post: the full note text, not the truncated one.
    assert!(d[1].turns[0].text.ends_with("Still renewing."));
    assert_eq!(d[1].customer.as_deref(), Some("@rajfreelances"));
}

#[test]
fn brand_account_replies_on_x_are_agent_turns_not_customers() {
    let r = read("x-search-recent.json");
    let who: Vec<(Option<&str>, Role, Option<&str>)> = r
        .documents
        .iter()
        .map(|d| {
            (
                d.turns[0].speaker.as_deref(),
                d.turns[0].role,
                d.customer.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        who,
        vec![
            (Some("@miakowalski"), Role::Customer, Some("@miakowalski")),
            (
                Some("@rajfreelances"),
                Role::Customer,
                Some("@rajfreelances")
            ),
            // @AcmeInvoices answers two people with "DM us", "our team".
            (Some("@AcmeInvoices"), Role::Agent, None),
            (Some("@AcmeInvoices"), Role::Agent, None),
            // Mia answers only the brand, so she stays a customer even
            // though she writes "sorry to hear".
            (Some("@miakowalski"), Role::Customer, Some("@miakowalski")),
        ]
    );
}

#[test]
fn reddit_thread_post_and_nested_comments() {
    let r = read("reddit-thread.json");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Social, "reddit-json")
    );
    // Post, comment, nested reply, staff comment; the deleted one is skipped.
    assert_eq!((s.documents, s.skipped), (4, 1));
    let d = &r.documents;
    assert_eq!(
        d[0].title.as_deref(),
        Some("Anyone using Acme Invoices for a cleaning business?")
    );
    assert_eq!(
        d[0].turns[0].text,
        "Thinking of switching from paper. Is the bank sync reliable?"
    );
    assert_eq!(d[0].customer.as_deref(), Some("u/achterberg81"));
    assert_eq!(utc(&d[0]), "2026-03-05 08:40:00");
    assert_eq!(d[1].customer.as_deref(), Some("u/rdelgado_cleans"));
    assert_eq!(utc(&d[1]), "2026-03-05 09:40:00");
    assert_eq!(
        d[2].turns[0].text,
        "Thanks, that is exactly what I was worried about."
    );
    assert_eq!(utc(&d[2]), "2026-03-05 10:40:00");
    assert_eq!(d[2].channel.as_deref(), Some("reddit"));
    // Votes are not an NPS score.
    assert!(d.iter().all(|d| d.score.is_none()));
    // The thread's poster is a customer; a comment flaired as staff is the
    // company speaking: an agent turn without a customer key.
    assert_eq!(d[2].turns[0].role, Role::Customer);
    assert_eq!(d[3].turns[0].speaker.as_deref(), Some("u/acme_jess"));
    assert_eq!(
        (d[3].turns[0].role, d[3].customer.as_deref()),
        (Role::Agent, None)
    );
}

// ------------------------------------------------------------ surveys

#[test]
fn delighted_nps_csv() {
    let r = read("delighted-nps.csv");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Survey, "delighted-csv")
    );
    let d = &r.documents;
    assert_eq!(d.len(), 3);
    assert_eq!(d[0].score, Some(9.0));
    assert_eq!(utc(&d[0]), "2026-03-01 08:00:00");
    assert_eq!(d[0].customer, Some(email_key("hamish@abara.example")));
    assert_eq!(d[0].turns[0].speaker.as_deref(), Some("Hamish Abara"));
    assert_eq!(d[0].channel.as_deref(), Some("delighted"));
    assert_eq!(d[1].score, Some(3.0));
    // A score without a comment is still an answer.
    assert_eq!((d[2].score, d[2].turns.len()), (Some(10.0), 0));
}

#[test]
fn typeform_csv_open_questions_become_turns() {
    let r = read("typeform-responses.csv");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Survey, "typeform-csv")
    );
    assert_eq!(column(s, "id"), Some("#"));
    assert_eq!(column(s, "date"), Some("Submit Date (UTC)"));
    assert_eq!(
        column(s, "score"),
        Some("How likely are you to recommend Acme Invoices to a friend or colleague?")
    );
    assert_eq!(
        column(s, "body"),
        Some("What is the main reason for your score?")
    );
    assert_eq!(
        column(s, "answer"),
        Some("What is one thing we could do better?")
    );
    let d = &r.documents;
    assert_eq!(d.len(), 3);
    assert_eq!(d[0].score, Some(8.0));
    assert_eq!(utc(&d[0]), "2026-03-09 10:03:40");
    assert_eq!(d[0].customer, Some(email_key("ivo@lindqvist.example")));
    assert_eq!(
        d[0].id,
        stable_id(&[
            &shown("typeform-responses.csv"),
            "id",
            "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6"
        ])
    );
    let topics: Vec<_> = d[0]
        .turns
        .iter()
        .map(|t| t.topic.as_deref().unwrap())
        .collect();
    assert_eq!(
        topics,
        vec![
            "What is the main reason for your score?",
            "What is one thing we could do better?"
        ]
    );
    assert_eq!(d[1].score, Some(4.0));
    assert_eq!(d[1].customer, None);
    assert_eq!((d[2].score, d[2].turns.len()), (Some(10.0), 0));
}

#[test]
fn surveymonkey_csv_two_header_rows() {
    let r = read("surveymonkey-responses.csv");
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Survey, "surveymonkey-csv")
    );
    assert_eq!(column(s, "id"), Some("Respondent ID"));
    assert_eq!(column(s, "date"), Some("End Date"));
    assert_eq!(
        column(s, "body"),
        Some("Which features do you use? - Other (please specify)")
    );
    assert_eq!(column(s, "answer"), Some("What should we improve first?"));
    let d = &r.documents;
    assert_eq!(d.len(), 3);
    // Data starts on line 3: two header rows.
    assert_eq!((d[0].source.line, d[0].source.row), (3, Some(1)));
    assert_eq!(d[0].score, Some(9.0));
    assert_eq!(utc(&d[0]), "2026-03-04 10:15:22");
    assert_eq!(d[0].customer, Some(email_key("lena@ferreira.example")));
    assert_eq!(
        d[0].turns[0].text,
        "Reminders sometimes go out twice, which annoys my clients."
    );
    assert_eq!(
        d[0].turns[0].topic.as_deref(),
        Some("What should we improve first?")
    );
    assert_eq!(utc(&d[1]), "2026-03-05 20:04:41");
    let texts: Vec<_> = d[1].turns.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "Time tracking",
            "The mobile app is slow to open, and \"Export\" hides under a menu."
        ]
    );
    assert_eq!((d[2].score, d[2].turns.len()), (Some(10.0), 0));
}

// --------------------------------------------------- text as it comes

#[test]
fn windows_1252_file_is_decoded_whole_with_one_warning() {
    let r = read("survey-windows-1252.csv");
    let s = summary(&r);
    assert_eq!((s.kind, s.encoding), (SourceKind::Survey, "windows-1252"));
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.warnings[0].source.line, 2);
    assert!(r.warnings[0].reason.contains("not UTF-8"));
    let texts: Vec<_> = r
        .documents
        .iter()
        .map(|d| d.turns[0].text.as_str())
        .collect();
    assert_eq!(
        texts,
        vec![
            "Très pratique pour facturer mes clients",
            "“Trop cher” pour un indépendant",
            "Ça marche, mais l’export PDF est lent"
        ]
    );
    assert_eq!(r.documents[1].score, Some(4.0));
}

/// A survey export re-saved by Excel as "CSV (Comma delimited)", i.e.
/// Windows-1252, whose first accented answer comes hundreds of rows down:
/// the whole file is Windows-1252, with one notice naming the file, not a
/// warning per accented cell.
#[test]
fn windows_1252_file_with_a_late_first_accent_is_decoded_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nps-q1.csv");
    let mut text = String::from("Respondent,Date,NPS,Comment,Plan\r\n");
    for i in 1..=400 {
        text.push_str(&format!(
            "R{i:04},2026-02-{:02},{},Setup was quick and invoices go out fast,Pro\r\n",
            i % 28 + 1,
            i % 11
        ));
    }
    text.push_str("R0401,2026-02-28,3,Le café est froid – délai trop long,Équipe\r\n");
    text.push_str("R0402,2026-02-28,9,\"Love the “one click” export\",Pro\r\n");
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'é' => 0xE9,
            'É' => 0xC9,
            '–' => 0x96,
            '“' => 0x93,
            '”' => 0x94,
            c => u8::try_from(c).unwrap(),
        })
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let r = ingest_path(&path).unwrap();
    let s = summary(&r);
    assert_eq!((s.kind, s.encoding), (SourceKind::Survey, "windows-1252"));
    assert_eq!(s.documents, 402);
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(
        r.warnings[0].to_string(),
        format!(
            "{}:402: the file is not UTF-8: decoded as Windows-1252",
            path.display()
        )
    );
    let late: Vec<&str> = r.documents[400..]
        .iter()
        .map(|d| d.turns[0].text.as_str())
        .collect();
    assert_eq!(
        late,
        [
            "Le café est froid – délai trop long",
            "Love the “one click” export"
        ]
    );
}

#[test]
fn utf16_with_and_without_bom() {
    for (name, encoding) in [
        ("reviews-utf16be.tsv", "utf-16be (BOM)"),
        ("reviews-utf16le-nobom.tsv", "utf-16le (no BOM)"),
    ] {
        let r = read(name);
        let s = summary(&r);
        assert_eq!(
            (s.kind, s.format, s.encoding),
            (SourceKind::Review, "tsv", encoding),
            "{name}"
        );
        assert_eq!(s.layout, "generic-tsv");
        assert_eq!(
            r.documents[0].turns[0].text, "Großartig – schnell & einfach",
            "{name}"
        );
        assert_eq!(r.documents[1].rating, Some(2.0));
    }
}

#[test]
fn utf8_bom_and_crlf_with_quoted_newlines() {
    let r = read("tickets-utf8-bom-crlf.csv");
    let s = summary(&r);
    assert_eq!(
        (s.encoding, s.layout.as_str()),
        ("utf-8 (BOM)", "generic-csv")
    );
    let d = &r.documents;
    assert_eq!(d[0].title.as_deref(), Some("Café menu"));
    assert_eq!(
        d[0].turns[0].text,
        "Line one\nline two with “quotes” and \"escaped\" ones"
    );
    assert_eq!((d[1].source.line, d[1].source.row), (4, Some(2)));
}

#[test]
fn empty_and_header_only_files_are_noted_not_errors() {
    for (name, note) in [
        ("empty.csv", "empty file"),
        ("header-only.csv", "header only: no records"),
        ("blank-transcript.txt", "empty file"),
    ] {
        let r = read(name);
        let s = summary(&r);
        assert_eq!(
            (s.documents, s.skipped, s.note.as_deref()),
            (0, 0, Some(note)),
            "{name}"
        );
        assert!(r.skipped.is_empty() && r.warnings.is_empty(), "{name}");
    }
}

#[test]
fn a_one_megabyte_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tickets.csv");
    let long = "The export times out again. ".repeat(40_000);
    assert!(long.len() > 1_000_000);
    let csv = format!(
        "id,subject,description\n1,Huge,\"{long}\"\n2,Small,\"two \"\"quoted\"\" words\"\n"
    );
    std::fs::write(&path, csv).unwrap();
    let r = ingest_path(&path).unwrap();
    assert!(r.skipped.is_empty());
    assert_eq!(r.documents[0].turns[0].text, long.trim_end());
    assert_eq!(r.documents[1].turns[0].text, "two \"quoted\" words");
    assert_eq!(r.documents[1].source.line, 3);
}

// ---------------------------------------------------------- overrides

#[test]
fn a_mapping_reads_columns_no_alias_knows() {
    let path = fixture("generic-feedback.csv");
    // Without a mapping there is no text column to read.
    let r = ingest_path(&path).unwrap();
    assert_eq!(r.skipped.len(), 1);
    assert!(r.skipped[0].reason.starts_with("no text column"));

    let opts = IngestOptions {
        kind: None,
        mapping: parse_mapping(
            "body=\"Notes from customer\",customer=Account,date=Logged on,rating=Stars (1-5),id=Ref",
        )
        .unwrap(),
        ..Default::default()
    };
    let r = ingest_path_with(&path, &opts).unwrap();
    let s = summary(&r);
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(s.kind, SourceKind::Review, "a rating column means reviews");
    assert_eq!(column(s, "body"), Some("Notes from customer"));
    assert_eq!(column(s, "customer"), Some("Account"));
    let d = &r.documents;
    assert_eq!(d[0].customer.as_deref(), Some("ACC-9"));
    assert_eq!(d[0].rating, Some(3.0));
    assert_eq!(utc(&d[0]), "2026-03-12 00:00:00");
    assert_eq!(d[1].turns[0].text, "Export to Xero failed twice.");

    // Forcing the kind.
    let forced = IngestOptions {
        kind: Some(SourceKind::Survey),
        ..opts
    };
    let r = ingest_path_with(&path, &forced).unwrap();
    assert_eq!(r.files[0].kind, SourceKind::Survey);
    assert!(r.documents.iter().all(|d| d.kind == SourceKind::Survey));
}

#[test]
fn a_mapped_column_the_file_lacks_is_a_clear_error() {
    let opts = IngestOptions {
        kind: None,
        mapping: parse_mapping("body=Comment").unwrap(),
        ..Default::default()
    };
    let r = ingest_path_with(&fixture("generic-feedback.csv"), &opts).unwrap();
    assert!(r.documents.is_empty());
    assert_eq!(r.skipped.len(), 1);
    let reason = &r.skipped[0].reason;
    assert!(reason.contains("'Comment'"), "{reason}");
    assert!(
        reason.contains("Ref, Logged on, Account, Notes from customer, Stars (1-5)"),
        "{reason}"
    );
    assert_eq!(r.skipped[0].source.line, 1);

    // JSON keys too.
    let r = ingest_path_with(&fixture("x-search-recent.json"), &opts).unwrap();
    assert_eq!(r.skipped.len(), 1);
    assert!(r.skipped[0].reason.contains("'Comment'"));
}

#[test]
fn mapping_files_are_toml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mapping.toml");
    std::fs::write(
        &path,
        "[mapping]\nbody = \"Notes from customer\"\ncustomer = \"Account\"\n",
    )
    .unwrap();
    let mapping = read_mapping_file(&path).unwrap();
    assert_eq!(mapping["body"], "Notes from customer");
    assert_eq!(mapping["customer"], "Account");
    std::fs::write(&path, "[mapping]\ntext = \"x\"\n").unwrap();
    let err = read_mapping_file(&path).unwrap_err().to_string();
    assert!(err.contains("unknown field 'text'"), "{err}");
    assert!(err.contains("mapping.toml"), "{err}");
    let opts = IngestOptions::from_toml_file(&path);
    assert!(opts.is_err());
}

// ----------------------------------------------------------- dry run

#[test]
fn every_fixture_reports_its_layout() {
    let r = ingest_path(&fixture("")).unwrap();
    let got: Vec<(String, String, SourceKind)> = r
        .files
        .iter()
        .map(|f| {
            let name = f.path.rsplit('/').next().unwrap().to_string();
            (name, f.layout.clone(), f.kind)
        })
        .collect();
    let want = [
        (
            "app-store-reviews.json",
            "app-store-json",
            SourceKind::Review,
        ),
        ("blank-transcript.txt", "txt", SourceKind::Interview),
        ("delighted-nps.csv", "delighted-csv", SourceKind::Survey),
        ("empty.csv", "csv", SourceKind::Ticket),
        ("freshdesk-tickets.csv", "freshdesk-csv", SourceKind::Ticket),
        ("g2-reviews.csv", "g2-csv", SourceKind::Review),
        ("generic-feedback.csv", "generic-csv", SourceKind::Ticket),
        (
            "google-play-reviews.csv",
            "google-play-csv",
            SourceKind::Review,
        ),
        ("header-only.csv", "generic-csv", SourceKind::Ticket),
        (
            "intercom-conversations.json",
            "intercom-json",
            SourceKind::Ticket,
        ),
        (
            "interview-notes.md",
            "markdown-notes",
            SourceKind::Interview,
        ),
        ("otter-export.txt", "otter-txt", SourceKind::Interview),
        ("password-protected.xlsx", "spreadsheet", SourceKind::Survey),
        ("qualtrics-nps.csv", "qualtrics-csv", SourceKind::Survey),
        (
            "qualtrics-numeric-preview.csv",
            "qualtrics-csv",
            SourceKind::Survey,
        ),
        ("reddit-thread.json", "reddit-json", SourceKind::Social),
        ("reviews-utf16be.tsv", "generic-tsv", SourceKind::Review),
        (
            "reviews-utf16le-nobom.tsv",
            "generic-tsv",
            SourceKind::Review,
        ),
        ("survey-windows-1252.csv", "generic-csv", SourceKind::Survey),
        (
            "surveymonkey-responses.csv",
            "surveymonkey-csv",
            SourceKind::Survey,
        ),
        ("teams-transcript.docx", "word-docx", SourceKind::Interview),
        ("teams-transcript.vtt", "teams-vtt", SourceKind::Interview),
        (
            "tickets-utf8-bom-crlf.csv",
            "generic-csv",
            SourceKind::Ticket,
        ),
        (
            "trustpilot-reviews.csv",
            "trustpilot-csv",
            SourceKind::Review,
        ),
        ("typeform-responses.csv", "typeform-csv", SourceKind::Survey),
        ("x-search-recent.json", "twitter-json", SourceKind::Social),
        ("zendesk-export.csv", "zendesk-csv", SourceKind::Ticket),
        ("zendesk-tickets.json", "zendesk-json", SourceKind::Ticket),
        ("zoom-transcript.vtt", "zoom-vtt", SourceKind::Interview),
    ];
    let want: Vec<(String, String, SourceKind)> = want
        .iter()
        .map(|(n, l, k)| (n.to_string(), l.to_string(), *k))
        .collect();
    assert_eq!(got, want);
    // The hidden `.gitattributes` is not a source.
    assert!(r.ignored.is_empty(), "{:?}", r.ignored);
}

/// An Excel workbook as a support lead keeps it: tickets copied from the
/// help desk under a title row, with a column mapping for its own names.
#[test]
fn excel_workbook_with_a_title_row_and_a_mapping() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("escalations.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "Escalations, Q1 2026 (do not share)")
        .unwrap();
    for (c, h) in ["Ref", "Logged on", "Account", "What the customer said"]
        .iter()
        .enumerate()
    {
        s.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let rows = [
        ("T-1", 12, "ACC-9", "Export to Xero failed twice this week."),
        (
            "T-2",
            13,
            "ACC-4",
            "We were charged for seats we removed in February.",
        ),
    ];
    for (i, (id, day, account, text)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        s.write_string(r, 0, *id).unwrap();
        let dt = ExcelDateTime::from_ymd(2026, 3, *day).unwrap();
        s.write_datetime_with_format(r, 1, &dt, &date).unwrap();
        s.write_string(r, 2, *account).unwrap();
        s.write_string(r, 3, *text).unwrap();
    }
    book.save(&path).unwrap();

    let opts = IngestOptions {
        kind: Some(SourceKind::Ticket),
        mapping: parse_mapping(
            "body=\"What the customer said\",customer=Account,date=Logged on,id=Ref",
        )
        .unwrap(),
        ..Default::default()
    };
    let r = ingest_path_with(&path, &opts).unwrap();
    let s = summary(&r);
    assert_eq!(s.format, "spreadsheet");
    assert_eq!(s.kind, SourceKind::Ticket);
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(column(s, "body"), Some("What the customer said"));
    let d = &r.documents;
    assert_eq!(d.len(), 2);
    // Rows as Excel numbers them: title on 1, header on 2.
    assert_eq!((d[0].source.line, d[1].source.line), (3, 4));
    assert_eq!(d[1].customer.as_deref(), Some("ACC-4"));
    assert_eq!(utc(&d[1]), "2026-03-13 00:00:00");
    assert_eq!(
        d[1].turns[0].text,
        "We were charged for seats we removed in February."
    );
    assert!(r.warnings.iter().any(|w| w.reason.contains("title")));
}

/// A review sheet whose date column was typed as text before the dates
/// were pasted in, so Excel keeps its serial numbers (`45352`,
/// `45352.4375`): they are dates, with the fraction as the time of day.
/// The ratings and ids beside them, numbers too, stay what they are, and a
/// number too small to be a plausible serial is still an invalid date.
#[test]
fn excel_serial_numbers_in_a_text_date_column_are_dates() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    let text = Format::new().set_num_format("@");
    for (c, h) in ["Review ID", "Date", "Rating", "Review"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        (30_001.0, "45352", 4.0, "Invoices are quick to send."),
        (
            30_002.0,
            "45352.4375",
            2.0,
            "The bank sync drops every Monday.",
        ),
        (30_003.0, "4535", 5.0, "Support fixed it in an hour."),
    ];
    for (i, (id, date, rating, body)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        s.write_number(r, 0, *id).unwrap();
        s.write_string_with_format(r, 1, *date, &text).unwrap();
        s.write_number(r, 2, *rating).unwrap();
        s.write_string(r, 3, *body).unwrap();
    }
    book.save(&path).unwrap();
    // The same sheet saved as CSV.
    let csv = dir.path().join("reviews.csv");
    std::fs::write(
        &csv,
        "Review ID,Date,Rating,Review\n\
         30001,45352,4,Invoices are quick to send.\n\
         30002,45352.4375,2,The bank sync drops every Monday.\n\
         30003,4535,5,Support fixed it in an hour.\n",
    )
    .unwrap();
    for file in [&path, &csv] {
        let r = ingest_path(file).unwrap();
        let s = summary(&r);
        assert_eq!(s.kind, SourceKind::Review);
        assert_eq!(column(s, "date"), Some("Date"));
        let d = &r.documents;
        assert_eq!(d.len(), 3);
        assert_eq!(utc(&d[0]), "2024-03-01 00:00:00");
        assert_eq!(utc(&d[1]), "2024-03-01 10:30:00");
        assert_eq!(utc(&d[2]), "none");
        assert_eq!(
            d.iter().map(|d| d.rating).collect::<Vec<_>>(),
            [Some(4.0), Some(2.0), Some(5.0)]
        );
        let warnings: Vec<&str> = r.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(
            warnings,
            ["invalid date '4535' (kept the record without a date)"],
            "{}",
            file.display()
        );
    }
}

/// A survey sheet with a two-row header, as a BI tool or a colleague lays
/// it out: questions in row 1, merged over their option columns, and a
/// sub-label per column in row 2. Row 2 names columns, it is no response;
/// the open question and the score are found under the merged names.
#[test]
fn a_two_row_header_in_a_generic_sheet_names_the_columns() {
    use rust_xlsxwriter::{Format, Workbook};
    let header1 = [
        "Response ID",
        "Submitted",
        "How likely are you to recommend us?",
        "Which features do you use?",
        "",
        "",
        "What should we improve first?",
    ];
    let header2 = [
        "",
        "",
        "Response",
        "Invoices",
        "Reports",
        "Other (please specify)",
        "Open-Ended Response",
    ];
    let records = [
        [
            "5001",
            "2026-03-04 10:15:22",
            "9",
            "Invoices",
            "",
            "",
            "Reminders sometimes go out twice, which annoys my clients.",
        ],
        [
            "5002",
            "2026-03-05 20:04:41",
            "6",
            "Invoices",
            "Reports",
            "Time tracking",
            "The mobile app is slow to open.",
        ],
    ];
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("feedback-march.csv");
    let mut w = csv::Writer::from_path(&csv).unwrap();
    w.write_record(header1).unwrap();
    w.write_record(header2).unwrap();
    for r in &records {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let xlsx = dir.path().join("feedback-march.xlsx");
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in header1.iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.merge_range(0, 3, 0, 5, header1[3], &Format::new())
        .unwrap();
    for (r, row) in std::iter::once(&header2).chain(records.iter()).enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                s.write_string(1 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(&xlsx).unwrap();

    for file in [&csv, &xlsx] {
        let r = ingest_path(file).unwrap();
        let s = summary(&r);
        let name = file.display();
        assert_eq!(s.kind, SourceKind::Survey, "{name}");
        assert_eq!(
            column(s, "body"),
            Some("What should we improve first?"),
            "{name}"
        );
        assert_eq!(
            column(s, "score"),
            Some("How likely are you to recommend us?"),
            "{name}"
        );
        assert!(r.skipped.is_empty(), "{name}: {:?}", r.skipped);
        let d = &r.documents;
        assert_eq!(d.len(), 2, "{name}: the sub-label row is no response");
        assert_eq!((d[0].source.line, d[1].source.line), (3, 4), "{name}");
        assert_eq!((d[0].score, d[1].score), (Some(9.0), Some(6.0)), "{name}");
        assert_eq!(d[1].turns[0].text, "The mobile app is slow to open.");
        assert_eq!(r.warnings.len(), 1, "{name}: {:?}", r.warnings);
        assert_eq!(r.warnings[0].source.line, 2, "{name}");
        assert!(r.warnings[0].reason.contains("second header row"));
    }
}

/// Qualtrics' CSV export: ids, then question texts, then ImportId rows.
#[test]
fn qualtrics_csv_three_header_rows() {
    let r = read("qualtrics-nps.csv");
    let s = summary(&r);
    assert_eq!(s.layout, "qualtrics-csv");
    assert_eq!(s.kind, SourceKind::Survey);
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let d = &r.documents;
    assert_eq!(d.len(), 3, "three responses, no header row read as one");
    // Data starts on line 4; the id, date, score and customer are Qualtrics'.
    assert_eq!(d[0].source.line, 4);
    assert_eq!(d[0].score, Some(2.0));
    assert_eq!(d[0].customer.as_deref(), Some("C0101"));
    assert_eq!(utc(&d[0]), "2026-02-03 09:15:03");
    assert_eq!(d[0].channel.as_deref(), Some("qualtrics"));
    // The reason is a turn under its question; choices and the NPS group
    // are not customer text, and neither are names, IP or location.
    let t = turns(&d[0]);
    assert_eq!(t.len(), 1, "{t:?}");
    assert!(t[0].2.starts_with("We were charged twice"), "{t:?}");
    assert_eq!(
        d[0].turns[0].topic.as_deref(),
        Some("What is the main reason for your score?")
    );
    // "Other - Text" is a text-entry answer too.
    let t = turns(&d[1]);
    assert_eq!(t.len(), 2, "{t:?}");
    assert_eq!(t[1].2, "Agency bundle");
    // A score-only response is kept, with no text.
    assert_eq!(d[2].score, Some(7.0));
    assert!(d[2].turns.is_empty());
    let all = format!("{d:?}");
    for private in ["203.0.113.7", "Okafor", "40.01", "Detractor"] {
        assert!(!all.contains(private), "{private} was read");
    }
}

/// The "Use numeric values" export, opened and re-saved by Excel (CRLF,
/// Windows-1252): Response Type 1 is a Survey Preview and 2 a Survey Test,
/// a researcher's own clicks, which are skipped by file and line, not read
/// as customer voice. An abandoned response (no answers) is not broken
/// input: it is counted as an empty response, neither stored nor skipped.
#[test]
fn qualtrics_preview_and_test_responses_are_skipped() {
    let r = read("qualtrics-numeric-preview.csv");
    let s = summary(&r);
    assert_eq!(s.layout, "qualtrics-csv");
    let skipped: Vec<String> = r.skipped.iter().map(ToString::to_string).collect();
    let at = shown("qualtrics-numeric-preview.csv");
    assert_eq!(
        skipped,
        [
            format!(
                "{at}:5 (row 2): a Survey Preview response \
                 (a researcher's test, not a respondent)"
            ),
            format!(
                "{at}:7 (row 4): a Survey Test response \
                 (a researcher's test, not a respondent)"
            ),
        ]
    );
    assert_eq!(s.empty, 1);
    let raw: Vec<&str> = r.raw_records.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(raw.len(), 2);
    assert!(
        !raw.iter().any(|t| t.contains("R_5abandoned0004")),
        "{raw:?}"
    );
    let d = &r.documents;
    assert_eq!(d.len(), 2);
    assert_eq!((d[0].source.line, d[1].source.line), (4, 6));
    assert_eq!((d[0].score, d[1].score), (Some(2.0), Some(9.0)));
    let t = turns(&d[1]);
    assert_eq!(
        t.last().unwrap().2,
        "Multi-currency invoices, and a café-style dark mode."
    );
    let all = format!("{d:?}");
    for test in ["test test asdf", "lorem ipsum"] {
        assert!(!all.contains(test), "{test} was read");
    }
}

/// A response with no answers is the same thing in every survey export:
/// an empty response, counted in the file's summary, neither a document
/// nor a skipped record. A row that is really broken (an unquoted comma
/// adding a field, an unreadable score and no comment) is still skipped,
/// by file and row, and an answered row beside it is still read.
#[test]
fn empty_survey_responses_are_counted_in_every_survey_layout() {
    let qualtrics = "\
StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,Q1,Q2\n\
Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,How likely are you to recommend us?,What is the main reason for your score?\n\
\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\",\"{\"\"ImportId\"\":\"\"status\"\"}\",\"{\"\"ImportId\"\":\"\"progress\"\"}\",\"{\"\"ImportId\"\":\"\"finished\"\"}\",\"{\"\"ImportId\"\":\"\"recordedDate\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2_TEXT\"\"}\"\n\
2026-02-03 09:12:44,2026-02-03 09:15:02,0,100,1,2026-02-03 09:15:03,R_1,3,Bank sync drops every Monday.\n\
2026-02-08 07:00:00,2026-02-08 07:00:40,0,5,0,2026-02-15 07:00:41,R_2,,\n\
2026-02-09 07:00:00,2026-02-09 07:03:40,0,100,1,2026-02-09 07:03:41,R_3,eleven,\n\
2026-02-10 07:00:00,2026-02-10 07:03:40,0,100,1,2026-02-10 07:03:41,R_4,8,Fine, mostly,\n";
    let typeform = "\
#,How likely are you to recommend Acme Invoices to a friend or colleague?,What is the main reason for your score?,Which plan are you on?,Start Date (UTC),Submit Date (UTC),Network ID\n\
a1,8,\"Recurring invoices just work, I set them up once.\",Pro,2026-03-09 10:01:12,2026-03-09 10:03:40,3f9c\n\
a2,,,,2026-03-10 18:20:00,2026-03-10 18:24:05,8d7e\n\
a3,eleven,,Pro,2026-03-10 18:20:00,2026-03-10 18:24:05,8d7f\n";
    let surveymonkey = "\
Respondent ID,Collector ID,Start Date,End Date,How likely is it that you would recommend Acme Invoices to a friend or colleague?,Which plan are you on?,What should we improve first?\n\
,,,,Response,Response,Open-Ended Response\n\
1180,446,03/04/2026 10:12:07 AM,03/04/2026 10:15:22 AM,9,Pro,\"Reminders go out twice, which annoys my clients.\"\n\
1181,446,03/05/2026 08:00:00 PM,03/05/2026 08:00:41 PM,,,\n\
1182,446,03/05/2026 09:00:00 PM,03/05/2026 09:00:41 PM,eleven,Pro,\n";
    let generic = "\
respondent,date,nps,comment\n\
C1,2026-03-01,4,Too expensive for what I use.\n\
C2,2026-03-02,,\n\
C3,2026-03-03,eleven,\n";
    for (name, csv, broken) in [
        ("qualtrics.csv", qualtrics, vec![(6, 3), (7, 4)]),
        ("typeform.csv", typeform, vec![(4, 3)]),
        ("surveymonkey.csv", surveymonkey, vec![(5, 3)]),
        ("nps.csv", generic, vec![(4, 3)]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, csv).unwrap();
        let r = ingest_path(&path).unwrap();
        let s = summary(&r);
        assert_eq!(s.kind, SourceKind::Survey, "{name}");
        assert_eq!((s.documents, s.empty), (1, 1), "{name}: {s:?}");
        let skipped: Vec<(u64, Option<u64>)> = r
            .skipped
            .iter()
            .map(|k| (k.source.line, k.source.row))
            .collect();
        let want: Vec<(u64, Option<u64>)> = broken.iter().map(|&(l, row)| (l, Some(row))).collect();
        assert_eq!(skipped, want, "{name}: {:?}", r.skipped);
        assert_eq!(s.skipped, broken.len(), "{name}");
        assert!(
            r.skipped.iter().all(|k| k.source.path.ends_with(name)),
            "{name}"
        );
    }
}

/// A review sheet kept by hand (`author, review`) under a name that says
/// nothing: reviews, not tickets, with the author as the customer.
#[test]
fn an_author_review_sheet_is_read_as_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export-2026-03.csv");
    std::fs::write(
        &path,
        "author,review\n\
         Mara Lind,\"Lovely app, but the bank sync drops every Monday.\"\n\
         Tom B.,Customer support never answered my refund request.\n",
    )
    .unwrap();
    let r = ingest_path(&path).unwrap();
    let s = summary(&r);
    assert_eq!(
        (s.kind, s.layout.as_str()),
        (SourceKind::Review, "generic-csv")
    );
    assert_eq!(column(s, "body"), Some("review"));
    assert_eq!(column(s, "author"), Some("author"));
    let d = &r.documents;
    assert_eq!(d.len(), 2);
    assert!(d.iter().all(|d| d.kind == SourceKind::Review));
    assert_eq!(d[0].customer.as_deref(), Some("Mara Lind"));
    assert_eq!(d[1].channel.as_deref(), Some("review"));
}

/// A workbook saved with File → Info → Protect Workbook → Encrypt with
/// Password is an OLE file calamine cannot open: say so, not "Cannot
/// detect file format".
#[test]
fn a_password_protected_workbook_says_so() {
    let r = read("password-protected.xlsx");
    assert!(r.documents.is_empty());
    assert_eq!(r.skipped.len(), 1, "{:?}", r.skipped);
    assert!(
        r.skipped[0]
            .reason
            .starts_with("a password-protected workbook"),
        "{}",
        r.skipped[0].reason
    );
}
