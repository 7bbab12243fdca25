//! Vendor layouts of tabular exports: which tool wrote a CSV, and which of
//! its columns hold which field.
//!
//! Consumes a CSV's header (normalised names as written), the SurveyMonkey
//! sub-header when there is one, and a sample of rows; produces a [`Plan`]
//! that the tabular reader applies on top of its generic column aliases: the
//! layout's name, the kind and channel it implies, the columns pinned to each
//! field, further answer columns that become their own turns, and the column
//! holding the company's public reply (an agent turn). A file no layout
//! claims is read generically (`generic-csv`).
//!
//! Each `*_plan` function names the documented layout it follows. The
//! signatures are strict (several vendor-specific columns at once) so that a
//! hand-made CSV that merely shares a column name stays generic.

use super::tabular::Field;
use crate::model::SourceKind;

/// How to read one vendor's export.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// `zendesk-csv`, `google-play-csv` …
    pub layout: &'static str,
    pub kind: SourceKind,
    /// The channel every record gets.
    pub channel: &'static str,
    /// Columns pinned per field, most preferred first. They replace the
    /// generic alias matches for that field (an empty list clears it).
    pub pins: Vec<(Field, Vec<usize>)>,
    /// Further customer-text columns: each non-empty value is a turn whose
    /// topic is the column header (survey questions, G2's review questions).
    pub answers: Vec<usize>,
    /// The body turn's topic is its column header (a question).
    pub body_topic: bool,
    /// The column of the company's public reply: an agent turn.
    pub reply: Option<usize>,
    /// The column saying whether a response is a researcher's test
    /// (Qualtrics' Response Type), and the layout's reading of it: the name
    /// of the test kind, for a record that is skipped.
    pub test_flag: Option<(usize, TestKind)>,
    /// Columns of personal data the layout never reads (names, IP address,
    /// location): blanked in a skipped record's raw text too.
    pub private: Vec<usize>,
}

impl Plan {
    fn new(layout: &'static str, kind: SourceKind, channel: &'static str) -> Plan {
        Plan {
            layout,
            kind,
            channel,
            pins: Vec::new(),
            answers: Vec::new(),
            body_topic: false,
            reply: None,
            test_flag: None,
            private: Vec::new(),
        }
    }

    /// Pins `field` to the first present columns among `names` (normalised),
    /// in that order; clears the field when none is present.
    fn pin(mut self, norm: &[String], field: Field, names: &[&str]) -> Plan {
        let cols = names.iter().filter_map(|n| find(norm, n)).collect();
        self.pins.push((field, cols));
        self
    }

    fn pin_cols(mut self, field: Field, cols: Vec<usize>) -> Plan {
        self.pins.push((field, cols));
        self
    }

    /// A survey's answers: the NPS question is the score, the first
    /// open-ended answer the body and the others further turns, each under
    /// its question; surveys have no title, status or channel column.
    fn questions(self, norm: &[String], score: Option<usize>, text: &[usize]) -> Plan {
        let mut plan = self
            .pin_cols(Field::Score, score.into_iter().collect())
            .pin_cols(Field::Body, text.first().copied().into_iter().collect())
            .pin(norm, Field::Title, &[])
            .pin(norm, Field::Status, &[])
            .pin(norm, Field::Channel, &[]);
        plan.answers = text.iter().skip(1).copied().collect();
        plan.body_topic = true;
        plan
    }
}

/// Reads a response-type value: the name of the test kind it marks (a
/// researcher's preview or test), or `None` for a respondent's answer.
pub(crate) type TestKind = fn(&str) -> Option<&'static str>;

/// The index of the column whose normalised name is `name`.
fn find(norm: &[String], name: &str) -> Option<usize> {
    norm.iter().position(|n| n == name)
}

fn has(norm: &[String], name: &str) -> bool {
    find(norm, name).is_some()
}

/// Columns whose normalised name contains `part`.
fn containing(norm: &[String], part: &str) -> Vec<usize> {
    norm.iter()
        .enumerate()
        .filter(|(_, n)| n.contains(part))
        .map(|(i, _)| i)
        .collect()
}

/// The first data rows of a file, decoded, for layouts that judge columns by
/// their content.
pub(crate) type Sample = [Vec<String>];

/// Header rows under the column names that name a survey tool's export.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SubHeader {
    /// SurveyMonkey's "Open-Ended Response" flags, per column.
    SurveyMonkey(Vec<bool>),
    /// Qualtrics' text-entry flags from its ImportId row, per column, when
    /// the export has that row.
    Qualtrics(Option<Vec<bool>>),
}

/// Picks the vendor layout of a CSV, if any. `names` are the columns as
/// written (merged with the sub-header rows of SurveyMonkey and
/// Qualtrics), `norm` their normalised forms, `sub` what those sub-header
/// rows said (present only when the file has them).
pub(crate) fn detect_csv(
    names: &[String],
    norm: &[String],
    sub: Option<&SubHeader>,
    sample: &Sample,
) -> Option<Plan> {
    match sub {
        Some(SubHeader::SurveyMonkey(flags)) => return Some(surveymonkey_plan(norm, flags)),
        Some(SubHeader::Qualtrics(flags)) => {
            return Some(qualtrics_plan(norm, flags.as_deref(), sample))
        }
        None => {}
    }
    google_play_plan(norm)
        .or_else(|| trustpilot_plan(norm))
        .or_else(|| g2_plan(norm))
        .or_else(|| zendesk_plan(norm))
        .or_else(|| freshdesk_plan(norm))
        .or_else(|| delighted_plan(norm))
        .or_else(|| typeform_plan(names, norm, sample))
}

/// Google Play Console → Download reports → Reviews: the monthly
/// `reviews_<package>_<YYYYMM>.csv`, UTF-16 LE with a BOM, columns `Package
/// Name, App Version Code, App Version Name, Reviewer Language, Device,
/// Review Submit Date and Time, Review Submit Millis Since Epoch, Review Last
/// Update Date and Time, Review Last Update Millis Since Epoch, Star Rating,
/// Review Title, Review Text, Developer Reply Date and Time, Developer Reply
/// Millis Since Epoch, Developer Reply Text, Review Link`. No reviewer
/// identity; the developer's reply becomes an agent turn.
fn google_play_plan(norm: &[String]) -> Option<Plan> {
    let ok = has(norm, "package_name")
        && has(norm, "star_rating")
        && (has(norm, "review_text") || has(norm, "review_submit_millis_since_epoch"));
    if !ok {
        return None;
    }
    let mut plan = Plan::new("google-play-csv", SourceKind::Review, "google play")
        .pin(
            norm,
            Field::Date,
            &[
                "review_submit_date_and_time",
                "review_submit_millis_since_epoch",
            ],
        )
        .pin(norm, Field::Rating, &["star_rating"])
        .pin(norm, Field::Title, &["review_title"])
        .pin(norm, Field::Body, &["review_text"])
        .pin(norm, Field::Id, &["review_link"])
        .pin(norm, Field::Author, &[])
        .pin(norm, Field::Email, &[])
        .pin(norm, Field::CustomerId, &[])
        .pin(norm, Field::Channel, &[]);
    plan.reply = find(norm, "developer_reply_text");
    Some(plan)
}

/// Trustpilot Business → Service reviews → Export (CSV): `Review ID, Review
/// Created (UTC), Review Consumer User ID, Review Title, Review Content,
/// Review Stars, Source Of Review, Review Language, Domain URL, Webshop Name,
/// Business Unit ID, Tags, Review Username, Reference Id, Company Reply Date
/// (UTC), Reply Content`. The business's reference id (its own customer or
/// order number) is the customer key when present; the reply is an agent
/// turn.
fn trustpilot_plan(norm: &[String]) -> Option<Plan> {
    let ok = has(norm, "review_stars")
        && (has(norm, "review_content") || has(norm, "review_created_utc"));
    if !ok {
        return None;
    }
    let mut plan = Plan::new("trustpilot-csv", SourceKind::Review, "trustpilot")
        .pin(norm, Field::Id, &["review_id"])
        .pin(norm, Field::Date, &["review_created_utc", "review_date"])
        .pin(norm, Field::Rating, &["review_stars"])
        .pin(norm, Field::Title, &["review_title"])
        .pin(norm, Field::Body, &["review_content"])
        .pin(
            norm,
            Field::Author,
            &["review_username", "consumer_name", "review_consumer_name"],
        )
        .pin(norm, Field::CustomerId, &["reference_id"])
        .pin(norm, Field::Email, &["review_user_email", "consumer_email"])
        .pin(norm, Field::Channel, &[]);
    plan.reply = norm.iter().position(|n| {
        n.contains("reply")
            && ["content", "text", "message"].iter().any(|w| n.contains(w))
            && !n.contains("date")
    });
    Some(plan)
}

/// my.G2 → Review Management → Review Activity → Download CSV: one row per
/// review with its star rating, title, reviewer and the answers to G2's
/// review questions ("What do you like best about X?", "What do you dislike
/// about X?", "What problems is X solving and how is that benefiting you?",
/// "Recommendations to others considering X"). G2 does not document the CSV
/// columns; the question columns follow its published review form. Each
/// answer is its own turn with the question as its topic.
fn g2_plan(norm: &[String]) -> Option<Plan> {
    let likes = containing(norm, "what_do_you_like_best");
    let &body = likes.first()?;
    let mut answers = Vec::new();
    for part in [
        "what_do_you_dislike",
        "what_problems",
        "recommendations_to_others",
    ] {
        answers.extend(containing(norm, part));
    }
    let mut plan = Plan::new("g2-csv", SourceKind::Review, "g2")
        .pin_cols(Field::Body, vec![body])
        .pin(norm, Field::Rating, &["star_rating", "rating", "stars"])
        .pin(norm, Field::Title, &["review_title", "title", "headline"])
        .pin(
            norm,
            Field::Date,
            &[
                "submitted_at",
                "date_submitted",
                "published_date",
                "published_at",
                "submitted",
                "review_date",
                "date",
            ],
        )
        .pin(norm, Field::Author, &["reviewer_name", "reviewer", "name"])
        .pin(norm, Field::Id, &["review_id", "id"])
        .pin(norm, Field::Channel, &[]);
    plan.answers = answers;
    plan.body_topic = true;
    Some(plan)
}

/// Zendesk Admin Center → Account → Tools → Reports → Export (CSV), and view
/// exports with the same column names: `Summation column, Id, Requester,
/// Requester id, Requester external id, Requester email, Requester domain,
/// Submitter, Assignee, Group, Subject, Tags, Status, Priority, Via, Ticket
/// type, Created at, Updated at, … Satisfaction Score, …`. The account CSV
/// holds no comments, so the subject is the text unless a `Description`
/// column was added; the external id, then the requester email (hashed),
/// then the requester name is the customer key.
fn zendesk_plan(norm: &[String]) -> Option<Plan> {
    let requester = has(norm, "requester") || has(norm, "requester_email");
    let zendeskish = ["satisfaction_score", "ticket_type", "group", "assignee"]
        .iter()
        .any(|c| has(norm, c));
    if !(has(norm, "summation_column") || (requester && has(norm, "via") && zendeskish)) {
        return None;
    }
    let plan = Plan::new("zendesk-csv", SourceKind::Ticket, "zendesk")
        .pin(norm, Field::Id, &["id", "ticket_id"])
        .pin(norm, Field::Title, &["subject"])
        .pin(
            norm,
            Field::Body,
            &["description", "comment", "comments", "latest_comment"],
        )
        .pin(
            norm,
            Field::Date,
            &["created_at", "requested", "request_date", "created"],
        )
        .pin(norm, Field::Status, &["status"])
        .pin(
            norm,
            Field::Satisfaction,
            &["satisfaction_score", "satisfaction"],
        )
        .pin(norm, Field::Rating, &[])
        .pin(norm, Field::CustomerId, &["requester_external_id"])
        .pin(norm, Field::Email, &["requester_email"])
        .pin(norm, Field::Author, &["requester"])
        .pin(norm, Field::Channel, &[]);
    Some(plan)
}

/// Freshdesk → Tickets → Export (CSV), with the ticket and contact fields
/// chosen in the export dialog: `Ticket ID, Subject, Description, Status,
/// Priority, Source, Type, Agent, Group, Created time, Due by Time, Resolved
/// time, Closed time, Last update time, … Tags, Survey results, Full name,
/// Email, Contact ID …`. `Source` is the intake channel (Email, Portal,
/// Phone), not the platform, so the channel is `freshdesk`.
fn freshdesk_plan(norm: &[String]) -> Option<Plan> {
    let ok = has(norm, "ticket_id")
        && [
            "created_time",
            "resolved_time",
            "due_by_time",
            "last_update_time",
        ]
        .iter()
        .any(|c| has(norm, c));
    if !ok {
        return None;
    }
    let survey: Vec<usize> = norm
        .iter()
        .enumerate()
        .filter(|(_, n)| n.contains("survey") || n.contains("satisfaction"))
        .map(|(i, _)| i)
        .collect();
    let plan = Plan::new("freshdesk-csv", SourceKind::Ticket, "freshdesk")
        .pin(norm, Field::Id, &["ticket_id"])
        .pin(norm, Field::Title, &["subject"])
        .pin(norm, Field::Body, &["description", "description_text"])
        .pin(norm, Field::Status, &["status"])
        .pin(norm, Field::Date, &["created_time"])
        .pin(
            norm,
            Field::Email,
            &["email", "contact_email", "requester_email"],
        )
        .pin(
            norm,
            Field::Author,
            &["full_name", "contact_name", "requester_name", "contact"],
        )
        .pin(
            norm,
            Field::CustomerId,
            &["unique_external_id", "external_id"],
        )
        .pin_cols(Field::Satisfaction, survey)
        .pin(norm, Field::Rating, &[])
        .pin(norm, Field::Channel, &[]);
    Some(plan)
}

/// Delighted → Results → Export CSV, whose columns follow the documented
/// survey-response object: `Response ID, Survey Type, Score, Comment,
/// Permalink, Created At, Updated At, Email, Name`, then person properties
/// (`Delighted Source`, `Delighted Device Type` …).
fn delighted_plan(norm: &[String]) -> Option<Plan> {
    let marker = has(norm, "permalink")
        || has(norm, "survey_type")
        || norm.iter().any(|n| n.starts_with("delighted_"));
    if !(marker && has(norm, "score") && has(norm, "comment")) {
        return None;
    }
    let plan = Plan::new("delighted-csv", SourceKind::Survey, "delighted")
        .pin(norm, Field::Id, &["response_id", "id"])
        .pin(norm, Field::Score, &["score"])
        .pin(norm, Field::Body, &["comment"])
        .pin(
            norm,
            Field::Date,
            &["created_at", "response_date", "created", "date"],
        )
        .pin(norm, Field::Email, &["email", "person_email"])
        .pin(norm, Field::Author, &["name", "person_name"])
        .pin(norm, Field::Channel, &[]);
    Some(plan)
}

/// Metadata columns of a Typeform export (everything else is a question).
const TYPEFORM_META: &[&str] = &[
    "",
    "response_type",
    "start_date_utc",
    "stage_date_utc",
    "submit_date_utc",
    "network_id",
    "tags",
    "ending",
];

/// Typeform → Results → Responses → Download (CSV): `#` (the response
/// token), one column per question titled with the question, then `Response
/// Type, Start Date (UTC), Stage Date (UTC), Submit Date (UTC), Network ID,
/// Tags`. Columns are not typed, so the open questions are the ones whose
/// answers read as free text in the first rows; each is a turn with its
/// question as topic. The NPS question is the one about recommending.
fn typeform_plan(names: &[String], norm: &[String], sample: &Sample) -> Option<Plan> {
    if !(has(norm, "submit_date_utc") && (has(norm, "network_id") || has(norm, "start_date_utc"))) {
        return None;
    }
    let token = names.iter().position(|n| n.trim() == "#");
    let score = norm
        .iter()
        .position(|n| n.contains("recommend") || n.starts_with("nps") || n.ends_with("_nps"));
    let questions: Vec<usize> = (0..norm.len())
        .filter(|&i| !TYPEFORM_META.contains(&norm[i].as_str()) && Some(i) != score)
        .filter(|&i| !norm[i].contains("email"))
        .collect();
    let text: Vec<usize> = questions
        .into_iter()
        .filter(|&i| free_text(sample, i))
        .collect();
    let plan = Plan::new("typeform-csv", SourceKind::Survey, "typeform")
        .pin_cols(Field::Id, token.into_iter().collect())
        .pin(norm, Field::Date, &["submit_date_utc", "start_date_utc"])
        .questions(norm, score, &text);
    Some(plan)
}

/// Whether a column's sampled values read as free text rather than a choice:
/// some value has five words or more, or they average three, and they are
/// mostly distinct.
fn free_text(sample: &Sample, col: usize) -> bool {
    let values: Vec<&str> = sample
        .iter()
        .filter_map(|r| r.get(col))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return false;
    }
    let words: Vec<usize> = values
        .iter()
        .map(|v| v.split_whitespace().count())
        .collect();
    let mean = words.iter().sum::<usize>() as f64 / words.len() as f64;
    let mut distinct = values.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let varied = distinct.len() * 2 >= values.len() || values.len() < 3;
    varied && (words.iter().any(|&w| w >= 5) || mean >= 3.0)
}

/// SurveyMonkey → Analyze results → Save as → Export file → All individual
/// responses (CSV): two header rows. The first holds `Respondent ID,
/// Collector ID, Start Date, End Date, IP Address, Email Address, First
/// Name, Last Name, Custom Data 1` and then each question's text (once, over
/// all of its columns); the second says what each column holds: `Response`,
/// `Open-Ended Response`, or a choice label. Returns the merged column names
/// (`Question - Choice` for choice columns) and which columns are
/// open-ended, or `None` when the rows are not SurveyMonkey's.
pub(crate) fn surveymonkey_headers(
    first: &[String],
    second: &[String],
) -> Option<(Vec<String>, Vec<bool>)> {
    let has_id = first
        .iter()
        .any(|n| n.trim().eq_ignore_ascii_case("respondent id"));
    let marks = second.iter().any(|s| {
        let s = s.trim();
        s.eq_ignore_ascii_case("response") || s.eq_ignore_ascii_case("open-ended response")
    });
    if !has_id || !marks || second.len() > first.len() {
        return None;
    }
    let mut names = Vec::with_capacity(first.len());
    let mut open = Vec::with_capacity(first.len());
    let mut question = String::new();
    for (i, top) in first.iter().enumerate() {
        let top = top.trim();
        let sub = second.get(i).map_or("", |s| s.trim());
        if !top.is_empty() {
            question = top.to_string();
        }
        let plain = sub.is_empty()
            || sub.eq_ignore_ascii_case("response")
            || sub.eq_ignore_ascii_case("open-ended response");
        let name = match (top.is_empty(), plain) {
            (false, true) => top.to_string(),
            (_, false) => format!("{question} - {sub}"),
            (true, true) => question.clone(),
        };
        names.push(name);
        let lower = sub.to_lowercase();
        open.push(lower == "open-ended response" || lower.contains("please specify"));
    }
    Some((names, open))
}

/// SurveyMonkey's "All individual responses" CSV (see
/// [`surveymonkey_headers`]): the respondent id is the record id, the end
/// date the date, the email the customer key, the recommend question the NPS
/// score, and each open-ended answer a turn with its question as topic.
fn surveymonkey_plan(norm: &[String], open: &[bool]) -> Plan {
    let text: Vec<usize> = (0..norm.len())
        .filter(|&i| open.get(i).copied().unwrap_or(false))
        .collect();
    let score = (0..norm.len()).find(|&i| {
        !open.get(i).copied().unwrap_or(false)
            && (norm[i].contains("recommend") || norm[i].starts_with("nps"))
    });
    Plan::new("surveymonkey-csv", SourceKind::Survey, "surveymonkey")
        .pin(norm, Field::Id, &["respondent_id"])
        .pin(norm, Field::Date, &["end_date", "start_date"])
        .pin(norm, Field::Email, &["email_address", "email"])
        .pin(norm, Field::Author, &[])
        .pin(norm, Field::CustomerId, &[])
        .questions(norm, score, &text)
}

/// Qualtrics → Data & Analysis → Export Data → CSV: the first row holds
/// column ids (`StartDate, EndDate, Status, IPAddress, Progress, Duration
/// (in seconds), Finished, RecordedDate, ResponseId, RecipientLastName,
/// RecipientFirstName, RecipientEmail, ExternalReference, LocationLatitude,
/// LocationLongitude, DistributionChannel, UserLanguage, Q1, Q1_NPS_GROUP,
/// Q2 …`), the second each column's label or question text, and the third
/// (in every export since 2017) `{"ImportId":"QID2_TEXT"}`-style ids, where
/// `_TEXT` marks a text-entry answer. Returns the question texts as column
/// names, the text-entry flags when the third row is there, and how many
/// header rows there are; `None` when the rows are not Qualtrics'.
pub(crate) fn qualtrics_headers(
    first: &[String],
    second: &[String],
    third: Option<&[String]>,
) -> Option<(Vec<String>, Option<Vec<bool>>, usize)> {
    let at = first
        .iter()
        .position(|n| n.trim().eq_ignore_ascii_case("responseid"))?;
    let labelled = second
        .get(at)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("response id"));
    if !labelled || second.len() > first.len() {
        return None;
    }
    let names = first
        .iter()
        .enumerate()
        .map(|(i, id)| match second.get(i).map(|s| s.trim()) {
            Some(label) if !label.is_empty() => label.to_string(),
            _ => id.trim().to_string(),
        })
        .collect();
    let import = third.filter(|row| {
        row.iter()
            .filter(|c| !c.trim().is_empty())
            .all(|c| c.trim_start().starts_with("{\"ImportId\""))
            && row.iter().any(|c| !c.trim().is_empty())
    });
    match import {
        Some(row) => {
            let open = (0..first.len())
                .map(|i| row.get(i).is_some_and(|c| c.contains("_TEXT\"")))
                .collect();
            Some((names, Some(open), 3))
        }
        None => Some((names, None, 2)),
    }
}

/// Qualtrics' own columns (normalised labels), never customer text.
const QUALTRICS_META: [&str; 17] = [
    "start_date",
    "end_date",
    "response_type",
    "ip_address",
    "progress",
    "duration_in_seconds",
    "finished",
    "recorded_date",
    "response_id",
    "recipient_last_name",
    "recipient_first_name",
    "recipient_email",
    "external_data_reference",
    "location_latitude",
    "location_longitude",
    "distribution_channel",
    "user_language",
];

/// A Qualtrics export (see [`qualtrics_headers`]): the response id is the
/// record id, the recorded date the date, the recipient email the customer
/// key (an external data reference wins), the recommend question the NPS
/// score, and each text-entry answer (or, without the ImportId row, each
/// answer that reads as free text) a turn with its question as topic.
/// Names, IP address and location are never read.
fn qualtrics_plan(norm: &[String], open: Option<&[bool]>, sample: &Sample) -> Plan {
    let meta = |i: usize| QUALTRICS_META.contains(&norm[i].as_str());
    let score = (0..norm.len())
        .find(|&i| !meta(i) && norm[i].contains("recommend") && !norm[i].ends_with("_group"));
    let text: Vec<usize> = (0..norm.len())
        .filter(|&i| !meta(i) && Some(i) != score && !norm[i].ends_with("_group"))
        .filter(|&i| match open {
            Some(flags) => flags.get(i).copied().unwrap_or(false),
            None => free_text(sample, i),
        })
        .collect();
    let mut plan = Plan::new("qualtrics-csv", SourceKind::Survey, "qualtrics")
        .pin(norm, Field::Id, &["response_id"])
        .pin(norm, Field::Date, &["recorded_date", "end_date"])
        .pin(norm, Field::Email, &["recipient_email"])
        .pin(norm, Field::CustomerId, &["external_data_reference"])
        .pin(norm, Field::Author, &[])
        .questions(norm, score, &text);
    plan.test_flag = find(norm, "response_type").map(|i| (i, qualtrics_test_response as TestKind));
    plan.private = (0..norm.len())
        .filter(|&i| QUALTRICS_PRIVATE.contains(&norm[i].as_str()))
        .collect();
    plan
}

/// Qualtrics' columns of personal data that no field reads.
const QUALTRICS_PRIVATE: [&str; 6] = [
    "ip_address",
    "recipient_last_name",
    "recipient_first_name",
    "recipient_email",
    "location_latitude",
    "location_longitude",
];

/// Whether a Qualtrics Response Type (`Status`) marks a researcher's own
/// response rather than a respondent's: "Survey Preview" and "Survey Test"
/// (the Preview button and Generate Test Responses), also in their spam
/// and offline variants, as choice text or as the numeric codes the "Use
/// numeric values" export writes (1, 2, 9, 17). Returns the type's name.
fn qualtrics_test_response(status: &str) -> Option<&'static str> {
    let s = status.trim().to_ascii_lowercase();
    if s.contains("preview") || matches!(s.as_str(), "1" | "9" | "17") {
        Some("Survey Preview")
    } else if s == "survey test" || s == "2" {
        Some("Survey Test")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::tabular::normalize_column;

    fn norm(names: &[&str]) -> (Vec<String>, Vec<String>) {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let norm = names.iter().map(|n| normalize_column(n)).collect();
        (names, norm)
    }

    #[test]
    fn generic_files_claim_no_layout() {
        for cols in [
            &[
                "id",
                "created_at",
                "requester",
                "customer_id",
                "subject",
                "description",
                "status",
                "satisfaction",
            ][..],
            &["respondent", "customer_id", "date", "score", "comment"][..],
            &["id", "body", "rating"][..],
            &["Ticket ID", "Subject", "Description"][..],
        ] {
            let (names, n) = norm(cols);
            assert_eq!(detect_csv(&names, &n, None, &[]), None, "{cols:?}");
        }
    }

    #[test]
    fn qualtrics_headers_with_and_without_the_import_id_row() {
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let first = row(&["RecordedDate", "ResponseId", "Q1", "Q2"]);
        let second = row(&[
            "Recorded Date",
            "Response ID",
            "How likely are you to recommend us?",
            "Why?",
        ]);
        let import = row(&[
            r#"{"ImportId":"recordedDate","timeZone":"UTC"}"#,
            r#"{"ImportId":"_recordId"}"#,
            r#"{"ImportId":"QID1"}"#,
            r#"{"ImportId":"QID2_TEXT"}"#,
        ]);
        let (names, open, rows) = qualtrics_headers(&first, &second, Some(&import)).unwrap();
        assert_eq!(names[3], "Why?");
        assert_eq!(open, Some(vec![false, false, false, true]));
        assert_eq!(rows, 3);
        // Older exports stop after the labels; the third row is data.
        let data = row(&["2026-01-02", "R_1", "9", "Fast setup"]);
        let (_, open, rows) = qualtrics_headers(&first, &second, Some(&data)).unwrap();
        assert_eq!((open, rows), (None, 2));
        // A generic file with a ResponseId column is not Qualtrics.
        assert!(qualtrics_headers(&first, &data, None).is_none());
    }

    #[test]
    fn qualtrics_test_responses_in_both_export_variants() {
        for (status, kind) in [
            ("Survey Preview", Some("Survey Preview")),
            ("1", Some("Survey Preview")),
            ("Offline Survey Preview", Some("Survey Preview")),
            ("Survey Test", Some("Survey Test")),
            ("2", Some("Survey Test")),
            ("IP Address", None),
            ("0", None),
            ("Imported", None),
            ("4", None),
            ("", None),
        ] {
            assert_eq!(qualtrics_test_response(status), kind, "{status:?}");
        }
    }

    #[test]
    fn surveymonkey_header_rows_merge() {
        let first: Vec<String> = [
            "Respondent ID",
            "Collector ID",
            "Email Address",
            "How likely are you to recommend us?",
            "Which features do you use?",
            "",
            "",
            "What should we improve?",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let second: Vec<String> = [
            "",
            "",
            "",
            "Response",
            "Invoices",
            "Reports",
            "Other (please specify)",
            "Open-Ended Response",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (names, open) = surveymonkey_headers(&first, &second).unwrap();
        assert_eq!(names[3], "How likely are you to recommend us?");
        assert_eq!(names[4], "Which features do you use? - Invoices");
        assert_eq!(names[5], "Which features do you use? - Reports");
        assert_eq!(
            names[6],
            "Which features do you use? - Other (please specify)"
        );
        assert_eq!(names[7], "What should we improve?");
        assert_eq!(
            open,
            vec![false, false, false, false, false, false, true, true]
        );
        // A data row is not a sub-header.
        let row: Vec<String> = ["1", "2", "a@b.c", "9", "x", "", "", "fine"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(surveymonkey_headers(&first, &row).is_none());
    }

    #[test]
    fn free_text_columns_are_told_from_choices() {
        let sample: Vec<Vec<String>> = [
            [
                "Project management",
                "The invoice export keeps timing out on me",
            ],
            ["Fundraising", "ok"],
            [
                "Project management",
                "Wish it synced with my bank every hour",
            ],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        assert!(!free_text(&sample, 0));
        assert!(free_text(&sample, 1));
        assert!(!free_text(&sample, 2));
    }
}
